"""Plan supervision pages on the workbench: the plans a person may read, the import (text or
file → preview with every printed unit name to confirm → one ``plan_import``), the leading
group's dashboard with the office's controls, a measure with its assignments and reports, a
unit's page with the report form, a report with its review, a supervision notice (督办单) and
the ledger's downloads.

Every record comes from ``supervision.selectors`` (a plan the person may not read is a 404);
every change is one ``supervision.services`` call, whose refusal is shown next to the field it
names with what was typed kept — a refusal for the person's role is the 403 page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ipshield.accounts import selectors as account_selectors
from ipshield.accounts.models import Unit
from ipshield.accounts.pages import page_of, staff_required
from ipshield.accounts.selectors import profile_of
from ipshield.common.errors import DomainError, InvalidInput
from ipshield.common.forms import add_domain_error
from ipshield.common.validation import bounded_int
from ipshield.evidence import selectors as evidence_selectors
from ipshield.supervision import imports, selectors, services
from ipshield.supervision.forms import (
    AcknowledgeForm,
    AssignForm,
    CloseForm,
    CompleteForm,
    ImportForm,
    IncidentForm,
    MeetingForm,
    ReportForm,
    ReviewForm,
    SettingsForm,
    UnassignForm,
)
from ipshield.supervision.models import (
    Assignment,
    Cycle,
    Measure,
    Plan,
    PlanStatus,
    ProgressReport,
    ReportStatus,
)
from ipshield.supervision.status import LIGHT_ORDER, Light, period_bounds, period_of

MAX_PERIODS = 24  # the periods offered in the report form, newest first

# --- helpers ------------------------------------------------------------------------------------


def _id(value: Any) -> int:
    """A record id from the address; a hand-edited one out of range is a 404, never a 500."""
    number = bounded_int(value)
    if number is None:
        raise Http404
    return number


def _refuse(error: DomainError) -> None:
    """A refusal that is about who the person is, or what does not exist, is a page of its
    own; anything else goes back to the form."""
    if error.status == 403:
        raise PermissionDenied(str(error.message))
    if error.status == 404:
        raise Http404(str(error.message))


def _office_only(user: Any, plan: Plan) -> None:
    """The office's forms are refused to anyone else before their input is read."""
    if not services.is_office(user, plan):
        raise PermissionDenied(
            _("只有方案牵头办公室（%(unit)s）的工作人员可以办理。") % {"unit": plan.office_unit}
        )


def _plan_or_404(user: Any, plan_id: Any) -> Plan:
    plan = selectors.plan_get(actor=user, plan_id=_id(plan_id))
    if plan is None:
        raise Http404(_("找不到该方案，或您无权查看。"))
    return plan


def _measure_or_404(user: Any, measure_id: Any) -> Measure:
    measure = selectors.measure_get(actor=user, measure_id=_id(measure_id))
    if measure is None:
        raise Http404(_("找不到该任务措施，或您无权查看。"))
    return measure


def _unit_id(user: Any) -> int | None:
    profile = profile_of(user)
    return profile.unit_id if profile is not None else None


def _can_import(user: Any) -> bool:
    """Writers of a unit import plans; their unit becomes the plan's office."""
    profile = profile_of(user)
    return bool(
        profile is not None
        and profile.unit_id is not None
        and not profile.read_only
        and profile.has_role(*services.WRITERS)
    )


def _reports_for_unit(user: Any, assignment: Assignment) -> bool:
    profile = profile_of(user)
    return bool(
        profile is not None
        and not profile.read_only
        and profile.unit_id == assignment.unit_id
        and profile.has_role(*services.WRITERS)
    )


def _lights(counts: dict[str, int]) -> list[dict[str, Any]]:
    """The segments of a bar of lights: each with its label and count, worst first."""
    total = sum(counts.values()) or 1
    return [
        {
            "light": light,
            "label": str(Light(light).label),
            "count": counts.get(light, 0),
            "share": round(100 * counts.get(light, 0) / total, 1),
        }
        for light in LIGHT_ORDER
    ]


def _internal_units(user: Any) -> Any:
    return account_selectors.unit_list(actor=user).filter(is_external=False)


# --- 1. the plans -------------------------------------------------------------------------------


