"""The damages engine: the law in force on the day of the act, the multiple on the basis only,
expenses added after, statutory damages never multiplied (known answers per regime and
boundary date)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipshield.engines.damages import KINDS, DamagesError, calculate, regime_for

D = dt.date


@pytest.mark.parametrize(
    ("kind", "day", "law", "punitive", "statutory"),
    [
        ("trademark", D(2014, 5, 1), "trademark_2013", (1, 3), ("0", "3000000")),
        ("trademark", D(2019, 10, 31), "trademark_2013", (1, 3), ("0", "3000000")),
        ("trademark", D(2019, 11, 1), "trademark_2019", (1, 5), ("0", "5000000")),
        ("patent", D(2021, 5, 31), "patent_2008", None, ("10000", "1000000")),
        ("patent", D(2021, 6, 1), "patent_2020", (1, 5), ("30000", "5000000")),
        ("copyright", D(2021, 5, 31), "copyright_2010", None, ("0", "500000")),
        ("copyright", D(2021, 6, 1), "copyright_2020", (1, 5), ("500", "5000000")),
        ("trade_secret", D(2019, 4, 22), "aucl_2017", None, ("0", "3000000")),
        ("trade_secret", D(2019, 4, 23), "aucl_2019", (1, 5), ("0", "5000000")),
        ("trade_secret", D(2025, 10, 15), "aucl_2025", (1, 5), ("0", "5000000")),
        ("plant_variety", D(2022, 2, 28), "seed_2015", (1, 3), ("0", "3000000")),
        ("plant_variety", D(2022, 3, 1), "seed_2021", (1, 5), ("0", "5000000")),
    ],
)
def test_the_law_in_force_on_the_day(kind, day, law, punitive, statutory):
    regime = regime_for(kind, day)
    assert regime.law == law
    assert regime.punitive == punitive
    assert regime.statutory == tuple(Decimal(v) for v in statutory)


def test_punitive_multiple_on_the_basis_then_expenses():
    r = calculate(
        kind="patent",
        acted_on=D(2022, 1, 1),
        basis="loss",
        amount="200000",
        malicious=True,
        serious=True,
        expenses="30000",
    )
    assert (r.low, r.high) == (Decimal("230000.00"), Decimal("1030000.00"))
    assert [x.code for x in r.reasons] == [
        "damages.law",
        "damages.loss",
        "damages.punitive",
        "damages.expenses",
    ]


def test_before_the_punitive_regime_the_basis_is_compensated_once():
    r = calculate(
        kind="patent",
        acted_on=D(2021, 5, 31),
        basis="gains",
        amount="200000",
        malicious=True,
        serious=True,
    )
    assert (r.low, r.high) == (Decimal("200000.00"), Decimal("200000.00"))
    assert "damages.no_punitive" in [x.code for x in r.reasons]


def test_punitive_needs_intent_and_seriousness():
    r = calculate(
        kind="trademark", acted_on=D(2024, 1, 1), basis="gains", amount="1000", malicious=True
    )
    assert r.high == Decimal("1000.00") and r.multiple is None
    assert "damages.punitive_needs_both" in [x.code for x in r.reasons]


def test_licence_basis_is_fee_times_a_reasonable_multiple():
    r = calculate(
        kind="trademark",
        acted_on=D(2018, 1, 1),
        basis="licence",
        licence_fee="50000",
        licence_multiple="2",
        malicious=True,
        serious=True,
    )
    assert r.base == Decimal("100000.00")
    assert (r.low, r.high) == (Decimal("100000.00"), Decimal("300000.00"))


def test_statutory_damages_are_never_multiplied():
    r = calculate(
        kind="copyright", acted_on=D(2023, 1, 1), basis="statutory", malicious=True, serious=True
    )
    assert (r.low, r.high) == (Decimal("500.00"), Decimal("5000000.00"))
    assert r.multiple is None


@pytest.mark.parametrize(
    ("kwargs", "code", "field"),
    [
        ({"kind": "perfume"}, "damages.kind", "kind"),
        ({"basis": "guess"}, "damages.basis", "basis"),
        ({"amount": "-1"}, "damages.amount", "amount"),
        ({"amount": "NaN"}, "damages.amount", "amount"),
        ({"amount": "abc"}, "damages.amount", "amount"),
        ({"amount": "1e20"}, "damages.amount", "amount"),
        ({"expenses": "-5"}, "damages.amount", "expenses"),
        ({"acted_on": D(2014, 4, 30)}, "damages.before_coverage", "acted_on"),
        (
            {"basis": "licence", "licence_fee": "10", "licence_multiple": "0"},
            "damages.licence_multiple",
            "licence_multiple",
        ),
    ],
)
def test_bad_input_names_the_field(kwargs, code, field):
    args = {"kind": "trademark", "acted_on": D(2024, 1, 1), "basis": "gains", "amount": "1"}
    with pytest.raises(DamagesError) as refused:
        calculate(**{**args, **kwargs})
    assert (refused.value.code, refused.value.field) == (code, field)


@given(
    kind=st.sampled_from(KINDS),
    day=st.dates(min_value=D(2022, 3, 1), max_value=D(2030, 12, 31)),
    amount=st.decimals(min_value=0, max_value=10**9, places=2),
    expenses=st.decimals(min_value=0, max_value=10**7, places=2),
    malicious=st.booleans(),
    serious=st.booleans(),
)
def test_range_is_ordered_and_holds_the_basis_and_expenses(
    kind, day, amount, expenses, malicious, serious
):
    r = calculate(
        kind=kind,
        acted_on=day,
        basis="gains",
        amount=amount,
        malicious=malicious,
        serious=serious,
        expenses=expenses,
    )
    assert r.low <= r.high
    assert r.low == (amount + expenses).quantize(Decimal("0.01"))
    if r.multiple:
        assert r.high == (amount * r.multiple[1] + expenses).quantize(Decimal("0.01"))


def test_licence_basis_only_where_the_law_has_one():
    for kind, day in (("copyright", D(2021, 5, 31)), ("trade_secret", D(2024, 1, 1))):
        with pytest.raises(DamagesError) as refused:
            calculate(
                kind=kind, acted_on=day, basis="licence", licence_fee="1", licence_multiple="1"
            )
        assert (refused.value.code, refused.value.field) == ("damages.basis_not_in_law", "basis")
    r = calculate(
        kind="copyright",
        acted_on=D(2021, 6, 1),
        basis="licence",
        licence_fee="100",
        licence_multiple="1",
    )
    assert r.base == Decimal("100.00")


def test_the_2015_seed_law_multiplies_serious_infringement_without_intent():
    r = calculate(
        kind="plant_variety", acted_on=D(2020, 1, 1), basis="loss", amount="10000", serious=True
    )
    assert (r.low, r.high) == (Decimal("10000.00"), Decimal("30000.00"))
    later = calculate(
        kind="plant_variety", acted_on=D(2023, 1, 1), basis="loss", amount="10000", serious=True
    )
    assert later.high == Decimal("10000.00")  # from 2022-03-01 intent is required too
    assert "damages.punitive_needs_both" in [x.code for x in later.reasons]


def test_a_continuing_act_takes_the_later_law():
    r = calculate(
        kind="trademark",
        acted_on=D(2019, 6, 1),
        acted_until=D(2020, 1, 1),
        basis="gains",
        amount="1000",
        malicious=True,
        serious=True,
    )
    assert r.regime.law == "trademark_2019" and r.high == Decimal("5000.00")
    assert [x.code for x in r.reasons][:2] == ["damages.law", "damages.continuing"]


def test_reasons_are_json_and_read_in_chinese():
    import json

    r = calculate(
        kind="patent",
        acted_on=D(2022, 1, 1),
        basis="loss",
        amount="1",
        malicious=True,
        serious=True,
        expenses="2",
    )
    data = [x.as_data() for x in r.reasons]
    assert json.loads(json.dumps(data)) == data
    assert r.reasons[0] == "侵权行为发生于 2022-01-01，适用《专利法》（2020年修正）第七十一条"
