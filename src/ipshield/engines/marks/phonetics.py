"""Pinyin readings and the near-sounds that people confuse.

>>> syllables("康师傅")
('kang1', 'shi1', 'fu4')
>>> fuzzy("shi4"), fuzzy("zhang"), fuzzy("ning2"), fuzzy("hu")
('si', 'zan', 'lin', 'fu')
>>> near_sound_rule("shi", "si")
'sh/s'
>>> latin_sound("samsing") == latin_sound("samsung")
True
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import jellyfish
from pypinyin import Style, lazy_pinyin

__all__ = ["fuzzy", "is_cjk", "latin_sound", "near_sound_rule", "reading", "syllables", "toneless"]

# Initials and finals that many speakers do not tell apart (南方口音 and common confusions).
_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("n", "l"), ("h", "f"))
_FINALS = (("ang", "an"), ("eng", "en"), ("ing", "in"))


def is_cjk(ch: str) -> bool:
    """True for a CJK unified ideograph (basic block or extension A)."""
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


@cache
def reading(ch: str) -> str:
    """Tone-numbered pinyin of one CJK character (cached): ``reading("师") == "shi1"``.

    Per character, without context: the most common reading (heteronyms are not tried).
    """
    return lazy_pinyin(ch, style=Style.TONE3, neutral_tone_with_five=True)[0]


_reading = reading


def syllables(key: str) -> tuple[str, ...]:
    """Tone-numbered pinyin of each CJK character; runs of other characters stay as one token."""
    out: list[str] = []
    run = ""
    for ch in key:
        if is_cjk(ch):
            if run:
                out.append(run)
                run = ""
            out.append(_reading(ch))
        else:
            run += ch
    if run:
        out.append(run)
    return tuple(out)


def toneless(syllable: str) -> str:
    """Drop the tone digit: ``"shi4"`` → ``"shi"``."""
    return syllable.rstrip("012345")


@cache
def fuzzy(syllable: str) -> str:
    """Map a syllable to a key shared by its near-sounds (tone dropped)."""
    s = toneless(syllable)
    for hard, soft in _INITIALS:
        if s.startswith(hard):
            s = soft + s[len(hard) :]
            break
    for hard, soft in _FINALS:
        if s.endswith(hard):
            s = s[: -len(hard)] + soft
            break
    return s


def near_sound_rule(a: str, b: str) -> str:
    """Name the confusions that turn syllable ``a`` into ``b`` (e.g. ``"sh/s"``)."""
    a, b = toneless(a), toneless(b)
    rules = [f"{x}/{y}" for x, y in _INITIALS if _swapped(a, b, x, y, str.startswith)]
    rules += [f"{x}/{y}" for x, y in _FINALS if _swapped(a, b, x, y, str.endswith)]
    return "，".join(rules)


def _swapped(a: str, b: str, x: str, y: str, test: Callable[[str, str], bool]) -> bool:
    """True if one syllable has ``x`` and the other ``y`` (but not ``x``) at that end."""
    return (test(a, x) and test(b, y) and not test(b, x)) or (
        test(b, x) and test(a, y) and not test(a, x)
    )


@cache
def latin_sound(word: str) -> str:
    """Phonetic key of a Latin word (Metaphone, via jellyfish); ``""`` without letters.

    Names that sound alike share a key: ``latin_sound("adidos") == latin_sound("adidas")``.
    Digits and other characters are ignored, so call it on a look-alike skeleton
    (:func:`ipshield.engines.marks.latin_skeleton`) to read ``app1e`` as ``apple``.
    """
    letters = "".join(ch for ch in word.lower() if "a" <= ch <= "z")
    return str(jellyfish.metaphone(letters)) if letters else ""
