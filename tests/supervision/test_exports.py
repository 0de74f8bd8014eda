"""The ledger of measures (台账) as Excel, PDF (the document generator) and JSON."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.utils import timezone, translation
from openpyxl import load_workbook

from ipshield.common.errors import NotFound
from ipshield.documents import registry
from ipshield.supervision import exports, services
from ipshield.supervision.imports import plan_preview
from ipshield.supervision.models import Assignment, PlanStatus, ReportStatus
from ipshield.supervision.status import Light, period_of
from tests.pdftext import pdf_text
from tests.supervision.factories import small_plan


def _county_plan(world, county_text):
    preview = plan_preview(county_text, region=world.county)
    choices = {c.printed: [] for c in preview.choices if not c.certain}
    plan = services.plan_import(actor=world.officer, text=county_text, choices=choices)
    return services.plan_publish(actor=world.officer, plan=plan)


def _report(world, plan, narrative="已建立快速处理机制，受理投诉12件。"):
    mine = Assignment.objects.get(measure__plan=plan, unit=world.culture, due_on__isnull=False)
    return services.report_submit(
        actor=world.officer_culture,
        assignment=mine,
        period=period_of(timezone.localdate(), plan.report_cycle),
        narrative=narrative,
        share_done=40,
    )


def test_excel_has_every_measure_units_and_status_words(world, county_text):
    plan = _county_plan(world, county_text)
    data, content_type, filename = exports.ledger_file(plan, "xlsx", today=dt.date(2026, 12, 7))
    assert content_type.endswith("spreadsheetml.sheet")
    assert filename.endswith("-2026-12-07.xlsx") and "工作台账" in filename
    sheet = load_workbook(io.BytesIO(data)).active
    assert plan.title in sheet["A1"].value and "工作台账" in sheet["A1"].value
    assert "2026年12月7日" in sheet["A2"].value
    headers = [sheet.cell(row=3, column=c).value for c in range(1, 7)]
    assert headers == [
        "序号",
        "任务措施",
        "责任单位（牵头/配合）",
        "完成时限",
        "工作进展",
        "完成状态",
    ]
    assert sheet.freeze_panes == "A4"
    assert sheet.cell(row=3, column=1).font.bold
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["A"].width
    text = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=4)]
    measure_rows = [row for row in text if isinstance(row[0], int)]
    assert [row[0] for row in measure_rows] == list(range(1, 24))
    for measure in plan.measures.all():
        assert any(measure.title in (row[1] or "") for row in measure_rows), measure.title
    # grouped by section: the section headings are rows of their own
    sections = {m.section for m in plan.measures.all() if m.section}
    assert sections <= {row[0] for row in text if isinstance(row[0], str)}
    statuses = {row[5] for row in measure_rows}
    assert statuses <= {"已逾期", "即将到期", "正常推进", "已完成", "未定期限"}
    assert "已逾期" in statuses  # the county plan's 2020/2021 deadlines have passed
    assert any("保德县市场监督管理局" in (row[2] or "") for row in measure_rows)
    overdue = next(row for row in sheet.iter_rows(min_row=4) if row[5].value == "已逾期")
    assert overdue[5].fill.fgColor.rgb.endswith(exports.FILLS["overdue"])
    assert overdue[1].alignment.wrap_text and overdue[1].border.left.style == "thin"


def test_excel_and_pdf_are_chinese_documents_in_any_language(world):
    plan = small_plan(world)
    _report(world, plan)
    with translation.override("en"):
        data, _type, filename = exports.ledger_file(plan, "xlsx")
        pdf, pdf_type, _name = exports.ledger_file(plan, "pdf")
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.cell(row=3, column=2).value == "任务措施"
    progress = [row[4].value for row in sheet.iter_rows(min_row=4) if row[4].value]
    assert any("受理投诉12件" in value for value in progress)
    assert "工作台账" in filename
    assert pdf_type == "application/pdf"
    assert "完成状态" in pdf_text(pdf).replace("\n", "")


def test_pdf_goes_through_the_document_generator(world, county_text):
    plan = _county_plan(world, county_text)
    data, content_type, filename = exports.ledger_file(plan, "pdf", today=dt.date(2026, 12, 7))
    assert data.startswith(b"%PDF") and content_type == "application/pdf"
    assert filename.endswith(".pdf")
    text = pdf_text(data).replace("\n", "")
    first = plan.measures.get(order=1)
    assert first.title[:10] in text
    assert "工作台账" in text and "完成状态" in text and "已逾期" in text
    kind = registry.get("supervision_ledger")
    assert kind is not None and kind.subject == "plan"
    assert kind not in registry.kinds("case")  # never offered on a case
    # shipped as package data (pyproject: templates/**), not beside the code
    assert exports.FORMS_DIR.parts[-3:] == ("templates", "supervision", "forms")


def test_json_schema(world):
    plan = small_plan(world)
    report = _report(world, plan)
    with translation.override("en"):
        data, content_type, filename = exports.ledger_file(plan, "json")
        labels = {
            "plan": str(PlanStatus.PUBLISHED.label),
            "on_track": str(Light.ON_TRACK.label),
            "submitted": str(ReportStatus.SUBMITTED.label),
        }
    assert content_type == "application/json" and filename.endswith(".json")
    body = json.loads(data)
    assert body["schema"] == "ipshield.supervision.ledger" and body["version"] == 1
    assert body["generated_at"] and body["as_of"] == timezone.localdate().isoformat()
    assert body["plan"] == {
        "id": plan.pk,
        "title": plan.title,
        "year": plan.year,
        "region_code": "140931",
        "region_name": "保德县",
        "office_unit": {"id": world.market.pk, "name": "保德县市场监督管理局"},
        "status": "published",
        "status_label": labels["plan"],
        "report_cycle": "quarter",
        "published_at": plan.published_at.isoformat(),
        "closed_through": None,
    }
    first, second = body["measures"]
    assert first["number"] == "（一）" and first["section"] == "一、重点任务"
    assert first["due_on"] == "2099-12-31" and first["deadline_printed"] == "2099年12月31日"
    assert first["status"] == "on_track" and first["status_label"] == labels["on_track"]
    units = {u["unit_name"]: u for u in first["units"]}
    culture = units["保德县文化和旅游局"]
    assert culture["role"] == "responsible" and culture["status"] == "on_track"
    assert culture["due_on"] == "2099-12-31" and culture["days_left"] > 0
    latest = first["latest_report"]
    assert latest["id"] == report.pk and latest["period"] == report.period
    assert latest["share_done"] == 40 and "受理投诉" in latest["narrative"]
    assert latest["status_label"] == labels["submitted"]
    assert second["due_on"] is None and second["due_kind"] == "ongoing"
    assert second["latest_report"] is None
    assert {s["code"] for s in body["statuses"]} == set(body["counts"])


def test_other_formats_are_not_found(world):
    plan = small_plan(world)
    for fmt in ("docx", "", "XLSX", "../etc"):
        with pytest.raises(NotFound) as refused:
            exports.ledger_file(plan, fmt)
        assert refused.value.field == "format"


def test_attachment_header_is_ascii_with_the_utf8_name():
    header = exports.attachment_header("保德县实施方案-工作台账-2026-12-07.xlsx")
    header.encode("ascii")
    assert header.startswith("attachment; filename=\"ledger-2026-12-07.xlsx\"; filename*=UTF-8''")
    assert "%E4%BF%9D" in header


def test_filename_drops_what_a_header_or_file_system_refuses(world):
    plan = small_plan(world)
    plan.title = '方案/"测试"\r\n:*?'
    plan.save()
    _data, _type, filename = exports.ledger_file(plan, "json", today=dt.date(2026, 1, 2))
    assert filename == "方案测试-工作台账-2026-01-02.json"
