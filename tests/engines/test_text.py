"""Tests for ipshield.engines.text (name normalisation)."""

from __future__ import annotations

import doctest

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipshield.engines import text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  保德縣  ＡＢＣ　有限公司 ", "保德县abc有限公司"),
        ("Apple  Inc.", "apple inc."),
        ("黑龍江 省", "黑龙江省"),
        ("臺灣積體電路製造股份有限公司", "台湾积体电路制造股份有限公司"),
        ("保德县", "保德县"),
        ("ＨＵＡＷＥＩ　Ｔｅｃｈｎｏｌｏｇｉｅｓ", "huawei technologies"),
        ("Ｃｏ．，Ｌｔｄ．", "co.,ltd."),
        ("（深圳）有限公司", "(深圳)有限公司"),
        ("華為 Technologies 有限公司", "华为technologies有限公司"),
        ("\tNew\n\nYork\u3000Times\u00a0Co ", "new york times co"),
        ("", ""),
        (" \u3000\t\n", ""),
    ],
)
def test_normalize_name(raw: str, expected: str) -> None:
    assert text.normalize_name(raw) == expected


def test_to_simplified() -> None:
    assert text.to_simplified("黑龍江省保德縣") == "黑龙江省保德县"
    assert text.to_simplified("保德县 ABC") == "保德县 ABC"
    assert text.to_simplified("") == ""


def test_converter_is_cached() -> None:
    assert text._converter() is text._converter()


cjk = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
names = st.text(
    alphabet=st.one_of(
        cjk,
        st.sampled_from("保德縣黑龍江臺灣有限公司華為 \u3000\t\nＡＢＣａｂｃ１２３（）．，"),
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    ),
    max_size=40,
)


@given(names)
def test_idempotent_on_names(value: str) -> None:
    once = text.normalize_name(value)
    assert text.normalize_name(once) == once


@given(st.text(max_size=40))
def test_idempotent_on_any_text(value: str) -> None:
    once = text.normalize_name(value)
    assert text.normalize_name(once) == once


@given(names)
def test_output_shape(value: str) -> None:
    result = text.normalize_name(value)
    assert result == result.strip()
    assert "  " not in result
    assert "\u3000" not in result
    assert result == result.lower()
    assert not any("\uff01" <= char <= "\uff5e" for char in result)  # no full-width ASCII


@given(names)
def test_traditional_and_simplified_spellings_agree(value: str) -> None:
    assert text.normalize_name(value) == text.normalize_name(text.to_simplified(value))


def test_doctests() -> None:
    result = doctest.testmod(text)
    assert result.attempted > 0
    assert result.failed == 0


def test_lone_surrogates_are_kept() -> None:
    # json.loads('"\\ud800"') yields a lone surrogate, which OpenCC cannot encode.
    assert text.to_simplified("縣\ud800縣\udfff") == "县\ud800县\udfff"
    assert text.normalize_name(" 縣 \ud800 ") == "县\ud800"


@given(st.text(alphabet=st.characters(codec=None, min_codepoint=0xD000, max_codepoint=0xE000)))
def test_idempotent_with_surrogates(value: str) -> None:
    once = text.normalize_name(value)
    assert text.normalize_name(once) == once
