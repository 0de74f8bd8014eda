"""The case record (执法全过程记录) for people: entries described in words, and as a PDF.

:func:`entries` turns each ``CaseEvent`` into an :class:`Entry` (who, when, what changed, in
the user's language); the workbench timeline and :func:`case_record_pdf` both use it, so the
screen and the printed record always say the same thing.

The PDF uses reportlab's built-in CID font ``STSong-Light`` (Adobe's Chinese font pack, which
every PDF reader ships), so no font file has to be installed or embedded.

>>> data = case_record_pdf(case, generated_by="张晓峰")
>>> data[:4]
b'%PDF'
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ipshield.cases import record
from ipshield.cases.models import Case, CaseEvent, CaseEventVerb, Source, Track
from ipshield.cases.selectors import case_record
from ipshield.cases.workflow import Action, Status

__all__ = ["Entry", "calendar_note_text", "case_record_pdf", "entries"]

FONT = "STSong-Light"

# The working-day engine is pure Python and speaks English; its messages are shown translated.
_ENGINE_NOTE = re.compile(r"The official holiday schedule for (\d{4}) is not (known|confirmed) yet")


def calendar_note_text(note: str) -> str:
    """The working-day engine's calendar warning in the user's language (other text as is).

    >>> calendar_note_text("The official holiday schedule for 2003 is not known yet; ...")
    '2003 年的法定节假日安排尚未录入，按仅周末休息计算'
    >>> calendar_note_text("The official holiday schedule for 2027 is not confirmed yet; ...")
    '2027 年的期限按法定节假日推算，待管理员确认当年调休安排'
    """
    match = _ENGINE_NOTE.search(note or "")
    if match is None:
        return note or ""
    if match.group(2) == "confirmed":
        from ipshield.cases.workcalendar import provisional_notice

        return provisional_notice([int(match.group(1))])
    return _("%(year)s 年的法定节假日安排尚未录入，按仅周末休息计算") % {"year": match.group(1)}


@dataclass(frozen=True)
class Entry:
    """One case-record entry as people read it."""

    seq: int
    at: dt.datetime  # local time
    actor: str
    unit: str
    verb: str
    verb_label: str
    before: str  # label of what changed, before and after ("" when nothing changed)
    after: str
    before_status: str  # status codes, for badges ("" when the change is not a status)
    after_status: str
    detail: str
    note: str
    hash: str
    prev_hash: str


def _label(choices: Any, value: Any) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "")


def _actor_name(event: CaseEvent, case: Case) -> str:
    if record.by_system(event):
        return _("系统")
    if event.actor_id is None:
        return _("匿名/系统")
    # A reporter is protected: staff see who reported only through the recorded reveal.
    if case.source == Source.REPORT and event.unit_id is None:
        return _("举报人")
    profile = getattr(event.actor, "profile", None)
    return profile.display_name if profile else event.actor.get_username()


def _describe(event: CaseEvent, attachment_names: dict[int, str]) -> dict[str, str]:
    before, after = event.before or {}, event.after or {}
    out = {"before": "", "after": "", "before_status": "", "after_status": "", "detail": ""}
    if event.verb == CaseEventVerb.RECEIVED:
        out.update(after=str(Status.RECEIVED.label), after_status=Status.RECEIVED)
        out["detail"] = _("来源：%(s)s；程序：%(t)s") % {
            "s": _label(Source, after.get("source")),
            "t": _label(Track, after.get("track")),
        }
    elif event.verb == CaseEventVerb.TRANSITION:
        out.update(
            before=_label(Status, before.get("status")),
            after=_label(Status, after.get("status")),
            before_status=str(before.get("status", "")),
            after_status=str(after.get("status", "")),
            detail=_label(Action, after.get("action")),
        )
    elif event.verb == CaseEventVerb.TRIAGED:
        # Stored as written at intake; the platform's own wording (no rule matched) and rules
        # seeded with a translation follow the reader's language, an administrator's rule names
        # show as written.
        reasons = pgettext("clause separator", "；").join(
            _(str(r)) for r in after.get("reasons", []) if r
        )
        out["detail"] = _("程序：%(t)s") % {"t": _label(Track, after.get("track"))}
        if reasons:
            out["detail"] += _("（%(r)s）") % {"r": reasons}
    elif event.verb == CaseEventVerb.TRACK_OVERRIDDEN:
        out.update(
            before=_label(Track, before.get("track")), after=_label(Track, after.get("track"))
        )
    elif event.verb == CaseEventVerb.DUPLICATE_LINKED:
        out["detail"] = _("疑似重复：%(n)s") % {"n": after.get("duplicate_of", "")}
    elif event.verb == CaseEventVerb.DEADLINE_SET:
        # The limit's name as it was when set: the seeded names follow the reader's language.
        label = str(after.get("label", ""))
        out["detail"] = _("%(label)s，届满日 %(due)s") % {
            "label": _(label) if label else "",
            "due": after.get("due", ""),
        }
    elif event.verb == CaseEventVerb.ATTACHMENT_ADDED:
        out["detail"] = _("%(name)s（%(size)s 字节，SHA-256 %(sha)s…）") % {
            "name": after.get("name", ""),
            "size": after.get("size", ""),
            "sha": str(after.get("sha256", ""))[:16],
        }
    elif event.verb == CaseEventVerb.STEP_RECORDED:
        from ipshield.cases.procedure import describe_step

        out["detail"] = describe_step(after)
    elif event.verb in (CaseEventVerb.DOCUMENT_ADDED, CaseEventVerb.DOCUMENT_VIEWED):
        # The kind's title as stored (its Chinese msgid) follows the reader's language.
        title = str(after.get("title", ""))
        out["detail"] = _("%(title)s 第 %(v)s 版") % {
            "title": _(title) if title else after.get("kind", ""),
            "v": after.get("version", ""),
        }
        if event.verb == CaseEventVerb.DOCUMENT_ADDED:
            out["detail"] += _("（%(format)s，SHA-256 %(sha)s…）") % {
                "format": str(after.get("format", "")).upper(),
                "sha": str(after.get("sha256", ""))[:16],
            }
    elif event.verb == CaseEventVerb.FILE_EXPORTED:
        out["detail"] = _("%(n)s 个文件（清单 SHA-256 %(sha)s…）") % {
            "n": after.get("files", ""),
            "sha": str(after.get("manifest_sha256", ""))[:16],
        }
    elif event.verb == CaseEventVerb.FILE_VIEWED:
        pk = after.get("attachment")
        out["detail"] = _("材料：%(name)s") % {"name": attachment_names.get(pk, f"#{pk}")}
    return out


def entries(case: Case) -> list[Entry]:
    """The case record of ``case`` as :class:`Entry` rows, oldest first, in two queries."""
    names = dict(case.attachments.values_list("pk", "original_name"))
    rows = []
    for event in case_record(case=case):
        described = _describe(event, names)
        rows.append(
            Entry(
                seq=event.seq,
                at=timezone.localtime(event.at),
                actor=_actor_name(event, case),
                unit=(event.unit.short_name or event.unit.name) if event.unit else "",
                verb=event.verb,
                verb_label=event.get_verb_display(),
                note=calendar_note_text(event.note),
                hash=event.hash,
                prev_hash=event.prev_hash,
                **described,
            )
        )
    return rows


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def case_record_pdf(case: Case, *, generated_by: str = "") -> bytes:
    """The complete case record of ``case`` as an A4 landscape PDF: the case, every entry with
    its hash, and whether the hash chain verifies."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    _register_font()
    body = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12, wordWrap="CJK")
    small = ParagraphStyle("small", parent=body, fontSize=7.5, leading=9.5)
    mono = ParagraphStyle(
        "mono", parent=body, fontName="Courier", fontSize=6.5, leading=8, textColor=colors.grey
    )
    title = ParagraphStyle("title", parent=body, fontSize=18, leading=24, spaceAfter=6)
    head = ParagraphStyle("head", parent=body, fontSize=10, leading=14)

    def p(text: Any, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(escape(str(text or "")).replace("\n", "<br/>"), style)

    rows = entries(case)
    broken_at = record.verify_chain(case)
    generated = timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")
    if broken_at is None:
        verdict = _(
            "哈希链校验：通过。共 %(n)d 条记录，每条的哈希均与内容及前一条相符，未发现改动或缺失。"
        ) % {"n": len(rows)}
    else:
        verdict = _(
            "哈希链校验：未通过。第 %(seq)d 条记录与其内容或前一条记录不符，记录可能被改动或删除。"
        ) % {"seq": broken_at}
    verdict_style = ParagraphStyle(
        "verdict",
        parent=head,
        textColor=colors.HexColor("#067647" if broken_at is None else "#b42318"),
        spaceBefore=2,
    )
    story: list[Any] = [
        p(_("执法全过程记录"), title),
        p(_("案件编号：%(n)s") % {"n": case.number}, head),
        p(_("事由：%(t)s") % {"t": case.title}, head),
        p(
            _("承办单位：%(u)s　　状态：%(s)s　　程序：%(t)s")
            % {"u": case.unit.name, "s": case.get_status_display(), "t": case.get_track_display()},
            head,
        ),
        p(
            _("生成时间：%(at)s（北京时间）%(by)s")
            % {
                "at": generated,
                "by": (_("　　生成人：%(name)s") % {"name": generated_by}) if generated_by else "",
            },
            head,
        ),
        p(verdict, verdict_style),
        Spacer(1, 4 * mm),
    ]
    header = [
        p(h, small)
        for h in (
            _("序号"),
            _("时间"),
            _("办理人"),
            _("单位"),
            _("事项"),
            _("状态/程序变更"),
            _("说明"),
        )
    ]
    data: list[list[Any]] = [header]
    style = [
        ("FONT", (0, 0), (-1, -1), FONT, 9),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f6")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, 0), 0.4, colors.HexColor("#9aa5b1")),
        ("LINEBELOW", (0, 0), (-1, 0), 0.4, colors.HexColor("#9aa5b1")),
        ("BOX", (0, 0), (-1, -1), 0.5, colors.HexColor("#9aa5b1")),
    ]
    for entry in rows:
        change = f"{entry.before} → {entry.after}" if entry.before else entry.after
        note = "\n".join(x for x in (entry.detail, entry.note) if x)
        data.append(
            [
                p(entry.seq),
                p(entry.at.strftime("%Y-%m-%d %H:%M:%S"), small),
                p(entry.actor),
                p(entry.unit, small),
                p(entry.verb_label),
                p(change),
                p(note),
            ]
        )
        # Hashes are hex (safe as markup); the labels switch to the CJK font.
        hashes = (
            f'<font name="{FONT}">{escape(_("哈希"))}</font> {entry.hash}　'
            f'<font name="{FONT}">{escape(_("前一条"))}</font> {entry.prev_hash}'
        )
        data.append(["", Paragraph(hashes, mono)])
        hash_row = len(data) - 1
        style += [
            ("SPAN", (1, hash_row), (-1, hash_row)),
            ("TOPPADDING", (0, hash_row), (-1, hash_row), 0),
            ("LINEBELOW", (0, hash_row), (-1, hash_row), 0.3, colors.HexColor("#d9e2ec")),
        ]
    widths = [12 * mm, 32 * mm, 26 * mm, 30 * mm, 24 * mm, 40 * mm, None]
    usable = landscape(A4)[0] - 30 * mm
    widths[-1] = usable - sum(w for w in widths if w)
    # splitInRow: a long note may run over a page break instead of failing the export.
    table = Table(data, colWidths=widths, repeatRows=1, splitInRow=1)
    table.setStyle(TableStyle(style))
    story.append(table)

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.drawString(
            15 * mm,
            8 * mm,
            _("%(n)s 执法全过程记录　第 %(page)d 页") % {"n": case.number, "page": doc.page},
        )
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=14 * mm,
        bottomMargin=15 * mm,
        title=_("执法全过程记录 %(n)s") % {"n": case.number},
        author=case.unit.name,
        subject=case.title,
    )
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
