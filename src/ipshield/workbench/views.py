"""Staff workbench pages. Every list comes from a selector that applies unit scoping."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ipshield.accounts import selectors as account_selectors
from ipshield.accounts import services as account_services
from ipshield.accounts.models import UnitKind
from ipshield.accounts.selectors import profile_of, sees_all_units
from ipshield.cases import selectors as case_selectors
from ipshield.cases import workcalendar
from ipshield.cases.workflow import FINAL
from ipshield.common.errors import DomainError
from ipshield.common.forms import add_domain_error
from ipshield.registry import selectors as registry_selectors
from ipshield.registry import services as registry_services
from ipshield.registry.models import EntityKind, RightKind, RightStatus
from ipshield.workbench.forms import EntityForm, PersonForm, RejectForm

PAGE_SIZE = 25


def staff_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        profile = profile_of(request.user)
        if not (sees_all_units(request.user) or (profile and profile.is_staff_member)):
            raise PermissionDenied(_("工作台仅对单位工作人员开放。"))
        return view(request, *args, **kwargs)

    return wrapper


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@staff_required
def home(request):
    counts = registry_selectors.workbench_counts(actor=request.user)
    counts["people"] = account_selectors.person_list(actor=request.user).count()
    counts["units"] = account_selectors.unit_list(actor=request.user).count()
    counts.update(case_selectors.case_deadline_counts(actor=request.user))
    pending = registry_selectors.right_list(actor=request.user, status=RightStatus.PENDING)[:8]
    today = timezone.localdate()
    calendar_notice = workcalendar.open_limits_notice(
        cases=case_selectors.case_list(actor=request.user).exclude(status__in=FINAL),
        today=today,
        soon_before=case_selectors.due_soon_before(today),
    )
    return render(
        request,
        "workbench/home.html",
        {"counts": counts, "pending": pending, "calendar_notice": calendar_notice},
    )


@staff_required
def units(request):
    search = request.GET.get("q", "")
    kind = request.GET.get("kind", "")
    page = _page(request, account_selectors.unit_list(actor=request.user, search=search, kind=kind))
    return render(
        request,
        "workbench/units.html",
        {"page": page, "q": search, "kind": kind, "kinds": UnitKind.choices},
    )


@staff_required
def people(request):
    search = request.GET.get("q", "")
    form = None
    if request.user.has_perm("accounts.manage_unit_people"):
        units = account_selectors.units_managed_by(actor=request.user)
        form = PersonForm(request.POST or None, units=units)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                user = account_services.person_create(
                    actor=request.user,
                    username=data["username"],
                    display_name=data["display_name"],
                    roles=data["roles"],
                    unit=data["unit"],
                    password=data["password"] or None,
                    title=data["title"],
                    phone=data["phone"],
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("已添加人员：%(n)s") % {"n": user.profile.display_name})
                return redirect("workbench:people")
    elif request.method == "POST":
        raise PermissionDenied(_("您没有管理人员的权限。"))
    page = _page(request, account_selectors.person_list(actor=request.user, search=search))
    return render(request, "workbench/people.html", {"page": page, "q": search, "form": form})


@staff_required
def leading_group(request):
    groups = [
        (g, account_selectors.leading_group_members(group=g))
        for g in account_selectors.leading_groups()
    ]
    return render(request, "workbench/leading_group.html", {"groups": groups})


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
                entity = registry_services.entity_create(actor=request.user, **form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("已登记：%(n)s") % {"n": entity.name})
                return redirect("workbench:entities")
    page = _page(
        request, registry_selectors.entity_list(actor=request.user, search=search, kind=kind)
    )
    template = (
        "workbench/_entity_rows.html"
        if request.htmx and request.method == "GET"
        else "workbench/entities.html"
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
    page = _page(
        request,
        registry_selectors.right_list(actor=request.user, status=status, kind=kind, search=search),
    )
    return render(
        request,
        "workbench/rights.html",
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
    right = registry_selectors.right_get(actor=request.user, right_id=right_id)
    if right is None or decision not in ("verify", "reject"):
        raise Http404
    if not request.user.has_perm("registry.verify_ipright"):
        raise PermissionDenied(_("您没有核验知识产权的权限。"))
    error = None
    try:
        if decision == "verify":
            right = registry_services.right_verify(actor=request.user, right=right)
        else:
            form = RejectForm(request.POST)
            reason = form.data.get("reason", "")
            right = registry_services.right_reject(actor=request.user, right=right, reason=reason)
    except DomainError as exc:
        error = str(exc.message)
    context = {"right": right, "can_verify": True, "row_error": error}
    if request.htmx:
        return render(request, "workbench/_right_row.html", context)
    if error:
        messages.error(request, error)
    return redirect("workbench:rights")
