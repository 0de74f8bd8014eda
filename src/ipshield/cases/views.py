"""Staff pages for cases: the unit's list, one case with its record and actions, its files and
the case record as a PDF.

Every case comes from ``cases.selectors.case_list`` (unit scoping); every change goes through
one service, which decides whether it is allowed. The pages only offer what
``workflow.allowed_actions`` says the signed-in person may do — the service still checks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ipshield.accounts.pages import PAGE_SIZE, staff_required
from ipshield.accounts.selectors import profile_of
from ipshield.cases import anchoring, deadlines, files, pdf, procedure, selectors, workcalendar
from ipshield.cases.models import (
    Archive,
    Attachment,
    Case,
    DecisionKind,
    DisposalMethod,
    ExcludedTime,
    MeasureKind,
    OpeningProposal,
    PlanKind,
    Procedure,
    RemedyKind,
    RemedyOutcome,
    ReporterIdentity,
    Retention,
    ServiceMethod,
    Source,
    TimeLimit,
    Track,
)
from ipshield.cases.workflow import FINAL, OFFICERS, UNDECIDED, Action, Status, allowed_actions
from ipshield.common.errors import DomainError
from ipshield.common.validation import search_text
from ipshield.engines import workdays
from ipshield.publication.models import PenaltyKind

# --- forms: lenient on purpose, so that the service's refusal (with its field) is what people
# see; only types (a decimal amount, a choice) are checked here.


def _text(label: Any, *, rows: int = 2) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=2000,
        strip=False,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ReasonForm(forms.Form):
    reason = _text(gettext_lazy("理由"))

    def __init__(self, *args: Any, label: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label


class OpinionForm(forms.Form):
    opinion = _text(gettext_lazy("审核意见（可不填）"))


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("处理决定"),
        required=False,
        choices=[("", gettext_lazy("— 请选择 —")), *DecisionKind.choices],
    )
    summary = _text(gettext_lazy("决定摘要"), rows=3)
    penalty_amount = forms.DecimalField(
        label=gettext_lazy("罚没金额（元）"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text=gettext_lazy("行政处罚必填，可为 0；其他决定不填。"),
    )
    procedure = forms.ChoiceField(
        label=gettext_lazy("处罚程序"),
        required=False,
        choices=Procedure.choices,
        initial=Procedure.ORDINARY,
        help_text=gettext_lazy(
            "简易程序仅适用于警告或者对自然人二百元以下、对法人或者其他组织三千元以下的罚款；"
            "普通程序作出的处罚决定（仅警告的除外）须公示。"
        ),
    )
    penalty_kinds = forms.MultipleChoiceField(
        label=gettext_lazy("处罚种类"),
        required=False,
        choices=PenaltyKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )


class ReportForm(DecisionForm):
    """The investigation report (调查终结报告) with the proposed decision."""

    facts = _text(gettext_lazy("违法事实（行政处罚必填）"), rows=4)
    legal_basis = _text(gettext_lazy("法律依据（行政处罚必填）"), rows=2)


class OpeningForm(forms.Form):
    opening = forms.ChoiceField(
        label=gettext_lazy("立案意见"),
        required=False,
        choices=[("", gettext_lazy("— 请选择 —")), *OpeningProposal.choices],
    )
    opinion = _text(gettext_lazy("理由（案件来源、初步核查情况）"), rows=3)


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label, required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class DecideForm(forms.Form):
    summary = _text(gettext_lazy("决定内容（不填则按告知的内容）"), rows=3)
    penalty_amount = forms.DecimalField(
        label=gettext_lazy("罚没金额（元）"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text=gettext_lazy("不填则按告知的金额；不得高于告知的金额。"),
    )
    penalty_kinds = forms.MultipleChoiceField(
        label=gettext_lazy("处罚种类（不选则按告知的种类）"),
        required=False,
        choices=PenaltyKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )


class ServiceForm(forms.Form):
    method = forms.ChoiceField(
        label=gettext_lazy("送达方式"),
        required=False,
        choices=[("", gettext_lazy("— 请选择 —")), *ServiceMethod.choices],
    )
    sent_on = _date_field(gettext_lazy("发出日期"))
    served_on = _date_field(gettext_lazy("送达日期（受送达人签收日期；公告送达自动计算）"))
    recipient = forms.CharField(label=gettext_lazy("受送达人"), required=False, max_length=200)
    consent = forms.BooleanField(
        label=gettext_lazy("当事人已同意并签订电子送达确认书"), required=False
    )
    note = forms.CharField(label=gettext_lazy("说明"), required=False, max_length=500)


class StatementForm(forms.Form):
    stated_on = _date_field(gettext_lazy("陈述申辩日期"))
    statement = _text(gettext_lazy("陈述、申辩意见及复核情况"), rows=4)


class WaiverForm(forms.Form):
    waived_on = _date_field(gettext_lazy("书面放弃日期"))
    note = _text(gettext_lazy("说明（可不填）"))


class HearingRequestForm(forms.Form):
    requested_on = _date_field(gettext_lazy("申请听证日期"))


class HearingScheduleForm(forms.Form):
    notified_on = _date_field(gettext_lazy("听证通知送达日期"))
    held_on = _date_field(gettext_lazy("听证日期"))
    place = forms.CharField(label=gettext_lazy("听证地点"), required=False, max_length=200)
    host = forms.CharField(label=gettext_lazy("听证主持人"), required=False, max_length=100)


class HearingRecordForm(forms.Form):
    record = _text(gettext_lazy("听证笔录"), rows=4)
    report = _text(gettext_lazy("听证报告（主持人意见）"), rows=3)


class DiscussionForm(forms.Form):
    held_on = _date_field(gettext_lazy("讨论日期"))
    attendees = _text(gettext_lazy("出席人员"))
    minutes = _text(gettext_lazy("讨论记录"), rows=4)
    conclusion = _text(gettext_lazy("结论性意见"), rows=2)


class PaymentForm(forms.Form):
    paid_on = _date_field(gettext_lazy("缴款日期"))
    amount = forms.DecimalField(
        label=gettext_lazy("缴款金额（元）"), required=False, max_digits=14, decimal_places=2
    )
    note = forms.CharField(
        label=gettext_lazy("说明（如缴款凭证号）"), required=False, max_length=500
    )


class InvestigationForm(forms.Form):
    held_on = _date_field(gettext_lazy("日期"))
    place = forms.CharField(label=gettext_lazy("地点"), required=False, max_length=200)
    officers = forms.CharField(
        label=gettext_lazy("执法人员（两人以上，用顿号分隔）"), required=False, max_length=200
    )
    person = forms.CharField(label=gettext_lazy("被询问人/当事人"), required=False, max_length=200)
    content = _text(gettext_lazy("笔录内容"), rows=5)


class MeasureForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("措施"),
        required=False,
        choices=[("", gettext_lazy("— 请选择 —")), *MeasureKind.choices],
    )
    decided_on = _date_field(gettext_lazy("决定日期"))
    items = _text(gettext_lazy("查封、扣押的场所、设施或者财物"), rows=3)


def _measure_choices(case: Case) -> list[tuple[Any, Any]]:
    return [
        (m.pk, f"{m.get_kind_display()} {m.decided_on:%Y-%m-%d}–{m.ends_on:%Y-%m-%d}")
        for m in case.measures.filter(released_on__isnull=True)
    ]


class MeasureExtendForm(forms.Form):
    measure = forms.ChoiceField(label=gettext_lazy("措施"), required=False, choices=())
    reason = _text(gettext_lazy("延长理由（书面告知当事人）"))

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = _measure_choices(case)


class MeasureReleaseForm(MeasureExtendForm):
    released_on = _date_field(gettext_lazy("解除日期"))
    reason = _text(gettext_lazy("解除理由"))


class ConfiscationForm(forms.Form):
    description = forms.CharField(
        label=gettext_lazy("物品名称及规格"), required=False, max_length=500
    )
    # Text, not a number field: the service's refusal says what is wrong with it.
    quantity = forms.CharField(label=gettext_lazy("数量"), required=False, max_length=30)
    unit_of_measure = forms.CharField(
        label=gettext_lazy("计量单位（如件、盒、千克）"), required=False, max_length=20
    )
    note = forms.CharField(label=gettext_lazy("说明（可不填）"), required=False, max_length=500)


class DisposalForm(forms.Form):
    goods = forms.ChoiceField(label=gettext_lazy("罚没物品"), required=False, choices=())
    method = forms.ChoiceField(
        label=gettext_lazy("处置方式"),
        required=False,
        choices=[("", gettext_lazy("— 请选择 —")), *DisposalMethod.choices],
        help_text=gettext_lazy("侵犯注册商标专用权的商品应当销毁，不得拍卖。"),
    )
    disposed_on = _date_field(gettext_lazy("处置日期"))
    officers = forms.CharField(
        label=gettext_lazy("执法人员（两人以上，用顿号分隔）"), required=False, max_length=200
    )
    place = forms.CharField(label=gettext_lazy("处置地点"), required=False, max_length=200)
    recipient = forms.CharField(
        label=gettext_lazy("接收部门（移交有关部门）"), required=False, max_length=200
    )
    proceeds = forms.CharField(
        label=gettext_lazy("拍卖款项（元，公开拍卖，全部上缴国库）"),
        required=False,
        max_length=30,
    )
    note = forms.CharField(
        label=gettext_lazy("说明（其他依法处理须写明依据）"), required=False, max_length=500
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goods"].choices = [
            (g.pk, str(g)) for g in case.confiscated_goods.filter(disposed_on__isnull=True)
        ]


class ArchiveForm(forms.Form):
    retention = forms.ChoiceField(
        label=gettext_lazy("保管期限"), required=False, choices=Retention.choices
    )
    # Text, not number fields: the service's refusal says what is wrong with them.
    volumes = forms.CharField(label=gettext_lazy("册数"), required=False, max_length=10)
    pages = forms.CharField(label=gettext_lazy("页数（可不填）"), required=False, max_length=10)
    archived_on = _date_field(gettext_lazy("归档日期（不填为今天）"))
    note = forms.CharField(
        label=gettext_lazy("备考"),
        required=False,
        max_length=2000,
        widget=forms.Textarea({"rows": 2}),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"retention": procedure.default_retention(case), "volumes": 1})
        super().__init__(*args, **kwargs)


class RemedyForm(forms.Form):
    remedy = forms.ChoiceField(
        label=gettext_lazy("救济途径"),
        required=False,
        choices=[("", gettext_lazy("— 请选择 —")), *RemedyKind.choices],
    )
    filed_on = _date_field(gettext_lazy("申请或起诉日期"))
    body = forms.CharField(label=gettext_lazy("复议机关或人民法院"), required=False, max_length=200)
    note = _text(gettext_lazy("说明（可不填）"))


class RemedyOutcomeForm(forms.Form):
    remedy_id = forms.ChoiceField(label=gettext_lazy("复议或诉讼"), required=False, choices=())
    outcome = forms.ChoiceField(
        label=gettext_lazy("结果"),
        required=False,
        choices=[
            ("", gettext_lazy("— 请选择 —")),
            *[c for c in RemedyOutcome.choices if c[0] != RemedyOutcome.PENDING],
        ],
        help_text=gettext_lazy(
            "撤销、变更、确认违法或确认无效的，公示自动撤下，信用记录随之移除；"
            "变更的，按变更后的决定重新公示，罚款按变更后的金额计算。"
        ),
    )
    outcome_on = _date_field(gettext_lazy("结果日期"))
    changed_summary = _text(gettext_lazy("变更后的处罚内容（结果为变更时必填）"), rows=2)
    changed_amount = forms.DecimalField(
        label=gettext_lazy("变更后的罚没金额（元）"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text=gettext_lazy("不得高于原决定的金额，可为 0。"),
    )
    changed_kinds = forms.MultipleChoiceField(
        label=gettext_lazy("变更后的处罚种类（不选则不变）"),
        required=False,
        choices=PenaltyKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    note = _text(gettext_lazy("说明（可不填）"))

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["remedy_id"].choices = [
            (r.pk, f"{r.get_kind_display()} {r.filed_on:%Y-%m-%d} {r.body}")
            for r in case.remedies.filter(outcome=RemedyOutcome.PENDING)
        ]


class EnforcementForm(forms.Form):
    urged_on = _date_field(gettext_lazy("催告书送达日期"))
    applied_on = _date_field(gettext_lazy("申请日期"))
    court = forms.CharField(label=gettext_lazy("人民法院"), required=False, max_length=200)
    note = _text(gettext_lazy("说明（可不填）"))


class InformationRequestForm(forms.Form):
    question = _text(gettext_lazy("需要提交人补充的内容"), rows=3)


class PaymentPlanForm(forms.Form):
    plan = forms.ChoiceField(
        label=gettext_lazy("方式"),
        required=False,
        choices=[("", gettext_lazy("— 请选择 —")), *PlanKind.choices],
    )
    deferred_to = _date_field(gettext_lazy("暂缓至（暂缓缴纳）"))
    instalments = forms.CharField(
        label=gettext_lazy("分期安排（分期缴纳）"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "2027-01-15 2000"}),
        help_text=gettext_lazy("每行一期：日期和金额；各期合计应等于尚未缴纳的罚款。"),
    )
    reason = _text(gettext_lazy("当事人申请理由（经济困难情况）"))


class ExcludeTimeForm(forms.Form):
    excluded_reason = forms.ChoiceField(
        label=gettext_lazy("事由"),
        choices=[c for c in ExcludedTime.choices if c[0] != ExcludedTime.SUSPENSION],
        help_text=gettext_lazy("只顺延其法律依据规定不计入该事由的期限；中止请用“中止”。"),
    )
    since = forms.DateField(label=gettext_lazy("开始日期"))
    until = forms.DateField(label=gettext_lazy("结束日期"))


class PublishForm(forms.Form):
    decision_number = forms.CharField(
        label=gettext_lazy("决定书文号"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("本案作出决定时已编号的，以该文号为准；此处仅补录旧案文号。"),
    )
    person_names = forms.CharField(
        label=gettext_lazy("须遮蔽的其他个人姓名"),
        required=False,
        max_length=500,
        help_text=gettext_lazy(
            "决定摘要中出现的其他自然人，用顿号或逗号分隔；当事人本人自动遮蔽。"
        ),
    )


class TrackForm(forms.Form):
    track = forms.ChoiceField(label=gettext_lazy("改为"), choices=Track.choices)
    reason = _text(gettext_lazy("变更理由"))


class ExtendForm(forms.Form):
    key = forms.ChoiceField(label=gettext_lazy("期限"), choices=())
    reason = _text(gettext_lazy("延长理由"))

    def __init__(self, *args: Any, open_deadlines: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["key"].choices = [
            (
                d.key,
                _("%(name)s（%(detail)s）") % {"name": d.label, "detail": f"{d.due_on:%Y-%m-%d}"},
            )
            for d in open_deadlines or []
        ]


class NotifyForm(forms.Form):
    note = _text(gettext_lazy("告知方式与内容"))


# The reason labels of the actions that need one.
REASON_LABELS = {
    Action.REJECT: gettext_lazy("不予受理理由"),
    Action.DECLINE_OPENING: gettext_lazy("不予立案理由（将告知投诉人、举报人）"),
    Action.RETURN_CASE_REVIEW: gettext_lazy("退回理由"),
    Action.RETURN_DECISION: gettext_lazy("退回理由"),
    Action.RETURN_REVIEW: gettext_lazy("退回理由"),
    Action.SUSPEND: gettext_lazy("中止理由"),
    Action.RESUME: gettext_lazy("恢复说明（可不填）"),
}
from ipshield.cases.actions import (  # noqa: E402
    EXCLUDE_TIME,
    EXTEND_DEADLINE,
    NOTIFY_REPORTER,
    OVERRIDE_TRACK,
    REVEAL_IDENTITY,
    run_action,
)

EXTRA_LABELS = {
    OVERRIDE_TRACK: gettext_lazy("变更程序"),
    EXTEND_DEADLINE: gettext_lazy("延长期限"),
    NOTIFY_REPORTER: gettext_lazy("记录已告知举报人"),
    REVEAL_IDENTITY: gettext_lazy("查看举报人身份"),
    EXCLUDE_TIME: gettext_lazy("记录不计入期限的时间"),
    **procedure.STEP_LABELS,
}
OPINION_ACTIONS = frozenset(
    {
        Action.START_INVESTIGATION,
        Action.APPROVE_CASE_REVIEW,
        Action.APPROVE_REVIEW,
        Action.APPROVE_DECISION,
    }
)
FORMS: dict[str, type[forms.Form]] = {
    Action.REQUEST_OPENING: OpeningForm,
    Action.PROPOSE_DECISION: ReportForm,
    Action.REQUEST_HEARING: HearingRequestForm,
    Action.RECORD_HEARING: HearingRecordForm,
    Action.DECIDE: DecideForm,
    Action.PUBLISH: PublishForm,
    procedure.SERVE_NOTICE: ServiceForm,
    procedure.SERVE_DECISION: ServiceForm,
    procedure.RECORD_STATEMENT: StatementForm,
    procedure.RECORD_WAIVER: WaiverForm,
    procedure.SCHEDULE_HEARING: HearingScheduleForm,
    procedure.RECORD_DISCUSSION: DiscussionForm,
    procedure.RECORD_PAYMENT: PaymentForm,
    procedure.RECORD_INQUIRY: InvestigationForm,
    procedure.RECORD_INSPECTION: InvestigationForm,
    procedure.IMPOSE_MEASURE: MeasureForm,
    procedure.RECORD_REMEDY: RemedyForm,
    procedure.APPLY_ENFORCEMENT: EnforcementForm,
    procedure.APPROVE_PAYMENT_PLAN: PaymentPlanForm,
    procedure.REQUEST_INFORMATION: InformationRequestForm,
    procedure.RECORD_CONFISCATION: ConfiscationForm,
}
# Forms whose choices come from the case.
CASE_FORMS: dict[str, type[forms.Form]] = {
    procedure.EXTEND_MEASURE: MeasureExtendForm,
    procedure.RELEASE_MEASURE: MeasureReleaseForm,
    procedure.RECORD_REMEDY_OUTCOME: RemedyOutcomeForm,
    procedure.RECORD_DISPOSAL: DisposalForm,
    procedure.ARCHIVE_CASE: ArchiveForm,
}


def _form(
    name: str, case: Case, data: Any = None, *, open_deadlines: list[Any] | None = None
) -> Any:
    """The form of action ``name`` (None when the action takes no input)."""
    auto_id = f"id_{name}_%s"
    if name in REASON_LABELS:
        return ReasonForm(data, label=REASON_LABELS[name], auto_id=auto_id)
    if name in OPINION_ACTIONS:
        return OpinionForm(data, auto_id=auto_id)
    if name == procedure.RECORD_PAYMENT and data is None:
        owed = procedure.dues(case)
        return PaymentForm(auto_id=auto_id, initial={"amount": owed.outstanding or None})
    if name in FORMS:
        return FORMS[name](data, auto_id=auto_id)
    if name in CASE_FORMS:
        return CASE_FORMS[name](data, auto_id=auto_id, case=case)  # type: ignore[call-arg]
    if name == OVERRIDE_TRACK:
        return TrackForm(data, auto_id=auto_id, initial={"track": case.track})
    if name == EXTEND_DEADLINE:
        return ExtendForm(data, auto_id=auto_id, open_deadlines=open_deadlines)
    if name == NOTIFY_REPORTER:
        return NotifyForm(data, auto_id=auto_id)
    if name == REVEAL_IDENTITY:
        return ReasonForm(data, label=gettext_lazy("查看理由"), auto_id=auto_id)
    if name == EXCLUDE_TIME:
        return ExcludeTimeForm(data, auto_id=auto_id)
    return None


DANGER = frozenset(
    {
        Action.REJECT,
        Action.DECLINE_OPENING,
        Action.SUSPEND,
        Action.RETURN_REVIEW,
        Action.RETURN_CASE_REVIEW,
        Action.RETURN_DECISION,
    }
)


# --- deadlines as people read them


def _due_text(state: str, due: dt.date, today: dt.date) -> str:
    if state == "overdue":
        n = workdays.working_days_between(due, today)
        if n < 1:  # past, but no working day has gone by yet (a weekend)
            return _("已超期")
        return _("已超期 %(n)d 个工作日") % {"n": n}
    if state == "due_soon":
        if due <= today:
            return _("今日到期")
        n = max(workdays.working_days_between(today, due), 1)
        return _("%(n)d 个工作日内到期") % {"n": n}
    return ""


def _list_state(due: dt.date | None, today: dt.date, soon_before: dt.date) -> str:
    """``deadlines.overdue_state`` for a list row, without reloading the calendar per row
    (``overdue_state`` checks the calendar overrides with two queries on every call)."""
    if due is None:
        return ""
    if due < today:
        return "overdue"
    return "due_soon" if due < soon_before else ""


@dataclass(frozen=True)
class Row:
    case: Case
    due_state: str
    due_text: str
    final: bool
    provisional: bool = False  # the shown deadline was counted across a provisional year
    # Ready to print, so that the list renders 25 rows without a URL reversal or a choices
    # lookup per cell (``get_FOO_display`` rebuilds a dict of all the choices on every call).
    url: str = ""
    source_label: str = ""
    track_label: str = ""
    status_label: str = ""
    unit_name: str = ""


# --- pages


def case_or_404(actor: Any, case_id: int) -> Case:
    case = (
        selectors.case_list(actor=actor)
        .select_related(
            "right", "rights_holder", "infringer", "region", "origin_unit", "duplicate_of"
        )
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise Http404(_("找不到该案件，或您无权查看。"))
    return case


DUE_FILTERS = (
    ("overdue", gettext_lazy("已超期")),
    ("soon", gettext_lazy("3 个工作日内到期")),
)


@staff_required
@never_cache
def case_list(request):
    status = request.GET.get("status", "")
    track = request.GET.get("track", "")
    source = request.GET.get("source", "")
    due = request.GET.get("due", "")
    q = search_text(request.GET.get("q", ""))
    today = timezone.localdate()
    soon_before = selectors.due_soon_before(today)
    cases = selectors.case_list(
        actor=request.user, status=status, track=track, source=source, due=due, today=today, q=q
    ).only(*selectors.LIST_FIELDS)
    # One kind of the inbox's work in full (the inbox shows the most urgent few).
    from ipshield.cases.inbox import KINDS

    work = KINDS.get(request.GET.get("inbox", ""))
    if work is not None:
        profile = profile_of(request.user)
        unit_id = profile.unit_id if profile else None
        cases = cases.filter(pk__in=work.rows(request.user, unit_id).values("pk"))
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    provisional = workcalendar.page_provisional(c for c in page if c.status not in FINAL)
    source_labels, track_labels = dict(Source.choices), dict(Track.choices)
    status_labels = dict(Status.choices)
    for case in page:
        state = "" if case.status in FINAL else _list_state(case.deadline, today, soon_before)
        text = _due_text(state, case.deadline, today) if state else ""
        rows.append(
            Row(
                case=case,
                due_state=state,
                due_text=text,
                final=case.status in FINAL,
                provisional=case.pk in provisional,
                url=reverse("workbench:case-detail", args=[case.pk]),
                source_label=str(source_labels.get(case.source, case.source)),
                track_label=str(track_labels.get(case.track, case.track)),
                status_label=str(status_labels.get(case.status, case.status)),
                unit_name=case.unit.short_name or case.unit.name,
            )
        )
    return render(
        request,
        "cases/list.html",
        {
            "page": page,
            "rows": rows,
            "status": status,
            "track": track,
            "source": source,
            "due": due,
            "q": q,
            "work": work,
            "statuses": Status.choices,
            "tracks": Track.choices,
            "sources": Source.choices,
            "due_filters": DUE_FILTERS,
            "calendar_notice": (
                _("暂定：期限按法定节假日推算，待管理员确认当年调休安排") if provisional else ""
            ),
        },
    )


def _roles(user: Any) -> set[str]:
    profile = profile_of(user)
    return set(profile.roles) if profile and not profile.read_only else set()


def _deadline_rows(case: Case, today: dt.date) -> list[dict[str, Any]]:
    rows = []
    kinds = dict(TimeLimit.objects.values_list("key", "day_kind"))
    for d in case.deadlines.all():
        running = d.met_at is None and case.status not in FINAL
        state = deadlines.overdue_state(d.due_on, today) if running else ""
        rows.append(
            {
                "d": d,
                "running": running,
                "state": state,
                "text": _due_text(state, d.due_on, today) if state else "",
                # As the calendar stands now: confirming a year ends the notice.
                "note": workcalendar.deadline_notice(d, kinds) if running else "",
            }
        )
    return rows


def _extendable(case: Case) -> list[Any]:
    """Running limits that may still be extended: once, and only where the rule allows it."""
    running = [d for d in case.deadlines.all() if d.met_at is None and not d.extended]
    keys = set(
        TimeLimit.objects.filter(
            key__in=[d.key for d in running], extension_days__gt=0
        ).values_list("key", flat=True)
    )
    return [d for d in running if d.key in keys]


def _panel(
    request: Any,
    case: Case,
    *,
    bound: tuple[str, Any] | None = None,
    error: str = "",
    identity: dict[str, str] | None = None,
) -> dict[str, Any]:
    """What the action panel offers ``request.user`` on ``case`` now."""
    roles = _roles(request.user)
    officer = bool(roles & {str(r) for r in OFFICERS})
    open_deadlines = [d for d in case.deadlines.all() if d.met_at is None]
    extendable = _extendable(case)
    offered: list[tuple[str, Any]] = [
        (a, Action(a).label) for a in allowed_actions(case.status, roles, case=case)
    ]
    offered += [
        (name, procedure.STEP_LABELS[name]) for name in procedure.offered_steps(case, roles)
    ]
    if officer and case.status in UNDECIDED:
        offered.append((OVERRIDE_TRACK, EXTRA_LABELS[OVERRIDE_TRACK]))
    if "unit_leader" in roles and extendable and case.status not in FINAL:
        offered.append((EXTEND_DEADLINE, EXTRA_LABELS[EXTEND_DEADLINE]))
    if officer and any(d.key == deadlines.NOTIFY_REPORTER for d in open_deadlines):
        offered.append((NOTIFY_REPORTER, EXTRA_LABELS[NOTIFY_REPORTER]))
    if officer and any(d.key in deadlines.EXCLUDABLE for d in open_deadlines):
        offered.append((EXCLUDE_TIME, EXTRA_LABELS[EXCLUDE_TIME]))
    real_name = case.source == Source.REPORT and ReporterIdentity.objects.filter(case=case).exists()
    if officer and real_name:
        offered.append((REVEAL_IDENTITY, EXTRA_LABELS[REVEAL_IDENTITY]))
    profile = profile_of(request.user)
    if profile is None or profile.unit_id != case.unit_id:
        # Units the case is only shared with (assistance, joint operation, a former owner) read
        # it; ``require_handler`` refuses them every action, so none is offered.
        offered = []
    actions = []
    for name, label in offered:
        if bound and bound[0] == name:
            form = bound[1]
        else:
            form = _form(name, case, open_deadlines=extendable)
        actions.append(
            {
                "name": name,
                "label": label,
                "form": form,
                "url": reverse("workbench:case-act", args=[case.pk, name]),
                "extra": name in EXTRA_LABELS and name not in procedure.STEPS,
                "danger": name in DANGER,
                "open": bool(bound and bound[0] == name),
            }
        )
    profile = profile_of(request.user)
    return {
        "actions": actions,
        "panel_error": error,
        "identity": identity,
        "read_only": bool(profile and profile.read_only),
        "real_name": real_name,
    }


def _stages(case: Case) -> list[dict[str, Any]]:
    """The procedure as a row of steps, with the case's place in it (a picture of where it is)."""
    from ipshield.cases.services import legal_review_required

    status = case.status_before_suspension if case.status == Status.SUSPENDED else case.status
    if status in (Status.REJECTED, Status.NOT_OPENED):
        path = [Status.RECEIVED, status]
    elif case.decision_procedure == Procedure.SIMPLE:
        path = [
            Status.RECEIVED,
            Status.ACCEPTED,
            Status.INVESTIGATING,
            Status.DECIDED,
            Status.CLOSED,
        ]
    else:
        path = [Status.RECEIVED, Status.ACCEPTED, Status.OPENING_REVIEW, Status.INVESTIGATING]
        path.append(Status.CASE_REVIEW)
        heard = case.hearings.exists()
        if legal_review_required(case) or heard or status == Status.LEGAL_REVIEW:
            path.append(Status.LEGAL_REVIEW)
        path.append(Status.LEADER_APPROVAL)
        if case.decision_kind in ("", DecisionKind.PENALTY):
            path.append(Status.NOTICE)
            if heard or status == Status.HEARING:
                path.append(Status.HEARING)
        path.append(Status.DECIDED)
        if deadlines.publication_required(case) or case.published_at:
            path.append(Status.PUBLISHED)
        path.append(Status.CLOSED)
    reached = path.index(status) if status in path else 0
    labels = dict(Status.choices)
    return [
        {
            "label": labels[step],
            "state": "done"
            if i < reached or (i == reached and step in FINAL)
            else ("current" if i == reached else "todo"),
        }
        for i, step in enumerate(path)
    ]


