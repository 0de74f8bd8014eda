"""Confusing-mark search at a million marks: our index against two baselines, in one run.

Contenders, each in its own process pinned to one core (so peak memory is its own):

* **ours** — :class:`ipshield.engines.marks.MarkIndex`: build, save, then every query is
  answered by the saved file loaded memory-mapped (after one warm-up pass over the queries);
* **rapidfuzz** — brute force: ``process.extract(query, keys, scorer=fuzz.WRatio, limit=10)``
  over all normalised names (the same keys ours compares). It takes about a second a query
  at a million marks, so it answers only the development set's knock-offs (or the first
  BENCH_MARKS_RAPIDFUZZ of them);
* **pg_trgm** — when DATABASE_URL points at PostgreSQL (``scripts/with-postgres``): a table
  of the normalised names with a GIN ``gin_trgm_ops`` index, queried with
  ``WHERE key % q ORDER BY similarity(key, q) DESC LIMIT 10`` at
  ``pg_trgm.similarity_threshold`` BENCH_MARKS_PG_THRESHOLD (default 0.3, the extension's
  default; lower finds more but is slower), no parallel workers, timed on the first
  BENCH_MARKS_PG_QUERIES (500) of the timed queries. Its peak memory is the server
  backend's (VmHWM), not counting shared buffers.

The registry is :func:`ipshield.engines.marks.synthetic.registry` of BENCH_MARKS marks
(default 1,000,000) with the originals of ``tests/data/marks/pairs.csv`` hidden in it (with
their Nice classes). Measured: build time, size (bytes on disk; for rapidfuzz the keys in
memory), peak RSS, p50/p95 latency, and on the development set recall@1, recall@10 and —
for ours, which has a threshold — precision at DEFAULT_THRESHOLD (an alert is a top hit
scoring at least the threshold; it is right when it names the knock-off's original; a
negative that reaches the threshold on any original is a wrong alert). Quality is measured
without class filter (the hardest case) and with the original's Nice classes (how the
monitoring app asks). Timed queries: the knock-offs, the negatives and registry names with
one character changed, BENCH_MARKS_QUERIES in all (default 1000).

Scanning listing titles: BENCH_MARKS_TITLES titles (default 100,000; one in ten names a
knock-off of the development set, the others a house brand or no brand) against an index of
BENCH_MARKS_PROTECTED protected marks (default 10,000: the originals plus registry marks),
one core; found = the planted knock-off's original is among the hits; false alerts = clean
titles with any hit.

Run: ``python -m benchmarks marks``; with PostgreSQL:
``scripts/with-postgres .venv/bin/python -m benchmarks marks``. BENCH_MARKS_ONLY
(e.g. ``ours``) runs some contenders only.
"""

from __future__ import annotations

import csv
import gc
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from benchmarks._common import percentile, report

SIZE = int(os.environ.get("BENCH_MARKS", 1_000_000))
QUERIES = int(os.environ.get("BENCH_MARKS_QUERIES", 1000))
RAPIDFUZZ_QUERIES = int(os.environ.get("BENCH_MARKS_RAPIDFUZZ", 200))
TITLES = int(os.environ.get("BENCH_MARKS_TITLES", 100_000))
PROTECTED = int(os.environ.get("BENCH_MARKS_PROTECTED", 10_000))
PG_THRESHOLD = float(os.environ.get("BENCH_MARKS_PG_THRESHOLD", 0.3))
PG_QUERIES = int(os.environ.get("BENCH_MARKS_PG_QUERIES", 500))
ONLY = {x for x in os.environ.get("BENCH_MARKS_ONLY", "").split(",") if x}
SEED = 20260515
DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "marks"
TARGETS = {"p95_ms": 10.0, "build_s": 180.0, "peak_mb": 3072.0, "recall_at_10": 0.95}


# -- The development set ----------------------------------------------------------------------


