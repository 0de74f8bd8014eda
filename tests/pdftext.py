"""Reading back the text of the PDFs reportlab makes (no PDF library is installed)."""

from __future__ import annotations

import base64
import contextlib
import re
import zlib


def pdf_text(data: bytes) -> str:
    """The text drawn in a reportlab PDF: undo each content stream's ASCII85 and Flate
    filters, then decode the strings shown with ``Tj`` — two-byte UCS-2 in the CID font, one
    byte in the built-in fonts."""
    cid_fonts = set(re.findall(rb"/Encoding /UniGB-UCS2-H /Name /(F\d+)", data))
    text = []
    for raw in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S):
        stream = raw.strip()
        if stream.endswith(b"~>"):
            stream = base64.a85decode(stream[:-2])
        with contextlib.suppress(zlib.error):
            stream = zlib.decompress(stream)
        font = b""
        for match in re.finditer(rb"/(F\d+) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\) Tj", stream, re.S):
            if match.group(1):
                font = match.group(1)
                continue
            shown = re.sub(
                rb"\\([0-7]{1,3}|.)",
                lambda m: (
                    bytes([int(m.group(1), 8)])
                    if m.group(1)[:1].isdigit()
                    else {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(m.group(1), m.group(1))
                ),
                match.group(2),
            )
            text.append(shown.decode("utf-16-be" if font in cid_fonts else "latin-1"))
    return "\n".join(text)