@staff_required
@never_cache
def plan_list(request):
    plans = list(selectors.plans_for(actor=request.user)[:200])
    counts = selectors.plan_light_counts(plans=plans)
    rows = [
        {
            "plan": plan,
            "bar": _lights(counts.get(plan.pk, {})),
            "total": sum(counts.get(plan.pk, {}).values()),
            "whole": selectors.reads_whole_plan(request.user, plan),
        }
        for plan in plans
    ]
    return render(
        request,
        "supervision/plans.html",
        {"rows": rows, "can_import": _can_import(request.user)},
    )


# --- 2. the import ------------------------------------------------------------------------------

NEW = "new"
NONE = "none"
AUTO = "auto"
OTHER = "other"


MATCH_REASONS = {
    "same": gettext_lazy("名称相同"),
    "place": gettext_lazy("省略了地名"),
    "abbreviation": gettext_lazy("简称"),
    "contraction": gettext_lazy("缩写"),
    "sound": gettext_lazy("读音相同"),
    "similar": gettext_lazy("字形相近，可能有错别字"),
}


def _choice_rows(preview: imports.Preview, post: Any = None) -> list[dict[str, Any]]:
    """One row per printed name with its status and the option the person chose (or the one
    offered: the chosen units, else nothing yet)."""
    rows = []
    for choice in preview.choices:
        if post is not None:
            selected = str(post.get(f"unit_{choice.index}", ""))[:40]
            other = str(post.get(f"other_{choice.index}", ""))[:128]
        else:
            selected = AUTO if choice.chosen else ""
            other = ""
        chosen_names = [c["name"] for c in choice.candidates if int(c["id"]) in choice.chosen]
        rows.append(
            {
                "choice": choice,
                "selected": selected,
                "other": other,
                "chosen_count": len(choice.chosen),
                "chosen_names": chosen_names,
                "reason": str(MATCH_REASONS.get(choice.candidates[0]["reason"], ""))
                if choice.candidates
                else "",
                "status_label": {
                    "matched": _("已匹配"),
                    "uncertain": _("待确认"),
                    "unmatched": _("未匹配"),
                }[choice.status],
            }
        )
    return rows


def _resolve_choices(
    user: Any, preview: imports.Preview, post: Any
) -> tuple[dict[str, list[int]], list[str]]:
    """The office's choices as ``plan_import`` takes them: printed name → unit ids, and the
    names to create. Unreadable values are refused naming the field ``units``."""
    choices: dict[str, list[int]] = {}
    create: list[str] = []
    names: dict[str, int] | None = None
    for choice in preview.choices:
        value = str(post.get(f"unit_{choice.index}", "")).strip()
        if value == "":
            continue  # left open: the service lists every name still to confirm
        if value == AUTO:
            choices[choice.printed] = list(choice.chosen)
        elif value == NONE:
            choices[choice.printed] = []
        elif value == NEW:
            create.append(choice.printed)
        elif value == OTHER:
            wanted = str(post.get(f"other_{choice.index}", "")).strip()[:128]
            if names is None:
                names = {}
                for unit in _internal_units(user):
                    names.setdefault(unit.name, unit.pk)
                    if unit.short_name:
                        names.setdefault(unit.short_name, unit.pk)
            if wanted not in names:
                raise InvalidInput(
                    _("“%(name)s”：请从列表中选择一个单位（找不到“%(wanted)s”）。")
                    % {"name": choice.printed, "wanted": wanted},
                    field="units",
                )
            choices[choice.printed] = [names[wanted]]
        else:
            unit_id = bounded_int(value)
            if unit_id is None:
                raise InvalidInput(
                    _("“%(name)s”所选的单位不存在。") % {"name": choice.printed},
                    field="units",
                )
            choices[choice.printed] = [unit_id]
    return choices, create


def _import_context(
    user: Any,
    *,
    preview: imports.Preview,
    text: str,
    title: str,
    source_name: str,
    report_cycle: str,
    post: Any = None,
    errors: dict[str, str] | None = None,
    open_names: list[str] | None = None,
) -> dict[str, Any]:
    rows = _choice_rows(preview, post)
    for row in rows:
        row["open"] = row["choice"].printed in (open_names or [])
    return {
        "step": "preview",
        "preview": preview,
        "rows": rows,
        "rows_by_printed": {row["choice"].printed: row for row in rows},
        "text": text,
        "title": title,
        "default_title": preview.title,
        "source_name": source_name,
        "report_cycle": report_cycle,
        "cycles": Cycle.choices,
        "units": _internal_units(user),
        "errors": errors or {},
        "uncertain_total": preview.stats.get("uncertain", 0) + preview.stats.get("unmatched", 0),
    }


