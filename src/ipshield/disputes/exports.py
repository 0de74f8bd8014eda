"""The dispute's documents through the one document generator: the people's mediation
agreement (人民调解协议书) with each signature's record, and the joint application for judicial
confirmation (司法确认申请书). Kept apart from ``signing`` so that the services never import the
generator (an import-linter contract: the demo command reaches the services)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipshield.common.errors import InvalidInput
from ipshield.disputes import errors
from ipshield.disputes.models import Confirmation, Dispute, Side
from ipshield.disputes.signing import _agreement, agreement_context, confirmation_application_text
from ipshield.documents import layouts, registry, render
from ipshield.documents.case_kinds import cn_date

FORMS_DIR = Path(__file__).resolve().parent / "templates" / "disputes" / "forms"


def _organisation_name(dispute: Dispute) -> str:
    return dispute.organisation.unit.name


def _role(row: dict[str, Any]) -> str:
    if row["as_mediator"]:
        return "调解员（代表调解组织加盖印章）"
    side = "申请人" if row["side"] == Side.APPLICANT else "被申请人"
    how = "书面签名，调解员记录" if row["channel"] == "paper" else "验证码在线签署"
    return f"{side}（{how}）"


@dataclass(frozen=True)
class _Subject:
    dispute: Dispute
    court: Any = None


def _agreement_layout_context(subject: _Subject) -> dict[str, Any]:
    dispute = subject.dispute
    context = agreement_context(dispute)
    agreement = context["agreement"]
    rows = [
        {
            **row,
            "at": timezone.localtime(row["at"]).strftime("%Y-%m-%d %H:%M"),
            "proof": str(row["leaf_index"]) if row["leaf_index"] is not None else "待存证",
            "matches": "是" if row["current"] else f"否（签署的是第{row['version']}版）",
            "role": _role(row),
        }
        for row in context["signatures"]
    ]
    return {
        "title": "人民调解协议书",
        "organisation": _organisation_name(dispute),
        "dispute": dispute,
        "agreement": agreement,
        "paragraphs": [p for p in context["paragraphs"] if p.strip()],
        "signatures": rows,
        "missing": context["missing"],
        "effective": cn_date(timezone.localtime(agreement.effective_at))
        if agreement.effective_at
        else "",
    }


AGREEMENT_KIND = registry.DocumentKind(
    code="dispute_agreement",
    title=gettext_lazy("人民调解协议书"),
    template="dispute_agreement.xml",
    build=_agreement_layout_context,
    subject="dispute",
    order=10,
)


def _confirmation_layout_context(subject: _Subject) -> dict[str, Any]:
    dispute = subject.dispute
    text = confirmation_application_text(dispute, subject.court)
    paragraphs = [p for p in text.split("\n")[1:] if p.strip()]
    return {
        "title": "司法确认申请书",
        "dispute": dispute,
        "paragraphs": paragraphs,
        "parties": list(dispute.parties.all()),
    }


CONFIRMATION_KIND = registry.DocumentKind(
    code="dispute_confirmation",
    title=gettext_lazy("司法确认申请书"),
    template="dispute_confirmation.xml",
    build=_confirmation_layout_context,
    subject="dispute",
    order=20,
)

registry.add_forms_dir(FORMS_DIR)
registry.register(AGREEMENT_KIND, CONFIRMATION_KIND)


def agreement_pdf(dispute: Dispute) -> bytes:
    """The agreement as a PDF: its text and each signature's record (signer, party, time,
    SHA-256, ledger leaf or pending, whether it binds the current text)."""
    _agreement(dispute)
    layout = layouts.fill(AGREEMENT_KIND, _agreement_layout_context(_Subject(dispute)))
    return render.to_pdf(layout)


def confirmation_pdf(dispute: Dispute, court: Any = None) -> bytes:
    """The joint application for judicial confirmation as a PDF (the court of the application
    on file, else ``court``)."""
    confirmation = Confirmation.objects.filter(dispute=dispute).select_related("court").first()
    court = court or (confirmation.court if confirmation is not None else dispute.court)
    if court is None:
        raise InvalidInput(_("请选择受理申请的人民法院。"), field="court", code=errors.NOT_A_COURT)
    layout = layouts.fill(CONFIRMATION_KIND, _confirmation_layout_context(_Subject(dispute, court)))
    return render.to_pdf(layout)
