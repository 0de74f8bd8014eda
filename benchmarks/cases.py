"""Cases hot paths with 200,000 cases in the database.

- the workbench case list (an officer's unit, filtered by status, sorted by deadline, page 1 and
  a deep page) and the API case list: target p95 <= 100 ms on SQLite and on PostgreSQL;
- the work inbox (issue 14) with 100 staff in 20 units: the navigation's count and the inbox
  page for an officer, a legal reviewer and a unit leader: target p95 <= 50 ms;
- case search (``?q=``) for an officer, on the API list and the workbench page: by number (exact,
  by its start, digits alone), by party name (Simplified, Traditional, a two-character part that
  the trigram index cannot serve), by keyword in the title and in the description (rare and
  common words): target p95 <= 100 ms on SQLite and on PostgreSQL;
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
    from ipshield.cases.models import Case, Source, Track, search_document
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
        party, title, description = _case_text(rng)
        batch.append(
            Case(
                number=f"XS{i:012d}",
                source=rng.choice([s for s, _ in Source.choices]),
                title=title,
                description=description,
                infringer_name=party,
                # bulk_create skips Case.save, which keeps this column: fill it the same way.
                search_text=search_document(title=title, description=description, parties=[party]),
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
    _procedure_records(rng, today)
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


def _procedure_records(rng, today):
    """What the procedure's steps leave behind, so that the inbox's sources that read them
    (notices to serve, decisions to take, decisions to serve, fines overdue) have rows to find:
    every case at the prior-notice stage has its notice, two in three served; every decided or
    published case is a penalty, half of them served, with the time to pay running or passed."""
    from decimal import Decimal

    from ipshield.cases.models import Case, PriorNotice, Service

    noticed = list(Case.objects.filter(status="notice").values_list("id", flat=True))
    services = {}
    for case_id in noticed:
        if rng.random() < 2 / 3:
            served = today - dt.timedelta(days=rng.randint(0, 20))
            services[case_id] = Service(
                case_id=case_id,
                document="prior_notice",
                method="hand",
                sent_on=served,
                served_on=served,
                recipient="当事人",
            )
    Service.objects.bulk_create(services.values(), batch_size=5000)
    PriorNotice.objects.bulk_create(
        [
            PriorNotice(
                case_id=case_id,
                summary="罚款",
                amount=Decimal(5000),
                kinds=["fine"],
                service=services.get(case_id),
                statement_ends_on=(
                    services[case_id].served_on + dt.timedelta(days=7)
                    if case_id in services
                    else None
                ),
            )
            for case_id in noticed
        ],
        batch_size=5000,
    )
    decided = Case.objects.filter(status__in=["decided", "published"])
    decided.update(decision_kind="penalty", decision_procedure="ordinary", penalty_amount=5000)
    ids = list(decided.values_list("id", flat=True))
    rng.shuffle(ids)
    half = ids[: len(ids) // 2]
    for start in range(0, len(half), 5000):
        chunk = half[start : start + 5000]
        served = today - dt.timedelta(days=rng.randint(0, 30))
        Case.objects.filter(id__in=chunk).update(
            decision_served_on=served, fine_due_on=served + dt.timedelta(days=15)
        )


# Party names, marks and goods for the search: 10 x 20 x 40 x 8 = 64,000 names (about three
# cases each), stored in Simplified or, one in ten, in Traditional Chinese; 900 marks.
COUNTIES = [
    "保德县",
    "河曲县",
    "偏关县",
    "忻州市",
    "太原市",
    "兴县",
    "岢岚县",
    "神池县",
    "五寨县",
    "静乐县",
]
TOWNS = [
    "东关镇",
    "杨家湾镇",
    "桥头镇",
    "义门镇",
    "腰庄乡",
    "南河沟乡",
    "韩家川乡",
    "孙家沟乡",
    "土崖塔乡",
    "窑圪台乡",
    "城关镇",
    "长城街",
    "新华路",
    "文化街",
    "西门街",
    "北关村",
    "南关村",
    "红旗街",
    "胜利路",
    "建设路",
]
SHOPS = [
    "惠民",
    "兴隆",
    "华联",
    "丰收",
    "万家",
    "长兴",
    "金穗",
    "鸿运",
    "聚丰",
    "顺发",
    "福源",
    "永盛",
    "宏达",
    "恒通",
    "鑫源",
    "祥和",
    "瑞丰",
    "天成",
    "广源",
    "隆昌",
    "康乐",
    "新世纪",
    "百佳",
    "旺旺",
    "红星",
    "东方",
    "利民",
    "华润",
    "国泰",
    "嘉禾",
    "和顺",
    "众鑫",
    "汇丰",
    "金龙",
    "凤凰",
    "长江",
    "黄河",
    "晋北",
    "乐购",
    "家家乐",
]
KINDS = [
    "超市",
    "商贸有限公司",
    "食品店",
    "批发部",
    "便利店",
    "农产品经销部",
    "贸易有限公司",
    "副食门市",
]
MARK_CHARS = "晋德保红枣黄河长城金银福禄寿喜泰和顺兴隆丰安康华美佳乐宏远达"
GOODS = ["红枣", "小米", "老陈醋", "核桃", "杂粮", "酒", "月饼", "茶叶"]
PLACES = ["农贸市场", "网店", "超市", "批发市场", "展会", "集市"]


def _case_text(rng: random.Random) -> tuple[str, str, str]:
    from ipshield.engines.text import normalize_name

    party = rng.choice(COUNTIES) + rng.choice(TOWNS) + rng.choice(SHOPS) + rng.choice(KINDS)
    if rng.random() < 0.1:
        party = _traditional(party)
    mark = rng.choice(MARK_CHARS) + rng.choice(MARK_CHARS)
    goods = rng.choice(GOODS)
    place = rng.choice(PLACES)
    title = f"销售假冒“{mark}”商标的{goods}"
    description = (
        f"执法人员在{place}检查时发现，{normalize_name(party)[:12]}销售的{goods}包装使用了与"
        f"注册商标“{mark}”相同的标志，涉案{rng.randint(1, 500)}件。"
    )
    return party, title, description


_T = str.maketrans(
    "东关镇兴华联丰万长鸿顺发宏达通鑫祥广隆康乐纪贸门经销农产",
    "東關鎮興華聯豐萬長鴻順發宏達通鑫祥廣隆康樂紀貿門經銷農產",
)


def _traditional(text: str) -> str:
    return text.translate(_T)


def _search_urls(officer) -> dict[str, str]:
    """Queries with answers in the officer's unit, chosen from its cases."""
    from urllib.parse import urlencode

    from ipshield.cases.models import Case

    rng = random.Random(5)
    own = list(
        Case.objects.filter(unit=officer.profile.unit_id)
        .order_by("id")
        .values_list("number", "infringer_name")[:2000]
    )
    number, party = own[rng.randrange(len(own))]
    simplified = _simplified(party)
    queries = {
        "number, exact": number,
        "number, its start (100 numbers)": number[:12],
        "number, digits alone": number[2:],
        "party name, Simplified": simplified,
        "party name, Traditional": _traditional(simplified),
        "party name, 2 characters (scan)": "兴隆",
        "keyword, a mark (2 characters, scan)": "晋德",
        "keyword in title (common)": "老陈醋",
        "keyword in description (rare)": "涉案123件",
        "keyword in description (common)": "批发市场",
        "two keywords": "长城 小米",
    }
    urls = {}
    for name, q in queries.items():
        urls[f"API search, {name}"] = "/api/v1/cases?" + urlencode({"q": q})
    urls["workbench search, party name, Traditional"] = "/workbench/cases/?" + urlencode(
        {"q": queries["party name, Traditional"]}
    )
    urls["workbench search, keyword (common)"] = "/workbench/cases/?" + urlencode(
        {"q": queries["keyword in description (common)"]}
    )
    return urls


def _simplified(text: str) -> str:
    from ipshield.engines.text import to_simplified

    return to_simplified(text)


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
        **_search_urls(officer),
    }
    rows = []
    for name, url in cases.items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        found = response.json()["count"] if "/api/" in url else None
        if "search" in name:
            assert found is None or found > 0, (name, url)
            name = f"{name} ({found} found)" if found is not None else name
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
