"""Dispute resolution (issue 16).

- the damages engine (``engines.damages.calculate``): calculations per second over a mix of
  kinds, dates from 2020 to 2026 (either side of most changes of law), bases and punitive or not: target ≥ 100,000/s.

The mediator recommendation figures (5,000 mediators, 100,000 past disputes) come with the
dispute app.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from decimal import Decimal


def _cases(n: int) -> list[dict[str, object]]:
    from ipshield.engines.damages import KINDS, regime_for

    rng = random.Random(16)
    cases = []
    for _ in range(n):
        kind = rng.choice(KINDS)
        acted_on = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randint(0, 2500))
        bases = ["loss", "gains", "statutory"]
        if regime_for(kind, acted_on).licence:
            bases.append("licence")
        basis = rng.choice(bases)
        case: dict[str, object] = {
            "kind": kind,
            "acted_on": acted_on,
            "basis": basis,
            "malicious": rng.random() < 0.5,
            "serious": rng.random() < 0.5,
            "expenses": Decimal(rng.randint(0, 50000)),
        }
        if basis in ("loss", "gains"):
            case["amount"] = Decimal(rng.randint(1000, 10_000_000))
        elif basis == "licence":
            case["licence_fee"] = Decimal(rng.randint(1000, 500_000))
            case["licence_multiple"] = Decimal(rng.randint(1, 5))
        cases.append(case)
    return cases


def main() -> None:
    from benchmarks._common import report
    from ipshield.engines.damages import calculate

    cases = _cases(20_000)
    for case in cases[:1000]:  # warm up
        calculate(**case)
    rows = []
    for repeat in range(3):
        start = time.perf_counter()
        for case in cases:
            calculate(**case)
        elapsed = time.perf_counter() - start
        rows.append(
            {
                "what": f"damages.calculate, {len(cases)} mixed cases (run {repeat + 1})",
                "per_second": round(len(cases) / elapsed),
                "target": ">= 100000",
            }
        )
    report("disputes", rows)


if __name__ == "__main__":
    main()
