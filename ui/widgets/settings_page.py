"""The pages of 系统设置 (基本, 个人信息与备份, 本机, 接待规程): their boxes one under the other and,
at the bottom, the page's general error line on the left, 已保存 and 保存 on the right."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLayout
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from ui.widgets import palette
from ui.widgets.forms import FieldErrors
from ui.widgets.forms import error_label


class SettingsPage(QWidget):
    """A page of 系统设置: ``general`` (the page's error line) and ``errors`` (the messages beside
    the fields) are made here."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.general = error_label(self)
        self.errors = FieldErrors(self.general)


def save_bar(general: QLabel, save: Callable[[], object]) -> tuple[QLabel, QPushButton, QHBoxLayout]:
    """The bottom row: ``general`` (the page's error line), the 已保存 note and the 保存 button
    (which runs ``save``). Returns the note, the button and the row."""
    note = QLabel()
    note.setStyleSheet(f"color: {palette.OK_BRIGHT};")
    button = QPushButton(QCoreApplication.translate("settings", "保存"))
    button.clicked.connect(save)
    bottom = QHBoxLayout()
    bottom.addWidget(general, 1)
    bottom.addStretch(1)
    bottom.addWidget(note)
    bottom.addWidget(button)
    return note, button, bottom


def stack(page: QWidget, *parts: QWidget | QLayout, stretch: bool = True) -> QVBoxLayout:
    """``page``'s layout: ``parts`` one under the other, the last one (the save bar) kept at the
    bottom by a stretch before it (``stretch``)."""
    layout = QVBoxLayout(page)
    for i, part in enumerate(parts):
        if stretch and i == len(parts) - 1:
            layout.addStretch(1)
        if isinstance(part, QLayout):
            layout.addLayout(part)
        else:
            layout.addWidget(part)
    return layout
