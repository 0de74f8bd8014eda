"""Receipts (存证回执): what a submitter keeps to prove, years later, that a file was preserved.

A receipt comes in two forms with the same content: JSON (for machines and the offline check)
and a PDF certificate in Chinese (电子存证证书) with a QR code pointing at the verify page.
Checking a receipt needs only the file, the receipt and the published public key
(``/verify/public-key.pem``): no database, no network (:func:`verify_receipt`).

The leaf
--------
Each preserved file is one leaf of the platform ledger. The leaf input is the *canonical JSON*
(:func:`canonical_json`: keys sorted, no spaces, UTF-8, non-ASCII unescaped) of::

    {"type": "evidence.file",            # leaf kind; other kinds may share the ledger later
     "sha256": "<64 hex>", "sm3": "<64 hex>",   # hashes of the file's bytes
     "size": 12345,                       # bytes
     "name": "进货单.pdf",                # the name the file was uploaded with (data only)
     "detected_type": "application/pdf",  # the type detected from the file's bytes
     "declared_type": "image/png" | null, # what the uploader's client claimed (unchecked)
     "submitter": {"id": 7, "name": "张三"},
     "rights_holder": "保德县红枣有限公司" | null,
     "unit": {"id": 3, "name": "保德县市场监督管理局"} | null,
     "case": "TS20260105123456" | null,   # case or complaint number
     "time": "2026-01-05T10:00:00.123+08:00"}   # server time of preservation (ISO 8601)

Leaves written before 2026-12-07 have ``"content_type"`` (the uploader's declaration, or a guess
from the name) instead of ``detected_type``/``declared_type``; they verify exactly as before,
since a verifier recomputes the leaf from the receipt's own ``leaf`` object.

The receipt (JSON, version 1)
-----------------------------
::

    {"version": 1,
     "type": "ipshield.evidence.receipt",
     "algorithm": "sha256",               # the ledger's Merkle hash (RFC 6962 / RFC 9162)
     "leaf": {...the leaf object above...},
     "leaf_hash": "<hex>",                # H(0x00 || canonical_json(leaf)), for convenience
     "leaf_index": 41,                    # the leaf's position, from 0
     "tree_size": 42,                     # size of the tree the proof is for
     "root": "<hex>",                     # root hash of that tree
     "inclusion_proof": ["<hex>", ...],   # RFC 9162 section 2.1.3 audit path, leaf to root
     "signed_tree_head": {"origin": "...", "tree_size": 42, "root": "<hex>",
                          "timestamp": 1767578400123,    # ms since 1970-01-01 UTC
                          "signature": "<128 hex>"},     # Ed25519 over the C2SP checkpoint
     "public_key_fingerprint": "<hex>",   # SHA-256 of the key's DER SubjectPublicKeyInfo
     "verify_url": "https://…/verify/?sha256=…"}

The signature covers the head's checkpoint text (``engines.ledger.SignedTreeHead.body``):
origin, tree size, root (base64), ``algorithm sha256`` and ``timestamp <ms>``, one per line.
A verifier checks: the file's SHA-256 equals ``leaf.sha256``; ``leaf_index < tree_size``; the
receipt's ``tree_size``/``root`` equal the head's; the head's signature with the published key;
and that the proof leads from ``canonical_json(leaf)`` to ``root``. Fields are only ever added
to version 1; a change of meaning gets a new version.

Messages of the checks are bilingual (:class:`Text`): the offline command prints both
languages whatever the locale, and pages show the reader's.

>>> receipt = parse_receipt(receipt_json_text)
>>> verify_receipt(receipt, sha256=file_sha256, public_key=pem).ok
True
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any
from zoneinfo import ZoneInfo

from cryptography.hazmat.primitives import hashes
from django.utils.translation import get_language

from ipshield.common.errors import InvalidInput
from ipshield.engines.ledger import ALGORITHMS, Log, SignedTreeHead, leaf_hash, verify_inclusion
from ipshield.evidence import errors

__all__ = [
    "RECEIPT_TYPE",
    "RECEIPT_VERSION",
    "Check",
    "Receipt",
    "ReceiptError",
    "Text",
    "Verification",
    "build_receipt",
    "canonical_json",
    "file_hashes",
    "parse_receipt",
    "receipt_pdf",
    "verify_receipt",
]

RECEIPT_VERSION = 1
RECEIPT_TYPE = "ipshield.evidence.receipt"
LEAF_TYPE = "evidence.file"
BEIJING = ZoneInfo("Asia/Shanghai")
_HEX64 = re.compile(r"^[0-9a-fA-F]{64}$")
_HEX128 = re.compile(r"^[0-9a-fA-F]{128}$")
_MAX_PROOF = 64  # a proof has at most log2(size) hashes; 64 covers any possible log


@dataclass(frozen=True)
class Text:
    """A message in both languages; ``str()`` gives the active language's."""

    zh: str
    en: str

    def __str__(self) -> str:
        return self.en if (get_language() or "").startswith("en") else self.zh

    def both(self) -> str:
        return f"{self.zh} / {self.en}"


