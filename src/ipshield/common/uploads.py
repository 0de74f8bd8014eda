"""Upload checks: size and type, decided by content, not by the name the browser sent.

:func:`validate_upload` accepts the document types of records; :func:`detect_content_type`
names any file's type from its bytes, and :func:`stored_extension` the extension it is stored
with (the name a user gave a file is kept as data only).
"""

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


# -- Content types from content ---------------------------------------------------------------

#: Bytes read from the start of a file to decide its type.
SNIFF_BYTES = 4096

# (offset, magic, MIME type), checked in order; the first match wins.
_MAGIC: tuple[tuple[int, bytes, str], ...] = (
    (0, b"%PDF-", "application/pdf"),
    (0, b"\x89PNG\r\n\x1a\n", "image/png"),
    (0, b"\xff\xd8\xff", "image/jpeg"),
    (0, b"GIF87a", "image/gif"),
    (0, b"GIF89a", "image/gif"),
    (0, b"BM", "image/bmp"),
    (0, b"II*\x00", "image/tiff"),
    (0, b"MM\x00*", "image/tiff"),
    (0, b"PK\x03\x04", "application/zip"),
    (0, b"PK\x05\x06", "application/zip"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage"),
    (0, b"\x1f\x8b", "application/gzip"),
    (0, b"Rar!\x1a\x07", "application/vnd.rar"),
    (0, b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
    (0, b"{\\rtf", "application/rtf"),
    (0, b"OggS", "audio/ogg"),
    (0, b"ID3", "audio/mpeg"),
    (0, b"fLaC", "audio/flac"),
    (0, b"\x1a\x45\xdf\xa3", "video/webm"),
)
_RIFF = {b"WEBP": "image/webp", b"WAVE": "audio/wav", b"AVI ": "video/x-msvideo"}
_HTML_STARTS = (
    b"<!doctype html",
    b"<html",
    b"<head",
    b"<body",
    b"<script",
    b"<iframe",
    b"<title",
    b"<style",
    b"<meta",
    b"<div",
    b"<a ",
    b"<img",
    b"<table",
    b"<p>",
    b"<!--",
)

#: Extensions a stored file may get, by detected type: only types no browser runs as a page.
#: Everything else (HTML, SVG, XML, any text) is stored as ``.bin``.
STORED_EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/bmp": ".bmp",
    "image/tiff": ".tif",
    "application/zip": ".zip",
    "application/gzip": ".gz",
    "application/vnd.rar": ".rar",
    "application/x-7z-compressed": ".7z",
    "audio/mpeg": ".mp3",
    "audio/wav": ".wav",
    "audio/ogg": ".ogg",
    "audio/flac": ".flac",
    "video/mp4": ".mp4",
    "video/webm": ".webm",
    "video/x-msvideo": ".avi",
}


def detect_content_type(head: bytes) -> str:
    """The MIME type of a file judged from its first bytes (:data:`SNIFF_BYTES` of them).

    Never from a name or a client's claim. Text is ``text/plain; charset=utf-8`` (or
    ``gb18030``), or ``text/html`` / ``image/svg+xml`` / ``application/xml`` when it is markup a
    browser would render; unknown binary data is ``application/octet-stream``.

    >>> detect_content_type(b"\\x89PNG\\r\\n\\x1a\\n....")
    'image/png'
    >>> detect_content_type("进货单：红枣 20 箱".encode())
    'text/plain; charset=utf-8'
    >>> detect_content_type(b"<html><script>alert(1)</script>")
    'text/html'
    """
    for offset, magic, mime in _MAGIC:
        if head[offset : offset + len(magic)] == magic:
            return mime
    if head[:4] == b"RIFF" and head[8:12] in _RIFF:
        return _RIFF[head[8:12]]
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"heic", b"heix", b"mif1", b"msf1"):
            return "image/heic"
        return "video/quicktime" if brand == b"qt  " else "video/mp4"
    charset = _text_charset(head)
    if charset is None:
        return "application/octet-stream"
    markup = _markup_type(head)
    return markup or f"text/plain; charset={charset}"


def _text_charset(head: bytes) -> str | None:
    if not head or b"\x00" in head:
        return None
    if any(byte < 0x20 and byte not in (0x09, 0x0A, 0x0C, 0x0D, 0x1B) for byte in head):
        return None
    for charset in ("utf-8", "gb18030"):
        try:
            head.decode(charset)
        except UnicodeDecodeError as error:
            # A multi-byte character cut at the end of the sniffed bytes is still text.
            if error.start < len(head) - 4:
                continue
        return charset
    return None


def _markup_type(head: bytes) -> str | None:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n\x0c").lower()
    if b"<svg" in text[:1024] and (text.startswith(b"<svg") or text.startswith(b"<?xml")):
        return "image/svg+xml"
    if text.startswith(b"<?xml"):
        return "application/xml"
    if text.startswith(_HTML_STARTS) or b"<script" in text or b"<html" in text:
        return "text/html"
    return None


def stored_extension(content_type: str) -> str:
    """The extension of a stored file of ``content_type`` (detected): never one a browser
    would render as a page, whatever name the file was uploaded with."""
    return STORED_EXTENSIONS.get(content_type.split(";", 1)[0].strip().lower(), ".bin")


def sniff(upload: UploadedFile) -> str:
    """:func:`detect_content_type` of an upload, leaving it at its start."""
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    return detect_content_type(head)
