"""Credit records of market entities and the catalogue of joint-punishment measures.

A **credit record** is one piece of adverse credit information about a market entity (or a
natural person acting as one): an administrative penalty, a judgment, a ruling … It is public for
its publication period and then hidden (kept, never deleted). Penalty decisions published by the
cases workflow create their record in the same transaction (``services.record_from_publication``).
Every check by another department is logged (``CreditCheck``): who asked, for what, and when.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ipshield.accounts.models import Unit
from ipshield.cases.models import Case
from ipshield.common.models import TimeStampedModel
from ipshield.publication.models import Publication
from ipshield.registry.models import Entity


class RecordSource(models.TextChoices):
    PENALTY = "penalty", _("行政处罚")
    JUDGMENT = "judgment", _("法院判决")
    RULING = "ruling", _("行政裁决")
    SPOT_CHECK = "spot_check", _("抽查检查发现")
    MEDIATION_BREACH = "mediation_breach", _("不履行调解协议")
    BAD_FAITH_TRADEMARK = "bad_faith_trademark", _("恶意商标注册")
    ABNORMAL_PATENT = "abnormal_patent", _("非正常专利申请")


class Severity(models.TextChoices):
    GENERAL = "general", _("一般")
    SERIOUS = "serious", _("较重")
    GRAVE = "grave", _("严重")


class RecordStatus(models.TextChoices):
    PUBLIC = "public", _("公示中")
    HIDDEN = "hidden", _("已届满不再公示")
    REMOVED = "removed", _("已移除")


class MatchState(models.TextChoices):
    """How a record was linked to its market entity (entity resolution, ``resolution.py``)."""

    UNRESOLVED = "unresolved", _("未识别")
    CODE = "code", _("统一社会信用代码相同")
    CASE = "case", _("案件当事人")
    SAME = "same", _("自动关联")
    LIKELY = "likely", _("已关联，待确认")
    UNSURE = "unsure", _("待人工识别")
    NEW = "new", _("未找到已登记主体")
    CONFIRMED = "confirmed", _("人工确认")
    SPLIT = "split", _("人工确认无对应主体")


class CreditRecord(TimeStampedModel):
    entity = models.ForeignKey(
        Entity,
        verbose_name=_("市场主体"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_records",
    )
    subject_name = models.CharField(_("当事人"), max_length=200)
    subject_name_normalized = models.CharField(max_length=200, db_index=True, editable=False)
    subject_uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, db_index=True)
    subject_is_person = models.BooleanField(_("自然人或个体工商户"), default=False)
    subject_address = models.CharField(_("住所"), max_length=200, blank=True)
    subject_legal_representative = models.CharField(
        _("法定代表人/经营者"), max_length=64, blank=True
    )
    match_state = models.CharField(
        _("主体识别"),
        max_length=12,
        choices=MatchState.choices,
        default=MatchState.UNRESOLVED,
        db_index=True,
    )
    match_score = models.FloatField(_("识别得分"), null=True, blank=True)
    # sha256 of the engine's record_key: officers' decisions are remembered under it (a hash,
    # because the key of a person's record holds the unmasked name).
    match_key = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    source = models.CharField(_("信息来源"), max_length=24, choices=RecordSource.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("作出单位"), null=True, blank=True, on_delete=models.PROTECT
    )
    issuing_authority = models.CharField(_("作出机关"), max_length=200)
    document_number = models.CharField(_("文书编号"), max_length=64, blank=True)
    decided_on = models.DateField(_("作出日期"))
    legal_basis = models.CharField(_("依据"), max_length=500, blank=True)
    severity = models.CharField(
        _("严重程度"), max_length=12, choices=Severity.choices, default=Severity.GENERAL
    )
    amount = models.DecimalField(
        _("金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    summary = models.TextField(_("摘要"), blank=True)
    intentional = models.BooleanField(_("故意侵权"), default=False)
    ip_infringement = models.BooleanField(_("知识产权侵权"), default=True)
    public_until = models.DateField(_("公示截止日"), db_index=True)
    period_basis = models.CharField(_("公示期依据"), max_length=300, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=8,
        choices=RecordStatus.choices,
        default=RecordStatus.PUBLIC,
        db_index=True,
    )
    hidden_at = models.DateTimeField(_("停止公示时间"), null=True, blank=True)
    case = models.ForeignKey(
        Case, verbose_name=_("案件"), null=True, blank=True, on_delete=models.PROTECT
    )
    publication = models.OneToOneField(
        Publication,
        verbose_name=_("处罚公示"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_record",
    )
    # What makes a record unique across imports (e.g. "publication:12", or the source's own id).
    source_key = models.CharField(max_length=200, unique=True, editable=False)

    class Meta:
        verbose_name = _("信用记录")
        verbose_name_plural = _("信用记录")
        ordering = ["-decided_on", "-id"]
        indexes = [models.Index(fields=["entity", "status", "decided_on"])]

    def __str__(self) -> str:
        return f"{self.subject_name} {self.get_source_display()} {self.decided_on}"


class EntityCandidate(models.Model):
    """An entity a record may be about, waiting for an officer (the review queue): the engine's
    score, decision and reasons."""

    record = models.ForeignKey(
        CreditRecord, on_delete=models.CASCADE, related_name="candidates", verbose_name=_("记录")
    )
    entity = models.ForeignKey(
        Entity, on_delete=models.CASCADE, related_name="+", verbose_name=_("市场主体")
    )
    rank = models.PositiveSmallIntegerField(_("排序"))
    score = models.FloatField(_("得分"))
    decision = models.CharField(_("识别结论"), max_length=12)
    reasons = models.JSONField(_("理由"), default=list)

    class Meta:
        verbose_name = _("候选主体")
        verbose_name_plural = _("候选主体")
        ordering = ["record", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["record", "entity"], name="candidate_once_per_record")
        ]

    def __str__(self) -> str:
        return f"{self.record_id} → {self.entity_id} ({self.score:.2f})"

    @property
    def reason_texts(self) -> list[str]:
        """The reasons in the active language (they are stored as codes and parameters)."""
        from ipshield.credit.reasons import render_all

        return render_all(self.reasons)


class MatchDecision(TimeStampedModel):
    """An officer's decision that records with this key are (``same``) or are not about an
    entity. It is passed back to the engine as ``Overrides``, so the question is not asked
    again for any record with the same key."""

    key = models.CharField(max_length=64, db_index=True)
    entity = models.ForeignKey(
        Entity, on_delete=models.CASCADE, related_name="+", verbose_name=_("市场主体")
    )
    same = models.BooleanField(_("同一主体"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    record = models.ForeignKey(
        CreditRecord,
        verbose_name=_("依据记录"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("主体识别决定")
        verbose_name_plural = _("主体识别决定")
        constraints = [
            models.UniqueConstraint(fields=["key", "entity"], name="match_decision_once")
        ]


class MeasureDomain(models.TextChoices):
    SUBSIDIES = "subsidies", _("政府补贴与资金扶持")
    PROCUREMENT = "procurement", _("政府采购与招标投标")
    HONOURS = "honours", _("评优评先与荣誉表彰")
    FUNDED_PROJECTS = "funded_projects", _("政府投资与财政资金项目")
    LICENCES = "licences", _("行政许可与资质审批")


class MeasureTrigger(models.TextChoices):
    PUBLIC_RECORD = "public_record", _("有公示中的知识产权侵权记录")
    REPEAT = "repeat", _("重复侵权")
    INTENTIONAL = "intentional", _("故意侵权")
    LISTED = "listed", _("列入严重违法失信名单")


class JointMeasure(models.Model):
    """One restriction other departments apply (the configurable catalogue)."""

    domain = models.CharField(_("领域"), max_length=24, choices=MeasureDomain.choices)
    title = models.CharField(_("措施"), max_length=200)
    basis = models.CharField(_("依据"), max_length=300)
    trigger = models.CharField(_("适用情形"), max_length=16, choices=MeasureTrigger.choices)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("联合惩戒措施")
        verbose_name_plural = _("联合惩戒措施")
        ordering = ["domain", "id"]

    def __str__(self) -> str:
        return self.title


class CreditCheck(models.Model):
    """One check of an entity's credit by another department's staff or system."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("查询人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("查询单位"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("渠道"), max_length=16)
    query_uscc = models.CharField(_("查询代码"), max_length=18, blank=True)
    query_name = models.CharField(_("查询名称"), max_length=200, blank=True)
    purpose = models.CharField(_("查询事由"), max_length=200)
    records_found = models.PositiveIntegerField(_("公示记录数"), default=0)
    measures = models.JSONField(_("适用措施"), default=list)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("信用核查记录")
        verbose_name_plural = _("信用核查记录")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.query_uscc or self.query_name} ({self.purpose})"


