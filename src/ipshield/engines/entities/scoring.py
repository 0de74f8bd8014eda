"""Comparing two records of market entities: a score, a decision and reasons.

:func:`match_score` compares two :class:`Record` s. The evidence, strongest first:

1. **Codes.** The same unified social credit code (or the same organisation code, which is
   characters 9-17 of a USCC) means the same entity: score 1, :attr:`Decision.SAME`. Two
   different valid codes mean different entities (see below for branches and identical
   names). A code that fails its check character is ignored, with a reason.
2. **Names** (:func:`.names.parse_name`). The core (trade name + industry) is compared
   first: identical (1), the same trade name with a related (0.9) or a different (0.35)
   industry, the same industry with different trade names (0.5 + half the trade names'
   edit similarity), else the edit similarity of the cores; a homophone counts 0.3 of a
   substitution (宏≈鸿). The result is multiplied by a factor for the divisions (same 1;
   one name without 0.88, or 0.95 / 0.60 when that record's address is in / outside the
   other's division; not comparable 0.85; conflicting 0.45) and one for the organisational
   forms (equivalent 1, 公司 / 有限公司 0.97, 有限公司 / 股份有限公司 0.9, 厂 / 有限公司 0.85,
   shop / company 0.75 …). Former names in brackets are tried too; the best pairing counts.
3. **Legal representative and address** confirm or weaken a name match: the same
   representative moves the score 45 % of the way to 1, a close address (≥ 0.85) 35 %; a
   different representative or a distant address multiplies it by 0.93. They are only used
   when the names already score at least 0.6: one person may run several companies.

Caps keep SAME for strong evidence: without a code, SAME needs the same core or a
confirming representative or address (otherwise at most 0.90); a record naming only a
person (an operator, a legal representative) is at most 0.90. A branch and its company
are different entities: 0.70 (UNSURE, for an officer to look at) with
``relation = "branch_of"`` / ``"parent_of"`` when no codes say otherwise, at most 0.50
when both have different codes; two branches of one company are different (at most 0.40,
``"same_parent"``). Identical names with different valid codes score 0.70 (UNSURE: a
re-registration or a typing error in one of the codes).

The decision follows from the score alone: SAME ≥ :data:`SAME_THRESHOLD` (0.92),
LIKELY ≥ :data:`LIKELY_THRESHOLD` (0.80), UNSURE ≥ :data:`UNSURE_THRESHOLD` (0.60),
DIFFERENT below. The score is symmetric: ``match_score(a, b).score ==
match_score(b, a).score``; ``relation`` is read from ``a`` to ``b``.

>>> m = match_score(Record("保德縣黃河食品有限責任公司"), Record("保德县黄河食品有限公司"))
>>> m.decision.value
'same'
>>> m.reasons[0]
'名称核心相同（黄河食品），已忽略：繁简/全半角写法、有限责任公司/有限公司'
>>> m = match_score(Record("保德县黄河食品有限公司东关分公司"), Record("保德县黄河食品有限公司"))
>>> m.decision, m.relation
(<Decision.UNSURE: 'unsure'>, 'branch_of')
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from pypinyin import lazy_pinyin
from rapidfuzz.distance import Levenshtein

from ipshield.engines import uscc as uscc_codes
from ipshield.engines.reasons import Reason
from ipshield.engines.text import normalize_name

from .addresses import ParsedAddress, address_similarity
from .addresses import _parse as _parse_address
from .names import ParsedName, form_family
from .names import _parse as _parse_name
from .regions import (
    AGREE,
    CONFLICT,
    DEFAULT_REGIONS,
    DISJOINT,
    MISSING,
    Division,
    Regions,
    compare_divisions,
)

__all__ = [
    "BRANCH_OF",
    "LIKELY_THRESHOLD",
    "PARENT_OF",
    "SAME_PARENT",
    "SAME_THRESHOLD",
    "UNSURE_THRESHOLD",
    "Decision",
    "Match",
    "ParsedRecord",
    "Record",
    "decide",
    "match_score",
    "prepare",
    "warm_up",
]

#: At or above: the same entity; link automatically.
SAME_THRESHOLD = 0.92
#: At or above (below SAME): probably the same entity; link and ask an officer to confirm.
LIKELY_THRESHOLD = 0.80
#: At or above (below LIKELY): possibly the same entity; an officer decides (review queue).
UNSURE_THRESHOLD = 0.60

#: ``Match.relation``: the first record is a branch of the second, or its company, or both
#: are branches of one company.
BRANCH_OF = "branch_of"
PARENT_OF = "parent_of"
SAME_PARENT = "same_parent"

# Factors and weights (see the module docstring).
_REGION_FACTOR = {AGREE: 1.0, CONFLICT: 0.45, DISJOINT: 0.85, MISSING: 0.88}
# One name has no division, and the divisions of its address agree / conflict.
_IMPLIED_AGREE = 0.95
_IMPLIED_CONFLICT = 0.6
_REP_WEIGHT = 0.45
_ADDRESS_WEIGHT = 0.35
_CLOSE_ADDRESS = 0.85
_FAR_ADDRESS = 0.4
_CONTRA = 0.93
_MIN_CORROBORATE = 0.6
_UNCORROBORATED_CAP = 0.90
_PERSON_CAP = 0.90
_BRANCH_CAP = 0.70
_BRANCH_CODES_CAP = 0.50
_SIBLING_CAP = 0.40
_SAME_NAME_OTHER_CODE = 0.70
_OTHER_CODE_CAP = 0.30
_HOMOPHONE_COST = 0.3
_NOT_WORD = re.compile(r"[^\w]|_")


class Decision(enum.StrEnum):
    """What a score means for linking (thresholds in the module docstring)."""

    SAME = "same"
    LIKELY = "likely"
    UNSURE = "unsure"
    DIFFERENT = "different"


def decide(score: float) -> Decision:
    """The decision for a score.

    >>> [decide(s).value for s in (0.95, 0.85, 0.7, 0.2)]
    ['same', 'likely', 'unsure', 'different']
    """
    if score >= SAME_THRESHOLD:
        return Decision.SAME
    if score >= LIKELY_THRESHOLD:
        return Decision.LIKELY
    if score >= UNSURE_THRESHOLD:
        return Decision.UNSURE
    return Decision.DIFFERENT


@dataclass(frozen=True)
class Record:
    """What a record says about an entity. Only ``name`` is required; it may also be a
    person's name (an operator or legal representative given instead of a business name),
    or empty when only ``legal_representative`` is known.

    ``uscc`` takes an 18-character unified social credit code or a 9-character
    organisation code (组织机构代码, with or without its hyphen).
    """

    name: str = ""
    uscc: str | None = None
    address: str | None = None
    legal_representative: str | None = None


@dataclass(frozen=True)
class Match:
    """The comparison of two records: ``score`` in [0, 1], its ``decision``, ``reasons`` in
    Chinese for the officer, and the ``relation`` of the first to the second
    (:data:`BRANCH_OF`, :data:`PARENT_OF`, :data:`SAME_PARENT` or ``None``)."""

    score: float
    decision: Decision
    reasons: tuple[str, ...]
    relation: str | None = None


class ParsedRecord(NamedTuple):
    """A :class:`Record` taken apart once, for comparing with many others
    (:func:`prepare`)."""

    raw_name: str
    name: ParsedName
    address: ParsedAddress | None
    representative: str
    uscc: str
    org_code: str
    code_note: Reason | None
    respelled: bool = False  # normalising the name changed more than spaces and punctuation

    @property
    def person_only(self) -> bool:
        """The record names a person, not a business."""
        return self.name.person or (not self.name.text and bool(self.representative))

    @property
    def persons(self) -> frozenset[str]:
        names = {self.representative} if self.representative else set()
        if self.name.person and self.name.trade:
            names.add(self.name.trade)
        return frozenset(names)

    @property
    def regions(self) -> tuple[Division, ...]:
        """Divisions from the name, else from the address."""
        if self.name.region:
            return self.name.region
        return self.address.region if self.address is not None else ()


def _r(code: str, text: str, /, **params: object) -> Reason:
    """A reason of this engine (code ``entities.<code>``); parameters are names and codes."""
    return Reason(f"entities.{code}", text, **params)


def _codes(raw: str | None) -> tuple[str, str, Reason | None]:
    """(USCC, organisation code, note) of a code as given."""
    if not raw or not raw.strip():
        return "", "", None
    code = uscc_codes.normalize(unicodedata.normalize("NFKC", raw)).replace("-", "")
    if len(code) == uscc_codes.LENGTH:
        if uscc_codes.is_valid(code):
            return code, code[8:17], None
        return (
            "",
            "",
            _r("uscc_invalid", f"统一社会信用代码校验不通过（{code}），未作比对", code=code),
        )
    if len(code) == 9 and code.isalnum():
        return "", code, None
    return "", "", _r("code_unknown", f"代码无法识别（{raw.strip()}），未作比对", code=raw.strip())


def _normalize_all(*texts: str) -> list[str]:
    """:func:`normalize_name` of several texts in one call (one OpenCC conversion)."""
    joined = "|".join(t.replace("|", " ").replace("｜", " ") for t in texts)
    parts = normalize_name(joined).split("|")
    if len(parts) != len(texts):  # pragma: no cover - a separator appeared from nowhere
        return [normalize_name(t) for t in texts]
    return [part.strip() for part in parts]


def prepare(record: Record, regions: Regions = DEFAULT_REGIONS) -> ParsedRecord:
    """Parse a record once (name, address, representative, code)."""
    uscc, org_code, note = _codes(record.uscc)
    name, address_text, rep = _normalize_all(
        record.name or "", record.address or "", record.legal_representative or ""
    )
    rep = _NOT_WORD.sub("", rep)
    address = _parse_address(address_text, regions) if address_text else None
    return ParsedRecord(
        raw_name=record.name or "",
        name=_parse_name(name, regions, 0),
        address=address if address is not None and address.text else None,
        representative=rep,
        uscc=uscc,
        org_code=org_code,
        code_note=note,
        respelled=_NOT_WORD.sub("", name) != _NOT_WORD.sub("", record.name or "").lower(),
    )


# -- names -------------------------------------------------------------------------------------


@cache
def _syllable(ch: str) -> str:
    return lazy_pinyin(ch)[0] if "\u4e00" <= ch <= "\u9fff" else ch


def warm_up() -> None:
    """Load the pinyin and OpenCC dictionaries now rather than in the first comparison."""
    _syllable("中")
    normalize_name("體")


def _edit_similarity(x: str, y: str) -> tuple[float, list[str]]:
    """1 - weighted edits / longer length; a substitution by a homophone costs 0.3."""
    if x > y:  # the same alignment whichever way round: the score is symmetric
        x, y = y, x
    cost = 0.0
    homophones: list[str] = []
    for op in Levenshtein.editops(x, y):
        if op.tag == "replace":
            a, b = x[op.src_pos], y[op.dest_pos]
            if _syllable(a) == _syllable(b) and a != b:
                cost += _HOMOPHONE_COST
                homophones.append(f"{a}≈{b}")
                continue
        cost += 1
    return max(0.0, 1 - cost / max(len(x), len(y), 1)), homophones


class _Context(NamedTuple):
    regions: Regions
    spelling: bool  # one name needed normalising (繁→简, full width), the other not
    address_a: tuple[Division, ...]  # divisions of the addresses
    address_b: tuple[Division, ...]


@dataclass
class _NameResult:
    score: float
    reasons: list[Reason]
    relation: str | None = None
    identical_core: bool = False


def _core(x: ParsedName, y: ParsedName) -> tuple[float, Reason, bool]:
    """Core similarity, its reason, and whether the cores are identical."""
    if not x.core or not y.core:
        return 0.0, _r("name_empty", "名称为空或无法识别，未作比对"), False
    if x.core == y.core:
        return 1.0, _r("core_same", f"名称核心相同（{x.core}）", core=x.core), True
    if x.trade and x.trade == y.trade:
        xi, yi = x.industry, y.industry
        t = x.trade
        if xi and yi:
            if xi in yi or yi in xi:
                text = f"字号相同（{t}），行业表述相近（{xi}/{yi}）"
                return 0.9, _r("trade_industry_close", text, trade=t, a=xi, b=yi), False
            if set(xi) & set(yi):
                text = f"字号相同（{t}），行业表述不同（{xi}/{yi}）"
                return 0.6, _r("trade_industry_other", text, trade=t, a=xi, b=yi), False
            text = f"字号相同（{t}）但行业不同（{xi}/{yi}）"
            return 0.35, _r("trade_industry_different", text, trade=t, a=xi, b=yi), False
        return 0.85, _r("trade_industry_missing", f"字号相同（{t}），一方未写行业", trade=t), False
    if x.industry and x.industry == y.industry and x.trade and y.trade:
        # Same industry, different trade names: only the trade names tell them apart
        # (联伟装饰工程 / 联宏装饰工程 is one of two characters, not one of six).
        sim, homophones = _edit_similarity(x.trade, y.trade)
        sim = 0.5 + 0.5 * sim
    else:
        sim, homophones = _edit_similarity(x.core, y.core)
    a, b = x.core, y.core
    if sim >= 0.6 and homophones:
        text = f"名称核心近似（{a}/{b}；{'、'.join(homophones)} 读音相同）"
        return sim, _r("core_similar_sound", text, a=a, b=b, homophones=homophones), False
    if sim >= 0.6:
        return sim, _r("core_similar", f"名称核心近似（{a}/{b}）", a=a, b=b), False
    return sim, _r("core_different", f"名称核心不同（{a}/{b}）", a=a, b=b), False


def _region_label(divisions: tuple[Division, ...]) -> str:
    return "".join(d.name for d in divisions)


def _form_factor(x: ParsedName, y: ParsedName) -> tuple[float, Reason | None, bool]:
    """Factor, reason, and whether the difference is ignorable (equivalent forms)."""
    fx = ("集团" if x.group else "") + x.form_class
    fy = ("集团" if y.group else "") + y.form_class
    a, b = x.form or fx, y.form or fy
    shown = f"{a}/{b}"
    forms = _r("forms", shown, a=a, b=b)
    different = _r("form_different", f"组织形式不同（{shown}）", a=a, b=b)
    if fx == fy:
        return 1.0, (forms if x.form != y.form else None), True
    if not fx or not fy:
        return 0.95, _r("form_missing", f"一方未写组织形式（{fx or fy}）", form=fx or fy), True
    if x.form_class == y.form_class:  # only 集团 differs
        return 0.85, _r("group", f"一方为集团（{shown}）", a=a, b=b), False
    family_x, family_y = form_family(x.form_class), form_family(y.form_class)
    if family_x == family_y == "company":
        pair = {x.form_class, y.form_class}
        if pair == {"有限公司", "公司"}:
            return 0.97, forms, True
        return 0.9, different, False
    if family_x == family_y:
        return 0.85, different, False
    if {family_x, family_y} == {"company", "factory"}:
        text = f"组织形式不同（{shown}），可能已改制"
        return 0.85, _r("form_restructured", text, a=a, b=b), False
    if "shop" in (family_x, family_y) and {family_x, family_y} <= {"shop", "company", "factory"}:
        return 0.75, different, False
    return 0.7, different, False


def _plain(x: ParsedName, y: ParsedName, context: _Context) -> _NameResult:
    """Compare two names as head offices (branch parts ignored)."""
    core, core_reason, identical = _core(x, y)
    regions = context.regions
    relation = compare_divisions(x.region, y.region, regions)
    ignored: list[Reason] = []
    reasons: list[Reason] = []
    if context.spelling:
        ignored.append(_r("spelling", "繁简/全半角写法"))
    region_factor = _REGION_FACTOR.get(relation, 1.0)
    rx, ry = _region_label(x.region), _region_label(y.region)
    if relation == MISSING:
        # The name without a division may have an address that says where it is.
        implied = context.address_b if x.region else context.address_a
        by_address = compare_divisions(x.region or implied, y.region or implied, regions)
        if implied and by_address == AGREE:
            region_factor = _IMPLIED_AGREE
            region = rx or ry
            reasons.append(
                _r("region_by_address", f"一方名称未写地区，据地址同在{region}", region=region)
            )
            relation = ""
        elif implied and by_address == CONFLICT:
            region_factor = _IMPLIED_CONFLICT
            a, b = _region_label(implied), rx or ry
            text = f"一方名称未写地区，但地址在别处（{a}/{b}）"
            reasons.append(_r("region_address_elsewhere", text, a=a, b=b))
            relation = ""
    if relation == AGREE:
        if rx != ry:
            ignored.append(_r("region_written", f"地区写法 {rx}/{ry}", a=rx, b=ry))
    elif relation == MISSING:
        reasons.append(_r("region_missing", f"一方名称未写地区（{rx or ry}）", region=rx or ry))
    elif relation == DISJOINT:
        reasons.append(_r("region_incomparable", f"地区无法比对（{rx}/{ry}）", a=rx, b=ry))
    elif relation == CONFLICT:
        reasons.append(_r("region_different", f"地区不同（{rx}/{ry}）", a=rx, b=ry))
    form_factor, form_reason, ignorable = _form_factor(x, y)
    if form_reason is not None:
        (ignored if ignorable and form_factor == 1.0 else reasons).append(form_reason)
    skipped = [r.as_data() for r in ignored]
    if identical and ignored:
        text = f"{core_reason}，已忽略：{'、'.join(ignored)}"
        core_reason = _r("core_same_ignoring", text, core=x.core, ignored=skipped)
    elif ignored:
        reasons.append(_r("ignoring", "已忽略：" + "、".join(ignored), ignored=skipped))
    return _NameResult(core * region_factor * form_factor, [core_reason, *reasons], None, identical)


def _branch_label(branch: str) -> str:
    """东关分公司 → 东关 (the place), 分公司 → empty."""
    for word in ("分公司", "分厂", "分店", "分部", "营业部", "门市部", "经营部", "门店", "店"):
        if branch.endswith(word):
            return branch[: -len(word)]
    return branch


def _names(x: ParsedName, y: ParsedName, context: _Context) -> _NameResult:
    result = _plain(x, y, context)
    if not x.branch and not y.branch:
        return result
    if x.branch and y.branch:
        if x.branch == y.branch or _branch_label(x.branch) == _branch_label(y.branch) != "":
            text = f"分支机构相同（{x.branch}）"
            result.reasons.append(_r("branch_same", text, branch=x.branch))
            return result
        if result.score >= LIKELY_THRESHOLD:
            result.relation = SAME_PARENT
            text = f"同一企业的不同分支机构（{x.branch}/{y.branch}）"
            result.reasons.append(_r("branch_siblings", text, a=x.branch, b=y.branch))
        result.score = min(result.score, _SIBLING_CAP)
        result.identical_core = False
        return result
    if result.score >= LIKELY_THRESHOLD:
        result.relation = BRANCH_OF if x.branch else PARENT_OF
        branch = x.branch or y.branch
        result.reasons.append(_r("branch_of", f"分公司与总公司（{branch}）", branch=branch))
    else:
        branch = x.branch or y.branch
        result.reasons.append(_r("branch_one", f"一方为分支机构（{branch}）", branch=branch))
    result.score = min(result.score, _BRANCH_CAP)
    result.identical_core = False
    return result


def _best_names(a: ParsedRecord, b: ParsedRecord, regions: Regions) -> _NameResult:
    context = _Context(
        regions,
        a.respelled != b.respelled,
        a.address.region if a.address is not None else (),
        b.address.region if b.address is not None else (),
    )
    best = _names(a.name, b.name, context)
    for x, y, which in [(f, b.name, "a") for f in a.name.former] + [
        (a.name, f, "b") for f in b.name.former
    ]:
        other = _names(x, y, context._replace(spelling=False))
        if other.score > best.score:
            former = x if which == "a" else y
            name = former.text
            other.reasons.insert(
                0,
                _r("former_same", f"曾用名相同（{name}）", name=name)
                if other.score >= 0.9
                else _r("former_compared", f"按曾用名比对（{name}）", name=name),
            )
            best = other
    return best


# -- people --------------------------------------------------------------------------------------


def _person_match(p: ParsedRecord, q: ParsedRecord, regions: Regions) -> _NameResult:
    """``p`` names only a person; ``q`` is a business or a person."""
    persons = p.persons
    names = sorted(persons)
    reasons = [_r("person_only", f"仅有经营者或法定代表人姓名（{'、'.join(names)}）", names=names)]
    if q.person_only:
        same = bool(persons & q.persons)
        score = 0.65 if same else 0.1
        others = sorted(q.persons)
        reasons.append(
            _r("person_same", "姓名相同")
            if same
            else _r("person_different", f"姓名不同（{'、'.join(others)}）", names=others)
        )
    else:
        rep = q.representative in persons
        in_name = any(person in q.name.text for person in persons)
        score = 0.72 if rep and in_name else 0.68 if in_name else 0.65 if rep else 0.1
        if rep:
            text = f"与法定代表人相同（{q.representative}）"
            reasons.append(_r("person_representative", text, name=q.representative))
        if in_name:
            reasons.append(_r("person_in_name", "名称含经营者姓名"))
        if not rep and not in_name:
            reasons.append(_r("person_unmatched", "与名称和法定代表人均不符"))
    relation = compare_divisions(p.regions, q.regions, regions)
    if relation == CONFLICT:
        score *= 0.5
        a, b = _region_label(p.regions), _region_label(q.regions)
        reasons.append(_r("region_different", f"地区不同（{a}/{b}）", a=a, b=b))
    elif relation == AGREE and score > 0.5:
        score += 0.05
        region = _region_label(p.regions)
        reasons.append(_r("region_same", f"地区相同（{region}）", region=region))
    return _NameResult(score, reasons)


# -- the comparison ---------------------------------------------------------------------------


def _codes_relation(a: ParsedRecord, b: ParsedRecord) -> tuple[str | None, Reason | None]:
    if a.uscc and b.uscc:
        if a.uscc == b.uscc:
            return "same", _r("uscc_same", "统一社会信用代码相同")
        text = f"统一社会信用代码不同（{a.uscc}/{b.uscc}）"
        return "different", _r("uscc_different", text, a=a.uscc, b=b.uscc)
    if a.org_code and b.org_code:
        if a.org_code == b.org_code:
            return "same", _r("org_same", "组织机构代码相同")
        text = f"组织机构代码不同（{a.org_code}/{b.org_code}）"
        return "different", _r("org_different", text, a=a.org_code, b=b.org_code)
    return None, None


def _finish(score: float, reasons: list[Reason | None], relation: str | None = None) -> Match:
    score = round(min(1.0, max(0.0, score)), 4)
    unique = tuple(dict.fromkeys(r for r in reasons if r))
    return Match(score, decide(score), unique, relation)


def compare(a: ParsedRecord, b: ParsedRecord, regions: Regions = DEFAULT_REGIONS) -> Match:
    """:func:`match_score` for records already parsed with :func:`prepare`."""
    notes = [n for n in (a.code_note, b.code_note) if n is not None]
    codes, code_reason = _codes_relation(a, b)
    person = a.person_only or b.person_only
    if person:
        names = _person_match(a, b, regions) if a.person_only else _person_match(b, a, regions)
    else:
        names = _best_names(a, b, regions)
    if codes == "same":
        extra = (
            []
            if names.score >= UNSURE_THRESHOLD
            else [_r("names_far", "名称差异较大（可能已更名或录入有误）")]
        )
        return _finish(1.0, [code_reason, *extra, *notes])
    if codes == "different":
        if names.relation is not None:
            return _finish(
                min(names.score, _BRANCH_CODES_CAP), [code_reason, *names.reasons], names.relation
            )
        if names.score >= SAME_THRESHOLD and not person:
            return _finish(
                _SAME_NAME_OTHER_CODE,
                [
                    _r(
                        "same_name_other_uscc",
                        "名称相同但统一社会信用代码不同（可能重新登记或代码有误）",
                    ),
                    code_reason,
                ],
            )
        return _finish(min(names.score, _OTHER_CODE_CAP), [code_reason, *names.reasons])

    score = names.score
    reasons = list(names.reasons)
    corroborated = False
    # Legal representative (not for person-only records: already used).
    rep_weight = 0.0
    if not person and a.representative and b.representative:
        if a.representative == b.representative:
            rep_weight = _REP_WEIGHT
            corroborated = True
            text = f"法定代表人相同（{a.representative}）"
            reasons.append(_r("representative_same", text, name=a.representative))
        else:
            score *= _CONTRA
            text = f"法定代表人不同（{a.representative}/{b.representative}）"
            reasons.append(
                _r("representative_different", text, a=a.representative, b=b.representative)
            )
    address_weight = 0.0
    if a.address is not None and b.address is not None:
        similarity = address_similarity(a.address, b.address, regions)
        if similarity is not None and similarity >= _CLOSE_ADDRESS:
            address_weight = _ADDRESS_WEIGHT if not person else 0.6
            corroborated = True
            reasons.append(
                _r("address_same", "地址相同")
                if similarity == 1.0
                else _r("address_close", "地址相近")
            )
        elif similarity is not None and similarity <= _FAR_ADDRESS:
            score *= _CONTRA if not person else 0.7
            reasons.append(_r("address_different", "地址不同"))
    if names.score >= _MIN_CORROBORATE or (person and names.score > 0.5):
        weight = 1 - (1 - rep_weight) * (1 - address_weight)
        score += (1 - score) * weight
    if person:
        score = min(score, _PERSON_CAP)
    elif names.relation in (BRANCH_OF, PARENT_OF):
        score = min(score, _BRANCH_CAP)
    elif names.relation == SAME_PARENT:
        score = min(score, _SIBLING_CAP)
    elif not names.identical_core and not corroborated:
        score = min(score, _UNCORROBORATED_CAP)
    return _finish(score, [*reasons, *notes], names.relation)


def match_score(a: Record, b: Record, *, regions: Regions = DEFAULT_REGIONS) -> Match:
    """Compare two records (see the module docstring for the rules).

    >>> shop = Record("保德县东关镇张三商行", legal_representative="张三")
    >>> match_score(Record("张三"), shop).decision
    <Decision.UNSURE: 'unsure'>
    >>> m = match_score(Record("保德县黄河食品有限公司"), Record("河曲县黄河食品有限公司"))
    >>> m.decision, m.reasons[1]
    (<Decision.DIFFERENT: 'different'>, '地区不同（保德县/河曲县）')
    """
    return compare(prepare(a, regions), prepare(b, regions), regions)
