"""Listing throughput of the monitoring app, end to end: 100,000 marketplace listings imported
(JSONL, through ``imports.listing_import_run`` — parsing, validation, de-duplication, batched
inserts) and checked against 10,000 protected marks (``detection.detect_listings`` — title scan,
risk, alerts). Target: ≤ 60 s.

Planted: 2 % of the titles carry a knock-off of the development set (tests/data/marks/pairs.csv)
whose original is protected; the others name no protected mark. Reported: time, listings/s,
recall on the planted listings (an alert on the right mark) and alerts on clean listings.

Run: ``make bench`` (SQLite) and ``make bench-postgres``. Sizes: BENCH_LISTINGS (100000),
BENCH_PROTECTED (10000).
"""

from __future__ import annotations

import csv
import json
import os
import random
import sys
import time
from pathlib import Path

N_LISTINGS = int(os.environ.get("BENCH_LISTINGS", "100000"))
N_PROTECTED = int(os.environ.get("BENCH_PROTECTED", "10000"))
PLANTED_SHARE = 0.02
PAIRS = Path(__file__).resolve().parents[1] / "tests" / "data" / "marks" / "pairs.csv"


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipshield.config.settings")
    os.environ.setdefault("IPSHIELD_DATA_DIR", ".test-data/bench")
    os.environ["IPSHIELD_DATA_DIR"] = os.environ["IPSHIELD_DATA_DIR"] + "-monitoring"
    import django

    django.setup()
    from benchmarks._common import fresh_database

    fresh_database()


def _pairs() -> list[tuple[str, str]]:
    with PAIRS.open(encoding="utf-8") as handle:
        return [(row["knockoff"], row["original"]) for row in csv.DictReader(handle)]


def _load():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from ipshield.accounts.models import Profile, Region, RegionLevel, Unit, UnitKind
    from ipshield.engines.marks import normalize_mark, synthetic
    from ipshield.monitoring.models import MarkKind, ProtectedMark

    county = Region.objects.create(code="140931", name="保德县", level=RegionLevel.COUNTY)
    market = Unit.objects.create(
        name="保德县市场监督管理局", kind=UnitKind.MARKET_SUPERVISION, region=county
    )
    officer = get_user_model().objects.create_user("bench-officer", password="Bench-pass-2026")
    Profile.objects.create(user=officer, display_name="办案", unit=market)
    officer.groups.set(Group.objects.filter(name="case_officer"))
    pairs = _pairs()
    originals = list(dict.fromkeys(original for _k, original in pairs))
    knockoffs = [k for k, _o in pairs]
    names = synthetic.registry(N_PROTECTED, originals=originals, avoid=knockoffs).names
    ProtectedMark.objects.bulk_create(
        [
            ProtectedMark(
                kind=MarkKind.WATCH,
                name=name,
                name_normalized=normalize_mark(name),
                unit=market,
                added_by=officer,
            )
            for name in names
        ],
        batch_size=2000,
    )
    return officer, pairs


def _listings(pairs) -> tuple[bytes, dict[str, str]]:
    """The JSONL file and, for each planted listing's URL, the original it imitates."""
    from ipshield.engines.marks import synthetic

    rng = random.Random(7)
    planted_n = int(N_LISTINGS * PLANTED_SHARE)
    planted_titles = synthetic.listing_titles(
        planted_n, seed=11, brands=[k for k, _o in pairs], slang=True
    )
    clean_titles = synthetic.listing_titles(N_LISTINGS - planted_n, seed=12, slang=True)
    planted: dict[str, str] = {}
    lines = []
    for i, title in enumerate(planted_titles + clean_titles):
        url = f"https://shop{i % 50}.example.com/item/{i}"
        if i < planted_n:
            planted[url] = pairs[i % len(pairs)][1]
        row = {
            "platform": ("淘宝", "拼多多", "京东", "抖音电商")[i % 4],
            "shop": f"店铺{rng.randint(1, 5000)}",
            "title": title,
            "price": f"{rng.uniform(1, 500):.2f}",
            "url": url,
            "seller": f"商行{rng.randint(1, 20000)}",
        }
        lines.append(json.dumps(row, ensure_ascii=False))
    return ("\n".join(lines) + "\n").encode(), planted


def main() -> None:
    _setup()
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection

    from benchmarks._common import report
    from ipshield.monitoring import detection, imports
    from ipshield.monitoring.models import Alert

    print(f"loading {N_PROTECTED} protected marks into {connection.vendor} …", file=sys.stderr)
    officer, pairs = _load()
    data, planted = _listings(pairs)
    started = time.perf_counter()
    detection.mark_index()
    index_s = time.perf_counter() - started
    settings.IPSHIELD_IMPORT_INLINE_ROWS = 0  # queue it, then run it here as the worker would
    upload = SimpleUploadedFile("bench.jsonl", data, content_type="application/json")
    row = imports.listing_import_start(actor=officer, upload=upload)
    print(f"importing {N_LISTINGS} listings …", file=sys.stderr)
    started = time.perf_counter()
    row = imports.listing_import_run(listing_import=row)
    run_s = time.perf_counter() - started
    alerts = list(Alert.objects.values_list("listing__url", "mark__name"))
    found = {url for url, name in alerts if planted.get(url) == name}
    false_alerts = sum(1 for url, _n in alerts if url not in planted)
    clean = N_LISTINGS - len(planted)
    report(
        f"monitoring-{connection.vendor}",
        [
            {
                "database": connection.vendor,
                "protected_marks": N_PROTECTED,
                "listings": N_LISTINGS,
                "status": row.status,
                "created": row.created_count,
                "index_build_s": round(index_s, 2),
                "import_and_detect_s": round(run_s, 1),
                "listings_per_s": round(N_LISTINGS / run_s),
                "target_s": 60,
                "ratio_to_target": round(run_s / 60, 2),
                "alerts": len(alerts),
                "planted_recall": round(len(found) / max(1, len(planted)), 3),
                "alerts_on_clean_share": round(false_alerts / max(1, clean), 4),
            }
        ],
    )


if __name__ == "__main__":
    main()
