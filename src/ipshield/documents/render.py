"""The one renderer of documents: a layout's small XML markup into a PDF and a DOCX.

A layout (a Django template, see ``registry``) renders markup like::

    <document>
      <authority>保德县市场监督管理局</authority>
      <title>行政处罚决定书</title>
      <number>保市监处罚〔2026〕1号</number>
      <heading>一、违法事实</heading>
      <p>经查，……</p>                       (first line indented; indent="0" for none)
      <field label="当事人">某商贸有限公司</field>
      <table widths="25,75">
        <tr><th>案由</th><td span="1" height="30">……<line align="right">签名：</line></td></tr>
      </table>
      <signature label="受送达人（签名）" date="2026年3月5日"/>
      <seal unit="保德县市场监督管理局" date="2026年3月5日"/>
    </document>

:func:`parse` reads it (``xml.etree``; a malformed or unknown element raises
:class:`LayoutError`), :func:`to_pdf` lays it out on A4 with reportlab's built-in CID font
``STSong-Light`` (no font file needed), :func:`to_docx` writes the same blocks with python-docx
so that staff can edit the document in any word processor. Both put the document number in
the page footer and a seal area at the foot.

>>> layout = parse("<document><title>送达回证</title><p>正文</p></document>")
>>> to_pdf(layout)[:4], to_docx(layout)[:2]
(b'%PDF', b'PK')
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

__all__ = ["Layout", "LayoutError", "parse", "to_docx", "to_pdf"]

FONT = "STSong-Light"  # reportlab's Adobe CID font; every PDF reader has it
DOCX_FONT = "宋体"
BODY_PT = 12
TITLE_PT = 20
AUTHORITY_PT = 16


class LayoutError(ValueError):
    """The layout's markup cannot be read (a replaced layout with a mistake in it)."""


@dataclass
class Para:
    text: str
    style: str = "p"  # authority, title, number, heading, p, field, line
    label: str = ""
    align: str = ""  # left, center, right ("" = the style's own)
    indent: bool = True


@dataclass
class Cell:
    paras: list[Para]
    span: int = 1
    header: bool = False
    height_mm: float = 0.0


@dataclass
class Table:
    rows: list[list[Cell]]
    widths: list[float]  # fractions of the text width, summing to 1


@dataclass
class Signature:
    label: str
    date: str = ""


@dataclass
class Seal:
    unit: str
    date: str = ""


@dataclass
class Space:
    mm: float


@dataclass
class Layout:
    title: str = ""
    number: str = ""
    unit: str = ""
    blocks: list[Any] = field(default_factory=list)


def _text(element: ET.Element) -> str:
    """The element's own text: each line stripped, blank lines at either end dropped."""
    lines = [line.strip() for line in (element.text or "").splitlines()]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def _float(value: str | None, default: float = 0.0) -> float:
    try:
        return float(value) if value not in (None, "") else default  # type: ignore[arg-type]
    except ValueError:
        raise LayoutError(f"not a number: {value!r}") from None


def _para(element: ET.Element, style: str) -> Para:
    return Para(
        text=_text(element),
        style=style,
        label=element.get("label", ""),
        align=element.get("align", ""),
        indent=element.get("indent", "1") != "0",
    )


def _cell(element: ET.Element) -> Cell:
    paras = []
    own = _text(element)
    if own:
        paras.append(Para(own, style="cell", align=element.get("align", ""), indent=False))
    for child in element:
        if child.tag != "line":
            raise LayoutError(f"<{element.tag}> may hold only text and <line>, not <{child.tag}>")
        paras.append(Para(_text(child), style="cell", align=child.get("align", ""), indent=False))
        tail = (child.tail or "").strip()
        if tail:
            paras.append(Para(tail, style="cell", indent=False))
    span = int(_float(element.get("span"), 1))
    if span < 1:
        raise LayoutError("span must be 1 or more")
    return Cell(
        paras=paras or [Para("", style="cell", indent=False)],
        span=span,
        header=element.tag == "th",
        height_mm=_float(element.get("height")),
    )


