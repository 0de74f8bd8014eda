"""Cases: from a received complaint, report or lead to a closed case, with its record."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ipshield.accounts.models import Region, Unit
from ipshield.cases.workflow import Status
from ipshield.common.models import AppendOnlyModel, TimeStampedModel
from ipshield.engines.text import normalize_name
from ipshield.registry.models import Entity, IPRight, RightsHolder

# The letters that start a case number (``services.new_case_number``): complaint, report, and
# every other source. The case search reads a query of digits alone as a number after them.
NUMBER_PREFIXES = ("TS", "JB", "XS")

# What the case search's text is made of; a save that changes none of them keeps it.
SEARCH_SOURCES = ("title", "description", "infringer_name", "infringer_id", "rights_holder_id")
_UNLOADED = object()


def search_document(*, title: str, description: str, parties: list[str]) -> str:
    """The normalised text the case search matches: party names, title and description, each
    through ``normalize_name`` (Traditional to Simplified, full to half width, lower case,
    spaces next to Chinese removed), one per line.

    >>> search_document(title="銷售假冒商品", description="", parties=["保德縣 某超市"])
    '保德县某超市\\n销售假冒商品'
    """
    parts: list[str] = []
    for text in [*parties, title, description]:
        normalized = normalize_name(text or "")
        if normalized and normalized not in parts:
            parts.append(normalized)
    return "\n".join(parts)


class Source(models.TextChoices):
    COMPLAINT = "complaint", _("投诉")
    REPORT = "report", _("举报")
    LEAD_NOTICE = "lead_notice", _("线索通报")
    MONITORING = "monitoring", _("监测预警")
    INSPECTION = "inspection", _("检查发现")


class Track(models.TextChoices):
    """The triage track (繁简分流). Labelled as kinds of case, so that they are not mistaken for
    the penalty procedures (``Procedure``), which the simple track does not decide."""

    SIMPLE = "simple", _("简易案件")
    ORDINARY = "ordinary", _("普通案件")
    MAJOR = "major", _("重大案件")


class Procedure(models.TextChoices):
    """The procedure a penalty was decided under. The simple procedure (decided on the spot,
    《行政处罚法》第五十一条) is open only to a warning or a fine up to 200 yuan for a natural
    person or 3,000 yuan for an organisation; everything else is the ordinary procedure. This is
    not the triage track: a case triaged "simple" is still decided under the ordinary procedure
    unless the decision itself qualifies."""

    SIMPLE = "simple", _("简易程序（当场处罚）")
    ORDINARY = "ordinary", _("普通程序")


class ExcludedTime(models.TextChoices):
    """Why time does not count towards a limit (不计入期限). Which reasons stop which limit is
    in ``cases.deadlines.EXCLUDABLE``, each with its legal source."""

    SUSPENSION = "suspension", _("案件中止")
    HEARING = "hearing", _("听证")
    ANNOUNCEMENT = "announcement", _("公告")
    TESTING = "testing", _("检测、检验、检疫、鉴定")
    IDENTIFICATION = "identification", _("权利人辨认或者鉴别")
    REFUND = "refund", _("责令退还多收价款")


class DecisionKind(models.TextChoices):
    PENALTY = "penalty", _("行政处罚")
    NO_VIOLATION = "no_violation", _("不予处罚/无违法")
    MEDIATED = "mediated", _("调解结案")
    TRANSFERRED = "transferred", _("移送")


class OpeningProposal(models.TextChoices):
    OPEN = "open", _("拟立案")
    NOT_OPEN = "not_open", _("拟不予立案")


class Case(TimeStampedModel):
    """Something to look at, from the moment it is received until it is closed.

    A complaint, a report or a lead arrives as a case in status ``received``; accepting it opens
    the case (立案). ``number`` is the tracking number the submitter sees.
    """

    number = models.CharField(_("编号"), max_length=24, unique=True)
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    title = models.CharField(_("事由"), max_length=200)
    description = models.TextField(_("情况描述"))
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.RECEIVED
    )
    status_before_suspension = models.CharField(max_length=16, blank=True)
    suspended_on = models.DateField(null=True, blank=True, editable=False)
    track = models.CharField(
        _("程序"), max_length=16, choices=Track.choices, default=Track.ORDINARY
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="cases"
    )
    # What was infringed and by whom.
    right = models.ForeignKey(
        IPRight, verbose_name=_("被侵权的权利"), null=True, blank=True, on_delete=models.PROTECT
    )
    rights_holder = models.ForeignKey(
        RightsHolder, verbose_name=_("权利人"), null=True, blank=True, on_delete=models.PROTECT
    )
    infringer = models.ForeignKey(
        Entity,
        verbose_name=_("涉嫌侵权主体"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    infringer_name = models.CharField(_("涉嫌侵权人名称"), max_length=200, blank=True)
    infringer_address = models.CharField(_("涉嫌侵权人地址"), max_length=200, blank=True)
    place = models.CharField(_("发生地点/网址"), max_length=500, blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("发生地区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rights_count = models.PositiveSmallIntegerField(_("涉及权利数"), default=1)
    origin_unit = models.ForeignKey(
        Unit,
        verbose_name=_("通报单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notified_cases",
    )
    access_code_hash = models.CharField(max_length=64, blank=True, editable=False)
    amount_involved = models.DecimalField(
        _("涉案金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    public_health = models.BooleanField(_("涉及食品药品等公共健康"), default=False)
    cross_region = models.BooleanField(_("跨区域"), default=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submitted_cases",
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("疑似重复"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )
    received_at = models.DateTimeField(_("接收时间"))
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    # The current statutory time limit: what must happen by when.
    deadline = models.DateField(_("办理期限"), null=True, blank=True, db_index=True)
    deadline_label = models.CharField(_("期限事项"), max_length=100, blank=True)
    extended = models.BooleanField(_("已延期"), default=False)
    # The decision.
    decision_kind = models.CharField(
        _("处理决定"), max_length=16, choices=DecisionKind.choices, blank=True
    )
    decision_summary = models.TextField(_("决定摘要"), blank=True)
    penalty_amount = models.DecimalField(
        _("罚没金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    # How the penalty was decided (publication depends on it, 公示规定第二条), and its kinds
    # (publication.PenaltyKind values; empty when not recorded).
    decision_procedure = models.CharField(
        _("处罚程序"), max_length=16, choices=Procedure.choices, blank=True
    )
    penalty_kinds = models.JSONField(_("处罚种类"), default=list, blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    # The procedure's own data (行政处罚法 2021, 市场监督管理行政处罚程序规定 2022).
    opening_proposal = models.CharField(
        _("立案意见"), max_length=16, choices=OpeningProposal.choices, blank=True
    )
    opened_at = models.DateTimeField(_("立案时间"), null=True, blank=True)
    facts = models.TextField(_("违法事实"), blank=True)
    legal_basis = models.TextField(_("法律依据"), blank=True)
    decision_number = models.CharField(_("决定书文号"), max_length=100, blank=True)
    decision_served_on = models.DateField(_("决定书送达日期"), null=True, blank=True)
    fine_due_on = models.DateField(_("罚款缴纳期限"), null=True, blank=True)
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    # The case search's text (``search_document``), kept by ``save``; indexed for substrings by
    # migration 0013 (an FTS5 trigram table on SQLite, a pg_trgm index on PostgreSQL).
    search_text = models.TextField(blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        ordering = ["-received_at", "-id"]
        indexes = [
            # Unit-scoped lists (the common case) and all-unit lists (auditors), both by deadline.
            # No single-column status index: without statistics SQLite's planner would prefer it
            # to the unit's composite index and scan every unit's cases (see benchmarks/cases.py).
            models.Index(fields=["unit", "status", "deadline"]),
            models.Index(fields=["status", "deadline"]),
            # Covering for the inbox's "limits passed" count (status read from the index).
            models.Index(fields=["unit", "deadline", "status"]),
            # The inbox's decided-case sources: decisions to serve, publish or close, and fines
            # overdue, counted from the index without reading the rows.
            models.Index(
                fields=[
                    "unit",
                    "status",
                    "decision_kind",
                    "decision_procedure",
                    "decision_served_on",
                ]
            ),
            models.Index(fields=["unit", "fine_due_on", "status"]),
            models.Index(fields=["infringer", "right", "received_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):  # type: ignore[no-untyped-def]
        case = super().from_db(db, field_names, values, **kwargs)
        case._search_seen = case._search_key()
        return case

    def _search_key(self) -> tuple[object, ...]:
        # Deferred fields are absent from __dict__: they cannot have changed unless assigned.
        return tuple(self.__dict__.get(name, _UNLOADED) for name in SEARCH_SOURCES)

    def parties(self) -> list[str]:
        """The names the case search finds the case by: the party (as entered and as the
        registered entity) and the rights holder."""
        names = [self.infringer_name]
        if self.infringer_id is not None:
            names.append(self.infringer.name)
        if self.rights_holder_id is not None:
            names.append(self.rights_holder.name)
        return names

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        update_fields = kwargs.get("update_fields")
        touched = update_fields is None or bool(
            {*update_fields} & {*SEARCH_SOURCES, "infringer", "rights_holder"}
        )
        if touched and getattr(self, "_search_seen", None) != self._search_key():
            self.search_text = search_document(
                title=self.title, description=self.description, parties=self.parties()
            )
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)
        self._search_seen = self._search_key()


class CaseEventVerb(models.TextChoices):
    """The closed list of what the case record (执法全过程记录) can say."""

    RECEIVED = "received", _("接收")
    TRANSITION = "transition", _("状态变更")
    TRIAGED = "triaged", _("分流")
    TRACK_OVERRIDDEN = "track_overridden", _("变更程序")
    DUPLICATE_LINKED = "duplicate_linked", _("关联疑似重复")
    DEADLINE_SET = "deadline_set", _("设定期限")
    ATTACHMENT_ADDED = "attachment_added", _("添加材料")
    FILE_VIEWED = "file_viewed", _("查看材料")
    IDENTITY_REVEALED = "identity_revealed", _("查看举报人身份")
    NOTE_ADDED = "note_added", _("记录")
    STEP_RECORDED = "step_recorded", _("办案环节")
    DOCUMENT_ADDED = "document_added", _("添加文书")
    DOCUMENT_VIEWED = "document_viewed", _("查看文书")
    FILE_EXPORTED = "file_exported", _("导出电子卷宗")


class CaseEvent(AppendOnlyModel):
    """One entry of a case's record. Append-only; each entry carries the hash of the previous
    one, so a changed or removed entry breaks the chain (``cases.record.verify_chain``)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    verb = models.CharField(_("事项"), max_length=32, choices=CaseEventVerb.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("时间"))
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    note = models.TextField(_("说明"), blank=True)
    public = models.BooleanField(
        default=False, help_text=_("提交人可在进度页看到（不含内部说明）。")
    )
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("执法记录")
        verbose_name_plural = _("执法记录")
        ordering = ["case_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="uniq_case_event_seq")]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.seq} {self.get_verb_display()}"


class Attachment(models.Model):
    """A file submitted with a case: stored in the data directory, hashed at upload."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to="cases/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=200)
    kind = models.CharField(_("类型"), max_length=16)
    size = models.PositiveIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("材料")
        verbose_name_plural = _("材料")
        ordering = ["case_id", "id"]

    def __str__(self) -> str:
        return self.original_name


class ReporterIdentity(models.Model):
    """Who reported, encrypted at rest; the key lives in the data directory, never here."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="reporter")
    ciphertext = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("举报人信息（加密）")
        verbose_name_plural = _("举报人信息（加密）")

    def __str__(self) -> str:
        return f"reporter of case {self.case_id}"


class DayKind(models.TextChoices):
    WORKING = "working", _("工作日")
    CALENDAR = "calendar", _("自然日")


class TimeLimit(models.Model):
    """A statutory time limit, editable by administrators, with the rule it comes from."""

    key = models.SlugField(_("代码"), max_length=40, unique=True)
    label = models.CharField(_("事项"), max_length=100)
    days = models.PositiveSmallIntegerField(_("期限"))
    day_kind = models.CharField(_("计算方式"), max_length=16, choices=DayKind.choices)
    extension_days = models.PositiveSmallIntegerField(_("可延长"), default=0)
    legal_source = models.CharField(_("依据"), max_length=300)

    class Meta:
        verbose_name = _("办理时限")
        verbose_name_plural = _("办理时限")
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.label}（{self.days}{self.get_day_kind_display()}）"


