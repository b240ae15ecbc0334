"""投诉分析总结 — the monthly complaint analysis as an A4 PDF (规程：7.投诉问题分析总结).

The document the managers discuss once a month: the key figures (:func:`analysis.summary_rows`),
a short 分析要点 written from the figures (never hard-coded), the problems that keep coming back
at the same place — set apart, because 「针对反复出现的问题…防止问题重复发生」 is the point of the
meeting — then charts (by category, by department, the 12-month trend) and every table of the
:class:`~reception.services.analysis.Report`, each with its header repeated on a new page.

Chinese font embedded as a subset (:mod:`reception.documents.pdf_fonts`), text wrapped between characters
(``wordWrap="CJK"``), 「第 x 页 共 y 页」 on every page. No Qt: the window, the command line
(``reception report complaints``) and tests call the same function.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import timedelta
from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing
from reportlab.graphics.shapes import String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
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
from reception.documents.pdf_layout import HEADER_BG
from reception.documents.pdf_layout import INK
from reception.documents.pdf_layout import MUTED
from reception.documents.pdf_layout import RULE
from reception.services import analysis
from reception.services.analysis import Period
from reception.services.analysis import Report
from reception.services.analysis import Table

CATEGORY = "按类别"
DEPARTMENT = "按部门"
MONTHLY = "按月份"
REPEATS = "重复问题"
SATISFACTION = "回访满意度"

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 15 * mm
MARGIN_TOP = 15 * mm
MARGIN_BOTTOM = 18 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
_LAYOUT = pdf_layout.PageLayout(A4, MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM)

STRIPE = colors.HexColor("#f5f7fa")
ACCENT = colors.HexColor("#1565c0")
ALERT_HEADER = colors.HexColor("#f8c9c4")
ALERT_STRIPE = colors.HexColor("#fff6f5")
CHART_COLORS = (colors.HexColor("#1565c0"), colors.HexColor("#2e7d32"), colors.HexColor("#ef6c00"))


# --------------------------------------------------------------------------------------------
# Reading the report


def find_table(report: Report, prefix: str) -> Table | None:
    """The report's table whose title starts with ``prefix`` (titles carry their parameters,
    e.g. 「重复问题（90 天内…）」), or None."""
    return next((t for t in report.tables if t.title.startswith(prefix)), None)


def is_calendar_month(period: Period) -> bool:
    return re.fullmatch(r"\d{4}年\d{1,2}月", period.label) is not None


def last_local_day(period: Period) -> date:
    return to_local(period.end - timedelta(seconds=1)).date()


def monthly_series(report: Report, months: int = 12) -> list[tuple[str, int]]:
    """(``"YYYY-MM"``, count) for the ``months`` months ending with the period's last month,
    months without cases included as 0 (the 按月份 table lists only months that had cases)."""
    table = find_table(report, MONTHLY)
    counts = {str(row[0]): int(row[1]) for row in table.rows} if table else {}  # type: ignore[call-overload]
    last = last_local_day(report.period)
    index = last.year * 12 + last.month - 1
    keys = [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - months + 1, index + 1)]
    return [(key, counts.get(key, 0)) for key in keys]


def month_label(key: str, first: bool) -> str:
    """``"2026-01"`` → ``"1月"``; the year is added below the first month and every January."""
    year, month = key.split("-")
    text = f"{int(month)}月"
    return f"{text}\n{year}年" if first or month == "01" else text


def _counts(table: Table | None) -> list[tuple[str, int]]:
    if table is None:
        return []
    return [(str(row[0]), int(row[1])) for row in table.rows]  # type: ignore[call-overload]


def _percent(value: float) -> str:
    text = f"{value:.1%}"
    return text.replace(".0%", "%")


def _share(count: int, total: int) -> str:
    """As in the report's tables (whole per cent), so the text and the tables agree."""
    return f"{count / total:.0%}"


