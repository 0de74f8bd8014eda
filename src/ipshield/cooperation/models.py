"""Cooperation between units: assistance requests (案件协办), joint enforcement (联合执法),
transfers (案件移送) and criminal referral (两法衔接) with its prosecution thresholds."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ipshield.accounts.models import Unit
from ipshield.cases.models import Case
from ipshield.common.models import AppendOnlyModel, TimeStampedModel
from ipshield.cooperation.workflow import (
    AssistanceStatus,
    OperationStatus,
    TransferKind,
    TransferStatus,
)


class AssistanceRequest(TimeStampedModel):
    """A unit asks another unit to help with part of a case (案件协办). The receiving unit
    acknowledges it, then replies or declines with a reason."""

    case = models.ForeignKey(
        Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="assistance_requests"
    )
    from_unit = models.ForeignKey(
        Unit,
        verbose_name=_("请求单位"),
        on_delete=models.PROTECT,
        related_name="assistance_requests_sent",
    )
    to_unit = models.ForeignKey(
        Unit,
        verbose_name=_("协办单位"),
        on_delete=models.PROTECT,
        related_name="assistance_requests_received",
    )
    asked = models.TextField(_("协办事项"))
    due_on = models.DateField(_("办理期限"))
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=AssistanceStatus.choices,
        default=AssistanceStatus.SENT,
        db_index=True,
    )
    reply = models.TextField(_("回复内容"), blank=True)
    decline_reason = models.TextField(_("拒绝理由"), blank=True)
    receipt_reference = models.CharField(
        _("回执/文号"),
        max_length=100,
        blank=True,
        help_text=_("对方为外部单位时，由请求单位据其书面回执代为登记。"),
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("发出时间"))
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("协办请求")
        verbose_name_plural = _("协办请求")
        ordering = ["-sent_at", "-id"]
        indexes = [
            models.Index(fields=["from_unit", "status"]),
            models.Index(fields=["to_unit", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_unit=F("to_unit")), name="assistance_not_to_self"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case.number} → {self.to_unit}"


class Transfer(TimeStampedModel):
    """Handing a case to another unit (案件移送), or a suspected crime to the police (两法衔接).

    Accepting an ordinary transfer makes the receiver the case's unit and leaves the sender a
    read share; accepting a criminal referral is the police's acknowledgement of receipt and
    leaves the case with the administrative unit.
    """

    case = models.ForeignKey(
        Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="transfers"
    )
    kind = models.CharField(
        _("移送类型"), max_length=16, choices=TransferKind.choices, default=TransferKind.UNIT
    )
    from_unit = models.ForeignKey(
        Unit, verbose_name=_("移送单位"), on_delete=models.PROTECT, related_name="transfers_sent"
    )
    to_unit = models.ForeignKey(
        Unit,
        verbose_name=_("接收单位"),
        on_delete=models.PROTECT,
        related_name="transfers_received",
    )
    reason = models.TextField(_("移送理由"))
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=TransferStatus.choices,
        default=TransferStatus.PROPOSED,
        db_index=True,
    )
    answer_note = models.TextField(_("接收意见/拒收理由"), blank=True)
    receipt_reference = models.CharField(_("回执/文号"), max_length=100, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("移送时间"))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("案件移送")
        verbose_name_plural = _("案件移送")
        ordering = ["-proposed_at", "-id"]
        indexes = [
            models.Index(fields=["from_unit", "status"]),
            models.Index(fields=["to_unit", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_unit=F("to_unit")), name="transfer_not_to_self"
            ),
            # One open transfer per case: the case cannot be offered to two units at once.
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status="proposed"),
                name="one_open_transfer_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.number} {self.from_unit} → {self.to_unit}"


class JointOperation(TimeStampedModel):
    """联合执法: an operation the lead unit runs with participating units; the cases linked to
    it are shared with every participating unit."""

    name = models.CharField(_("行动名称"), max_length=200)
    lead_unit = models.ForeignKey(
        Unit, verbose_name=_("牵头单位"), on_delete=models.PROTECT, related_name="led_operations"
    )
    units = models.ManyToManyField(
        Unit, verbose_name=_("参与单位"), related_name="joint_operations", blank=True
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    area = models.CharField(_("行动区域"), max_length=200)
    description = models.TextField(_("行动内容"), blank=True)
    cases = models.ManyToManyField(
        Case, verbose_name=_("关联案件"), related_name="joint_operations", blank=True
    )
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=OperationStatus.choices,
        default=OperationStatus.PLANNED,
        db_index=True,
    )
    result_summary = models.TextField(_("行动结果"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("启动时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("联合执法行动")
        verbose_name_plural = _("联合执法行动")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="operation_period_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.name


class MarkUse(models.TextChoices):
    GOODS = "goods", _("商品")
    SERVICES = "services", _("服务")


class ThresholdScope(models.TextChoices):
    GOODS = "goods", _("商品")
    SERVICES = "services", _("服务")
    ANY = "any", _("商品或服务")


class ProsecutionThreshold(models.Model):
    """刑事追诉标准: one situation in which a case reaches the criminal threshold.

    A row applies to a case when the facts match its conditions (marks counterfeited, goods or
    services, a prior punishment); it is reached when the illegal business volume or the illegal
    gains are at least the row's figure (either suffices; a blank figure does not count).
    Defaults and their legal source come from migration 0002; administrators edit them.
    """

    key = models.SlugField(_("代码"), max_length=60, unique=True)
    crime = models.CharField(_("罪名"), max_length=64)
    label = models.CharField(_("情形"), max_length=200)
    applies_to = models.CharField(
        _("适用于"), max_length=16, choices=ThresholdScope.choices, default=ThresholdScope.ANY
    )
    min_marks = models.PositiveSmallIntegerField(_("假冒商标种数不少于"), default=1)
    requires_prior_punishment = models.BooleanField(
        _("须二年内受过刑事处罚或行政处罚"), default=False
    )
    business_volume_min = models.DecimalField(
        _("非法经营数额不少于（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    illegal_gains_min = models.DecimalField(
        _("违法所得数额不少于（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    legal_source = models.TextField(_("依据"))
    active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("刑事追诉标准")
        verbose_name_plural = _("刑事追诉标准")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.crime}：{self.label}"

    def clean(self) -> None:
        if self.business_volume_min is None and self.illegal_gains_min is None:
            raise ValidationError(_("请至少填写非法经营数额或违法所得数额之一。"))


class CaseCriminalFacts(models.Model):
    """What the case established that the prosecution thresholds look at."""

    case = models.OneToOneField(
        Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="criminal_facts"
    )
    illegal_business_volume = models.DecimalField(
        _("非法经营数额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    illegal_gains = models.DecimalField(
        _("违法所得数额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    marks_count = models.PositiveSmallIntegerField(_("假冒注册商标种数"), default=1)
    mark_use = models.CharField(
        _("使用于"), max_length=16, choices=MarkUse.choices, default=MarkUse.GOODS
    )
    prior_punishment = models.BooleanField(
        _("二年内曾因假冒注册商标等行为受过刑事处罚或行政处罚"), default=False
    )
    note = models.TextField(_("计算说明"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = _("涉刑事实")
        verbose_name_plural = _("涉刑事实")

    def __str__(self) -> str:
        return f"criminal facts of case {self.case_id}"


class ReferralDecision(AppendOnlyModel):
    """The unit head's decision whether to refer a case to the police (written once).

    A referral carries the transfer to the police and the frozen transfer package (and its
    SHA-256) exactly as it was handed over.
    """

    case = models.ForeignKey(
        Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="referral_decisions"
    )
    refer = models.BooleanField(_("移送公安机关"))
    reason = models.TextField(_("理由"))
    reasons = models.JSONField(_("达到的追诉标准"), default=list, blank=True)
    facts = models.JSONField(_("决定时的涉刑事实"), default=dict, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("决定时间"))
    transfer = models.OneToOneField(
        Transfer,
        verbose_name=_("移送"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referral_decision",
    )
    package = models.JSONField(_("移送材料包"), default=dict, blank=True)
    package_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("两法衔接决定")
        verbose_name_plural = _("两法衔接决定")
        ordering = ["case_id", "decided_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {'refer' if self.refer else 'keep'}"


class CooperationVerb(models.TextChoices):
    """The closed list of what the cooperation history can say. Add a member and a function in
    ``cooperation/events.py``."""

    REQUEST_SENT = "request.sent", _("发出协办请求")
    REQUEST_ACKNOWLEDGED = "request.acknowledged", _("签收协办请求")
    REQUEST_REPLIED = "request.replied", _("回复协办请求")
    REQUEST_DECLINED = "request.declined", _("拒绝协办")
    TRANSFER_PROPOSED = "transfer.proposed", _("提出移送")
    TRANSFER_ACCEPTED = "transfer.accepted", _("接收移送")
    TRANSFER_REFUSED = "transfer.refused", _("拒收移送")
    TRANSFER_WITHDRAWN = "transfer.withdrawn", _("撤回移送")
    OPERATION_CREATED = "operation.created", _("创建联合执法行动")
    OPERATION_UNIT_ADDED = "operation.unit_added", _("增加参与单位")
    OPERATION_CASE_LINKED = "operation.case_linked", _("关联案件")
    OPERATION_STARTED = "operation.started", _("启动联合执法行动")
    OPERATION_FINISHED = "operation.finished", _("结束联合执法行动")
    FACTS_RECORDED = "referral.facts_recorded", _("记录涉刑事实")
    REFERRAL_DECIDED = "referral.decided", _("作出是否移送公安机关的决定")
    THRESHOLD_CHANGED = "threshold.changed", _("修改刑事追诉标准")


class CooperationEvent(AppendOnlyModel):
    """One entry of the history both sides of a request, transfer or operation see."""

    verb = models.CharField(_("事项"), max_length=40, choices=CooperationVerb.choices)
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="cooperation_events"
    )
    assistance_request = models.ForeignKey(
        AssistanceRequest,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    transfer = models.ForeignKey(
        Transfer, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    operation = models.ForeignKey(
        JointOperation, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("时间"))
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("协作记录")
        verbose_name_plural = _("协作记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_verb_display()} {self.at:%Y-%m-%d %H:%M}"
