"""The call form's procedure lines (issue 17, finding 17): the greeting with the operator's name,
the closing line, the utility of a 市政设施 call — driven with real key events."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication
from PySide6.QtWidgets import QWidget

from reception.services import settings as settings_mod
from reception.services.calls import Outcome
from reception.store.models import Case
from reception.store.models import Department
from ui.calls.call_tab import CallTab


def type_text(widget: QWidget, text: str) -> None:
    """Type Chinese as an input method does (QTest can only type ASCII), one character at a time."""
    widget.setFocus()
    for ch in text:
        event = QInputMethodEvent()
        event.setCommitString(ch)
        QApplication.sendEvent(widget, event)


@pytest.fixture
def tab(qtbot, receptionist, no_boxes):
    widget = CallTab(receptionist)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_the_greeting_names_the_operator_and_the_closing_line_follows_the_outcome(qtbot, admin, receptionist):
    settings_mod.update(
        admin, property_name="阳光花园物业", desk_phone="", greeting="您好，{物业名称}{部门}，我是{姓名}。"
    )
    widget = CallTab(receptionist)
    qtbot.addWidget(widget)
    form = widget.form
    widget.new_call()
    name = receptionist.operator.display_name
    assert form.greeting_label.text() == f"您好，阳光花园物业客服中心，我是{name}。"
    assert "请对方先挂机" in form.closing_label.text() or "请您先挂机" in form.closing_label.text()
    form.category_combo.setCurrentIndex(form.category_combo.findData("报修"))
    type_text(form.content_edit, "水管漏水")
    form.outcome_buttons[Outcome.DISPATCHED].click()
    form.department_combo.setCurrentIndex(form.department_combo.findData(Department.get(name="工程部").id))
    assert form.closing_label.text() == (
        "结束语：感谢您的来电！工程部会在 24 小时内给您答复，请保持电话畅通。"
        "请您先挂机，再见。（等对方挂机后再挂断）"
    )


def test_a_municipal_call_shows_the_utility_guessed_and_saves_it(qtbot, tab: CallTab):
    form = tab.form
    tab.new_call()
    assert not form.utility_combo.isVisibleTo(form)
    form.category_combo.setCurrentIndex(form.category_combo.findData("市政设施"))
    assert form.utility_combo.isVisibleTo(form)
    type_text(form.content_edit, "小区停水了")
    assert form.utility_combo.itemText(0) == "自动：供水"
    form.outcome_buttons[Outcome.DISPATCHED].click()
    form.department_combo.setCurrentIndex(form.department_combo.findData(Department.get(name="客服中心").id))
    type_text(form.taken_by_edit, "李主管")
    qtbot.keyClick(form.taken_by_edit, Qt.Key.Key_Return)
    assert Case.get().utility == "供水"


def test_a_municipal_call_without_a_utility_shows_the_message_beside_the_field(qtbot, tab: CallTab):
    form = tab.form
    tab.new_call()
    form.category_combo.setCurrentIndex(form.category_combo.findData("市政设施"))
    type_text(form.content_edit, "外面有问题")
    form.outcome_buttons[Outcome.DISPATCHED].click()
    form.department_combo.setCurrentIndex(form.department_combo.findData(Department.get(name="客服中心").id))
    type_text(form.taken_by_edit, "李主管")
    qtbot.keyClick(form.taken_by_edit, Qt.Key.Key_Return)
    assert Case.select().count() == 0
    assert "市政设施请选择类型" in form.error_text("utility")
    assert form.content_edit.toPlainText() == "外面有问题"  # typed input stays
    form.utility_combo.setCurrentIndex(form.utility_combo.findData("供电"))
    qtbot.keyClick(form.taken_by_edit, Qt.Key.Key_Return)
    assert Case.get().utility == "供电"
