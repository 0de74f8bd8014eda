"""Plan supervision pages (being built)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ipshield.accounts.models import Unit
from ipshield.accounts.pages import page_of, staff_required
from ipshield.accounts.selectors import profile_of
from ipshield.common.errors import DomainError
from ipshield.common.forms import add_domain_error
from ipshield.supervision import selectors, services
from ipshield.supervision.forms import AcknowledgeForm, IncidentForm, MeetingForm
from ipshield.supervision.models import Plan


def _todo(request, **kwargs):
    raise Http404


plan_list = plan_import = plan_dashboard = unit_page = ledger_export = plan_act = _todo
measure_detail = measure_act = report_create = report_detail = report_act = notice_detail = _todo


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
