"""Pages of online monitoring: the alert queue (filters, bulk dismissal), an alert (dismiss,
turn into a lead with the page captured), the confusing-mark search, the watch list, listing
imports with their progress, and the rights holder's own marks and alerts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ipshield.accounts.pages import staff_required
from ipshield.common.errors import DomainError
from ipshield.common.forms import add_domain_error
from ipshield.common.validation import bounded_int, search_text
from ipshield.monitoring import selectors, services
from ipshield.monitoring.forms import (
    DismissForm,
    FeedForm,
    HolderMarkForm,
    ImportForm,
    MarkSearchForm,
    WatchMarkForm,
)
from ipshield.monitoring.models import AlertStatus, ImportStatus, ProtectedMark
from ipshield.registry.models import IPRight, RightKind, RightStatus

PAGE_SIZE = 25
LEVELS = [
    ("high", gettext_lazy("高风险（≥70）")),
    ("medium", gettext_lazy("中风险（50–69）")),
    ("low", gettext_lazy("低风险（<50）")),
]


def _int(value: str | None) -> int | None:
    return bounded_int(value)  # out of range (?mark=99999999999999999999) means no filter


def _filters(request) -> dict:
    return {
        "status": request.GET.get("status", AlertStatus.OPEN),
        "level": request.GET.get("level", ""),
        "mark_id": _int(request.GET.get("mark")),
        "platform": request.GET.get("platform", ""),
        "q": search_text(request.GET.get("q")),
    }


@staff_required
def alert_queue(request):
    filters = _filters(request)
    alerts = selectors.alert_list(actor=request.user, **filters)
    page = Paginator(alerts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "monitoring/alerts.html",
        {
            "page": page,
            "filters": filters,
            "counts": selectors.alert_counts(actor=request.user),
            "statuses": AlertStatus.choices,
            "levels": LEVELS,
            "platforms": selectors.alert_platforms(actor=request.user),
            "marks": selectors.watch_list(actor=request.user).filter(active=True),
            "dismiss_form": DismissForm(),
            "query": request.GET.urlencode(),
        },
    )


@staff_required
@require_POST
def alert_bulk(request):
    ids = [i for i in (_int(v) for v in request.POST.getlist("alerts")) if i]
    try:
        count = services.alerts_dismiss(
            actor=request.user, alert_ids=ids, reason=request.POST.get("reason", "")
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("已排除 %(n)s 条预警。") % {"n": count})
    back = request.POST.get("back", "")
    return redirect(reverse("monitoring:alerts") + (f"?{back}" if back else ""))


@login_required
def alert_detail(request, pk: int, form=None):
    alert = selectors.alert_detail(actor=request.user, alert_id=pk)
    if alert is None:
        raise Http404
    staff = selectors.is_staff(request.user)
    return render(
        request,
        "monitoring/alert.html",
        {
            "alert": alert,
            "staff": staff,
            "can_act": staff and alert.status == AlertStatus.OPEN,
            "dismiss_form": form or DismissForm(),
            "base": "workbench/base.html" if staff else "portal/base.html",
        },
    )


@staff_required
@require_POST
def alert_act(request, pk: int, action: str):
    alert = selectors.alert_detail(actor=request.user, alert_id=pk)
    if alert is None:
        raise Http404
    try:
        if action == "dismiss":
            form = DismissForm(request.POST)
            if not form.is_valid():
                return alert_detail(request, pk, form=form)
            services.alert_dismiss(
                actor=request.user, alert=alert, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("预警已排除。"))
        elif action == "lead":
            alert = services.alert_to_lead(actor=request.user, alert=alert)
            _lead_message(request, alert)
        elif action == "capture":
            alert = services.alert_capture(actor=request.user, alert=alert)
            _lead_message(request, alert)
        else:
            raise Http404
    except DomainError as error:
        form = DismissForm(request.POST) if action == "dismiss" else None
        if form is not None and form.is_valid():
            add_domain_error(form, error)
            return alert_detail(request, pk, form=form)
        messages.error(request, str(error.message))
    return redirect("monitoring:alert", pk=pk)


def _lead_message(request, alert) -> None:
    if alert.evidence_id:
        messages.success(
            request,
            _("已转为线索 %(number)s，商品网页已取证。") % {"number": alert.case.number},
        )
    else:
        messages.warning(
            request,
            _("已转为线索 %(number)s，但网页取证未成功：%(error)s 可稍后重试。")
            % {"number": alert.case.number, "error": alert.capture_error},
        )


@staff_required
def mark_search(request):
    form = MarkSearchForm(request.GET or None)
    hits = None
    if form.is_bound and form.is_valid():
        from ipshield.registry.validation import clean_nice_classes

        try:
            classes = clean_nice_classes(form.cleaned_data["classes"] or "", field="classes")
            hits = selectors.mark_search(query=form.cleaned_data["q"], k=20, classes=classes)
        except DomainError as error:
            add_domain_error(form, error)
    problem = selectors.mark_register_problem() if hits is not None else None
    return render(
        request, "monitoring/search.html", {"form": form, "hits": hits, "problem": problem}
    )


@staff_required
def watch_list(request):
    form = WatchMarkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mark = services.watch_mark_add(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("已将“%(name)s”加入监测名单。") % {"name": mark.name})
            return redirect("monitoring:watch")
    marks = selectors.watch_list(actor=request.user)
    page = Paginator(marks, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "monitoring/watch.html", {"form": form, "page": page})


@login_required
@require_POST
def mark_stop(request, pk: int):
    mark = ProtectedMark.objects.filter(pk=pk).first()
    if mark is None:
        raise Http404
    try:
        services.protected_mark_stop(actor=request.user, mark=mark)
    except DomainError as error:
        raise PermissionDenied(str(error.message)) from error
    messages.success(request, _("已停止监测“%(name)s”。") % {"name": mark.name})
    return redirect("monitoring:watch" if selectors.is_staff(request.user) else "monitoring:mine")


@staff_required
def imports(request):
    from ipshield.monitoring import imports as listing_imports

    form = ImportForm(request.POST or None, request.FILES or None, prefix="import")
    feed_form = FeedForm(request.POST or None, prefix="feed")
    if request.method == "POST" and "import-file" in request.FILES and form.is_valid():
        try:
            row = listing_imports.listing_import_start(
                actor=request.user, upload=form.cleaned_data["file"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect("monitoring:import", pk=row.pk)
    elif request.method == "POST" and "feed-url" in request.POST and feed_form.is_valid():
        try:
            feed = listing_imports.listing_feed_add(actor=request.user, **feed_form.cleaned_data)
        except DomainError as error:
            add_domain_error(feed_form, error)
        else:
            messages.success(request, _("已添加信息源“%(name)s”。") % {"name": feed.name})
            return redirect("monitoring:imports")
    rows = selectors.import_list(actor=request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    feeds = selectors.feed_list(actor=request.user)
    return render(
        request,
        "monitoring/imports.html",
        {"form": form, "feed_form": feed_form, "page": page, "feeds": feeds},
    )


@staff_required
def import_detail(request, pk: int):
    row = selectors.import_list(actor=request.user).filter(pk=pk).first()
    if row is None:
        raise Http404
    running = row.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)
    template = "monitoring/_import_progress.html" if request.htmx else "monitoring/import.html"
    return render(request, template, {"row": row, "running": running})


@staff_required
@require_POST
def feed_fetch(request, pk: int):
    from ipshield.monitoring import imports as listing_imports

    feed = selectors.feed_list(actor=request.user).filter(pk=pk).first()
    if feed is None:
        raise Http404
    row = listing_imports.listing_feed_fetch(feed=feed)
    return redirect("monitoring:import", pk=row.pk)


@login_required
def holder_home(request):
    holder = selectors.holder_of(request.user)
    if holder is None:
        return render(request, "monitoring/holder_none.html")
    rights = IPRight.objects.filter(
        holder=holder, kind=RightKind.TRADEMARK, status=RightStatus.VERIFIED
    ).order_by("title")
    form = HolderMarkForm(request.POST or None, rights=rights)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            mark = services.protected_mark_register(
                actor=request.user,
                right=data["right"],
                categories=data["categories"],
                price_min=data["price_min"],
                price_max=data["price_max"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("“%(name)s”已开始监测。") % {"name": mark.name})
            return redirect("monitoring:mine")
    alerts = selectors.alert_list(
        actor=request.user, status=request.GET.get("status", ""), level=request.GET.get("level", "")
    )
    page = Paginator(alerts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "monitoring/holder.html",
        {
            "form": form,
            "marks": selectors.holder_marks(actor=request.user),
            "page": page,
            "statuses": AlertStatus.choices,
            "levels": LEVELS,
            "status": request.GET.get("status", ""),
            "level": request.GET.get("level", ""),
        },
    )
