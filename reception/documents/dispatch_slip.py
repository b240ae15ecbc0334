"""派工单 — the dispatch slip a maintenance worker takes to the job and brings back signed.

One A5 portrait form per case: the property as the header, 派工单 large, the serial and the
source record, then a ruled table — category, location, the resident (name and a MASKED phone;
never a full number), the problem (Chinese wrapping; a long description flows on, nothing is
cut), the first receiver (首问责任人), department and handler, when it was received — with
the reply deadline set large and boxed, and the resolution target. Then the boxes the worker
and the resident fill in by hand: 处理情况, 完成时间, 处理人签字, 业户确认签字 (with the
resident's satisfaction ticked). The font is embedded as a subset so it prints on any PC."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import replace
from datetime import datetime

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A5
from reportlab.lib.styles import ParagraphStyle
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
from reception.documents.pdf_layout import LINE as _LINE
from reception.documents.pdf_layout import SHADE as _SHADE
from reception.rules import phones
from reception.rules.phones import mask_in_text as mask_phones

TITLE = "派工单"
_LAYOUT = pdf_layout.PageLayout(A5, margin_x=11 * mm, margin_top=10 * mm, margin_bottom=13 * mm)
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


_when = pdf_layout.when_text


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


_p = pdf_layout.paragraph


def _header(data: DispatchSlipData, s: _Styles, width: float) -> list[Flowable]:
    flow = pdf_layout.form_title(data.property_name, TITLE, s.property, s.title, gaps=(1 * mm, 1.5 * mm))
    left = _p(f"编号：{data.serial}", s.meta)
    right = _p(f"来源：{data.source}" if data.source else "", s.meta_right)
    flow.append(pdf_layout.header_row(left, right, [width * 0.5, width * 0.5]))
    return flow


def _common(extra: list[tuple[object, ...]]) -> TableStyle:
    return pdf_layout.form_style(*extra, pad=4, top=3, bottom=4)


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

    # The description: one row per paragraph, so that a long one splits between pages.
    description = pdf_layout.form_text_rows(
        lab("问题描述"),
        [val(part) for part in mask_phones(data.description).split("\n")],
        label_width=_LABEL_W,
        width=width,
        min_height=18 * mm,
        pad=4,
        first_top=4,
        last_bottom=5,
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


def _footer_text(data: DispatchSlipData) -> str:
    parts = ["完工请业户签字，本单交回客服中心"]
    if data.printed_at is not None:
        parts.append(f"打印 {data.printed_at:%m-%d %H:%M}")
    return "　".join(parts)


def render_dispatch_slip(data: DispatchSlipData) -> bytes:
    """The dispatch slip as PDF bytes (A5 portrait, font embedded as a subset)."""
    s = _Styles()
    width = _LAYOUT.width
    story: list[Flowable] = _header(data, s, width)
    story.extend(_facts(data, s, width))
    story.append(Spacer(1, 3 * mm))
    story.append(CondPageBreak(_WORK_BOX + 40 * mm))
    story.append(KeepTogether([_work_boxes(s, width)]))
    canvas = pdf_layout.numbered_canvas(
        _footer_text(data),  # the serial is in the header already: the A5 footer has no room for it
        margin_x=_LAYOUT.margin_x,
        y=_LAYOUT.margin_bottom - 7 * mm,
        size=7.5,
        color=_GREY,
    )
    return _LAYOUT.build(
        story,
        canvasmaker=canvas,
        title=f"{TITLE} {data.serial}",
        author=data.property_name,
        subject=data.category,
        creator=pdf_layout.CREATOR,
    )


# --------------------------------------------------------------------------------------------
# From the database


def source_text(source_kind: str, source_id: int | None) -> str:
    """``'来电 LD20261126-003'`` — the record a case came from (``'直接登记'`` for none)."""
    name = SOURCE_NAMES.get(source_kind, source_kind)
    if source_id is None:
        return name
    from reception.errors import NotFound
    from reception.services import calls
    from reception.services import letters
    from reception.services import visits

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
    from reception.clock import Clock
    from reception.clock import to_local
    from reception.services import cases
    from reception.services import residents
    from reception.services import settings as settings_mod

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