class WorkdayOverride(models.Model):
    """An administrator-entered working day or day off, for years the calendar library does
    not know yet (the State Council publishes each year's schedule in November)."""

    date = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(_("上班"), help_text=_("勾选为调休上班日，不勾选为放假"))
    note = models.CharField(_("说明"), max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'上班' if self.is_working_day else '放假'}"


class CalendarYear(models.Model):
    """A year whose complete official holiday schedule has been entered as overrides."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    complete = models.BooleanField(_("已完整录入"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("已录入的年度放假安排")
        verbose_name_plural = _("已录入的年度放假安排")

    def __str__(self) -> str:
        return str(self.year)


class TriageField(models.TextChoices):
    AMOUNT = "amount_involved", _("涉案金额（元）")
    PRIOR_PENALTIES = "prior_penalties", _("五年内行政处罚次数")
    RIGHTS_COUNT = "rights_count", _("涉及权利数")
    CROSS_REGION = "cross_region", _("跨区域")
    PUBLIC_HEALTH = "public_health", _("涉及食品药品")
    REPEAT_INFRINGER = "repeat_infringer", _("重复侵权主体（信用记录）")


class TriageOperator(models.TextChoices):
    GTE = "gte", _("不少于")
    LT = "lt", _("少于")
    IS_TRUE = "true", _("为是")


class TriageRule(models.Model):
    """繁简分流: when ``field operator value`` holds, the case takes ``track``. When several
    rules hold, the most serious track wins (major > ordinary > simple); when none holds, the
    case is ordinary."""

    name = models.CharField(_("规则名称"), max_length=100)
    field = models.CharField(_("依据"), max_length=32, choices=TriageField.choices)
    operator = models.CharField(_("条件"), max_length=8, choices=TriageOperator.choices)
    value = models.DecimalField(_("数值"), max_digits=14, decimal_places=2, default=0)
    track = models.CharField(_("程序"), max_length=16, choices=Track.choices)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("分流规则")
        verbose_name_plural = _("分流规则")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class CaseDeadline(models.Model):
    """One statutory time limit running on a case. ``Case.deadline`` mirrors the earliest open
    one so that lists can sort and filter on a column."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    key = models.SlugField(max_length=40)
    label = models.CharField(_("事项"), max_length=100)
    legal_source = models.CharField(_("依据"), max_length=300)
    starts_on = models.DateField(_("起算日"))
    due_on = models.DateField(_("届满日"), db_index=True)
    extended = models.BooleanField(_("已延长"), default=False)
    met_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    calendar_note = models.CharField(_("日历说明"), max_length=200, blank=True)
    last_reminded_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("期限")
        verbose_name_plural = _("期限")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["met_at", "due_on"])]

    def __str__(self) -> str:
        return f"{self.label} {self.due_on}"


