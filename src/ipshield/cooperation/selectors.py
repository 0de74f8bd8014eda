"""Reads of cooperation records, scoped by unit: a unit sees the requests and transfers it sent
or received and the operations it leads or joins; auditors, leading-group members and
administrators see all. Also the criminal-referral transfer package."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from ipshield.accounts.selectors import profile_of, sees_all_units
from ipshield.cases import record
from ipshield.cases.models import Case
from ipshield.cases.selectors import case_record, case_visible_to
from ipshield.cooperation import thresholds
from ipshield.cooperation.models import (
    AssistanceRequest,
    CaseCriminalFacts,
    CooperationEvent,
    JointOperation,
    ProsecutionThreshold,
    ReferralDecision,
    Transfer,
)

PACKAGE_FORMAT = "ipshield.criminal-referral/1"


def _unit_of(actor: Any) -> int | None:
    """The actor's unit if they are a staff member of one, else None."""
    profile = profile_of(actor)
    if profile is None or profile.unit_id is None or not profile.is_staff_member:
        return None
    return profile.unit_id


def _between_units(queryset: QuerySet, *, actor: Any, direction: str = "") -> QuerySet:
    if sees_all_units(actor) and not direction:
        return queryset
    unit_id = _unit_of(actor)
    if unit_id is None:
        return queryset.none()
    if direction == "sent":
        return queryset.filter(from_unit_id=unit_id)
    if direction == "received":
        return queryset.filter(to_unit_id=unit_id)
    return queryset.filter(Q(from_unit_id=unit_id) | Q(to_unit_id=unit_id))


def assistance_request_list(
    *, actor: Any, direction: str = "", status: str = "", case_id: int | None = None
) -> QuerySet[AssistanceRequest]:
    """Requests the actor's unit sent or received (``direction``: "sent", "received" or "")."""
    requests = _between_units(AssistanceRequest.objects.all(), actor=actor, direction=direction)
    if status:
        requests = requests.filter(status=status)
    if case_id:
        requests = requests.filter(case_id=case_id)
    return requests.select_related("case", "from_unit", "to_unit").order_by("-sent_at", "-id")


def assistance_request_get(*, actor: Any, request_id: int) -> AssistanceRequest | None:
    return assistance_request_list(actor=actor).filter(pk=request_id).first()


def transfer_list(
    *,
    actor: Any,
    direction: str = "",
    status: str = "",
    kind: str = "",
    case_id: int | None = None,
) -> QuerySet[Transfer]:
    """Transfers the actor's unit proposed or received."""
    transfers = _between_units(Transfer.objects.all(), actor=actor, direction=direction)
    if status:
        transfers = transfers.filter(status=status)
    if kind:
        transfers = transfers.filter(kind=kind)
    if case_id:
        transfers = transfers.filter(case_id=case_id)
    return transfers.select_related("case", "from_unit", "to_unit").order_by("-proposed_at", "-id")


def transfer_get(*, actor: Any, transfer_id: int) -> Transfer | None:
    return transfer_list(actor=actor).filter(pk=transfer_id).first()


def operation_list(*, actor: Any, status: str = "") -> QuerySet[JointOperation]:
    """Operations the actor's unit leads or takes part in."""
    operations = JointOperation.objects.all()
    if not sees_all_units(actor):
        unit_id = _unit_of(actor)
        if unit_id is None:
            return operations.none()
        operations = operations.filter(Q(lead_unit_id=unit_id) | Q(units=unit_id)).distinct()
    if status:
        operations = operations.filter(status=status)
    return operations.select_related("lead_unit").prefetch_related("units", "cases")


def operation_get(*, actor: Any, operation_id: int) -> JointOperation | None:
    return operation_list(actor=actor).filter(pk=operation_id).first()


def history(target: AssistanceRequest | Transfer | JointOperation) -> QuerySet[CooperationEvent]:
    """The history both sides see, oldest first. Scope the target with a selector first."""
    field = {
        AssistanceRequest: "assistance_request",
        Transfer: "transfer",
        JointOperation: "operation",
    }[type(target)]
    return (
        CooperationEvent.objects.filter(**{field: target})
        .select_related("actor__profile", "unit")
        .order_by("at", "id")
    )


def case_history(case: Case) -> QuerySet[CooperationEvent]:
    """Every cooperation event about ``case`` (requests, transfers, referral), oldest first."""
    return (
        CooperationEvent.objects.filter(case=case)
        .select_related("actor__profile", "unit")
        .order_by("at", "id")
    )


def threshold_list(*, active_only: bool = False) -> QuerySet[ProsecutionThreshold]:
    rows = ProsecutionThreshold.objects.all()
    return rows.filter(active=True) if active_only else rows


def criminal_facts_of(case: Case) -> CaseCriminalFacts | None:
    return CaseCriminalFacts.objects.filter(case=case).first()


def referral_decisions(case: Case) -> QuerySet[ReferralDecision]:
    return ReferralDecision.objects.filter(case=case).select_related("transfer", "decided_by")


def latest_referral(case: Case) -> ReferralDecision | None:
    return referral_decisions(case).order_by("-decided_at", "-id").first()


