"""The mediator ranking engine, without a database."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ipshield.engines.mediators import PRIOR_WEIGHT, Candidate, Need, family_of, rank

COUNTY, CITY, OTHER = "140931", "140900", "230102"
NEED = Need(right_kind="trademark", industry="食品", region=COUNTY, near=frozenset({CITY}))


def c(id: int, **fields) -> Candidate:
    return Candidate(id=id, name=f"m{id}", **{"specialties": ("trademark",), **fields})


def order(*candidates: Candidate, need: Need = NEED) -> list[int]:
    return [r.id for r in rank(need, candidates)[0]]


def test_specialty_then_family():
    need = Need(right_kind="patent_utility", region=COUNTY)
    exact = c(1, specialties=("patent_utility",))
    family = c(2, specialties=("patent_design",))
    none = c(3, specialties=("copyright",))
    assert order(none, family, exact, need=need) == [1, 2, 3]
    ranked, _ = rank(need, [family])
    assert ranked[0].reasons[0].code == "mediators.specialty_family"
    assert ranked[0].reasons[0].params == {"kinds": ["patent_design"]}
    assert family_of("trademark") == frozenset()


def test_industry_and_region():
    assert order(c(1), c(2, industries=("食品",))) == [2, 1]
    assert order(c(1, region=OTHER), c(2, region=CITY), c(3, region=COUNTY)) == [3, 2, 1]


def test_load_and_ties():
    assert order(c(1, active=5), c(2, active=0)) == [2, 1]
    # Equal scores: the less busy first, then the lower id.
    assert order(c(2), c(1)) == [1, 2]


def test_outcomes_prior():
    good = c(1, closed=30, agreed=27)
    new = c(2)
    poor = c(3, closed=30, agreed=3)
    assert order(poor, new, good) == [1, 2, 3]
    ranked, _ = rank(NEED, [new, good, poor])
    reasons = {r.id: [x.code for x in r.reasons] for r in ranked}
    assert "mediators.new" in reasons[2] and "mediators.outcomes" in reasons[1]
    # One agreement out of one is not certainty.
    pool = [c(4, closed=1, agreed=1), c(5, closed=50, agreed=45), c(6, closed=50, agreed=10)]
    assert [r.id for r in rank(NEED, pool)[0]] == [5, 4, 6]
    assert PRIOR_WEIGHT > 0


def test_exclusions_with_reasons():
    need = Need(
        right_kind="trademark",
        region=COUNTY,
        conflicts={1: ("某公司",)},
        recused=frozenset({2}),
    )
    pool = [c(1), c(2), c(3, available=False), c(4, active=10, max_load=10), c(5)]
    ranked, excluded = rank(need, pool)
    assert [r.id for r in ranked] == [5]
    assert {e.id: e.reason.code for e in excluded} == {
        1: "mediators.conflict",
        2: "mediators.recused",
        3: "mediators.unavailable",
        4: "mediators.full",
    }
    assert excluded[0].reason.params == {"names": ["某公司"]}
    assert "某公司" in str(excluded[0].reason)


def test_limit():
    pool = [c(i, active=i % 7) for i in range(1, 50)]
    assert len(rank(NEED, pool, limit=5)[0]) == 5
    assert len(rank(NEED, pool, limit=None)[0]) == 49
    assert rank(NEED, pool, limit=0)[0] == []
    assert [r.id for r in rank(NEED, pool, limit=5)[0]] == [
        r.id for r in rank(NEED, pool, limit=None)[0]
    ][:5]


@given(
    st.lists(
        st.tuples(
            st.integers(0, 20),  # active
            st.integers(0, 20),  # max_load
            st.integers(0, 100),  # closed
            st.integers(0, 100),  # agreed (may exceed closed: bad data)
            st.booleans(),
        ),
        max_size=30,
    )
)
def test_scores_bounded_and_everyone_accounted_for(rows):
    pool = [
        c(i, active=a, max_load=m, closed=cl, agreed=ag, available=av)
        for i, (a, m, cl, ag, av) in enumerate(rows)
    ]
    ranked, excluded = rank(NEED, pool, limit=None)
    assert sorted([r.id for r in ranked] + [e.id for e in excluded]) == list(range(len(rows)))
    assert all(0 <= r.score <= 100 for r in ranked)
    assert [r.score for r in ranked] == sorted((r.score for r in ranked), reverse=True)
