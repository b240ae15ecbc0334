"""The 投诉分析 window over a small data set: the figures it shows are the core's, the period
selector changes them, Excel and the PDF go through the patched dialogs, the table models pass
qtmodeltester, and 报表 → 投诉分析… opens it."""

from __future__ import annotations

import io
from datetime import date
from datetime import datetime

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtCore import Qt

from reception.clock import to_utc
from reception.services import analysis
from reception.services import cases
from reception.services import residents
from reception.services.analysis import Period
from reception.services.cases import CaseInput
from reception.store.models import Department
from ui.analysis.analysis_table_model import ROW_ROLE
from ui.analysis.analysis_table_model import SORT_ROLE
from ui.analysis.analysis_table_model import AnalysisTableModel
from ui.analysis.analysis_window import CUSTOM
from ui.analysis.analysis_window import LAST_30_DAYS
from ui.analysis.analysis_window import MONTH
from ui.analysis.analysis_window import THIS_YEAR
from ui.analysis.analysis_window import AnalysisWindow
from ui.widgets import msgbox
from ui.widgets import printing


def type_text(widget, text: str) -> None:
    """Type Chinese as an input method does (QTest can only type ASCII), one character at a time."""
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    widget.setFocus()
    for ch in text:
        event = QInputMethodEvent()
        event.setCommitString(ch)
        QApplication.sendEvent(widget, event)


def local(text: str) -> datetime:
    return to_utc(datetime.strptime(text, "%Y-%m-%d %H:%M"))


@pytest.fixture
def cases_made(receptionist, admin, clock):
    """October: one 报修. November: 投诉 ×3 at 5-1-1203 (one replied after 3 h), 报修 电梯, 咨询."""
    qian = residents.add_resident(
        admin, residents.ResidentInput("5", "1", "1203", "钱七", "业主", "13800001203")
    )
    engineering = Department.get(Department.name == "工程部").id

    def open_case(at: str, **fields):
        clock.set(local(at))
        return cases.open_direct_case(receptionist, CaseInput(**fields))

    open_case("2026-10-15 10:00", category="报修", description="水管", location="地库")
    first = open_case(
        "2026-11-02 09:00",
        category="投诉",
        description="漏水",
        resident_id=qian.id,
        department_id=engineering,
    )
    clock.set(local("2026-11-02 12:00"))
    cases.reply(receptionist, first.id, "已安排维修", first.version)
    open_case("2026-11-10 09:00", category="投诉", description="又漏水", resident_id=qian.id)
    open_case(
        "2026-11-12 10:00",
        category="报修",
        description="电梯异响",
        location="电梯",
        department_id=engineering,
    )
    open_case("2026-11-20 10:00", category="投诉", description="噪音", resident_id=qian.id)
    open_case("2026-11-26 08:00", category="咨询", description="问收费", location="大堂")
    clock.set(local("2026-11-26 09:00"))
    return clock.now()


@pytest.fixture
def window(qtbot, receptionist, cases_made):
    win = AnalysisWindow(receptionist)
    qtbot.addWidget(win)
    return win


@pytest.fixture
def supervisor_window(qtbot, supervisor, cases_made):
    win = AnalysisWindow(supervisor)
    qtbot.addWidget(win)
    return win


def test_the_figures_shown_are_the_cores(window, cases_made):
    report = analysis.build(Period.month(2026, 11), cases_made)
    assert window.kind.currentIndex() == MONTH
    assert window.report.period == report.period
    expected = {str(label): str(value) for label, value in analysis.summary_rows(report)}
    shown = {key: tile.value.text() for key, tile in window.tiles.items()}
    assert shown == {key: expected[key] for key in shown}
    assert shown["工单总数"] == "5" and shown["按时答复率"] == "25.0%"
    assert window.category_chart.labels() == ["投诉", "报修", "咨询"]
    assert window.category_chart.values() == [3, 1, 1]
    assert window.department_chart.labels() == [str(r[0]) for r in report.table("按部门").rows]
    trend = window.trend_chart.values()
    assert len(trend) == 12 and trend[-2:] == [1, 5]
    for page in window.table_pages:
        assert page.model.rows() == report.table(page.table_title).rows
    repeats = window.table_page("重复问题")
    assert repeats.model.rows()[0][:3] == ["5-1-1203", "投诉", 3]
    assert "（1 处）" in window.tabs.tabText(window.tabs.indexOf(repeats))
    assert "5-1-1203" in window.points.toPlainText()
    assert window.windowTitle() == "投诉分析 — 2026年11月"


