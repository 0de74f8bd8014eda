"""Forms of the monitoring pages. They parse input only; services decide and name the field of
any refusal (``common.forms.add_domain_error`` shows it next to that field)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

_PRICE = {"inputmode": "decimal", "size": 10}


class MarkSearchForm(forms.Form):
    q = forms.CharField(label=_("商标名称"), max_length=100)
    classes = forms.CharField(
        label=_("尼斯分类"),
        required=False,
        help_text=_("只看这些类别，多个用逗号分隔；不填为全部。"),
    )


class WatchMarkForm(forms.Form):
    name = forms.CharField(label=_("商标名称"), max_length=100)
    nice_classes = forms.CharField(
        label=_("尼斯分类"), required=False, help_text=_("多个用逗号分隔；不填则在全部类别监测。")
    )
    categories = forms.CharField(label=_("商品类别"), required=False, max_length=200)
    price_min = forms.CharField(
        label=_("参考价下限（元）"), required=False, widget=forms.TextInput(attrs=_PRICE)
    )
    price_max = forms.CharField(
        label=_("参考价上限（元）"), required=False, widget=forms.TextInput(attrs=_PRICE)
    )
    note = forms.CharField(label=_("备注"), required=False, max_length=200)


class HolderMarkForm(forms.Form):
    right = forms.ModelChoiceField(
        label=_("已核验的注册商标"), queryset=None, empty_label=_("— 请选择 —")
    )
    categories = forms.CharField(
        label=_("商品类别"),
        required=False,
        max_length=200,
        help_text=_("例如：方便面、饮料、运动鞋。"),
    )
    price_min = forms.CharField(
        label=_("正品参考价下限（元）"),
        required=False,
        widget=forms.TextInput(attrs=_PRICE),
        help_text=_("远低于此价格的商品会提高风险分。"),
    )
    price_max = forms.CharField(
        label=_("正品参考价上限（元）"), required=False, widget=forms.TextInput(attrs=_PRICE)
    )

    def __init__(self, *args, rights=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["right"].queryset = rights
        self.fields["right"].label_from_instance = lambda r: (
            _("%(title)s（%(number)s，第 %(classes)s 类）")
            % {"title": r.title, "number": r.registration_number, "classes": r.classes_display}
        )


class DismissForm(forms.Form):
    reason = forms.CharField(
        label=_("排除理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("商品信息文件"),
        help_text=_("CSV（UTF-8 或 GB18030）或 JSON Lines；列说明见下方。"),
    )


class FeedForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    url = forms.CharField(
        label=_("地址"), max_length=500, help_text=_("返回 JSON 的 http(s) 地址。")
    )
    platform = forms.CharField(label=_("默认平台"), required=False, max_length=64)
    interval_minutes = forms.IntegerField(label=_("抓取间隔（分钟）"), initial=60, min_value=5)
