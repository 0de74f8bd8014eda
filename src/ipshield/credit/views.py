"""Pages: the public credit query and the staff joint-punishment check."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ipshield.common.errors import DomainError
from ipshield.common.forms import add_domain_error
from ipshield.credit import selectors, services
from ipshield.credit.forms import CheckForm, RepairDecisionForm, RepairForm
from ipshield.workbench.views import staff_required


def public_query(request):
    q = request.GET.get("q", "").strip()[:200]
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
