"""Comparing two records (engines.entities.scoring): real-world name variants, codes,
branches, people, and the properties every comparison keeps."""

from __future__ import annotations

import opencc
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipshield.engines.entities import (
    BRANCH_OF,
    LIKELY_THRESHOLD,
    PARENT_OF,
    SAME_PARENT,
    SAME_THRESHOLD,
    UNSURE_THRESHOLD,
    Decision,
    Record,
    decide,
    match_score,
    prepare,
)

SAME, LIKELY, UNSURE, DIFFERENT = (
    Decision.SAME,
    Decision.LIKELY,
    Decision.UNSURE,
    Decision.DIFFERENT,
)
BAODE = "保德县黄河食品有限公司"
ADDRESS = "山西省忻州市保德县东关镇新华街12号"


@pytest.mark.parametrize(
    ("a", "b", "decision", "reason"),
    [
        # Script, width, spacing and equivalent forms are ignored.
        (BAODE, "保德縣黃河食品有限責任公司", SAME, "已忽略：繁简/全半角写法、有限"),
        (BAODE, "保德县 黄河食品 有限公司", SAME, "名称核心相同（黄河食品）"),
        ("北京ABC科技有限公司", "ＡＢＣ科技（北京）有限公司", SAME, "繁简/全半角写法"),
        ("北京字节跳动科技有限公司", "字节跳动科技（北京）有限公司", SAME, "名称核心相同"),
        ("哈尔滨市道里区冰城食品有限公司", "黑龍江省哈爾濱市道裡區冰城食品有限公司", SAME,
         "地区写法"),
        (BAODE, "黄河食品（保德）有限公司", SAME, "地区写法 保德县/保德"),
        (BAODE, "山西省保德县黄河食品有限公司", SAME, "地区写法"),
        (BAODE, "保德县黄河食品公司", SAME, "有限公司/公司"),
        # A former name in brackets, on either side.
        (BAODE + "（原名保德县黄河食品厂）", "保德县黄河食品厂", SAME, "曾用名相同（保德县"),
        ("保德县黄河食品厂", BAODE + "（原名保德县黄河食品厂）", SAME, "曾用名相同"),
        (BAODE + "（原名保德县黄河食品厂）", BAODE, SAME, "名称核心相同"),
        # Probably the same: a changed form, no division, a wider industry, a homophone.
        (BAODE, "保德县黄河食品厂", LIKELY, "可能已改制"),
        (BAODE, "保德县黄河食品股份有限公司", LIKELY, "组织形式不同"),
        (BAODE, "黄河食品有限公司", LIKELY, "一方名称未写地区（保德县）"),
        (BAODE, "保德县黄河红枣食品有限公司", LIKELY, "行业表述相近（食品/红枣食品）"),
        ("保德县宏达商贸有限公司", "保德县鸿达商贸有限公司", LIKELY, "宏≈鸿 读音相同"),
        (BAODE, "忻州市黄河食品有限公司", LIKELY, "地区无法比对"),
        # Possibly: one character of the trade name differs.
        (BAODE, "保德县黄海食品有限公司", UNSURE, "名称核心近似（黄河食品/黄海食品）"),
        # Different: same trade name in another county, another industry, another company.
        (BAODE, "河曲县黄河食品有限公司", DIFFERENT, "地区不同（保德县/河曲县）"),
        (BAODE, "山西省河曲县黄河食品有限公司", DIFFERENT, "地区不同"),
        (BAODE, "保德县黄河建材有限公司", DIFFERENT, "字号相同（黄河）但行业不同（食品/建材）"),
        (BAODE, "保德县长城食品有限公司", DIFFERENT, "名称核心不同"),
        (BAODE, "保德县黄河食品集团有限公司", LIKELY, "一方为集团"),
    ],
)  # fmt: skip
def test_name_variants(a: str, b: str, decision: Decision, reason: str) -> None:
    match = match_score(Record(a), Record(b))
    assert match.decision == decision, match
    assert any(reason in r for r in match.reasons), match.reasons


