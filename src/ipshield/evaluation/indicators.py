"""The computed indicators: one function per indicator, one registry.

Each function reads one year of one kind of record in a single bounded query (the year's rows
of every unit, only the columns it needs; no query per record) and returns, per unit id, a
:class:`Tally`: the numerator, the denominator and the ids of the records behind them, so that
a score can be drilled down to exactly the records it counted. ``rows`` turns ids back into the
lines of the drill-down page (one query).

A record belongs to the year in which its time limit falls due (or, for records without one,
the year it was made). A limit still running today is not counted yet — neither as met nor as
missed — unless it was already met. Time limits in working days are the Chinese official
calendar (``engines.workdays`` with the administrators' overrides, ``cases.deadlines``). The
limits of complaints, decisions and publication are the ones the case already carries
(``cases.CaseDeadline``, computed by ``cases.deadlines`` from the statutory ``TimeLimit`` rows
with any time that does not count); their legal sources are in docs/legal-sources.md.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ipshield.cases import deadlines
from ipshield.cases.models import CaseDeadline, Source
from ipshield.engines import workdays


@dataclass
class Tally:
    """One unit's figures for one indicator."""

    numerator: Decimal = Decimal(0)
    denominator: Decimal = Decimal(0)
    ids: list[int] = field(default_factory=list)  # every record counted
    met_ids: list[int] = field(default_factory=list)  # those that met the limit

    @property
    def share(self) -> Decimal | None:
        if not self.denominator:
            return None
        return self.numerator / self.denominator


@dataclass(frozen=True)
class Row:
    """One line of the drill-down: a record, whether it met the indicator, where to open it."""

    id: int
    label: str
    detail: str
    met: bool | None
    url: str | None


@dataclass(frozen=True)
class Computed:
    code: str
    name: Promise
    basis: Promise  # the rule measured and its source, shown on the sheet and the drill-down
    compute: Callable[[int, dt.date, int | None], dict[int, Tally]]
    rows: Callable[[list[int], set[int]], list[Row]]
    weight: Decimal
    rule: str = "share"
    target: Decimal | None = None
    limit_days: int | None = None  # the office may change it; None: the limit is the case's own


