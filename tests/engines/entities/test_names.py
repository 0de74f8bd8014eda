"""Parsing names and addresses (engines.entities.names, .addresses, .regions)."""

from __future__ import annotations

import doctest
import importlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipshield.engines.entities import (
    Regions,
    address_similarity,
    is_person_name,
    parse_address,
    parse_name,
)
from ipshield.engines.entities.regions import compare_divisions, leading_divisions
from ipshield.engines.text import normalize_name

MODULES = ["", ".regions", ".names", ".addresses", ".scoring", ".index", ".synthetic"]


@pytest.mark.parametrize("module", MODULES)
def test_doctests(module: str) -> None:
    result = doctest.testmod(importlib.import_module("ipshield.engines.entities" + module))
    assert result.failed == 0
    assert result.attempted > 0


@pytest.mark.parametrize(
    ("name", "regions", "trade", "industry", "form_class", "branch"),
    [
        ("保德县黄河食品有限公司", ("保德",), "黄河", "食品", "有限公司", ""),
        ("保德縣黃河食品有限責任公司", ("保德",), "黄河", "食品", "有限公司", ""),
        ("黄河食品（保德）有限公司", ("保德",), "黄河", "食品", "有限公司", ""),
        ("黄河食品(保德)有限公司", ("保德",), "黄河", "食品", "有限公司", ""),
        ("山西省太原市小店区晋阳红枣食品有限公司", ("山西", "太原", "小店"), "晋阳", "红枣食品",
         "有限公司", ""),
        ("哈尔滨市道里区冰城食品有限公司", ("哈尔滨", "道里"), "冰城", "食品", "有限公司", ""),
        ("黑龍江省哈爾濱市道裡區冰城食品有限公司", ("黑龙江", "哈尔滨", "道里"), "冰城", "食品",
         "有限公司", ""),
        ("保德县黄河食品有限公司东关分公司", ("保德",), "黄河", "食品", "有限公司", "东关分公司"),
        ("太原市黄河食品有限公司第一分公司", ("太原",), "黄河", "食品", "有限公司", "第一分公司"),
        ("保德县东关镇张三商行", ("保德", "东关"), "张三", "", "商行", ""),
        ("保德县鑫源五金经营部", ("保德",), "鑫源", "五金", "经营部", ""),
        ("北京字节跳动科技有限公司", ("北京",), "字节跳动", "科技", "有限公司", ""),
        ("腾讯科技（深圳）有限公司", ("深圳",), "腾讯", "科技", "有限公司", ""),
        ("山西黄河集团有限公司", ("山西",), "黄河", "", "有限公司", ""),
        ("保德县食品公司", ("保德",), "食品", "", "公司", ""),
        ("沛县黄河食品有限公司", ("沛",), "黄河", "食品", "有限公司", ""),
        # Place names inside trade names stay there.
        ("朝阳食品有限公司", (), "朝阳", "食品", "有限公司", ""),
        ("保德县朝阳食品有限公司", ("保德",), "朝阳", "食品", "有限公司", ""),
        ("保德县新城市政工程有限公司", ("保德",), "新城", "市政工程", "有限公司", ""),
        ("保德县东关社区服务中心", ("保德",), "东关社区", "服务", "中心", ""),
        ("鑫盛旗舰店", (), "鑫盛旗舰", "", "店", ""),
        # Branches of companies written with 集团, 商行, partnerships.
        ("清华市宙昌食品集团有限公司第八分公司", ("清华",), "宙昌", "食品", "有限公司",
         "第八分公司"),
        ("萍乡市慧熊贸易商行门屯分公司", ("萍乡",), "慧熊", "贸易", "商行", "门屯分公司"),
        ("熊蜀食品合伙企业（有限合伙）屯滨营业部", (), "熊蜀", "食品", "合伙企业", "屯滨营业部"),
        ("中国石化销售股份有限公司山西忻州保德加油站", (), "中国", "石化销售", "股份有限公司",
         "山西忻州保德加油站"),
    ],
)  # fmt: skip
def test_parse_name(
    name: str,
    regions: tuple[str, ...],
    trade: str,
    industry: str,
    form_class: str,
    branch: str,
) -> None:
    parsed = parse_name(name)
    assert (parsed.region_bases, parsed.trade, parsed.industry) == (regions, trade, industry)
    assert (parsed.form_class, parsed.branch) == (form_class, branch)


def test_group_former_and_extra_parts() -> None:
    group = parse_name("山西黄河集团有限公司")
    assert group.group and group.key == "山西|黄河|集团有限公司||"
    renamed = parse_name("保德县黄河食品有限公司（原名：保德县黄河食品厂）")
    assert [f.key for f in renamed.former] == ["保德|黄河食品|厂||"]
    assert parse_name("黄河食品有限公司，原名黄河食品厂").former[0].form == "厂"
    assert parse_name("保德县黄河食品厂（现名保德县黄河食品有限公司）").former[0].form == "有限公司"
    # (原平) is a place, not "原" + a former name.
    assert parse_name("黄河食品（原平）有限公司").region_bases == ("原平",)
    assert parse_name("黄河食品有限公司（第三车间）").extra == ("第三车间",)
    # An unclosed bracket runs to the end.
    assert parse_name("黄河食品有限公司（原名黄河食品厂").former[0].form == "厂"