def _lines(text: str) -> str:
    """Browsers send line breaks as CRLF: the preview and the import read the same text."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


@staff_required
@never_cache
def plan_import(request):
    user = request.user
    if not _can_import(user):
        raise PermissionDenied(_("只有单位的办案人员或负责人可以导入方案。"))
    profile = profile_of(user)
    region = profile.unit.region
    step = request.POST.get("step") if request.method == "POST" else None
    if step == "confirm":
        return _import_confirm(request, region)
    if step != "preview":
        return render(request, "supervision/import.html", {"step": "form", "form": ImportForm()})
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(
            request, "supervision/import.html", {"step": "form", "form": form}, status=400
        )
    data = form.cleaned_data
    upload = data.get("file")
    source_name = ""
    try:
        if upload is not None:
            source_name = upload.name[:255]
            text = imports.read_plan_file(upload.read(), source_name)
        else:
            text = data["text"]
        text = _lines(text)
        preview = imports.plan_preview(text, region=region)
    except DomainError as error:
        if error.field == "text" and upload is not None:
            error.field = "file"
        add_domain_error(form, error)
        return render(
            request, "supervision/import.html", {"step": "form", "form": form}, status=400
        )
    context = _import_context(
        user,
        preview=preview,
        text=text,
        title=data.get("title") or "",
        source_name=source_name,
        report_cycle=data["report_cycle"],
    )
    return render(request, "supervision/import.html", context)


def _import_confirm(request, region: Any) -> HttpResponse:
    user = request.user
    post = request.POST
    text = _lines(str(post.get("text", "")))[: imports.MAX_TEXT]
    title = str(post.get("title", "")).strip()
    source_name = str(post.get("source_name", ""))[:255]
    report_cycle = str(post.get("report_cycle", ""))[:16]
    try:
        preview = imports.plan_preview(text, region=region)
    except DomainError as error:
        form = ImportForm({"title": title, "text": text, "report_cycle": report_cycle})
        form.is_valid()
        add_domain_error(form, error)
        return render(
            request, "supervision/import.html", {"step": "form", "form": form}, status=400
        )
    try:
        choices, create = _resolve_choices(user, preview, post)
        plan = services.plan_import(
            actor=user,
            text=text,
            title=title,
            source_name=source_name,
            choices=choices,
            create=create,
            report_cycle=report_cycle,
        )
    except DomainError as error:
        _refuse(error)
        field = error.field if error.field in ("title", "report_cycle", "units") else "units"
        context = _import_context(
            user,
            preview=preview,
            text=text,
            title=title,
            source_name=source_name,
            report_cycle=report_cycle,
            post=post,
            errors={field: str(error.message)},
            open_names=list(error.details.get("names", [])),
        )
        return render(request, "supervision/import.html", context, status=error.status)
    messages.success(
        request,
        _("方案已导入（草稿）：%(count)s 项任务措施。请核对责任分工后发布。")
        % {"count": plan.measures.count()},
    )
    return redirect("workbench:supervision-plan", plan.pk)


# --- 3. the dashboard ---------------------------------------------------------------------------

PLAN_ACTIONS = {
    "publish": gettext_lazy("发布方案"),
    "settings": gettext_lazy("保存设置"),
    "close": gettext_lazy("关闭报送期"),
}


def _settings_form(plan: Plan, data: Any = None) -> SettingsForm:
    initial = {
        "reminder_days": ",".join(str(d) for d in plan.reminder_days),
        "escalation_days": ",".join(str(d) for d in plan.escalation_days),
        "report_cycle": plan.report_cycle,
    }
    return SettingsForm(data, initial=initial, auto_id="id_settings_%s")


def _render_dashboard(
    request,
    plan: Plan,
    *,
    bound: tuple[str, Any] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    board = selectors.dashboard(plan=plan)
    office = services.is_office(user, plan)
    whole = selectors.reads_whole_plan(user, plan)
    forms_: dict[str, Any] = {}
    if office:
        forms_["settings"] = _settings_form(plan)
        forms_["close"] = CloseForm(auto_id="id_close_%s")
        if bound:
            forms_[bound[0]] = bound[1]
    top = max([n for _unit, n in board.overdue_by_unit] or [1])
    overdue = [
        {"unit": unit, "count": n, "share": round(100 * n / top, 1)}
        for unit, n in board.overdue_by_unit
    ]
    context = {
        "plan": plan,
        "board": board,
        "tiles": _lights(board.counts),
        "overdue": overdue,
        "office": office,
        "whole": whole,
        "forms": forms_,
        "can_publish": office and plan.status == PlanStatus.DRAFT,
        "plan_error": error,
        "mine": _unit_id(user) is not None
        and Assignment.objects.filter(measure__plan=plan, unit_id=_unit_id(user)).exists(),
        "ledger_formats": [("xlsx", "Excel"), ("pdf", "PDF"), ("json", "JSON")],
        "standings": _standings(user, plan),
    }
    return render(request, "supervision/plan.html", context, status=status)


def _standings(user: Any, plan: Plan) -> dict[str, Any] | None:
    """The leading group's latest evaluation (考核评价), for the dashboard: the first units of
    each ranking, frozen when the year is finalised, else computed now."""
    from ipshield.evaluation import selectors as evaluation
    from ipshield.evaluation.models import IndicatorSheet

    if plan.leading_group_id is None:
        return None
    sheet = (
        IndicatorSheet.objects.filter(leading_group_id=plan.leading_group_id)
        .order_by("-year", "-id")
        .first()
    )
    if sheet is None or not evaluation.can_read(user, sheet):
        return None
    result = evaluation.evaluation_for(sheet)
    return {
        "sheet": sheet,
        "frozen": result.frozen,
        "departments": result.departments[:5],
        "townships": result.townships[:3],
    }


@staff_required
@never_cache
def plan_dashboard(request, plan_id: int):
    return _render_dashboard(request, _plan_or_404(request.user, plan_id))


@staff_required
@require_POST
@never_cache
def plan_act(request, plan_id: int, action: str):
    user = request.user
    plan = _plan_or_404(user, plan_id)
    if action not in PLAN_ACTIONS:
        raise Http404
    _office_only(user, plan)
    form: Any = None
    if action == "settings":
        form = _settings_form(plan, request.POST)
    elif action == "close":
        form = CloseForm(request.POST, auto_id="id_close_%s")
    top_error = ""
    status = 400
    if form is None or form.is_valid():
        data = form.cleaned_data if form is not None else {}
        try:
            if action == "publish":
                services.plan_publish(actor=user, plan=plan)
            elif action == "settings":
                services.plan_settings(
                    actor=user,
                    plan=plan,
                    reminder_days=data["reminder_days"],
                    escalation_days=data["escalation_days"],
                    report_cycle=data["report_cycle"],
                )
            else:
                services.plan_close_periods(actor=user, plan=plan, through=data["through"])
        except DomainError as error:
            _refuse(error)
            status = error.status
            if form is not None:
                add_domain_error(form, error)
            else:
                top_error = str(error.message)
        else:
            messages.success(request, _("已办理：%(a)s") % {"a": PLAN_ACTIONS[action]})
            return redirect("workbench:supervision-plan", plan.pk)
    plan = _plan_or_404(user, plan_id)
    return _render_dashboard(
        request,
        plan,
        bound=(action, form) if form is not None else None,
        error=top_error,
        status=status,
    )


@staff_required
@never_cache
def ledger_export(request, plan_id: int, fmt: str):
    plan = _plan_or_404(request.user, plan_id)  # whoever reads the plan (as the API's ledger)
    try:
        from ipshield.supervision.exports import ledger_file
    except ImportError as exc:  # the exports are being built alongside these pages
        raise Http404 from exc
    try:
        data, content_type, filename = ledger_file(plan, fmt)
    except DomainError as error:
        _refuse(error)
        raise Http404(str(error.message)) from error
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


# --- 4. a measure -------------------------------------------------------------------------------

MEASURE_ACTIONS = {
    "assign": gettext_lazy("保存责任分工"),
    "unassign": gettext_lazy("取消分工"),
    "complete": gettext_lazy("标记完成"),
}


def _render_measure(
    request,
    measure: Measure,
    *,
    bound: tuple[str, Any] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    plan = measure.plan
    rows = selectors.assignment_rows(plan=plan, measure_id=measure.pk)
    office = services.is_office(user, plan)
    forms_: dict[str, Any] = {}
    if office:
        forms_["assign"] = AssignForm(units=_internal_units(user), auto_id="id_assign_%s")
        if not measure.done_on:
            forms_["complete"] = CompleteForm(auto_id="id_complete_%s")
        if bound:
            forms_[bound[0]] = bound[1]
    light = selectors.measure_light(measure, rows)
    context = {
        "plan": plan,
        "measure": measure,
        "rows": rows,
        "light": light,
        "light_label": Light(light).label,
        "reports": selectors.measure_reports(actor=user, measure=measure),
        "office": office,
        "forms": forms_,
        "measure_error": error,
        # the assignments that reported (their unit cannot be taken off): one query
        "reporting": set(
            ProgressReport.objects.filter(assignment__in=[r.assignment for r in rows]).values_list(
                "assignment_id", flat=True
            )
        ),
    }
    return render(request, "supervision/measure.html", context, status=status)


@staff_required
@never_cache
def measure_detail(request, measure_id: int):
    return _render_measure(request, _measure_or_404(request.user, measure_id))


@staff_required
@require_POST
@never_cache
def measure_act(request, measure_id: int, action: str):
    user = request.user
    measure = _measure_or_404(user, measure_id)
    if action not in MEASURE_ACTIONS:
        raise Http404
    _office_only(user, measure.plan)
    if action == "assign":
        form: Any = AssignForm(request.POST, units=_internal_units(user), auto_id="id_assign_%s")
    elif action == "unassign":
        form = UnassignForm(request.POST)
    else:
        form = CompleteForm(request.POST, auto_id="id_complete_%s")
    status = 400
    top_error = ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "assign":
                services.assignment_set(
                    actor=user,
                    measure=measure,
                    unit=data["unit"],
                    role=data["role"],
                    due_on=data["due_on"],
                    cycle=data["cycle"] or "",
                )
            elif action == "unassign":
                assignment = Assignment.objects.filter(
                    pk=data["assignment"], measure=measure
                ).first()
                if assignment is None:
                    raise Http404(_("找不到该责任分工。"))
                services.assignment_remove(actor=user, assignment=assignment)
            else:
                services.measure_complete(actor=user, measure=measure, note=data["note"])
        except DomainError as error:
            _refuse(error)
            status = error.status
            if action == "unassign":
                top_error = str(error.message)
            else:
                add_domain_error(form, error)
        else:
            messages.success(request, _("已办理：%(a)s") % {"a": MEASURE_ACTIONS[action]})
            return redirect("workbench:supervision-measure", measure.pk)
    elif action == "unassign":
        top_error = _("请选择要取消的分工。")
    measure = _measure_or_404(user, measure_id)
    return _render_measure(
        request,
        measure,
        bound=(action, form) if action != "unassign" else None,
        error=top_error,
        status=status,
    )


# --- 5. a unit's page ---------------------------------------------------------------------------


def open_periods(
    assignment: Assignment,
    plan: Plan,
    reports: list[ProgressReport],
    today: dt.date | None = None,
) -> list[tuple[str, str]]:
    """The periods ``assignment`` may still report, newest first: those of its cycle from its
    start to today, neither closed nor reported (a returned report does not count)."""
    today = today or timezone.localdate()
    cycle = assignment.cycle or plan.report_cycle
    taken = {r.period for r in reports if r.status != ReportStatus.RETURNED}
    bounds = period_bounds(period_of(assignment.starts_on, cycle))
    periods: list[tuple[str, str]] = []
    while bounds is not None and bounds[0] <= today:
        start, end, _cycle = bounds
        key = period_of(start, cycle)
        closed = plan.closed_through is not None and end <= plan.closed_through
        if not closed and key not in taken:
            periods.append((key, key))
        bounds = period_bounds(period_of(end + dt.timedelta(days=1), cycle))
    periods.reverse()
    return periods[:MAX_PERIODS]


def _report_form(
    assignment: Assignment, plan: Plan, reports: list[ProgressReport], data: Any = None
) -> ReportForm:
    periods = open_periods(assignment, plan, reports)
    current = period_of(timezone.localdate(), assignment.cycle or plan.report_cycle)
    initial = {"period": current if any(k == current for k, _l in periods) else ""}
    return ReportForm(
        data,
        periods=periods,
        initial=initial,
        auto_id=f"id_report_{assignment.pk}_%s",
    )


def _render_unit(
    request,
    plan: Plan,
    *,
    bound: tuple[int, ReportForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    unit_id = _unit_id(user)
    view = selectors.unit_view(plan=plan, unit_id=unit_id) if unit_id is not None else None
    items = []
    for row in view.rows if view is not None else []:
        assignment = row.assignment
        reports = view.reports.get(assignment.pk, [])
        form = None
        if (
            plan.status == PlanStatus.PUBLISHED
            and _reports_for_unit(user, assignment)
            and not (assignment.done_on or assignment.measure.done_on)
        ):
            form = _report_form(assignment, plan, reports)
        if bound and bound[0] == assignment.pk:
            form = bound[1]
        items.append(
            {
                "row": row,
                "assignment": assignment,
                "reports": reports,
                "form": form,
                "cycle_label": Cycle(assignment.cycle or plan.report_cycle).label,
            }
        )
    context = {
        "plan": plan,
        "unit": profile_of(user).unit if profile_of(user) is not None else None,
        "items": items,
        "bound_id": bound[0] if bound else None,
        "whole": selectors.reads_whole_plan(user, plan),
    }
    return render(request, "supervision/unit.html", context, status=status)


@staff_required
@never_cache
def unit_page(request, plan_id: int):
    return _render_unit(request, _plan_or_404(request.user, plan_id))


@staff_required
@require_POST
@never_cache
def report_create(request, assignment_id: int):
    user = request.user
    assignment = selectors.assignment_get(actor=user, assignment_id=_id(assignment_id))
    if assignment is None:
        raise Http404(_("找不到该任务，或您无权查看。"))
    if not _reports_for_unit(user, assignment):
        raise PermissionDenied(_("只能报送本单位承担的任务进展。"))
    plan = assignment.measure.plan
    reports = list(assignment.reports.all())
    form = _report_form(assignment, plan, reports, request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            report = services.report_submit(
                actor=user,
                assignment=assignment,
                period=data["period"],
                narrative=data["narrative"],
                milestones=data["milestones"],
                share_done=data["share_done"],
                completes=data["completes"],
                uploads=request.FILES.getlist("files"),
            )
        except DomainError as error:
            _refuse(error)
            status = error.status
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("已报送 %(period)s 的进展，等待牵头办公室审核。") % {"period": report.period},
            )
            return redirect(reverse("workbench:supervision-unit", args=[plan.pk]))
    return _render_unit(request, plan, bound=(assignment.pk, form), status=status)


# --- 6. a report --------------------------------------------------------------------------------

REPORT_ACTIONS = {"accept": gettext_lazy("采纳"), "return": gettext_lazy("退回")}


def _render_report(
    request,
    report: ProgressReport,
    *,
    bound: tuple[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    plan = report.assignment.measure.plan
    office = services.is_office(user, plan)
    visible = set(
        evidence_selectors.evidence_list(actor=user)
        .filter(pk__in=[a.pk for a in report.attachments.all()])
        .values_list("pk", flat=True)
    )
    forms_: dict[str, Any] = {}
    if office and report.status == ReportStatus.SUBMITTED:
        forms_ = {
            "accept": ReviewForm(auto_id="id_accept_%s"),
            "return": ReviewForm(auto_id="id_return_%s"),
        }
        if bound:
            forms_[bound[0]] = bound[1]
    context = {
        "report": report,
        "plan": plan,
        "assignment": report.assignment,
        "attachments": [(item, item.pk in visible) for item in report.attachments.all()],
        "office": office,
        "forms": forms_,
    }
    return render(request, "supervision/report.html", context, status=status)


def _report_or_404(user: Any, report_id: Any) -> ProgressReport:
    report = selectors.report_get(actor=user, report_id=_id(report_id))
    if report is None:
        raise Http404(_("找不到该进展报告，或您无权查看。"))
    return report


@staff_required
@never_cache
def report_detail(request, report_id: int):
    return _render_report(request, _report_or_404(request.user, report_id))


@staff_required
@require_POST
@never_cache
def report_act(request, report_id: int, action: str):
    user = request.user
    report = _report_or_404(user, report_id)
    if action not in REPORT_ACTIONS:
        raise Http404
    _office_only(user, report.assignment.measure.plan)
    form = ReviewForm(request.POST, auto_id=f"id_{action}_%s")
    status = 400
    if form.is_valid():
        try:
            if action == "accept":
                services.report_accept(actor=user, report=report, note=form.cleaned_data["note"])
            else:
                services.report_return(actor=user, report=report, note=form.cleaned_data["note"])
        except DomainError as error:
            _refuse(error)
            status = error.status
            add_domain_error(form, error)
        else:
            messages.success(request, _("已办理：%(a)s") % {"a": REPORT_ACTIONS[action]})
            return redirect("workbench:supervision-report", report.pk)
    report = _report_or_404(user, report_id)
    return _render_report(request, report, bound=(action, form), status=status)


# --- 7. a supervision notice --------------------------------------------------------------------


@staff_required
@never_cache
def notice_detail(request, notice_id: int):
    notice = selectors.notice_get(actor=request.user, notice_id=_id(notice_id))
    if notice is None:
        raise Http404(_("找不到该督办单，或您无权查看。"))
    return render(
        request,
        "supervision/notice.html",
        {
            "notice": notice,
            "plan": notice.assignment.measure.plan,
            "recipients": selectors.notice_recipient_names(notice),
        },
    )


# --- the leading group: meetings and major-incident reports ---------------------------------


def _group_or_404(user: Any) -> Any:
    group = selectors.group_for(actor=user)
    if group is None:
        raise Http404(_("尚未设立领导组。"))
    return group


def _meeting_form(request: Any, group: Any, data: Any = None, files: Any = None) -> MeetingForm:
    units = Unit.objects.filter(is_external=False, region__in=_region_and_below(group.region))
    return MeetingForm(
        data,
        files,
        seats=group.members.select_related("person").order_by("order", "pk"),
        units=units.order_by("region_id", "name"),
        initial={"held_on": timezone.localdate()},
    )


def _region_and_below(region: Any) -> list[Any]:
    from ipshield.accounts.models import Region

    return [region.pk, *Region.objects.filter(parent=region).values_list("pk", flat=True)]


@staff_required
def meeting_list(request):
    group = _group_or_404(request.user)
    return render(
        request,
        "supervision/meetings.html",
        {
            "group": group,
            "meetings": page_of(request, selectors.meetings_of(group=group)),
            "can_record": services.is_group_office(request.user, group),
            "decisions_plan": Plan.objects.filter(leading_group=group, kind="decisions").first(),
        },
    )


@staff_required
def meeting_create(request):
    group = _group_or_404(request.user)
    if not services.is_group_office(request.user, group):
        raise PermissionDenied(_("只有领导组办公室的工作人员可以记录会议。"))
    status = 200
    if request.method == "POST":
        form = _meeting_form(request, group, request.POST, request.FILES)
        if form.is_valid():
            decisions = form.decisions()
            data = form.cleaned_data
            try:
                meeting = services.meeting_record(
                    actor=request.user,
                    group=group,
                    title=data["title"],
                    held_on=data["held_on"],
                    place=data["place"],
                    agenda=data["agenda"],
                    minutes=data["minutes"],
                    attendee_ids=[int(i) for i in data["attendees"]],
                    decisions=decisions,
                    uploads=data["files"],
                )
            except DomainError as exc:
                _decision_error(form, exc, decisions)
                status = exc.status
            else:
                messages.success(request, _("会议已记录，议定事项已交办。"))
                return redirect("workbench:supervision-meeting", meeting.pk)
        else:
            status = 400
    else:
        form = _meeting_form(request, group)
    return render(
        request, "supervision/meeting_form.html", {"group": group, "form": form}, status=status
    )


def _decision_error(form: MeetingForm, error: DomainError, decisions: list[dict]) -> None:
    """Put a refusal about ``decisions.N.field`` next to that row's field."""
    field = error.field or ""
    parts = field.split(".")
    if len(parts) == 3 and parts[0] == "decisions" and parts[1].isdigit():
        index = int(parts[1]) - 1
        if 0 <= index < len(decisions):
            name = {"units": "lead"}.get(parts[2], parts[2])
            target = f"d{decisions[index]['row']}_{name}"
            if target in form.fields:
                form.add_error(target, str(error.message))
                return
    if field == "files" and "files" in form.fields:
        form.add_error("files", str(error.message))
        return
    add_domain_error(form, error)


