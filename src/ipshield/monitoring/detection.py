"""Knock-off detection: which listings carry a mark confusingly similar to a protected one.

For each new listing the title is scanned with the confusing-mark engine
(:meth:`ipshield.engines.marks.MarkIndex.scan`) against every active protected mark, limited to
the Nice classes the listing's category suggests. A hit becomes an :class:`Alert` whose **risk**
(0-100) adds up, each part with its reason:

* the likeness of the mark (a knock-off name: up to 70 points; the genuine name itself: 30, and
  only raised as an alert when another signal below is present — genuine goods are sold too);
* counterfeit slang in the title (高仿, A货, 1:1 … — the editable :class:`CounterfeitTerm` list,
  each with its weight, together at most 30);
* a price far below the mark's reference range (below half the lower bound: 20, below 30 %: 25);
* a seller with prior administrative penalties (15, plus 5 for each further one, at most 25).
"""

from __future__ import annotations

import os
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Max, Q

from ipshield.cases.models import Case, DecisionKind
from ipshield.common.conf import setting
from ipshield.common.reasons import to_data
from ipshield.engines import marks as mark_engine
from ipshield.engines.marks import Hit, MarkIndex, PendingScan, ScanPool
from ipshield.engines.reasons import Reason
from ipshield.engines.text import normalize_name
from ipshield.monitoring.models import Alert, CounterfeitTerm, Listing, ProtectedMark
from ipshield.monitoring.reasons import make
from ipshield.publication.models import Publication

ALL_CLASSES = tuple(range(1, 46))
# Points of each signal (see the module docstring).
KNOCKOFF_POINTS = 70
GENUINE_POINTS = 30
SLANG_CAP = 30
PRICE_FAR_BELOW = (Decimal("0.5"), 20)
PRICE_VERY_FAR_BELOW = (Decimal("0.3"), 25)
PRIOR_FIRST, PRIOR_EACH, PRIOR_CAP = 15, 5, 25
# At most this many protected marks are considered per listing.
HITS_PER_LISTING = 3
# Imports of at least this many listings scan titles on several cores (see scan_pool).
DEFAULT_PARALLEL_FROM = 5000

# Product categories (as marketplaces name them) → Nice classes of the goods.
CATEGORY_CLASSES: tuple[tuple[tuple[str, ...], tuple[int, ...]], ...] = (
    (("方便面", "饼干", "零食", "糖", "瓜子", "坚果", "食品", "调味", "辣酱", "面"), (29, 30)),
    (("饮料", "饮品", "矿泉水", "果汁", "咖啡", "茶饮", "凉茶", "奶", "乳"), (29, 32, 30)),
    (("白酒", "啤酒", "葡萄酒", "酒"), (33, 32)),
    (("运动鞋", "鞋", "服装", "衣", "裤", "帽", "袜", "t恤", "外套"), (25,)),
    (("箱包", "背包", "钱包", "手提包", "包"), (18,)),
    (("洗衣", "洗发", "护肤", "化妆", "香皂", "牙膏", "日化", "香水"), (3,)),
    (("手机", "耳机", "数码", "电脑", "游戏机", "充电", "眼镜"), (9,)),
    (("玩具", "积木", "游戏"), (28,)),
    (("手表", "首饰", "珠宝"), (14,)),
)


def classes_for(category: str) -> list[int]:
    """Nice classes suggested by a marketplace category (empty when nothing fits)."""
    text = category.lower()
    found: list[int] = []
    for words, classes in CATEGORY_CLASSES:
        if any(word in text for word in words):
            found.extend(c for c in classes if c not in found)
    return found


# -- The index of protected marks ----------------------------------------------------------------

_lock = threading.Lock()
_cache: dict[str, Any] = {"version": None, "index": None}


def _version() -> tuple[int, Any]:
    marks = ProtectedMark.objects.filter(active=True)
    aggregate = marks.aggregate(latest=Max("updated_at"))
    return marks.count(), aggregate["latest"]


def forget_index() -> None:
    """Drop the cached index (tests that reset the database call this)."""
    with _lock:
        _cache.update(version=None, index=None)


