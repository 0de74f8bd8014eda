"""Every change of state of the credit app, and the logged credit check.

Records come from penalty decisions published by the cases workflow (same transaction as the
publication), are removed when that publication is withdrawn, and are hidden — never deleted —
when their publication period ends (the daily task). A check by another department answers with
the entity's public records and the measures that apply, and is logged with who asked and why.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ipshield.accounts.selectors import profile_of
from ipshield.common.errors import InvalidInput
from ipshield.credit import errors, events, resolution
from ipshield.credit.models import (
    CreditCheck,
    CreditRecord,
    JointMeasure,
    MatchState,
    MeasureTrigger,
    RecordSource,
    RecordStatus,
)
from ipshield.engines.text import normalize_name
from ipshield.engines.workdays import add_months
from ipshield.publication.models import Publication
from ipshield.registry.models import Entity
from ipshield.registry.validation import clean_uscc

#: Penalties within this many years count towards a repeat infringer (setting to change it).
REPEAT_WINDOW_YEARS = 5


def repeat_window_years() -> int:
    return int(getattr(settings, "IPSHIELD_REPEAT_WINDOW_YEARS", REPEAT_WINDOW_YEARS))


@transaction.atomic
def record_from_publication(*, publication: Publication, actor: Any) -> CreditRecord:
    """The credit record of a published penalty decision (call inside the publishing transaction).

    It carries the publication's masked party name and summary and is public for the same
    period."""
    case = publication.case
    record = CreditRecord(
        entity=case.infringer,
        match_state=MatchState.CASE if case.infringer_id else MatchState.UNRESOLVED,
        subject_name=publication.infringer_name,
        subject_name_normalized=normalize_name(publication.infringer_name),
        subject_uscc=publication.infringer_uscc,
        subject_is_person=publication.infringer_is_person,
        source=RecordSource.PENALTY,
        unit=publication.unit,
        issuing_authority=publication.unit.name,
        document_number=publication.decision_number,
        decided_on=publication.decided_on,
        amount=publication.penalty_amount,
        summary=publication.summary,
        public_until=publication.period_ends_on,
        period_basis=publication.period_basis,
        case=case,
        publication=publication,
        source_key=f"publication:{publication.pk}",
    )
    resolution.save_new(record)
    events.credit_record_created(actor=actor, record=record)
    return record


@transaction.atomic
def record_remove_for_publication(*, publication: Publication, actor: Any, reason: str) -> None:
    """The decision behind a record was revoked: the record stops being public at once."""
    record = CreditRecord.objects.select_for_update().filter(publication=publication).first()
    if record is None or record.status == RecordStatus.REMOVED:
        return
    record.status = RecordStatus.REMOVED
    record.hidden_at = timezone.now()
    record.save(update_fields=["status", "hidden_at", "updated_at"])
    events.credit_record_removed(actor=actor, record=record, reason=reason)


def on_publication_published(
    sender: Any, *, publication: Publication, actor: Any, **_: Any
) -> None:
    """Receiver of ``publication.signals.publication_published``."""
    record_from_publication(publication=publication, actor=actor)


def on_publication_withdrawn(
    sender: Any, *, publication: Publication, actor: Any, reason: str, **_: Any
) -> None:
    """Receiver of ``publication.signals.publication_withdrawn``."""
    record_remove_for_publication(publication=publication, actor=actor, reason=reason)


@transaction.atomic
def records_hide_expired(*, today: dt.date | None = None) -> int:
    """Hide every public record whose publication period ended before ``today``; each is
    recorded in the audit trail. Returns how many."""
    today = today or timezone.localdate()
    now = timezone.now()
    count = 0
    for record in CreditRecord.objects.select_for_update().filter(
        status=RecordStatus.PUBLIC, public_until__lt=today
    ):
        record.status = RecordStatus.HIDDEN
        record.hidden_at = now
        record.save(update_fields=["status", "hidden_at", "updated_at"])
        events.credit_record_hidden(record=record, today=today)
        count += 1
    return count


# -- The check ------------------------------------------------------------------------------------


@dataclass
class CheckResult:
    """What a check answers: who was found, their public records and the measures that apply."""

    query_uscc: str
    query_name: str
    entity: Entity | None
    records: list[CreditRecord]
    repeat_infringer: bool
    intentional: bool
    measures: list[JointMeasure] = field(default_factory=list)
    check_id: int | None = None
    listed: Any = None  # the ListEntry while the entity is on the serious-dishonesty list
    listed_elsewhere: Any = None  # an ExternalListEntry from another platform's list

    @property
    def restricted(self) -> bool:
        return bool(self.measures)


def _subject(
    uscc: str, name: str, entities: QuerySet[Entity] | None = None
) -> tuple[Q, Entity | None]:
    entities = Entity.objects.all() if entities is None else entities
    entity = None
    if uscc:
        entity = entities.filter(uscc=uscc).first()
        match = Q(subject_uscc=uscc)
    else:
        normalized = normalize_name(name)
        entity = entities.filter(name_normalized=normalized).first()
        if entity is None:  # a variant of a registered name (繁体, 有限责任公司, no county …)
            found = resolution.resolve(name=name)
            if found.entity_id is not None and found.state in (
                MatchState.SAME,
                MatchState.CONFIRMED,
            ):
                entity = entities.filter(pk=found.entity_id).first()
        match = Q(subject_name_normalized=normalized)
    if entity is not None:
        match |= Q(entity=entity)
    return match, entity


def subject_records(
    *, uscc: str = "", name: str = "", entities: QuerySet[Entity] | None = None
) -> tuple[QuerySet[CreditRecord], Any]:
    """The records of the subject of a code or a name, and its registered entity (looked up
    in ``entities``, e.g. annotated, when given)."""
    match, entity = _subject(uscc, name, entities)
    return CreditRecord.objects.filter(match).select_related("unit"), entity


def _repeat_among(penalties: list[CreditRecord], today: dt.date) -> bool:
    """The repeat-infringer rule over an entity's IP infringement penalties (not removed)."""
    window_start = add_months(today, -12 * repeat_window_years())
    if sum(1 for r in penalties if r.decided_on >= window_start) >= 2:
        return True
    ordered = sorted(penalties, key=lambda r: (r.decided_on, r.pk))
    return any(r.intentional for r in ordered[1:])


