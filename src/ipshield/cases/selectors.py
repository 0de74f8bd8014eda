"""Reads of cases, scoped by unit like every other unit-owned record."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Any

from django.db import connection
from django.db.models import BigIntegerField, F, Func, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone

from ipshield.accounts.selectors import scope_to_unit, sees_all_units
from ipshield.cases.models import NUMBER_PREFIXES, Case, CaseEvent, CaseEventVerb, DecisionKind
from ipshield.cases.workflow import Action, Status
from ipshield.common.fulltext import TRIGRAM, fts_match, fts_table
from ipshield.common.validation import search_text
from ipshield.engines.text import normalize_name
from ipshield.registry.models import IPRight, RightStatus

# The columns a list of cases shows (the workbench list, the API's CaseOut). Lists load only
# these: no descriptions or decision texts, and seven fewer timestamps to parse per row, which
# was a tenth of a list request's time under load (benchmarks/load.py).
LIST_FIELDS = (
    "id",
    "number",
    "title",
    "source",
    "track",
    "status",
    "unit_id",
    "deadline",
    "deadline_label",
    "received_at",
    "unit__id",
    "unit__name",
    "unit__short_name",
)


def case_list(
    *,
    actor: Any,
    status: str = "",
    unit_id: int | None = None,
    track: str = "",
    source: str = "",
    due: str = "",
    today: dt.date | None = None,
    q: str = "",
) -> QuerySet[Case]:
    """The cases ``actor`` may see, filtered, earliest deadline first (cases without one last).

    ``due`` is "overdue" or "soon" (open cases due within 3 working days); ``q`` searches
    (see :func:`case_search`)."""
    from ipshield.cases.models import Source, Track
    from ipshield.cases.workflow import FINAL

    cases = scope_to_unit(Case.objects.all(), actor=actor, unit_field="unit")
    if status in Status.values:
        cases = cases.filter(status=status)
    if unit_id:
        cases = cases.filter(unit_id=unit_id)
    if track in Track.values:
        cases = cases.filter(track=track)
    if source in Source.values:
        cases = cases.filter(source=source)
    if due in ("overdue", "soon"):
        today = today or timezone.localdate()
        cases = cases.exclude(status__in=FINAL)
        if due == "overdue":
            cases = cases.filter(deadline__lt=today)
        else:
            cases = cases.filter(deadline__gte=today, deadline__lt=due_soon_before(today))
    cases = case_search(cases, q, scoped=bool(unit_id) or not sees_all_units(actor))
    return cases.select_related("unit").order_by(
        F("deadline").asc(nulls_last=True), "-received_at", "-id"
    )


# A case number as people type it: two letters and digits ("TS20260312004711", or its start), or
# digits alone (then after any of the numbers' letters).
_NUMBER = re.compile(r"(?:[A-Z]{2}\d{4,22}|\d{8,22})")
SEARCH_TERMS_MAX = 8  # words of a query that must all match; more are not a case search


def case_search(cases: QuerySet[Case], q: str, *, scoped: bool = True) -> QuerySet[Case]:
    """``cases`` narrowed to those ``q`` finds.

    A query that looks like a case number (full width and spaces allowed, any case) finds the
    case with that number or the cases whose number starts with it. Any other query is split
    into words and finds the cases whose parties' names, title or description contain every word
    (up to eight), compared as ``search_document`` stores them: Traditional or Simplified,
    full or half width, with or without spaces next to Chinese. Refused and invisible
    characters are dropped and nothing of the query reaches SQL but as a bound parameter.

    ``scoped``: ``cases`` are one unit's (an officer's list), not every unit's (an auditor's).
    """
    q = search_text(q)
    if not q:
        return cases
    compact = "".join(unicodedata.normalize("NFKC", q).split()).upper()
    if _NUMBER.fullmatch(compact):
        starts = [compact] if compact[0].isalpha() else [p + compact for p in NUMBER_PREFIXES]
        number = Q()
        for start in starts:
            number |= _number_starts(start)
        return cases.filter(number)
    terms: list[str] = []
    for word in q.split():
        term = normalize_name(word)
        if term and term not in terms:
            terms.append(term)
    terms = terms[:SEARCH_TERMS_MAX]
    if not terms:
        return cases
    indexed = [term for term in terms if len(term) >= TRIGRAM]
    if indexed and fts_table("cases_case_search"):
        # SQLite: the FTS5 trigram table of migration 0013 finds the rows; PostgreSQL's pg_trgm
        # index serves the LIKEs below by itself. The LIKEs stay on SQLite too: they check the
        # short terms and keep the answer exact.
        matches = RawSQL(
            "SELECT rowid FROM cases_case_search WHERE cases_case_search MATCH %s",
            [fts_match(indexed)],
        )
        if scoped:
            # Left to itself SQLite fetches every matching row of every unit by id (a common
            # word: 33,000 rows, 130 ms in benchmarks/cases.py); "+id" makes it walk the unit's
            # index instead and test each id against the matches before reading the row (20 ms).
            cases = cases.alias(_search_id=_Unindexed(F("pk"))).filter(_search_id__in=matches)
        else:
            cases = cases.filter(pk__in=matches)
    for term in terms:
        cases = cases.filter(search_text__contains=term)
    return cases


class _Unindexed(Func):
    """``+x``: the same value, which SQLite's planner will not look up through an index."""

    template = "+%(expressions)s"
    output_field = BigIntegerField()


