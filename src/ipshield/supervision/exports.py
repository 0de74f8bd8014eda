"""The ledger of measures (台账) as files: Excel and PDF in the shape a county office sends
upwards, and JSON for the city's or the province's system.

>>> data, content_type, filename = ledger_file(plan, "xlsx")

Excel and PDF are documents the office issues, in Chinese whatever the reader's language (like
the case documents); the JSON carries stable codes and labels in the reader's language. Its
schema (``ipshield.supervision.ledger``, version 1) is documented in docs/api.md.

The PDF goes through the one document generator: the kind ``supervision_ledger`` (subject
``plan``) and its layout ``templates/supervision/forms/supervision_ledger.xml`` (an administrator
may replace it like any layout), rendered by ``documents.render``.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipshield.common.errors import NotFound
from ipshield.documents import layouts, registry, render
from ipshield.documents.case_kinds import cn_date
from ipshield.supervision import selectors
from ipshield.supervision.models import (
    AssignmentRole,
    Plan,
    ReportStatus,
)
from ipshield.supervision.status import LIGHT_ORDER, Light

__all__ = ["FORMATS", "LEDGER_KIND", "attachment_header", "ledger_data", "ledger_file"]

FORMATS = ("xlsx", "pdf", "json")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "json": "application/json",
}
SCHEMA = "ipshield.supervision.ledger"
SCHEMA_VERSION = 1
# Beside the app's page templates, so that the package data ships it (pyproject: templates/**).
FORMS_DIR = Path(__file__).resolve().parent / "templates" / "supervision" / "forms"
DOCUMENT_LANGUAGE = "zh-hans"  # the ledger is a document the office issues

# Excel fills per light: red, amber, green, blue; no fill for measures without a deadline.
FILLS = {
    Light.OVERDUE: "FFC7CE",
    Light.DUE_SOON: "FFEB9C",
    Light.ON_TRACK: "C6EFCE",
    Light.DONE: "DDEBF7",
    Light.UNSCHEDULED: "EDEDED",
}
COLUMNS = [  # header, width in characters
    (gettext_lazy("序号"), 6),
    (gettext_lazy("任务措施"), 44),
    (gettext_lazy("责任单位（牵头/配合）"), 28),
    (gettext_lazy("完成时限"), 16),
    (gettext_lazy("工作进展"), 50),
    (gettext_lazy("完成状态"), 11),
]


# --- the rows, as the documents print them


@dataclass
class Line:
    """One measure of the ledger as printed in the Excel and PDF documents."""

    serial: int
    section: str
    task: str
    units: str
    due: str
    progress: str
    light: str
    status: str


def _units_text(lead: list[str], other: list[str]) -> str:
    if lead:
        text = _("牵头：%(units)s") % {"units": "、".join(lead)}
        if other:
            text += "\n" + _("配合：%(units)s") % {"units": "、".join(other)}
        return text
    return "、".join(other)


def _lines(plan: Plan, today: dt.date) -> list[Line]:
    lines = []
    for row in selectors.ledger(plan=plan, today=today):
        measure = row.measure
        if measure.deadline_printed:
            due = measure.deadline_printed
        elif measure.due_on:
            due = cn_date(measure.due_on)
        else:
            due = "—"
        if measure.done_on:
            due += "\n" + _("（%(date)s完成）") % {"date": cn_date(measure.done_on)}
        lines.append(
            Line(
                serial=measure.order,
                section=measure.section,
                task=f"{measure.number}{measure.title}",
                units=_units_text(row.lead_units, row.other_units),
                due=due,
                progress=row.progress,
                light=row.light,
                status=row.status,
            )
        )
    return lines


def _sections(lines: list[Line]) -> list[tuple[str, list[Line]]]:
    grouped: list[tuple[str, list[Line]]] = []
    for line in lines:
        if not grouped or grouped[-1][0] != line.section:
            grouped.append((line.section, []))
        grouped[-1][1].append(line)
    return grouped


def _title(plan: Plan) -> str:
    return _("%(plan)s工作台账") % {"plan": plan.title}


# --- filenames


_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|\s]+')


def _filename(plan: Plan, today: dt.date, fmt: str) -> str:
    """The file's name for people: the plan's title and the day, nothing a file system or a
    header would refuse."""
    stem = _UNSAFE.sub("", plan.title)[:80] or "plan"
    return f"{stem}-{_('工作台账')}-{today.isoformat()}.{fmt}"


def attachment_header(filename: str) -> str:
    """A ``Content-Disposition`` value: an ASCII ``filename`` for old clients plus the UTF-8
    name as ``filename*`` (RFC 6266).

    >>> attachment_header("保德县实施方案-工作台账-2026-12-07.xlsx")
    'attachment; filename="ledger-2026-12-07.xlsx"; filename*=UTF-8\\'\\'%E4%BF%9D%E5%BE%B7...'
    """
    kept = re.sub(r"[^A-Za-z0-9._-]+", "", filename).lstrip("-._")
    ascii_name = f"ledger-{kept}" if kept else "ledger"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


# --- JSON


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def ledger_data(plan: Plan, today: dt.date | None = None) -> dict[str, Any]:
    """The ledger as the JSON export's object (schema ``ipshield.supervision.ledger`` v1);
    labels in the active language."""
    today = today or timezone.localdate()
    board = selectors.dashboard(plan=plan, today=today)
    latest = selectors.latest_reports(plan=plan)
    measures = []
    for _section, rows in board.sections:
        for row in rows:
            measure = row.measure
            report = latest.get(measure.pk)
            measures.append(
                {
                    "id": measure.pk,
                    "order": measure.order,
                    "number": measure.number,
                    "section": measure.section,
                    "title": measure.title,
                    "due_kind": measure.due_kind,
                    "due_on": _day(measure.due_on),
                    "deadline_printed": measure.deadline_printed,
                    "done_on": _day(measure.done_on),
                    "status": row.light,
                    "status_label": row.label,
                    "units": [
                        {
                            "assignment_id": arow.assignment.pk,
                            "unit_id": arow.assignment.unit_id,
                            "unit_name": arow.assignment.unit.name,
                            "role": arow.assignment.role,
                            "role_label": str(AssignmentRole(arow.assignment.role).label),
                            "cycle": arow.assignment.cycle or None,
                            "status": arow.light,
                            "status_label": arow.state.label,
                            "due_on": _day(arow.state.due_on),
                            "days_left": arow.state.days,
                            "done_on": _day(arow.assignment.done_on),
                        }
                        for arow in row.rows
                    ],
                    "latest_report": (
                        {
                            "id": report.pk,
                            "unit_id": report.assignment.unit_id,
                            "unit_name": report.assignment.unit.name,
                            "period": report.period,
                            "period_end": report.period_end.isoformat(),
                            "narrative": report.narrative,
                            "share_done": report.share_done,
                            "completes": report.completes,
                            "status": report.status,
                            "status_label": str(ReportStatus(report.status).label),
                            "submitted_at": report.submitted_at.isoformat(),
                        }
                        if report is not None
                        else None
                    ),
                }
            )
    return {
        "schema": SCHEMA,
        "version": SCHEMA_VERSION,
        "generated_at": timezone.now().isoformat(),
        "as_of": today.isoformat(),
        "plan": {
            "id": plan.pk,
            "title": plan.title,
            "year": plan.year,
            "region_code": plan.region_id,
            "region_name": plan.region.name,
            "office_unit": {"id": plan.office_unit_id, "name": plan.office_unit.name},
            "status": plan.status,
            "status_label": plan.get_status_display(),
            "report_cycle": plan.report_cycle,
            "published_at": plan.published_at.isoformat() if plan.published_at else None,
            "closed_through": _day(plan.closed_through),
        },
        "statuses": [{"code": light, "label": str(Light(light).label)} for light in LIGHT_ORDER],
        "counts": dict(board.counts),
        "measures": measures,
    }


# --- Excel


def _xlsx(plan: Plan, today: dt.date) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = _("工作台账")
    last = get_column_letter(len(COLUMNS))
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    centre = Alignment(wrap_text=True, vertical="center", horizontal="center")

    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"] = _title(plan)
    sheet["A1"].font = Font(name="宋体", size=16, bold=True)
    sheet["A1"].alignment = centre
    sheet.row_dimensions[1].height = 36
    sheet.merge_cells(f"A2:{last}2")
    sheet["A2"] = _("填报单位：%(unit)s　　截至：%(date)s") % {
        "unit": plan.office_unit.name,
        "date": cn_date(today),
    }
    sheet["A2"].alignment = Alignment(horizontal="right", vertical="center")
    for index, (header, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=3, column=index, value=str(header))
        cell.font = Font(name="宋体", bold=True)
        cell.alignment = centre
        cell.border = border
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A4"
    sheet.print_title_rows = "3:3"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True

    row_number = 4
    for section, lines in _sections(_lines(plan, today)):
        if section:
            sheet.merge_cells(f"A{row_number}:{last}{row_number}")
            cell = sheet.cell(row=row_number, column=1, value=section)
            cell.font = Font(name="宋体", bold=True)
            cell.alignment = Alignment(vertical="center")
            for index in range(1, len(COLUMNS) + 1):
                sheet.cell(row=row_number, column=index).border = border
            row_number += 1
        for line in lines:
            values = [line.serial, line.task, line.units, line.due, line.progress, line.status]
            for index, value in enumerate(values, start=1):
                cell = sheet.cell(row=row_number, column=index, value=value)
                cell.border = border
                cell.font = Font(name="宋体")
                cell.alignment = centre if index in (1, 4, 6) else wrap
            status = sheet.cell(row=row_number, column=len(COLUMNS))
            status.fill = PatternFill("solid", fgColor=FILLS.get(line.light, "FFFFFF"))
            status.font = Font(name="宋体", bold=line.light == Light.OVERDUE)
            row_number += 1
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- PDF (the document generator)


@dataclass(frozen=True)
class LedgerSubject:
    """What the ledger document is about: a plan, as of a day."""

    plan: Plan
    today: dt.date


def ledger_context(subject: LedgerSubject) -> dict[str, Any]:
    lines = _lines(subject.plan, subject.today)
    return {
        "plan": subject.plan,
        "title": _title(subject.plan),
        "unit": subject.plan.office_unit,
        "date": cn_date(subject.today),
        "headers": [str(header) for header, _width in COLUMNS],
        "sections": _sections(lines),
        "count": len(lines),
    }


LEDGER_KIND = registry.DocumentKind(
    code="supervision_ledger",
    title=gettext_lazy("工作台账"),
    template="supervision_ledger.xml",
    build=ledger_context,
    subject="plan",
    order=10,
)
registry.add_forms_dir(FORMS_DIR)
registry.register(LEDGER_KIND)


def _pdf(plan: Plan, today: dt.date) -> bytes:
    layout = layouts.fill(LEDGER_KIND, ledger_context(LedgerSubject(plan, today)))
    return render.to_pdf(layout)


# --- the one entry point


def ledger_file(plan: Plan, fmt: str, today: dt.date | None = None) -> tuple[bytes, str, str]:
    """The ledger of ``plan`` as ``fmt`` (``xlsx``, ``pdf`` or ``json``): its bytes, content
    type and file name (UTF-8; :func:`attachment_header` makes the header). Any other format
    is refused (``NotFound`` on ``format``)."""
    if fmt not in FORMATS:
        raise NotFound(_("没有这种导出格式：请选择 xlsx、pdf 或 json。"), field="format")
    today = today or timezone.localdate()
    plan = Plan.objects.select_related("office_unit", "region").get(pk=plan.pk)
    if fmt == "json":
        data = json.dumps(ledger_data(plan, today), ensure_ascii=False, indent=1).encode()
        with translation.override(DOCUMENT_LANGUAGE):
            name = _filename(plan, today, fmt)
        return data, CONTENT_TYPES[fmt], name
    with translation.override(DOCUMENT_LANGUAGE):
        data = _xlsx(plan, today) if fmt == "xlsx" else _pdf(plan, today)
        name = _filename(plan, today, fmt)
    return data, CONTENT_TYPES[fmt], name