class CaseEventAnchor(AppendOnlyModel):
    """Where a case-record entry was appended to the platform's evidence ledger. Written after
    the entry's transaction commits, so the ledger only holds entries that exist."""

    event = models.OneToOneField(CaseEvent, on_delete=models.PROTECT, related_name="anchor")
    leaf_index = models.BigIntegerField(unique=True)
    anchored_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("执法记录锚定")
        verbose_name_plural = _("执法记录锚定")
        ordering = ["leaf_index"]

    def __str__(self) -> str:
        return f"{self.event} @ {self.leaf_index}"


# --- The penalty procedure's steps that are records rather than moves: service (送达), the prior
# notice (告知) with the party's statement and the hearing (听证), collective discussion (集体讨论),
# decision numbers (文号) and payments. Each is written by one service in ``cases.procedure``
# together with a case-record entry.


class ServiceMethod(models.TextChoices):
    """送达方式: 《行政处罚法》第六十一条 sends service to the Civil Procedure Law (2023),
    第八十七—九十五条; electronic service needs the party's consent (第六十一条第二款)."""

    HAND = "hand", _("直接送达")
    LEFT = "left", _("留置送达")
    ELECTRONIC = "electronic", _("电子送达")
    ENTRUSTED = "entrusted", _("委托送达")
    POST = "post", _("邮寄送达")
    ANNOUNCEMENT = "announcement", _("公告送达")


