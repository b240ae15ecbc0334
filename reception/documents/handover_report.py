"""交接班报告 and 日报 — the handover report of a shift and the daily report, as A4 PDFs.

The document the outgoing and the incoming operator sign (规程：记录与汇报; 交接班): a header
with the property, the shift, its start and end and both operators; 本班工作概况 (the headline
figures and the activity tables); then the part that matters most — 未完成事项（交给下一班）,
set apart in red, every open list shown even when empty (「无」, so a reader sees that the
callbacks were checked, not forgotten), overdue rows in red; for the daily report the comparison
with the previous seven days; the note for the next shift (and a refusal to sign, if any); and
the signature lines, prefilled with the recorded names and times.

Everything printed comes from :class:`reception.services.handover.HandoverData`, which already masks
phone and ID numbers; nothing here adds personal data. The Chinese font is embedded as a subset
(:mod:`reception.documents.pdf_fonts`), cells wrap between characters (``wordWrap="CJK"``), long tables
repeat their header on each page, and every page says 「第 x 页 共 y 页」. No Qt: the window,
the command line (``reception report handover`` / ``daily``) and the tests call the same code.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import CondPageBreak
from reportlab.platypus import Flowable
from reportlab.platypus import KeepTogether
from reportlab.platypus import Paragraph
from reportlab.platypus import Spacer
from reportlab.platypus import Table as PdfTable
from reportlab.platypus import TableStyle

from reception.clock import to_local
from reception.documents import pdf_fonts
from reception.documents import pdf_layout
from reception.documents.pdf_layout import ALERT
from reception.documents.pdf_layout import ALERT_BG
from reception.documents.pdf_layout import HEADER_BG
from reception.documents.pdf_layout import INK
from reception.documents.pdf_layout import LINE
from reception.documents.pdf_layout import MUTED
from reception.documents.pdf_layout import RULE
from reception.rules import phones
from reception.services.analysis import Table
from reception.services.handover import HandoverData
from reception.store import files
from reception.store.paths import DataDir

HANDOVER = "交接班报告"
DAILY = "日报"

OPEN_HEADING = "未完成事项（交给下一班）"
NOTE_HEADING = "交班备注"
NONE_TEXT = "无"

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 15 * mm
MARGIN_TOP = 14 * mm
MARGIN_BOTTOM = 18 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
_LAYOUT = pdf_layout.PageLayout(A4, MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM)

LABEL_BG = colors.HexColor("#eef1f4")
STRIPE = colors.HexColor("#f7f9fb")
ACCENT = colors.HexColor("#1f4e79")
ALERT_HEADER = colors.HexColor("#f8d4cf")
WARN = colors.HexColor("#a15c00")

CELL_SIZE = 8.5
CELL_LEADING = 11.5
CELL_PAD = 4  # left and right padding of a table cell, each
# A cell containing one of these marks an overdue item (red); 即将超时 is only a warning.
OVERDUE_MARKS = ("已超时", "严重超时", "已逾期")
WARNING_MARKS = ("即将超时", "24 小时内到期")
# Rows measured to choose column widths; later rows wrap within those widths if they must.
_MEASURED_ROWS = 400


# --------------------------------------------------------------------------------------------
# Styles


@dataclass(frozen=True)
class _Styles:
    font: str
    property: Any
    title: Any
    subtitle: Any
    label: Any
    value: Any
    heading: Any
    alert_heading: Any
    alert_intro: Any
    table_title: Any
    alert_table_title: Any
    header_cell: Any
    header_right: Any
    tile_label: Any
    tile_value: Any
    note: Any
    refused: Any
    sign_label: Any
    sign_value: Any
    small: Any


def _styles() -> _Styles:
    style = pdf_fonts.cjk_paragraph_style
    return _Styles(
        font=pdf_fonts.font_name(),
        property=style("ho-property", 11, alignment=TA_CENTER, textColor=MUTED),
        title=style("ho-title", 20, leading=28, alignment=TA_CENTER, textColor=INK),
        subtitle=style("ho-subtitle", 9.5, alignment=TA_CENTER, textColor=MUTED),
        label=style("ho-label", 9.5, alignment=TA_CENTER, textColor=INK),
        value=style("ho-value", 10, textColor=INK),
        heading=style(
            "ho-heading", 12.5, leading=17, textColor=ACCENT, spaceBefore=5 * mm, spaceAfter=2 * mm
        ),
        alert_heading=style("ho-alert-heading", 12.5, leading=17, textColor=colors.white),
        alert_intro=style("ho-alert-intro", 9, leading=13, textColor=ALERT),
        table_title=style(
            "ho-table-title", 10, leading=14, textColor=INK, spaceBefore=3 * mm, spaceAfter=1 * mm
        ),
        alert_table_title=style(
            "ho-alert-table-title", 10, leading=14, textColor=INK, spaceBefore=3.5 * mm, spaceAfter=1 * mm
        ),
        header_cell=style("ho-header-cell", CELL_SIZE, leading=11.5, textColor=INK),
        header_right=style("ho-header-right", CELL_SIZE, leading=11.5, textColor=INK, alignment=TA_RIGHT),
        tile_label=style("ho-tile-label", 9, textColor=MUTED, alignment=TA_CENTER),
        tile_value=style("ho-tile-value", 16, leading=21, textColor=INK, alignment=TA_CENTER),
        note=style("ho-note", 10, leading=15, textColor=INK),
        refused=style("ho-refused", 10, leading=15, textColor=ALERT),
        sign_label=style("ho-sign-label", 10.5, textColor=INK),
        sign_value=style("ho-sign-value", 10.5, textColor=INK, alignment=TA_CENTER),
        small=style("ho-small", 8.5, textColor=MUTED),
    )


_p = pdf_layout.paragraph


# --------------------------------------------------------------------------------------------
# Tables


_NUMBER_TEXT = re.compile(r"[+-]?\d+(\.\d+)?%?|—")


def _is_number(value: object) -> bool:
    """Counts and figures (right-aligned): ints, floats and texts such as '0.0', '+60%', '—'."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    return isinstance(value, str) and _NUMBER_TEXT.fullmatch(value) is not None


