"""Damages for infringement of IP rights (issue 16): the range the law in force on the day of
the infringing act allows, each figure with its legal source. Pure Python, no Django.

The rules (checked against the texts; sources in docs/legal-sources.md):

- The compensation is set on a *basis*: the right holder's actual loss, the infringer's gains,
  or a reasonable multiple of a licence fee (``loss``, ``gains``, ``licence``). Where none of
  them can be determined, the court fixes *statutory damages* within the law's range
  (``statutory``).
- Where the law in force provides punitive damages and the infringement was intentional
  (malicious) and serious, the compensation is a multiple of the basis within the law's range;
  the multiple applies to the basis only: reasonable expenses to stop the infringement are
  added after it, and statutory damages are never multiplied.
- Which law applies is decided by the day of the infringing act (an act that goes on across a
  change of law is for the caller to split).

>>> r = calculate(kind="trademark", acted_on=dt.date(2020, 5, 1), basis="gains",
...               amount=Decimal("100000"), malicious=True, serious=True,
...               expenses=Decimal("20000"))
>>> r.low, r.high, r.regime.law
(Decimal('120000.00'), Decimal('520000.00'), 'trademark_2019')
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ipshield.engines.reasons import Reason

__all__ = ["BASES", "KINDS", "DamagesError", "Regime", "Result", "calculate", "regime_for"]

KINDS = ("trademark", "patent", "copyright", "trade_secret", "plant_variety")
BASES = ("loss", "gains", "licence", "statutory")
CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("1e13")  # 10 trillion yuan: anything above is a typo, not a claim


class DamagesError(ValueError):
    """Bad input: ``field`` names it, ``code`` is stable (the app words the message)."""

    def __init__(self, code: str, field: str, text: str) -> None:
        super().__init__(text)
        self.code = code
        self.field = field


@dataclass(frozen=True)
class Regime:
    """One version of the law for one kind of right: from ``starts`` (inclusive) on.

    ``punitive`` is the (lowest, highest) multiple for a serious infringement — intentional
    too where ``needs_intent`` — or None where the law has none; ``statutory`` the (lowest,
    highest) statutory damages; ``licence`` whether the law knows a licence-fee basis. ``law``
    and ``article`` name the source; ``law_name`` is its Chinese title."""

    kind: str
    starts: dt.date
    law: str
    law_name: str
    article: str
    punitive: tuple[int, int] | None
    statutory: tuple[Decimal, Decimal]
    licence: bool = True
    needs_intent: bool = True


def _y(text: str) -> Decimal:
    return Decimal(text)


# Each kind's versions in order of their start, as read in the texts (docs/legal-sources.md).
# The first row of a kind is the earliest law the platform covers; an act before it is
# refused (``damages.before_coverage``) rather than guessed.
REGIMES: tuple[Regime, ...] = (
    # 商标法 (2013 revision, in force 2014-05-01), 第六十三条: 1–3× for 恶意 and serious,
    # statutory up to 3,000,000
    Regime(
        "trademark",
        dt.date(2014, 5, 1),
        "trademark_2013",
        "《商标法》（2013年修正）",
        "第六十三条",
        (1, 3),
        (_y("0"), _y("3000000")),
    ),
    # 商标法 (2019 revision, in force 2019-11-01), 第六十三条: 1–5×, statutory up to 5,000,000
    Regime(
        "trademark",
        dt.date(2019, 11, 1),
        "trademark_2019",
        "《商标法》（2019年修正）",
        "第六十三条",
        (1, 5),
        (_y("0"), _y("5000000")),
    ),
    # 专利法 (2008 revision, in force 2009-10-01), 第六十五条: no multiple, statutory
    # 10,000–1,000,000
    Regime(
        "patent",
        dt.date(2009, 10, 1),
        "patent_2008",
        "《专利法》（2008年修正）",
        "第六十五条",
        None,
        (_y("10000"), _y("1000000")),
    ),
    # 专利法 (2020 revision, in force 2021-06-01), 第七十一条: 1–5×, statutory 30,000–5,000,000
    Regime(
        "patent",
        dt.date(2021, 6, 1),
        "patent_2020",
        "《专利法》（2020年修正）",
        "第七十一条",
        (1, 5),
        (_y("30000"), _y("5000000")),
    ),
    # 著作权法 (2010 revision, in force 2010-04-01), 第四十九条: loss or unlawful gains only
    # (no licence-fee basis), no multiple, statutory up to 500,000
    Regime(
        "copyright",
        dt.date(2010, 4, 1),
        "copyright_2010",
        "《著作权法》（2010年修正）",
        "第四十九条",
        None,
        (_y("0"), _y("500000")),
        licence=False,
    ),
    # 著作权法 (2020 revision, in force 2021-06-01), 第五十四条: 1–5×, statutory 500–5,000,000
    Regime(
        "copyright",
        dt.date(2021, 6, 1),
        "copyright_2020",
        "《著作权法》（2020年修正）",
        "第五十四条",
        (1, 5),
        (_y("500"), _y("5000000")),
    ),
    # 反不正当竞争法 (2017 revision, in force 2018-01-01), 第十七条: no multiple, statutory up
    # to 3,000,000; no licence-fee basis in any version
    Regime(
        "trade_secret",
        dt.date(2018, 1, 1),
        "aucl_2017",
        "《反不正当竞争法》（2017年修订）",
        "第十七条",
        None,
        (_y("0"), _y("3000000")),
        licence=False,
    ),
    # 反不正当竞争法 (2019 revision, in force 2019-04-23), 第十七条: 1–5× for 恶意 and serious
    # trade-secret infringement, statutory up to 5,000,000
    Regime(
        "trade_secret",
        dt.date(2019, 4, 23),
        "aucl_2019",
        "《反不正当竞争法》（2019年修正）",
        "第十七条",
        (1, 5),
        (_y("0"), _y("5000000")),
        licence=False,
    ),
    # 反不正当竞争法 (2025 revision, in force 2025-10-15), 第二十二条: the same figures
    Regime(
        "trade_secret",
        dt.date(2025, 10, 15),
        "aucl_2025",
        "《反不正当竞争法》（2025年修订）",
        "第二十二条",
        (1, 5),
        (_y("0"), _y("5000000")),
        licence=False,
    ),
    # 种子法 (2015 revision, in force 2016-01-01), 第七十三条: 1–3× where serious (no intent
    # required), statutory up to 3,000,000
    Regime(
        "plant_variety",
        dt.date(2016, 1, 1),
        "seed_2015",
        "《种子法》（2015年修订）",
        "第七十三条",
        (1, 3),
        (_y("0"), _y("3000000")),
        needs_intent=False,
    ),
    # 种子法 (2021 revision, in force 2022-03-01), 第七十二条: 1–5× for 故意 and serious,
    # statutory up to 5,000,000
    Regime(
        "plant_variety",
        dt.date(2022, 3, 1),
        "seed_2021",
        "《种子法》（2021年修正）",
        "第七十二条",
        (1, 5),
        (_y("0"), _y("5000000")),
    ),
)

_BY_KIND: dict[str, tuple[list[dt.date], list[Regime]]] = {}
for _regime in REGIMES:
    dates, rows = _BY_KIND.setdefault(_regime.kind, ([], []))
    dates.append(_regime.starts)
    rows.append(_regime)


def regime_for(kind: str, acted_on: dt.date) -> Regime:
    """The law in force for ``kind`` on ``acted_on``."""
    if kind not in _BY_KIND:
        raise DamagesError("damages.kind", "kind", f"未知的权利类型：{kind}")
    dates, rows = _BY_KIND[kind]
    at = bisect.bisect_right(dates, acted_on) - 1
    if at < 0:
        raise DamagesError(
            "damages.before_coverage",
            "acted_on",
            f"{acted_on.isoformat()} 早于本计算器覆盖的最早法律（{rows[0].law_name}，"
            f"{rows[0].starts.isoformat()} 起施行）",
        )
    return rows[at]


# The Chinese text of each step (the apps render the codes in the reader's language).
_TEXT = {
    "damages.law": "侵权行为发生于 {acted_on}，适用{law_name}{article}",
    "damages.statutory": (
        "实际损失、侵权获利和许可使用费均难以确定：法定赔偿 {low}—{high} 元，不适用惩罚性赔偿倍数"
    ),
    "damages.licence": "参照许可使用费 {fee} 元的 {times} 倍确定基数 {base} 元",
    "damages.loss": "按权利人的实际损失确定基数 {base} 元",
    "damages.gains": "按侵权人的侵权获利确定基数 {base} 元",
    "damages.no_punitive": "{law_name}没有惩罚性赔偿的规定",
    "damages.punitive": "{why}：按基数的 {low}—{high} 倍确定（合理开支不计入基数）",
    "damages.punitive_needs_both": "惩罚性赔偿须同时具备故意侵权和情节严重",
    "damages.needs_serious": "按倍数确定赔偿须侵权情节严重",
    "damages.continuing": "侵权行为自 {acted_on} 持续到 {until}，跨越法律修改：适用修改后的法律",
    "damages.expenses": "另加权利人为制止侵权行为所支付的合理开支 {amount} 元",
}


@dataclass(frozen=True)
class Result:
    """The range of compensation (``low`` to ``high``, expenses included) and how it was
    reached: ``steps`` in order as (code, parameters); :attr:`reasons` gives them as
    :class:`Reason` objects with their Chinese text."""

    regime: Regime
    basis: str
    base: Decimal | None  # the basis amount (None for statutory damages)
    multiple: tuple[int, int] | None  # the punitive multiple applied, if any
    expenses: Decimal
    low: Decimal
    high: Decimal
    steps: tuple[tuple[str, dict[str, object]], ...] = ()

    @property
    def reasons(self) -> list[Reason]:
        names = {"law_name": self.regime.law_name}
        found = []
        for code, raw in self.steps:
            # parameters are JSON values: amounts as strings
            params = {k: str(v) if isinstance(v, Decimal) else v for k, v in raw.items()}
            found.append(Reason(code, _TEXT[code].format(**names, **params), **params))
        return found


def _money(value: object, field_name: str) -> Decimal:
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except (ArithmeticError, ValueError, TypeError):
        raise DamagesError("damages.amount", field_name, f"{field_name} 不是金额") from None
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
        raise DamagesError("damages.amount", field_name, f"{field_name} 应为 0 至 10 万亿元")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def calculate(
    *,
    kind: str,
    acted_on: dt.date,
    basis: str,
    amount: object = None,
    licence_fee: object = None,
    licence_multiple: object = None,
    malicious: bool = False,
    serious: bool = False,
    expenses: object = 0,
    acted_until: dt.date | None = None,
) -> Result:
    """The range of compensation for one infringement (see the module's rules).

    ``amount`` is the loss or the gains; for ``licence`` give ``licence_fee`` and the
    reasonable ``licence_multiple``; for ``statutory`` give neither. An act that went on until
    ``acted_until`` across a change of law takes the later law (as the Supreme People's Court
    ruled for the 2013 trade-mark amendment), with a step saying so."""
    regime = regime_for(kind, acted_on)
    continuing: tuple[str, dict[str, object]] | None = None
    if acted_until is not None and acted_until > acted_on:
        later = regime_for(kind, acted_until)
        if later is not regime:
            regime = later
            continuing = (
                "damages.continuing",
                {"acted_on": acted_on.isoformat(), "until": acted_until.isoformat()},
            )
    if basis not in BASES:
        raise DamagesError("damages.basis", "basis", f"未知的计算依据：{basis}")
    spent = _money(expenses, "expenses")
    steps: list[tuple[str, dict[str, object]]] = [
        (
            "damages.law",
            {"law": regime.law, "article": regime.article, "acted_on": acted_on.isoformat()},
        )
    ]
    if continuing is not None:
        steps.append(continuing)
    if basis == "statutory":
        low, high = regime.statutory
        steps.append(("damages.statutory", {"low": str(low), "high": str(high)}))
        return _with_expenses(regime, basis, None, None, spent, low, high, steps)
    if basis == "licence":
        if not regime.licence:
            raise DamagesError(
                "damages.basis_not_in_law",
                "basis",
                f"{regime.law_name}{regime.article}没有参照许可使用费确定赔偿的规定",
            )
        fee = _money(licence_fee, "licence_fee")
        try:
            times = Decimal(str(licence_multiple))
        except (ArithmeticError, ValueError, TypeError):
            raise DamagesError(
                "damages.licence_multiple", "licence_multiple", "许可使用费倍数不是数字"
            ) from None
        if not times.is_finite() or times <= 0 or times > 100:
            raise DamagesError(
                "damages.licence_multiple", "licence_multiple", "许可使用费倍数应大于 0、不超过 100"
            )
        base = _money(fee * times, "licence_fee")
        steps.append(("damages.licence", {"fee": str(fee), "times": str(times), "base": str(base)}))
    else:
        base = _money(amount, "amount")
        steps.append((f"damages.{basis}", {"base": base}))
    multiple = None
    low = high = base
    punishable = serious and (malicious or not regime.needs_intent)
    if punishable:
        if regime.punitive is None:
            steps.append(("damages.no_punitive", {"law": regime.law}))
        else:
            multiple = regime.punitive
            low = base * multiple[0]
            high = base * multiple[1]
            why = "故意侵权且情节严重" if regime.needs_intent else "侵权情节严重"
            steps.append(
                ("damages.punitive", {"low": multiple[0], "high": multiple[1], "why": why})
            )
    elif malicious or serious:
        steps.append(
            ("damages.punitive_needs_both" if regime.needs_intent else "damages.needs_serious", {})
        )
    return _with_expenses(regime, basis, base, multiple, spent, low, high, steps)


def _with_expenses(
    regime: Regime,
    basis: str,
    base: Decimal | None,
    multiple: tuple[int, int] | None,
    spent: Decimal,
    low: Decimal,
    high: Decimal,
    steps: list[tuple[str, dict[str, object]]],
) -> Result:
    if spent:
        steps.append(("damages.expenses", {"amount": str(spent)}))
    return Result(
        regime=regime,
        basis=basis,
        base=base,
        multiple=multiple,
        expenses=spent,
        low=(low + spent).quantize(CENT),
        high=(high + spent).quantize(CENT),
        steps=tuple(steps),
    )