# -- The serious-dishonesty list (严重违法失信名单) -------------------------------------------


class ListGround(models.TextChoices):
    INTENTIONAL_INFRINGEMENT = "intentional_infringement", _("故意侵犯知识产权")
    BAD_FAITH_TRADEMARK = "bad_faith_trademark", _("恶意商标注册申请损害社会公共利益")
    ABNORMAL_PATENT = "abnormal_patent", _("非正常专利申请损害社会公共利益")
    REPEAT_INFRINGEMENT = "repeat_infringement", _("多次侵犯知识产权")


class ListingRule(models.Model):
    """An entry criterion (editable): which records make an entity eligible for the list."""

    ground = models.CharField(_("列入事由"), max_length=32, choices=ListGround.choices)
    label = models.CharField(_("标准"), max_length=200)
    source = models.CharField(_("信用记录来源"), max_length=24, choices=RecordSource.choices)
    intentional_only = models.BooleanField(_("限故意"), default=False)
    min_records = models.PositiveSmallIntegerField(_("记录数不少于"), default=1)
    within_years = models.PositiveSmallIntegerField(_("年限内（年）"), default=5)
    min_total_amount = models.DecimalField(
        _("金额合计不少于（元）"), max_digits=14, decimal_places=2, default=0
    )
    legal_basis = models.CharField(_("依据"), max_length=300)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("列入标准")
        verbose_name_plural = _("列入标准")
        ordering = ["ground", "id"]

    def __str__(self) -> str:
        return self.label


