"""The audit-log filter, shared by the page and the export."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ipshield.accounts.models import Unit
from ipshield.audit.models import Verb
from ipshield.audit.selectors import AuditFilters, target_types


class AuditFilterForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("操作单位"),
        queryset=Unit.objects.order_by("region_id", "name"),
        required=False,
        empty_label=_("全部"),
    )
    person = forms.CharField(
        label=_("操作人"),
        required=False,
        max_length=150,
        help_text=_("用户名，或姓名中的字。"),
    )
    verb = forms.ChoiceField(label=_("事件"), required=False)
    target_type = forms.ChoiceField(label=_("对象类型"), required=False)
    target_id = forms.CharField(label=_("对象编号"), required=False, max_length=64)
    since = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("全部"))]
        self.fields["verb"].choices = everything + list(Verb.choices)
        types = target_types()
        chosen = self.data.get("target_type", "") if self.is_bound else ""
        if chosen and chosen not in dict(types):
            types.append((chosen, chosen))  # a type with no events yet: still a valid question
        self.fields["target_type"].choices = everything + types

    def clean_target_type(self) -> str:
        value = self.cleaned_data.get("target_type", "")
        if value and not all(part.isidentifier() for part in value.split(".", 1)):
            raise forms.ValidationError(_("对象类型应形如 cases.case。"))
        return value

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("截止日期不能早于起始日期。"))
        return cleaned

    def filters(self) -> AuditFilters:
        data = self.cleaned_data
        return AuditFilters(
            unit_id=data["unit"].pk if data.get("unit") else None,
            person=data.get("person", "").strip(),
            verb=data.get("verb", ""),
            target_type=data.get("target_type", ""),
            target_id=data.get("target_id", "").strip(),
            since=data.get("since"),
            until=data.get("until"),
        )
