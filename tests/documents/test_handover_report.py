"""The 交接班报告 and 日报 PDFs: every item in its section, what is still open set apart,
page numbers, the embedded font, no unmasked personal data; and the report commands. The day
reported on is ``busy_day`` (tests/conftest.py)."""

from __future__ import annotations

import io
import re
from datetime import date
from datetime import datetime

import pytest
from pypdf import PdfReader

from reception import cli
from reception.documents import handover_report
from reception.services import handover
from reception.services.analysis import Table
from reception.services.handover import HandoverData
from reception.store.paths import DataDir
from tests.conftest import cli_location

DAY = date(2026, 11, 26)
FULL_NUMBERS = ("13912345678", "13600001234", "13700001111", "13900005678", "11010519491231002X")


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


_FOOTER = re.compile(r"(交接班报告|日报)·[^·]*(·[^·]*)?·打印时间\d{4}-\d{2}-\d{2}\d{2}:\d{2}第\d+页共\d+页")


def _flat(pdf: bytes) -> str:
    """All the text, whitespace removed, page footers left out."""
    return _FOOTER.sub("", re.sub(r"\s+", "", "".join(_pages(pdf))))


def _between(text: str, start: str, end: str | None) -> str:
    """The text from heading ``start`` up to heading ``end`` (the next section)."""
    begin = text.index(start)
    if end is None:
        return text[begin:]
    return text[begin : text.index(end, begin + len(start))]


def _fonts(pdf: bytes) -> list[tuple[str, bool]]:
    found = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            embedded = descriptor is not None and "/FontFile2" in descriptor.get_object()
            found.append((str(font["/BaseFont"]), embedded))
    return found


HEADINGS = ("一、本班工作概况", "二、未完成事项（交给下一班）", "三、交班备注（给下一班）")


def test_each_item_is_printed_in_its_section(busy_day, clock):
    shift, overdue = busy_day
    pdf = handover_report.handover_pdf_for_shift(shift.id, clock.now())
    text = _flat(pdf)
    header = _between(text, "阳光花园物业", HEADINGS[0])
    for expected in (
        "交接班报告",
        "2026年11月26日",
        "第1班",
        "2026-11-2609:00",
        "2026-11-2613:00",
        "交班人李晓",
        "接班人赵敏",
    ):
        assert expected in header, expected
    work = _between(text, HEADINGS[0], HEADINGS[1])
    assert "来电（按类别和处理结果）" in work and "合计" in work
    still_open = _between(text, HEADINGS[1], HEADINGS[2])
    cases = _between(still_open, "1.未结工单", "2.待回电")
    assert overdue.serial in cases and "已超时" in cases and "地库漏水" in cases
    assert "孙先生" in _between(still_open, "2.待回电", "3.未转达留言")
    assert "139****5678" in _between(still_open, "2.待回电", "3.未转达留言")
    assert "刘师傅" in _between(still_open, "3.未转达留言", "4.在场访客")
    on_site = _between(still_open, "4.在场访客", "5.下一班预约来访")
    assert "王小明" in on_site and "周杰" not in on_site
    assert "周杰" in _between(still_open, "5.下一班预约来访", "6.待办来函")
    assert "地库漏水" in _between(still_open, "6.待办来函", "7.本班异常情况")
    assert "安全隐患" in _between(still_open, "7.本班异常情况", None)
    closing = _between(text, HEADINGS[2], None)
    assert "请跟进噪音投诉" in closing
    assert re.search(r"交班人李晓时间2026-11-2613:00接班人赵敏时间2026-11-2613:00", closing)
    pages = _pages(pdf)
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        assert f"第{number}页共{total}页" in re.sub(r"\s+", "", page)
    assert "第1页共" in re.sub(r"\s+", "", pages[0])
    for full in FULL_NUMBERS:
        assert full not in text


def test_overdue_rows_are_red_and_the_open_part_stands_out(busy_day, clock):
    shift, overdue = busy_day
    data = handover.for_shift(shift, clock.now())
    s = handover_report._styles()
    table = data.section("未结工单")
    assert table.rows[0][0] == overdue.serial
    pdf_table = handover_report.data_table(table, s, alert=True, highlight=True)
    colors_by_row = [row[0].color for row in pdf_table._cellStyles]
    assert colors_by_row[1] == handover_report.ALERT  # the overdue complaint
    assert colors_by_row[2] != handover_report.ALERT  # the letter's case, not due yet
    plain = handover_report.data_table(table, s)
    assert all(row[0].color != handover_report.ALERT for row in plain._cellStyles)


