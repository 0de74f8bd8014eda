"""API routes for a case's documents (文书): list the kinds with their versions and what each
still needs, generate a version, upload a signed scan, download a version. Scoped like the
case routes: a case the caller's unit cannot see is not found; only the unit that handles it
adds versions."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import FileResponse, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from ipshield.cases import selectors as case_selectors
from ipshield.cases.models import Case
from ipshield.common.api import actor
from ipshield.common.errors import NotFound
from ipshield.common.validation import Id
from ipshield.documents import selectors, services
from ipshield.documents.models import CaseDocument
from ipshield.documents.views import VERSION_MAX, download_name

router = Router()

KindCode = Annotated[str, Field(max_length=32, pattern=r"^[a-z_]+$")]
Version = Annotated[int, Field(ge=1, le=VERSION_MAX)]


class MissingOut(Schema):
    field: str = Field(..., description="缺少的数据（上下文中的路径）")
    label: str = Field(..., description="缺少的数据，用调用者的语言表述")


class VersionOut(Schema):
    id: int
    kind: str
    version: int
    format: str = Field(..., description="pdf、docx 或 scan（上传的扫描件）")
    source: str = Field(..., description="generated 或 uploaded")
    sha256: str
    size: int
    created_by: str | None
    created_at: dt.datetime
    leaf_index: int | None = Field(..., description="存证账本中的位置（提交后写入）")
    file: str = Field(..., description="下载地址")

    @staticmethod
    def resolve_created_by(document: CaseDocument) -> str | None:
        user = document.created_by
        if user is None:
            return None
        profile = getattr(user, "profile", None)
        return getattr(profile, "display_name", "") or user.get_username()

    @staticmethod
    def resolve_file(document: CaseDocument) -> str:
        return reverse(
            "api:case_document_file",
            kwargs={
                "case_id": document.case_id,
                "kind": document.kind,
                "version": document.version,
            },
        )


class KindOut(Schema):
    kind: str
    title: str
    missing: list[MissingOut]
    versions: list[VersionOut]


class FormatQuery(Schema):
    format: Literal["pdf", "docx"] = Field("pdf", description="pdf 或 docx")


def _case(request: HttpRequest, case_id: int) -> Case:
    case = case_selectors.case_list(actor=actor(request)).filter(pk=case_id).first()
    if case is None:
        raise NotFound(_("找不到该案件，或您无权查看。"))
    return case


@router.get("/cases/{case_id}/documents", response=list[KindOut], summary="案件文书及其版本")
def document_list(request: HttpRequest, case_id: Id) -> list[dict[str, Any]]:
    rows = selectors.kind_rows(_case(request, case_id))
    return [
        {
            "kind": row.code,
            "title": row.title,
            "missing": [
                {"field": f, "label": label}
                for f, label in zip(row.missing_fields, row.missing, strict=True)
            ],
            "versions": row.versions,
        }
        for row in rows
    ]


@router.post(
    "/cases/{case_id}/documents/{kind}",
    response={201: VersionOut},
    summary="生成文书的新版本（PDF 或 DOCX）",
)
def document_generate(
    request: HttpRequest, case_id: Id, kind: KindCode, query: Query[FormatQuery]
) -> Status:
    document = services.document_generate(
        actor=actor(request), case=_case(request, case_id), kind=kind, fmt=query.format
    )
    return Status(201, document)


@router.post(
    "/cases/{case_id}/documents/{kind}/scans",
    response={201: VersionOut},
    summary="上传签章后的扫描件或修改后的文书（新版本）",
)
def document_upload(
    request: HttpRequest,
    case_id: Id,
    kind: KindCode,
    # Optional here so that a missing file is refused by the service, naming the field "file".
    file: File[UploadedFile | None] = None,
) -> Status:
    document = services.document_upload(
        actor=actor(request), case=_case(request, case_id), kind=kind, upload=file
    )
    return Status(201, document)


@router.get(
    "/cases/{case_id}/file",
    response={200: None},
    url_name="case_file_export",
    summary="下载电子卷宗（ZIP：封面、目录、文书、证据和哈希清单；记入执法全过程记录）",
)
def case_file_export(request: HttpRequest, case_id: Id) -> FileResponse:
    handle, name = services.case_file_export(actor=actor(request), case=_case(request, case_id))
    return FileResponse(handle, as_attachment=True, filename=name, content_type="application/zip")


@router.get(
    "/cases/{case_id}/documents/{kind}/versions/{version}",
    response={200: None},
    url_name="case_document_file",
    summary="下载文书的一个版本（记入执法全过程记录）",
)
def document_file(
    request: HttpRequest, case_id: Id, kind: KindCode, version: Version
) -> FileResponse:
    case = _case(request, case_id)
    document = selectors.document_get(actor=actor(request), case=case, kind=kind, version=version)
    handle = services.document_open(actor=actor(request), case=case, document=document)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(case, document),
        content_type=document.content_type or "application/octet-stream",
    )
