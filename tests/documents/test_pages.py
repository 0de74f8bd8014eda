"""The 文书 panel on the case page, its forms, and the API."""

from __future__ import annotations

import re

from django.core.files.uploadedfile import SimpleUploadedFile

from ipshield.cases import walkthrough
from ipshield.documents.models import CaseDocument
from tests.cases.factories import receive
from tests.documents.conftest import ADDRESS
from tests.registry.test_services import PNG


def _decided(world):
    return walkthrough.decide(
        receive(world, infringer_address=ADDRESS),
        officer=world.officer,
        reviewer=world.reviewer,
        leader=world.leader,
        amount=3000,
        kinds=["fine"],
    )


def _row(page: str, kind: str) -> str:
    match = re.search(rf'<tr data-kind="{kind}">(.*?)</tr>', page, re.S)
    assert match, kind
    return match.group(1)


def test_the_panel_lists_kinds_generates_and_keeps_uploads(world, data_dir, login):
    case = receive(world)
    client = login(world.officer)
    url = f"/workbench/cases/{case.pk}/"
    page = client.get(url).content.decode()
    assert 'data-testid="case-documents"' in page
    decision = _row(page, "decision")
    assert "缺少：决定书文号、决定日期、当事人地址" in decision and "disabled" in decision
    assert "disabled" not in _row(page, "source_register")
    # A refused generation (the button was disabled; a hand-made request) says what is missing.
    refused = client.post(f"{url}documents/decision/generate/pdf/")
    assert refused.status_code == 409
    assert "生成“行政处罚决定书”还缺少：决定书文号" in refused.content.decode()
    response = client.post(f"{url}documents/source_register/generate/docx/")
    assert response.status_code == 302 and response["Location"].endswith("#documents")
    page = client.get(url).content.decode()
    row = _row(page, "source_register")
    document = CaseDocument.objects.get(case=case)
    assert "第 1 版" in row and "DOCX" in row and "系统生成" in row
    assert document.sha256[:16] in row
    assert f"{url}documents/source_register/v1/" in row
    # A signed scan goes back as the next version.
    upload = SimpleUploadedFile("signed.png", PNG, content_type="image/png")
    response = client.post(f"{url}documents/upload/", {"kind": "source_register", "file": upload})
    assert response.status_code == 302
    assert CaseDocument.objects.get(case=case, version=2).format == "scan"
    assert "扫描件" in _row(client.get(url).content.decode(), "source_register")


def test_a_bad_upload_is_shown_next_to_its_field(world, data_dir, login):
    case = receive(world)
    client = login(world.officer)
    upload = SimpleUploadedFile("x.txt", b"plain text")
    response = client.post(
        f"/workbench/cases/{case.pk}/documents/upload/", {"kind": "source_register", "file": upload}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "不支持的文件类型" in page and 'data-testid="document-upload"' in page
    response = client.post(f"/workbench/cases/{case.pk}/documents/upload/", {"kind": ""})
    assert response.status_code == 400 and "没有这种文书" in response.content.decode()
    assert CaseDocument.objects.count() == 0


def test_readers_see_versions_without_buttons(world, data_dir, login):
    case = _decided(world)
    client = login(world.officer)
    client.post(f"/workbench/cases/{case.pk}/documents/decision/generate/pdf/")
    page = login(world.auditor).get(f"/workbench/cases/{case.pk}/").content.decode()
    assert "第 1 版" in _row(page, "decision")
    assert "生成 PDF" not in page and 'data-testid="document-upload"' not in page


def test_the_panel_in_english(world, data_dir, login):
    case = receive(world)
    client = login(world.officer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/workbench/"})
    page = client.get(f"/workbench/cases/{case.pk}/").content.decode()
    assert "Documents" in page and "Decision document" in page and "Generate PDF" in page
    assert "Missing: Decision document number, Decision date, Party&#x27;s address" in _row(
        page, "decision"
    )
    response = client.post(f"/workbench/cases/{case.pk}/documents/decision/generate/pdf/")
    assert "still needs" in response.content.decode()
    # The document itself is issued in Chinese.
    client.post(f"/workbench/cases/{case.pk}/documents/source_register/generate/pdf/")
    assert CaseDocument.objects.get(case=case).size > 0


def test_the_api(world, data_dir, login):
    case = _decided(world)
    client = login(world.officer)
    base = f"/api/v1/cases/{case.pk}/documents"
    kinds = client.get(base).json()
    decision = next(k for k in kinds if k["kind"] == "decision")
    assert decision["title"] == "行政处罚决定书" and decision["missing"] == []
    assert decision["versions"] == []
    created = client.post(f"{base}/decision?format=docx")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["version"] == 1 and body["format"] == "docx" and body["source"] == "generated"
    assert body["file"] == f"{base}/decision/versions/1"
    file = client.get(body["file"])
    assert file.status_code == 200 and b"".join(file.streaming_content)[:2] == b"PK"
    scan = client.post(f"{base}/decision/scans", {"file": SimpleUploadedFile("s.png", PNG)})
    assert scan.status_code == 201 and scan.json()["version"] == 2
    bad = client.post(f"{base}/decision/scans", {"file": SimpleUploadedFile("s.txt", b"text")})
    assert bad.status_code == 400 and bad.json()["field"] == "file"
    assert client.post(f"{base}/decision?format=odt").status_code == 422
    assert client.post(f"{base}/nonsense?format=pdf").json()["field"] == "kind"
    assert client.get(f"{base}/decision/versions/9").status_code == 404
    fresh = receive(world)
    refused = client.post(f"/api/v1/cases/{fresh.pk}/documents/decision?format=pdf")
    assert refused.status_code == 409
    error = refused.json()
    assert error["code"] == "document_data_missing"
    assert {"field": "party.address", "label": "当事人地址"} in error["details"]["missing"]
