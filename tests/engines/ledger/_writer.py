"""A writer process for the ledger's crash and concurrency tests (run as a script).

Modes:

``loop PATH BATCH``
    append batches of ``BATCH`` leaves ``b"leaf %08d" % index`` forever, printing ``committed N``
    after each; the test kills it.
``stall PATH BATCH``
    start one such batch and, once its first chunk is on disk (uncommitted), print
    ``mid-batch`` and sleep, so the test kills it in the middle of the batch for certain.
``crash PATH CALL BATCH``
    append one batch, but die (``os._exit``) at the ``CALL``-th ``os.write``/``fdatasync``/
    ``ftruncate`` of the process (a write is first done halfway: a torn write). Exits 0 if the
    batch finished before that call.
``concurrent PATH WORKER COUNT SEED``
    append ``COUNT`` leaves ``b"w<WORKER>-<n>"`` with a random mix of ``append``,
    ``append_many`` and ``signed_tree_head``, then print a JSON object mapping each index
    it was given to its leaf.
"""

from __future__ import annotations

import json
import os
import random
import sys
import threading

mode, path = sys.argv[1], sys.argv[2]

if mode == "crash":
    crash_at = int(sys.argv[3])
    calls = 0
    real_write, real_sync, real_truncate = os.write, os.fdatasync, os.ftruncate

    def _count() -> bool:
        global calls
        calls += 1
        return calls == crash_at

    def write(fd, data):  # type: ignore[no-untyped-def]
        if _count():
            view = memoryview(data)
            real_write(fd, view[: max(1, len(view) // 2)])
            os._exit(99)
        return real_write(fd, data)

    def fdatasync(fd):  # type: ignore[no-untyped-def]
        if _count():
            os._exit(99)
        return real_sync(fd)

    def ftruncate(fd, length):  # type: ignore[no-untyped-def]
        if _count():
            os._exit(99)
        return real_truncate(fd, length)

    # Patched before the ledger is imported, so that its ``sync`` alias picks them up too.
    os.write, os.fdatasync, os.ftruncate = write, fdatasync, ftruncate  # type: ignore[assignment]

from ipshield.engines.ledger import Log  # noqa: E402
from ipshield.engines.ledger import log as log_module  # noqa: E402

if mode == "crash":
    log_module.CHUNK = 7  # several chunks per batch, so every write step is hit
    batch = int(sys.argv[4])
    with Log(path) as log:
        start = log.size
        log.append_many(b"leaf %08d" % (start + i) for i in range(batch))
    sys.exit(0)

if mode in ("loop", "stall"):
    batch = int(sys.argv[3])
    with Log(path) as log:
        while True:
            start = log.size

            def leaves(start: int = start) -> object:
                for i in range(batch):
                    if mode == "stall" and i == log_module.CHUNK + 1:
                        print("mid-batch", flush=True)
                        threading.Event().wait()  # until killed: no race with the test's kill
                    yield b"leaf %08d" % (start + i)

            done = log.append_many(leaves())  # type: ignore[arg-type]
            print(f"committed {done.stop}", flush=True)

if mode == "concurrent":
    worker, count, seed = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    rng = random.Random(seed)
    given: dict[int, str] = {}
    sequence = 0
    with Log(path) as log:
        while sequence < count:
            choice = rng.random()
            if choice < 0.1:
                log.signed_tree_head()
                continue
            size = 1 if choice < 0.5 else rng.randint(1, 40)
            items = [f"w{worker}-{n}" for n in range(sequence, min(count, sequence + size))]
            sequence += len(items)
            if len(items) == 1:
                indices: range | list[int] = [log.append(items[0].encode())]
            else:
                indices = log.append_many(item.encode() for item in items)
            given.update(zip(indices, items, strict=True))
    print(json.dumps(given))
