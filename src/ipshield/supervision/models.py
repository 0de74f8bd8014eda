"""Supervision of implementation plans (督办): a plan's measures, who answers for each
(assignments), their progress reports, reminders and supervision notices (督办单).

Statuses (the traffic lights) are computed from these rows by ``supervision.status``; nothing
here stores them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ipshield.accounts.models import LeadingGroup, Region, Unit
from ipshield.common.models import TimeStampedModel


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("实施中")
    CLOSED = "closed", _("已结束")


class PlanKind(models.TextChoices):
    PLAN = "plan", _("实施方案")
    DECISIONS = "decisions", _("会议议定事项")  # one per leading group: its meetings' decisions


class Cycle(models.TextChoices):
    """How often an assignment reports (for ongoing measures: the only due date they have)."""

    MONTH = "month", _("每月")
    QUARTER = "quarter", _("每季度")
    HALF = "half", _("每半年")
    YEAR = "year", _("每年")


class DueKind(models.TextChoices):
    DATE = "date", _("限期完成")
    ONGOING = "ongoing", _("长期坚持")
    UNKNOWN = "unknown", _("未定期限")


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("牵头")
    SUPPORTING = "supporting", _("配合")
    RESPONSIBLE = "responsible", _("责任")  # the plan makes no lead/supporting split


def default_reminder_days() -> list[int]:
    return [30, 7, 3]


def default_escalation_days() -> list[int]:
    return [1, 15, 30]


class Plan(TimeStampedModel):
    """An implementation plan (实施方案) steered by a leading group, run by its office."""

    title = models.CharField(_("方案名称"), max_length=200)
    kind = models.CharField(
        _("类别"), max_length=16, choices=PlanKind.choices, default=PlanKind.PLAN
    )
    year = models.PositiveSmallIntegerField(_("印发年份"), null=True, blank=True)
    leading_group = models.ForeignKey(
        LeadingGroup,
        verbose_name=_("领导组"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
    )
    office_unit = models.ForeignKey(
        Unit, verbose_name=_("牵头办公室"), on_delete=models.PROTECT, related_name="office_plans"
    )
    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT)
    status = models.CharField(
        _("状态"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    report_cycle = models.CharField(
        _("报送周期"), max_length=16, choices=Cycle.choices, default=Cycle.QUARTER
    )
    reminder_days = models.JSONField(_("到期前提醒（天）"), default=default_reminder_days)
    escalation_days = models.JSONField(_("逾期督办（逾期天数）"), default=default_escalation_days)
    closed_through = models.DateField(_("已关闭的报送期截至"), null=True, blank=True)
    source_name = models.CharField(_("原文件"), max_length=255, blank=True)
    source_text = models.TextField(_("原文"), blank=True)
    unread_text = models.JSONField(_("未能识别的文字"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("实施方案")
        verbose_name_plural = _("实施方案")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["leading_group"],
                condition=Q(kind="decisions"),
                name="one_decisions_plan_per_group",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Measure(models.Model):
    """A numbered item of a plan that carries work (the items under the section headings)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="measures")
    order = models.PositiveSmallIntegerField(_("序号"))
    number = models.CharField(_("编号"), max_length=16)
    section = models.CharField(_("所属部分"), max_length=200, blank=True)
    title = models.CharField(_("任务"), max_length=300)
    text = models.TextField(_("内容"), blank=True)
    deadline_printed = models.CharField(_("完成时限（原文）"), max_length=100, blank=True)
    due_kind = models.CharField(
        _("期限类型"), max_length=16, choices=DueKind.choices, default=DueKind.UNKNOWN
    )
    due_on = models.DateField(_("完成期限"), null=True, blank=True)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    done_note = models.CharField(_("完成说明"), max_length=500, blank=True)
    meeting = models.ForeignKey(
        "Meeting",
        verbose_name=_("议定会议"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )

    class Meta:
        verbose_name = _("任务措施")
        verbose_name_plural = _("任务措施")
        ordering = ["plan_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "order"], name="uniq_measure_order"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class Assignment(models.Model):
    """A unit answering for a measure, as lead or supporting unit, by a date or on a cycle."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(
        Unit, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField(
        _("分工"), max_length=16, choices=AssignmentRole.choices, default=AssignmentRole.RESPONSIBLE
    )
    printed_name = models.CharField(_("方案所写名称"), max_length=100, blank=True)
    due_on = models.DateField(_("完成期限"), null=True, blank=True)
    cycle = models.CharField(_("报送周期"), max_length=16, choices=Cycle.choices, blank=True)
    starts_on = models.DateField(_("起始日期"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("责任分工")
        verbose_name_plural = _("责任分工")
        ordering = ["measure_id", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "unit"], name="uniq_assignment_unit"),
        ]
        indexes = [models.Index(fields=["unit", "done_on"], name="assignment_unit_done")]

    def __str__(self) -> str:
        return f"{self.measure} · {self.unit}"


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    ACCEPTED = "accepted", _("已采纳")
    RETURNED = "returned", _("已退回")


class ProgressReport(models.Model):
    """A unit's report on one assignment for one period (a month, quarter, half or year)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="reports")
    period = models.CharField(_("报送期"), max_length=8)  # 2026-11, 2026-Q4, 2026-H2, 2026
    period_start = models.DateField(_("报送期起"))
    period_end = models.DateField(_("报送期止"))
    narrative = models.TextField(_("进展情况"))
    milestones = models.TextField(_("完成的节点"), blank=True)
    share_done = models.PositiveSmallIntegerField(_("完成比例（%）"), null=True, blank=True)
    completes = models.BooleanField(_("报告已完成"), default=False)
    status = models.CharField(
        _("状态"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("报送时间"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_note = models.CharField(_("审核意见"), max_length=500, blank=True)
    attachments = models.ManyToManyField(
        "evidence.EvidenceItem", verbose_name=_("附件"), blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "period"],
                condition=~Q(status="returned"),
                name="uniq_report_period",
            ),
            models.CheckConstraint(
                condition=Q(share_done__isnull=True) | Q(share_done__lte=100),
                name="report_share_range",
            ),
        ]
        indexes = [
            models.Index(fields=["assignment", "-period_end"], name="report_assignment_end"),
            models.Index(fields=["status", "submitted_at"], name="report_status_at"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment} {self.period}"


class Reminder(models.Model):
    """A reminder sent before a due date (kept so that it is sent once)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reminders")
    due_on = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField()

    class Meta:
        verbose_name = _("到期提醒")
        verbose_name_plural = _("到期提醒")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "due_on", "days_before"], name="uniq_reminder"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment} {self.due_on} -{self.days_before}"


class SupervisionNotice(models.Model):
    """督办单: an overdue assignment's notice, numbered per office and year, in three levels —
    to the unit's leaders, then also to the unit's leading-group member, then also to the
    group's leader, deputies and office."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, related_name="supervision_notices"
    )
    level = models.PositiveSmallIntegerField(_("督办级别"))
    number = models.CharField(_("督办单编号"), max_length=64, unique=True)
    due_on = models.DateField(_("逾期的期限"))
    days_overdue = models.PositiveIntegerField(_("逾期天数"))
    issued_at = models.DateTimeField(_("发出时间"))
    recipients = models.JSONField(_("送达人员"), default=list)

    class Meta:
        verbose_name = _("督办单")
        verbose_name_plural = _("督办单")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "due_on", "level"], name="uniq_supervision_notice"
            )
        ]

    def __str__(self) -> str:
        return self.number


