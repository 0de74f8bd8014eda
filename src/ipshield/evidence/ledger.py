"""The platform's evidence ledger: one SHA-256 Merkle log in ``DATA_DIR/ledger/evidence``.

Its Ed25519 signing key pair lives in ``DATA_DIR/keys`` (created on first use); the public key
is published at ``/verify/public-key.pem``. :func:`evidence_log` opens the log once per process
and data directory: the open logs are keyed by path, so tests (or a process serving two data
directories) never share one by accident.

>>> index, head = append_and_sign(b'{"type":"evidence.file"}')
>>> head.tree_size > index
True
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.utils.translation import gettext as _

from ipshield.common.errors import Conflict
from ipshield.engines.ledger import Log, SignedTreeHead
from ipshield.engines.ledger.heads import PRIVATE_KEY_FILE, PUBLIC_KEY_FILE, load_public_key
from ipshield.evidence import errors

__all__ = [
    "ALGORITHM",
    "LedgerMissing",
    "append_and_sign",
    "close_all",
    "evidence_log",
    "key_dir",
    "key_fingerprint",
    "ledger_paths",
    "log_path",
    "public_key_pem",
    "published_public_key",
    "referenced_leaves",
]

ALGORITHM = "sha256"
META_FILE = "ledger.json"

_logs: dict[tuple[Path, Path], Log] = {}
_lock = threading.Lock()


def data_dir() -> Path:
    return Path(settings.DATA_DIR)


def log_path() -> Path:
    return data_dir() / "ledger" / "evidence"


def key_dir() -> Path:
    return data_dir() / "keys"


def ledger_paths() -> list[Path]:
    """Every ledger of the platform (today one; web captures and case anchors share it)."""
    return [log_path()]


def origin() -> str:
    """The log's name in its signed tree heads, fixed when the log is created.

    ``IPSHIELD_LEDGER_ORIGIN`` if set, else the host of ``IPSHIELD_BASE_URL`` + ``/evidence``.
    """
    configured = str(getattr(settings, "IPSHIELD_LEDGER_ORIGIN", "") or "").strip()
    if configured:
        return configured
    host = urlsplit(str(getattr(settings, "IPSHIELD_BASE_URL", ""))).netloc or "ipshield"
    return f"{host}/evidence"


class LedgerMissing(Conflict):
    """The database refers to ledger leaves, but the ledger (or its signing key) is not there.

    Starting a new ledger at leaf 0, or signing with a new key, would orphan every receipt
    issued so far; the ledger and keys must be restored from the same backup instead."""

    code = errors.LEDGER_MISSING
    status = 503


def referenced_leaves() -> tuple[int, int]:
    """(evidence rows, anchored case-record entries): the database rows that point at leaves."""
    from ipshield.cases.models import CaseEventAnchor
    from ipshield.evidence.models import EvidenceItem

    return EvidenceItem.objects.count(), CaseEventAnchor.objects.count()


def _refuse_a_new_ledger(path: Path, keys: Path) -> None:
    """Before creating a ledger or a key pair: refuse if the database already relies on one."""
    missing_log = not (path / META_FILE).exists()
    missing_key = not (keys / PRIVATE_KEY_FILE).exists()
    if not (missing_log or missing_key):
        return
    rows, anchors = referenced_leaves()
    if rows or anchors:
        what = str(path) if missing_log else str(keys / PRIVATE_KEY_FILE)
        raise LedgerMissing(
            _(
                "存证账本或其签名密钥缺失（%(what)s），但数据库中有 %(rows)s 条存证记录和 "
                "%(anchors)s 条执法记录锚定指向它。为免另起一本账本，已拒绝存证：请管理员用 "
                "ipshield restore 从同一份备份恢复账本和密钥。"
            )
            % {"what": what, "rows": rows, "anchors": anchors}
        )


def evidence_log() -> Log:
    """The open evidence log of the current data directory (opened, or created, on first use).

    Raises :class:`LedgerMissing` instead of creating a ledger or key pair when the database
    already has rows that point at leaves (a restore that left the ledger out)."""
    key = (log_path(), key_dir())
    log = _logs.get(key)
    if log is None:
        with _lock:
            log = _logs.get(key)
            if log is None:
                path, keys = key
                _refuse_a_new_ledger(path, keys)
                # The origin is only given when creating: an existing log keeps its own name
                # even if the base URL changes later.
                name = None if (path / META_FILE).exists() else origin()
                log = Log(path, algorithm=ALGORITHM, origin=name, key_dir=keys)
                _logs[key] = log
    return log


def close_all() -> None:
    """Close every open log (tests, or before the data directory is moved)."""
    with _lock:
        for log in _logs.values():
            log.close()
        _logs.clear()


def append_and_sign(leaf: bytes) -> tuple[int, SignedTreeHead]:
    """Append ``leaf`` durably and sign a tree head that includes it; return both.

    Another process may append in between: the head then covers more leaves, which is fine —
    the receipt's proof is computed for the head's size.
    """
    log = evidence_log()
    index = log.append(leaf)
    head = log.signed_tree_head()
    return index, head


def public_key_pem() -> str:
    """The ledger's public key (PEM), creating the key pair on first use."""
    return evidence_log().public_key_pem()


def published_public_key() -> bytes | None:
    """The public key file in the key directory, without creating anything (None if absent)."""
    path = key_dir() / PUBLIC_KEY_FILE
    return path.read_bytes() if path.exists() else None


def key_fingerprint(public_key: bytes | str) -> str:
    """SHA-256 of the key's DER SubjectPublicKeyInfo, in hex.

    The same as ``openssl pkey -pubin -in key.pem -outform DER | sha256sum``.
    """
    der = load_public_key(public_key).public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(der).hexdigest()
