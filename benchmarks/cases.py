"""Cases hot paths with 200,000 cases in the database.

- the workbench case list (an officer's unit, filtered by status, sorted by deadline, page 1 and
  a deep page) and the API case list: target p95 <= 100 ms on SQLite and on PostgreSQL;
- the work inbox (issue 14) with 100 staff in 20 units: the navigation's count and the inbox
  page for an officer, a legal reviewer and a unit leader: target p95 <= 50 ms;
- intake of complaints through the API, reported as complaints/s.

Run: ``make bench`` (SQLite) and ``make bench-postgres``. Sizes: BENCH_CASES (200000),
BENCH_INTAKE (10000).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import time

N_CASES = int(os.environ.get("BENCH_CASES", "200000"))
N_INTAKE = int(os.environ.get("BENCH_INTAKE", "10000"))


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipshield.config.settings")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("IPSHIELD_DATA_DIR", ".test-data/bench")
    os.environ["IPSHIELD_DATA_DIR"] = os.environ["IPSHIELD_DATA_DIR"] + "-cases"
    import django

    django.setup()
    from benchmarks._common import fresh_database

    fresh_database()


def _load():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from ipshield.accounts.models import Profile, Region, RegionLevel, Unit, UnitKind
    from ipshield.cases.models import Case, Source, Track
    from ipshield.cases.workflow import Status
    from ipshield.registry.models import IPRight, RightKind, RightsHolder, RightStatus

    rng = random.Random(11)
    county = Region.objects.create(code="140931", name="保德县", level=RegionLevel.COUNTY)
    market = Unit.objects.create(
        name="保德县市场监督管理局", kind=UnitKind.MARKET_SUPERVISION, region=county
    )
    others = [
        Unit.objects.create(name=f"单位{i}", kind=UnitKind.OTHER_DEPARTMENT, region=county)
        for i in range(19)
    ]
    units = [market, *others]
    users = get_user_model()
    officer = users.objects.create_user("bench-officer", password="Bench-pass-2026")
    Profile.objects.create(user=officer, display_name="办案", unit=market)
    officer.groups.set(Group.objects.filter(name="case_officer"))
    holder_user = users.objects.create_user("bench-holder", password="Bench-pass-2026")
    Profile.objects.create(user=holder_user, display_name="权利人")
    holder_user.groups.set(Group.objects.filter(name="rights_holder"))
    holder = RightsHolder.objects.create(
        name="权利人", kind="enterprise", region=county, user=holder_user
    )
    right = IPRight.objects.create(
        kind=RightKind.TRADEMARK,
        registration_number="1",
        title="保德红枣",
        holder=holder,
        nice_classes=[30],
        status=RightStatus.VERIFIED,
        verifying_unit=market,
    )
    statuses = [s for s, _ in Status.choices]
    now = timezone.now()
    today = timezone.localdate()
    batch = []
    for i in range(N_CASES):
        received = now - dt.timedelta(minutes=rng.randint(0, 60 * 24 * 700))
        status = rng.choice(statuses)
        batch.append(
            Case(
                number=f"XS{i:012d}",
                source=rng.choice([s for s, _ in Source.choices]),
                title=f"案件{i}",
                description="说明",
                status=status,
                track=rng.choice([t for t, _ in Track.choices]),
                unit=rng.choice(units),
                received_at=received,
                deadline=None
                if status in ("closed", "rejected")
                else today + dt.timedelta(days=rng.randint(-30, 90)),
                deadline_label="期限",
            )
        )
        if len(batch) == 10_000:
            Case.objects.bulk_create(batch)
            batch = []
    Case.objects.bulk_create(batch)
    staff = {"case_officer": officer}
    roles = ["case_officer", "case_officer", "legal_reviewer", "unit_leader", "case_officer"]
    for i in range(99):  # 100 staff with the officer above, five in each unit
        role = roles[(i // len(units)) % len(roles)]
        user = users.objects.create_user(f"bench-staff-{i}", password="Bench-pass-2026")
        Profile.objects.create(user=user, display_name=f"人员{i}", unit=units[i % len(units)])
        user.groups.set(Group.objects.filter(name=role))
        if user.profile.unit_id == market.pk:
            staff.setdefault(role, user)
    return officer, holder_user, right, staff


def main() -> None:
    _setup()
    from django.db import connection
    from django.test import Client

    from benchmarks._common import report, time_calls

    print(f"loading {N_CASES} cases into {connection.vendor} …", file=sys.stderr)
    officer, holder_user, right, staff = _load()
    from ipshield.common.maintenance import database_optimize

    database_optimize()  # what the worker's daily job does; see common/maintenance.py
    client = Client()
    client.force_login(officer)
    cases = {
        "workbench cases, investigating": "/workbench/cases/?status=investigating",
        "workbench cases, all, page 50": "/workbench/cases/?page=50",
        "API cases, investigating": "/api/v1/cases?status=investigating",
        "API cases, page 50": "/api/v1/cases?page=50",
    }
    rows = []
    for name, url in cases.items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        rows.append(
            {
                "what": name,
                "db": connection.vendor,
                **time_calls(lambda u=url: client.get(u), repeat=40),
            }
        )
    from ipshield.common import inbox

    for role, user in sorted(staff.items()):
        person = Client()
        person.force_login(user)
        waiting = inbox.count_for(user)
        assert person.get("/workbench/inbox/").status_code == 200
        rows.append(
            {
                "what": f"inbox count ({role}, {waiting} items)",
                "db": connection.vendor,
                **time_calls(lambda u=user: inbox.count_for(u), repeat=40),
            }
        )
        rows.append(
            {
                "what": f"workbench inbox page ({role})",
                "db": connection.vendor,
                **time_calls(lambda c=person: c.get("/workbench/inbox/"), repeat=40),
            }
        )
    holder = Client()
    holder.force_login(holder_user)
    body = {
        "right_id": right.pk,
        "title": "超市销售假冒商品",
        "description": "现场发现假冒商品。",
        "region_code": "140931",
        "infringer_name": "某超市",
        "amount_involved": "3000",
    }
    start = time.perf_counter()
    for _ in range(N_INTAKE):
        response = holder.post("/api/v1/complaints", body, content_type="application/json")
        assert response.status_code == 201, response.content[:300]
    elapsed = time.perf_counter() - start
    rows.append(
        {
            "what": f"API complaint intake x{N_INTAKE}",
            "db": connection.vendor,
            "p50_ms": round(elapsed / N_INTAKE * 1000, 3),
            "p95_ms": "-",
            "max_ms": "-",
            "n": f"{N_INTAKE / elapsed:.0f}/s",
        }
    )
    report(f"cases-{connection.vendor}", rows)


if __name__ == "__main__":
    main()
