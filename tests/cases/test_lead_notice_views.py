"""Lead notices: one unit tells another (possibly in another region) of something to look at."""

from __future__ import annotations

from ipshield.cases.models import Case, Source


def test_notify_another_unit_through_the_page(world, login):
    client = login(world.officer_other)  # Harbin
    page = client.get("/workbench/cases/notify/").content.decode()
    assert "保德县市场监督管理局" in page and "哈尔滨市道里区市场监督管理局（" not in page
    response = client.post(
        "/workbench/cases/notify/",
        {
            "to_unit": world.market.pk,
            "title": "查获假冒保德红枣，货源在保德",
            "description": "供货单据显示货源为保德县某食品厂。",
            "amount_involved": "90000",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.source == Source.LEAD_NOTICE and case.unit == world.market
    assert case.origin_unit == world.other_market and case.cross_region
    # The receiving unit sees it in its list; the sender does not own it.
    assert case.number in login(world.officer).get("/workbench/cases/").content.decode()


def test_bad_lead_notice_keeps_the_input(world, login):
    client = login(world.officer)
    response = client.post(
        "/workbench/cases/notify/",
        {
            "to_unit": world.culture.pk,
            "title": "盗版图书",
            "description": "",
            "infringer_uscc": "914403001922038210",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and 'value="盗版图书"' in page
    assert Case.objects.count() == 0
    response = client.post(
        "/workbench/cases/notify/",
        {
            "to_unit": world.culture.pk,
            "title": "盗版图书",
            "description": "书店销售盗版",
            "infringer_uscc": "914403001922038210",
        },
    )
    assert "校验位" in response.content.decode()
    assert Case.objects.count() == 0


def test_lead_notice_api(world, login):
    client = login(world.officer)
    response = client.post(
        "/api/v1/lead-notices",
        {"to_unit_id": world.culture.pk, "title": "盗版图书", "description": "书店销售盗版"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["unit_id"] == world.culture.pk
    missing = client.post(
        "/api/v1/lead-notices",
        {"to_unit_id": 99999, "title": "x", "description": "y"},
        content_type="application/json",
    )
    assert missing.status_code == 400 and missing.json()["field"] == "to_unit_id"


def test_rights_holders_cannot_send_lead_notices(world, login):
    response = login(world.holder_user).post(
        "/api/v1/lead-notices",
        {"to_unit_id": world.market.pk, "title": "x", "description": "y"},
        content_type="application/json",
    )
    assert response.status_code == 403
