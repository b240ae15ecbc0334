"""A revealed phone number, shown in place (never in a modal box the receptionist must close before
dialling): large, grouped as it is read out (138 1234 5678), hidden again after a minute or as soon
as the next record is shown. The reveal itself is audited by the service that handed out the number."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QWidget

from reception.rules import phones
from ui.widgets import palette

SHOWN_MS = 60_000  # a revealed number stays on screen this long


class RevealedNumber(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("revealedNumber")
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setStyleSheet(
            f"QLabel#revealedNumber {{ background: {palette.REVEALED_BG};"
            f" border: 1px solid {palette.REVEALED_LINE}; padding: 4px 8px; }}"
        )
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SHOWN_MS)
        self.timer.timeout.connect(self.conceal)
        self.number = ""
        self.shown_for: object = None  # whose number (set by the form that shows it)
        self.hide()

    def reveal(self, caption: str, number: str) -> None:
        """``caption``: whose number (回电给 孙先生); the number is shown grouped, for a minute."""
        self.number = number
        big = phones.grouped(number).replace(" ", "&nbsp;")  # the groups never wrap apart
        note = self.tr("（本次查看已记入审计日志，1 分钟后自动隐藏）")
        number_style = "font-size: 15pt; font-weight: bold; letter-spacing: 1px;"
        self.setText(
            f"{html.escape(caption)}　<span style='{number_style}'>{big}</span>"
            f"　<span style='color: {palette.DONE};'>{note}</span>"
        )
        self.show()
        self.timer.start()

    def conceal(self) -> None:
        """Hidden again (after the minute, or the next record is shown)."""
        self.timer.stop()
        self.number = ""
        self.shown_for = None
        self.clear()
        self.hide()

    def plain_text(self) -> str:
        """What the label says, as plain text (spaces where the number has its groups)."""
        from PySide6.QtGui import QTextDocumentFragment

        return QTextDocumentFragment.fromHtml(self.text()).toPlainText().replace("\xa0", " ")
