"""Credit records entered by units or imported from files (sources other than the platform's own
published penalties, which ``services.record_from_publication`` records).

File schema (CSV with a header row, UTF-8 with or without BOM, or a JSON array / ``{"records":
[…]}``; documented in ``docs/credit-import.md``):

==================  ========================  ==================================================
field               Chinese header            rule
==================  ========================  ==================================================
source              信息来源                  penalty, judgment, ruling, spot_check,
                                              mediation_breach, bad_faith_trademark,
                                              abnormal_patent (or their Chinese labels)
subject_name        当事人                    required, ≤ 200
subject_uscc        统一社会信用代码          optional; checked (a wrong check digit is named)
subject_is_person   自然人                    是/否, true/false (the name is then masked)
subject_address     住所                      optional, ≤ 200 (helps to find the entity)
subject_legal_rep   法定代表人                optional, ≤ 64: legal representative or operator
issuing_authority   作出机关                  default: the importing unit
document_number     文书编号                  ≤ 64
decided_on          作出日期                  YYYY-MM-DD, not in the future
legal_basis         依据                      ≤ 500
severity            严重程度                  general/serious/grave (一般/较重/严重)
amount              金额                      yuan, ≥ 0
penalty_kinds       处罚种类                  for penalties: fine, criticism, confiscation … (;)
intentional         故意侵权                  是/否
summary             摘要                      free text (personal data masked)
==================  ========================  ==================================================

Publication period: penalties follow ``publication.services.publication_period`` (3 months for
public criticism or a lower fine, otherwise 3 years); other sources 3 years. Each row's
``source_key`` (source + authority + document number, or + party + date without a number) makes
re-importing the same file create nothing new. Bad rows are reported one by one with the field;
valid rows are kept. Each record is linked to its market entity by ``resolution``: by code,
else by name, address and legal representative; uncertain ones wait in the review queue.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ipshield.accounts.selectors import profile_of
from ipshield.accounts.services import require_writer
from ipshield.common.errors import DomainError, InvalidInput, PermissionDenied
from ipshield.credit import events, resolution
from ipshield.credit.models import CreditRecord, RecordSource, Severity
from ipshield.engines.masking import mask_person_name, mask_text
from ipshield.engines.text import normalize_name
from ipshield.engines.workdays import add_months
from ipshield.publication.models import PenaltyKind
from ipshield.publication.services import publication_period
from ipshield.registry.validation import clean_uscc

OTHER_SOURCE_MONTHS = 36
MAX_ROWS = 10_000
HEADERS = {
    "信息来源": "source",
    "当事人": "subject_name",
    "统一社会信用代码": "subject_uscc",
    "自然人": "subject_is_person",
    "住所": "subject_address",
    "法定代表人": "subject_legal_rep",
    "作出机关": "issuing_authority",
    "文书编号": "document_number",
    "作出日期": "decided_on",
    "依据": "legal_basis",
    "严重程度": "severity",
    "金额": "amount",
    "处罚种类": "penalty_kinds",
    "故意侵权": "intentional",
    "摘要": "summary",
}
_LABELS = {english: chinese for chinese, english in HEADERS.items()}
_TRUE = {"1", "true", "yes", "y", "是", "t"}
_FALSE = {"", "0", "false", "no", "n", "否", "f"}


def _choice(value: Any, choices: type, *, field_name: str, label: str) -> str:
    text = str(value or "").strip()
    for choice in choices:  # type: ignore[attr-defined]
        if text in (choice.value, str(choice.label)):
            return str(choice.value)
    allowed = "、".join(f"{c.value}（{c.label}）" for c in choices)  # type: ignore[attr-defined]
    raise InvalidInput(
        _("%(label)s应为以下之一：%(allowed)s") % {"label": label, "allowed": allowed},
        field=field_name,
    )


def _bool(value: Any, *, field_name: str, label: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value or "").strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InvalidInput(_("%(label)s应填“是”或“否”。") % {"label": label}, field=field_name)


def _date(value: Any) -> dt.date:
    text = str(value or "").strip()
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(_("作出日期应为 YYYY-MM-DD 格式的日期。"), field="decided_on") from None
    if day > timezone.localdate():
        raise InvalidInput(_("作出日期不能晚于今天。"), field="decided_on")
    return day


def _amount(value: Any) -> Decimal | None:
    text = str(value if value is not None else "").replace(",", "").replace("¥", "").strip()
    if not text:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise InvalidInput(_("金额应为数字（元）。"), field="amount") from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e12"):
        raise InvalidInput(_("金额应为不小于 0 的数字（元）。"), field="amount")
    return amount.quantize(Decimal("0.01"))


def _text(value: Any, *, field_name: str, label: str, limit: int, required: bool = False) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise InvalidInput(_("请填写%(label)s。") % {"label": label}, field=field_name)
    if len(text) > limit:
        raise InvalidInput(
            _("%(label)s不能超过 %(n)s 个字。") % {"label": label, "n": limit}, field=field_name
        )
    return text


def _kinds(value: Any) -> list[str]:
    if isinstance(value, list):
        parts = [str(v).strip() for v in value]
    else:
        parts = [
            p.strip() for p in str(value or "").replace("；", ";").replace(",", ";").split(";")
        ]
    return [
        _choice(p, PenaltyKind, field_name="penalty_kinds", label=_("处罚种类")) for p in parts if p
    ]


def clean_record(data: dict[str, Any], *, default_authority: str) -> dict[str, Any]:
    """Check one record's fields; raises InvalidInput naming the first bad field."""
    source = _choice(data.get("source"), RecordSource, field_name="source", label=_("信息来源"))
    name = _text(
        data.get("subject_name"),
        field_name="subject_name",
        label=_("当事人"),
        limit=200,
        required=True,
    )
    code = str(data.get("subject_uscc") or "").strip()
    code = clean_uscc(code, field="subject_uscc") if code else ""
    person = _bool(data.get("subject_is_person"), field_name="subject_is_person", label=_("自然人"))
    severity_raw = data.get("severity") or Severity.GENERAL
    return {
        "source": source,
        "name": name,
        "uscc": code,
        "person": person,
        "address": _text(
            data.get("subject_address"), field_name="subject_address", label=_("住所"), limit=200
        ),
        "legal_rep": _text(
            data.get("subject_legal_rep"),
            field_name="subject_legal_rep",
            label=_("法定代表人"),
            limit=64,
        ),
        "authority": _text(
            data.get("issuing_authority") or default_authority,
            field_name="issuing_authority",
            label=_("作出机关"),
            limit=200,
            required=True,
        ),
        "document_number": _text(
            data.get("document_number"), field_name="document_number", label=_("文书编号"), limit=64
        ),
        "decided_on": _date(data.get("decided_on")),
        "legal_basis": _text(
            data.get("legal_basis"), field_name="legal_basis", label=_("依据"), limit=500
        ),
        "severity": _choice(severity_raw, Severity, field_name="severity", label=_("严重程度")),
        "amount": _amount(data.get("amount")),
        "penalty_kinds": _kinds(data.get("penalty_kinds")),
        "intentional": _bool(
            data.get("intentional"), field_name="intentional", label=_("故意侵权")
        ),
        "summary": _text(data.get("summary"), field_name="summary", label=_("摘要"), limit=5000),
    }


