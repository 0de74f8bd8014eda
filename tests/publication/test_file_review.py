"""File review (案卷评查): the default checklist, validation that names the item, and the
per-unit roll-up."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ipshield.audit.models import AuditEvent
from ipshield.common.errors import Conflict, InvalidInput, PermissionDenied
from ipshield.publication import selectors, services
from ipshield.publication.events import Verb
from ipshield.publication.models import ReviewChecklist
from tests.accounts.factories import make_person
from tests.publication.factories import closed, decided


@pytest.fixture
def checklist(db):
    return ReviewChecklist.objects.get(active=True)


def _full(checklist, **overrides) -> dict[int, Decimal]:
    scores = {item.pk: item.max_points for item in checklist.items.all()}
    for title, points in overrides.items():
        scores[checklist.items.get(title=title).pk] = Decimal(points)
    return scores


def test_default_checklist_is_loaded(checklist):
    titles = list(checklist.items.values_list("title", flat=True))
    assert titles[:3] == ["立案审批", "证据收集", "调查取证程序"]
    for title in ("法制审核", "告知与听证", "决定书文书规范", "送达", "公示", "归档"):
        assert title in titles
    assert checklist.max_points == Decimal(100)


def test_a_score_above_the_maximum_names_the_item(world, checklist):
    case = closed(world)
    item = checklist.items.get(title="立案审批")
    scores = _full(checklist)
    scores[item.pk] = Decimal("12")
    with pytest.raises(InvalidInput) as info:
        services.file_review_create(
            actor=world.reviewer, case=case, checklist=checklist, scores=scores
        )
    assert info.value.code == "score_above_max"
    assert info.value.field == f"item_{item.pk}"
    assert "立案审批" in str(info.value.message) and "10" in str(info.value.message)

    for bad, code in [("", "score_missing"), ("-1", "invalid_input"), ("abc", "invalid_input")]:
        scores[item.pk] = bad
        with pytest.raises(InvalidInput) as info:
            services.file_review_create(
                actor=world.reviewer, case=case, checklist=checklist, scores=scores
            )
        assert info.value.field == f"item_{item.pk}" and info.value.code == code
    del scores[item.pk]
    with pytest.raises(InvalidInput) as info:
        services.file_review_create(
            actor=world.reviewer, case=case, checklist=checklist, scores=scores
        )
    assert info.value.field == f"item_{item.pk}"
    assert not case.file_reviews.exists()


def test_only_closed_cases_by_reviewers_who_did_not_handle_them(world, checklist):
    with pytest.raises(Conflict) as info:
        services.file_review_create(
            actor=world.reviewer, case=decided(world), checklist=checklist, scores={}
        )
    assert info.value.code == "case_not_closed"
    case = closed(world)
    with pytest.raises(PermissionDenied):  # a case officer is not a reviewer
        services.file_review_create(
            actor=world.officer, case=case, checklist=checklist, scores=_full(checklist)
        )
    handled = closed(world, officer=world.leader)
    with pytest.raises(PermissionDenied) as info:
        services.file_review_create(
            actor=world.leader, case=handled, checklist=checklist, scores=_full(checklist)
        )
    assert info.value.code == "own_case"

    review = services.file_review_create(
        actor=world.reviewer,
        case=case,
        checklist=checklist,
        scores=_full(checklist, 送达="3.5", 归档="4"),
        notes={checklist.items.get(title="送达").pk: "送达回证缺当事人签名"},
        comment="整体规范。",
    )
    assert review.total_points == Decimal("97.5") and review.max_points == Decimal(100)
    assert review.percentage == Decimal("97.50") and review.unit == world.market
    assert review.scores.get(title="送达").note == "送达回证缺当事人签名"
    assert AuditEvent.objects.filter(verb=Verb.FILE_REVIEW_CREATED, target_id=review.pk).exists()
    with pytest.raises(Conflict) as info:
        services.file_review_create(
            actor=world.reviewer, case=case, checklist=checklist, scores=_full(checklist)
        )
    assert info.value.code == "file_review_exists"


def test_roll_up_per_unit(world, checklist):
    culture_reviewer = make_person("legal_reviewer", unit=world.culture, username="reviewer2")
    for overrides in ({"证据收集": "5"}, {"证据收集": "15", "归档": "0", "送达": "0"}):
        services.file_review_create(
            actor=world.reviewer,
            case=closed(world),
            checklist=checklist,
            scores=_full(checklist, **overrides),
        )
    services.file_review_create(
        actor=culture_reviewer,
        case=closed(world, officer=world.officer_culture, unit=world.culture),
        checklist=checklist,
        scores=_full(checklist, 立案审批="4"),
    )
    rollup = selectors.file_review_rollup(actor=world.admin)
    assert [(r.unit_name, r.count, r.average) for r in rollup] == [
        ("保德县文化和旅游局", 1, Decimal("94.0")),
        ("保德县市场监督管理局", 2, Decimal("90.0")),
    ]
    assert (rollup[1].lowest, rollup[1].highest) == (Decimal("90.0"), Decimal("90.0"))
    mine = selectors.file_review_rollup(actor=world.reviewer)
    assert [r.unit_name for r in mine] == ["保德县市场监督管理局"]


def test_review_pages(world, checklist, login):
    case = closed(world)
    client = login(world.reviewer)
    page = client.get("/publications/staff/reviews/").content.decode()
    assert case.number in page  # waiting for review
    url = f"/publications/staff/reviews/case/{case.pk}/"
    assert client.get(url).status_code == 200
    data = {f"item_{item.pk}": str(item.max_points) for item in checklist.items.all()}
    item = checklist.items.get(title="证据收集")
    data[f"item_{item.pk}"] = "16"
    response = client.post(url, data)
    assert response.status_code == 200
    assert f'data-field="item_{item.pk}"' in response.content.decode()
    data[f"item_{item.pk}"] = "7.5"
    response = client.post(url, data)
    assert response.status_code == 302
    page = client.get("/publications/staff/reviews/").content.decode()
    assert "保德县市场监督管理局" in page and "92.5%" in page
    assert login(world.admin).get("/api/v1/file-reviews/by-unit").json()[0]["count"] == 1
