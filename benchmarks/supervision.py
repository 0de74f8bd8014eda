"""Supervision of plans (issue 15): reading the county plan and matching its units.

- import and match: ``engines.plans.parse_plan`` on the county plan (23 measures) and
  ``match_unit`` for every distinct unit it names against the demo's 40 units plus 1,000 other
  units of a province: target ≤ 1 s.

The dashboard figures (50 plans × 30 measures × 30 units, five years of monthly reports) come
with the supervision pages.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

PLAN = (
    Path(__file__).resolve().parents[1] / "tests" / "data" / "plans" / "baode-county-plan-2020.txt"
)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipshield.config.settings")
    import django

    django.setup()
    from benchmarks._common import report, time_calls
    from ipshield import demo
    from ipshield.engines.plans import UnitRef, group_kind, match_unit, parse_plan

    text = PLAN.read_text(encoding="utf-8")
    units = [UnitRef(u.name, u.name, u.short_name) for u in demo.UNITS]
    bureaus = ["市场监督管理局", "公安局", "司法局", "财政局", "农业农村局", "文化和旅游局"]
    units += [
        UnitRef(f"other-{i}", f"第{i}县{bureaus[i % len(bureaus)]}", f"{i}县局")
        for i in range(1000)
    ]
    places = ("保德县", "忻州市", "山西省")

    def import_and_match() -> int:
        plan = parse_plan(text)
        names = {u for m in plan.measures for u in m.units if not group_kind(u)}
        return sum(bool(match_unit(name, units, places=places)) for name in names)

    from ipshield.engines import plans

    def cold() -> int:
        # the engine memoises folded names and unit forms; a first import starts without them
        for name in ("_core", "_expanded", "_folded", "_sound"):
            getattr(plans, name).cache_clear()
        return import_and_match()

    matched = import_and_match()
    print(f"county plan: {matched} unit names matched against {len(units)} units", file=sys.stderr)
    rows = [
        {"what": "parse the county plan", **time_calls(lambda: parse_plan(text), repeat=20)},
        {
            "what": f"parse and match its units ({len(units)} units), first import",
            **time_calls(cold, repeat=10, warmup=0),
        },
        {
            "what": f"parse and match its units ({len(units)} units), again",
            **time_calls(import_and_match, repeat=10),
        },
    ]
    report("supervision", rows)


if __name__ == "__main__":
    main()
