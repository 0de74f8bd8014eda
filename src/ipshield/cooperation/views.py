"""Staff pages for cooperation between units: the inbox (what waits for my unit, what it sent,
its joint operations), one page per assistance request, transfer and joint operation with its
history and the forms the signed-in person may use, and the 协作与移送 panel of a case
(assistance, transfer, joint operation, criminal referral).

Every record comes from a unit-scoped selector (``cooperation.selectors``,
``cases.selectors``), so a unit that takes no part gets 404; every change is one call to a
``cooperation.services`` function, whose refusal is shown next to the field it names (or at the
top of the form) with what was typed kept. The pages only offer the forms that fit the person's
unit, role and the record's status — the service still decides.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ipshield.accounts import selectors as account_selectors
from ipshield.accounts.models import Profile, Unit, UnitKind
from ipshield.accounts.pages import PAGE_SIZE, staff_required
from ipshield.accounts.roles import Role
from ipshield.accounts.selectors import profile_of
from ipshield.cases import selectors as case_selectors
from ipshield.cases import views as case_views
from ipshield.cases.models import Case
from ipshield.cases.workflow import FINAL
from ipshield.common.errors import DomainError
from ipshield.common.forms import add_domain_error
from ipshield.cooperation import selectors, services, thresholds
from ipshield.cooperation.models import (
    AssistanceRequest,
    CooperationVerb,
    JointOperation,
    MarkUse,
    Transfer,
)
from ipshield.cooperation.workflow import (
    OPEN_ASSISTANCE,
    AssistanceStatus,
    OperationStatus,
    TransferKind,
    TransferStatus,
)

# --- who may do what (the services check again) -------------------------------------------------


def _unit_id(profile: Profile | None) -> int | None:
    if profile is None or not profile.is_staff_member:
        return None
    return profile.unit_id


def _writer(profile: Profile | None) -> bool:
    """A case officer or unit leader of a unit, not in a read-only role."""
    return bool(
        _unit_id(profile) is not None
        and profile.has_role(Role.CASE_OFFICER, Role.UNIT_LEADER)
        and not profile.read_only
    )


def _leader(profile: Profile | None) -> bool:
    return _writer(profile) and profile.has_role(Role.UNIT_LEADER)


def _answers_for(profile: Profile | None, *, sender_id: int, receiver: Unit) -> bool:
    """Whether ``profile`` may answer for ``receiver``: its own unit, or — for an external unit
    with no people here — the sending unit, from the external unit's written receipt."""
    if not _writer(profile):
        return False
    unit_id = _unit_id(profile)
    return unit_id == receiver.pk or (receiver.is_external and unit_id == sender_id)


# --- forms: lenient on purpose (like the case pages), so that the service's refusal, with its
# field, is what people see; only types (a date, a choice) are checked here.


def _area(label: Any, *, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=5000,
        strip=False,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _date(label: Any, *, required: bool = False, required_message: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": required_message,
            "invalid": gettext_lazy("请填写日期，格式如 2026-05-01。"),
        },
    )


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return obj.name


class UnitsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return obj.name


