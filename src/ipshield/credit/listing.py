"""The serious-dishonesty list (严重违法失信名单): eligibility by editable rules, the
proposal → review → decision → notice → publication workflow, and removal.

Periods follow 《市场监督管理严重违法失信名单管理办法》(国家市场监督管理总局令第44号):
an entity stays listed for three years and is then removed and no longer published; after one
year it may apply for early removal through credit repair (请以官方文本核对条号). Each step is a
service that records an audit event in its transaction; the proposer cannot review their own
proposal.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ipshield.accounts.roles import Role
from ipshield.accounts.selectors import profile_of
from ipshield.accounts.services import require_writer
from ipshield.common.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from ipshield.credit import events
from ipshield.credit.models import (
    CreditRecord,
    ListEntry,
    ListingRule,
    ListStatus,
    RecordStatus,
    RemovalReason,
    RepairApplication,
    RepairStatus,
)
from ipshield.engines.workdays import add_months
from ipshield.registry.models import Entity

LIST_MONTHS = 36
REPAIR_AFTER_MONTHS = 12
PROPOSERS = {Role.CASE_OFFICER, Role.UNIT_LEADER}
REVIEWERS = {Role.LEGAL_REVIEWER, Role.UNIT_LEADER}
DECIDERS = {Role.UNIT_LEADER}
# Entries in these statuses keep an entity "on the way" or on the list: no second proposal.
OPEN = (
    ListStatus.PROPOSED,
    ListStatus.REVIEWED,
    ListStatus.DECIDED,
    ListStatus.NOTIFIED,
    ListStatus.LISTED,
)


@dataclass(frozen=True)
class Eligibility:
    rule: ListingRule
    records: list[CreditRecord]
    reason: str


def _records_of(entity: Entity):
    by_code = CreditRecord.objects.filter(subject_uscc=entity.uscc) if entity.uscc else None
    records = CreditRecord.objects.filter(entity=entity)
    if by_code is not None:
        records = records | by_code
    return records.exclude(status=RecordStatus.REMOVED).distinct()


def eligibility(*, entity: Entity, today: dt.date | None = None) -> list[Eligibility]:
    """The active rules the entity's records meet, with the records and a reason in Chinese."""
    today = today or timezone.localdate()
    found = []
    for rule in ListingRule.objects.filter(active=True):
        since = today.replace(year=today.year - rule.within_years)
        records = _records_of(entity).filter(source=rule.source, decided_on__gte=since)
        if rule.intentional_only:
            records = records.filter(intentional=True)
        rows = list(records.order_by("decided_on"))
        total = Decimal(records.aggregate(total=Sum("amount"))["total"] or 0).quantize(
            Decimal("0.01")
        )
        if len(rows) >= rule.min_records and total >= rule.min_total_amount:
            found.append(
                Eligibility(
                    rule,
                    rows,
                    _("%(years)s 年内%(label)s记录 %(n)s 条，金额合计 %(total)s 元（%(basis)s）")
                    % {
                        "years": rule.within_years,
                        "label": rule.get_source_display(),
                        "n": len(rows),
                        "total": f"{total:,}",
                        "basis": rule.legal_basis,
                    },
                )
            )
    return found


def _staff(actor: Any, roles: set[Role], message: str) -> Any:
    require_writer(actor)
    profile = profile_of(actor)
    if profile is None or not profile.is_staff_member or not profile.has_role(*roles):
        raise PermissionDenied(message)
    return profile


def _entry(actor: Any, entry: ListEntry, expected: str) -> ListEntry:
    entry = ListEntry.objects.select_for_update().get(pk=entry.pk)
    profile = profile_of(actor)
    if profile is None or profile.unit_id != entry.unit_id:
        raise NotFound(_("找不到该名单记录，或它不归本单位办理。"))
    if entry.status != expected:
        raise Conflict(
            _("该名单记录当前为“%(status)s”，不能进行此操作。")
            % {"status": entry.get_status_display()},
            code="list_entry_state",
        )
    return entry


@transaction.atomic
def list_propose(*, actor: Any, entity: Entity, rule: ListingRule, facts: str) -> ListEntry:
    """Propose listing ``entity`` under ``rule``, which its records must meet."""
    profile = _staff(actor, PROPOSERS, _("只有办案人员或单位负责人可以提出列入。"))
    facts = (facts or "").strip()
    if not facts:
        raise InvalidInput(_("请填写事实与理由。"), field="facts")
    if ListEntry.objects.filter(entity=entity, status__in=OPEN).exists():
        raise Conflict(_("该主体已在列入程序中或已列入名单。"), code="list_entry_open")
    met = {e.rule.pk: e for e in eligibility(entity=entity)}
    if rule.pk not in met:
        raise InvalidInput(
            _("该主体的信用记录不符合“%(rule)s”。") % {"rule": rule.label}, field="rule"
        )
    entry = ListEntry.objects.create(
        entity=entity,
        unit=profile.unit,
        ground=rule.ground,
        rule=rule,
        facts=facts[:5000],
        proposed_by=actor,
    )
    entry.records.set(met[rule.pk].records)
    events.list_step(actor=actor, entry=entry, step="proposed", reason=met[rule.pk].reason)
    return entry


