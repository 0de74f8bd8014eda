"""Deadline reminders: overdue and due-soon time limits reach the people who handle the case."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ipshield.accounts.services import notify
from ipshield.cases.deadlines import load_calendar
from ipshield.cases.models import CaseDeadline, TimeLimit
from ipshield.cases.workcalendar import deadline_notice
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
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=["case_officer", "unit_leader"])
        .distinct()
    )
    by_unit: dict[int, list] = {}
    kinds = dict(TimeLimit.objects.values_list("key", "day_kind"))
    count = 0
    for deadline in due:
        case = deadline.case
        if case.unit_id not in by_unit:
            by_unit[case.unit_id] = list(users.filter(profile__unit_id=case.unit_id))
        if deadline.due_on < today:
            message = _("【已超期】%(number)s %(label)s 已于 %(due)s 届满") % {
                "number": case.number,
                "label": deadline.label,
                "due": deadline.due_on,
            }
        else:
            message = _("【即将到期】%(number)s %(label)s 将于 %(due)s 届满") % {
                "number": case.number,
                "label": deadline.label,
                "due": deadline.due_on,
            }
        notice = deadline_notice(deadline, kinds)  # counted across an unconfirmed year
        if notice:
            message = f"{message}（{notice}）"
        notify(users=by_unit[case.unit_id], message=message, link=f"/workbench/cases/{case.pk}/")
        deadline.last_reminded_on = today
        deadline.save(update_fields=["last_reminded_on"])
        count += 1
    return count
