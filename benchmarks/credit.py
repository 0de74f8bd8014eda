"""Credit hot paths at province scale: 1,000,000 market entities and 3,000,000 credit records.

- the joint-punishment check through the API (a unit token, by USCC): target p95 ≤ 20 ms on SQLite
  and on PostgreSQL;
- the public credit query by name part (reported, no target);
- name-based resolution of 100,000 incoming records (no codes) through the credit app's
  ``resolution.resolve_batch`` (the index built from the database, officers' decisions looked
  up, deleted entities dropped): target ≤ 120 s, with the precision and recall of the links.

The entities are :func:`ipshield.engines.entities.synthetic.entities` (names, addresses, legal
representatives and valid codes modelled on real registrations) and their divisions are loaded
into the region table, as a platform would have them. The incoming records are
:func:`~ipshield.engines.entities.synthetic.variants` without codes.

Run: ``make bench`` (SQLite) and ``make bench-postgres``. Sizes: BENCH_ENTITIES (1000000),
BENCH_RECORDS (3000000), BENCH_CHECKS (1000), BENCH_RESOLVE (100000). BENCH_CREDIT_REUSE=1
keeps the data of an earlier run at the same sizes (loading 3,000,000 records takes about 20
minutes). The engine alone is measured by ``benchmarks/entities.py``.
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
N_RESOLVE = int(os.environ.get("BENCH_RESOLVE", "100000"))
SEED = 20260601
BATCH = 20_000


def _setup() -> bool:
    """Set Django up and empty the database; True when BENCH_CREDIT_REUSE=1 found the data of
    an earlier run at the same sizes (kept, migrated)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipshield.config.settings")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["IPSHIELD_CREDIT_CHECK_RATE"] = "1000000/s"
    os.environ.setdefault("IPSHIELD_DATA_DIR", ".test-data/bench")
    os.environ["IPSHIELD_DATA_DIR"] = os.environ["IPSHIELD_DATA_DIR"] + "-credit"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    loaded = "credit_creditrecord" in connection.introspection.table_names()
    if loaded and os.environ.get("BENCH_CREDIT_REUSE") == "1":
        call_command("migrate", verbosity=0)
        from ipshield.credit.models import CreditRecord
        from ipshield.registry.models import Entity

        if Entity.objects.count() == N_ENTITIES and CreditRecord.objects.count() == N_RECORDS:
            return True  # the data of an earlier run at the same sizes
    from benchmarks._common import fresh_database

    fresh_database()
    return False


def _regions(places) -> None:
    """The synthetic country's provinces, cities, counties and towns as region rows."""
    from ipshield.accounts.models import Region, RegionLevel

    rows: dict[str, Region] = {}
    for place in places.places:
        province = place.code[:2] + "0000"
        rows.setdefault(province, Region(province, place.province, RegionLevel.PROVINCE))
        parent = province
        if place.city != place.province:
            city = place.code[:4] + "00"
            rows.setdefault(city, Region(city, place.city, RegionLevel.CITY, parent_id=province))
            parent = city
        rows.setdefault(
            place.code, Region(place.code, place.county, RegionLevel.COUNTY, parent_id=parent)
        )
        for n, town in enumerate(place.towns, 1):
            code = f"{place.code}{n:03d}"
            rows.setdefault(code, Region(code, town, RegionLevel.TOWNSHIP, parent_id=place.code))
    levels = [RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.TOWNSHIP]
    for level in levels:
        Region.objects.bulk_create(
            [r for r in rows.values() if r.level == level and r.code != "140931"],
            batch_size=BATCH,
        )


