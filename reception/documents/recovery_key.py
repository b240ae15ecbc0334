"""The recovery key sheet: one A4 page the administrator prints at set-up and keeps locked away.
It is the only copy of the site key outside this PC: restoring the data onto another PC,
``reception migrate-to`` and a new desk of a server site ask for it."""

from __future__ import annotations

from datetime import datetime
from xml.sax.saxutils import escape


def render_recovery_key(
    property_name: str, site: str, recovery_key: str, generated_at_local: datetime
) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph
    from reportlab.platypus import Spacer

    from reception.documents.pdf_fonts import cjk_paragraph_style
    from reception.documents.pdf_layout import PageLayout

    title = cjk_paragraph_style("rk-title", 20, leading=28, alignment=1, spaceAfter=3 * mm)
    sub = cjk_paragraph_style("rk-sub", 12, leading=18, alignment=1, spaceAfter=8 * mm)
    body = cjk_paragraph_style("rk-body", 11.5, leading=18, spaceAfter=2 * mm)
    key_style = cjk_paragraph_style(
        "rk-key", 17, leading=30, alignment=1, spaceBefore=6 * mm, spaceAfter=6 * mm
    )
    small = cjk_paragraph_style("rk-small", 9, leading=13, spaceBefore=8 * mm)
    groups = recovery_key.split("-")
    lines = ["\u3000".join(groups[i : i + 5]) for i in range(0, len(groups), 5)]
    story = [
        Paragraph(escape(property_name or "物业服务中心"), sub),
        Paragraph("前台接待工作站 · 恢复密钥", title),
        Paragraph(
            "这是本站点密钥的唯一纸质备份。审计日志的校验和证件号码的比对都依赖它；"
            "它不保存在数据文件夹和备份中。",
            body,
        ),
        Paragraph("<br/>".join(escape(line) for line in lines), key_style),
        Paragraph(
            "何时需要：把数据恢复到另一台电脑、迁移到数据库服务器（migrate-to）、新前台加入服务器站点时，程序会要求输入。",
            body,
        ),
        Paragraph("请锁在保险柜或交给负责人保管；不要拍照、不要贴在前台；遗失请由管理员重新打印。", body),
        Spacer(1, 4 * mm),
        Paragraph(f"站点编号 {escape(site)}　打印时间 {generated_at_local:%Y-%m-%d %H:%M}", small),
    ]
    layout = PageLayout(A4, margin_x=22 * mm, margin_top=25 * mm, margin_bottom=20 * mm)
    return layout.build(story, title="恢复密钥", author=property_name or "前台接待工作站")
