"""Ledger: the Merkle log against pymerkle's SQLite-backed tree, on the same leaves.

Measured in one run, same machine, same leaves (JSON evidence entries of about 110 bytes):

* appends/s for BENCH_LEDGER_LEAVES leaves (default 1,000,000) in durable batches of
  BENCH_LEDGER_BATCH (default 10,000; every batch flushed to disk before the call returns),
  and as a fraction of the raw rate of hashing the same leaves (SHA-256 of 0x00 || leaf,
  nothing else: the physical limit); pymerkle's SqliteTree (each batch one SQLite
  transaction, synchronous=FULL) and its InmemoryTree (not durable) for comparison;
* inclusion and consistency proof generation + verification at BENCH_LEDGER_LEAVES and at
  BENCH_LEDGER_BIG (default 10,000,000) leaves;
* peak memory (RSS) of a process appending BENCH_LEDGER_BIG leaves, sampled along the way;
* bytes on disk per leaf.

pymerkle is only run at BENCH_LEDGER_LEAVES: at 10M its proofs, which rebuild subtrees from
the stored leaf hashes, take far too long (set BENCH_LEDGER_PYMERKLE_BIG=1 to try). The
1M-leaf appends are the best of BENCH_LEDGER_REPEAT runs (default 2), raw hashing, our tree,
our log and pymerkle's interleaved run by run, because a shared machine is noisy; CPU time
per leaf is reported too, as it depends less on what else runs.

Run: ``python -m benchmarks ledger`` or ``python -m benchmarks.ledger``.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks._common import percentile, report
from ipshield.engines.ledger import Log, audit, verify_consistency, verify_inclusion
from ipshield.engines.ledger.hashing import constructor, extend, hash_leaves

SIZE = int(os.environ.get("BENCH_LEDGER_LEAVES", 1_000_000))
BIG = int(os.environ.get("BENCH_LEDGER_BIG", 10_000_000))
BATCH = int(os.environ.get("BENCH_LEDGER_BATCH", 10_000))
REPEAT = int(os.environ.get("BENCH_LEDGER_REPEAT", 2))
PYMERKLE_BIG = os.environ.get("BENCH_LEDGER_PYMERKLE_BIG") == "1"
PROOFS = 1000  # samples for our proofs
PYMERKLE_PROOFS = 10  # pymerkle's take up to seconds each
SINGLE = 300  # single durable appends


def entry(i: int) -> bytes:
    """A leaf as the evidence app writes it: a small JSON document naming a file hash."""
    digest = hashlib.sha256(b"%d" % i).hexdigest().encode()
    return b'{"seq":%d,"evidence":"E-%08d","sha256":"%s"}' % (i, i, digest)


def _rate(count: int, seconds: float) -> int:
    return int(count / seconds)


def _dir_size(path: Path) -> int:
    return sum(file.stat().st_size for file in path.rglob("*") if file.is_file())


class _Timing:
    """Best wall-clock and best CPU (process) time over several runs of one contender."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def measure(self, work: Callable[[], object]) -> None:
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        self.cpu.append(time.process_time() - cpu)
        self.wall.append(time.perf_counter() - wall)

    def rate(self, count: int) -> int:
        return _rate(count, min(self.wall))

    def cpu_us(self, count: int) -> float:
        return round(min(self.cpu) / count * 1e6, 2)


def _raw_hash(leaves: list[bytes]) -> None:
    sha256 = hashlib.sha256
    [sha256(b"\x00" + leaf).digest() for leaf in leaves]


def _tree_in_memory(leaves: list[bytes]) -> None:
    new = constructor("sha256")
    extend(new, 0, {}, hash_leaves(new, leaves))


def _ours_append(leaves: list[bytes], path: Path) -> None:
    with Log(path) as log:
        for offset in range(0, len(leaves), BATCH):
            log.append_many(leaves[offset : offset + BATCH])


def _pymerkle_append(leaves: list[bytes], dbfile: Path) -> None:
    from pymerkle import SqliteTree

    tree = SqliteTree(str(dbfile))
    for offset in range(0, len(leaves), BATCH):
        tree.append_entries(leaves[offset : offset + BATCH])
    tree.close()


