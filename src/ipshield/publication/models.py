"""Publication (公示) of penalty decisions, typical cases (典型案例), file review (案卷评查) and
reporter rewards (举报奖励).

Everything public here is stored already masked (``engines.masking``): a public page can only
show what these rows hold, never the case's own fields.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ipshield.accounts.models import Unit
from ipshield.cases.models import Case
from ipshield.common.models import TimeStampedModel


class PublicationStatus(models.TextChoices):
    PUBLISHED = "published", _("公示中")
    WITHDRAWN = "withdrawn", _("已撤回")
    EXPIRED = "expired", _("公示期满")


class PenaltyKind(models.TextChoices):
    """The kinds of administrative penalty (《行政处罚法》第九条), as far as publication cares."""

    WARNING = "warning", _("警告")
    CRITICISM = "criticism", _("通报批评")
    FINE = "fine", _("罚款")
    CONFISCATION = "confiscation", _("没收违法所得、没收非法财物")
    LICENCE = "licence", _("暂扣许可证件、降低资质等级、吊销许可证件")
    RESTRICTION = "restriction", _("限制开展生产经营活动、责令停产停业、责令关闭、限制从业")
    OTHER = "other", _("其他行政处罚")


def penalty_kind_labels(kinds: Iterable[str]) -> list[str]:
    """The labels of penalty kinds in the active language; an unknown value is shown as is."""
    return [str(PenaltyKind(k).label) if k in PenaltyKind.values else k for k in kinds]


class Publication(TimeStampedModel):
    """One penalty decision on the public portal, masked, for its statutory period."""

    # A case has one publication on the portal at a time; a decision changed on
    # reconsideration or by a court is withdrawn and its changed version published anew.
    case = models.ForeignKey(
        Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="publications"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("作出决定的单位"),
        on_delete=models.PROTECT,
        related_name="publications",
    )
    decision_number = models.CharField(_("决定书文号"), max_length=64, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    summary = models.TextField(_("处罚决定摘要"))
    infringer_name = models.CharField(_("当事人"), max_length=200)
    infringer_name_normalized = models.CharField(max_length=200, db_index=True, editable=False)
    infringer_is_person = models.BooleanField(_("当事人为自然人或个体工商户"), default=False)
    infringer_uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    penalty_kinds = models.JSONField(_("处罚种类"), default=list, blank=True)
    penalty_amount = models.DecimalField(
        _("罚没金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    decided_on = models.DateField(_("决定日期"), db_index=True)
    published_at = models.DateTimeField(_("公示时间"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("公示人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    period_months = models.PositiveSmallIntegerField(_("公示期（月）"))
    period_ends_on = models.DateField(_("公示期满日"), db_index=True)
    period_basis = models.CharField(_("公示期依据"), max_length=300)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=PublicationStatus.choices,
        default=PublicationStatus.PUBLISHED,
        db_index=True,
    )
    revoked_on = models.DateField(_("决定被撤销/变更日期"), null=True, blank=True)
    withdrawal_due_on = models.DateField(_("应撤回期限"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤回人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawal_reason = models.TextField(_("撤回理由"), blank=True)
    expired_at = models.DateTimeField(_("停止公示时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("行政处罚公示")
        verbose_name_plural = _("行政处罚公示")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["status", "period_ends_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status="published"),
                name="publication_one_published_per_case",
            )
        ]

    def __str__(self) -> str:
        return f"{self.decision_number or self.case_id} {self.infringer_name}"

    @property
    def withdrawn_late(self) -> bool:
        if self.withdrawn_at is None or self.withdrawal_due_on is None:
            return False
        return timezone.localdate(self.withdrawn_at) > self.withdrawal_due_on

    def penalty_kind_labels(self) -> list[str]:
        return penalty_kind_labels(k for k in self.penalty_kinds if k in PenaltyKind.values)


class TypicalCase(TimeStampedModel):
    """A closed case that staff write up as an example for the public (典型案例)."""

    case = models.OneToOneField(
        Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="typical_case"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="typical_cases"
    )
    title = models.CharField(_("标题"), max_length=200)
    summary = models.TextField(_("案情与意义"))
    published = models.BooleanField(_("已发布"), default=False, db_index=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    order = models.PositiveIntegerField(_("排序"), default=0, help_text=_("数字小的排在前面。"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("编写人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("典型案例")
        verbose_name_plural = _("典型案例")
        ordering = ["order", "-published_at", "-id"]

    def __str__(self) -> str:
        return self.title


class ReviewChecklist(TimeStampedModel):
    """A scoring standard for file review (案卷评查标准). Administrators edit it; reviews keep
    a copy of each item's title and points, so later edits do not change old scores."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    description = models.TextField(_("说明"), blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("案卷评查标准")
        verbose_name_plural = _("案卷评查标准")
        ordering = ["-active", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def max_points(self) -> Decimal:
        return sum((item.max_points for item in self.items.all()), Decimal(0))


class ReviewItem(models.Model):
    checklist = models.ForeignKey(
        ReviewChecklist, verbose_name=_("评查标准"), on_delete=models.CASCADE, related_name="items"
    )
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    title = models.CharField(_("评查项目"), max_length=100)
    criteria = models.TextField(_("评查要点"), blank=True)
    max_points = models.DecimalField(
        _("分值"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"))],
    )

    class Meta:
        verbose_name = _("评查项目")
        verbose_name_plural = _("评查项目")
        ordering = ["checklist_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "title"], name="uniq_review_item_title")
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.max_points}）"


class FileReview(TimeStampedModel):
    """The scoring of one closed case's file against a checklist."""

    case = models.ForeignKey(
        Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="file_reviews"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("被评查单位"), on_delete=models.PROTECT, related_name="file_reviews"
    )
    checklist = models.ForeignKey(
        ReviewChecklist, verbose_name=_("评查标准"), on_delete=models.PROTECT, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评查人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    total_points = models.DecimalField(_("得分"), max_digits=6, decimal_places=1)
    max_points = models.DecimalField(_("满分"), max_digits=6, decimal_places=1)
    percentage = models.DecimalField(_("得分率（%）"), max_digits=5, decimal_places=2)
    comment = models.TextField(_("评查意见"), blank=True)
    reviewed_at = models.DateTimeField(_("评查时间"), db_index=True)

    class Meta:
        verbose_name = _("案卷评查")
        verbose_name_plural = _("案卷评查")
        ordering = ["-reviewed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "checklist"], name="uniq_file_review")
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.total_points}/{self.max_points}"


class FileReviewScore(models.Model):
    review = models.ForeignKey(FileReview, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(
        ReviewItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("评查项目"), max_length=100)
    max_points = models.DecimalField(_("分值"), max_digits=5, decimal_places=1)
    points = models.DecimalField(_("得分"), max_digits=5, decimal_places=1)
    note = models.CharField(_("扣分说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("评查得分")
        verbose_name_plural = _("评查得分")
        ordering = ["review_id", "id"]

    def __str__(self) -> str:
        return f"{self.title} {self.points}/{self.max_points}"


class RewardStatus(models.TextChoices):
    PROPOSED = "proposed", _("待审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("不予奖励")
    PAID = "paid", _("已发放")


class ReporterReward(TimeStampedModel):
    """A reward for the reporter whose report led to a penalty (举报奖励)."""

    case = models.OneToOneField(
        Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="reporter_reward"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="reporter_rewards"
    )
    amount = models.DecimalField(_("奖励金额（元）"), max_digits=12, decimal_places=2)
    basis = models.TextField(_("奖励依据"))
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=RewardStatus.choices,
        default=RewardStatus.PROPOSED,
        db_index=True,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("提出时间"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见/不予奖励理由"), blank=True)
    paid_on = models.DateField(_("发放日期"), null=True, blank=True)
    payment_reference = models.CharField(_("发放凭证号"), max_length=100, blank=True)
    paid_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发放登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("举报奖励")
        verbose_name_plural = _("举报奖励")
        ordering = ["-proposed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case} {self.amount}"
