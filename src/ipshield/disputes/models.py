"""Dispute resolution (多元化解纠纷, issue 16): organisations, mediators, disputes and their
parties, sessions, messages, agreements with their signatures, judicial confirmation,
arbitration, the dispute's record and the rules that offer mediation first."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ipshield.accounts.models import Region, Unit
from ipshield.common.models import TimeStampedModel
from ipshield.disputes.workflow import Status
from ipshield.evidence.models import EvidenceItem
from ipshield.registry.models import Entity, IPRight, RightKind


class OrganisationKind(models.TextChoices):
    PEOPLES = "peoples", _("人民调解委员会")
    INDUSTRY = "industry", _("行业性专业性调解组织")
    CENTRE = "centre", _("知识产权保护中心调解")
    ADMINISTRATIVE = "administrative", _("行政调解")
    ARBITRATION = "arbitration", _("仲裁委员会")
    COURT = "court", _("人民法院")


class Organisation(TimeStampedModel):
    """A unit that resolves disputes: mediates, arbitrates or confirms agreements."""

    unit = models.OneToOneField(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="dispute_body"
    )
    kind = models.CharField(_("组织类型"), max_length=16, choices=OrganisationKind.choices)
    video_link = models.URLField(
        _("视频调解会议室链接"),
        max_length=300,
        blank=True,
        help_text=_("本组织的视频会议室地址，平台只保存链接，不承载视频。"),
    )
    address = models.CharField(_("调解场所"), max_length=200, blank=True)
    accepts_online = models.BooleanField(_("接受网上申请"), default=True)
    # The mediation limit in days from acceptance (诉前调解三十日).
    limit_days = models.PositiveSmallIntegerField(_("调解期限（日）"), default=30)

    class Meta:
        verbose_name = _("纠纷化解组织")
        verbose_name_plural = _("纠纷化解组织")
        ordering = ["kind", "unit__name"]

    def __str__(self) -> str:
        return self.unit.name

    @property
    def mediates(self) -> bool:
        return self.kind not in (OrganisationKind.ARBITRATION, OrganisationKind.COURT)


class Mediator(TimeStampedModel):
    """A mediator of an organisation, with what they know and how busy they are. The counters
    are kept by the services in the transaction that changes them (the recommendation reads
    them without counting disputes)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        on_delete=models.PROTECT,
        related_name="mediator",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("所属组织"),
        on_delete=models.PROTECT,
        related_name="mediators",
    )
    name = models.CharField(_("姓名"), max_length=64)
    title = models.CharField(_("职务/职称"), max_length=64, blank=True)
    specialties = models.JSONField(_("擅长的权利类型"), default=list, blank=True)
    industries = models.JSONField(_("熟悉的行业"), default=list, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+"
    )
    available = models.BooleanField(_("可接受指派"), default=True)
    max_load = models.PositiveSmallIntegerField(_("同时办理上限"), default=10)
    active_count = models.PositiveIntegerField(_("在办"), default=0)
    closed_count = models.PositiveIntegerField(_("已办结"), default=0)
    agreed_count = models.PositiveIntegerField(_("达成协议"), default=0)

    class Meta:
        verbose_name = _("调解员")
        verbose_name_plural = _("调解员")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["available", "region"])]

    def __str__(self) -> str:
        return self.name


class Conflict(TimeStampedModel):
    """A conflict of interest a mediator declared: an entity (or a name) they must not mediate
    for, and why."""

    mediator = models.ForeignKey(
        Mediator, verbose_name=_("调解员"), on_delete=models.CASCADE, related_name="conflicts"
    )
    entity = models.ForeignKey(
        Entity, verbose_name=_("主体"), null=True, blank=True, on_delete=models.CASCADE
    )
    name = models.CharField(_("名称"), max_length=200)
    name_normalized = models.CharField(max_length=200, db_index=True, editable=False)
    reason = models.CharField(_("利害关系"), max_length=200)

    class Meta:
        verbose_name = _("利害关系申报")
        verbose_name_plural = _("利害关系申报")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.mediator} ↔ {self.name}"

    def save(self, *args, **kwargs):
        from ipshield.engines.text import normalize_name

        self.name_normalized = normalize_name(self.name)
        super().save(*args, **kwargs)


