"""Factories for cooperation: a case in handling, a police unit, a third unit's officer, files."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from django.utils import timezone

from ipshield.accounts.models import Unit, UnitKind
from ipshield.cases import record, services
from ipshield.cases.models import Attachment, Case
from ipshield.cooperation import services as coop
from tests.accounts.factories import make_person
from tests.cases.factories import receive


def handled_case(world, *, unit=None, officer=None) -> Case:
    """A case the unit (the county market bureau by default) has accepted."""
    case = receive(world, unit=unit)
    return services.case_accept(actor=officer or world.officer, case=case)


def due(days: int = 10) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def police_unit(world, *, region=None, name="保德县公安局") -> Unit:
    return Unit.objects.create(name=name, kind=UnitKind.POLICE, region=region or world.county)


def police_officer(unit: Unit, username: str = "police"):
    return make_person("case_officer", unit=unit, username=username)


def third_officer(world):
    """An officer of a unit that takes no part (the county agriculture bureau)."""
    return make_person("case_officer", unit=world.agriculture, username="officer_agri")


def external_unit(world) -> Unit:
    return Unit.objects.create(
        name="大同市市场监督管理局",
        kind=UnitKind.MARKET_SUPERVISION,
        region=world.province,
        is_external=True,
    )


def attach(case: Case, actor, content: bytes, name: str) -> Attachment:
    """A stored attachment, as intake leaves it: hashed, sized and in the case record."""
    attachment = Attachment.objects.create(
        case=case,
        file=f"cases/test/{name}",
        original_name=name,
        kind=name.rsplit(".", 1)[-1],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=actor,
    )
    record.attachment_added(case=case, actor=actor, attachment=attachment)
    return attachment


def facts(world, case, *, volume=None, gains=None, marks=1, **extra):
    return coop.criminal_facts_set(
        actor=world.officer,
        case=case,
        illegal_business_volume=None if volume is None else Decimal(str(volume)),
        illegal_gains=None if gains is None else Decimal(str(gains)),
        marks_count=marks,
        **extra,
    )
