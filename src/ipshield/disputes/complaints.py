"""Complaints that turn to mediation: one mechanism, not two (issue 16). The complaint rules'
mediation (《市场监督管理投诉举报处理暂行办法》第二十一条, 45 working days from acceptance) is a
dispute of the source ``complaint``, linked to the case; its limit is the case's
(``services.dispute_accept``).

Two ways in, one service (:func:`complaint_to_mediation`): the complainant accepts the
mediation-first offer when submitting (:func:`complaint_offer_record`, in the intake
transaction), or an officer of the case's unit turns the complaint to mediation later from the
case page, with the complainant's agreement.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ipshield.accounts.roles import Role
from ipshield.accounts.selectors import profile_of
from ipshield.accounts.services import require_writer
from ipshield.common.errors import Conflict, InvalidInput, PermissionDenied
from ipshield.disputes import errors, services, workflow
from ipshield.disputes.clusters import Offer, mediation_offer_for
from ipshield.disputes.models import (
    Dispute,
    DisputeSource,
    MediationOffer,
    Organisation,
    OrganisationKind,
    Party,
    Side,
)

__all__ = [
    "complaint_offer",
    "complaint_offer_record",
    "complaint_to_mediation",
    "may_turn_to_mediation",
    "open_dispute_of",
]

OFFICER_ROLES = frozenset({Role.CASE_OFFICER, Role.UNIT_LEADER})


def complaint_offer(*, right: Any, region: Any, exclude_case: Any = None) -> Offer | None:
    """The offer a complaint about ``right`` in ``region`` gets now (None: none)."""
    if right is None or region is None:
        return None
    return mediation_offer_for(region, right.kind, exclude_case=exclude_case)


def open_dispute_of(case: Any) -> Dispute | None:
    """The case's dispute still in mediation (or None)."""
    return (
        Dispute.objects.filter(case=case, status__in=workflow.OPEN).order_by("-applied_at").first()
    )


def _is_officer(actor: Any, case: Any) -> bool:
    profile = profile_of(actor)
    if profile is None or profile.read_only or profile.unit_id != case.unit_id:
        return False
    roles = set(actor.groups.values_list("name", flat=True))
    return bool(roles & OFFICER_ROLES)


def may_turn_to_mediation(actor: Any, case: Any) -> bool:
    """Whether ``actor`` (an officer of the case's unit) may turn ``case`` to mediation now."""
    from ipshield.cases.models import Source
    from ipshield.cases.workflow import FINAL

    return (
        case.source == Source.COMPLAINT
        and case.status not in FINAL
        and _is_officer(actor, case)
        and open_dispute_of(case) is None
    )


def _organisation(value: Any) -> Organisation:
    if not isinstance(value, Organisation):
        pk = str(value or "").strip()
        value = (
            Organisation.objects.filter(pk=int(pk)).first()
            if pk.isdigit() and len(pk) < 10
            else None
        )
    if value is None or value.kind in (OrganisationKind.ARBITRATION, OrganisationKind.COURT):
        raise InvalidInput(
            _("请选择调解组织（不能是仲裁委员会或法院）。"),
            field="organisation",
            code=errors.NOT_MEDIATING_BODY,
        )
    return value


