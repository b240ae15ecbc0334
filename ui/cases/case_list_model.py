"""The case list (工单) as a lazily fetched table model.

Rows come from :func:`reception.services.cases.list_cases` a page at a time, so a filter over years of
cases opens at once. The countdown column (倒计时) and the deadline colours depend only on the
clock: :meth:`CaseListModel.tick` repaints them every minute without touching the database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from reception.clock import format_local
from reception.rules import phones
from reception.services import cases
from reception.store.models import Case

(
    SERIAL,
    CATEGORY,
    PLACE,
    PROBLEM,
    FIRST_RECEIVER,
    DEPARTMENT,
    HANDLER,
    STATUS,
    DUE,
    COUNTDOWN,
    SOURCE,
) = range(11)
COLUMN_COUNT = 11
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
STATE_ROLE = Qt.ItemDataRole.UserRole + 2  # cases.OK / WARNING / OVERDUE / OVERDUE_AGAIN
PAGE_SIZE = 200

_HEADERS = [
    "编号",
    "类别",
    "位置",
    "问题",
    "首问责任人",
    "部门",
    "处理人",
    "状态",
    "答复期限",
    "倒计时",
    "来源",
]

WARNING_COLOR = QColor("#b26a00")
OVERDUE_COLOR = QColor("#c62828")
OVERDUE_AGAIN_COLOR = QColor("#7f0000")
WARNING_BRUSH = QBrush(QColor("#fff4dc"))
OVERDUE_BRUSH = QBrush(QColor("#fdecec"))
OVERDUE_AGAIN_BRUSH = QBrush(QColor("#f8d7d7"))
CLOSED_COLOR = QColor("#7a8591")

Index = QModelIndex | QPersistentModelIndex


def _tr(text: str) -> str:
    return QCoreApplication.translate("CaseListModel", text)


def place_text(case: Case) -> str:
    """'5-1-1203' for a resident's room, else the location typed (a public area)."""
    return case.place_key or case.location


def first_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[0] if lines else ""


class CaseListModel(QAbstractTableModel):
    def __init__(self, now: Callable[[], datetime] | None = None, parent: Any = None) -> None:
        """``now`` returns naive UTC (the session clock); it drives the countdown and colours."""
        super().__init__(parent)
        self._filter = cases.CaseFilter()
        self._rows: list[Case] = []
        self._total = 0
        self._now = now or (lambda: datetime(1970, 1, 1))
        self._at = self._now()
        self._states: dict[int, str] = {}  # case id -> deadline state at ``_at``

    # ---- loading ----------------------------------------------------------------------
    def set_clock(self, now: Callable[[], datetime]) -> None:
        self._now = now
        self.tick()

    def set_filter(self, f: cases.CaseFilter) -> None:
        self._filter = f
        self.refresh()

    def refresh(self) -> None:
        """Re-count and reload the first page; further pages come as the view scrolls."""
        self.beginResetModel()
        self._at = self._now()
        self._states = {}
        self._total = cases.count_cases(self._filter)
        self._rows = cases.list_cases(self._filter, offset=0, limit=PAGE_SIZE) if self._total else []
        self.endResetModel()

    def tick(self) -> None:
        """The minute turned: repaint the countdown and the deadline colours (no query)."""
        self._at = self._now()
        self._states = {}
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(len(self._rows) - 1, COLUMN_COUNT - 1),
                [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole],
            )

    def total(self) -> int:
        return self._total

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        if parent.isValid():
            return False
        return len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if parent.isValid():
            return
        page = cases.list_cases(self._filter, offset=len(self._rows), limit=PAGE_SIZE)
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

    def case_at(self, row: int) -> Case | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, case_id: int) -> int:
        return next((i for i, c in enumerate(self._rows) if c.id == case_id), -1)

    def state_of(self, case: Case) -> str:
        """The case's deadline state, worked out once per refresh or tick."""
        state = self._states.get(case.id)
        if state is None:
            state = self._states[case.id] = cases.deadline_state(case, self._at)
        return state

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        case = self._rows[index.row()]
        col = index.column()
        if role == ROW_ROLE:
            return case
        if role == STATE_ROLE:
            return self.state_of(case)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(case, col)
        if role == Qt.ItemDataRole.ToolTipRole and col == PROBLEM:
            return phones.mask_in_text(case.description)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(case, col)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._background(case)
        if (
            role == Qt.ItemDataRole.FontRole
            and col in (COUNTDOWN, DUE, STATUS)
            and self.state_of(case) == cases.OVERDUE_AGAIN
        ):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _display(self, case: Case, col: int) -> str:
        if col == SERIAL:
            return case.serial
        if col == CATEGORY:
            return _tr(case.category)
        if col == PLACE:
            return place_text(case)
        if col == PROBLEM:
            return first_line(phones.mask_in_text(case.description))
        if col == FIRST_RECEIVER:
            return case.first_receiver.display_name
        if col == DEPARTMENT:
            return case.department.name if case.department else ""
        if col == HANDLER:
            return case.handler
        if col == STATUS:
            return _tr(case.status)
        if col == DUE:
            return format_local(case.reply_due_at, "%m-%d %H:%M")
        if col == COUNTDOWN:
            if case.status not in cases.UNREPLIED:
                return _tr("已答复") if case.status != cases.CLOSED else ""
            return cases.format_time_left(cases.time_left(case, self._at))
        if col == SOURCE:
            return _tr(cases.SOURCES.get(case.source_kind, case.source_kind))
        return ""

    def _foreground(self, case: Case, col: int) -> QBrush | None:
        state = self.state_of(case)
        if state == cases.OK:
            if case.status == cases.CLOSED:
                return QBrush(CLOSED_COLOR)
            return None
        if col not in (COUNTDOWN, DUE, STATUS, SERIAL):
            return None
        color = {
            cases.WARNING: WARNING_COLOR,
            cases.OVERDUE: OVERDUE_COLOR,
            cases.OVERDUE_AGAIN: OVERDUE_AGAIN_COLOR,
        }[state]
        return QBrush(color)

    def _background(self, case: Case) -> QBrush | None:
        return {
            cases.WARNING: WARNING_BRUSH,
            cases.OVERDUE: OVERDUE_BRUSH,
            cases.OVERDUE_AGAIN: OVERDUE_AGAIN_BRUSH,
        }.get(self.state_of(case))
