"""Forms of the credit pages (parsing only; services name the field of any refusal)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class CheckForm(forms.Form):
    uscc = forms.CharField(label=_("统一社会信用代码"), required=False, max_length=40)
    name = forms.CharField(
        label=_("或：名称"), required=False, max_length=200, help_text=_("须与登记名称一致。")
    )
    purpose = forms.CharField(
        label=_("查询事由"),
        max_length=200,
        help_text=_("例如：2026 年度农业产业化补贴资格审核。查询会被记录。"),
    )


class RepairForm(forms.Form):
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=40)
    contact = forms.CharField(label=_("联系人及电话"), max_length=100)
    statement = forms.CharField(
        label=_("整改情况说明"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("说明已停止侵权、履行处罚、赔偿损失和建立合规制度等情况。"),
    )
    proof = forms.FileField(label=_("整改证明材料"), help_text=_("PDF 或图片。"))


class RepairDecisionForm(forms.Form):
    opinion = forms.CharField(label=_("审核意见"), widget=forms.Textarea(attrs={"rows": 3}))