def mark_index() -> MarkIndex:
    """The index of active protected marks, rebuilt when a mark is added, changed or stopped."""
    version = _version()
    with _lock:
        if _cache["version"] != version:
            rows = list(
                ProtectedMark.objects.filter(active=True).values_list("pk", "name", "nice_classes")
            )
            _cache["index"] = MarkIndex.build(
                [name for _pk, name, _c in rows],
                ids=[pk for pk, _n, _c in rows],
                classes=[classes or ALL_CLASSES for _pk, _n, classes in rows],
            )
            _cache["version"] = version
        return _cache["index"]


def scan_processes() -> int:
    """Worker processes that scan the titles of a large import: ``IPSHIELD_SCAN_PROCESSES``
    (setting or environment; 1 scans in the importing process), by default one per core
    up to four."""
    return max(1, int(setting("IPSHIELD_SCAN_PROCESSES", min(4, os.cpu_count() or 1))))


@contextmanager
def scan_pool(listings: int) -> Iterator[ScanPool | None]:
    """Worker processes for an import of ``listings`` rows, or None when it is too small to
    pay for starting them (below ``IPSHIELD_SCAN_PARALLEL_FROM``, 5,000), one process is
    configured or no mark is protected. The workers scan against the protected marks as they
    are when it opens."""
    processes = scan_processes()
    large = listings >= int(setting("IPSHIELD_SCAN_PARALLEL_FROM", DEFAULT_PARALLEL_FROM))
    index = mark_index() if large and processes > 1 else None
    if index is None or not len(index):
        yield None
        return
    with ScanPool(index, processes) as pool:
        yield pool


# -- Risk ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Assessment:
    mark_id: int
    matched: str
    similarity: float
    risk: int
    reasons: tuple[Reason, ...]  # rendered in the reader's language by monitoring.reasons


def _slang(title: str, terms: Sequence[tuple[str, int]]) -> tuple[int, list[Reason]]:
    text = unicodedata.normalize("NFKC", title).lower()
    found = [(term, weight) for term, weight in terms if term in text]
    if not found:
        return 0, []
    points = min(SLANG_CAP, sum(weight for _t, weight in found))
    return points, [make("alert.slang", terms=[t for t, _w in found])]


def _price(price: Decimal | None, mark: ProtectedMark) -> tuple[int, list[Reason]]:
    if price is None or not mark.price_min:
        return 0, []
    ratio = price / mark.price_min
    for limit, points in (PRICE_VERY_FAR_BELOW, PRICE_FAR_BELOW):
        if ratio < limit:
            low = f"¥{mark.price_min:,}"
            reference = f"{low}–¥{mark.price_max:,}" if mark.price_max else low
            return points, [
                make(
                    "alert.price",
                    price=f"{price:,}",
                    reference=reference,
                    percent=int(ratio * 100),
                )
            ]
    return 0, []


def _prior(count: int) -> tuple[int, list[Reason]]:
    if count <= 0:
        return 0, []
    points = min(PRIOR_CAP, PRIOR_FIRST + PRIOR_EACH * (count - 1))
    return points, [make("alert.prior", count=count)]


def assess(
    *,
    title: str,
    price: Decimal | None,
    hit: Hit,
    mark: ProtectedMark,
    terms: Sequence[tuple[str, int]],
    prior_penalties: int,
) -> Assessment | None:
    """The risk of one listing against one protected mark it matched (None: not an alert)."""
    genuine = hit.score >= 1.0
    if genuine:
        likeness = GENUINE_POINTS
        reasons = [make("alert.genuine", mark=mark.name)]
    else:
        likeness = round(KNOCKOFF_POINTS * hit.score)
        reasons = [
            make(
                "alert.similar",
                matched=hit.matched or title,
                mark=mark.name,
                score=f"{hit.score:.2f}",
            ),
            *hit.reasons,
        ]
    extra = 0
    for points, texts in (_slang(title, terms), _price(price, mark), _prior(prior_penalties)):
        extra += points
        reasons.extend(texts)
    if genuine and extra == 0:
        return None
    return Assessment(
        mark_id=mark.pk,
        matched=(hit.matched or hit.name)[:100],
        similarity=round(hit.score, 4),
        risk=min(100, likeness + extra),
        reasons=tuple(reasons),
    )


