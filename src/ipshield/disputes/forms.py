"""The forms of the dispute pages: the online application and one small form per action.

Forms check shapes only (a choice among those offered, a date); the rules are the services'
(a refusal comes back as a coded ``DomainError`` shown next to the field it names with
``common.forms.add_domain_error``). Claims and respondents are rows of repeated inputs
(``claim_text``/``claim_amount``, ``respondent_name``/…), read by :func:`rows_of`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ipshield.accounts.models import Region, RegionLevel
from ipshield.disputes import queries
from ipshield.disputes.models import Organisation
from ipshield.disputes.workflow import Action
from ipshield.registry.models import RightKind

CLAIM_ROWS = 5
RESPONDENT_ROWS = 3
MAX_ATTACHMENTS = 10
CLAIM_FIELDS = ("text", "amount")
CHOOSE = _("— 请选择 —")
RESPONDENT_FIELDS = ("name", "phone", "address")


class OrganisationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return _("%(name)s（%(kind)s）") % {"name": obj.unit.name, "kind": obj.get_kind_display()}


class ApplyForm(forms.Form):
    organisation = OrganisationChoice(
        label=_("调解组织"),
        queryset=Organisation.objects.none(),
        empty_label=CHOOSE,
        help_text=_("只列出接受网上申请的调解组织。"),
    )
    right_kind = forms.ChoiceField(label=_("权利类型"), choices=[("", CHOOSE), *RightKind.choices])
    region = forms.ModelChoiceField(
        label=_("纠纷发生地"),
        queryset=Region.objects.none(),
        empty_label=CHOOSE,
        required=False,
        help_text=_("不选则为调解组织所在地。"),
    )
    title = forms.CharField(label=_("纠纷事由"), max_length=200)
    facts = forms.CharField(label=_("事实和理由"), widget=forms.Textarea(attrs={"rows": 6}))
    industry = forms.CharField(label=_("行业"), max_length=64, required=False)
    rights_text = forms.CharField(
        label=_("涉及的权利"),
        max_length=500,
        required=False,
        help_text=_("例如注册商标第 12345678 号、专利号。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = queries.online_organisations()
        self.fields["region"].queryset = Region.objects.filter(
            level__in=[RegionLevel.COUNTY, RegionLevel.CITY]
        ).order_by("code")


def rows_of(data: Any, prefix: str, names: tuple[str, ...], count: int) -> list[dict[str, str]]:
    """The repeated inputs ``<prefix>_<name>`` as up to ``count`` rows; empty rows are kept so
    that the page shows what was typed where it was typed."""
    columns = {name: data.getlist(f"{prefix}_{name}")[:count] for name in names}
    length = max((len(values) for values in columns.values()), default=0)
    rows = []
    for i in range(length):
        rows.append(
            {
                name: str(columns[name][i]).strip() if i < len(columns[name]) else ""
                for name in names
            }
        )
    return rows


def filled(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    return [row for row in rows if any(row.values())]


def padded(rows: list[dict[str, str]], names: tuple[str, ...], count: int) -> list[dict[str, str]]:
    rows = list(rows)[:count]
    while len(rows) < count:
        rows.append(dict.fromkeys(names, ""))
    return rows


# --- actions ----------------------------------------------------------------------------------


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ConsentForm(ReasonForm):
    party_id = forms.IntegerField(
        label=_("被申请人"), required=False, min_value=1, max_value=2**31 - 1
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("说明"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class EmptyForm(forms.Form):
    pass


class MediatorChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        load = f"{obj.active_count}/{obj.max_load}"
        if obj.available:
            return _("%(name)s（在办 %(load)s）") % {"name": obj.name, "load": load}
        return _("%(name)s（在办 %(load)s，暂停指派）") % {"name": obj.name, "load": load}


class AssignForm(forms.Form):
    mediator = MediatorChoice(
        label=_("调解员"), queryset=queries.Mediator.objects.none(), empty_label=CHOOSE
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mediator"].queryset = queries.mediators_of(organisation)


class ExtendForm(forms.Form):
    until = forms.DateField(label=_("延长至"), widget=forms.DateInput(attrs={"type": "date"}))
    parties_agree = forms.BooleanField(label=_("各方当事人均同意延长"), required=False)


class ConfirmationApplyForm(forms.Form):
    court = forms.ModelChoiceField(
        label=_("人民法院"), queryset=queries.courts(), required=False, empty_label=CHOOSE
    )
    concerns_ownership = forms.BooleanField(
        label=_("协议内容涉及知识产权的权属或效力"),
        required=False,
        help_text=_("涉及确权的调解协议不能申请司法确认。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["court"].queryset = queries.courts()


class ApprovalForm(forms.Form):
    approval = forms.CharField(
        label=_("院长批准情况"), max_length=500, required=False, widget=forms.TextInput()
    )


class RulingForm(forms.Form):
    ruling_number = forms.CharField(label=_("裁定书案号"), max_length=64, required=False)
    ruling_text = forms.CharField(
        label=_("裁定内容"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CommissionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.unit.name


class ReferForm(forms.Form):
    commission = CommissionChoice(
        label=_("仲裁委员会"), queryset=Organisation.objects.none(), empty_label=CHOOSE
    )
    clause = forms.CharField(
        label=_("仲裁协议或仲裁条款"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commission"].queryset = queries.commissions()


class AwardForm(forms.Form):
    award_number = forms.CharField(label=_("裁决书编号"), max_length=64, required=False)
    award_summary = forms.CharField(
        label=_("裁决结果"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    award_on = forms.DateField(label=_("裁决日期"), widget=forms.DateInput(attrs={"type": "date"}))


# --- the online part of mediation: sessions, the message board, the agreement and signing


class SessionForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("开始时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("结束时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(
        label=_("地点"), max_length=200, required=False, help_text=_("不填则为调解组织的调解场所。")
    )
    video = forms.BooleanField(
        label=_("视频调解"), required=False, help_text=_("使用调解组织登记的视频会议室链接。")
    )


class SessionChoice(forms.TypedChoiceField):
    """One of the dispute's scheduled sessions (choices set by :func:`action_form`)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(label=_("调解会议"), coerce=int, choices=[], **kwargs)


