"""What the PDF documents (slips, reports, lists, the privacy notice) have in common.

A4/A5 pages built with reportlab's platypus: :func:`build_pdf` writes a story to bytes,
:func:`numbered_canvas` adds the footer with 「第 x 页 共 y 页」 once the page count is known,
:func:`paragraph` sets plain text (escaped, line breaks kept), and the table helpers give the
ruled forms and the report tables their common look. Dates on the forms read
「2026年11月26日 16:05」 (:func:`when_text`).

Imports reportlab at module level: only the PDF modules import this one, and they load reportlab
anyway (the window imports those lazily, when a document is made).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.colors import Color
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable
from reportlab.platypus import Paragraph
from reportlab.platypus import SimpleDocTemplate
from reportlab.platypus import Spacer
from reportlab.platypus import Table
from reportlab.platypus import TableStyle

from reception.documents import pdf_fonts

CREATOR = "前台接待工作站"

# The forms (派工单, 来函处理单)
LINE = colors.HexColor("#333333")
SHADE = colors.HexColor("#eeeeee")
GREY = colors.HexColor("#555555")
# The reports (交接班报告, 日报, 投诉分析总结)
INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#5f6b7a")
RULE = colors.HexColor("#9aa5b1")
HEADER_BG = colors.HexColor("#e3e8ee")
ALERT = colors.HexColor("#b71c1c")
ALERT_BG = colors.HexColor("#fdecea")

Command = tuple[Any, ...]


# --------------------------------------------------------------------------------------------
# Text


def when_text(value: datetime | None) -> str:
    """``2026年11月26日 16:05`` (as given: naive local time); ``—`` for None."""
    if value is None:
        return "—"
    return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"


def paragraph(text: object, style: Any) -> Paragraph:
    """A paragraph of plain text: escaped, line breaks kept."""
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


# --------------------------------------------------------------------------------------------
# The document


@dataclass(frozen=True)
class PageLayout:
    """A page size and its margins (left and right the same)."""

    pagesize: tuple[float, float]
    margin_x: float
    margin_top: float
    margin_bottom: float

    @property
    def width(self) -> float:
        """The width of the frame the story flows in."""
        return self.pagesize[0] - self.margin_x - self.margin_x

    def build(
        self,
        story: list[Flowable],
        *,
        canvasmaker: type[Canvas] | None = None,
        on_page: Callable[[Canvas, Any], None] | None = None,
        **info: Any,
    ) -> bytes:
        """The story as PDF bytes. ``info``: title, author, subject, creator."""
        buffer = io.BytesIO()
        doc = SimpleDocTemplate(
            buffer,
            pagesize=self.pagesize,
            leftMargin=self.margin_x,
            rightMargin=self.margin_x,
            topMargin=self.margin_top,
            bottomMargin=self.margin_bottom,
            **info,
        )
        options: dict[str, Any] = {"canvasmaker": canvasmaker or embedded_font_canvas()}
        if on_page is not None:
            options["onFirstPage"] = on_page
            options["onLaterPages"] = on_page
        doc.build(story, **options)
        return buffer.getvalue()


def embedded_font_canvas() -> type[Canvas]:
    """A canvas whose pages start in the embedded font (reportlab's default start font,
    Helvetica, would otherwise be listed in the file without being embedded)."""
    font = pdf_fonts.font_name()

    class EmbeddedFontCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            if kwargs.get("initialFontName") is None:  # the document template passes None
                kwargs["initialFontName"] = font
            super().__init__(*args, **kwargs)

    return EmbeddedFontCanvas


# --------------------------------------------------------------------------------------------
# Page numbers: 「第 x 页 共 y 页」 needs the page count, known only at the end


def numbered_canvas(
    footer: str,
    *,
    margin_x: float,
    y: float,
    size: float,
    color: Color,
    serial: str = "",
    rule: Color | None = None,
) -> type[Canvas]:
    """A canvas class that draws ``footer`` at the left of each page and ``"{serial}　第 x 页 共
    y 页"`` at the right, at height ``y`` — with a thin ``rule`` 4 mm above if given. Every page
    starts in the embedded font: no unembedded Helvetica in the file."""
    font = pdf_fonts.font_name()
    prefix = f"{serial}　" if serial else ""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            if kwargs.get("initialFontName") is None:
                kwargs["initialFontName"] = font
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            width, _height = self._pagesize
            self.saveState()
            if rule is not None:
                self.setStrokeColor(rule)
                self.setLineWidth(0.5)
                self.line(margin_x, y + 4 * mm, width - margin_x, y + 4 * mm)
            self.setFillColor(color)
            self.setFont(font, size)
            self.drawString(margin_x, y, footer)
            self.drawRightString(width - margin_x, y, f"{prefix}第 {self._pageNumber} 页 共 {total} 页")
            self.restoreState()

    return NumberedCanvas


# --------------------------------------------------------------------------------------------
# Tables


def form_title(
    property_name: str, title: str, property_style: Any, title_style: Any, *, gaps: tuple[float, float]
) -> list[Flowable]:
    """The top of a form: the property (物业服务中心 if unnamed), then the title large; ``gaps``
    are the spaces below each."""
    return [
        paragraph(property_name or "物业服务中心", property_style),
        Spacer(1, gaps[0]),
        paragraph(title, title_style),
        Spacer(1, gaps[1]),
    ]


def header_row(left: Flowable, right: Flowable, widths: Sequence[float], *extra: Command) -> Table:
    """The line under a form's title: serial at the left, something at the right, no rules."""
    row = Table([[left, right]], colWidths=list(widths))
    row.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), pdf_fonts.font_name()),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                *extra,
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return row


