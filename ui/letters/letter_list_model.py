"""The letters register (来函登记簿) as a lazily fetched table model.

Rows come from :func:`reception.services.letters.list_letters` a page at a time (``canFetchMore`` /
``fetchMore``); only the count and the first page are read when the filter changes. A letter
still open after its reply deadline is drawn in red with 逾期 beside its status."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from reception.clock import format_local
from reception.services import letters
from reception.services.letters import LetterFilter
from reception.store.models import Letter

SERIAL, RECEIPT_NO, RECEIVED, SENDER, SUBJECT, TYPE, DEPARTMENT, DUE, STATUS = range(9)
COLUMN_COUNT = 9
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
OVERDUE_ROLE = Qt.ItemDataRole.UserRole + 2
PAGE_SIZE = 200

OVERDUE_COLOR = QColor("#c62828")
_STATUS_COLORS = {
    letters.PENDING: QColor("#8a5a00"),
    letters.IN_PROGRESS: QColor("#0d47a1"),
    letters.REPLIED: QColor("#1b5e20"),
    letters.ARCHIVED: QColor("#6b7785"),
}

_HEADERS = ["编号", "收文编号", "收到时间", "来函人/单位", "标题", "类别", "承办部门", "答复期限", "状态"]

Index = QModelIndex | QPersistentModelIndex


def _tr(text: str) -> str:
    return QCoreApplication.translate("LetterListModel", text)


def sender_text(letter: Letter) -> str:
    """``'张三'``, ``'阳光花园业主委员会 · 业委会'`` — the organisation first when there is one."""
    if letter.organisation:
        return f"{letter.organisation} · {letter.sender_name}"
    return letter.sender_name


class LetterListModel(QAbstractTableModel):
    def __init__(self, now: Callable[[], datetime] | None = None, parent: Any = None) -> None:
        """``now`` returns naive UTC (the session clock); it decides which rows are overdue."""
        super().__init__(parent)
        self._filter = LetterFilter()
        self._rows: list[Letter] = []
        self._total = 0
        self._now: Callable[[], datetime] = now or (lambda: datetime(1970, 1, 1))
        self._bold = QFont()
        self._bold.setBold(True)

    # ---- loading ----------------------------------------------------------------------
    def set_clock(self, now: Callable[[], datetime]) -> None:
        self._now = now

    def set_filter(self, f: LetterFilter) -> None:
        self._filter = f
        self.refresh()

    def refresh(self) -> None:
        """Re-count and reload the first page; further pages come as the view scrolls."""
        self.beginResetModel()
        self._total = letters.count_letters(self._filter)
        self._rows = letters.list_letters(self._filter, offset=0, limit=PAGE_SIZE) if self._total else []
        self.endResetModel()

    def total(self) -> int:
        """How many letters match the filter (loaded or not)."""
        return self._total

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        if parent.isValid():
            return False
        return len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if parent.isValid():
            return
        page = letters.list_letters(self._filter, offset=len(self._rows), limit=PAGE_SIZE)
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

    def letter_at(self, row: int) -> Letter | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, letter_id: int) -> int:
        """The row of a loaded letter, -1 if it is not (yet) loaded."""
        return next((i for i, letter in enumerate(self._rows) if letter.id == letter_id), -1)

    def is_overdue(self, row: int) -> bool:
        letter = self.letter_at(row)
        return letter is not None and letters.is_overdue(letter, self._now())

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        letter = self._rows[index.row()]
        col = index.column()
        if role == ROW_ROLE:
            return letter
        if role == OVERDUE_ROLE:
            return letters.is_overdue(letter, self._now())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(letter, col)
        if role == Qt.ItemDataRole.ToolTipRole and col in (SUBJECT, SENDER):
            return self._display(letter, col)
        if role == Qt.ItemDataRole.ForegroundRole:
            if letters.is_overdue(letter, self._now()):
                return QBrush(OVERDUE_COLOR)
            if col == STATUS:
                return QBrush(_STATUS_COLORS.get(letter.status, QColor("#000000")))
        if (
            role == Qt.ItemDataRole.FontRole
            and col in (DUE, STATUS)
            and letters.is_overdue(letter, self._now())
        ):
            return self._bold
        return None

    def _display(self, letter: Letter, col: int) -> str:
        if col == SERIAL:
            return letter.serial
        if col == RECEIPT_NO:
            return letter.receipt_no
        if col == RECEIVED:
            return format_local(letter.received_at, "%Y-%m-%d %H:%M")
        if col == SENDER:
            return sender_text(letter)
        if col == SUBJECT:
            return letter.subject
        if col == TYPE:
            return _tr(letter.letter_type)
        if col == DEPARTMENT:
            dept = letter.department
            return dept.name if dept is not None else ""
        if col == DUE:
            return format_local(letter.reply_due_at, "%Y-%m-%d %H:%M")
        if col == STATUS:
            status = _tr(letter.status)
            if letters.is_overdue(letter, self._now()):
                return _tr("{0}（逾期）").format(status)
            return status
        return ""
