"""Unified social credit code (统一社会信用代码), GB 32100-2015.

A unified social credit code (USCC) has 18 characters drawn from the digits and
upper-case Latin letters without I, O, Z, S and V (31 characters in all):

* position 1: registration authority code (登记管理部门代码);
* position 2: entity type code (机构类别代码);
* positions 3-8: administrative region code of the registering authority (GB/T 2260);
* positions 9-17: entity identifier, usually the organisation code (GB 11714);
* position 18: check character (mod 31 weighted sum, GB/T 17710 style).

This module only checks the length, the character set and the check character.
Positions 1, 2 and 3-8 are *not* checked against their code lists, so a code can
pass :func:`is_valid` and still name an authority, entity type or region that does
not exist.

The functions are strict: lower-case letters are rejected. Clean user input with
:func:`normalize` first.

>>> is_valid("91440300708461136T")
True
>>> explain("91440300708461136A")
'check_digit'
>>> is_valid(normalize(" 91440300708461136t "))
True
"""

from __future__ import annotations

__all__ = [
    "ALPHABET",
    "LENGTH",
    "check_digit",
    "expected_check_digit",
    "explain",
    "is_valid",
    "normalize",
]

#: The 31 characters of the code set, in value order (value 0 to 30).
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
#: Length of a full code.
LENGTH = 18

_VALUES = {char: value for value, char in enumerate(ALPHABET)}
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_MODULUS = len(ALPHABET)


def normalize(code: str) -> str:
    """Remove all whitespace and upper-case the letters.

    No look-alike characters are replaced: an ``O`` stays an ``O`` (and is then
    rejected by :func:`is_valid`), because guessing could turn a typo into a
    different, valid code.

    >>> normalize(" 9144 0300 7084 6113 6t ")
    '91440300708461136T'
    """
    return "".join(code.split()).upper()


def check_digit(first17: str) -> str:
    """Return the check character for the first 17 characters of a code.

    Raises :class:`ValueError` if ``first17`` is not exactly 17 characters from
    the code set.

    >>> check_digit("91440300708461136")
    'T'
    """
    if len(first17) != LENGTH - 1:
        raise ValueError(
            f"expected {LENGTH - 1} characters before the check character, got {len(first17)}"
        )
    total = 0
    for position, (char, weight) in enumerate(zip(first17, _WEIGHTS, strict=True), start=1):
        value = _VALUES.get(char)
        if value is None:
            raise ValueError(
                f"character {char!r} at position {position} is not in the code set "
                f"(digits and upper-case letters without I, O, Z, S, V)"
            )
        total += value * weight
    return ALPHABET[(_MODULUS - total % _MODULUS) % _MODULUS]


def explain(code: str) -> str | None:
    """Return ``None`` for a valid code, otherwise a short problem code.

    The problem codes are checked in this order:

    * ``"length"``: the code is not 18 characters long;
    * ``"charset"``: a character is outside the code set (including lower case);
    * ``"check_digit"``: the 18th character does not match the first 17.

    >>> explain("91440300708461136T") is None
    True
    >>> explain("9144030070846113")
    'length'
    >>> explain("91440300708461136t")
    'charset'
    """
    if len(code) != LENGTH:
        return "length"
    if any(char not in _VALUES for char in code):
        return "charset"
    if check_digit(code[:-1]) != code[-1]:
        return "check_digit"
    return None


def is_valid(code: str) -> bool:
    """Return whether ``code`` is a well-formed code with a correct check character.

    Strict: no whitespace or lower case is accepted; call :func:`normalize` first.

    >>> is_valid("91440300708461136T")
    True
    >>> is_valid("91440300708461136t")
    False
    """
    return explain(code) is None


def expected_check_digit(code: str) -> str | None:
    """Return the check character a code should end with, or ``None`` if unknown.

    Accepts a full 18-character code or just its first 17 characters; returns
    ``None`` if the length is wrong or the first 17 characters are not all in
    the code set.

    >>> expected_check_digit("91440300708461136A")
    'T'
    """
    if len(code) not in (LENGTH - 1, LENGTH):
        return None
    try:
        return check_digit(code[: LENGTH - 1])
    except ValueError:
        return None