def _append_contest(leaves: list[bytes], workdir: Path) -> dict[str, _Timing]:
    """Time raw hashing, our in-memory tree, our log and pymerkle's, interleaved run by run.

    Other programs on the machine slow some runs down; interleaving gives every contender
    the same chances, and the best of the runs is kept. Leaves the last log and database in
    ``workdir`` (``ours`` and ``pymerkle.db``).
    """
    timings = {name: _Timing() for name in ("raw", "tree", "ours", "pymerkle")}
    for run in range(REPEAT):
        last = run == REPEAT - 1
        timings["raw"].measure(lambda: _raw_hash(leaves))
        timings["tree"].measure(lambda: _tree_in_memory(leaves))
        path, dbfile = workdir / "ours", workdir / "pymerkle.db"
        timings["ours"].measure(lambda: _ours_append(leaves, path))  # noqa: B023
        timings["pymerkle"].measure(lambda: _pymerkle_append(leaves, dbfile))  # noqa: B023
        if not last:
            shutil.rmtree(path)
            dbfile.unlink()
    return timings


def _pymerkle_in_memory_rate(leaves: list[bytes]) -> int:
    from pymerkle import InmemoryTree

    gc.collect()
    tree = InmemoryTree()
    start = time.perf_counter()
    for offset in range(0, len(leaves), BATCH):
        tree.append_entries(leaves[offset : offset + BATCH])
    rate = _rate(len(leaves), time.perf_counter() - start)
    del tree
    gc.collect()
    return rate


def _single_appends(workdir: Path) -> tuple[int, int]:
    from pymerkle import SqliteTree

    with Log(workdir / "single") as log:
        start = time.perf_counter()
        for i in range(SINGLE):
            log.append(entry(i))
        ours = _rate(SINGLE, time.perf_counter() - start)
    tree = SqliteTree(str(workdir / "single.db"))
    start = time.perf_counter()
    for i in range(SINGLE):
        tree.append_entry(entry(i))
    theirs = _rate(SINGLE, time.perf_counter() - start)
    tree.close()
    return ours, theirs


def _summary(samples: list[float]) -> dict[str, float]:
    return {
        "p50": round(percentile(samples, 50), 3),
        "p95": round(percentile(samples, 95), 3),
        "max": round(max(samples), 3),
    }


def _ours_proofs(path: Path, count: int) -> tuple[dict[str, float], dict[str, float]]:
    rng = random.Random(9162)
    with Log(path, create=False) as log:
        size = log.size
        head = log.root()
        inclusion = []
        for _ in range(count):
            index = rng.randrange(size)
            leaf = log.leaf(index)
            start = time.perf_counter()
            proof = log.prove_inclusion(index, size)
            valid = verify_inclusion(leaf, index, size, proof, head)
            inclusion.append((time.perf_counter() - start) * 1000)
            assert valid
        consistency = []
        for _ in range(count):
            old = rng.randrange(1, size)
            old_root = log.root(old)
            start = time.perf_counter()
            proof = log.prove_consistency(old, size)
            valid = verify_consistency(old, size, old_root, head, proof)
            consistency.append((time.perf_counter() - start) * 1000)
            assert valid
    return _summary(inclusion), _summary(consistency)


def _pymerkle_proofs(dbfile: Path, count: int) -> tuple[dict[str, float], dict[str, float], float]:
    from pymerkle import SqliteTree
    from pymerkle import verify_consistency as pm_verify_consistency
    from pymerkle import verify_inclusion as pm_verify_inclusion

    rng = random.Random(9162)
    tree = SqliteTree(str(dbfile))
    size = tree.get_size()
    start = time.perf_counter()
    head = tree.get_root()  # builds pymerkle's subtree cache
    first_root_ms = (time.perf_counter() - start) * 1000
    inclusion = []
    for _ in range(count):
        index = rng.randrange(size) + 1  # pymerkle counts leaves from 1
        base = tree.get_leaf(index)
        start = time.perf_counter()
        proof = tree.prove_inclusion(index, size)
        pm_verify_inclusion(base, head, proof)  # raises if invalid
        inclusion.append((time.perf_counter() - start) * 1000)
    consistency = []
    for _ in range(count):
        old = rng.randrange(1, size)
        old_root = tree.get_root(old)
        start = time.perf_counter()
        proof = tree.prove_consistency(old, size)
        pm_verify_consistency(old_root, head, proof)
        consistency.append((time.perf_counter() - start) * 1000)
    tree.close()
    return _summary(inclusion), _summary(consistency), first_root_ms