def _table(element: ET.Element) -> Table:
    rows: list[list[Cell]] = []
    for tr in element:
        if tr.tag != "tr":
            raise LayoutError(f"<table> holds <tr> rows, not <{tr.tag}>")
        cells = []
        for td in tr:
            if td.tag not in ("td", "th"):
                raise LayoutError(f"<tr> holds <td> and <th>, not <{td.tag}>")
            cells.append(_cell(td))
        if cells:
            rows.append(cells)
    columns = max((sum(c.span for c in row) for row in rows), default=1)
    given = [_float(w) for w in element.get("widths", "").split(",") if w.strip()]
    if len(given) != columns or sum(given) <= 0:
        given = [1.0] * columns
    total = sum(given)
    return Table(rows=rows, widths=[w / total for w in given])


_PARAGRAPHS = {"authority", "title", "number", "heading", "p", "field", "line"}


def parse(markup: str) -> Layout:
    """Read a rendered layout into blocks; raises :class:`LayoutError` when it is not one."""
    # No document type, so no entity definitions (expansion bombs): values arrive escaped by
    # the template engine, and the markup needs nothing else.
    if "<!DOCTYPE" in markup.upper() or "<!ENTITY" in markup.upper():
        raise LayoutError("a layout may not declare a document type or entities")
    try:
        root = ET.fromstring(markup.strip())  # noqa: S314 -- no DTD, checked above
    except ET.ParseError as exc:
        raise LayoutError(f"the layout is not well-formed XML: {exc}") from None
    if root.tag != "document":
        raise LayoutError(f"the layout's root must be <document>, not <{root.tag}>")
    layout = Layout()
    for element in root:
        tag = element.tag
        if tag in _PARAGRAPHS:
            para = _para(element, tag)
            layout.blocks.append(para)
            if tag == "title" and not layout.title:
                layout.title = para.text
            elif tag == "number" and not layout.number:
                layout.number = para.text
            elif tag == "authority" and not layout.unit:
                layout.unit = para.text
        elif tag == "table":
            layout.blocks.append(_table(element))
        elif tag == "signature":
            layout.blocks.append(Signature(element.get("label", ""), element.get("date", "")))
        elif tag == "seal":
            layout.blocks.append(Seal(element.get("unit", ""), element.get("date", "")))
        elif tag == "space":
            layout.blocks.append(Space(_float(element.get("mm"), 5)))
        else:
            raise LayoutError(f"unknown element <{tag}>")
    return layout


def _signature_text(block: Signature) -> str:
    date = block.date or "　　　　年　　月　　日"
    return f"{block.label}：＿＿＿＿＿＿＿＿＿＿　　{date}"


# --- PDF


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _markup(text: str) -> str:
    return escape(text).replace("\n", "<br/>")


