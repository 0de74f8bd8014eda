"""Upload checks: size and type, decided by content, not by the name the browser sent."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from ipshield.common.errors import InvalidInput

# Magic numbers of the file types staff and rights holders attach to records.
_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
    "webp": (b"RIFF",),
}
DOCUMENT_TYPES = ("pdf", "png", "jpeg", "gif", "webp")


def detect_type(head: bytes) -> str | None:
    for kind, signatures in _SIGNATURES.items():
        if any(head.startswith(sig) for sig in signatures):
            if kind == "webp" and head[8:12] != b"WEBP":
                continue
            return kind
    return None


def validate_upload(
    upload: UploadedFile,
    *,
    field: str,
    allowed: tuple[str, ...] = DOCUMENT_TYPES,
    max_bytes: int | None = None,
) -> str:
    """Return the detected type, or raise InvalidInput naming ``field``."""
    limit = max_bytes or settings.IPSHIELD_MAX_UPLOAD_BYTES
    if upload.size is None or upload.size == 0:
        raise InvalidInput(_("上传的文件是空的。"), field=field, code="upload_empty")
    if upload.size > limit:
        raise InvalidInput(
            _("文件太大：%(size).1f MB，上限为 %(limit).0f MB。")
            % {"size": upload.size / 1048576, "limit": limit / 1048576},
            field=field,
            code="upload_too_large",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = detect_type(head)
    if kind not in allowed:
        raise InvalidInput(
            _("不支持的文件类型，请上传：%(types)s。") % {"types": "、".join(allowed).upper()},
            field=field,
            code="upload_type",
        )
    return kind
