"""Reads of the documents app: a case's versions and, per kind, what generation still needs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ipshield.cases.models import Case
from ipshield.cases.selectors import case_visible_to
from ipshield.common.errors import NotFound
from ipshield.documents import registry, services
from ipshield.documents.models import CaseDocument
from ipshield.documents.registry import DocumentKind


def case_documents(case: Case) -> QuerySet[CaseDocument]:
    return CaseDocument.objects.filter(case=case).select_related("created_by__profile")


def document_get(*, actor: Any, case: Case, kind: str, version: int) -> CaseDocument:
    """One version of ``case``'s ``kind``, if ``actor`` may see the case."""
    document = None
    if case_visible_to(actor=actor, case_id=case.pk):
        document = CaseDocument.objects.filter(case=case, kind=kind, version=version).first()
    if document is None:
        raise NotFound(_("找不到该文书，或您无权查看。"))
    return document


@dataclass
class KindRow:
    kind: DocumentKind
    missing: list[str]  # labels, in the reader's language
    missing_fields: list[str]
    versions: list[CaseDocument] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.kind.code

    @property
    def title(self) -> str:
        return str(self.kind.title)

    @property
    def missing_text(self) -> str:
        return pgettext("list separator", "、").join(self.missing)


def kind_rows(case: Case) -> list[KindRow]:
    """Every case kind offered for ``case`` with its versions (newest first) and the data it
    still lacks. Kinds that share a context builder build it once."""
    built: dict[Any, dict[str, Any]] = {}
    versions: dict[str, list[CaseDocument]] = {}
    for document in case_documents(case).order_by("kind", "-version"):
        versions.setdefault(document.kind, []).append(document)
    rows = []
    for kind in registry.kinds("case"):
        # A kind that does not apply is left out, unless versions of it were kept before.
        if not registry.offered(kind, case) and kind.code not in versions:
            continue
        if kind.build not in built:
            built[kind.build], _missing = services.build(kind, case)
        missing = registry.missing(kind, built[kind.build])
        rows.append(
            KindRow(
                kind=kind,
                missing=[str(r.label) for r in missing],
                missing_fields=[r.path for r in missing],
                versions=versions.get(kind.code, []),
            )
        )
    return rows
