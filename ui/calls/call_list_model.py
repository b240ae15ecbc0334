"""The call list (来电记录) as a lazily fetched table model.

Rows come from :func:`reception.services.calls.list_calls` a page at a time (``canFetchMore`` /
``fetchMore``), so a filter matching hundreds of thousands of calls opens instantly: only the
count and the first page are read. The rows come masked, with the names and the open case's
deadline already in them: painting runs no query."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex
from PySide6.QtCore import QPersistentModelIndex
from PySide6.QtCore import Qt

from reception.clock import format_local
from reception.services import calls
from reception.services.calls import CallRow
from ui.widgets import palette
from ui.widgets.list_position import ROW_ROLE
from ui.widgets.paged_model import PAGE_SIZE
from ui.widgets.paged_model import PagedTableModel
from ui.widgets.paged_model import RowsTableModel
from ui.widgets.paged_model import first_line

SERIAL, TIME, CALLER, PHONE, CATEGORY, CONTENT, OUTCOME, DEPARTMENT, OPERATOR = range(9)
COLUMN_COUNT = 9
__all__ = ["PAGE_SIZE", "ROW_ROLE", "CallListModel", "RowsTableModel"]

EMERGENCY_BRUSH = palette.brush(palette.EMERGENCY_BG)
OVERDUE_BRUSH = palette.brush(palette.LATE_CASE_BG)

Index = QModelIndex | QPersistentModelIndex


class CallListModel(PagedTableModel[CallRow]):
    headers = ("编号", "时间", "来电人", "电话", "类别", "内容", "结果", "部门", "接待人")
    context = "CallListModel"
    texts = (
        "serial",
        lambda _, call: format_local(call.saved_at, "%m-%d %H:%M"),
        "caller_name",
        "caller_phone_masked",
        "category",
        lambda _, call: first_line(call.content),
        "outcome",
        "department_name",
        "operator_name",
    )

    def __init__(self, now: Any = None, parent: Any = None) -> None:
        """``now`` is a callable returning naive UTC (the session clock), used for overdue tints."""
        super().__init__(calls.CallFilter(), now, parent)

    def count(self, f: calls.CallFilter) -> int:
        return calls.count_calls(f)

    def page(self, f: calls.CallFilter, offset: int, limit: int) -> list[CallRow]:
        return calls.list_calls(f, offset=offset, limit=limit)

    def call_at(self, row: int) -> CallRow | None:
        return self.row_at(row)

    def cell(self, call: CallRow, col: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(call, col)
        if role == Qt.ItemDataRole.ToolTipRole and col == CONTENT:
            return call.content
        if role == Qt.ItemDataRole.BackgroundRole:
            if call.category == calls.EMERGENCY:
                return EMERGENCY_BRUSH
            if self._is_overdue(call):
                return OVERDUE_BRUSH
        if role == Qt.ItemDataRole.ForegroundRole and col == CATEGORY and call.category == calls.EMERGENCY:
            return palette.brush(palette.DANGER)
        return None

    def _is_overdue(self, call: CallRow) -> bool:
        """A dispatched call whose case is still open after its promised reply time."""
        return call.open_case_due is not None and call.open_case_due < self._now()