def _load(places, entities) -> tuple[str, list[str]]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from ipshield.accounts import services as account_services
    from ipshield.accounts.models import Profile, Region, RegionLevel, Unit, UnitKind
    from ipshield.credit.models import CreditRecord, MatchState, RecordSource, RecordStatus
    from ipshield.engines.text import normalize_name
    from ipshield.registry.models import Entity, EntityKind

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
    _regions(places)

    started = time.perf_counter()
    batch = []
    normalized = []
    for e in entities:  # pk = synthetic id + 1, so the truth can be checked
        r = e.record
        normalized.append(normalize_name(r.name)[:200])
        batch.append(
            Entity(
                pk=e.id + 1,
                name=r.name,
                name_normalized=normalized[-1],
                uscc=r.uscc,
                legal_representative=r.legal_representative or "",
                address=r.address or "",
                kind=EntityKind.ENTERPRISE
                if e.kind != "individual"
                else EntityKind.INDIVIDUAL_BUSINESS,
            )
        )
        if len(batch) == BATCH:
            Entity.objects.bulk_create(batch)
            batch = []
    Entity.objects.bulk_create(batch)
    print(f"  entities in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    started = time.perf_counter()
    today = dt.date(2026, 11, 23)
    sources = [s for s, _ in RecordSource.choices]
    batch_records = []
    for i in range(N_RECORDS):
        chosen = entities[rng.randrange(len(entities))]
        e = chosen.record
        decided = today - dt.timedelta(days=rng.randint(0, 365 * 6))
        status = RecordStatus.PUBLIC if rng.random() < 0.6 else RecordStatus.HIDDEN
        batch_records.append(
            CreditRecord(
                entity_id=chosen.id + 1,
                subject_name=e.name,
                subject_name_normalized=normalized[chosen.id],
                subject_uscc=e.uscc,
                source=sources[0] if rng.random() < 0.8 else rng.choice(sources),
                issuing_authority="保德县市场监督管理局",
                decided_on=decided,
                amount=rng.randint(0, 500_000),
                public_until=decided + dt.timedelta(days=365 * 3),
                status=status,
                intentional=rng.random() < 0.1,
                match_state=MatchState.CODE,
                source_key=f"bench:{i}",
            )
        )
        if len(batch_records) == BATCH:
            CreditRecord.objects.bulk_create(batch_records)
            batch_records = []
    CreditRecord.objects.bulk_create(batch_records)
    print(f"  records in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return secret, [e.record.uscc for e in entities]


def _resolution(records) -> dict[str, object]:
    """Resolve the incoming records through the credit app, in batches as an import would."""
    from ipshield.credit import resolution
    from ipshield.credit.models import MatchState

    resolution.reset_index()
    started = time.perf_counter()
    resolution._current()  # build the index from the database
    build_s = time.perf_counter() - started
    parties = [
        resolution.Party(
            v.record.name, "", v.record.address or "", v.record.legal_representative or ""
        )
        for v in records
    ]
    answers = []
    started = time.perf_counter()
    for start in range(0, len(parties), 500):
        answers.extend(resolution.resolve_batch(parties[start : start + 500]))
    resolve_s = time.perf_counter() - started
    same = same_right = linked = linked_right = positives = found = 0
    for variant, answer in zip(records, answers, strict=True):
        truth = variant.entity + 1 if variant.entity is not None else None
        is_same = variant.relation == "same" and truth is not None
        positives += is_same
        if answer.state in (MatchState.SAME, MatchState.LIKELY):
            right = is_same and answer.entity_id == truth
            linked += 1
            linked_right += right
            found += right
            if answer.state == MatchState.SAME:
                same += 1
                same_right += right
    unsure = sum(a.state == MatchState.UNSURE for a in answers)
    return {
        "index_build_s": round(build_s, 1),
        "resolve_s": round(resolve_s, 1),
        "per_record_ms": round(resolve_s / max(1, len(records)) * 1000, 3),
        "precision_same": round(same_right / max(1, same), 4),
        "precision_same_likely": round(linked_right / max(1, linked), 4),
        "recall_same_likely": round(found / max(1, positives), 4),
        "review_queue_share": round(unsure / max(1, len(records)), 4),
    }


def main() -> None:
    reused = _setup()
    from django.db import connection
    from django.test import Client

    from benchmarks._common import percentile, report
    from ipshield.common.maintenance import database_optimize
    from ipshield.engines.entities import synthetic

    print(f"generating {N_ENTITIES} entities …", file=sys.stderr)
    places = synthetic.gazetteer()
    entities = synthetic.entities(N_ENTITIES, seed=SEED, places=places)
    print(
        f"loading {N_ENTITIES} entities and {N_RECORDS} records into {connection.vendor} …",
        file=sys.stderr,
    )
    if reused:
        from django.contrib.auth import get_user_model

        from ipshield.accounts import services as account_services
        from ipshield.accounts.models import Unit

        print("  reusing the data of an earlier run", file=sys.stderr)
        admin = get_user_model().objects.get(username="bench-admin")
        agriculture = Unit.objects.get(name="保德县农业农村局")
        secret = account_services.token_issue(actor=admin, unit=agriculture, name="补贴系统")[1]
        codes = [e.record.uscc for e in entities]
    else:
        secret, codes = _load(places, entities)
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
    for _ in range(50):  # a scan of every public record's name: slow at this size
        started = time.perf_counter()
        name = rng.choice(entities).record.name
        response = client.get("/api/v1/credit/public", {"q": name[len(name) // 3 :][:6]})
        query.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    print(f"resolving {N_RESOLVE} incoming records by name …", file=sys.stderr)
    incoming = synthetic.variants(entities, N_RESOLVE, seed=SEED + 1, places=places, codes=0.0)
    del entities
    resolved = _resolution(incoming)
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
    report(
        f"credit-resolution-{connection.vendor}",
        [
            {
                "database": connection.vendor,
                "entities": N_ENTITIES,
                "incoming": N_RESOLVE,
                **resolved,
                "target_s": 120,
                "ratio_to_target": round(float(resolved["resolve_s"]) / 120, 2),
            }
        ],
    )


if __name__ == "__main__":
    main()