def test_the_period_selector(window, qtbot, cases_made):
    qtbot.mouseClick(window.previous_month, Qt.MouseButton.LeftButton)
    assert window.report.period == Period.month(2026, 10)
    assert window.tiles["工单总数"].value.text() == "1"
    window.set_month(2026, 9)
    assert window.tiles["工单总数"].value.text() == "0"
    assert window.tiles["按时答复率"].value.text() == "—"
    assert window.category_chart.labels() == [] and "无数据" in window.category_chart.chart().title()
    assert "无工单" in window.points.toPlainText()

    window.kind.setCurrentIndex(LAST_30_DAYS)
    assert window.report.period == Period.days(date(2026, 10, 28), date(2026, 11, 26))
    assert window.report.total == 5
    window.kind.setCurrentIndex(THIS_YEAR)
    assert window.report.period == Period.days(date(2026, 1, 1), date(2026, 11, 26))
    assert window.report.total == 6
    assert window.period_label.text() == "2026-01-01 至 2026-11-26"

    window.set_range(date(2026, 11, 10), date(2026, 11, 12))
    assert window.kind.currentIndex() == CUSTOM and window.report.total == 2
    before = window.report
    window.to_edit.setDate(window.from_edit.date().addDays(-1))
    assert window.report is before
    assert "结束日期不能早于开始日期" in window.period_label.text()


def test_excel_export_through_the_save_dialog(
    supervisor_window, window, monkeypatch, tmp_path, boxes, cases_made
):
    assert not window.export_button.isEnabled()  # receptionists do not export
    window = supervisor_window
    asked = []

    def save_file(_parent, title, suggested, filters):
        asked.append((title, suggested, filters))
        return str(tmp_path / "分析")

    monkeypatch.setattr(msgbox, "save_file", save_file)
    path = window.export_excel()
    assert path == tmp_path / "分析.xlsx"
    assert asked[0][1] == "投诉分析-2026年11月.xlsx" and "*.xlsx" in asked[0][2]
    book = load_workbook(path)
    assert book.sheetnames[:2] == ["概要", "按类别"]
    assert book["概要"]["B2"].value == 5
    assert boxes.shown[0].kind == "info" and str(path) in boxes.shown[0].text


def test_excel_export_cancelled_writes_nothing(supervisor_window, monkeypatch, boxes):
    monkeypatch.setattr(msgbox, "save_file", lambda *_a: "")
    assert supervisor_window.export_excel() is None and boxes.shown == []


def test_pdf_preview_print_and_save(window, monkeypatch, tmp_path):
    previews = []
    monkeypatch.setattr(printing, "preview_pdf", lambda pdf, parent, title: previews.append((pdf, title)))
    window.preview_action.trigger()
    [(pdf, title)] = previews
    assert title == "投诉分析总结（2026年11月）"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "阳光花园物业 投诉分析总结（2026年11月）" in text and "5-1-1203" in text

    printed = []
    monkeypatch.setattr(printing, "print_pdf", lambda pdf, **kw: printed.append((pdf, kw)) or True)
    window.print_action.trigger()
    assert printed[0][0].startswith(b"%PDF") and printed[0][1]["title"] == "投诉分析总结（2026年11月）"

    monkeypatch.setattr(msgbox, "save_file", lambda _p, _t, suggested, _f: str(tmp_path / suggested))
    saved = window.save_pdf()
    assert saved == tmp_path / "投诉分析总结（2026年11月）.pdf"
    assert PdfReader(saved).pages[0].extract_text().startswith("阳光花园物业")


def test_print_failure_is_shown(window, monkeypatch, boxes):
    def fail(*_a, **_k):
        raise printing.PrintError("打印机无法开始打印")

    monkeypatch.setattr(printing, "print_pdf", fail)
    assert window.print_pdf() is False
    assert boxes.shown == [("error", "打印失败", "打印机无法开始打印")]


def test_table_models_pass_qtmodeltester(window, qtmodeltester):
    for page in window.table_pages:
        qtmodeltester.check(page.model, force_py=True)
        qtmodeltester.check(page.proxy, force_py=True)
    qtmodeltester.check(AnalysisTableModel(analysis.Table("空", ["a", "b"], [])), force_py=True)


