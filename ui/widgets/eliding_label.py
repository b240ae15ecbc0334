"""A one-line label that gives way when its row is short of room: it draws its text cut with
「…」 and then shows the whole text in its tooltip. ``text()`` is always the whole text."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter
from PySide6.QtGui import QPaintEvent
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QSizePolicy
from PySide6.QtWidgets import QWidget


class ElidingLabel(QLabel):
    """Plain text only. ``min_chars``: how many characters it keeps at least (its minimum width)."""

    def __init__(self, text: str = "", parent: QWidget | None = None, *, min_chars: int = 6) -> None:
        super().__init__(text, parent)
        self._min_chars = min_chars
        self._own_tooltip = ""
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def setToolTip(self, text: str) -> None:  # a tooltip of its own comes after the whole text
        self._own_tooltip = text
        self._update_tooltip()

    def setText(self, text: str) -> None:
        super().setText(text)
        self._update_tooltip()

    def is_elided(self) -> bool:
        room = self.contentsRect().width()
        return self.fontMetrics().horizontalAdvance(self.text()) > room

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        sample = self.text()[: self._min_chars] + "…"
        margins = self.contentsMargins()
        width = self.fontMetrics().horizontalAdvance(sample) + margins.left() + margins.right() + 2
        return QSize(min(width, super().sizeHint().width()), hint.height())

    def _update_tooltip(self) -> None:
        whole = self.text() if self.is_elided() else ""
        super().setToolTip("\n".join(t for t in (whole, self._own_tooltip) if t))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_tooltip()

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.is_elided():
            super().paintEvent(event)
            return
        painter = QPainter(self)
        rect = self.contentsRect()
        shown = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(rect, int(self.alignment() | Qt.AlignmentFlag.AlignVCenter), shown)
        painter.end()
