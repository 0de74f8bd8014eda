"""Protected marks, the watch list, marketplace listings and the alerts raised on them.

A rights holder registers a **protected mark** for one of their verified trade marks, with a
reference price range; officers keep a **watch list** of marks for their unit (the same model,
``kind = watch``). Listings arrive from files or HTTP feeds (``ListingImport`` tracks each run and
its progress); a listing whose title carries a mark confusingly similar to a protected one becomes
an **alert** with a risk score and the reasons behind it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ipshield.accounts.models import Unit
from ipshield.cases.models import Case
from ipshield.common.models import TimeStampedModel
from ipshield.evidence.models import EvidenceItem
from ipshield.registry.models import Entity, IPRight, RightsHolder


class MarkKind(models.TextChoices):
    HOLDER = "holder", _("权利人登记")
    WATCH = "watch", _("单位监测名单")


class ProtectedMark(TimeStampedModel):
    """A mark whose knock-offs are looked for in every listing."""

    kind = models.CharField(_("来源"), max_length=8, choices=MarkKind.choices)
    name = models.CharField(_("商标名称"), max_length=100)
    name_normalized = models.CharField(max_length=100, db_index=True, editable=False)
    right = models.ForeignKey(
        IPRight,
        verbose_name=_("对应的注册商标"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="protected_marks",
    )
    holder = models.ForeignKey(
        RightsHolder,
        verbose_name=_("权利人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="protected_marks",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("监测单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="watch_marks",
    )
    nice_classes = models.JSONField(_("尼斯分类"), default=list, blank=True)
    categories = models.CharField(_("商品类别"), max_length=200, blank=True)
    price_min = models.DecimalField(
        _("参考价下限（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    price_max = models.DecimalField(
        _("参考价上限（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    active = models.BooleanField(_("监测中"), default=True, db_index=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("受保护商标")
        verbose_name_plural = _("受保护商标")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class CounterfeitTerm(models.Model):
    """Slang that sellers of counterfeits use (高仿, A货, 原单 …); editable by administrators."""

    term = models.CharField(_("用语"), max_length=32, unique=True)
    weight = models.PositiveSmallIntegerField(
        _("风险加分"), default=20, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    active = models.BooleanField(_("启用"), default=True)
    note = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("假冒用语")
        verbose_name_plural = _("假冒用语")
        ordering = ["term"]

    def __str__(self) -> str:
        return self.term


class ListingFeed(TimeStampedModel):
    """An HTTP JSON feed of listings, fetched on a schedule for one unit."""

    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT)
    name = models.CharField(_("名称"), max_length=100)
    url = models.URLField(_("地址"), max_length=500)
    platform = models.CharField(_("默认平台"), max_length=64, blank=True)
    interval_minutes = models.PositiveIntegerField(
        _("抓取间隔（分钟）"), default=60, validators=[MinValueValidator(5)]
    )
    active = models.BooleanField(_("启用"), default=True)
    last_run_at = models.DateTimeField(_("上次抓取"), null=True, blank=True)
    last_error = models.CharField(_("上次错误"), max_length=500, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("添加人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("商品信息源")
        verbose_name_plural = _("商品信息源")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class ImportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    JSONL = "jsonl", "JSON / JSON Lines"
    FEED = "feed", _("HTTP 信息源")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("导入中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class ListingImport(TimeStampedModel):
    """One run of listings into the platform (a file or a feed fetch), with its progress."""

    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    format = models.CharField(_("格式"), max_length=8, choices=ImportFormat.choices)
    feed = models.ForeignKey(
        ListingFeed, verbose_name=_("信息源"), null=True, blank=True, on_delete=models.PROTECT
    )
    file_name = models.CharField(_("文件名"), max_length=200, blank=True)
    file = models.FileField(_("文件"), upload_to="listing-imports/%Y/%m/", blank=True)
    status = models.CharField(
        _("状态"), max_length=8, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    total = models.PositiveIntegerField(_("总行数"), default=0)
    processed = models.PositiveIntegerField(_("已处理"), default=0)
    created_count = models.PositiveIntegerField(_("新增"), default=0)
    duplicate_count = models.PositiveIntegerField(_("重复"), default=0)
    error_count = models.PositiveIntegerField(_("错误行"), default=0)
    alert_count = models.PositiveIntegerField(_("预警"), default=0)
    errors = models.JSONField(_("错误明细"), default=list, blank=True)
    failure = models.CharField(_("失败原因"), max_length=500, blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("商品信息导入")
        verbose_name_plural = _("商品信息导入")
        ordering = ["-created_at", "-id"]

    @property
    def percent(self) -> int:
        if self.status == ImportStatus.DONE:
            return 100
        return int(100 * self.processed / self.total) if self.total else 0


class Listing(models.Model):
    """One product listing on a marketplace, as imported."""

    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT)
    source = models.ForeignKey(
        ListingImport,
        verbose_name=_("导入批次"),
        on_delete=models.PROTECT,
        related_name="listings",
    )
    platform = models.CharField(_("平台"), max_length=64)
    shop = models.CharField(_("店铺"), max_length=200, blank=True)
    title = models.CharField(_("商品标题"), max_length=500)
    price = models.DecimalField(
        _("价格（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    url = models.URLField(_("链接"), max_length=1000)
    seller_name = models.CharField(_("经营者"), max_length=200, blank=True)
    seller_uscc = models.CharField(_("经营者统一社会信用代码"), max_length=18, blank=True)
    seller = models.ForeignKey(
        Entity,
        verbose_name=_("经营者（已登记主体）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="listings",
    )
    category = models.CharField(_("商品类别"), max_length=100, blank=True)
    nice_classes = models.JSONField(_("尼斯分类"), default=list, blank=True)
    listed_at = models.DateTimeField(_("上架/采集时间"))
    # SHA-256 of platform + normalised URL: the same listing imported twice is one row per unit.
    fingerprint = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("导入时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("商品信息")
        verbose_name_plural = _("商品信息")
        ordering = ["-listed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "fingerprint"], name="one_listing_per_unit")
        ]

    def __str__(self) -> str:
        return self.title


class AlertStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    DISMISSED = "dismissed", _("已排除")
    LEAD = "lead", _("已转线索")


class Alert(TimeStampedModel):
    """A listing that looks like a knock-off or a counterfeit of a protected mark."""

    listing = models.ForeignKey(
        Listing, verbose_name=_("商品信息"), on_delete=models.PROTECT, related_name="alerts"
    )
    mark = models.ForeignKey(
        ProtectedMark, verbose_name=_("受保护商标"), on_delete=models.PROTECT, related_name="alerts"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("处理单位"), on_delete=models.PROTECT)
    matched = models.CharField(_("标题中的近似标识"), max_length=100)
    similarity = models.FloatField(_("近似度"))
    risk = models.PositiveSmallIntegerField(_("风险分"), db_index=True)
    reasons = models.JSONField(_("理由"), default=list)
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=AlertStatus.choices,
        default=AlertStatus.OPEN,
        db_index=True,
    )
    dismissal_reason = models.CharField(_("排除理由"), max_length=500, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    case = models.ForeignKey(
        Case, verbose_name=_("线索案件"), null=True, blank=True, on_delete=models.PROTECT
    )
    evidence = models.ForeignKey(
        EvidenceItem,
        verbose_name=_("网页存证"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    capture_error = models.CharField(_("存证失败原因"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("侵权预警")
        verbose_name_plural = _("侵权预警")
        ordering = ["-risk", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["listing", "mark"], name="one_alert_per_listing_mark")
        ]
        indexes = [models.Index(fields=["unit", "status", "risk"])]

    @property
    def reason_texts(self) -> list[str]:
        """The reasons in the active language (they are stored as codes and parameters)."""
        from ipshield.monitoring.reasons import render_all

        return render_all(self.reasons)

    @property
    def level(self) -> str:
        if self.risk >= 70:
            return "high"
        return "medium" if self.risk >= 50 else "low"
