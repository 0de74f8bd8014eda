"""Public portal pages: home, sign-up, sign-in, my rights, complaints, reports, tracking."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ipshield.accounts import services as account_services
from ipshield.accounts.roles import Role
from ipshield.accounts.selectors import profile_of
from ipshield.cases import intake
from ipshield.cases import selectors as case_selectors
from ipshield.cases.api import track_attempt_failed, track_attempts_left
from ipshield.common.errors import DomainError
from ipshield.common.forms import add_domain_error
from ipshield.disputes import complaint_views as mediation_views
from ipshield.disputes import complaints as mediation
from ipshield.portal.forms import (
    ComplaintForm,
    HolderForm,
    ReportForm,
    RightForm,
    SignInForm,
    SignUpForm,
    TrackForm,
)
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
    """Where a sign-in without ``next`` lands: staff on the workbench, rights holders on their
    rights, everybody else (the public) on their submissions, or the home page if there are none."""
    profile = profile_of(request.user)
    if profile is not None and (profile.is_staff_member or profile.sees_all_units):
        return redirect("workbench:home")
    if registry_selectors.holder_of(request.user) is not None or (
        profile is not None and profile.has_role(Role.RIGHTS_HOLDER)
    ):
        return redirect("portal:my-rights")
    if case_selectors.cases_submitted_by(request.user).exists():
        return redirect("portal:my-complaints")
    return redirect("portal:home")


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


# -- Complaints, reports and tracking -------------------------------------------------------------
# The access code is shown once, on the receipt page after a submission; from then on it lives
# only in the submitter's session (SESSION_CODES), never in a URL.

SESSION_RECEIPT = "intake_receipt"
SESSION_CODES = "track_codes"
KEEP_CODES = 20


def _remember_code(request, number: str, code: str) -> None:
    codes = {k: v for k, v in request.session.get(SESSION_CODES, {}).items() if k != number}
    codes[number] = code
    request.session[SESSION_CODES] = dict(list(codes.items())[-KEEP_CODES:])


def _receipt(request, submitted: intake.Submitted, **extra):
    case = submitted.case
    request.session[SESSION_RECEIPT] = {
        "number": case.number,
        "access_code": submitted.access_code,
        "source": case.get_source_display(),
        "unit": case.unit.name,
        "attachments": case.attachments.count(),
        **extra,
    }
    _remember_code(request, case.number, submitted.access_code)
    return redirect("portal:intake-done")


def _intake_context(request, form, **extra):
    # Browsers never send chosen files back: when a submission is refused, say so.
    return {"form": form, "files_dropped": bool(request.FILES and form.errors), **extra}


@login_required
def complaint_new(request):
    holder = registry_selectors.holder_of(request.user)
    rights = list(case_selectors.complainable_rights(request.user))
    initial = {"region": holder.region_id} if holder is not None else {}
    if request.method == "GET" and request.GET.get("alert"):
        initial.update(_complaint_from_alert(request.user, request.GET["alert"]))
    form = ComplaintForm(
        request.POST or None, request.FILES or None, rights=rights, initial=initial
    )
    if request.method == "POST" and form.is_valid() and mediation_views.answer_ok(form):
        data = form.cleaned_data
        accepted, seen = mediation_views.intake_answer(request.POST)
        try:
            # One transaction: the complaint and the mediation-first offer's answer (disputes).
            with transaction.atomic():
                submitted = intake.complaint_submit(
                    actor=request.user,
                    right=data["right"],
                    title=data["title"],
                    description=data["description"],
                    region=data["region"],
                    infringer_uscc=data["infringer_uscc"],
                    infringer_name=data["infringer_name"],
                    infringer_address=data["infringer_address"],
                    place=data["place"],
                    amount_involved=data["amount_involved"],
                    public_health=data["public_health"],
                    attachments=data["attachments"],
                )
                offer = mediation.complaint_offer_record(
                    actor=request.user, case=submitted.case, accepted=accepted, seen=seen
                )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return _receipt(request, submitted, **mediation_views.receipt_data(offer))
    context = _intake_context(
        request,
        form,
        holder=holder,
        rights=rights,
        **mediation_views.form_offer(request.POST if form.is_bound else initial, rights),
    )
    return render(request, "portal/complaint_new.html", context)


def _complaint_from_alert(user, alert_id: str) -> dict:
    """A complaint's fields taken from one of the holder's monitoring alerts (清单 → 投诉)."""
    from ipshield.monitoring import selectors as monitoring_selectors

    try:
        alert = monitoring_selectors.alert_detail(actor=user, alert_id=int(alert_id))
    except ValueError:
        alert = None
    if alert is None:
        return {}
    listing = alert.listing
    where = " · ".join(part for part in (listing.platform, listing.shop) if part)
    place = f"{where} {listing.url}".strip()
    description = _(
        "在线监测发现商品“%(title)s”（%(platform)s，店铺：%(shop)s，价格：%(price)s 元）"
        "使用了与我方注册商标“%(mark)s”近似的标识“%(matched)s”。商品链接：%(url)s"
    ) % {
        "title": listing.title,
        "platform": listing.platform,
        "shop": listing.shop or "—",
        "price": listing.price if listing.price is not None else "—",
        "mark": alert.mark.name,
        "matched": alert.matched,
        "url": listing.url,
    }
    return {
        "right": alert.mark.right_id,
        "title": (_("网店商品涉嫌侵犯“%(mark)s”商标专用权") % {"mark": alert.mark.name})[:200],
        "description": description[:5000],
        "infringer_name": (listing.seller_name or listing.shop)[:200],
        "infringer_uscc": listing.seller_uscc,
        "place": place[:500] if len(place) <= 500 else where[:500],
    }


def report_new(request):
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        anonymous = data["anonymous"]
        try:
            submitted = intake.report_submit(
                # An anonymous report is not tied to the account of whoever is signed in.
                actor=AnonymousUser() if anonymous else request.user,
                right_kind=data["right_kind"],
                title=data["title"],
                description=data["description"],
                region=data["region"],
                anonymous=anonymous,
                reporter_name=data["reporter_name"],
                reporter_id_number=data["reporter_id_number"],
                reporter_phone=data["reporter_phone"],
                reporter_email=data["reporter_email"],
                infringer_uscc=data["infringer_uscc"],
                infringer_name=data["infringer_name"],
                infringer_address=data["infringer_address"],
                place=data["place"],
                amount_involved=data["amount_involved"],
                public_health=data["public_health"],
                attachments=data["attachments"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return _receipt(request, submitted)
    return render(request, "portal/report_new.html", _intake_context(request, form))


@never_cache
def intake_done(request):
    receipt = request.session.pop(SESSION_RECEIPT, None)
    if receipt is None:
        messages.info(request, _("回执页只显示一次。请用编号和查询码查询办理进度。"))
        return redirect("portal:track")
    return render(request, "portal/intake_done.html", {"receipt": receipt})


def track(request):
    form = TrackForm(request.POST or None, initial={"number": request.GET.get("number", "")})
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["number"].strip().upper()
        code = form.cleaned_data["access_code"].strip()
        if not track_attempts_left(request, number):
            form.add_error(None, _("查询失败次数过多，请 15 分钟后再试。"))
        else:
            case = intake.case_by_access_code(number, code)
            if case is None:
                track_attempt_failed(request, number)
                # One answer for a wrong number and a wrong code: nobody learns which exists.
                form.add_error(None, _("编号或查询码不正确，请核对后重试。"))
            else:
                _remember_code(request, case.number, code)
                return redirect("portal:track-status", number=case.number)
    return render(request, "portal/track.html", {"form": form})


@never_cache
def track_status(request, number: str):
    number = number.strip().upper()
    case = case_selectors.case_submitted_by(request.user, number)
    if case is None:
        code = request.session.get(SESSION_CODES, {}).get(number)
        case = intake.case_by_access_code(number, code) if code else None
    if case is None:
        return redirect(f"{reverse('portal:track')}?{urlencode({'number': number})}")
    error: DomainError | None = None
    answer = ""
    if request.method == "POST":
        # The person who may read this page answers the unit's request for more (补充材料).
        from ipshield.cases.procedure import answer_information

        answer = request.POST.get("answer", "")
        try:
            answer_information(
                case=case,
                request_id=request.POST.get("request", ""),
                answer=answer,
                actor=request.user if request.user.is_authenticated else None,
            )
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, _("已提交补充材料，承办单位会收到通知。"))
            return redirect("portal:track-status", number=case.number)
    context = {
        "case": case,
        "progress": case_selectors.public_progress(case),
        "timeline": case_selectors.public_timeline(case),
        "requests": list(case.information_requests.all()),
        "error": error,
        "answer": answer,
    }
    return render(
        request, "portal/track_status.html", context, status=error.status if error else 200
    )


@login_required
def my_complaints(request):
    from ipshield.common import inbox

    page = Paginator(case_selectors.cases_submitted_by(request.user), 20).get_page(
        request.GET.get("page")
    )
    for case in page:  # the bureau's internal review stages read as 调查中
        case.public_status, case.public_label = case_selectors.public_status(case.status)
    work = inbox.items_for(request.user, limit=20)
    return render(request, "portal/my_complaints.html", {"page": page, "work": work})


# -- Error pages (handler403/404/500 in config/urls.py) -------------------------------------------


def _api_error(request, status: int, code: str, message: str):
    # Machines calling a wrong API address get the API's own {code, message} shape, not a page.
    from django.http import JsonResponse

    return JsonResponse({"code": code, "message": message, "field": None}, status=status)


def error_403(request, exception=None):
    message = str(exception) if exception is not None and str(exception) else ""
    if request.path.startswith("/api/"):
        return _api_error(request, 403, "permission_denied", message or _("您无权进行此操作。"))
    context = {"status": 403, "exception": message, "request_path": request.path}
    return render(request, "403.html", context, status=403)


def csrf_failure(request, reason=""):
    """A form sent without a valid CSRF token (usually a page left open past its session, or
    cookies blocked): the 403 page, saying what to do instead of Django's English technical note."""
    message = _(
        "页面已过期或无法确认请求来自本站。"
        "请返回上一页，刷新后重新提交；如仍不行，请允许本站使用 Cookie。"
    )
    context = {"status": 403, "exception": message, "request_path": request.path}
    return render(request, "403.html", context, status=403)


def error_404(request, exception=None):
    if request.path.startswith("/api/"):
        return _api_error(request, 404, "not_found", _("找不到该记录，或您无权查看。"))
    return render(request, "404.html", {"status": 404, "request_path": request.path}, status=404)


def error_500(request):
    """The server error page: rendered without the context processors (they read the database,
    which may be what failed), so it shows the layout and the way back and nothing else."""
    from django.http import HttpResponseServerError
    from django.middleware.csrf import get_token
    from django.template import loader

    if request.path.startswith("/api/"):
        return _api_error(request, 500, "server_error", _("系统出错，请稍后重试。"))
    try:
        html = loader.get_template("500.html").render(
            {"status": 500, "request": request, "csrf_token": get_token(request)}
        )
    except Exception:  # the last resort must not fail: a plain page instead of the layout
        html = "<!DOCTYPE html><title>500</title><h1>500</h1><p><a href='/'>IPShield</a></p>"
    return HttpResponseServerError(html)
