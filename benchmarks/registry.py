"""Registry hot paths: the workbench rights list and the API entity search, with many rows.

Loads N entities and rights into a fresh database in IPSHIELD_DATA_DIR (SQLite by default, or
DATABASE_URL), then times page and API requests through Django's test client as a signed-in
officer. No baseline is named for these yet; the figures are read against the p95 <= 100 ms
target that the case lists must meet.
"""

from __future__ import annotations

import os
import random
import sys

N_ENTITIES = int(os.environ.get("BENCH_ENTITIES", "100000"))
N_RIGHTS = int(os.environ.get("BENCH_RIGHTS", "100000"))


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipshield.config.settings")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("IPSHIELD_DATA_DIR", ".test-data/bench")
    os.environ["IPSHIELD_DATA_DIR"] = os.environ["IPSHIELD_DATA_DIR"] + "-registry"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0) if _db_exists() else None
    call_command("migrate", verbosity=0)


def _db_exists() -> bool:
    from django.db import connection

    return "registry_entity" in connection.introspection.table_names()


def _load():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from ipshield.accounts.models import Profile, Region, RegionLevel, Unit, UnitKind
    from ipshield.engines import uscc
    from ipshield.engines.text import normalize_name
    from ipshield.registry.models import Entity, IPRight, RightKind, RightsHolder, RightStatus

    rng = random.Random(3)
    county = Region.objects.create(code="140931", name="保德县", level=RegionLevel.COUNTY)
    units = [
        Unit.objects.create(name=f"单位{i}", kind=UnitKind.MARKET_SUPERVISION, region=county)
        for i in range(20)
    ]
    user = get_user_model().objects.create_user("bench", password="Bench-pass-2026")
    Profile.objects.create(user=user, display_name="基准", unit=units[0])
    user.groups.set(Group.objects.filter(name="case_officer"))
    words = "红枣海红果油枣小米杂粮黄河煤炭商贸科技食品农业文化旅游建材服装电子餐饮"
    entities = []
    seen = set()
    for i in range(N_ENTITIES):
        body = "91140931" + "".join(rng.choice(uscc.ALPHABET) for _ in range(9))
        code = body + uscc.check_digit(body)
        if code in seen:
            continue
        seen.add(code)
        name = "保德县" + "".join(rng.choice(words) for _ in range(4)) + f"有限公司{i}"
        entities.append(Entity(uscc=code, name=name, name_normalized=normalize_name(name)))
    Entity.objects.bulk_create(entities, batch_size=5000)
    holder = RightsHolder.objects.create(name="权利人", kind="enterprise", region=county)
    statuses = [
        RightStatus.PENDING,
        RightStatus.VERIFIED,
        RightStatus.VERIFIED,
        RightStatus.REJECTED,
    ]
    IPRight.objects.bulk_create(
        [
            IPRight(
                kind=RightKind.TRADEMARK,
                registration_number=str(10_000_000 + i),
                title=f"商标{i}",
                holder=holder,
                nice_classes=[30],
                verifying_unit=units[i % len(units)],
                status=statuses[i % 4],
            )
            for i in range(N_RIGHTS)
        ],
        batch_size=5000,
    )
    return user


def main() -> None:
    _setup_django()
    from django.db import connection
    from django.test import Client

    from benchmarks._common import report, time_calls

    print(
        f"loading {N_ENTITIES} entities and {N_RIGHTS} rights into {connection.vendor} …",
        file=sys.stderr,
    )
    user = _load()
    from ipshield.common.maintenance import database_optimize

    database_optimize()  # what the worker's daily job does; see common/maintenance.py
    client = Client()
    client.force_login(user)
    cases = {
        "workbench rights, pending": lambda: client.get("/workbench/rights/?status=pending"),
        "workbench rights, page 40": lambda: client.get("/workbench/rights/?page=40"),
        "API rights, pending": lambda: client.get("/api/v1/rights?status=pending"),
        "API entity search by name": lambda: client.get("/api/v1/entities?search=保德縣紅棗"),
        "API entity search by USCC": lambda: client.get(
            "/api/v1/entities?search=91140931AAAAAAAAA0"
        ),
        "workbench home (counts)": lambda: client.get("/workbench/"),
    }
    rows = []
    for name, fn in cases.items():
        assert fn().status_code == 200, name
        rows.append({"what": name, "db": connection.vendor, **time_calls(fn, repeat=30)})
    report(f"registry-{connection.vendor}", rows)


if __name__ == "__main__":
    main()
