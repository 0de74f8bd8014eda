"""Encryption of reporters' identities (Fernet: AES-128-CBC + HMAC-SHA256, from the
``cryptography`` package). The key lives in the data directory, created on first use with
owner-only permissions, never in the database — a copy of the database alone reveals nobody."""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet
from django.conf import settings


def _key_path() -> Path:
    return Path(settings.DATA_DIR) / "keys" / "reporter-identity.key"


@lru_cache(maxsize=4)
def _fernet(path: str) -> Fernet:
    key_file = Path(path)
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(Fernet.generate_key())
    return Fernet(key_file.read_bytes().strip())


def encrypt(data: dict[str, Any]) -> bytes:
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return _fernet(str(_key_path())).encrypt(payload)


def decrypt(token: bytes) -> dict[str, Any]:
    return json.loads(_fernet(str(_key_path())).decrypt(bytes(token)).decode("utf-8"))
