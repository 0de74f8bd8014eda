"""Complaints and mediation on the pages: the 调解 panel of a complaint's case page (the offer,
its reason, whether the complainant accepted, the dispute, and for the case's officers the form
that turns the complaint to mediation), and the offer shown on the portal complaint form.

``complaint_urlpatterns`` are mounted in the workbench (``workbench:case-mediation``),
``portal_urlpatterns`` in the portal (``portal:complaint-mediation-offer``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from ipshield.accounts.models import Region
from ipshield.accounts.pages import staff_required
from ipshield.common.errors import DomainError
from ipshield.disputes import complaints
from ipshield.disputes import reasons as catalogue
from ipshield.disputes.models import Dispute, MediationOffer
from ipshield.disputes.selectors import organisations

PANEL_ANCHOR = "#case-mediation"


def case_mediation(request: Any, case: Any, *, error: str = "", data: Any = None) -> dict:
    """The context of the 调解 panel on a case page (complaints only)."""
    from ipshield.cases.models import Source

    if case.source != Source.COMPLAINT:
        return {"mediation": None}
    offer = MediationOffer.objects.filter(case=case).select_related("dispute").first()
    disputes = list(
        Dispute.objects.filter(case=case)
        .select_related("organisation__unit")
        .order_by("applied_at")
    )
    can_turn = complaints.may_turn_to_mediation(request.user, case)
    choices: list[Any] = []
    chosen = ""
    if can_turn:
        choices = list(organisations())
        if data is not None:
            chosen = str(data.get("organisation", ""))
        elif offer is not None and offer.rule_id is not None and offer.rule is not None:
            chosen = str(offer.rule.organisation_id)
    return {
        "mediation": {
            "offer": offer,
            "reason": catalogue.render(offer.reason) if offer is not None else "",
            "disputes": disputes,
            "can_turn": can_turn,
            "organisations": choices,
            "chosen": chosen,
            "agrees": bool(data is not None and data.get("complainant_agrees")),
            "error": error,
            "url": reverse("workbench:case-mediation", args=[case.pk]),
        }
    }


@staff_required
@require_POST
@never_cache
def case_mediation_turn(request, case_id: int):
    from ipshield.cases.views import case_or_404, case_page_context

    case = case_or_404(request.user, case_id)
    try:
        dispute = complaints.complaint_to_mediation(
            actor=request.user,
            case=case,
            organisation=request.POST.get("organisation", ""),
            complainant_agrees=request.POST.get("complainant_agrees") in ("1", "on", "true"),
        )
    except DomainError as error:
        case = case_or_404(request.user, case_id)
        context = case_page_context(request, case)
        context.update(case_mediation(request, case, error=str(error.message), data=request.POST))
        return render(request, "cases/detail.html", context, status=error.status)
    messages.success(request, _("已转为调解：%(number)s") % {"number": dispute.number})
    return redirect(reverse("workbench:case-detail", args=[case.pk]) + PANEL_ANCHOR)


@login_required
@require_GET
def complaint_offer_fragment(request):
    """The offer for the right and region chosen on the complaint form (htmx)."""
    from ipshield.cases.selectors import complainable_rights

    right_id = str(request.GET.get("right", "")).strip()
    region_code = str(request.GET.get("region", "")).strip()[:9]
    right = (
        complainable_rights(request.user).filter(pk=int(right_id)).first()
        if right_id.isdigit() and len(right_id) < 12
        else None
    )
    region = Region.objects.filter(pk=region_code).first() if region_code.isdigit() else None
    offer = complaints.complaint_offer(right=right, region=region)
    if offer is None:
        return HttpResponse("")
    return render(request, "disputes/_mediation_offer.html", offer_context(offer))


def offer_context(offer: Any, *, accepted: bool = False) -> dict:
    return {
        "offer": {
            "reason": offer.rendered(),
            "organisation": offer.organisation.unit.name,
            "rule": offer.rule.pk,
            "accepted": accepted,
        }
    }


def form_offer(data: Any, rights: Any) -> dict:
    """The offer for a complaint form's current right and region (for the page itself, with or
    without JavaScript), as template context."""
    right_id = str(data.get("right", "") or "").strip()
    region_code = str(data.get("region", "") or "").strip()[:9]
    right = next((r for r in rights if str(r.pk) == right_id), None)
    region = Region.objects.filter(pk=region_code).first() if region_code.isdigit() else None
    offer = complaints.complaint_offer(right=right, region=region)
    if offer is None:
        return {"offer": None}
    return offer_context(offer, accepted=data.get(ACCEPT_FIELD) == "accept")


ACCEPT_FIELD = "mediation_first"
SEEN_FIELD = "mediation_offer_seen"


def intake_answer(post: Any) -> tuple[bool, bool]:
    """(accepted, seen) from a submitted complaint form."""
    return post.get(ACCEPT_FIELD) == "accept", bool(post.get(SEEN_FIELD))


def answer_ok(form: Any) -> bool:
    """Before the complaint is saved (its files are written with it): accepting mediation needs
    the party complained about, named on the form's own field."""
    accepted, _seen = intake_answer(form.data)
    data = form.cleaned_data
    if accepted and not (
        str(data.get("infringer_name") or "").strip()
        or str(data.get("infringer_uscc") or "").strip()
    ):
        form.add_error("infringer_name", _("转为调解须知道被投诉人：请填写涉嫌侵权人名称。"))
        return False
    return True


def receipt_data(offer: MediationOffer | None) -> dict:
    """What the receipt page says about the mediation-first offer (rendered now, in the
    complainant's language)."""
    if offer is None:
        return {}
    dispute = offer.dispute
    return {
        "mediation": {
            "reason": catalogue.render(offer.reason),
            "dispute": dispute.number if dispute is not None else "",
            "organisation": dispute.organisation.unit.name if dispute is not None else "",
        }
    }


complaint_urlpatterns = [
    path("cases/<int:case_id>/mediation/", case_mediation_turn, name="case-mediation"),
]
portal_urlpatterns = [
    path(
        "complaints/mediation-offer/",
        complaint_offer_fragment,
        name="complaint-mediation-offer",
    ),
]
