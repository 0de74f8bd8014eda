"""Pages: the public credit query and the staff joint-punishment check."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ipshield.accounts.pages import staff_required
from ipshield.common.errors import DomainError
from ipshield.common.forms import add_domain_error
from ipshield.common.validation import search_text
from ipshield.credit import selectors, services
from ipshield.credit.forms import CheckForm, RepairDecisionForm, RepairForm


def public_query(request):
    q = search_text(request.GET.get("q"))
    records = selectors.public_search(q=q) if len(q) >= 2 else None
    page = Paginator(records, 20).get_page(request.GET.get("page")) if records is not None else None
    listed = list(selectors.public_list(q=q)[:20]) if len(q) >= 2 else []
    repaired = list(selectors.public_list(q=q, repaired=True)[:20]) if len(q) >= 2 else []
    return render(
        request,
        "credit/public.html",
        {"q": q, "page": page, "listed": listed, "repaired": repaired},
    )


@staff_required
def check(request):
    form = CheckForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.credit_check(actor=request.user, channel="web", **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
    return render(request, "credit/check.html", {"form": form, "result": result})


@login_required
def repair_apply(request):
    from ipshield.credit import listing

    form = RepairForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            listing.repair_apply(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("信用修复申请已提交，作出列入决定的单位将审核并告知结果。"))
            return redirect("credit:repair")
    mine = request.user.repairapplication_set.select_related("entry__entity").order_by("-id")
    return render(request, "credit/repair.html", {"form": form, "mine": mine})


@staff_required
def repairs(request):
    return render(
        request,
        "credit/repairs.html",
        {
            "applications": selectors.repair_queue(actor=request.user)[:200],
            "form": RepairDecisionForm(),
        },
    )


@staff_required
@require_POST
def repair_decide(request, pk: int, decision: str):
    from ipshield.credit import listing

    application = selectors.repair_queue(actor=request.user).filter(pk=pk).first()
    if application is None or decision not in ("approve", "reject"):
        raise Http404
    form = RepairDecisionForm(request.POST)
    try:
        listing.repair_decide(
            actor=request.user,
            application=application,
            approve=decision == "approve",
            opinion=form.data.get("opinion", ""),
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("已作出信用修复决定。"))
    return redirect("credit:repairs")


@staff_required
def matches(request):
    from ipshield.credit import resolution

    queue = resolution.review_queue(actor=request.user).prefetch_related("candidates__entity")
    page = Paginator(queue, 20).get_page(request.GET.get("page"))
    return render(request, "credit/matches.html", {"page": page})


@staff_required
@require_POST
def match_decide(request, pk: int, decision: str):
    """Confirm or split one candidate of a queued record (only the record's candidates)."""
    from ipshield.credit import resolution

    record = resolution.review_queue(actor=request.user).filter(pk=pk).first()
    candidate = (
        record.candidates.select_related("entity").filter(entity_id=request.POST.get("entity"))
        if record is not None and str(request.POST.get("entity", "")).isdigit()
        else None
    )
    chosen = candidate.first() if candidate is not None else None
    if chosen is None or decision not in ("confirm", "split"):
        raise Http404
    decide = resolution.match_confirm if decision == "confirm" else resolution.match_split
    try:
        followed = decide(actor=request.user, record=record, entity=chosen.entity)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            (
                _("已确认为同一主体：%(name)s。")
                if decision == "confirm"
                else _("已排除：%(name)s。")
            )
            % {"name": chosen.entity.name}
            + (_("同名的其他 %(n)s 条记录已一并处理。") % {"n": followed} if followed else ""),
        )
    return redirect("credit:matches")
