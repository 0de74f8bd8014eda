"""Shared fixtures: a small world of two counties, their units and one person per role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from ipshield.accounts.models import Region, RegionLevel, Unit, UnitKind
from tests.accounts.factories import PASSWORD, make_person


@pytest.fixture(autouse=True)
def _default_language():
    # Requests activate the visitor's language in the test thread and leave it active; every test
    # starts from the product's default.
    from django.utils import translation

    translation.activate("zh-hans")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_entity_index():
    # The entity-resolution index lives for the process; each test's database starts anew.
    from ipshield.credit.resolution import reset_index
    from ipshield.credit.services import forget_measures

    reset_index()
    forget_measures()  # the catalogue of joint-punishment measures, kept a minute per process
    yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is the product's hasher (tests/test_security.py checks it); hashing a dozen demo
    # passwords per test with it would dominate the suite's run time.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]


@dataclass
class World:
    province: Region
    county: Region
    other_county: Region
    market: Unit  # 保德县市场监督管理局
    culture: Unit  # 保德县文化和旅游局
    agriculture: Unit
    other_market: Unit  # a market bureau in another region
    officer: Any
    officer_culture: Any
    officer_other: Any
    reviewer: Any
    leader: Any
    auditor: Any
    member: Any
    mediator: Any
    admin: Any
    holder_user: Any
    public_user: Any


def build_world() -> World:
    """Create the world in the current database. Fixtures choose how the database is reset."""
    province = Region.objects.create(code="140000", name="山西省", level=RegionLevel.PROVINCE)
    city = Region.objects.create(
        code="140900", name="忻州市", level=RegionLevel.CITY, parent=province
    )
    county = Region.objects.create(
        code="140931", name="保德县", level=RegionLevel.COUNTY, parent=city
    )
    hlj = Region.objects.create(code="230000", name="黑龙江省", level=RegionLevel.PROVINCE)
    harbin = Region.objects.create(
        code="230100", name="哈尔滨市", level=RegionLevel.CITY, parent=hlj
    )
    daoli = Region.objects.create(
        code="230102", name="道里区", level=RegionLevel.COUNTY, parent=harbin
    )
    market = Unit.objects.create(
        name="保德县市场监督管理局",
        short_name="县市场局",
        kind=UnitKind.MARKET_SUPERVISION,
        region=county,
    )
    culture = Unit.objects.create(
        name="保德县文化和旅游局",
        short_name="县文旅局",
        kind=UnitKind.CULTURE_TOURISM,
        region=county,
    )
    agriculture = Unit.objects.create(
        name="保德县农业农村局", short_name="县农业农村局", kind=UnitKind.AGRICULTURE, region=county
    )
    other_market = Unit.objects.create(
        name="哈尔滨市道里区市场监督管理局",
        short_name="道里区市场局",
        kind=UnitKind.MARKET_SUPERVISION,
        region=daoli,
    )
    justice = Unit.objects.create(name="保德县司法局", kind=UnitKind.JUSTICE, region=county)
    mediation = Unit.objects.create(
        name="保德县人民调解委员会", kind=UnitKind.MEDIATION, region=county
    )
    return World(
        province=province,
        county=county,
        other_county=daoli,
        market=market,
        culture=culture,
        agriculture=agriculture,
        other_market=other_market,
        officer=make_person("case_officer", unit=market, username="officer"),
        officer_culture=make_person("case_officer", unit=culture, username="officer2"),
        officer_other=make_person("case_officer", unit=other_market, username="officer_hrb"),
        reviewer=make_person("legal_reviewer", unit=market, username="reviewer"),
        leader=make_person("unit_leader", unit=market, username="leader"),
        auditor=make_person("auditor", unit=justice, username="auditor"),
        member=make_person("leading_group_member", unit=market, username="member"),
        mediator=make_person("mediator", unit=mediation, username="mediator"),
        admin=make_person("sysadmin", unit=market, username="admin"),
        holder_user=make_person("rights_holder", username="holder"),
        public_user=make_person("public", username="public"),
    )


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def login():
    """``login(user)`` returns a test client signed in as ``user`` (through the real login page)."""

    def _login(user) -> Client:
        client = Client()
        response = client.post("/login/", {"username": user.username, "password": PASSWORD})
        assert response.status_code == 302, response.content[:500]
        return client

    return _login