def _procedure(case: Case) -> dict[str, Any]:
    """The procedure's records on the case page: notice, hearing, discussion, service, money."""
    notice = procedure.latest_notice(case)
    hearing = case.hearings.order_by("-id").first()
    owed = procedure.dues(case) if case.fine_due_on else None
    return {
        "stages": _stages(case),
        "notice": notice,
        "hearing": hearing,
        "discussions": list(case.discussions.all()),
        "services": list(case.services.all()),
        "payments": list(case.payments.all()),
        "dues": owed,
        "investigation_records": list(case.investigation_records.all()),
        "measures": list(case.measures.all()),
        "confiscated_goods": list(case.confiscated_goods.all()),
        "archive": Archive.objects.filter(case=case).select_related("archived_by__profile").first(),
        "remedies": list(case.remedies.all()),
        "windows": procedure.remedy_windows(case),
        "enforcement": getattr(case, "enforcement", None),
        "schedule": procedure.payment_schedule(case) if case.payment_plans.exists() else [],
        "show_procedure": bool(
            case.opened_at or case.decision_kind or notice or case.status != Status.RECEIVED
        ),
    }


def case_page_context(request: Any, case: Case, **panel: Any) -> dict[str, Any]:
    """Everything the case page shows, with the sections other apps registered."""
    today = timezone.localdate()
    duplicate_visible = bool(
        case.duplicate_of_id
        and selectors.case_visible_to(actor=request.user, case_id=case.duplicate_of_id)
    )
    context = {
        "case": case,
        "attachments": list(case.attachments.all()),
        "deadline_rows": _deadline_rows(case, today),
        "entries": pdf.entries(case),
        "anchor": anchoring.check_case(case),
        "duplicate_visible": duplicate_visible,
        "final": case.status in FINAL,
        **_procedure(case),
        **_panel(request, case, **panel),
    }
    for build in _CASE_PANELS:
        context.update(build(request, case))
    return context