@staff_required
def meeting_detail(request, meeting_id: int):
    meeting = selectors.meeting_get(actor=request.user, meeting_id=meeting_id)
    if meeting is None:
        raise Http404(_("找不到该会议，或您无权查看。"))
    decisions = list(meeting.decisions.all())
    plan = decisions[0].plan if decisions else None
    rows = {}
    if plan is not None:
        for row in selectors.assignment_rows(plan=plan):
            rows.setdefault(row.assignment.measure_id, []).append(row)
    return render(
        request,
        "supervision/meeting_detail.html",
        {
            "meeting": meeting,
            "decisions": [(d, rows.get(d.pk, [])) for d in decisions],
            "attendees": meeting.attendees.all(),
            "absent": meeting.group.members.exclude(pk__in=meeting.attendees.all()),
        },
    )


@staff_required
def incident_list(request):
    group = selectors.group_for(actor=request.user)
    incidents = selectors.incidents_for(actor=request.user).order_by("-reported_at", "-id")
    return render(
        request,
        "supervision/incidents.html",
        {
            "group": group,
            "incidents": page_of(request, incidents),
            "can_report": group is not None and _may_report(request.user),
        },
    )


def _may_report(user: Any) -> bool:
    profile = profile_of(user)
    return bool(
        profile is not None
        and profile.unit_id
        and not profile.read_only
        and profile.has_role(*services.WRITERS)
    )


