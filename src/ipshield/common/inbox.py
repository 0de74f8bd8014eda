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
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import connections, transaction
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


Parts = list[tuple[Source, QuerySet[Any]]]


def _by_shape(user: Any) -> tuple[list[Source], list[Parts]]:
    """The sources that apply to ``user`` in their order, and their rows grouped by how they
    are loaded (the model, its related rows, its columns): each group is queried together."""
    applicable, groups = [], {}
    for source, unit_id in _applicable(user):
        applicable.append(source)
        rows = source.rows(user, unit_id)
        shape = (rows.model, repr(rows.query.select_related), repr(rows.query.deferred_loading))
        groups.setdefault(shape, []).append((source, rows))
    return applicable, list(groups.values())


def _pieces(parts: Parts, per_group: int) -> tuple[str, list[Any]]:
    """One statement over one group of sources: each source's indexed COUNT and, with
    ``per_group``, the keys of its ``per_group`` first rows in the source's order, as rows
    ``(source, None, count)`` and ``(source, key, None)``.

    Django compiles every part and keeps its values apart in the parameters; the numbers pasted
    in are ints of ours: nothing from outside enters the statement's text."""
    pieces, params = [], []
    for i, (_source, rows) in enumerate(parts):
        # Compiled once (compiling was a third of the inbox's time): the rows' keys in the
        # source's order, cut to their first ``per_group``, and counted without the order.
        ordered, ordered_params = rows.values("pk").query.sql_with_params()
        sql, part_params = _without_order(ordered, ordered_params, rows)
        pieces.append(f"SELECT {i}, NULL, COUNT(*) FROM ({sql}) inbox_{i}")  # noqa: S608
        params.extend(part_params)
        if per_group:
            limited = f"{ordered} LIMIT {int(per_group)}"
            pieces.append(f"SELECT {i}, first_{i}.*, NULL FROM ({limited}) first_{i}")  # noqa: S608
            params.extend(ordered_params)
    return " UNION ALL ".join(pieces), params


def _without_order(sql: str, params: tuple[Any, ...], rows: QuerySet[Any]) -> tuple[str, Any]:
    """``sql`` without its final ORDER BY (sorting all the rows only to count them doubled the
    time): cut when the clause is plainly the statement's last and has no parameters; compiled
    again without the order otherwise."""
    head, found, tail = sql.rpartition(" ORDER BY ")
    if found and ")" not in tail and "%s" not in tail:
        return head, params
    return rows.order_by().values("pk").query.sql_with_params()


@contextmanager
def _cursor(shapes: list[Parts]) -> Iterator[Any]:
    """A cursor for the inbox's statements. PostgreSQL planned the UNION of counts as a
    parallel query, and starting its workers took longer than the counts themselves (an
    officer's: 13 ms with workers, 5 without): there the statements run in one transaction
    without them. Not on SQLite, where every transaction takes the write lock."""
    alias = shapes[0][0][1].db if shapes else "default"
    connection = connections[alias]
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        yield cursor


def _run(cursor: Any, parts: Parts, per_group: int) -> list[tuple[int, Any, Any]]:
    sql, params = _pieces(parts, per_group)
    cursor.execute(sql, params)
    return cursor.fetchall()


def counts_for(user: Any) -> dict[str, int]:
    """``{kind: count}`` of the sources that apply to ``user``: each source's own indexed COUNT,
    sent together as one ``UNION ALL`` statement per model (one round trip to the database
    instead of one per source; on PostgreSQL the round trips were most of the time)."""
    applicable, shapes = _by_shape(user)
    counts = dict.fromkeys((source.kind for source in applicable), 0)
    with _cursor(shapes) as cursor:
        for parts in shapes:
            for part, _key, n in _run(cursor, parts, 0):
                counts[parts[part][0].kind] = n
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


def _related_paths(tree: dict[str, Any], prefix: str = "") -> list[str]:
    paths = []
    for name, below in tree.items():
        paths.append(prefix + name)
        paths.extend(_related_paths(below, f"{prefix}{name}__"))
    return paths


def _loaded_like(rows: QuerySet[Any], keys: set[Any]) -> dict[Any, Any]:
    """The rows with ``keys``, loaded as ``rows`` loads them (the same related rows and
    columns, so that showing them costs no further query), by key. ``rows``'s conditions are
    not repeated: the keys came from them."""
    found = rows.model._default_manager.filter(pk__in=keys)
    related = rows.query.select_related
    if related is True:
        found = found.select_related()
    elif related:
        found = found.select_related(*_related_paths(related))
    names, deferred = rows.query.deferred_loading
    if names:
        found = found.defer(*names) if deferred else found.only(*names)
    return {row.pk: row for row in found}


def groups_for(user: Any, *, per_group: int = 5) -> list[Group]:
    """What waits for ``user`` by kind, each kind's most urgent ``per_group`` items; kinds with
    nothing waiting are left out.

    Two round trips per model (and way of loading it) whatever the number of sources: one
    statement with every source's count and the keys of its first rows, then one to load
    those rows."""
    applicable, shapes = _by_shape(user)
    counts: dict[str, int] = {}
    rows_of: dict[str, list[Any]] = {}
    with _cursor(shapes) as cursor:
        for parts in shapes:
            keys: dict[int, list[Any]] = {}
            for part, key, n in _run(cursor, parts, per_group):
                if key is None:
                    counts[parts[part][0].kind] = n
                else:
                    keys.setdefault(part, []).append(key)
            if keys:
                wanted = {key for found in keys.values() for key in found}
                loaded = _loaded_like(parts[0][1], wanted)
                for part, found in keys.items():
                    rows_of[parts[part][0].kind] = [loaded[k] for k in found if k in loaded]
    groups = []
    for source in applicable:
        count, rows = counts.get(source.kind, 0), rows_of.get(source.kind, [])
        if count:
            label = str(source.label)
            items = sorted(
                (Item(source.kind, label, source.show(row)) for row in rows), key=_urgency
            )
            groups.append(Group(source.kind, label, count, items, source.more_url))
    return groups


def items_for(user: Any, *, limit: int = 200) -> list[Item]:
    """What waits for ``user``, most urgent first, at most ``limit``."""
    found = [item for group in groups_for(user, per_group=limit) for item in group.items]
    found.sort(key=_urgency)
    return found[:limit]


def summary_for(user: Any, *, limit: int = 10) -> tuple[list[Item], int]:
    """The ``limit`` most urgent items of all kinds and how many wait in all (for a home page:
    the same queries as the inbox page, nothing fetched for kinds with nothing waiting)."""
    groups = groups_for(user, per_group=limit)
    items = sorted((item for group in groups for item in group.items), key=_urgency)
    return items[:limit], sum(group.count for group in groups)
