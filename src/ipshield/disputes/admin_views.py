"""Pages of the dispute directory, statistics and the damages calculator.

On the workbench (``admin_urls``, namespace ``workbench``): organisations and mediators for
administrators and an organisation's unit leader, a mediator's own profile (availability and
declared conflicts), the statistics per organisation and mediator with their CSV and Excel
export. On the portal (``damages_urls``): the damages calculator, open to everyone. Every
change is one call to ``directory``; a refusal is shown next to the field it names.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ipshield.accounts.models import Unit
from ipshield.accounts.pages import staff_required
from ipshield.accounts.selectors import profile_of, sees_all_units
from ipshield.common.errors import DomainError
from ipshield.common.forms import add_domain_error
from ipshield.disputes import directory, stats
from ipshield.disputes.admin_forms import (
    ConflictForm,
    DamagesForm,
    MediatorForm,
    OrganisationForm,
    StatsForm,
)
from ipshield.disputes.damages_reasons import estimate
from ipshield.disputes.models import Conflict, Mediator, Organisation
from ipshield.registry.models import RightKind

# --- the damages calculator (public) ----------------------------------------------------------


def damages(request):
    """The calculator: a GET form (nothing is stored), the range and each step with its source."""
    result = None
    if request.GET.get("kind") is not None:
        form = DamagesForm(request.GET)
        form.is_valid()  # the choices and lengths; the calculator checks the rest
        if not form.errors:
            try:
                result = estimate(form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
        else:
            # Still name every field the calculator would refuse, not only the form's choices.
            try:
                estimate(request.GET)
            except DomainError as error:
                if error.field in form.fields and error.field not in form.errors:
                    add_domain_error(form, error)
    else:
        form = DamagesForm(initial={"basis": "loss", "kind": "trademark"})
    return render(request, "disputes/manage/damages.html", {"form": form, "result": result})


# --- who manages what -------------------------------------------------------------------------


def _scope(request) -> list[int] | None:
    """The organisations ``request.user`` manages: None for every one (administrators), the
    unit leader's own, or PermissionDenied."""
    user = request.user
    if directory.can_manage(user, None) and (user.is_superuser or sees_all_units(user)):
        return None
    profile = profile_of(user)
    if profile is None or not directory.can_manage(user, profile.unit):
        raise PermissionDenied(_("只有系统管理员或本单位负责人可以管理纠纷化解组织和调解员。"))
    return list(Organisation.objects.filter(unit_id=profile.unit_id).values_list("pk", flat=True))


def _organisation(request, pk: int) -> Organisation:
    scope = _scope(request)
    organisation = get_object_or_404(Organisation.objects.select_related("unit"), pk=pk)
    if scope is not None and organisation.pk not in scope:
        raise Http404
    return organisation


@staff_required
def organisations(request):
    scope = _scope(request)
    qs = Organisation.objects.select_related("unit", "unit__region").order_by("kind", "unit__name")
    if scope is not None:
        qs = qs.filter(pk__in=scope)
    may_add = scope is None or not scope
    return render(
        request,
        "disputes/manage/organisations.html",
        {"organisations": qs, "may_add": may_add},
    )


def _org_values(form) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "kind": data["kind"],
        "video_link": data["video_link"],
        "address": data["address"],
        "accepts_online": data["accepts_online"],
        "limit_days": data["limit_days"],
    }


