"""API routes for evidence preservation and public verification.

- ``POST /evidence`` (multipart: ``file``, optional ``case_id``) preserves a file and answers
  ``201`` with the item and its receipt (schema: ``evidence.receipts``).
- ``POST /evidence/captures`` (JSON ``{url, case_id?}``) captures a web page (网页取证) and
  answers like ``POST /evidence``; the item's file is the capture's zip (``evidence.capture``).
- ``GET /evidence`` lists what the caller may see; ``GET /evidence/{id}/receipt.json`` and
  ``/receipt.pdf`` return the receipt, ``GET /evidence/{id}/file`` the preserved file.
- ``POST /verify`` (no sign-in) checks a SHA-256, with the receipt JSON if given, against the
  platform's ledger and published key.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from ipshield.common.api import actor, paginated
from ipshield.common.errors import DomainError
from ipshield.common.validation import Id
from ipshield.engines.ledger import LogError
from ipshield.evidence import capture, selectors, services
from ipshield.evidence.models import EvidenceItem
from ipshield.evidence.receipts import receipt_pdf

router = Router()


class EvidenceOut(Schema):
    id: int
    leaf_index: int = Field(..., description="账本位置（从 0 起）")
    tree_size: int = Field(..., description="回执中签名树头的大小")
    name: str = Field(..., description="上传时的文件名")
    content_type: str
    size: int = Field(..., description="字节")
    sha256: str
    sm3: str
    case_number: str | None = Field(None, description="案件或投诉编号")
    unit: str | None = None
    preserved_at: dt.datetime = Field(..., description="存证时间（服务器时间）")
    receipt_json: str = Field(..., description="回执 JSON 的地址")
    receipt_pdf: str = Field(..., description="存证证书 PDF 的地址")

    @staticmethod
    def resolve_name(item: EvidenceItem) -> str:
        return item.original_name

    @staticmethod
    def resolve_case_number(item: EvidenceItem) -> str | None:
        return item.case.number if item.case_id else None

    @staticmethod
    def resolve_unit(item: EvidenceItem) -> str | None:
        return item.unit.name if item.unit_id else None

    @staticmethod
    def resolve_preserved_at(item: EvidenceItem) -> dt.datetime:
        return timezone.localtime(item.created_at)

    @staticmethod
    def resolve_receipt_json(item: EvidenceItem) -> str:
        return f"/api/v1/evidence/{item.pk}/receipt.json"

    @staticmethod
    def resolve_receipt_pdf(item: EvidenceItem) -> str:
        return f"/api/v1/evidence/{item.pk}/receipt.pdf"


class PreservedOut(Schema):
    item: EvidenceOut
    receipt: dict[str, Any] = Field(..., description="存证回执（版本 1），与 receipt.json 相同")


class CaptureIn(Schema):
    # No max_length here: the service refuses a long URL with its own code, naming "url".
    url: str = Field(..., description="要取证的网址（http:// 或 https://，不超过 2048 个字符）")
    case_id: Id | None = Field(None, description="案件或投诉 id（可选）")


class VerifyIn(Schema):
    sha256: str = Field(..., max_length=200, description="文件的 SHA-256（64 位十六进制）")
    receipt: dict[str, Any] | str | None = Field(
        None, description="存证回执 JSON（对象或其文本），可选"
    )


class CheckOut(Schema):
    code: str = Field(
        ..., description="file_hash / position / head / signature / inclusion / ledger"
    )
    ok: bool
    message: str


class VerifyOut(Schema):
    verified: bool = Field(..., description="所有核验项都通过")
    preserved: bool = Field(..., description="本平台有该文件的存证记录，或回执核验通过")
    verdict: str = Field(..., description="一句话结论（当前语言）")
    sha256: str
    preserved_at: dt.datetime | None = None
    leaf_index: int | None = None
    tree_size: int | None = None
    head_time: dt.datetime | None = None
    times_preserved: int = Field(..., description="本平台存证该文件的次数")
    checks: list[CheckOut]


def _receipt(item: EvidenceItem) -> dict[str, Any]:
    try:
        return selectors.evidence_receipt(item)
    except (ValueError, LogError) as exc:
        raise Http404(_("账本中找不到该存证的证明，请联系平台管理员。")) from exc


@router.post(
    "/evidence", response={201: PreservedOut}, summary="电子存证（上传文件，得到存证回执）"
)
def evidence_create(
    request: HttpRequest,
    # Optional here so that a missing file is refused by the service, naming the field "file".
    file: File[UploadedFile | None] = None,
    case_id: Form[Id | None] = None,
) -> Status:
    user = actor(request)
    try:
        case = services.case_for_upload(actor=user, case_id=case_id) if case_id else None
        item = services.evidence_preserve(actor=user, upload=file, case=case)
    except DomainError as error:
        if error.field == "case":
            error.field = "case_id"
        raise
    item = EvidenceItem.objects.select_related("case", "unit").get(pk=item.pk)
    return Status(201, {"item": item, "receipt": _receipt(item)})


@router.post(
    "/evidence/captures",
    response={201: PreservedOut},
    summary="网页取证（平台抓取网页并截图，打包存证，得到存证回执）",
)
def evidence_capture(request: HttpRequest, payload: CaptureIn) -> Status:
    user = actor(request)
    try:
        case = (
            services.case_for_upload(actor=user, case_id=payload.case_id)
            if payload.case_id
            else None
        )
        item = capture.evidence_capture(actor=user, url=payload.url, case=case)
    except DomainError as error:
        if error.field == "case":
            error.field = "case_id"
        raise
    item = EvidenceItem.objects.select_related("case", "unit").get(pk=item.pk)
    return Status(201, {"item": item, "receipt": _receipt(item)})


@router.get("/evidence", response=list[EvidenceOut], summary="我可以查看的存证")
@paginated(page_size=50)
def evidence_index(request: HttpRequest) -> Any:
    return selectors.evidence_list(actor=actor(request))


def _item(request: HttpRequest, item_id: Id) -> EvidenceItem:
    item = selectors.evidence_get(actor=actor(request), item_id=item_id)
    if item is None:
        raise Http404
    return item


@router.get("/evidence/{item_id}/receipt.json", response=dict[str, Any], summary="存证回执 JSON")
def evidence_receipt_json(request: HttpRequest, item_id: Id) -> dict[str, Any]:
    return _receipt(_item(request, item_id))


@router.get("/evidence/{item_id}/receipt.pdf", summary="存证证书 PDF", response={200: None})
def evidence_receipt_pdf(request: HttpRequest, item_id: Id) -> HttpResponse:
    item = _item(request, item_id)
    pdf = receipt_pdf(_receipt(item), public_key_url=selectors.public_key_url())
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"ipshield-evidence-{item.leaf_index}-certificate.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@router.get(
    "/evidence/{item_id}/file", summary="存证文件（网页取证为取证包 ZIP）", response={200: None}
)
def evidence_file(request: HttpRequest, item_id: Id) -> FileResponse:
    item = _item(request, item_id)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    zipped = item.content_type == "application/zip"
    return FileResponse(
        handle,
        as_attachment=True,
        filename=item.original_name,
        content_type="application/zip" if zipped else "application/octet-stream",
    )


@router.post("/verify", response=VerifyOut, auth=None, summary="存证核验（公开）")
def verify(request: HttpRequest, payload: VerifyIn) -> dict[str, Any]:
    result = selectors.verify_public(sha256=payload.sha256, receipt=payload.receipt)
    checked = result.checked
    return {
        "verified": result.ok,
        "preserved": result.preserved,
        "verdict": str(result.verdict),
        "sha256": result.sha256,
        "preserved_at": checked.preserved_at if checked else None,
        "leaf_index": checked.receipt.leaf_index if checked else None,
        "tree_size": checked.receipt.tree_size if checked else None,
        "head_time": checked.head_time if checked else None,
        "times_preserved": result.lookup.count,
        "checks": [
            {"code": check.code, "ok": check.ok, "message": check.message}
            for check in (checked.checks if checked else [])
        ],
    }