class ReceiptForm(forms.Form):
    """Answers for an external unit quote its written receipt; the field is dropped otherwise."""

    receipt_reference = forms.CharField(
        label=gettext_lazy("对方书面回执/文号"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("对方为外部单位（无本系统账号），由本单位据其书面回执代为登记。"),
    )

    def __init__(self, *args: Any, external: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not external:
            del self.fields["receipt_reference"]


class AcknowledgeForm(ReceiptForm):
    pass


class ReplyForm(ReceiptForm):
    reply = _area(gettext_lazy("回复内容"), rows=4)
    field_order = ["reply", "receipt_reference"]


class DeclineForm(ReceiptForm):
    reason = _area(gettext_lazy("拒绝理由"))
    field_order = ["reason", "receipt_reference"]


class AcceptForm(ReceiptForm):
    note = _area(gettext_lazy("接收意见（可不填）"), rows=2)
    field_order = ["note", "receipt_reference"]


class RefuseForm(ReceiptForm):
    reason = _area(gettext_lazy("拒收理由"))
    field_order = ["reason", "receipt_reference"]


class WithdrawForm(forms.Form):
    reason = _area(gettext_lazy("撤回理由"), rows=2)

    def __init__(self, *args: Any, external: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


class OperationForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("行动名称"), required=False, max_length=200)
    units = UnitsChoiceField(
        label=gettext_lazy("参与单位"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "unit-checks"}),
        help_text=gettext_lazy("本单位为牵头单位，自动参与。"),
    )
    starts_on = _date(
        gettext_lazy("开始日期"), required=True, required_message=gettext_lazy("请填写开始日期。")
    )
    ends_on = _date(
        gettext_lazy("结束日期"), required=True, required_message=gettext_lazy("请填写结束日期。")
    )
    area = forms.CharField(label=gettext_lazy("行动区域"), required=False, max_length=200)
    description = _area(gettext_lazy("行动内容"))

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units


class AddUnitForm(forms.Form):
    unit = UnitChoiceField(
        label=gettext_lazy("增加参与单位"),
        queryset=Unit.objects.none(),
        empty_label=gettext_lazy("— 请选择 —"),
        error_messages={"required": gettext_lazy("请选择单位。")},
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class CaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Case) -> str:
        return f"{obj.number} {obj.title}"


class LinkCaseForm(forms.Form):
    case = CaseChoiceField(
        label=gettext_lazy("关联本单位案件"),
        queryset=Case.objects.none(),
        empty_label=gettext_lazy("— 请选择 —"),
        error_messages={"required": gettext_lazy("请选择案件。")},
    )

    def __init__(self, *args: Any, cases: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases


class FinishForm(forms.Form):
    result_summary = _area(gettext_lazy("行动结果"), rows=4)


# The case panel's forms.


class AssistanceForm(forms.Form):
    to_unit = UnitChoiceField(
        label=gettext_lazy("协办单位"),
        queryset=Unit.objects.none(),
        empty_label=gettext_lazy("— 请选择 —"),
        error_messages={"required": gettext_lazy("请选择协办单位。")},
    )
    asked = _area(gettext_lazy("协办事项"))
    due_on = _date(gettext_lazy("办理期限"))

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = units


class TransferForm(forms.Form):
    to_unit = UnitChoiceField(
        label=gettext_lazy("接收单位"),
        queryset=Unit.objects.none(),
        empty_label=gettext_lazy("— 请选择 —"),
        error_messages={"required": gettext_lazy("请选择接收单位。")},
        help_text=gettext_lazy("涉嫌犯罪的，请在下方“刑事追诉”中由单位负责人决定移送公安机关。"),
    )
    reason = _area(gettext_lazy("移送理由"))

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = units


class OperationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: JointOperation) -> str:
        return f"{obj.name}（{obj.starts_on:%Y-%m-%d} — {obj.ends_on:%Y-%m-%d}）"


class OperationLinkForm(forms.Form):
    operation = OperationChoiceField(
        label=gettext_lazy("联合执法行动"),
        queryset=JointOperation.objects.none(),
        empty_label=gettext_lazy("— 请选择 —"),
        error_messages={"required": gettext_lazy("请选择联合执法行动。")},
    )

    def __init__(self, *args: Any, operations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["operation"].queryset = operations


class FactsForm(forms.Form):
    illegal_business_volume = forms.CharField(
        label=gettext_lazy("非法经营数额（元）"), required=False, max_length=40
    )
    illegal_gains = forms.CharField(
        label=gettext_lazy("违法所得数额（元）"), required=False, max_length=40
    )
    marks_count = forms.IntegerField(
        label=gettext_lazy("假冒注册商标种数"),
        required=False,
        error_messages={"invalid": gettext_lazy("假冒注册商标种数应为整数。")},
    )
    mark_use = forms.ChoiceField(label=gettext_lazy("使用于"), choices=MarkUse.choices)
    prior_punishment = forms.BooleanField(
        label=gettext_lazy("二年内曾因假冒注册商标等行为受过刑事处罚或行政处罚"), required=False
    )
    note = _area(gettext_lazy("计算说明"), rows=2)


REFER_CHOICES = [
    ("yes", gettext_lazy("移送公安机关")),
    ("no", gettext_lazy("不移送")),
]


class ReferralForm(forms.Form):
    refer = forms.ChoiceField(
        label=gettext_lazy("决定"),
        choices=REFER_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("请选择是否移送公安机关。")},
    )
    reason = _area(gettext_lazy("决定理由"))
    police_unit = UnitChoiceField(
        label=gettext_lazy("接收的公安机关"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=gettext_lazy("— 案件所在地公安机关 —"),
        help_text=gettext_lazy("默认为案件所在地的公安机关；不移送时不用选择。"),
    )

    def __init__(self, *args: Any, police: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["police_unit"].queryset = police


# --- history ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryRow:
    verb: str
    label: str
    at: dt.datetime
    who: str
    unit: str
    detail: str
    note: str


def _history(events: Any, *, unit_names: dict[int, str] | None = None) -> list[HistoryRow]:
    """The cooperation history as people read it."""
    unit_names = unit_names or {}
    rows = []
    for e in events:
        profile = getattr(e.actor, "profile", None) if e.actor_id else None
        data = e.data or {}
        details = []
        if e.verb == CooperationVerb.REQUEST_SENT and data.get("due_on"):
            details.append(_("办理期限 %(d)s") % {"d": data["due_on"]})
        if e.verb == CooperationVerb.OPERATION_UNIT_ADDED and data.get("unit_id"):
            details.append(unit_names.get(data["unit_id"], ""))
        if e.verb == CooperationVerb.OPERATION_CASE_LINKED and data.get("number"):
            details.append(data["number"])
        if e.verb == CooperationVerb.REFERRAL_DECIDED:
            details.append(_("移送公安机关") if data.get("refer") else _("不移送"))
        if data.get("receipt_reference"):
            details.append(_("回执/文号：%(r)s") % {"r": data["receipt_reference"]})
        rows.append(
            HistoryRow(
                verb=e.verb,
                label=str(e.get_verb_display()),
                at=e.at,
                who=profile.display_name if profile else "",
                unit=e.unit.name if e.unit_id else "",
                detail=" · ".join(d for d in details if d),
                note=e.note,
            )
        )
    return rows


# --- the inbox ----------------------------------------------------------------------------------

TABS = (
    ("todo", gettext_lazy("待我处理")),
    ("sent", gettext_lazy("我发出的")),
    ("operations", gettext_lazy("联合执法")),
)


@dataclass(frozen=True)
class Item:
    """One row of the inbox: an assistance request or a transfer (a referral is a transfer)."""

    kind: str  # "request", "transfer" or "referral"
    kind_label: str
    url: str
    case: Case
    from_unit: Unit
    to_unit: Unit
    status: str
    status_label: str
    at: dt.datetime
    due_on: dt.date | None
    summary: str
    on_behalf: bool  # the other side is external: my unit records its answer


def _request_item(r: AssistanceRequest, *, on_behalf: bool = False) -> Item:
    return Item(
        kind="request",
        kind_label=str(gettext_lazy("协办请求")),
        url=reverse("workbench:coop-request", args=[r.pk]),
        case=r.case,
        from_unit=r.from_unit,
        to_unit=r.to_unit,
        status=r.status,
        status_label=str(r.get_status_display()),
        at=r.sent_at,
        due_on=r.due_on,
        summary=r.asked,
        on_behalf=on_behalf,
    )


def _transfer_item(t: Transfer, *, on_behalf: bool = False) -> Item:
    criminal = t.kind == TransferKind.CRIMINAL
    return Item(
        kind="referral" if criminal else "transfer",
        kind_label=str(gettext_lazy("涉嫌犯罪移送") if criminal else gettext_lazy("案件移送")),
        url=reverse("workbench:coop-transfer", args=[t.pk]),
        case=t.case,
        from_unit=t.from_unit,
        to_unit=t.to_unit,
        status=t.status,
        status_label=str(t.get_status_display()),
        at=t.proposed_at,
        due_on=None,
        summary=t.reason,
        on_behalf=on_behalf,
    )


def _todo(user: Any) -> list[Item]:
    """Requests and transfers addressed to my unit that wait for its answer (referrals wait for
    the police's receipt), and those my unit sent to external units, whose answers it records."""
    requests = selectors.assistance_request_list(actor=user, direction="received").filter(
        status__in=OPEN_ASSISTANCE
    )
    transfers = selectors.transfer_list(
        actor=user, direction="received", status=TransferStatus.PROPOSED
    )
    external_requests = selectors.assistance_request_list(actor=user, direction="sent").filter(
        status__in=OPEN_ASSISTANCE, to_unit__is_external=True
    )
    external_transfers = selectors.transfer_list(
        actor=user, direction="sent", status=TransferStatus.PROPOSED
    ).filter(to_unit__is_external=True)
    items = [
        *(_request_item(r) for r in requests),
        *(_transfer_item(t) for t in transfers),
        *(_request_item(r, on_behalf=True) for r in external_requests),
        *(_transfer_item(t, on_behalf=True) for t in external_transfers),
    ]
    # What is due first comes first; then the oldest waiting.
    return sorted(items, key=lambda i: (i.due_on or dt.date.max, i.at))


SENT_LIMIT = 500


def _sent(user: Any) -> list[Item]:
    requests = selectors.assistance_request_list(actor=user, direction="sent")[:SENT_LIMIT]
    transfers = selectors.transfer_list(actor=user, direction="sent")[:SENT_LIMIT]
    items = [*(_request_item(r) for r in requests), *(_transfer_item(t) for t in transfers)]
    return sorted(items, key=lambda i: i.at, reverse=True)


def _operation_units(user: Any) -> Any:
    """Units an operation of my unit may invite: every other unit of the directory."""
    profile = profile_of(user)
    return account_selectors.unit_list(actor=user).exclude(pk=_unit_id(profile))


def _inbox(request: Any, *, tab: str, operation_form: Any = None, status: int = 200):
    user = request.user
    profile = profile_of(user)
    todo = _todo(user)
    sent = _sent(user)
    operations = selectors.operation_list(actor=user).order_by("-starts_on", "-id")
    if operation_form is None and _writer(profile):
        operation_form = OperationForm(units=_operation_units(user), auto_id="id_op_%s")
    items = todo if tab == "todo" else sent
    page = Paginator(items if tab != "operations" else operations, PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    counts = {"todo": len(todo), "sent": len(sent), "operations": operations.count()}
    return render(
        request,
        "cooperation/inbox.html",
        {
            "tab": tab,
            "tabs": [(key, label, counts[key]) for key, label in TABS],
            "page": page,
            "operation_form": operation_form,
            "my_unit_id": _unit_id(profile),
        },
        status=status,
    )


@staff_required
@never_cache
def inbox(request):
    tab = request.GET.get("tab", "todo")
    if tab not in dict(TABS):
        tab = "todo"
    return _inbox(request, tab=tab)


@staff_required
@require_POST
@never_cache
def operation_create(request):
    form = OperationForm(request.POST, units=_operation_units(request.user), auto_id="id_op_%s")
    error: DomainError | None = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            operation = services.operation_create(
                actor=request.user,
                name=data["name"],
                units=list(data["units"]),
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                area=data["area"],
                description=data["description"],
            )
        except DomainError as exc:
            error = exc
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已创建联合执法行动：%(n)s") % {"n": operation.name})
            return redirect("workbench:coop-operation", operation.pk)
    return _inbox(
        request,
        tab="operations",
        operation_form=form,
        status=error.status if error is not None else 400,
    )


# --- one assistance request ---------------------------------------------------------------------

REQUEST_ACTIONS = {
    "acknowledge": (AcknowledgeForm, gettext_lazy("签收")),
    "reply": (ReplyForm, gettext_lazy("回复")),
    "decline": (DeclineForm, gettext_lazy("拒绝协办")),
}


def _request_or_404(user: Any, request_id: int) -> AssistanceRequest:
    found = selectors.assistance_request_get(actor=user, request_id=request_id)
    if found is None:
        raise Http404(_("找不到该协办请求，或您无权查看。"))
    return found


def _request_actions(profile: Profile | None, r: AssistanceRequest) -> list[str]:
    if not _answers_for(profile, sender_id=r.from_unit_id, receiver=r.to_unit):
        return []
    if r.status == AssistanceStatus.SENT:
        return ["acknowledge", "decline"]
    if r.status == AssistanceStatus.ACKNOWLEDGED:
        return ["reply", "decline"]
    return []


def _forms(
    table: dict[str, Any],
    names: list[str],
    url_name: str,
    pk: int,
    *,
    bound: tuple[str, Any] | None = None,
    **form_kwargs: Any,
) -> list[dict[str, Any]]:
    if bound and bound[0] not in names:
        names = [*names, bound[0]]  # a refused form stays on the page, with its error and input
    out = []
    for name in names:
        form_class, label = table[name]
        if bound and bound[0] == name:
            form = bound[1]
        else:
            form = form_class(auto_id=f"id_{name}_%s", **form_kwargs)
        out.append(
            {
                "name": name,
                "label": label,
                "form": form,
                "url": reverse(url_name, args=[pk, name]),
                "danger": name in ("decline", "refuse", "withdraw"),
            }
        )
    return out


def _render_request(
    request: Any, r: AssistanceRequest, *, bound: Any = None, status: int = 200
) -> HttpResponse:
    profile = profile_of(request.user)
    context = {
        "item": r,
        "case_visible": case_selectors.case_visible_to(actor=request.user, case_id=r.case_id),
        "history": _history(selectors.history(r)),
        "actions": _forms(
            REQUEST_ACTIONS,
            _request_actions(profile, r),
            "workbench:coop-request-act",
            r.pk,
            bound=bound,
            external=r.to_unit.is_external,
        ),
        "on_behalf": r.to_unit.is_external and _unit_id(profile) == r.from_unit_id,
    }
    return render(request, "cooperation/request_detail.html", context, status=status)


@staff_required
@never_cache
def request_detail(request, request_id: int):
    return _render_request(request, _request_or_404(request.user, request_id))


@staff_required
@require_POST
@never_cache
def request_act(request, request_id: int, action: str):
    r = _request_or_404(request.user, request_id)
    if action not in REQUEST_ACTIONS:
        raise Http404
    form_class, label = REQUEST_ACTIONS[action]
    form = form_class(request.POST, external=r.to_unit.is_external, auto_id=f"id_{action}_%s")
    error: DomainError | None = None
    if form.is_valid():
        data = form.cleaned_data
        receipt = data.get("receipt_reference", "")
        try:
            if action == "acknowledge":
                services.assistance_request_acknowledge(
                    actor=request.user, request=r, receipt_reference=receipt
                )
            elif action == "reply":
                services.assistance_request_reply(
                    actor=request.user, request=r, reply=data["reply"], receipt_reference=receipt
                )
            else:
                services.assistance_request_decline(
                    actor=request.user, request=r, reason=data["reason"], receipt_reference=receipt
                )
        except DomainError as exc:
            error = exc
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已办理：%(a)s") % {"a": label})
            return redirect("workbench:coop-request", r.pk)
    r = _request_or_404(request.user, request_id)
    return _render_request(
        request, r, bound=(action, form), status=error.status if error is not None else 400
    )


# --- one transfer (a criminal referral is one too) ----------------------------------------------

TRANSFER_ACTIONS = {
    "accept": (AcceptForm, gettext_lazy("接收移送")),
    "refuse": (RefuseForm, gettext_lazy("拒收")),
    "withdraw": (WithdrawForm, gettext_lazy("撤回移送")),
}
REFERRAL_ACTIONS = {
    "accept": (AcceptForm, gettext_lazy("确认接收")),
    "refuse": (RefuseForm, gettext_lazy("拒收（退回）")),
}


def _transfer_or_404(user: Any, transfer_id: int) -> Transfer:
    found = selectors.transfer_get(actor=user, transfer_id=transfer_id)
    if found is None:
        raise Http404(_("找不到该移送，或您无权查看。"))
    return found


def _transfer_actions(profile: Profile | None, t: Transfer) -> list[str]:
    if t.status != TransferStatus.PROPOSED:
        return []
    names = []
    if _answers_for(profile, sender_id=t.from_unit_id, receiver=t.to_unit):
        names += ["accept", "refuse"]
    if t.kind == TransferKind.UNIT and _writer(profile) and _unit_id(profile) == t.from_unit_id:
        names.append("withdraw")
    return names


def _render_transfer(
    request: Any, t: Transfer, *, bound: Any = None, status: int = 200
) -> HttpResponse:
    profile = profile_of(request.user)
    criminal = t.kind == TransferKind.CRIMINAL
    decision = selectors.referral_decisions(t.case).filter(transfer=t).first() if criminal else None
    actions = _forms(
        REFERRAL_ACTIONS if criminal else TRANSFER_ACTIONS,
        _transfer_actions(profile, t),
        "workbench:coop-transfer-act",
        t.pk,
        bound=bound,
        external=t.to_unit.is_external,
    )
    context = {
        "item": t,
        "criminal": criminal,
        "decision": decision,
        "case_visible": case_selectors.case_visible_to(actor=request.user, case_id=t.case_id),
        "history": _history(selectors.history(t)),
        "actions": [a for a in actions if a["name"] != "withdraw"],
        "withdraw": next((a for a in actions if a["name"] == "withdraw"), None),
        "on_behalf": t.to_unit.is_external and _unit_id(profile) == t.from_unit_id,
    }
    return render(request, "cooperation/transfer_detail.html", context, status=status)


@staff_required
@never_cache
def transfer_detail(request, transfer_id: int):
    return _render_transfer(request, _transfer_or_404(request.user, transfer_id))


@staff_required
@require_POST
@never_cache
def transfer_act(request, transfer_id: int, action: str):
    t = _transfer_or_404(request.user, transfer_id)
    table = REFERRAL_ACTIONS if t.kind == TransferKind.CRIMINAL else TRANSFER_ACTIONS
    if action not in table:
        raise Http404
    form_class, label = table[action]
    form = form_class(request.POST, external=t.to_unit.is_external, auto_id=f"id_{action}_%s")
    error: DomainError | None = None
    if form.is_valid():
        data = form.cleaned_data
        receipt = data.get("receipt_reference", "")
        try:
            if action == "accept":
                services.transfer_accept(
                    actor=request.user, transfer=t, note=data["note"], receipt_reference=receipt
                )
            elif action == "refuse":
                services.transfer_refuse(
                    actor=request.user, transfer=t, reason=data["reason"], receipt_reference=receipt
                )
            else:
                services.transfer_withdraw(actor=request.user, transfer=t, reason=data["reason"])
        except DomainError as exc:
            error = exc
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已办理：%(a)s") % {"a": label})
            return redirect("workbench:coop-transfer", t.pk)
    t = _transfer_or_404(request.user, transfer_id)
    return _render_transfer(
        request, t, bound=(action, form), status=error.status if error is not None else 400
    )


# --- one joint operation ------------------------------------------------------------------------

OPERATION_ACTIONS = {
    "add_unit": gettext_lazy("增加参与单位"),
    "link_case": gettext_lazy("关联案件"),
    "start": gettext_lazy("启动行动"),
    "finish": gettext_lazy("结束行动"),
}


def _operation_or_404(user: Any, operation_id: int) -> JointOperation:
    found = selectors.operation_get(actor=user, operation_id=operation_id)
    if found is None:
        raise Http404(_("找不到该联合执法行动，或您无权查看。"))
    return found


def _linkable_cases(user: Any, unit_id: int | None, *, exclude: Any = ()) -> Any:
    """My unit's own open cases (a unit links only cases it handles)."""
    if unit_id is None:
        return Case.objects.none()
    return (
        case_selectors.case_list(actor=user, unit_id=unit_id)
        .exclude(status__in=FINAL)
        .exclude(pk__in=[c.pk for c in exclude])
        .order_by("-received_at", "-id")
    )


def _render_operation(
    request: Any,
    op: JointOperation,
    *,
    bound: tuple[str, Any] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    profile = profile_of(user)
    unit_id = _unit_id(profile)
    units = list(op.units.all())
    cases = list(op.cases.all().select_related("unit"))
    visible = set(
        case_selectors.case_list(actor=user)
        .filter(pk__in=[c.pk for c in cases])
        .values_list("pk", flat=True)
    )
    writer = _writer(profile)
    lead = writer and op.lead_unit_id == unit_id
    participant = writer and any(u.pk == unit_id for u in units)
    running = op.status != OperationStatus.FINISHED

    def form(name: str, factory: Any) -> Any:
        return bound[1] if bound and bound[0] == name else factory()

    add_unit = link_case = finish = None
    if lead and running:
        choices = account_selectors.unit_list(actor=user).exclude(pk__in=[u.pk for u in units])
        add_unit = form("add_unit", lambda: AddUnitForm(units=choices, auto_id="id_add_unit_%s"))
    if participant and running:
        linkable = _linkable_cases(user, unit_id, exclude=cases)
        link_case = form(
            "link_case", lambda: LinkCaseForm(cases=linkable, auto_id="id_link_case_%s")
        )
    if lead and op.status == OperationStatus.ACTIVE:
        finish = form("finish", lambda: FinishForm(auto_id="id_finish_%s"))
    names = {u.pk: u.name for u in units}
    context = {
        "op": op,
        "units": units,
        "cases": [(c, c.pk in visible) for c in cases],
        "history": _history(selectors.history(op), unit_names=names),
        "add_unit_form": add_unit,
        "link_case_form": link_case,
        "finish_form": finish,
        "can_start": lead and op.status == OperationStatus.PLANNED,
        "lead": lead,
        "op_error": error,
    }
    return render(request, "cooperation/operation_detail.html", context, status=status)


@staff_required
@never_cache
def operation_detail(request, operation_id: int):
    return _render_operation(request, _operation_or_404(request.user, operation_id))


@staff_required
@require_POST
@never_cache
def operation_act(request, operation_id: int, action: str):
    user = request.user
    op = _operation_or_404(user, operation_id)
    if action not in OPERATION_ACTIONS:
        raise Http404
    unit_id = _unit_id(profile_of(user))
    form: Any = None
    if action == "add_unit":
        form = AddUnitForm(
            request.POST, units=account_selectors.unit_list(actor=user), auto_id="id_add_unit_%s"
        )
    elif action == "link_case":
        form = LinkCaseForm(
            request.POST, cases=_linkable_cases(user, unit_id), auto_id="id_link_case_%s"
        )
    elif action == "finish":
        form = FinishForm(request.POST, auto_id="id_finish_%s")
    error: DomainError | None = None
    top_error = ""
    if form is None or form.is_valid():
        data = form.cleaned_data if form is not None else {}
        try:
            if action == "add_unit":
                services.operation_add_unit(actor=user, operation=op, unit=data["unit"])
            elif action == "link_case":
                services.operation_link_case(actor=user, operation=op, case=data["case"])
            elif action == "start":
                services.operation_start(actor=user, operation=op)
            else:
                services.operation_finish(
                    actor=user, operation=op, result_summary=data["result_summary"]
                )
        except DomainError as exc:
            error = exc
            if form is not None:
                add_domain_error(form, exc)
            else:
                top_error = str(exc.message)
        else:
            messages.success(request, _("已办理：%(a)s") % {"a": OPERATION_ACTIONS[action]})
            return redirect("workbench:coop-operation", op.pk)
    op = _operation_or_404(user, operation_id)
    return _render_operation(
        request,
        op,
        bound=(action, form) if form is not None else None,
        error=top_error,
        status=error.status if error is not None else 400,
    )


# --- the 协作与移送 panel of a case ---------------------------------------------------------

CASE_ACTIONS = {
    "request": gettext_lazy("发出协办请求"),
    "transfer": gettext_lazy("提出移送"),
    "link_operation": gettext_lazy("纳入联合执法行动"),
    "facts": gettext_lazy("记录涉刑事实"),
    "decide": gettext_lazy("作出移送决定"),
}


@dataclass(frozen=True)
class Evaluation:
    """The thresholds the case's criminal facts reach, with their full legal source."""

    reason: str
    crime: str
    label: str
    legal_source: str


def _yuan(amount: Any) -> str:
    """An amount as the thresholds' reasons write it (62,000.00); "" for none."""
    return "" if amount is None else f"{amount:,.2f}"


@dataclass(frozen=True)
class ThresholdRow:
    crime: str
    label: str
    legal_source: str
    volume: str
    gains: str


def _facts_initial(facts: Any) -> dict[str, Any]:
    if facts is None:
        return {"marks_count": 1, "mark_use": MarkUse.GOODS}
    return {
        "illegal_business_volume": facts.illegal_business_volume,
        "illegal_gains": facts.illegal_gains,
        "marks_count": facts.marks_count,
        "mark_use": facts.mark_use,
        "prior_punishment": facts.prior_punishment,
        "note": facts.note,
    }


def _case_form(name: str, user: Any, case: Case, data: Any = None) -> Any:
    auto_id = f"id_coop_{name}_%s"
    profile = profile_of(user)
    directory = account_selectors.unit_list(actor=user).exclude(pk=_unit_id(profile))
    if name == "request":
        return AssistanceForm(data, units=directory, auto_id=auto_id)
    if name == "transfer":
        return TransferForm(data, units=directory.exclude(kind=UnitKind.POLICE), auto_id=auto_id)
    if name == "link_operation":
        return OperationLinkForm(data, operations=_joinable_operations(user, case), auto_id=auto_id)
    if name == "facts":
        initial = _facts_initial(selectors.criminal_facts_of(case))
        return FactsForm(data, initial=initial, auto_id=auto_id)
    if name == "decide":
        police = account_selectors.unit_list(actor=user, kind=UnitKind.POLICE)
        initial = {"police_unit": services.police_unit_for(case)}
        return ReferralForm(data, police=police, initial=initial, auto_id=auto_id)
    raise Http404


def _joinable_operations(user: Any, case: Case) -> Any:
    unit_id = _unit_id(profile_of(user))
    if unit_id is None:
        return JointOperation.objects.none()
    return (
        selectors.operation_list(actor=user)
        .filter(units=unit_id)
        .exclude(status=OperationStatus.FINISHED)
        .exclude(cases=case)
        .order_by("-starts_on", "-id")
    )


def case_cooperation(
    request: Any, case: Case, *, bound: tuple[str, Any] | None = None
) -> dict[str, Any]:
    """The context of the 协作与移送 panel (and the referral banner) on a case page."""
    user = request.user
    profile = profile_of(user)
    unit_id = _unit_id(profile)
    owner = unit_id is not None and unit_id == case.unit_id
    is_open = case.status not in FINAL
    can_handle = owner and _writer(profile) and is_open
    can_decide = owner and _leader(profile) and is_open

    facts = selectors.criminal_facts_of(case)
    rows = {row.key: row for row in selectors.threshold_list(active_only=True)}
    evaluation = []
    for hit in thresholds.reached(case, facts):
        row = rows.get(hit.key)
        evaluation.append(
            Evaluation(
                reason=hit.reason,
                crime=row.crime if row else "",
                label=row.label if row else "",
                legal_source=row.legal_source if row else "",
            )
        )
    decisions = list(selectors.referral_decisions(case).order_by("decided_at", "id"))
    criminal = [d.transfer for d in decisions if d.transfer is not None]
    awaiting = next((t for t in criminal if t.status == TransferStatus.PROPOSED), None)
    referred = awaiting or next((t for t in criminal if t.status == TransferStatus.ACCEPTED), None)
    blocks = thresholds.referral_blocks_close(case)
    package_decision = next((d for d in reversed(decisions) if d.refer and d.package), None)

    def form(name: str) -> Any:
        if bound and bound[0] == name:
            return bound[1]
        return _case_form(name, user, case)

    requests = selectors.assistance_request_list(actor=user, case_id=case.pk)
    transfers = selectors.transfer_list(actor=user, case_id=case.pk, kind=TransferKind.UNIT)
    open_transfer = next((t for t in transfers if t.status == TransferStatus.PROPOSED), None)
    forms_ = {}
    if can_handle:
        forms_["request"] = form("request")
        if open_transfer is None and awaiting is None:
            forms_["transfer"] = form("transfer")
        forms_["facts"] = form("facts")
        if _joinable_operations(user, case).exists():
            forms_["link_operation"] = form("link_operation")
    if can_decide and referred is None:
        forms_["decide"] = form("decide")
    if bound and bound[0] not in forms_:
        forms_[bound[0]] = bound[1]  # a refused form stays on the page, with its error and input
    police_default = forms_["decide"].initial.get("police_unit") if "decide" in forms_ else None

    return {
        "coop": {
            "owner": owner,
            "shared_only": unit_id is not None and not owner,
            "can_handle": can_handle,
            "requests": requests,
            "transfers": transfers,
            "open_transfer": open_transfer,
            "operations": selectors.operation_list(actor=user).filter(cases=case),
            "forms": forms_,
            "open": bound[0] if bound else "",
            "urls": {
                name: reverse("workbench:case-cooperate", args=[case.pk, name])
                for name in CASE_ACTIONS
            },
            "facts": facts,
            "evaluation": evaluation,
            "flagged": bool(evaluation) and blocks is not None and awaiting is None,
            "awaiting": awaiting,
            "referred": referred,
            "decisions": decisions,
            "blocks": blocks,
            "police_default": police_default,
            "package_decision": package_decision,
            "volume": _yuan(facts.illegal_business_volume) if facts else "",
            "gains": _yuan(facts.illegal_gains) if facts else "",
            "thresholds": [
                ThresholdRow(
                    crime=row.crime,
                    label=row.label,
                    legal_source=row.legal_source,
                    volume=_yuan(row.business_volume_min),
                    gains=_yuan(row.illegal_gains_min),
                )
                for row in rows.values()
            ],
        }
    }


def _run_case_action(name: str, user: Any, case: Case, data: dict[str, Any]) -> str:
    """Call the one service behind ``name``; returns the anchor to go back to."""
    if name == "request":
        services.assistance_request_send(
            actor=user,
            case=case,
            to_unit=data["to_unit"],
            asked=data["asked"],
            due_on=data["due_on"],
        )
        return "coop-requests"
    if name == "transfer":
        services.transfer_propose(
            actor=user, case=case, to_unit=data["to_unit"], reason=data["reason"]
        )
        return "coop-transfers"
    if name == "link_operation":
        services.operation_link_case(actor=user, operation=data["operation"], case=case)
        return "coop-operations"
    if name == "facts":
        services.criminal_facts_set(
            actor=user,
            case=case,
            illegal_business_volume=data["illegal_business_volume"],
            illegal_gains=data["illegal_gains"],
            marks_count=data["marks_count"],
            mark_use=data["mark_use"],
            prior_punishment=data["prior_punishment"],
            note=data["note"],
        )
        return "coop-referral"
    services.referral_decide(
        actor=user,
        case=case,
        refer=data["refer"] == "yes",
        reason=data["reason"],
        police_unit=data["police_unit"],
    )
    return "coop-referral"


@staff_required
@require_POST
@never_cache
def case_cooperate(request, case_id: int, action: str):
    case = case_views.case_or_404(request.user, case_id)
    if action not in CASE_ACTIONS:
        raise Http404
    form = _case_form(action, request.user, case, request.POST)
    error: DomainError | None = None
    if form.is_valid():
        try:
            anchor = _run_case_action(action, request.user, case, form.cleaned_data)
        except DomainError as exc:
            error = exc
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已办理：%(a)s") % {"a": CASE_ACTIONS[action]})
            return redirect(reverse("workbench:case-detail", args=[case.pk]) + f"#{anchor}")
    case = case_views.case_or_404(request.user, case_id)  # as the service left it
    context = case_views.case_page_context(request, case)
    context.update(case_cooperation(request, case, bound=(action, form)))
    status = error.status if error is not None else 400
    return render(request, "cases/detail.html", context, status=status)


@staff_required
@never_cache
def referral_package(request, case_id: int):
    """The transfer package handed to the police, exactly as frozen with the referral decision
    (its SHA-256 is the one recorded with the decision); 404 before a referral."""
    case = selectors.referral_case_get(actor=request.user, case_id=case_id)
    if case is None:
        raise Http404(_("找不到该案件，或您无权查看。"))
    decision = next(
        (
            d
            for d in selectors.referral_decisions(case).order_by("-decided_at", "-id")
            if d.refer and d.package
        ),
        None,
    )
    if decision is None:
        raise Http404(_("该案件尚未移送公安机关，没有移送材料包。"))
    body = selectors.package_bytes(decision.package)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="referral-{case.number}.json"'
    response["X-Content-SHA256"] = decision.package_sha256
    return response
