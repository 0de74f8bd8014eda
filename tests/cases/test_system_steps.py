"""Steps the platform takes by itself (triage, duplicate detection, statutory deadlines) are
recorded as the system's, not as the complainant's."""

from __future__ import annotations

import re

from ipshield.cases import pdf, record
from ipshield.cases.models import CaseEventVerb
from tests.cases.test_intake import _complain, _report, right  # noqa: F401 -- the fixture

SYSTEM_STEPS = {CaseEventVerb.TRIAGED, CaseEventVerb.DEADLINE_SET, CaseEventVerb.DUPLICATE_LINKED}


def test_automatic_steps_are_the_systems_in_the_case_record(world, right, login):  # noqa: F811
    _complain(world, right)
    case = _complain(world, right).case  # the same infringer and right again: a duplicate
    holder = world.holder_user.profile.display_name

    rows = {row.verb: row for row in pdf.entries(case)}
    assert set(rows) >= SYSTEM_STEPS
    assert rows[CaseEventVerb.RECEIVED].actor == holder  # filing is the complainant's own step
    for verb in SYSTEM_STEPS:
        assert rows[verb].actor == "系统" and rows[verb].unit == "", verb
        event = case.events.get(verb=verb)
        assert event.actor_id is None and record.by_system(event)
    assert record.verify_chain(case) is None  # the marker is part of the hashed entry

    # The page officers read says the same, in both languages.
    client = login(world.officer)
    page = client.get(f"/workbench/cases/{case.pk}/").content.decode()
    who = dict(re.findall(r'data-verb="(\w+)".*?<div class="who">([^<]*)</div>', page, re.S))
    assert who["triaged"].strip() == "系统" and who["deadline_set"].strip() == "系统"
    assert holder in who["received"]
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(f"/workbench/cases/{case.pk}/").content.decode()
    who = dict(re.findall(r'data-verb="(\w+)".*?<div class="who">([^<]*)</div>', page, re.S))
    assert who["triaged"].strip() == "System"


def test_an_anonymous_report_is_not_called_the_system(world):
    case = _report(world).case
    rows = {row.verb: row for row in pdf.entries(case)}
    assert rows[CaseEventVerb.RECEIVED].actor != "系统"
    assert rows[CaseEventVerb.TRIAGED].actor == "系统"
