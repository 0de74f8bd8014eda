"""Security baseline: Argon2, login throttling, CSRF, headers."""

from __future__ import annotations

from django.conf import settings as django_settings
from django.contrib.auth.hashers import get_hasher
from django.test import Client, override_settings

from tests.accounts.factories import PASSWORD


def test_product_hashes_passwords_with_argon2():
    # The suite swaps in a fast hasher (tests/conftest.py); the product's first hasher is Argon2.
    from importlib import reload

    import ipshield.config.settings as product

    reload(product)
    assert product.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    with override_settings(PASSWORD_HASHERS=product.PASSWORD_HASHERS):
        assert get_hasher("default").algorithm == "argon2"


def test_login_is_throttled_after_repeated_failures(world):
    client = Client(REMOTE_ADDR="10.0.0.9")
    for _ in range(django_settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/login/", {"username": "officer", "password": "wrong-password"})
        assert response.status_code == 200
        assert "用户名或密码不正确" in response.content.decode()
    last = client.post("/login/", {"username": "officer", "password": "wrong-password"})
    assert last.status_code == 429
    # Now even the right password is refused from this address.
    locked = client.post("/login/", {"username": "officer", "password": PASSWORD})
    assert locked.status_code == 429
    assert "暂时锁定" in locked.content.decode()
    # Another address is not affected.
    other = Client(REMOTE_ADDR="10.0.0.10")
    assert other.post("/login/", {"username": "officer", "password": PASSWORD}).status_code == 302


def test_login_form_needs_csrf(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "officer", "password": PASSWORD})
    assert response.status_code == 403


def test_secure_headers(world, client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_uploads_live_in_the_data_directory():
    assert str(django_settings.MEDIA_ROOT).startswith(str(django_settings.DATA_DIR))