def _counts_as_penalty(record: CreditRecord) -> bool:
    return (
        record.status != RecordStatus.REMOVED
        and record.source == RecordSource.PENALTY
        and record.ip_infringement
    )


def is_repeat_infringer(records: QuerySet[CreditRecord], *, today: dt.date | None = None) -> bool:
    """Two or more IP infringement penalties within the window (default 5 years, setting
    ``IPSHIELD_REPEAT_WINDOW_YEARS``), or an intentional one after any prior one."""
    penalties = records.exclude(status=RecordStatus.REMOVED).filter(
        source=RecordSource.PENALTY, ip_infringement=True
    )
    return _repeat_among(list(penalties), today or timezone.localdate())


def repeat_infringer(*, entity: Entity | None, uscc: str = "", name: str = "") -> bool:
    """Whether the party of a new case is a repeat infringer by its credit records."""
    if entity is not None:
        uscc = uscc or entity.uscc or ""
        name = name or entity.name
    if not (uscc or name):
        return False
    return is_repeat_infringer(subject_records(uscc=uscc, name=name)[0])


def _clean_query(uscc: str, name: str) -> tuple[str, str]:
    uscc = (uscc or "").strip()
    name = (name or "").strip()
    if uscc:
        return clean_uscc(uscc, field="uscc"), ""
    if not name:
        raise InvalidInput(
            _("请输入统一社会信用代码或名称。"), field="uscc", code=errors.QUERY_MISSING
        )
    if len(name) > 200:
        raise InvalidInput(_("名称不能超过 200 个字。"), field="name")
    return "", name


