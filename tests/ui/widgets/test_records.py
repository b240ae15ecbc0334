"""RecordsPage.open_dialog: the 新增… / 修改… dialog of a settings list, window-modal; once
accepted the list is read again with the record selected; cancelled, nothing is read."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from ui.widgets.records import RecordsPage


@dataclass
class Thing:
    id: int
    name: str
    active: bool = True


class ThingsPage(RecordsPage):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(
            [("名称", lambda t: t.name)], [("新增…", lambda: None), ("修改…", lambda: None)], parent
        )
        self.things = [Thing(1, "工程部"), Thing(2, "保安部")]
        self.loads = 0
        self.start()

    def load(self) -> list[Thing]:
        self.loads += 1
        return list(self.things)


def test_an_accepted_dialog_reloads_the_list_and_selects_the_record(qtbot) -> None:
    window = QDialog()  # a page lives in 系统设置
    qtbot.addWidget(window)
    page = ThingsPage(window)
    QVBoxLayout(window).addWidget(page)
    window.show()
    assert page.selected() is None and not page.buttons[1].isEnabled()
    loads = page.loads

    cancelled = QDialog(page)
    page.open_dialog(cancelled, 1)
    assert page.dialog is cancelled and cancelled.isVisible()
    assert cancelled.windowModality() == Qt.WindowModality.WindowModal
    assert cancelled.testAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # deleted once closed
    cancelled.reject()
    assert page.loads == loads and page.selected() is None

    added = QDialog(page)
    page.open_dialog(added, 3)
    page.things.append(Thing(3, "绿化部"))
    added.accept()
    assert page.loads == loads + 1
    assert page.selected() == Thing(3, "绿化部") and page.buttons[1].isEnabled()
    assert page.model.index(2, 0).data() == "绿化部"