# Other apps add their sections to the case page (cooperation: the 协作与移送 panel and the
# referral banner): a function ``(request, case) -> context``, registered once from the app's
# ``AppConfig.ready`` with :func:`add_case_panel`. The case page never imports them.
_CASE_PANELS: list[Callable[[Any, Case], dict[str, Any]]] = []


def add_case_panel(build: Callable[[Any, Case], dict[str, Any]]) -> None:
    """Let ``build(request, case)`` add its context to every case page (once per function)."""
    if build not in _CASE_PANELS:
        _CASE_PANELS.append(build)


@staff_required
@never_cache
def case_detail(request, case_id: int):
    case = case_or_404(request.user, case_id)
    return render(request, "cases/detail.html", case_page_context(request, case))


@staff_required
@require_POST
@never_cache
def case_act(request, case_id: int, action: str):
    case = case_or_404(request.user, case_id)
    if action not in Action.values and action not in EXTRA_LABELS:
        raise Http404
    form = _form(action, case, request.POST, open_deadlines=_extendable(case))
    error: DomainError | None = None
    panel_error = ""
    identity = None
    if form is None or form.is_valid():
        try:
            identity = run_action(action, request.user, case, form.cleaned_data if form else {})
        except DomainError as exc:
            error = exc
            if form is not None and exc.field in form.fields:
                form.add_error(exc.field, str(exc.message))
            else:
                panel_error = str(exc.message)
    ok = error is None and (form is None or not form.errors)
    label = Action(action).label if action in Action.values else EXTRA_LABELS[action]
    if ok and identity is None and not request.htmx:
        messages.success(request, _("已办理：%(a)s") % {"a": label})
        return redirect(reverse("workbench:case-detail", args=[case.pk]) + "#case-panel")
    case = case_or_404(request.user, case_id)  # as the service left it
    bound = None if ok else (action, form)
    context = case_page_context(request, case, bound=bound, error=panel_error, identity=identity)
    context["done"] = label if ok else ""
    status = 200
    if not ok and not request.htmx:
        status = error.status if error is not None else 400
    template = "cases/_act.html" if request.htmx else "cases/detail.html"
    response = render(request, template, context, status=status)
    add_never_cache_headers(response)  # a revealed identity must not stay in any cache
    return response


