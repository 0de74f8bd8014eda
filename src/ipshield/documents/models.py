"""Documents (文书): every version of a case's documents, generated or uploaded, kept forever."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ipshield.cases.models import Case


class DocumentFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX"
    SCAN = "scan", _("扫描件")


class DocumentSource(models.TextChoices):
    GENERATED = "generated", _("系统生成")
    UPLOADED = "uploaded", _("上传")


# What may change on a stored version: only where its hash sits in the ledger, once.
_ANCHOR_FIELDS = frozenset({"leaf_index", "anchored_at"})


class CaseDocument(models.Model):
    """One version of one kind of document on a case. Never overwritten: a new generation or an
    edited or signed copy uploaded back is a new row with a new file and the next version."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("文书"), max_length=32)
    version = models.PositiveIntegerField(_("版本"))
    format = models.CharField(_("格式"), max_length=8, choices=DocumentFormat.choices)
    source = models.CharField(_("来源"), max_length=16, choices=DocumentSource.choices)
    file = models.FileField(upload_to="documents/%Y/%m/", max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    # Where the version's hash sits in the evidence ledger, set after its transaction commits.
    leaf_index = models.BigIntegerField(_("账本位置"), null=True, blank=True, unique=True)
    anchored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("文书")
        verbose_name_plural = _("文书")
        ordering = ["case_id", "kind", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind", "version"], name="uniq_case_document_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} v{self.version}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.pk is not None:
            fields = set(kwargs.get("update_fields") or ())
            if not fields or not fields <= _ANCHOR_FIELDS:
                raise RuntimeError("A document version is never changed; add a new version.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("Document versions are kept.")

    @property
    def extension(self) -> str:
        name = self.file.name or ""
        return name.rsplit(".", 1)[-1].lower() if "." in name else "bin"
