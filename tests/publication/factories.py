"""Cases brought to the point publication, typical cases, file review and rewards start from."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from ipshield.cases import services as case_services
from ipshield.cases import walkthrough
from ipshield.cases.models import DecisionKind, Source
from ipshield.cases.workflow import Status
from ipshield.publication import services
from ipshield.publication.models import Publication
from ipshield.registry import services as registry_services
from ipshield.registry.models import EntityKind
from tests.accounts.factories import make_person
from tests.cases.factories import receive

SUMMARY = (
    "当事人张三（身份证号11010519491231002X，手机13812345678）在保德县东关街销售假冒"
    "“保德红枣”注册商标的红枣120箱。依据《商标法》第六十条，责令停止侵权行为并处罚款。"
)


def person(world, name: str = "张三"):
    return registry_services.entity_create(
        actor=world.officer, name=name, kind=EntityKind.PERSON, legal_representative=name
    )


def company(world, name: str = "保德县红枣商贸有限公司"):
    return registry_services.entity_create(
        actor=world.officer, name=name, kind=EntityKind.ENTERPRISE, legal_representative="王五"
    )


def decided(
    world,
    *,
    amount: Decimal | str | None = "4000",
    kind: str = DecisionKind.PENALTY,
    summary: str = SUMMARY,
    officer=None,
    source: str = Source.COMPLAINT,
    unit=None,
    infringer=None,
    **details,
):
    """A case with a decision in force (status ``decided``), handled by ``officer``."""
    officer = officer or world.officer
    if infringer is not None:
        details.setdefault("infringer", infringer)
        details.setdefault("infringer_name", infringer.name)
    else:
        details.setdefault("infringer_name", "保德县红枣商贸有限公司")
    case = receive(world, source=source, unit=unit, **details)
    reviewer, leader = unit_people(world, case.unit)
    case = walkthrough.decide(
        case,
        officer=officer,
        reviewer=reviewer,
        leader=leader,
        kind=kind,
        summary=summary,
        amount=Decimal(amount) if kind == DecisionKind.PENALTY else None,
    )
    assert case.status == Status.DECIDED
    return case


def publish(world, case, *, officer=None, **kwargs) -> Publication:
    """Publish as ``cases.services.case_publish`` will: in its transaction, once wired in."""
    officer = officer or world.officer
    with transaction.atomic():
        case = case_services.case_publish(actor=officer, case=case)
        publication = Publication.objects.filter(case=case).first()
        if publication is None:
            publication = services.publication_create_for(case=case, actor=officer, **kwargs)
    return publication


def closed(world, *, officer=None, **kwargs):
    """A closed case; penalties are published first, as the workflow requires."""
    officer = officer or world.officer
    case = decided(world, officer=officer, **kwargs)
    if case.decision_kind == DecisionKind.PENALTY:
        publish(world, case, officer=officer)
    return walkthrough.close(case, officer=officer, leader=unit_people(world, case.unit)[1])


def unit_people(world, unit):
    """A legal reviewer and a leader of ``unit`` who review and approve its cases: not the
    world's reviewer and leader, who then stay free to review the closed files (案卷评查 is
    never done by someone who handled the case)."""
    people = []
    for role in ("legal_reviewer", "unit_leader"):
        name = f"{role}_{unit.pk}"
        user = get_user_model().objects.filter(username=name).first()
        people.append(user or make_person(role, unit=unit, username=name))
    return people[0], people[1]
