"""Addresses (住所 / 经营场所): parsing and similarity.

An address is a chain of divisions (山西省忻州市保德县东关镇) and a detail (新华街12号).
Two addresses are compared on both: divisions that conflict make them different; the
details are compared part by part (road, number, building …), with Chinese numerals read as
digits (十二号 = 12号) and the order of parts ignored.

>>> a = parse_address("山西省忻州市保德县东关镇新华街12号")
>>> [d.base for d in a.region], a.parts
(['山西', '忻州', '保德', '东关'], ('新华街', '12号'))
>>> address_similarity(a, parse_address("保德县东关镇新华街十二号"))
1.0
>>> address_similarity(a, parse_address("河曲县文笔镇新华街12号"))
0.0
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz.distance import Indel

from ipshield.engines.text import normalize_name

from .regions import (
    CONFLICT,
    DEFAULT_REGIONS,
    Division,
    Regions,
    compare_divisions,
    leading_divisions,
)

__all__ = ["ParsedAddress", "address_similarity", "parse_address"]

_PART = re.compile(
    r".+?(?:号院|号楼|号|大街|大道|路|街|巷|胡同|弄|村委会|村|组|社区|小区|栋|幢|座|单元|层|楼|室|"
    r"院|市场|广场|大厦|中心|园区|工业园)"
)
_NUMERAL = re.compile(r"[零〇一二两三四五六七八九十百千]+(?=号|栋|幢|座|单元|层|楼|室|组|排|巷|弄)")
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
           "七": 7, "八": 8, "九": 9}  # fmt: skip
_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMBER = re.compile(r"\d+")
_NOT_WORD = re.compile(r"[^\w]|_")


def _cn_number(text: str) -> str:
    """十二 → 12, 一百零五 → 105, 二〇一 → 201."""
    if all(ch in _DIGITS for ch in text):
        return "".join(str(_DIGITS[ch]) for ch in text)
    total, digit = 0, 0
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        else:
            total += (digit or 1) * _UNITS[ch]
            digit = 0
    return str(total + digit)


class ParsedAddress(NamedTuple):
    """``text``: the address as compared (normalised, numbers in digits); ``region``: the
    divisions it starts with; ``detail``: the rest;
    ``parts``: the detail cut after each road, number, building … word; ``number``: the
    digits of the house number (门牌号), if any."""

    text: str
    region: tuple[Division, ...] = ()
    detail: str = ""
    parts: tuple[str, ...] = ()
    number: str = ""

    @property
    def road(self) -> str:
        """The first part that names a road or street (for blocking), else the first part."""
        for part in self.parts:
            if part.endswith(("路", "街", "大道", "巷", "胡同", "弄", "村")):
                return part
        return self.parts[0] if self.parts else ""


@lru_cache(maxsize=1 << 14)
def _parse(text: str, regions: Regions) -> ParsedAddress:
    text = _NOT_WORD.sub("", text)
    region, detail = leading_divisions(text, regions)
    detail = _NUMERAL.sub(lambda m: _cn_number(m.group(0)), detail)
    parts = _PART.findall(detail)
    tail = detail[sum(len(p) for p in parts) :]
    if tail:
        parts.append(tail)
    number = ""
    for part in parts:
        if part.endswith("号") and not part.endswith(("号楼", "号院")):
            digits = _NUMBER.findall(part)
            if digits:
                number = digits[-1]
                break
    text = "".join(d.name for d in region) + detail
    return ParsedAddress(text, region, detail, tuple(parts), number)


def parse_address(address: str, regions: Regions = DEFAULT_REGIONS) -> ParsedAddress:
    """Parse an address (Traditional, full-width and spaces are normalised first)."""
    return _parse(normalize_name(address or ""), regions)


def address_similarity(
    a: ParsedAddress, b: ParsedAddress, regions: Regions = DEFAULT_REGIONS
) -> float | None:
    """Similarity of two addresses in [0, 1], or ``None`` when one has no detail.

    Conflicting divisions give 0. Otherwise the better of the string similarity of the
    details and the share of common parts; different house numbers on the same road cap it
    at 0.6 (neighbours are not the same place).
    """
    if compare_divisions(a.region, b.region, regions) == CONFLICT:
        return 0.0
    if not a.detail or not b.detail:
        return None
    if a.detail == b.detail:
        return 1.0
    common = len(set(a.parts) & set(b.parts)) / max(len(a.parts), len(b.parts))
    text = Indel.normalized_similarity(a.detail, b.detail)
    sorted_text = Indel.normalized_similarity("".join(sorted(a.parts)), "".join(sorted(b.parts)))
    score = max(common, text, sorted_text)
    if a.number and b.number and a.number != b.number:
        score = min(score, 0.6)
    # One detail inside the other (a building or room added): close, not equal.
    if a.detail in b.detail or b.detail in a.detail:
        score = max(score, 0.9)
    return round(score, 4)
