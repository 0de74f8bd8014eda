"""Versions are never overwritten, each is hashed into the ledger after commit, only the
handling unit adds them, refusals name what is missing or wrong and save nothing."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ipshield.cases import walkthrough
from ipshield.cases.models import CaseEvent, CaseEventVerb
from ipshield.common.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from ipshield.documents import anchoring, services
from ipshield.documents.models import CaseDocument
from ipshield.evidence import ledger
from tests.cases.factories import receive
from tests.documents.conftest import ADDRESS
from tests.pdftext import pdf_text
from tests.registry.test_services import PNG


def _decided(world, **details):
    case = receive(world, **{"infringer_address": ADDRESS, **details})
    return walkthrough.decide(
        case,
        officer=world.officer,
        reviewer=world.reviewer,
        leader=world.leader,
        amount=3000,
        kinds=["fine"],
    )


def _files(data_dir):
    return sorted(p.name for p in (data_dir / "uploads").rglob("*") if p.is_file())


def test_missing_data_is_refused_with_the_list_and_nothing_is_saved(world, data_dir):
    case = receive(world)  # no address, not investigated, not decided
    events = CaseEvent.objects.filter(case=case).count()
    with pytest.raises(Conflict) as info:
        services.document_generate(actor=world.officer, case=case, kind="decision", fmt="pdf")
    error = info.value
    assert error.code == "document_data_missing" and error.status == 409
    fields = [m["field"] for m in error.details["missing"]]
    assert fields == [
        "case.decision_number",
        "decided_on",
        "party.address",
        "case.facts",
        "case.legal_basis",
        "case.decision_summary",
    ]
    assert "决定书文号" in str(error.message) and "当事人地址" in str(error.message)
    assert CaseDocument.objects.count() == 0 and _files(data_dir) == []
    assert CaseEvent.objects.filter(case=case).count() == events


def test_versions_are_never_overwritten(world, data_dir):
    case = _decided(world)
    first = services.document_generate(actor=world.officer, case=case, kind="decision", fmt="pdf")
    first_bytes = first.file.open("rb").read()
    second = services.document_generate(actor=world.officer, case=case, kind="decision", fmt="pdf")
    assert (first.version, second.version) == (1, 2)
    assert first.file.name != second.file.name
    assert first.file.open("rb").read() == first_bytes
    assert hashlib.sha256(first_bytes).hexdigest() == first.sha256
    scan = services.document_upload(
        actor=world.officer,
        case=case,
        kind="decision",
        upload=SimpleUploadedFile("签章件.png", PNG, content_type="image/png"),
    )
    assert (scan.version, scan.format, scan.source) == (3, "scan", "uploaded")
    assert scan.file.name.endswith(".png") and scan.original_name == "签章件.png"
    assert scan.sha256 == hashlib.sha256(PNG).hexdigest() and scan.size == len(PNG)
    rows = CaseDocument.objects.filter(case=case, kind="decision").order_by("version")
    assert [d.version for d in rows] == [1, 2, 3]
    assert len({d.file.name for d in rows}) == 3 and len(_files(data_dir)) == 3
    # Another kind counts its own versions.
    other = services.document_generate(
        actor=world.officer, case=case, kind="service_receipt", fmt="docx"
    )
    assert other.version == 1
    first.refresh_from_db()
    first.sha256 = "0" * 64
    with pytest.raises(RuntimeError):
        first.save()
    with pytest.raises(RuntimeError):
        first.delete()


@pytest.mark.django_db(transaction=True)
def test_each_version_is_hashed_into_the_ledger_after_commit(world, data_dir):
    case = _decided(world)
    document = services.document_generate(
        actor=world.officer, case=case, kind="decision", fmt="docx"
    )
    document.refresh_from_db()
    assert document.leaf_index is not None and document.anchored_at is not None
    leaf = ledger.evidence_log().leaf(document.leaf_index)
    assert leaf == anchoring.document_leaf(document)
    assert document.sha256.encode() in leaf and b'"type":"document.version"' in leaf
    assert anchoring.check(document) is True
    assert anchoring.anchor_pending() == 0
    # The case-record entry is anchored like every other.
    entry = CaseEvent.objects.get(case=case, verb=CaseEventVerb.DOCUMENT_ADDED)
    assert entry.after["sha256"] == document.sha256 and hasattr(entry, "anchor")


def test_a_refused_generation_leaves_no_leaf(world, data_dir, django_capture_on_commit_callbacks):
    case = receive(world)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Conflict):
        services.document_generate(actor=world.officer, case=case, kind="decision", fmt="pdf")
    assert callbacks == []


def test_only_the_handling_unit_adds_versions_and_others_do_not_see_them(world, data_dir, login):
    case = _decided(world)
    document = services.document_generate(
        actor=world.officer, case=case, kind="decision", fmt="pdf"
    )
    with pytest.raises(NotFound):
        services.document_generate(actor=world.officer_other, case=case, kind="decision", fmt="pdf")
    with pytest.raises(PermissionDenied):  # read-only roles read, never add
        services.document_generate(actor=world.auditor, case=case, kind="decision", fmt="pdf")
    other = login(world.officer_other)
    base = f"/workbench/cases/{case.pk}/documents"
    assert other.post(f"{base}/decision/generate/pdf/").status_code == 404
    assert other.get(f"{base}/decision/v1/").status_code == 404
    assert other.get(f"/api/v1/cases/{case.pk}/documents").status_code == 404
    assert other.post(f"/api/v1/cases/{case.pk}/documents/decision?format=pdf").status_code == 404
    assert CaseDocument.objects.filter(case=case).count() == 1
    # The auditor reads the version; the case record says who did.
    response = login(world.auditor).get(f"{base}/decision/v1/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == document.file.open("rb").read()
    viewed = CaseEvent.objects.get(case=case, verb=CaseEventVerb.DOCUMENT_VIEWED)
    assert viewed.actor == world.auditor and viewed.after["version"] == 1


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("notes.txt", "不是扫描件".encode(), "upload_type"),
        ("page.html", b"<html><script>alert(1)</script>", "upload_type"),
        ("empty.pdf", b"", "upload_empty"),
    ],
)
def test_bad_uploads_are_refused_with_the_field(world, data_dir, name, content, code):
    case = _decided(world)
    upload = SimpleUploadedFile(name, content)
    with pytest.raises(InvalidInput) as info:
        services.document_upload(actor=world.officer, case=case, kind="decision", upload=upload)
    assert info.value.field == "file" and info.value.code == code
    with pytest.raises(InvalidInput) as info:
        services.document_upload(
            actor=world.officer, case=case, kind="nonsense", upload=SimpleUploadedFile("a.png", PNG)
        )
    assert info.value.field == "kind"
    with pytest.raises(InvalidInput) as info:
        services.document_upload(actor=world.officer, case=case, kind="decision", upload=None)
    assert info.value.field == "file"
    with pytest.raises(InvalidInput) as info:
        services.document_generate(actor=world.officer, case=case, kind="decision", fmt="odt")
    assert info.value.field == "format"
    assert CaseDocument.objects.count() == 0 and _files(data_dir) == []


def test_an_administrators_layout_replaces_the_shipped_one(world, data_dir):
    case = _decided(world)
    custom = data_dir / "document-templates"
    custom.mkdir()
    (custom / "decision.xml").write_text(
        "<document><authority>{{ unit.name }}</authority><title>行政处罚决定书</title>"
        "<number>{{ case.decision_number }}</number><p>本县特制版式：{{ party.name }}</p>"
        '<seal unit="{{ unit.name }}" date="{{ decided_on }}"/></document>',
        encoding="utf-8",
    )
    document = services.document_generate(
        actor=world.officer, case=case, kind="decision", fmt="pdf"
    )
    text = pdf_text(document.file.open("rb").read()).replace("\n", "")
    assert "本县特制版式：保德县某商贸有限公司" in text and "十五日内" not in text
    # Other kinds keep the shipped layout.
    notice = services.document_generate(
        actor=world.officer, case=case, kind="prior_notice", fmt="pdf"
    )
    assert "五个工作日内" in pdf_text(notice.file.open("rb").read()).replace("\n", "")


@pytest.mark.parametrize(
    "layout",
    ["<document><p>未闭合</document>", "<document><marquee>x</marquee></document>", "{% if %}"],
)
def test_a_broken_replacement_is_refused_and_nothing_saved(world, data_dir, layout):
    case = _decided(world)
    custom = data_dir / "document-templates"
    custom.mkdir()
    (custom / "decision.xml").write_text(layout, encoding="utf-8")
    with pytest.raises(Conflict) as info:
        services.document_generate(actor=world.officer, case=case, kind="decision", fmt="pdf")
    assert info.value.code == "document_layout_invalid"
    assert "行政处罚决定书" in str(info.value.message)
    assert CaseDocument.objects.count() == 0 and _files(data_dir) == []
