"""Where a sign-in lands: staff on the workbench, rights holders on their rights, the public on
their own submissions (or the home page), and ``next`` wins over all of them."""

from __future__ import annotations

from django.test import Client

from ipshield.cases import intake
from ipshield.registry.models import RightKind
from tests.accounts.factories import PASSWORD


def _landing(user, **extra) -> str:
    response = Client().post("/login/", {"username": user.username, "password": PASSWORD, **extra})
    assert response.status_code == 302
    first = response["Location"]
    if first != "/after-login/":
        return first
    client = Client()
    client.post("/login/", {"username": user.username, "password": PASSWORD})
    return client.get("/after-login/")["Location"]


def test_a_public_user_does_not_land_on_the_rights_holder_page(world):
    assert _landing(world.public_user) == "/"


def test_a_public_user_with_submissions_lands_on_them(world):
    intake.report_submit(
        actor=world.public_user,
        right_kind=RightKind.TRADEMARK,
        title="超市出售假冒饮料",
        description="县城某超市出售假冒的雪碧饮料。",
        region=world.county,
        anonymous=False,
        reporter_name="张三",
        reporter_phone="13800000000",
    )
    assert _landing(world.public_user) == "/my/complaints/"


def test_rights_holders_and_staff_land_where_they_work(world):
    assert _landing(world.holder_user) == "/my/rights/"
    assert _landing(world.officer) == "/workbench/"
    assert _landing(world.auditor) == "/workbench/"


def test_next_wins(world):
    assert _landing(world.public_user, next="/track/") == "/track/"