def _source_key(clean: dict[str, Any]) -> str:
    parts = [clean["source"], normalize_name(clean["authority"])]
    if clean["document_number"]:
        parts.append(clean["document_number"].replace(" ", "").upper())
    else:
        parts += [clean["uscc"] or normalize_name(clean["name"]), clean["decided_on"].isoformat()]
    return "import:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _period(clean: dict[str, Any]) -> tuple[int, str]:
    if clean["source"] == RecordSource.PENALTY:
        return publication_period(
            penalty_kinds=clean["penalty_kinds"],
            penalty_amount=clean["amount"],
            person=clean["person"],
        )
    return OTHER_SOURCE_MONTHS, _("%(source)s信息公示三年") % {
        "source": RecordSource(clean["source"]).label
    }


def _build(clean: dict[str, Any], *, unit: Any) -> tuple[CreditRecord, resolution.Resolution]:
    name = mask_person_name(clean["name"]) if clean["person"] else clean["name"]
    months, basis = _period(clean)
    record = CreditRecord(
        subject_name=name,
        subject_name_normalized=normalize_name(name),
        subject_uscc=clean["uscc"],
        subject_is_person=clean["person"],
        subject_address=clean["address"],
        subject_legal_representative=clean["legal_rep"],
        source=clean["source"],
        unit=unit,
        issuing_authority=clean["authority"],
        document_number=clean["document_number"],
        decided_on=clean["decided_on"],
        legal_basis=clean["legal_basis"],
        severity=clean["severity"],
        amount=clean["amount"],
        summary=mask_text(
            clean["summary"], person_names=[clean["name"]] if clean["person"] else []
        ),
        intentional=clean["intentional"],
        public_until=add_months(clean["decided_on"], months),
        period_basis=basis,
        source_key=_source_key(clean),
    )
    found = resolution.resolve(
        name=clean["name"],
        uscc=clean["uscc"],
        address=clean["address"],
        legal_representative=clean["legal_rep"],
    )
    resolution.apply(record, found)
    return record, found


