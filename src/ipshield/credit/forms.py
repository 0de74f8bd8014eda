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
