"""Public portal pages: home, sign-up, sign-in, my rights."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ipshield.accounts import services as account_services
from ipshield.accounts.selectors import profile_of
from ipshield.common.errors import DomainError
from ipshield.common.forms import add_domain_error
from ipshield.portal.forms import HolderForm, RightForm, SignInForm, SignUpForm
from ipshield.registry import selectors as registry_selectors
from ipshield.registry import services as registry_services
from ipshield.registry.models import Entity, IPRight, RightStatus


def home(request):
    stats = {
        "rights_verified": IPRight.objects.filter(status=RightStatus.VERIFIED).count(),
        "entities": Entity.objects.count(),
    }
    return render(request, "portal/home.html", {"stats": stats})


class SignInView(auth_views.LoginView):
    template_name = "portal/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


def after_login(request):
    profile = profile_of(request.user)
    if profile is not None and (profile.is_staff_member or profile.sees_all_units):
        return redirect("workbench:home")
    return redirect("portal:my-rights")


def sign_up(request):
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = account_services.user_sign_up(
                username=data["username"],
                password=data["password"],
                display_name=data["display_name"],
                phone=data["phone"],
                email=data["email"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("注册成功。请完善权利人信息并登记您的知识产权。"))
            return redirect("portal:my-rights")
    return render(request, "portal/signup.html", {"form": form})


@login_required
def my_rights(request):
    holder = registry_selectors.holder_of(request.user)
    initial = {}
    if holder is not None:
        initial = {
            "holder_name": holder.name,
            "holder_kind": holder.kind,
            "holder_uscc": holder.entity.uscc if holder.entity else "",
            "region": holder.region_id,
        }
    holder_form = HolderForm(
        request.POST if request.POST.get("form") == "holder" else None, initial=initial
    )
    right_form = RightForm(
        request.POST if request.POST.get("form") == "right" else None,
        request.FILES if request.POST.get("form") == "right" else None,
    )
    if request.method == "POST" and request.POST.get("form") == "holder" and holder_form.is_valid():
        data = holder_form.cleaned_data
        try:
            registry_services.rights_holder_for_user(
                user=request.user,
                name=data["holder_name"],
                kind=data["holder_kind"],
                region=data["region"],
                uscc=data["holder_uscc"],
                phone=getattr(profile_of(request.user), "phone", ""),
                email=request.user.email,
            )
        except DomainError as error:
            add_domain_error(holder_form, error)
        else:
            messages.success(request, _("权利人信息已保存。"))
            return redirect("portal:my-rights")
    if request.method == "POST" and request.POST.get("form") == "right" and right_form.is_valid():
        data = right_form.cleaned_data
        if holder is None:
            right_form.add_error(None, _("请先填写上方的权利人信息。"))
        else:
            try:
                right = registry_services.right_register(
                    actor=request.user,
                    holder=holder,
                    kind=data["kind"],
                    registration_number=data["registration_number"],
                    title=data["title"],
                    valid_from=data["valid_from"],
                    valid_until=data["valid_until"],
                    nice_classes=data["nice_classes"],
                    certificate=data["certificate"],
                )
            except DomainError as error:
                add_domain_error(right_form, error)
            else:
                messages.success(
                    request,
                    _("已提交“%(t)s”，等待%(u)s核验。")
                    % {"t": right.title, "u": right.verifying_unit.name},
                )
                return redirect("portal:my-rights")
    rights = registry_selectors.right_list(actor=request.user)
    return render(
        request,
        "portal/my_rights.html",
        {"holder": holder, "holder_form": holder_form, "right_form": right_form, "rights": rights},
    )