def row_state(row: list[object]) -> str:
    """'overdue', 'warning' or '' for a still-open row, from the state words in its cells."""
    texts = [str(value) for value in row]
    if any(mark in text for text in texts for mark in OVERDUE_MARKS):
        return "overdue"
    if any(mark in text for text in texts for mark in WARNING_MARKS):
        return "warning"
    return ""


def column_widths(header: list[str], rows: list[list[object]], font: str, total: float) -> list[float]:
    """Widths for one table that fill ``total``.

    Each column's natural width is its widest header or cell on one line. When everything fits,
    the spare room goes to the text columns. Otherwise short columns (serials, times, names,
    states) keep their natural width so they never wrap, and the long ones (问题, 事由…) are
    capped at one common width that makes the table fit — their cells then wrap, but never
    inside a run of letters and digits."""
    count = len(header)
    pad = 2 * CELL_PAD + 1
    natural: list[float] = []
    minimum: list[float] = []
    numeric: list[bool] = []
    sample = rows[:_MEASURED_ROWS]
    for col in range(count):
        cells = [row[col] for row in sample if col < len(row)]
        numeric.append(bool(cells) and all(_is_number(c) for c in cells))
        widest = _width(str(header[col]), font)
        longest_run = _width("四个汉字", font)
        for cell in cells:
            text = str(cell)
            widest = max(widest, *(_width(line, font) for line in text.split("\n")))
            for run in _RUNS.findall(text):
                longest_run = max(longest_run, _width(run, font))
        natural.append(widest + pad)
        minimum.append(natural[-1] if widest <= _SHORT_COLUMN else longest_run + pad)
    if sum(natural) <= total:
        spare = total - sum(natural)
        text_cols = [i for i in range(count) if not numeric[i]] or list(range(count))
        share = sum(natural[i] for i in text_cols)
        return [w + (spare * w / share if i in text_cols else 0.0) for i, w in enumerate(natural)]

    def fitted(cap: float) -> list[float]:
        return [max(low, min(width, cap)) for width, low in zip(natural, minimum, strict=True)]

    low, high = 0.0, max(natural)
    for _ in range(30):  # the largest cap at which the table still fits
        middle = (low + high) / 2
        if sum(fitted(middle)) > total:
            high = middle
        else:
            low = middle
    widths = fitted(low)
    scale = total / sum(widths)  # > 1 fills the page; < 1 only if even the minimums do not fit
    return [w * scale for w in widths]


