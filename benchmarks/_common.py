"""Timing helpers shared by the benchmarks."""

from __future__ import annotations

import json
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def time_calls(fn: Callable[[], object], *, repeat: int, warmup: int = 3) -> dict[str, float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return {
        "p50_ms": round(statistics.median(samples), 3),
        "p95_ms": round(percentile(samples, 95), 3),
        "max_ms": round(max(samples), 3),
        "n": repeat,
    }


def report(name: str, rows: list[dict[str, object]]) -> None:
    keys = list(rows[0])
    widths = {k: max(len(k), *(len(str(r[k])) for r in rows)) for k in keys}
    print(f"\n== {name} ==")
    print("  ".join(k.ljust(widths[k]) for k in keys))
    for row in rows:
        print("  ".join(str(row[k]).ljust(widths[k]) for k in keys))
    RESULTS.mkdir(exist_ok=True)
    payload = {"benchmark": name, "python": platform.python_version(), "rows": rows}
    (RESULTS / f"{name}.json").write_text(json.dumps(payload, ensure_ascii=False, indent=2))


def fresh_database() -> None:
    """Bring the configured database to a freshly migrated state, data migrations included.

    A flush would empty the rows that data migrations seed (the roles, the default
    counterfeit slang, the joint-punishment measures) and migrate would not seed them again,
    so a second run would measure another system: drop everything instead (the SQLite file,
    or PostgreSQL's public schema), then migrate.
    """
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "sqlite":
        name = Path(connection.settings_dict["NAME"])
        connection.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            name.with_name(name.name + suffix).unlink(missing_ok=True)
    else:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
    call_command("migrate", verbosity=0)
