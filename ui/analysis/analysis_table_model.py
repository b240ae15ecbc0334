"""A read-only table model over one :class:`reception.services.analysis.Table` (header + rows of values).

The figures are shown exactly as the core formats them (the same as in the Excel export and the
PDF); numbers and percentages are right-aligned and sort as numbers (``SORT_ROLE``)."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QAbstractTableModel
from PySide6.QtCore import QModelIndex
from PySide6.QtCore import QPersistentModelIndex
from PySide6.QtCore import Qt

from reception.services.analysis import Table

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the whole row (list of values)
SORT_ROLE = Qt.ItemDataRole.UserRole + 2  # a number for counts and "53%", else the text

Index = QModelIndex | QPersistentModelIndex

_PERCENT = re.compile(r"(\d+(?:\.\d+)?)%")


def sort_key(value: object) -> Any:
    if isinstance(value, int | float):
        return float(value)
    text = str(value)
    match = _PERCENT.fullmatch(text)
    if match:
        return float(match.group(1))
    if text == "—":
        return -1.0
    return text


def is_numeric(value: object) -> bool:
    return isinstance(value, int | float) or _PERCENT.fullmatch(str(value)) is not None or value == "—"


class AnalysisTableModel(QAbstractTableModel):
    def __init__(self, table: Table | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._header: list[str] = []
        self._rows: list[list[object]] = []
        self._numeric: list[bool] = []
        if table is not None:
            self.set_table(table)

    def set_table(self, table: Table) -> None:
        self.beginResetModel()
        self._header = [str(h) for h in table.header]
        width = len(self._header)
        self._rows = [list(row[:width]) + [""] * (width - len(row)) for row in table.rows]
        self._numeric = [
            bool(self._rows) and all(is_numeric(row[col]) for row in self._rows) for col in range(width)
        ]
        self.endResetModel()

    def rows(self) -> list[list[object]]:
        return [list(row) for row in self._rows]

    # ---- QAbstractTableModel ----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._header)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows) or index.column() >= len(self._header):
            return None
        value = self._rows[index.row()][index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if self._numeric[index.column()]:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == SORT_ROLE:
            return sort_key(value)
        if role == ROW_ROLE:
            return list(self._rows[index.row()])
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            if (
                role == Qt.ItemDataRole.TextAlignmentRole
                and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self._numeric)
                and self._numeric[section]
            ):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._header[section] if 0 <= section < len(self._header) else None
        return str(section + 1) if 0 <= section < len(self._rows) else None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