def analysis_points(report: Report) -> list[str]:
    """The 分析要点: a few sentences computed from the report."""
    noun = "本月" if is_calendar_month(report.period) else "本期"
    if report.total == 0:
        return [f"{noun}无工单。"]
    points: list[str] = []

    text = f"{noun}共受理工单 {report.total} 件"
    if is_calendar_month(report.period):
        series = monthly_series(report, 2)
        if len(series) == 2:
            (previous_key, previous), _ = series
            label = f"{int(previous_key[5:])}月"
            if report.partial and report.days_elapsed:
                # Part of a month beside a whole one: compare the daily averages, not the totals.
                first = to_local(report.period.start).date()
                before = (first - timedelta(days=1)).replace(day=1)
                previous_days = (first - before).days
                text += (
                    f"（{report.partial}），日均 {report.total / report.days_elapsed:.1f} 件；"
                    f"上月（{label}，整月）{previous} 件，日均 {previous / previous_days:.1f} 件"
                )
            elif previous == 0:
                text += f"（上月 {label}无工单）"
            else:
                change = report.total - previous
                if change == 0:
                    text += f"，与上月（{label} {previous} 件）持平"
                else:
                    word = "增加" if change > 0 else "减少"
                    rate = _percent(abs(change) / previous)
                    text += f"，较上月（{label} {previous} 件）{word} {abs(change)} 件（{rate}）"
    points.append(text + "。")

    categories = _counts(find_table(report, CATEGORY))
    if categories:
        name, count = categories[0]
        text = f"类别以「{name}」最多，{count} 件，占 {_share(count, report.total)}"
        if len(categories) > 1:
            second, second_count = categories[1]
            text += f"；其次为「{second}」，{second_count} 件（{_share(second_count, report.total)}）"
        points.append(text + "。")

    departments = [(n, c) for n, c in _counts(find_table(report, DEPARTMENT)) if n != "未派单"]
    if departments:
        name, count = departments[0]
        points.append(f"承办最多的部门是「{name}」，{count} 件，占 {_share(count, report.total)}。")

    if report.on_time_rate is None:
        points.append("统计期内尚无到答复期限的工单，暂不计算按时答复率。")
    elif report.on_time_rate >= 1:
        points.append("按时答复率 100%，到期工单全部按时答复，做到件件有回音。")
    else:
        gap = (1 - report.on_time_rate) * 100
        points.append(
            f"按时答复率 {_percent(report.on_time_rate)}，距 100% 还差 {gap:.1f} 个百分点，"
            "请核查超时工单的原因并督促按时答复。"
        )

    times = []
    if report.avg_reply_hours is not None:
        times.append(f"平均答复用时 {report.avg_reply_hours:.1f} 小时")
    if report.avg_close_hours is not None:
        times.append(f"平均关闭用时 {report.avg_close_hours:.1f} 小时")
    if times:
        points.append("，".join(times) + "。")

    if report.satisfaction_rate is not None:
        text = f"回访满意率 {_percent(report.satisfaction_rate)}"
        table = find_table(report, SATISFACTION)
        rated = [
            (str(row[0]), int(row[3]) / int(row[2]))  # type: ignore[call-overload]
            for row in (table.rows if table else [])
            if int(row[2])  # type: ignore[call-overload]
        ]
        if len(rated) > 1:
            name, lowest = min(rated, key=lambda item: item[1])
            if lowest < 1:
                text += f"；满意率最低的部门为「{name}」（{_percent(lowest)}）"
        points.append(text + "。")

    repeats = find_table(report, REPEATS)
    if repeats is not None:
        if repeats.rows:
            places = "、".join(f"{row[0]}（{row[1]} {row[2]} 次）" for row in repeats.rows[:5])
            more = f"等 {len(repeats.rows)} 处" if len(repeats.rows) > 5 else ""
            points.append(
                f"同一位置反复出现的问题 {len(repeats.rows)} 处：{places}{more}。"
                "请责任部门查明原因、制定整改措施，防止问题重复发生。"
            )
        else:
            points.append("未发现同一位置反复出现的同类问题。")
    return points


# --------------------------------------------------------------------------------------------
# Styles


@dataclass(frozen=True)
class _Styles:
    font: str
    title: Any
    meta: Any
    heading: Any
    alert_heading: Any
    body: Any
    bullet: Any
    cell: Any
    header_cell: Any
    tile_label: Any
    tile_value: Any
    note: Any
    muted: Any


def _styles() -> _Styles:
    style = pdf_fonts.cjk_paragraph_style
    return _Styles(
        font=pdf_fonts.font_name(),
        title=style("cr-title", 17, leading=24, textColor=INK),
        meta=style("cr-meta", 9, textColor=MUTED),
        heading=style(
            "cr-heading", 12.5, leading=17, textColor=ACCENT, spaceBefore=5 * mm, spaceAfter=2 * mm
        ),
        alert_heading=style(
            "cr-alert-heading",
            12.5,
            leading=17,
            textColor=ALERT,
            spaceBefore=5 * mm,
            spaceAfter=1.5 * mm,
        ),
        body=style("cr-body", 10, textColor=INK),
        bullet=style(
            "cr-bullet",
            10,
            leading=15,
            textColor=INK,
            leftIndent=5 * mm,
            bulletIndent=1 * mm,
            bulletFontName=pdf_fonts.font_name(),
        ),
        cell=style("cr-cell", 9, leading=12, textColor=INK),
        header_cell=style("cr-header-cell", 9, leading=12, textColor=INK),
        tile_label=style("cr-tile-label", 9, textColor=MUTED, alignment=1),
        tile_value=style("cr-tile-value", 17, leading=22, textColor=INK, alignment=1),
        note=style("cr-note", 9.5, leading=14, textColor=ALERT),
        muted=style("cr-muted", 9.5, textColor=MUTED),
    )


