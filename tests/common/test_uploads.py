"""Content types come from the bytes; stored names never get an extension a browser renders."""

from __future__ import annotations

import pytest

from ipshield.common.uploads import detect_content_type, stored_extension

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (PNG, "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"%PDF-1.7\n", "application/pdf"),
        (b"PK\x03\x04\x14\x00", "application/zip"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"\x00\x00\x00\x18ftypmp42", "video/mp4"),
        ("2026 年 1 月 5 日进货单".encode(), "text/plain; charset=utf-8"),
        ("进货单".encode("gb18030"), "text/plain; charset=gb18030"),
        (b"  <!DOCTYPE html><html><body>hi", "text/html"),
        (b"hello <script>alert(1)</script>", "text/html"),
        (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">', "image/svg+xml"),
        (b"<svg onload=alert(1)>", "image/svg+xml"),
        (b'<?xml version="1.0"?><root/>', "application/xml"),
        (b"\x00\x01\x02\x03binary", "application/octet-stream"),
        (b"", "application/octet-stream"),
    ],
)
def test_detect_content_type(head, expected):
    assert detect_content_type(head) == expected


def test_a_multibyte_character_cut_at_the_end_is_still_text():
    head = "红枣".encode()[:-1]
    assert detect_content_type(b"abc " + head) == "text/plain; charset=utf-8"


@pytest.mark.parametrize(
    ("content_type", "extension"),
    [
        ("image/png", ".png"),
        ("application/pdf", ".pdf"),
        ("application/zip", ".zip"),
        ("text/html", ".bin"),
        ("image/svg+xml", ".bin"),
        ("application/xml", ".bin"),
        ("text/plain; charset=utf-8", ".bin"),
        ("application/octet-stream", ".bin"),
    ],
)
def test_stored_extension_is_never_one_a_browser_renders_as_a_page(content_type, extension):
    assert stored_extension(content_type) == extension
