"""Documents generated from a case driven through the real procedure, read back from the PDF
and the DOCX."""

from __future__ import annotations

import io

import docx
import pytest

from ipshield.cases import procedure, walkthrough
from ipshield.cases.models import Case, CaseEvent, CaseEventVerb
from ipshield.documents import registry, selectors, services
from ipshield.documents.case_kinds import cn_date
from ipshield.documents.models import CaseDocument
from ipshield.evidence.models import EvidenceItem
from tests.documents.conftest import ADDRESS, heard_case
from tests.pdftext import pdf_text

PARTY = "保德县某商贸有限公司"


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    parts.extend(p.text for p in document.sections[0].footer.paragraphs)
    return "\n".join(parts)


def _read(document: CaseDocument) -> str:
    with document.file.open("rb") as fh:
        data = fh.read()
    text = pdf_text(data) if document.format == "pdf" else docx_text(data)
    return text.replace("\n", "")


def _expected(case: Case) -> dict[str, list[str]]:
    decided = cn_date(case.decided_at)
    return {
        "source_register": ["案件来源登记表", case.number, PARTY, "投诉", "86,000.00", ADDRESS],
        "opening_approval": ["立案（不予立案）审批表", "拟立案", "符合立案条件", "同意立案"],
        "investigation_report": [
            "调查终结报告",
            walkthrough.FACTS,
            "商标法》第五十七条",
            "人民币50,000.00元",
            "吊销许可证件",
        ],
        "inquiry_record": ["询问笔录", "王明、李强", "张三", "从外地批发市场购进", "第五十五条"],
        "inspection_record": ["现场笔录", "县城东街 8 号门店", "红枣礼盒 200 盒"],
        "seizure_decision": [
            "实施行政强制措施决定书（扣押）",
            PARTY,
            "红枣礼盒 200 盒",
            "共30日",
            "第二十五条",
        ],
        "case_review": ["案件审核表", "审核意见", "法制审核意见", walkthrough.FACTS],
        "collective_discussion": ["集体讨论记录", "局长、分管副局长", "同意拟处理意见。"],
        "prior_notice": [
            "行政处罚告知书",
            f"{PARTY}：",
            "五个工作日内",
            "陈述、申辩",
            "有权要求听证",
            "第六十三条、第六十四条",
        ],
        "hearing_notice": ["听证通知书", "县局三楼听证室", "王主持", "申请回避"],
        "hearing_record": ["听证笔录", "当事人到场陈述申辩", "建议维持拟处理意见。"],
        "decision": [
            "行政处罚决定书",
            case.decision_number,
            PARTY,
            ADDRESS,
            walkthrough.FACTS,
            "商标法》第五十七条",
            "人民币50,000.00元",
            "十五日内",
            "第六十七条",
            "百分之三",
            "第七十二条",
            "六十日内向保德县人民政府申请行政复议",
            "行政复议法》第二十条",
            "六个月内依法向保德县人民法院提起行政诉讼",
            "行政诉讼法》第四十六条",
            "保德县市场监督管理局",
            decided,
            "（印章）",
        ],
        "service_receipt": ["送达回证", "行政处罚告知书", "行政处罚决定书", "直接送达"],
        "closing_approval": [
            "结案审批表",
            case.decision_number,
            "同意结案",
            "已缴纳人民币50,000.00元",
        ],
    }


def test_every_kind_is_generated_as_pdf_and_docx_from_a_case_through_the_procedure(
    world, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    case = Case.objects.get(pk=heard_case(world).pk)
    item = EvidenceItem.objects.get(case=case)
    expected = _expected(case)
    expected["evidence_list"] = ["证据清单", PARTY, "进货单.txt", item.sha256, "共1项"]
    expected["investigation_report"] += ["进货单.txt", item.sha256]
    # The closed case filed in the archive: its cover and its index (generated last, so that
    # the index lists the documents generated before it).
    archive = procedure.run_step(procedure.ARCHIVE_CASE, world.officer, case, {})
    expected["archive_cover"] = ["卷宗封面", f"卷号：{archive.number}", PARTY, "长期"]
    expected["archive_index"] = ["卷内文件目录", archive.number, "进货单.txt", item.sha256]
    # Every kind but the simple procedure's own form (this case was decided under the ordinary
    # procedure), and each is offered.
    codes = {k.code for k in registry.kinds("case")}
    assert set(expected) == codes - {"on_the_spot_decision"}
    assert {row.code for row in selectors.kind_rows(case)} == set(expected)
    for code, values in expected.items():
        for fmt in ("pdf", "docx"):
            document = services.document_generate(
                actor=world.officer, case=case, kind=code, fmt=fmt
            )
            text = _read(document)
            absent = [v for v in values if v.replace("\n", "") not in text]
            assert not absent, (code, fmt, absent, text[:2000])
            assert document.source == "generated" and document.size == document.file.size
    assert CaseDocument.objects.filter(case=case).count() == 2 * len(expected)
    added = CaseEvent.objects.filter(case=case, verb=CaseEventVerb.DOCUMENT_ADDED)
    assert added.count() == 2 * len(expected)


def test_the_pdf_is_a4_with_the_authority_and_number(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = walkthrough.decide(
        _received(world),
        officer=world.officer,
        reviewer=world.reviewer,
        leader=world.leader,
        amount=3000,
        kinds=["fine"],
    )
    document = services.document_generate(
        actor=world.officer, case=case, kind="decision", fmt="pdf"
    )
    data = document.file.open("rb").read()
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in data  # A4 portrait
    assert b"STSong-Light" in data
    text = pdf_text(data)
    # The footer of every page: the issuing authority and the decision number.
    assert f"保德县市场监督管理局　{case.decision_number}" in text
    # A fine under the hearing threshold: the notice gives no hearing right, and says none.
    notice = services.document_generate(
        actor=world.officer, case=case, kind="prior_notice", fmt="pdf"
    )
    notice_text = _read(notice)
    assert "陈述、申辩" in notice_text and "要求听证" not in notice_text


def _received(world):
    from tests.cases.factories import receive

    return receive(world, infringer_address=ADDRESS)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_values_are_escaped_not_read_as_markup(world, settings, tmp_path, fmt):
    settings.MEDIA_ROOT = tmp_path
    case = _received(world)
    Case.objects.filter(pk=case.pk).update(description='<p>假</p> & "引号" </document>')
    document = services.document_generate(
        actor=world.officer, case=case, kind="source_register", fmt=fmt
    )
    assert '<p>假</p> & "引号" </document>' in _read(document)
