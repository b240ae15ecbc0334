"""测试打印 (设置 → 本机): a sample badge on the chosen label stock and an A4 test page for the report
printer, so that whoever sets up a desk sees the label size, the orientation and the Chinese font on
paper before the first visitor arrives."""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta
from xml.sax.saxutils import escape

from reception.documents.badge import BadgeData
from reception.documents.badge import render_badge


def sample_badge(property_name: str, size: str, now_local: datetime) -> bytes:
    """A badge with sample text (marked 测试) on the label stock ``size``."""
    data = BadgeData(
        property_name=property_name or "物业服务中心",
        pass_no="LF00000000-000",
        visitor_name="测试访客",
        destination="3栋2单元",
        purpose="打印测试",
        issued_at=now_local.replace(second=0, microsecond=0),
        valid_until=(now_local + timedelta(hours=4)).replace(second=0, microsecond=0),
    )
    return render_badge(data, size)


def report_test_page(property_name: str, printer: str, now_local: datetime) -> bytes:
    """One A4 page naming the printer and the time, with a line of Chinese, digits and letters."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph
    from reportlab.platypus import Spacer

    from reception.documents.pdf_fonts import cjk_paragraph_style
    from reception.documents.pdf_layout import PageLayout

    title = cjk_paragraph_style("test-title", 20, leading=28, alignment=1, spaceAfter=6 * mm)
    body = cjk_paragraph_style("test-body", 12, leading=20)
    when = f"{now_local.year}年{now_local.month}月{now_local.day}日 {now_local:%H:%M}"
    lines = [
        f"物业：{property_name or '（未设置）'}",
        f"打印机：{printer or '系统默认打印机'}",
        f"时间：{when}",
        "中文测试：您好，欢迎光临。来电、来访、来函登记；交接班报告；访客证。",
        "数字与字母：0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "这一页能完整、清楚地打印出来，报告打印机就设置好了。",
    ]
    story = [Paragraph("打印测试页", title)]
    for line in lines:
        story.append(Paragraph(escape(line), body))
        story.append(Spacer(1, 2 * mm))
    layout = PageLayout(A4, margin_x=22 * mm, margin_top=22 * mm, margin_bottom=20 * mm)
    return layout.build(story, title="打印测试页", author=property_name or "前台接待工作站")