@staff_required
@never_cache
def case_file(request, case_id: int, attachment_id: int):
    case = case_or_404(request.user, case_id)
    attachment = Attachment.objects.filter(case=case, pk=attachment_id).first()
    if attachment is None:
        raise Http404(_("找不到该材料。"))
    try:
        handle = files.attachment_open(actor=request.user, case=case, attachment=attachment)
    except DomainError as exc:
        raise Http404(str(exc.message)) from exc
    return FileResponse(handle, as_attachment=True, filename=attachment.original_name)


@staff_required
@never_cache
def case_record_pdf(request, case_id: int):
    case = case_or_404(request.user, case_id)
    profile = profile_of(request.user)
    data = pdf.case_record_pdf(
        case, generated_by=profile.display_name if profile else request.user.get_username()
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{case.number}-record.pdf"'
    return response


# --- lead notices (线索通报): one unit tells another of something to look at


class LeadNoticeForm(forms.Form):
    to_unit = forms.ModelChoiceField(
        label=gettext_lazy("通报单位"), queryset=None, empty_label=gettext_lazy("— 请选择 —")
    )
    title = forms.CharField(label=gettext_lazy("线索事由"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("情况描述"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    infringer_uscc = forms.CharField(
        label=gettext_lazy("涉嫌侵权主体统一社会信用代码"), max_length=40, required=False
    )
    infringer_name = forms.CharField(
        label=gettext_lazy("涉嫌侵权人名称"), max_length=200, required=False
    )
    place = forms.CharField(label=gettext_lazy("发生地点/网址"), max_length=500, required=False)
    amount_involved = forms.CharField(
        label=gettext_lazy("涉案金额（元）"), max_length=20, required=False
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        from ipshield.accounts.models import Unit

        super().__init__(*args, **kwargs)
        profile = profile_of(actor)
        units = Unit.objects.filter(is_external=False).select_related("region")
        if profile and profile.unit_id:
            units = units.exclude(pk=profile.unit_id)
        self.fields["to_unit"].queryset = units.order_by("region_id", "name")
        self.fields["to_unit"].label_from_instance = lambda u: (
            _("%(name)s（%(detail)s）") % {"name": u.name, "detail": u.region.name}
        )


@staff_required
def lead_notice_new(request):
    from ipshield.cases import intake

    form = LeadNoticeForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            submitted = intake.lead_notice_create(
                actor=request.user,
                to_unit=data["to_unit"],
                title=data["title"],
                description=data["description"],
                infringer_uscc=data["infringer_uscc"],
                infringer_name=data["infringer_name"],
                place=data["place"],
                amount_involved=data["amount_involved"] or None,
            )
        except DomainError as error:
            from ipshield.common.forms import add_domain_error

            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("已向%(unit)s通报线索，编号 %(number)s。")
                % {"unit": submitted.case.unit.name, "number": submitted.case.number},
            )
            return redirect("workbench:cases")
    return render(request, "cases/lead_notice.html", {"form": form})
