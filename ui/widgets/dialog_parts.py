"""Small pieces the dialogs and panels build alike: a row of radio buttons (one choice out of a
few: 回访结果, 异常类型 …)."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QButtonGroup
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QRadioButton
from PySide6.QtWidgets import QWidget


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
