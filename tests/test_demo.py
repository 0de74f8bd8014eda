"""The demo loader: idempotent, valid data, one working login per role, the leading group."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from ipshield import demo
from ipshield.accounts.models import GroupPosition, LeadingGroup, Region, Unit
from ipshield.accounts.roles import Role
from ipshield.audit.models import AuditEvent
from ipshield.credit import demo as credit_demo
from ipshield.engines import uscc
from ipshield.engines.text import normalize_name
from ipshield.monitoring import demo as monitoring_demo
from ipshield.registry.models import Entity, IPRight, RightKind, RightsHolder, RightStatus


def _counts() -> dict[str, int]:
    return {
        "regions": Region.objects.count(),
        "units": Unit.objects.count(),
        "users": get_user_model().objects.count(),
        "entities": Entity.objects.count(),
        "holders": RightsHolder.objects.count(),
        "rights": IPRight.objects.count(),
        "events": AuditEvent.objects.count(),
    }


@pytest.fixture
def loaded(db) -> list[demo.DemoLogin]:
    return demo.load()


def test_load_twice_creates_no_duplicates(loaded):
    first = _counts()
    assert first["entities"] >= 200
    assert first["rights"] >= 100
    assert first["holders"] >= 35
    demo.load()
    assert _counts() == first


def test_second_load_resets_demo_passwords(loaded):
    officer = get_user_model().objects.get(username="officer")
    officer.set_password("Something-else-2026")
    officer.save()
    logins = {login.username: login for login in demo.load()}
    officer.refresh_from_db()
    assert officer.check_password(logins["officer"].password)


def test_every_entity_has_a_valid_uscc(loaded):
    codes = list(Entity.objects.values_list("uscc", flat=True))
    assert codes
    assert all(code and uscc.is_valid(code) for code in codes)
    # Positions 3–8 name the region the entity is registered in.
    for entity in Entity.objects.select_related("region"):
        assert entity.uscc[2:8] == entity.region_id[:6]


def test_traditional_names_are_found_by_their_simplified_form(loaded):
    found = Entity.objects.filter(name_normalized=normalize_name("保德县黄河红枣食品有限公司"))
    assert [e.name for e in found] == ["保德縣黃河紅棗食品有限公司"]


def test_each_role_has_a_login_with_the_printed_password(loaded):
    assert {login.role for login in loaded} == set(Role.values)
    users = get_user_model().objects.in_bulk(
        [login.username for login in loaded], field_name="username"
    )
    for login in loaded:
        user = users[login.username]
        assert user.check_password(login.password), login.username
        assert user.is_active
        assert set(user.groups.values_list("name", flat=True)) == {login.role}
        if login.role not in (Role.PUBLIC, Role.RIGHTS_HOLDER):
            assert user.profile.unit.name == login.unit
    admin = users["admin"]
    assert admin.is_superuser and admin.is_staff


def test_case_officers_are_in_different_units(loaded):
    # The judge and the arbitration clerk (dispute demo) are case officers of their bodies.
    officers = [
        login
        for login in loaded
        if login.role == Role.CASE_OFFICER and login.username not in {"judge", "arbitrator"}
    ]
    assert len({login.unit for login in officers}) == 4
    # The IP bureaus' officers each have rights waiting; the police officer receives referrals.
    for login in (o for o in officers if o.username != "police"):
        unit = Unit.objects.get(name=login.unit)
        assert IPRight.objects.filter(verifying_unit=unit, status=RightStatus.PENDING).exists()


def test_rights_holder_login_has_three_rights_in_each_status(loaded):
    holder = RightsHolder.objects.get(user__username="holder")
    assert holder.entity is not None and uscc.is_valid(holder.entity.uscc)
    assert sorted(holder.rights.values_list("status", flat=True)) == sorted(
        [RightStatus.VERIFIED, RightStatus.PENDING, RightStatus.REJECTED]
    )


def test_rights_cover_every_kind_and_mostly_verified(loaded):
    assert set(IPRight.objects.values_list("kind", flat=True)) == set(RightKind.values)
    total = IPRight.objects.count()
    verified = IPRight.objects.filter(status=RightStatus.VERIFIED).count()
    assert verified > total / 2
    assert IPRight.objects.filter(status=RightStatus.REJECTED).exists()
    # verifications are made by a person of the verifying unit
    for right in IPRight.objects.exclude(status=RightStatus.PENDING).select_related(
        "verified_by__profile"
    ):
        assert right.verified_by.profile.unit_id == right.verifying_unit_id


def test_leading_group_has_the_plan_shape(loaded):
    group = LeadingGroup.objects.get(name=demo.LEADING_GROUP_NAME)
    seats = list(group.members.all())
    by_position = {p: [s for s in seats if s.position == p] for p in GroupPosition.values}
    assert len(by_position[GroupPosition.LEADER]) == 1
    assert len(by_position[GroupPosition.DEPUTY]) >= 2
    assert len(by_position[GroupPosition.MEMBER]) >= 15
    assert len(by_position[GroupPosition.OFFICE_DIRECTOR]) == 1
    assert group.office_unit.name == "保德县市场监督管理局"
    assert "member" in {s.person.user.username for s in seats}
    # Only the demo login can sign in; the other members have unusable passwords.
    for seat in seats:
        if seat.person.user.username != "member":
            assert not seat.person.user.has_usable_password()
    # No real names from the source document.
    assert not {s.person.display_name for s in seats} & demo._REAL_NAMES


def test_the_demo_command_prints_the_logins(db):
    out = io.StringIO()
    call_command("demo", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8000" in text
    for login in demo.LOGINS:
        assert login.username in text and login.password in text


# -- A believable county ------------------------------------------------------------------------


def _holder_company() -> Entity:
    return RightsHolder.objects.select_related("entity").get(user__username="holder").entity


def test_no_public_or_credit_record_names_the_rights_holder_as_infringer(loaded):
    from ipshield.cases.models import Case
    from ipshield.credit.models import CreditRecord
    from ipshield.publication.models import Publication

    own = _holder_company()
    own_name = normalize_name(own.name)
    records = list(CreditRecord.objects.all())
    assert records
    for record in records:
        assert record.entity_id != own.pk, record.summary
        assert record.subject_uscc != own.uscc and record.subject_name_normalized != own_name
    publications = list(Publication.objects.all())
    assert publications
    for publication in publications:
        assert publication.infringer_uscc != own.uscc
        assert publication.infringer_name_normalized != own_name
    assert not Case.objects.filter(infringer=own).exists()
    assert not Case.objects.filter(infringer_name=own.name).exists()
    # The court's judgment is against the online shop that sold the knock-offs.
    judgment = CreditRecord.objects.get(source="judgment")
    assert judgment.subject_name == credit_demo.JUDGED and judgment.entity is not None


def test_published_decisions_and_typical_cases_exist(loaded, client):
    from ipshield.publication.models import Publication, TypicalCase

    assert Publication.objects.count() >= 3
    published = TypicalCase.objects.filter(published=True)
    assert published.count() >= 2
    # and the public pages show them
    year = timezone.localdate().year  # decision numbers run per year
    assert client.get("/publications/").content.decode().count(f"保市监处罚〔{year}〕") >= 2
    page = client.get(f"/publications/typical-cases/{published.first().pk}/")
    assert page.status_code == 200


def test_decisions_confiscate_goods_disposed_of_or_waiting(loaded):
    from ipshield.cases.models import ConfiscatedGoods
    from ipshield.common import inbox

    goods = ConfiscatedGoods.objects.all()
    assert goods.filter(disposed_on__isnull=False).exists()
    waiting = goods.filter(disposed_on__isnull=True)
    assert waiting.exists()
    officer = get_user_model().objects.get(username="officer")
    listed = {
        item.shown.reference for item in inbox.items_for(officer) if item.kind == "case.dispose"
    }
    assert {g.case.number for g in waiting if g.case.unit_id == officer.profile.unit_id} <= listed
    assert listed


def test_every_listing_is_sold_by_a_shop_that_sells_its_kind_of_goods(loaded):
    from ipshield.monitoring.models import Listing

    listings = list(Listing.objects.all())
    assert listings
    for listing in listings:
        assert listing.category in monitoring_demo.SHOP_CATEGORIES[listing.shop], (
            listing.shop,
            listing.title,
        )
    # every category of the demo has a shop that sells it
    categories = {c for *_rest, c in (*monitoring_demo.KNOCKOFFS, *monitoring_demo.GENUINE)}
    categories |= {c for *_rest, c in monitoring_demo.OTHER}
    assert categories <= set().union(*monitoring_demo.SHOP_CATEGORIES.values())
    shoes = monitoring_demo.SHOP_CATEGORIES["潮鞋馆"]
    assert "红枣" not in shoes and "运动鞋" in shoes


def test_supervision_plans_show_every_light(loaded):
    from ipshield.supervision.demo import COUNTY_PLAN
    from ipshield.supervision.models import IncidentReport, Meeting, Plan, SupervisionNotice
    from ipshield.supervision.selectors import dashboard
    from ipshield.supervision.status import Light

    county = Plan.objects.get(source_name=COUNTY_PLAN.name)
    assert county.measures.count() == 23
    board = dashboard(plan=county)
    assert board.counts[Light.DONE] >= 10
    assert board.counts[Light.OVERDUE] >= 2  # the two measures still open, and a late quarter
    points = Plan.objects.get(title__endswith="知识产权保护工作要点")
    lights = dashboard(plan=points).counts
    assert lights[Light.OVERDUE] and lights[Light.DUE_SOON] and lights[Light.ON_TRACK]
    assert SupervisionNotice.objects.filter(assignment__measure__plan=county).exists()
    assert Meeting.objects.get().decisions.count() == 2
    assert IncidentReport.objects.filter(acknowledged_at__isnull=True).count() == 1


def test_disputes_demo_has_each_reachable_state(loaded):
    from ipshield.disputes.models import Conflict, Dispute, Mediator, Organisation

    statuses = set(Dispute.objects.values_list("status", flat=True))
    assert {"applied", "accepted", "mediating", "failed", "refused", "performed"} <= statuses
    performed = Dispute.objects.get(status="performed")
    assert performed.confirmation.status == "confirmed"
    assert performed.agreement.signatures.count() == 3
    assert Organisation.objects.count() == 5
    assert Mediator.objects.filter(name="冀文秀", user__username="mediator").exists()
    assert Conflict.objects.count() == 1
    usernames = {login.username for login in loaded}
    assert {"judge", "arbitrator", "respondent"} <= usernames
    counts = (Dispute.objects.count(), Mediator.objects.count())
    demo.load()
    assert (Dispute.objects.count(), Mediator.objects.count()) == counts