def test_legal_representative_and_address_confirm_or_weaken() -> None:
    typo = Record("保德县黄海食品有限公司")
    entity = Record(BAODE, legal_representative="张建国", address=ADDRESS)
    assert match_score(typo, entity).decision == UNSURE
    with_rep = Record(typo.name, legal_representative="张建国")
    assert match_score(with_rep, entity).decision == LIKELY
    both = Record(typo.name, legal_representative="张建国", address="保德县东关镇新华街十二号")
    match = match_score(both, entity)
    assert match.decision == LIKELY and {"法定代表人相同（张建国）", "地址相同"} <= set(
        match.reasons
    )
    # Without a division in the name, the same representative or address makes it SAME.
    assert (
        match_score(Record("黄河食品有限公司", legal_representative="张建国"), entity).decision
        == SAME
    )
    no_region = Record("黄河食品有限公司", address="保德县东关镇新华街12号")
    match = match_score(no_region, entity)
    assert match.decision == SAME
    assert "一方名称未写地区，据地址同在保德县" in match.reasons
    # A different representative (they change) and a distant address weaken, not exclude.
    other = Record(BAODE, legal_representative="李四", address="保德县桥头镇人民路3号")
    match = match_score(other, entity)
    assert match.decision == LIKELY and "法定代表人不同（李四/张建国）" in match.reasons
    # The same person may run several companies: no help for different names.
    builder = Record("保德县黄河建材有限公司", legal_representative="张建国", address=ADDRESS)
    assert match_score(builder, entity).decision == DIFFERENT
    # A name without a division whose address is elsewhere.
    elsewhere = Record("黄河食品有限公司", address="山西省吕梁市离石区滨河路8号")
    match = match_score(elsewhere, entity)
    assert match.decision == DIFFERENT and any("地址在别处" in r for r in match.reasons)


def test_codes() -> None:
    code = "91140931MA0K9Y3X1T"
    assert decide(match_score(Record("a", uscc=code), Record("b", uscc=code)).score) == SAME
    renamed = match_score(Record(BAODE, uscc=code), Record("保德县长城建材有限公司", uscc=code))
    assert renamed.decision == SAME
    assert renamed.reasons == ("统一社会信用代码相同", "名称差异较大（可能已更名或录入有误）")
    other = "91140931MA0K9Y3Y1U"
    assert (
        match_score(Record(BAODE, uscc=code), Record("保德县长城建材有限公司", uscc=other)).score
        <= 0.3
    )
    same_name = match_score(Record(BAODE, uscc=code), Record(BAODE, uscc=other))
    assert same_name.decision == UNSURE
    assert same_name.reasons[0] == "名称相同但统一社会信用代码不同（可能重新登记或代码有误）"
    # A nine-character organisation code is characters 9-17 of the USCC.
    org = match_score(Record(BAODE, uscc=code), Record("黄河食品", uscc="MA0K9Y3X-1"))
    assert org.decision == SAME and org.reasons[0] == "组织机构代码相同"
    # A code with a wrong check character is not compared, and says so.
    bad = match_score(Record(BAODE, uscc="91140931MA0K9Y3X1A"), Record(BAODE, uscc=other))
    assert bad.decision == SAME
    assert "统一社会信用代码校验不通过（91140931MA0K9Y3X1A），未作比对" in bad.reasons
    assert any(
        "代码无法识别" in r for r in match_score(Record(BAODE, uscc="12"), Record(BAODE)).reasons
    )
    # Lower case, spaces and full width are accepted.
    assert match_score(Record("x", uscc="９１140931ma0k9y3x1t "), Record("y", uscc=code)).score == 1


def test_branches() -> None:
    branch = Record(BAODE + "东关分公司")
    match = match_score(branch, Record(BAODE))
    assert (match.decision, match.relation) == (UNSURE, BRANCH_OF)
    assert "分公司与总公司（东关分公司）" in match.reasons
    assert match_score(Record(BAODE), branch).relation == PARENT_OF
    # Its own code makes the branch a different entity, still related.
    coded = match_score(
        Record(BAODE + "东关分公司", uscc="91140931MA0K9Y3X1T"),
        Record(BAODE, uscc="91140931MA0K9Y3Y1U"),
    )
    assert (coded.decision, coded.relation) == (DIFFERENT, BRANCH_OF)
    siblings = match_score(branch, Record(BAODE + "南关分公司"))
    assert (siblings.decision, siblings.relation) == (DIFFERENT, SAME_PARENT)
    same = match_score(branch, Record("保德縣黃河食品有限責任公司東關分公司"))
    assert same.decision == SAME and "分支机构相同（东关分公司）" in same.reasons
    assert match_score(branch, Record("黄河食品有限公司东关分公司")).decision == LIKELY
    unrelated = match_score(branch, Record("保德县长城建材有限公司"))
    assert unrelated.relation is None and unrelated.decision == DIFFERENT