@staff_required
def incident_create(request):
    group = _group_or_404(request.user)
    if not _may_report(request.user):
        raise PermissionDenied(_("只有单位工作人员可以报告重大事件。"))
    status = 200
    if request.method == "POST":
        form = IncidentForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                incident = services.incident_report(
                    actor=request.user,
                    group=group,
                    title=data["title"],
                    occurred_on=data["occurred_on"],
                    description=data["description"],
                    measures_taken=data["measures_taken"],
                    uploads=data["files"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(request, _("已向领导组报告，待领导组办公室签收。"))
                return redirect("workbench:supervision-incident", incident.pk)
        else:
            status = 400
    else:
        form = IncidentForm(initial={"occurred_on": timezone.localdate()})
    return render(
        request, "supervision/incident_form.html", {"group": group, "form": form}, status=status
    )


def _incident_page(request: Any, incident: Any, form: Any = None, status: int = 200):
    may_ack = incident.acknowledged_at is None and services.is_group_office(
        request.user, incident.group
    )
    return render(
        request,
        "supervision/incident_detail.html",
        {
            "incident": incident,
            "ack_form": (form or AcknowledgeForm()) if may_ack else None,
        },
        status=status,
    )


@staff_required
def incident_detail(request, incident_id: int):
    incident = selectors.incident_get(actor=request.user, incident_id=incident_id)
    if incident is None:
        raise Http404(_("找不到该报告，或您无权查看。"))
    return _incident_page(request, incident)


@staff_required
@require_POST
def incident_acknowledge(request, incident_id: int):
    incident = selectors.incident_get(actor=request.user, incident_id=incident_id)
    if incident is None:
        raise Http404(_("找不到该报告，或您无权查看。"))
    form = AcknowledgeForm(request.POST)
    if not form.is_valid():
        return _incident_page(request, incident, form, status=400)
    try:
        services.incident_acknowledge(
            actor=request.user, incident=incident, note=form.cleaned_data["note"]
        )
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied(str(exc.message)) from exc
        add_domain_error(form, exc)
        return _incident_page(request, incident, form, status=exc.status)
    messages.success(request, _("已签收。"))
    return redirect("workbench:supervision-incident", incident.pk)
