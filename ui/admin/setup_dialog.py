"""First run: the property's name and desk phone, and the first administrator."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFormLayout, QGroupBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from reception.clock import Clock
from reception.errors import ReceptionError, ValidationError
from reception.services import auth
from reception.store.models import Operator
from ui.widgets.forms import FieldErrors, ascii_only, dialog_buttons, error_label


class SetupDialog(QDialog):
    """Collects :class:`reception.services.auth.SetupInput` and calls ``auth.initial_setup``.

    After ``accept()`` the new administrator is in ``self.admin``."""

    def __init__(self, clock: Clock | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clock = clock or Clock()
        self.admin: Operator | None = None
        self.setWindowTitle(self.tr("首次使用设置"))
        self.setMinimumWidth(460)

        intro = QLabel(self.tr("欢迎使用前台接待工作站。请先填写物业信息，并设置系统管理员账号。"))
        intro.setWordWrap(True)

        self.general = error_label(self)
        self.errors = FieldErrors(self.general)

        self.property_name = QLineEdit()
        self.property_name.setPlaceholderText(self.tr("例如：阳光花园物业服务中心"))
        self.desk_phone = QLineEdit()
        ascii_only(self.desk_phone)
        self.desk_phone.setPlaceholderText(self.tr("例如：021-50000000"))
        prop_box = QGroupBox(self.tr("物业信息"))
        prop_form = QFormLayout(prop_box)
        self.errors.add_row(prop_form, self.tr("物业名称："), "property_name", self.property_name)
        self.errors.add_row(prop_form, self.tr("前台电话："), "desk_phone", self.desk_phone)

        self.admin_username = QLineEdit()
        self.admin_username.setPlaceholderText(self.tr("字母、数字，如 admin"))
        self.admin_display_name = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("至少 %n 位", "", auth.MIN_PASSWORD))
        self.password_again = QLineEdit()
        self.password_again.setEchoMode(QLineEdit.EchoMode.Password)
        admin_box = QGroupBox(self.tr("系统管理员"))
        admin_form = QFormLayout(admin_box)
        self.errors.add_row(admin_form, self.tr("登录名："), "admin_username", self.admin_username)
        self.errors.add_row(admin_form, self.tr("姓名："), "admin_display_name", self.admin_display_name)
        self.errors.add_row(admin_form, self.tr("密码："), "password", self.password)
        self.errors.add_row(admin_form, self.tr("确认密码："), "password_again", self.password_again)

        buttons, self.ok_button, self.cancel_button = dialog_buttons(self.tr("完成设置"), self.tr("退出"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(intro)
        layout.addWidget(prop_box)
        layout.addWidget(admin_box)
        layout.addWidget(self.general)
        layout.addWidget(buttons)
        self.property_name.setFocus()

    def setup_input(self) -> auth.SetupInput:
        return auth.SetupInput(
            property_name=self.property_name.text(),
            desk_phone=self.desk_phone.text(),
            admin_username=self.admin_username.text(),
            admin_display_name=self.admin_display_name.text(),
            password=self.password.text(),
            password_again=self.password_again.text(),
        )

    def submit(self) -> None:
        self.errors.clear()
        try:
            self.admin = auth.initial_setup(self.setup_input(), self.clock)
        except ValidationError as exc:
            self.errors.show_error(exc)
            return
        except ReceptionError as exc:
            self.errors.show_general(exc.message)
            return
        self.accept()
