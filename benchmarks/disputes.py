"""Dispute resolution (issue 16).

- the damages engine (``engines.damages.calculate``): calculations per second over a mix of
  kinds, dates from 2020 to 2026 (either side of most changes of law), bases and punitive or not: target ≥ 100,000/s.

- mediator recommendation (``disputes.recommend.recommend``) with 5,000 mediators in six
  organisations (of the province and the city, so that ranking across organisations ranks all
  5,000) and 100,000 past disputes with 200,000 parties and 10,000 declared conflicts:
  p50/p95 over 200 varied disputes, ranking the dispute's organisation's mediators and ranking
  across every organisation of the region and above: target p95 ≤ 50 ms.
  ``python -m benchmarks disputes`` (SQLite; ``DATABASE_URL`` for PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
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


N_MEDIATORS = 5_000
N_DISPUTES = 100_000
N_CONFLICTS = 10_000
N_SAMPLES = 200
KINDS_OF_RIGHT = (
    "trademark",
    "patent_invention",
    "patent_utility",
    "patent_design",
    "copyright",
    "trade_secret",
)
INDUSTRIES = ("食品", "纺织", "机械", "电子", "农业", "文化")


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipshield.config.settings")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("IPSHIELD_DATA_DIR", ".test-data/bench")
    os.environ["IPSHIELD_DATA_DIR"] = os.environ["IPSHIELD_DATA_DIR"] + "-disputes"
    import django

    django.setup()


def _load() -> list[int]:
    """Regions, six organisations, 5,000 mediators, 10,000 conflicts, 100,000 disputes with
    their parties; the ids of the disputes to recommend for."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from ipshield.accounts.models import Region, RegionLevel, Unit, UnitKind
    from ipshield.disputes.models import (
        Conflict,
        Dispute,
        Mediator,
        Organisation,
        OrganisationKind,
        Party,
    )
    from ipshield.engines.text import normalize_name

    rng = random.Random(16)
    province = Region.objects.create(code="140000", name="山西省", level=RegionLevel.PROVINCE)
    city = Region.objects.create(
        code="140900", name="忻州市", level=RegionLevel.CITY, parent=province
    )
    counties = [
        Region.objects.create(
            code=f"1409{i:02d}", name=f"第{i}县", level=RegionLevel.COUNTY, parent=city
        )
        for i in range(21, 35)
    ]
    places = [city, *counties]
    organisations = []
    # At the province and the city: ranking across the organisations of a dispute's region and
    # the regions above it then ranks all 5,000 mediators (the worst case).
    for i, region in enumerate([province, province, city, city, city, city]):
        unit = Unit.objects.create(name=f"调解组织{i}", kind=UnitKind.MEDIATION, region=region)
        kind = OrganisationKind.INDUSTRY if i == 0 else OrganisationKind.PEOPLES
        organisations.append(Organisation.objects.create(unit=unit, kind=kind))
    User = get_user_model()
    User.objects.bulk_create(
        [User(username=f"bench-m{i}", password="!") for i in range(N_MEDIATORS)], batch_size=2000
    )
    users = list(User.objects.filter(username__startswith="bench-m").order_by("pk"))
    mediators = []
    for i, user in enumerate(users):
        closed = rng.choice([0, 0, 1, 3, 8, 20, 60])
        max_load = rng.choice([5, 10, 15])
        mediators.append(
            Mediator(
                user=user,
                organisation=organisations[i % len(organisations)],
                name=f"调解员{i}",
                specialties=rng.sample(KINDS_OF_RIGHT, rng.randint(1, 3)),
                industries=rng.sample(INDUSTRIES, rng.randint(0, 2)),
                region=rng.choice(places),
                available=rng.random() > 0.05,
                max_load=max_load,
                active_count=rng.randint(0, max_load),
                closed_count=closed,
                agreed_count=rng.randint(0, closed),
            )
        )
    Mediator.objects.bulk_create(mediators, batch_size=2000)
    mediator_ids = list(Mediator.objects.values_list("pk", flat=True))
    company_names = [f"忻州某{i}商贸有限公司" for i in range(20_000)]
    Conflict.objects.bulk_create(
        [
            Conflict(
                mediator_id=rng.choice(mediator_ids),
                name=(name := rng.choice(company_names)),
                name_normalized=normalize_name(name),
                reason="曾任法律顾问",
            )
            for _ in range(N_CONFLICTS)
        ],
        batch_size=5000,
    )
    now = timezone.now()
    by_org = {o.pk: [m for m in mediators if m.organisation_id == o.pk] for o in organisations}
    for start in range(0, N_DISPUTES, 10_000):
        batch = []
        for i in range(start, start + 10_000):
            org = organisations[i % len(organisations)]
            batch.append(
                Dispute(
                    number=f"调〔2026〕{i}号",
                    title="商标侵权纠纷",
                    status="performed" if i % 3 else "failed",
                    organisation=org,
                    region=rng.choice(counties),
                    right_kind=rng.choice(KINDS_OF_RIGHT),
                    industry=rng.choice(INDUSTRIES),
                    facts="……",
                    mediator=rng.choice(by_org[org.pk]),
                    applied_at=now - dt.timedelta(days=rng.randint(0, 1500)),
                )
            )
        Dispute.objects.bulk_create(batch, batch_size=5000)
    parties = []
    for pk in Dispute.objects.values_list("pk", flat=True).iterator(chunk_size=10_000):
        for side, name in (
            ("applicant", f"权利人{rng.randint(0, 5000)}有限公司"),
            ("respondent", rng.choice(company_names)),
        ):
            parties.append(
                Party(dispute_id=pk, side=side, name=name, name_normalized=normalize_name(name))
            )
        if len(parties) >= 20_000:
            Party.objects.bulk_create(parties, batch_size=5000)
            parties = []
    Party.objects.bulk_create(parties, batch_size=5000)
    ids = list(Dispute.objects.values_list("pk", flat=True))
    return rng.sample(ids, N_SAMPLES)