@transaction.atomic
def complaint_to_mediation(
    *,
    actor: Any,
    case: Any,
    organisation: Any,
    offer: MediationOffer | None = None,
    complainant_agrees: bool = False,
) -> Dispute:
    """Turn complaint ``case`` to mediation by ``organisation``: a dispute of the source
    ``complaint`` between the complainant (applicant) and the party complained about
    (respondent), linked to the case. ``actor`` is the complainant (accepting the offer) or an
    officer of the case's unit, who confirms the complainant agreed (``complainant_agrees``:
    mediation is voluntary)."""
    from ipshield.cases import record as case_record
    from ipshield.cases.models import Case, Source
    from ipshield.cases.workflow import FINAL

    require_writer(actor)
    case = Case.objects.select_for_update().get(pk=case.pk)
    is_complainant = bool(case.submitted_by_id) and case.submitted_by_id == actor.pk
    if not is_complainant and not _is_officer(actor, case):
        raise PermissionDenied(
            _("只有投诉人或承办单位的办案人员可以将投诉转为调解。"), code=errors.NOT_YOURS
        )
    if case.source != Source.COMPLAINT:
        raise InvalidInput(_("只有投诉可以转为调解。"), field="case", code=errors.NOT_ALLOWED)
    if case.status in FINAL:
        raise Conflict(_("该投诉已办结，不能再转为调解。"), field="case", code=errors.NOT_ALLOWED)
    if open_dispute_of(case) is not None:
        raise Conflict(_("该投诉已在调解中。"), field="organisation", code=errors.NOT_ALLOWED)
    if not is_complainant and not complainant_agrees:
        raise InvalidInput(
            _("调解须当事人自愿：请先确认投诉人同意调解。"),
            field="complainant_agrees",
            code=errors.FIELD_REQUIRED,
        )
    organisation = _organisation(organisation)
    infringer = case.infringer
    respondent = (infringer.name if infringer else case.infringer_name or "").strip()
    if not respondent:
        raise InvalidInput(
            _("转为调解须知道被投诉人：请填写涉嫌侵权人名称。"),
            field="infringer_name",
            code=errors.FIELD_REQUIRED,
        )
    holder = case.rights_holder
    profile = profile_of(case.submitted_by) if case.submitted_by_id else None
    applicant = {
        "name": (holder.name if holder else "")
        or (profile.display_name if profile else "")
        or (case.submitted_by.get_username() if case.submitted_by_id else ""),
        "is_person": bool(holder and getattr(holder, "kind", "") == "person"),
        "phone": getattr(profile, "phone", "") if profile else "",
    }
    if offer is None:
        offer = MediationOffer.objects.filter(case=case).first()
    dispute = services.dispute_apply(
        actor=actor,
        organisation=organisation,
        title=case.title,
        facts=case.description,
        right_kind=case.right.kind if case.right_id else "",
        region=case.region,
        claims=[{"text": _("调解解决投诉所涉侵权纠纷（投诉编号 %(n)s）") % {"n": case.number}}],
        respondents=[{"name": respondent, "address": case.infringer_address}],
        applicant=applicant,
        rights_text=str(case.right) if case.right_id else "",
        source=DisputeSource.COMPLAINT,
        case=case,
        mediation_first=offer.reason if offer is not None else None,
    )
    if infringer is not None:
        # The entity, so that a mediator's conflict declared for it is found (recommendation).
        Party.objects.filter(dispute=dispute, side=Side.RESPONDENT).update(entity=infringer)
    if offer is not None:
        offer.dispute = dispute
        offer.accepted = offer.accepted or is_complainant
        offer.save(update_fields=["dispute", "accepted"])
    case_record.step_recorded(
        case=case,
        actor=actor,
        step="mediation",
        details={"dispute": dispute.number, "organisation": organisation.unit.name},
    )
    return dispute


def complaint_offer_record(
    *, actor: Any, case: Any, accepted: bool, seen: bool = True
) -> MediationOffer | None:
    """In the intake transaction of complaint ``case``: when a rule offers mediation first, keep
    the offer, its reason and the complainant's answer; accepted (and seen), the dispute is
    applied for at once. None when no rule offers it."""
    offer = complaint_offer(right=case.right, region=case.region, exclude_case=case)
    if offer is None:
        return None
    row = MediationOffer.objects.create(
        case=case, rule=offer.rule, reason=offer.reason, accepted=bool(accepted and seen)
    )
    if row.accepted:
        complaint_to_mediation(actor=actor, case=case, organisation=offer.organisation, offer=row)
        row.refresh_from_db()
    return row
