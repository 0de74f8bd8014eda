"""Preserved evidence (电子存证): one row per file, each matched by one leaf of the ledger.

A row is written only after its leaf is durably in the platform ledger (``evidence.ledger``),
so every row has a leaf; a leaf without a row (a failed write after the append) is harmless and
``ipshield ledger audit`` lists it. Rows are append-only: evidence is never edited.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ipshield.accounts.models import Unit
from ipshield.cases.models import Case
from ipshield.common.models import AppendOnlyModel


class EvidenceItem(AppendOnlyModel):
    """A file preserved by its submitter: stored, hashed (SHA-256 and SM3) and logged.

    ``leaf`` is the exact leaf input appended to the ledger (canonical JSON, see
    ``evidence.receipts``); ``leaf_index`` its position. The ``head_*`` fields keep the signed
    tree head issued right after the append, so the receipt can be rebuilt identically at any
    time: its inclusion proof is for ``tree_size`` leaves.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        on_delete=models.PROTECT,
        related_name="evidence_items",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence_items",
    )
    case = models.ForeignKey(
        Case,
        verbose_name=_("案件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence_items",
    )
    file = models.FileField(_("文件"), upload_to="evidence/%Y/%m/", max_length=255)
    original_name = models.CharField(_("文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    sm3 = models.CharField("SM3", max_length=64)
    leaf = models.TextField(_("账本条目"))
    leaf_index = models.PositiveBigIntegerField(_("账本位置"), unique=True)
    tree_size = models.PositiveBigIntegerField(_("存证时的账本大小"))
    head_root = models.CharField(_("签名树头根哈希"), max_length=64)
    head_timestamp = models.BigIntegerField(_("签名树头时间（毫秒）"))
    head_signature = models.CharField(_("签名树头签名"), max_length=128)
    created_at = models.DateTimeField(_("存证时间"), db_index=True)

    class Meta:
        verbose_name = _("电子存证")
        verbose_name_plural = _("电子存证")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "created_at"])]

    def __str__(self) -> str:
        return f"#{self.leaf_index} {self.original_name}"
