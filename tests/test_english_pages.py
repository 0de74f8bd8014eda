"""Every user-visible string is translated: the main pages rendered in English carry no Chinese
text except the user data shown on them, and Django's admin names third-party apps in Chinese."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("language", "expected", "absent"),
    [
        ("zh-hans", ["登录防护", "登录尝试", "后台任务", "任务结果"], ["Axes", "Tasks Database"]),
        ("en", ["Sign-in protection", "Access attempts", "Background tasks", "Task Results"], []),
    ],
)
def test_admin_names_third_party_apps_in_the_users_language(
    world, login, language, expected, absent
):
    client = login(world.admin)
    client.post("/i18n/setlang/", {"language": language, "next": "/admin/"})
    response = client.get("/admin/")
    assert response.status_code == 200
    page = response.content.decode()
    assert [name for name in expected if name not in page] == []
    assert [name for name in absent if name in page] == []


def test_offline_verification_example_is_in_the_users_language(db):
    from django.test import Client

    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/verify/"})
    page = client.get("/verify/").content.decode()
    assert "ipshield evidence verify FILE receipt.json" in page
    assert "回执.json" not in page
