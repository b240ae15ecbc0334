"""The letters register (来函登记簿) as a lazily fetched table model.

Rows come from :func:`reception.services.letters.list_letters` a page at a time (``canFetchMore`` /
``fetchMore``); only the count and the first page are read when the filter changes. A letter
still open after its reply deadline is drawn in red with 逾期 beside its status."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from typing import Protocol

from PySide6.QtCore import QCoreApplication
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtGui import QColor
from PySide6.QtGui import QFont

from reception.clock import format_local
from reception.services import letters
from reception.services.letters import LetterFilter
from reception.services.letters import LetterRow
from ui.widgets import palette
from ui.widgets.list_position import ROW_ROLE
from ui.widgets.paged_model import PAGE_SIZE
from ui.widgets.paged_model import PagedTableModel

SERIAL, RECEIPT_NO, RECEIVED, SENDER, SUBJECT, TYPE, DEPARTMENT, DUE, STATUS = range(9)
COLUMN_COUNT = 9
OVERDUE_ROLE = Qt.ItemDataRole.UserRole + 2
__all__ = ["OVERDUE_ROLE", "PAGE_SIZE", "ROW_ROLE", "LetterListModel"]

OVERDUE_COLOR = QColor(palette.OVERDUE)
_STATUS_COLORS = {
    letters.PENDING: QColor(palette.PENDING),
    letters.IN_PROGRESS: QColor(palette.INFO),
    letters.REPLIED: QColor(palette.OK),
    letters.ARCHIVED: QColor(palette.DONE),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("LetterListModel", text)


class _Sender(Protocol):
    @property
    def organisation(self) -> str: ...
    @property
    def sender_name(self) -> str: ...


def sender_text(letter: _Sender) -> str:
    """``'张三'``, ``'阳光花园业主委员会 · 业委会'`` — the organisation first when there is one."""
    if letter.organisation:
        return f"{letter.organisation} · {letter.sender_name}"
    return letter.sender_name


class LetterListModel(PagedTableModel[LetterRow]):
    headers = ("编号", "收文编号", "收到时间", "来函人/单位", "标题", "类别", "承办部门", "答复期限", "状态")
    context = "LetterListModel"
    texts = (
        "serial",
        "receipt_no",
        lambda _, letter: format_local(letter.received_at, "%Y-%m-%d %H:%M"),
        lambda _, letter: sender_text(letter),
        "subject",
        lambda _, letter: _tr(letter.letter_type),
        "department_name",
        lambda _, letter: format_local(letter.reply_due_at, "%Y-%m-%d %H:%M"),
        lambda model, letter: model.status_text(letter),
    )

    def __init__(self, now: Callable[[], datetime] | None = None, parent: Any = None) -> None:
        """``now`` returns naive UTC (the session clock); it decides which rows are overdue."""
        super().__init__(LetterFilter(), now, parent)
        self._bold = QFont()
        self._bold.setBold(True)

    def count(self, f: LetterFilter) -> int:
        return letters.count_letters(f)

    def page(self, f: LetterFilter, offset: int, limit: int) -> list[LetterRow]:
        return letters.list_letters(f, offset=offset, limit=limit)

    def letter_at(self, row: int) -> LetterRow | None:
        return self.row_at(row)

    def is_overdue(self, row: int) -> bool:
        letter = self.letter_at(row)
        return letter is not None and letters.is_overdue(letter, self._now())

    def status_text(self, letter: LetterRow) -> str:
        status = _tr(letter.status)
        if letters.is_overdue(letter, self._now()):
            return _tr("{0}（逾期）").format(status)
        return status

    def cell(self, letter: LetterRow, col: int, role: int) -> Any:
        if role == OVERDUE_ROLE:
            return letters.is_overdue(letter, self._now())
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(letter, col)
        if role == Qt.ItemDataRole.ToolTipRole and col in (SUBJECT, SENDER):
            return self.text(letter, col)
        if role == Qt.ItemDataRole.ForegroundRole:
            if letters.is_overdue(letter, self._now()):
                return QBrush(OVERDUE_COLOR)
            if col == STATUS:
                return QBrush(_STATUS_COLORS.get(letter.status, QColor(palette.TEXT)))
        if (
            role == Qt.ItemDataRole.FontRole
            and col in (DUE, STATUS)
            and letters.is_overdue(letter, self._now())
        ):
            return self._bold
        return None
