"""派工单 — the dispatch slip a maintenance worker takes to the job and brings back signed.

One A5 portrait form per case: the property as the header, 派工单 large, the serial and the
source record, then a ruled table — category, location, the resident (name and a MASKED phone;
never a full number), the problem (Chinese wrapping; a long description flows on, nothing is
cut), the first receiver (首问责任人), department and handler, when it was received — with
the reply deadline set large and boxed, and the resolution target. Then the boxes the worker
and the resident fill in by hand: 处理情况, 完成时间, 处理人签字, 业户确认签字 (with the
resident's satisfaction ticked). The font is embedded as a subset so it prints on any PC."""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from datetime import datetime
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from reception import pdf_fonts, phones
from reception.phones import mask_in_text as mask_phones

TITLE = "派工单"
_PAGE = A5
_MARGIN_X = 11 * mm
_MARGIN_TOP = 10 * mm
_MARGIN_BOTTOM = 13 * mm
_LINE = colors.HexColor("#333333")
_SHADE = colors.HexColor("#eeeeee")
_GREY = colors.HexColor("#555555")
_LABEL_W = 22 * mm
_WORK_BOX = 30 * mm

SOURCE_NAMES = {"call": "来电", "visit": "来访", "letter": "来函", "direct": "直接登记"}


@dataclass(frozen=True, kw_only=True)
class DispatchSlipData:
    """What is printed. Times are naive LOCAL times; ``resident_phone`` is masked when drawn."""

    property_name: str
    serial: str
    source: str = ""  # '来电 LD20261126-003'
    category: str
    location: str
    resident_name: str = ""
    resident_phone: str = ""
    description: str
    first_receiver: str
    department: str = ""
    handler: str = ""
    received_at: datetime
    reply_due_at: datetime
    resolve_due_at: datetime | None = None
    utility: str = ""
    agency: str = ""
    printed_at: datetime | None = None

    def __post_init__(self) -> None:
        for value in (self.received_at, self.reply_due_at, self.resolve_due_at, self.printed_at):
            if value is not None and value.tzinfo is not None:
                raise ValueError("times on the dispatch slip must be naive local times")


def _when(value: datetime | None) -> str:
    if value is None:
        return "—"
    return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"


def dispatch_slip_missing_glyphs(data: DispatchSlipData) -> list[str]:
    """Characters the embedded font cannot print (to warn before printing)."""
    text = "".join(
        (
            data.property_name,
            data.location,
            data.resident_name,
            data.description,
            data.first_receiver,
            data.department,
            data.handler,
            data.agency,
        )
    )
    return pdf_fonts.missing_glyphs(text)


# --------------------------------------------------------------------------------------------
# Drawing


