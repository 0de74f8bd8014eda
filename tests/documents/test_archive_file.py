"""The archived case file: its cover (卷宗封面) and index (卷内文件目录) read back from the PDF,
and the electronic case file (电子卷宗) as one ZIP whose manifest hashes check each file."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ipshield.cases import procedure, services, walkthrough
from ipshield.cases.models import CaseEvent, CaseEventVerb
from ipshield.cases.pdf import entries
from ipshield.common.errors import Conflict
from ipshield.documents import errors, selectors
from ipshield.documents import services as documents
from ipshield.documents.case_kinds import cn_date
from ipshield.evidence.models import EvidenceItem
from tests.cases.factories import receive
from tests.documents.conftest import ADDRESS
from tests.documents.test_generation import PARTY, _read
from tests.evidence.factories import preserve
from tests.pdftext import pdf_text
from tests.registry.test_services import PNG

INVOICE = b"invoice 2026-01-05"


def _closed(world):
    """A penalty case, decided, published and closed, with one evidence item, the decision
    generated and then uploaded signed (its latest version is the scan), and the closing
    approval generated."""
    case = walkthrough.open_case(
        receive(world, infringer_address=ADDRESS), officer=world.officer, leader=world.leader
    )
    preserve(world.officer, INVOICE, name="进货单.txt", case=case)
    case = walkthrough.decide(
        case,
        officer=world.officer,
        reviewer=world.reviewer,
        leader=world.leader,
        amount=3000,
        kinds=["fine"],
    )
    case = services.case_publish(actor=world.officer, case=case)
    case = walkthrough.close(case, officer=world.officer, leader=world.leader)
    documents.document_generate(actor=world.officer, case=case, kind="decision", fmt="pdf")
    documents.document_upload(
        actor=world.officer,
        case=case,
        kind="decision",
        upload=SimpleUploadedFile("signed.png", PNG, content_type="image/png"),
    )
    documents.document_generate(actor=world.officer, case=case, kind="closing_approval", fmt="docx")
    return case


def _archived(world):
    case = _closed(world)
    archive = procedure.run_step(
        procedure.ARCHIVE_CASE, world.officer, case, {"pages": 46, "note": "含签章扫描件"}
    )
    return case, archive


def _offered(case) -> set[str]:
    return {row.code for row in selectors.kind_rows(case)}


def test_the_cover_and_index_are_offered_only_for_closed_cases(world, data_dir):
    decided = walkthrough.decide(
        receive(world), officer=world.officer, reviewer=world.reviewer, leader=world.leader
    )
    assert not {"archive_cover", "archive_index"} & _offered(decided)
    with pytest.raises(Conflict) as refused:
        documents.document_generate(
            actor=world.officer, case=decided, kind="archive_cover", fmt="pdf"
        )
    assert refused.value.code == errors.NOT_OFFERED
    case = _closed(world)
    rows = {row.code: row for row in selectors.kind_rows(case)}
    assert {"archive_cover", "archive_index"} <= set(rows)
    # Closed, not yet archived: the archive number is what the cover still needs.
    assert rows["archive_cover"].missing_fields == ["archive.number"]
    with pytest.raises(Conflict) as refused:
        documents.document_generate(actor=world.officer, case=case, kind="archive_cover", fmt="pdf")
    assert refused.value.code == errors.DATA_MISSING
    with pytest.raises(Conflict) as refused:
        documents.case_file_export(actor=world.officer, case=case)
    assert refused.value.code == errors.DATA_MISSING
    assert not CaseEvent.objects.filter(case=case, verb=CaseEventVerb.FILE_EXPORTED).exists()


def test_the_cover_prints_the_case_and_its_archive(world, data_dir):
    case, archive = _archived(world)
    case.refresh_from_db()
    text = _read(
        documents.document_generate(actor=world.officer, case=case, kind="archive_cover", fmt="pdf")
    )
    for value in (
        "卷宗封面",
        "保德县市场监督管理局",
        f"卷号：{archive.number}",
        case.number,
        case.title,
        PARTY,
        case.decision_number,
        cn_date(case.opened_at),
        cn_date(case.closed_at),
        cn_date(archive.archived_on),
        "长期",
        "3件",  # two documents (the decision's latest version, the closing approval) + evidence
        "共1册，46页",
    ):
        assert value in text, (value, text)


def test_the_index_lists_latest_documents_and_evidence_with_hashes(world, data_dir):
    case, archive = _archived(world)
    index = documents.document_generate(
        actor=world.officer, case=case, kind="archive_index", fmt="pdf"
    )
    text = _read(index)
    decision = case.documents.get(kind="decision", version=2)  # the uploaded scan
    first = case.documents.get(kind="decision", version=1)
    closing = case.documents.get(kind="closing_approval")
    evidence = EvidenceItem.objects.get(case=case)
    for value in (
        "卷内文件目录",
        f"卷号：{archive.number}",
        "行政处罚决定书",
        "结案审批表",
        "进货单.txt",
        decision.sha256,
        closing.sha256,
        evidence.sha256,
        "共3件",
        "备考：含签章扫描件",
    ):
        assert value in text, (value, text)
    assert first.sha256 not in text  # only the latest version of each document
    # In order: the decision before the closing approval, the evidence last.
    assert text.index(decision.sha256) < text.index(closing.sha256) < text.index(evidence.sha256)


def _zip(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def test_the_electronic_file_holds_every_file_with_checkable_hashes(world, data_dir):
    case, archive = _archived(world)
    handle, name = documents.case_file_export(actor=world.officer, case=case)
    with handle:
        bundle = _zip(handle.read())
    assert name == f"{case.number}-电子卷宗.zip"
    names = bundle.namelist()
    assert names == [
        "01-卷宗封面.pdf",
        "02-卷内文件目录.pdf",
        "03-行政处罚决定书-v2.png",
        "04-结案审批表-v1.docx",
        "05-证据-进货单.txt",
        "manifest.json",
        "SHA256SUMS",
    ]
    manifest = json.loads(bundle.read("manifest.json"))
    assert manifest["case"] == case.number and manifest["archive_number"] == archive.number
    assert [f["name"] for f in manifest["files"]] == names[:5]
    for entry in manifest["files"]:
        content = bundle.read(entry["name"])
        assert hashlib.sha256(content).hexdigest() == entry["sha256"]
        assert len(content) == entry["size"]
        assert entry.get("matches_record", True) is True
    sums = bundle.read("SHA256SUMS").decode().splitlines()
    assert sums == [f"{f['sha256']}  {f['name']}" for f in manifest["files"]]
    # The files are the case's: the scan, the generated approval, the preserved evidence.
    assert bundle.read("05-证据-进货单.txt") == INVOICE
    assert bundle.read("03-行政处罚决定书-v2.png") == PNG
    assert hashlib.sha256(bundle.read("04-结案审批表-v1.docx")).hexdigest() == (
        case.documents.get(kind="closing_approval").sha256
    )
    cover = pdf_text(bundle.read("01-卷宗封面.pdf")).replace("\n", "")
    assert archive.number in cover and PARTY in cover
    index = pdf_text(bundle.read("02-卷内文件目录.pdf")).replace("\n", "")
    assert case.documents.get(kind="decision", version=2).sha256 in index
    # The export is written to the case record, with the manifest's hash.
    event = CaseEvent.objects.filter(case=case, verb=CaseEventVerb.FILE_EXPORTED).get()
    assert event.actor == world.officer and event.after["files"] == 5
    assert (
        event.after["manifest_sha256"] == hashlib.sha256(bundle.read("manifest.json")).hexdigest()
    )
    assert any(e.detail.startswith("5 个文件（清单 SHA-256") for e in entries(case))


def test_a_tampered_file_is_flagged_in_the_manifest(world, data_dir):
    case, _archive = _archived(world)
    closing = case.documents.get(kind="closing_approval")
    with open(closing.file.path, "ab") as fh:
        fh.write(b"tampered")
    handle, _name = documents.case_file_export(actor=world.officer, case=case)
    with handle:
        manifest = json.loads(_zip(handle.read()).read("manifest.json"))
    flags = {f["name"]: f.get("matches_record") for f in manifest["files"]}
    assert flags["04-结案审批表-v1.docx"] is False
    assert flags["03-行政处罚决定书-v2.png"] is True


def test_the_page_and_the_api_download_the_file(world, data_dir, login):
    case, _archive = _archived(world)
    officer = login(world.officer)
    page = officer.get(reverse("workbench:case-detail", args=[case.pk])).content.decode()
    link = reverse("workbench:case-file-export", args=[case.pk])
    assert 'data-testid="case-file-export"' in page and link in page
    response = officer.get(link)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "manifest.json" in _zip(b"".join(response.streaming_content)).namelist()
    response = officer.get(f"/api/v1/cases/{case.pk}/file")
    assert response.status_code == 200
    assert len(_zip(b"".join(response.streaming_content)).namelist()) == 7
    # Read-only roles may export too (and the record says who did); other units may not.
    assert login(world.member).get(f"/api/v1/cases/{case.pk}/file").status_code == 200
    assert login(world.officer_other).get(f"/api/v1/cases/{case.pk}/file").status_code == 404
    exports = CaseEvent.objects.filter(case=case, verb=CaseEventVerb.FILE_EXPORTED)
    assert list(exports.values_list("actor__username", flat=True).order_by("seq")) == [
        "officer",
        "officer",
        "member",
    ]
    # Before archiving the API refuses with the missing archive number.
    other = _closed(world)
    response = officer.get(f"/api/v1/cases/{other.pk}/file")
    assert response.status_code == 409 and response.json()["code"] == errors.DATA_MISSING
    page = officer.get(reverse("workbench:case-detail", args=[other.pk])).content.decode()
    assert 'data-testid="case-file-export"' not in page
