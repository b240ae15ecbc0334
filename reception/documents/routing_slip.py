"""来函处理单 — the routing slip that travels with a letter to the handling department.

One A4 form per letter: the property as the header, the letter's particulars in a ruled table
(serial and receipt number, when and how it came, who sent it, subject, summary, pages and
attachments, confidentiality, the department and handler), the reply deadline set large, and
three boxes the department fills in by hand — 拟办意见, 领导批示, 办理结果 — each with a
signature and a date line. A long summary flows onto the next page; nothing is cut.

Privacy: phone numbers are masked (``138****8000``), a resident sender is shown by name and
room only, never with the phone on file. The font is embedded (subset) so the slip prints the
same on any PC."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak
from reportlab.platypus import Flowable
from reportlab.platypus import KeepTogether
from reportlab.platypus import Paragraph
from reportlab.platypus import Spacer
from reportlab.platypus import Table
from reportlab.platypus import TableStyle

from reception.documents import pdf_fonts
from reception.documents import pdf_layout
from reception.documents.pdf_layout import GREY as _GREY
from reception.documents.pdf_layout import SHADE as _SHADE
from reception.rules import phones

TITLE = "来函处理单"
_LAYOUT = pdf_layout.PageLayout(A4, margin_x=18 * mm, margin_top=16 * mm, margin_bottom=18 * mm)
_LABEL_W = 26 * mm
_BOX_HEIGHT = 36 * mm

# A run of digits that may be a phone number: 7+ digits, with spaces, dashes or a +86 prefix.


@dataclass(frozen=True, kw_only=True)
class RoutingSlipData:
    """What is printed. Times are naive local times; ``contact`` is masked when drawn."""

    property_name: str
    serial: str
    receipt_no: str
    received_at: datetime
    channel: str
    letter_type: str
    sender_name: str
    organisation: str = ""
    resident_room: str = ""  # '3栋2单元1201' when the sender is a resident
    contact: str = ""
    sender_ref: str = ""
    subject: str
    summary: str = ""
    pages: int = 1
    attachments: Sequence[str] = field(default_factory=tuple)
    confidentiality: str = "普通"
    department: str = ""
    handler: str = ""
    reply_due_at: datetime
    operator: str = ""
    printed_at: datetime | None = None

    def __post_init__(self) -> None:
        if self.received_at.tzinfo is not None or self.reply_due_at.tzinfo is not None:
            raise ValueError("received_at and reply_due_at must be naive local times")


_when = pdf_layout.when_text


# --------------------------------------------------------------------------------------------
# Drawing


class _Styles:
    def __init__(self) -> None:
        cjk = pdf_fonts.cjk_paragraph_style
        self.property = cjk("property", 12, alignment=TA_CENTER, textColor=_GREY)
        self.title = cjk("title", 22, leading=30, alignment=TA_CENTER)
        self.meta = cjk("meta", 9.5, textColor=_GREY)
        self.meta_right = cjk("metaRight", 9.5, textColor=_GREY, alignment=TA_RIGHT)
        self.label = cjk("label", 10.5, alignment=TA_CENTER)
        self.value = cjk("value", 10.5)
        self.subject = cjk("subject", 12, leading=17)
        self.due = cjk("due", 15, leading=21)
        self.box_title = cjk("boxTitle", 11)
        self.sign = cjk("sign", 10.5, alignment=TA_RIGHT)
        self.small = cjk("small", 9, textColor=_GREY)


_p = pdf_layout.paragraph


class _Tag(Flowable):
    """The confidentiality tag at the top right: a box with the word, drawn only if not 普通."""

    def __init__(self, text: str, size: float = 12) -> None:
        super().__init__()
        self.text = text
        self.size = size
        self.width = pdf_fonts.string_width(text, size) + 6 * mm
        self.height = size + 3 * mm

    def draw(self) -> None:
        c = self.canv
        c.setLineWidth(1.2)
        c.setStrokeColor(colors.black)
        c.rect(0, 0, self.width, self.height)
        c.setFont(pdf_fonts.font_name(), self.size)
        c.drawCentredString(self.width / 2, 1.5 * mm + self.size * 0.12, self.text)


def _sender_text(data: RoutingSlipData) -> str:
    who = data.sender_name
    if data.resident_room:
        who += f"（{data.resident_room} 住户）"
    if data.organisation:
        who += f"　{data.organisation}"
    return who


def _attachments_text(data: RoutingSlipData) -> str:
    pages = f"共 {data.pages} 页"
    if not data.attachments:
        return pages + "；无电子附件"
    names = "、".join(data.attachments)
    return f"{pages}；电子附件 {len(data.attachments)} 个：{names}"


def _header(data: RoutingSlipData, s: _Styles, width: float) -> list[Flowable]:
    flow = pdf_layout.form_title(data.property_name, TITLE, s.property, s.title, gaps=(1.5 * mm, 2 * mm))
    left = _p(f"编号：{data.serial}　　收文编号：{data.receipt_no}", s.meta)
    right: Flowable
    if data.confidentiality and data.confidentiality != "普通":
        right = _Tag(f"密级：{data.confidentiality}")
    else:
        right = _p(f"密级：{data.confidentiality or '普通'}", s.meta_right)
    flow.append(
        pdf_layout.header_row(left, right, [width * 0.7, width * 0.3], ("ALIGN", (1, 0), (1, 0), "RIGHT"))
    )
    flow.append(Spacer(1, 1.5 * mm))
    return flow


def _facts(data: RoutingSlipData, s: _Styles, width: float) -> list[Flowable]:
    """Three ruled tables that read as one: the particulars, the summary (which may run onto
    the next page), then attachments, department and the deadline."""
    half = (width - 2 * _LABEL_W) / 2
    cols = [_LABEL_W, half, _LABEL_W, half]

    def lab(text: str) -> Paragraph:
        return _p(text, s.label)

    def val(text: str, style: object = None) -> Paragraph:
        return _p(text, style or s.value)

    def ruled(*extra: tuple[object, ...]) -> TableStyle:
        return pdf_layout.form_style(*extra, pad=5, top=4, bottom=5)

    top_rows = [
        [lab("收到时间"), val(_when(data.received_at)), lab("来函方式"), val(data.channel)],
        [lab("来函类别"), val(data.letter_type), lab("来函文号"), val(data.sender_ref or "—")],
        [lab("来函人/单位"), val(_sender_text(data)), "", ""],
        [
            lab("联系方式"),
            val(phones.mask_in_text(data.contact) or "—"),
            lab("登记人"),
            val(data.operator or "—"),
        ],
        [lab("标题"), val(phones.mask_in_text(data.subject), s.subject), "", ""],
    ]
    top = Table(
        top_rows,
        colWidths=cols,
        minRowHeights=[9 * mm] * len(top_rows),
        style=ruled(
            ("LINEABOVE", (0, 0), (-1, 0), 1.2, colors.black),
            ("BACKGROUND", (2, 0), (2, 1), _SHADE),
            ("BACKGROUND", (2, 3), (2, 3), _SHADE),
            ("SPAN", (1, 2), (3, 2)),
            ("SPAN", (1, 4), (3, 4)),
        ),
    )

    # One row per paragraph, so that a long summary splits between pages.
    summary = pdf_layout.form_text_rows(
        lab("内容摘要"),
        [val(part) for part in phones.mask_in_text(data.summary or "").split("\n")],
        label_width=_LABEL_W,
        width=width,
        min_height=24 * mm,
        pad=5,
        first_top=5,
        last_bottom=6,
        rule_above=True,
    )

    bottom_rows = [
        [lab("页数/附件"), val(_attachments_text(data)), "", ""],
        [lab("承办部门"), val(data.department or "（待分办）"), lab("承办人"), val(data.handler or "")],
        [lab("答复期限"), val(f"{_when(data.reply_due_at)} 前", s.due), "", ""],
    ]
    bottom = Table(
        bottom_rows,
        colWidths=cols,
        minRowHeights=[9 * mm] * len(bottom_rows),
        style=ruled(
            ("BACKGROUND", (2, 1), (2, 1), _SHADE),
            ("SPAN", (1, 0), (3, 0)),
            ("SPAN", (1, 2), (3, 2)),
            ("BOX", (0, 2), (-1, 2), 1.8, colors.black),
            ("TOPPADDING", (1, 2), (1, 2), 6),
            ("BOTTOMPADDING", (1, 2), (1, 2), 8),
        ),
    )
    return [top, summary, bottom]


def _opinion_box(caption: str, s: _Styles, width: float) -> Table:
    sign = _p("签字：__________________　　日期：______年____月____日", s.sign)
    table = Table(
        [[_p(caption, s.box_title)], [""], [sign]],
        colWidths=[width],
        rowHeights=[None, _BOX_HEIGHT - 16 * mm, None],
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), pdf_fonts.font_name()),
                ("BOX", (0, 0), (-1, -1), 1.0, colors.black),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, 0), 5),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 7),
            ]
        )
    )
    return table


def _footer_text(data: RoutingSlipData) -> str:
    printed = _when(data.printed_at) if data.printed_at else ""
    parts = ["本单随来函流转，办结后交回客服中心存档"]
    if printed:
        parts.append(f"打印时间：{printed}")
    return "　　".join(parts)


def render_routing_slip(data: RoutingSlipData) -> bytes:
    """The routing slip as PDF bytes (A4 portrait, font embedded as a subset)."""
    s = _Styles()
    width = _LAYOUT.width
    story: list[Flowable] = _header(data, s, width)
    story.extend(_facts(data, s, width))
    story.append(Spacer(1, 4 * mm))
    for caption in ("拟办意见", "领导批示", "办理结果"):
        story.append(CondPageBreak(_BOX_HEIGHT + 4 * mm))
        story.append(KeepTogether([_opinion_box(caption, s, width), Spacer(1, 3 * mm)]))
    canvas = pdf_layout.numbered_canvas(
        _footer_text(data),
        serial=data.serial,
        margin_x=_LAYOUT.margin_x,
        y=_LAYOUT.margin_bottom - 9 * mm,
        size=8.5,
        color=_GREY,
    )
    return _LAYOUT.build(
        story,
        canvasmaker=canvas,
        title=f"{TITLE} {data.serial}",
        author=data.property_name,
        subject=data.subject,
        creator=pdf_layout.CREATOR,
    )


# --------------------------------------------------------------------------------------------
# From the database


def slip_data_for(letter_id: int) -> RoutingSlipData:
    """The slip's content for one registered letter (local times, names of attachments)."""
    from reception.clock import Clock
    from reception.clock import to_local
    from reception.services import letters
    from reception.services import residents
    from reception.services import settings as settings_mod
    from reception.store import attachments

    letter = letters.get_letter(letter_id)
    resident = letter.resident
    room = residents.room_label(resident.building, resident.unit, resident.room) if resident else ""
    files = [a.original_name for a in attachments.list_for("letter", letter.id) if a.role == "original"]
    return RoutingSlipData(
        property_name=settings_mod.load().property_name,
        serial=letter.serial,
        receipt_no=letter.receipt_no,
        received_at=to_local(letter.received_at),
        channel=letter.channel,
        letter_type=letter.letter_type,
        sender_name=letter.sender_name,
        organisation=letter.organisation,
        resident_room=room,
        contact=letter.contact,
        sender_ref=letter.sender_ref,
        subject=letter.subject,
        summary=letter.summary,
        pages=letter.pages,
        attachments=tuple(files),
        confidentiality=letter.confidentiality,
        department=letter.department.name if letter.department else "",
        handler=letter.handler,
        reply_due_at=to_local(letter.reply_due_at),
        operator=letter.operator.display_name,
        printed_at=Clock().local_now().replace(second=0, microsecond=0),
    )


def routing_slip_for(letter_id: int, printed_at: datetime | None = None) -> bytes:
    """The routing slip of a registered letter as PDF bytes. ``printed_at`` (naive local) is
    shown in the footer; the system clock's local time by default."""
    data = slip_data_for(letter_id)
    if printed_at is not None:
        from dataclasses import replace

        data = replace(data, printed_at=printed_at)
    return render_routing_slip(data)