def test_model_roles_and_numeric_sorting(window):
    page = window.table_page("按类别")
    model = page.model
    assert model.headerData(0, Qt.Orientation.Horizontal) == "类别"
    index = model.index(0, 2)
    assert model.data(index) == "60%" and model.data(index, SORT_ROLE) == 60.0
    assert model.data(index, Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert model.data(model.index(0, 0), ROW_ROLE) == ["投诉", 3, "60%"]
    page.view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert page.proxy.index(2, 0).data() == "投诉"


def test_the_reports_menu_opens_the_window(qtbot, admin, clock, cases_made):
    from ui.main_window import MainWindow

    main = MainWindow(admin, clock)
    qtbot.addWidget(main)
    menu = next(a.menu() for a in main.menuBar().actions() if a.text() == "报表(&B)")
    action = next(a for a in menu.actions() if a.text() == "投诉分析…")
    action.trigger()
    opened = main.analysis_window
    qtbot.addWidget(opened)
    assert opened.isVisible() and opened.report.total == 5
    opened.close()


def test_nothing_in_english(window):
    """Every visible label of the window is Chinese (numbers and 'Excel'/'PDF' aside)."""
    import re

    from PySide6.QtWidgets import QAbstractButton
    from PySide6.QtWidgets import QLabel

    texts = [w.text() for w in window.findChildren(QLabel) + window.findChildren(QAbstractButton)]
    texts += [window.tabs.tabText(i) for i in range(window.tabs.count())]
    texts += [window.kind.itemText(i) for i in range(window.kind.count())]
    for text in texts:
        leftover = re.sub(r"Excel|PDF|F5|<[^>]+>|[\d\s.%—:：/-]", "", text)
        assert not re.search(r"[A-Za-z]{2,}", leftover), text


def test_the_window_says_what_it_counts_and_marks_a_running_month(window, qtbot, cases_made):
    """Finding 18: the scope line and 「本月截至…」 beside a month still running (now: 26 November)."""
    window.resize(1366, 768)
    assert "全部工单" in window.scope_label.text() and "其中投诉 3 件" in window.scope_label.text()
    assert window.partial_label.isVisibleTo(window)
    assert window.partial_label.text().startswith("本月截至11月26日，共26天（全月 30 天）")
    qtbot.mouseClick(window.previous_month, Qt.MouseButton.LeftButton)  # October: over
    assert not window.partial_label.isVisibleTo(window)
    assert "共 1 件，其中投诉 0 件" in window.scope_label.text()


def test_a_supervisor_records_the_follow_up_of_a_recurring_problem(qtbot, supervisor_window, boxes):
    """Finding 16: from the 重复问题 page, 登记整改… records cause, measure, owner, due date; the
    整改跟踪 page lists it and 更新整改… writes the result. Typed with real key events."""
    from PySide6.QtTest import QTest

    from reception.services import recurring

    win = supervisor_window
    win.resize(1366, 768)
    repeats = win.table_page("重复问题")
    assert repeats.model.rows()[0][4] == "未登记"
    assert repeats.action_button is not None and repeats.action_button.isEnabled()
    dialog = win.record_problem(repeats)
    type_text(dialog.cause, "防水层老化")
    QTest.keyClick(dialog.cause, Qt.Key.Key_Tab)
    type_text(dialog.measure, "更换防水层")
    dialog.owner.setFocus()
    QTest.keyClick(dialog.owner, Qt.Key.Key_Return)
    assert dialog.isVisible() and "责任人" in dialog.error_text("owner")
    assert dialog.cause.toPlainText() == "防水层老化"  # what was typed stays
    type_text(dialog.owner, "工程部 刘工")
    QTest.keyClick(dialog.owner, Qt.Key.Key_Return)
    assert not dialog.isVisible()

    tracking = win.table_page("整改跟踪")
    assert tracking.model.rows()[0][:6] == [
        "5-1-1203",
        "投诉",
        "3 件",
        "防水层老化",
        "更换防水层",
        "工程部 刘工",
    ]
    assert win.table_page("重复问题").model.rows()[0][4].startswith("整改中（期限 ")
    update = win.update_problem(tracking)
    type_text(update.result_edit, "已更换，闭水试验无渗漏")
    update.finished_box.setChecked(True)
    QTest.keyClick(update.owner, Qt.Key.Key_Return)
    assert not update.isVisible()
    assert win.table_page("整改跟踪").model.rows()[0][7] == "已完成：已更换，闭水试验无渗漏"
    assert recurring.list_problems(win.session.clock.today())[0].status == recurring.DONE


def test_receptionists_see_the_tracking_but_cannot_record(window):
    repeats = window.table_page("重复问题")
    assert repeats.action_button is not None and not repeats.action_button.isEnabled()
    assert "主管" in repeats.action_button.toolTip()