@transaction.atomic
def list_review(*, actor: Any, entry: ListEntry, approve: bool, opinion: str) -> ListEntry:
    """Legal review of a proposal (not by its proposer)."""
    _staff(actor, REVIEWERS, _("只有法制审核人员或单位负责人可以审核。"))
    entry = _entry(actor, entry, ListStatus.PROPOSED)
    if entry.proposed_by_id == actor.pk:
        raise PermissionDenied(_("不能审核本人提出的列入建议。"), code="four_eyes")
    opinion = (opinion or "").strip()
    if not opinion:
        raise InvalidInput(_("请填写审核意见。"), field="opinion")
    entry.status = ListStatus.REVIEWED if approve else ListStatus.REJECTED
    entry.reviewed_by = actor
    entry.review_opinion = opinion[:500]
    entry.save(update_fields=["status", "reviewed_by", "review_opinion", "updated_at"])
    events.list_step(actor=actor, entry=entry, step=entry.status, reason=entry.review_opinion)
    return entry


@transaction.atomic
def list_decide(*, actor: Any, entry: ListEntry, decision_number: str) -> ListEntry:
    """The unit's leader decides to list."""
    _staff(actor, DECIDERS, _("只有单位负责人可以作出列入决定。"))
    entry = _entry(actor, entry, ListStatus.REVIEWED)
    number = (decision_number or "").strip()
    if not number:
        raise InvalidInput(_("请填写决定书文号。"), field="decision_number")
    entry.status = ListStatus.DECIDED
    entry.decided_by = actor
    entry.decision_number = number[:64]
    entry.save(update_fields=["status", "decided_by", "decision_number", "updated_at"])
    events.list_step(actor=actor, entry=entry, step="decided", reason=number)
    return entry


@transaction.atomic
def list_notify(*, actor: Any, entry: ListEntry, on: dt.date, method: str) -> ListEntry:
    """Record that the entity was served the decision (date and how)."""
    _staff(actor, PROPOSERS, _("只有办案人员或单位负责人可以登记告知。"))
    entry = _entry(actor, entry, ListStatus.DECIDED)
    method = (method or "").strip()
    if not method:
        raise InvalidInput(_("请填写告知方式（例如：直接送达、邮寄送达）。"), field="method")
    if on > timezone.localdate():
        raise InvalidInput(_("告知日期不能晚于今天。"), field="on")
    entry.status = ListStatus.NOTIFIED
    entry.notified_on = on
    entry.notice_method = method[:100]
    entry.save(update_fields=["status", "notified_on", "notice_method", "updated_at"])
    events.list_step(actor=actor, entry=entry, step="notified", reason=method)
    return entry


@transaction.atomic
def list_publish(*, actor: Any, entry: ListEntry, on: dt.date | None = None) -> ListEntry:
    """Publish the listing: from ``on`` (default today) for three years."""
    _staff(actor, PROPOSERS, _("只有办案人员或单位负责人可以公示。"))
    entry = _entry(actor, entry, ListStatus.NOTIFIED)
    on = on or timezone.localdate()
    entry.status = ListStatus.LISTED
    entry.listed_on = on
    entry.list_until = add_months(on, LIST_MONTHS)
    entry.save(update_fields=["status", "listed_on", "list_until", "updated_at"])
    events.list_step(actor=actor, entry=entry, step="listed", reason=entry.list_until.isoformat())
    return entry


@transaction.atomic
def lists_remove_expired(*, today: dt.date | None = None) -> int:
    """Daily: remove entities whose three years on the list have passed (the day after the last)."""
    today = today or timezone.localdate()
    count = 0
    for entry in ListEntry.objects.select_for_update().filter(
        status=ListStatus.LISTED, list_until__lt=today
    ):
        entry.status = ListStatus.REMOVED
        entry.removed_on = today
        entry.removal_reason = RemovalReason.EXPIRED
        entry.save(update_fields=["status", "removed_on", "removal_reason", "updated_at"])
        events.list_step(actor=None, entry=entry, step="removed", reason=RemovalReason.EXPIRED)
        count += 1
    return count


