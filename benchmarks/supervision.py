"""Supervision of plans (issue 15).

- import and match: ``engines.plans.parse_plan`` on the county plan (23 measures) and
  ``match_unit`` for every distinct unit it names against the demo's 40 units plus 1,000 other
  units of a province: target ≤ 1 s;
- the leading group's dashboard with 50 plans × 30 measures, 30 units (three per measure), and
  five years of monthly reports (270,000): the page for a leading-group member, target p95 ≤
  200 ms on SQLite and on PostgreSQL (it shows the year's evaluation standings, computed); also
  the plans page, a unit's page, the ledger exports and the year's evaluation page.

- quality: precision and recall of measures, deadlines, unit names and unit matches on both
  seeds against a hand-checked truth (``tests/data/plans/truth.json``).

Run: ``python -m benchmarks supervision`` (SQLite) and through ``scripts/with-postgres``.
Sizes: BENCH_PLANS (50), BENCH_YEARS (5).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
from pathlib import Path

PLAN = (
    Path(__file__).resolve().parents[1]
    / "src"
    / "ipshield"
    / "supervision"
    / "data"
    / "baode-county-plan-2020.txt"
)
N_PLANS = int(os.environ.get("BENCH_PLANS", "50"))
N_YEARS = int(os.environ.get("BENCH_YEARS", "5"))
N_MEASURES = 30
N_UNITS = 30


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipshield.config.settings")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("IPSHIELD_DATA_DIR", ".test-data/bench")
    os.environ["IPSHIELD_DATA_DIR"] = os.environ["IPSHIELD_DATA_DIR"] + "-supervision"
    import django

    django.setup()


def engine_rows() -> list[dict[str, object]]:
    from benchmarks._common import time_calls
    from ipshield import demo
    from ipshield.engines import plans
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

    def cold() -> int:
        # the engine memoises folded names and unit forms; a first import starts without them
        for name in ("_core", "_expanded", "_folded", "_sound"):
            getattr(plans, name).cache_clear()
        return import_and_match()

    matched = import_and_match()
    print(f"county plan: {matched} unit names matched against {len(units)} units", file=sys.stderr)
    return [
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


TRUTH = Path(__file__).resolve().parents[1] / "tests" / "data" / "plans" / "truth.json"
OPINION = TRUTH.with_name("heilongjiang-opinion-2020.txt")


def _pr(found: list, truth: list) -> tuple[float, float]:
    """Precision and recall of ``found`` against ``truth`` (multisets)."""
    from collections import Counter

    hit = sum((Counter(found) & Counter(truth)).values())
    return (hit / len(found) if found else 1.0, hit / len(truth) if truth else 1.0)


def quality_rows() -> list[dict[str, object]]:
    """Precision and recall on both seeds against the hand-checked truth
    (tests/data/plans/truth.json): measures (by number, in order), deadlines as printed, unit
    names as printed, and the unit each name is matched to among the demo's units — the best
    candidate, and the ones taken without asking the office."""
    import json

    from ipshield import demo
    from ipshield.engines.plans import UnitRef, group_kind, match_unit, parse_plan

    truth = json.loads(TRUTH.read_text(encoding="utf-8"))
    units = [UnitRef(u.name, u.name, u.short_name) for u in demo.UNITS]
    rows = []
    for name, path in (("county plan", PLAN), ("provincial opinion", OPINION)):
        want = truth["county" if name == "county plan" else "opinion"]
        plan = parse_plan(path.read_text(encoding="utf-8"))
        got = plan.measures
        pairs = list(zip(got, want["measures"], strict=False))
        checks = {
            "measures": _pr(
                [(i, m.number) for i, m in enumerate(got)],
                [(i, m["number"]) for i, m in enumerate(want["measures"])],
            ),
            "deadlines": _pr(
                [(i, m.deadline) for i, m in enumerate(got) if m.deadline],
                [(i, m["deadline"]) for i, m in enumerate(want["measures"]) if m["deadline"]],
            ),
            "unit names": _pr(
                [(i, u) for i, m in enumerate(got) for u in m.units],
                [(i, u) for i, m in enumerate(want["measures"]) for u in m["units"]],
            ),
        }
        mapping = want.get("units", {})
        names = sorted({u for m, _w in pairs for u in m.units if not group_kind(u)})
        best, sure = [], []
        for printed in names:
            found = match_unit(printed, units, places=("保德县", "忻州市", "山西省"))
            if found:
                best.append((printed, found[0].name))
                certain = found[0].score >= 0.9 and (
                    len(found) == 1 or found[1].score < found[0].score - 0.05
                )
                if certain:
                    sure.append((printed, found[0].name))
        expected = [(p, mapping[p]) for p in names if not mapping[p].startswith("group:")]
        checks["unit matches, best candidate"] = _pr(best, expected)
        checks["unit matches, taken without asking"] = _pr(sure, expected)
        for what, (precision, recall) in checks.items():
            rows.append(
                {
                    "what": f"{name}: {what}",
                    "precision": round(precision, 3),
                    "recall": round(recall, 3),
                }
            )
    return rows


def _load():
    """50 plans of 30 measures; three of the 30 units on each measure; half the measures
    dated, half reporting monthly; a report for every month of five years on each."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from ipshield.accounts.models import LeadingGroup, Profile, Region, RegionLevel, Unit, UnitKind
    from ipshield.supervision.models import (
        Assignment,
        AssignmentRole,
        Cycle,
        DueKind,
        Measure,
        Plan,
        PlanStatus,
        ProgressReport,
        ReportStatus,
    )
    from ipshield.supervision.status import period_bounds

    rng = random.Random(15)
    today = timezone.localdate()
    start = dt.date(today.year - N_YEARS, today.month, 1)
    county = Region.objects.create(code="140931", name="保德县", level=RegionLevel.COUNTY)
    units = [
        Unit.objects.create(name=f"保德县第{i}局", kind=UnitKind.OTHER_DEPARTMENT, region=county)
        for i in range(N_UNITS)
    ]
    office = units[0]
    group = LeadingGroup.objects.create(name="领导组", region=county, office_unit=office)
    users = get_user_model()
    member = users.objects.create_user("bench-member", password="Bench-pass-2026")
    Profile.objects.create(user=member, display_name="成员", unit=office)
    member.groups.set(Group.objects.filter(name="leading_group_member"))
    office_user = users.objects.create_user("bench-office", password="Bench-pass-2026")
    Profile.objects.create(user=office_user, display_name="办公室", unit=office)
    office_user.groups.set(Group.objects.filter(name="case_officer"))
    from ipshield.evaluation.services import sheet_create_default

    sheet_create_default(actor=office_user, year=today.year, leading_group=group)
    officer = users.objects.create_user("bench-unit", password="Bench-pass-2026")
    Profile.objects.create(user=officer, display_name="联络员", unit=units[1])
    officer.groups.set(Group.objects.filter(name="case_officer"))
    periods = []
    day = start
    while day <= today:
        key = f"{day.year}-{day.month:02d}"
        bounds = period_bounds(key)
        assert bounds is not None
        if bounds[1] < today:
            periods.append((key, bounds[0], bounds[1]))
        day = bounds[1] + dt.timedelta(days=1)
    now = timezone.now()
    for p in range(N_PLANS):
        plan = Plan.objects.create(
            title=f"第{p + 1}号实施方案",
            year=start.year,
            leading_group=group,
            office_unit=office,
            region=county,
            status=PlanStatus.PUBLISHED,
            report_cycle=Cycle.MONTH,
            published_at=now,
        )
        measures = []
        for m in range(N_MEASURES):
            dated = m % 2 == 0
            measures.append(
                Measure(
                    plan=plan,
                    order=m + 1,
                    number=f"（{m + 1}）",
                    section=f"{m // 10 + 1}、重点任务",
                    title=f"任务措施{m + 1}",
                    text="加强知识产权保护。" * 5,
                    deadline_printed="2027年" if dated else "长期坚持",
                    due_kind=DueKind.DATE if dated else DueKind.ONGOING,
                    due_on=today + dt.timedelta(days=rng.randint(-60, 400)) if dated else None,
                    done_on=today - dt.timedelta(days=10) if rng.random() < 0.15 else None,
                )
            )
        Measure.objects.bulk_create(measures)
        measures = list(plan.measures.order_by("order"))
        assignments = []
        for measure in measures:
            for k, unit in enumerate(rng.sample(units, 3)):
                assignments.append(
                    Assignment(
                        measure=measure,
                        unit=unit,
                        role=AssignmentRole.LEAD if k == 0 else AssignmentRole.SUPPORTING,
                        due_on=measure.due_on,
                        cycle="" if measure.due_on else Cycle.MONTH,
                        starts_on=start,
                    )
                )
        Assignment.objects.bulk_create(assignments)
        reports = []
        for assignment in Assignment.objects.filter(measure__plan=plan):
            # the last month goes unreported now and then: some lights turn red
            skip = rng.random() < 0.2
            for key, first, last in periods[: len(periods) - (1 if skip else 0)]:
                reports.append(
                    ProgressReport(
                        assignment=assignment,
                        period=key,
                        period_start=first,
                        period_end=last,
                        narrative="本月按计划推进，已完成阶段性工作。",
                        share_done=50,
                        status=ReportStatus.ACCEPTED,
                        submitted_by=officer,
                        submitted_at=now,
                    )
                )
        ProgressReport.objects.bulk_create(reports, batch_size=5000)
        print(f"  plan {p + 1}/{N_PLANS}", file=sys.stderr, end="\r")
    print(file=sys.stderr)
    return member, officer


