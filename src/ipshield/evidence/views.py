"""Evidence pages: my evidence and receipts (/evidence/), web captures (网页取证), case evidence
(staff), and the public verify page (/verify/) with the published public key. Views parse, call
one service or selector, and render."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ipshield.accounts.pages import staff_required
from ipshield.common.errors import DomainError, InvalidInput
from ipshield.common.forms import add_domain_error
from ipshield.engines.ledger import LogError
from ipshield.evidence import capture, errors, ledger, selectors, services
from ipshield.evidence.forms import (
    CaseCaptureForm,
    CaseEvidenceForm,
    EvidenceUploadForm,
    VerifyForm,
    WebCaptureForm,
)
from ipshield.evidence.models import EvidenceItem
from ipshield.evidence.receipts import file_hashes, receipt_pdf

RECEIPT_MAX_BYTES = 1024 * 1024  # a receipt is a few kilobytes


def _max_size() -> str:
    return filesizeformat(services.max_bytes())


@login_required
def evidence_home(request: HttpRequest) -> HttpResponse:
    complaints = selectors.complaints_for_evidence(request.user)
    form = EvidenceUploadForm(request.POST or None, request.FILES or None, complaints=complaints)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.evidence_preserve(
                actor=request.user,
                upload=form.cleaned_data["file"],
                case=form.cleaned_data["case"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("已存证：账本第 %(index)s 条。请下载并妥善保存存证证书（PDF）和回执（JSON）。")
                % {"index": item.leaf_index},
            )
            return redirect("evidence:detail", item_id=item.pk)
    capture_form = WebCaptureForm(prefix="capture", complaints=complaints)
    status = 400 if request.method == "POST" else 200
    return _home(request, form=form, capture_form=capture_form, status=status)


def _home(
    request: HttpRequest, *, form: EvidenceUploadForm, capture_form: WebCaptureForm, status: int
) -> HttpResponse:
    complaints = form.fields["case"].queryset
    page = Paginator(selectors.evidence_list(actor=request.user), 20).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "capture_form": capture_form,
        "page": page,
        "can_upload": services.is_rights_holder(request.user) or complaints.exists(),
        "max_size": _max_size(),
        "capture_max_size": filesizeformat(capture.capture_max_bytes()),
        "files_dropped": bool(request.FILES and form.errors),
    }
    return render(request, "evidence/list.html", context, status=status)


@login_required
@require_POST
def evidence_capture(request: HttpRequest) -> HttpResponse:
    """The list page's web capture form (rights holders, or a complaint's submitter)."""
    complaints = selectors.complaints_for_evidence(request.user)
    form = WebCaptureForm(request.POST, prefix="capture", complaints=complaints)
    if form.is_valid():
        try:
            item = capture.evidence_capture(
                actor=request.user,
                url=form.cleaned_data["url"],
                case=form.cleaned_data["case"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _captured_message(item))
            return redirect("evidence:detail", item_id=item.pk)
    upload_form = EvidenceUploadForm(complaints=complaints)
    return _home(request, form=upload_form, capture_form=form, status=400)


def _captured_message(item: EvidenceItem) -> str:
    shot = (capture.capture_of(item) or {}).get("screenshot")
    text = _("已完成网页取证：账本第 %(index)s 条。") % {"index": item.leaf_index}
    if shot is None:
        text += _("本次未能截图，网页内容和响应头已存证。")
    return text + _("请下载取证包（ZIP）、存证证书（PDF）和回执（JSON）并妥善保存。")


def _item_or_404(request: HttpRequest, item_id: int) -> EvidenceItem:
    item = selectors.evidence_get(actor=request.user, item_id=item_id)
    if item is None:
        raise Http404(_("找不到该存证，或您无权查看。"))
    return item


def _receipt_or_none(item: EvidenceItem) -> dict[str, Any] | None:
    try:
        return selectors.evidence_receipt(item)
    except (ValueError, LogError):
        return None


@login_required
@never_cache
def evidence_detail(request: HttpRequest, item_id: int) -> HttpResponse:
    item = _item_or_404(request, item_id)
    receipt = _receipt_or_none(item)
    context = {
        "item": item,
        "receipt": receipt,
        "capture": capture.capture_of(item),
        "leaf": json.loads(item.leaf),
        "receipt_text": json.dumps(receipt, ensure_ascii=False, indent=2) if receipt else "",
    }
    return render(request, "evidence/detail.html", context)


def _receipt_for_download(request: HttpRequest, item_id: int) -> tuple[EvidenceItem, dict]:
    item = _item_or_404(request, item_id)
    receipt = _receipt_or_none(item)
    if receipt is None:
        raise Http404(_("账本中找不到该存证的证明，请联系平台管理员。"))
    return item, receipt


@login_required
@never_cache
def receipt_json(request: HttpRequest, item_id: int) -> HttpResponse:
    item, receipt = _receipt_for_download(request, item_id)
    response = JsonResponse(receipt, json_dumps_params={"ensure_ascii": False, "indent": 2})
    filename = f"ipshield-evidence-{item.leaf_index}-receipt.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@never_cache
def receipt_pdf_view(request: HttpRequest, item_id: int) -> HttpResponse:
    item, receipt = _receipt_for_download(request, item_id)
    pdf = receipt_pdf(receipt, public_key_url=selectors.public_key_url())
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"ipshield-evidence-{item.leaf_index}-certificate.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def evidence_file(request: HttpRequest, item_id: int) -> FileResponse:
    """The preserved file itself (for a web capture: its zip), to whoever may see the item."""
    item = _item_or_404(request, item_id)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("存证文件已不在存储中，请联系平台管理员。")) from exc
    content_type = "application/zip" if item.content_type == "application/zip" else None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=item.original_name,
        content_type=content_type or "application/octet-stream",
    )


@staff_required
@require_POST
def case_capture(request: HttpRequest, case_id: int) -> HttpResponse:
    try:
        case = services.case_for_upload(actor=request.user, case_id=case_id)
    except DomainError as error:
        raise Http404(str(error.message)) from error
    form = CaseCaptureForm(request.POST)
    form.is_valid()
    try:
        item = capture.evidence_capture(
            actor=request.user, url=form.cleaned_data.get("url") or "", case=case
        )
    except DomainError as error:
        messages.error(request, _("网页取证未完成：%(reason)s") % {"reason": error.message})
    else:
        messages.success(request, _captured_message(item))
    return redirect(reverse("workbench:case-detail", args=[case.pk]) + "#evidence")


@staff_required
@require_POST
def case_upload(request: HttpRequest, case_id: int) -> HttpResponse:
    try:
        case = services.case_for_upload(actor=request.user, case_id=case_id)
    except DomainError as error:
        raise Http404(str(error.message)) from error
    form = CaseEvidenceForm(request.POST, request.FILES)
    form.is_valid()
    try:
        item = services.evidence_preserve(
            actor=request.user, upload=form.cleaned_data.get("file"), case=case
        )
    except DomainError as error:
        messages.error(request, _("存证未完成：%(reason)s") % {"reason": error.message})
    else:
        messages.success(
            request,
            _("已存证“%(name)s”：账本第 %(index)s 条。")
            % {"name": item.original_name, "index": item.leaf_index},
        )
    return redirect(reverse("workbench:case-detail", args=[case.pk]) + "#evidence")


# -- The public verify page ---------------------------------------------------------------------


def _hash_upload(upload: UploadedFile) -> str:
    if not upload.size:
        raise InvalidInput(_("上传的文件是空的。"), field="file", code=errors.UPLOAD_EMPTY)
    if upload.size > services.max_bytes():
        raise InvalidInput(
            _("文件太大（%(size)s），可上传核验的文件上限为 %(limit)s；请改为填写它的 SHA-256。")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(services.max_bytes())},
            field="file",
            code=errors.UPLOAD_TOO_LARGE,
        )
    return file_hashes(upload.chunks())[0]


def _receipt_input(data: dict[str, Any]) -> tuple[bytes | str | None, str]:
    """The receipt given (uploaded file or pasted text) and the field it came from."""
    upload = data.get("receipt")
    if upload is not None:
        if upload.size > RECEIPT_MAX_BYTES:
            raise InvalidInput(
                _("回执文件太大：存证回执只有几 KB，请确认上传的是 .json 回执。"),
                field="receipt",
                code=errors.RECEIPT_INVALID,
            )
        content = upload.read()
        if not content.strip():
            raise InvalidInput(_("回执文件是空的。"), field="receipt", code=errors.RECEIPT_INVALID)
        return content, "receipt"
    text = (data.get("receipt_text") or "").strip()
    return (text or None), "receipt_text"


def _verify(data: dict[str, Any]) -> selectors.PublicVerification:
    upload = data.get("file")
    typed = (data.get("sha256") or "").strip()
    if upload is not None:
        sha256 = _hash_upload(upload)
        if typed and selectors.clean_sha256(typed) != sha256:
            raise InvalidInput(
                _("填写的 SHA-256 与所上传文件的（%(sha)s）不同；只需提供其中之一。")
                % {"sha": sha256},
                field="sha256",
                code=errors.HASH_MISMATCH,
            )
    elif typed:
        sha256 = typed
    else:
        raise InvalidInput(
            _("请上传要核验的文件，或填写它的 SHA-256。"),
            field="file",
            code=errors.NOTHING_TO_VERIFY,
        )
    receipt, receipt_field = _receipt_input(data)
    try:
        return selectors.verify_public(sha256=sha256, receipt=receipt)
    except DomainError as error:
        if error.field == "receipt":
            error.field = receipt_field
        raise


def _public_key_context() -> dict[str, str]:
    pem = ledger.public_key_pem()
    fingerprint = ledger.key_fingerprint(pem)
    groups = " ".join(fingerprint[i : i + 4] for i in range(0, len(fingerprint), 4))
    return {"public_key_pem": pem, "fingerprint": fingerprint, "fingerprint_groups": groups}


@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    result = None
    status = 200
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
    elif request.GET.get("sha256"):  # the QR code of a certificate links here with the hash
        form = VerifyForm({"sha256": request.GET["sha256"]})
    else:
        form = VerifyForm()
    if form.is_bound and form.is_valid():
        try:
            result = _verify(form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
            status = 400
    elif form.is_bound:
        status = 400
    context = {"form": form, "result": result, **_public_key_context()}
    return render(request, "evidence/verify.html", context, status=status)


def public_key(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(ledger.public_key_pem(), content_type="text/plain; charset=us-ascii")
    response["Content-Disposition"] = 'inline; filename="ipshield-ledger-public-key.pem"'
    return response
