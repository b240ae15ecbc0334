"""投诉分析总结 PDF and ``reception report complaints``: rendered from a small data set and read
back with pypdf — title, figures, the repeat place, page numbers, the embedded font."""

from __future__ import annotations

import io
import re
from datetime import datetime
from datetime import timedelta

import pytest
from pypdf import PdfReader

from reception import cli
from reception.clock import to_local
from reception.clock import to_utc
from reception.documents import complaints_report as cr
from reception.services import analysis
from reception.services import cases
from reception.services import residents
from reception.services.analysis import Period
from reception.services.analysis import Report
from reception.services.analysis import Table
from reception.services.cases import CaseInput
from reception.store.models import Department
from tests.conftest import cli_location

GENERATED = datetime(2026, 11, 26, 9, 0)


def local(text: str) -> datetime:
    return to_utc(datetime.strptime(text, "%Y-%m-%d %H:%M"))


def dept(name: str) -> int:
    return Department.get(Department.name == name).id


@pytest.fixture
def november(receptionist, admin, clock) -> datetime:
    """October: one 报修. November: 投诉 ×3 at 5-1-1203 (one replied in 3 h), 报修 电梯 (工程部),
    咨询 大堂 (not dispatched). Returns "now": 2026-11-26 09:00 local."""
    qian = residents.add_resident(
        admin, residents.ResidentInput("5", "1", "1203", "钱七", "业主", "13800001203")
    )

    def open_case(at: str, **fields):
        clock.set(local(at))
        return cases.open_direct_case(receptionist, CaseInput(**fields))

    open_case("2026-10-15 10:00", category="报修", description="水管", location="地库")
    first = open_case(
        "2026-11-02 09:00",
        category="投诉",
        description="漏水",
        resident_id=qian.id,
        department_id=dept("工程部"),
    )
    clock.set(local("2026-11-02 12:00"))
    cases.reply(receptionist, first.id, "已安排维修", first.version)
    open_case(
        "2026-11-10 09:00",
        category="投诉",
        description="又漏水",
        resident_id=qian.id,
        department_id=dept("工程部"),
    )
    open_case(
        "2026-11-12 10:00",
        category="报修",
        description="电梯异响",
        location="电梯",
        department_id=dept("工程部"),
    )
    open_case(
        "2026-11-20 10:00",
        category="投诉",
        description="噪音",
        resident_id=qian.id,
        department_id=dept("品质管理部"),
    )
    open_case("2026-11-26 08:00", category="咨询", description="问收费", location="大堂")
    clock.set(local("2026-11-26 09:00"))
    return clock.now()


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_monthly_report_shows_title_categories_and_the_repeat_place(november):
    pdf = cr.complaints_report_for_month(2026, 11, november)
    pages = pages_text(pdf)
    text = "\n".join(pages)
    assert pdf.startswith(b"%PDF")
    assert "阳光花园物业 投诉分析总结（2026年11月）" in pages[0]
    assert "统计期间：2026-11-01 至 2026-11-30" in pages[0]
    lines = [line.strip() for line in text.splitlines()]
    # The 按类别 table (one cell per line in the extracted text): name, count, share.
    for name, count, share in (("投诉", "3", "60%"), ("报修", "1", "20%"), ("咨询", "1", "20%")):
        assert any(lines[i : i + 3] == [name, count, share] for i in range(len(lines))), name
    assert "5-1-1203" in text
    assert "重点关注：重复问题" in text
    assert "工单总数" in pages[0] and "25.0%" in pages[0]  # on time: 1 of 4 due (the 咨询 is not due)


def test_every_page_is_numbered_with_the_total(november):
    pages = pages_text(cr.complaints_report_for_month(2026, 11, november))
    total = len(pages)
    assert f"第 1 页 共 {total} 页" in pages[0]
    for number, text in enumerate(pages, start=1):
        assert f"第 {number} 页 共 {total} 页" in text


def test_analysis_points_are_computed_from_the_figures(november):
    report = analysis.build(Period.month(2026, 11), november)
    points = cr.analysis_points(report)
    # 26 November: a month still running is compared with the whole October by daily average (finding 18).
    assert points[0] == (
        "本月共受理工单 5 件（本月截至11月26日，共26天（全月 30 天）），日均 0.2 件；"
        "上月（10月，整月）1 件，日均 0.0 件。"
    )
    assert "「投诉」最多，3 件，占 60%" in points[1]
    assert "「工程部」，3 件，占 60%" in points[2]
    assert "按时答复率 25%，距 100% 还差 75.0 个百分点" in points[3]
    assert "平均答复用时 3.0 小时" in points[4]
    assert any("反复出现的问题 1 处：5-1-1203（投诉 3 次）" in p for p in points)
    text = flat("".join(pages_text(cr.render_complaints_report(report, "阳光花园物业", GENERATED))))
    for point in points:
        assert flat(point) in text


def test_font_is_embedded_as_a_subset_on_every_page(november):
    reader = PdfReader(io.BytesIO(cr.complaints_report_for_month(2026, 11, november)))
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        assert len(fonts) >= 1
        for font in fonts.values():
            font = font.get_object()
            name = str(font["/BaseFont"])
            assert re.fullmatch(r"/[A-Z]{6}\+(WenQuanYiMicroHei|HanaMinA|HanaMinB)", name), name
            descriptor = font["/FontDescriptor"]
            assert "/FontFile2" in descriptor
            assert len(descriptor["/FontFile2"].get_data()) < 200_000


