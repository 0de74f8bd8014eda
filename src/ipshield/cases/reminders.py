"""Deadline reminders: overdue and due-soon time limits reach the people who handle the case."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from ipshield.accounts.notices import notify, people
from ipshield.cases.deadlines import load_calendar
from ipshield.cases.models import CaseDeadline, DayKind, TimeLimit
from ipshield.cases.selectors import case_link
from ipshield.cases.workcalendar import deadline_provisional_years
from ipshield.cases.workflow import OFFICERS
from ipshield.engines import workdays

DUE_SOON_WORKING_DAYS = 3


@transaction.atomic
def deadline_reminders_send(*, today: dt.date | None = None) -> int:
    """Remind the officers and leaders of each case's unit, at most once a day per limit.
    Returns how many limits were reminded about."""
    today = today or timezone.localdate()
    load_calendar()
    # Due soon: at most DUE_SOON_WORKING_DAYS working days away (deadlines.overdue_state's rule),
    # which includes days off just after the last of them.
    horizon = workdays.add_working_days(today, DUE_SOON_WORKING_DAYS + 1) - dt.timedelta(days=1)
    due = (
        CaseDeadline.objects.select_for_update()
        .filter(met_at__isnull=True, due_on__lte=horizon)
        .exclude(last_reminded_on=today)
        .select_related("case")
    )
    by_unit: dict[int, list] = {}
    kinds = dict(TimeLimit.objects.values_list("key", "day_kind"))
    count = 0
    for deadline in due:
        case = deadline.case
        if case.unit_id not in by_unit:
            by_unit[case.unit_id] = list(people(unit_id=case.unit_id, roles=OFFICERS))
        kind = "deadline.overdue" if deadline.due_on < today else "deadline.soon"
        params = {"number": case.number, "label": deadline.label, "due": str(deadline.due_on)}
        years = deadline_provisional_years(
            day_kind=kinds.get(deadline.key, DayKind.WORKING),
            starts_on=deadline.starts_on,
            due_on=deadline.due_on,
        )
        if years:  # counted across a year whose 调休 schedule nobody confirmed yet
            kind += "_provisional"
            params["years"] = "、".join(str(y) for y in years)
        notify(users=by_unit[case.unit_id], kind=kind, params=params, link=case_link(case))
        deadline.last_reminded_on = today
        deadline.save(update_fields=["last_reminded_on"])
        count += 1
    return count
