"""Every change of state in the documents app: generating a version, uploading one, and
opening one (which the case record notes).

A version is never overwritten: each generation or upload is a new row, a new file and the
next version number of its case and kind, written under the case's row lock (only the unit
that handles the case may add one, ``cases.services.require_handler``), together with a
case-record entry; its hash goes into the evidence ledger once the transaction commits
(``documents.anchoring``).

>>> version = document_generate(actor=officer, case=case, kind="decision", fmt="pdf")
>>> version.version, version.format
(1, 'pdf')
"""

from __future__ import annotations

import hashlib
import json
import secrets
import tempfile
import zipfile
from collections.abc import Iterator
from typing import IO, Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ipshield.cases import record
from ipshield.cases.models import Case
from ipshield.cases.selectors import case_visible_to
from ipshield.cases.services import require_handler
from ipshield.common.errors import Conflict, InvalidInput, NotFound
from ipshield.common.uploads import sniff, stored_extension, validate_upload
from ipshield.documents import anchoring, errors, layouts, registry, render
from ipshield.documents.models import CaseDocument, DocumentFormat, DocumentSource
from ipshield.documents.registry import DocumentKind, Required

__all__ = [
    "DOCUMENT_LANGUAGE",
    "build",
    "case_file_export",
    "document_generate",
    "document_open",
    "document_upload",
    "kind_or_error",
    "render_bytes",
]

