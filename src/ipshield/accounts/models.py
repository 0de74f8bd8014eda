"""Regions, units, people's profiles, the leading group and API tokens."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ipshield.accounts.roles import ALL_UNITS_ROLES, READ_ONLY_ROLES, STAFF_ROLES, Role
from ipshield.common.models import TimeStampedModel


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")
    TOWNSHIP = "township", _("乡级")


class Region(models.Model):
    """An administrative division. Province, city and county codes are the 6-digit GB/T 2260
    codes; townships carry the 9-digit GB/T 10114 code (county code + 3 digits)."""

    code = models.CharField(
        _("区划代码"),
        max_length=9,
        primary_key=True,
        validators=[
            RegexValidator(r"^(\d{6}|\d{9})$", _("区划代码应为 6 位（乡级为 9 位）数字。"))
        ],
    )
    name = models.CharField(_("名称"), max_length=64)
    level = models.CharField(_("级别"), max_length=16, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def full_name(self) -> str:
        names = []
        node: Region | None = self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return "".join(reversed(names))


class UnitKind(models.TextChoices):
    GOVERNMENT = "government", _("人民政府")
    MARKET_SUPERVISION = "market_supervision", _("市场监督管理")
    COURT = "court", _("人民法院")
    PROCURATORATE = "procuratorate", _("人民检察院")
    POLICE = "police", _("公安机关")
    JUSTICE = "justice", _("司法行政")
    CULTURE_TOURISM = "culture_tourism", _("文化和旅游")
    AGRICULTURE = "agriculture", _("农业农村")
    NATURAL_RESOURCES = "natural_resources", _("自然资源")
    TOWNSHIP = "township", _("乡镇政府")
    MEDIATION = "mediation", _("调解组织")
    PARTY = "party", _("党委部门")
    OTHER_DEPARTMENT = "other_department", _("其他部门")
    EXTERNAL = "external", _("外部单位")


class Unit(TimeStampedModel):
    """A government department or organisation; people work in one."""

    name = models.CharField(_("单位名称"), max_length=128, unique=True)
    short_name = models.CharField(_("简称"), max_length=32, blank=True)
    kind = models.CharField(_("类型"), max_length=32, choices=UnitKind.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="units"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_external = models.BooleanField(
        _("外部联系单位"), default=False, help_text=_("其他地区或系统外的单位，仅作联系对象。")
    )
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    document_prefix = models.CharField(
        _("处罚文书字号"),
        max_length=32,
        blank=True,
        help_text=_("决定书文号的字头，如“保市监处罚”；不填则用单位简称加“处罚”。"),
    )

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["region_id", "name"]
        permissions = [("manage_unit_people", _("管理本单位人员"))]

    def __str__(self) -> str:
        return self.name


class Profile(TimeStampedModel):
    """What IPShield knows about a user beyond Django's account: unit, title, phone.

    Roles are the user's Django groups (see :mod:`ipshield.accounts.roles`).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(_("姓名"), max_length=64)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("所在单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    title = models.CharField(_("职务"), max_length=64, blank=True)
    phone = models.CharField(_("手机号"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("人员信息")
        verbose_name_plural = _("人员信息")
        ordering = ["unit_id", "display_name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def roles(self) -> set[str]:
        cached = getattr(self, "_roles_cache", None)
        if cached is None:
            cached = set(self.user.groups.values_list("name", flat=True))
            self._roles_cache = cached
        return cached

    def roles_known(self, names: Iterable[str]) -> None:
        """Take the role names read along with the profile (saves a query)."""
        self._roles_cache = set(names)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(str(r) for r in roles))

    @property
    def is_staff_member(self) -> bool:
        return self.unit_id is not None and self.has_role(*STAFF_ROLES)

    @property
    def sees_all_units(self) -> bool:
        return self.has_role(*ALL_UNITS_ROLES)

    @property
    def read_only(self) -> bool:
        writable = STAFF_ROLES - READ_ONLY_ROLES
        return self.has_role(*READ_ONLY_ROLES) and not self.has_role(*writable)

    def role_labels(self) -> list[str]:
        return [str(Role(r).label) for r in sorted(self.roles) if r in Role.values]


class LeadingGroup(TimeStampedModel):
    """领导组: the cross-department group steering IP protection in a region."""

    name = models.CharField(_("名称"), max_length=128)
    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT)
    office_unit = models.ForeignKey(
        Unit,
        verbose_name=_("办公室所在单位"),
        on_delete=models.PROTECT,
        related_name="hosted_leading_groups",
    )
    office_note = models.CharField(_("办公室说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("领导组")
        verbose_name_plural = _("领导组")

    def __str__(self) -> str:
        return self.name


class GroupPosition(models.TextChoices):
    LEADER = "leader", _("组长")
    DEPUTY = "deputy", _("副组长")
    MEMBER = "member", _("成员")
    OFFICE_DIRECTOR = "office_director", _("办公室主任")


class LeadingGroupMember(models.Model):
    group = models.ForeignKey(
        LeadingGroup, verbose_name=_("领导组"), on_delete=models.CASCADE, related_name="members"
    )
    person = models.ForeignKey(
        Profile, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="group_seats"
    )
    position = models.CharField(_("组内职务"), max_length=16, choices=GroupPosition.choices)
    title = models.CharField(_("本职职务"), max_length=64)
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("领导组成员")
        verbose_name_plural = _("领导组成员")
        ordering = ["group_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "person", "position"], name="uniq_group_person_position"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_position_display()} {self.person}"


class ApiToken(TimeStampedModel):
    """A bearer token issued to a unit's system. Only the SHA-256 of the secret is stored."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="api_tokens"
    )
    name = models.CharField(_("用途"), max_length=100)
    prefix = models.CharField(_("前缀"), max_length=16, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    acts_as = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("代表账号"),
        on_delete=models.PROTECT,
        related_name="api_tokens",
        help_text=_("通过该令牌的请求以此账号的角色与单位执行。"),
    )
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at"]
        permissions = [("issue_apitoken", _("签发接口令牌"))]

    def __str__(self) -> str:
        return f"{self.unit} · {self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Share(TimeStampedModel):
    """A record made visible to another unit (a transfer, an assistance request, a lead notice)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    unit = models.ForeignKey(
        Unit, verbose_name=_("共享给"), on_delete=models.CASCADE, related_name="shares"
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("原因"), max_length=200)

    class Meta:
        verbose_name = _("共享")
        verbose_name_plural = _("共享")
        indexes = [models.Index(fields=["content_type", "unit", "object_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "unit"], name="uniq_share_per_unit"
            )
        ]


class Notification(models.Model):
    """An in-app message to one person (deadline reminders, transfers waiting, …)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # The notice's kind (``accounts.notices.NOTICES``) and its parameters: pages and messages
    # render it in the reader's language. ``message`` keeps the text as first written (kinds
    # unknown to this version, and notices stored before kinds existed, show it).
    kind = models.CharField(_("类型"), max_length=60, blank=True)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    message = models.CharField(_("内容"), max_length=300)
    link = models.CharField(_("链接"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("已读"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)
    texted_at = models.DateTimeField(_("短信发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.message

    @property
    def text(self) -> str:
        """The notice in the active language."""
        from ipshield.accounts.notices import render

        return render(self.kind, self.params or {}, fallback=self.message)


class NotificationSettings(models.Model):
    """How one person wants to be told: always in the app; by e-mail at once or in a daily
    digest; by SMS. Someone who never chose has the defaults (e-mail at once, no SMS)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    email = models.BooleanField(_("邮件通知"), default=True)
    digest = models.BooleanField(
        _("每日汇总"), default=False, help_text=_("不逐条发邮件，每天早上发一封当天以前的汇总。")
    )
    sms = models.BooleanField(_("短信通知"), default=False)
    digest_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("通知设置")
        verbose_name_plural = _("通知设置")

    def __str__(self) -> str:
        return str(self.user)