def current_entries() -> QuerySet[ListEntry]:
    """Entries of this platform's list in force."""
    return ListEntry.objects.filter(status=ListStatus.LISTED)


def current_entry(entity: Entity | None) -> ListEntry | None:
    if entity is None:
        return None
    return current_entries().select_related("unit").filter(entity=entity).first()


# -- Credit repair (信用修复) ---------------------------------------------------------------------


def repair_open_on(entry: ListEntry) -> dt.date | None:
    """The first day the entity may apply for early removal (one year after listing)."""
    return add_months(entry.listed_on, REPAIR_AFTER_MONTHS) if entry.listed_on else None


def repair_apply(
    *,
    actor: Any,
    uscc: str,
    contact: str,
    statement: str,
    proof: Any,
    today: dt.date | None = None,
) -> RepairApplication:
    """The listed entity applies online for credit repair, with proof of rectification."""
    from ipshield.common.uploads import validate_upload
    from ipshield.registry.validation import clean_uscc

    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("请先登录。"))
    require_writer(actor)
    code = clean_uscc(uscc or "", field="uscc")
    today = today or timezone.localdate()
    entry = (
        ListEntry.objects.filter(entity__uscc=code, status=ListStatus.LISTED)
        .select_related("entity")
        .first()
    )
    if entry is None:
        raise InvalidInput(_("该统一社会信用代码的主体不在严重违法失信名单中。"), field="uscc")
    opens = repair_open_on(entry)
    if opens is None or today < opens:
        raise InvalidInput(
            _("列入名单满一年后方可申请信用修复，最早可于 %(d)s 申请。") % {"d": opens},
            field="uscc",
            code="repair_too_early",
        )
    contact = (contact or "").strip()
    statement = (statement or "").strip()
    if not contact:
        raise InvalidInput(_("请填写联系人及电话。"), field="contact")
    if not statement:
        raise InvalidInput(_("请说明整改情况。"), field="statement")
    if proof is None:
        raise InvalidInput(_("请上传整改证明材料。"), field="proof")
    validate_upload(proof, field="proof")
    if entry.repairs.filter(status=RepairStatus.SUBMITTED).exists():
        raise Conflict(_("已有一份信用修复申请正在审核中。"), code="repair_pending")
    digest = hashlib.sha256()
    for chunk in proof.chunks():
        digest.update(chunk)
    proof.seek(0)
    application = RepairApplication(
        entry=entry,
        applicant=actor,
        contact=contact[:100],
        statement=statement[:5000],
        proof_sha256=digest.hexdigest(),
    )
    application.proof.save(proof.name or "proof", proof, save=False)
    try:
        with transaction.atomic():
            application.save()
            events.list_step(
                actor=actor, entry=entry, step="repair_applied", reason=statement[:200]
            )
    except BaseException:
        application.proof.delete(save=False)
        raise
    return application


@transaction.atomic
def repair_decide(
    *, actor: Any, application: RepairApplication, approve: bool, opinion: str
) -> RepairApplication:
    """The listing unit decides; approval removes the entity from the list at once and stops
    publishing its credit records early. The decision is recorded and shown publicly."""
    _staff(actor, REVIEWERS, _("只有法制审核人员或单位负责人可以审核信用修复。"))
    application = RepairApplication.objects.select_for_update().get(pk=application.pk)
    entry = _entry(actor, application.entry, ListStatus.LISTED)
    if application.status != RepairStatus.SUBMITTED:
        raise Conflict(_("该申请已经审核。"), code="repair_decided")
    opinion = (opinion or "").strip()
    if not opinion:
        raise InvalidInput(_("请填写审核意见。"), field="opinion")
    today = timezone.localdate()
    application.status = RepairStatus.APPROVED if approve else RepairStatus.REJECTED
    application.reviewed_by = actor
    application.opinion = opinion[:500]
    application.decided_on = today
    application.save(update_fields=["status", "reviewed_by", "opinion", "decided_on", "updated_at"])
    if approve:
        entry.status = ListStatus.REMOVED
        entry.removed_on = today
        entry.removal_reason = RemovalReason.REPAIRED
        entry.save(update_fields=["status", "removed_on", "removal_reason", "updated_at"])
        for record in _records_of(entry.entity).filter(status=RecordStatus.PUBLIC):
            record.status = RecordStatus.HIDDEN
            record.hidden_at = timezone.now()
            record.save(update_fields=["status", "hidden_at", "updated_at"])
    events.list_step(
        actor=actor,
        entry=entry,
        step="repaired" if approve else "repair_rejected",
        reason=opinion,
    )
    return application
