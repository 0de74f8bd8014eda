"""Forms of the publication pages. They parse input only; the services decide and name the field
of any refusal (``common.forms.add_domain_error`` puts it next to that field)."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from ipshield.publication.services import score_field

_DATE = forms.DateInput(attrs={"type": "date"})


def split_names(value: str) -> list[str]:
    """Names typed as one line, separated by commas, 、 or spaces."""
    return [n for n in re.split(r"[,，、;；\s]+", value or "") if n]


class WithdrawForm(forms.Form):
    revoked_on = forms.DateField(
        label=_("决定被撤销/变更/确认违法的日期"),
        widget=_DATE,
        help_text=_("须在此后三个工作日内撤回公示。"),
    )
    reason = forms.CharField(label=_("撤回理由"), widget=forms.Textarea(attrs={"rows": 3}))


class TypicalCaseForm(forms.Form):
    case = forms.ModelChoiceField(
        label=_("案件（已结案）"), queryset=None, empty_label=_("— 请选择 —")
    )
    title = forms.CharField(label=_("标题"), max_length=200)
    summary = forms.CharField(
        label=_("案情与意义"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("当事人及案件登记的自然人姓名、身份证号、电话等个人信息会自动遮蔽。"),
    )
    order = forms.IntegerField(label=_("排序"), initial=0, min_value=0)
    person_names = forms.CharField(
        label=_("其他需遮蔽的姓名"),
        required=False,
        help_text=_("文中提到的其他自然人，用逗号或顿号分隔。"),
    )

    def __init__(self, *args, cases=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cases is None:
            del self.fields["case"]
        else:
            self.fields["case"].queryset = cases
            self.fields["case"].label_from_instance = lambda c: f"{c.number} {c.title}"


class FileReviewForm(forms.Form):
    """One score field per checklist item (``item_<id>``) and a note for points taken off."""

    comment = forms.CharField(
        label=_("评查意见"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        fields = {}
        for item in self.items:
            name = score_field(item.pk)
            fields[name] = forms.CharField(
                label=_("%(n)s. %(t)s（满分 %(m)s）")
                % {"n": item.order, "t": item.title, "m": item.max_points},
                required=False,
                help_text=item.criteria,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
            )
            fields[f"{name}_note"] = forms.CharField(
                label=_("扣分说明"), required=False, max_length=300
            )
        comment = self.fields.pop("comment")
        self.fields.update(fields)
        self.fields["comment"] = comment

    def rows(self):
        for item in self.items:
            name = score_field(item.pk)
            yield item, self[name], self[f"{name}_note"]

    def scores(self) -> dict[int, str]:
        return {item.pk: self.cleaned_data.get(score_field(item.pk), "") for item in self.items}

    def notes(self) -> dict[int, str]:
        return {
            item.pk: self.cleaned_data.get(f"{score_field(item.pk)}_note", "")
            for item in self.items
        }


class RewardProposeForm(forms.Form):
    amount = forms.CharField(
        label=_("奖励金额（元）"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    basis = forms.CharField(
        label=_("奖励依据"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("写明适用的举报奖励办法条款、奖励等级和计算方式。"),
    )


class RewardDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审批"), choices=[("approve", _("批准")), ("refuse", _("不予奖励"))]
    )
    reason = forms.CharField(
        label=_("审批意见/不予奖励理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("不予奖励时必填。"),
    )


class RewardPaidForm(forms.Form):
    paid_on = forms.DateField(label=_("发放日期"), widget=_DATE)
    reference = forms.CharField(label=_("发放凭证号"), max_length=100)
