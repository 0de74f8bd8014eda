"""Forms of the supervision pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ipshield.portal.forms import MultipleFileField


def _area(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


# --- the leading group: meetings and major-incident reports

DECISION_ROWS = 5  # rows of decisions offered on the meeting form (empty rows are ignored)


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("会议名称"), max_length=200)
    held_on = forms.DateField(label=_("召开日期"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    agenda = forms.CharField(label=_("议题"), max_length=5000, widget=_area(3))
    minutes = forms.CharField(
        label=_("会议纪要"),
        max_length=20000,
        required=False,
        widget=_area(5),
    )
    attendees = forms.MultipleChoiceField(
        label=_("出席人员"), required=False, widget=forms.CheckboxSelectMultiple
    )
    files = MultipleFileField(label=_("附件（会议纪要扫描件等）"), required=False)

    def __init__(self, *args, seats=(), units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].choices = [
            (str(seat.pk), f"{seat.get_position_display()} {seat.person.display_name}")
            for seat in seats
        ]
        unit_choices = [("", "—")] + [(str(u.pk), u.name) for u in units]
        for row in range(1, DECISION_ROWS + 1):
            self.fields[f"d{row}_title"] = forms.CharField(
                label=_("议定事项 %(n)s") % {"n": row}, max_length=300, required=False
            )
            self.fields[f"d{row}_due_on"] = forms.DateField(
                label=_("完成期限"), required=False, widget=forms.DateInput(attrs={"type": "date"})
            )
            self.fields[f"d{row}_lead"] = forms.ChoiceField(
                label=_("牵头单位"), choices=unit_choices, required=False
            )
            self.fields[f"d{row}_support"] = forms.MultipleChoiceField(
                label=_("配合单位"),
                choices=unit_choices[1:],
                required=False,
                widget=forms.SelectMultiple(attrs={"size": 4}),
            )

    def decision_rows(self):
        """The bound fields of each decision row, for the template."""
        return [
            [self[f"d{row}_{name}"] for name in ("title", "due_on", "lead", "support")]
            for row in range(1, DECISION_ROWS + 1)
        ]

    def decisions(self) -> list[dict]:
        data = self.cleaned_data
        found = []
        for row in range(1, DECISION_ROWS + 1):
            title = data.get(f"d{row}_title") or ""
            lead = data.get(f"d{row}_lead") or ""
            support = data.get(f"d{row}_support") or []
            due_on = data.get(f"d{row}_due_on")
            if not (title or lead or support or due_on):
                continue
            units = ([(int(lead), "lead")] if lead else []) + [
                (int(u), "supporting") for u in support if u != lead
            ]
            found.append({"title": title, "due_on": due_on, "units": units, "row": row})
        return found


class IncidentForm(forms.Form):
    title = forms.CharField(label=_("事件名称"), max_length=200)
    occurred_on = forms.DateField(
        label=_("发生日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    description = forms.CharField(label=_("事件情况"), max_length=10000, widget=_area(5))
    measures_taken = forms.CharField(
        label=_("已采取的措施"),
        max_length=5000,
        required=False,
        widget=_area(3),
    )
    files = MultipleFileField(label=_("附件"), required=False)


class AcknowledgeForm(forms.Form):
    note = forms.CharField(label=_("签收意见"), max_length=500, required=False)