def dev_pairs() -> list[dict[str, str]]:
    with (DATA / "pairs.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def dev_negatives() -> list[dict[str, str]]:
    with (DATA / "negatives.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def dev_registry(size: int, seed: int = SEED) -> Any:
    """The synthetic registry with the development set's originals (and their classes) in it."""
    from ipshield.engines.marks import synthetic

    pairs = dev_pairs()
    classes = {p["original"]: [int(c) for c in p["classes"].split()] for p in pairs}
    originals = list(classes)
    return synthetic.registry(
        size,
        seed=seed,
        originals=originals,
        original_classes=[classes[o] for o in originals],
        avoid=[p["knockoff"] for p in pairs] + [n["name"] for n in dev_negatives()],
    )


Searcher = Callable[[str, Sequence[int] | None], list[tuple[str, float]]]


def evaluate(search: Searcher, *, threshold: float | None, with_classes: bool) -> dict[str, Any]:
    """Recall@1, recall@10 and (with a threshold) precision of ``search`` on the development set.

    ``search(query, classes)`` returns (name, score) pairs, best first.
    """
    from ipshield.engines.marks import normalize_mark

    pairs, negatives = dev_pairs(), dev_negatives()
    originals = {normalize_mark(p["original"]) for p in pairs}
    at1 = at10 = right = wrong = 0
    in_scope = [0, 0]
    missed = []
    for pair in pairs:
        classes = [int(c) for c in pair["classes"].split()] if with_classes else None
        hits = search(pair["knockoff"], classes)[:10]
        keys = [normalize_mark(name) for name, _ in hits]
        want = normalize_mark(pair["original"])
        at1 += bool(keys) and keys[0] == want
        at10 += want in keys
        if pair["in_scope"] == "yes":
            in_scope[0] += 1
            in_scope[1] += want in keys
        if want not in keys:
            missed.append(pair["knockoff"])
        if threshold is not None and hits and hits[0][1] >= threshold:
            if keys[0] == want:
                right += 1
            else:
                wrong += 1
    alarms = 0
    if threshold is not None:
        for negative in negatives:
            hits = search(negative["name"], None)[:10]
            alarms += any(s >= threshold and normalize_mark(n) in originals for n, s in hits)
    result: dict[str, Any] = {
        "pairs": len(pairs),
        "recall_at_1": round(at1 / len(pairs), 3),
        "recall_at_10": round(at10 / len(pairs), 3),
        "recall_at_10_in_scope": round(in_scope[1] / max(1, in_scope[0]), 3),
        "missed": missed,
    }
    if threshold is not None:
        result.update(
            alerts_right=right,
            alerts_wrong=wrong,
            negative_alarms=alarms,
            precision=round(right / max(1, right + wrong + alarms), 3),
            alert_recall=round(right / len(pairs), 3),
        )
    return result


def timed_queries(names: Sequence[str], count: int, seed: int = SEED) -> list[str]:
    """The knock-offs and negatives, then registry names with one character changed."""
    queries = [p["knockoff"] for p in dev_pairs()] + [n["name"] for n in dev_negatives()]
    rng = random.Random(seed + 9)
    while len(queries) < count:
        name = names[rng.randrange(len(names))]
        i = rng.randrange(len(name))
        queries.append(
            name[:i]
            + rng.choice("的一是了我不人在他有这个上们来到时大地为子中你说")
            + name[i + 1 :]
        )
    return queries[:count]


# -- Workers (one process each) ---------------------------------------------------------------


def _pin() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def _read_registry(path: Path) -> tuple[list[str], list[list[int]]]:
    names, classes = [], []
    with path.open(encoding="utf-8") as f:
        for line in f:
            name, _, cls = line.rstrip("\n").partition("\t")
            names.append(name)
            classes.append([int(c) for c in cls.split()])
    return names, classes


def _latencies(run: Callable[[str], object], queries: Iterable[str]) -> list[float]:
    samples = []
    for query in queries:
        start = time.perf_counter()
        run(query)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def _summary(samples: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(percentile(samples, 50), 2),
        "p95_ms": round(percentile(samples, 95), 2),
        "max_ms": round(max(samples), 2),
        "n": len(samples),
    }


def worker_ours(registry: Path, workdir: Path) -> dict[str, Any]:
    from ipshield.engines.marks import DEFAULT_THRESHOLD, MarkIndex, synthetic

    names, classes = _read_registry(registry)
    base = _rss_mb()
    start = time.perf_counter()
    built = MarkIndex.build(names, classes=classes)
    build_s = time.perf_counter() - start
    build_peak = _peak_mb()
    path = workdir / "marks.idx"
    built.save(path)
    del built
    gc.collect()
    start = time.perf_counter()
    index = MarkIndex.load(path)
    load_ms = (time.perf_counter() - start) * 1000
    queries = timed_queries(names, QUERIES)
    for query in queries:  # warm-up: the file's pages come into memory
        index.search(query, k=10)
    samples = _latencies(lambda q: index.search(q, k=10), queries)

    def search(query: str, wanted: Sequence[int] | None) -> list[tuple[str, float]]:
        return [(h.name, h.score) for h in index.search(query, k=10, classes=wanted)]

    quality = evaluate(search, threshold=DEFAULT_THRESHOLD, with_classes=False)
    quality_classes = evaluate(search, threshold=DEFAULT_THRESHOLD, with_classes=True)
    sweep = {
        str(t): {
            k: v
            for k, v in evaluate(search, threshold=t, with_classes=False).items()
            if k in ("precision", "alert_recall", "negative_alarms")
        }
        for t in (0.7, 0.75, 0.8, 0.85)
    }
    result: dict[str, Any] = {
        "build_s": round(build_s, 1),
        "size_mb": round(path.stat().st_size / 1e6, 1),
        "load_ms": round(load_ms, 1),
        "rss_registry_mb": base,
        "peak_build_mb": build_peak,
        "latency": _summary(samples),
        "quality": quality,
        "quality_classes": quality_classes,
        "threshold": DEFAULT_THRESHOLD,
        "sweep": sweep,
    }
    result["scan"] = _scan(names, classes, synthetic)
    result["peak_mb"] = _peak_mb()
    return result


def _scan(names: list[str], classes: list[list[int]], synthetic: Any) -> dict[str, Any]:
    from ipshield.engines.marks import MarkIndex, normalize_mark

    pairs = dev_pairs()
    originals = list(dict.fromkeys(p["original"] for p in pairs))
    position = {name: i for i, name in enumerate(names)}
    rng = random.Random(SEED + 5)
    chosen = [position[o] for o in originals]
    taken = set(chosen)
    while len(chosen) < min(PROTECTED, len(names)):
        i = rng.randrange(len(names))
        if i not in taken:
            taken.add(i)
            chosen.append(i)
    protected = [names[i] for i in chosen]
    start = time.perf_counter()
    index = MarkIndex.build(protected, classes=[classes[i] for i in chosen])
    index.scan("预热")  # builds the look-alike table of the scan
    build_s = time.perf_counter() - start
    knockoffs = [p["knockoff"] for p in pairs]
    planted_count = TITLES // 10
    planted = synthetic.listing_titles(planted_count, seed=SEED + 6, brands=knockoffs)
    protected_keys = {normalize_mark(n) for n in protected} | {normalize_mark(k) for k in knockoffs}
    house = synthetic.mark_names(2000, seed=SEED + 7, avoid=list(protected_keys))
    half = (TITLES - planted_count) // 2
    clean = synthetic.listing_titles(half, seed=SEED + 8, brands=house)
    clean += synthetic.listing_titles(TITLES - planted_count - half, seed=SEED + 9)
    wanted = {p["knockoff"]: normalize_mark(p["original"]) for p in pairs}
    titles = planted + clean
    start = time.perf_counter()
    results = [index.scan(title) for title in titles]
    seconds = time.perf_counter() - start
    found = 0
    for i, hits in enumerate(results[:planted_count]):
        want = wanted[knockoffs[i % len(knockoffs)]]
        found += any(normalize_mark(h.name) == want for h in hits)
    alerts = [
        (titles[planted_count + i], hits) for i, hits in enumerate(results[planted_count:]) if hits
    ]
    return {
        "titles": len(titles),
        "protected": len(protected),
        "index_build_s": round(build_s, 2),
        "seconds": round(seconds, 1),
        "per_title_ms": round(seconds / len(titles) * 1000, 3),
        "planted": planted_count,
        "planted_found": round(found / planted_count, 3),
        "clean": len(clean),
        "clean_alerted": round(len(alerts) / len(clean), 4),
        "clean_alert_examples": [
            (title, hits[0].name, hits[0].matched, round(hits[0].score, 2))
            for title, hits in alerts[:8]
        ],
    }


def worker_rapidfuzz(registry: Path, workdir: Path) -> dict[str, Any]:
    from rapidfuzz import fuzz, process

    from ipshield.engines.marks import normalize_mark

    names, _classes = _read_registry(registry)
    base = _rss_mb()
    start = time.perf_counter()
    keys = [normalize_mark(name) for name in names]
    build_s = time.perf_counter() - start
    size = sum(len(k.encode()) for k in keys)
    pairs = dev_pairs()[:RAPIDFUZZ_QUERIES]
    answers: dict[str, list[tuple[str, float]]] = {}
    samples = []
    for pair in pairs:
        query = normalize_mark(pair["knockoff"])
        start = time.perf_counter()
        found = process.extract(query, keys, scorer=fuzz.WRatio, limit=10, processor=None)
        samples.append((time.perf_counter() - start) * 1000)
        answers[pair["knockoff"]] = [(names[i], score / 100) for _k, score, i in found]

    def search(query: str, _wanted: Sequence[int] | None) -> list[tuple[str, float]]:
        return answers.get(query, [])

    quality = evaluate(search, threshold=None, with_classes=False)
    quality["pairs_answered"] = len(pairs)
    if len(pairs) < len(dev_pairs()):  # recall over the answered pairs only
        at = [p for p in dev_pairs() if p["knockoff"] in answers]
        hits10 = sum(
            normalize_mark(p["original"]) in [normalize_mark(n) for n, _ in answers[p["knockoff"]]]
            for p in at
        )
        quality["recall_at_10"] = round(hits10 / len(at), 3)
    return {
        "build_s": round(build_s, 1),
        "size_mb": round(size / 1e6, 1),
        "rss_registry_mb": base,
        "latency": _summary(samples),
        "quality": quality,
        "peak_mb": _peak_mb(),
    }


def worker_pg(registry: Path, workdir: Path) -> dict[str, Any]:
    import psycopg

    from ipshield.engines.marks import normalize_mark

    names, _classes = _read_registry(registry)
    keys = [normalize_mark(name) for name in names]
    url = os.environ["DATABASE_URL"]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        conn.execute("DROP TABLE IF EXISTS bench_marks")
        conn.execute("SET max_parallel_workers_per_gather = 0")
        conn.execute("SET max_parallel_maintenance_workers = 0")
        conn.execute("SET maintenance_work_mem = '512MB'")
        start = time.perf_counter()
        conn.execute("CREATE TABLE bench_marks (id integer, name text, key text)")
        with conn.cursor().copy("COPY bench_marks (id, name, key) FROM STDIN") as copy:
            for i, (name, key) in enumerate(zip(names, keys, strict=True)):
                copy.write_row((i, name, key))
        conn.execute("CREATE INDEX bench_marks_trgm ON bench_marks USING gin (key gin_trgm_ops)")
        conn.execute("ANALYZE bench_marks")
        build_s = time.perf_counter() - start
        size = conn.execute("SELECT pg_total_relation_size('bench_marks')").fetchone()[0]
        index_size = conn.execute("SELECT pg_relation_size('bench_marks_trgm')").fetchone()[0]
        backend = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        conn.execute(f"SET pg_trgm.similarity_threshold = {PG_THRESHOLD:.3f}")
        sql = (
            "SELECT name, similarity(key, %(q)s) AS s FROM bench_marks "
            "WHERE key %% %(q)s ORDER BY s DESC, id LIMIT 10"
        )

        def run(query: str) -> list[tuple[str, float]]:
            rows = conn.execute(sql, {"q": normalize_mark(query)}).fetchall()
            return [(name, float(s)) for name, s in rows]

        queries = timed_queries(names, min(QUERIES, PG_QUERIES))
        for query in queries[:50]:
            run(query)
        samples = _latencies(run, queries)

        def search(query: str, _wanted: Sequence[int] | None) -> list[tuple[str, float]]:
            return run(query)

        quality = evaluate(search, threshold=None, with_classes=False)
        peak = 0.0
        status = Path(f"/proc/{backend}/status")
        if status.exists():
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = round(int(line.split()[1]) / 1024, 1)
        conn.execute("DROP TABLE bench_marks")
    return {
        "build_s": round(build_s, 1),
        "size_mb": round(size / 1e6, 1),
        "index_mb": round(index_size / 1e6, 1),
        "latency": _summary(samples),
        "quality": quality,
        "peak_mb": peak,
        "similarity_threshold": PG_THRESHOLD,
    }


WORKERS = {"ours": worker_ours, "rapidfuzz": worker_rapidfuzz, "pg_trgm": worker_pg}


def _run_worker(name: str, registry: Path, workdir: Path) -> dict[str, Any]:
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    command = [
        sys.executable,
        "-m",
        "benchmarks.marks",
        "--worker",
        name,
        str(registry),
        str(workdir),
    ]
    print(f"marks: {name} …", file=sys.stderr, flush=True)
    done = subprocess.run(  # noqa: S603 — this module, fixed arguments
        command,
        env=env,
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        print(done.stderr, file=sys.stderr)
        raise SystemExit(f"benchmark worker {name} failed")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.3g}×" if b else "-"


def main() -> None:
    postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
    contenders = [c for c in ("ours", "rapidfuzz", "pg_trgm") if not ONLY or c in ONLY]
    if not postgres and "pg_trgm" in contenders:
        contenders.remove("pg_trgm")
        print("marks: no PostgreSQL in DATABASE_URL, pg_trgm skipped", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="ipshield-marks-") as tmp:
        workdir = Path(tmp)
        registry_file = workdir / "registry.tsv"
        start = time.perf_counter()
        reg = dev_registry(SIZE)
        with registry_file.open("w", encoding="utf-8") as f:
            for name, cls in zip(reg.names, reg.classes, strict=True):
                f.write(f"{name}\t{' '.join(map(str, cls))}\n")
        print(f"marks: registry of {SIZE} in {time.perf_counter() - start:.1f} s", file=sys.stderr)
        del reg
        results = {name: _run_worker(name, registry_file, workdir) for name in contenders}
    rows: list[dict[str, object]] = []
    for name, r in results.items():
        q = r["quality"]
        rows.append(
            {
                "contender": name,
                "marks": SIZE,
                "build_s": r["build_s"],
                "size_mb": r["size_mb"],
                "peak_mb": r["peak_mb"],
                "p50_ms": r["latency"]["p50_ms"],
                "p95_ms": r["latency"]["p95_ms"],
                "queries": r["latency"]["n"],
                "recall@1": q["recall_at_1"],
                "recall@10": q["recall_at_10"],
                "precision": q.get("precision", "-"),
            }
        )
    ours = results.get("ours")
    if ours:
        qc = ours["quality_classes"]
        rows.append(
            {
                "contender": "ours, with classes",
                "marks": SIZE,
                "build_s": "",
                "size_mb": "",
                "peak_mb": "",
                "p50_ms": "",
                "p95_ms": "",
                "queries": qc["pairs"],
                "recall@1": qc["recall_at_1"],
                "recall@10": qc["recall_at_10"],
                "precision": qc["precision"],
            }
        )
        for base in ("rapidfuzz", "pg_trgm"):
            if base in results:
                b = results[base]
                rows.append(
                    {
                        "contender": f"ours ÷ {base}",
                        "marks": SIZE,
                        "build_s": _ratio(ours["build_s"], b["build_s"]),
                        "size_mb": _ratio(ours["size_mb"], b["size_mb"]),
                        "peak_mb": _ratio(ours["peak_mb"], b["peak_mb"]),
                        "p50_ms": _ratio(ours["latency"]["p50_ms"], b["latency"]["p50_ms"]),
                        "p95_ms": _ratio(ours["latency"]["p95_ms"], b["latency"]["p95_ms"]),
                        "queries": "",
                        "recall@1": f"{ours['quality']['recall_at_1'] - b['quality']['recall_at_1']:+.3f}",
                        "recall@10": f"{ours['quality']['recall_at_10'] - b['quality']['recall_at_10']:+.3f}",
                        "precision": "",
                    }
                )
        rows.append(
            {
                "contender": "target",
                "marks": SIZE,
                "build_s": f"≤ {TARGETS['build_s']:.0f}",
                "size_mb": "",
                "peak_mb": f"≤ {TARGETS['peak_mb']:.0f}",
                "p50_ms": "",
                "p95_ms": f"≤ {TARGETS['p95_ms']:.0f}",
                "queries": "",
                "recall@1": "",
                "recall@10": f"≥ {TARGETS['recall_at_10']}",
                "precision": "≥ 0.9",
            }
        )
    name = "marks-postgresql" if "pg_trgm" in results else "marks"
    report(name, rows)
    if ours:
        s = ours["scan"]
        print(
            f"\nscan: {s['titles']} titles against {s['protected']} marks in {s['seconds']} s "
            f"({s['per_title_ms']} ms a title; target ≤ 60 s); planted knock-offs found "
            f"{s['planted_found']:.1%}, clean titles alerted {s['clean_alerted']:.2%}"
        )
        print(f"ours: threshold {ours['threshold']}, sweep {ours['sweep']}")
        print(f"ours: missed (no classes) {ours['quality']['missed']}")
    details = Path(__file__).resolve().parent / "results" / f"{name}-details.json"
    details.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        _pin()
        output = WORKERS[sys.argv[2]](Path(sys.argv[3]), Path(sys.argv[4]))
        print(json.dumps(output, ensure_ascii=False))
    else:
        main()