def dashboard_rows() -> list[dict[str, object]]:
    from django.db import connection
    from django.test import Client

    from benchmarks._common import fresh_database, time_calls
    from ipshield.common.maintenance import database_optimize
    from ipshield.supervision.models import Plan, ProgressReport

    fresh_database()
    print(f"loading {N_PLANS} plans into {connection.vendor} …", file=sys.stderr)
    member, officer = _load()
    database_optimize()
    reports = ProgressReport.objects.count()
    plans = list(Plan.objects.order_by("pk").values_list("pk", flat=True))
    from ipshield.evaluation.models import IndicatorSheet

    sheet = IndicatorSheet.objects.get().pk
    target = plans[len(plans) // 2]
    reader = Client()
    reader.force_login(member)
    unit = Client()
    unit.force_login(officer)
    urls = {
        f"dashboard page ({N_MEASURES} measures, {reports} reports in all)": (
            reader,
            f"/workbench/supervision/plans/{target}/",
        ),
        f"plans page ({len(plans)} plans)": (reader, "/workbench/supervision/"),
        "a unit's page": (unit, f"/workbench/supervision/plans/{target}/unit/"),
        "ledger, Excel": (reader, f"/workbench/supervision/plans/{target}/ledger.xlsx"),
        "ledger, PDF": (reader, f"/workbench/supervision/plans/{target}/ledger.pdf"),
        "the year's evaluation page": (reader, f"/workbench/evaluation/{sheet}/"),
        "ledger, JSON (API)": (reader, f"/api/v1/supervision/plans/{target}/ledger"),
        "plan with its figures (API)": (reader, f"/api/v1/supervision/plans/{target}"),
    }
    rows = []
    for name, (client, url) in urls.items():
        response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        rows.append(
            {
                "what": name,
                "db": connection.vendor,
                **time_calls(lambda c=client, u=url: c.get(u), repeat=30),
            }
        )
    return rows


def main() -> None:
    _setup()
    from benchmarks._common import report

    report("supervision-quality", quality_rows())
    rows = [{**row, "db": "-"} for row in engine_rows()]
    rows += dashboard_rows()
    report("supervision", rows)


if __name__ == "__main__":
    main()