def recommendation_rows() -> list[dict[str, object]]:
    from django.db import connection

    from benchmarks._common import fresh_database, percentile
    from ipshield.common.maintenance import database_optimize
    from ipshield.disputes.models import Dispute, Mediator
    from ipshield.disputes.recommend import recommend

    fresh_database()
    print(
        f"loading {N_MEDIATORS} mediators, {N_DISPUTES} disputes into {connection.vendor} …",
        file=sys.stderr,
    )
    sample = _load()
    database_optimize()
    disputes = [Dispute.objects.select_related("region").get(pk=pk) for pk in sample]
    rows = []
    cases = (
        ("its organisation", ..., False),
        ("all organisations (5,000 mediators)", None, False),
        ("all organisations, with the left-out list read", None, True),
    )
    for label, scope, read_excluded in cases:
        for dispute in disputes[:10]:  # warm up
            recommend(dispute, organisation=scope)
        samples = []
        for dispute in disputes:
            start = time.perf_counter()
            result = recommend(dispute, organisation=scope)
            if read_excluded:
                len(result.excluded)
            samples.append((time.perf_counter() - start) * 1000)
        rows.append(
            {
                "what": f"recommend(), {label}",
                "db": connection.vendor,
                "mediators": Mediator.objects.count(),
                "disputes": Dispute.objects.count(),
                "p50_ms": round(sorted(samples)[len(samples) // 2], 2),
                "p95_ms": round(percentile(samples, 95), 2),
                "max_ms": round(max(samples), 2),
                "n": len(samples),
                "target": "p95 <= 50",
            }
        )
    return rows


def damages_rows() -> list[dict[str, object]]:
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
    return rows


def main() -> None:
    from benchmarks._common import report

    report("disputes", damages_rows())
    _setup()
    report("disputes-recommend", recommendation_rows())


if __name__ == "__main__":
    main()
