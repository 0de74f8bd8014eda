"""Scanning many texts on several cores.

:meth:`MarkIndex.scan` is pure Python and numpy, so one process scans on one core. A
:class:`ScanPool` writes the index once to a temporary file (:meth:`MarkIndex.save`), starts
worker processes that map it into memory (:meth:`MarkIndex.load`, milliseconds, pages shared
between the processes) and hands them the texts in chunks; the answers are those of
:meth:`MarkIndex.scan`, in the order of the texts.

>>> index = MarkIndex.build(["雪碧", "adidas"], ids=[1, 2])
>>> with ScanPool(index, processes=2) as pool:
...     [[hit.id for hit in hits] for hits in pool.scan(["雷碧汽水", "运动鞋", "adidos"])]
[[1], [], [2]]

Workers are started with the ``spawn`` method: they inherit no threads, locks or database
connections of the process that asked. When a worker dies, the pool scans in the calling
process instead and reports itself ``broken``.
"""

from __future__ import annotations

import math
import multiprocessing
import tempfile
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from .index import Hit, MarkIndex

#: Chunks per worker process and scan call: small enough to even out slow titles, large
#: enough that passing texts and hits between processes costs little.
CHUNKS_PER_PROCESS = 4

_worker_index: MarkIndex | None = None


def _worker_load(path: str) -> None:
    global _worker_index
    _worker_index = MarkIndex.load(path)


def _scan_each(
    index: MarkIndex,
    texts: Sequence[str],
    classes: Sequence[list[int] | None],
    threshold: float | None,
    k: int,
) -> list[list[Hit]]:
    return [
        index.scan(text, threshold=threshold, classes=wanted, k=k)
        for text, wanted in zip(texts, classes, strict=True)
    ]


def _worker_scan(
    texts: list[str], classes: list[list[int] | None], threshold: float | None, k: int
) -> list[list[Hit]]:
    assert _worker_index is not None, "the worker was started without an index"
    return _scan_each(_worker_index, texts, classes, threshold, k)


class PendingScan:
    """Hits on their way from the workers (:meth:`ScanPool.submit`)."""

    def __init__(
        self,
        pool: ScanPool,
        texts: list[str],
        classes: list[list[int] | None],
        threshold: float | None,
        k: int,
    ) -> None:
        self.pool = pool
        self.texts, self.classes, self.threshold, self.k = texts, classes, threshold, k
        self.futures: list[Future[list[list[Hit]]]] = []

    def result(self) -> list[list[Hit]]:
        """The hits of every text, in order (scanned in this process if no worker could)."""
        if self.futures:
            try:
                return [hits for future in self.futures for hits in future.result()]
            except BrokenProcessPool:
                self.pool.broken = True
        return _scan_each(self.pool.index, self.texts, self.classes, self.threshold, self.k)


class ScanPool:
    """Worker processes that scan texts against one index (a snapshot of it).

    Use it as a context manager, or call :meth:`close`. ``processes`` below 2 scans in the
    calling process.
    """

    def __init__(self, index: MarkIndex, processes: int) -> None:
        self.index = index
        self.processes = max(1, int(processes))
        self.broken = False
        self._folder: tempfile.TemporaryDirectory[str] | None = None
        self._executor: ProcessPoolExecutor | None = None
        if self.processes > 1:
            self._folder = tempfile.TemporaryDirectory(prefix="ipshield-marks-")
            path = Path(self._folder.name) / "index.marks"
            index.save(path)
            self._executor = ProcessPoolExecutor(
                max_workers=self.processes,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_worker_load,
                initargs=(str(path),),
            )

    def scan(
        self,
        texts: Sequence[str],
        threshold: float | None = None,
        classes: Sequence[Iterable[int] | None] | None = None,
        k: int = 5,
    ) -> list[list[Hit]]:
        """:meth:`MarkIndex.scan` of every text (``classes``: one filter per text, or none)."""
        return self.submit(texts, threshold, classes, k).result()

    def submit(
        self,
        texts: Sequence[str],
        threshold: float | None = None,
        classes: Sequence[Iterable[int] | None] | None = None,
        k: int = 5,
    ) -> PendingScan:
        """Start scanning and return at once; :meth:`PendingScan.result` waits for the hits.
        The caller can do other work meanwhile (a listing import saves the previous batch)."""
        wanted = [None if c is None else list(c) for c in classes] if classes else None
        if wanted is None:
            wanted = [None] * len(texts)
        if len(wanted) != len(texts):
            raise ValueError("classes must give one entry per text")
        pending = PendingScan(self, list(texts), wanted, threshold, k)
        if self._executor is None or self.broken or len(texts) < 2:
            return pending
        size = max(1, math.ceil(len(texts) / (self.processes * CHUNKS_PER_PROCESS)))
        try:
            pending.futures = [
                self._executor.submit(
                    _worker_scan, list(texts[i : i + size]), wanted[i : i + size], threshold, k
                )
                for i in range(0, len(texts), size)
            ]
        except BrokenProcessPool:
            self.broken = True
        return pending

    def close(self) -> None:
        """Stop the workers and remove the index file."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None

    def __enter__(self) -> ScanPool:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
