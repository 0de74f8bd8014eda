"""Name normalisation for lookups.

:func:`normalize_name` turns a company or person name into a canonical key, so that
spellings which differ only in script, character width, case or spacing compare
equal:

>>> normalize_name("  保德縣  ＡＢＣ　有限公司 ")
'保德县abc有限公司'
>>> normalize_name("Apple  Inc.")
'apple inc.'

Traditional to Simplified conversion uses OpenCC (``t2s``); the converter is
created on first use and then reused.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import opencc

__all__ = ["normalize_name", "to_simplified"]

# Unicode name prefixes of scripts written without spaces between words.
_CJK_PREFIXES = ("CJK ", "IDEOGRAPHIC", "HIRAGANA", "KATAKANA", "HANGUL", "BOPOMOFO")
# Lone surrogates (e.g. from the JSON escape "\ud800") cannot be passed to OpenCC.
_SURROGATES = re.compile("([\ud800-\udfff]+)")


@cache
def _converter() -> opencc.OpenCC:
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Convert Traditional Chinese characters to Simplified; other text is kept.

    >>> to_simplified("黑龍江省")
    '黑龙江省'
    """
    if not text:
        return text
    converter = _converter()
    # Odd items of the split are runs of lone surrogates: keep them unchanged.
    parts = _SURROGATES.split(text)
    return "".join(
        part if index % 2 else str(converter.convert(part)) for index, part in enumerate(parts)
    )


def _is_cjk(char: str) -> bool:
    return unicodedata.name(char, "").startswith(_CJK_PREFIXES)


def _collapse_spaces(text: str) -> str:
    """Drop whitespace next to CJK characters; elsewhere keep one space."""
    words = text.split()
    if not words:
        return ""
    parts = [words[0]]
    for word in words[1:]:
        if not (_is_cjk(parts[-1][-1]) or _is_cjk(word[0])):
            parts.append(" ")
        parts.append(word)
    return "".join(parts)


def _normalize_once(text: str) -> str:
    text = unicodedata.normalize("NFKC", to_simplified(text))
    text = unicodedata.normalize("NFKC", text.lower())
    return _collapse_spaces(text)


def normalize_name(text: str) -> str:
    """Return a canonical lookup key for a name.

    Steps: Traditional to Simplified Chinese, NFKC (full-width to half-width,
    ideographic space to a plain space), lower case, then whitespace clean-up:
    whitespace next to a CJK character is removed, other runs of whitespace
    become one space, and the ends are stripped. The result is stable:
    ``normalize_name(normalize_name(x)) == normalize_name(x)``.

    >>> normalize_name("黑龍江 省")
    '黑龙江省'
    >>> normalize_name("ＡＢＣ　有限公司")
    'abc有限公司'
    """
    # One pass is almost always enough; a rare input (e.g. Hangul jamo that
    # compose once the space between them is gone) needs another.
    for _ in range(4):
        normalized = _normalize_once(text)
        if normalized == text:
            break
        text = normalized
    return text
