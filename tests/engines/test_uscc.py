"""Tests for ipshield.engines.uscc (GB 32100-2015 unified social credit codes)."""

from __future__ import annotations

import doctest

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipshield.engines import uscc

# Real codes of well-known companies, as published in public records
# (national enterprise credit registry, GLEIF ``registeredAs``, company web pages).
REAL_CODES = [
    "914403001922038216",  # 华为技术有限公司 Huawei Technologies Co., Ltd.
    "91440300708461136T",  # 腾讯科技（深圳）有限公司 Tencent Technology (Shenzhen) Co., Ltd.
    "91330100716105852F",  # 阿里巴巴（中国）网络技术有限公司 Alibaba (China) Network Technology
    "91110000802100433B",  # 北京百度网讯科技有限公司 Beijing Baidu Netcom Science and Technology
    "91110108558521630L",  # 小米通讯技术有限公司 Xiaomi Communications Co., Ltd.
    "91440300192317458F",  # 比亚迪股份有限公司 BYD Company Limited
    "91310000132260250X",  # 上海汽车集团股份有限公司 SAIC Motor Corporation Limited
    "91110000710925462X",  # 中国石油天然气股份有限公司 PetroChina Company Limited
]

VALID = REAL_CODES[0]
first17s = st.text(alphabet=uscc.ALPHABET, min_size=17, max_size=17)


def test_alphabet_is_the_gb_32100_code_set() -> None:
    assert len(uscc.ALPHABET) == 31
    assert set(uscc.ALPHABET).isdisjoint("IOZSV")
    assert sorted(uscc.ALPHABET) == list(uscc.ALPHABET)


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_are_valid(code: str) -> None:
    assert uscc.is_valid(code)
    assert uscc.explain(code) is None
    assert uscc.check_digit(code[:17]) == code[17]
    assert uscc.expected_check_digit(code) == code[17]
    assert uscc.expected_check_digit(code[:17]) == code[17]


@pytest.mark.parametrize("code", REAL_CODES)
def test_every_single_substitution_is_detected(code: str) -> None:
    for position in range(18):
        for char in uscc.ALPHABET:
            if char == code[position]:
                continue
            corrupted = code[:position] + char + code[position + 1 :]
            assert not uscc.is_valid(corrupted), corrupted
            assert uscc.explain(corrupted) == "check_digit", corrupted


@pytest.mark.parametrize("bad", ["I", "O", "Z", "S", "V", "a", "t", "-", "中", " ", "Ａ", "\n"])
def test_characters_outside_the_code_set(bad: str) -> None:
    for position in range(18):
        corrupted = VALID[:position] + bad + VALID[position + 1 :]
        assert not uscc.is_valid(corrupted)
        assert uscc.explain(corrupted) == "charset"


def test_lowercase_is_rejected_until_normalized() -> None:
    lower = "91440300708461136t"
    assert not uscc.is_valid(lower)
    assert uscc.explain(lower) == "charset"
    assert uscc.is_valid(uscc.normalize(lower))


def test_normalize() -> None:
    assert uscc.normalize(" 9144 0300\t7084 6113 6t\n") == "91440300708461136T"
    assert uscc.normalize("\u30009144030070846113 6T\u3000") == "91440300708461136T"
    # Look-alikes are not guessed: O stays O and is then rejected.
    assert uscc.normalize("9144O300708461136t") == "9144O300708461136T"
    assert uscc.explain(uscc.normalize("9144O300708461136t")) == "charset"


@pytest.mark.parametrize(
    "code", ["", "9", VALID[:17], VALID + "0", VALID + VALID, " " + VALID, VALID[:10]]
)
def test_wrong_length(code: str) -> None:
    assert not uscc.is_valid(code)
    assert uscc.explain(code) == "length"
    if len(code) not in (17, 18):
        assert uscc.expected_check_digit(code) is None


def test_length_is_reported_before_charset() -> None:
    assert uscc.explain("i" * 5) == "length"


def test_check_digit_zero_when_sum_is_a_multiple_of_31() -> None:
    assert uscc.check_digit("0" * 17) == "0"
    assert uscc.is_valid("0" * 18)


@pytest.mark.parametrize(
    "first17", ["", VALID[:16], VALID, "9144030070846113I", "9144030070846113a"]
)
def test_check_digit_rejects_bad_input(first17: str) -> None:
    with pytest.raises(ValueError, match=r"characters|code set"):
        uscc.check_digit(first17)


def test_expected_check_digit_with_bad_characters() -> None:
    assert uscc.expected_check_digit("9144030070846113O6") is None
    # A bad check character alone does not stop the expected one being computed.
    assert uscc.expected_check_digit("91440300708461136O") == "T"


@given(first17s)
def test_generated_codes_are_valid(first17: str) -> None:
    code = first17 + uscc.check_digit(first17)
    assert uscc.is_valid(code)
    assert uscc.check_digit(first17) in uscc.ALPHABET


@given(first17s, st.sampled_from(uscc.ALPHABET))
def test_changing_the_check_character_invalidates(first17: str, last: str) -> None:
    check = uscc.check_digit(first17)
    if last != check:
        assert not uscc.is_valid(first17 + last)
        assert uscc.explain(first17 + last) == "check_digit"


def test_doctests() -> None:
    result = doctest.testmod(uscc)
    assert result.attempted > 0
    assert result.failed == 0
