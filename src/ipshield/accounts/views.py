"""Pages of the accounts app: the signed-in person's notifications; units, people and the
leading group on the workbench."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ipshield.accounts import selectors, services
from ipshield.accounts.forms import NotificationSettingsForm, PersonForm
from ipshield.accounts.models import UnitKind
from ipshield.accounts.pages import page_of, staff_required
from ipshield.common.errors import DomainError
from ipshield.common.forms import add_domain_error


@login_required
def notifications(request):
    page = Paginator(selectors.notifications_for(user=request.user), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "accounts/notifications.html", {"page": page})


@login_required
def notification_settings(request):
    """How the signed-in person is told: e-mail at once or in a daily digest, SMS."""
    from ipshield.accounts.models import NotificationSettings

    current, _created = NotificationSettings.objects.get_or_create(user=request.user)
    form = NotificationSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        services.notification_settings_set(actor=request.user, **form.cleaned_data)
        messages.success(request, _("通知方式已保存。"))
        return redirect("accounts:notification-settings")
    return render(
        request,
        "accounts/notification_settings.html",
        {
            "form": form,
            "email_on": settings.EMAIL_ENABLED,
            "sms_on": bool(settings.IPSHIELD_SMS_BACKEND),
            "email": request.user.email,
            "phone": getattr(selectors.profile_of(request.user), "phone", ""),
        },
    )


@login_required
@require_POST
def notifications_read(request):
    services.notifications_mark_read(user=request.user)
    return redirect("accounts:notifications")


@staff_required
def units(request):
    search = request.GET.get("q", "")
    kind = request.GET.get("kind", "")
    page = page_of(request, selectors.unit_list(actor=request.user, search=search, kind=kind))
    return render(
        request,
        "accounts/units.html",
        {"page": page, "q": search, "kind": kind, "kinds": UnitKind.choices},
    )


@staff_required
def people(request):
    search = request.GET.get("q", "")
    form = None
    if request.user.has_perm("accounts.manage_unit_people"):
        units = selectors.units_managed_by(actor=request.user)
        form = PersonForm(request.POST or None, units=units)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                user = services.person_create(
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
    page = page_of(request, selectors.person_list(actor=request.user, search=search))
    return render(request, "accounts/people.html", {"page": page, "q": search, "form": form})


@staff_required
def leading_group(request):
    groups = [(g, selectors.leading_group_members(group=g)) for g in selectors.leading_groups()]
    return render(request, "accounts/leading_group.html", {"groups": groups})
