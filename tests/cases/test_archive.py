"""Archiving a closed case (立卷归档, 《行政处罚法》第四十七条): officers of the case's unit file a
closed case once, under an archive number (卷号) given per unit and year without gaps, with its
retention period; every refusal is coded, names its field and leaves nothing behind; the
officers' inbox holds closed cases until they are filed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from ipshield.cases import procedure, services, walkthrough
from ipshield.cases.models import Archive, Case, CaseEvent, DocumentCounter
from ipshield.cases.workflow import Status
from ipshield.common import inbox
from ipshield.common.errors import Conflict, DomainError, InvalidInput, PermissionDenied
from tests.cases.factories import receive

TODAY = timezone.localdate
YEAR = TODAY().year


def _decided(world, **proposal):
    return walkthrough.decide(
        receive(world),
        officer=world.officer,
        reviewer=world.reviewer,
        leader=world.leader,
        amount=3000,
        kinds=["fine"],
        **proposal,
    )


def _closed(world):
    case = services.case_publish(actor=world.officer, case=_decided(world))
    case = walkthrough.close(case, officer=world.officer, leader=world.leader)
    assert case.status == Status.CLOSED
    return case


def _archive(world, case, actor=None, **data):
    return procedure.run_step(procedure.ARCHIVE_CASE, actor or world.officer, case, data)


def _nothing_changed(case):
    events = CaseEvent.objects.filter(case=case).count()
    counters = list(DocumentCounter.objects.filter(kind="archive").values())

    def check():
        assert CaseEvent.objects.filter(case=case).count() == events
        assert not Archive.objects.filter(case=case).exists()
        assert list(DocumentCounter.objects.filter(kind="archive").values()) == counters

    return check


def _offered(case, roles=frozenset({"case_officer"})):
    return procedure.offered_steps(Case.objects.get(pk=case.pk), set(roles))


def test_a_closed_case_is_archived_with_its_number_and_retention(world):
    world.market.document_prefix = "保市监处罚"
    world.market.save(update_fields=["document_prefix"])
    case = _closed(world)
    assert procedure.ARCHIVE_CASE in _offered(case)
    assert procedure.ARCHIVE_CASE in _offered(case, {"unit_leader"})  # OFFICERS
    archive = _archive(world, case, pages="46", note="含扫描件两份")
    assert archive.number == f"保市监档〔{YEAR}〕1号"
    assert (archive.year, archive.sequence) == (YEAR, 1)
    assert archive.retention == "long"  # the default for a penalty case
    assert (archive.volumes, archive.pages, archive.archived_on) == (1, 46, TODAY())
    assert archive.archived_by == world.officer and archive.note == "含扫描件两份"
    case = Case.objects.get(pk=case.pk)
    assert case.status == Status.CLOSED and case.archive == archive
    event = CaseEvent.objects.filter(case=case).order_by("-seq").first()
    assert event.verb == "step_recorded" and event.actor == world.officer
    assert event.after["step"] == "archive_case"
    assert event.after["archive_number"] == archive.number
    assert event.after["retention"] == "long"
    assert procedure.describe_step(event.after) == (
        f"立卷归档；日期：{TODAY().isoformat()}；卷号：{archive.number}；保管期限：长期"
    )
    assert procedure.ARCHIVE_CASE not in _offered(case)


def test_numbers_run_per_unit_and_year_without_gaps(world):
    first, second, third = _closed(world), _closed(world), _closed(world)
    _archive(world, first)
    # A refused attempt takes no number.
    with pytest.raises(InvalidInput):
        _archive(world, second, retention="forever")
    assert _archive(world, second, retention="permanent").number == f"县市场局档〔{YEAR}〕2号"
    # An archive dated last year (closed then) is numbered in that year's own series.
    Case.objects.filter(pk=third.pk).update(closed_at=timezone.now() - dt.timedelta(days=400))
    last_year = TODAY() - dt.timedelta(days=380)
    old = _archive(world, third, archived_on=last_year.isoformat())
    assert old.number == f"县市场局档〔{last_year.year}〕1号"
    numbers = sorted(Archive.objects.filter(year=YEAR).values_list("sequence", flat=True))
    assert numbers == [1, 2]
    counter = DocumentCounter.objects.get(unit=world.market, kind="archive", year=YEAR)
    assert counter.last == 2


def test_archived_twice_is_refused(world):
    case = _closed(world)
    archive = _archive(world, case)
    events = CaseEvent.objects.filter(case=case).count()
    counter = DocumentCounter.objects.get(kind="archive").last
    with pytest.raises(Conflict) as info:
        _archive(world, case, retention="permanent")
    assert info.value.code == "already_archived" and info.value.status == 409
    assert archive.number in str(info.value.message)
    assert CaseEvent.objects.filter(case=case).count() == events
    assert DocumentCounter.objects.get(kind="archive").last == counter
    assert list(Archive.objects.filter(case=case).values_list("retention", flat=True)) == ["long"]


def test_no_archive_before_closing(world):
    case = _decided(world)
    assert procedure.ARCHIVE_CASE not in _offered(case)
    check = _nothing_changed(case)
    with pytest.raises(Conflict) as info:
        _archive(world, case)
    assert info.value.code == "illegal_transition" and info.value.status == 409
    check()


@pytest.mark.parametrize(
    "data, field",
    [
        ({"retention": "forever"}, "retention"),
        ({"volumes": 0}, "volumes"),
        ({"volumes": "two"}, "volumes"),
        ({"volumes": 101}, "volumes"),
        ({"pages": -3}, "pages"),
        ({"pages": "12a"}, "pages"),
        ({"archived_on": "2026-13-01"}, "archived_on"),
        ({"archived_on": "2999-01-01"}, "archived_on"),
        ({"archived_on": "2000-01-01"}, "archived_on"),  # before closing
        ({"note": "备" * 2001}, "note"),
    ],
)
def test_bad_input_is_refused_with_the_field(world, data, field):
    case = _closed(world)
    check = _nothing_changed(case)
    with pytest.raises(InvalidInput) as info:
        _archive(world, case, **data)
    assert info.value.field == field and info.value.status == 400
    check()


def test_only_the_units_officers_archive(world):
    case = _closed(world)
    check = _nothing_changed(case)
    with pytest.raises(DomainError) as info:  # another unit's officer
        _archive(world, case, actor=world.officer_other)
    assert info.value.code in ("not_found", "not_case_owner")
    with pytest.raises(PermissionDenied) as info:
        _archive(world, case, actor=world.reviewer)
    assert info.value.code == "role_not_allowed"
    check()


def test_the_inbox_holds_closed_cases_until_archived(world):
    decided = _decided(world)

    def kinds(user):
        return {i.kind for i in inbox.items_for(user)}

    assert "case.archive" not in kinds(world.officer)
    case = services.case_publish(actor=world.officer, case=decided)
    case = walkthrough.close(case, officer=world.officer, leader=world.leader)
    assert "case.archive" in kinds(world.officer)
    assert inbox.counts_for(world.officer)["case.archive"] == 1
    assert "case.archive" not in kinds(world.leader)  # the case officers' own work
    assert "case.archive" not in kinds(world.officer_other)  # another unit's
    _archive(world, case)
    assert "case.archive" not in kinds(world.officer)


def test_the_case_page_takes_the_form_and_shows_the_archive(world, login):
    case = _closed(world)
    officer = login(world.officer)
    url = reverse("workbench:case-act", args=[case.pk, procedure.ARCHIVE_CASE])
    page = officer.get(reverse("workbench:case-detail", args=[case.pk])).content.decode()
    assert url in page and "保管期限" in page
    response = officer.post(url, {"retention": "long", "volumes": "0"})
    assert response.status_code == 400
    assert "册数须在 1 到 100 之间。" in response.content.decode()
    assert not Archive.objects.filter(case=case).exists()
    response = officer.post(url, {"retention": "permanent", "volumes": "2", "pages": "120"})
    assert response.status_code == 302, response.content[:2000]
    page = officer.get(reverse("workbench:case-detail", args=[case.pk])).content.decode()
    number = Archive.objects.get(case=case).number
    assert f'data-testid="archive-number">{number}<' in page
    assert 'data-testid="archive-retention">永久<' in page
    assert url not in page
    officer.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = officer.get(reverse("workbench:case-detail", args=[case.pk])).content.decode()
    assert "Archive number" in page and "Permanent" in page


def test_the_api_archives_through_the_step_endpoint(world, login):
    case = _closed(world)
    officer = login(world.officer)
    url = f"/api/v1/cases/{case.pk}/actions/archive_case"
    response = officer.post(url, {"retention": "never"}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["field"] == "retention"
    response = officer.post(
        url, {"retention": "short", "pages": 30, "note": "备考"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert "archive_case" not in response.json()["allowed_actions"]
    assert Archive.objects.get(case=case).retention == "short"
    response = officer.post(url, {}, content_type="application/json")
    assert response.status_code == 409 and response.json()["code"] == "already_archived"


def test_the_refusals_and_record_read_in_english(world):
    case = _closed(world)
    with translation.override("en"):
        with pytest.raises(InvalidInput) as info:
            _archive(world, case, retention="x")
        assert str(info.value.message) == (
            "Choose the retention period: permanent, long-term or short-term."
        )
        with pytest.raises(InvalidInput) as info:
            _archive(world, case, archived_on="2000-01-01")
        assert str(info.value.message) == "The archiving date cannot be before the closing date."
        with pytest.raises(InvalidInput) as info:
            _archive(world, case, volumes=0)
        assert str(info.value.message) == "Volumes must be between 1 and 100."
        with pytest.raises(InvalidInput) as info:
            _archive(world, case, pages="x")
        assert str(info.value.message) == "Pages must be a whole number."
        archive = _archive(world, case)
        with pytest.raises(Conflict) as info:
            _archive(world, case)
        assert str(info.value.message) == (
            f"This case was archived on {archive.archived_on.isoformat()} "
            f"under archive number {archive.number}."
        )
        assert procedure.describe_step(
            {"step": "archive_case", "archive_number": "A-1", "retention": "long"}
        ) == ("Archive the case file; Archive number: A-1; Retention period: Long-term")
        from ipshield.cases.inbox import KINDS

        assert str(KINDS["case.archive"].label) == "Closed, to be archived"
