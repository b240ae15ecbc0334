"""The handover data on screen: each :class:`reception.services.analysis.Table` of a
:class:`~reception.services.handover.HandoverData` in a read-only view — the same rows as the PDF, overdue
rows in red — stacked under their titles, and an explicit 「无」 for an empty list."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel
from PySide6.QtCore import QModelIndex
from PySide6.QtCore import QPersistentModelIndex
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView
from PySide6.QtWidgets import QHeaderView
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QScrollArea
from PySide6.QtWidgets import QTableView
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from reception.documents.handover_report import row_state
from reception.services.analysis import Table
from ui.widgets import palette

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
STATE_ROLE = Qt.ItemDataRole.UserRole + 2  # 'overdue', 'warning' or ''
MAX_VISIBLE_ROWS = 8
# free-text columns, in the order of the tables: the one column of a table that may be cut
GIVES_WAY = ("问题", "事由", "内容", "事项", "标题", "情况")

Index = QModelIndex | QPersistentModelIndex
_RED = QColor(palette.DANGER)
_RED_BG = QColor(palette.ALERT_BG)
_AMBER = QColor(palette.AMBER)


class HandoverTableModel(QAbstractTableModel):
    """One table's header and rows, read-only. With ``highlight`` (the still-open lists) an
    overdue row is red and a row about to fall due amber."""

    def __init__(self, table: Table, highlight: bool = False, parent: Any = None) -> None:
        super().__init__(parent)
        self.table = table
        width = len(table.header)
        self._rows = [list(row[:width]) + [""] * (width - len(row)) for row in table.rows]
        self._states = [row_state(row) if highlight else "" for row in self._rows]
        self._numeric = [
            bool(self._rows) and all(isinstance(r[c], int | float) for r in self._rows) for c in range(width)
        ]

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.table.header)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return str(self._rows[row][col])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignRight if self._numeric[col] else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        state = self._states[row]
        if role == Qt.ItemDataRole.ForegroundRole and state:
            return QBrush(_RED if state == "overdue" else _AMBER)
        if role == Qt.ItemDataRole.BackgroundRole and state == "overdue":
            return QBrush(_RED_BG)
        if role == STATE_ROLE:
            return state
        if role == ROW_ROLE:
            return list(self._rows[row])
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.table.header[section]
        return None


class TablesPanel(QScrollArea):
    """A scrolling column of titled tables; ``views`` by title for tests."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.views: dict[str, QTableView] = {}
        self.titles: dict[str, QLabel] = {}
        self._body = QWidget()
        self._layout = QVBoxLayout(self._body)
        self._layout.setContentsMargins(4, 4, 12, 4)
        self._layout.setSpacing(4)
        self.setWidget(self._body)

    def clear(self) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            if item is None:
                break
            widget = item.widget()
            if widget is not None:
                widget.deleteLater()
        self.views.clear()
        self.titles.clear()

    def add_heading(self, text: str, alert: bool = False) -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        color = (
            f"{palette.WHITE}; background: {palette.DANGER}; padding: 3px 6px" if alert else palette.HEADING
        )
        label.setStyleSheet(f"font-size: 11pt; font-weight: bold; color: {color};")
        self._layout.addSpacing(6)
        self._layout.addWidget(label)
        return label

    def add_text(self, text: str, style: str = "") -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        if style:
            label.setStyleSheet(style)
        self._layout.addWidget(label)
        return label

    def add_table(self, table: Table, *, highlight: bool = False, caption: str = "") -> None:
        title = QLabel(caption or table.title)
        title.setTextFormat(Qt.TextFormat.RichText)
        title.setStyleSheet("margin-top: 6px;")
        self._layout.addWidget(title)
        self.titles[table.title] = title
        if not table.rows:
            none = QLabel(self.tr("无"))
            none.setStyleSheet(f"color: {palette.MUTED}; padding: 2px 12px 4px 12px;")
            self._layout.addWidget(none)
            return
        view = QTableView()
        view.setModel(HandoverTableModel(table, highlight, view))
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setAlternatingRowColors(not highlight)
        view.setWordWrap(False)
        view.verticalHeader().hide()
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # The free-text column gives way (cut with 「…」, whole in its tooltip) so that the columns
        # after it — 剩余时间, 状态 — stay whole and in sight on a 1366×768 screen.
        gives_way = next((i for i, title in enumerate(table.header) if title in GIVES_WAY), None)
        if gives_way is None:
            header.setStretchLastSection(True)
        else:
            header.setStretchLastSection(False)
            header.setSectionResizeMode(gives_way, QHeaderView.ResizeMode.Stretch)
        view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        rows = min(len(table.rows), MAX_VISIBLE_ROWS)
        row_height = view.verticalHeader().defaultSectionSize()
        frame = 2 * view.frameWidth()
        view.setFixedHeight(header.sizeHint().height() + rows * row_height + frame + 2)
        self._layout.addWidget(view)
        self.views[table.title] = view

    def finish(self) -> None:
        self._layout.addStretch(1)
