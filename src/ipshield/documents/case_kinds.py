"""The case documents (办案文书) after SAMR's 市场监督管理行政处罚文书格式范本 (2021): each one a
registry entry (``KINDS``) plus a layout file in ``templates/documents/forms/``.

Every case kind builds its layout's context with :func:`case_context`: the case, the party, the
issuing unit, the procedure's records and the opinions recorded on the case record, formatted
as the documents print them (Chinese dates, amounts with thousands separators), and the case's
preserved evidence in ledger order (:func:`evidence_rows`, printed by the evidence list and the
investigation report). A kind that applies only to some cases says so with ``offered_for``: the
simple procedure's on-the-spot decision (当场行政处罚决定书) replaces the decision document
(行政处罚决定书) for a penalty decided on the spot.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ipshield.cases import procedure
from ipshield.cases.models import (
    Case,
    CaseEvent,
    CaseEventVerb,
    DecisionKind,
    Procedure,
    Source,
)
from ipshield.common.dates import cn_date as cn_date  # re-exported for the layouts
from ipshield.documents.registry import DocumentKind, Required, register


def yuan(amount: Decimal | None) -> str:
    """>>> yuan(Decimal("12800.5"))
    '12,800.50'
    """
    return "" if amount is None else f"{amount:,.2f}"


def _person(user: Any) -> str:
    if user is None:
        return ""
    profile = getattr(user, "profile", None)
    return getattr(profile, "display_name", "") or user.get_username()


def _opinions(case: Case) -> dict[str, dict[str, Any]]:
    """The latest opinion given with each action (its note, who, when), by action name."""
    rows: dict[str, dict[str, Any]] = {}
    events = (
        CaseEvent.objects.filter(case=case, verb=CaseEventVerb.TRANSITION)
        .select_related("actor__profile")
        .order_by("seq")
    )
    for event in events:
        action = str((event.after or {}).get("action", ""))
        rows[action] = {
            "note": event.note,
            "by": _person(event.actor),
            "date": cn_date(event.at),
        }
    return rows


def _labels(values: list[str]) -> str:
    from ipshield.publication.models import penalty_kind_labels

    return "、".join(penalty_kind_labels(values or ()))


def _record(entry: Any) -> dict[str, Any] | None:
    if entry is None:
        return None
    return {
        "held_on": cn_date(entry.held_on),
        "place": entry.place,
        "officers": entry.officers,
        "person": entry.person,
        "content": entry.content,
    }


def cn_datetime(value: dt.datetime | None) -> str:
    """A moment as documents print it, in local time.

    >>> cn_datetime(dt.datetime(2026, 3, 5, 6, 30, tzinfo=dt.UTC))
    '2026年3月5日14时30分'
    """
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{cn_date(local.date())}{local.hour}时{local.minute:02d}分"


# How an item came into the ledger, by its leaf's type (``evidence.receipts`` and
# ``evidence.capture``); other types are shown as they are.
EVIDENCE_WAYS = {
    "evidence.file": _("上传存证"),
    "evidence.web_capture": _("网页取证"),
}


def evidence_rows(case: Case) -> list[dict[str, Any]]:
    """The case's preserved evidence in ledger order, each line checkable against the ledger:
    its leaf index and the SHA-256 of the file (for a web capture, of its package)."""
    from ipshield.evidence.models import EvidenceItem

    rows = []
    items = EvidenceItem.objects.filter(case=case).order_by("leaf_index")
    for number, item in enumerate(items, start=1):
        try:
            leaf = json.loads(item.leaf)
        except ValueError:
            leaf = {}
        kind = str(leaf.get("type", ""))
        way = str(EVIDENCE_WAYS.get(kind, kind))
        url = (leaf.get("capture") or {}).get("url", "") if isinstance(leaf, dict) else ""
        submitter = (leaf.get("submitter") or {}).get("name", "") if isinstance(leaf, dict) else ""
        rows.append(
            {
                "number": number,
                "name": item.original_name,
                "way": way,
                "url": url,
                "type": leaf.get("detected_type") or item.content_type,
                "submitter": submitter,
                "recorded": cn_datetime(item.created_at),
                "sha256": item.sha256,
                "sha256_short": item.sha256[:16],
                "sm3": item.sm3,
                "leaf_index": item.leaf_index,
            }
        )
    return rows


def _on_the_spot(case: Case, inspection: Any, opinions: dict[str, dict[str, Any]]) -> dict:
    """Where, when and by whom a simple-procedure penalty was decided (《行政处罚法》第五十二条
    第二款): the place of the on-site record when there is one (the officers were there),
    else the place the case happened; the officer who recorded the decision."""
    place = inspection.place if inspection is not None else ""
    return {
        "time": cn_datetime(case.decided_at),
        "place": place or case.place,
        "officers": opinions.get("propose_decision", {}).get("by", ""),
    }


def case_context(case: Case) -> dict[str, Any]:
    """What every case layout may print. Call with Chinese active (documents are issued in
    Chinese whatever the reader's language)."""
    case = Case.objects.select_related(
        "unit__region", "infringer", "rights_holder", "origin_unit", "right"
    ).get(pk=case.pk)
    unit, infringer = case.unit, case.infringer
    party = {
        "name": case.infringer_name or (infringer.name if infringer else ""),
        "address": case.infringer_address or (infringer.address if infringer else ""),
        "uscc": (infringer.uscc or "") if infringer else "",
        "representative": infringer.legal_representative if infringer else "",
    }
    if case.source == Source.COMPLAINT:
        informant = case.rights_holder.name if case.rights_holder else ""
    elif case.source == Source.REPORT:
        informant = "（举报人信息依法保密）"
    elif case.origin_unit is not None:
        informant = case.origin_unit.name
    else:
        informant = ""
    notice = procedure.latest_notice(case)
    records = {
        kind: case.investigation_records.filter(kind=kind).order_by("-held_on", "-id").first()
        for kind in ("inquiry", "inspection")
    }
    measure = case.measures.order_by("-id").first()
    hearing = case.hearings.select_related("notice").order_by("-id").first()
    discussion = case.discussions.order_by("-id").first()
    services = [
        {
            "document": s.get_document_display(),
            "number": case.decision_number if s.document == "decision" else "",
            "method": s.get_method_display(),
            "recipient": s.recipient,
            "sent_on": cn_date(s.sent_on),
            "served_on": cn_date(s.served_on),
            "note": s.note,
        }
        for s in case.services.all()
    ]
    penalty = case.decision_kind == DecisionKind.PENALTY
    fine = penalty and (case.penalty_amount or 0) > 0
    region = unit.region.name if unit.region_id else ""
    owed = procedure.dues(case) if case.fine_due_on else None
    opinions = _opinions(case)
    return {
        "case": case,
        "unit": unit,
        "party": party,
        "informant": informant,
        "source": case.get_source_display(),
        "received_on": cn_date(case.received_at),
        "accepted_on": cn_date(case.accepted_at),
        "opened_on": cn_date(case.opened_at),
        "decided_on": cn_date(case.decided_at),
        "closed_on": cn_date(case.closed_at),
        "served_on": cn_date(case.decision_served_on),
        "published_on": cn_date(case.published_at),
        "today": cn_date(timezone.localdate()),
        "opening": case.get_opening_proposal_display() if case.opening_proposal else "",
        "decision_kind": case.get_decision_kind_display() if case.decision_kind else "",
        "penalty": {
            "is_penalty": penalty,
            "fine": fine,
            "amount": yuan(case.penalty_amount) if penalty else "",
            "kinds": _labels(case.penalty_kinds),
        },
        "amount_involved": yuan(case.amount_involved),
        "opinions": opinions,
        "simple": case.decision_procedure == Procedure.SIMPLE,
        "on_the_spot": _on_the_spot(case, records["inspection"], opinions),
        "evidence": evidence_rows(case),
        "notice": (
            {
                "summary": notice.summary,
                "amount": yuan(notice.amount) if notice.amount else "",
                "kinds": _labels(notice.kinds),
                "hearing_right": notice.hearing_right,
                "served_on": cn_date(notice.service.served_on) if notice.service else "",
                "statement": notice.statement,
                "waived_on": cn_date(notice.waived_on),
            }
            if notice
            else None
        ),
        "hearing": (
            {
                "requested_on": cn_date(hearing.notice.hearing_requested_on),
                "notified_on": cn_date(hearing.notified_on),
                "held_on": cn_date(hearing.held_on),
                "place": hearing.place,
                "host": hearing.host,
                "record": hearing.record,
                "report": hearing.report,
            }
            if hearing
            else None
        ),
        "discussion": (
            {
                "held_on": cn_date(discussion.held_on),
                "attendees": discussion.attendees,
                "minutes": discussion.minutes,
                "conclusion": discussion.conclusion,
            }
            if discussion
            else None
        ),
        "inquiry": _record(records["inquiry"]),
        "inspection": _record(records["inspection"]),
        "measure": (
            {
                "kind": measure.get_kind_display(),
                "items": measure.items,
                "decided_on": cn_date(measure.decided_on),
                "ends_on": cn_date(measure.ends_on),
                "days": procedure.MEASURE_DAYS,
            }
            if measure
            else None
        ),
        "services": services,
        "execution": (
            {
                "paid": yuan(owed.paid),
                "surcharge": yuan(owed.surcharge),
                "outstanding": yuan(owed.outstanding),
            }
            if owed
            else None
        ),
        # Where the party may seek remedy: the county (district) government for reconsideration
        # of its department (《行政复议法》（2023）第二十四条) and the court where the unit sits
        # (《行政诉讼法》第十八条). A unit of another level replaces the layout.
        "remedy": {
            "reconsideration": f"{region}人民政府" if region else "",
            "court": f"{region}人民法院" if region else "",
        },
    }


def simple_penalty(case: Case) -> bool:
    """A penalty decided on the spot under the simple procedure (《行政处罚法》第五十一条)."""
    return (
        case.decision_kind == DecisionKind.PENALTY and case.decision_procedure == Procedure.SIMPLE
    )


def not_simple_penalty(case: Case) -> bool:
    return not simple_penalty(case)


def investigated(case: Case) -> bool:
    """From the investigation on: the case was opened (立案)."""
    return case.opened_at is not None


PARTY = Required("party.name", _("当事人名称"))
ADDRESS = Required("party.address", _("当事人地址"))
FACTS = Required("case.facts", _("违法事实"))
BASIS = Required("case.legal_basis", _("法律依据"))
PROPOSAL = Required("case.decision_summary", _("处理意见"))

KINDS = (
    DocumentKind(
        code="source_register",
        title=_("案件来源登记表"),
        template="source_register.xml",
        build=case_context,
        required=(Required("case.description", _("案情简介")),),
        order=10,
    ),
    DocumentKind(
        code="opening_approval",
        title=_("立案（不予立案）审批表"),
        template="opening_approval.xml",
        build=case_context,
        required=(
            PARTY,
            Required("opening", _("立案意见")),
            Required("opinions.request_opening", _("承办人立案意见")),
        ),
        order=20,
    ),
    DocumentKind(
        code="investigation_report",
        title=_("调查终结报告"),
        template="investigation_report.xml",
        build=case_context,
        required=(PARTY, Required("opened_on", _("立案日期")), FACTS, BASIS, PROPOSAL),
        order=30,
    ),
    DocumentKind(
        code="case_review",
        title=_("案件审核表"),
        template="case_review.xml",
        build=case_context,
        required=(
            PARTY,
            FACTS,
            BASIS,
            PROPOSAL,
            Required("opinions.approve_case_review", _("案件审核意见")),
        ),
        order=40,
    ),
    DocumentKind(
        code="collective_discussion",
        title=_("集体讨论记录"),
        template="collective_discussion.xml",
        build=case_context,
        required=(PARTY, Required("discussion", _("集体讨论"))),
        order=50,
    ),
    DocumentKind(
        code="prior_notice",
        title=_("行政处罚告知书"),
        template="prior_notice.xml",
        build=case_context,
        required=(PARTY, ADDRESS, Required("notice", _("拟处罚内容（负责人批准）")), FACTS, BASIS),
        order=60,
    ),
    DocumentKind(
        code="hearing_notice",
        title=_("听证通知书"),
        template="hearing_notice.xml",
        build=case_context,
        required=(
            PARTY,
            ADDRESS,
            Required("hearing", _("当事人的听证申请")),
            Required("hearing.held_on", _("听证日期")),
            Required("hearing.place", _("听证地点")),
            Required("hearing.host", _("听证主持人")),
        ),
        order=70,
    ),
    DocumentKind(
        code="hearing_record",
        title=_("听证笔录"),
        template="hearing_record.xml",
        build=case_context,
        required=(
            PARTY,
            Required("hearing.held_on", _("听证日期")),
            Required("hearing.place", _("听证地点")),
            Required("hearing.host", _("听证主持人")),
            Required("hearing.record", _("听证笔录内容")),
        ),
        order=80,
    ),
    DocumentKind(
        code="decision",
        title=_("行政处罚决定书"),
        template="decision.xml",
        build=case_context,
        required=(
            Required("case.decision_number", _("决定书文号")),
            Required("decided_on", _("决定日期")),
            PARTY,
            ADDRESS,
            FACTS,
            BASIS,
            Required("case.decision_summary", _("处罚内容")),
        ),
        order=90,
        # A simple-procedure penalty has its own short form (on_the_spot_decision).
        offered_for=not_simple_penalty,
    ),
    DocumentKind(
        code="on_the_spot_decision",
        title=_("当场行政处罚决定书"),
        template="on_the_spot_decision.xml",
        build=case_context,
        # What 《行政处罚法》第五十二条第二款 says the form states.
        required=(
            PARTY,
            Required("case.facts", _("当事人的违法行为")),
            BASIS,
            Required("case.decision_summary", _("处罚内容")),
            Required("on_the_spot.time", _("处罚时间")),
            Required("on_the_spot.place", _("处罚地点（现场笔录或案件发生地点）")),
        ),
        order=92,
        offered_for=simple_penalty,
    ),
    DocumentKind(
        code="evidence_list",
        title=_("证据清单"),
        template="evidence_list.xml",
        build=case_context,
        required=(PARTY, Required("evidence", _("已存证的证据"))),
        order=28,
        offered_for=investigated,
    ),
    DocumentKind(
        code="service_receipt",
        title=_("送达回证"),
        template="service_receipt.xml",
        build=case_context,
        required=(PARTY, Required("services", _("送达记录"))),
        order=100,
    ),
    DocumentKind(
        code="inquiry_record",
        title=_("询问笔录"),
        template="inquiry_record.xml",
        build=case_context,
        required=(
            Required("inquiry.held_on", _("询问日期")),
            Required("inquiry.person", _("被询问人")),
            Required("inquiry.content", _("询问内容")),
        ),
        order=22,
    ),
    DocumentKind(
        code="inspection_record",
        title=_("现场笔录"),
        template="inspection_record.xml",
        build=case_context,
        required=(
            Required("inspection.held_on", _("检查日期")),
            Required("inspection.place", _("检查地点")),
            Required("inspection.content", _("现场情况")),
        ),
        order=24,
    ),
    DocumentKind(
        code="seizure_decision",
        title=_("查封（扣押）决定书"),
        template="seizure_decision.xml",
        build=case_context,
        required=(
            PARTY,
            Required("measure.items", _("查封、扣押的财物")),
            Required("measure.decided_on", _("决定日期")),
        ),
        order=26,
    ),
    DocumentKind(
        code="closing_approval",
        title=_("结案审批表"),
        template="closing_approval.xml",
        build=case_context,
        required=(
            PARTY,
            Required("decided_on", _("决定日期")),
            Required("case.decision_summary", _("处理结果")),
        ),
        order=110,
    ),
)


# --- the archived case file (立卷归档): its cover and its index, after SAMR's formats 54 卷宗封面
# and 55 卷内文件目录 (2021). The index lists what the file holds; the two are not in it.

ARCHIVE_KINDS = frozenset({"archive_cover", "archive_index"})


def closed_case(case: Case) -> bool:
    """Closed cases (archived ones stay closed): the file is complete."""
    from ipshield.cases.workflow import Status

    return case.status == Status.CLOSED


def file_documents(case: Case) -> list[Any]:
    """The latest version of each of the case's documents, generated or uploaded, in the order
    of the procedure (the kinds' order), the archive's own cover and index left out."""
    from ipshield.documents.models import CaseDocument
    from ipshield.documents.registry import get

    latest: dict[str, Any] = {}
    for document in CaseDocument.objects.filter(case=case).order_by("kind", "version"):
        if document.kind not in ARCHIVE_KINDS:
            latest[document.kind] = document

    def position(code: str) -> tuple[int, str]:
        kind = get(code)
        return (kind.order if kind else 10**6, code)

    return [latest[code] for code in sorted(latest, key=position)]


def document_title(code: str) -> str:
    from ipshield.documents.registry import get

    kind = get(code)
    return str(kind.title) if kind else code


def index_rows(case: Case) -> list[dict[str, Any]]:
    """The file's index: its documents in order, then its preserved evidence in ledger order,
    numbered on, each with the SHA-256 that checks it."""
    rows = []
    for number, document in enumerate(file_documents(case), start=1):
        rows.append(
            {
                "number": number,
                "name": document_title(document.kind),
                "category": "文书",
                "detail": f"{document.get_source_display()}（{document.get_format_display()}）",
                "date": cn_date(document.created_at),
                "version": document.version,
                "sha256": document.sha256,
            }
        )
    first = len(rows) + 1
    for offset, item in enumerate(evidence_rows(case)):
        rows.append(
            {
                "number": first + offset,
                "name": item["name"],
                "category": "证据",
                "detail": f"{item['way']}，账本序号 {item['leaf_index']}",
                "date": item["recorded"],
                "version": "",
                "sha256": item["sha256"],
            }
        )
    return rows


def archive_context(case: Case) -> dict[str, Any]:
    """The case's context with its archive (卷号, 保管期限 …) and the file's index."""
    from ipshield.cases.models import Archive

    context = case_context(case)
    archive = Archive.objects.filter(case=case).select_related("archived_by__profile").first()
    index = index_rows(case)
    context["index"] = index
    context["items"] = len(index)
    context["archive"] = (
        {
            "number": archive.number,
            "retention": archive.get_retention_display(),
            "volumes": archive.volumes,
            "pages": archive.pages or "",
            "archived_on": cn_date(archive.archived_on),
            "by": _person(archive.archived_by),
            "note": archive.note,
        }
        if archive
        else None
    )
    return context


ARCHIVE = Required("archive.number", _("卷号（先立卷归档）"))

KINDS += (
    DocumentKind(
        code="archive_cover",
        title=_("卷宗封面"),
        template="archive_cover.xml",
        build=archive_context,
        required=(PARTY, Required("closed_on", _("结案日期")), ARCHIVE),
        order=200,
        offered_for=closed_case,
    ),
    DocumentKind(
        code="archive_index",
        title=_("卷内文件目录"),
        template="archive_index.xml",
        build=archive_context,
        required=(Required("index", _("卷内文件")), ARCHIVE),
        order=210,
        offered_for=closed_case,
    ),
)


def register_case_kinds() -> None:
    register(*KINDS)