def _data(**overrides) -> HandoverData:
    values = dict(
        kind="交接班报告",
        property_name="阳光花园物业",
        day=DAY,
        start=datetime(2026, 11, 26, 1, 0),
        end=datetime(2026, 11, 26, 9, 0),
        shift_label="第 2 班",
        outgoing="李晓",
        incoming="赵敏",
        handed_over_at=datetime(2026, 11, 26, 9, 0),
        figures=[["来电", 0], ["来访", 0]],
        activity=[Table("来电（按类别和处理结果）", ["类别", "合计"], [])],
        still_open=[
            Table("未结工单（超时的在前）", ["编号", "问题"], []),
            Table("待回电", ["联系人", "电话", "事由", "约定回电时间", "状态"], []),
            Table("在场访客 / 未交还的访客证", ["访客证号", "访客"], []),
        ],
    )
    values.update(overrides)
    return HandoverData(**values)  # type: ignore[arg-type]


def test_an_empty_list_says_none_so_it_was_checked(clock):
    text = _flat(handover_report.render(_data(), datetime(2026, 11, 26, 17, 5)))
    still_open = _between(text, HEADINGS[1], HEADINGS[2])
    assert "待回电（已核对：无）" in still_open
    assert _between(still_open, "2.待回电", "3.在场访客").endswith("状态无")
    assert "无" in _between(text, HEADINGS[2], "签字确认")  # no note: 「无」, not a blank
    assert "接班人赵敏" in text and "（待接班）" not in text


def test_three_hundred_open_cases_span_pages_with_the_header_on_each(database):
    header = ["编号", "类别", "位置", "问题", "首问责任人", "处理部门", "状态", "答复期限", "剩余时间"]
    rows: list[list[object]] = [
        [
            f"GD20261126-{i:03d}",
            "投诉",
            f"{i % 30 + 1}栋{i % 4 + 1}单元",
            f"第{i}件：楼上装修噪音扰民，晚上十一点以后仍在施工，请物业督促整改并回复业主",
            "李晓",
            "工程部 刘工",
            "已派单",
            "11-27 09:00",
            "超时 2小时（已超时）" if i < 20 else "剩 20小时",
        ]
        for i in range(1, 301)
    ]
    data = _data(still_open=[Table("未结工单（超时的在前）", header, rows)])
    pdf = handover_report.render(data, datetime(2026, 11, 26, 17, 5))
    pages = _pages(pdf)
    assert len(pages) >= 5
    flat = [re.sub(r"\s+", "", p) for p in pages]
    pages_with_cases = [p for p in flat if "GD20261126-" in p]
    assert len(pages_with_cases) >= 4
    for page in pages_with_cases:
        assert "编号类别位置问题首问责任人处理部门状态答复期限剩余时间" in page
    body = _flat(pdf)
    for i in (1, 150, 300):
        # the long text wraps inside its cell: every character is there, in order
        assert f"第{i}件：楼上装修噪音扰民，晚上十一点以后仍在施工，请物业督促整改并回复业主" in body
    assert f"第{len(pages)}页共{len(pages)}页" in flat[-1]


def test_cells_wrap_between_characters_and_never_lose_one():
    font = handover_report.pdf_fonts.font_name()
    text = "编号 GD20261126-001：楼上装修噪音扰民，晚上十一点以后仍在施工。请物业督促整改！"
    lines = handover_report.wrap_cell(text, 60, font)
    assert len(lines) > 2
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for line in lines:
        assert handover_report._width(line, font) <= 60
        assert line[:1] not in "，。！："
    assert "GD20261126-001：" in lines[1] or "GD20261126-001" in "".join(lines[:2])


def test_column_widths_fill_the_page_and_keep_short_columns_whole():
    font = handover_report.pdf_fonts.font_name()
    header = ["编号", "问题", "状态"]
    rows: list[list[object]] = [["GD20261126-001", "很长的问题描述" * 20, "已派单"]]
    widths = handover_report.column_widths(header, rows, font, 400)
    assert sum(widths) == pytest.approx(400)
    assert widths[0] >= handover_report._width("GD20261126-001", font) + 8
    assert widths[1] > widths[2]
    narrow = handover_report.column_widths(["类型", "人次"], [["访客", 1]], font, 400)
    assert sum(narrow) == pytest.approx(400)


def test_font_is_embedded_as_a_subset(busy_day, clock):
    shift, _ = busy_day
    fonts = _fonts(handover_report.handover_pdf_for_shift(shift.id, clock.now()))
    assert fonts
    for name, embedded in fonts:
        assert embedded, name
        assert re.fullmatch(r"/[A-Z]{6}\+\S+", name), name