class _Styles:
    def __init__(self) -> None:
        cjk = pdf_fonts.cjk_paragraph_style
        self.property = cjk("property", 10.5, alignment=TA_CENTER, textColor=_GREY)
        self.title = cjk("title", 20, leading=26, alignment=TA_CENTER)
        self.meta = cjk("meta", 8.5, textColor=_GREY)
        self.meta_right = cjk("metaRight", 8.5, textColor=_GREY, alignment=TA_RIGHT)
        self.label = cjk("label", 9.5, alignment=TA_CENTER)
        self.value = cjk("value", 9.5)
        self.strong = cjk("strong", 10.5, leading=15)
        self.due = cjk("due", 13, leading=18)
        self.box_title = cjk("boxTitle", 10)
        self.sign = cjk("sign", 9.5, leading=14)
        self.small = cjk("small", 8, textColor=_GREY)


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped; line breaks kept)."""
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _header(data: DispatchSlipData, s: _Styles, width: float) -> list[Flowable]:
    flow: list[Flowable] = [
        _p(data.property_name or "物业服务中心", s.property),
        Spacer(1, 1 * mm),
        _p(TITLE, s.title),
        Spacer(1, 1.5 * mm),
    ]
    left = _p(f"编号：{data.serial}", s.meta)
    right = _p(f"来源：{data.source}" if data.source else "", s.meta_right)
    row = Table([[left, right]], colWidths=[width * 0.5, width * 0.5])
    row.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), pdf_fonts.font_name()),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    flow.append(row)
    return flow


def _common(extra: list[tuple[object, ...]]) -> TableStyle:
    return TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), pdf_fonts.font_name()),
            ("GRID", (0, 0), (-1, -1), 0.6, _LINE),
            ("LINEBEFORE", (0, 0), (0, -1), 1.2, colors.black),
            ("LINEAFTER", (-1, 0), (-1, -1), 1.2, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ("BACKGROUND", (0, 0), (0, -1), _SHADE),
            *extra,
        ]
    )


def _resident_text(data: DispatchSlipData) -> str:
    if not data.resident_name:
        return "—（公共区域）" if data.location else "—"
    phone = phones.mask(data.resident_phone)
    return f"{data.resident_name}　{phone}" if phone else data.resident_name


def _facts(data: DispatchSlipData, s: _Styles, width: float) -> list[Flowable]:
    half = (width - 2 * _LABEL_W) / 2
    cols = [_LABEL_W, half, _LABEL_W, half]

    def lab(text: str) -> Paragraph:
        return _p(text, s.label)

    def val(text: str, style: ParagraphStyle | None = None) -> Paragraph:
        return _p(text, style or s.value)

    top_rows = [
        [lab("类别"), val(data.category, s.strong), lab("受理时间"), val(_when(data.received_at))],
        [lab("位置"), val(data.location or "—", s.strong), "", ""],
        [lab("业户"), val(_resident_text(data)), lab("首问责任人"), val(data.first_receiver)],
    ]
    extra: list[tuple[object, ...]] = [
        ("LINEABOVE", (0, 0), (-1, 0), 1.2, colors.black),
        ("BACKGROUND", (2, 0), (2, 0), _SHADE),
        ("BACKGROUND", (2, 2), (2, 2), _SHADE),
        ("SPAN", (1, 1), (3, 1)),
    ]
    if data.utility or data.agency:
        top_rows.append([lab("市政设施"), val(data.utility or "—"), lab("外部单位"), val(data.agency or "—")])
        extra.append(("BACKGROUND", (2, 3), (2, 3), _SHADE))
    top = Table(top_rows, colWidths=cols, minRowHeights=[8 * mm] * len(top_rows), style=_common(extra))

    # The description: one row per paragraph so that a long one splits between pages (no spans:
    # reportlab wraps a split spanned cell at the width of its first column).
    parts = mask_phones(data.description).split("\n")
    rows = [["", val(part)] for part in parts]
    rows[0][0] = lab("问题描述")
    last = len(rows) - 1
    description = Table(
        rows,
        colWidths=[_LABEL_W, width - _LABEL_W],
        splitInRow=1,
        minRowHeights=[18 * mm] if last == 0 else None,
        style=TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), pdf_fonts.font_name()),
                ("LINEBEFORE", (0, 0), (0, -1), 1.2, colors.black),
                ("LINEAFTER", (-1, 0), (-1, -1), 1.2, colors.black),
                ("LINEAFTER", (0, 0), (0, -1), 0.6, _LINE),
                ("LINEBELOW", (0, -1), (-1, -1), 0.6, _LINE),
                ("BACKGROUND", (0, 0), (0, -1), _SHADE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, 0), 4),
                ("TOPPADDING", (0, 1), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, last), (-1, last), 5),
            ]
        ),
    )

    bottom_rows = [
        [lab("处理部门"), val(data.department or "（待派单）"), lab("处理人"), val(data.handler or "")],
        [lab("答复期限"), val(f"{_when(data.reply_due_at)} 前", s.due), "", ""],
        [lab("解决时限"), val(f"{_when(data.resolve_due_at)} 前" if data.resolve_due_at else "—"), "", ""],
    ]
    bottom = Table(
        bottom_rows,
        colWidths=cols,
        minRowHeights=[8 * mm] * len(bottom_rows),
        style=_common(
            [
                ("BACKGROUND", (2, 0), (2, 0), _SHADE),
                ("SPAN", (1, 1), (3, 1)),
                ("SPAN", (1, 2), (3, 2)),
                ("BOX", (0, 1), (-1, 1), 1.8, colors.black),
                ("TOPPADDING", (1, 1), (1, 1), 5),
                ("BOTTOMPADDING", (1, 1), (1, 1), 7),
                ("LINEBELOW", (0, -1), (-1, -1), 1.2, colors.black),
            ]
        ),
    )
    return [top, description, bottom]


def _work_boxes(s: _Styles, width: float) -> Table:
    """What the worker and the resident fill in: 处理情况, 完成时间, the two signatures."""
    half = width / 2
    rows = [
        [_p("处理情况（由处理人填写）", s.box_title), ""],
        ["", ""],
        [_p("完成时间：______年____月____日____时____分", s.sign), ""],
        [_p("处理人签字：", s.sign), _p("业户确认签字：", s.sign)],
        [
            _p("日期：____月____日", s.sign),
            _p("□ 满意　□ 基本满意　□ 不满意", s.sign),
        ],
    ]
    table = Table(
        rows,
        colWidths=[half, half],
        rowHeights=[None, _WORK_BOX, 9 * mm, 14 * mm, None],
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), pdf_fonts.font_name()),
                ("BOX", (0, 0), (-1, -1), 1.2, colors.black),
                ("SPAN", (0, 0), (1, 0)),
                ("SPAN", (0, 1), (1, 1)),
                ("SPAN", (0, 2), (1, 2)),
                ("LINEABOVE", (0, 2), (-1, 2), 0.6, _LINE),
                ("LINEABOVE", (0, 3), (-1, 3), 0.6, _LINE),
                ("LINEAFTER", (0, 3), (0, 4), 0.6, _LINE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("VALIGN", (0, 2), (-1, 2), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 5),
                ("RIGHTPADDING", (0, 0), (-1, -1), 5),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 5),
            ]
        )
    )
    return table


class _NumberedCanvas(Canvas):
    """Draws the footer and "第 n 页 共 m 页" once the page count is known."""

    footer = ""
    serial = ""

    def __init__(self, *args: object, **kwargs: object) -> None:
        # Every page starts in the embedded font: no unembedded Helvetica in the file.
        kwargs["initialFontName"] = pdf_fonts.font_name()
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, object]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._draw_footer(total)
            super().showPage()
        super().save()

    def _draw_footer(self, total: int) -> None:
        width, _height = self._pagesize
        y = _MARGIN_BOTTOM - 7 * mm
        self.setFont(pdf_fonts.font_name(), 7.5)
        self.setFillColor(_GREY)
        self.drawString(_MARGIN_X, y, self.footer)
        self.drawRightString(width - _MARGIN_X, y, f"{self.serial}　第 {self._pageNumber} 页 共 {total} 页")


def _footer_text(data: DispatchSlipData) -> str:
    parts = ["处理完毕请业户签字确认，本单交回客服中心存档"]
    if data.printed_at is not None:
        parts.append(f"打印：{_when(data.printed_at)}")
    return "　".join(parts)


def render_dispatch_slip(data: DispatchSlipData) -> bytes:
    """The dispatch slip as PDF bytes (A5 portrait, font embedded as a subset)."""
    s = _Styles()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=_PAGE,
        leftMargin=_MARGIN_X,
        rightMargin=_MARGIN_X,
        topMargin=_MARGIN_TOP,
        bottomMargin=_MARGIN_BOTTOM,
        title=f"{TITLE} {data.serial}",
        author=data.property_name,
        subject=data.category,
        creator="前台接待工作站",
    )
    width = doc.width
    story: list[Flowable] = _header(data, s, width)
    story.extend(_facts(data, s, width))
    story.append(Spacer(1, 3 * mm))
    story.append(CondPageBreak(_WORK_BOX + 40 * mm))
    story.append(KeepTogether([_work_boxes(s, width)]))

    class Numbered(_NumberedCanvas):
        footer = _footer_text(data)
        serial = data.serial

    doc.build(story, canvasmaker=Numbered)
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------
# From the database


def source_text(source_kind: str, source_id: int | None) -> str:
    """``'来电 LD20261126-003'`` — the record a case came from (``'直接登记'`` for none)."""
    name = SOURCE_NAMES.get(source_kind, source_kind)
    if source_id is None:
        return name
    from reception import calls, letters, visits
    from reception.errors import NotFound

    try:
        if source_kind == "call":
            serial = calls.get_call(source_id).serial
        elif source_kind == "visit":
            serial = visits.get_visit(source_id).serial
        elif source_kind == "letter":
            serial = letters.get_letter(source_id).serial
        else:
            return name
        return f"{name} {serial}"
    except NotFound:
        return f"{name}（记录已删除）"


def slip_data_for(case_id: int) -> DispatchSlipData:
    """The slip's content for one case (local times)."""
    from reception import cases, residents
    from reception import settings as settings_mod
    from reception.clock import Clock, to_local

    case = cases.get_case(case_id)
    resident = case.resident
    if resident is not None:
        location = residents.room_label(resident.building, resident.unit, resident.room)
        if case.location and case.location != location:
            location = f"{location}（{case.location}）"
    else:
        location = case.location
    return DispatchSlipData(
        property_name=settings_mod.load().property_name,
        serial=case.serial,
        source=source_text(case.source_kind, case.source_id),
        category=case.category,
        location=location,
        resident_name=resident.name if resident is not None else "",
        resident_phone=(resident.phone or resident.phone_alt) if resident is not None else "",
        description=case.description,
        first_receiver=case.first_receiver.display_name,
        department=case.department.name if case.department is not None else "",
        handler=case.handler,
        received_at=to_local(case.received_at),
        reply_due_at=to_local(case.reply_due_at),
        resolve_due_at=to_local(case.resolve_due_at) if case.resolve_due_at else None,
        utility=case.utility,
        agency=case.agency,
        printed_at=Clock().local_now().replace(second=0, microsecond=0),
    )


def dispatch_slip_for(case_id: int, printed_at: datetime | None = None) -> bytes:
    """The dispatch slip of a case as PDF bytes. ``printed_at`` (naive local) goes in the
    footer; the system clock's local time by default."""
    data = slip_data_for(case_id)
    if printed_at is not None:
        data = replace(data, printed_at=printed_at)
    return render_dispatch_slip(data)
