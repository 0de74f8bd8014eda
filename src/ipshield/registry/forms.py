"""Forms of the registry pages (market entities, right verification)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ipshield.accounts.models import Region
from ipshield.registry.models import EntityKind


class EntityForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=200)
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=40, required=False)
    kind = forms.ChoiceField(label=_("主体类型"), choices=EntityKind.choices)
    legal_representative = forms.CharField(
        label=_("法定代表人/经营者"), max_length=64, required=False
    )
    address = forms.CharField(label=_("住所"), max_length=200, required=False)
    region = forms.ModelChoiceField(
        label=_("所在区划"),
        queryset=Region.objects.order_by("code"),
        required=False,
        empty_label=_("— 请选择 —"),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("未通过原因"), max_length=200)
