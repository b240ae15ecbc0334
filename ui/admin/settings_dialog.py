"""系统设置 (administrators): property details, greeting, reply hours, personal-data retention,
backups and badges, departments, operators — and 本机: this PC's desk name and printers (kept in
the data folder, not in the shared database) and which database the desk works on.

Every change goes through the service in ``reception`` (which checks the role again)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtCore import QObject
from PySide6.QtCore import Qt
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox
from PySide6.QtWidgets import QComboBox
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QFormLayout
from PySide6.QtWidgets import QGridLayout
from PySide6.QtWidgets import QGroupBox
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QScrollArea
from PySide6.QtWidgets import QSpinBox
from PySide6.QtWidgets import QTabWidget
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from reception.clock import Clock
from reception.errors import ReceptionError
from reception.errors import ValidationError
from reception.services import auth
from reception.services import departments
from reception.services import desks
from reception.services import local
from reception.services import settings as settings_mod
from reception.services.local import DataDir
from reception.services.records import Department
from reception.services.records import Operator
from reception.services.session import ROLE_LABELS
from reception.services.session import Role
from reception.services.session import Session
from ui.admin.procedures_page import ProceduresPage
from ui.widgets import msgbox
from ui.widgets import palette
from ui.widgets.dialog_parts import print_or_tell
from ui.widgets.forms import FieldErrors
from ui.widgets.forms import error_label
from ui.widgets.records import RecordsPage
from ui.widgets.settings_page import SettingsPage
from ui.widgets.settings_page import save_bar
from ui.widgets.settings_page import stack
from ui.widgets.small_dialogs import attempt
from ui.widgets.small_dialogs import framed
from ui.widgets.small_dialogs import lay_out
from ui.widgets.small_dialogs import password_edit
from ui.widgets.small_dialogs import same_passwords
from ui.widgets.small_dialogs import saved


def _state(record: Any) -> str:
    text = "启用" if record.active else "停用"
    return QCoreApplication.translate("SettingsDialog", text)


# -- 基本信息 ------------------------------------------------------------------------------------
class GeneralPage(SettingsPage):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        current = settings_mod.load()

        self.property_name = QLineEdit(current.property_name)
        self.desk_phone = QLineEdit(current.desk_phone)
        prop_box = QGroupBox(self.tr("物业信息"))
        prop_form = QFormLayout(prop_box)
        self.errors.add_row(prop_form, self.tr("物业名称："), "property_name", self.property_name)
        self.errors.add_row(prop_form, self.tr("前台电话："), "desk_phone", self.desk_phone)

        self.greeting = QLineEdit(current.greeting)
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setStyleSheet(f"color: {palette.LINK};")
        hint = QLabel(
            self.tr(
                "“{物业名称}”替换为上面填写的物业名称，“{部门}”替换为前台所属部门，“{姓名}”替换为接听人的姓名。"
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet(f"color: {palette.FADED};")
        greet_box = QGroupBox(self.tr("接听问候语"))
        greet_form = QFormLayout(greet_box)
        self.errors.add_row(greet_form, self.tr("问候语："), "greeting", self.greeting)
        greet_form.addRow("", hint)
        greet_form.addRow(self.tr("预览："), self.preview)
        restore = QPushButton(self.tr("恢复默认问候语"))
        restore.setAutoDefault(False)
        restore.clicked.connect(lambda: self.greeting.setText(settings_mod.DEFAULT_GREETING))
        restore_row = QHBoxLayout()
        restore_row.addWidget(restore)
        restore_row.addStretch(1)
        greet_form.addRow("", restore_row)

        hours_box = QGroupBox(self.tr("各类事项的答复时限（小时）"))
        grid = QGridLayout(hours_box)
        grid.setHorizontalSpacing(16)
        self.hours: dict[str, QSpinBox] = {}
        for i, category in enumerate(settings_mod.DEFAULT_REPLY_HOURS):
            spin = QSpinBox()
            spin.setRange(1, 24 * 60)
            spin.setSuffix(self.tr(" 小时"))
            spin.setValue(current.reply_hours_for(category))
            self.hours[category] = spin
            row, col = divmod(i, 2)
            grid.addWidget(QLabel(category + "："), row, col * 2)
            grid.addWidget(spin, row, col * 2 + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self.hours_error = error_label(hours_box)
        grid.addWidget(self.hours_error, grid.rowCount(), 0, 1, 4)
        self.errors.register("reply_hours", self.hours[next(iter(self.hours))], self.hours_error)

        self.saved, self.save_button, bottom = save_bar(self.general, self.save)
        stack(self, prop_box, greet_box, hours_box, bottom)

        for edit in (self.property_name, self.greeting):
            edit.textChanged.connect(self.update_preview)
        for edit in (self.property_name, self.desk_phone, self.greeting):
            edit.textChanged.connect(self.saved.clear)
        self.update_preview()

    def update_preview(self) -> None:
        preview = settings_mod.Settings(
            property_name=self.property_name.text().strip(),
            greeting=self.greeting.text(),
            desk_department=settings_mod.load().desk_department,
        )
        self.preview.setText(preview.greeting_text(self.session.operator.display_name))

    def save(self) -> bool:
        self.errors.clear()
        self.saved.clear()
        if not saved(
            self.errors,
            lambda: settings_mod.update(
                self.session,
                property_name=self.property_name.text(),
                desk_phone=self.desk_phone.text(),
                greeting=self.greeting.text(),
                reply_hours={c: s.value() for c, s in self.hours.items()},
            ),
        ):
            return False
        self.saved.setText(self.tr("已保存。"))
        return True


# -- 隐私与备份 ------------------------------------------------------------------------------------
STORE_FULL_ID_WARNING = (
    "不建议开启。开启后，新登记的证件号码将完整保存在数据库中（屏幕和打印件上仍遮挡显示，"
    "查看完整号码须主管批准并留痕）；数据库或备份一旦泄露，风险很大。"
    "只有物业管理规定确需保存完整号码时才开启，并请同步修改张贴的个人信息告知。"
)


class PrivacyPage(SettingsPage):
    """个人信息保存天数, 备份保留份数, 闲置锁定, 咨询联系方式, 完整证件号码, 访客证尺寸与有效时间."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from reception.rules.badge_sizes import BADGE_SIZES

        self.session = session
        current = settings_mod.load()
        self._stored_full_id = current.store_full_id

        def spin(bounds: tuple[int, int], value: int, suffix: str) -> QSpinBox:
            box = QSpinBox()
            box.setRange(*bounds)
            box.setValue(value)
            box.setSuffix(suffix)
            box.setMinimumWidth(110)
            return box

        self.retention_days = spin(settings_mod.RETENTION_DAYS_RANGE, current.retention_days, self.tr(" 天"))
        self.privacy_contact = QLineEdit(current.privacy_contact)
        self.privacy_contact.setMaxLength(settings_mod.PRIVACY_CONTACT_MAX)
        self.privacy_contact.setPlaceholderText(self.tr("如：物业服务中心前台，电话 021-50000000"))
        self.store_full_id = QCheckBox(self.tr("保存完整证件号码"))
        self.store_full_id.setChecked(current.store_full_id)
        self.full_id_warning = QLabel(self.tr(STORE_FULL_ID_WARNING))
        self.full_id_warning.setWordWrap(True)
        self.full_id_warning.setStyleSheet(f"color: {palette.WARNING};")
        self.idle_lock_minutes = spin(
            settings_mod.IDLE_LOCK_MINUTES_RANGE, current.idle_lock_minutes, self.tr(" 分钟")
        )
        self.pin_unlock_minutes = spin(
            settings_mod.PIN_UNLOCK_MINUTES_RANGE, current.pin_unlock_minutes, self.tr(" 分钟")
        )
        self.pin_unlock_minutes.setToolTip(
            self.tr("锁定不超过这个时间，原操作员可用自己的解锁码解锁；更久则须输入密码。")
        )
        privacy_box = QGroupBox(self.tr("个人信息保护"))
        privacy_form = QFormLayout(privacy_box)
        self.errors.add_row(
            privacy_form, self.tr("个人信息保存天数："), "retention_days", self.retention_days
        )
        retention_hint = QLabel(
            self.tr("访客证件信息、车牌和电话号码保存期满后每天自动清除；登记记录本身保留。")
        )
        retention_hint.setWordWrap(True)
        retention_hint.setStyleSheet(f"color: {palette.FADED};")
        privacy_form.addRow("", retention_hint)
        self.errors.add_row(
            privacy_form, self.tr("个人信息咨询联系方式："), "privacy_contact", self.privacy_contact
        )
        self.errors.add_row(privacy_form, self.tr("闲置锁定："), "idle_lock_minutes", self.idle_lock_minutes)
        self.errors.add_row(
            privacy_form, self.tr("解锁码时限："), "pin_unlock_minutes", self.pin_unlock_minutes
        )
        self.errors.add_row(privacy_form, self.tr("证件号码："), "store_full_id", self.store_full_id)
        privacy_form.addRow("", self.full_id_warning)

        self.backup_generations = spin(
            settings_mod.BACKUP_GENERATIONS_RANGE, current.backup_generations, self.tr(" 份")
        )
        backup_box = QGroupBox(self.tr("数据备份"))
        backup_form = QFormLayout(backup_box)
        self.errors.add_row(
            backup_form, self.tr("备份保留份数："), "backup_generations", self.backup_generations
        )
        if desks.is_server():
            from ui.admin.maintenance_dialogs import server_backup_text

            backup_hint = QLabel(server_backup_text())
            self.backup_generations.setEnabled(False)
        else:
            backup_hint = QLabel(
                self.tr(
                    "每天 22:00 后自动备份一次。任何备份（含手动备份和恢复前备份）都不超过个人信息保存天数："
                    "期满的备份自动删除，其余备份中过期的个人信息同样清除。"
                )
            )
            self.backup_cap = QLabel()
            backup_form.addRow(self.tr("实际保留："), self.backup_cap)
            self.backup_generations.valueChanged.connect(self._show_backup_cap)
            self.retention_days.valueChanged.connect(self._show_backup_cap)
            self._show_backup_cap()
        backup_hint.setWordWrap(True)
        backup_hint.setStyleSheet(f"color: {palette.FADED};")
        backup_form.addRow("", backup_hint)

        self.badge_size = QComboBox()
        for key, size in BADGE_SIZES.items():
            self.badge_size.addItem(self.tr(size.label), key)
        index = self.badge_size.findData(current.badge_size)
        self.badge_size.setCurrentIndex(max(index, 0))
        self.badge_valid_hours = spin(
            settings_mod.BADGE_VALID_HOURS_RANGE, current.badge_valid_hours, self.tr(" 小时")
        )
        badge_box = QGroupBox(self.tr("访客证"))
        badge_form = QFormLayout(badge_box)
        self.errors.add_row(badge_form, self.tr("访客证尺寸："), "badge_size", self.badge_size)
        self.errors.add_row(
            badge_form, self.tr("访客证有效时间："), "badge_valid_hours", self.badge_valid_hours
        )

        self.saved, self.save_button, bottom = save_bar(self.general, self.save)
        stack(self, privacy_box, backup_box, badge_box, bottom)

        for box in (
            self.retention_days,
            self.idle_lock_minutes,
            self.pin_unlock_minutes,
            self.backup_generations,
            self.badge_valid_hours,
        ):
            box.valueChanged.connect(self.saved.clear)
        self.privacy_contact.textChanged.connect(self.saved.clear)
        self.badge_size.currentIndexChanged.connect(self.saved.clear)
        self.store_full_id.toggled.connect(self.saved.clear)

    def _show_backup_cap(self) -> None:
        days = self.retention_days.value()
        kept = min(self.backup_generations.value(), days)
        self.backup_cap.setText(
            self.tr("最近 %1 份每日备份（不超过个人信息保存天数 %2 天）")
            .replace("%1", str(kept))
            .replace("%2", str(days))
        )

    def save(self) -> bool:
        self.errors.clear()
        self.saved.clear()
        full_id = self.store_full_id.isChecked()
        if (
            full_id
            and not self._stored_full_id
            and not msgbox.ask(
                self,
                self.tr("保存完整证件号码"),
                self.tr("确定要开启“保存完整证件号码”吗？\n\n") + self.tr(STORE_FULL_ID_WARNING),
            )
        ):
            return False
        conf = attempt(
            self.errors,
            lambda: settings_mod.update_privacy_and_badges(
                self.session,
                retention_days=self.retention_days.value(),
                backup_generations=self.backup_generations.value(),
                idle_lock_minutes=self.idle_lock_minutes.value(),
                privacy_contact=self.privacy_contact.text(),
                store_full_id=full_id,
                badge_size=self.badge_size.currentData() or "",
                badge_valid_hours=self.badge_valid_hours.value(),
                pin_unlock_minutes=self.pin_unlock_minutes.value(),
            ),
        )
        if conf is None:
            return False
        self._stored_full_id = conf.store_full_id
        self.privacy_contact.setText(conf.privacy_contact)
        self.saved.setText(self.tr("已保存。"))
        return True