class Meeting(models.Model):
    """A leading group's meeting (专题会议): agenda, attendance, minutes; its decisions become
    measures of the group's decisions plan, supervised like any plan's."""

    group = models.ForeignKey(
        LeadingGroup, verbose_name=_("领导组"), on_delete=models.PROTECT, related_name="meetings"
    )
    title = models.CharField(_("会议名称"), max_length=200)
    held_on = models.DateField(_("召开日期"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    agenda = models.TextField(_("议题"))
    minutes = models.TextField(_("会议纪要"), blank=True)
    attendees = models.ManyToManyField(
        "accounts.LeadingGroupMember", verbose_name=_("出席人员"), blank=True, related_name="+"
    )
    attachments = models.ManyToManyField(
        "evidence.EvidenceItem", verbose_name=_("附件"), blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("记录时间"))

    class Meta:
        verbose_name = _("领导组会议")
        verbose_name_plural = _("领导组会议")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class IncidentReport(models.Model):
    """A major-incident report (重大事件报告) by a unit to the leading group, acknowledged by
    its office."""

    group = models.ForeignKey(
        LeadingGroup, verbose_name=_("领导组"), on_delete=models.PROTECT, related_name="incidents"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("报告单位"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("事件名称"), max_length=200)
    occurred_on = models.DateField(_("发生日期"))
    description = models.TextField(_("事件情况"))
    measures_taken = models.TextField(_("已采取的措施"), blank=True)
    attachments = models.ManyToManyField(
        "evidence.EvidenceItem", verbose_name=_("附件"), blank=True, related_name="+"
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("报告时间"))
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    acknowledgement = models.CharField(_("签收意见"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("重大事件报告")
        verbose_name_plural = _("重大事件报告")
        ordering = ["-reported_at", "-id"]
        indexes = [models.Index(fields=["group", "acknowledged_at"], name="incident_open")]

    def __str__(self) -> str:
        return self.title
