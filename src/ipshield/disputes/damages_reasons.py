"""The damages calculator for people: input read from a form or the API, the engine
(:mod:`ipshield.engines.damages`) run, its steps and refusals rendered in the reader's language.

The engine explains itself with codes and parameters (and Chinese text for the command line);
this catalogue words each code with gettext at display time, like ``monitoring.reasons``. The
engine's :class:`~ipshield.engines.damages.DamagesError` becomes an ``InvalidInput`` with the
engine's stable code and the field it names; input the engine does not judge (a date in the
future, a date that is not a date) is refused here with codes of the same family.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_noop as N_

from ipshield.common.errors import InvalidInput
from ipshield.engines import damages as engine

__all__ = [
    "BASIS_CHOICES",
    "KIND_CHOICES",
    "MESSAGES",
    "Estimate",
    "estimate",
    "render_step",
]

#: Step code → Chinese source message (translated at display time).
MESSAGES: dict[str, str] = {
    "damages.law": N_("侵权行为发生于 %(acted_on)s，适用%(law_name)s%(article)s"),
    "damages.statutory": N_(
        "实际损失、侵权获利和许可使用费均难以确定：法定赔偿 %(low)s—%(high)s 元，"
        "不适用惩罚性赔偿倍数"
    ),
    "damages.licence": N_("参照许可使用费 %(fee)s 元的 %(times)s 倍确定基数 %(base)s 元"),
    "damages.loss": N_("按权利人的实际损失确定基数 %(base)s 元"),
    "damages.gains": N_("按侵权人的侵权获利确定基数 %(base)s 元"),
    "damages.no_punitive": N_("%(law_name)s没有惩罚性赔偿的规定"),
    "damages.punitive": N_("%(why)s：按基数的 %(low)s—%(high)s 倍确定（合理开支不计入基数）"),
    "damages.punitive_needs_both": N_("惩罚性赔偿须同时具备故意侵权和情节严重"),
    "damages.needs_serious": N_("按倍数确定赔偿须侵权情节严重"),
    "damages.continuing": N_(
        "侵权行为自 %(acted_on)s 持续到 %(until)s，跨越法律修改：适用修改后的法律"
    ),
    "damages.expenses": N_("另加权利人为制止侵权行为所支付的合理开支 %(amount)s 元"),
}

# The engine's ``why`` parameter of ``damages.punitive`` (Chinese words, translated here).
WHY = {
    "故意侵权且情节严重": N_("故意侵权且情节严重"),
    "侵权情节严重": N_("侵权情节严重"),
}

#: The laws' titles and articles, by the engine's law code.
LAWS: dict[str, tuple[str, str]] = {
    "trademark_2013": (N_("《商标法》（2013年修正）"), N_("第六十三条")),
    "trademark_2019": (N_("《商标法》（2019年修正）"), N_("第六十三条")),
    "patent_2008": (N_("《专利法》（2008年修正）"), N_("第六十五条")),
    "patent_2020": (N_("《专利法》（2020年修正）"), N_("第七十一条")),
    "copyright_2010": (N_("《著作权法》（2010年修正）"), N_("第四十九条")),
    "copyright_2020": (N_("《著作权法》（2020年修正）"), N_("第五十四条")),
    "aucl_2017": (N_("《反不正当竞争法》（2017年修订）"), N_("第十七条")),
    "aucl_2019": (N_("《反不正当竞争法》（2019年修正）"), N_("第十七条")),
    "aucl_2025": (N_("《反不正当竞争法》（2025年修订）"), N_("第二十二条")),
    "seed_2015": (N_("《种子法》（2015年修订）"), N_("第七十三条")),
    "seed_2021": (N_("《种子法》（2021年修正）"), N_("第七十二条")),
}

KIND_CHOICES = [
    ("trademark", gettext_lazy("商标")),
    ("patent", gettext_lazy("专利")),
    ("copyright", gettext_lazy("著作权")),
    ("trade_secret", gettext_lazy("商业秘密")),
    ("plant_variety", gettext_lazy("植物新品种")),
]
BASIS_CHOICES = [
    ("loss", gettext_lazy("权利人的实际损失")),
    ("gains", gettext_lazy("侵权人的侵权获利")),
    ("licence", gettext_lazy("许可使用费的合理倍数")),
    ("statutory", gettext_lazy("法定赔偿（以上均难以确定）")),
]
FIELDS = (
    "kind",
    "acted_on",
    "acted_until",
    "basis",
    "amount",
    "licence_fee",
    "licence_multiple",
    "malicious",
    "serious",
    "expenses",
)


def law_title(law: str) -> str:
    title, _article = LAWS[law]
    return _(title)


def law_source(law: str) -> str:
    title, article = LAWS[law]
    # Chinese runs the title into the article; English puts a space between them.
    return _("%(law)s%(article)s") % {"law": _(title), "article": _(article)}


def render_step(code: str, params: dict[str, Any], law: str) -> str:
    """One step of the engine's result in the active language."""
    values = {k: str(v) for k, v in params.items()}
    title, article = LAWS[law]
    values.setdefault("law_name", _(title))
    if code == "damages.law":
        values["law_name"], values["article"] = _(title), _(article)
    if "why" in values:
        values["why"] = _(WHY.get(values["why"], values["why"]))
    return _(MESSAGES[code]) % values