# -- 本机 ------------------------------------------------------------------------------------------
class LocalPage(SettingsPage):
    """本机: this PC's desk name (前台名称, stored in the data folder's ``reception.ini`` through
    :func:`reception.services.local.set_desk_name`) and, read-only, the database this desk works on.
    ``desk_changed(name)`` after the name was saved."""

    desk_changed = Signal(str)

    def __init__(self, data: DataDir, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data = data

        self.desk_name = QLineEdit(local.load(data.root).desk or desks.desk_name())
        self.desk_name.setPlaceholderText(self.tr("如：客服中心、南门岗、二号大堂"))
        desk_box = QGroupBox(self.tr("本前台"))
        desk_form = QFormLayout(desk_box)
        self.errors.add_row(desk_form, self.tr("前台名称："), "desk", self.desk_name)
        desk_hint = QLabel(
            self.tr(
                "本机新登记的来电、来访、来函和工单都会记下这个名称，几个前台共用一个数据库时"
                "用来区分在哪个前台登记。名称只保存在本机，不影响其他前台。"
            )
        )
        desk_hint.setWordWrap(True)
        desk_hint.setStyleSheet(f"color: {palette.FADED};")
        desk_form.addRow("", desk_hint)

        self._server = desks.is_server()
        self.database_label = QLabel(self._database_text())
        self.database_label.setWordWrap(True)
        self.database_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        database_box = QGroupBox(self.tr("数据库"))
        database_column = QVBoxLayout(database_box)
        database_column.addWidget(self.database_label)
        database_hint = QLabel(
            self.tr("几个前台共用服务器上的这个数据库；数据库地址在数据文件夹的 reception.ini 中设置。")
            if self._server
            else self.tr("数据保存在本机的这个文件中；数据库地址在数据文件夹的 reception.ini 中设置。")
        )
        database_hint.setWordWrap(True)
        database_hint.setStyleSheet(f"color: {palette.FADED};")
        database_column.addWidget(database_hint)

        printers_box = self._build_printers()
        reader_box = self._build_reader()
        second_box = self._build_second_backup()
        from ui.phone.settings_box import PhoneSettingsBox

        self.phone_box = PhoneSettingsBox(local.load(data.root))

        self.saved, self.save_button, bottom = save_bar(self.general, self.save)
        stack(self, desk_box, printers_box, reader_box, second_box, self.phone_box, database_box, bottom)
        self.desk_name.textChanged.connect(self.saved.clear)
        for combo in (self.reader_kind, self.reader_port, self.reader_speed):
            combo.currentIndexChanged.connect(self.saved.clear)
        self.desk_name.returnPressed.connect(self.save)
        for combo in (self.badge_printer, self.badge_stock, self.badge_orientation, self.report_printer):
            combo.currentIndexChanged.connect(self.saved.clear)
        self.second_folder.textChanged.connect(self.saved.clear)
        self.second_days.valueChanged.connect(self.saved.clear)

    def _printer_combo(self, chosen: str) -> QComboBox:
        """The system default first, then the installed printers; a chosen printer this PC no
        longer has stays visible, marked 未找到."""
        from ui.widgets import printing

        combo = QComboBox()
        default = printing.default_printer_name()
        combo.addItem(
            self.tr("系统默认打印机（%1）").replace("%1", default) if default else self.tr("系统默认打印机"),
            "",
        )
        installed = printing.installed_printers()
        for name in installed:
            combo.addItem(name, name)
        if chosen and chosen not in installed:
            combo.addItem(self.tr("%1（未找到）").replace("%1", chosen), chosen)
        combo.setCurrentIndex(max(combo.findData(chosen), 0))
        return combo

    def _build_printers(self) -> QGroupBox:
        from reception.rules.badge_sizes import BADGE_SIZES

        pc = local.load(self.data.root)
        box = QGroupBox(self.tr("打印机（本机）"))
        form = QFormLayout(box)
        self.badge_printer = self._printer_combo(pc.badge_printer)
        self.errors.add_row(form, self.tr("访客证打印机："), "badge_printer", self.badge_printer)
        self.badge_stock = QComboBox()
        self.badge_stock.addItem(self.tr("与物业设置相同"), "")
        for key, size in BADGE_SIZES.items():
            self.badge_stock.addItem(self.tr(size.label), key)
        self.badge_stock.setCurrentIndex(max(self.badge_stock.findData(pc.badge_size), 0))
        self.errors.add_row(form, self.tr("访客证标签："), "badge_size", self.badge_stock)
        self.badge_orientation = QComboBox()
        for key, label in local.ORIENTATIONS.items():
            self.badge_orientation.addItem(self.tr(label), key)
        self.badge_orientation.setCurrentIndex(max(self.badge_orientation.findData(pc.badge_orientation), 0))
        self.errors.add_row(form, self.tr("标签方向："), "badge_orientation", self.badge_orientation)
        self.report_printer = self._printer_combo(pc.report_printer)
        self.errors.add_row(form, self.tr("报告打印机："), "report_printer", self.report_printer)
        self.test_badge_button = QPushButton(self.tr("测试打印访客证"))
        self.test_badge_button.clicked.connect(self.test_badge)
        self.test_report_button = QPushButton(self.tr("测试打印报告页"))
        self.test_report_button.clicked.connect(self.test_report)
        tests = QHBoxLayout()
        tests.addWidget(self.test_badge_button)
        tests.addWidget(self.test_report_button)
        tests.addStretch(1)
        form.addRow("", tests)
        hint = QLabel(
            self.tr(
                "访客证直接打印到访客证打印机（不弹出对话框）；交接班报告、日报等打印到报告打印机，"
                "可先预览。只保存在本机。"
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet(f"color: {palette.FADED};")
        form.addRow("", hint)
        return box

    def _build_second_backup(self) -> QGroupBox:
        pc = local.load(self.data.root)
        box = QGroupBox(self.tr("第二备份位置（本机）"))
        form = QFormLayout(box)
        self.second_folder = QLineEdit(pc.second_backup_folder)
        self.second_folder.setPlaceholderText(
            self.tr("U 盘或另一块磁盘上的文件夹，如 E:\\前台备份；留空则不复制")
        )
        browse = QPushButton(self.tr("选择…"))
        browse.clicked.connect(self.choose_second_folder)
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.second_folder, 1)
        line.addWidget(browse)
        self.errors.add_row(form, self.tr("文件夹："), "second_backup_folder", row)
        self.second_days = QSpinBox()
        self.second_days.setRange(1, 365)
        self.second_days.setValue(pc.second_backup_days)
        self.second_days.setSuffix(self.tr(" 天"))
        self.errors.add_row(form, self.tr("提醒："), "second_backup_days", self.second_days)
        hint = QLabel(
            self.tr(
                "每份检查过的备份也复制到这里，保留的份数与数据文件夹中的相同；"
                "复制失败或超过上面的天数没有成功复制时，状态栏会提醒。"
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet(f"color: {palette.FADED};")
        form.addRow("", hint)
        return box

    def choose_second_folder(self) -> None:
        folder = msgbox.choose_folder(self, self.tr("选择第二备份位置"), self.second_folder.text())
        if folder:
            self.second_folder.setText(folder)

    def _build_reader(self) -> QGroupBox:
        """读卡器（本机）: which reader this PC has, its port and speed, 测试 and its status."""
        from PySide6.QtSerialPort import QSerialPortInfo

        from reception.services import card_reader as cr
        from ui.visits.card_reader import shared_link

        pc = local.load(self.data.root)
        box = QGroupBox(self.tr("读卡器（本机）"))
        form = QFormLayout(box)
        self.reader_kind = QComboBox()
        for key, label in cr.KINDS.items():
            self.reader_kind.addItem(self.tr(label), key)
        self.reader_kind.setCurrentIndex(max(self.reader_kind.findData(pc.reader_kind), 0))
        self.errors.add_row(form, self.tr("读卡器类型："), "reader_kind", self.reader_kind)
        self.reader_port = QComboBox()
        self.reader_port.setEditable(True)
        for info in QSerialPortInfo.availablePorts():
            name = info.portName()
            described = f"{name}（{info.description()}）" if info.description() else name
            self.reader_port.addItem(described, name)
        self.reader_port.setCurrentIndex(self.reader_port.findData(pc.reader_port))
        self.reader_port.setEditText(pc.reader_port)
        if (line := self.reader_port.lineEdit()) is not None:
            line.setPlaceholderText(self.tr("如 COM3（设备管理器 → 端口）"))
        self.errors.add_row(form, self.tr("串口："), "reader_port", self.reader_port)
        self.reader_speed = QComboBox()
        for speed in cr.SPEEDS:
            self.reader_speed.addItem(str(speed), speed)
        self.reader_speed.setCurrentIndex(max(self.reader_speed.findData(pc.reader_speed), 0))
        self.errors.add_row(form, self.tr("速率："), "reader_speed", self.reader_speed)
        self.test_reader_button = QPushButton(self.tr("测试"))
        self.test_reader_button.clicked.connect(self.test_reader)
        self.reader_status = QLabel()
        self.reader_status.setWordWrap(True)
        link = shared_link()
        link.status_changed.connect(self._show_reader_status)
        self._show_reader_status(link.state, link.detail)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_reader_button)
        test_row.addWidget(self.reader_status, 1)
        form.addRow(self.tr("状态："), test_row)
        hint = QLabel(
            self.tr(
                "二代证读卡器（华视、神思、精伦、东信等，公安部 SAM 接口）接在串口或 USB 虚拟串口上，"
                "默认速率 115200；端口号见 Windows 设备管理器中的“端口 (COM 和 LPT)”。"
                "键盘输入式读卡器无需设置端口：读卡时号码直接输入到证件号码栏。"
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet(f"color: {palette.FADED};")
        form.addRow("", hint)
        self.reader_kind.currentIndexChanged.connect(self._reader_kind_changed)
        self._reader_kind_changed()
        self._probe: QObject | None = None
        self._resume_link = False
        self.reader_tested = ""
        return box

    def _reader_port_name(self) -> str:
        text = self.reader_port.currentText().strip()
        index = self.reader_port.findText(text)
        data = self.reader_port.itemData(index) if index >= 0 else None
        return str(data) if data else text

    def _reader_kind_changed(self, *_args: object) -> None:
        from reception.services import card_reader as cr

        serial = self.reader_kind.currentData() == cr.SERIAL
        for widget in (self.reader_port, self.reader_speed, self.test_reader_button):
            widget.setEnabled(serial)

    def _show_reader_status(self, state: str, detail: str) -> None:
        from reception.services import card_reader as cr

        text = cr.status_text(state, detail)
        tone = {cr.CONNECTED: palette.OK_BRIGHT, cr.PAUSED: palette.MUTED}.get(state, palette.OVERDUE)
        self.reader_status.setText("● " + text)
        self.reader_status.setStyleSheet(f"color: {tone};")

    def test_reader(self) -> None:
        """测试: 找卡 once on the chosen port (off the UI thread); the answer shows beside the button.
        The reader of the 来访 tab lets go of the port meanwhile (a COM port opens only once)."""
        from ui.visits.card_reader import PortProbe
        from ui.visits.card_reader import shared_link

        port = self._reader_port_name()
        if not port:
            self.errors.show_error(
                ValidationError.single("reader_port", self.tr("请填写读卡器的串口，如 COM3"))
            )
            return
        link = shared_link()
        self._resume_link = link.running()
        link.stop()
        self.test_reader_button.setEnabled(False)
        self.reader_status.setText(self.tr("正在测试 %1 …").replace("%1", port))
        self.reader_status.setStyleSheet(f"color: {palette.MUTED};")
        probe = PortProbe(port, int(self.reader_speed.currentData()), self)
        probe.done.connect(self._reader_tested)
        probe.done.connect(probe.deleteLater)
        self._probe = probe
        probe.start()

    def _reader_tested(self, state: str, detail: str) -> None:
        from reception.services import card_reader as cr
        from ui.visits.card_reader import shared_link

        self._show_reader_status(state, detail)
        self.test_reader_button.setEnabled(True)
        self._probe = None
        if self._resume_link:
            pc = local.load(self.data.root)
            shared_link().settings_changed.emit(pc.reader_kind, pc.reader_port, pc.reader_speed)
        self.reader_tested = cr.status_text(state, detail)

    def _now_local(self) -> datetime:
        return Clock().local_now()

    def test_badge(self) -> bool:
        """A sample badge on the chosen printer, label stock and orientation (saved or not)."""
        from reception.documents.test_pages import sample_badge
        from ui.widgets import printing

        size = self.badge_stock.currentData() or settings_mod.load().badge_size
        return print_or_tell(
            self,
            self.tr("测试打印失败"),
            sample_badge(settings_mod.load().property_name, size, self._now_local()),
            printer_name=self.badge_printer.currentData() or printing.default_printer_name(),
            title=self.tr("访客证测试"),
            orientation=self.badge_orientation.currentData() or "",
        )

    def test_report(self) -> bool:
        from reception.documents.test_pages import report_test_page
        from ui.widgets import printing

        chosen = self.report_printer.currentData() or ""
        return print_or_tell(
            self,
            self.tr("测试打印失败"),
            report_test_page(settings_mod.load().property_name, chosen, self._now_local()),
            printer_name=chosen or printing.default_printer_name(),
            title=self.tr("打印测试页"),
        )

    def _database_text(self) -> str:
        """「数据库服务器：postgresql://用户@服务器/库名」 (never the password) or 「本机数据文件：…」."""
        try:
            address = desks.database_address()
        except ReceptionError as exc:
            return exc.message
        if self._server:
            return self.tr("数据库服务器：%1").replace("%1", address)
        return self.tr("本机数据文件：%1").replace("%1", address)

    def save(self) -> bool:
        """Store the desk name and the printers; a refused value stays in its field with the
        reason beside it."""
        self.saved.clear()
        stored = attempt(self.errors, self._store)
        if stored is None:
            return False
        self.desk_name.setText(stored.desk)
        self.saved.setText(self.tr("已保存。"))
        self.desk_changed.emit(stored.desk)
        from ui.visits.card_reader import shared_link

        shared_link().settings_changed.emit(stored.reader_kind, stored.reader_port, stored.reader_speed)
        return True

    def _store(self) -> local.LocalConfig:
        """Write this PC's settings to its ``reception.ini``; a file that cannot be written is a
        refusal like any other (on the page's error line)."""
        try:
            local.set_desk_name(self.data.root, self.desk_name.text())
            local.set_printers(
                self.data.root,
                badge_printer=self.badge_printer.currentData() or "",
                badge_size=self.badge_stock.currentData() or "",
                badge_orientation=self.badge_orientation.currentData() or "",
                report_printer=self.report_printer.currentData() or "",
            )
            local.set_second_backup(self.data.root, self.second_folder.text(), self.second_days.value())
            local.set_reader(
                self.data.root,
                kind=self.reader_kind.currentData() or "",
                port=self._reader_port_name(),
                speed=int(self.reader_speed.currentData()),
            )
            return local.set_phone(self.data.root, **self.phone_box.values())
        except OSError as exc:
            message = self.tr("本机设置未能保存：%1").replace("%1", exc.strerror or str(exc))
            raise ReceptionError(message) from exc


# -- 部门 ------------------------------------------------------------------------------------------
class DepartmentDialog(QDialog):
    def __init__(
        self, session: Session, dept: Department | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.dept = dept
        self.general, self.errors = framed(self, self.tr("修改部门") if dept else self.tr("新增部门"), 380)
        self.name = QLineEdit(dept.name if dept else "")
        self.phone = QLineEdit(dept.phone if dept else "")
        self.phone.setPlaceholderText(self.tr("选填，如 021-50001234 或分机所在座机"))
        self.handler = QLineEdit(departments.default_handler(dept) if dept else "")
        self.handler.setPlaceholderText(self.tr("选填：前台未填接单人时由谁接单，如 工程部值班"))
        form = QFormLayout()
        self.errors.add_row(form, self.tr("部门名称："), "name", self.name)
        self.errors.add_row(form, self.tr("联系电话："), "phone", self.phone)
        self.errors.add_row(form, self.tr("默认接单人："), "handler", self.handler)
        note = QLabel(self.tr("投诉来电时，前台会把联系电话告知来电人。"))
        note.setStyleSheet(f"color: {palette.FADED};")
        form.addRow("", note)
        self.ok_button = lay_out(self, form, self.general, self.submit, self.tr("保存"), self.tr("取消"))

    def submit(self) -> None:
        if saved(self.errors, self._save):
            self.accept()

    def _save(self) -> None:
        if self.dept is None:
            departments.add_department(
                self.session, self.name.text(), self.phone.text(), handler=self.handler.text()
            )
        else:
            departments.update_department(
                self.session,
                self.dept.id,
                name=self.name.text(),
                phone=self.phone.text(),
                active=self.dept.active,
                handler=self.handler.text(),
            )


class DepartmentsPage(RecordsPage):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        self.session = session
        super().__init__(
            [
                (self.tr("部门名称"), lambda d: d.name),
                (self.tr("联系电话"), lambda d: d.phone),
                (self.tr("默认接单人"), departments.default_handler),
                (self.tr("状态"), _state),
            ],
            [
                (self.tr("新增部门…"), self.add),
                (self.tr("修改…"), self.edit),
                (self.tr("停用"), self.toggle_active),
            ],
            parent,
        )
        self.add_button, self.edit_button, self.toggle_button = self.buttons
        self.view.doubleClicked.connect(self.edit)
        self.below.addWidget(self._build_routing())
        self.start()

    def load(self) -> list[Department]:
        return departments.list_departments(include_inactive=True)

    def reload(self, select_id: int | None = None) -> None:
        super().reload(select_id)
        self._fill_routing()

    def _build_routing(self) -> QGroupBox:
        """来电类别 → the department a 转部门处理 call goes to unless the receptionist picks another."""
        from reception.services.calls import CATEGORIES

        group = QGroupBox(self.tr("来电转部门时默认的处理部门"))
        grid = QGridLayout(group)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(4)
        self.route_combos: dict[str, QComboBox] = {}
        self.route_general = error_label(group)
        # the service names a category's field "category:<类别>"
        self.route_errors = FieldErrors(self.route_general)
        shown = [c for c in CATEGORIES if c not in ("找人留言",)]
        half = (len(shown) + 1) // 2
        for i, category in enumerate(shown):
            combo = QComboBox()
            self.route_combos[category] = combo
            label = error_label(group)
            self.route_errors.register(f"category:{category}", combo, label)
            row, col = (i % half) * 2, (i // half) * 2
            grid.addWidget(QLabel(self.tr(category)), row, col)
            grid.addWidget(combo, row, col + 1)
            grid.addWidget(label, row + 1, col + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self.route_saved = QLabel()
        self.save_button = QPushButton(self.tr("保存默认部门"))
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save_routing)
        bottom = QHBoxLayout()
        bottom.addWidget(self.route_general, 1)
        bottom.addWidget(self.route_saved)
        bottom.addWidget(self.save_button)
        grid.addLayout(bottom, half * 2, 0, 1, 4)
        return group

    def _fill_routing(self) -> None:
        conf = settings_mod.load()
        names = [d.name for d in departments.list_departments()]
        for category, combo in self.route_combos.items():
            combo.clear()
            combo.addItem(self.tr("（不指定）"), "")
            for name in names:
                combo.addItem(name, name)
            combo.setCurrentIndex(max(combo.findData(conf.department_for(category)), 0))

    def save_routing(self) -> bool:
        """Store the default departments; a refused one keeps its choice, with the reason under it."""
        self.route_saved.clear()
        handlers = dict(settings_mod.load().department_handlers)
        if not saved(
            self.route_errors,
            lambda: settings_mod.update_routing(
                self.session,
                category_departments={c: combo.currentData() or "" for c, combo in self.route_combos.items()},
                department_handlers=handlers,
            ),
        ):
            return False
        self.route_saved.setText(self.tr("已保存。"))
        return True

    def selection_changed(self) -> None:
        super().selection_changed()
        dept = self.selected()
        self.toggle_button.setText(
            self.tr("启用") if dept is not None and not dept.active else self.tr("停用")
        )

    def add(self) -> None:
        self.open_dialog(DepartmentDialog(self.session, None, self), None)

    def edit(self) -> None:
        dept = self.selected()
        if dept is not None:
            self.open_dialog(DepartmentDialog(self.session, dept, self), dept.id)

    def toggle_active(self) -> None:
        dept = self.selected()
        if dept is None:
            return
        try:
            departments.update_department(
                self.session, dept.id, name=dept.name, phone=dept.phone, active=not dept.active
            )
        except ReceptionError as exc:
            msgbox.error(self, self.tr("部门"), exc.message)
            return
        self.reload(dept.id)


# -- 操作员 ----------------------------------------------------------------------------------------
class OperatorDialog(QDialog):
    """New operator (登录名, 姓名, 角色, 密码) or an existing one (姓名, 角色, 启用)."""

    def __init__(
        self, session: Session, operator: Operator | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.operator = operator
        self.general, self.errors = framed(
            self, self.tr("修改操作员") if operator else self.tr("新增操作员"), 400
        )
        form = QFormLayout()
        self.username = QLineEdit(operator.username if operator else "")
        self.display_name = QLineEdit(operator.display_name if operator else "")
        self.role = QComboBox()
        for role in Role:
            self.role.addItem(ROLE_LABELS[role], role.value)
        self.role.setCurrentIndex(self.role.findData(operator.role if operator else Role.RECEPTIONIST.value))
        self.password = password_edit(least=True)
        self.password_again = password_edit()
        self.active = QCheckBox(self.tr("启用（可以登录）"))
        if operator is None:
            self.errors.add_row(form, self.tr("登录名："), "username", self.username)
        else:
            self.username.setReadOnly(True)
            form.addRow(self.tr("登录名："), QLabel(operator.username))
        self.errors.add_row(form, self.tr("姓名："), "display_name", self.display_name)
        self.errors.add_row(form, self.tr("角色："), "role", self.role)
        if operator is None:
            self.errors.add_row(form, self.tr("初始密码："), "password", self.password)
            self.errors.add_row(form, self.tr("确认密码："), "password_again", self.password_again)
        else:
            self.active.setChecked(operator.active)
            self.errors.add_row(form, "", "active", self.active)
        self.ok_button = lay_out(self, form, self.general, self.submit, self.tr("保存"), self.tr("取消"))

    def submit(self) -> None:
        if saved(self.errors, self._save):
            self.accept()

    def _save(self) -> None:
        role = self.role.currentData()
        if self.operator is None:
            same_passwords(self.password, self.password_again)
            auth.create_operator(
                self.session,
                auth.OperatorInput(
                    self.username.text(), self.display_name.text(), role, self.password.text()
                ),
            )
        else:
            auth.update_operator(
                self.session,
                self.operator.id,
                display_name=self.display_name.text(),
                role=role,
                active=self.active.isChecked(),
            )


class ResetPasswordDialog(QDialog):
    def __init__(self, session: Session, operator: Operator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.operator = operator
        self.general, self.errors = framed(self, self.tr("重置密码"), 380)
        form = QFormLayout()
        form.addRow(self.tr("操作员："), QLabel(f"{operator.display_name}（{operator.username}）"))
        self.password = password_edit()
        self.password_again = password_edit()
        self.errors.add_row(form, self.tr("新密码："), "password", self.password)
        self.errors.add_row(form, self.tr("确认新密码："), "password_again", self.password_again)
        self.ok_button = lay_out(self, form, self.general, self.submit, self.tr("重置"), self.tr("取消"))

    def submit(self) -> None:
        if saved(self.errors, self._save):
            self.accept()

    def _save(self) -> None:
        same_passwords(self.password, self.password_again)
        auth.set_password(self.session, self.operator.id, self.password.text())


class OperatorsPage(RecordsPage):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        self.session = session
        super().__init__(
            [
                (self.tr("登录名"), lambda o: o.username),
                (self.tr("姓名"), lambda o: o.display_name),
                (self.tr("角色"), lambda o: Role(o.role).label),
                (self.tr("状态"), _state),
            ],
            [
                (self.tr("新增操作员…"), self.add),
                (self.tr("修改…"), self.edit),
                (self.tr("重置密码…"), self.reset_password),
            ],
            parent,
        )
        self.add_button, self.edit_button, self.password_button = self.buttons
        self.view.doubleClicked.connect(self.edit)
        self.start()

    def load(self) -> list[Operator]:
        return auth.list_operators(include_inactive=True)

    def add(self) -> None:
        self.open_dialog(OperatorDialog(self.session, None, self), None)

    def edit(self) -> None:
        op = self.selected()
        if op is not None:
            self.open_dialog(OperatorDialog(self.session, op, self), op.id)

    def reset_password(self) -> None:
        op = self.selected()
        if op is not None:
            self.open_dialog(ResetPasswordDialog(self.session, op, self), op.id)


class SettingsDialog(QDialog):
    """``desk_changed(name)`` after this PC's desk name was saved (本机)."""

    desk_changed = Signal(str)

    def __init__(
        self, session: Session, parent: QWidget | None = None, *, data_dir: DataDir | None = None
    ) -> None:
        """``data_dir``: the data folder whose ``reception.ini`` keeps the desk name (default:
        the folder of the open database)."""
        super().__init__(parent)
        if data_dir is None:
            data_dir = local.data_dir()
        self.session = session
        self.setWindowTitle(self.tr("系统设置"))
        self.resize(720, 640)
        self.general_page = GeneralPage(session)
        self.privacy_page = PrivacyPage(session)
        self.departments_page = DepartmentsPage(session)
        self.operators_page = OperatorsPage(session)
        self.local_page = LocalPage(data_dir)
        self.local_page.desk_changed.connect(self.desk_changed)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.general_page, self.tr("基本信息"))
        self.tabs.addTab(self.privacy_page, self.tr("隐私与备份"))
        # 接待规程: guidance, follow-up, resolve and letter hours — long, so it scrolls.
        self.procedures_page = ProceduresPage(session)
        self.procedures_scroll = QScrollArea()
        self.procedures_scroll.setWidgetResizable(True)
        self.procedures_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.procedures_scroll.setWidget(self.procedures_page)
        self.tabs.addTab(self.departments_page, self.tr("部门"))
        self.tabs.addTab(self.operators_page, self.tr("操作员"))
        # 本机 holds several groups (desk, printers, second backup, database): it scrolls rather
        # than squeezing them on a small screen.
        self.local_scroll = QScrollArea()
        self.local_scroll.setWidgetResizable(True)
        self.local_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.local_scroll.setWidget(self.local_page)
        self.tabs.addTab(self.local_scroll, self.tr("本机"))
        self.tabs.addTab(self.procedures_scroll, self.tr("接待规程"))
        note = QLabel(self.tr("部门和操作员的修改会立即生效；其他各页请点该页的“保存”。"))
        note.setStyleSheet(f"color: {palette.FADED};")
        close = QPushButton(self.tr("关闭"))
        close.setAutoDefault(False)
        close.clicked.connect(self.accept)
        bottom = QHBoxLayout()
        bottom.addWidget(note, 1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addLayout(bottom)
        self.general_page.save_button.setDefault(True)