_BIG_CHILD = """
import json, sys, time
sys.path[:0] = {paths!r}
from benchmarks.ledger import entry
from ipshield.engines.ledger import Log

def status_mb(field):
    # VmRSS: resident now; VmHWM: the peak since exec (ru_maxrss would include the parent's)
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024

path, total, batch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
samples, appending = [], 0.0
with Log(path) as log:
    for offset in range(0, total, batch):
        items = [entry(i) for i in range(offset, min(total, offset + batch))]
        start = time.perf_counter()
        log.append_many(items)
        appending += time.perf_counter() - start
        del items
        done = min(total, offset + batch)
        if done * 10 // total != (done - batch) * 10 // total:
            samples.append([done, round(status_mb("VmRSS"), 1)])
print(json.dumps({{
    "seconds": appending,
    "samples": samples,
    "peak_mb": status_mb("VmHWM"),
}}))
"""


def _big_run(path: Path) -> tuple[float, float, list[tuple[int, float]]]:
    """Append BIG leaves in a fresh process (so its peak RSS is the log's alone).

    Returns the seconds spent in append_many, the peak RSS in MB and (leaves, RSS MB) samples
    taken at every tenth of the way.
    """
    code = _BIG_CHILD.format(paths=[str(Path(__file__).resolve().parent.parent), *sys.path])
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code, str(path), str(BIG), str(100_000)],
        check=True,
        capture_output=True,
        text=True,
    )
    measured = json.loads(result.stdout)
    samples = [(int(done), float(mb)) for done, mb in measured["samples"]]
    return float(measured["seconds"]), float(measured["peak_mb"]), samples


