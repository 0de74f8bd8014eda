"""Typical cases (典型案例): curated from closed cases only, masked, published when staff say so."""

from __future__ import annotations

import pytest
from django.test import Client

from ipshield.common.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from ipshield.publication import selectors, services
from tests.publication.factories import closed, decided, person

SUMMARY = "张三在集贸市场销售假冒“保德红枣”商标的红枣，其妻李四（电话13912345678）负责收款。"


def test_only_closed_cases_become_typical_cases(world):
    open_case = decided(world)
    with pytest.raises(Conflict) as info:
        services.typical_case_create(
            actor=world.officer, case=open_case, title="标题", summary="摘要"
        )
    assert info.value.code == "case_not_closed" and info.value.field == "case"
    assert open_case not in selectors.typical_case_candidates(actor=world.officer)

    case = closed(world, infringer=person(world, "张三"))
    assert case in selectors.typical_case_candidates(actor=world.officer)
    typical = services.typical_case_create(
        actor=world.officer,
        case=case,
        title="张三销售假冒地理标志商品案",
        summary=SUMMARY,
        order=2,
        person_names=["李四"],
    )
    assert typical.title == "张*销售假冒地理标志商品案"
    assert typical.summary == (
        "张*在集贸市场销售假冒“保德红枣”商标的红枣，其妻李*（电话139****5678）负责收款。"
    )
    assert not typical.published and typical.unit == world.market
    assert case not in selectors.typical_case_candidates(actor=world.officer)
    with pytest.raises(Conflict) as info:
        services.typical_case_create(actor=world.officer, case=case, title="再写", summary="再写")
    assert info.value.code == "typical_case_exists"


def test_validation_names_the_field_and_roles_are_checked(world):
    case = closed(world)
    for kwargs, field in [
        ({"title": " ", "summary": "摘要"}, "title"),
        ({"title": "标题", "summary": ""}, "summary"),
        ({"title": "标题", "summary": "摘要", "order": -1}, "order"),
    ]:
        with pytest.raises(InvalidInput) as info:
            services.typical_case_create(actor=world.officer, case=case, **kwargs)
        assert info.value.field == field
    with pytest.raises(PermissionDenied):
        services.typical_case_create(actor=world.reviewer, case=case, title="标题", summary="摘要")
    with pytest.raises(NotFound):
        services.typical_case_create(
            actor=world.officer_other, case=case, title="标题", summary="摘要"
        )


def test_published_flag_and_order_drive_the_public_pages(world):
    first = services.typical_case_create(
        actor=world.officer, case=closed(world), title="案例甲", summary="甲", order=5
    )
    second = services.typical_case_create(
        actor=world.officer, case=closed(world), title="案例乙", summary="乙", order=1
    )
    client = Client()
    assert client.get(f"/publications/typical-cases/{first.pk}/").status_code == 404
    assert list(selectors.typical_case_public_list()) == []

    for typical in (first, second):
        services.typical_case_set_published(
            actor=world.leader, typical_case=typical, published=True
        )
    assert list(selectors.typical_case_public_list()) == [second, first]
    page = client.get("/publications/typical-cases/").content.decode()
    assert page.index("案例乙") < page.index("案例甲")
    assert client.get(f"/publications/typical-cases/{first.pk}/").status_code == 200
    assert client.get("/api/v1/typical-cases").json()["count"] == 2

    services.typical_case_update(
        actor=world.officer, typical_case=first, title="案例甲", summary="甲", order=0
    )
    assert list(selectors.typical_case_public_list()) == [first, second]
    services.typical_case_set_published(actor=world.officer, typical_case=first, published=False)
    assert list(selectors.typical_case_public_list()) == [second]


def test_staff_curate_through_the_pages(world, login):
    case = closed(world, infringer=person(world, "张三"))
    client = login(world.officer)
    response = client.post(
        "/publications/staff/typical-cases/",
        {"case": case.pk, "title": "", "summary": SUMMARY, "order": 0, "person_names": "李四"},
    )
    assert response.status_code == 200 and 'data-field="title"' in response.content.decode()
    response = client.post(
        "/publications/staff/typical-cases/",
        {
            "case": case.pk,
            "title": "红枣案",
            "summary": SUMMARY,
            "order": 0,
            "person_names": "李四",
        },
    )
    assert response.status_code == 302
    typical = selectors.typical_case_staff_list(actor=world.officer).get()
    assert "李四" not in typical.summary and "张三" not in typical.summary
    url = f"/publications/staff/typical-cases/{typical.pk}/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"publish": "1"}).status_code == 302
    typical.refresh_from_db()
    assert typical.published and typical.published_at
    public = Client().get(f"/publications/typical-cases/{typical.pk}/").content.decode()
    assert "张*" in public and "张三" not in public and "13912345678" not in public