def test_an_empty_month_renders_a_short_report(november):
    pages = pages_text(cr.complaints_report_for_month(2026, 9, november))
    assert "投诉分析总结（2026年9月）" in pages[0]
    assert "本月无工单" in pages[0]
    assert f"第 1 页 共 {len(pages)} 页" in pages[0]


def test_an_empty_database_renders_too(admin, clock):
    report = analysis.build(Period.month(2026, 11), clock.now())
    text = "".join(pages_text(cr.render_complaints_report(report, "", GENERATED)))
    assert "投诉分析总结（2026年11月）" in text and "本月无工单" in text


def test_a_custom_period_says_this_period_not_this_month(november):
    report = analysis.build(
        Period.days(to_local(november).date() - timedelta(days=20), to_local(november).date()), november
    )
    assert cr.analysis_points(report)[0].startswith("本期共受理工单 4 件")


def _long_report(rows: int) -> Report:
    period = Period.month(2026, 11)
    long_place = "阳光花园东区地下车库B2层消防通道旁配电房门口排水沟附近的公共区域位置" * 2
    return Report(
        period=period,
        total=rows,
        on_time_rate=0.5,
        avg_reply_hours=4.0,
        avg_close_hours=30.0,
        satisfaction_rate=None,
        tables=[
            Table("按类别", ["类别", "件数", "占比"], [["投诉", rows, "100%"]]),
            Table("按楼栋", ["楼栋", "件数", "占比"], [[f"{i}栋", 1, "1%"] for i in range(1, rows + 1)]),
            Table("重复问题（90 天内同一位置同类 ≥ 3 次）", ["位置", "类别", "次数", "最近一次"],
                  [[long_place, "投诉", 3, "2026-11-20"]]),
        ],
    )  # fmt: skip


def test_a_long_table_runs_over_pages_with_its_header_repeated():
    rows = 150
    report = _long_report(rows)
    pages = pages_text(cr.render_complaints_report(report, "阳光花园物业", GENERATED))
    assert len(pages) >= 4
    spanned = [text for text in pages if re.search(r"^\d+栋$", text, re.MULTILINE)]
    assert len(spanned) >= 3
    for text in spanned:
        lines = [line.strip() for line in text.splitlines()]
        assert any(lines[i : i + 3] == ["楼栋", "件数", "占比"] for i in range(len(lines)))
    found = {line.strip() for text in pages for line in text.splitlines()}
    assert {f"{i}栋" for i in range(1, rows + 1)} <= found
    # A long place wraps inside its cell between characters: nothing is cut off.
    place = report.tables[2].rows[0][0]
    assert place in flat("".join(pages))


def test_command_line_writes_the_monthly_report(november, tmp_path, capsys):
    where = cli_location()
    out = tmp_path / "reports" / "complaints.pdf"
    out.parent.mkdir()  # a folder that does not exist is refused (tests/test_cli_bad_input.py)
    argv = ["report", "complaints", "--user", "admin", "--month", "2026-11", "--out", str(out), *where]
    assert cli.main(argv) == 0
    assert f"已输出投诉分析总结（2026年11月）：{out}" in capsys.readouterr().out
    pages = pages_text(out.read_bytes())
    assert "阳光花园物业 投诉分析总结（2026年11月）" in pages[0] and "5-1-1203" in "".join(pages)


@pytest.mark.parametrize("month", ["2026-13", "11/2026", "2026-00", "下个月"])
def test_command_line_refuses_a_bad_month(november, tmp_path, capsys, month):
    where = cli_location()
    out = tmp_path / "c.pdf"
    with pytest.raises(SystemExit) as refused:  # a usage error: status 2, the usage line shown
        cli.main(["report", "complaints", "--user", "admin", "--month", month, "--out", str(out), *where])
    assert refused.value.code == 2
    assert "月份格式应为 YYYY-MM" in capsys.readouterr().err
    assert not out.exists()


def test_command_line_needs_a_report_kind(capsys):
    with pytest.raises(SystemExit) as done:
        cli.main(["report"])
    assert done.value.code == 2
    with pytest.raises(SystemExit):
        cli.main(["report", "--help"])
    assert "complaints" in capsys.readouterr().out


def test_a_whole_month_is_compared_by_totals_and_the_pdf_says_what_is_counted(november):
    """Finding 18: seen after the month is over, totals are compared; the PDF states the scope."""
    after = local("2026-12-06 10:00")
    report = analysis.build(Period.month(2026, 11), after)
    assert report.partial == ""
    assert cr.analysis_points(report)[0] == "本月共受理工单 5 件，较上月（10月 1 件）增加 4 件（400%）。"
    running = analysis.build(Period.month(2026, 12), after)
    text = flat("".join(pages_text(cr.render_complaints_report(running, "阳光花园物业", GENERATED))))
    assert flat("统计范围：期间内受理的全部工单") in text and flat("不只是投诉") in text
    assert flat("本月截至12月6日，共6天") in text
    november_pdf = flat("".join(pages_text(cr.render_complaints_report(report, "阳光花园物业", GENERATED))))
    assert flat("其中投诉 3 件") in november_pdf and "本月截至" not in november_pdf
