"""Tests for ipshield.engines.masking: what is masked, what is kept, and that masking is stable."""

from __future__ import annotations

import doctest
import re

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from ipshield.engines import masking
from ipshield.engines.masking import is_probably_person_name, mask_person_name, mask_text

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _id_number(region: int, year: int, month: int, day: int, seq: int) -> str:
    body = f"{region:06d}{year:04d}{month:02d}{day:02d}{seq:03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True)) % 11]


id_numbers = st.builds(
    _id_number,
    region=st.integers(100000, 899999),
    year=st.integers(1900, 2025),
    month=st.integers(1, 12),
    day=st.integers(1, 28),
    seq=st.integers(0, 999),
)
mobiles = st.builds(
    lambda second, rest: f"1{second}{rest:09d}",
    second=st.sampled_from("3456789"),
    rest=st.integers(0, 10**9 - 1),
)
# Text around the personal data: anything that does not continue the number.
filler = st.text(
    alphabet=st.sampled_from("当事人张三李四电话号码，。：:（）() 　abcXYZ@.-_+#/\n"), max_size=12
)
# Everything the patterns care about, for the stability properties.
noisy = st.text(
    alphabet=st.sampled_from("0123456789013813913X x-+*@._（）() 张三欧阳娜李四红枣店a.bcom86"),
    max_size=60,
)
names = st.lists(st.sampled_from(["张三", "欧阳娜娜", "欧阳", "李四", "三李", "娜娜", "张三丰"]))

MOBILE_TOKEN = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
ID_TOKEN = re.compile(r"(?<!\d)[1-8]\d{16}[\dXx](?!\d)")


def test_docstring_examples() -> None:
    result = doctest.testmod(masking)
    assert result.failed == 0 and result.attempted >= 10


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三", "张*"),
        ("王小明", "王**"),
        ("欧阳娜娜", "欧阳**"),
        ("欧阳修", "欧阳*"),
        ("歐陽娜娜", "歐陽**"),
        ("欧阳", "欧*"),  # two characters keep the first, even a compound surname
        ("诸葛亮", "诸葛*"),
        ("买买提·艾力", "买**·**"),
        ("John Smith", "J*** *****"),
        ("张", "*"),
        ("", ""),
    ],
)
def test_mask_person_name(name: str, masked: str) -> None:
    assert mask_person_name(name) == masked


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("身份证 11010519491231002X", "身份证 110***********002X"),
        ("身份证11010519491231002x。", "身份证110***********002x。"),
        ("旧证 110105491231002", "旧证 110********1002"),
        ("手机13812345678", "手机138****5678"),
        ("手机 138-1234-5678", "手机 138****5678"),
        ("手机 +86 138 1234 5678", "手机 +86 138****5678"),
        ("电话0350-4222222转8", "电话0350-***2222转8"),
        ("电话（010）12345678", "电话（010）****5678"),
        ("邮箱 zhang.san+ip@example.com.cn", "邮箱 z***@example.com.cn"),
        ("卡号6222021234567890", "卡号6222********7890"),
        ("卡号 6222-0212-3456-7890", "卡号 6222********7890"),
    ],
)
def test_mask_text_examples(text: str, masked: str) -> None:
    assert mask_text(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "统一社会信用代码 91440300708461136T",
        "统一社会信用代码 914403001922038216",
        "案件编号 TS20260315123456，罚款 50000 元，文号 保市监处罚〔2026〕12号",
        "2026-03-15 至 2026-06-15",
        "举报电话 12315",
    ],
)
def test_public_data_is_kept(text: str) -> None:
    assert mask_text(text) == text


def test_names_everywhere_longest_first() -> None:
    text = "欧阳娜娜与欧阳娜、张三共同经营，张三系欧阳娜娜之夫。"
    assert mask_text(text, person_names=["张三", "欧阳娜", "欧阳娜娜"]) == (
        "欧阳**与欧阳*、张*共同经营，张*系欧阳**之夫。"
    )


def test_unsafe_names_are_ignored() -> None:
    # One character, digits or '*' would mask far too much, or feed on masked output.
    assert mask_text("张三在三号店", person_names=["三", "3号", "张*", " "]) == "张三在三号店"


def test_individual_business_keeps_shop_words() -> None:
    assert mask_text("保德县张三红枣店", person_names=["张三"]) == "保德县张*红枣店"


@pytest.mark.parametrize(
    ("name", "person"),
    [
        ("张三", True),
        ("欧阳娜娜", True),
        ("李行", True),
        ("买买提·艾力", True),
        ("保德县红枣商贸有限公司", False),
        ("张三红枣店", False),
        ("保德县东关经营部", False),
        ("红枣合作社", False),
        ("Apple Inc.", False),
        ("一个很长的名字不是人名", False),
    ],
)
def test_is_probably_person_name(name: str, person: bool) -> None:
    assert is_probably_person_name(name) is person


@given(before=filler, after=filler, mobile=mobiles)
@example(before="", after="", mobile="13800000000")
def test_no_mobile_number_survives(before: str, after: str, mobile: str) -> None:
    masked = mask_text(f"{before}{mobile}{after}")
    assert mobile not in masked
    assert not MOBILE_TOKEN.search(masked)


@given(before=filler, after=filler, number=id_numbers)
@example(before="", after="", number="11010519491231002X")
def test_no_id_number_survives(before: str, after: str, number: str) -> None:
    masked = mask_text(f"{before}{number}{after}")
    assert number not in masked
    assert number[:17] not in masked
    assert not ID_TOKEN.search(masked)


@given(number=id_numbers, mobile=mobiles, name=st.sampled_from(["张三", "欧阳娜娜", "李小龙"]))
def test_masked_summary_keeps_its_shape(number: str, mobile: str, name: str) -> None:
    text = f"当事人{name}（身份证号{number}，电话{mobile}）销售侵权商品。"
    masked = mask_text(text, person_names=[name])
    assert name not in masked and number not in masked and mobile not in masked
    assert len(masked) == len(text)  # masks replace characters one for one here
    assert masked.startswith("当事人" + mask_person_name(name))


@settings(max_examples=500)
@given(text=noisy, person_names=names)
def test_masking_is_idempotent(text: str, person_names: list[str]) -> None:
    once = mask_text(text, person_names=person_names)
    assert mask_text(once, person_names=person_names) == once


@given(text=noisy)
def test_text_without_personal_data_is_unchanged(text: str) -> None:
    assume(not re.search(r"\d{7}|@", text))
    assert mask_text(text) == text


@given(name=st.text(min_size=1, max_size=8))
def test_mask_person_name_is_stable_and_keeps_length(name: str) -> None:
    masked = mask_person_name(name)
    assert len(masked) == len(name.strip())
    assert masked.count("*") >= min(1, len(name.strip()))


def test_bracketed_qualifiers_do_not_hide_a_persons_name():
    assert masking.is_probably_person_name("张三（个体经营者）")
    assert masking.mask_person_name("张三（个体经营者）") == "张*（个体经营者）"
    assert masking.mask_person_name("欧阳娜娜(经营者)") == "欧阳**(经营者)"
    assert not masking.is_probably_person_name("保德县红枣有限公司（分公司）")