def _error_text(code: str, field: str) -> str:
    labels = {
        "amount": _("金额"),
        "licence_fee": _("许可使用费"),
        "expenses": _("合理开支"),
    }
    if code == "damages.kind":
        return _("请选择权利类型（商标、专利、著作权、商业秘密或植物新品种）。")
    if code == "damages.basis":
        return _("请选择赔偿的计算依据。")
    if code == "damages.basis_not_in_law":
        return _("侵权行为发生时的法律没有参照许可使用费确定赔偿的规定，请选择其他计算依据。")
    if code == "damages.before_coverage":
        return _("侵权行为发生日早于本计算器覆盖的最早法律，请咨询专业人员。")
    if code == "damages.licence_multiple":
        return _("许可使用费倍数应为大于 0、不超过 100 的数字。")
    if code == "damages.amount":
        return _("%(label)s应为 0 至 10 万亿元的金额。") % {"label": labels.get(field, _("金额"))}
    return _("输入有误。")


# --- input ------------------------------------------------------------------------------------


def _day(value: Any, *, field: str, required: bool) -> dt.date | None:
    if isinstance(value, dt.date):
        day = value
    else:
        text = str(value if value is not None else "").strip()
        if not text:
            if required:
                raise InvalidInput(
                    _("请填写侵权行为发生日期。"), field=field, code="damages.date_required"
                )
            return None
        try:
            day = dt.date.fromisoformat(text[:10]) if len(text) == 10 else None
        except ValueError:
            day = None
        if day is None:
            raise InvalidInput(
                _("请按“年-月-日”填写日期，例如 2024-03-01。"), field=field, code="damages.date"
            )
    if day > timezone.localdate():
        raise InvalidInput(_("日期不能晚于今天。"), field=field, code="damages.future")
    return day


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "on", "yes"}
    return bool(value)


def _blank(value: Any) -> Any:
    return None if value is None or (isinstance(value, str) and not value.strip()) else value


@dataclass(frozen=True)
class Step:
    code: str
    params: dict[str, Any]
    text: str
    source: str


@dataclass(frozen=True)
class Estimate:
    """A calculation ready to show: the engine's result and its steps in the reader's language."""

    result: engine.Result
    steps: list[Step]

    @property
    def law_name(self) -> str:
        return law_title(self.result.regime.law)

    @property
    def article(self) -> str:
        return _(LAWS[self.result.regime.law][1])

    @property
    def source(self) -> str:
        return law_source(self.result.regime.law)


def estimate(data: Any) -> Estimate:
    """Run the calculator on ``data`` (a mapping of the form's or the API's fields, as text or
    values). Raises ``InvalidInput`` with a ``damages.*`` code naming the field."""
    get = data.get
    kind = str(get("kind") or "").strip()
    if kind not in engine.KINDS:
        raise InvalidInput(_error_text("damages.kind", "kind"), field="kind", code="damages.kind")
    acted_on = _day(get("acted_on"), field="acted_on", required=True)
    acted_until = _day(get("acted_until"), field="acted_until", required=False)
    if acted_until is not None and acted_until < acted_on:
        raise InvalidInput(
            _("持续至的日期不能早于侵权行为发生日期。"),
            field="acted_until",
            code="damages.date",
        )
    basis = str(get("basis") or "").strip()
    try:
        result = engine.calculate(
            kind=kind,
            acted_on=acted_on,
            acted_until=acted_until,
            basis=basis,
            amount=_blank(get("amount")),
            licence_fee=_blank(get("licence_fee")),
            licence_multiple=_blank(get("licence_multiple")),
            malicious=_flag(get("malicious")),
            serious=_flag(get("serious")),
            expenses=_blank(get("expenses")) or 0,
        )
    except engine.DamagesError as exc:
        raise InvalidInput(
            _error_text(exc.code, exc.field), field=exc.field, code=exc.code
        ) from None
    law = result.regime.law
    source = law_source(law)
    steps = [
        Step(code, _json(params), render_step(code, params, law), source)
        for code, params in result.steps
    ]
    return Estimate(result=result, steps=steps)


def _json(params: dict[str, Any]) -> dict[str, Any]:
    return {k: v if isinstance(v, (int, str)) else str(v) for k, v in params.items()}
