"""The evidence pages and API: upload, receipts, who sees what, and the case page's panel."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import Client, RequestFactory

from ipshield.accounts import services as account_services
from ipshield.evidence.models import EvidenceItem
from ipshield.evidence.receipts import parse_receipt, verify_receipt
from tests.accounts.factories import make_person
from tests.cases.factories import receive
from tests.evidence.factories import CONTENT, preserve


def _file(content: bytes = CONTENT, name: str = "进货单.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, "text/plain")


def test_rights_holder_uploads_and_downloads_both_receipts(world, login):
    client = login(world.holder_user)
    page = client.get("/evidence/")
    assert page.status_code == 200 and "存证新文件" in page.content.decode()
    response = client.post("/evidence/", {"file": _file()})
    item = EvidenceItem.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/evidence/{item.pk}/"
    detail = client.get(response["Location"]).content.decode()
    assert item.sha256 in detail and "下载存证证书（PDF）" in detail

    receipt_response = client.get(f"/evidence/{item.pk}/receipt.json")
    assert receipt_response["Content-Disposition"].startswith("attachment;")
    receipt = json.loads(receipt_response.content)
    assert receipt["leaf"]["sha256"] == item.sha256 and receipt["version"] == 1
    public_key = Client().get("/verify/public-key.pem").content
    assert verify_receipt(parse_receipt(receipt), sha256=item.sha256, public_key=public_key).ok

    pdf = client.get(f"/evidence/{item.pk}/receipt.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    listing = client.get("/evidence/").content.decode()
    assert listing.count('data-testid="evidence-row"') == 1 and "进货单.txt" in listing


@pytest.mark.parametrize(
    ("content", "limit_mb", "words"),
    [(b"", None, "上传的文件是空的"), (b"x" * 2000, 0.001, "文件太大")],
)
def test_upload_refusals_name_the_file_field(world, login, settings, content, limit_mb, words):
    if limit_mb is not None:
        settings.IPSHIELD_EVIDENCE_MAX_MB = limit_mb
    response = login(world.holder_user).post("/evidence/", {"file": _file(content)})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'data-field="file"' in html and words in html
    assert EvidenceItem.objects.count() == 0


def test_public_users_get_no_upload_form(world, login):
    html = login(world.public_user).get("/evidence/").content.decode()
    assert 'data-testid="evidence-upload"' not in html and "只有权利人可以单独存证" in html


def test_a_rights_holder_sees_only_their_own(world, login):
    other_holder = make_person("rights_holder", username="holder2")
    mine = preserve(world.holder_user, b"mine")
    theirs = preserve(other_holder, b"theirs")
    client = login(world.holder_user)
    listing = client.get("/evidence/").content.decode()
    assert mine.sha256 in listing and theirs.sha256 not in listing
    for tail in ("", "receipt.json", "receipt.pdf"):
        assert client.get(f"/evidence/{theirs.pk}/{tail}").status_code == 404
    assert client.get(f"/evidence/{mine.pk}/receipt.json").status_code == 200
    api = client.get("/api/v1/evidence").json()
    assert [row["id"] for row in api["items"]] == [mine.pk]
    assert client.get(f"/api/v1/evidence/{theirs.pk}/receipt.json").status_code == 404


def test_case_evidence_is_scoped_to_the_handling_unit(world, login):
    case = receive(world)
    response = login(world.officer).post(
        f"/evidence/cases/{case.pk}/upload/", {"file": _file(b"photo", "现场照片.jpg")}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/workbench/cases/{case.pk}/#evidence"
    item = EvidenceItem.objects.get()
    assert item.case == case and item.unit == world.market

    for who in ("officer_other", "officer_culture", "holder_user", "public_user"):
        client = login(getattr(world, who))
        assert client.get(f"/evidence/{item.pk}/receipt.json").status_code == 404, who
        assert client.get(f"/evidence/{item.pk}/receipt.pdf").status_code == 404, who
        assert client.get(f"/api/v1/evidence/{item.pk}/receipt.json").status_code == 404, who
    for who in ("officer", "leader", "auditor"):
        client = login(getattr(world, who))
        assert client.get(f"/evidence/{item.pk}/receipt.json").status_code == 200, who


def test_another_units_officer_cannot_upload_on_the_case(world, login):
    case = receive(world)
    client = login(world.officer_other)
    response = client.post(f"/evidence/cases/{case.pk}/upload/", {"file": _file()})
    assert response.status_code == 404
    assert EvidenceItem.objects.count() == 0


def test_a_refused_case_upload_says_why_on_the_case_page(world, login):
    case = receive(world)
    client = login(world.officer)
    response = client.post(f"/evidence/cases/{case.pk}/upload/", {"file": _file(b"")}, follow=True)
    assert "存证未完成：上传的文件是空的" in response.content.decode()


def test_complaint_submitter_adds_evidence_to_their_complaint(world, login):
    complaint = receive(world)  # filed by world.holder_user
    client = login(world.holder_user)
    assert complaint.number in client.get("/evidence/").content.decode()
    client.post("/evidence/", {"file": _file(), "case": complaint.pk})
    item = EvidenceItem.objects.get()
    assert item.case == complaint and item.owner == world.holder_user
    # The handling unit sees it with the case.
    assert login(world.officer).get(f"/evidence/{item.pk}/").status_code == 200


def _panel(world, user, case) -> str:
    request = RequestFactory().get(f"/workbench/cases/{case.pk}/")
    request.user = user
    return render_to_string("evidence/_case_panel.html", {"case": case}, request=request)


def test_case_page_panel_lists_evidence_and_offers_upload_to_the_handlers(world):
    case = receive(world)
    item = preserve(world.officer, b"photo", "现场照片.jpg", case=case)
    handler = _panel(world, world.officer, case)
    assert 'id="evidence"' in handler and item.sha256 in handler
    assert f'action="/evidence/cases/{case.pk}/upload/"' in handler
    auditor = _panel(world, world.auditor, case)
    assert item.sha256 in auditor and "case-evidence-upload" not in auditor
    stranger = _panel(world, world.officer_other, case)
    assert item.sha256 not in stranger and "case-evidence-upload" not in stranger


def test_api_upload_answers_with_the_receipt(world):
    case = receive(world)
    _token, secret = account_services.token_issue(
        actor=world.admin, unit=world.market, name="执法办案系统"
    )
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    response = client.post("/api/v1/evidence", {"file": _file(), "case_id": case.pk})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["item"]["case_number"] == case.number and body["item"]["size"] == len(CONTENT)
    assert body["receipt"]["leaf"]["case"] == case.number
    again = client.get(f"/api/v1/evidence/{body['item']['id']}/receipt.json")
    assert again.json() == body["receipt"]
    pdf = client.get(f"/api/v1/evidence/{body['item']['id']}/receipt.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_api_upload_names_bad_input(world, login, settings):
    client = login(world.holder_user)
    empty = client.post("/api/v1/evidence", {"file": _file(b"")})
    assert empty.status_code == 400 and empty.json()["field"] == "file"
    missing = client.post("/api/v1/evidence", {})
    assert missing.status_code == 400 and missing.json()["field"] == "file"
    settings.IPSHIELD_EVIDENCE_MAX_MB = 0.001
    large = client.post("/api/v1/evidence", {"file": _file(b"x" * 2000)})
    assert large.status_code == 400 and large.json()["code"] == "upload_too_large"
    case = receive(world, unit=world.other_market)
    someone_elses = login(world.officer).post(
        "/api/v1/evidence", {"file": _file(b"x"), "case_id": case.pk}
    )
    assert someone_elses.status_code == 404 and someone_elses.json()["field"] == "case_id"
