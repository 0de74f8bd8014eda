"""The yearly evaluation of units (考核评价): an indicator sheet per year and region, values the
office enters, the results frozen when the year is finalised, and the circulated notices,
interviews and commendations recorded against units and people.

Scores are computed on request (``evaluation.selectors``) from the indicator functions in
``evaluation.indicators``; only a finalised year's scores are stored (``EvaluationResult`` and
``IndicatorScore``), with the ids of the records behind each so that the drill-down of a
finalised year lists what was counted then.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ipshield.accounts.models import LeadingGroup, Region, Unit
from ipshield.common.models import TimeStampedModel

ENTERED = "entered"  # an indicator's source when the office enters its values


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("编制中")
    FINAL = "final", _("已确定")


class Rule(models.TextChoices):
    """How a share or an entered value becomes points (``evaluation.scoring``)."""

    SHARE = "share", _("按比例得分（比例×分值）")
    TARGET = "target", _("达到目标比例得满分，未达到按比例折算")
    RANGE = "range", _("录入值在取值范围内按比例得分")


class IndicatorSheet(TimeStampedModel):
    """The indicators a year's evaluation uses, edited by the leading group's office."""

    year = models.PositiveSmallIntegerField(_("考核年度"))
    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT)
    leading_group = models.ForeignKey(
        LeadingGroup, verbose_name=_("领导组"), on_delete=models.PROTECT, related_name="+"
    )
    office_unit = models.ForeignKey(
        Unit, verbose_name=_("领导组办公室"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=8, choices=SheetStatus.choices, default=SheetStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    finalized_at = models.DateTimeField(_("确定时间"), null=True, blank=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("考核指标表")
        verbose_name_plural = _("考核指标表")
        ordering = ["-year", "region_id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "region"], name="uniq_sheet_year_region")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.region}"

    @property
    def is_final(self) -> bool:
        return self.status == SheetStatus.FINAL


class Indicator(models.Model):
    """One line of a sheet: its points (weight), how they are scored and where the figure comes
    from — a computed indicator's code (``evaluation.indicators.REGISTRY``) or ``entered``."""

    sheet = models.ForeignKey(IndicatorSheet, on_delete=models.CASCADE, related_name="indicators")
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    name = models.CharField(_("指标名称"), max_length=100)
    source = models.CharField(_("数据来源"), max_length=32)
    weight = models.DecimalField(_("分值"), max_digits=5, decimal_places=1)
    rule = models.CharField(_("计分规则"), max_length=8, choices=Rule.choices)
    target = models.DecimalField(
        _("目标比例（%）"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    limit_days = models.PositiveSmallIntegerField(_("时限（工作日）"), null=True, blank=True)
    min_value = models.DecimalField(
        _("最低值"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("最高值"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["sheet_id", "order", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.weight}）"

    @property
    def is_entered(self) -> bool:
        return self.source == ENTERED


class EnteredValue(models.Model):
    """The office's value of an ``entered`` indicator for one unit, with its evidence."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT)
    value = models.DecimalField(_("录入值"), max_digits=9, decimal_places=2)
    evidence = models.TextField(_("依据说明"))
    attachment = models.ForeignKey(
        "evidence.EvidenceItem",
        verbose_name=_("附件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("录入时间"))

    class Meta:
        verbose_name = _("录入得分")
        verbose_name_plural = _("录入得分")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "unit"], name="uniq_entered_value")
        ]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.unit}: {self.value}"


class EvaluationResult(models.Model):
    """A unit's frozen result of a finalised year."""

    sheet = models.ForeignKey(IndicatorSheet, on_delete=models.CASCADE, related_name="results")
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT)
    township = models.BooleanField(_("乡镇"), default=False)
    total = models.DecimalField(_("总分"), max_digits=7, decimal_places=2, null=True)
    applicable_weight = models.DecimalField(_("适用分值"), max_digits=7, decimal_places=1)
    rank = models.PositiveSmallIntegerField(_("名次"), null=True)

    class Meta:
        verbose_name = _("年度考核结果")
        verbose_name_plural = _("年度考核结果")
        ordering = ["sheet_id", "township", "rank", "unit_id"]
        constraints = [models.UniqueConstraint(fields=["sheet", "unit"], name="uniq_result_unit")]

    def __str__(self) -> str:
        return f"{self.sheet} {self.unit}: {self.total}"


class IndicatorScore(models.Model):
    """One indicator's frozen figures for one unit: what was counted, and the records behind it."""

    result = models.ForeignKey(EvaluationResult, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    numerator = models.DecimalField(_("分子"), max_digits=12, decimal_places=2, null=True)
    denominator = models.DecimalField(_("分母"), max_digits=12, decimal_places=2, null=True)
    score = models.DecimalField(_("得分"), max_digits=7, decimal_places=2, null=True)
    record_ids = models.JSONField(_("计入的记录"), default=list)
    met_ids = models.JSONField(_("达标的记录"), default=list)

    class Meta:
        verbose_name = _("指标得分")
        verbose_name_plural = _("指标得分")
        constraints = [
            models.UniqueConstraint(fields=["result", "indicator"], name="uniq_score_indicator")
        ]

    def __str__(self) -> str:
        return f"{self.result} · {self.indicator}: {self.score}"


class AccountabilityKind(models.TextChoices):
    NOTICE = "notice", _("通报")
    INTERVIEW = "interview", _("约谈")


class Accountability(models.Model):
    """A circulated notice (通报) or an interview (约谈) of a unit."""

    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT)
    kind = models.CharField(_("方式"), max_length=16, choices=AccountabilityKind.choices)
    on = models.DateField(_("日期"), db_index=True)
    reason = models.TextField(_("事由"))
    issued_by = models.CharField(_("作出机关/约谈人"), max_length=100)
    attachment = models.ForeignKey(
        "evidence.EvidenceItem",
        verbose_name=_("附件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("通报约谈")
        verbose_name_plural = _("通报约谈")
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.unit} {self.on}"


class Commendation(models.Model):
    """A commendation (表彰) of a unit or of a person (named as written, with their unit)."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), null=True, blank=True, on_delete=models.PROTECT
    )
    person = models.CharField(_("受表彰个人"), max_length=64, blank=True)
    on = models.DateField(_("日期"), db_index=True)
    title = models.CharField(_("表彰名称"), max_length=100)
    reason = models.TextField(_("事迹"))
    issued_by = models.CharField(_("作出机关"), max_length=100)
    attachment = models.ForeignKey(
        "evidence.EvidenceItem",
        verbose_name=_("附件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("表彰")
        verbose_name_plural = _("表彰")
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.title} {self.person or self.unit}"