def _unit_of(actor: Any) -> Any:
    require_writer(actor)
    profile = profile_of(actor)
    if profile is None or not profile.is_staff_member:
        raise PermissionDenied(_("只有单位工作人员可以录入信用记录。"))
    return profile.unit


@transaction.atomic
def record_enter(*, actor: Any, **data: Any) -> CreditRecord:
    """Enter one credit record for the actor's unit (a judgment, a ruling, a spot-check …)."""
    unit = _unit_of(actor)
    clean = clean_record(data, default_authority=unit.name)
    record, found = _build(clean, unit=unit)
    if CreditRecord.objects.filter(source_key=record.source_key).exists():
        raise DomainError(
            _("这条信用记录已经录入过（同一机关、同一文书）。"),
            code="credit_record_exists",
            status=409,
        )
    record.save()
    resolution.save_candidates(record, found)
    events.credit_record_created(actor=actor, record=record)
    return record


@dataclass
class ImportReport:
    created: int = 0
    duplicates: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def error_count(self) -> int:
        return len(self.errors)


def _rows(data: bytes, name: str) -> list[tuple[int, dict[str, Any]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise InvalidInput(_("无法识别文件编码，请保存为 UTF-8。"), field="file") from None
    stripped = text.lstrip()
    if name.lower().endswith(".json") or stripped[:1] in ("[", "{"):
        try:
            parsed = json.loads(text)
        except ValueError:
            raise InvalidInput(_("文件不是有效的 JSON。"), field="file") from None
        items = parsed.get("records") if isinstance(parsed, dict) else parsed
        if not isinstance(items, list):
            raise InvalidInput(_("JSON 应为数组，或含有 records 数组的对象。"), field="file")
        return [(i, item if isinstance(item, dict) else {}) for i, item in enumerate(items, 1)]
    reader = csv.DictReader(io.StringIO(text))
    headers = [HEADERS.get((h or "").strip(), (h or "").strip()) for h in reader.fieldnames or []]
    missing = {"source", "subject_name", "decided_on"} - set(headers)
    if missing:
        raise InvalidInput(
            _("CSV 缺少必需的列：%(cols)s")
            % {"cols": "、".join(f"{_LABELS[c]}（{c}）" for c in sorted(missing))},
            field="file",
        )
    reader.fieldnames = headers
    return [(n, dict(row)) for n, row in enumerate(reader, start=2)]


def records_import(*, actor: Any, data: bytes, name: str) -> ImportReport:
    """Import a CSV/JSON file of credit records for the actor's unit.

    Each valid row is saved on its own (a bad row never takes good ones with it); rows already
    imported (same source key) are counted as duplicates."""
    unit = _unit_of(actor)
    if not data.strip():
        raise InvalidInput(_("上传的文件是空的。"), field="file")
    rows = _rows(data, name)
    if len(rows) > MAX_ROWS:
        raise InvalidInput(
            _("一次最多导入 %(n)s 条记录，请拆分文件。") % {"n": MAX_ROWS}, field="file"
        )
    report = ImportReport()
    for number, row in rows:
        try:
            record, found = _build(clean_record(row, default_authority=unit.name), unit=unit)
        except InvalidInput as error:
            report.errors.append(
                {"row": number, "field": error.field, "message": str(error.message)}
            )
            continue
        try:
            with transaction.atomic():
                record.save()
                resolution.save_candidates(record, found)
                events.credit_record_created(actor=actor, record=record)
        except IntegrityError:
            report.duplicates += 1
            continue
        report.created += 1
    return report