def _row(what: str, n: int, ours: object, pymerkle: object, note: str = "") -> dict[str, object]:
    ratio = ""
    if isinstance(ours, int | float) and isinstance(pymerkle, int | float) and pymerkle:
        ratio = f"{ours / pymerkle:.2f}"
    return {
        "what": what,
        "n": n,
        "ours": ours,
        "pymerkle": pymerkle,
        "ours/pym": ratio,
        "note": note,
    }


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="ipshield-bench-ledger-"))
    rows: list[dict[str, object]] = []
    try:
        leaves = [entry(i) for i in range(SIZE)]
        mean_leaf = sum(map(len, leaves)) / SIZE
        timings = _append_contest(leaves, workdir)
        ours_path, pm_db = workdir / "ours", workdir / "pymerkle.db"
        raw = timings["raw"].rate(SIZE)
        in_memory = timings["tree"].rate(SIZE)
        ours_rate = timings["ours"].rate(SIZE)
        pm_rate = timings["pymerkle"].rate(SIZE)
        rows.append(
            _row(
                "raw SHA-256 leaf hashing, leaves/s",
                SIZE,
                raw,
                raw,
                "H(0x00||leaf) only: the limit",
            )
        )
        rows.append(
            _row(
                "our tree in memory (2n-1 hashes, no I/O), leaves/s",
                SIZE,
                in_memory,
                "",
                f"{in_memory / raw:.2f} of raw",
            )
        )
        rows.append(
            _row(
                f"durable appends, batches of {BATCH}, leaves/s",
                SIZE,
                ours_rate,
                pm_rate,
                f"best of {REPEAT}, interleaved",
            )
        )
        rows.append(
            _row(
                "  as a fraction of raw hashing",
                SIZE,
                round(ours_rate / raw, 3),
                round(pm_rate / raw, 3),
                "pymerkle stores leaf hashes only",
            )
        )
        rows.append(
            _row(
                "  CPU time per leaf, us",
                SIZE,
                timings["ours"].cpu_us(SIZE),
                timings["pymerkle"].cpu_us(SIZE),
                f"raw hashing {timings['raw'].cpu_us(SIZE)} us/leaf",
            )
        )
        pm_memory = _pymerkle_in_memory_rate(leaves)
        rows.append(
            _row(
                "pymerkle InmemoryTree appends (not durable), leaves/s",
                SIZE,
                ours_rate,
                pm_memory,
                "ours: durable, as above",
            )
        )
        single_ours, single_pm = _single_appends(workdir)
        rows.append(
            _row(
                "single durable appends, appends/s",
                SINGLE,
                single_ours,
                single_pm,
                "one flush per append",
            )
        )
        del leaves
        gc.collect()

        inclusion, consistency = _ours_proofs(ours_path, PROOFS)
        pm_inclusion, pm_consistency, pm_first_root = _pymerkle_proofs(pm_db, PYMERKLE_PROOFS)
        rows.append(
            _row(
                "inclusion proof + verify, p50 ms",
                SIZE,
                inclusion["p50"],
                pm_inclusion["p50"],
                f"ours p95 {inclusion['p95']}, pymerkle p95 {pm_inclusion['p95']}",
            )
        )
        rows.append(
            _row(
                "consistency proof + verify, p50 ms",
                SIZE,
                consistency["p50"],
                pm_consistency["p50"],
                f"ours p95 {consistency['p95']}, pymerkle p95 {pm_consistency['p95']}",
            )
        )
        rows.append(
            _row(
                "first root after opening, ms",
                SIZE,
                0.0,
                round(pm_first_root, 1),
                "ours is in the commit record",
            )
        )
        start = time.perf_counter()
        audited = audit(ours_path)
        audit_rate = _rate(SIZE, time.perf_counter() - start)
        assert audited.ok, audited
        rows.append(
            _row(
                "audit: re-derive every node and commit from the leaves, leaves/s",
                SIZE,
                audit_rate,
                "",
                f"{audit_rate / raw:.2f} of raw",
            )
        )
        ours_bytes = _dir_size(ours_path) / SIZE
        pm_bytes = pm_db.stat().st_size / SIZE
        rows.append(
            _row(
                "disk bytes per leaf",
                SIZE,
                round(ours_bytes, 1),
                round(pm_bytes, 1),
                f"leaf itself {mean_leaf:.0f} B; ours: +{ours_bytes - mean_leaf:.0f} B tree/index/commits",
            )
        )
        shutil.rmtree(ours_path)
        pm_db.unlink()

        big_path = workdir / "big"
        seconds, peak_mb, samples = _big_run(big_path)
        rows.append(
            _row(
                "durable appends, batches of 100,000, leaves/s",
                BIG,
                _rate(BIG, seconds),
                "",
                "separate process; generating leaves not timed",
            )
        )
        rows.append(
            _row(
                "peak RSS while appending, MB",
                BIG,
                round(peak_mb, 1),
                "",
                "RSS at 10%..100%: " + " ".join(f"{mb:.0f}" for _, mb in samples),
            )
        )
        inclusion, consistency = _ours_proofs(big_path, PROOFS)
        rows.append(
            _row(
                "inclusion proof + verify, p50 ms",
                BIG,
                inclusion["p50"],
                "",
                f"p95 {inclusion['p95']}, max {inclusion['max']}",
            )
        )
        rows.append(
            _row(
                "consistency proof + verify, p50 ms",
                BIG,
                consistency["p50"],
                "",
                f"p95 {consistency['p95']}, max {consistency['max']}",
            )
        )
        rows.append(_row("disk bytes per leaf", BIG, round(_dir_size(big_path) / BIG, 1), "", ""))
        if PYMERKLE_BIG:
            pm_rate, pm_db = _pymerkle_append([entry(i) for i in range(BIG)], workdir)
            pm_inclusion, pm_consistency, _ = _pymerkle_proofs(pm_db, 3)
            rows.append(
                _row(
                    "pymerkle at BIG: appends/s, inclusion p50 ms, consistency p50 ms",
                    BIG,
                    "",
                    f"{pm_rate}, {pm_inclusion['p50']}, {pm_consistency['p50']}",
                )
            )
        else:
            rows.append(
                _row("pymerkle at BIG", BIG, "", "not run", "BENCH_LEDGER_PYMERKLE_BIG=1 to try")
            )
        rows.append(
            _row(
                "benchmark process peak RSS, MB",
                SIZE,
                round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                "",
                "holds the 1M leaves list and pymerkle's trees",
            )
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    report("ledger", rows)


if __name__ == "__main__":
    main()
