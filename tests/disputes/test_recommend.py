"""Mediator recommendation through the database: ranking by specialty, region, load and past
outcomes; conflicts, recusals, unavailable and full mediators left out with their reasons; a
fixed number of queries; reasons in English too."""

from __future__ import annotations

import itertools

import pytest
from django.utils import translation

from ipshield.accounts.models import Region, Unit, UnitKind
from ipshield.disputes import record
from ipshield.disputes.models import Conflict, Mediator, Organisation, OrganisationKind
from ipshield.disputes.recommend import recommend
from tests.accounts.factories import make_person
from tests.disputes.conftest import apply

pytestmark = pytest.mark.django_db

_n = itertools.count(1)


def mediator(bodies, world, name: str, **fields) -> Mediator:
    organisation = fields.pop("organisation", bodies.committee)
    user = make_person("mediator", unit=organisation.unit, username=f"m{next(_n)}")
    data = {"specialties": ["trademark"], "region": world.county, **fields}
    return Mediator.objects.create(user=user, organisation=organisation, name=name, **data)


def ids(result) -> list[int]:
    return [r.mediator_id for r in result]


def codes(result, pk: int) -> list[str]:
    row = next(r for r in [*result, *result.excluded] if r.mediator_id == pk)
    return [reason["code"] for reason in row.reasons]


def test_specialty_ranks_first(bodies, world):
    dispute = apply(bodies, world)  # trademark
    result = recommend(dispute)
    assert ids(result) == [bodies.mediator.pk, bodies.mediator2.pk]
    assert "mediators.specialty" in codes(result, bodies.mediator.pk)
    assert result[0].score > result[1].score


def test_patent_family_gives_partial_credit(bodies, world):
    dispute = apply(bodies, world, right_kind="patent_design")
    exact = mediator(bodies, world, "外观", specialties=["patent_design"])
    result = recommend(dispute)
    assert ids(result) == [exact.pk, bodies.mediator2.pk, bodies.mediator.pk]
    assert "mediators.specialty_family" in codes(result, bodies.mediator2.pk)
    assert result[1].score > result[2].score


def test_region_same_before_near_before_other(bodies, world):
    Mediator.objects.filter(pk__in=[bodies.mediator.pk, bodies.mediator2.pk]).update(
        available=False
    )
    other = mediator(bodies, world, "远", region=Region.objects.get(pk="230102"))
    near = mediator(bodies, world, "市", region=Region.objects.get(pk="140900"))
    same = mediator(bodies, world, "县")
    result = recommend(apply(bodies, world))
    assert ids(result) == [same.pk, near.pk, other.pk]
    assert "mediators.region_same" in codes(result, same.pk)
    assert "mediators.region_near" in codes(result, near.pk)


def test_load_and_full(bodies, world):
    busy = mediator(bodies, world, "忙", active_count=8, max_load=10)
    idle = mediator(bodies, world, "闲", active_count=0, max_load=10)
    full = mediator(bodies, world, "满", active_count=10, max_load=10)
    result = recommend(apply(bodies, world))
    order = ids(result)
    assert order.index(idle.pk) < order.index(busy.pk)
    assert full.pk not in order
    assert codes(result, full.pk) == ["mediators.full"]


def test_outcomes_with_a_prior(bodies, world):
    good = mediator(bodies, world, "好", closed_count=20, agreed_count=18)
    poor = mediator(bodies, world, "差", closed_count=20, agreed_count=2)
    lucky = mediator(bodies, world, "新", closed_count=1, agreed_count=1)
    result = recommend(apply(bodies, world))
    order = ids(result)
    assert order.index(good.pk) < order.index(lucky.pk) < order.index(poor.pk)
    # A new mediator is scored at the pool's rate, not at zero.
    assert "mediators.new" in codes(result, bodies.mediator.pk)
    assert order.index(bodies.mediator.pk) < order.index(poor.pk)


def test_conflict_excluded_with_reason(bodies, world):
    Conflict.objects.create(
        mediator=bodies.mediator, name="保德县某商贸 有限公司", reason="曾任法律顾问"
    )
    result = recommend(apply(bodies, world))
    assert bodies.mediator.pk not in ids(result)
    row = next(r for r in result.excluded if r.mediator_id == bodies.mediator.pk)
    assert row.code == "mediators.conflict" and row.score is None
    assert "保德县某商贸 有限公司" in row.rendered()[0]


