"""Normalise a trade mark name into a comparison key.

The key drops what carries no distinctiveness, so that two marks that a shopper would
read as the same word compare equal:

* Traditional to Simplified Chinese, full-width to half-width, lower case
  (:func:`ipshield.engines.text.normalize_name`);
* the symbols ®, ™, ℠ and ©;
* punctuation and spacing;
* trailing words such as 牌, 商标, 有限公司, Co., Ltd., Inc. (only while something
  distinctive is left: 王牌 stays 王牌).

The key is for comparison only; callers keep the original name for display.

>>> normalize_mark("大白兔牌®")
'大白兔'
>>> normalize_mark("ＡＤＩＤＡＳ Co., Ltd.")
'adidas'
>>> normalize_mark("王牌")
'王牌'
"""

from __future__ import annotations

import re
import unicodedata

from ipshield.engines.text import normalize_name

__all__ = ["normalize_mark"]

# Removed before NFKC, which would turn ™ into "tm".
_SYMBOLS = re.compile("[®™℠©]")
# Longest first, so that 有限公司 goes before 公司.
_CJK_SUFFIXES = (
    "股份有限公司",
    "有限责任公司",
    "注册商标",
    "有限公司",
    "商标",
    "品牌",
    "集团",
    "公司",
    "牌",
)
_LATIN_SUFFIXES = frozenset(
    {"co", "ltd", "inc", "llc", "corp", "corporation", "company", "limited", "gmbh", "brand"}
)
# A CJK suffix is only removed when at least this many characters are left.
_MIN_CJK_LEFT = 2


def _words(text: str) -> list[str]:
    """Split on everything that is not a letter or a digit."""
    cleaned = "".join(ch if unicodedata.category(ch)[0] in "LN" else " " for ch in text)
    return cleaned.split()


def _strip_suffixes(words: list[str]) -> list[str]:
    changed = True
    while changed and words:
        changed = False
        last = words[-1]
        if last in _LATIN_SUFFIXES and len(words) > 1:
            words = words[:-1]
            changed = True
            continue
        for suffix in _CJK_SUFFIXES:
            rest = last[: -len(suffix)]
            if last.endswith(suffix) and len("".join(words[:-1]) + rest) >= _MIN_CJK_LEFT:
                words = [*words[:-1], rest] if rest else words[:-1]
                changed = True
                break
    return words


def _normalize_once(text: str) -> str:
    text = normalize_name(_SYMBOLS.sub(" ", text))
    return "".join(_strip_suffixes(_words(text)))


def normalize_mark(text: str) -> str:
    """Return the comparison key of a mark name (may be ``""`` for e.g. ``"®"``).

    The result is stable: ``normalize_mark(normalize_mark(x)) == normalize_mark(x)``.

    >>> normalize_mark("康師傅")
    '康师傅'
    >>> normalize_mark("Coca-Cola™")
    'cocacola'
    """
    for _ in range(4):
        normalized = _normalize_once(text)
        if normalized == text:
            break
        text = normalized
    return text
