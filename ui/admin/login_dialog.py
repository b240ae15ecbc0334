"""Logging in (at start and for 切换操作员), changing one's own password and setting one's unlock PIN."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QFormLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from reception.clock import Clock
from reception.errors import ReceptionError
from reception.errors import ValidationError
from reception.services.session import Role
from reception.services.session import Session
from ui.widgets.forms import dialog_buttons
from ui.widgets.forms import error_label
from ui.widgets.small_dialogs import framed
from ui.widgets.small_dialogs import lay_out
from ui.widgets.small_dialogs import saved


class LoginDialog(QDialog):
    """登录名 + 密码; Enter logs in. After ``accept()`` the new session is in ``self.session``
    (also sent by ``logged_in`` just before the dialog closes)."""

    logged_in = Signal(object)

    def __init__(
        self,
        clock: Clock | None = None,
        parent: QWidget | None = None,
        *,
        property_name: str = "",
        switching: bool = False,
    ) -> None:
        super().__init__(parent)
        self.clock = clock or Clock()
        self.session: Session | None = None
        self.setWindowTitle(self.tr("切换操作员") if switching else self.tr("登录"))
        self.setMinimumWidth(380)

        heading = QLabel(self.tr("前台接待工作站"))
        heading.setStyleSheet("font-size: 15pt; font-weight: bold;")
        self.subtitle = subtitle = QLabel(property_name)
        subtitle.setStyleSheet("color: #555;")
        subtitle.setVisible(bool(property_name))
        hint = QLabel(self.tr("请下一位操作员登录：") if switching else self.tr("请输入登录名和密码："))

        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self.tr("登录名："), self.username)
        form.addRow(self.tr("密码："), self.password)

        self.message = error_label(self)
        buttons, self.ok_button, self.cancel_button = dialog_buttons(
            self.tr("登录"), self.tr("取消") if switching else self.tr("退出")
        )
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(subtitle)
        layout.addSpacing(6)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.username.setFocus()

    def set_property_name(self, name: str) -> None:
        """The property's name under the heading (known once the database is open: the login
        window is shown before that)."""
        self.subtitle.setText(name)
        self.subtitle.setVisible(bool(name))

    def submit(self) -> None:
        from reception.services import auth  # the window is shown before the database is opened

        self.message.hide()
        try:
            self.session = auth.login(self.username.text(), self.password.text(), self.clock)
        except ReceptionError as exc:
            self.password.clear()
            self.message.setText(exc.message)
            self.message.show()
            (self.password if self.username.text().strip() else self.username).setFocus()
            return
        self.logged_in.emit(self.session)
        self.accept()


class ChangePasswordDialog(QDialog):
    """修改密码 for the logged-in operator (``auth.set_password`` on their own account)."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.general, self.errors = framed(self, self.tr("修改密码"), 400)
        form = QFormLayout()
        who = QLabel(f"{session.operator.display_name}（{session.operator.username}）")
        form.addRow(self.tr("操作员："), who)
        self.current = QLineEdit()
        self.current.setEchoMode(QLineEdit.EchoMode.Password)
        self.new = QLineEdit()
        self.new.setEchoMode(QLineEdit.EchoMode.Password)
        from reception.services import auth

        self.new.setPlaceholderText(self.tr("至少 %n 位", "", auth.MIN_PASSWORD))
        self.again = QLineEdit()
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        # The core checks the current password for everybody but administrators.
        self.needs_current = not session.has(Role.ADMIN)
        if self.needs_current:
            self.errors.add_row(form, self.tr("当前密码："), "current", self.current)
        self.errors.add_row(form, self.tr("新密码："), "password", self.new)
        self.errors.add_row(form, self.tr("确认新密码："), "password_again", self.again)
        self.ok_button = lay_out(self, form, self.general, self.submit, self.tr("确定"), self.tr("取消"))

    def submit(self) -> None:
        from reception.services import auth

        self.errors.clear()
        if self.new.text() != self.again.text():
            self.errors.show_error(
                ValidationError.single("password_again", self.tr("两次输入的新密码不一致"))
            )
            return
        operator_id, new, current = self.session.operator.id, self.new.text(), self.current.text()
        if saved(self.errors, lambda: auth.set_password(self.session, operator_id, new, current=current)):
            self.accept()


class SetPinDialog(QDialog):
    """设置解锁码: the operator's own 4–6 digit PIN for the idle lock, confirmed with her password
    (``auth.set_pin``)."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.general, self.errors = framed(self, self.tr("设置解锁码"), 420)
        hint = QLabel(self.tr("闲置锁定后，%1 分钟内可用解锁码解锁；锁定更久或由其他操作员登录时仍需密码。"))
        from reception.services import auth
        from reception.services import settings as settings_mod

        hint.setText(hint.text().replace("%1", str(settings_mod.load().pin_unlock_minutes)))
        hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow(
            self.tr("操作员："), QLabel(f"{session.operator.display_name}（{session.operator.username}）")
        )
        self.current = QLineEdit()
        self.current.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin = pin_edit()
        self.pin.setPlaceholderText(self.tr("4 到 6 位数字"))
        self.again = pin_edit()
        self.errors.add_row(form, self.tr("当前密码："), "current", self.current)
        self.errors.add_row(form, self.tr("解锁码："), "pin", self.pin)
        self.errors.add_row(form, self.tr("确认解锁码："), "pin_again", self.again)
        self.had_pin = auth.has_pin(session)
        buttons, self.ok_button, _ = dialog_buttons(self.tr("确定"), self.tr("取消"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.general)
        layout.addWidget(buttons)

    def submit(self) -> None:
        from reception.services import auth

        self.errors.clear()
        try:
            auth.set_pin(self.session, self.pin.text(), self.again.text(), self.current.text())
        except ValidationError as exc:
            self.errors.show_error(exc)
            return
        except ReceptionError as exc:
            self.errors.show_general(exc.message)
            return
        self.accept()


def pin_edit() -> QLineEdit:
    """A masked field taking 4–6 digits only (input method off, like the other number fields)."""
    from PySide6.QtCore import QRegularExpression
    from PySide6.QtGui import QRegularExpressionValidator

    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMaxLength(6)
    edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,6}"), edit))
    edit.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
    return edit