def to_pdf(layout: Layout) -> bytes:
    """``layout`` as an A4 portrait PDF."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, TableStyle
    from reportlab.platypus import Spacer as RLSpacer
    from reportlab.platypus import Table as RLTable

    _register_font()
    aligns = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}
    base = ParagraphStyle(
        "body",
        fontName=FONT,
        fontSize=BODY_PT,
        leading=BODY_PT * 1.75,
        wordWrap="CJK",
        alignment=TA_JUSTIFY,
    )
    styles = {
        "authority": ParagraphStyle(
            "authority",
            parent=base,
            fontSize=AUTHORITY_PT,
            leading=AUTHORITY_PT * 1.5,
            alignment=TA_CENTER,
        ),
        "title": ParagraphStyle(
            "title",
            parent=base,
            fontSize=TITLE_PT,
            leading=TITLE_PT * 1.5,
            alignment=TA_CENTER,
            spaceAfter=2 * mm,
        ),
        "number": ParagraphStyle("number", parent=base, alignment=TA_CENTER, spaceAfter=4 * mm),
        "heading": ParagraphStyle("heading", parent=base, spaceBefore=2 * mm),
        "p": ParagraphStyle("p", parent=base, firstLineIndent=2 * BODY_PT),
        "field": ParagraphStyle("field", parent=base),
        "line": ParagraphStyle("line", parent=base),
        "cell": ParagraphStyle("cell", parent=base, fontSize=10.5, leading=16, alignment=TA_LEFT),
    }

    def paragraph(para: Para) -> Paragraph:
        style = styles.get(para.style, styles["p"])
        changes: dict[str, Any] = {}
        if para.align in aligns:
            changes["alignment"] = aligns[para.align]
        if para.style == "p" and not para.indent:
            changes["firstLineIndent"] = 0
        if changes:
            style = ParagraphStyle(f"{style.name}-x", parent=style, **changes)
        text = _markup(para.text)
        if para.style == "field" and para.label:
            text = f"{escape(para.label)}：{text}"
        return Paragraph(text, style)

    page_width = A4[0]
    margins = (28 * mm, 26 * mm)  # left/right, after GB/T 9704's 公文 page
    usable = page_width - 2 * margins[0]

    class SealArea(Flowable):
        """The issuing authority's name and date at the right, under a dashed circle where the
        seal goes."""

        def __init__(self, unit: str, date: str) -> None:
            super().__init__()
            self.unit, self.date = unit, date
            self.height = 46 * mm

        def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
            self.width = available_width
            return available_width, self.height

        def draw(self) -> None:
            canvas = self.canv
            right = self.width - 6 * mm
            centre_x = right - 30 * mm
            canvas.saveState()
            canvas.setStrokeColor(colors.HexColor("#b42318"))
            canvas.setDash(3, 2)
            canvas.setLineWidth(0.6)
            canvas.circle(centre_x, 24 * mm, 21 * mm)
            canvas.setFillColor(colors.HexColor("#b42318"))
            canvas.setFont(FONT, 8)
            canvas.drawCentredString(centre_x, 38 * mm, "（印章）")
            canvas.setFillColor(colors.black)
            canvas.setFont(FONT, BODY_PT)
            canvas.drawRightString(right, 24 * mm, self.unit)
            if self.date:
                canvas.drawRightString(right, 16 * mm, self.date)
            canvas.restoreState()

    story: list[Any] = []
    for block in layout.blocks:
        if isinstance(block, Para):
            story.append(paragraph(block))
        elif isinstance(block, Table):
            columns = len(block.widths)
            data: list[list[Any]] = []
            commands: list[tuple[Any, ...]] = [
                ("FONT", (0, 0), (-1, -1), FONT, 10.5),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
            for r, row in enumerate(block.rows):
                line: list[Any] = []
                for cell in row:
                    content: list[Any] = [paragraph(p) for p in cell.paras]
                    if cell.header:
                        content = [
                            Paragraph(
                                _markup(p.text),
                                ParagraphStyle("th", parent=styles["cell"], alignment=TA_CENTER),
                            )
                            for p in cell.paras
                        ]
                    if cell.height_mm:
                        content.insert(0, RLSpacer(1, 0))
                        content.append(RLSpacer(1, cell.height_mm * mm))
                        commands.append(("VALIGN", (len(line), r), (len(line), r), "TOP"))
                    start = len(line)
                    line.append(content)
                    line.extend([""] * (cell.span - 1))
                    if cell.span > 1:
                        commands.append(("SPAN", (start, r), (start + cell.span - 1, r)))
                line.extend([""] * (columns - len(line)))
                data.append(line[:columns])
            table = RLTable(
                data, colWidths=[w * usable for w in block.widths], splitInRow=1, repeatRows=0
            )
            table.setStyle(TableStyle(commands))
            story.append(table)
            story.append(RLSpacer(1, 3 * mm))
        elif isinstance(block, Signature):
            story.append(RLSpacer(1, 4 * mm))
            story.append(paragraph(Para(_signature_text(block), style="line", align="right")))
        elif isinstance(block, Seal):
            story.append(KeepTogether([RLSpacer(1, 6 * mm), SealArea(block.unit, block.date)]))
        elif isinstance(block, Space):
            story.append(RLSpacer(1, block.mm * mm))

    footer_text = "　".join(x for x in (layout.unit, layout.number) if x)

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 9)
        canvas.drawCentredString(page_width / 2, 12 * mm, f"— {doc.page} —")
        if footer_text:
            canvas.drawString(margins[0], 12 * mm, footer_text)
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=margins[0],
        rightMargin=margins[0],
        topMargin=30 * mm,
        bottomMargin=margins[1],
        title=layout.title,
        author=layout.unit,
        subject=layout.number,
    )
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


# --- DOCX


def _east_asian(run: Any, size: float | None = None, *, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = DOCX_FONT
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), DOCX_FONT)
    if size:
        run.font.size = Pt(size)
    if bold:
        run.bold = True


def to_docx(layout: Layout) -> bytes:
    """``layout`` as an editable Word document (A4, 宋体), with the same blocks as the PDF."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(28)
    section.top_margin, section.bottom_margin = Mm(30), Mm(26)
    normal = document.styles["Normal"]
    normal.font.name = DOCX_FONT
    normal.font.size = Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), DOCX_FONT)
    core = document.core_properties
    core.title, core.author, core.subject = layout.title, layout.unit, layout.number

    aligns = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }
    centred = {"authority", "title", "number"}
    sizes = {"authority": AUTHORITY_PT, "title": TITLE_PT}

    def write(paragraph: Any, para: Para, *, size: float | None = None, bold: bool = False):
        if para.align in aligns:
            paragraph.alignment = aligns[para.align]
        elif para.style in centred:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if para.style == "p" and para.indent:
            paragraph.paragraph_format.first_line_indent = Pt(2 * BODY_PT)
        if para.style == "field" and para.label:
            _east_asian(paragraph.add_run(f"{para.label}："), size, bold=True)
        lines = para.text.split("\n")
        for i, text in enumerate(lines):
            run = paragraph.add_run(text)
            _east_asian(run, size or sizes.get(para.style), bold=bold)
            if i < len(lines) - 1:
                run.add_break()
        return paragraph

    for block in layout.blocks:
        if isinstance(block, Para):
            write(document.add_paragraph(), block)
        elif isinstance(block, Table):
            columns = len(block.widths)
            table = document.add_table(rows=len(block.rows), cols=columns)
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            usable = 210 - 2 * 28
            for r, row in enumerate(block.rows):
                c = 0
                for cell in row:
                    if c >= columns:
                        break
                    target = table.cell(r, c)
                    end = min(c + cell.span, columns) - 1
                    if end > c:
                        target = target.merge(table.cell(r, end))
                    for i, para in enumerate(cell.paras):
                        paragraph = target.paragraphs[0] if i == 0 else target.add_paragraph()
                        if cell.header and not para.align:
                            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                        write(paragraph, para, size=10.5, bold=cell.header)
                    if cell.height_mm:
                        table.rows[r].height = Mm(cell.height_mm + 8)
                    c = end + 1
            for i, width in enumerate(block.widths):
                for cell in table.columns[i].cells:
                    cell.width = Mm(width * usable)
            document.add_paragraph()
        elif isinstance(block, Signature):
            paragraph = document.add_paragraph()
            write(paragraph, Para(_signature_text(block), style="line", align="right"))
        elif isinstance(block, Seal):
            document.add_paragraph()
            mark = document.add_paragraph()
            mark.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _east_asian(mark.add_run("（印章）"), 9)
            write(document.add_paragraph(), Para(block.unit, style="line", align="right"))
            if block.date:
                write(document.add_paragraph(), Para(block.date, style="line", align="right"))
        elif isinstance(block, Space):
            document.add_paragraph()

    footer_text = "　".join(x for x in (layout.unit, layout.number) if x)
    if footer_text:
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _east_asian(footer.add_run(footer_text), 9)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
