"""Dates as Chinese documents and notices print them."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def cn_date(value: dt.date | dt.datetime | None) -> str:
    """A date as documents print it.

    >>> cn_date(dt.date(2026, 3, 5))
    '2026年3月5日'
    """
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localdate(value)
    return f"{value.year}年{value.month}月{value.day}日"