def referral_case_get(*, actor: Any, case_id: int) -> Case | None:
    """The case, if ``actor`` may see it (its unit, a unit it is shared with, or all units)."""
    if not case_visible_to(actor=actor, case_id=case_id):
        return None
    return Case.objects.select_related("unit", "region").filter(pk=case_id).first()


# --- The transfer package ---------------------------------------------------------------------


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _money(value: Any) -> str | None:
    return None if value is None else f"{value:.2f}"


def _person(user: Any) -> str | None:
    if user is None:
        return None
    profile = getattr(user, "profile", None)
    return profile.display_name if profile is not None else user.get_username()


def facts_dict(facts: CaseCriminalFacts | None) -> dict[str, Any] | None:
    if facts is None:
        return None
    return {
        "illegal_business_volume": _money(facts.illegal_business_volume),
        "illegal_gains": _money(facts.illegal_gains),
        "marks_count": facts.marks_count,
        "mark_use": facts.mark_use,
        "prior_punishment": facts.prior_punishment,
        "note": facts.note,
        "updated_at": _iso(facts.updated_at),
    }


def _case_summary(case: Case) -> dict[str, Any]:
    infringer = case.infringer
    right = case.right
    return {
        "number": case.number,
        "title": case.title,
        "description": case.description,
        "source": case.source,
        "status": case.status,
        "status_label": str(case.get_status_display()),
        "track": case.track,
        "unit": {"id": case.unit_id, "name": case.unit.name},
        "region": (
            {"code": case.region.code, "name": case.region.full_name} if case.region else None
        ),
        "place": case.place,
        "infringer": {
            "name": infringer.name if infringer else case.infringer_name,
            "uscc": infringer.uscc if infringer else None,
            "address": (infringer.address if infringer else "") or case.infringer_address,
        },
        "right": (
            {
                "kind": right.kind,
                "registration_number": right.registration_number,
                "title": right.title,
                "holder": right.holder.name,
            }
            if right
            else None
        ),
        "amount_involved": _money(case.amount_involved),
        "received_at": _iso(case.received_at),
        "accepted_at": _iso(case.accepted_at),
        "decision_kind": case.decision_kind,
        "decision_summary": case.decision_summary,
    }


def _decision_dict(decision: ReferralDecision | None) -> dict[str, Any] | None:
    if decision is None:
        return None
    return {
        "refer": decision.refer,
        "reason": decision.reason,
        "reasons": decision.reasons,
        "unit": decision.unit.name,
        "decided_by": _person(decision.decided_by),
        "decided_at": _iso(decision.decided_at),
        "police_unit": decision.transfer.to_unit.name if decision.transfer else None,
    }


def build_referral_package(case: Case, *, decision: ReferralDecision | None = None) -> dict:
    """What goes to the police with a referral: the case summary, the criminal facts and the
    thresholds reached, the decision, every attachment with its SHA-256 and size, and every
    case-record entry with its hash (plus whether the hash chain checks out). Reporter identity
    is never included. Plain JSON types only."""
    facts = criminal_facts_of(case)
    attachments = [
        {
            "name": a.original_name,
            "kind": a.kind,
            "size": a.size,
            "sha256": a.sha256,
            "uploaded_at": _iso(a.created_at),
        }
        for a in case.attachments.order_by("id")
    ]
    entries = [
        {
            "seq": e.seq,
            "verb": e.verb,
            "verb_label": str(e.get_verb_display()),
            "at": _iso(e.at),
            "unit": e.unit.name if e.unit else None,
            "actor": _person(e.actor),
            "before": e.before,
            "after": e.after,
            "note": e.note,
            "prev_hash": e.prev_hash,
            "hash": e.hash,
        }
        for e in case_record(case=case)
    ]
    first_bad = record.verify_chain(case)
    return {
        "format": PACKAGE_FORMAT,
        "generated_at": _iso(timezone.now()),
        "case": _case_summary(case),
        "facts": facts_dict(facts),
        "thresholds_reached": [
            {"key": r.key, "reason": r.reason} for r in thresholds.reached(case, facts)
        ],
        "decision": _decision_dict(decision),
        "attachments": attachments,
        "record": entries,
        "record_chain_intact": first_bad is None,
        "record_first_broken_seq": first_bad,
    }


def package_bytes(package: dict) -> bytes:
    """The canonical encoding the package's SHA-256 is computed over."""
    text = json.dumps(package, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.encode("utf-8")


def package_sha256(package: dict) -> str:
    return hashlib.sha256(package_bytes(package)).hexdigest()


def referral_package(case: Case) -> dict:
    """The transfer package of ``case``: the one frozen when the case was last referred to the
    police (exactly as handed over; its SHA-256 is ``package_sha256`` of the decision), or, if
    the case has not been referred, a preview built now with ``"decision": None``."""
    decision = (
        ReferralDecision.objects.filter(case=case, refer=True)
        .order_by("-decided_at", "-id")
        .first()
    )
    if decision is not None and decision.package:
        return decision.package
    return build_referral_package(case)