# --------------------------------------------------------------------------------------------
# Tables


def _is_number(value: object) -> bool:
    if isinstance(value, int | float):
        return True
    return isinstance(value, str) and re.fullmatch(r"[\d.]+%|—", value) is not None


def _column_widths(table: Table, font: str, size: float, total_width: float) -> list[float]:
    pad = 12
    wanted = []
    numeric = []
    for col, head in enumerate(table.header):
        cells = [row[col] for row in table.rows if col < len(row)]
        numeric.append(bool(cells) and all(_is_number(c) for c in cells))
        widest = max([pdfmetrics.stringWidth(str(c), font, size) for c in [head, *cells]])
        wanted.append(max(widest + pad, 20 * mm))
    text_cols = [i for i, is_num in enumerate(numeric) if not is_num] or [0]
    spare = total_width - sum(wanted)
    if spare >= 0:
        for i in text_cols:  # text columns take the rest so each table spans the page width
            wanted[i] += spare / len(text_cols)
    else:  # the widest text columns give up room and wrap (Paragraph cells); short ones keep theirs
        room = total_width - sum(w for i, w in enumerate(wanted) if i not in text_cols)
        pending = sorted(text_cols, key=lambda i: wanted[i])
        while pending:
            fair = room / len(pending)
            i = pending.pop(0)
            wanted[i] = max(min(wanted[i], fair), 20 * mm)
            room -= wanted[i]
    return wanted


def _data_table(table: Table, s: _Styles, *, alert: bool = False, empty_text: str = "无数据。") -> PdfTable:
    """A report table: the header repeated on each page, text cells wrapped between characters,
    numbers right-aligned."""
    numeric = [
        bool(table.rows) and all(_is_number(row[col]) for row in table.rows)
        for col in range(len(table.header))
    ]
    header = [
        str(h) if numeric[col] else Paragraph(str(h), s.header_cell) for col, h in enumerate(table.header)
    ]
    body: list[list[object]] = []
    for row in table.rows:
        body.append([str(value) if _is_number(value) else Paragraph(str(value), s.cell) for value in row])
    if not body:
        body.append([Paragraph(empty_text, s.cell)] + [""] * (len(table.header) - 1))
    widths = _column_widths(table, s.font, 9, CONTENT_WIDTH)
    pdf_table = PdfTable([header, *body], colWidths=widths, repeatRows=1)
    commands: list[tuple[Any, ...]] = [
        *pdf_layout.report_table_commands(
            s.font,
            9,
            header_bg=ALERT_HEADER if alert else HEADER_BG,
            header_rule=ALERT if alert else RULE,
            box=1.2 if alert else 0.6,
        ),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ALERT_STRIPE if alert else STRIPE]),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    for col, is_number in enumerate(numeric):
        if is_number:
            commands.append(("ALIGN", (col, 0), (col, -1), "RIGHT"))
    if not table.rows:
        commands.append(("SPAN", (0, 1), (-1, 1)))
    pdf_table.setStyle(TableStyle(commands))
    return pdf_table


def _summary_tiles(report: Report, s: _Styles) -> PdfTable:
    """The key figures of :func:`analysis.summary_rows` (except the period, in the title) as
    large numbers side by side."""
    rows = [row for row in analysis.summary_rows(report) if row[0] != "统计期间"]
    cells = [
        [Paragraph(str(label), s.tile_label), Spacer(0, 1 * mm), Paragraph(str(value), s.tile_value)]
        for label, value in rows
    ]
    return pdf_layout.figure_tiles(cells, CONTENT_WIDTH, background=STRIPE, top=6, bottom=7)


# --------------------------------------------------------------------------------------------
# Charts (reportlab.graphics, labels in the embedded font)


