"""The simple procedure's own form (当场行政处罚决定书) and the evidence list (证据清单) that links
the evidence ledger, generated from cases driven through the real procedure and read back from
the PDF and the DOCX."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ipshield.cases import walkthrough
from ipshield.cases.models import Case, Procedure
from ipshield.common.errors import Conflict
from ipshield.documents import errors, selectors, services
from ipshield.documents.case_kinds import cn_datetime
from ipshield.documents.models import CaseDocument
from ipshield.evidence.models import EvidenceItem
from tests.cases.factories import receive
from tests.documents.conftest import ADDRESS
from tests.documents.test_generation import PARTY, _read
from tests.evidence.factories import preserve
from tests.registry.test_services import PNG

PLACE = "保德县东关镇滨河路 8 号门店"


def _simple(world, *, amount=2000, kinds=("fine",), **details):
    """A case decided on the spot under the simple procedure."""
    case = walkthrough.open_case(
        receive(world, infringer_address=ADDRESS, place=PLACE, **details),
        officer=world.officer,
        leader=world.leader,
    )
    case = walkthrough.propose(
        case,
        officer=world.officer,
        summary="责令改正，并处罚款二千元。",
        amount=amount,
        kinds=list(kinds),
        procedure_kind=Procedure.SIMPLE,
    )
    assert case.decision_procedure == Procedure.SIMPLE and case.decided_at
    return case


def _offered(case) -> set[str]:
    return {row.code for row in selectors.kind_rows(case)}


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_on_the_spot_decision_states_what_article_52_requires(world, data_dir, fmt):
    case = _simple(world)
    document = services.document_generate(
        actor=world.officer, case=case, kind="on_the_spot_decision", fmt=fmt
    )
    text = _read(document)
    for value in (
        "当场行政处罚决定书",
        "保德县市场监督管理局",
        f"编号：{case.number}",
        PARTY,  # the party
        walkthrough.FACTS,  # its violation
        "商标法》第五十七条",  # the basis
        "责令改正，并处罚款二千元。",
        "罚款",  # the kind
        "人民币2,000.00元",  # the amount
        PLACE,  # where
        cn_datetime(case.decided_at),  # when
        "六十日内向保德县人民政府申请行政复议",  # the remedies
        "六个月内依法向保德县人民法院提起行政诉讼",
        "执法人员（签名或者盖章）",
        "当场交付当事人",
        "第五十二条第三款",
        "第六十八条",
    ):
        assert value.replace("\n", "") in text, (value, text[:3000])
    assert document.kind == "on_the_spot_decision" and document.version == 1


def test_a_warning_alone_prints_no_fine_or_payment(world, data_dir):
    case = _simple(world, amount=0, kinds=("warning",))
    text = _read(
        services.document_generate(
            actor=world.officer, case=case, kind="on_the_spot_decision", fmt="docx"
        )
    )
    assert "警告" in text and "申请行政复议" in text
    assert "罚款数额" not in text and "十五日内" not in text


def test_the_on_the_spot_form_is_offered_only_for_simple_procedure_cases(world, data_dir):
    simple = _simple(world)
    offered = _offered(simple)
    assert "on_the_spot_decision" in offered and "decision" not in offered
    ordinary = walkthrough.decide(
        receive(world, infringer_address=ADDRESS),
        officer=world.officer,
        reviewer=world.reviewer,
        leader=world.leader,
        amount=3000,
        kinds=["fine"],
    )
    offered = _offered(ordinary)
    assert "decision" in offered and "on_the_spot_decision" not in offered
    # Nor before anything is decided.
    assert "on_the_spot_decision" not in _offered(receive(world))
    # A hand-made request is refused and writes nothing.
    for case, kind in ((ordinary, "on_the_spot_decision"), (simple, "decision")):
        with pytest.raises(Conflict) as refused:
            services.document_generate(actor=world.officer, case=case, kind=kind, fmt="pdf")
        assert refused.value.code == errors.NOT_OFFERED
    # Nor is a scan of it kept as a version.
    with pytest.raises(Conflict) as refused:
        services.document_upload(
            actor=world.officer,
            case=simple,
            kind="decision",
            upload=SimpleUploadedFile("signed.png", PNG, content_type="image/png"),
        )
    assert refused.value.code == errors.NOT_OFFERED
    assert not CaseDocument.objects.exists()


def test_the_on_the_spot_form_refuses_without_the_place_and_the_violation(world, data_dir):
    case = _simple(world)
    Case.objects.filter(pk=case.pk).update(place="", facts="")
    with pytest.raises(Conflict) as refused:
        services.document_generate(
            actor=world.officer, case=case, kind="on_the_spot_decision", fmt="pdf"
        )
    assert refused.value.code == errors.DATA_MISSING
    fields = [m["field"] for m in refused.value.details["missing"]]
    assert fields == ["case.facts", "on_the_spot.place"]
    assert "当事人的违法行为" in str(refused.value.message)
    assert not CaseDocument.objects.exists()


def test_the_on_the_spot_form_in_the_panel(world, data_dir, login):
    case = _simple(world)
    client = login(world.officer)
    url = f"/workbench/cases/{case.pk}/"
    page = client.get(url).content.decode()
    assert 'data-kind="on_the_spot_decision"' in page
    assert 'data-kind="decision"' not in page
    form = page[page.index('id="id_document_kind"') :]
    form = form[: form.index("</select>")]
    assert 'value="on_the_spot_decision"' in form and 'value="decision"' not in form
    response = client.post(f"{url}documents/on_the_spot_decision/generate/pdf/")
    assert response.status_code == 302
    refused = client.post(f"{url}documents/decision/generate/pdf/")
    assert refused.status_code == 409
    assert "本案不适用“行政处罚决定书”" in refused.content.decode()


def _with_evidence(world):
    case = walkthrough.open_case(
        receive(world, infringer_address=ADDRESS), officer=world.officer, leader=world.leader
    )
    first = preserve(world.officer, b"invoice 2026-01-05", name="进货单.txt", case=case)
    second = preserve(world.officer, b"photo bytes", name="货架照片.txt", case=case)
    # Another case's evidence is not this case's.
    other = walkthrough.open_case(receive(world), officer=world.officer, leader=world.leader)
    preserve(world.officer, b"another case", name="别案证据.txt", case=other)
    return case, [first, second]


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_evidence_list_links_each_item_to_the_ledger(world, data_dir, fmt):
    case, items = _with_evidence(world)
    assert "evidence_list" in _offered(case)
    document = services.document_generate(
        actor=world.officer, case=case, kind="evidence_list", fmt=fmt
    )
    text = _read(document)
    assert "证据清单" in text and PARTY in text and "共2项" in text
    for item in items:
        assert item.original_name in text
        assert item.sha256 in text, (item.sha256, text[:3000])
        assert str(item.leaf_index) in text
        # The printed hash and index are the ledger's: the leaf at that index holds that hash.
        leaf = json.loads(EvidenceItem.objects.get(leaf_index=item.leaf_index).leaf)
        assert leaf["sha256"] == item.sha256
    assert "上传存证" in text and "别案证据.txt" not in text
    assert text.index("进货单.txt") < text.index("货架照片.txt")  # in ledger order


def test_the_evidence_list_is_refused_without_evidence_and_not_offered_before_opening(
    world, data_dir
):
    received = receive(world)
    assert "evidence_list" not in _offered(received)
    with pytest.raises(Conflict) as refused:
        services.document_generate(
            actor=world.officer, case=received, kind="evidence_list", fmt="pdf"
        )
    assert refused.value.code == errors.NOT_OFFERED
    opened = walkthrough.open_case(received, officer=world.officer, leader=world.leader)
    row = next(r for r in selectors.kind_rows(opened) if r.code == "evidence_list")
    assert row.missing_fields == ["evidence"]
    with pytest.raises(Conflict) as refused:
        services.document_generate(
            actor=world.officer, case=opened, kind="evidence_list", fmt="docx"
        )
    assert refused.value.code == errors.DATA_MISSING
    assert "已存证的证据" in str(refused.value.message)
    assert not CaseDocument.objects.exists()


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_investigation_report_carries_the_evidence_list(world, data_dir, fmt):
    case, items = _with_evidence(world)
    case = walkthrough.propose(case, officer=world.officer, amount=5000, kinds=["fine"])
    text = _read(
        services.document_generate(
            actor=world.officer, case=case, kind="investigation_report", fmt=fmt
        )
    )
    assert "证据清单" in text
    for item in items:
        assert item.original_name in text and item.sha256 in text
    assert "本案未在本平台电子存证证据" not in text


def test_the_investigation_report_says_when_no_evidence_was_preserved(world, data_dir):
    case = walkthrough.propose(
        walkthrough.open_case(
            receive(world, infringer_address=ADDRESS), officer=world.officer, leader=world.leader
        ),
        officer=world.officer,
        amount=5000,
        kinds=["fine"],
    )
    text = _read(
        services.document_generate(
            actor=world.officer, case=case, kind="investigation_report", fmt="pdf"
        )
    )
    assert "证据清单：本案未在本平台电子存证证据。" in text and "SHA-256" not in text