# Line breaking for table cells. Cells are pre-broken into lines here instead of being
# Paragraphs: a table that runs over many pages is measured again at every page break, and
# wrapping thousands of Paragraphs each time made a busy day's report several times slower.
# The rules are those of Paragraph(wordWrap="CJK"): a line may break between any two Han
# characters, never inside a run of Latin letters or digits (a serial such as GD20261126-001
# stays whole when it fits), and closing punctuation (，。）…) never starts a line.
_TOKENS = re.compile(r"[A-Za-z0-9_.:/@#%+*\-]+|\s+|.", re.S)
_RUNS = re.compile(r"[A-Za-z0-9_.:/@#%+*\-]+")
# A column whose widest cell is at most this wide (a serial, a time, a name) is never wrapped.
_SHORT_COLUMN = 68.0
_NO_LINE_START = set("，。、；：？！）》」』】〕…—,.;:?!)]}%")
_char_widths: dict[tuple[str, str], float] = {}


_text_widths: dict[tuple[str, str], float] = {}
_TEXT_WIDTHS_MAX = 50_000  # cells repeat (states, names, times): whole texts are cached too


def _width(text: str, font: str) -> float:
    found = _text_widths.get((font, text))
    if found is not None:
        return found
    total = 0.0
    for ch in text:
        key = (font, ch)
        width = _char_widths.get(key)
        if width is None:
            width = _char_widths[key] = pdfmetrics.stringWidth(ch, font, CELL_SIZE)
        total += width
    if len(_text_widths) >= _TEXT_WIDTHS_MAX:
        _text_widths.clear()
    _text_widths[(font, text)] = total
    return total


