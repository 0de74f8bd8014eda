"""Organisations, mediators and declared conflicts: who may change them, the coded errors that
name the field, and the audit trail."""

from __future__ import annotations

import pytest

from ipshield.audit.models import AuditEvent, Verb
from ipshield.audit.selectors import target_url
from ipshield.common.errors import InvalidInput, PermissionDenied
from ipshield.disputes import directory, services
from ipshield.disputes.models import Conflict, OrganisationKind
from tests.accounts.factories import make_person
from tests.disputes.conftest import apply


def test_admin_saves_an_organisation_with_an_audit_event(world, bodies):
    org = directory.organisation_save(
        actor=world.admin,
        unit=bodies.committee.unit,
        kind=OrganisationKind.PEOPLES,
        video_link="https://meet.example.gov.cn/room/9",
        address="一楼",
        accepts_online=False,
        limit_days="20",
    )
    assert org.pk == bodies.committee.pk
    assert (org.limit_days, org.accepts_online) == (20, False)
    event = AuditEvent.objects.get(verb=Verb.ORGANISATION_SAVED)
    assert event.target_id == str(org.pk) and event.data["limit_days"] == 20
    assert target_url(event) == f"/workbench/disputes/organisations/{org.pk}/"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("video_link", "javascript:alert(1)"),
        ("video_link", "ftp://example.com/room"),
        ("limit_days", "0"),
        ("limit_days", "abc"),
        ("kind", "court"),  # a mediation committee is not a court
        ("kind", "<script>"),
    ],
)
def test_bad_organisation_input_names_the_field(world, bodies, field, value):
    data = {"kind": OrganisationKind.PEOPLES, field: value}
    with pytest.raises(InvalidInput) as caught:
        directory.organisation_save(actor=world.admin, unit=bodies.committee.unit, **data)
    assert caught.value.field == field
    assert caught.value.code.startswith("dispute_")


def test_only_admins_and_the_units_leader_manage(world, bodies):
    with pytest.raises(PermissionDenied):
        directory.organisation_save(
            actor=world.mediator, unit=bodies.committee.unit, kind=OrganisationKind.PEOPLES
        )
    other_leader = make_person("unit_leader", unit=world.market, username="other_leader")
    with pytest.raises(PermissionDenied):
        directory.organisation_save(
            actor=other_leader, unit=bodies.committee.unit, kind=OrganisationKind.PEOPLES
        )
    leader = make_person("unit_leader", unit=bodies.committee.unit, username="committee_leader")
    directory.organisation_save(
        actor=leader, unit=bodies.committee.unit, kind=OrganisationKind.PEOPLES
    )


def test_mediator_save_checks_specialties_and_load(world, bodies):
    base = {
        "actor": world.admin,
        "user": world.mediator,
        "organisation": bodies.committee,
        "name": "冀文秀",
        "region": world.county,
    }
    for field, extra in [
        ("specialties", {"specialties": ["trademark", "wizardry"]}),
        ("specialties", {"specialties": []}),
        ("max_load", {"specialties": ["trademark"], "max_load": 0}),
        ("max_load", {"specialties": ["trademark"], "max_load": 201}),
        ("name", {"specialties": ["trademark"], "name": " "}),
    ]:
        with pytest.raises(InvalidInput) as caught:
            directory.mediator_save(**{**base, **extra})
        assert caught.value.field == field
    mediator = directory.mediator_save(
        **base,
        specialties=["copyright", "trademark", "copyright"],
        industries="餐饮、食品，农业",
        max_load="12",
    )
    assert mediator.pk == bodies.mediator.pk
    assert mediator.specialties == ["trademark", "copyright"]
    assert mediator.industries == ["餐饮", "食品", "农业"]
    assert mediator.max_load == 12


def test_a_mediator_account_must_belong_to_the_unit(world, bodies):
    with pytest.raises(InvalidInput) as caught:
        directory.mediator_save(
            actor=world.admin,
            user=world.officer,
            organisation=bodies.committee,
            name="某人",
            specialties=["trademark"],
            region=world.county,
        )
    assert caught.value.field == "user"
    with pytest.raises(InvalidInput) as caught:
        directory.mediator_save(
            actor=world.admin,
            user=bodies.arbitrator,
            organisation=bodies.commission,
            name="仲裁员",
            specialties=["trademark"],
            region=world.county,
        )
    assert caught.value.field == "organisation"


def test_a_declared_conflict_keeps_the_mediator_off_the_dispute(world, bodies):
    conflict = directory.conflict_declare(
        actor=world.mediator, mediator=bodies.mediator, name="保德县某商贸有限公司", reason="亲属"
    )
    with pytest.raises(InvalidInput) as caught:
        directory.conflict_declare(
            actor=world.mediator, mediator=bodies.mediator, name="保德县某商贸有限公司 ", reason="x"
        )
    assert caught.value.field == "name"
    with pytest.raises(PermissionDenied):
        directory.conflict_declare(
            actor=bodies.mediator2.user, mediator=bodies.mediator, name="别家", reason="同学"
        )
    dispute = apply(bodies, world)
    services.dispute_accept(actor=world.mediator, dispute=dispute)
    services.dispute_consent(actor=bodies.respondent, dispute=dispute, consent=True)
    with pytest.raises(InvalidInput) as caught:
        services.dispute_assign(actor=world.mediator, dispute=dispute, mediator=bodies.mediator)
    assert caught.value.code == "mediator_conflict"
    directory.conflict_remove(actor=world.mediator, conflict=conflict)
    assert not Conflict.objects.exists()
    assert AuditEvent.objects.filter(verb=Verb.CONFLICT_REMOVED).count() == 1
    services.dispute_assign(actor=world.mediator, dispute=dispute, mediator=bodies.mediator)


def test_a_mediator_sets_their_own_availability(world, bodies):
    directory.mediator_available(actor=world.mediator, mediator=bodies.mediator, available=False)
    bodies.mediator.refresh_from_db()
    assert bodies.mediator.available is False
    with pytest.raises(PermissionDenied):
        directory.mediator_available(
            actor=bodies.mediator2.user, mediator=bodies.mediator, available=True
        )