def _axis_max(largest: int) -> tuple[int, int]:
    """A round top for the value axis and an integer step giving at most about 6 gridlines."""
    headroom = int(max(largest, 1) * 1.2)  # room for the count above the tallest bar
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if headroom / step <= 5:
            break
    else:
        step = 10 ** len(str(headroom))
    return (headroom // step + 1) * step, step


def _style_value_axis(axis: Any, font: str, largest: int) -> None:
    top, step = _axis_max(largest)
    axis.valueMin = 0
    axis.valueMax = top
    axis.valueStep = step
    axis.labels.fontName = font
    axis.labels.fontSize = 8
    axis.labels.fillColor = MUTED
    axis.labelTextFormat = "%d"
    axis.visibleGrid = True
    axis.gridStrokeColor = colors.HexColor("#dde3ea")
    axis.gridStrokeWidth = 0.4
    axis.strokeColor = RULE


def _widest(labels: Sequence[str], font: str, size: float) -> float:
    return max(
        (max(pdfmetrics.stringWidth(part, font, size) for part in x.split("\n")) for x in labels), default=0
    )


def bar_chart(
    labels: Sequence[str], values: Sequence[int], font: str, *, width: float, height: float, color: Any
) -> Drawing:
    """A vertical bar chart with the count above each bar and the category names below, slanted
    when they do not fit side by side."""
    drawing = Drawing(width, height, initialFontName=font)
    chart = VerticalBarChart()
    left, top_room = 34, 14
    slot = (width - left - 8) / max(len(labels), 1)
    label_size = 8.5
    slanted = _widest(labels, font, label_size) > slot * 0.92
    bottom = 14 + (_widest(labels, font, label_size) * 0.55 if slanted else label_size * 1.6)
    chart.x, chart.y = left, bottom
    chart.width, chart.height = width - left - 8, height - bottom - top_room
    chart.data = [list(values)]
    bar = min(slot * 0.5, 34.0)
    chart.barWidth = 10  # relative units: the slot is barWidth + groupSpacing
    chart.groupSpacing = 10 * (slot / bar - 1)
    chart.bars[0].fillColor = color
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 8
    chart.barLabels.fillColor = INK
    chart.barLabels.nudge = 6
    axis = chart.categoryAxis
    axis.categoryNames = list(labels)
    axis.labels.fontName = font
    axis.labels.fontSize = label_size
    axis.labels.fillColor = INK
    axis.strokeColor = RULE
    if slanted:
        axis.labels.angle = 35
        axis.labels.boxAnchor = "ne"
        axis.labels.dx = 4
        axis.labels.dy = -2
    else:
        axis.labels.boxAnchor = "n"
        axis.labels.dy = -3
    _style_value_axis(chart.valueAxis, font, max(values, default=0))
    drawing.add(chart)
    drawing.add(String(4, height - 9, "件数", fontName=font, fontSize=8, fillColor=MUTED))
    return drawing


def _nonzero_label(value: float) -> str:
    return f"{int(value)}" if value else ""


def trend_chart(series: Sequence[tuple[str, int]], font: str, *, width: float, height: float) -> Drawing:
    """The monthly counts as a line with a dot and the count at each month."""
    drawing = Drawing(width, height, initialFontName=font)
    chart = HorizontalLineChart()
    chart.x, chart.y = 34, 30
    chart.width, chart.height = width - 34 - 10, height - 30 - 16
    chart.data = [[count for _key, count in series]]
    chart.joinedLines = 1
    chart.lines[0].strokeColor = CHART_COLORS[0]
    chart.lines[0].strokeWidth = 1.6
    chart.lines[0].symbol = makeMarker("FilledCircle", size=4.5)
    chart.lines[0].symbol.fillColor = CHART_COLORS[0]
    chart.lines[0].symbol.strokeColor = CHART_COLORS[0]
    chart.lineLabelFormat = _nonzero_label
    chart.lineLabels.fontName = font
    chart.lineLabels.fontSize = 8
    chart.lineLabels.fillColor = INK
    chart.lineLabels.dy = 7
    axis = chart.categoryAxis
    axis.categoryNames = [month_label(key, i == 0) for i, (key, _count) in enumerate(series)]
    axis.labels.fontName = font
    axis.labels.fontSize = 8
    axis.labels.fillColor = INK
    axis.labels.boxAnchor = "n"
    axis.labels.dy = -3
    axis.labels.leading = 10
    axis.strokeColor = RULE
    _style_value_axis(chart.valueAxis, font, max((c for _k, c in series), default=0))
    drawing.add(chart)
    drawing.add(String(4, height - 9, "件数", fontName=font, fontSize=8, fillColor=MUTED))
    return drawing


# --------------------------------------------------------------------------------------------
# The document


def _section(title: str, s: _Styles) -> Paragraph:
    return pdf_layout.heading(Paragraph(title, s.heading))


def _chart_block(title: str, chart: Drawing | None, table: Table, s: _Styles) -> list[Flowable]:
    """Heading, chart and table; the heading and chart stay together, the table may run on."""
    if not table.rows:
        return [_section(title, s), Paragraph("无数据。", s.muted)]
    head: list[Flowable] = [_section(title, s)]
    if chart is not None:
        head += [chart, Spacer(0, 2 * mm)]
    return [CondPageBreak(40 * mm), KeepTogether(head), _data_table(table, s)]


def render_complaints_report(report: Report, property_name: str, generated_at_local: datetime) -> bytes:
    """The 投诉分析总结 of ``report`` as A4 PDF bytes. ``generated_at_local`` (naive local time)
    is printed under the title."""
    s = _styles()
    font = s.font
    name = (property_name or "").strip()
    title = (
        f"{name} 投诉分析总结（{report.period.label}）" if name else f"投诉分析总结（{report.period.label}）"
    )
    first, last = to_local(report.period.start).date(), last_local_day(report.period)

    story: list[Flowable] = [
        Paragraph(title, s.title),
        Spacer(0, 1.5 * mm),
        Paragraph(
            f"统计期间：{first:%Y-%m-%d} 至 {last:%Y-%m-%d}{'&nbsp;' * 6}"
            f"生成时间：{generated_at_local:%Y-%m-%d %H:%M}",
            s.meta,
        ),
        Paragraph(report.scope + (f"；{report.partial}" if report.partial else ""), s.meta),
        Spacer(0, 4 * mm),
        _summary_tiles(report, s),
        _section("分析要点", s),
    ]
    for point in analysis_points(report):
        story.append(Paragraph(point, s.bullet, bulletText="•"))

    repeats = find_table(report, REPEATS)
    if repeats is not None and repeats.rows:
        heading = pdf_layout.heading(Paragraph(f"重点关注：{repeats.title}", s.alert_heading))
        note = pdf_layout.heading(
            Paragraph(
                "以下位置反复出现同类问题。请责任部门查明根本原因，制定整改措施并跟踪落实，防止问题重复发生；"
                "处理结果在下次分析会上通报。",
                s.note,
            )
        )
        story += [
            CondPageBreak(35 * mm),
            heading,
            note,
            Spacer(0, 1.5 * mm),
            _data_table(repeats, s, alert=True),
        ]
    elif repeats is not None:
        story += [_section(repeats.title, s), Paragraph("统计期内未发现同一位置反复出现的同类问题。", s.body)]

    tracking = find_table(report, analysis.TRACKING)
    if tracking is not None and (tracking.rows or (repeats is not None and repeats.rows)):
        # 重复问题的整改跟踪 right after the problems: cause, measure, owner, due date, result.
        story += _chart_block(tracking.title, None, tracking, s)
        if not tracking.rows:
            story[-1] = Paragraph("以上重复问题尚未登记整改措施。", s.muted)

    chart_width, chart_height = CONTENT_WIDTH, 62 * mm
    for table in report.tables:
        if table is repeats or table is tracking:
            continue
        chart: Drawing | None = None
        if table.title.startswith((CATEGORY, DEPARTMENT)) and table.rows:
            color = CHART_COLORS[0] if table.title.startswith(CATEGORY) else CHART_COLORS[1]
            counts = _counts(table)
            chart = bar_chart(
                [n for n, _c in counts],
                [c for _n, c in counts],
                font,
                width=chart_width,
                height=chart_height,
                color=color,
            )
        elif table.title.startswith(MONTHLY) and table.rows:
            chart = trend_chart(monthly_series(report), font, width=chart_width, height=chart_height)
        story += _chart_block(table.title, chart, table, s)

    footer = f"{name}　投诉分析总结（{report.period.label}）".strip("　")
    canvas = pdf_layout.numbered_canvas(
        footer, margin_x=MARGIN_X, y=MARGIN_BOTTOM - 7 * mm, size=8.5, color=MUTED, rule=RULE
    )
    return _LAYOUT.build(
        story,
        canvasmaker=canvas,
        title=title,
        subject="投诉分析总结",
        author=name,
        creator=pdf_layout.CREATOR,
    )


def complaints_report_for_month(year: int, month: int, now: datetime) -> bytes:
    """Build the analysis of one calendar month (``now``: naive UTC, the session clock) and render
    it with the property name from the settings."""
    from reception.errors import ValidationError
    from reception.services import settings

    if not 1 <= month <= 12 or not 2000 <= year <= 2999:
        raise ValidationError.single(
            "month", f"月份无效：{year}-{month:02d}（应为 YYYY-MM，月份 01 到 12）。"
        )
    report = analysis.build(Period.month(year, month), now)
    return render_complaints_report(report, settings.load().property_name, to_local(now))
