"""Masking personal data (个人信息去标识化) before text is published.

Decisions, summaries and typical cases go to the public portal. The people named in them —
a natural person who was penalised, the operator of an individual business, witnesses — keep
their privacy: their given names, ID numbers, phone numbers, e-mail addresses and bank cards
are masked with ``*``, keeping only as much as readers need to tell records apart.

What :func:`mask_text` masks, and what it keeps:

==========================  =====================================  =========================
kind                        example                                masked
==========================  =====================================  =========================
ID number, 18 digits        ``11010519491231002X``                 ``110***********002X``
ID number, 15 digits (old)  ``110105491231002``                    ``110********1002``
mobile number               ``138 1234 5678``, ``+86 13812345678`` ``138****5678``
landline                    ``0350-4222222``                       ``0350-***2222``
e-mail                      ``zhangsan@example.com``               ``z***@example.com``
bank card, 16-19 digits     ``6222 0212 3456 7890``                ``6222********7890``
names you pass              ``张三``, ``欧阳娜娜``                  ``张*``, ``欧阳**``
==========================  =====================================  =========================

Unified social credit codes (统一社会信用代码) are public and are never masked, even when they
are all digits. Digits next to a ``*`` are left alone, so masked text is never masked again:
``mask_text(mask_text(t)) == mask_text(t)``.

Names are masked only when you pass them: the engine does not guess which words of a text are
names. Pass every natural person the text mentions.

>>> mask_text("当事人张三，身份证号11010519491231002X，电话13812345678。", person_names=["张三"])
'当事人张*，身份证号110***********002X，电话138****5678。'
>>> mask_person_name("欧阳娜娜")
'欧阳**'
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ipshield.engines import uscc

__all__ = [
    "COMPOUND_SURNAMES",
    "is_probably_person_name",
    "mask_person_name",
    "mask_text",
    "split_qualifier",
]

MASK = "*"

#: Two-character surnames (复姓), Simplified and Traditional. A name starting with one keeps both
#: characters when masked: 欧阳娜娜 → 欧阳**.
# fmt: off
COMPOUND_SURNAMES = frozenset((
    "欧阳", "歐陽", "司马", "司馬", "上官", "诸葛", "諸葛", "东方", "東方",
    "皇甫", "尉迟", "尉遲", "公孙", "公孫", "慕容", "长孙", "長孫", "宇文",
    "司徒", "令狐", "夏侯", "轩辕", "軒轅", "澹台", "端木", "南宫", "南宮",
    "西门", "西門", "独孤", "獨孤", "呼延", "万俟", "萬俟", "闻人", "聞人",
    "赫连", "赫連", "申屠", "百里", "东郭", "東郭", "钟离", "鍾離", "司空",
    "太史", "濮阳", "濮陽", "淳于", "单于", "單于", "公冶", "宗政", "仲孙",
    "仲孫", "拓跋", "第五", "梁丘", "左丘", "鲜于", "鮮于", "羊舌", "乐正",
    "樂正", "段干", "亓官", "谷梁", "穀梁", "公羊", "巫马", "巫馬", "颛孙",
    "顓孫", "漆雕", "壤驷", "壤駟", "公良", "子车", "子車", "东门", "東門",
    "微生", "公西", "夹谷", "夾谷", "宰父", "呼衍",
))
# fmt: on

# Words that mark a name as an organisation or a shop rather than a person. Single characters
# count only at the end of a name of three or more characters (红枣店, but not a person 李行).
_ORGANISATION_WORDS = (
    "公司",
    "集团",
    "集團",
    "企业",
    "企業",
    "超市",
    "商行",
    "商店",
    "商贸",
    "商貿",
    "门市",
    "門市",
    "经营部",
    "經營部",
    "中心",
    "合作社",
    "协会",
    "協會",
    "工作室",
    "ltd",
    "inc",
    "co.",
    "llc",
)
_ORGANISATION_ENDINGS = "店厂廠部行社馆館所场場坊铺舖站院局室处處会會园園"
_NAME_SEPARATORS = "·•・.． "
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0002ffff]")

# '*' counts as a digit at the edges of number patterns, so that the digits a mask keeps are
# never picked up again as part of another number.
_NOT_AFTER_DIGIT = r"(?<![0-9*])"
_NOT_BEFORE_DIGIT = r"(?![0-9*])"

_BIRTH_DATE = r"(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
_ID18 = re.compile(
    _NOT_AFTER_DIGIT + r"([1-8]\d{5}" + _BIRTH_DATE + r"\d{3}[0-9Xx])" + _NOT_BEFORE_DIGIT
)
_ID15 = re.compile(
    _NOT_AFTER_DIGIT
    + r"([1-8]\d{5}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3})"
    + _NOT_BEFORE_DIGIT
)
# A long run of digits touching a Latin letter is a code (a credit code ends in a letter), not a
# card number.
_BANK_CARD = re.compile(
    r"(?<![0-9A-Za-z*])(\d{4}(?:[ -]\d{4}){3}(?:[ -]\d{1,3})?|\d{16,19})(?![0-9A-Za-z*])"
)
_MOBILE = re.compile(
    _NOT_AFTER_DIGIT + r"((?:\+|00)?86[ -]?)?(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})" + _NOT_BEFORE_DIGIT
)
_LANDLINE = re.compile(
    _NOT_AFTER_DIGIT + r"(\(0\d{2,3}\)|（0\d{2,3}）|0\d{2,3})([ -]?)(\d{7,8})" + _NOT_BEFORE_DIGIT
)
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+*-])([A-Za-z0-9._%+-]+)@([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+)"
)

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def _id_check_ok(number: str) -> bool:
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17].upper()


def _keep(digits: str, head: int, tail: int) -> str:
    return digits[:head] + MASK * (len(digits) - head - tail) + digits[len(digits) - tail :]


def _mask_id18(match: re.Match[str]) -> str:
    number = match.group(1)
    # An all-digit unified social credit code can look like an ID number; a code that checks
    # out as a credit code but not as an ID number is a company's, which is public.
    if uscc.is_valid(number.upper()) and not _id_check_ok(number):
        return number
    return _keep(number, 3, 4)


def _mask_bank_card(match: re.Match[str]) -> str:
    raw = match.group(1)
    digits = raw.replace(" ", "").replace("-", "")
    if len(digits) == uscc.LENGTH and uscc.is_valid(digits):
        return raw
    return _keep(digits, 4, 4)


def _mask_mobile(match: re.Match[str]) -> str:
    prefix = match.group(1) or ""
    return f"{prefix}{match.group(2)}{MASK * 4}{match.group(4)}"


def _mask_landline(match: re.Match[str]) -> str:
    area, separator, number = match.groups()
    return f"{area}{separator}{_keep(number, 0, 4)}"


def _mask_email(match: re.Match[str]) -> str:
    return f"{match.group(1)[0]}{MASK * 3}@{match.group(2)}"


_QUALIFIER = re.compile(r"^(?P<base>.+?)\s*(?P<qualifier>[（(][^（）()]*[）)])\s*$")


def split_qualifier(name: str) -> tuple[str, str]:
    """Split a trailing bracketed qualifier off a party's name.

    >>> split_qualifier("张三（个体经营者）")
    ('张三', '（个体经营者）')
    >>> split_qualifier("张三")
    ('张三', '')
    """
    name = name.strip()
    match = _QUALIFIER.match(name)
    if match is None:
        return name, ""
    return match.group("base"), match.group("qualifier")


def mask_person_name(name: str) -> str:
    """Mask a natural person's given name, keeping the surname.

    The surname is the first character, or the first two for a compound surname (复姓).
    A two-character name keeps its first character. Names written with a separator
    (``·`` in transliterated names, a space in Latin script) keep their first character and
    the separators. Every masked character becomes one ``*``, so the length stays the same.

    >>> mask_person_name("张三")
    '张*'
    >>> mask_person_name("欧阳娜娜")
    '欧阳**'
    >>> mask_person_name("欧阳修")
    '欧阳*'
    >>> mask_person_name("买买提·艾力")
    '买**·**'
    >>> mask_person_name("  李四  ")
    '李*'
    >>> mask_person_name("张三（个体经营者）")
    '张*（个体经营者）'
    """
    base, qualifier = split_qualifier(name)
    if qualifier:
        return mask_person_name(base) + qualifier
    name = name.strip()
    if not name:
        return ""
    if len(name) == 1:
        return MASK
    if any(c in _NAME_SEPARATORS for c in name) and any(
        c not in _NAME_SEPARATORS for c in name[1:]
    ):
        return name[0] + "".join(c if c in _NAME_SEPARATORS else MASK for c in name[1:])
    keep = 2 if len(name) > 2 and name[:2] in COMPOUND_SURNAMES else 1
    return name[:keep] + MASK * (len(name) - keep)


def is_probably_person_name(name: str) -> bool:
    """Guess whether ``name`` (a party's name with no other information) is a person's name.

    True for two to four Chinese characters without words that mark an organisation or a shop
    (公司, 店, 厂, 经营部 …), and for names written with a ``·``. Use it only when nothing
    better is known (a registered entity's kind is better).

    >>> is_probably_person_name("张三"), is_probably_person_name("欧阳娜娜")
    (True, True)
    >>> is_probably_person_name("保德县红枣商贸有限公司"), is_probably_person_name("张三红枣店")
    (False, False)
    >>> is_probably_person_name("张三（个体经营者）")
    True
    """
    name, _qualifier = split_qualifier(name)
    lowered = name.lower()
    if any(word in lowered for word in _ORGANISATION_WORDS):
        return False
    if len(name) >= 3 and name[-1] in _ORGANISATION_ENDINGS:
        return False
    if "·" in name or "•" in name:
        return all(_CJK.match(c) or c in "·•" for c in name)
    return 2 <= len(name) <= 4 and all(_CJK.match(c) for c in name)


def _names_pattern(person_names: Iterable[str]) -> re.Pattern[str] | None:
    names = set()
    for raw in person_names:
        name = (raw or "").strip()
        # One character is not a name one can find safely in running text; digits and '*'
        # would let masking feed on its own output.
        if len(name) < 2 or MASK in name or any(c.isdigit() for c in name):
            continue
        names.add(name)
    if not names:
        return None
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=lambda n: (-len(n), n)))
    # A name right before a '*' is the kept surname of a name masked already.
    return re.compile(f"(?:{alternatives})(?!\\*)")


def _mask_once(text: str, names: re.Pattern[str] | None) -> str:
    text = _EMAIL.sub(_mask_email, text)
    text = _ID18.sub(_mask_id18, text)
    text = _ID15.sub(lambda m: _keep(m.group(1), 3, 4), text)
    text = _BANK_CARD.sub(_mask_bank_card, text)
    text = _MOBILE.sub(_mask_mobile, text)
    text = _LANDLINE.sub(_mask_landline, text)
    if names is not None:
        text = names.sub(lambda m: mask_person_name(m.group(0)), text)
    return text


def mask_text(text: str, *, person_names: Iterable[str] = ()) -> str:
    """Return ``text`` with personal data masked (see the module docs for what and how).

    ``person_names`` are the natural persons the text names; every occurrence is masked with
    :func:`mask_person_name`, longest names first (so 欧阳娜娜 wins over 欧阳娜). Names shorter
    than two characters, or containing digits or ``*``, are ignored.

    The result is stable: masking it again changes nothing.

    >>> mask_text("联系人：李四，邮箱 lisi2020@163.com，座机 0350-4222222", person_names=["李四"])
    '联系人：李*，邮箱 l***@163.com，座机 0350-***2222'
    >>> mask_text("91440300708461136T 与 914403001922038216 是企业代码，不遮蔽。")
    '91440300708461136T 与 914403001922038216 是企业代码，不遮蔽。'
    >>> mask_text("卡号 6222 0212 3456 7890 123")
    '卡号 6222***********0123'
    """
    if not text:
        return text
    names = _names_pattern(person_names)
    # Masking is a closure: repeat until nothing changes, so that no pattern uncovered by an
    # earlier replacement is left behind. Two rounds suffice in practice.
    for _ in range(8):
        masked = _mask_once(text, names)
        if masked == text:
            break
        text = masked
    return text
