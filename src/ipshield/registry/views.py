"""Registry pages on the workbench: market entities and the verification of rights."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ipshield.accounts.pages import page_of, staff_required
from ipshield.common.errors import DomainError
from ipshield.common.forms import add_domain_error
from ipshield.registry import selectors, services
from ipshield.registry.forms import EntityForm, RejectForm
from ipshield.registry.models import EntityKind, RightKind, RightStatus


@staff_required
def entities(request):
    search = request.GET.get("q", "")
    kind = request.GET.get("kind", "")
    can_add = request.user.has_perm("registry.add_entity")
    form = EntityForm(request.POST or None) if can_add else None
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied(_("您没有登记市场主体的权限。"))
        if form.is_valid():
            try:
                entity = services.entity_create(actor=request.user, **form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("已登记：%(n)s") % {"n": entity.name})
                return redirect("workbench:entities")
    page = page_of(request, selectors.entity_list(actor=request.user, search=search, kind=kind))
    template = (
        "registry/_entity_rows.html"
        if request.htmx and request.method == "GET"
        else "registry/entities.html"
    )
    return render(
        request,
        template,
        {"page": page, "q": search, "kind": kind, "kinds": EntityKind.choices, "form": form},
    )


@staff_required
def rights(request):
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    search = request.GET.get("q", "")
    page = page_of(
        request,
        selectors.right_list(actor=request.user, status=status, kind=kind, search=search),
    )
    return render(
        request,
        "registry/rights.html",
        {
            "page": page,
            "status": status,
            "kind": kind,
            "q": search,
            "statuses": RightStatus.choices,
            "kinds": RightKind.choices,
            "can_verify": request.user.has_perm("registry.verify_ipright"),
        },
    )


@staff_required
@require_POST
def right_decide(request, right_id: int, decision: str):
    right = selectors.right_get(actor=request.user, right_id=right_id)
    if right is None or decision not in ("verify", "reject"):
        raise Http404
    if not request.user.has_perm("registry.verify_ipright"):
        raise PermissionDenied(_("您没有核验知识产权的权限。"))
    error = None
    try:
        if decision == "verify":
            right = services.right_verify(actor=request.user, right=right)
        else:
            form = RejectForm(request.POST)
            reason = form.data.get("reason", "")
            right = services.right_reject(actor=request.user, right=right, reason=reason)
    except DomainError as exc:
        error = str(exc.message)
    context = {"right": right, "can_verify": True, "row_error": error}
    if request.htmx:
        return render(request, "registry/_right_row.html", context)
    if error:
        messages.error(request, error)
    return redirect("workbench:rights")
