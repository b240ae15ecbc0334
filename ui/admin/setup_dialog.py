"""First run: the property's name and desk phone, and the first administrator; then the site's
recovery key, shown once with a 打印 button (the only copy of the site key outside this PC)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QFormLayout
from PySide6.QtWidgets import QGroupBox
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QStackedWidget
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from reception.clock import Clock
from reception.services import auth
from reception.services.records import Operator
from ui.widgets.forms import ascii_only
from ui.widgets.forms import dialog_buttons
from ui.widgets.small_dialogs import framed
from ui.widgets.small_dialogs import password_edit
from ui.widgets.small_dialogs import saved


class SetupDialog(QDialog):
    """Collects :class:`reception.services.auth.SetupInput` and calls ``auth.initial_setup``.

    After ``accept()`` the new administrator is in ``self.admin``."""

    def __init__(self, clock: Clock | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clock = clock or Clock()
        self.admin: Operator | None = None
        self.general, self.errors = framed(self, self.tr("首次使用设置"), 460)

        intro = QLabel(self.tr("欢迎使用前台接待工作站。请先填写物业信息，并设置系统管理员账号。"))
        intro.setWordWrap(True)

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
        self.password = password_edit(least=True)
        self.password_again = password_edit()
        admin_box = QGroupBox(self.tr("系统管理员"))
        admin_form = QFormLayout(admin_box)
        self.errors.add_row(admin_form, self.tr("登录名："), "admin_username", self.admin_username)
        self.errors.add_row(admin_form, self.tr("姓名："), "admin_display_name", self.admin_display_name)
        self.errors.add_row(admin_form, self.tr("密码："), "password", self.password)
        self.errors.add_row(admin_form, self.tr("确认密码："), "password_again", self.password_again)

        buttons, self.ok_button, self.cancel_button = dialog_buttons(self.tr("完成设置"), self.tr("退出"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)

        self.form_page = QWidget()
        self.key_page: QWidget | None = None
        self.key_label: QLabel | None = None
        self.print_button: QPushButton | None = None
        self.finish_button: QPushButton | None = None
        self.printed = False
        self.stack = QStackedWidget()
        self.stack.addWidget(self.form_page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)
        layout = QVBoxLayout(self.form_page)
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
        if saved(self.errors, self._save):
            self.show_recovery_key()

    def _save(self) -> None:
        self.admin = auth.initial_setup(self.setup_input(), self.clock)

    def show_recovery_key(self) -> None:
        from reception.services import auth

        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setSpacing(12)
        title = QLabel(self.tr("设置完成。请打印并妥善保管本站点的“恢复密钥”"))
        title.setWordWrap(True)
        title.setStyleSheet("font-weight: bold;")
        why = QLabel(
            self.tr(
                "审计日志的校验和证件号码的比对依赖站点密钥，它不在数据文件夹和备份中。"
                "把数据恢复到另一台电脑、迁移到数据库服务器或新前台加入服务器站点时，需要输入这个恢复密钥。"
                "请打印后锁好保管，不要拍照或贴在前台。"
            )
        )
        why.setWordWrap(True)
        groups = auth.recovery_sheet(self.admin_session()).recovery_key.split("-")
        text = "\n".join("  ".join(groups[i : i + 5]) for i in range(0, len(groups), 5))
        self.key_label = QLabel(text)
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        fixed.setPointSize(fixed.pointSize() + 3)
        self.key_label.setFont(fixed)
        self.key_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.print_button = QPushButton(self.tr("打印"))
        self.print_button.clicked.connect(self.print_recovery_key)
        self.finish_button = QPushButton(self.tr("已妥善保存，开始使用"))
        self.finish_button.setDefault(True)
        self.finish_button.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.print_button)
        row.addWidget(self.finish_button)
        layout.addWidget(title)
        layout.addWidget(why)
        layout.addWidget(self.key_label)
        layout.addStretch(1)
        layout.addLayout(row)
        self.key_page = page
        self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)
        self.finish_button.setFocus()

    def admin_session(self):
        """The administrator just created (the password was typed here): the recovery key is theirs to see."""
        from reception.services.session import Session

        assert self.admin is not None
        return Session(self.admin, self.clock)

    def recovery_pdf(self) -> bytes:
        from reception.clock import to_local
        from reception.documents.recovery_key import render_recovery_key
        from reception.services import auth
        from reception.services import settings as settings_mod

        sheet = auth.recovery_sheet(self.admin_session())
        return render_recovery_key(
            settings_mod.load().property_name,
            sheet.site_id,
            sheet.recovery_key,
            to_local(self.clock.now()),
        )

    def print_recovery_key(self) -> None:
        from ui.widgets import printing

        self.printed = printing.print_pdf(self.recovery_pdf(), parent=self, title=self.tr("恢复密钥"))

    def reject(self) -> None:
        """Once set up, closing the key page still finishes: the site exists now."""
        if self.admin is not None:
            self.accept()
            return
        super().reject()