def wrap_cell(text: str, width: float, font: str) -> list[str]:
    """``text`` broken into lines no wider than ``width`` points (at the cell font size)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0.0
        for token in _TOKENS.findall(paragraph):
            w = _width(token, font)
            if token.isspace() and not line:
                continue
            if used + w <= width:
                line, used = line + token, used + w
            elif token.isspace():
                lines.append(line)
                line, used = "", 0.0
            elif token in _NO_LINE_START and len(line) > 1:
                lines.append(line[:-1])  # take the last character along
                line = line[-1] + token
                used = _width(line, font)
            elif w <= width:
                if line:
                    lines.append(line.rstrip())
                line, used = token, w
            else:  # a run longer than a whole line: break it between characters
                for ch in token:
                    cw = _width(ch, font)
                    if used + cw > width and line:
                        lines.append(line)
                        line, used = "", 0.0
                    line, used = line + ch, used + cw
        lines.append(line.rstrip())
    return lines


def _cell(value: object, width: float, font: str) -> str:
    text = str(value)
    room = width - 2 * CELL_PAD
    if "\n" not in text and _width(text, font) <= room:
        return text
    return "\n".join(wrap_cell(text, room, font))


def data_table(
    table: Table, s: _Styles, *, alert: bool = False, highlight: bool = False, width: float = CONTENT_WIDTH
) -> PdfTable:
    """One report table: header repeated on each page, cells wrapped between characters, numbers
    right-aligned, an explicit 「无」 row when empty; with ``highlight`` overdue rows are red."""
    widths = column_widths(table.header, table.rows, s.font, width)
    numeric = [
        bool(table.rows) and all(_is_number(row[col]) for row in table.rows[:_MEASURED_ROWS])
        for col in range(len(table.header))
    ]
    header = [_p(h, s.header_right if numeric[col] else s.header_cell) for col, h in enumerate(table.header)]
    body: list[list[object]] = []
    commands: list[tuple[Any, ...]] = [
        *pdf_layout.report_table_commands(
            s.font,
            CELL_SIZE,
            header_bg=ALERT_HEADER if alert else HEADER_BG,
            header_rule=ALERT if alert else RULE,
            box=0.9 if alert else 0.6,
        ),
        ("LEADING", (0, 0), (-1, -1), CELL_LEADING),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    for index, row in enumerate(table.rows, start=1):
        state = row_state(row) if highlight else ""
        body.append(
            [
                str(value) if _is_number(value) else _cell(value, widths[col], s.font)
                for col, value in enumerate(row)
            ]
        )
        if state == "overdue":
            commands.append(("TEXTCOLOR", (0, index), (-1, index), ALERT))
            commands.append(("BACKGROUND", (0, index), (-1, index), ALERT_BG))
        elif state == "warning":
            commands.append(("TEXTCOLOR", (0, index), (-1, index), WARN))
        elif index % 2 == 0:
            commands.append(("BACKGROUND", (0, index), (-1, index), STRIPE))
        if str(row[0]) == "合计":
            commands.append(("LINEABOVE", (0, index), (-1, index), 0.8, RULE))
    if not body:
        body.append([NONE_TEXT, *[""] * (len(table.header) - 1)])
        commands.append(("SPAN", (0, 1), (-1, 1)))
        commands.append(("LEFTPADDING", (0, 1), (-1, 1), 8))
        commands.append(("FONTSIZE", (0, 1), (-1, 1), 9.5))
    for col, is_number in enumerate(numeric):
        if is_number:
            commands.append(("ALIGN", (col, 1), (col, -1), "RIGHT"))
    pdf_table = PdfTable([header, *body], colWidths=widths, repeatRows=1, hAlign="LEFT")
    pdf_table.setStyle(TableStyle(commands))
    return pdf_table


# --------------------------------------------------------------------------------------------
# Parts of the document


def _when(value: datetime | None, pattern: str = "%Y-%m-%d %H:%M") -> str:
    return to_local(value).strftime(pattern) if value is not None else ""


_WEEKDAYS = "一二三四五六日"


def _day_text(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日（星期{_WEEKDAYS[day.weekday()]}）"


def _meta_table(rows: list[list[object]], s: _Styles, spans: list[int]) -> PdfTable:
    label = 22 * mm
    half = (CONTENT_WIDTH - 2 * label) / 2
    cells: list[list[object]] = []
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), s.font),
        ("GRID", (0, 0), (-1, -1), 0.6, LINE),
        ("BOX", (0, 0), (-1, -1), 1.2, colors.black),
        ("BACKGROUND", (0, 0), (0, -1), LABEL_BG),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4.5),
    ]
    for index, row in enumerate(rows):
        if index in spans:
            cells.append([_p(row[0], s.label), _p(row[1], s.value), "", ""])
            commands.append(("SPAN", (1, index), (3, index)))
        else:
            cells.append([_p(row[0], s.label), _p(row[1], s.value), _p(row[2], s.label), _p(row[3], s.value)])
            commands.append(("BACKGROUND", (2, index), (2, index), LABEL_BG))
    table = PdfTable(cells, colWidths=[label, half, label, half])
    table.setStyle(TableStyle(commands))
    return table


def _header(data: HandoverData, s: _Styles) -> list[Flowable]:
    daily = data.kind == DAILY
    flow: list[Flowable] = [
        _p(data.property_name or "物业服务中心", s.property),
        Spacer(0, 1 * mm),
        _p(data.kind, s.title),
        _p("客户服务中心 · 前台接待", s.subtitle),
        Spacer(0, 3.5 * mm),
    ]
    start, end = _when(data.start), _when(data.end)
    if daily:
        rows: list[list[object]] = [
            ["日期", _day_text(data.day), "统计时段", f"{start} 至 {end}"],
            ["当日班次", data.shift_label or "（无班次记录）"],
        ]
        flow.append(_meta_table(rows, s, spans=[1]))
    else:
        ended = "" if data.handed_over_at is not None else "（尚未交班，截至打印时）"
        rows = [
            ["日期", _day_text(data.day), "班次", data.shift_label],
            ["开始时间", start, "结束时间", end + ended],
            ["交班人", data.outgoing_signed or data.outgoing, "接班人", data.incoming or "（待接班）"],
        ]
        if data.helpers:  # 协助: worked beside the operator on duty without taking the shift
            rows.append(["协助", data.helpers])
        flow.append(_meta_table(rows, s, spans=[3] if data.helpers else []))
    return flow


def _heading(text: str, s: _Styles) -> Paragraph:
    return pdf_layout.heading(_p(text, s.heading))


def _figure_tiles(figures: list[list[object]], s: _Styles) -> PdfTable:
    cells = [
        [_p(label, s.tile_label), Spacer(0, 0.5 * mm), _p(value, s.tile_value)] for label, value in figures
    ]
    return pdf_layout.figure_tiles(cells, CONTENT_WIDTH, background=STRIPE, top=4, bottom=6)


def _titled(title: Paragraph, table: PdfTable) -> list[Flowable]:
    """A table's title on the same page as at least its first rows. (Not keepWithNext: that
    would keep the title with the whole table and push a long table to the next page.)"""
    return [CondPageBreak(22 * mm), title, table]


def _activity(data: HandoverData, s: _Styles) -> list[Flowable]:
    noun = "当日" if data.kind == DAILY else "本班"
    flow: list[Flowable] = [_heading(f"一、{noun}工作概况", s)]
    if data.figures:
        flow.append(_figure_tiles(data.figures, s))
    for table in data.activity:
        flow += _titled(_p(table.title, s.table_title), data_table(table, s))
    return flow


def _count_text(table: Table) -> str:
    if not table.rows:
        return "<font color='#5f6b7a'>（已核对：无）</font>"
    overdue = sum(1 for row in table.rows if row_state(row) == "overdue")
    text = f"共 {len(table.rows)} 项"
    if overdue:
        text += f"，<font color='#b71c1c'>其中超时/逾期 {overdue} 项</font>"
    return text


def _still_open(data: HandoverData, s: _Styles, number: str, generated_at_local: datetime) -> list[Flowable]:
    bar = PdfTable(
        [[_p(f"{number}、{OPEN_HEADING}", s.alert_heading)]],
        colWidths=[CONTENT_WIDTH],
        style=TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), pdf_fonts.font_name()),
                ("BACKGROUND", (0, 0), (-1, -1), ALERT),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
            ]
        ),
    )
    if data.kind == DAILY:
        when = min(generated_at_local, to_local(data.end)).strftime("%Y-%m-%d %H:%M")
    else:
        when = _when(data.handed_over_at or data.end)
    intro = _p(
        f"以下事项截至 {when} 仍未完成，交给下一班继续跟进。请接班人逐项核对；"
        "红色为已超时或已逾期的事项，须优先处理并向主管汇报。",
        s.alert_intro,
    )
    flow: list[Flowable] = [
        CondPageBreak(55 * mm),
        Spacer(0, 5 * mm),
        KeepTogether([bar, Spacer(0, 1.5 * mm), intro]),
    ]
    for index, table in enumerate(data.still_open, start=1):
        title = Paragraph(
            f"{index}. {escape(table.title)}　<font size='8.5'>{_count_text(table)}</font>",
            s.alert_table_title,
        )
        flow += _titled(title, data_table(table, s, alert=True, highlight=True))
    return flow


def _comparison(data: HandoverData, s: _Styles, number: str) -> list[Flowable]:
    if data.comparison is None:
        return []
    return [
        CondPageBreak(40 * mm),
        _heading(f"{number}、{data.comparison.title}", s),
        data_table(data.comparison, s, width=CONTENT_WIDTH * 0.7),
    ]


def _note(data: HandoverData, s: _Styles, number: str) -> list[Flowable]:
    daily = data.kind == DAILY
    # The daily report leaves the box empty for the supervisor's handwritten remarks.
    # Staff type the note freely: a phone number in it is printed masked like everywhere else.
    parts: list[Flowable] = [
        _p(phones.mask_in_text(data.note.strip()) or ("" if daily else NONE_TEXT), s.note)
    ]
    if data.absent:
        parts += [Spacer(0, 2 * mm), _p(phones.mask_in_text(data.absent), s.refused)]
    if data.refused:
        parts += [Spacer(0, 2 * mm), _p(f"拒签记录：{data.refused}", s.refused)]
    box = PdfTable(
        [[parts]],
        colWidths=[CONTENT_WIDTH],
        minRowHeights=[28 * mm if daily else 18 * mm],
        style=TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), pdf_fonts.font_name()),
                ("BOX", (0, 0), (-1, -1), 0.8, LINE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ("LEFTPADDING", (0, 0), (-1, -1), 7),
                ("RIGHTPADDING", (0, 0), (-1, -1), 7),
            ]
        ),
        splitInRow=1,
    )
    title = "备注" if daily else f"{NOTE_HEADING}（给下一班）"
    return [_heading(f"{number}、{title}", s), box]


def _anchor(data: HandoverData, generated_at_local: datetime) -> str:
    """The audit chain head now, kept outside the data folder under this report's name and
    printed beside the signatures (「审计日志锚点：共 1,203 条 · 3f9a0c1d2e4b5a69」). Empty when
    no database is open (a layout test) or the site has no audit log yet."""
    from reception.store import audit
    from reception.store import db as store_db

    if store_db.database.obj is None or store_db.database.obj.is_closed():
        return ""
    day = f"{data.day.month}月{data.day.day}日"
    label = f"{day} 日报" if data.kind == DAILY else f"{day} {data.shift_label}交接班报告"
    mark = audit.anchor(label, generated_at_local)
    return mark.line() if mark.count else ""


def _signatures(data: HandoverData, s: _Styles, anchor: str = "") -> list[Flowable]:
    if data.kind == DAILY:
        lines = [("制表人", "", ""), ("主管审核", "", "")]
    else:
        lines = [
            ("交班人", data.outgoing_signed or data.outgoing, _when(data.handed_over_at)),
            ("接班人", data.incoming, _when(data.confirmed_at)),
        ]
    label_w, time_label_w = 18 * mm, 12 * mm
    value_w = (CONTENT_WIDTH - label_w - time_label_w - 10 * mm) * 0.5
    time_w = CONTENT_WIDTH - label_w - time_label_w - 10 * mm - value_w
    rows = [
        [_p(label, s.sign_label), _p(name, s.sign_value), "", _p("时间", s.sign_label), _p(at, s.sign_value)]
        for label, name, at in lines
    ]
    table = PdfTable(
        rows,
        colWidths=[label_w, value_w, 10 * mm, time_label_w, time_w],
        rowHeights=[12 * mm] * len(rows),
        style=TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), pdf_fonts.font_name()),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LINEBELOW", (1, 0), (1, -1), 0.8, colors.black),
                ("LINEBELOW", (4, 0), (4, -1), 0.8, colors.black),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        ),
    )
    hint = "签字确认：交接双方已当面核对以上事项。" if data.kind != DAILY else "审核意见及签字："
    below = [Spacer(0, 2 * mm), _p(anchor, s.small)] if anchor else []
    return [Spacer(0, 5 * mm), _p(hint, s.small), table, *below]


# --------------------------------------------------------------------------------------------
# The document


def document_title(data: HandoverData) -> str:
    if data.kind == DAILY:
        return f"{DAILY} {data.day:%Y-%m-%d}"
    return f"{HANDOVER} {data.day:%Y-%m-%d} {data.shift_label}"


def archive_name(data: HandoverData) -> str:
    """The file name of the archived copy: 交接班报告-20261126-第1班.pdf / 日报-20261126.pdf."""
    if data.kind == DAILY:
        return f"{DAILY}-{data.day:%Y%m%d}.pdf"
    label = data.shift_label.replace(" ", "")
    return f"{HANDOVER}-{data.day:%Y%m%d}-{label}.pdf"


def render(data: HandoverData, generated_at_local: datetime) -> bytes:
    """The handover report (or, for ``data.kind == '日报'``, the daily report) as A4 PDF bytes.
    ``generated_at_local`` (naive local time) is printed in the footer."""
    s = _styles()
    story: list[Flowable] = _header(data, s)
    story += _activity(data, s)
    story += _still_open(data, s, "二", generated_at_local)
    numbers = iter("三四五")
    if data.comparison is not None:
        story += _comparison(data, s, next(numbers))
    # The note and the signatures stay on one page: what is signed is on the signed page.
    anchor = _anchor(data, generated_at_local)
    story.append(KeepTogether([*_note(data, s, next(numbers)), *_signatures(data, s, anchor)]))

    parts = [data.kind, data.property_name]
    if data.kind != DAILY:
        parts.append(f"{data.day:%Y-%m-%d} {data.shift_label}")
    parts.append(f"打印时间 {generated_at_local:%Y-%m-%d %H:%M}")
    footer = " · ".join(p for p in parts if p)
    canvas = pdf_layout.numbered_canvas(
        footer, margin_x=MARGIN_X, y=MARGIN_BOTTOM - 8 * mm, size=8.5, color=MUTED, rule=RULE
    )
    with _binary_streams():
        return _LAYOUT.build(
            story,
            canvasmaker=canvas,
            title=document_title(data),
            author=data.property_name,
            subject=data.kind,
            creator=pdf_layout.CREATOR,
        )


@contextlib.contextmanager
def _binary_streams() -> Iterator[None]:
    """Compressed page streams written as binary, not also ASCII85-encoded (reportlab's default):
    the ASCII85 encoder is pure Python and took ≈ 15 % of a busy day's report; the PDF is the same
    to every reader (and a fifth smaller)."""
    previous = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = previous


# --------------------------------------------------------------------------------------------
# From the database


def handover_data_for_shift(shift_id: int, now: datetime) -> HandoverData:
    from reception.services import handover
    from reception.services import shifts

    return handover.for_shift(shifts.get(shift_id), now)


def handover_pdf_for_shift(shift_id: int, now: datetime) -> bytes:
    """The handover report of a shift; ``now`` (UTC) decides what is still open and overdue."""
    return render(handover_data_for_shift(shift_id, now), to_local(now))


def daily_pdf(day: date, now: datetime) -> bytes:
    """The daily report of a local calendar day (works on a day without shifts)."""
    from reception.services import handover

    return render(handover.for_day(day, now), to_local(now))


def archive_copy(pdf: bytes, data_dir: DataDir, name: str) -> Path:
    """Keep a copy in ``data_dir.archive`` (written to a temporary file, then renamed, so a
    crash never leaves half a PDF). An existing file of that name is replaced."""
    if not name or Path(name).name != name:
        raise ValueError(f"not a plain file name: {name!r}")
    return files.store_bytes(data_dir.archive / name, pdf)
