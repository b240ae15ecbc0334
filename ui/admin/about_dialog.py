"""帮助 → 关于 (the version, the data folder, the database in use, the log folder and the licences of
the bundled parts) and 帮助 → 快捷键 (every key the program binds)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QDialogButtonBox
from PySide6.QtWidgets import QFormLayout
from PySide6.QtWidgets import QHeaderView
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QTableWidget
from PySide6.QtWidgets import QTableWidgetItem
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from reception.about import AboutInfo
from ui.widgets import msgbox
from ui.widgets.shortcuts import bindings


def _table(headers: list[str], rows: list[tuple[str, ...]]) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))
    header = table.horizontalHeader()
    for c in range(len(headers) - 1):
        header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
    return table


class AboutDialog(QDialog):
    def __init__(self, info: AboutInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.info = info
        self.setWindowTitle(self.tr("关于 前台接待工作站"))
        self.resize(640, 560)
        layout = QVBoxLayout(self)
        title = QLabel(self.tr("前台接待工作站"))
        title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        layout.addWidget(title)
        form = QFormLayout()
        self.values: dict[str, QLabel] = {}
        for key, caption, value in (
            ("version", self.tr("版本"), info.version),
            ("data_folder", self.tr("数据文件夹"), info.data_folder),
            ("database", self.tr("数据库"), info.database),
            ("logs", self.tr("日志文件夹"), info.logs),
        ):
            label = QLabel(value)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(True)
            self.values[key] = label
            form.addRow(caption, label)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("本程序包含以下组件，各自按其许可证发布：")))
        self.components = _table(
            [self.tr("组件"), self.tr("许可证"), self.tr("用途")],
            [(c.name, c.licence, c.role) for c in info.components],
        )
        layout.addWidget(self.components, 1)
        buttons = QDialogButtonBox()
        self.open_folder_button = QPushButton(self.tr("打开数据文件夹"))
        self.open_folder_button.clicked.connect(self.open_data_folder)
        buttons.addButton(self.open_folder_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setText(self.tr("关闭"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def open_data_folder(self) -> None:
        open_data_folder(self, self.info.data_folder)


def _tr(text: str) -> str:
    return QCoreApplication.translate("about", text)


def open_data_folder(parent: QWidget | None, folder: str) -> None:
    """Show the data folder in the file manager, or say why not."""
    if not msgbox.open_folder(folder):
        msgbox.error(parent, _tr("打开数据文件夹"), _tr("无法打开文件夹：%1").replace("%1", folder))


class ShortcutsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("快捷键"))
        self.resize(960, 560)  # every line readable at once (fits a 1366×768 desk monitor)
        layout = QVBoxLayout(self)
        self.table = _table(
            [self.tr("按键"), self.tr("在哪里"), self.tr("作用")],
            [(b.key_text(), b.where, b.what) for b in bindings()],
        )
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
