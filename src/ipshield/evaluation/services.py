"""Every change of state in the yearly evaluation: the sheet and its indicators, entered values,
finalising a year (its results frozen), circulated notices, interviews and commendations.
Keyword-only, one transaction each, audited.

Who acts: the *office* — writers of the leading group's office unit (``LeadingGroup.office_unit``,
copied onto the sheet). Leading-group members, auditors and administrators read every unit; a
unit leader reads the ranking and drills down into their own unit (``selectors``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ipshield.accounts.models import LeadingGroup, Unit
from ipshield.accounts.roles import Role
from ipshield.accounts.selectors import profile_of
from ipshield.accounts.services import require_writer
from ipshield.common.errors import Conflict, InvalidInput, PermissionDenied
from ipshield.common.validation import YEAR_MAX, YEAR_MIN, text_problem
from ipshield.evaluation import errors, events, indicators
from ipshield.evaluation.models import (
    ENTERED,
    Accountability,
    AccountabilityKind,
    Commendation,
    EnteredValue,
    EvaluationResult,
    Indicator,
    IndicatorScore,
    IndicatorSheet,
    Rule,
    SheetStatus,
)

# The roles that act for the office (read-only roles only read).
WRITERS = frozenset({Role.CASE_OFFICER, Role.LEGAL_REVIEWER, Role.UNIT_LEADER, Role.SYSADMIN})
WEIGHT_MAX = Decimal(100)
VALUE_LIMIT = Decimal(1_000_000)
LIMIT_DAYS_MAX = 60


# --- who may act


def is_office_member(actor: Any, office_unit_id: int) -> bool:
    profile = profile_of(actor)
    if profile is None or profile.read_only:
        return False
    return profile.unit_id == office_unit_id and profile.has_role(*WRITERS)


def require_office(actor: Any, sheet: IndicatorSheet) -> None:
    require_writer(actor)
    if not is_office_member(actor, sheet.office_unit_id):
        raise PermissionDenied(
            _("只有领导组办公室（%(unit)s）的工作人员可以办理。") % {"unit": sheet.office_unit},
            code=errors.NOT_OFFICE,
        )


def _require_draft(sheet: IndicatorSheet) -> None:
    if sheet.status == SheetStatus.FINAL:
        raise Conflict(
            _("%(year)s 年度考核结果已确定，不能再修改。") % {"year": sheet.year},
            code=errors.SHEET_FINAL,
        )


def _lock(sheet: IndicatorSheet) -> IndicatorSheet:
    return (
        IndicatorSheet.objects.select_for_update()
        .select_related("office_unit", "region")
        .get(pk=sheet.pk)
    )


# --- input


def _text(value: Any, field: str, *, required: bool, limit: int) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise InvalidInput(_("请填写此项。"), field=field, code=errors.FIELD_REQUIRED)
    if len(text) > limit:
        raise InvalidInput(
            _("最多 %(limit)s 个字。") % {"limit": limit},
            field=field,
            code=errors.OUT_OF_RANGE,
        )
    problem = text_problem(text)
    if problem:
        raise InvalidInput(problem, field=field, code=errors.OUT_OF_RANGE)
    return text


def _decimal(
    value: Any,
    field: str,
    *,
    low: Decimal,
    high: Decimal,
    required: bool = True,
    low_open: bool = False,
) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidInput(_("请填写此项。"), field=field, code=errors.FIELD_REQUIRED)
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite():
        raise InvalidInput(_("请填写数字。"), field=field, code=errors.OUT_OF_RANGE)
    if number < low or number > high or (low_open and number == low):
        message = (
            _("应大于 %(low)s、不超过 %(high)s。")
            if low_open
            else _("应在 %(low)s 至 %(high)s 之间。")
        )
        raise InvalidInput(
            message % {"low": _plain(low), "high": _plain(high)},
            field=field,
            code=errors.OUT_OF_RANGE,
        )
    return number.quantize(Decimal("0.01"))


def _plain(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return text


def _int(value: Any, field: str, *, low: int, high: int, required: bool) -> int | None:
    number = _decimal(value, field, low=Decimal(low), high=Decimal(high), required=required)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise InvalidInput(_("请填写整数。"), field=field, code=errors.OUT_OF_RANGE)
    return int(number)


def _year(value: Any) -> int:
    year = _int(value, "year", low=YEAR_MIN, high=YEAR_MAX, required=True)
    assert year is not None
    return year


# --- the sheet


@transaction.atomic
def sheet_create_default(
    *, actor: Any, year: Any, leading_group: LeadingGroup | None = None
) -> IndicatorSheet:
    """The year's sheet with the nine computed indicators (weights summing to 100), for the
    leading group whose office the actor works in (or ``leading_group``)."""
    require_writer(actor)
    the_year = _year(year)
    profile = profile_of(actor)
    if leading_group is None and profile is not None and profile.unit_id:
        leading_group = (
            LeadingGroup.objects.filter(office_unit_id=profile.unit_id).order_by("id").first()
        )
    if leading_group is None:
        raise PermissionDenied(
            _("只有领导组办公室的工作人员可以建立考核指标表。"), code=errors.NO_LEADING_GROUP
        )
    if not is_office_member(actor, leading_group.office_unit_id):
        raise PermissionDenied(
            _("只有领导组办公室（%(unit)s）的工作人员可以办理。")
            % {"unit": leading_group.office_unit},
            code=errors.NOT_OFFICE,
        )
    if IndicatorSheet.objects.filter(year=the_year, region=leading_group.region_id).exists():
        raise Conflict(
            _("%(year)s 年度的考核指标表已经建立。") % {"year": the_year},
            field="year",
            code=errors.SHEET_EXISTS,
        )
    try:
        with transaction.atomic():
            sheet = IndicatorSheet.objects.create(
                year=the_year,
                region_id=leading_group.region_id,
                leading_group=leading_group,
                office_unit_id=leading_group.office_unit_id,
                created_by=actor if getattr(actor, "pk", None) else None,
            )
    except IntegrityError as exc:
        raise Conflict(
            _("%(year)s 年度的考核指标表已经建立。") % {"year": the_year},
            field="year",
            code=errors.SHEET_EXISTS,
        ) from exc
    Indicator.objects.bulk_create(
        Indicator(
            sheet=sheet,
            order=order,
            name=str(c.name),
            source=c.code,
            weight=c.weight,
            rule=c.rule,
            target=c.target,
            limit_days=c.limit_days,
        )
        for order, c in enumerate(indicators.REGISTRY.values(), start=1)
    )
    events.sheet_created(actor=actor, sheet=sheet, indicators=len(indicators.REGISTRY))
    return sheet


@transaction.atomic
def indicator_save(
    *,
    actor: Any,
    sheet: IndicatorSheet,
    indicator: Indicator | None = None,
    name: Any,
    source: Any,
    weight: Any,
    rule: Any,
    target: Any = None,
    limit_days: Any = None,
    min_value: Any = None,
    max_value: Any = None,
    note: Any = "",
) -> Indicator:
    """Add an indicator to ``sheet`` or change ``indicator``. Refused, naming the field, for a
    weight outside (0, 100], an unknown source, a rule that does not fit the source, a target
    outside (0, 100], a limit outside 1–60 working days, or a range whose minimum is not below
    its maximum."""
    sheet = _lock(sheet)
    require_office(actor, sheet)
    _require_draft(sheet)
    if indicator is not None and indicator.sheet_id != sheet.pk:
        raise InvalidInput(_("该指标不属于此考核指标表。"), field="indicator")
    clean_name = _text(name, "name", required=True, limit=100)
    clean_source = str(source or "").strip()
    if clean_source != ENTERED and clean_source not in indicators.REGISTRY:
        raise InvalidInput(
            _("请选择系统计算的指标或“录入”。"), field="source", code=errors.UNKNOWN_SOURCE
        )
    clean_weight = _decimal(weight, "weight", low=Decimal(0), high=WEIGHT_MAX, low_open=True)
    clean_rule = str(rule or "").strip()
    allowed = {Rule.RANGE} if clean_source == ENTERED else {Rule.SHARE, Rule.TARGET}
    if clean_rule not in allowed:
        raise InvalidInput(
            _("录入的指标按取值范围计分；系统计算的指标按比例或目标比例计分。"),
            field="rule",
            code=errors.OUT_OF_RANGE,
        )
    clean_target = None
    if clean_rule == Rule.TARGET:
        clean_target = _decimal(target, "target", low=Decimal(0), high=Decimal(100), low_open=True)
    clean_limit = None
    if clean_source != ENTERED and indicators.REGISTRY[clean_source].limit_days is not None:
        clean_limit = _int(limit_days, "limit_days", low=1, high=LIMIT_DAYS_MAX, required=False)
        clean_limit = clean_limit or indicators.REGISTRY[clean_source].limit_days
    low = high = None
    if clean_source == ENTERED:
        low = _decimal(min_value, "min_value", low=-VALUE_LIMIT, high=VALUE_LIMIT)
        high = _decimal(max_value, "max_value", low=-VALUE_LIMIT, high=VALUE_LIMIT)
        assert low is not None and high is not None
        if high <= low:
            raise InvalidInput(
                _("最高值应大于最低值。"), field="max_value", code=errors.OUT_OF_RANGE
            )
        if indicator is not None and indicator.values.exclude(value__range=(low, high)).exists():
            raise InvalidInput(
                _("已录入的值有超出新范围的，请先修改这些值。"),
                field="max_value",
                code=errors.OUT_OF_RANGE,
            )
    clean_note = _text(note, "note", required=False, limit=300)
    values = {
        "name": clean_name,
        "source": clean_source,
        "weight": clean_weight,
        "rule": clean_rule,
        "target": clean_target,
        "limit_days": clean_limit,
        "min_value": low,
        "max_value": high,
        "note": clean_note,
    }
    changes: dict[str, Any] = {}
    if indicator is None:
        order = (sheet.indicators.aggregate(m=Max("order"))["m"] or 0) + 1
        indicator = Indicator.objects.create(sheet=sheet, order=order, **values)
        changes = {k: str(v) if v is not None else None for k, v in values.items()}
    else:
        indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
        for key, value in values.items():
            if getattr(indicator, key) != value:
                changes[key] = [
                    str(getattr(indicator, key)) if getattr(indicator, key) is not None else None,
                    str(value) if value is not None else None,
                ]
                setattr(indicator, key, value)
        if clean_source != ENTERED:
            indicator.values.all().delete()
        indicator.save()
    events.indicator_saved(actor=actor, indicator=indicator, changes=changes)
    return indicator


@transaction.atomic
def indicator_remove(*, actor: Any, indicator: Indicator) -> None:
    sheet = _lock(indicator.sheet)
    require_office(actor, sheet)
    _require_draft(sheet)
    events.indicator_removed(actor=actor, indicator=indicator)
    indicator.delete()


@transaction.atomic
def value_enter(
    *,
    actor: Any,
    indicator: Indicator,
    unit: Unit,
    value: Any,
    evidence: Any,
    attachment: UploadedFile | None = None,
) -> EnteredValue:
    """The office's value of an entered indicator for ``unit``, within the indicator's range,
    with the evidence it rests on (text, and a file preserved in the evidence ledger)."""
    from ipshield.evidence.services import check_upload, evidence_attach

    sheet = _lock(indicator.sheet)
    require_office(actor, sheet)
    _require_draft(sheet)
    indicator = Indicator.objects.get(pk=indicator.pk)
    if not indicator.is_entered:
        raise InvalidInput(
            _("该指标由系统计算，不能录入。"), field="indicator", code=errors.NOT_ENTERED
        )
    if unit.is_external:
        raise InvalidInput(_("外部单位不参加考核。"), field="unit", code=errors.UNKNOWN_UNIT)
    assert indicator.min_value is not None and indicator.max_value is not None
    clean_value = _decimal(value, "value", low=indicator.min_value, high=indicator.max_value)
    assert clean_value is not None
    clean_evidence = _text(evidence, "evidence", required=True, limit=2000)
    item = None
    if attachment is not None:
        check_upload(attachment, field="attachment")
        item = evidence_attach(actor=actor, upload=attachment, unit=sheet.office_unit)
    row, _created = EnteredValue.objects.update_or_create(
        indicator=indicator,
        unit=unit,
        defaults={
            "value": clean_value,
            "evidence": clean_evidence,
            "entered_by": actor,
            "entered_at": timezone.now(),
            **({"attachment": item} if item is not None else {}),
        },
    )
    events.value_entered(actor=actor, value=row)
    return row


@transaction.atomic
def sheet_finalize(
    *, actor: Any, sheet: IndicatorSheet, today: dt.date | None = None
) -> IndicatorSheet:
    """Freeze the year: every unit's figures, scores, total and rank are written as they are
    now, with the ids of the records behind each score; the sheet can no longer change."""
    from ipshield.evaluation.selectors import evaluation_compute

    sheet = _lock(sheet)
    require_office(actor, sheet)
    _require_draft(sheet)
    if not sheet.indicators.exists():
        raise Conflict(_("考核指标表还没有指标。"), code=errors.NO_INDICATORS)
    evaluation = evaluation_compute(sheet, today=today)
    for row in [*evaluation.departments, *evaluation.townships]:
        result = EvaluationResult.objects.create(
            sheet=sheet,
            unit=row.unit,
            township=row.township,
            total=row.total,
            applicable_weight=row.applicable_weight,
            rank=row.rank,
        )
        IndicatorScore.objects.bulk_create(
            IndicatorScore(
                result=result,
                indicator=cell.indicator,
                numerator=cell.numerator,
                denominator=cell.denominator,
                score=cell.score,
                record_ids=list(cell.ids),
                met_ids=list(cell.met_ids),
            )
            for cell in row.cells
        )
    sheet.status = SheetStatus.FINAL
    sheet.finalized_at = timezone.now()
    sheet.finalized_by = actor
    sheet.save(update_fields=["status", "finalized_at", "finalized_by", "updated_at"])
    events.finalized(
        actor=actor,
        sheet=sheet,
        units=len(evaluation.departments) + len(evaluation.townships),
    )
    return sheet


# --- notices, interviews, commendations


def _office_of(actor: Any) -> Unit:
    require_writer(actor)
    profile = profile_of(actor)
    if profile is None or not profile.unit_id or not is_office_member(actor, profile.unit_id):
        raise PermissionDenied(_("只有领导组办公室的工作人员可以登记。"), code=errors.NOT_OFFICE)
    if not LeadingGroup.objects.filter(office_unit_id=profile.unit_id).exists():
        raise PermissionDenied(_("只有领导组办公室的工作人员可以登记。"), code=errors.NOT_OFFICE)
    unit = profile.unit
    assert unit is not None
    return unit


def _date(value: Any, field: str) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            value = None
    if not isinstance(value, dt.date):
        raise InvalidInput(
            _("请填写日期，如 2026-12-01。"), field=field, code=errors.FIELD_REQUIRED
        )
    if value.year < YEAR_MIN or value > timezone.localdate():
        raise InvalidInput(_("日期不能晚于今天。"), field=field, code=errors.OUT_OF_RANGE)
    return value


def _attachment(actor: Any, upload: UploadedFile | None, unit: Unit) -> Any:
    from ipshield.evidence.services import check_upload, evidence_attach

    if upload is None:
        return None
    check_upload(upload, field="attachment")
    return evidence_attach(actor=actor, upload=upload, unit=unit)


@transaction.atomic
def accountability_record(
    *,
    actor: Any,
    unit: Unit,
    kind: Any,
    on: Any,
    reason: Any,
    issued_by: Any,
    attachment: UploadedFile | None = None,
) -> Accountability:
    """Record a circulated notice (通报) or an interview (约谈) of ``unit``."""
    office = _office_of(actor)
    if unit is None or unit.is_external:
        raise InvalidInput(_("请选择单位。"), field="unit", code=errors.UNKNOWN_UNIT)
    if kind not in AccountabilityKind.values:
        raise InvalidInput(_("请选择通报或约谈。"), field="kind", code=errors.OUT_OF_RANGE)
    item = Accountability.objects.create(
        unit=unit,
        kind=kind,
        on=_date(on, "on"),
        reason=_text(reason, "reason", required=True, limit=2000),
        issued_by=_text(issued_by, "issued_by", required=True, limit=100),
        attachment=_attachment(actor, attachment, office),
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    events.accountability_recorded(actor=actor, item=item)
    return item


@transaction.atomic
def commendation_record(
    *,
    actor: Any,
    on: Any,
    title: Any,
    reason: Any,
    issued_by: Any,
    unit: Unit | None = None,
    person: Any = "",
    attachment: UploadedFile | None = None,
) -> Commendation:
    """Record a commendation (表彰) of a unit, or of a person (with their unit if known)."""
    office = _office_of(actor)
    clean_person = _text(person, "person", required=False, limit=64)
    if unit is None and not clean_person:
        raise InvalidInput(
            _("请选择受表彰的单位或填写受表彰个人。"), field="unit", code=errors.FIELD_REQUIRED
        )
    if unit is not None and unit.is_external:
        raise InvalidInput(_("外部单位不参加考核。"), field="unit", code=errors.UNKNOWN_UNIT)
    item = Commendation.objects.create(
        unit=unit,
        person=clean_person,
        on=_date(on, "on"),
        title=_text(title, "title", required=True, limit=100),
        reason=_text(reason, "reason", required=True, limit=2000),
        issued_by=_text(issued_by, "issued_by", required=True, limit=100),
        attachment=_attachment(actor, attachment, office),
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    events.commendation_recorded(actor=actor, item=item)
    return item