@staff_required
def organisation_edit(request, pk: int | None = None):
    scope = _scope(request)
    organisation = _organisation(request, pk) if pk is not None else None
    if organisation is None:
        units = Unit.objects.filter(dispute_body__isnull=True).order_by("name")
        if scope is not None:
            units = units.filter(pk=profile_of(request.user).unit_id)
        unit_choices = [(str(u.pk), u.name) for u in units]
    initial = (
        {
            "kind": organisation.kind,
            "video_link": organisation.video_link,
            "address": organisation.address,
            "accepts_online": organisation.accepts_online,
            "limit_days": organisation.limit_days,
        }
        if organisation
        else {"accepts_online": True, "limit_days": 30}
    )
    form = OrganisationForm(request.POST or None, initial=initial)
    if organisation is None:
        from django import forms

        form.fields = {
            "unit": forms.ChoiceField(label=_("单位"), choices=[("", "—"), *unit_choices]),
            **form.fields,
        }
    if request.method == "POST" and form.is_valid():
        unit = organisation.unit if organisation else Unit.objects.get(pk=form.cleaned_data["unit"])
        try:
            saved = directory.organisation_save(actor=request.user, unit=unit, **_org_values(form))
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("workbench:disputes-organisation", saved.pk)
    mediators = organisation.mediators.order_by("name") if organisation else []
    return render(
        request,
        "disputes/manage/organisation_form.html",
        {"form": form, "organisation": organisation, "mediators": mediators},
    )


@staff_required
def mediators(request):
    scope = _scope(request)
    qs = Mediator.objects.select_related("organisation__unit", "region").order_by(
        "organisation__unit__name", "name"
    )
    if scope is not None:
        qs = qs.filter(organisation_id__in=scope)
    labels = dict(RightKind.choices)
    rows = [(m, [labels.get(k, k) for k in m.specialties]) for m in qs]
    return render(request, "disputes/manage/mediators.html", {"rows": rows})


def _user_choices(organisation: Organisation, current: Any = None) -> list[tuple[str, str]]:
    users = (
        get_user_model()
        .objects.filter(is_active=True, profile__unit=organisation.unit)
        .filter(mediator__isnull=True)
        .select_related("profile")
        .order_by("username")
    )
    choices = [
        (str(u.pk), f"{u.profile.display_name or u.username}（{u.username}）") for u in users
    ]
    if current is not None:
        profile = profile_of(current)
        label = (
            f"{(profile.display_name if profile else '') or current.username}（{current.username}）"
        )
        choices.insert(0, (str(current.pk), label))
    return choices


