"""Entity resolution (engines.entities) at a million entities, on one core.

The entities are :func:`ipshield.engines.entities.synthetic.entities` (BENCH_ENTITIES,
default 1,000,000) with the synthetic country's divisions passed as ``regions`` (as the
platform passes its region table). Incoming records are
:func:`~ipshield.engines.entities.synthetic.variants` (BENCH_ENTITIES_RECORDS, default
100,000) *without* codes: resolution by name, legal representative and address only, the
hard case (a record with a USCC is found by one lookup).

Measured:

* build: seconds, the index's arrays (bytes), the process's resident memory before and after
  the build and its peak (VmRSS, VmHWM; the generated entities are part of "before");
* resolution of every record with ``resolve(record, k=3)``: total seconds, p50/p95/max per
  record (the generated objects are frozen out of the garbage collector first, as a
  long-running process would have them in its permanent generation, and the collector is
  paused during the loop: the 100,000 answers kept for scoring would otherwise trigger full
  collections of a second each that an application, which does not keep them, never sees);
* quality against the generator's truth (:func:`~ipshield.engines.entities.synthetic.measure`):
  precision of SAME and of SAME + LIKELY, recall of SAME and of SAME + LIKELY, the share of
  records left UNSURE (the review queue), new branches found with their company, recall by
  kind of record.

Targets (issue 6): 100,000 records in ≤ 120 s; precision of SAME ≥ 0.98; recall of
SAME + LIKELY ≥ 0.9.

Run: ``.venv/bin/python -m benchmarks entities`` (also part of ``make bench``). Writes ``benchmarks/results/entities.json``.
"""

from __future__ import annotations

import gc
import os
import time
from pathlib import Path
from typing import Any

from benchmarks._common import percentile, report

SIZE = int(os.environ.get("BENCH_ENTITIES", 1_000_000))
RECORDS = int(os.environ.get("BENCH_ENTITIES_RECORDS", 100_000))
SEED = 20260601
TARGETS = {
    "resolve_total_s": 120.0,
    "precision_same": 0.98,
    "recall_same_likely": 0.9,
}


def _memory() -> dict[str, float]:
    """Resident and peak memory of this process in MB (Linux)."""
    out = {"rss_mb": 0.0, "peak_mb": 0.0}
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmRSS:"):
                out["rss_mb"] = round(int(line.split()[1]) / 1024, 1)
            elif line.startswith("VmHWM:"):
                out["peak_mb"] = round(int(line.split()[1]) / 1024, 1)
    return out


def main() -> None:
    from ipshield.engines.entities import EntityIndex, synthetic

    start = time.perf_counter()
    places = synthetic.gazetteer()
    regions = places.regions()
    entities = synthetic.entities(SIZE, seed=SEED, places=places)
    records = synthetic.variants(entities, RECORDS, seed=SEED + 1, places=places, codes=0.0)
    generated_s = time.perf_counter() - start
    gc.collect()
    gc.freeze()
    before = _memory()

    start = time.perf_counter()
    index = EntityIndex.build(((e.id, e.record) for e in entities), regions=regions)
    build_s = time.perf_counter() - start
    after = _memory()
    gc.collect()
    gc.freeze()

    samples: list[float] = []
    answers: list[Any] = []
    gc.disable()
    start = time.perf_counter()
    for variant in records:
        t0 = time.perf_counter()
        answers.append(index.resolve(variant.record, k=3))
        samples.append((time.perf_counter() - t0) * 1000)
    resolve_s = time.perf_counter() - start
    gc.enable()
    slowest = max(range(len(samples)), key=samples.__getitem__)
    print(f"slowest record ({samples[slowest]:.1f} ms): {records[slowest].record}")
    quality = synthetic.measure(records, answers)

    row: dict[str, Any] = {
        "entities": SIZE,
        "records": RECORDS,
        "generate_s": round(generated_s, 1),
        "build_s": round(build_s, 1),
        "index_arrays_mb": round(index.stats["array_bytes"] / 2**20, 1),
        "keys": index.stats["keys"],
        "postings": index.stats["postings"],
        "rss_before_build_mb": before["rss_mb"],
        "rss_after_build_mb": after["rss_mb"],
        "build_rss_growth_mb": round(after["rss_mb"] - before["rss_mb"], 1),
        "peak_mb": _memory()["peak_mb"],
        "resolve_total_s": round(resolve_s, 1),
        "p50_ms": round(percentile(samples, 50), 3),
        "p95_ms": round(percentile(samples, 95), 3),
        "max_ms": round(max(samples), 1),
        "precision_same": quality["precision_same"],
        "precision_same_likely": quality["precision_same_likely"],
        "recall_same": quality["recall_same"],
        "recall_same_likely": quality["recall_same_likely"],
        "unsure_share": quality["unsure_share"],
        "branch_found": quality["branch_found"],
    }
    row["meets_targets"] = (
        row["resolve_total_s"] <= TARGETS["resolve_total_s"]
        and row["precision_same"] >= TARGETS["precision_same"]
        and row["recall_same_likely"] >= TARGETS["recall_same_likely"]
    )
    report("entities", [row])
    print("by kind (recall of SAME + LIKELY; for new: share not linked):")
    for kind, value in quality["by_kind"].items():
        print(f"  {kind:16} {value}")
    report(
        "entities_by_kind",
        [{"kind": kind, "share": value} for kind, value in quality["by_kind"].items()],
    )


if __name__ == "__main__":
    main()