def _year(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _aware_range(year: int) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (
        dt.datetime(year, 1, 1, tzinfo=tz),
        dt.datetime(year + 1, 1, 1, tzinfo=tz),
    )


def _local(value: dt.datetime | None) -> dt.date | None:
    if value is None:
        return None
    return value.astimezone(timezone.get_current_timezone()).date()


def _localizer() -> Callable[[dt.datetime], dt.date]:
    """The local day of a time, with the time zone looked up once (it costs more than the
    conversion)."""
    tz = timezone.get_current_timezone()
    return lambda value: value.astimezone(tz).date()


def _count(
    rows: Iterable[tuple[int, int | None, dt.date | None, dt.date | None]], today: dt.date
) -> dict[int, Tally]:
    """Rows of (record id, unit id, due date, date done or None) → tallies. A record is counted
    when it was done or its limit has passed; it meets the limit when done on or before it."""
    tallies: dict[int, Tally] = defaultdict(Tally)
    for record_id, unit_id, due, done in rows:
        if unit_id is None or due is None or (done is None and due >= today):
            continue
        tally = tallies[unit_id]
        tally.denominator += 1
        tally.ids.append(record_id)
        if done is not None and done <= due:
            tally.numerator += 1
            tally.met_ids.append(record_id)
    return dict(tallies)


def _working_due(start: dt.date, days: int) -> dt.date:
    return workdays.add_working_days(start, days)


# --- the limits cases carry --------------------------------------------------------------------


def _case_limit(key: str, *, complaints_only: bool = False):
    def compute(year: int, today: dt.date, limit_days: int | None) -> dict[int, Tally]:
        start, end = _year(year)
        query = CaseDeadline.objects.filter(key=key, due_on__range=(start, end)).filter(
            Q(met_at__isnull=False) | Q(due_on__lt=today)
        )
        if complaints_only:
            query = query.filter(case__source=Source.COMPLAINT)
        # One limit of a kind per case; the case's id is the record the page links to. The
        # database gives the local day it was met (the time zone is the site's).
        return _count(
            query.annotate(met_on=TruncDate("met_at")).values_list(
                "case_id", "case__unit_id", "due_on", "met_on"
            ),
            today,
        )

    def rows(ids: list[int], met: set[int]) -> list[Row]:
        found = {
            d.case_id: d
            for d in CaseDeadline.objects.filter(key=key, case_id__in=ids).select_related("case")
        }
        out = []
        for case_id in ids:
            d = found.get(case_id)
            if d is None:
                continue
            done = _local(d.met_at)
            out.append(
                Row(
                    id=case_id,
                    label=f"{d.case.number} {d.case.title}",
                    detail=str(
                        _("期限 %(due)s，完成 %(done)s")
                        % {"due": d.due_on.isoformat(), "done": done.isoformat() if done else "—"}
                    ),
                    met=case_id in met,
                    url=reverse("workbench:case-detail", args=[case_id]),
                )
            )
        return out

    return compute, rows


# --- file review -------------------------------------------------------------------------------


def _file_reviews(year: int, today: dt.date, limit_days: int | None) -> dict[int, Tally]:
    from ipshield.publication.models import FileReview

    tallies: dict[int, Tally] = defaultdict(Tally)
    for review_id, unit_id, points, maximum in FileReview.objects.filter(
        reviewed_at__range=_aware_range(year)
    ).values_list("id", "unit_id", "total_points", "max_points"):
        tally = tallies[unit_id]
        tally.numerator += points
        tally.denominator += maximum
        tally.ids.append(review_id)
    return dict(tallies)


def _file_review_rows(ids: list[int], met: set[int]) -> list[Row]:
    from ipshield.publication.models import FileReview

    found = {r.pk: r for r in FileReview.objects.filter(pk__in=ids).select_related("case")}
    return [
        Row(
            id=i,
            label=f"{found[i].case.number} {found[i].case.title}",
            detail=str(
                _("得分 %(points)s / %(max)s")
                % {"points": found[i].total_points, "max": found[i].max_points}
            ),
            met=None,
            url=reverse("workbench:case-detail", args=[found[i].case_id]),
        )
        for i in ids
        if i in found
    ]


# --- cooperation -------------------------------------------------------------------------------


def _assistance(year: int, today: dt.date, limit_days: int | None) -> dict[int, Tally]:
    from ipshield.cooperation.models import AssistanceRequest

    start, end = _year(year)
    local = _localizer()
    query = AssistanceRequest.objects.filter(due_on__range=(start, end)).filter(
        Q(answered_at__isnull=False) | Q(due_on__lt=today)
    )
    return _count(
        (
            (pk, unit_id, due, local(answered) if answered else None)
            for pk, unit_id, due, answered in query.values_list(
                "id", "to_unit_id", "due_on", "answered_at"
            )
        ),
        today,
    )


def _assistance_rows(ids: list[int], met: set[int]) -> list[Row]:
    from ipshield.cooperation.models import AssistanceRequest

    found = {
        r.pk: r
        for r in AssistanceRequest.objects.filter(pk__in=ids).select_related("case", "from_unit")
    }
    out = []
    for i in ids:
        r = found.get(i)
        if r is None:
            continue
        answered = _local(r.answered_at)
        out.append(
            Row(
                id=i,
                label=f"{r.case.number} {r.from_unit.name}",
                detail=str(
                    _("期限 %(due)s，答复 %(done)s")
                    % {
                        "due": r.due_on.isoformat(),
                        "done": answered.isoformat() if answered else "—",
                    }
                ),
                met=i in met,
                url=reverse("workbench:coop-request", args=[i]),
            )
        )
    return out


def _transfers(year: int, today: dt.date, limit_days: int | None) -> dict[int, Tally]:
    from ipshield.cooperation.models import Transfer
    from ipshield.cooperation.workflow import TransferStatus

    deadlines.load_calendar()
    days = limit_days or 5
    local = _localizer()
    query = Transfer.objects.filter(proposed_at__range=_aware_range(year)).exclude(
        status=TransferStatus.WITHDRAWN
    )
    return _count(
        (
            (
                pk,
                unit_id,
                _working_due(local(proposed), days),
                local(answered) if answered else None,
            )
            for pk, unit_id, proposed, answered in query.values_list(
                "id", "to_unit_id", "proposed_at", "answered_at"
            )
        ),
        today,
    )


def _transfer_rows(ids: list[int], met: set[int]) -> list[Row]:
    from ipshield.cooperation.models import Transfer

    found = {
        t.pk: t for t in Transfer.objects.filter(pk__in=ids).select_related("case", "from_unit")
    }
    out = []
    for i in ids:
        t = found.get(i)
        if t is None:
            continue
        answered = _local(t.answered_at)
        out.append(
            Row(
                id=i,
                label=f"{t.case.number} {t.from_unit.name}",
                detail=str(
                    _("移送 %(sent)s，答复 %(done)s")
                    % {
                        "sent": timezone.localdate(t.proposed_at).isoformat(),
                        "done": answered.isoformat() if answered else "—",
                    }
                ),
                met=i in met,
                url=reverse("workbench:coop-transfer", args=[i]),
            )
        )
    return out


# --- plan supervision --------------------------------------------------------------------------


def _assignments(year: int, today: dt.date, limit_days: int | None) -> dict[int, Tally]:
    from ipshield.supervision.models import Assignment, PlanStatus

    start, end = _year(year)
    query = (
        Assignment.objects.filter(due_on__range=(start, end))
        .exclude(measure__plan__status=PlanStatus.DRAFT)
        .filter(Q(done_on__isnull=False) | Q(due_on__lt=today))
    )
    return _count(query.values_list("id", "unit_id", "due_on", "done_on"), today)


def _assignment_rows(ids: list[int], met: set[int]) -> list[Row]:
    from ipshield.supervision.models import Assignment

    found = {a.pk: a for a in Assignment.objects.filter(pk__in=ids).select_related("measure__plan")}
    out = []
    for i in ids:
        a = found.get(i)
        if a is None:
            continue
        out.append(
            Row(
                id=i,
                label=f"{a.measure.plan.title} {a.measure.number} {a.measure.title}",
                detail=str(
                    _("期限 %(due)s，完成 %(done)s")
                    % {
                        "due": a.due_on.isoformat() if a.due_on else "—",
                        "done": a.done_on.isoformat() if a.done_on else "—",
                    }
                ),
                met=i in met,
                url=reverse("workbench:supervision-measure", args=[a.measure_id]),
            )
        )
    return out


# --- monitoring --------------------------------------------------------------------------------


def _alerts(year: int, today: dt.date, limit_days: int | None) -> dict[int, Tally]:
    from ipshield.monitoring.models import Alert, AlertStatus

    deadlines.load_calendar()
    days = limit_days or 5
    local = _localizer()
    rows = []
    for pk, unit_id, created, status, handled in Alert.objects.filter(
        created_at__range=_aware_range(year)
    ).values_list("id", "unit_id", "created_at", "status", "handled_at"):
        done = local(handled) if handled and status != AlertStatus.OPEN else None
        if status != AlertStatus.OPEN and done is None:
            done = local(created)
        rows.append((pk, unit_id, _working_due(local(created), days), done))
    return _count(rows, today)


def _alert_rows(ids: list[int], met: set[int]) -> list[Row]:
    from ipshield.monitoring.models import Alert

    found = {a.pk: a for a in Alert.objects.filter(pk__in=ids).select_related("listing", "mark")}
    out = []
    for i in ids:
        a = found.get(i)
        if a is None:
            continue
        handled = _local(a.handled_at)
        out.append(
            Row(
                id=i,
                label=f"{a.mark.name} · {a.listing.title[:60]}",
                detail=str(
                    _("预警 %(at)s，%(status)s %(done)s")
                    % {
                        "at": timezone.localdate(a.created_at).isoformat(),
                        "status": a.get_status_display(),
                        "done": handled.isoformat() if handled else "",
                    }
                ),
                met=i in met,
                url=reverse("monitoring:alert", args=[i]),
            )
        )
    return out


# --- credit ------------------------------------------------------------------------------------


def _credit(year: int, today: dt.date, limit_days: int | None) -> dict[int, Tally]:
    from ipshield.credit.models import CreditRecord, RecordStatus

    deadlines.load_calendar()
    days = limit_days or 20
    local = _localizer()
    start, end = _year(year)
    query = CreditRecord.objects.filter(decided_on__range=(start, end)).exclude(
        status=RecordStatus.REMOVED
    )
    return _count(
        (
            (pk, unit_id, _working_due(decided, days), local(created))
            for pk, unit_id, decided, created in query.values_list(
                "id", "unit_id", "decided_on", "created_at"
            )
        ),
        # A record exists once made: counted whether or not its limit is still running.
        dt.date.min,
    )


def _credit_rows(ids: list[int], met: set[int]) -> list[Row]:
    from ipshield.credit.models import CreditRecord

    found = {r.pk: r for r in CreditRecord.objects.filter(pk__in=ids)}
    out = []
    for i in ids:
        r = found.get(i)
        if r is None:
            continue
        out.append(
            Row(
                id=i,
                label=f"{r.subject_name} {r.document_number}".strip(),
                detail=str(
                    _("作出 %(decided)s，录入 %(created)s")
                    % {
                        "decided": r.decided_on.isoformat(),
                        "created": timezone.localdate(r.created_at).isoformat(),
                    }
                ),
                met=i in met,
                url=None,
            )
        )
    return out


_complaints = _case_limit(deadlines.ACCEPT_COMPLAINT, complaints_only=True)
_decisions = _case_limit(deadlines.DECIDE_CASE)
_publications = _case_limit(deadlines.PUBLISH_PENALTY)

COMPLAINTS = "complaints_decided"
DECISIONS = "cases_decided"
PUBLICATIONS = "penalties_published"
FILE_REVIEWS = "file_reviews"
ASSISTANCE = "assistance_answered"
TRANSFERS = "transfers_acknowledged"
ASSIGNMENTS = "assignments_on_time"
ALERTS = "alerts_handled"
CREDIT = "credit_on_time"

REGISTRY: dict[str, Computed] = {
    c.code: c
    for c in [
        Computed(
            COMPLAINTS,
            _("投诉按时作出受理决定率"),
            _(
                "自收到投诉之日起七个工作日内作出受理或者不予受理的决定（《市场监督管理投诉举报处理暂行办法》第十四条）"
            ),
            _complaints[0],
            _complaints[1],
            weight=Decimal(10),
        ),
        Computed(
            DECISIONS,
            _("案件按期办结率"),
            _(
                "在案件的办案期限内作出处理决定（《市场监督管理行政处罚程序规定》第六十四条，扣除不计入期限的时间）"
            ),
            _decisions[0],
            _decisions[1],
            weight=Decimal(15),
        ),
        Computed(
            PUBLICATIONS,
            _("行政处罚信息按时公示率"),
            _(
                "自作出行政处罚决定之日起二十个工作日内公示（《市场监督管理行政处罚信息公示规定》第九条）"
            ),
            _publications[0],
            _publications[1],
            weight=Decimal(10),
        ),
        Computed(
            FILE_REVIEWS,
            _("案卷评查得分率"),
            _("当年案卷评查得分之和除以满分之和"),
            _file_reviews,
            _file_review_rows,
            weight=Decimal(15),
        ),
        Computed(
            ASSISTANCE,
            _("协办请求按期答复率"),
            _("在请求单位确定的办理期限内答复或者说明理由拒绝"),
            _assistance,
            _assistance_rows,
            weight=Decimal(10),
        ),
        Computed(
            TRANSFERS,
            _("移送案件按时签收率"),
            _("自移送之日起在规定工作日内接收或者拒收（时限由领导组办公室确定）"),
            _transfers,
            _transfer_rows,
            weight=Decimal(5),
            limit_days=5,
        ),
        Computed(
            ASSIGNMENTS,
            _("督办任务按期完成率"),
            _("实施方案的责任分工在完成期限内完成"),
            _assignments,
            _assignment_rows,
            weight=Decimal(20),
        ),
        Computed(
            ALERTS,
            _("监测预警按时处置率"),
            _("自预警产生之日起在规定工作日内排除或者转为线索（时限由领导组办公室确定）"),
            _alerts,
            _alert_rows,
            weight=Decimal(5),
            limit_days=5,
        ),
        Computed(
            CREDIT,
            _("信用记录按时归集率"),
            _("自作出决定之日起二十个工作日内形成信用记录（《企业信息公示暂行条例》第六条第二款）"),
            _credit,
            _credit_rows,
            weight=Decimal(10),
            limit_days=20,
        ),
    ]
}


def compute(
    code: str, year: int, *, today: dt.date | None = None, limit_days: int | None = None
) -> dict[int, Tally]:
    """Every unit's tally of the computed indicator ``code`` for ``year``."""
    return REGISTRY[code].compute(year, today or timezone.localdate(), limit_days)


def drill_rows(code: str, ids: list[int], met_ids: Iterable[int]) -> list[Row]:
    return REGISTRY[code].rows(list(ids)[:MAX_ROWS], set(met_ids))


MAX_ROWS = 2000  # a drill-down page lists at most this many records (a unit's year holds fewer)
