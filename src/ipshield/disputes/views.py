"""Dispute pages.

For parties (``/disputes/``): apply for mediation online, my disputes, and the dispute page that
everyone who may read a dispute lands on (``services.link``): its status as steps, parties,
claims, time limits with their legal source, the record with each step's ledger proof, the
actions the reader may take now, and where to go next when it ended without an agreement.
Staff see the same page inside the workbench's layout; the workbench list (``/workbench/
disputes/``) filters by status, source, mediator, lateness and inbox kind.

Every dispute comes from ``selectors.dispute_for`` (one the reader may not read is a 404);
every change is one service through ``actions.run``, whose refusal is shown next to the field
it names, with what was typed kept; a refusal about who the reader is, is the 403 page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ipshield.accounts.pages import page_of, staff_required
from ipshield.accounts.selectors import profile_of, sees_all_units
from ipshield.common.errors import DomainError
from ipshield.common.forms import add_domain_error
from ipshield.common.validation import bounded_int
from ipshield.disputes import (
    actions,
    board,
    deadlines,
    exports,
    queries,
    record,
    selectors,
    services,
    sessions,
    signing,
    workflow,
)
from ipshield.disputes.forms import (
    CLAIM_FIELDS,
    CLAIM_ROWS,
    MAX_ATTACHMENTS,
    RESPONDENT_FIELDS,
    RESPONDENT_ROWS,
    ApplyForm,
    action_form,
    action_label,
    filled,
    padded,
    rows_of,
)
from ipshield.disputes.models import (
    Agreement,
    ConfirmationStatus,
    Dispute,
    DisputeSource,
    Mediator,
    Session,
    SessionStatus,
    Side,
)
from ipshield.disputes.workflow import Action, Status

# The main path a dispute walks, shown as steps; an ending off the path is shown after the
# last step reached.
PATH = [
    Status.APPLIED,
    Status.ACCEPTED,
    Status.CONSENTED,
    Status.MEDIATING,
    Status.AGREED,
    Status.CONFIRMING,
    Status.CONFIRMED,
    Status.PERFORMED,
]
# Where an ending off the path comes after (the last step it had reached).
REACHED = {
    Status.DECLINED: Status.APPLIED,
    Status.REFUSED: Status.ACCEPTED,
    Status.FAILED: Status.MEDIATING,
    Status.WITHDRAWN: None,  # from the record
    Status.NOT_CONFIRMED: Status.CONFIRMING,
    Status.ARBITRATION: Status.MEDIATING,
    Status.AWARDED: Status.MEDIATING,
    Status.NOT_PERFORMED: Status.CONFIRMED,
}
# Entries of the record that are not actions of the workflow.
VERBS = {
    "apply": gettext_lazy("提交调解申请"),
    "consent_party": gettext_lazy("被申请人同意调解（尚待其他被申请人）"),
    "confirmation_join": gettext_lazy("当事人加入司法确认申请"),
    "confirmation_sent": gettext_lazy("司法确认申请已送达法院"),
    "party_contact": gettext_lazy("登记当事人联系电话"),
}
# Extra, optional actions the page offers beside ``workflow.allowed`` (services check them).
PARTY_ACTIONS = {Action.CONSENT, Action.REFUSE, Action.WITHDRAW, Action.RECUSE}


def _id(value: Any) -> int:
    number = bounded_int(value)
    if number is None:
        raise Http404
    return number


def _is_staff(user: Any) -> bool:
    profile = profile_of(user)
    return bool(sees_all_units(user) or (profile is not None and profile.is_staff_member))


def _base(user: Any) -> str:
    return "workbench/base.html" if _is_staff(user) else "portal/base.html"


def _dispute_or_404(user: Any, pk: Any) -> Dispute:
    try:
        return selectors.dispute_for(user, _id(pk))
    except Dispute.DoesNotExist:
        raise Http404(_("找不到该纠纷，或您无权查看。")) from None


def _refuse(error: DomainError) -> None:
    if error.status == 403:
        raise PermissionDenied(f"{error.message}（{error.code}）")
    if error.status == 404:
        raise Http404(str(error.message))


# --- party pages ------------------------------------------------------------------------------


@login_required
def my_disputes(request):
    """我的调解: the disputes the signed-in person is a party to (staff: the workbench list)."""
    if _is_staff(request.user):
        return redirect("workbench:disputes")
    disputes = (
        selectors.disputes_for(request.user)
        .filter(parties__user=request.user)
        .distinct()
        .order_by("-applied_at", "-id")
    )
    return render(
        request,
        "disputes/mine.html",
        {
            "page": page_of(request, disputes),
            "base_template": _base(request.user),
            "today": timezone.localdate(),
            "open_statuses": list(workflow.OPEN),
        },
    )


def _apply_context(request, form, claims, respondents, row_errors, top_error="") -> dict:
    return {
        "form": form,
        "claims": padded(claims, CLAIM_FIELDS, CLAIM_ROWS),
        "respondents": padded(respondents, RESPONDENT_FIELDS, RESPONDENT_ROWS),
        "row_errors": row_errors,
        "top_error": top_error,
        "max_attachments": MAX_ATTACHMENTS,
        "base_template": _base(request.user),
    }


@login_required
def apply(request):
    """申请调解: the application with its claims, respondents and attachments (each file hashed
    into the evidence ledger)."""
    if request.method != "POST":
        form = ApplyForm()
        return render(request, "disputes/apply.html", _apply_context(request, form, [], [], {}))
    form = ApplyForm(request.POST)
    claims = rows_of(request.POST, "claim", CLAIM_FIELDS, CLAIM_ROWS)
    respondents = rows_of(request.POST, "respondent", RESPONDENT_FIELDS, RESPONDENT_ROWS)
    uploads = request.FILES.getlist("attachments")
    row_errors: dict[str, str] = {}
    top_error = ""
    if len(uploads) > MAX_ATTACHMENTS:
        form.is_valid()
        form.add_error(None, _("附件最多 %(n)s 个。") % {"n": MAX_ATTACHMENTS})
    elif form.is_valid():
        data = form.cleaned_data
        organisation = data["organisation"]
        try:
            with transaction.atomic():
                from ipshield.evidence.services import evidence_attach

                attachments = [
                    evidence_attach(actor=request.user, upload=upload, unit=organisation.unit)
                    for upload in uploads
                ]
                dispute = services.dispute_apply(
                    actor=request.user,
                    organisation=organisation,
                    title=data["title"],
                    facts=data["facts"],
                    right_kind=data["right_kind"],
                    region=data["region"] or organisation.unit.region,
                    claims=filled(claims),
                    respondents=filled(respondents),
                    industry=data["industry"],
                    rights_text=data["rights_text"],
                    attachments=attachments,
                )
        except DomainError as error:
            _refuse(error)
            field = error.field or ""
            if field in form.fields:
                add_domain_error(form, error)
            elif field.startswith(("claims", "respondents", "file")):
                row_errors[_row_key(field)] = str(error.message)
            else:
                top_error = str(error.message)
        else:
            messages.success(
                request, _("调解申请已提交，编号 %(number)s。") % {"number": dispute.number}
            )
            return redirect("disputes:detail", dispute.pk)
    context = _apply_context(request, form, claims, respondents, row_errors, top_error)
    return render(request, "disputes/apply.html", context, status=400)


def _row_key(field: str) -> str:
    """``claims.1.amount`` → ``claims_1_amount`` (a key the template can look up);
    ``claims``/``respondents`` alone and an upload's error are the section's."""
    if field.startswith("file"):
        return "attachments"
    parts = field.split(".")
    if len(parts) == 1:
        return parts[0]
    if field == "respondents.0.name" and parts[0] == "respondents":
        return "respondents_0_name"
    return "_".join(parts)


# --- the dispute page -------------------------------------------------------------------------


def _steps(dispute: Dispute, events: list[Any]) -> list[dict[str, Any]]:
    status = dispute.status
    if status in PATH:
        reached = status
    else:
        reached = REACHED.get(status)
        if reached is None:  # withdrawn: the last status on the path before it
            before = [e.status for e in events if e.status in PATH]
            reached = before[-1] if before else Status.APPLIED
    index = PATH.index(reached)
    steps = [
        {
            "label": Status(s).label,
            "state": "done" if i < index else ("current" if i == index else "todo"),
        }
        for i, s in enumerate(PATH)
    ]
    if status not in PATH:
        steps[index]["state"] = "done"
        steps = steps[: index + 1]
        ended = status in workflow.ENDED_WITHOUT_AGREEMENT
        steps.append({"label": Status(status).label, "state": "rejected" if ended else "current"})
    return steps


def _offered(user: Any, dispute: Dispute, sides: set[str]) -> list[str]:
    """The actions the page offers ``user`` now: the workflow's, narrowed to what the service
    would take (a court's steps in their order), and the organisation recording a respondent's
    answer or a party joining a confirmation application already made."""
    status = dispute.status
    offered = [a for a in workflow.allowed(status, sides) if a in actions.ACTION_FORMS]
    mine = selectors.parties_of(user, dispute)
    if Action.CONSENT in offered or Action.REFUSE in offered:
        waiting = [p for p in mine if p.side == Side.RESPONDENT and p.consented is None]
        if not waiting:
            offered = [a for a in offered if a not in (Action.CONSENT, Action.REFUSE)]
    unanswered = [
        p for p in dispute.parties.all() if p.side == Side.RESPONDENT and p.consented is None
    ]
    if workflow.ORG in sides and status == Status.ACCEPTED and unanswered:
        offered += [Action.CONSENT, Action.REFUSE]
    confirmation = selectors.related(dispute, "confirmation")
    if status == Status.CONFIRMING and confirmation is not None:
        court_step = {
            ConfirmationStatus.APPLIED: {Action.ACCEPT_CONFIRMATION},
            ConfirmationStatus.ACCEPTED: {Action.CONFIRM, Action.REJECT_CONFIRMATION}
            | (set() if confirmation.extended else {Action.EXTEND_CONFIRMATION}),
        }.get(confirmation.status, set())
        if confirmation.complete_on is None:
            court_step = set()
        offered = [
            a
            for a in offered
            if a
            not in {
                Action.ACCEPT_CONFIRMATION,
                Action.CONFIRM,
                Action.REJECT_CONFIRMATION,
                Action.EXTEND_CONFIRMATION,
            }
            or a in court_step
        ]
        if (
            workflow.PARTY in sides
            and confirmation.complete_on is None
            and not any(p.pk in confirmation.joined for p in mine)
        ):
            offered.append(Action.APPLY_CONFIRMATION)
    if Action.NOT_PERFORMED in offered and not sides & {workflow.ORG, workflow.MEDIATOR}:
        offered.remove(Action.NOT_PERFORMED)
    if Action.EXTEND in offered and deadlines.running(dispute, deadlines.MEDIATION) is None:
        offered.remove(Action.EXTEND)
    return list(dict.fromkeys(offered + _offered_online(dispute, sides)))


def _offered_online(dispute: Dispute, sides: set[str]) -> list[str]:
    """Sessions and the agreement, for the mediator and the organisation (the board and the
    signatures have their own panels)."""
    offered: list[str] = []
    if (
        workflow.ORG in sides
        and dispute.status in workflow.OPEN
        and dispute.parties.filter(user__isnull=True).exists()
    ):
        offered.append("party_contact")
    if sides & {workflow.MEDIATOR, workflow.ORG} and dispute.status in (
        Status.CONSENTED,
        Status.MEDIATING,
    ):
        offered.append("schedule")
        if dispute.sessions.filter(status=SessionStatus.SCHEDULED).exists():
            offered += ["record_session", "cancel_session"]
    if workflow.MEDIATOR in sides and dispute.status == Status.MEDIATING:
        offered.append("draft_agreement")
        agreement = Agreement.objects.filter(dispute=dispute).first()
        if agreement is not None and dispute.parties.filter(user__isnull=True).exists():
            offered.append("sign_on_paper")
    return offered


def _verb(verb: str) -> str:
    if verb in Action.values:
        return str(Action(verb).label)
    return str(VERBS.get(verb, verb))


def _deadline_rows(dispute: Dispute, today) -> list[dict[str, Any]]:
    rows = []
    for limit in dispute.deadlines.all():
        known = deadlines.LIMITS.get(limit.key)
        rows.append(
            {
                "label": known.label if known else limit.key,
                "source": known.source if known else "",
                "starts_on": limit.starts_on,
                "due_on": limit.due_on,
                "extended": limit.extended,
                "met": limit.met_at is not None,
                "overdue": limit.met_at is None and limit.due_on < today,
            }
        )
    return rows


def _context(request, dispute: Dispute, bound: tuple[str, Any] | None = None) -> dict[str, Any]:
    user = request.user
    sides = selectors.sides_of(user, dispute)
    offered = _offered(user, dispute, sides)
    forms = {action: action_form(action, dispute) for action in offered}
    recommended = _recommended(dispute) if Action.ASSIGN in offered else None
    if recommended and recommended["ranked"]:
        forms[Action.ASSIGN].initial["mediator"] = recommended["ranked"][0]["id"]
    if bound is not None:
        forms[bound[0]] = bound[1]
    events = list(dispute.events.select_related(None).order_by("seq"))
    today = timezone.localdate()
    parties = list(dispute.parties.all())
    staff = _is_staff(user)
    return {
        "dispute": dispute,
        "base_template": _base(user),
        "is_staff": staff,
        "sides": sides,
        "steps": _steps(dispute, events),
        "parties": parties,
        "respondents_waiting": [
            p for p in parties if p.side == Side.RESPONDENT and p.consented is None
        ],
        "claims": dispute.claims,
        "deadline_rows": _deadline_rows(dispute, today),
        "events": [
            {
                "seq": e.seq,
                "at": e.at,
                "label": _verb(e.verb),
                "status": Status(e.status).label if e.status in Status.values else e.status,
                "actor": e.actor_name,
                "leaf_index": e.leaf_index,
            }
            for e in events
        ],
        "check": record.check(dispute),
        "actions": [
            {"code": a, "label": action_label(a), "form": forms[a]}
            for a in offered
            if a not in PANEL_ACTIONS
        ],
        **_panels(user, dispute),
        "ended_without_agreement": dispute.status in workflow.ENDED_WITHOUT_AGREEMENT,
        "from_complaint": dispute.source == DisputeSource.COMPLAINT,
        "confirmation": selectors.related(dispute, "confirmation"),
        "arbitration": selectors.related(dispute, "arbitration"),
        "attachments": list(dispute.attachments.all()),
        "can_assign": Action.ASSIGN in offered,
        "recommended": recommended,
    }


def _recommended(dispute: Dispute) -> dict[str, Any]:
    """The organisation's mediators best placed for ``dispute`` with the reasons, and those
    left out with theirs (a declared conflict, recused by a party, unavailable, full)."""
    from ipshield.disputes.recommend import recommend

    found = recommend(dispute, limit=5)
    return {
        "ranked": [
            {"id": r.mediator_id, "name": r.name, "score": r.score, "reasons": r.rendered()}
            for r in found
        ],
        "excluded": [
            {"id": r.mediator_id, "name": r.name, "reasons": r.rendered()} for r in found.excluded
        ],
    }


# Actions taken from a panel of the page (the board, the agreement) rather than the action list.
PANEL_ACTIONS = frozenset({"post_message", "send_code", "sign"})


def _panels(user: Any, dispute: Dispute) -> dict[str, Any]:
    """The sessions, the message board and the agreement, with the forms' targets."""
    from django.urls import reverse

    def act_url(code: str) -> str:
        return reverse("disputes:act", args=[dispute.pk, code])

    agreement = signing.agreement_context(dispute, user)
    if agreement.get("agreement") is not None:
        agreement |= {
            "code_url": act_url("send_code"),
            "sign_url": act_url("sign"),
            "pdf_url": reverse("disputes:agreement-pdf", args=[dispute.pk]),
        }
    return {
        "sessions_panel": sessions.sessions_context(user, dispute),
        "board_panel": board.board_context(user, dispute) | {"post_url": act_url("post_message")},
        "agreement_panel": agreement,
        "confirmation_pdf_url": reverse("disputes:confirmation-pdf", args=[dispute.pk])
        if selectors.related(dispute, "confirmation")
        else "",
    }


@login_required
def detail(request, pk: int):
    dispute = _dispute_or_404(request.user, pk)
    return render(request, "disputes/detail.html", _context(request, dispute))


@login_required
@require_POST
def act(request, pk: int, action: str):
    """One action of the dispute page (``forms.ACTION_FORMS``)."""
    user = request.user
    dispute = _dispute_or_404(user, pk)
    if not actions.known(action):
        raise Http404
    form = action_form(action, dispute, request.POST, request.FILES)
    status = 400
    if form.is_valid():
        try:
            actions.run(user, dispute, action, form.cleaned_data)
        except DomainError as error:
            _refuse(error)
            status = error.status
            add_domain_error(form, error)
        else:
            messages.success(request, _("已办理：%(a)s") % {"a": action_label(action)})
            return redirect("disputes:detail", dispute.pk)
    dispute = _dispute_or_404(user, pk)
    context = _context(request, dispute, bound=(action, form))
    if action not in {a["code"] for a in context["actions"]}:
        context["actions"].append({"code": action, "label": action_label(action), "form": form})
    return render(request, "disputes/detail.html", context, status=status)


# --- the workbench list -----------------------------------------------------------------------


@staff_required
def workbench_list(request):
    """纠纷调解 on the workbench: the disputes the person may read, filtered."""
    user = request.user
    profile = profile_of(user)
    unit_id = profile.unit_id if profile is not None else None
    status = request.GET.get("status", "")
    status = status if status in Status.values else ""
    source = request.GET.get("source", "")
    source = source if source in DisputeSource.values else ""
    mediator = bounded_int(request.GET.get("mediator"))
    overdue = request.GET.get("overdue") == "1"
    inbox = request.GET.get("inbox", "")
    inbox = inbox if inbox in queries.INBOX_FILTERS else ""
    disputes = queries.dispute_list(
        user,
        status=status,
        source=source,
        mediator=mediator,
        overdue=overdue,
        inbox=inbox,
        unit_id=unit_id,
    )
    organisation = queries.organisation_of_unit(unit_id)
    mediators = (
        Mediator.objects.filter(organisation=organisation) if organisation else Mediator.objects
    )
    return render(
        request,
        "disputes/workbench_list.html",
        {
            "page": page_of(request, disputes),
            "statuses": Status.choices,
            "sources": DisputeSource.choices,
            "mediators": list(mediators.order_by("name")[:200]) if organisation else [],
            "filters": {
                "status": status,
                "source": source,
                "mediator": mediator,
                "overdue": overdue,
                "inbox": inbox,
            },
            "inbox_labels": dict(INBOX_LABELS),
            "today": timezone.localdate(),
            "open_statuses": list(workflow.OPEN),
        },
    )


INBOX_LABELS = [
    ("accept", gettext_lazy("待受理的调解申请")),
    ("assign", gettext_lazy("待指派调解员")),
    ("mediating", gettext_lazy("我在调解的纠纷")),
    ("court_accept", gettext_lazy("待受理的司法确认申请")),
    ("court_decide", gettext_lazy("待作出确认裁定")),
    ("award", gettext_lazy("待记录仲裁裁决")),
]


# --- files ------------------------------------------------------------------------------------


def _file(data: bytes, content_type: str, name: str) -> HttpResponse:
    from django.utils.http import content_disposition_header

    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@login_required
def agreement_pdf(request, pk: int):
    """The agreement with each signature's record (readers of the dispute)."""
    dispute = _dispute_or_404(request.user, pk)
    if not Agreement.objects.filter(dispute=dispute).exists():
        raise Http404
    return _file(
        exports.agreement_pdf(dispute), "application/pdf", f"调解协议书-{dispute.number}.pdf"
    )


@login_required
def confirmation_pdf(request, pk: int):
    """The joint application for judicial confirmation (once applied for)."""
    dispute = _dispute_or_404(request.user, pk)
    if selectors.related(dispute, "confirmation") is None:
        raise Http404
    return _file(
        exports.confirmation_pdf(dispute), "application/pdf", f"司法确认申请书-{dispute.number}.pdf"
    )


@login_required
def session_ics(request, pk: int, sid: int):
    """A session's calendar invitation (RFC 5545), for the dispute's readers."""
    dispute = _dispute_or_404(request.user, pk)
    session = Session.objects.filter(dispute=dispute, pk=sid).first()
    if session is None:
        raise Http404
    return _file(sessions.ics(session), "text/calendar; charset=utf-8", f"session-{sid}.ics")