class ReceiptError(InvalidInput):
    """The receipt is not a receipt (not JSON, wrong version, a field missing or malformed)."""

    code = errors.RECEIPT_INVALID

    def __init__(self, text: Text, *, field: str = "receipt") -> None:
        super().__init__(text, field=field)  # type: ignore[arg-type]
        self.text = text


# -- Building ---------------------------------------------------------------------------------


def canonical_json(value: Any) -> bytes:
    """The one byte form of a JSON value that the ledger stores and verifiers recompute."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def file_hashes(chunks: Iterable[bytes]) -> tuple[str, str, int]:
    """SHA-256 and SM3 (hex) and the size of the bytes in ``chunks``, in one pass."""
    sha256 = hashlib.sha256()
    sm3 = hashes.Hash(hashes.SM3())
    size = 0
    for chunk in chunks:
        sha256.update(chunk)
        sm3.update(chunk)
        size += len(chunk)
    return sha256.hexdigest(), sm3.finalize().hex(), size


def sha256_of_stream(stream: IO[bytes], chunk_size: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    while chunk := stream.read(chunk_size):
        digest.update(chunk)
    return digest.hexdigest()


def build_receipt(
    *,
    leaf: dict[str, Any],
    leaf_index: int,
    head: SignedTreeHead,
    proof: list[bytes],
    fingerprint: str,
    verify_url: str,
) -> dict[str, Any]:
    """The version-1 receipt of ``leaf`` at ``leaf_index`` with ``proof`` for ``head``."""
    return {
        "version": RECEIPT_VERSION,
        "type": RECEIPT_TYPE,
        "algorithm": head.algorithm,
        "leaf": leaf,
        "leaf_hash": leaf_hash(canonical_json(leaf), head.algorithm).hex(),
        "leaf_index": leaf_index,
        "tree_size": head.tree_size,
        "root": head.root.hex(),
        "inclusion_proof": [node.hex() for node in proof],
        "signed_tree_head": {
            "origin": head.origin,
            "tree_size": head.tree_size,
            "root": head.root.hex(),
            "timestamp": head.timestamp,
            "signature": head.signature.hex(),
        },
        "public_key_fingerprint": fingerprint,
        "verify_url": verify_url,
    }


# -- Parsing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Receipt:
    """A parsed, well-formed receipt (not yet verified)."""

    leaf: dict[str, Any]
    leaf_hash: bytes | None
    leaf_index: int
    tree_size: int
    root: bytes
    proof: list[bytes]
    head: SignedTreeHead
    algorithm: str
    fingerprint: str | None
    raw: dict[str, Any] = field(repr=False)

    @property
    def sha256(self) -> str:
        return str(self.leaf["sha256"]).lower()

    @property
    def preserved_at(self) -> dt.datetime | None:
        return _parse_time(self.leaf.get("time"))


def _parse_time(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _missing(name: str) -> ReceiptError:
    return ReceiptError(Text(f"回执缺少字段 {name}。", f"The receipt has no field {name}."))


def _bad(name: str, zh_kind: str, en_kind: str) -> ReceiptError:
    return ReceiptError(
        Text(f"回执字段 {name} 应为{zh_kind}。", f"The receipt's field {name} should be {en_kind}.")
    )


def _get(obj: dict[str, Any], key: str, prefix: str = "") -> Any:
    if key not in obj:
        raise _missing(prefix + key)
    return obj[key]


def _int(obj: dict[str, Any], key: str, prefix: str = "") -> int:
    value = _get(obj, key, prefix)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _bad(prefix + key, "非负整数", "a non-negative integer")
    return value


def _hex(obj: dict[str, Any], key: str, prefix: str = "", pattern: re.Pattern = _HEX64) -> bytes:
    value = _get(obj, key, prefix)
    if not isinstance(value, str) or not pattern.match(value):
        digits = 128 if pattern is _HEX128 else 64
        raise _bad(prefix + key, f" {digits} 位十六进制数", f"{digits} hexadecimal digits")
    return bytes.fromhex(value)


def _object(obj: dict[str, Any], key: str, prefix: str = "") -> dict[str, Any]:
    value = _get(obj, key, prefix)
    if not isinstance(value, dict):
        raise _bad(prefix + key, "对象（{…}）", "an object ({…})")
    return value


def parse_receipt(data: str | bytes | dict[str, Any]) -> Receipt:
    """Parse a receipt from its JSON text (or an already decoded object).

    Raises :class:`ReceiptError` naming the first field that is missing or malformed.
    """
    if isinstance(data, bytes | bytearray):
        try:
            data = bytes(data).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise _not_json() from exc
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except ValueError as exc:
            raise _not_json() from exc
    if not isinstance(data, dict):
        raise ReceiptError(
            Text("回执应为一个 JSON 对象（{…}）。", "The receipt should be a JSON object ({…}).")
        )
    version = data.get("version")
    if version != RECEIPT_VERSION:
        raise ReceiptError(
            Text(
                f"不支持的回执版本 {version!r}：本平台的回执版本为 {RECEIPT_VERSION}。",
                f"Unsupported receipt version {version!r}: this platform's receipts are "
                f"version {RECEIPT_VERSION}.",
            )
        )
    algorithm = _get(data, "algorithm")
    if algorithm not in ALGORITHMS:
        raise _bad("algorithm", "“sha256”或“sm3”", '"sha256" or "sm3"')
    leaf = _object(data, "leaf")
    if not isinstance(leaf.get("sha256"), str) or not _HEX64.match(leaf["sha256"]):
        if "sha256" not in leaf:
            raise _missing("leaf.sha256")
        raise _bad("leaf.sha256", " 64 位十六进制数", "64 hexadecimal digits")
    proof_value = _get(data, "inclusion_proof")
    if not isinstance(proof_value, list) or len(proof_value) > _MAX_PROOF:
        raise _bad("inclusion_proof", "十六进制哈希的列表", "a list of hexadecimal hashes")
    proof = []
    for position, node in enumerate(proof_value):
        if not isinstance(node, str) or not _HEX64.match(node):
            raise _bad(f"inclusion_proof[{position}]", " 64 位十六进制数", "64 hexadecimal digits")
        proof.append(bytes.fromhex(node))
    sth = _object(data, "signed_tree_head")
    origin = _get(sth, "origin", "signed_tree_head.")
    if not isinstance(origin, str) or not origin:
        raise _bad("signed_tree_head.origin", "账本名称（文本）", "the ledger's name (text)")
    head = SignedTreeHead(
        origin=origin,
        algorithm=algorithm,
        tree_size=_int(sth, "tree_size", "signed_tree_head."),
        root=_hex(sth, "root", "signed_tree_head."),
        timestamp=_int(sth, "timestamp", "signed_tree_head."),
        signature=_hex(sth, "signature", "signed_tree_head.", _HEX128),
    )
    leaf_hash_value = _hex(data, "leaf_hash") if "leaf_hash" in data else None
    fingerprint = data.get("public_key_fingerprint")
    return Receipt(
        leaf=leaf,
        leaf_hash=leaf_hash_value,
        leaf_index=_int(data, "leaf_index"),
        tree_size=_int(data, "tree_size"),
        root=_hex(data, "root"),
        proof=proof,
        head=head,
        algorithm=algorithm,
        fingerprint=fingerprint.lower() if isinstance(fingerprint, str) else None,
        raw=data,
    )


def _not_json() -> ReceiptError:
    return ReceiptError(
        Text(
            "回执不是有效的 JSON：请提供平台下载的 .json 回执（不是 PDF 证书）。",
            "The receipt is not valid JSON: give the .json receipt downloaded from the platform "
            "(not the PDF certificate).",
        )
    )


# -- Verifying --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """One step of a verification and its outcome, described for people."""

    code: str  # file_hash, position, head, signature, inclusion, ledger
    ok: bool
    text: Text

    @property
    def message(self) -> str:
        return str(self.text)


@dataclass(frozen=True)
class Verification:
    """The outcome of checking a file (its SHA-256) against a receipt."""

    receipt: Receipt
    checks: list[Check]
    sha256: str

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    @property
    def problems(self) -> list[Check]:
        return [check for check in self.checks if not check.ok]

    @property
    def preserved_at(self) -> dt.datetime | None:
        return self.receipt.preserved_at

    @property
    def head_time(self) -> dt.datetime:
        return self.receipt.head.time

    @property
    def verdict(self) -> Text:
        """One line: the outcome and, on failure, the first reason."""
        if self.ok:
            return _verdict_ok(self.receipt)
        first = self.problems[0].text
        more = len(self.problems) - 1
        zh_more = f"（另有 {more} 项不符）" if more else ""
        en_more = f" ({more} more problem{'s' if more > 1 else ''})" if more else ""
        return Text(f"未通过：{first.zh}{zh_more}", f"NOT VERIFIED: {first.en}{en_more}")


def beijing(moment: dt.datetime) -> str:
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S")


def _verdict_ok(receipt: Receipt) -> Text:
    at = receipt.preserved_at
    when_zh = f"于 {beijing(at)}（北京时间）" if at else ""
    when_en = f" on {beijing(at)} (Beijing time, UTC+8)" if at else ""
    head = receipt.head
    return Text(
        f"通过：该文件{when_zh}存证于平台账本第 {receipt.leaf_index} 条，包含证明与签名树头"
        f"（大小 {head.tree_size}，签名于 {beijing(head.time)}）校验一致。",
        f"VERIFIED: this file was preserved{when_en} as entry {receipt.leaf_index} of the "
        f"ledger; the inclusion proof checks against the signed tree head (size "
        f"{head.tree_size}, signed {beijing(head.time)}).",
    )


def _hashes(count: int) -> str:
    return f"{count} hash" if count == 1 else f"{count} hashes"


def _short(value: str | bytes) -> str:
    text = value.hex() if isinstance(value, bytes) else value
    return f"{text[:16]}…"


def verify_receipt(
    receipt: Receipt,
    *,
    sha256: str,
    public_key: bytes | str | None,
    log: Log | None = None,
) -> Verification:
    """Check the file whose SHA-256 is ``sha256`` against ``receipt``.

    ``public_key`` is the published key (PEM or raw bytes) the signed tree head must verify
    with. With ``log`` (the platform's own ledger, online only) it is also checked that the
    ledger still has the receipt's root at the receipt's size, i.e. was not rewritten.
    Every check runs, so a page can show them all; :attr:`Verification.verdict` names the first
    that failed.
    """
    from ipshield.evidence.ledger import key_fingerprint

    sha256 = sha256.strip().lower()
    head = receipt.head
    index, size = receipt.leaf_index, receipt.tree_size
    checks: list[Check] = []

    if sha256 == receipt.sha256:
        checks.append(
            Check(
                "file_hash",
                True,
                Text(
                    f"文件的 SHA-256 与回执记录的一致（{_short(sha256)}）。",
                    f"The file's SHA-256 matches the receipt's ({_short(sha256)}).",
                ),
            )
        )
    else:
        checks.append(
            Check(
                "file_hash",
                False,
                Text(
                    f"文件的 SHA-256（{_short(sha256)}）与回执记录的（{_short(receipt.sha256)}）"
                    "不同：文件在存证后被改动过，或不是这份回执对应的文件。",
                    f"The file's SHA-256 ({_short(sha256)}) differs from the receipt's "
                    f"({_short(receipt.sha256)}): the file was changed after it was preserved, "
                    "or it is not the file of this receipt.",
                ),
            )
        )

    if 0 <= index < size:
        checks.append(
            Check(
                "position",
                True,
                Text(
                    f"存证位置 {index} 在大小为 {size} 的树内。",
                    f"Leaf index {index} lies within the tree of size {size}.",
                ),
            )
        )
    else:
        checks.append(
            Check(
                "position",
                False,
                Text(
                    f"回执中的存证位置 {index} 超出了树的大小 {size}（位置必须小于大小）："
                    "回执被改动过。",
                    f"The receipt's leaf index {index} is beyond its tree size {size} (an index "
                    "must be smaller than the size): the receipt was altered.",
                ),
            )
        )

    if size == head.tree_size and receipt.root == head.root:
        checks.append(
            Check(
                "head",
                True,
                Text(
                    "回执的树大小和根哈希与签名树头中的一致。",
                    "The receipt's tree size and root equal those in the signed tree head.",
                ),
            )
        )
    else:
        checks.append(
            Check(
                "head",
                False,
                Text(
                    f"回执的树大小/根哈希（{size}，{_short(receipt.root)}）与签名树头中的"
                    f"（{head.tree_size}，{_short(head.root)}）不一致：回执被改动过。",
                    f"The receipt's tree size/root ({size}, {_short(receipt.root)}) differ "
                    f"from the signed tree head's ({head.tree_size}, {_short(head.root)}): the "
                    "receipt was altered.",
                ),
            )
        )

    if public_key is None:
        checks.append(
            Check(
                "signature",
                False,
                Text(
                    "没有公钥，无法校验签名树头：请从平台的 /verify/public-key.pem 下载公钥。",
                    "No public key to check the signed tree head with: download it from the "
                    "platform's /verify/public-key.pem.",
                ),
            )
        )
    else:
        try:
            fingerprint = key_fingerprint(public_key)
        except ValueError:
            fingerprint = ""
        if not fingerprint:
            checks.append(
                Check(
                    "signature",
                    False,
                    Text(
                        "所给的公钥不是 Ed25519 公钥（PEM），无法校验签名。",
                        "The public key given is not an Ed25519 public key (PEM); the signature "
                        "cannot be checked.",
                    ),
                )
            )
        elif head.verify(public_key):
            checks.append(
                Check(
                    "signature",
                    True,
                    Text(
                        f"签名树头（大小 {head.tree_size}，签名于 {beijing(head.time)}）的签名"
                        f"有效，公钥指纹 {_short(fingerprint)}。",
                        f"The signed tree head (size {head.tree_size}, signed "
                        f"{beijing(head.time)}) has a valid signature by the key "
                        f"{_short(fingerprint)}.",
                    ),
                )
            )
        else:
            other_key = receipt.fingerprint is not None and receipt.fingerprint != fingerprint
            zh_key = (
                f"（回执记录的公钥指纹 {_short(receipt.fingerprint or '')} 与所用公钥的 "
                f"{_short(fingerprint)} 不同）"
                if other_key
                else ""
            )
            en_key = (
                f" (the receipt names the key {_short(receipt.fingerprint or '')}, not "
                f"{_short(fingerprint)})"
                if other_key
                else ""
            )
            checks.append(
                Check(
                    "signature",
                    False,
                    Text(
                        "签名树头的签名无效：树头（大小、根哈希、时间或签名）被改动过，"
                        f"或不是用本平台公布的公钥签发的{zh_key}。",
                        "The signed tree head's signature is invalid: the head (size, root, "
                        "time or signature) was altered, or it was not signed with the "
                        f"platform's published key{en_key}.",
                    ),
                )
            )

    leaf_bytes = canonical_json(receipt.leaf)
    computed_leaf_hash = leaf_hash(leaf_bytes, receipt.algorithm)
    if receipt.leaf_hash is not None and computed_leaf_hash != receipt.leaf_hash:
        checks.append(
            Check(
                "inclusion",
                False,
                Text(
                    "回执中的存证内容（leaf：文件哈希、文件名、提交人、时间等）被改动过："
                    "它的哈希与回执记录的 leaf_hash 不同，包含证明也推导不出根哈希。",
                    "The receipt's leaf (file hashes, name, submitter, time …) was altered: "
                    "its hash differs from the receipt's leaf_hash, and the inclusion proof "
                    "does not lead to the root.",
                ),
            )
        )
    elif verify_inclusion(leaf_bytes, index, size, receipt.proof, receipt.root, receipt.algorithm):
        checks.append(
            Check(
                "inclusion",
                True,
                Text(
                    f"包含证明（{len(receipt.proof)} 个哈希）从存证内容推导出了根哈希"
                    f" {_short(receipt.root)}。",
                    f"The inclusion proof ({_hashes(len(receipt.proof))}) leads from the leaf to "
                    f"the root {_short(receipt.root)}.",
                ),
            )
        )
    else:
        checks.append(
            Check(
                "inclusion",
                False,
                Text(
                    "包含证明不能从存证内容推导出签名树头的根哈希：回执中的包含证明、存证内容"
                    "或存证位置被改动过。",
                    "The inclusion proof does not lead from the leaf to the signed tree head's "
                    "root: the receipt's proof, leaf or leaf index was altered.",
                ),
            )
        )

    if log is not None:
        checks.append(_ledger_check(receipt, log, leaf_bytes))
    return Verification(receipt=receipt, checks=checks, sha256=sha256)


def _ledger_check(receipt: Receipt, log: Log, leaf_bytes: bytes) -> Check:
    """Online only: the platform's ledger still holds this root and this leaf."""
    size, index = receipt.tree_size, receipt.leaf_index
    if receipt.head.origin != log.origin:
        return Check(
            "ledger",
            False,
            Text(
                f"该回执来自另一个账本（{receipt.head.origin}），不是本平台的（{log.origin}）。",
                f"This receipt is from another ledger ({receipt.head.origin}), not this "
                f"platform's ({log.origin}).",
            ),
        )
    current = log.size
    if size > current:
        return Check(
            "ledger",
            False,
            Text(
                f"本平台账本目前只有 {current} 条，回执却是大小为 {size} 的树：该树头不是本平台"
                "签发的。",
                f"The platform's ledger holds {current} entries, but the receipt is for a tree "
                f"of {size}: this tree head was not issued by the platform.",
            ),
        )
    if log.root(size) != receipt.root:
        return Check(
            "ledger",
            False,
            Text(
                f"本平台账本在大小 {size} 时的根哈希与回执不同：账本或回执被改动过。",
                f"The platform's ledger has a different root at size {size}: the ledger or the "
                "receipt was altered.",
            ),
        )
    if 0 <= index < size and log.leaf(index) != leaf_bytes:
        return Check(
            "ledger",
            False,
            Text(
                f"本平台账本第 {index} 条与回执中的存证内容不同。",
                f"Entry {index} of the platform's ledger differs from the receipt's leaf.",
            ),
        )
    return Check(
        "ledger",
        True,
        Text(
            f"本平台账本（现有 {current} 条）在大小 {size} 时的根哈希与回执一致：账本未被改写。",
            f"The platform's ledger (now {current} entries) has the receipt's root at size "
            f"{size}: it was not rewritten.",
        ),
    )


# -- The PDF certificate ----------------------------------------------------------------------

FONT = "STSong-Light"  # reportlab's built-in CID font (as cases.pdf): nothing to install
_ALGORITHM_NAMES = {"sha256": "SHA-256", "sm3": "SM3"}
MONO = "Courier"


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _chunks(text: str, width: int = 64) -> str:
    return "<br/>".join(text[i : i + width] for i in range(0, len(text), width)) or "—"


def _qr(url: str, size: float) -> Any:
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing

    widget = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def _type_rows(leaf: dict[str, Any]) -> list[tuple[str, Any]]:
    """The file type lines of the certificate: detected, and the uploader's claim as such."""
    if "detected_type" not in leaf:  # a leaf of before 2026-12: the declared type only
        return [("文件类型（提交方声明）", leaf.get("content_type"))]
    rows: list[tuple[str, Any]] = [("文件类型（按内容识别）", leaf.get("detected_type"))]
    if leaf.get("declared_type"):
        rows.append(("文件类型（提交方声明）", leaf.get("declared_type")))
    return rows


def receipt_pdf(receipt: dict[str, Any], *, public_key_url: str = "") -> bytes:
    """The receipt as an A4 certificate in Chinese (电子存证证书), with a QR code to verify it."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    _register_font()
    parsed = parse_receipt(receipt)
    leaf = parsed.leaf
    head = parsed.head
    brand = colors.HexColor("#b42318")
    line = colors.HexColor("#d9e2ec")
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13.5, wordWrap="CJK")
    label = ParagraphStyle("label", parent=body, textColor=colors.HexColor("#52606d"))
    mono = ParagraphStyle("mono", parent=body, fontName=MONO, fontSize=7.6, leading=9.6)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=11)
    title = ParagraphStyle(
        "title", parent=body, fontSize=24, leading=30, textColor=brand, spaceAfter=2
    )
    subtitle = ParagraphStyle(
        "subtitle", parent=body, fontName="Helvetica", fontSize=9, textColor=colors.grey
    )
    section = ParagraphStyle(
        "section", parent=body, fontSize=11.5, leading=16, spaceBefore=8, spaceAfter=3
    )

    def p(text: Any, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(escape(str(text if text not in (None, "") else "—")), style)

    def hexp(value: str) -> Paragraph:
        return Paragraph(_chunks(value), mono)

    at = parsed.preserved_at
    when = f"{beijing(at)}（北京时间）" if at else str(leaf.get("time", "—"))
    submitter = leaf.get("submitter") or {}
    unit = leaf.get("unit") or {}
    verify_url = str(receipt.get("verify_url") or "")
    usable = A4[0] - 36 * mm
    label_width = 30 * mm

    def table(rows: list[tuple[str, Any]]) -> Table:
        data = [
            [p(name, label), value if not isinstance(value, str) else p(value)]
            for name, value in rows
        ]
        t = Table(data, colWidths=[label_width, usable - label_width])
        t.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.3, line),
                    ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                ]
            )
        )
        return t

    qr_size = 32 * mm
    heading = Table(
        [
            [
                [
                    p("电子存证证书", title),
                    Paragraph("Electronic Evidence Preservation Certificate", subtitle),
                    Spacer(1, 3 * mm),
                    p(
                        f"兹证明：下列文件已于 {when}在知保（IPShield）知识产权保护平台的电子存证"
                        f"账本中存证，位于账本第 {parsed.leaf_index} 条。文件内容的任何改动都会"
                        "使其哈希值与本证书不符；账本的签名树头保证存证记录事后无法被改动或删除。"
                    ),
                ],
                [_qr(verify_url or parsed.sha256, qr_size), p("扫码核验", small)],
            ]
        ],
        colWidths=[usable - qr_size - 6 * mm, qr_size + 6 * mm],
    )
    heading.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (1, 0), (1, 0), "CENTER"),
                ("LINEBELOW", (0, 0), (-1, 0), 1.2, brand),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    story: list[Any] = [heading, p("一、存证文件", section)]
    file_rows: list[tuple[str, Any]] = [
        ("文件名", leaf.get("name")),
        ("文件大小", f"{leaf.get('size', '—')} 字节"),
        *_type_rows(leaf),
        ("SHA-256", hexp(parsed.sha256)),
        ("SM3", hexp(str(leaf.get("sm3", "")))),
        ("存证时间", when),
        ("提交人", submitter.get("name")),
    ]
    if leaf.get("rights_holder"):
        file_rows.append(("权利人", leaf.get("rights_holder")))
    if unit:
        file_rows.append(("单位", unit.get("name")))
    if leaf.get("case"):
        file_rows.append(("案件编号", leaf.get("case")))
    story.append(table(file_rows))

    story.append(p("二、账本位置", section))
    story.append(
        table(
            [
                ("账本", Paragraph(escape(head.origin), mono)),
                (
                    "哈希算法",
                    f"{_ALGORITHM_NAMES.get(parsed.algorithm, parsed.algorithm)}"
                    "（RFC 6962 Merkle 树）",
                ),
                ("存证位置", f"第 {parsed.leaf_index} 条（从 0 起计）"),
                ("树大小", f"{parsed.tree_size} 条"),
                ("根哈希", hexp(parsed.root.hex())),
                ("条目哈希", hexp(str(receipt.get("leaf_hash", "")))),
            ]
        )
    )

    story.append(p("三、签名树头", section))
    story.append(
        table(
            [
                ("树大小", f"{head.tree_size} 条"),
                ("根哈希", hexp(head.root.hex())),
                ("签名时间", f"{beijing(head.time)}（北京时间），时间戳 {head.timestamp} 毫秒"),
                ("签名（Ed25519）", hexp(head.signature.hex())),
                ("公钥指纹", hexp(str(receipt.get("public_key_fingerprint", "")))),
            ]
        )
    )

    story.append(p(f"四、包含证明（{len(parsed.proof)} 个哈希，自存证条目至根哈希）", section))
    if parsed.proof:
        story.append(
            table([(f"{number}", hexp(node.hex())) for number, node in enumerate(parsed.proof, 1)])
        )
    else:
        story.append(p("（账本中只有这一条时，证明为空：条目哈希即根哈希。）", small))

    story.append(p("五、如何核验", section))
    steps = [
        f"网页核验：打开 {verify_url or '平台的 /verify/ 页面'}，上传原文件，"
        "并可同时上传 JSON 回执。",
        "离线核验（无需联网和数据库）：ipshield evidence verify 原文件 回执.json "
        "--public-key 平台公钥.pem",
        f"平台公钥：{public_key_url or '平台的 /verify/public-key.pem'}，其 SHA-256 指纹须与上方"
        "“公钥指纹”一致。",
        "本证书与同时下载的 JSON 回执内容相同；JSON 回执用于机器核验，请一并妥善保存。",
    ]
    for number, step in enumerate(steps, 1):
        story.append(p(f"{number}. {step}", small))

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(colors.grey)
        canvas.drawString(
            18 * mm,
            10 * mm,
            f"知保 IPShield 电子存证证书　账本第 {parsed.leaf_index} 条　"
            f"SHA-256 {parsed.sha256[:16]}…　第 {doc.page} 页",
        )
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=f"电子存证证书 #{parsed.leaf_index}",
        author="知保 IPShield",
        subject=str(leaf.get("name", "")),
    )
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