def active_terms() -> list[tuple[str, int]]:
    rows = CounterfeitTerm.objects.filter(active=True).values_list("term", "weight")
    return [(unicodedata.normalize("NFKC", term).lower(), weight) for term, weight in rows]


def prior_penalty_counts(listings: Iterable[Listing]) -> dict[int, int]:
    """Prior penalty decisions of each listing's seller, by listing id.

    A seller counts its penalised cases as the registered entity, and published penalty
    decisions under its credit code or (normalised) name."""
    counts: dict[int, int] = {}
    memo: dict[tuple[Any, str, str], int] = {}
    for listing in listings:
        name = normalize_name(listing.seller_name) if listing.seller_name else ""
        key = (listing.seller_id, listing.seller_uscc, name)
        if key == (None, "", ""):
            continue
        if key not in memo:
            case_ids: set[int] = set()
            if listing.seller_id:
                case_ids.update(
                    Case.objects.filter(
                        infringer_id=listing.seller_id, decision_kind=DecisionKind.PENALTY
                    ).values_list("pk", flat=True)
                )
            published = Q()
            if listing.seller_uscc:
                published |= Q(infringer_uscc=listing.seller_uscc)
            if name:
                published |= Q(infringer_name_normalized=name)
            if published:
                case_ids.update(
                    Publication.objects.filter(published).values_list("case_id", flat=True)
                )
            memo[key] = len(case_ids)
        counts[listing.pk] = memo[key]
    return counts


def scan_titles(pool: ScanPool, titles: Sequence[str], classes: Sequence[list[int]]) -> PendingScan:
    """Start scanning listing titles (with their Nice classes) on the ``pool``'s workers;
    the hits are for :func:`detect_listings`'s ``scanned``."""
    return pool.submit(titles, mark_engine.DEFAULT_THRESHOLD, [c or None for c in classes])


def detect_listings(
    listings: Sequence[Listing], *, scanned: Mapping[str, list[Hit]] | None = None
) -> int:
    """Raise alerts for ``listings`` (saved rows); returns how many were created.

    ``scanned`` holds the hits already found for listings (by fingerprint) by
    :func:`scan_titles`; the others are scanned here."""
    if not listings:
        return 0
    scanned = scanned or {}
    threshold = mark_engine.DEFAULT_THRESHOLD
    found: list[tuple[Listing, list[Hit]]] = []
    index: MarkIndex | None = None
    for listing in listings:
        hits = scanned.get(listing.fingerprint)
        if hits is None:
            if index is None:
                index = mark_index()
            classes = listing.nice_classes or None
            hits = index.scan(listing.title, threshold=threshold, classes=classes)
        if hits:
            found.append((listing, hits[:HITS_PER_LISTING]))
    if not found:
        return 0
    marks = ProtectedMark.objects.in_bulk({hit.id for _l, hits in found for hit in hits})
    terms = active_terms()
    priors = prior_penalty_counts(listing for listing, _h in found)
    alerts = []
    for listing, hits in found:
        for hit in hits:
            mark = marks.get(int(hit.id))
            if mark is None:
                continue
            assessment = assess(
                title=listing.title,
                price=listing.price,
                hit=hit,
                mark=mark,
                terms=terms,
                prior_penalties=priors.get(listing.pk, 0),
            )
            if assessment is not None:
                alerts.append(
                    Alert(
                        listing=listing,
                        mark=mark,
                        unit_id=listing.unit_id,
                        matched=assessment.matched,
                        similarity=assessment.similarity,
                        risk=assessment.risk,
                        reasons=to_data(assessment.reasons),
                    )
                )
    before = Alert.objects.filter(listing__in=[listing for listing, _h in found]).count()
    Alert.objects.bulk_create(alerts, ignore_conflicts=True)
    return Alert.objects.filter(listing__in=[listing for listing, _h in found]).count() - before
