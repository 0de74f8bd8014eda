"""Forms of the plan supervision pages. Lenient on purpose (like the case pages): only types —
a date, a choice, a file — are checked here; the services decide the rest and their refusals
are shown next to the field they name (``common.forms.add_domain_error``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ipshield.accounts.models import Unit
from ipshield.supervision.models import AssignmentRole, Cycle

MAX_PLAN_FILE = 5 * 1024 * 1024  # bytes: a plan of 100 pages is well under a megabyte


def _area(label: Any, *, rows: int = 3, max_length: int = 5000) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _date(label: Any, *, required: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("请填写日期。"),
            "invalid": _("请填写日期，格式如 2026-05-01。"),
        },
    )


def _cycle_field(label: Any, *, required: bool = True, blank_label: Any = None) -> forms.Field:
    choices = list(Cycle.choices)
    if blank_label is not None:
        choices = [("", blank_label), *choices]
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=required,
        error_messages={"invalid_choice": _("报送周期应为每月、每季度、每半年或每年。")},
    )


class ImportForm(forms.Form):
    """Step 1 of the import: the plan's text, pasted or as a file."""

    title = forms.CharField(
        label=_("方案名称"),
        required=False,
        max_length=200,
        help_text=_("不填则使用文件中的标题。"),
    )
    text = forms.CharField(
        label=_("粘贴方案全文"),
        required=False,
        max_length=400_000,
        widget=forms.Textarea(attrs={"rows": 12}),
    )
    file = forms.FileField(
        label=_("或上传文件"),
        required=False,
        help_text=_("文本文件（.txt）、Word 文档（.docx）或带文字层的 PDF，不超过 5 MB。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.docx,.pdf"}),
    )
    report_cycle = _cycle_field(_("报送周期"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > MAX_PLAN_FILE:
            raise forms.ValidationError(_("文件不能超过 5 MB。"))
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors and not (data.get("text") or "").strip() and not data.get("file"):
            self.add_error("text", _("请粘贴方案全文或上传文件。"))
        return data


class SettingsForm(forms.Form):
    reminder_days = forms.CharField(
        label=_("到期前提醒（天）"),
        max_length=60,
        help_text=_("用逗号分隔，如 30,7,3。"),
        error_messages={"required": _("请填写此项。")},
    )
    escalation_days = forms.CharField(
        label=_("逾期督办（逾期天数）"),
        max_length=60,
        help_text=_("一级、二级、三级督办的逾期天数，如 1,15,30。"),
        error_messages={"required": _("请填写此项。")},
    )
    report_cycle = _cycle_field(_("报送周期"))


class CloseForm(forms.Form):
    through = _date(_("关闭报送期截至"), required=True)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return obj.name


class AssignForm(forms.Form):
    unit = UnitChoiceField(
        label=_("责任单位"),
        queryset=Unit.objects.none(),
        empty_label=_("— 请选择 —"),
        error_messages={
            "required": _("请选择单位。"),
            "invalid_choice": _("请选择列表中的单位。"),
        },
    )
    role = forms.ChoiceField(
        label=_("分工"),
        choices=AssignmentRole.choices,
        initial=AssignmentRole.RESPONSIBLE,
        error_messages={"invalid_choice": _("分工应为牵头、配合或责任单位。")},
    )
    due_on = _date(_("完成期限"))
    cycle = _cycle_field(_("报送周期"), required=False, blank_label=_("— 按方案 —"))

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["due_on"].help_text = _("不填则按任务的完成期限；长期任务按报送周期报送。")


class UnassignForm(forms.Form):
    assignment = forms.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        widget=forms.HiddenInput,
        error_messages={
            "required": _("请选择要取消的分工。"),
            "invalid": _("请选择要取消的分工。"),
            "min_value": _("请选择要取消的分工。"),
            "max_value": _("请选择要取消的分工。"),
        },
    )


class CompleteForm(forms.Form):
    note = _area(_("完成说明"), rows=2, max_length=500)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files; each is checked by the service (``evidence.services.check_upload``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, (list, tuple)):
            return list(data)
        return [data] if data else []


class ReportForm(forms.Form):
    """A unit's progress report; ``periods`` are the periods it may still report."""

    period = forms.CharField(
        label=_("报送期"),
        max_length=16,
        error_messages={"required": _("请选择报送期。")},
    )
    narrative = _area(_("进展情况"), rows=4)
    milestones = _area(_("完成的节点"), rows=2, max_length=2000)
    share_done = forms.CharField(label=_("完成比例（%）"), required=False, max_length=8)
    completes = forms.BooleanField(label=_("任务已完成"), required=False)
    files = MultipleFileField(
        label=_("佐证材料"),
        required=False,
        help_text=_("可选多个文件，存入证据账本；报告任务已完成时必须附上。"),
    )

    def __init__(self, *args: Any, periods: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].widget = forms.Select(choices=periods)


class ReviewForm(forms.Form):
    note = _area(_("审核意见"), rows=2, max_length=500)


def _textarea(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


# --- the leading group: meetings and major-incident reports

DECISION_ROWS = 5  # rows of decisions offered on the meeting form (empty rows are ignored)


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("会议名称"), max_length=200)
    held_on = forms.DateField(label=_("召开日期"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    agenda = forms.CharField(label=_("议题"), max_length=5000, widget=_textarea(3))
    minutes = forms.CharField(
        label=_("会议纪要"),
        max_length=20000,
        required=False,
        widget=_textarea(5),
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
    description = forms.CharField(label=_("事件情况"), max_length=10000, widget=_textarea(5))
    measures_taken = forms.CharField(
        label=_("已采取的措施"),
        max_length=5000,
        required=False,
        widget=_textarea(3),
    )
    files = MultipleFileField(label=_("附件"), required=False)


class AcknowledgeForm(forms.Form):
    note = forms.CharField(label=_("签收意见"), max_length=500, required=False)