def form_style(*extra: Command, pad: float, top: float, bottom: float) -> TableStyle:
    """A ruled form table: thin grid, heavy left and right edges, the label column shaded."""
    return TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), pdf_fonts.font_name()),
            ("GRID", (0, 0), (-1, -1), 0.6, LINE),
            ("LINEBEFORE", (0, 0), (0, -1), 1.2, colors.black),
            ("LINEAFTER", (-1, 0), (-1, -1), 1.2, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), top),
            ("BOTTOMPADDING", (0, 0), (-1, -1), bottom),
            ("LEFTPADDING", (0, 0), (-1, -1), pad),
            ("RIGHTPADDING", (0, 0), (-1, -1), pad),
            ("BACKGROUND", (0, 0), (0, -1), SHADE),
            *extra,
        ]
    )


def form_text_rows(
    label: Flowable,
    parts: Sequence[Flowable],
    *,
    label_width: float,
    width: float,
    min_height: float,
    pad: float,
    first_top: float,
    last_bottom: float,
    rule_above: bool = False,
) -> Table:
    """A long text in a ruled form (问题描述, 内容摘要): one row per paragraph so that a long one
    splits between pages (``splitInRow``). No spans: reportlab wraps a split spanned cell at the
    width of its first column."""
    rows: list[list[object]] = [["", part] for part in parts]
    rows[0][0] = label
    last = len(rows) - 1
    above: list[Command] = [("LINEABOVE", (0, 0), (-1, 0), 0.6, LINE)] if rule_above else []
    return Table(
        rows,
        colWidths=[label_width, width - label_width],
        splitInRow=1,
        minRowHeights=[min_height] if last == 0 else None,
        style=TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), pdf_fonts.font_name()),
                *above,
                ("LINEBEFORE", (0, 0), (0, -1), 1.2, colors.black),
                ("LINEAFTER", (-1, 0), (-1, -1), 1.2, colors.black),
                ("LINEAFTER", (0, 0), (0, -1), 0.6, LINE),
                ("LINEBELOW", (0, -1), (-1, -1), 0.6, LINE),
                ("BACKGROUND", (0, 0), (0, -1), SHADE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), pad),
                ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                ("TOPPADDING", (0, 0), (-1, 0), first_top),
                ("TOPPADDING", (0, 1), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, last), (-1, last), last_bottom),
            ]
        ),
    )


def report_table_commands(
    font: str, size: float, *, header_bg: Color, header_rule: Color, box: float
) -> list[Command]:
    """The common look of a report table: header row shaded, thin rules between rows, a box."""
    return [
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("BACKGROUND", (0, 0), (-1, 0), header_bg),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, header_rule),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
        ("BOX", (0, 0), (-1, -1), box, header_rule),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]


def figure_tiles(
    cells: Sequence[Sequence[Flowable]], width: float, *, background: Color, top: float, bottom: float
) -> Table:
    """Key figures side by side in boxes (label above, large number below)."""
    tile = width / max(len(cells), 1)
    tiles = Table([list(cells)], colWidths=[tile] * len(cells))
    tiles.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), pdf_fonts.font_name()),
                ("BOX", (0, 0), (-1, -1), 0.6, RULE),
                ("INNERGRID", (0, 0), (-1, -1), 0.6, RULE),
                ("BACKGROUND", (0, 0), (-1, -1), background),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), top),
                ("BOTTOMPADDING", (0, 0), (-1, -1), bottom),
            ]
        )
    )
    return tiles


def heading(flowable: Paragraph) -> Paragraph:
    """``flowable`` kept on the page of what follows it."""
    flowable.keepWithNext = True
    return flowable
