"""The forms of the dispute pages: the online application and one small form per action.

Forms check shapes only (a choice among those offered, a date); the rules are the services'
(a refusal comes back as a coded ``DomainError`` shown next to the field it names with
``common.forms.add_domain_error``). Claims and respondents are rows of repeated inputs
(``claim_text``/``claim_amount``, ``respondent_name``/…), read by :func:`rows_of`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ipshield.accounts.models import Region, RegionLevel
from ipshield.disputes import queries
from ipshield.disputes.models import Organisation
from ipshield.disputes.workflow import Action
from ipshield.registry.models import RightKind

CLAIM_ROWS = 5
RESPONDENT_ROWS = 3
MAX_ATTACHMENTS = 10
CLAIM_FIELDS = ("text", "amount")
CHOOSE = _("— 请选择 —")
RESPONDENT_FIELDS = ("name", "phone", "address")


class OrganisationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.unit.name}（{obj.get_kind_display()}）"


class ApplyForm(forms.Form):
    organisation = OrganisationChoice(
        label=_("调解组织"),
        queryset=Organisation.objects.none(),
        empty_label=CHOOSE,
        help_text=_("只列出接受网上申请的调解组织。"),
    )
    right_kind = forms.ChoiceField(label=_("权利类型"), choices=[("", CHOOSE), *RightKind.choices])
    region = forms.ModelChoiceField(
        label=_("纠纷发生地"),
        queryset=Region.objects.none(),
        empty_label=CHOOSE,
        required=False,
        help_text=_("不选则为调解组织所在地。"),
    )
    title = forms.CharField(label=_("纠纷事由"), max_length=200)
    facts = forms.CharField(label=_("事实和理由"), widget=forms.Textarea(attrs={"rows": 6}))
    industry = forms.CharField(label=_("行业"), max_length=64, required=False)
    rights_text = forms.CharField(
        label=_("涉及的权利"),
        max_length=500,
        required=False,
        help_text=_("例如注册商标第 12345678 号、专利号。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = queries.online_organisations()
        self.fields["region"].queryset = Region.objects.filter(
            level__in=[RegionLevel.COUNTY, RegionLevel.CITY]
        ).order_by("code")


def rows_of(data: Any, prefix: str, names: tuple[str, ...], count: int) -> list[dict[str, str]]:
    """The repeated inputs ``<prefix>_<name>`` as up to ``count`` rows; empty rows are kept so
    that the page shows what was typed where it was typed."""
    columns = {name: data.getlist(f"{prefix}_{name}")[:count] for name in names}
    length = max((len(values) for values in columns.values()), default=0)
    rows = []
    for i in range(length):
        rows.append(
            {
                name: str(columns[name][i]).strip() if i < len(columns[name]) else ""
                for name in names
            }
        )
    return rows


def filled(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    return [row for row in rows if any(row.values())]


def padded(rows: list[dict[str, str]], names: tuple[str, ...], count: int) -> list[dict[str, str]]:
    rows = list(rows)[:count]
    while len(rows) < count:
        rows.append(dict.fromkeys(names, ""))
    return rows


# --- actions ----------------------------------------------------------------------------------


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ConsentForm(ReasonForm):
    party_id = forms.IntegerField(
        label=_("被申请人"), required=False, min_value=1, max_value=2**31 - 1
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("说明"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class EmptyForm(forms.Form):
    pass


class MediatorChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        load = f"{obj.active_count}/{obj.max_load}"
        return f"{obj.name}（{load}）" if obj.available else f"{obj.name}（{load}，×）"


class AssignForm(forms.Form):
    mediator = MediatorChoice(
        label=_("调解员"), queryset=queries.Mediator.objects.none(), empty_label=CHOOSE
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mediator"].queryset = queries.mediators_of(organisation)


class ExtendForm(forms.Form):
    until = forms.DateField(label=_("延长至"), widget=forms.DateInput(attrs={"type": "date"}))
    parties_agree = forms.BooleanField(label=_("各方当事人均同意延长"), required=False)


class ConfirmationApplyForm(forms.Form):
    court = forms.ModelChoiceField(
        label=_("人民法院"), queryset=queries.courts(), required=False, empty_label=CHOOSE
    )
    concerns_ownership = forms.BooleanField(
        label=_("协议内容涉及知识产权的权属或效力"),
        required=False,
        help_text=_("涉及确权的调解协议不能申请司法确认。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["court"].queryset = queries.courts()


class ApprovalForm(forms.Form):
    approval = forms.CharField(
        label=_("院长批准情况"), max_length=500, required=False, widget=forms.TextInput()
    )


class RulingForm(forms.Form):
    ruling_number = forms.CharField(label=_("裁定书案号"), max_length=64, required=False)
    ruling_text = forms.CharField(
        label=_("裁定内容"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CommissionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.unit.name


class ReferForm(forms.Form):
    commission = CommissionChoice(
        label=_("仲裁委员会"), queryset=Organisation.objects.none(), empty_label=CHOOSE
    )
    clause = forms.CharField(
        label=_("仲裁协议或仲裁条款"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commission"].queryset = queries.commissions()


class AwardForm(forms.Form):
    award_number = forms.CharField(label=_("裁决书编号"), max_length=64, required=False)
    award_summary = forms.CharField(
        label=_("裁决结果"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    award_on = forms.DateField(label=_("裁决日期"), widget=forms.DateInput(attrs={"type": "date"}))


# The form of each action offered on the dispute page (``agree`` comes from the signatures).
ACTION_FORMS: dict[str, type[forms.Form]] = {
    Action.ACCEPT: EmptyForm,
    Action.DECLINE: ReasonForm,
    Action.CONSENT: ConsentForm,
    Action.REFUSE: ConsentForm,
    Action.ASSIGN: AssignForm,
    Action.RECUSE: ReasonForm,
    Action.FAIL: ReasonForm,
    Action.WITHDRAW: ReasonForm,
    Action.EXTEND: ExtendForm,
    Action.APPLY_CONFIRMATION: ConfirmationApplyForm,
    Action.ACCEPT_CONFIRMATION: EmptyForm,
    Action.EXTEND_CONFIRMATION: ApprovalForm,
    Action.CONFIRM: RulingForm,
    Action.REJECT_CONFIRMATION: RulingForm,
    Action.REFER_ARBITRATION: ReferForm,
    Action.RECORD_AWARD: AwardForm,
    Action.PERFORMED: NoteForm,
    Action.NOT_PERFORMED: NoteForm,
}


def action_form(action: str, dispute: Any, data: Any = None) -> forms.Form:
    cls = ACTION_FORMS[action]
    kwargs: dict[str, Any] = {"auto_id": f"id_{action}_%s", "prefix": None}
    if cls is AssignForm:
        kwargs["organisation"] = dispute.organisation
    return cls(data, **kwargs)
