"""Somebody else's shift is open at this desk: the operator who has just logged in is told so and
chooses (issue 17, finding 3) — 接班 (the 交班 dialog: the operator on duty signs with her own
password, or a supervisor confirms her absent) or 协助 (work beside her without taking the shift
over; audited). Closing the dialog is 协助: the shift and its handover stay with its owner."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from reception.clock import format_local
from reception.services import shifts


class ShiftChoiceDialog(QDialog):
    """``take_over()`` when 接班 is chosen; ``help()`` for 协助 (also on closing)."""

    take_over = Signal()
    help = Signal()

    def __init__(self, shift: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)  # shift: the open shift (shifts.current())
        self.setWindowTitle(self.tr("本前台有进行中的班次"))
        on_duty = shift.operator.display_name
        started = format_local(shift.started_at, "%H:%M")
        if shift.status == shifts.AWAITING:
            text = self.tr("%1 的第 %2 班（%3 开始）已交班，等待接班。")
        else:
            text = self.tr("%1 的第 %2 班（%3 开始）尚未交班。")
        text = text.replace("%1", on_duty).replace("%2", str(shift.number)).replace("%3", started)
        self.message = QLabel(text)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("font-size: 11pt; font-weight: bold;")
        hint = self.tr(
            "接班：由 %1 输入自己的密码交班，%1 不在时由主管确认并写明原因，再由您确认接班。\n"
            "协助：不接班，以自己的名义登记；本班仍由 %1 负责和交班。"
        ).replace("%1", on_duty)
        self.hint = QLabel(hint)
        self.hint.setWordWrap(True)
        self.take_over_button = QPushButton(self.tr("接班"))
        self.take_over_button.setDefault(True)
        self.take_over_button.clicked.connect(self._take_over)
        self.help_button = QPushButton(self.tr("协助（不接班）"))
        self.help_button.clicked.connect(self.reject)
        self.rejected.connect(self.help)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.take_over_button)
        buttons.addWidget(self.help_button)
        column = QVBoxLayout(self)
        column.addWidget(self.message)
        column.addWidget(self.hint)
        column.addLayout(buttons)
        self.setMinimumWidth(460)
        self.setWindowModality(Qt.WindowModality.WindowModal)

    def _take_over(self) -> None:
        self.accept()
        self.take_over.emit()