class DisputeSource(models.TextChoices):
    ONLINE = "online", _("网上申请")
    COMPLAINT = "complaint", _("投诉转调解")
    COURT = "court", _("法院诉前委派")
    FAIR = "fair", _("展会投诉")


class Dispute(TimeStampedModel):
    number = models.CharField(_("编号"), max_length=40, unique=True)
    title = models.CharField(_("纠纷事由"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.APPLIED, db_index=True
    )
    source = models.CharField(
        _("来源"), max_length=16, choices=DisputeSource.choices, default=DisputeSource.ONLINE
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("调解组织"),
        on_delete=models.PROTECT,
        related_name="disputes",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("纠纷发生地"), on_delete=models.PROTECT, related_name="+"
    )
    right_kind = models.CharField(_("权利类型"), max_length=32, choices=RightKind.choices)
    industry = models.CharField(_("行业"), max_length=64, blank=True)
    rights = models.ManyToManyField(IPRight, verbose_name=_("涉及的权利"), blank=True)
    rights_text = models.CharField(_("权利说明"), max_length=500, blank=True)
    facts = models.TextField(_("事实和理由"))
    claims = models.JSONField(_("请求事项"), default=list)  # [{"text": …, "amount": "…"}]
    claim_amount = models.DecimalField(
        _("请求金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    attachments = models.ManyToManyField(EvidenceItem, verbose_name=_("附件"), blank=True)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("投诉"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disputes",
    )
    court = models.ForeignKey(
        Unit,
        verbose_name=_("委派法院"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entrusted_disputes",
    )
    court_reference = models.CharField(_("法院诉前调解案号"), max_length=64, blank=True)
    mediation_first = models.JSONField(
        _("调解优先提示"), null=True, blank=True
    )  # the cluster reason as {code, params}, when mediation was offered first
    mediator = models.ForeignKey(
        Mediator,
        verbose_name=_("调解员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disputes",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    applied_at = models.DateTimeField(_("申请时间"))
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    due_on = models.DateField(_("调解期限"), null=True, blank=True, db_index=True)
    extended = models.BooleanField(_("已延长"), default=False)
    ended_at = models.DateTimeField(_("调解结束时间"), null=True, blank=True)
    outcome_reason = models.TextField(_("说明"), blank=True)
    agreement_effective_on = models.DateField(_("协议生效日期"), null=True, blank=True)
    performance_due_on = models.DateField(_("履行期限"), null=True, blank=True)
    credit_record = models.ForeignKey(
        "credit.CreditRecord",
        verbose_name=_("信用记录"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("纠纷")
        verbose_name_plural = _("纠纷")
        ordering = ["-applied_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["mediator", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class Side(models.TextChoices):
    APPLICANT = "applicant", _("申请人")
    RESPONDENT = "respondent", _("被申请人")


class Party(models.Model):
    """A party to a dispute: an entity or a person, with the account that acts for it (the
    party's own or its representative's) once it has one."""

    dispute = models.ForeignKey(
        Dispute, verbose_name=_("纠纷"), on_delete=models.CASCADE, related_name="parties"
    )
    side = models.CharField(_("地位"), max_length=16, choices=Side.choices)
    is_person = models.BooleanField(_("自然人"), default=False)
    name = models.CharField(_("名称/姓名"), max_length=200)
    name_normalized = models.CharField(max_length=200, db_index=True, editable=False)
    entity = models.ForeignKey(
        Entity, verbose_name=_("市场主体"), null=True, blank=True, on_delete=models.PROTECT
    )
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    address = models.CharField(_("住所"), max_length=200, blank=True)
    representative = models.CharField(_("代理人"), max_length=64, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("平台账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dispute_parties",
    )
    consented = models.BooleanField(_("同意调解"), null=True)

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")
        ordering = ["dispute", "side", "id"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        from ipshield.engines.text import normalize_name

        self.name_normalized = normalize_name(self.name)
        super().save(*args, **kwargs)


class DisputeEvent(models.Model):
    """One step of a dispute's record, hash-chained per dispute and anchored in the evidence
    ledger after commit (``disputes.record``)."""

    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    verb = models.CharField(max_length=40)
    status = models.CharField(max_length=16, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(max_length=100, blank=True)
    at = models.DateTimeField()
    params = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    leaf_index = models.BigIntegerField(null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("纠纷记录")
        verbose_name_plural = _("纠纷记录")
        ordering = ["dispute", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["dispute", "seq"], name="uniq_dispute_event_seq")
        ]

    def __str__(self) -> str:
        return f"{self.dispute_id}#{self.seq} {self.verb}"


class DisputeDeadline(models.Model):
    """A time limit running on a dispute (mediation, confirmation, the court's review)."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="deadlines")
    key = models.SlugField(max_length=40)
    starts_on = models.DateField(_("起算日"))
    due_on = models.DateField(_("届满日"), db_index=True)
    extended = models.BooleanField(_("已延长"), default=False)
    met_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    last_reminded_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("纠纷期限")
        verbose_name_plural = _("纠纷期限")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["met_at", "due_on"])]

    def __str__(self) -> str:
        return f"{self.key} {self.due_on}"


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("已安排")
    HELD = "held", _("已举行")
    CANCELLED = "cancelled", _("已取消")


class Session(TimeStampedModel):
    """A mediation session, in a place or by video; its record (调解笔录) once held."""

    dispute = models.ForeignKey(
        Dispute, verbose_name=_("纠纷"), on_delete=models.CASCADE, related_name="sessions"
    )
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    video_link = models.URLField(_("视频会议链接"), max_length=300, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    record = models.TextField(_("调解笔录"), blank=True)
    attendees = models.CharField(_("参加人员"), max_length=500, blank=True)
    sequence = models.PositiveIntegerField(default=0)  # the .ics SEQUENCE
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("调解会议")
        verbose_name_plural = _("调解会议")
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return f"{self.dispute_id} {self.starts_at:%Y-%m-%d %H:%M}"


class Message(models.Model):
    """A message on a dispute's board: to everyone, or a private caucus (背对背) between the
    mediator and one party (``caucus_party``), which the other parties never see."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_label = models.CharField(max_length=100)
    caucus_party = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("内容"))
    attachment = models.ForeignKey(
        EvidenceItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("留言")
        verbose_name_plural = _("留言")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["dispute", "caucus_party"])]

    def __str__(self) -> str:
        return f"{self.dispute_id} {self.author_label}: {self.text[:20]}"


class Agreement(TimeStampedModel):
    """The mediation agreement (人民调解协议书): its text, in versions. A signature binds one
    version's SHA-256; changing the text makes a new version and the earlier signatures no
    longer count."""

    dispute = models.OneToOneField(Dispute, on_delete=models.CASCADE, related_name="agreement")
    text = models.TextField(_("协议内容"))
    sha256 = models.CharField(max_length=64)
    version = models.PositiveIntegerField(default=1)
    performance_due_on = models.DateField(_("履行期限"), null=True, blank=True)
    effective_at = models.DateTimeField(_("生效时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("调解协议")
        verbose_name_plural = _("调解协议")


class Signature(models.Model):
    """A signature given online: who, for which party (none: the mediator), the hash of the
    exact text signed and where that was appended to the evidence ledger."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatures")
    party = models.ForeignKey(Party, null=True, blank=True, on_delete=models.PROTECT)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField(max_length=100)
    version = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    signed_at = models.DateTimeField()
    channel = models.CharField(max_length=16)  # email, sms, app
    leaf_index = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("签名")
        verbose_name_plural = _("签名")
        ordering = ["signed_at", "id"]

    def __str__(self) -> str:
        return f"{self.signer_name} v{self.version}"


class SignCode(models.Model):
    """A one-time code sent to a signer; only its hash is kept."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="codes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField()
    code_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"code for {self.user_id} v{self.version}"


class ConfirmationStatus(models.TextChoices):
    APPLIED = "applied", _("已申请")
    ACCEPTED = "accepted", _("已受理")
    CONFIRMED = "confirmed", _("裁定确认有效")
    REJECTED = "rejected", _("裁定驳回申请")


class Confirmation(TimeStampedModel):
    """The joint application for judicial confirmation (司法确认) sent to a court on the
    platform, and the court's ruling (确认裁定)."""

    dispute = models.OneToOneField(Dispute, on_delete=models.CASCADE, related_name="confirmation")
    court = models.ForeignKey(
        Unit, verbose_name=_("人民法院"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=ConfirmationStatus.choices,
        default=ConfirmationStatus.APPLIED,
    )
    applied_on = models.DateField(_("申请日期"))
    application_text = models.TextField(_("申请书"))
    # Applied for jointly (民事诉讼法第二百零五条): the parties who joined; the court's three
    # days run from the day the last one joined (``complete_on``).
    joined = models.JSONField(default=list)
    complete_on = models.DateField(_("申请齐备日期"), null=True, blank=True)
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    extended = models.BooleanField(_("已延长审查期限"), default=False)
    ruling_number = models.CharField(_("裁定书案号"), max_length=64, blank=True)
    ruling_text = models.TextField(_("裁定内容"), blank=True)
    decided_on = models.DateField(_("裁定日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("司法确认")
        verbose_name_plural = _("司法确认")


class Arbitration(TimeStampedModel):
    """A referral to an arbitration commission and its award (the commission's own procedure
    stays with the commission)."""

    dispute = models.OneToOneField(Dispute, on_delete=models.CASCADE, related_name="arbitration")
    commission = models.ForeignKey(
        Organisation, verbose_name=_("仲裁委员会"), on_delete=models.PROTECT, related_name="+"
    )
    clause = models.TextField(_("仲裁协议或仲裁条款"))
    referred_on = models.DateField(_("移交日期"))
    award_number = models.CharField(_("裁决书编号"), max_length=64, blank=True)
    award_summary = models.TextField(_("裁决结果"), blank=True)
    award_on = models.DateField(_("裁决日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("仲裁移交")
        verbose_name_plural = _("仲裁移交")


class ClusterRule(TimeStampedModel):
    """Mediation first where complaints cluster (县方案措施六): when at least ``threshold``
    complaints about one kind of right arrive in one region within ``window_days``, new
    complaints there are offered mediation first."""

    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.CASCADE)
    right_kind = models.CharField(
        _("权利类型"), max_length=32, choices=RightKind.choices, blank=True
    )  # blank: any kind
    threshold = models.PositiveIntegerField(_("投诉数阈值"), default=10)
    window_days = models.PositiveSmallIntegerField(_("统计天数"), default=30)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("推荐调解组织"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("调解优先规则")
        verbose_name_plural = _("调解优先规则")
        ordering = ["region", "right_kind"]


class MediationOffer(models.Model):
    """Mediation offered first on a complaint (a ``ClusterRule`` matched when it came in), the
    reason as ``{code, params}``, and whether the complainant took it."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="mediation_offer"
    )
    rule = models.ForeignKey(ClusterRule, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.JSONField()
    accepted = models.BooleanField(_("接受调解"), default=False)
    dispute = models.ForeignKey(
        Dispute, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("调解优先提示")
        verbose_name_plural = _("调解优先提示")

    def __str__(self) -> str:
        return f"{self.case_id} {'accepted' if self.accepted else 'declined'}"
