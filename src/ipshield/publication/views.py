"""Pages: the public penalty publications and typical cases, and the staff pages for withdrawal,
typical cases, file review and reporter rewards. Each view parses, calls one service or
selector, and renders."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ipshield.accounts.pages import staff_required
from ipshield.accounts.selectors import profile_of
from ipshield.cases import workcalendar
from ipshield.cases.models import Case
from ipshield.cases.selectors import case_list
from ipshield.common.errors import DomainError
from ipshield.common.forms import add_domain_error
from ipshield.common.validation import YEAR_MAX, YEAR_MIN, bounded_int, search_text
from ipshield.engines import workdays
from ipshield.publication import selectors, services
from ipshield.publication.forms import (
    FileReviewForm,
    RewardDecisionForm,
    RewardPaidForm,
    RewardProposeForm,
    TypicalCaseForm,
    WithdrawForm,
    split_names,
)
from ipshield.publication.models import PublicationStatus, RewardStatus

PAGE_SIZE = 20


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _int(value: str | None) -> int | None:
    # A hand-edited address (?unit=99999999999999999999) means "no filter", never a 500.
    return bounded_int(value)


def _year(value: str | None) -> int | None:
    return bounded_int(value, minimum=YEAR_MIN, maximum=YEAR_MAX)


def _has_role(request, *roles: str) -> bool:
    profile = profile_of(request.user)
    return bool(profile and profile.has_role(*roles))


# -- Public ---------------------------------------------------------------------------------------


def publication_list(request):
    q = search_text(request.GET.get("q"))
    unit_id = _int(request.GET.get("unit"))
    year = _year(request.GET.get("year"))
    page = _page(request, selectors.publication_public_list(q=q, unit_id=unit_id, year=year))
    return render(
        request,
        "publication/list.html",
        {
            "page": page,
            "q": q,
            "unit_id": unit_id,
            "year": year,
            "units": selectors.publication_public_units(),
            "years": selectors.publication_public_years(),
        },
    )


def publication_detail(request, pk: int):
    publication = selectors.publication_public_get(publication_id=pk)
    if publication is None:
        raise Http404
    return render(request, "publication/detail.html", {"publication": publication})


def typical_case_list(request):
    page = _page(request, selectors.typical_case_public_list())
    return render(request, "publication/typical_list.html", {"page": page})


def typical_case_detail(request, pk: int):
    typical_case = selectors.typical_case_public_get(typical_case_id=pk)
    if typical_case is None:
        raise Http404
    return render(request, "publication/typical_detail.html", {"typical_case": typical_case})


# -- Staff: publications --------------------------------------------------------------------------


@staff_required
def staff_publications(request):
    status = request.GET.get("status", "")
    page = _page(request, selectors.publication_staff_list(actor=request.user, status=status))
    return render(
        request,
        "publication/staff_publications.html",
        {"page": page, "status": status, "statuses": PublicationStatus.choices},
    )


@staff_required
def staff_publication(request, pk: int):
    publication = selectors.publication_staff_get(actor=request.user, publication_id=pk)
    if publication is None:
        raise Http404
    can_withdraw = publication.status == PublicationStatus.PUBLISHED and _has_role(
        request, *services.OFFICERS
    )
    form = WithdrawForm(request.POST or None) if can_withdraw else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("您不能撤回该公示。"))
        if form.is_valid():
            try:
                publication = services.publication_withdraw(
                    actor=request.user,
                    publication=publication,
                    reason=form.cleaned_data["reason"],
                    revoked_on=form.cleaned_data["revoked_on"],
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                if publication.withdrawn_late:
                    messages.warning(
                        request,
                        _("已撤回。注意：应于 %(d)s 前撤回，已超期。")
                        % {"d": publication.withdrawal_due_on},
                    )
                else:
                    messages.success(
                        request,
                        _("已撤回（撤回期限 %(d)s）。") % {"d": publication.withdrawal_due_on},
                    )
                return redirect("publication:staff-publication", pk=publication.pk)
    # The deadline a withdrawal would have if the decision was revoked today.
    today = timezone.localdate()
    deadline_if_today = services.withdrawal_deadline(today)
    # In a year whose 调休 schedule is not confirmed yet, the three working days are provisional.
    calendar_notice = workcalendar.provisional_notice(
        workdays.provisional_years(today, deadline_if_today)
    )
    return render(
        request,
        "publication/staff_publication.html",
        {
            "publication": publication,
            "form": form,
            "deadline_if_today": deadline_if_today,
            "calendar_notice": calendar_notice,
        },
    )


# -- Staff: typical cases -------------------------------------------------------------------------


@staff_required
def staff_typical_cases(request):
    can_curate = _has_role(request, *services.CURATORS)
    form = None
    if can_curate:
        form = TypicalCaseForm(
            request.POST or None, cases=selectors.typical_case_candidates(actor=request.user)
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("您不能编写典型案例。"))
        if form.is_valid():
            data = form.cleaned_data
            try:
                typical_case = services.typical_case_create(
                    actor=request.user,
                    case=data["case"],
                    title=data["title"],
                    summary=data["summary"],
                    order=data["order"],
                    person_names=split_names(data["person_names"]),
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("已保存典型案例，请核对遮蔽后的内容再发布。"))
                return redirect("publication:staff-typical-case", pk=typical_case.pk)
    page = _page(request, selectors.typical_case_staff_list(actor=request.user))
    return render(request, "publication/staff_typical_cases.html", {"page": page, "form": form})


@staff_required
def staff_typical_case(request, pk: int):
    typical_case = selectors.typical_case_staff_get(actor=request.user, typical_case_id=pk)
    if typical_case is None:
        raise Http404
    can_curate = _has_role(request, *services.CURATORS)
    initial = {
        "title": typical_case.title,
        "summary": typical_case.summary,
        "order": typical_case.order,
    }
    posted = request.POST if request.method == "POST" and "title" in request.POST else None
    form = TypicalCaseForm(posted, initial=initial) if can_curate else None
    if request.method == "POST":
        if not can_curate:
            raise PermissionDenied(_("您不能修改典型案例。"))
        try:
            if "publish" in request.POST:
                services.typical_case_set_published(
                    actor=request.user,
                    typical_case=typical_case,
                    published=request.POST["publish"] == "1",
                )
                messages.success(request, _("已更新发布状态。"))
                return redirect("publication:staff-typical-case", pk=pk)
            if form is not None and form.is_valid():
                data = form.cleaned_data
                services.typical_case_update(
                    actor=request.user,
                    typical_case=typical_case,
                    title=data["title"],
                    summary=data["summary"],
                    order=data["order"],
                    person_names=split_names(data["person_names"]),
                )
                messages.success(request, _("已保存。"))
                return redirect("publication:staff-typical-case", pk=pk)
        except DomainError as error:
            if form is not None and form.is_bound:
                add_domain_error(form, error)
            else:
                messages.error(request, str(error.message))
    return render(
        request,
        "publication/staff_typical_case.html",
        {"typical_case": typical_case, "form": form},
    )


# -- Staff: file review ---------------------------------------------------------------------------


@staff_required
def staff_reviews(request):
    year = _year(request.GET.get("year"))
    rollup = selectors.file_review_rollup(actor=request.user, year=year)
    checklists = list(selectors.active_checklists())
    checklist = checklists[0] if checklists else None
    can_review = _has_role(request, *services.REVIEWERS)
    candidates = (
        selectors.review_candidates(actor=request.user, checklist=checklist)[:20]
        if can_review and checklist
        else []
    )
    reviews = selectors.file_review_list(actor=request.user, year=year)[:20]
    this_year = timezone.localdate().year
    return render(
        request,
        "publication/staff_reviews.html",
        {
            "rollup": rollup,
            "reviews": reviews,
            "candidates": candidates,
            "checklist": checklist,
            "year": year,
            "years": range(this_year, this_year - 5, -1),
        },
    )


@staff_required
def staff_review_new(request, case_id: int):
    case = case_list(actor=request.user).filter(pk=case_id).first()
    if case is None:
        raise Http404
    checklist_id = _int(request.GET.get("checklist") or request.POST.get("checklist"))
    checklists = selectors.active_checklists()
    checklist = checklists.filter(pk=checklist_id).first() if checklist_id else checklists.first()
    if checklist is None:
        raise Http404
    form = FileReviewForm(request.POST or None, items=checklist.items.order_by("order", "id"))
    if request.method == "POST":
        if not _has_role(request, *services.REVIEWERS):
            raise PermissionDenied(_("您不能评查案卷。"))
        if form.is_valid():
            try:
                review = services.file_review_create(
                    actor=request.user,
                    case=case,
                    checklist=checklist,
                    scores=form.scores(),
                    notes=form.notes(),
                    comment=form.cleaned_data["comment"],
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(
                    request,
                    _("已评查：%(t)s / %(m)s 分。")
                    % {"t": review.total_points, "m": review.max_points},
                )
                return redirect("publication:staff-review", pk=review.pk)
    return render(
        request,
        "publication/staff_review_new.html",
        {"case": case, "checklist": checklist, "checklists": checklists, "form": form},
    )


@staff_required
def staff_review(request, pk: int):
    review = selectors.file_review_get(actor=request.user, review_id=pk)
    if review is None:
        raise Http404
    return render(request, "publication/staff_review.html", {"review": review})


# -- Staff: reporter rewards ----------------------------------------------------------------------


@staff_required
def staff_rewards(request):
    status = request.GET.get("status", "")
    page = _page(request, selectors.reward_list(actor=request.user, status=status))
    candidates = (
        selectors.reward_candidates(actor=request.user)[:20]
        if _has_role(request, *services.OFFICERS)
        else []
    )
    return render(
        request,
        "publication/staff_rewards.html",
        {
            "page": page,
            "status": status,
            "statuses": RewardStatus.choices,
            "candidates": candidates,
        },
    )


@staff_required
def staff_reward_propose(request, case_id: int):
    case: Case | None = case_list(actor=request.user).filter(pk=case_id).first()
    if case is None:
        raise Http404
    form = RewardProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reward = services.reward_propose(
                actor=request.user,
                case=case,
                amount=form.cleaned_data["amount"],
                basis=form.cleaned_data["basis"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("已提出举报奖励，等待单位负责人审批。"))
            return redirect("publication:staff-reward", pk=reward.pk)
    return render(request, "publication/staff_reward_propose.html", {"case": case, "form": form})


@staff_required
def staff_reward(request, pk: int):
    reward = selectors.reward_get(actor=request.user, reward_id=pk)
    if reward is None:
        raise Http404
    decide = RewardDecisionForm(prefix="decide")
    paid = RewardPaidForm(prefix="paid")
    return render(
        request,
        "publication/staff_reward.html",
        {
            "reward": reward,
            "decide_form": decide if reward.status == RewardStatus.PROPOSED else None,
            "paid_form": paid if reward.status == RewardStatus.APPROVED else None,
            "is_leader": _has_role(request, *services.LEADERS),
        },
    )


@staff_required
@require_POST
def staff_reward_act(request, pk: int, action: str):
    reward = selectors.reward_get(actor=request.user, reward_id=pk)
    if reward is None or action not in ("decide", "paid"):
        raise Http404
    form: RewardDecisionForm | RewardPaidForm
    if action == "decide":
        form = RewardDecisionForm(request.POST, prefix="decide")
    else:
        form = RewardPaidForm(request.POST, prefix="paid")
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "paid":
                services.reward_mark_paid(
                    actor=request.user,
                    reward=reward,
                    paid_on=data["paid_on"],
                    reference=data["reference"],
                )
            elif data["decision"] == "approve":
                services.reward_approve(actor=request.user, reward=reward, note=data["reason"])
            else:
                services.reward_refuse(actor=request.user, reward=reward, reason=data["reason"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("publication:staff-reward", pk=pk)
    return render(
        request,
        "publication/staff_reward.html",
        {
            "reward": reward,
            "decide_form": form if action == "decide" else None,
            "paid_form": form if action == "paid" else None,
            "is_leader": _has_role(request, *services.LEADERS),
        },
        status=400,
    )
