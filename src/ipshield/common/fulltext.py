"""Substring search through an index, one way for every app.

SQLite: an FTS5 table with the trigram tokenizer over a normalised text column (external
content, kept in step by triggers that the owning app's migration creates); a query is a
conjunction of quoted phrases, each a plain substring whatever it holds. PostgreSQL: a
``pg_trgm`` GIN index on the column serves ``LIKE '%…%'`` by itself, so the caller's
``__contains`` filter is the whole query there. Both use the index for terms of three characters
or more (a trigram); shorter terms are matched by the ``LIKE`` alone.

Users: the public credit query (credit migration 0009) and the case search (cases migration
0013).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

from ipshield.common.validation import search_text

__all__ = ["TRIGRAM", "fts_match", "fts_phrase", "fts_table"]

TRIGRAM = 3  # the shortest term an index can answer


def fts_phrase(text: str) -> str:
    """``text`` as one FTS5 phrase: a plain substring for the trigram table, whatever it holds.

    Double quotes are doubled inside the quoted string (FTS5's only escape); characters no
    query may carry (NUL ends the query string inside SQLite, other controls) are dropped.

    >>> fts_phrase('a"b OR c*')
    '"a""b OR c*"'
    """
    return '"' + search_text(text, max_length=1000).replace('"', '""') + '"'


def fts_match(terms: Iterable[str]) -> str:
    """An FTS5 query matching rows that contain every one of ``terms`` (each a phrase).

    >>> fts_match(["保德县", 'NEAR("x")'])
    '"保德县" AND "NEAR(""x"")"'
    """
    return " AND ".join(fts_phrase(term) for term in terms)


def fts_table(name: str) -> bool:
    """Whether this database is SQLite and has the FTS table ``name`` (a migration creates it
    only where FTS5 has the trigram tokenizer)."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [name])
        return cursor.fetchone() is not None
