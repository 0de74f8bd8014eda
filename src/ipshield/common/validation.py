"""Bounds and text rules for everything people and other systems send in, in one place.

The API (``common.api``: its body and query parser, its pagination and these annotated types)
and the pages' forms (``common.forms.CleanTextMixin``) use the same rules, so a value refused
on one side is refused on the other with the same message.

Text:
  * refused — NUL and the other C0/C1 control characters except tab, line feed and carriage
    return; the bidirectional embedding, override and isolate characters (U+202A–U+202E,
    U+2066–U+2069, which can make a name read differently from what is stored, "Trojan
    Source"); lone surrogates (they cannot be stored);
  * removed — zero-width characters and direction marks (U+200B–U+200F, U+2060, U+FEFF,
    U+180E, U+061C), invisible in every view: a title made only of them is then blank and
    refused like a blank one.

Numbers: ``Id`` fits the database's 64-bit keys; ``Page`` and ``Year`` are bounded so that an
offset or a date built from them cannot overflow; amounts fit their decimal columns.

>>> clean_text("保德\\u200b红枣")
'保德红枣'
>>> clean_text("a\\x00b")
Traceback (most recent call last):
...
ipshield.common.validation.TextRefused: 含有不可见的控制字符（如 NUL），请删除后重新输入。
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any

from django.utils.translation import gettext as _
from pydantic import AfterValidator, Field

__all__ = [
    "DB_INT_MAX",
    "PAGE_MAX",
    "PAGE_SIZE_MAX",
    "TEXT_PATTERN",
    "YEAR_MAX",
    "YEAR_MIN",
    "Count",
    "Day",
    "Id",
    "Money",
    "NiceClass",
    "Page",
    "Price",
    "SearchText",
    "TextRefused",
    "Year",
    "bounded_int",
    "clean_data",
    "clean_text",
    "search_text",
    "strip_text",
    "text_problem",
]

DB_INT_MAX = 2**63 - 1  # the largest value of a 64-bit (bigint) key
PAGE_MAX = 100_000  # 100,000 pages of 100 rows: far beyond any list, far below an overflow
PAGE_SIZE_MAX = 100
YEAR_MIN, YEAR_MAX = 1949, 2100  # the decisions, cases and calendars the platform deals with

_REFUSED_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_REFUSED_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff\u180e\u061c]")

# The same rule for clients, as a JSON Schema pattern (ECMA-262): no refused character and no
# invisible one (the server removes those, but a client that relies on the schema should not
# send what would be removed).
TEXT_PATTERN = (
    "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f"
    "\\u202a-\\u202e\\u2066-\\u2069\\u200b-\\u200f\\u2060\\ufeff\\u180e\\u061c]*$"
)


class TextRefused(ValueError):
    """Text with a character no field accepts; ``field`` names where it was (dotted path)."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def text_problem(value: str) -> str | None:
    """Why ``value`` is refused (for people), or None when it is acceptable."""
    if _REFUSED_CONTROL.search(value):
        return _("含有不可见的控制字符（如 NUL），请删除后重新输入。")
    if _REFUSED_BIDI.search(value):
        return _("含有改变文字显示方向的控制字符，请删除后重新输入。")
    if _SURROGATE.search(value):
        return _("含有无效的字符编码，请重新输入。")
    return None


def clean_text(value: str) -> str:
    """``value`` without invisible characters; raises :class:`TextRefused` for refused ones."""
    problem = text_problem(value)
    if problem:
        raise TextRefused(problem)
    return _INVISIBLE.sub("", value)


def strip_text(value: str) -> str:
    """``value`` without any refused or invisible character (for the pages, which drop them
    rather than refuse them: ``common.middleware``)."""
    for pattern in (_REFUSED_CONTROL, _REFUSED_BIDI, _SURROGATE, _INVISIBLE):
        value = pattern.sub("", value)
    return value


def search_text(value: Any, *, max_length: int = 200) -> str:
    """A search box's text as a query may use it: refused and invisible characters dropped
    (nobody searches for them; NUL breaks SQLite's full-text queries and PostgreSQL's strings),
    surrounding spaces stripped, at most ``max_length`` characters."""
    return strip_text(value if isinstance(value, str) else "").strip()[:max_length]


def clean_data(data: Any, *, path: str = "") -> Any:
    """Clean every string in parsed JSON (keys included), naming the path of a refused one."""
    if isinstance(data, str):
        try:
            return clean_text(data)
        except TextRefused as refused:
            refused.field = path or "body"
            raise
    if isinstance(data, dict):
        return {
            clean_data(key, path=path): clean_data(value, path=f"{path}.{key}" if path else key)
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [
            clean_data(item, path=f"{path}.{i}" if path else str(i)) for i, item in enumerate(data)
        ]
    return data


def bounded_int(value: Any, *, minimum: int = 1, maximum: int = DB_INT_MAX) -> int | None:
    """A query-string integer for the pages: None when missing, malformed or out of bounds
    (a page then shows everything rather than an error for a hand-edited address)."""
    try:
        number = int(str(value).strip()) if value not in (None, "") else None
    except ValueError:
        return None
    if number is None or not minimum <= number <= maximum:
        return None
    return number


def _sane_year(day: dt.date) -> dt.date:
    if not YEAR_MIN <= day.year <= YEAR_MAX:
        raise ValueError(_("日期应在 %(a)s 年至 %(b)s 年之间") % {"a": YEAR_MIN, "b": YEAR_MAX})
    return day


_DAY_DESCRIPTION = f"YYYY-MM-DD, {YEAR_MIN}–{YEAR_MAX}"

# What a list's filters and search boxes take (a search longer than this finds nothing anyway).
SearchText = Annotated[str, Field(max_length=200)]
Id = Annotated[int, Field(ge=1, le=DB_INT_MAX)]
Page = Annotated[int, Field(ge=1, le=PAGE_MAX)]
Year = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX)]
Count = Annotated[int, Field(ge=1, le=10_000)]
NiceClass = Annotated[int, Field(ge=1, le=45)]
Day = Annotated[dt.date, AfterValidator(_sane_year), Field(description=_DAY_DESCRIPTION)]
# Decimal columns of 14 (amounts) and 12 (prices) digits with 2 decimals; the bounds leave room
# for rounding to cents.
Money = Annotated[Decimal, Field(ge=0, le=Decimal("99999999999"), allow_inf_nan=False)]
Price = Annotated[Decimal, Field(ge=0, le=Decimal("999999999"), allow_inf_nan=False)]
