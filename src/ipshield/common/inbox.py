"""The work inbox (待办): what waits for a person, computed from the workflow, never stored.

Each app describes the work it creates as :class:`Source` objects and registers them from its
``AppConfig.ready`` with :func:`register`. A source says which roles it concerns, how to find
the rows waiting for one person (a queryset, so that counting is one indexed query), and how
to show a row. The workbench shows :func:`items_for` as the inbox and :func:`count_for` in the
navigation; nothing here knows about any app.

Example::

    register(Source(kind="case.review", label=_("待法制审核"), roles={"legal_reviewer"},
                    rows=lambda user, unit_id: Case.objects.filter(unit_id=unit_id, ...),
                    show=lambda case: Shown(case.number, case.title, link(case), case.updated_at)))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import QuerySet

__all__ = [
    "Item",
    "Shown",
    "Source",
    "count_for",
    "groups_for",
    "items_for",
    "register",
    "sources",
    "summary_for",
]


@dataclass(frozen=True)
class Shown:
    """How one waiting row appears: its reference (a number), a title, the page where the work
    is done, since when it waits, and its due date if a time limit runs. ``url`` may be a
    function: templates call it, and only for the rows shown (reversing a URL for every row
    fetched cost more than the rest of the inbox)."""

    reference: str
    title: str
    url: str | Callable[[], str]
    since: dt.datetime | dt.date | None = None
    due: dt.date | None = None


@dataclass(frozen=True)
class Source:
    kind: str
    label: Any  # a lazy translation: what the person has to do
    roles: frozenset[str]  # roles (``accounts.roles.Role`` values) the work is for
    # (user, unit_id) -> the rows waiting; unit_id is the person's unit (None without one)
    rows: Callable[[Any, int | None], QuerySet[Any]]
    show: Callable[[Any], Shown]
    # whether the source applies to people without a unit (rights holders, the public)
    without_unit: bool = False
    order: int = 100
    # a page listing all of this kind's rows, when one exists (e.g. the case list, filtered)
    more_url: Any = ""  # a string or a lazy one


@dataclass(frozen=True)
class Item:
    kind: str
    label: str
    shown: Shown


@dataclass(frozen=True)
class Group:
    """One kind of work: what to do, how many are waiting, the most urgent of them."""

    kind: str
    label: str
    count: int
    items: list[Item]
    more_url: Any


_SOURCES: dict[str, Source] = {}


def register(*new: Source) -> None:
    """Add sources (a source with a kind already registered replaces it)."""
    for source in new:
        _SOURCES[source.kind] = source


def sources() -> list[Source]:
    return sorted(_SOURCES.values(), key=lambda s: (s.order, s.kind))


def _person(user: Any) -> tuple[set[str], int | None]:
    from ipshield.accounts.selectors import profile_of

    profile = profile_of(user)
    if profile is None:
        return set(), None
    return set(profile.roles), profile.unit_id


def _applicable(user: Any) -> Iterable[tuple[Source, int | None]]:
    if not getattr(user, "is_authenticated", False):
        return
    roles, unit_id = _person(user)
    for source in sources():
        if roles.isdisjoint(source.roles):
            continue
        if unit_id is None and not source.without_unit:
            continue
        yield source, unit_id


def counts_for(user: Any) -> dict[str, int]:
    """``{kind: count}`` of the sources that apply to ``user``: each source's own indexed COUNT,
    sent together as one ``UNION ALL`` statement per model (one round trip to the database
    instead of one per source; on PostgreSQL the round trips were most of the time)."""
    counts: dict[str, int] = {}
    by_model: dict[Any, list[tuple[str, QuerySet[Any]]]] = {}
    for source, unit_id in _applicable(user):
        counts[source.kind] = 0  # keeps the sources' order
        rows = source.rows(user, unit_id)
        by_model.setdefault(rows.model, []).append((source.kind, rows))
    for parts in by_model.values():
        pieces, params = [], []
        for i, (_kind, rows) in enumerate(parts):
            sql, part_params = rows.order_by().values("pk").query.sql_with_params()
            # Django compiled ``sql`` and keeps its values apart in ``part_params``; ``i`` is an
            # int of ours: nothing from outside is pasted into the statement.
            pieces.append(f"SELECT {i}, COUNT(*) FROM ({sql}) inbox_{i}")  # noqa: S608
            params.extend(part_params)
        with connections[parts[0][1].db].cursor() as cursor:
            cursor.execute(" UNION ALL ".join(pieces), params)
            for part, n in cursor.fetchall():
                counts[parts[part][0]] = n
    return counts


def count_for(user: Any) -> int:
    """How many things wait for ``user``."""
    return sum(counts_for(user).values())


def _urgency(item: Item) -> tuple[int, dt.date, str]:
    """Items with a due date first, earliest first; then the longest waiting."""
    since = item.shown.since
    if isinstance(since, dt.datetime):
        since = since.date()
    return (
        0 if item.shown.due else 1,
        item.shown.due or since or dt.date.max,
        item.shown.reference,
    )


def _items(source: Source, user: Any, unit_id: int | None, limit: int) -> list[Item]:
    label = str(source.label)
    return [
        Item(kind=source.kind, label=label, shown=source.show(row))
        for row in source.rows(user, unit_id)[:limit]
    ]


def items_for(user: Any, *, limit: int = 200) -> list[Item]:
    """What waits for ``user``, most urgent first, at most ``limit``."""
    found = [
        item
        for source, unit_id in _applicable(user)
        for item in _items(source, user, unit_id, limit)
    ]
    found.sort(key=_urgency)
    return found[:limit]


def groups_for(user: Any, *, per_group: int = 5) -> list[Group]:
    """What waits for ``user`` by kind, each kind's most urgent ``per_group`` items; kinds with
    nothing waiting are left out (and not fetched)."""
    groups = []
    for source, unit_id in _applicable(user):
        count = source.rows(user, unit_id).count()
        if count:
            items = sorted(_items(source, user, unit_id, per_group), key=_urgency)
            groups.append(Group(source.kind, str(source.label), count, items, source.more_url))
    return groups


def summary_for(user: Any, *, limit: int = 10) -> tuple[list[Item], int]:
    """The ``limit`` most urgent items of all kinds and how many wait in all (for a home page:
    the same queries as the inbox page, nothing fetched for kinds with nothing waiting)."""
    groups = groups_for(user, per_group=limit)
    items = sorted((item for group in groups for item in group.items), key=_urgency)
    return items[:limit], sum(group.count for group in groups)
