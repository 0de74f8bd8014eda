"""Mediator recommendation (issue 16): rank the mediators who could take a dispute, with the
reasons for each score, and say why the others are left out. Pure Python, no Django.

The score (0–100) adds five parts:

- **specialty** (35): the dispute's kind of right is one of the mediator's specialties; the
  three kinds of patent (invention, utility model, design) are one family, worth 20;
- **industry** (15): the dispute's industry is one the mediator knows;
- **region** (20): the mediator is in the dispute's region; 10 in its parent or a child region;
- **load** (15): the share of the mediator's capacity still free (``active`` of ``max_load``);
- **outcomes** (15): the share of closed mediations that reached an agreement, estimated with
  a Bayesian prior (the pool's own rate, as if seen on ``PRIOR_WEIGHT`` disputes) so that a new
  mediator starts at the average instead of at zero, and one lucky agreement is not 100 %.

Left out, each with its reason: a mediator who declared a conflict of interest with a party,
one a party asked to recuse, one not available, and one whose load is full (a full mediator
cannot take the dispute, so ranking them low would only waste the organisation's time).

>>> need = Need(right_kind="patent_design", industry="", region="140931",
...             near=frozenset({"140900"}))
>>> a = Candidate(id=1, name="甲", specialties=("patent_invention",), region="140931")
>>> b = Candidate(id=2, name="乙", specialties=("patent_design",), region="140900",
...               active=10, max_load=10)
>>> ranked, excluded = rank(need, [a, b])
>>> [r.id for r in ranked], [(e.id, e.reason.code) for e in excluded]
([1], [(2, 'mediators.full')])
>>> [r.code for r in ranked[0].reasons]
['mediators.specialty_family', 'mediators.region_same', 'mediators.load', 'mediators.new']
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from ipshield.engines.reasons import Reason

__all__ = [
    "PATENTS",
    "PRIOR_WEIGHT",
    "WEIGHTS",
    "Candidate",
    "Excluded",
    "Need",
    "Ranked",
    "family_of",
    "rank",
]

PATENTS = frozenset({"patent_invention", "patent_utility", "patent_design"})
WEIGHTS = {
    "specialty": 35.0,
    "family": 20.0,
    "industry": 15.0,
    "region": 20.0,
    "near": 10.0,
    "load": 15.0,
    "outcomes": 15.0,
}
PRIOR_WEIGHT = 5.0  # the pool's rate counts as this many closed mediations
DEFAULT_RATE = 0.5  # the prior when nobody in the pool has closed a mediation yet

# Chinese names for the reasons' text (the apps render the codes in the reader's language).
_KIND_NAMES = {
    "trademark": "商标",
    "patent_invention": "发明专利",
    "patent_utility": "实用新型专利",
    "patent_design": "外观设计专利",
    "copyright": "著作权",
    "geographical_indication": "地理标志",
    "plant_variety": "植物新品种",
    "trade_secret": "商业秘密",
}


def family_of(kind: str) -> frozenset[str]:
    """The kinds of right that give partial credit for ``kind`` (the other patents).

    >>> sorted(family_of("patent_utility"))
    ['patent_design', 'patent_invention']
    >>> family_of("trademark")
    frozenset()
    """
    return PATENTS - {kind} if kind in PATENTS else frozenset()


class Candidate(NamedTuple):
    """A mediator as the ranking sees them: ``region`` is a region code, the counters are the
    mediator's (``active`` mediations now, ``closed`` in all, ``agreed`` of those closed). A
    named tuple: thousands are made per recommendation, and a tuple is the cheapest to make."""

    id: int
    name: str = ""
    specialties: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    region: str = ""
    available: bool = True
    max_load: int = 10
    active: int = 0
    closed: int = 0
    agreed: int = 0
    organisation: int | None = None


@dataclass(frozen=True)
class Need:
    """What the dispute needs: its kind of right, industry and region (``near``: the codes of
    the region's parent and children); ``conflicts`` maps a mediator's id to the parties'
    names they declared a conflict with; ``recused`` the mediators a party refused."""

    right_kind: str
    industry: str = ""
    region: str = ""
    near: frozenset[str] = frozenset()
    conflicts: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    recused: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class Ranked:
    id: int
    score: float
    reasons: tuple[Reason, ...]
    candidate: Candidate


class Excluded(NamedTuple):
    """A candidate left out: ``code`` says why (``reason`` words it, made when read: most
    callers show a handful, and a full pool may leave out hundreds)."""

    id: int
    code: str
    candidate: Candidate
    names: tuple[str, ...] = ()  # the parties' names, for a conflict

    @property
    def reason(self) -> Reason:
        c = self.candidate
        if self.code == "mediators.conflict":
            return Reason(
                self.code,
                f"申报了与当事人“{'、'.join(self.names)}”的利害关系",
                names=list(self.names),
            )
        if self.code == "mediators.recused":
            return Reason(self.code, "当事人已申请其回避")
        if self.code == "mediators.unavailable":
            return Reason(self.code, "目前不接受指派")
        return Reason(
            self.code,
            f"在办 {c.active} 件，已达上限 {c.max_load} 件",
            active=c.active,
            max=c.max_load,
        )


def _kind(code: str) -> str:
    return _KIND_NAMES.get(code, code)


def _pool_rate(candidates: Iterable[Candidate]) -> float:
    closed = agreed = 0
    for c in candidates:
        closed += c.closed
        agreed += min(c.agreed, c.closed)
    return agreed / closed if closed else DEFAULT_RATE


def _reasons(c: Candidate, need: Need, family: frozenset[str], prior: float) -> tuple[Reason, ...]:
    reasons: list[Reason] = []
    if need.right_kind in c.specialties:
        reasons.append(
            Reason("mediators.specialty", f"擅长{_kind(need.right_kind)}纠纷", kind=need.right_kind)
        )
    else:
        related = [k for k in c.specialties if k in family]
        if related:
            reasons.append(
                Reason(
                    "mediators.specialty_family",
                    f"擅长同类专利（{'、'.join(_kind(k) for k in related)}）",
                    kinds=related,
                )
            )
    if need.industry and need.industry in c.industries:
        reasons.append(
            Reason("mediators.industry", f"熟悉{need.industry}行业", industry=need.industry)
        )
    if c.region and c.region == need.region:
        reasons.append(Reason("mediators.region_same", "与纠纷发生地同一区划"))
    elif c.region and c.region in need.near:
        reasons.append(Reason("mediators.region_near", "在纠纷发生地的上级或下级区划"))
    reasons.append(
        Reason(
            "mediators.load",
            f"在办 {c.active} 件，上限 {c.max_load} 件",
            active=c.active,
            max=c.max_load,
        )
    )
    agreed = min(c.agreed, c.closed)
    percent = round((agreed + PRIOR_WEIGHT * prior) / (c.closed + PRIOR_WEIGHT) * 100)
    if c.closed:
        reasons.append(
            Reason(
                "mediators.outcomes",
                f"已办结 {c.closed} 件，达成协议 {agreed} 件（估计成功率 {percent}%）",
                closed=c.closed,
                agreed=agreed,
                rate=percent,
            )
        )
    else:
        reasons.append(
            Reason("mediators.new", f"尚无办结记录，按平均成功率 {percent}% 估计", rate=percent)
        )
    return tuple(reasons)


def rank(
    need: Need,
    candidates: Iterable[Candidate],
    *,
    limit: int | None = 10,
    prior: float | None = None,
) -> tuple[list[Ranked], list[Excluded]]:
    """The best ``limit`` candidates for ``need``, best first (ties: the less busy, then the
    lower id), and every candidate left out with the reason. ``limit=None``: all of them.
    Scores are computed for all, reasons written only for the ``limit`` shown (the loop is
    written for speed: it runs for every mediator of a province). ``prior``: the success rate
    of the whole pool when ``candidates`` are only part of it (default: theirs)."""
    pool = list(candidates)
    if prior is None:
        prior = _pool_rate(pool)
    family = family_of(need.right_kind)
    kind, industry, region, near = need.right_kind, need.industry, need.region, need.near
    conflicts, recused = need.conflicts, need.recused
    w_spec, w_fam, w_ind = WEIGHTS["specialty"], WEIGHTS["family"], WEIGHTS["industry"]
    w_reg, w_near, w_load, w_out = (
        WEIGHTS["region"],
        WEIGHTS["near"],
        WEIGHTS["load"],
        WEIGHTS["outcomes"],
    )
    prior_agreed = PRIOR_WEIGHT * prior
    keyed: list[tuple[float, float, int, Candidate]] = []
    excluded: list[Excluded] = []
    for c in pool:
        cid = c.id
        if cid in conflicts:
            excluded.append(Excluded(cid, "mediators.conflict", c, tuple(conflicts[cid])))
            continue
        if cid in recused:
            excluded.append(Excluded(cid, "mediators.recused", c))
            continue
        if not c.available:
            excluded.append(Excluded(cid, "mediators.unavailable", c))
            continue
        active, max_load, closed = c.active, c.max_load, c.closed
        if active >= max_load:
            excluded.append(Excluded(cid, "mediators.full", c))
            continue
        specialties = c.specialties
        score = (
            w_spec
            if kind in specialties
            else (w_fam if family and not family.isdisjoint(specialties) else 0.0)
        )
        if industry and industry in c.industries:
            score += w_ind
        if c.region:
            if c.region == region:
                score += w_reg
            elif c.region in near:
                score += w_near
        busy = active / max_load
        score += w_load * (1.0 - busy)
        agreed = c.agreed if c.agreed < closed else closed
        score += w_out * (agreed + prior_agreed) / (closed + PRIOR_WEIGHT)
        keyed.append((-round(score, 1), busy, cid, c))
    if limit is None:
        keyed.sort(key=_order)
    else:
        keyed = heapq.nsmallest(max(limit, 0), keyed, key=_order)
    ranked = [
        Ranked(id=c.id, score=-neg, reasons=_reasons(c, need, family, prior), candidate=c)
        for neg, _busy, _id, c in keyed
    ]
    return ranked, excluded


def _order(k: tuple[float, float, int, Candidate]) -> tuple[float, float, int]:
    return k[0], k[1], k[2]
