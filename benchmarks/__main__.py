"""Run every benchmark and write benchmarks/results/<name>.json."""

from __future__ import annotations

import importlib
import sys

MODULES = [
    "benchmarks.engines",
    "benchmarks.registry",
    "benchmarks.cases",
    "benchmarks.ledger",
    "benchmarks.marks",
    "benchmarks.monitoring",
    "benchmarks.credit",
    "benchmarks.entities",
    "benchmarks.load",
    "benchmarks.supervision",
    "benchmarks.disputes",
]


def main() -> None:
    only = sys.argv[1:]
    for name in MODULES:
        if only and name.rsplit(".", 1)[-1] not in only:
            continue
        importlib.import_module(name).main()


if __name__ == "__main__":
    main()
