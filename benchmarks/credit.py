"""Credit hot paths at province scale: 1,000,000 market entities and 3,000,000 credit records.

- the joint-punishment check through the API (a unit token, by USCC): target p95 ≤ 20 ms on SQLite
  and on PostgreSQL;
- the public credit query by name part (reported, no target).

Run: ``make bench`` (SQLite) and ``make bench-postgres``. Sizes: BENCH_ENTITIES (1000000),
BENCH_RECORDS (3000000), BENCH_CHECKS (1000). Name-based resolution of incoming records is
measured by ``benchmarks/entities.py`` (the engine alone).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import time

N_ENTITIES = int(os.environ.get("BENCH_ENTITIES", "1000000"))
N_RECORDS = int(os.environ.get("BENCH_RECORDS", "3000000"))
N_CHECKS = int(os.environ.get("BENCH_CHECKS", "1000"))
BATCH = 20_000


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipshield.config.settings")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["IPSHIELD_CREDIT_CHECK_RATE"] = "1000000/s"
    os.environ.setdefault("IPSHIELD_DATA_DIR", ".test-data/bench")
    os.environ["IPSHIELD_DATA_DIR"] = os.environ["IPSHIELD_DATA_DIR"] + "-credit"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if "credit_creditrecord" in connection.introspection.table_names():
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)


def _code(rng: random.Random) -> str:
    from ipshield.engines import uscc

    body = "91" + "140931" + "".join(rng.choice(uscc.ALPHABET) for _ in range(9))
    return body + uscc.check_digit(body)


def _load() -> tuple[str, list[str]]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from ipshield.accounts import services as account_services
    from ipshield.accounts.models import Profile, Region, RegionLevel, Unit, UnitKind
    from ipshield.credit.models import CreditRecord, RecordSource, RecordStatus
    from ipshield.engines.text import normalize_name
    from ipshield.registry.models import Entity

    rng = random.Random(13)
    county = Region.objects.create(code="140931", name="保德县", level=RegionLevel.COUNTY)
    market = Unit.objects.create(
        name="保德县市场监督管理局", kind=UnitKind.MARKET_SUPERVISION, region=county
    )
    agriculture = Unit.objects.create(
        name="保德县农业农村局", kind=UnitKind.AGRICULTURE, region=county
    )
    admin = get_user_model().objects.create_user("bench-admin", password="Bench-pass-2026")
    Profile.objects.create(user=admin, display_name="管理员", unit=market)
    admin.groups.set(Group.objects.filter(name="sysadmin"))
    _token, secret = account_services.token_issue(actor=admin, unit=agriculture, name="补贴系统")

    trades = "华丰盛泰源隆昌兴达通安康健力鑫金龙凤天地人和美好中宝乐福泉香鲜家佳嘉新世纪东方"
    industries = ["商贸", "食品", "科技", "农业", "贸易", "实业", "电子", "服饰", "餐饮", "建材"]
    codes: list[str] = []
    seen: set[str] = set()
    started = time.perf_counter()
    batch = []
    for i in range(N_ENTITIES):
        code = _code(rng)
        while code in seen:
            code = _code(rng)
        seen.add(code)
        codes.append(code)
        trade = "".join(rng.choice(trades) for _ in range(rng.randint(2, 3)))
        name = f"保德县{trade}{rng.choice(industries)}有限公司{i}"
        batch.append(Entity(name=name, name_normalized=normalize_name(name), uscc=code))
        if len(batch) == BATCH:
            Entity.objects.bulk_create(batch)
            batch = []
    Entity.objects.bulk_create(batch)
    print(f"  entities in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    ids = list(Entity.objects.order_by("id").values_list("id", flat=True))
    started = time.perf_counter()
    today = dt.date(2026, 11, 23)
    sources = [s for s, _ in RecordSource.choices]
    batch_records = []
    for i in range(N_RECORDS):
        k = rng.randrange(len(ids))
        decided = today - dt.timedelta(days=rng.randint(0, 365 * 6))
        status = RecordStatus.PUBLIC if rng.random() < 0.6 else RecordStatus.HIDDEN
        batch_records.append(
            CreditRecord(
                entity_id=ids[k],
                subject_name=f"主体{k}",
                subject_name_normalized=f"主体{k}",
                subject_uscc=codes[k],
                source=sources[0] if rng.random() < 0.8 else rng.choice(sources),
                issuing_authority="保德县市场监督管理局",
                decided_on=decided,
                amount=rng.randint(0, 500_000),
                public_until=decided + dt.timedelta(days=365 * 3),
                status=status,
                intentional=rng.random() < 0.1,
                source_key=f"bench:{i}",
            )
        )
        if len(batch_records) == BATCH:
            CreditRecord.objects.bulk_create(batch_records)
            batch_records = []
    CreditRecord.objects.bulk_create(batch_records)
    print(f"  records in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return secret, codes


def main() -> None:
    _setup()
    from django.db import connection
    from django.test import Client

    from benchmarks._common import percentile, report
    from ipshield.common.maintenance import database_optimize

    print(
        f"loading {N_ENTITIES} entities and {N_RECORDS} records into {connection.vendor} …",
        file=sys.stderr,
    )
    secret, codes = _load()
    database_optimize()  # what the worker's daily job does
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    rng = random.Random(5)
    samples = []
    restricted = 0
    for _ in range(N_CHECKS):
        code = rng.choice(codes)
        started = time.perf_counter()
        response = client.get("/api/v1/credit/check", {"uscc": code, "purpose": "基准测试"})
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.content[:300]
        restricted += response.json()["restricted"]
    query = []
    for _ in range(200):
        started = time.perf_counter()
        response = client.get("/api/v1/credit/public", {"q": f"主体{rng.randrange(N_ENTITIES)}"})
        query.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    p95 = percentile(samples, 95)
    report(
        f"credit-{connection.vendor}",
        [
            {
                "database": connection.vendor,
                "entities": N_ENTITIES,
                "records": N_RECORDS,
                "path": "GET /api/v1/credit/check (token, by USCC)",
                "p50_ms": round(percentile(samples, 50), 2),
                "p95_ms": round(p95, 2),
                "target_ms": 20,
                "ratio_to_target": round(p95 / 20, 2),
                "restricted_share": round(restricted / N_CHECKS, 3),
            },
            {
                "database": connection.vendor,
                "entities": N_ENTITIES,
                "records": N_RECORDS,
                "path": "GET /api/v1/credit/public (name part)",
                "p50_ms": round(percentile(query, 50), 2),
                "p95_ms": round(percentile(query, 95), 2),
                "target_ms": "",
                "ratio_to_target": "",
                "restricted_share": "",
            },
        ],
    )


if __name__ == "__main__":
    main()
