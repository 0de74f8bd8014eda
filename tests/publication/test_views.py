"""Every staff page renders for every staff role (read-only roles see, and get no forms), and
the back office shows the publication app's records."""

from __future__ import annotations

import pytest

from ipshield.cases.models import Source
from ipshield.publication import services
from ipshield.publication.models import ReviewChecklist
from tests.publication.factories import closed, decided


@pytest.fixture
def records(world):
    case = closed(world, source=Source.REPORT)
    publication = case.publications.get()
    typical = services.typical_case_create(
        actor=world.officer, case=case, title="典型", summary="摘要"
    )
    checklist = ReviewChecklist.objects.get()
    review = services.file_review_create(
        actor=world.reviewer,
        case=case,
        checklist=checklist,
        scores={item.pk: item.max_points for item in checklist.items.all()},
    )
    reward = services.reward_propose(actor=world.officer, case=case, amount="100", basis="依据")
    return {
        "publication": publication,
        "typical": typical,
        "review": review,
        "reward": reward,
        "open": decided(world, source=Source.REPORT),
    }


@pytest.mark.parametrize("role", ["officer", "leader", "reviewer", "auditor", "member", "admin"])
def test_staff_pages_render_for_every_staff_role(world, login, records, role):
    client = login(getattr(world, role))
    urls = [
        "/publications/staff/",
        f"/publications/staff/{records['publication'].pk}/",
        "/publications/staff/typical-cases/",
        f"/publications/staff/typical-cases/{records['typical'].pk}/",
        "/publications/staff/reviews/",
        f"/publications/staff/reviews/{records['review'].pk}/",
        "/publications/staff/rewards/",
        f"/publications/staff/rewards/{records['reward'].pk}/",
        f"/publications/staff/rewards/case/{records['open'].pk}/",
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
    curator = role in ("officer", "leader", "admin")  # read-only roles and reviewers get no form
    page = client.get("/publications/staff/typical-cases/").content.decode()
    assert ('name="summary"' in page) is curator


def test_read_only_roles_cannot_change_anything(world, login, records):
    client = login(world.auditor)
    url = f"/publications/staff/{records['publication'].pk}/"
    assert client.post(url, {"revoked_on": "2026-01-01", "reason": "x"}).status_code == 403
    response = client.post(
        f"/publications/staff/rewards/case/{records['open'].pk}/", {"amount": "1", "basis": "x"}
    )
    assert response.status_code == 200 and "只能查看" in response.content.decode()


def test_back_office_lists_the_records(world, login, records):
    client = login(world.admin)
    for model in ("publication", "typicalcase", "filereview", "reporterreward"):
        assert client.get(f"/admin/publication/{model}/").status_code == 200, model
    checklist = ReviewChecklist.objects.get()
    page = client.get(f"/admin/publication/reviewchecklist/{checklist.pk}/change/")
    assert page.status_code == 200 and "立案审批" in page.content.decode()
