"""Reading an implementation plan (实施方案, 实施意见) into its measures: a pure engine, no Django.

:func:`parse_plan` finds the document's hierarchy (一、 / （一） / 1. / （1）, full- or half-width,
in whatever order the document nests them), and returns the measures — the numbered items that
carry the work, not the section headings above them — in document order, each with its number
as printed, the heading it sits under, its title and text, its completion deadline (as printed
and as data) and its responsible units (lead units first when the text splits them).

Real documents are messy: labels are misspelt (完成时报 for 完成时限), separators missing or
doubled (责任单位； / 责任单位:), lists end with 等, groups such as 各乡（镇）党委、政府 stand for
several bodies, and a plan may be written in Traditional characters. Matching is done on a folded
copy of each line (Simplified, half-width) while everything returned is as printed. What the
parser cannot place (the preamble, the signature, an appendix) is returned in
``ParsedPlan.other_text``, never dropped.

>>> plan = parse_plan(
...     "二、完善制度\\n（一）完善法规。（完成时限：2020年。责任单位：县市场局、县法院等）"
... )
>>> [(m.number, m.title, m.deadline, m.units) for m in plan.measures]
[('（一）', '完善法规', '2020年', ['县市场局', '县法院'])]
>>> plan.measures[0].due.due_on
datetime.date(2020, 12, 31)
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from ipshield.engines.text import to_simplified

__all__ = [
    "Deadline",
    "ParsedMeasure",
    "ParsedPlan",
    "UnitMatch",
    "UnitRef",
    "group_kind",
    "match_unit",
    "parse_deadline",
    "parse_plan",
]

_NUMERALS = "零〇一二三四五六七八九十百"
# Marker styles: the order in which a document first uses them gives their depth.
_MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cn", re.compile(rf"^[{_NUMERALS}]+\s*[、.]")),
    ("cn_paren", re.compile(rf"^\(\s*[{_NUMERALS}]+\s*\)")),
    ("num", re.compile(r"^\d{1,3}\s*[.、](?!\d)")),
    ("num_paren", re.compile(r"^\(\s*\d{1,3}\s*\)")),
    ("circled", re.compile("^[\u2460-\u2473]")),
)
# Lines that end the body of the last measure: an appendix, the distribution list, a date or
# signature line, a web page's furniture.
_STOP = re.compile(
    r"^(附件|附:|抄送|抄报|印发|主送|责任编辑|来源|扫一扫|分享|打印|关闭"
    r"|\d{4}年\d{1,2}月\d{1,2}日\s*(印发)?$)"
)
_LABEL_DEADLINE = re.compile(r"(?:完成|办结|工作)?(?:时限|时间节点|时间|时报|期限)\s*[:;]\s*")
_LABEL_UNITS = re.compile(
    r"(?P<label>责任单位|责任部门|责任主体|牵头单位|主责单位|配合单位|参与单位|协办单位)\s*[:;]?\s*"
)
_LEAD_LABELS = ("牵头单位", "主责单位")
_SUPPORT_LABELS = ("配合单位", "参与单位", "协办单位")
_ONGOING = ("长期坚持", "持续推进", "长期", "常态化", "持续开展", "每年", "持续")
_SEPARATORS = re.compile(r"[、,;，；/]")
_BARE_BODIES = ("人民政府", "政府", "党委", "党组", "人大", "政协", "办事处")
_LEAD_SUFFIXES = ("牵头", "负责")
# a deadline written in the same parentheses as the units, not a unit
_DEADLINE_LIKE = re.compile(r"\d{4}\s*年|完成|长期坚持|持续推进|年底|常态化")
_SUPPORT_SUFFIXES = ("配合", "参与", "协助", "协办")


@dataclass(frozen=True)
class Deadline:
    """A completion deadline: ``kind`` is ``date`` (``due_on`` is the last day), ``years``
    (several years, ``due_on`` the end of the last), ``ongoing`` (长期坚持, 持续推进: reported
    on a cycle, no end) or ``unknown`` (printed, not understood)."""

    printed: str
    kind: str
    due_on: dt.date | None = None
    years: tuple[int, ...] = ()


@dataclass
class ParsedMeasure:
    number: str
    section: str
    title: str
    text: str
    deadline: str | None = None
    due: Deadline | None = None
    units: list[str] = field(default_factory=list)
    lead_units: list[str] = field(default_factory=list)
    supporting_units: list[str] = field(default_factory=list)


@dataclass
class ParsedPlan:
    title: str
    measures: list[ParsedMeasure]
    # what could not be placed in a measure or a heading: shown to the office, never dropped
    other_text: list[str]
    # the year the document was issued in (for deadlines such as 年底前), when printed
    year: int | None = None


@dataclass
class _Item:
    style: str
    depth: int
    number: str  # as printed
    line: str  # as printed, the marker removed
    key: str  # folded: Simplified, half-width, no spaces between Chinese characters
    parent: _Item | None
    children: list[_Item] = field(default_factory=list)
    more: list[tuple[str, str]] = field(default_factory=list)  # continuation lines (printed, key)


def _fold_char(char: str) -> str:
    code = ord(char)
    if 0xFF01 <= code <= 0xFF5E:
        return chr(code - 0xFEE0)
    if char in "\u3000\u00a0":
        return " "
    return char


_CJK_SPACE = re.compile(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])")


def _fold(line: str) -> str:
    """The line for matching: Simplified, half-width, without spaces next to Chinese text.
    Lengths may differ from the printed line (see :func:`_printed`)."""
    simplified = to_simplified(line)
    return _CJK_SPACE.sub("", "".join(_fold_char(c) for c in simplified))


def _printed(line: str, key_part: str) -> str:
    """``key_part`` as printed in ``line`` when it can be found there character for character
    (the fold keeps most lines' characters apart from width and spaces); else the folded text."""
    folded = "".join(_fold_char(c) for c in to_simplified(line))
    if len(folded) != len(line):
        return key_part
    # map the span of the space-less key back onto the printed line
    squeezed = _CJK_SPACE.sub("", folded)
    at = squeezed.find(key_part)
    if at < 0:
        return key_part
    # walk both strings to find the printed span of the squeezed span
    i = j = 0
    start = end = None
    while i < len(folded) and j <= len(squeezed):
        if j == at and start is None:
            start = i
        if j == at + len(key_part):
            end = i
            break
        if j < len(squeezed) and folded[i] == squeezed[j]:
            j += 1
        i += 1
    if start is None:
        return key_part
    if end is None:
        end = len(folded)
    return line[start:end].strip()


def _marker(key: str) -> tuple[str, int] | None:
    for style, pattern in _MARKERS:
        found = pattern.match(key)
        if found:
            return style, found.end()
    return None


def _title(body: str) -> str:
    """The measure's title: its first sentence (or the text before its tag)."""
    for stop in ("。", "(", ";"):
        at = body.find(stop)
        if 0 < at <= 80:
            return body[:at].strip(" .:")
    return body[:80].strip()


def _role_paren(key: str) -> int | None:
    """Where the last parenthesised group naming units by role opens — (县市场局牵头，县公安局
    配合), (县司法局负责) — or None. Parentheses inside a name (各乡(镇)) are part of it."""
    found = None
    depth = 0
    start = 0
    for i, char in enumerate(key):
        if char == "(":
            if depth == 0:
                start = i
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth == 0 and re.search(r"负责|牵头|配合", key[start:i]):
                found = start
    return found


def _tag_span(key: str) -> str:
    """The part of the text carrying the deadline and the units: from the first label (or the
    group of units by role in parentheses before it) on."""
    starts = [m.start() for m in (_LABEL_DEADLINE.search(key), _LABEL_UNITS.search(key)) if m]
    paren = _role_paren(key)
    if paren is not None and not _LABEL_UNITS.search(key):
        starts.append(paren)
    if not starts:
        return ""
    return key[min(starts) :]


def _until_close(text: str) -> str:
    """``text`` up to the parenthesis that closes the tag (parentheses inside names, such as
    各乡(镇), are kept)."""
    depth = 0
    for i, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                return text[:i]
            depth -= 1
    return text


def _deadline_text(tag: str) -> str | None:
    found = _LABEL_DEADLINE.search(tag)
    if found is not None:
        value = _until_close(tag[found.end() :])
        value = re.split(r"[。;,]|(?=责任|牵头|配合|主责)", value, maxsplit=1)[0]
        return value.strip(" .") or None
    loose = re.search(r"(\d{4}\s*年[^()。;,]*|年底前|长期坚持|持续推进|常态化)", tag)
    if loose is None:
        return None
    value = loose.group(1).strip()
    return value[: -len("完成")] if value.endswith("完成") and len(value) > 2 else value


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def parse_deadline(printed: str, *, year: int | None = None) -> Deadline:
    """Read a printed deadline: 2020年, 2021年6月底前, 2021年6月30日, 年底前 (in ``year``),
    2020—2022年, 2021年、2022年, 长期坚持, 持续推进."""
    key = _fold(printed)
    if any(word in key for word in _ONGOING) and not re.search(r"\d{4}", key):
        return Deadline(printed, "ongoing")
    dated = re.search(r"(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?", key)
    if dated:
        y, m = int(dated.group(1)), int(dated.group(2))
        if 1 <= m <= 12:
            if dated.group(3):
                try:
                    return Deadline(printed, "date", dt.date(y, m, int(dated.group(3))), (y,))
                except ValueError:
                    return Deadline(printed, "unknown")
            return Deadline(printed, "date", _last_day(y, m), (y,))
    span = re.search(r"(\d{4})\s*年?\s*(?:-|—|–|~|至|到)\s*(\d{4})\s*年", key)
    if span:
        first, last = sorted((int(span.group(1)), int(span.group(2))))
        years = tuple(range(first, last + 1))
        return Deadline(printed, "years", dt.date(last, 12, 31), years)
    years = tuple(sorted({int(y) for y in re.findall(r"(\d{4})\s*年", key)}))
    if len(years) > 1:
        return Deadline(printed, "years", dt.date(years[-1], 12, 31), years)
    if len(years) == 1:
        y = years[0]
        if "上半年" in key:
            return Deadline(printed, "date", dt.date(y, 6, 30), years)
        return Deadline(printed, "date", dt.date(y, 12, 31), years)
    if year is not None and re.search(r"年底|年内|本年", key):
        return Deadline(printed, "date", dt.date(year, 12, 31), (year,))
    if year is not None and "上半年" in key:
        return Deadline(printed, "date", dt.date(year, 6, 30), (year,))
    if any(word in key for word in _ONGOING):
        return Deadline(printed, "ongoing")
    return Deadline(printed, "unknown")


def _pieces(text: str) -> list[str]:
    """Split a list of units at its separators (not inside parentheses, as in 各乡(镇)) and
    drop a closing 等."""
    parts: list[str] = []
    depth, start = 0, 0
    for i, char in enumerate(text + "、"):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif depth == 0 and _SEPARATORS.match(char):
            parts.append(text[start:i])
            start = i + 1
    pieces: list[str] = []
    for raw in parts:
        piece = raw.strip(" .。:")
        if piece.endswith("等") and len(piece) > 1:
            piece = piece[:-1]
        if piece and not _DEADLINE_LIKE.search(piece):
            pieces.append(piece)
    return pieces


def _as_printed(text: str, units: list[str]) -> list[str]:
    """Units as printed (spaces next to Chinese characters dropped), with bare bodies given the
    place of the unit before them: 各乡（镇）党委、政府 → 各乡（镇）党委, 各乡（镇）政府."""
    found: list[str] = []
    for unit in units:
        piece = _CJK_SPACE.sub("", _printed(text, unit))
        previous = found[-1] if found else ""
        if _fold(piece) in _BARE_BODIES and previous.startswith("各"):
            for body in sorted(_BARE_BODIES, key=len, reverse=True):
                if _fold(previous).endswith(body):
                    piece = previous[: len(previous) - len(body)] + piece
                    break
        found.append(piece)
    return found


def _units(tag: str) -> tuple[list[str], list[str], list[str]]:
    """(units, lead units, supporting units) from the tag, folded."""
    labels = list(_LABEL_UNITS.finditer(tag))
    if not labels:
        paren = _role_paren(tag)
        if paren is None:
            return [], [], []
        labels_text = _until_close(tag[paren + 1 :])
        return _split_roles(_pieces(labels_text))
    lead: list[str] = []
    support: list[str] = []
    plain: list[str] = []
    for index, found in enumerate(labels):
        end = labels[index + 1].start() if index + 1 < len(labels) else len(tag)
        value = _until_close(tag[found.end() : end])
        value = re.split(r"。|(?=完成时|时限)", value, maxsplit=1)[0]
        label = found.group("label")
        pieces = _pieces(value)
        if label in _LEAD_LABELS:
            lead += pieces
        elif label in _SUPPORT_LABELS:
            support += pieces
        else:
            units, split_lead, split_support = _split_roles(pieces)
            if split_lead or split_support:
                lead += split_lead
                support += split_support
            else:
                plain += units
    if lead or support:
        return lead + support + plain, lead, support + plain
    return plain, [], []


def _split_roles(pieces: list[str]) -> tuple[list[str], list[str], list[str]]:
    """Units written as 县市场局牵头，县公安局、县法院配合 (or …负责): split into lead and
    supporting; a plain list stays plain."""
    lead: list[str] = []
    support: list[str] = []
    pending: list[str] = []
    split = False
    for piece in pieces:
        for suffix in _LEAD_SUFFIXES:
            if piece.endswith(suffix) and len(piece) > len(suffix):
                lead += [*pending, piece[: -len(suffix)]]
                pending, split = [], True
                break
        else:
            for suffix in _SUPPORT_SUFFIXES:
                if piece.endswith(suffix) and len(piece) > len(suffix):
                    support += [*pending, piece[: -len(suffix)]]
                    pending, split = [], True
                    break
            else:
                pending.append(piece)
    if not split:
        return pending, [], []
    if lead and not support and "负责" in "".join(pieces) and "牵头" not in "".join(pieces):
        # (A、B负责): every unit is responsible, none leads the others
        return lead + pending, [], []
    support += pending
    return lead + support, lead, support


def _document_year(lines: list[str]) -> int | None:
    for line in lines:
        found = re.search(r"(\d{4})年\d{1,2}月\d{1,2}日", _fold(line))
        if found:
            return int(found.group(1))
    return None


def _tree(lines: list[str]) -> tuple[list[_Item], list[str]]:
    """Numbered items nested by the order their marker styles first appear, with their
    continuation lines; and the lines outside any item."""
    items: list[_Item] = []
    other: list[str] = []
    styles: list[str] = []
    stack: list[_Item] = []
    closed = False  # the last item's tag is complete: what follows is not its body
    for printed in lines:
        line = printed.strip()
        if not line:
            continue
        key = _fold(line)
        found = _marker(key)
        if found is None:
            labelled = _LABEL_UNITS.match(key) or _LABEL_DEADLINE.match(key)
            if stack and (not closed or labelled) and not _STOP.match(key):
                stack[-1].more.append((line, key))
                closed = _tag_closed(key)
            else:
                other.append(line)
                if stack and _STOP.match(key):
                    stack = []  # an appendix: nothing after it continues a measure
            continue
        style, end = found
        if style in styles:
            depth = styles.index(style)
            del styles[depth + 1 :]
        else:
            styles.append(style)
            depth = len(styles) - 1
        while stack and stack[-1].depth >= depth:
            stack.pop()
        number = _printed(line, key[:end]) if key[:end] else key[:end]
        body_key = key[end:].strip()
        item = _Item(
            style=style,
            depth=depth,
            number=number.strip(),
            line=_printed(line, body_key) if body_key else "",
            key=body_key,
            parent=stack[-1] if stack else None,
        )
        if item.parent is not None:
            item.parent.children.append(item)
        items.append(item)
        stack.append(item)
        closed = _tag_closed(body_key)
    return items, other


def _tag_closed(key: str) -> bool:
    tag = _tag_span(key)
    return bool(tag) and (_LABEL_UNITS.search(tag) is not None or "负责" in tag)


def _full_key(item: _Item) -> str:
    return "".join([item.key, *(k for _p, k in item.more)])


def _full_text(item: _Item) -> str:
    return "\n".join([item.line, *(p for p, _k in item.more)]).strip()


def _carries_work(item: _Item) -> bool:
    return bool(_tag_span(_full_key(item)))


def _heading(item: _Item) -> str:
    return f"{item.number}{item.line}".strip()


def parse_plan(text: str) -> ParsedPlan:
    """Read a plan's text (pasted, or extracted from .txt, .docx or a PDF's text layer)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    year = _document_year(lines)
    items, other = _tree(lines)
    measures: list[ParsedMeasure] = []
    for item in items:
        leaf = not item.children
        works = _carries_work(item)
        children_work = any(_carries_work(child) for child in _descendants(item))
        if any(_is_measure_item(a) for a in _ancestors(item)):
            continue  # folded into an ancestor measure
        if not (leaf and (item.depth > 0 or works)) and not (works and not children_work):
            continue
        measures.append(_measure(item, year))
    title = next(
        (line.strip() for line in lines if _TITLE_END.search(line.strip())),
        "",
    ) or next(
        (
            line.strip()
            for line in lines
            if line.strip()
            and len(line.strip()) <= 60
            and not re.search(r"〔\d{4}〕|\[\d{4}\]|[:：]$", line)
        ),
        "",
    )
    return ParsedPlan(title=title, measures=measures, other_text=other, year=year)


# how a plan's title ends: 实施方案, 意见, 规划, 计划, 工作要点, 措施, 任务分工, 清单, 安排
_TITLE_END = re.compile(r"(方案|意见|意見|规划|規劃|計劃|计划|要点|要點|措施|分工|清单|清單|安排)$")


def _descendants(item: _Item) -> list[_Item]:
    found: list[_Item] = []
    for child in item.children:
        found += [child, *_descendants(child)]
    return found


def _ancestors(item: _Item) -> list[_Item]:
    found: list[_Item] = []
    parent = item.parent
    while parent is not None:
        found.append(parent)
        parent = parent.parent
    return found


def _is_measure_item(item: _Item) -> bool:
    """An item with children is still the measure when it carries the tag and they do not
    (its numbered sub-points are part of its text)."""
    if not item.children:
        return False
    return _carries_work(item) and not any(_carries_work(c) for c in _descendants(item))


def _measure(item: _Item, year: int | None) -> ParsedMeasure:
    key = _full_key(item)
    for child in _descendants(item):
        key += child.number + _full_key(child)
    text = _full_text(item)
    for child in _descendants(item):
        text += "\n" + f"{child.number}{_full_text(child)}"
    tag = _tag_span(key)
    deadline_key = _deadline_text(tag) if tag else None
    deadline = _printed(text, deadline_key) if deadline_key else None
    units, lead, support = _units(tag) if tag else ([], [], [])
    section = _heading(item.parent) if item.parent is not None else ""
    return ParsedMeasure(
        number=item.number,
        section=section,
        title=_printed(item.line, _title(item.key)),
        text=text,
        deadline=deadline,
        due=parse_deadline(deadline, year=year) if deadline else None,
        units=_as_printed(text, units),
        lead_units=_as_printed(text, lead),
        supporting_units=_as_printed(text, support),
    )


# --- matching printed unit names to the platform's units ----------------------------------

# Short forms in plans and their full names (applied to both sides before comparing).
_ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    ("市场监管局", "市场监督管理局"),
    ("市场局", "市场监督管理局"),
    ("文旅局", "文化和旅游局"),
    ("农业局", "农业农村局"),
    ("发改局", "发展和改革局"),
    ("工信局", "工业和信息化局"),
    ("人社局", "人力资源和社会保障局"),
    ("卫健体局", "卫生健康和体育局"),
    ("卫健局", "卫生健康局"),
    ("教科局", "教育科技局"),
    ("行政审批局", "行政审批服务管理局"),
    ("编办", "机构编制委员会办公室"),
    ("网信办", "网络安全和信息化委员会办公室"),
    ("人调委", "人民调解委员会"),
    ("人行", "中国人民银行"),
)
_LEVELS = "省市县区旗"


@dataclass(frozen=True)
class UnitRef:
    """A platform unit to match against: its key (the caller's id), name and short name."""

    key: object
    name: str
    short_name: str = ""


@dataclass(frozen=True)
class UnitMatch:
    """A candidate for a printed name: ``reason`` is a code (``same``, ``place`` — the same
    name without its place —, ``abbreviation``, ``contraction``, ``sound``, ``similar``) that
    the app translates; ``score`` is 0–1."""

    key: object
    name: str
    score: float
    reason: str


@lru_cache(maxsize=8192)
def _expanded(core: str) -> str:
    for short, full in _ABBREVIATIONS:
        if short in core and full not in core:
            core = core.replace(short, full)
    if core.endswith("法院") and "人民法院" not in core and "法庭" not in core:
        core = core[: -len("法院")] + "人民法院"
    if core.endswith("检察院") and "人民检察院" not in core:
        core = core[: -len("检察院")] + "人民检察院"
    return core


@lru_cache(maxsize=8192)
def _core(name: str, places: tuple[str, ...]) -> tuple[str, str]:
    """The name's level (县, 市, 省 … or "") and the rest, without the Party prefix and the
    place: 中共保德县委宣传部 → ("", 县委宣传部); 保德县市场监督管理局 → ("县", 市场监督管理局)."""
    core = _fold(name)
    core = core.removeprefix("中共")
    for place in sorted(places, key=len, reverse=True):
        base = place[:-1] if place and place[-1] in _LEVELS else place
        if base and core.startswith(base):
            core = core[len(base) :]
            break
    if len(core) > 1 and core[0] in _LEVELS and core[1] != "委":
        return core[0], core[1:]
    return "", core


@lru_cache(maxsize=8192)
def _folded(name: str) -> str:
    return _fold(name)


def _in_order(short: str, long: str) -> bool:
    at = 0
    for char in short:
        at = long.find(char, at)
        if at < 0:
            return False
        at += 1
    return True


@lru_cache(maxsize=4096)
def _sound(text: str) -> str:
    from pypinyin import lazy_pinyin

    return " ".join(lazy_pinyin(text))


def group_kind(name: str) -> str | None:
    """A group the plan names instead of units: ``townships`` (各乡（镇）政府 / 党委),
    ``departments`` (各有关部门, 各有关单位, 县直各单位), or None for a single unit."""
    key = _fold(name)
    if re.match(r"^各乡\(?镇\)?|^各乡镇|^各街道", key):
        return "townships"
    if re.match(r"^(各有关|县直各|各相关|各成员)", key):
        return "departments"
    return None


def match_unit(name: str, units: list[UnitRef], *, places: tuple[str, ...] = ()) -> list[UnitMatch]:
    """The platform units a printed name may mean, best first (scores of 0.6 and more).
    ``places`` are the names of the regions the plan covers (e.g. 保德县, 忻州市), stripped
    before comparing."""
    level, printed_core = _core(name, places)
    wanted = _expanded(printed_core)
    if not wanted:
        return []
    folded = _folded(name)
    found: list[UnitMatch] = []
    for unit in units:
        best: tuple[float, str] = (0.0, "")
        for form in filter(None, (unit.name, unit.short_name)):
            form_level, form_core = _core(form, places)
            if level and form_level and level != form_level:
                continue  # 县市场局 is not the 省市场监管局
            core = _expanded(form_core)
            if not core:
                continue
            same = form == name or _folded(form) == folded
            best = max(best, _compare(wanted, core, same=same, place=form_core == printed_core))
        if best[0] >= 0.6:
            found.append(UnitMatch(unit.key, unit.name, best[0], best[1]))
    found.sort(key=lambda m: (-m.score, m.name))
    return found


def _compare(wanted: str, core: str, *, same: bool, place: bool) -> tuple[float, str]:
    from rapidfuzz.fuzz import ratio

    if core == wanted:
        if same:
            return 1.0, "same"
        return (0.97, "place") if place else (0.95, "abbreviation")
    shorter, longer = sorted((wanted, core), key=len)
    # a contraction keeps the first character and the order of the rest (人行保德支行)
    if shorter[0] == longer[0] and _in_order(shorter, longer) and len(shorter) >= len(longer) * 0.6:
        return 0.8, "contraction"
    if _sound(core) == _sound(wanted):
        return 0.85, "sound"
    similarity = ratio(core, wanted) / 100
    return (round(similarity * 0.9, 3), "similar") if similarity >= 0.8 else (0.0, "")
