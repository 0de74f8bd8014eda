"""Dispute tests: a data directory of their own (records and signatures go into the ledger),
a people's mediation committee with two mediators, a court, an arbitration commission and the
two parties' accounts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ipshield.accounts.models import Profile, Unit, UnitKind
from ipshield.disputes.models import Mediator, Organisation, OrganisationKind
from ipshield.evidence import ledger
from tests.accounts.factories import make_person


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path) -> Path:
    directory = tmp_path / "data"
    directory.mkdir()
    settings.DATA_DIR = directory
    settings.MEDIA_ROOT = directory / "uploads"
    yield directory
    ledger.close_all()


@dataclass
class Bodies:
    committee: Organisation  # 保德县人民调解委员会 (world.mediation)
    court_unit: Unit
    judge: Any
    commission: Organisation
    arbitrator: Any
    mediator: Mediator  # world.mediator's
    mediator2: Mediator
    applicant: Any  # a rights holder's account, phone 13800000001
    respondent: Any  # a public account, phone 13900000002


def _phone(user: Any, phone: str) -> Any:
    Profile.objects.filter(user=user).update(phone=phone)
    user.refresh_from_db()
    return user


@pytest.fixture
def bodies(world) -> Bodies:
    return make_bodies(world)


def make_bodies(world) -> Bodies:
    """The organisations, mediators and party accounts of the dispute tests (and journeys)."""
    unit = Unit.objects.get(name="保德县人民调解委员会")
    committee = Organisation.objects.create(
        unit=unit,
        kind=OrganisationKind.PEOPLES,
        video_link="https://meet.example.gov.cn/room/1",
        address="保德县人民调解中心一楼",
    )
    court_unit = Unit.objects.create(
        name="保德县人民法院", kind=UnitKind.COURT, region=world.county
    )
    Organisation.objects.create(unit=court_unit, kind=OrganisationKind.COURT)
    judge = make_person("case_officer", unit=court_unit, username="judge")
    arbitration_unit = Unit.objects.create(
        name="忻州仲裁委员会", kind=UnitKind.OTHER_DEPARTMENT, region=world.county
    )
    commission = Organisation.objects.create(
        unit=arbitration_unit, kind=OrganisationKind.ARBITRATION
    )
    arbitrator = make_person("case_officer", unit=arbitration_unit, username="arbitrator")
    mediator = Mediator.objects.create(
        user=world.mediator,
        organisation=committee,
        name="冀文秀",
        specialties=["trademark", "copyright"],
        region=world.county,
    )
    second = make_person("mediator", unit=unit, username="mediator2")
    mediator2 = Mediator.objects.create(
        user=second,
        organisation=committee,
        name="王建国",
        specialties=["patent_invention"],
        region=world.county,
    )
    applicant = _phone(world.holder_user, "13800000001")
    respondent = _phone(world.public_user, "13900000002")
    return Bodies(
        committee,
        court_unit,
        judge,
        commission,
        arbitrator,
        mediator,
        mediator2,
        applicant,
        respondent,
    )


def apply(bodies: Bodies, world, **overrides: Any):
    """An online application by the applicant against the respondent (by phone)."""
    from ipshield.disputes import services

    data = {
        "actor": bodies.applicant,
        "organisation": bodies.committee,
        "title": "“晋保”商标侵权纠纷",
        "facts": "被申请人在其店铺销售假冒“晋保”注册商标的商品。",
        "right_kind": "trademark",
        "region": world.county,
        "claims": [
            {"text": "停止销售侵权商品", "amount": ""},
            {"text": "赔偿损失", "amount": "50000"},
        ],
        "respondents": [{"name": "保德县某商贸有限公司", "phone": "13900000002"}],
    }
    data.update(overrides)
    return services.dispute_apply(**data)