def test_recused_and_unavailable_excluded(bodies, world):
    dispute = apply(bodies, world)
    record.append(dispute, "recuse", actor=bodies.applicant, mediator=bodies.mediator.pk)
    away = mediator(bodies, world, "休", available=False)
    gone = mediator(bodies, world, "离")
    gone.user.is_active = False
    gone.user.save()
    result = recommend(dispute)
    assert ids(result) == [bodies.mediator2.pk]
    assert codes(result, bodies.mediator.pk) == ["mediators.recused"]
    assert codes(result, away.pk) == ["mediators.unavailable"]
    assert codes(result, gone.pk) == ["mediators.unavailable"]


def test_fixed_number_of_queries(bodies, world, django_assert_max_num_queries):
    dispute = apply(bodies, world)
    for i in range(30):
        mediator(bodies, world, f"调解员{i}", closed_count=i, agreed_count=i // 2)
    Conflict.objects.create(mediator=bodies.mediator2, name="无关公司", reason="亲属")
    with django_assert_max_num_queries(6):
        result = recommend(dispute, limit=5)
    assert len(result) == 5


def test_across_organisations_of_the_region_and_above(bodies, world):
    city_unit = Unit.objects.create(
        name="忻州市知识产权纠纷调解委员会",
        kind=UnitKind.MEDIATION,
        region=Region.objects.get(pk="140900"),
    )
    city = Organisation.objects.create(unit=city_unit, kind=OrganisationKind.INDUSTRY)
    far_unit = Unit.objects.create(
        name="道里区人民调解委员会",
        kind=UnitKind.MEDIATION,
        region=Region.objects.get(pk="230102"),
    )
    far = Organisation.objects.create(unit=far_unit, kind=OrganisationKind.PEOPLES)
    in_city = mediator(bodies, world, "市调", organisation=city)
    elsewhere = mediator(bodies, world, "外地", organisation=far)
    dispute = apply(bodies, world)
    assert in_city.pk not in ids(recommend(dispute))
    across = ids(recommend(dispute, organisation=None))
    assert in_city.pk in across and elsewhere.pk not in across
    assert ids(recommend(dispute, organisation=city)) == [in_city.pk]


def test_reasons_in_english(bodies, world):
    Conflict.objects.create(mediator=bodies.mediator2, name="保德县某商贸有限公司", reason="x")
    bodies.mediator.closed_count, bodies.mediator.agreed_count = 4, 3
    bodies.mediator.save()
    result = recommend(apply(bodies, world))
    with translation.override("en"):
        shown = result[0].rendered()
        excluded = result.excluded[0].rendered()
    assert shown[0] == "Experienced in Trademark disputes"
    assert any(text.startswith("4 closed, 3 agreed") for text in shown)
    assert excluded == ["Declared a conflict of interest with “保德县某商贸有限公司”"]
    with translation.override("zh-hans"):
        assert result[0].rendered()[0] == "擅长商标纠纷"


def test_database_picks_the_engines_best(bodies, world, monkeypatch):
    """The database's pick (``_score_sql``) is the engine's own top, with no margin at all:
    specialties, the patent family, industries in Chinese, regions, load and outcomes."""
    import random

    from ipshield.disputes import recommend as module
    from ipshield.engines import mediators as engine

    rng = random.Random(7)
    kinds = ["trademark", "patent_invention", "patent_utility", "patent_design", "copyright"]
    regions = [Region.objects.get(pk=code) for code in ("140931", "140900", "230102")]
    for i in range(60):
        max_load = rng.choice([3, 5, 10])
        closed = rng.choice([0, 1, 4, 12, 30])
        mediator(
            bodies,
            world,
            f"随机{i}",
            specialties=rng.sample(kinds, rng.randint(0, 2)),
            industries=rng.sample(["食品", "纺织", "机械"], rng.randint(0, 2)),
            region=rng.choice(regions),
            max_load=max_load,
            active_count=rng.randint(0, max_load),
            closed_count=closed,
            agreed_count=rng.randint(0, closed),
            available=rng.random() > 0.1,
        )
    monkeypatch.setattr(module, "MARGIN", 0)
    for kind in ("patent_design", "trademark"):
        dispute = apply(bodies, world, right_kind=kind, industry="食品")
        everyone = module._candidates(Mediator.objects.filter(organisation=bodies.committee))
        expected, left_out = engine.rank(module._need(dispute), everyone, limit=10)
        result = recommend(dispute, limit=10)
        assert [(r.mediator_id, r.score) for r in result] == [(r.id, r.score) for r in expected]
        assert sorted(r.mediator_id for r in result.excluded) == sorted(e.id for e in left_out)