def test_daily_report_has_the_comparison_table(busy_day, clock):
    pdf = handover_report.daily_pdf(DAY, clock.now())
    text = _flat(pdf)
    assert "日报" in text and "第1班李晓、第2班赵敏" in text
    assert "一、当日工作概况" in text
    comparison = _between(text, "三、当日与前7日平均对比", "四、备注")
    assert "项目当日前7日平均变化" in comparison
    assert "来电40.0—" in comparison
    assert "制表人" in text and "主管审核" in text
    for full in FULL_NUMBERS:
        assert full not in text


def test_daily_report_of_a_day_without_shifts(admin, clock):
    text = _flat(handover_report.daily_pdf(DAY, clock.now()))
    assert "（无班次记录）" in text and "三、当日与前7日平均对比" in text


def test_archive_copy_writes_the_whole_file_and_no_temporary(tmp_path, busy_day, clock):
    shift, _ = busy_day
    data = handover.for_shift(shift, clock.now())
    name = handover_report.archive_name(data)
    assert name == "交接班报告-20261126-第1班.pdf"
    pdf = handover_report.render(data, datetime(2026, 11, 26, 13, 0))
    folder = DataDir(tmp_path / "data")
    path = handover_report.archive_copy(pdf, folder, name)
    assert path == folder.archive / name and path.read_bytes() == pdf
    handover_report.archive_copy(b"%PDF-again", folder, name)  # replaced, not duplicated
    assert [p.name for p in folder.archive.iterdir()] == [name]
    with pytest.raises(ValueError):
        handover_report.archive_copy(pdf, folder, "../elsewhere.pdf")
    assert handover_report.archive_name(handover.for_day(DAY, clock.now())) == "日报-20261126.pdf"


# -- the commands ---------------------------------------------------------------------------


def test_command_line_handover_and_daily(busy_day, tmp_path, capsys):
    _shift, overdue = busy_day
    where = cli_location()
    out = tmp_path / "out" / "handover.pdf"
    out.parent.mkdir()  # a folder that does not exist is refused (tests/test_cli_bad_input.py)
    args = [
        "report",
        "handover",
        "--user",
        "admin",
        "--date",
        "2026-11-26",
        "--shift",
        "1",
        "--out",
        str(out),
    ]
    assert cli.main([*args, *where]) == 0
    assert "已输出交接班报告（2026-11-26 第 1 班）" in capsys.readouterr().out
    text = _flat(out.read_bytes())
    assert "交接班报告" in text and overdue.serial in text and "王小明" in text

    daily = tmp_path / "daily.pdf"
    assert (
        cli.main(["report", "daily", "--user", "admin", "--date", "2026-11-26", "--out", str(daily), *where])
        == 0
    )
    assert "已输出日报（2026-11-26）" in capsys.readouterr().out
    assert "当日与前7日平均对比" in _flat(daily.read_bytes())


def test_command_line_handover_on_a_day_without_shifts(admin, tmp_path, capsys):
    where = cli_location()
    out = tmp_path / "none.pdf"
    args = ["report", "handover", "--user", "admin", "--date", "2026-11-20", "--out", str(out), *where]
    assert cli.main(args) == 1
    err = capsys.readouterr().err
    assert "2026-11-20 没有班次记录" in err and "reception report daily" in err
    assert not out.exists()
    assert (
        cli.main(
            [
                "report",
                "handover",
                "--user",
                "admin",
                "--date",
                "2026-11-26",
                "--shift",
                "7",
                "--out",
                str(out),
                *where,
            ]
        )
        == 1
    )
    assert (
        cli.main(["report", "daily", "--user", "admin", "--date", "2026-11-20", "--out", str(out), *where])
        == 0
    )
    assert out.exists()


@pytest.mark.sqlite_only
def test_reports_print_the_audit_anchor_that_verify_then_holds_the_log_to(busy_day, clock, tmp_path, capsys):
    import sqlite3

    from reception import cli
    from reception.store import audit

    shift, _ = busy_day
    text = _flat(handover_report.handover_pdf_for_shift(shift.id, clock.now()))
    head = audit.head()
    assert f"审计日志锚点：共{head.count:,}条·{head.head}" in text  # beside the signatures
    assert "审计日志锚点" in _flat(handover_report.daily_pdf(DAY, clock.now()))
    labels = [a.label for a in audit.known_anchors()]
    assert "11月26日 第 1 班交接班报告" in labels and "11月26日 日报" in labels
    args = cli_location()
    con = sqlite3.connect(tmp_path / "reception.db")
    con.execute("DROP TRIGGER audit_log_no_delete")
    con.execute("DELETE FROM audit_log WHERE id > (SELECT MAX(id) - 2 FROM audit_log)")
    con.commit()
    con.close()
    assert cli.main(["audit", "verify", "--user", "admin", *args]) == 1
    assert "比 11月26日 日报 记录的少 2 条" in capsys.readouterr().out