def _number_starts(start: str) -> Q:
    if connection.vendor == "sqlite":
        # SQLite's LIKE ignores case and so cannot use the number's index; numbers are ASCII
        # letters and digits, all below "~", so this range is "starts with" on the index.
        return Q(number__gte=start, number__lt=start + "~")
    # PostgreSQL: Django's varchar_pattern_ops index on the unique number serves LIKE 'x%'.
    return Q(number__startswith=start)


def prior_penalties(entity: Any, *, years: int = 5) -> int:
    """How many penalty decisions ``entity`` received in the last ``years`` years."""
    if entity is None:
        return 0
    since = timezone.now() - dt.timedelta(days=365 * years)
    return Case.objects.filter(
        infringer=entity, decision_kind=DecisionKind.PENALTY, decided_at__gte=since
    ).count()


def case_visible_to(*, actor: Any, case_id: int) -> bool:
    return case_list(actor=actor).filter(pk=case_id).exists()


def case_record(*, case: Case, public_only: bool = False) -> QuerySet[CaseEvent]:
    events = CaseEvent.objects.filter(case=case).select_related("actor__profile", "unit")
    if public_only:
        events = events.filter(public=True)
    return events.order_by("seq")


def due_soon_before(today: dt.date) -> dt.date:
    """The first day that is no longer "due soon" (more than 3 working days after ``today``);
    the same rule as ``deadlines.overdue_state``, as a date a query can compare with."""
    from ipshield.cases import deadlines
    from ipshield.engines import workdays

    deadlines.load_calendar()
    return workdays.add_working_days(today, 4)


def case_deadline_counts(*, actor: Any) -> dict[str, int]:
    """How many of the cases ``actor`` sees are still open and overdue, or due within 3 working
    days — the two warning tiles of the workbench home, in one query."""
    from django.db.models import Count, Q

    from ipshield.cases.workflow import FINAL

    today = timezone.localdate()
    counts = (
        case_list(actor=actor)
        .exclude(status__in=FINAL)
        .filter(deadline__isnull=False)
        .order_by()
        .aggregate(
            overdue=Count("id", filter=Q(deadline__lt=today)),
            due_soon=Count(
                "id", filter=Q(deadline__gte=today, deadline__lt=due_soon_before(today))
            ),
        )
    )
    return {"cases_overdue": counts["overdue"], "cases_due_soon": counts["due_soon"]}


# -- The public side: what submitters may see of their own cases ---------------------------------
# The portal's status page and the API's /track read only through these, so that nothing internal
# (notes, triage, deadlines, who handled it, other people's identity) can reach a template.

# The steps the public sees, in order. Legal review is part of the investigation to the public.
PUBLIC_STEPS: tuple[str, ...] = (
    Status.RECEIVED,
    Status.ACCEPTED,
    Status.INVESTIGATING,
    Status.DECIDED,
    Status.PUBLISHED,
    Status.CLOSED,
)
_PUBLIC_STEP_OF: dict[str, str] = {
    Status.OPENING_REVIEW: Status.ACCEPTED,
    Status.CASE_REVIEW: Status.INVESTIGATING,
    Status.LEGAL_REVIEW: Status.INVESTIGATING,
    Status.LEADER_APPROVAL: Status.INVESTIGATING,
    Status.NOTICE: Status.INVESTIGATING,
    Status.HEARING: Status.INVESTIGATING,
}


