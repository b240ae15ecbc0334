"""Small pieces shared by the visitor-desk widgets: a coloured notice banner and a compact table
view. (Date-time edits are in ``ui.widgets.form_parts``.)"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QTableView
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from ui.widgets import palette
from ui.widgets.record_list import record_table

BANNER_STYLE = f"""
QLabel[tone="info"] {{ background: {palette.INFO_BG}; border: 1px solid {palette.NOTICE_LINE};
                       color: {palette.TITLE};
                      border-radius: 4px; padding: 6px 10px; }}
QLabel[tone="ok"] {{ background: {palette.OK_BG}; border: 1px solid {palette.OK_LINE}; color: {palette.OK};
                    border-radius: 4px; padding: 6px 10px; }}
QLabel[tone="warn"] {{ background: {palette.CAUTION_BG}; border: 1px solid {palette.CAUTION_LINE};
                       color: {palette.CAUTION_DARK};
                      border-radius: 4px; padding: 6px 10px; }}
QLabel[tone="danger"] {{ background: {palette.OVERDUE_BG}; border: 2px solid {palette.ALERT_LINE};
                         color: {palette.DANGER};
                        border-radius: 4px; padding: 6px 10px; font-weight: bold; }}
"""


class Banner(QLabel):
    """A word-wrapped notice with a tone: info, ok, warn or danger; hidden when empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet(BANNER_STYLE)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_text(self, text: str, tone: str = "info") -> None:
        self.setProperty("tone", tone)
        self.style().unpolish(self)
        self.style().polish(self)
        self.setText(text)
        self.setVisible(bool(text))

    def tone(self) -> str:
        return str(self.property("tone") or "")

    def clear_text(self) -> None:
        self.clear()
        self.hide()


def compact_table(
    model: QAbstractItemModel | None = None,
    widths: Mapping[int, int] | None = None,
    stretch: int | None = None,
) -> QTableView:
    """A list of the 来访 tab (:func:`record_table`); with ``stretch``, that column alone takes the
    spare width (not the last one)."""
    view = record_table(model, widths, stretch)
    if stretch is not None:
        view.horizontalHeader().setStretchLastSection(False)
    return view


def side_panel(
    panel: QWidget, summary: QLabel, view: QTableView, left: list[QWidget], right: list[QWidget]
) -> None:
    """The layout of a panel beside the visit list (预约, 在场访客): the summary line, the table,
    and a row of buttons, ``left`` ones before the stretch and ``right`` ones after it."""
    bar = QHBoxLayout()
    bar.setSpacing(6)
    for button in left:
        bar.addWidget(button)
    bar.addStretch(1)
    for button in right:
        bar.addWidget(button)
    layout = QVBoxLayout(panel)
    layout.setContentsMargins(4, 4, 4, 4)
    layout.setSpacing(4)
    layout.addWidget(summary)
    layout.addWidget(view, 1)
    layout.addLayout(bar)
