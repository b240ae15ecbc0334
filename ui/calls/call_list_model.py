"""The call list (来电记录) as a lazily fetched table model.

Rows come from :func:`reception.services.calls.list_calls` a page at a time (``canFetchMore`` /
``fetchMore``), so a filter matching hundreds of thousands of calls opens instantly: only the
count and the first page are read."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from reception.clock import format_local
from reception.rules import phones
from reception.services import calls, cases
from reception.store.models import Call

SERIAL, TIME, CALLER, PHONE, CATEGORY, CONTENT, OUTCOME, DEPARTMENT, OPERATOR = range(9)
COLUMN_COUNT = 9
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
PAGE_SIZE = 200

EMERGENCY_BRUSH = QBrush(QColor("#fde4e4"))
OVERDUE_BRUSH = QBrush(QColor("#fff1d6"))

_HEADERS = ["编号", "时间", "来电人", "电话", "类别", "内容", "结果", "部门", "接待人"]

Index = QModelIndex | QPersistentModelIndex


def _tr(text: str) -> str:
    return QCoreApplication.translate("CallListModel", text)


class CallListModel(QAbstractTableModel):
    def __init__(self, now: Any = None, parent: Any = None) -> None:
        """``now`` is a callable returning naive UTC (the session clock), used for overdue tints."""
        super().__init__(parent)
        self._filter = calls.CallFilter()
        self._rows: list[Call] = []
        self._total = 0
        self._now = now or (lambda: datetime(1970, 1, 1))
        self._overdue: dict[int, bool] = {}  # call id -> its case is open and past its reply time

    # ---- loading ----------------------------------------------------------------------
    def set_clock(self, now: Any) -> None:
        self._now = now

    def set_filter(self, f: calls.CallFilter) -> None:
        self._filter = f
        self.refresh()

    def refresh(self) -> None:
        """Re-count and reload the first page; further pages come as the view scrolls."""
        self.beginResetModel()
        self._overdue = {}
        self._total = calls.count_calls(self._filter)
        self._rows = calls.list_calls(self._filter, offset=0, limit=PAGE_SIZE) if self._total else []
        self.endResetModel()

    def total(self) -> int:
        """How many calls match the filter (loaded or not)."""
        return self._total

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        if parent.isValid():
            return False
        return len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if parent.isValid():
            return
        page = calls.list_calls(self._filter, offset=len(self._rows), limit=PAGE_SIZE)
        if not page:
            self._total = len(self._rows)  # rows vanished since the count
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    # ---- the table --------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else COLUMN_COUNT

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < COLUMN_COUNT
        ):
            return _tr(_HEADERS[section])
        return None

    def call_at(self, row: int) -> Call | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        call = self._rows[index.row()]
        col = index.column()
        if role == ROW_ROLE:
            return call
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(call, col)
        if role == Qt.ItemDataRole.ToolTipRole and col == CONTENT:
            return phones.mask_in_text(call.content)
        if role == Qt.ItemDataRole.BackgroundRole:
            if call.category == calls.EMERGENCY:
                return EMERGENCY_BRUSH
            if self._is_overdue(call):
                return OVERDUE_BRUSH
        if role == Qt.ItemDataRole.ForegroundRole and col == CATEGORY and call.category == calls.EMERGENCY:
            return QBrush(QColor("#b71c1c"))
        return None

    def _display(self, call: Call, col: int) -> str:
        if col == SERIAL:
            return call.serial
        if col == TIME:
            return format_local(call.saved_at, "%m-%d %H:%M")
        if col == CALLER:
            return call.caller_name
        if col == PHONE:
            return phones.mask(call.caller_phone)
        if col == CATEGORY:
            return call.category
        if col == CONTENT:
            lines = phones.mask_in_text(call.content).strip().splitlines()
            return lines[0] if lines else ""
        if col == OUTCOME:
            return call.outcome
        if col == DEPARTMENT:
            dept = getattr(call, "dept", None)
            return dept.name if dept is not None and dept.name else ""
        if col == OPERATOR:
            op = getattr(call, "op", None)
            return op.display_name if op is not None else ""
        return ""

    def _is_overdue(self, call: Call) -> bool:
        """A dispatched call whose case is still open after its promised reply time. Looked up only
        for rows that are painted, and remembered until the next refresh."""
        if call.outcome != calls.Outcome.DISPATCHED:
            return False
        cached = self._overdue.get(call.id)
        if cached is None:
            now = self._now()
            cached = any(
                c.status in cases.OPEN_STATUSES and c.reply_due_at < now
                for c in cases.for_source("call", call.id)
            )
            self._overdue[call.id] = cached
        return cached


class RowsTableModel(QAbstractTableModel):
    """A small, fully loaded table of service rows (the message and callback panels).

    Subclasses set ``headers`` and implement ``display(row, column)``; ``ROW_ROLE`` gives the row."""

    headers: tuple[str, ...] = ()
    context = "RowsTableModel"

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.headers)
        ):
            return QCoreApplication.translate(self.context, self.headers[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(row)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.foreground(row)
        return None

    def display(self, row: Any, column: int) -> str:
        raise NotImplementedError

    def tooltip(self, row: Any) -> str | None:
        return None

    def foreground(self, row: Any) -> QBrush | None:
        return None