class ListStatus(models.TextChoices):
    PROPOSED = "proposed", _("已提出")
    REVIEWED = "reviewed", _("审核通过")
    REJECTED = "rejected", _("审核不通过")
    DECIDED = "decided", _("已决定列入")
    NOTIFIED = "notified", _("已告知当事人")
    LISTED = "listed", _("公示中")
    REMOVED = "removed", _("已移出")


class RemovalReason(models.TextChoices):
    EXPIRED = "expired", _("列入期满")
    REPAIRED = "repaired", _("信用修复")
    REVOKED = "revoked", _("依据被撤销")


class ListEntry(TimeStampedModel):
    """One entity's way onto (and off) the serious-dishonesty list, every step recorded."""

    entity = models.ForeignKey(
        Entity, verbose_name=_("市场主体"), on_delete=models.PROTECT, related_name="list_entries"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("作出单位"), on_delete=models.PROTECT)
    ground = models.CharField(_("列入事由"), max_length=32, choices=ListGround.choices)
    rule = models.ForeignKey(
        ListingRule, verbose_name=_("适用标准"), null=True, on_delete=models.PROTECT
    )
    facts = models.TextField(_("事实与理由"))
    records = models.ManyToManyField(CreditRecord, verbose_name=_("依据的信用记录"))
    status = models.CharField(
        _("状态"), max_length=12, choices=ListStatus.choices, default=ListStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    review_opinion = models.CharField(_("审核意见"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_number = models.CharField(_("决定书文号"), max_length=64, blank=True)
    notified_on = models.DateField(_("告知日期"), null=True, blank=True)
    notice_method = models.CharField(_("告知方式"), max_length=100, blank=True)
    listed_on = models.DateField(_("列入日期"), null=True, blank=True)
    list_until = models.DateField(_("列入期满日"), null=True, blank=True, db_index=True)
    removed_on = models.DateField(_("移出日期"), null=True, blank=True)
    removal_reason = models.CharField(
        _("移出原因"), max_length=12, choices=RemovalReason.choices, blank=True
    )

    class Meta:
        verbose_name = _("严重违法失信名单")
        verbose_name_plural = _("严重违法失信名单")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.entity} {self.get_status_display()}"


class RepairStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    APPROVED = "approved", _("准予修复")
    REJECTED = "rejected", _("不予修复")


class RepairApplication(TimeStampedModel):
    """An entity's application for credit repair (信用修复): early removal from the list."""

    entry = models.ForeignKey(
        ListEntry, verbose_name=_("名单记录"), on_delete=models.PROTECT, related_name="repairs"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT
    )
    contact = models.CharField(_("联系人及电话"), max_length=100)
    statement = models.TextField(_("整改情况说明"))
    proof = models.FileField(_("整改证明材料"), upload_to="credit-repair/%Y/%m/")
    proof_sha256 = models.CharField(max_length=64, editable=False)
    status = models.CharField(
        _("状态"), max_length=12, choices=RepairStatus.choices, default=RepairStatus.SUBMITTED
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    opinion = models.CharField(_("审核意见"), max_length=500, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("信用修复申请")
        verbose_name_plural = _("信用修复申请")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.entry.entity} {self.get_status_display()}"


class ExternalListEntry(TimeStampedModel):
    """A serious-dishonesty list entry published by another platform (another county's list),
    imported through the exchange format; checks and the public query take it into account."""

    origin = models.CharField(_("来源平台"), max_length=200)
    key = models.CharField(_("来源编号"), max_length=100)
    entity_name = models.CharField(_("主体名称"), max_length=200)
    entity_name_normalized = models.CharField(max_length=200, db_index=True, editable=False)
    entity_uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, db_index=True)
    unit_name = models.CharField(_("作出单位"), max_length=200)
    ground = models.CharField(_("列入事由"), max_length=200)
    decision_number = models.CharField(_("决定书文号"), max_length=64, blank=True)
    listed_on = models.DateField(_("列入日期"))
    list_until = models.DateField(_("列入期满日"))
    removed_on = models.DateField(_("移出日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("外部严重违法失信名单")
        verbose_name_plural = _("外部严重违法失信名单")
        constraints = [
            models.UniqueConstraint(fields=["origin", "key"], name="one_external_entry_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.entity_name} ({self.origin})"
