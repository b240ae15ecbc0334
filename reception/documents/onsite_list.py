"""在场访客名单 — the printable list of visitors on site, for an evacuation head count.

A4, Chinese font embedded, one row per visit with the pass number, the visitor's name, how many
people, where they went (building/unit only, as on the badge), since and until when, the desk
that registered them when the site has several, and an empty box to tick during the count. No
phone or ID number is printed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph
from reportlab.platypus import Spacer
from reportlab.platypus import Table
from reportlab.platypus import TableStyle

from reception.clock import format_local
from reception.documents import pdf_fonts
from reception.documents import pdf_layout
from reception.store.models import Visit

HEADERS = ["序号", "访客证号", "访客姓名", "人数", "去向", "事由", "进入时间", "有效至", "清点"]
_WIDTHS_MM = [10, 32, 24, 10, 30, 26, 18, 18, 12]
# A site with several desks: which desk (gate) registered the visitor, before the tick box.
HEADERS_WITH_DESK = [*HEADERS[:-1], "登记前台", HEADERS[-1]]
_WIDTHS_WITH_DESK_MM = [10, 30, 20, 10, 26, 18, 16, 16, 22, 12]
_LAYOUT = pdf_layout.PageLayout(A4, margin_x=12 * mm, margin_top=14 * mm, margin_bottom=16 * mm)


def _expired(visit: Visit, now: datetime) -> bool:
    return visit.valid_until is not None and visit.valid_until < now


def render_on_site_list(visits: Sequence[Visit], *, property_name: str, now: datetime) -> bytes:
    """The list as PDF bytes. ``now`` is naive UTC (the session clock): it is printed and marks
    passes already past their validity."""
    font = pdf_fonts.font_name()
    title_style = pdf_fonts.cjk_paragraph_style("onsite-title", 16, leading=22)
    info_style = pdf_fonts.cjk_paragraph_style("onsite-info", 10)
    cell_style = pdf_fonts.cjk_paragraph_style("onsite-cell", 9, leading=12)

    people = sum(max(v.party_size or 1, 1) for v in visits)
    expired = [v for v in visits if _expired(v, now)]
    story: list = [
        Paragraph(f"{property_name or ''} 在场访客名单（疏散清点用）", title_style),
        Spacer(0, 3 * mm),
        Paragraph(
            f"打印时间：{format_local(now, '%Y-%m-%d %H:%M')}　　在场访客 {len(visits)} 批，共 {people} 人"
            + (f"　　其中超过有效期 {len(expired)} 批（标 ※）" if expired else ""),
            info_style,
        ),
        Spacer(0, 4 * mm),
    ]
    with_desk = any(v.desk for v in visits)
    rows: list[list] = [HEADERS_WITH_DESK if with_desk else HEADERS]
    for number, v in enumerate(visits, start=1):
        until = format_local(v.valid_until, "%H:%M") if v.valid_until else ""
        if _expired(v, now):
            until = "※ " + until
        rows.append(
            [
                str(number),
                v.serial,
                Paragraph(
                    f"{v.visitor_name}（{v.visitor_unit}）" if v.visitor_unit else v.visitor_name, cell_style
                ),
                str(v.party_size or 1),
                Paragraph(v.badge_destination or v.staff_host or "", cell_style),
                Paragraph(v.purpose or "", cell_style),
                format_local(v.arrived_at, "%H:%M"),
                until,
                *([Paragraph(v.desk or "—", cell_style)] if with_desk else []),
                "□",
            ]
        )
    if not visits:
        rows.append(["", "", "目前没有在场访客", "", "", "", "", "", ""])
    widths = _WIDTHS_WITH_DESK_MM if with_desk else _WIDTHS_MM
    table = Table(rows, colWidths=[w * mm for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e3e8ee")),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#7a8a99")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (0, 0), (0, -1), "CENTER"),
                ("ALIGN", (3, 0), (3, -1), "CENTER"),
                ("ALIGN", (-1, 0), (-1, -1), "CENTER"),
            ]
        )
    )
    story.append(table)
    story.append(Spacer(0, 8 * mm))
    story.append(Paragraph("清点人：____________　　　清点时间：____________", info_style))

    def page_footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.drawCentredString(A4[0] / 2, 10 * mm, f"第 {doc.page} 页")
        canvas.restoreState()

    return _LAYOUT.build(story, on_page=page_footer, title="在场访客名单")