@pytest.mark.parametrize(
    ("name", "person", "trade"),
    [
        ("张三", True, "张三"),
        ("张三（个体工商户）", True, "张三"),
        ("个体工商户李四", True, "李四"),
        ("欧阳娜娜", True, "欧阳娜娜"),
        ("保德县张三", True, "张三"),
        ("张三商行", False, "张三"),
        ("黄河食品", False, "黄河"),
        ("保德县", False, "保德县"),
        ("金龙鱼粮油", False, "金龙鱼"),
    ],
)
def test_person_names(name: str, person: bool, trade: str) -> None:
    parsed = parse_name(name)
    assert (parsed.person, parsed.trade) == (person, trade)


def test_is_person_name() -> None:
    assert is_person_name("王建国")
    assert is_person_name("司马光")
    assert not is_person_name("王建国伟大")
    assert not is_person_name("黄河食品")
    assert not is_person_name("abc")


def test_known_regions_and_parents() -> None:
    regions = Regions(["保德县", "东关镇", "北园区"], parents={"保德县": "忻州市"})
    # Passed names are recognised even where the built-in rules refuse (园区 is a word).
    assert parse_name("北园区黄河食品有限公司", regions).region_bases == ("北园",)
    assert parse_name("北园区黄河食品有限公司").region_bases == ()
    # A bare county is taken only right after its own city.
    assert parse_name("忻州保德黄河食品有限公司", regions).region_bases == ("忻州", "保德")
    assert parse_name("保德黄河食品有限公司", regions).region_bases == ()
    # Parents make a city and its county agree; built-in cities know their provinces.
    county = leading_divisions("保德县", regions)[0]
    city = leading_divisions("忻州市", regions)[0]
    other = leading_divisions("太原市", regions)[0]
    assert compare_divisions(county, city, regions) == "agree"
    assert compare_divisions(county, city) == "disjoint"
    assert compare_divisions(county, other, regions) == "conflict"
    assert compare_divisions(city, leading_divisions("山西省")[0]) == "agree"
    assert compare_divisions(county, ()) == "missing"
    assert compare_divisions((), ()) == "none"


def test_unlisted_city_followed_by_district() -> None:
    chain, rest = leading_divisions("某某市某某区黄河食品")
    assert [(d.name, d.level) for d in chain] == [("某某市", 2), ("某某区", 3)]
    assert rest == "黄河食品"


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("山西省忻州市保德县东关镇新华街12号", "保德县东关镇新华街十二号", 1.0),
        ("山西省忻州市保德县东关镇新华街12号", "新华街12号", 1.0),
        ("山西省忻州市保德县东关镇新华街12号", "河曲县文笔镇新华街12号", 0.0),
        ("保德县新华街12号", "保德县新华街14号", 0.6),
        ("保德县新华街12号", "保德县新华街12号3号楼2单元", 0.9),
        ("黑龙江省哈尔滨市道里区中央大街一百零五号", "哈尔滨市道里区中央大街105号", 1.0),
        ("保德县东关镇", "保德县东关镇新华街12号", None),
    ],
)
def test_address_similarity(a: str, b: str, expected: float | None) -> None:
    assert address_similarity(parse_address(a), parse_address(b)) == expected
    assert address_similarity(parse_address(b), parse_address(a)) == expected


TOKENS = [
    "山西省", "山西", "忻州市", "保德县", "保德", "东关镇", "黄河", "黃河", "鑫源", "张三",
    "食品", "商贸", "科技", "红枣", "有限公司", "有限责任公司", "有限責任公司", "股份有限公司",
    "公司", "集团", "厂", "商行", "经营部", "店", "分公司", "东关分公司", "第一分公司", "（",
    "）", "(", ")", "原名", "个体工商户", " ", "\u3000", "Ａ", "b", "1", "·", "市政", "旗舰",
]  # fmt: skip
names = st.lists(st.sampled_from(TOKENS), max_size=10).map("".join)


@given(names)
def test_parsing_is_stable_under_normalisation(name: str) -> None:
    assert parse_name(normalize_name(name)) == parse_name(name)


# Brackets and 个体工商户 are taken out of the text by design.
PLAIN = [t for t in TOKENS if t not in ("（", "）", "(", ")", "原名", "个体工商户")]


@given(st.lists(st.sampled_from(PLAIN), max_size=10))
def test_parsing_its_own_text_again_changes_nothing(tokens: list[str]) -> None:
    parsed = parse_name("".join(tokens))
    again = parse_name(parsed.text)
    assert (again.key, again.trade, again.industry) == (parsed.key, parsed.trade, parsed.industry)


@given(names)
def test_parts_come_from_the_name(name: str) -> None:
    parsed = parse_name(name)
    assert parsed.core in parsed.text
    assert parsed.form in parsed.text and parsed.branch in parsed.text
    for division in parsed.region:
        assert division.base
