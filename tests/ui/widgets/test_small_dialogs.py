"""small_dialogs: a saved record is sent on and the dialog closed (nothing saved: it stays
open); the password fields hide the typing and a differing confirmation is refused beside it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QLineEdit

from reception.errors import ValidationError
from reception.services import auth
from ui.widgets.small_dialogs import accept_with
from ui.widgets.small_dialogs import password_edit
from ui.widgets.small_dialogs import same_passwords


class Booking(QDialog):
    booked = Signal(object)


def test_a_saved_record_is_sent_and_the_dialog_accepted(qtbot) -> None:
    dialog = Booking()
    qtbot.addWidget(dialog)
    dialog.open()
    sent: list[object] = []
    dialog.booked.connect(sent.append)
    assert accept_with(dialog, dialog.booked, None) is None  # refused: the dialog stays open
    assert sent == [] and dialog.isVisible()
    record = {"id": 7}
    with qtbot.waitSignal(dialog.accepted):
        assert accept_with(dialog, dialog.booked, record) is record
    assert sent == [record] and dialog.result() == QDialog.DialogCode.Accepted


def test_password_fields_and_their_confirmation(qtbot) -> None:
    password, again = password_edit(least=True), password_edit()
    for edit in (password, again):
        qtbot.addWidget(edit)
        assert edit.echoMode() == QLineEdit.EchoMode.Password
    assert password.placeholderText() == f"至少 {auth.MIN_PASSWORD} 位"
    assert again.placeholderText() == ""
    password.setText("abc12345")
    again.setText("abc12345")
    same_passwords(password, again)  # the same: nothing said
    again.setText("abc1234")
    with pytest.raises(ValidationError) as refused:
        same_passwords(password, again)
    assert refused.value.fields == {"password_again": "两次输入的密码不一致"}
