"""Reading a plan for import: the text of an uploaded file, and the preview the office confirms.

The preview is :func:`ipshield.engines.plans.parse_plan` plus, for every responsible unit or
group as printed, the platform's candidates (:func:`ipshield.engines.plans.match_unit`), the
units chosen by default and whether the office must confirm them. The import service parses
the same text again and applies the office's choices, so preview and import cannot differ.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from ipshield.accounts.models import Region, Unit, UnitKind
from ipshield.common.errors import InvalidInput
from ipshield.engines import plans as engine
from ipshield.supervision import errors

__all__ = ["Preview", "UnitChoice", "plan_preview", "read_plan_file"]

MAX_TEXT = 400_000  # characters: a long plan is some 20,000
SURE = 0.9  # a single candidate at or above this score is taken without asking


def read_plan_file(data: bytes, name: str = "") -> str:
    """The text of a plan file: UTF-8 or GB 18030 text, a .docx (paragraphs and tables) or a
    PDF's text layer. Anything else is refused naming the field."""
    if data.startswith(b"%PDF"):
        text = _pdf_text(data)
    elif data.startswith(b"PK\x03\x04"):
        text = _docx_text(data)
    else:
        text = _plain_text(data)
    if text is None:
        raise InvalidInput(
            _("无法读取该文件：请上传文本文件（.txt）、Word 文档（.docx）或带文字层的 PDF。"),
            field="file",
            code=errors.PLAN_FILE_UNREADABLE,
        )
    return text[:MAX_TEXT]


def _plain_text(data: bytes) -> str | None:
    if b"\x00" in data[:4096]:
        return None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _docx_text(data: bytes) -> str | None:
    import docx  # python-docx, already the documents' writer

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, Exception):
        return None
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def _pdf_text(data: bytes) -> str | None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages[:200]]
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError):
        return None
    text = "\n".join(pages)
    return text if text.strip() else None


@dataclass
class UnitChoice:
    """One responsible unit or group as printed, with what the platform offers for it."""

    index: int  # its position in the preview: the form field's key
    printed: str
    group: str | None  # townships / departments, or None for one unit
    candidates: list[dict[str, Any]]  # {id, name, score, reason}
    chosen: list[int]  # unit ids taken unless the office changes them
    certain: bool  # taken without asking (one sure candidate, or a group expanded)

    @property
    def status(self) -> str:
        if self.certain:
            return "matched"
        return "uncertain" if self.candidates else "unmatched"


@dataclass
class PreviewMeasure:
    order: int
    parsed: engine.ParsedMeasure
    units: list[tuple[str, UnitChoice]]  # (role, choice), lead units first


@dataclass
class Preview:
    title: str
    year: int | None
    measures: list[PreviewMeasure]
    choices: list[UnitChoice]
    other_text: list[str]
    names_units: bool  # whether the plan names units per measure at all
    deadlines: int = 0
    stats: dict[str, int] = field(default_factory=dict)

    def choice(self, printed: str) -> UnitChoice:
        return next(c for c in self.choices if c.printed == printed)


def _candidate_units(region: Region) -> list[Unit]:
    """The units a plan of ``region`` may name: those of the region, its townships and the
    levels above (a county plan names the central-bank branch, the city bureau …)."""
    regions = {region.pk}
    regions.update(Region.objects.filter(parent=region).values_list("pk", flat=True))
    node = region.parent
    while node is not None:
        regions.add(node.pk)
        node = node.parent
    return list(
        Unit.objects.filter(region_id__in=regions, is_external=False).order_by("region_id", "name")
    )


def _places(region: Region) -> tuple[str, ...]:
    names = []
    node: Region | None = region
    while node is not None:
        names.append(node.name)
        node = node.parent
    return tuple(names)


def plan_preview(text: str, *, region: Region) -> Preview:
    """Parse ``text`` and match its units against the units of ``region``."""
    text = (text or "")[:MAX_TEXT]
    parsed = engine.parse_plan(text)
    if not parsed.measures:
        shown = [line for line in parsed.other_text if line.strip()][:5]
        raise InvalidInput(
            _("没有识别出任何任务措施。识别到的内容：%(seen)s。请检查是否为实施方案的正文。")
            % {"seen": "；".join(line.strip()[:40] for line in shown) or _("（无文字）")},
            field="text",
            code=errors.PLAN_UNREADABLE,
            details={"recognised": shown, "title": parsed.title},
        )
    units = _candidate_units(region)
    refs = [engine.UnitRef(u.pk, u.name, u.short_name) for u in units]
    by_kind: dict[str, list[int]] = {}
    for unit in units:
        by_kind.setdefault(unit.kind, []).append(unit.pk)
    places = _places(region)
    choices: dict[str, UnitChoice] = {}
    measures = []
    for order, measure in enumerate(parsed.measures, start=1):
        roles = [("lead", n) for n in measure.lead_units]
        roles += [("supporting", n) for n in measure.supporting_units]
        if not roles:
            roles = [("responsible", n) for n in measure.units]
        row = []
        for role, printed in roles:
            choice = choices.get(printed)
            if choice is None:
                choice = _choice(len(choices), printed, refs, places, by_kind)
                choices[printed] = choice
            row.append((role, choice))
        measures.append(PreviewMeasure(order, measure, row))
    listed = list(choices.values())
    return Preview(
        title=parsed.title,
        year=parsed.year,
        measures=measures,
        choices=listed,
        other_text=[line for line in parsed.other_text if line.strip()],
        names_units=bool(listed),
        deadlines=sum(1 for m in parsed.measures if m.deadline),
        stats={
            "matched": sum(1 for c in listed if c.status == "matched"),
            "uncertain": sum(1 for c in listed if c.status == "uncertain"),
            "unmatched": sum(1 for c in listed if c.status == "unmatched"),
        },
    )


def _choice(
    index: int,
    printed: str,
    refs: list[engine.UnitRef],
    places: tuple[str, ...],
    by_kind: dict[str, list[int]],
) -> UnitChoice:
    group = engine.group_kind(printed)
    if group == "townships":
        ids = by_kind.get(UnitKind.TOWNSHIP, [])
        return UnitChoice(index, printed, group, [], ids, certain=bool(ids))
    if group == "departments":
        return UnitChoice(index, printed, group, [], [], certain=False)
    found = engine.match_unit(printed, refs, places=places)
    candidates = [
        {"id": m.key, "name": m.name, "score": round(m.score, 2), "reason": m.reason}
        for m in found[:5]
    ]
    sure = (
        bool(found)
        and found[0].score >= SURE
        and (len(found) == 1 or found[1].score < found[0].score - 0.05)
    )
    chosen = [int(str(found[0].key))] if found and found[0].score >= SURE else []
    return UnitChoice(index, printed, None, candidates, chosen, certain=sure)