def test_people() -> None:
    shop = Record("保德县东关镇张三商行", legal_representative="张三", address=ADDRESS)
    company = Record(BAODE, legal_representative="张三", address=ADDRESS)
    alone = Record("张三")
    assert match_score(alone, shop).decision == UNSURE
    assert match_score(Record("张三", address="保德县东关镇新华街12号"), shop).decision == LIKELY
    rep_only = Record("", legal_representative="张三", address="保德县东关镇新华街12号")
    assert match_score(rep_only, company).decision == LIKELY
    assert match_score(Record("", legal_representative="张三"), company).decision == UNSURE
    # Never SAME without a code: many people share a name.
    assert match_score(rep_only, shop).score <= 0.9
    assert match_score(Record("李四", address=ADDRESS), shop).decision == DIFFERENT
    elsewhere = match_score(Record("张三", address="河曲县文笔镇新华街12号"), shop)
    assert elsewhere.decision == DIFFERENT
    assert match_score(Record("个体工商户张三"), Record("张三（个体工商户）")).decision == UNSURE


def test_thresholds_are_ordered() -> None:
    assert 0 < UNSURE_THRESHOLD < LIKELY_THRESHOLD < SAME_THRESHOLD <= 1
    assert decide(SAME_THRESHOLD) == SAME
    assert decide(LIKELY_THRESHOLD) == LIKELY
    assert decide(UNSURE_THRESHOLD) == UNSURE
    assert decide(0.0) == DIFFERENT


# -- properties -----------------------------------------------------------------------------------

PARTS = {
    "region": ["", "保德县", "山西省保德县", "河曲县", "忻州市", "哈尔滨市道里区", "北京"],
    "trade": ["黄河", "黄海", "鸿达", "宏达", "张三", "晋阳", "长城"],
    "industry": ["", "食品", "红枣食品", "商贸", "建材", "科技"],
    "form": ["", "有限公司", "有限责任公司", "股份有限公司", "公司", "厂", "商行", "集团有限公司"],
    "branch": ["", "", "", "东关分公司", "南关分公司", "第一分公司"],
    "former": ["", "", "", "（原名保德县黄河食品厂）", "(原保德县黄河食品有限公司)"],
}  # fmt: skip
REPS = [None, "张三", "李四", "张建国"]
ADDRESSES = [None, ADDRESS, "保德县东关镇新华街十二号", "河曲县文笔镇新华街12号", "新华街14号"]
CODES = [None, None, "91140931MA0K9Y3X1T", "91140931MA0K9Y3Y1U", "91140931MA0K9Y3X1A"]


@st.composite
def records(draw: st.DrawFn) -> Record:
    name = "".join(draw(st.sampled_from(PARTS[part])) for part in PARTS)
    if draw(st.booleans()) and name:
        name = draw(st.sampled_from([name, " ".join(name), name.replace("公司", "公 司")]))
    return Record(
        name,
        uscc=draw(st.sampled_from(CODES)),
        address=draw(st.sampled_from(ADDRESSES)),
        legal_representative=draw(st.sampled_from(REPS)),
    )


INVERSE = {BRANCH_OF: PARENT_OF, PARENT_OF: BRANCH_OF, SAME_PARENT: SAME_PARENT, None: None}


@given(records(), records())
def test_symmetric(a: Record, b: Record) -> None:
    ab, ba = match_score(a, b), match_score(b, a)
    assert ab.score == ba.score
    assert ab.decision == ba.decision
    assert ab.relation == INVERSE[ba.relation]


@given(records(), records())
def test_score_and_decision_agree(a: Record, b: Record) -> None:
    match = match_score(a, b)
    assert 0.0 <= match.score <= 1.0
    assert match.decision == decide(match.score)
    assert match.reasons
    assert all(isinstance(reason, str) and reason for reason in match.reasons)


@given(records())
def test_a_record_is_the_same_as_itself(a: Record) -> None:
    match = match_score(a, a)
    parsed = prepare(a)
    if parsed.uscc or parsed.org_code:
        assert match.decision == SAME
    elif parsed.person_only:
        # A person's name alone is never certain: many people share it.
        assert match.decision in (UNSURE, LIKELY), match
    elif parsed.name.core:
        assert match.decision == SAME, match


@given(records())
def test_traditional_characters_change_nothing(a: Record) -> None:
    converter = opencc.OpenCC("s2t")
    traditional = Record(
        converter.convert(a.name),
        uscc=a.uscc,
        address=converter.convert(a.address) if a.address else None,
        legal_representative=converter.convert(a.legal_representative)
        if a.legal_representative
        else None,
    )
    other = Record(BAODE, legal_representative="张三", address=ADDRESS)
    assert match_score(traditional, other).score == match_score(a, other).score