@dataclass(frozen=True)
class PublicStep:
    status: str
    label: str
    state: str  # "done", "current", "todo" or "skipped"


@dataclass(frozen=True)
class PublicProgress:
    status: str
    status_label: str
    steps: list[PublicStep]
    rejected: bool
    suspended: bool


@dataclass(frozen=True)
class PublicEntry:
    at: dt.datetime
    verb: str
    label: str
    status: str = ""
    status_label: str = ""
    detail: str = ""


def cases_submitted_by(user: Any) -> QuerySet[Case]:
    """The cases a signed-in person submitted themselves (complaints, real-name reports)."""
    if not getattr(user, "is_authenticated", False):
        return Case.objects.none()
    return Case.objects.filter(submitted_by=user).order_by("-received_at", "-id")


def case_submitted_by(user: Any, number: str) -> Case | None:
    """The submitter's own case by tracking number: they may follow it without the code."""
    number = (number or "").strip().upper()
    return cases_submitted_by(user).filter(number=number).select_related("unit").first()


def complainable_rights(user: Any) -> QuerySet[IPRight]:
    """The verified rights a signed-in rights holder may complain about."""
    if not getattr(user, "is_authenticated", False):
        return IPRight.objects.none()
    return IPRight.objects.filter(holder__user=user, status=RightStatus.VERIFIED).order_by(
        "kind", "registration_number"
    )


def public_status(status: str) -> tuple[str, str]:
    """The status a submitter sees, and its label: internal review stages fold into 调查中."""
    shown = _PUBLIC_STEP_OF.get(status, status)
    return shown, str(Status(shown).label) if shown in Status.values else shown


def public_progress(case: Case) -> PublicProgress:
    """Where the case stands, as the step indicator on the status page shows it."""
    status = case.status
    rejected = status in (Status.REJECTED, Status.NOT_OPENED)
    suspended = status == Status.SUSPENDED
    if rejected:
        label = str(Status(status).label)
        steps = [PublicStep(Status.RECEIVED, str(Status.RECEIVED.label), "done")]
        if status == Status.NOT_OPENED:
            steps.append(PublicStep(Status.ACCEPTED, str(Status.ACCEPTED.label), "done"))
        steps.append(PublicStep(status, label, "current"))
        return PublicProgress(status, label, steps, True, False)
    effective = (case.status_before_suspension or Status.INVESTIGATING) if suspended else status
    effective = _PUBLIC_STEP_OF.get(effective, effective)
    reached = PUBLIC_STEPS.index(effective) if effective in PUBLIC_STEPS else 0
    steps = []
    for index, step in enumerate(PUBLIC_STEPS):
        if index < reached:
            # A decision without a penalty is not published: that step is passed over.
            skipped = step == Status.PUBLISHED and case.published_at is None
            state = "skipped" if skipped else "done"
        elif index == reached:
            state = "done" if step == Status.CLOSED else "current"
        else:
            state = "todo"
        steps.append(PublicStep(step, str(Status(step).label), state))
    return PublicProgress(status, str(Status(status).label), steps, False, suspended)


def public_timeline(case: Case) -> list[PublicEntry]:
    """The public entries of the case record, stripped to what the submitter may read.

    Notes are internal, with one exception: the reason for not taking a case up is owed to the
    person who filed it. A file's name is shown only for files the submitter attached.
    """
    entries = []
    for event in case_record(case=case, public_only=True):
        entry = PublicEntry(at=event.at, verb=event.verb, label=event.get_verb_display())
        if event.verb == CaseEventVerb.TRANSITION:
            status = str((event.after or {}).get("status", ""))
            rejection = (event.after or {}).get("action") in (
                Action.REJECT,
                Action.DECLINE_OPENING,
            )
            entry = replace(
                entry,
                status=status,
                status_label=str(Status(status).label) if status in Status.values else "",
                detail=event.note if rejection else "",
            )
        elif event.verb == CaseEventVerb.ATTACHMENT_ADDED and event.actor_id in (
            None,
            case.submitted_by_id,
        ):
            entry = replace(entry, detail=str((event.after or {}).get("name", "")))
        entries.append(entry)
    return entries


def case_link(case: Any) -> str:
    """The staff page of ``case`` (for notices and the inbox)."""
    return reverse("workbench:case-detail", args=[case.pk])