# Documents are served on parties and filed: they are issued in Chinese whatever the language
# of the person who generates them (the pages around them follow the reader).
DOCUMENT_LANGUAGE = "zh-hans"
GENERATED_FORMATS: dict[str, str] = {
    DocumentFormat.PDF.value: "application/pdf",
    DocumentFormat.DOCX.value: (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
}


def kind_or_error(code: str) -> DocumentKind:
    kind = registry.get(str(code or ""))
    if kind is None or kind.subject != "case":
        raise InvalidInput(_("没有这种文书。"), field="kind", code=errors.UNKNOWN_KIND)
    return kind


def build(kind: DocumentKind, case: Case) -> tuple[dict[str, Any], list[Required]]:
    """The kind's context for ``case`` and the required data it lacks."""
    with translation.override(DOCUMENT_LANGUAGE):
        context = kind.build(case)
    return context, registry.missing(kind, context)


def missing_refusal(kind: DocumentKind, missing: list[Required]) -> Conflict:
    """The refusal naming, in the reader's language, what the document still needs."""
    labels = [str(r.label) for r in missing]
    return Conflict(
        _("生成“%(title)s”还缺少：%(items)s。请先在案件中办理或填写这些内容。")
        % {"title": kind.title, "items": pgettext("list separator", "、").join(labels)},
        code=errors.DATA_MISSING,
        details={
            "missing": [
                {"field": r.path, "label": label} for r, label in zip(missing, labels, strict=True)
            ]
        },
    )


def not_offered_refusal(kind: DocumentKind) -> Conflict:
    """The refusal of a kind that does not apply to the case (``DocumentKind.offered_for``)."""
    return Conflict(
        _("本案不适用“%(title)s”。") % {"title": kind.title},
        field="kind",
        code=errors.NOT_OFFERED,
    )


def render_bytes(kind: DocumentKind, case: Case, fmt: str) -> bytes:
    """The document as ``fmt`` (pdf or docx); refused when the kind does not apply to the
    case, or with the list of what is missing."""
    if not registry.offered(kind, case):
        raise not_offered_refusal(kind)
    context, missing = build(kind, case)
    if missing:
        raise missing_refusal(kind, missing)
    with translation.override(DOCUMENT_LANGUAGE):
        layout = layouts.fill(kind, context)
    return render.to_pdf(layout) if fmt == DocumentFormat.PDF else render.to_docx(layout)


def _next_version(case: Case, kind: DocumentKind) -> int:
    last = CaseDocument.objects.filter(case=case, kind=kind.code).aggregate(v=Max("version"))
    return (last["v"] or 0) + 1


def _store(
    *,
    actor: Any,
    case: Case,
    kind: DocumentKind,
    fmt: str,
    source: str,
    content: Any,
    sha256: str,
    size: int,
    content_type: str,
    extension: str,
    original_name: str = "",
) -> CaseDocument:
    """Write the file under a new name and its row; the caller holds the case's lock."""
    version = _next_version(case, kind)
    document = CaseDocument(
        case=case,
        kind=kind.code,
        version=version,
        format=fmt,
        source=source,
        original_name=original_name[:200],
        content_type=content_type,
        size=size,
        sha256=sha256,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    name = f"{case.number}-{kind.code}-v{version}-{secrets.token_hex(6)}{extension}"
    document.file.save(name, content, save=False)
    try:
        with transaction.atomic():
            document.save(force_insert=True)
            record.document_added(case=case, actor=actor, document=document, title=_msgid(kind))
    except BaseException:
        document.file.delete(save=False)
        raise
    anchoring.schedule(document)
    return document


def _msgid(kind: DocumentKind) -> str:
    """The kind's title in Chinese (its msgid), for the case record to translate on display."""
    with translation.override(DOCUMENT_LANGUAGE):
        return str(kind.title)


def document_generate(*, actor: Any, case: Case, kind: str, fmt: str) -> CaseDocument:
    """Generate the next version of ``kind`` on ``case`` as ``fmt`` (``pdf`` or ``docx``) from
    the case's data. Missing data refuses with ``document_data_missing`` and the list."""
    document_kind = kind_or_error(kind)
    if fmt not in GENERATED_FORMATS:
        raise InvalidInput(_("请选择 PDF 或 DOCX 格式。"), field="format", code=errors.BAD_FORMAT)
    with transaction.atomic():
        locked = require_handler(actor, case)
        data = render_bytes(document_kind, locked, fmt)
        return _store(
            actor=actor,
            case=locked,
            kind=document_kind,
            fmt=fmt,
            source=DocumentSource.GENERATED,
            content=ContentFile(data),
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            content_type=GENERATED_FORMATS[fmt],
            extension=f".{fmt}",
        )


def document_upload(
    *, actor: Any, case: Case, kind: str, upload: UploadedFile | None
) -> CaseDocument:
    """Keep an edited or signed copy of ``kind`` (a PDF or an image scan) as its next version."""
    document_kind = kind_or_error(kind)
    if upload is None:
        raise InvalidInput(_("请选择要上传的文件。"), field="file", code="upload_empty")
    validate_upload(upload, field="file")
    content_type = sniff(upload)
    hasher = hashlib.sha256()
    size = 0
    for chunk in upload.chunks():
        hasher.update(chunk)
        size += len(chunk)
    upload.seek(0)
    with transaction.atomic():
        locked = require_handler(actor, case)
        if not registry.offered(document_kind, locked):
            raise not_offered_refusal(document_kind)
        return _store(
            actor=actor,
            case=locked,
            kind=document_kind,
            fmt=DocumentFormat.SCAN,
            source=DocumentSource.UPLOADED,
            content=upload,
            sha256=hasher.hexdigest(),
            size=size,
            content_type=content_type.split(";", 1)[0],
            extension=stored_extension(content_type),
            original_name="".join(c for c in (upload.name or "") if c.isprintable()),
        )


@transaction.atomic
def document_open(*, actor: Any, case: Case, document: CaseDocument) -> IO[bytes]:
    """Open a version for reading and note on the case record who did (as attachments are).
    Read-only roles may open documents too; the record says who did."""
    if document.case_id != case.pk or not case_visible_to(actor=actor, case_id=case.pk):
        raise NotFound(_("找不到该文书，或您无权查看。"))
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise NotFound(_("文书文件已不在存储中，请联系管理员。"), code=errors.FILE_MISSING) from exc
    try:
        kind = registry.get(document.kind)
        title = _msgid(kind) if kind else document.kind
        record.document_viewed(case=case, actor=actor, document=document, title=title)
    except BaseException:
        handle.close()
        raise
    return handle


# --- the electronic case file (电子卷宗): one ZIP of the whole archived file

# Kept in memory up to this size, then in a temporary file: a file of scans and captured pages
# can run to hundreds of megabytes.
EXPORT_SPOOL_BYTES = 32 * 1024 * 1024
CHUNK = 1024 * 1024
MANIFEST = "manifest.json"
CHECKSUMS = "SHA256SUMS"


def safe_name(name: str, limit: int = 120) -> str:
    """A file name for the archive: no folders, no control characters, not empty.

    >>> safe_name("../证据/进货单.txt")
    '.._证据_进货单.txt'
    """
    cleaned = "".join("_" if c in '/\\:*?"<>|' else c for c in name if c.isprintable())
    cleaned = cleaned.strip()
    if not cleaned.strip("."):
        cleaned = "file"
    return cleaned[-limit:]


def _chunks(handle: IO[bytes]) -> Iterator[bytes]:
    with handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def _open_stored(field: Any) -> IO[bytes]:
    try:
        return field.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise NotFound(
            _("卷宗中的文件已不在存储中，请联系管理员。"), code=errors.FILE_MISSING
        ) from exc


def case_file_export(*, actor: Any, case: Case) -> tuple[IO[bytes], str]:
    """The whole electronic file of an archived case as one ZIP: the cover and the index as
    PDFs first, then the latest version of every document and every preserved evidence file,
    each named in order (``01-卷宗封面.pdf``, ``02-卷内文件目录.pdf``, ``03-…``), with
    ``manifest.json`` and ``SHA256SUMS`` giving each file's SHA-256 so that a recipient can
    check each one (``sha256sum -c SHA256SUMS``). The export is noted on the case record. Read-
    only roles may export too; a case not closed, or not yet archived, is refused like its cover.
    Returns the open archive (the caller closes it) and its download name."""
    from ipshield.documents.case_kinds import document_title, file_documents
    from ipshield.evidence.models import EvidenceItem

    if not case_visible_to(actor=actor, case_id=case.pk):
        raise NotFound(_("找不到该案件，或您无权查看。"))
    case = Case.objects.select_related("unit").get(pk=case.pk)
    parts: list[tuple[str, str, str, Any]] = []  # (name, type, recorded sha256, bytes or field)
    for code in ("archive_cover", "archive_index"):
        form = registry.get(code)
        assert form is not None
        parts.append((f"{_msgid(form)}.pdf", code, "", render_bytes(form, case, "pdf")))
    with translation.override(DOCUMENT_LANGUAGE):
        for document in file_documents(case):
            name = f"{document_title(document.kind)}-v{document.version}.{document.extension}"
            parts.append((name, "document", document.sha256, document.file))
    for item in EvidenceItem.objects.filter(case=case).order_by("leaf_index"):
        parts.append((f"证据-{safe_name(item.original_name)}", "evidence", item.sha256, item.file))
    width = max(2, len(str(len(parts))))
    spool = tempfile.SpooledTemporaryFile(max_size=EXPORT_SPOOL_BYTES)  # noqa: SIM115
    files: list[dict[str, Any]] = []
    try:
        with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
            for number, (name, kind, recorded, content) in enumerate(parts, start=1):
                full = f"{number:0{width}d}-{safe_name(name)}"
                hasher, size = hashlib.sha256(), 0
                chunks = [content] if isinstance(content, bytes) else _chunks(_open_stored(content))
                with bundle.open(full, "w", force_zip64=True) as out:
                    for chunk in chunks:
                        hasher.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                entry = {"name": full, "type": kind, "size": size, "sha256": hasher.hexdigest()}
                if recorded:
                    # A stored file that no longer matches the hash recorded when it was kept
                    # is exported as it is, and flagged.
                    entry["matches_record"] = recorded == entry["sha256"]
                files.append(entry)
            manifest = {
                "case": case.number,
                "archive_number": case.archive.number,
                "unit": case.unit.name,
                "exported_at": timezone.localtime().isoformat(timespec="seconds"),
                "algorithm": "SHA-256",
                "files": files,
            }
            manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            bundle.writestr(MANIFEST, manifest_bytes)
            bundle.writestr(
                CHECKSUMS, "".join(f"{f['sha256']}  {f['name']}\n" for f in files).encode()
            )
        with transaction.atomic():
            record.file_exported(
                case=case,
                actor=actor,
                files=len(files),
                manifest_sha256=hashlib.sha256(manifest_bytes).hexdigest(),
            )
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return spool, f"{case.number}-电子卷宗.zip"