class SessionRecordForm(forms.Form):
    session_id = SessionChoice()
    attendees = forms.CharField(label=_("参加人员"), max_length=500)
    record = forms.CharField(label=_("调解笔录"), widget=forms.Textarea(attrs={"rows": 6}))


class SessionCancelForm(forms.Form):
    session_id = SessionChoice()
    reason = forms.CharField(label=_("理由"), max_length=500, required=False)


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("留言"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    caucus_party_id = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    upload = forms.FileField(label=_("附件（可选）"), required=False)


class AgreementForm(forms.Form):
    text = forms.CharField(
        label=_("协议内容"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("不填则按模板生成；模板中“〔请填写……〕”处须填写后才能签署。"),
    )
    performance_due_on = forms.DateField(
        label=_("履行期限"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class SignForm(forms.Form):
    code = forms.CharField(label=_("验证码"), max_length=12)


class PaperSignForm(forms.Form):
    signer = forms.TypedChoiceField(label=_("签署的当事人"), coerce=int, choices=[])
    note = forms.CharField(
        label=_("签署情况"),
        max_length=500,
        help_text=_("例如：当事人当面在纸质协议书上签名并按指印。"),
    )


class PartyContactForm(forms.Form):
    contact_party = forms.TypedChoiceField(label=_("当事人"), coerce=int, choices=[])
    phone = forms.CharField(
        label=_("联系电话"),
        max_length=32,
        help_text=_("有平台账号的当事人登记后可以在网上表示同意、留言和签署。"),
    )


ONLINE_FORMS: dict[str, type[forms.Form]] = {
    "party_contact": PartyContactForm,
    "schedule": SessionForm,
    "record_session": SessionRecordForm,
    "cancel_session": SessionCancelForm,
    "post_message": MessageForm,
    "draft_agreement": AgreementForm,
    "send_code": EmptyForm,
    "sign": SignForm,
    "sign_on_paper": PaperSignForm,
}
ONLINE_LABELS = {
    "party_contact": _("登记当事人联系电话"),
    "schedule": _("安排调解会议"),
    "record_session": _("记录调解笔录"),
    "cancel_session": _("取消调解会议"),
    "post_message": _("留言"),
    "draft_agreement": _("拟定或修改调解协议"),
    "send_code": _("获取签署验证码"),
    "sign": _("签署调解协议"),
    "sign_on_paper": _("记录书面签署"),
}


# The form of each action offered on the dispute page (``agree`` comes from the signatures).
ACTION_FORMS: dict[str, type[forms.Form]] = {
    Action.ACCEPT: EmptyForm,
    Action.DECLINE: ReasonForm,
    Action.CONSENT: ConsentForm,
    Action.REFUSE: ConsentForm,
    Action.ASSIGN: AssignForm,
    Action.RECUSE: ReasonForm,
    Action.FAIL: ReasonForm,
    Action.WITHDRAW: ReasonForm,
    Action.EXTEND: ExtendForm,
    Action.APPLY_CONFIRMATION: ConfirmationApplyForm,
    Action.ACCEPT_CONFIRMATION: EmptyForm,
    Action.EXTEND_CONFIRMATION: ApprovalForm,
    Action.CONFIRM: RulingForm,
    Action.REJECT_CONFIRMATION: RulingForm,
    Action.REFER_ARBITRATION: ReferForm,
    Action.RECORD_AWARD: AwardForm,
    Action.PERFORMED: NoteForm,
    Action.NOT_PERFORMED: NoteForm,
    **ONLINE_FORMS,
}


def action_label(action: str) -> str:
    return str(ONLINE_LABELS[action]) if action in ONLINE_LABELS else str(Action(action).label)


def _dispute_choices(form: forms.Form, dispute: Any) -> None:
    from django.utils import timezone

    from ipshield.disputes.models import SessionStatus

    if "session_id" in form.fields:
        scheduled = dispute.sessions.filter(status=SessionStatus.SCHEDULED).order_by("starts_at")
        form.fields["session_id"].choices = [
            (s.pk, timezone.localtime(s.starts_at).strftime("%Y-%m-%d %H:%M")) for s in scheduled
        ]
    if isinstance(form, PartyContactForm):
        form.fields["contact_party"].choices = [
            (p.pk, f"{p.get_side_display()}：{p.name}")
            for p in dispute.parties.filter(user__isnull=True)
        ]
    if isinstance(form, PaperSignForm):
        form.fields["signer"].choices = [
            (p.pk, f"{p.get_side_display()}：{p.name}")
            for p in dispute.parties.filter(user__isnull=True)
        ]


def action_form(action: str, dispute: Any, data: Any = None, files: Any = None) -> forms.Form:
    cls = ACTION_FORMS[action]
    kwargs: dict[str, Any] = {"auto_id": f"id_{action}_%s", "prefix": None}
    if cls is AssignForm:
        kwargs["organisation"] = dispute.organisation
    if cls is AgreementForm and data is None:
        from ipshield.disputes.models import Agreement

        current = Agreement.objects.filter(dispute=dispute).first()
        kwargs["initial"] = {
            "text": current.text if current else "",
            "performance_due_on": current.performance_due_on if current else None,
        }
    form = cls(data, files, **kwargs)
    _dispute_choices(form, dispute)
    return form
