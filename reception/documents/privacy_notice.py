"""The privacy notice for the desk (个人信息告知): what is collected, why, how long it is kept,
who sees it and whom to contact — filled from the settings, printed on A4 to post at the desk."""

from __future__ import annotations

from datetime import datetime
from xml.sax.saxutils import escape

from reception.services import settings as settings_mod


def notice_sections(conf: settings_mod.Settings) -> list[tuple[str, str]]:
    contact = conf.privacy_contact.strip() or (
        f"物业服务中心前台（电话 {conf.desk_phone}）" if conf.desk_phone else "物业服务中心前台"
    )
    id_rule = (
        "证件号码只保存遮挡后的形式（如 1101**********002X），以及用于核对关注名单的不可还原的校验值。"
        if not conf.store_full_id
        else "根据本物业的管理要求，证件号码会完整保存，但屏幕和打印件上一律遮挡显示，"
        "查看完整号码须主管批准并留痕。"
    )
    return [
        (
            "我们收集哪些信息",
            "来访登记：访客姓名、证件类型与号码、联系电话、车牌号、来访人数、受访住户（楼栋单元）及来访事由；"
            "来电与来函：来电人或来函人的姓名、电话和反映的事项。",
        ),
        (
            "为什么收集",
            "为保障小区居民的人身和财产安全、防止不法分子进入小区，并为了及时处理和答复您反映的问题"
            "（首问责任制、24 小时内答复），我们依照物业服务中心来电来访控制工作程序进行登记。",
        ),
        (
            "如何保存和使用",
            f"{id_rule}电话号码在列表和打印件上遮挡显示。访客证上只印访客姓名和前往的楼栋单元，"
            "不印证件号码、电话和住户姓名。信息仅用于上述目的，不对外提供。",
        ),
        (
            "保存多久",
            f"访客证件信息和电话号码保存 {conf.retention_days} 天，期满后由系统自动清除；"
            "来访、来电和投诉的处理记录作为服务档案保存。",
        ),
        (
            "谁能查看",
            "前台、主管和管理员按岗位查看所需的信息；查看完整号码、导出、恢复数据等操作都会记录在不可篡改的审计日志中。",
        ),
        ("联系我们", f"如需查询、更正或删除您的个人信息，或对信息处理有疑问，请联系：{contact}。"),
    ]


def render_privacy_notice(generated_at_local: datetime | None = None) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph
    from reportlab.platypus import Spacer

    from reception.documents.pdf_fonts import cjk_paragraph_style
    from reception.documents.pdf_layout import PageLayout

    conf = settings_mod.load()
    title_style = cjk_paragraph_style("notice-title", 22, leading=30, alignment=1, spaceAfter=4 * mm)
    sub_style = cjk_paragraph_style("notice-sub", 12, leading=18, alignment=1, spaceAfter=8 * mm)
    head_style = cjk_paragraph_style("notice-head", 14, leading=20, spaceBefore=5 * mm, spaceAfter=2 * mm)
    body_style = cjk_paragraph_style("notice-body", 12, leading=19)
    foot_style = cjk_paragraph_style("notice-foot", 9, leading=13, spaceBefore=10 * mm)
    story = [
        Paragraph(escape(conf.property_name or "物业服务中心"), sub_style),
        Paragraph("个人信息收集与使用告知", title_style),
    ]
    for heading, text in notice_sections(conf):
        story.append(Paragraph(f"<b>{escape(heading)}</b>", head_style))
        story.append(Paragraph(escape(text), body_style))
    day = generated_at_local or datetime.now()
    when = f"{day.year}年{day.month:02d}月{day.day:02d}日"  # no Chinese through strftime (Windows)
    story.append(Spacer(1, 6 * mm))
    story.append(Paragraph(f"{escape(conf.property_name)}服务中心　{when}", foot_style))
    layout = PageLayout(A4, margin_x=22 * mm, margin_top=22 * mm, margin_bottom=20 * mm)
    return layout.build(story, title="个人信息收集与使用告知", author=conf.property_name or "前台接待工作站")
