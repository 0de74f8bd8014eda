"""API tokens: issued to a unit, stored hashed, scoped like people, revocable."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client

from ipshield.accounts import services
from ipshield.accounts.models import ApiToken
from ipshield.audit.models import AuditEvent, Verb
from ipshield.common.errors import PermissionDenied
from tests.registry.factories import IPRightFactory


def _bearer(secret: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_token_is_stored_hashed_and_acts_for_its_unit(world):
    IPRightFactory(verifying_unit=world.market, title="保德")
    IPRightFactory(verifying_unit=world.other_market, title="哈尔滨")
    token, secret = services.token_issue(actor=world.admin, unit=world.market, name="公安协查系统")
    stored = ApiToken.objects.get(pk=token.pk)
    assert secret not in (stored.token_hash, stored.prefix)
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    response = _bearer(secret).get("/api/v1/rights")
    assert response.status_code == 200
    assert {r["title"] for r in response.json()["items"]} == {"保德"}
    me = _bearer(secret).get("/api/v1/me").json()
    assert me["unit_id"] == world.market.pk and me["roles"] == ["case_officer"]
    stored.refresh_from_db()
    assert stored.last_used_at is not None
    assert AuditEvent.objects.filter(verb=Verb.TOKEN_ISSUED, target_id=str(token.pk)).exists()


def test_token_writes_do_not_need_csrf(world):
    _token, secret = services.token_issue(actor=world.admin, unit=world.market, name="对接")
    response = _bearer(secret).post(
        "/api/v1/entities", {"name": "接口登记公司"}, content_type="application/json"
    )
    assert response.status_code == 201, response.content


def test_revoked_and_wrong_tokens_are_refused(world):
    token, secret = services.token_issue(actor=world.admin, unit=world.market, name="临时")
    services.token_revoke(actor=world.admin, token=token)
    for bad in (secret, secret + "x", "ips_nothing", "nonsense"):
        response = _bearer(bad).get("/api/v1/rights")
        assert response.status_code == 401
        assert response.json()["code"] == "unauthenticated"
    assert AuditEvent.objects.filter(verb=Verb.TOKEN_REVOKED).count() == 1


def test_auditor_cannot_issue_tokens(world):
    with pytest.raises(PermissionDenied):
        services.token_issue(actor=world.auditor, unit=world.market, name="x")
    assert ApiToken.objects.count() == 0


def test_issuetoken_command(world, capsys):
    from django.core.management import call_command

    call_command("issuetoken", "保德县市场监督管理局", "检察院衔接平台")
    secret = capsys.readouterr().out.splitlines()[1].strip()
    assert secret.startswith("ips_")
    assert _bearer(secret).get("/api/v1/me").status_code == 200
