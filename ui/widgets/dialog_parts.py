"""Small pieces the dialogs and panels build alike: a box of a few lines of text, a row of radio
buttons (one choice out of a few: 回访结果, 异常类型 …); printing or previewing a PDF with a
failure said in a message box."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtWidgets import QButtonGroup
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QPlainTextEdit
from PySide6.QtWidgets import QRadioButton
from PySide6.QtWidgets import QWidget

from ui.widgets import msgbox


def text_box(lines: int, placeholder: str = "") -> QPlainTextEdit:
    """A few ``lines`` of text (at least that high); Tab moves on to the next field."""
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)
    edit.setPlaceholderText(placeholder)
    edit.setMinimumHeight(edit.fontMetrics().lineSpacing() * lines + 14)
    return edit


class RadioRow(QWidget):
    """One radio button per choice, side by side, left-aligned. ``choices``: (value, the text
    shown, translated by the caller). ``group`` numbers the buttons 0, 1, … in that order;
    ``buttons`` gives each value's button."""

    def __init__(
        self, choices: Iterable[tuple[str, str]], spacing: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(spacing)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        for i, (value, text) in enumerate(choices):
            button = QRadioButton(text)
            self.group.addButton(button, i)
            self.buttons[value] = button
            row.addWidget(button)
        row.addStretch(1)

    def value(self) -> str:
        """The chosen value, or ``''`` while none is chosen."""
        for value, button in self.buttons.items():
            if button.isChecked():
                return value
        return ""

    def choose(self, value: str) -> None:
        self.buttons[value].setChecked(True)


def print_or_tell(parent: QWidget, failure_title: str, pdf: bytes, **options: Any) -> bool:
    """``printing.print_pdf(pdf, parent=parent, **options)``; a printer that fails is said in a
    message box titled ``failure_title``. True when the pages went to the printer."""
    from ui.widgets import printing  # Qt's print support loads when something is printed

    try:
        return printing.print_pdf(pdf, parent=parent, **options)
    except printing.PrintError as exc:
        msgbox.error(parent, failure_title, exc.message)
        return False


def preview_or_tell(parent: QWidget, failure_title: str, pdf: bytes, title: str) -> bool:
    """``printing.preview_pdf``: the print preview of ``pdf``; a failure is said as
    :func:`print_or_tell` says it (False)."""
    from ui.widgets import printing

    try:
        printing.preview_pdf(pdf, parent, title)
    except printing.PrintError as exc:
        msgbox.error(parent, failure_title, exc.message)
        return False
    return True