@staff_required
def mediator_edit(request, pk: int | None = None, organisation_id: int | None = None):
    if pk is not None:
        mediator = get_object_or_404(Mediator.objects.select_related("organisation__unit"), pk=pk)
        organisation = _organisation(request, mediator.organisation_id)
        initial = {
            "user": str(mediator.user_id),
            "name": mediator.name,
            "title": mediator.title,
            "specialties": mediator.specialties,
            "industries": "、".join(mediator.industries),
            "region": mediator.region_id,
            "available": mediator.available,
            "max_load": mediator.max_load,
        }
        users = _user_choices(organisation, mediator.user)
    else:
        mediator = None
        organisation = _organisation(request, organisation_id)
        initial = {"available": True, "max_load": 10, "region": organisation.unit.region_id}
        users = _user_choices(organisation)
    form = MediatorForm(request.POST or None, initial=initial, users=users)
    if mediator is not None:
        form.fields["user"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = mediator.user if mediator else get_user_model().objects.get(pk=data["user"])
        try:
            saved = directory.mediator_save(
                actor=request.user,
                user=user,
                organisation=organisation,
                name=data["name"],
                title=data["title"],
                specialties=data["specialties"],
                industries=data["industries"],
                region=data["region"],
                available=data["available"],
                max_load=data["max_load"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("workbench:disputes-mediator", saved.pk)
    return render(
        request,
        "disputes/manage/mediator_form.html",
        {"form": form, "mediator": mediator, "organisation": organisation},
    )


# --- a mediator's own profile -----------------------------------------------------------------


def _me(request) -> Mediator:
    mediator = Mediator.objects.select_related("organisation__unit", "region").filter(
        user=request.user
    )
    found = mediator.first()
    if found is None:
        raise Http404
    return found


@staff_required
def my_profile(request):
    mediator = _me(request)
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            directory.conflict_declare(
                actor=request.user,
                mediator=mediator,
                name=form.cleaned_data["name"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("已申报。"))
            return redirect("workbench:disputes-me")
    labels = dict(RightKind.choices)
    return render(
        request,
        "disputes/manage/me.html",
        {
            "mediator": mediator,
            "specialties": [labels.get(k, k) for k in mediator.specialties],
            "conflicts": mediator.conflicts.all(),
            "form": form,
        },
    )


@staff_required
@require_POST
def my_availability(request):
    mediator = _me(request)
    try:
        directory.mediator_available(
            actor=request.user, mediator=mediator, available=request.POST.get("available") == "1"
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("workbench:disputes-me")


@staff_required
@require_POST
def my_conflict_remove(request, pk: int):
    mediator = _me(request)
    conflict = get_object_or_404(Conflict, pk=pk, mediator=mediator)
    try:
        directory.conflict_remove(actor=request.user, conflict=conflict)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("已撤回申报。"))
    return redirect("workbench:disputes-me")


# --- statistics -------------------------------------------------------------------------------


def _stats_filters(request) -> tuple[StatsForm, stats.Filters]:
    form = StatsForm(request.GET or None)
    start = end = region = None
    if form.is_bound and form.is_valid():
        start, end, region = (form.cleaned_data[k] for k in ("start", "end", "region"))
    # Staff of other units read the organisations' figures, not each mediator's.
    scope = stats.scope_of(request.user)
    return form, stats.Filters(start=start, end=end, region=region, organisations=scope)


def _everyone(filters: stats.Filters) -> stats.Filters:
    return stats.Filters(start=filters.start, end=filters.end, region=filters.region)


@staff_required
def statistics(request):
    form, filters = _stats_filters(request)
    return render(
        request,
        "disputes/manage/stats.html",
        {
            "form": form,
            "organisations": stats.by_organisation(_everyone(filters)),
            "mediators": stats.by_mediator(filters),
            "query": request.GET.urlencode(),
        },
    )


def _rate(value: Any) -> Any:
    return "" if value is None else value


def _csv_safe(value: Any) -> Any:
    # A cell starting with =, +, - or @ would run as a formula in a spreadsheet.
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@"}:
        return "'" + value
    return value


@staff_required
def statistics_export(request, fmt: str):
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    _form, filters = _stats_filters(request)
    header = [
        _("类别"),
        _("名称"),
        _("所属组织"),
        _("申请"),
        _("已受理"),
        _("达成协议"),
        _("调解不成"),
        _("不同意、撤回或不予受理"),
        _("办理中"),
        _("平均用时（日）"),
        _("调解成功率（%）"),
        _("司法确认"),
        _("司法确认率（%）"),
    ]
    rows = []
    for label, table in (
        (_("调解组织"), stats.by_organisation(_everyone(filters))),
        (_("调解员"), stats.by_mediator(filters)),
    ):
        for r in table.rows:
            rows.append(
                [
                    label,
                    r.name,
                    r.organisation,
                    r.applied,
                    r.accepted,
                    r.agreed,
                    r.failed,
                    r.refused,
                    r.open,
                    _rate(r.average_days),
                    _rate(r.success_rate),
                    r.confirmed,
                    _rate(r.confirmation_rate),
                ]
            )
    name = f"disputes-statistics-{dt.date.today().isoformat()}"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        for r in rows:
            writer.writerow([_csv_safe(v) for v in r])
        response = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
    else:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = _("纠纷化解统计")[:31]
        sheet.append(header)
        for r in rows:
            sheet.append([float(v) if hasattr(v, "quantize") else _csv_safe(v) for v in r])
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(
            out.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


__all__ = [
    "damages",
    "mediator_edit",
    "mediators",
    "my_availability",
    "my_conflict_remove",
    "my_profile",
    "organisation_edit",
    "organisations",
    "statistics",
    "statistics_export",
]
