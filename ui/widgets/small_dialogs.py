"""The short dialogs of a few fields (部门, 操作员, 密码, 业户资料, 首次设置): the fields in a form
with their errors beside them, a general error line, 保存/取消 — and their save, which shows a
refusal beside the fields and keeps the dialog open; a saved record sent on and the dialog
closed; the password fields and their confirmation."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QCoreApplication
from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QFormLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QVBoxLayout

from reception.errors import ReceptionError
from reception.errors import ValidationError
from reception.services import auth
from ui.widgets.forms import FieldErrors
from ui.widgets.forms import dialog_buttons
from ui.widgets.forms import error_label

T = TypeVar("T")


def framed(dialog: QDialog, title: str, min_width: int, *, fit: bool = True) -> tuple[QLabel, FieldErrors]:
    """A small form dialog's title and width; its general error line and the messages beside
    its fields (for :func:`lay_out` and :func:`saved`). ``fit``: grow the dialog when the
    messages need more height (:class:`~ui.widgets.forms.FieldErrors`)."""
    dialog.setWindowTitle(title)
    dialog.setMinimumWidth(min_width)
    general = error_label(dialog)
    return general, FieldErrors(general, fit=fit)


def lay_out(
    dialog: QDialog, form: QFormLayout, general: QLabel, submit: Callable[[], object], ok: str, cancel: str
) -> QPushButton:
    """The form, the general error line and the buttons, one under the other; the OK button."""
    buttons, ok_button, _ = dialog_buttons(ok, cancel)
    buttons.accepted.connect(submit)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addLayout(form)
    layout.addWidget(general)
    layout.addWidget(buttons)
    return ok_button


def saved(errors: FieldErrors, save: Callable[[], object]) -> bool:
    """Run ``save``; a refusal is shown (beside its field, or on the general line). True when saved."""
    errors.clear()
    try:
        save()
    except ValidationError as exc:
        errors.show_error(exc)
        return False
    except ReceptionError as exc:
        errors.show_general(exc.message)
        return False
    return True


def attempt(errors: FieldErrors, action: Callable[[], T]) -> T | None:
    """Run ``action`` (which gives a record); a refusal is shown as :func:`saved` shows it and
    gives None."""
    result: list[T] = []
    if not saved(errors, lambda: result.append(action())):
        return None
    return result[0]


def accept_with(dialog: QDialog, signal: SignalInstance, record: T | None) -> T | None:
    """A record saved: sent with ``signal``, then the dialog is accepted. ``None`` (nothing was
    saved) leaves the dialog open. Returns ``record``."""
    if record is not None:
        signal.emit(record)
        dialog.accept()
    return record


def _tr(text: str, n: int = -1) -> str:
    return QCoreApplication.translate("small_dialogs", text, "", n)


def password_edit(*, least: bool = False) -> QLineEdit:
    """A password field, the typing hidden; ``least``: its placeholder gives the shortest
    password allowed (for a new password)."""
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    if least:
        edit.setPlaceholderText(_tr("至少 %n 位", auth.MIN_PASSWORD))
    return edit


def same_passwords(password: QLineEdit, again: QLineEdit) -> None:
    """Refuse, beside 确认密码 (``password_again``), a confirmation that is not the password."""
    if password.text() != again.text():
        raise ValidationError.single("password_again", _tr("两次输入的密码不一致"))
