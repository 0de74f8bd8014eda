"""Crash safety (writers killed mid-append) and several writer processes at once."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from pathlib import Path

from ipshield.engines.ledger import Log, audit, root
from ipshield.engines.ledger.heads import PRIVATE_KEY_FILE

WRITER = Path(__file__).with_name("_writer.py")


def _writer(*args: object, stdout: int | None = subprocess.PIPE) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 - our own helper script
        [sys.executable, str(WRITER), *map(str, args)], stdout=stdout, text=True
    )


def _leaf(index: int) -> bytes:
    return b"leaf %08d" % index


def _check_intact(path: Path) -> tuple[int, tuple[str, ...]]:
    """Assert the log is readable, audits clean and holds exactly leaves 0..size-1."""
    report = audit(path)
    assert report.ok, report
    with Log(path, create=False) as log:
        size = log.size
        for index, data in enumerate(log.iter_leaves()):
            assert data == _leaf(index)
        assert log.root() == root([_leaf(i) for i in range(size)])
    return size, report.notes


def test_writer_killed_in_the_middle_of_a_batch(tmp_path: Path) -> None:
    path = tmp_path / "log"
    with Log(path) as log:
        log.append_many(_leaf(i) for i in range(5))
    # Deterministic: the first chunk of 100,000 leaves is on disk, uncommitted, when it dies.
    writer = _writer("stall", path, 100_000)
    assert writer.stdout is not None
    assert writer.stdout.readline() == "mid-batch\n"
    writer.kill()
    writer.wait()
    size, notes = _check_intact(path)
    assert size == 5
    assert any("entries.dat" in note for note in notes)  # the torn batch is there, ignored
    # Killed at random moments while appending batches in a loop.
    rng = random.Random(6962)
    committed = size
    for _ in range(4):
        writer = _writer("loop", path, 30_000)
        assert writer.stdout is not None
        reported = int(writer.stdout.readline().split()[1])  # one batch is complete
        time.sleep(rng.uniform(0.0, 0.3))
        writer.kill()
        writer.wait()
        size, _ = _check_intact(path)
        assert size >= reported > committed
        assert (size - 5) % 30_000 == 0  # whole batches only
        committed = size
    # A new writer carries on from the last complete append.
    with Log(path) as log:
        assert log.append(_leaf(committed)) == committed
    assert _check_intact(path) == (committed + 1, ())


def test_a_crash_at_every_write_and_flush_leaves_the_log_readable(tmp_path: Path) -> None:
    path = tmp_path / "log"
    with Log(path) as log:
        log.append_many(_leaf(i) for i in range(3))
    size = 3
    call = 1
    while True:
        # The writer dies at its call-th write/fdatasync/ftruncate, the write torn in half.
        status = _writer("crash", path, call, 20, stdout=None).wait()
        new_size, _ = _check_intact(path)
        if status == 0:
            assert new_size == size + 20
            break
        assert status == 99
        # Before the commit record is written the batch is absent; once it is written (even
        # if not yet flushed) the whole batch is there. Never anything in between.
        assert new_size in (size, size + 20)
        size = new_size
        call += 1
    assert call > 10  # it really went through several chunks' writes


def test_several_writer_processes(tmp_path: Path) -> None:
    path = tmp_path / "log"
    Log(path).close()
    writers = [_writer("concurrent", path, worker, 250, worker) for worker in range(4)]
    given: dict[int, str] = {}
    for writer in writers:
        out, _ = writer.communicate(timeout=300)
        assert writer.returncode == 0
        for index, item in json.loads(out).items():
            assert int(index) not in given  # no index handed out twice
            given[int(index)] = item
    assert sorted(given) == list(range(1000))
    with Log(path) as log:
        assert log.size == 1000
        assert {index: log.leaf(index).decode() for index in range(1000)} == given
        heads = log.tree_heads()
        assert heads  # every worker signed some
        assert all(head.verify(log.public_key) for head in heads)
        assert [head.timestamp for head in heads] == sorted(head.timestamp for head in heads)
        assert [head.tree_size for head in heads] == sorted(head.tree_size for head in heads)
    # Each worker's items are in its own order.
    for worker in range(4):
        mine = [given[index] for index in sorted(given) if given[index].startswith(f"w{worker}-")]
        assert mine == [f"w{worker}-{n}" for n in range(250)]
    assert len(list(path.glob(PRIVATE_KEY_FILE))) == 1  # they raced to make one key pair
    report = audit(path)
    assert report.ok, report
    assert report.heads_checked == len(heads)


FORK_SCENARIO = """
import os, sys
from ipshield.engines.ledger import Log

log = Log(sys.argv[1])
log.append(b"before the fork")  # the parent holds an open lock file now
child = os.fork()
if child == 0:
    status = 1
    try:
        for n in range(150):
            log.append_many([b"child %d" % n] * 3)
        status = 0
    finally:
        os._exit(status)
for n in range(150):
    log.append_many([b"parent %d" % n] * 3)
_, status = os.waitpid(child, 0)
log.close()
sys.exit(os.waitstatus_to_exitcode(status))
"""


def test_forked_processes_sharing_one_log_object(tmp_path: Path) -> None:
    """A platform that opens the log and then forks workers must still serialise them.

    The scenario runs in a fresh interpreter: forking the test runner itself, which may hold
    other threads (a browser driver, a live server), could deadlock the child."""
    import subprocess
    import sys

    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", FORK_SCENARIO, str(tmp_path / "log")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    with Log(tmp_path / "log") as log:
        assert log.size == 1 + 2 * 450
        leaves = list(log.iter_leaves())
    assert leaves[0] == b"before the fork"
    assert sorted(leaves[1:]) == sorted(
        [b"child %d" % n for n in range(150)] * 3 + [b"parent %d" % n for n in range(150)] * 3
    )
    report = audit(tmp_path / "log")
    assert report.ok, report
