"""The 文书 panel of the case page and its three pages: generate a version, upload a signed or
edited copy, download a version. Registered on the case page from ``AppConfig.ready`` through
``cases.views.add_case_panel``; the case pages never import this app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ipshield.accounts.pages import staff_required
from ipshield.accounts.selectors import profile_of
from ipshield.cases import procedure
from ipshield.cases import views as case_views
from ipshield.cases.models import Case
from ipshield.common.errors import DomainError
from ipshield.common.forms import add_domain_error
from ipshield.documents import registry, selectors, services
from ipshield.documents.models import DocumentFormat

PANEL_ANCHOR = "#documents"
VERSION_MAX = 2**31 - 1  # a PositiveIntegerField on every database


class UploadForm(forms.Form):
    """Lenient on purpose: the service refuses, naming the field."""

    kind = forms.ChoiceField(label=gettext_lazy("文书"), required=False, choices=())
    file = forms.FileField(
        label=gettext_lazy("签章后的扫描件或修改后的文书（PDF 或图片）"), required=False
    )

    def __init__(self, *args: Any, case: Case | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            ("", gettext_lazy("— 请选择 —")),
            *(
                (k.code, k.title)
                for k in registry.kinds("case")
                if case is None or registry.offered(k, case)
            ),
        ]


def _can_handle(user: Any, case: Case) -> bool:
    profile = profile_of(user)
    return bool(profile and not profile.read_only and profile.unit_id == case.unit_id)


def case_documents(
    request: Any, case: Case, *, error: str = "", form: UploadForm | None = None
) -> dict[str, Any]:
    """The context of the 文书 panel on a case page."""
    return {
        "docs": {
            "rows": selectors.kind_rows(case),
            "can_handle": _can_handle(request.user, case),
            "formats": [DocumentFormat.PDF, DocumentFormat.DOCX],
            "form": form or UploadForm(auto_id="id_document_%s", case=case),
            "error": error,
            # The electronic file once the case is filed (its cover needs the archive number).
            "exportable": procedure.archived(case),
        }
    }


def _case_page(request: Any, case_id: int, *, status: int, **panel: Any):
    case = case_views.case_or_404(request.user, case_id)  # as the service left it
    context = case_views.case_page_context(request, case)
    context.update(case_documents(request, case, **panel))
    return render(request, "cases/detail.html", context, status=status)


@staff_required
@require_POST
@never_cache
def generate(request, case_id: int, kind: str, fmt: str):
    case = case_views.case_or_404(request.user, case_id)
    try:
        document = services.document_generate(actor=request.user, case=case, kind=kind, fmt=fmt)
    except DomainError as exc:
        return _case_page(request, case_id, status=exc.status, error=str(exc.message))
    messages.success(
        request,
        _("已生成：%(title)s 第 %(v)d 版")
        % {"title": registry.get(kind).title, "v": document.version},  # type: ignore[union-attr]
    )
    return redirect(reverse("workbench:case-detail", args=[case.pk]) + PANEL_ANCHOR)


@staff_required
@require_POST
@never_cache
def upload(request, case_id: int):
    case = case_views.case_or_404(request.user, case_id)
    form = UploadForm(request.POST, request.FILES, auto_id="id_document_%s", case=case)
    form.is_valid()
    data = form.cleaned_data
    try:
        document = services.document_upload(
            actor=request.user, case=case, kind=data.get("kind", ""), upload=data.get("file")
        )
    except DomainError as exc:
        add_domain_error(form, exc)
        error = "" if exc.field in form.fields else str(exc.message)
        return _case_page(request, case_id, status=exc.status, error=error, form=form)
    messages.success(
        request,
        _("已上传：%(title)s 第 %(v)d 版")
        % {"title": registry.get(document.kind).title, "v": document.version},  # type: ignore[union-attr]
    )
    return redirect(reverse("workbench:case-detail", args=[case.pk]) + PANEL_ANCHOR)


@staff_required
@never_cache
def download(request, case_id: int, kind: str, version: int):
    case = case_views.case_or_404(request.user, case_id)
    if version > VERSION_MAX:
        raise Http404
    try:
        document = selectors.document_get(actor=request.user, case=case, kind=kind, version=version)
        handle = services.document_open(actor=request.user, case=case, document=document)
    except DomainError as exc:
        raise Http404(str(exc.message)) from exc
    return FileResponse(handle, as_attachment=True, filename=download_name(case, document))


@staff_required
@never_cache
def export(request, case_id: int):
    """The electronic case file (电子卷宗) as one ZIP."""
    case = case_views.case_or_404(request.user, case_id)
    try:
        handle, name = services.case_file_export(actor=request.user, case=case)
    except DomainError as exc:
        return _case_page(request, case_id, status=exc.status, error=str(exc.message))
    return FileResponse(handle, as_attachment=True, filename=name, content_type="application/zip")


def download_name(case: Case, document: Any) -> str:
    kind = registry.get(document.kind)
    title = str(kind.title) if kind else document.kind
    return f"{case.number}-{title}-v{document.version}.{document.extension}"
