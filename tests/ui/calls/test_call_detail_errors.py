"""A correction refused by the core in the call detail dialog: the message in Chinese right under
the field (FieldErrors, the one mechanism of every form), the cursor put there, and what the
receptionist typed left as it was to be put right."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from reception.services.session import Session
from reception.store.models import Call
from tests.ui.calls.test_call_tab import add_call
from ui.calls.call_detail_dialog import CallDetailDialog


@pytest.fixture
def dialog(qtbot, receptionist: Session, no_boxes) -> CallDetailDialog:
    call = add_call(receptionist, caller_name="张三", caller_phone="13800138000")
    widget = CallDetailDialog(receptionist, call.id)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.mouseClick(widget.edit_button, Qt.MouseButton.LeftButton)
    return widget


def test_a_bad_phone_is_said_beside_it_focused_and_kept(qtbot, dialog: CallDetailDialog) -> None:
    dialog.phone_edit.clear()
    qtbot.keyClicks(dialog.phone_edit, "12ab")
    dialog.name_edit.setFocus()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    message = dialog.error_text("caller_phone")
    assert "电话号码" in message
    label = dialog.errors.labels["caller_phone"]
    assert label.isVisibleTo(dialog) and label.text() == message
    assert label.parentWidget() is dialog.phone_edit.parentWidget()  # under the field, not elsewhere
    assert dialog.focusWidget() is dialog.phone_edit
    assert dialog.phone_edit.text() == "12ab"
    assert dialog.is_editing() and dialog.general_error.isHidden()
    assert Call.get().version == 1  # nothing saved
    dialog.cancel_edit()
    assert dialog.error_text("caller_phone") == "" and dialog.phone_edit.text() == "138****8000"


def test_the_first_field_in_error_as_laid_out_gets_the_cursor(qtbot, dialog: CallDetailDialog) -> None:
    dialog.content_edit.setPlainText("")
    dialog.phone_edit.clear()
    qtbot.keyClicks(dialog.phone_edit, "12")
    dialog.answer_edit.setFocus()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.error_text("content") == "请填写来电内容"
    assert dialog.error_text("caller_phone")
    assert dialog.focusWidget() is dialog.phone_edit  # 电话 stands above 来电内容
    assert dialog.phone_edit.text() == "12" and dialog.content_edit.toPlainText() == ""

    dialog.phone_edit.setText("13900001111")
    dialog.content_edit.setPlainText("问停车费")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.is_editing()
    assert dialog.error_text("content") == "" and dialog.error_text("caller_phone") == ""
    saved = Call.get()
    assert (saved.content, saved.caller_phone, saved.version) == ("问停车费", "13900001111", 2)
