"""设置 → 本机 → 电话: how this desk's phone line reaches the program, with a 测试 button."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox
from PySide6.QtWidgets import QFormLayout
from PySide6.QtWidgets import QGroupBox
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QWidget

from reception.services.local import PHONE_ADAPTERS
from reception.services.local import LocalConfig
from ui.phone.controller import new_token
from ui.phone.serial_line import DEFAULT_INIT
from ui.phone.serial_line import INIT_CHOICES
from ui.phone.serial_line import probe as serial_probe
from ui.widgets import palette


class PhoneSettingsBox(QGroupBox):
    def __init__(self, current: LocalConfig, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("电话（来电弹屏）"), parent)
        form = QFormLayout(self)
        self.adapter = QComboBox()
        for key, label in PHONE_ADAPTERS.items():
            self.adapter.addItem(self.tr(label), key)
        self.adapter.setCurrentIndex(max(self.adapter.findData(current.phone_adapter), 0))
        form.addRow(self.tr("接入方式："), self.adapter)
        self.address = QLineEdit(current.phone_address)
        self.address.setPlaceholderText("127.0.0.1:8765")
        self.address.setToolTip(
            self.tr("PBX 推送和 reception phone simulate 使用的地址；只有管理员需要时才改为局域网地址")
        )
        form.addRow(self.tr("推送接口："), self.address)
        self.token = QLineEdit(current.phone_token)
        self.token.setReadOnly(True)
        renew = QPushButton(self.tr("重新生成"))
        renew.clicked.connect(lambda: self.token.setText(new_token()))
        row = QHBoxLayout()
        row.addWidget(self.token, 1)
        row.addWidget(renew)
        form.addRow(self.tr("令牌："), row)
        self.serial_port = QLineEdit(current.phone_serial_port)
        self.serial_port.setPlaceholderText(self.tr("如 COM3"))
        form.addRow(self.tr("来电显示盒串口："), self.serial_port)
        self.serial_init = QComboBox()
        self.serial_init.setEditable(True)
        self.serial_init.addItems(list(INIT_CHOICES))
        self.serial_init.setCurrentText(current.phone_serial_init or DEFAULT_INIT)
        self.serial_init.setToolTip(self.tr("多数来电显示盒和语音调制解调器用 AT+VCID=1，较旧的用 AT#CID=1"))
        form.addRow(self.tr("初始化命令："), self.serial_init)
        self.ami_address = QLineEdit(current.ami_address)
        self.ami_address.setPlaceholderText("192.168.1.5:5038")
        form.addRow(self.tr("AMI 地址："), self.ami_address)
        self.ami_user = QLineEdit(current.ami_user)
        self.ami_secret = QLineEdit(current.ami_secret)
        self.ami_secret.setEchoMode(QLineEdit.EchoMode.Password)
        ami_row = QHBoxLayout()
        ami_row.addWidget(QLabel(self.tr("用户")))
        ami_row.addWidget(self.ami_user, 1)
        ami_row.addWidget(QLabel(self.tr("密码")))
        ami_row.addWidget(self.ami_secret, 1)
        form.addRow(self.tr("AMI 账号："), ami_row)
        self.extension = QLineEdit(current.phone_extension)
        self.extension.setPlaceholderText(self.tr("本前台的分机号，如 8001"))
        form.addRow(self.tr("分机："), self.extension)
        self.lines = QLineEdit(current.phone_lines)
        self.lines.setPlaceholderText(self.tr("空 = 所有来电；多个前台时填本前台的线路或号码，如 8001,8002"))
        self.lines.setToolTip(self.tr("只有这些线路的来电在本前台弹屏；其他线路的来电由它们的前台接听"))
        form.addRow(self.tr("本前台线路："), self.lines)
        self.test_button = QPushButton(self.tr("测试"))
        self.test_button.clicked.connect(self.test)
        self.result = QLabel()
        self.result.setWordWrap(True)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.result, 1)
        form.addRow("", test_row)
        self.adapter.currentIndexChanged.connect(self._adapter_changed)
        self._adapter_changed()

    def _adapter_changed(self, *_args: object) -> None:
        kind = self.adapter.currentData() or ""
        if kind and not self.token.text():
            self.token.setText(new_token())
        for widget in (self.ami_address, self.ami_user, self.ami_secret):
            widget.setEnabled(kind == "ami")
        self.serial_port.setEnabled(kind == "serial")
        self.serial_init.setEnabled(kind == "serial")
        self.test_button.setEnabled(bool(kind))
        self.result.clear()

    def values(self) -> dict[str, str]:
        init = self.serial_init.currentText().strip()
        return {
            "phone_adapter": self.adapter.currentData() or "",
            "phone_address": self.address.text(),
            "phone_token": self.token.text(),
            "phone_serial_port": self.serial_port.text(),
            "ami_address": self.ami_address.text(),
            "ami_user": self.ami_user.text(),
            "ami_secret": self.ami_secret.text(),
            "phone_extension": self.extension.text(),
            "phone_serial_init": "" if init == DEFAULT_INIT else init,
            "phone_lines": self.lines.text(),
        }

    def test(self) -> bool:
        """Webhook: the running desk's endpoint answers with this token. AMI: a login succeeds.
        Caller-ID box: the port opens and the box answers the init command with OK."""
        from reception.phone import probe

        values = self.values()
        if values["phone_adapter"] == "serial":
            ok, text = serial_probe(values["phone_serial_port"], values["phone_serial_init"])
        else:
            ok, text = probe.check(values)
        self.result.setText(text)
        self.result.setStyleSheet(f"color: {palette.OK_BRIGHT};" if ok else f"color: {palette.OVERDUE};")
        return ok