def credit_check(
    *, actor: Any, uscc: str = "", name: str = "", purpose: str, channel: str = "web"
) -> CheckResult:
    """Check an entity for joint punishment: its public records, whether it is a repeat or an
    intentional infringer, and the measures of the catalogue that apply. Logged."""
    uscc, name = _clean_query(uscc, name)
    purpose = (purpose or "").strip()
    if not purpose:
        raise InvalidInput(
            _("请填写查询事由（例如：某项补贴资格审核）。"),
            field="purpose",
            code=errors.PURPOSE_MISSING,
        )
    from ipshield.credit.exchange import current_external_entries, external_listing
    from ipshield.credit.listing import current_entries, current_entry

    # The entity comes with whether it is listed here or elsewhere: most are not, and then
    # neither list is read again.
    entities = Entity.objects.annotate(
        listed_here=Exists(current_entries().filter(entity=OuterRef("pk"))),
        listed_elsewhere=Exists(current_external_entries().filter(entity_uscc=OuterRef("uscc"))),
    )
    records, entity = subject_records(uscc=uscc, name=name, entities=entities)
    # One read of the entity's records answers both the public list and the repeat rule.
    standing = list(records.exclude(status=RecordStatus.REMOVED).order_by("-decided_on", "-id"))
    public = [r for r in standing if r.status == RecordStatus.PUBLIC]
    repeat = _repeat_among([r for r in standing if _counts_as_penalty(r)], timezone.localdate())
    intentional = any(r.intentional for r in public)
    triggers = set()
    if any(r.ip_infringement for r in public):
        triggers.add(MeasureTrigger.PUBLIC_RECORD)
    if repeat:
        triggers.add(MeasureTrigger.REPEAT)
    if intentional:
        triggers.add(MeasureTrigger.INTENTIONAL)
    listed = current_entry(entity) if entity is not None and entity.listed_here else None
    code = uscc or (entity.uscc if entity else "") or ""
    if entity is not None and code and code == entity.uscc and not entity.listed_elsewhere:
        elsewhere = None
    else:
        elsewhere = external_listing(uscc=code, name=name)
    if listed is not None or elsewhere is not None:
        triggers.add(MeasureTrigger.LISTED)
    measures = [m for m in active_measures() if m.trigger in triggers]
    profile = profile_of(actor)
    check = CreditCheck.objects.create(  # one row: autocommit needs no transaction of its own
        actor=actor if getattr(actor, "pk", None) else None,
        unit_id=profile.unit_id if profile is not None else None,
        channel=channel,
        query_uscc=uscc,
        query_name=name[:200],
        purpose=purpose[:200],
        records_found=len(public),
        measures=[m.pk for m in measures],
    )
    return CheckResult(
        query_uscc=uscc,
        query_name=name,
        entity=entity,
        records=public,
        repeat_infringer=repeat,
        intentional=intentional,
        measures=measures,
        check_id=check.pk,
        listed=listed,
        listed_elsewhere=elsewhere,
    )


#: Seconds a process keeps the catalogue of measures before reading it again. A change made
#: through ``measure_save`` applies at once in that process and within this time in others.
MEASURES_TTL = 60.0
_measures: dict[str, Any] = {"read_at": None, "rows": []}


def active_measures() -> list[JointMeasure]:
    """The active measures of the catalogue (in its order), read at most once a minute."""
    now = time.monotonic()
    read_at = _measures["read_at"]
    if read_at is None or now - read_at > MEASURES_TTL:
        _measures["rows"] = list(JointMeasure.objects.filter(active=True))
        _measures["read_at"] = now
    return list(_measures["rows"])


def forget_measures() -> None:
    """Read the catalogue again at the next check (after a change, and between tests)."""
    _measures["read_at"] = None


@transaction.atomic
def measure_save(*, actor: Any, measure: JointMeasure) -> JointMeasure:
    """Add or change a measure of the joint-punishment catalogue (administrators)."""
    from ipshield.accounts.services import require_writer

    require_writer(actor)
    if not measure.title.strip():
        raise InvalidInput(_("请填写措施内容。"), field="title")
    created = measure.pk is None
    measure.save()
    events.joint_measure_saved(actor=actor, measure=measure, created=created)
    forget_measures()
    transaction.on_commit(forget_measures)
    return measure
