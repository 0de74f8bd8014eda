"""The case record anchored in the evidence ledger: edits and deletions of entry rows are found
by `ipshield ledger audit` and on the case page."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from ipshield.cases import anchoring, services, walkthrough
from ipshield.cases.models import CaseEvent, CaseEventAnchor
from ipshield.evidence import ledger
from tests.cases.factories import receive

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "uploads"
    yield tmp_path
    ledger.close_all()


def _lift_protection(cursor):
    if connection.vendor == "postgresql":
        cursor.execute("ALTER TABLE cases_caseevent DISABLE TRIGGER cases_caseevent_no_change")
    else:
        cursor.execute("DROP TRIGGER cases_caseevent_no_update")


def _handled_case(world):
    case = receive(world)
    services.case_accept(actor=world.officer, case=case)
    walkthrough.open_case(case, officer=world.officer, leader=world.leader)
    return case


def test_every_entry_is_anchored_after_commit(world, data_dir):
    case = _handled_case(world)
    events = CaseEvent.objects.filter(case=case)
    assert events.count() >= 3
    assert CaseEventAnchor.objects.filter(event__case=case).count() == events.count()
    log = ledger.evidence_log()
    for event in events.select_related("anchor"):
        assert log.leaf(event.anchor.leaf_index) == anchoring.event_leaf(event)
    check = anchoring.check_case(case)
    assert check.ok and check.pending == 0
    assert anchoring.anchor_pending() == 0
    call_command("ledger", "audit")  # a signed head exists once the key is made


def test_an_edited_entry_is_found_on_the_case_page_and_by_the_audit(world, data_dir, login):
    case = _handled_case(world)
    second = CaseEvent.objects.get(case=case, seq=2)
    with connection.cursor() as cursor:
        _lift_protection(cursor)
        cursor.execute("UPDATE cases_caseevent SET verb = 'note_added' WHERE id = %s", [second.pk])
    check = anchoring.check_case(case)
    assert not check.ok and "第 2 条" in check.problem
    page = login(world.officer).get(f"/workbench/cases/{case.pk}/").content.decode()
    assert "执法记录与存证账本不一致" in page
    with pytest.raises(CommandError) as info:
        call_command("ledger", "audit")
    assert "altered" in str(info.value)


def test_a_deleted_entry_is_found_by_the_audit(world, data_dir):
    case = _handled_case(world)
    last = CaseEvent.objects.filter(case=case).order_by("-seq").first()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE cases_caseevent DISABLE TRIGGER cases_caseevent_no_change")
            cursor.execute("ALTER TABLE cases_caseeventanchor DISABLE TRIGGER ALL")
        cursor.execute("DELETE FROM cases_caseeventanchor WHERE event_id = %s", [last.pk])
        cursor.execute("DELETE FROM cases_caseevent WHERE id = %s", [last.pk])
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE cases_caseeventanchor ENABLE TRIGGER ALL")
    with pytest.raises(CommandError) as info:
        call_command("ledger", "audit")
    assert "deleted" in str(info.value)
