"""API routes of the damages calculator (``POST /api/v1/damages``), open to everyone like its
page: the range the law in force on the day of the act allows and every step with its code,
parameters, text in the reader's language (``Accept-Language``) and legal source. Refusals are
``{code, message, field}`` with a ``damages.*`` code."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from ipshield.common.validation import Money
from ipshield.disputes.damages_reasons import estimate

router = Router()

# An amount as text ("12,800.50") or a bounded number; the engine reads and checks either.
Value = Annotated[str, Field(max_length=40)] | Money | None


class DamagesIn(Schema):
    kind: str = ""
    acted_on: str = ""
    acted_until: str | None = None
    basis: str = ""
    amount: Value = None
    licence_fee: Value = None
    licence_multiple: Value = None
    malicious: bool = False
    serious: bool = False
    expenses: Value = None


class StepOut(Schema):
    code: str
    params: dict[str, Any]
    text: str
    source: str


class DamagesOut(Schema):
    law: str
    law_name: str
    article: str
    source: str
    basis: str
    base: str | None
    multiple: list[int] | None
    expenses: str
    low: str
    high: str
    steps: list[StepOut]


def _text(value: Value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float):
        return repr(value)
    return str(value)


@router.post("/damages", response=DamagesOut, auth=None, summary="侵权损害赔偿计算")
def damages(request: HttpRequest, payload: DamagesIn):
    """The range of compensation for one infringement under the law in force on ``acted_on``
    (``kind``: trademark, patent, copyright, trade_secret, plant_variety; ``basis``: loss,
    gains, licence, statutory). Amounts in yuan as strings (or numbers)."""
    data = payload.dict()
    for name in ("amount", "licence_fee", "licence_multiple", "expenses"):
        data[name] = _text(data[name])
    found = estimate(data)
    result = found.result
    return {
        "law": result.regime.law,
        "law_name": found.law_name,
        "article": found.article,
        "source": found.source,
        "basis": result.basis,
        "base": str(result.base) if result.base is not None else None,
        "multiple": list(result.multiple) if result.multiple else None,
        "expenses": str(result.expenses),
        "low": str(result.low),
        "high": str(result.high),
        "steps": [s.__dict__ for s in found.steps],
    }
