"""Stored evidence files without a row: what a writer killed mid-upload leaves behind.

An upload stores its file first and writes its row last (``evidence.services``); a process
killed in between (``kill -9``, power loss) leaves the file in ``uploads/evidence`` with no
row. Such files prove nothing and are listed by ``ipshield ledger audit``;
``ipshield ledger audit --repair`` moves them to ``DATA_DIR/quarantine/`` (nothing is deleted).

Telling a leftover from an upload still in progress needs no clock: every upload holds a
shared ``flock`` on ``DATA_DIR/locks/evidence-uploads.lock`` from storing its file until its row
is committed (or its file removed); :func:`exclusive` takes the lock exclusively, so while it is
held no upload is half done, and a killed writer's lock went with it.

>>> with exclusive():
...     files = find_leftovers()
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

__all__ = ["exclusive", "find_leftovers", "quarantine", "writing"]

UPLOAD_DIR = "evidence"  # EvidenceItem.file's upload_to starts with it


def lock_path() -> Path:
    return Path(settings.DATA_DIR) / "locks" / "evidence-uploads.lock"


def upload_root() -> Path:
    return Path(settings.MEDIA_ROOT) / UPLOAD_DIR


def _open_lock() -> int:
    path = lock_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return os.open(path, os.O_RDWR | os.O_CREAT, 0o644)


@contextmanager
def writing() -> Iterator[None]:
    """Held by an upload from storing its file until its row is committed.

    The upload services commit their own transaction inside the block; they are called outside
    any transaction (views, API routes, tasks), so the row is committed when the lock is let go.
    """
    fd = _open_lock()
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
        yield
    finally:
        os.close(fd)


@contextmanager
def exclusive() -> Iterator[None]:
    """Wait for uploads in progress to finish and keep new ones from storing files meanwhile."""
    fd = _open_lock()
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def find_leftovers() -> list[str]:
    """Stored evidence files (names relative to ``MEDIA_ROOT``) that no evidence row holds.

    Exact only under :func:`exclusive`; sorted.
    """
    from ipshield.evidence.models import EvidenceItem

    root = upload_root()
    if not root.is_dir():
        return []
    media = Path(settings.MEDIA_ROOT)
    stored = set(EvidenceItem.objects.values_list("file", flat=True).iterator(chunk_size=5000))
    found = []
    for directory, _dirs, files in os.walk(root):
        for name in files:
            relative = (Path(directory) / name).relative_to(media).as_posix()
            if relative not in stored:
                found.append(relative)
    return sorted(found)


def quarantine(names: list[str]) -> Path | None:
    """Move ``names`` (from :func:`find_leftovers`) into a new quarantine folder, keeping their
    paths; return the folder (None when there was nothing to move)."""
    if not names:
        return None
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = Path(settings.DATA_DIR) / "quarantine" / f"evidence-uploads-{stamp}"
    media = Path(settings.MEDIA_ROOT)
    for name in names:
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(media / name, destination)
    return target
