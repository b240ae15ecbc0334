"""What the tabs share through ui/widgets/tab_parts.py: the bar of filters, the list re-read as a
filter changes, a row opened by its record's id (来电, 工单, 来函, 来访), and the one new-record
form of the 工单 and 来函 tabs."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox
from PySide6.QtWidgets import QComboBox
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QWidget

from reception.errors import StorageError
from ui.widgets import msgbox
from ui.widgets.paged_model import PagedTableModel
from ui.widgets.paged_model import RowsTableModel
from ui.widgets.record_list import SEARCH_DELAY_MS
from ui.widgets.record_list import search_box
from ui.widgets.tab_parts import FormTab
from ui.widgets.tab_parts import count_label
from ui.widgets.tab_parts import filter_bar
from ui.widgets.tab_parts import open_detail
from ui.widgets.tab_parts import read_list
from ui.widgets.tab_parts import row_opener
from ui.widgets.tab_parts import show_dialog
from ui.widgets.tab_parts import watch_filters


@dataclass
class Record:
    id: int
    name: str


class Records(RowsTableModel):
    headers = ("姓名",)
    context = "test"
    texts = ("name",)


@pytest.fixture
def tab(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def _list(tab: QWidget):
    combo = QComboBox()
    combo.addItems(["全部类别", "投诉"])
    check = QCheckBox("仅看逾期")
    search = search_box("搜索：姓名")
    applied: list[str] = []
    timer = watch_filters(
        tab,
        lambda: applied.append(search.text()),
        search,
        [combo.currentIndexChanged, check.toggled],
    )
    bar = filter_bar((), (combo, check), search, count_label())
    tab.setLayout(bar)
    tab.show()
    return combo, check, search, timer, applied


def test_a_filter_change_reads_the_list_at_once_typing_once_it_pauses(qtbot, tab) -> None:
    combo, check, search, timer, applied = _list(tab)
    combo.setCurrentIndex(1)
    check.setChecked(True)
    assert applied == ["", ""]
    qtbot.keyClicks(search, "1201")
    assert applied == ["", ""] and timer.isActive() and timer.interval() == SEARCH_DELAY_MS
    qtbot.waitUntil(lambda: applied == ["", "", "1201"], timeout=2000)
    qtbot.keyClick(search, Qt.Key.Key_Return)  # Enter: at once
    assert applied == ["", "", "1201", "1201"]


def test_the_bar_sets_the_lead_apart_and_gives_the_search_the_room_left(tab) -> None:
    title, combo, search, count, button = (
        QLabel("来电记录"),
        QComboBox(),
        search_box("搜索"),
        count_label(),
        QPushButton(),
    )
    bar = filter_bar([title], [combo], search, count, [button])
    items = [bar.itemAt(i) for i in range(bar.count())]
    assert [item.widget() for item in items] == [title, None, combo, search, count, button]
    assert items[1].spacerItem() is not None and items[1].sizeHint().width() == 8
    assert [bar.stretch(i) for i in range(bar.count())] == [0, 0, 0, 1, 0, 0]
    assert bar.spacing() == 6
    assert "color" in count.styleSheet()


def test_a_row_opens_its_record_by_id(tab) -> None:
    model = Records(tab)
    model.set_rows([Record(7, "张三"), Record(9, "李四")])
    opened: list[int] = []
    open_row = row_opener(model, opened.append)
    open_row(model.index(1, 0))
    open_row(model.index(5, 0))  # no such row: nothing opens
    assert opened == [9]


class Unreadable(PagedTableModel):
    def count(self, f) -> int:
        if f == "broken":
            raise StorageError("数据库暂时无法读取")
        return 0

    def page(self, f, offset: int, limit: int) -> list:
        return []


def test_a_list_that_cannot_be_read_is_said_and_the_tab_goes_on(tab, monkeypatch) -> None:
    said: list[tuple[str, str]] = []
    monkeypatch.setattr(msgbox, "error", lambda _p, title, text: said.append((title, text)))
    model = Unreadable(None, parent=tab)
    read_list(tab, model, lambda: "broken", "无法读取工单")
    assert said == [("无法读取工单", "数据库暂时无法读取")]
    read_list(tab, model, lambda: "ok", "无法读取工单")
    assert len(said) == 1 and model.total() == 0


class Draft:
    def __init__(self) -> None:
        self.saved = 0

    def save_now(self) -> bool:
        self.saved += 1
        return True


class Form(QDialog):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.draft = Draft()
        self.restored = False

    def restore_saved_draft(self) -> bool:
        self.restored = True
        return False

    def has_content(self) -> bool:
        return True


class Tab(QWidget, FormTab):
    DRAFT_KEY = "test"

    def __init__(self) -> None:
        super().__init__()
        self.form: Form | None = None
        self.made = 0

    def _make_form(self) -> Form:
        self.made += 1
        return Form(self)


def test_one_form_at_a_time_its_draft_kept_for_the_operator(qtbot) -> None:
    tab = Tab()
    qtbot.addWidget(tab)
    tab.show()
    form = tab.open_form()
    assert form.isVisible() and form.restored and tab.has_unsaved()
    assert tab.open_form() is form and tab.made == 1  # brought to the front, not made again
    form.reject()
    assert tab.form is None and not tab.has_unsaved()
    again = tab.open_form()
    assert again is not form and tab.made == 2
    tab._close_form()  # another operator logged in
    assert again.draft.saved == 1 and not again.isVisible() and tab.form is None


def test_a_dialog_is_kept_on_the_tab_while_open_and_deleted_when_closed(qtbot, tab) -> None:
    tab.show()
    dialog = show_dialog(tab, "incident_dialog", QDialog(tab))
    assert tab.incident_dialog is dialog and dialog.isVisible() and dialog.isModal()
    with qtbot.waitSignal(dialog.destroyed, timeout=2000):
        dialog.reject()


def test_a_record_that_cannot_be_opened_is_said(tab, monkeypatch) -> None:
    said: list[tuple[str, str]] = []
    monkeypatch.setattr(msgbox, "error", lambda _p, title, text: said.append((title, text)))

    def unreadable() -> QDialog:
        raise StorageError("数据库暂时无法读取")

    assert open_detail(tab, unreadable, lambda _d: None) is None
    assert said == [("无法打开", "数据库暂时无法读取")] and not hasattr(tab, "detail_dialog")