class ServedDocument(models.TextChoices):
    PRIOR_NOTICE = "prior_notice", _("行政处罚告知书")
    HEARING_NOTICE = "hearing_notice", _("听证通知书")
    DECISION = "decision", _("行政处罚决定书")


class Service(models.Model):
    """One document served on the party, as the service receipt (送达回证) records it."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="services")
    document = models.CharField(_("送达文书"), max_length=16, choices=ServedDocument.choices)
    method = models.CharField(_("送达方式"), max_length=16, choices=ServiceMethod.choices)
    sent_on = models.DateField(_("发出日期"))
    served_on = models.DateField(_("送达日期"))
    recipient = models.CharField(_("受送达人"), max_length=200)
    consent = models.BooleanField(_("当事人同意电子送达"), default=False)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("送达记录")
        verbose_name_plural = _("送达记录")
        ordering = ["case_id", "id"]

    def __str__(self) -> str:
        return f"{self.get_document_display()} {self.served_on}"


class PriorNotice(models.Model):
    """The prior notice of an intended penalty (行政处罚告知书) and what the party did with it."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="prior_notices")
    summary = models.TextField(_("拟处罚内容"))
    amount = models.DecimalField(
        _("拟罚没金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    kinds = models.JSONField(_("拟处罚种类"), default=list, blank=True)
    hearing_right = models.BooleanField(_("告知听证权利"), default=False)
    service = models.OneToOneField(
        Service, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    statement_ends_on = models.DateField(_("陈述申辩期限届满日"), null=True, blank=True)
    statement = models.TextField(_("陈述、申辩意见"), blank=True)
    stated_on = models.DateField(_("陈述申辩日期"), null=True, blank=True)
    waived_on = models.DateField(_("书面放弃日期"), null=True, blank=True)
    hearing_requested_on = models.DateField(_("申请听证日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("行政处罚告知")
        verbose_name_plural = _("行政处罚告知")
        ordering = ["case_id", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.summary[:20]}"


class Hearing(models.Model):
    """A hearing the party asked for (听证), from its notice to its record and report."""

    notice = models.OneToOneField(PriorNotice, on_delete=models.PROTECT, related_name="hearing")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="hearings")
    notified_on = models.DateField(_("听证通知送达日期"), null=True, blank=True)
    held_on = models.DateField(_("听证日期"), null=True, blank=True)
    place = models.CharField(_("听证地点"), max_length=200, blank=True)
    host = models.CharField(_("听证主持人"), max_length=100, blank=True)
    record = models.TextField(_("听证笔录"), blank=True)
    report = models.TextField(_("听证报告"), blank=True)
    recorded_at = models.DateTimeField(_("记录时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("听证")
        verbose_name_plural = _("听证")
        ordering = ["case_id", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.held_on}"


class CollectiveDiscussion(models.Model):
    """集体讨论 by the unit's leaders (《行政处罚法》第五十七条第二款), with its minutes."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="discussions")
    held_on = models.DateField(_("讨论日期"))
    attendees = models.TextField(_("出席人员"))
    minutes = models.TextField(_("讨论记录"))
    conclusion = models.TextField(_("结论性意见"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("集体讨论")
        verbose_name_plural = _("集体讨论")
        ordering = ["case_id", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.held_on}"


class DocumentCounter(models.Model):
    """The last document number a unit gave in a year, per kind of document: numbers are taken
    inside the deciding transaction under a row lock, so they run without gaps."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    kind = models.SlugField(max_length=32)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("文书编号")
        verbose_name_plural = _("文书编号")
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind", "year"], name="uniq_document_counter")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.kind} {self.year}: {self.last}"


class Payment(models.Model):
    """A payment of a fine (and of the late-payment surcharge, 加处罚款) recorded against it."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="payments")
    paid_on = models.DateField(_("缴款日期"))
    amount = models.DecimalField(_("缴款金额（元）"), max_digits=14, decimal_places=2)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("缴款记录")
        verbose_name_plural = _("缴款记录")
        ordering = ["case_id", "paid_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.amount} {self.paid_on}"


class RecordKind(models.TextChoices):
    INQUIRY = "inquiry", _("询问笔录")
    INSPECTION = "inspection", _("现场笔录")


class InvestigationRecord(models.Model):
    """An inquiry record (询问笔录) or an on-site inspection record (现场笔录), made by at least
    two officers (《行政处罚法》第四十二条第一款)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="investigation_records")
    kind = models.CharField(_("笔录种类"), max_length=16, choices=RecordKind.choices)
    held_on = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=200)
    officers = models.CharField(_("执法人员"), max_length=200)
    person = models.CharField(_("被询问人/当事人"), max_length=200)
    content = models.TextField(_("笔录内容"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("调查笔录")
        verbose_name_plural = _("调查笔录")
        ordering = ["case_id", "held_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on}"


class MeasureKind(models.TextChoices):
    SEAL = "seal", _("查封")
    SEIZE = "seize", _("扣押")


class CompulsoryMeasure(models.Model):
    """Sealing or seizure (查封、扣押) of goods or places: at most 30 days, extendable once by at
    most 30 with the leader's approval (《行政强制法》第二十五条), until released."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="measures")
    kind = models.CharField(_("措施"), max_length=16, choices=MeasureKind.choices)
    items = models.TextField(_("查封、扣押的场所、设施或者财物"))
    decided_on = models.DateField(_("决定日期"))
    ends_on = models.DateField(_("期限届满日"))
    extended = models.BooleanField(_("已延长"), default=False)
    extension_reason = models.CharField(_("延长理由"), max_length=500, blank=True)
    released_on = models.DateField(_("解除日期"), null=True, blank=True)
    release_reason = models.CharField(_("解除理由"), max_length=500, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("查封、扣押")
        verbose_name_plural = _("查封、扣押")
        ordering = ["case_id", "decided_on", "id"]
        indexes = [models.Index(fields=["released_on", "ends_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.decided_on}–{self.ends_on}"


class RemedyKind(models.TextChoices):
    RECONSIDERATION = "reconsideration", _("行政复议")
    LITIGATION = "litigation", _("行政诉讼")


class RemedyOutcome(models.TextChoices):
    PENDING = "pending", _("审理中")
    UPHELD = "upheld", _("维持")
    CHANGED = "changed", _("变更")
    REVOKED = "revoked", _("撤销")
    UNLAWFUL = "unlawful", _("确认违法")
    VOID = "void", _("确认无效")
    WITHDRAWN = "withdrawn", _("申请人撤回")


class Remedy(models.Model):
    """The party's reconsideration (行政复议) or lawsuit (行政诉讼) against the decision, and its
    outcome."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="remedies")
    kind = models.CharField(_("救济途径"), max_length=16, choices=RemedyKind.choices)
    filed_on = models.DateField(_("申请或起诉日期"))
    body = models.CharField(_("复议机关或人民法院"), max_length=200)
    outcome = models.CharField(
        _("结果"), max_length=16, choices=RemedyOutcome.choices, default=RemedyOutcome.PENDING
    )
    outcome_on = models.DateField(_("结果日期"), null=True, blank=True)
    # A decision changed (变更) by the reconsideration body or the court: what it now is.
    changed_summary = models.TextField(_("变更后的处罚内容"), blank=True)
    changed_amount = models.DecimalField(
        _("变更后的罚没金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    changed_kinds = models.JSONField(_("变更后的处罚种类"), default=list, blank=True)
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("行政复议、行政诉讼")
        verbose_name_plural = _("行政复议、行政诉讼")
        ordering = ["case_id", "filed_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.filed_on} {self.get_outcome_display()}"


class Enforcement(models.Model):
    """Application to a people's court for compulsory enforcement of an unpaid fine, after a
    written demand (催告) and ten working days (《行政强制法》第五十三、五十四条)."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="enforcement")
    urged_on = models.DateField(_("催告日期"))
    applied_on = models.DateField(_("申请日期"))
    court = models.CharField(_("人民法院"), max_length=200)
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("申请法院强制执行")
        verbose_name_plural = _("申请法院强制执行")

    def __str__(self) -> str:
        return f"{self.case_id} {self.court} {self.applied_on}"


class PlanKind(models.TextChoices):
    DEFERRAL = "deferral", _("暂缓缴纳")
    INSTALMENTS = "instalments", _("分期缴纳")


class PaymentPlan(models.Model):
    """A deferral or instalments of a fine, approved by the leader on the party's application
    (《行政处罚法》第六十六条第二款). ``schedule`` is ``[[date, amount], …]`` for what was still
    unpaid; the latest plan applies."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="payment_plans")
    kind = models.CharField(_("方式"), max_length=16, choices=PlanKind.choices)
    original_due_on = models.DateField(_("原缴纳期限"))
    paid_before = models.DecimalField(
        _("批准前已缴（元）"), max_digits=14, decimal_places=2, default=0
    )
    schedule = models.JSONField(_("缴纳安排"))
    reason = models.CharField(_("理由"), max_length=500)
    approved_on = models.DateField(_("批准日期"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("暂缓或者分期缴纳罚款")
        verbose_name_plural = _("暂缓或者分期缴纳罚款")
        ordering = ["case_id", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_kind_display()}"


class InformationRequest(models.Model):
    """The unit asks the complainant or reporter for more (补充材料): the question, and the
    answer given on the status page (signed in, or with the number and access code)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="information_requests")
    question = models.TextField(_("需要补充的内容"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("补充说明"), blank=True)
    answered_at = models.DateTimeField(_("补充时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("补充材料请求")
        verbose_name_plural = _("补充材料请求")
        ordering = ["case_id", "id"]
        indexes = [models.Index(fields=["case", "answered_at"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.question[:20]}"


class DisposalMethod(models.TextChoices):
    """How confiscated goods are disposed of (《行政处罚法》第七十四条第一款: destroyed where the
    law says so, otherwise publicly auctioned or handled as the state provides)."""

    DESTROYED = "destroyed", _("销毁")
    AUCTIONED = "auctioned", _("公开拍卖")
    HANDED_OVER = "handed_over", _("移交有关部门")
    OTHER = "other", _("其他依法处理")


class ConfiscatedGoods(models.Model):
    """One item of the goods a penalty decision confiscated (没收非法财物), and its disposal
    (处置): by at least two officers, on a day, at a place; an auction's proceeds go to the
    treasury in full (《行政处罚法》第七十四条第二款). Undisposed goods stop the case closing."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="confiscated_goods")
    description = models.CharField(_("物品名称及规格"), max_length=500)
    quantity = models.DecimalField(_("数量"), max_digits=14, decimal_places=3)
    unit_of_measure = models.CharField(_("计量单位"), max_length=20)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The disposal, once done.
    method = models.CharField(
        _("处置方式"), max_length=16, choices=DisposalMethod.choices, blank=True
    )
    disposed_on = models.DateField(_("处置日期"), null=True, blank=True)
    officers = models.CharField(_("执法人员"), max_length=200, blank=True)
    place = models.CharField(_("处置地点"), max_length=200, blank=True)
    recipient = models.CharField(_("接收部门"), max_length=200, blank=True)
    proceeds = models.DecimalField(
        _("拍卖款项（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    disposal_note = models.CharField(_("处置说明"), max_length=500, blank=True)
    disposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("罚没物品")
        verbose_name_plural = _("罚没物品")
        ordering = ["case_id", "id"]

    def __str__(self) -> str:
        return f"{self.description} {self.quantity_text}{self.unit_of_measure}"

    @property
    def quantity_text(self) -> str:
        """The quantity without trailing zeros and never in exponent form: 200, 1.5."""
        return f"{self.quantity.normalize():f}"


class Retention(models.TextChoices):
    """How long an archived case file is kept (保管期限)."""

    PERMANENT = "permanent", _("永久")
    LONG = "long", _("长期")
    SHORT = "short", _("短期")


class Archive(models.Model):
    """A closed case filed in the unit's archive (立卷归档, 《行政处罚法》第四十七条): its archive
    number (卷号), given per unit and year without gaps, how long it is kept, its size and who
    filed it. A case is archived once."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="archive")
    number = models.CharField(_("卷号"), max_length=100, unique=True)
    year = models.PositiveSmallIntegerField(_("归档年度"))
    sequence = models.PositiveIntegerField()
    retention = models.CharField(_("保管期限"), max_length=16, choices=Retention.choices)
    volumes = models.PositiveSmallIntegerField(_("册数"), default=1)
    pages = models.PositiveIntegerField(_("页数"), null=True, blank=True)
    archived_on = models.DateField(_("归档日期"))
    note = models.TextField(_("备考"), blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("案卷归档")
        verbose_name_plural = _("案卷归档")

    def __str__(self) -> str:
        return self.number
