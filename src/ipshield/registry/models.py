"""Market entities, rights holders and IP rights."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from ipshield.accounts.models import Region, Unit, UnitKind
from ipshield.common.models import TimeStampedModel


class EntityKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    INDIVIDUAL_BUSINESS = "individual_business", _("个体工商户")
    PERSON = "person", _("自然人")
    ORGANISATION = "organisation", _("社会组织/其他")


class Entity(TimeStampedModel):
    """A market entity: enterprise, individual business or person that can hold or infringe
    rights. ``name`` is kept as entered; ``name_normalized`` is what lookups compare."""

    uscc = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, null=True, blank=True
    )
    name = models.CharField(_("名称"), max_length=200)
    name_normalized = models.CharField(max_length=200, db_index=True, editable=False)
    kind = models.CharField(
        _("主体类型"), max_length=32, choices=EntityKind.choices, default=EntityKind.ENTERPRISE
    )
    legal_representative = models.CharField(_("法定代表人/经营者"), max_length=64, blank=True)
    address = models.CharField(_("住所"), max_length=200, blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("所在区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entities",
    )
    business_scope = models.TextField(_("经营范围"), blank=True)
    established_on = models.DateField(_("成立日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("市场主体")
        verbose_name_plural = _("市场主体")
        ordering = ["name_normalized", "id"]
        # Entity resolution asks for the entities changed since its index was built.
        indexes = [models.Index(fields=["updated_at"], name="entity_updated_at")]

    def __str__(self) -> str:
        return self.name


class HolderKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    PERSON = "person", _("个人")
    ORGANISATION = "organisation", _("机构/协会")


class RightsHolder(TimeStampedModel):
    """The owner of IP rights. May sign in (``user``) or be entered by staff."""

    name = models.CharField(_("权利人名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=16, choices=HolderKind.choices)
    entity = models.ForeignKey(
        Entity,
        verbose_name=_("对应市场主体"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rights_holders",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rights_holder",
    )
    region = models.ForeignKey(Region, verbose_name=_("所在区划"), on_delete=models.PROTECT)
    contact_phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    contact_email = models.EmailField(_("电子邮箱"), blank=True)

    class Meta:
        verbose_name = _("权利人")
        verbose_name_plural = _("权利人")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RightKind(models.TextChoices):
    TRADEMARK = "trademark", _("商标")
    PATENT_INVENTION = "patent_invention", _("发明专利")
    PATENT_UTILITY = "patent_utility", _("实用新型专利")
    PATENT_DESIGN = "patent_design", _("外观设计专利")
    COPYRIGHT = "copyright", _("著作权")
    GEOGRAPHICAL_INDICATION = "geographical_indication", _("地理标志")
    PLANT_VARIETY = "plant_variety", _("植物新品种")
    TRADE_SECRET = "trade_secret", _("商业秘密")


# Which kind of unit verifies (and later enforces) each kind of right.
VERIFYING_UNIT_KIND: dict[str, str] = {
    RightKind.TRADEMARK: UnitKind.MARKET_SUPERVISION,
    RightKind.PATENT_INVENTION: UnitKind.MARKET_SUPERVISION,
    RightKind.PATENT_UTILITY: UnitKind.MARKET_SUPERVISION,
    RightKind.PATENT_DESIGN: UnitKind.MARKET_SUPERVISION,
    RightKind.GEOGRAPHICAL_INDICATION: UnitKind.MARKET_SUPERVISION,
    RightKind.TRADE_SECRET: UnitKind.MARKET_SUPERVISION,
    RightKind.COPYRIGHT: UnitKind.CULTURE_TOURISM,
    RightKind.PLANT_VARIETY: UnitKind.AGRICULTURE,
}


class RightStatus(models.TextChoices):
    PENDING = "pending", _("待核验")
    VERIFIED = "verified", _("已核验")
    REJECTED = "rejected", _("未通过")
    EXPIRED = "expired", _("已过期")
    INVALIDATED = "invalidated", _("已无效")


class IPRight(TimeStampedModel):
    kind = models.CharField(_("权利类型"), max_length=32, choices=RightKind.choices)
    registration_number = models.CharField(_("注册/登记号"), max_length=64)
    title = models.CharField(
        _("名称"), max_length=200, help_text=_("商标名称、专利名称、作品名称等")
    )
    holder = models.ForeignKey(
        RightsHolder, verbose_name=_("权利人"), on_delete=models.PROTECT, related_name="rights"
    )
    valid_from = models.DateField(_("生效日期"), null=True, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    nice_classes = models.JSONField(_("尼斯分类"), default=list, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=RightStatus.choices, default=RightStatus.PENDING
    )
    verifying_unit = models.ForeignKey(
        Unit,
        verbose_name=_("核验单位"),
        on_delete=models.PROTECT,
        related_name="rights_to_verify",
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核验人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("核验时间"), null=True, blank=True)
    rejection_reason = models.CharField(_("未通过原因"), max_length=200, blank=True)
    certificate = models.FileField(
        _("权利证书"), upload_to="certificates/%Y/%m/", null=True, blank=True
    )
    certificate_sha256 = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("知识产权")
        verbose_name_plural = _("知识产权")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("verify_ipright", _("核验知识产权")),
            ("register_own_right", _("登记自己的知识产权")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "registration_number"], name="uniq_right_kind_number"
            )
        ]
        indexes = [models.Index(fields=["verifying_unit", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.registration_number} {self.title}"

    @property
    def classes_display(self) -> str:
        return pgettext("list separator", "、").join(str(c) for c in self.nice_classes)
