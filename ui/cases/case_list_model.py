"""The case list (工单) as a lazily fetched table model.

Rows come from :func:`reception.services.cases.list_cases` a page at a time, so a filter over years of
cases opens at once; they carry the first receiver's and the department's names (painting runs no
query). The countdown column (倒计时) and the deadline colours depend only on the clock and the
deadline settings read at each refresh: :meth:`CaseListModel.tick` repaints them every minute
without touching the database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtGui import QFont

from reception.clock import format_local
from reception.services import cases
from reception.services import settings as settings_mod
from reception.services.cases import CaseRow
from ui.widgets import palette
from ui.widgets.list_position import ROW_ROLE
from ui.widgets.paged_model import PAGE_SIZE
from ui.widgets.paged_model import PagedTableModel
from ui.widgets.paged_model import first_line

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
STATE_ROLE = Qt.ItemDataRole.UserRole + 2  # cases.OK / WARNING / OVERDUE / OVERDUE_AGAIN
__all__ = ["PAGE_SIZE", "ROW_ROLE", "STATE_ROLE", "CaseListModel"]

WARNING_COLOR = palette.brush(palette.WARNING).color()
OVERDUE_COLOR = palette.brush(palette.OVERDUE).color()
OVERDUE_AGAIN_COLOR = palette.brush(palette.OVERDUE_AGAIN).color()
WARNING_BRUSH = palette.brush(palette.WARNING_BG)
OVERDUE_BRUSH = palette.brush(palette.OVERDUE_BG)
OVERDUE_AGAIN_BRUSH = palette.brush(palette.OVERDUE_AGAIN_BG)
CLOSED_COLOR = palette.brush(palette.CLOSED).color()


def _tr(text: str) -> str:
    return QCoreApplication.translate("CaseListModel", text)


def place_text(case: CaseRow) -> str:
    """'5-1-1203' for a resident's room, else the location typed (a public area)."""
    return case.place_key or case.location


class CaseListModel(PagedTableModel[CaseRow]):
    headers = (
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
    )
    context = "CaseListModel"
    texts = (
        "serial",
        lambda _, case: _tr(case.category),
        lambda _, case: place_text(case),
        lambda _, case: first_line(case.description),
        "first_receiver_name",
        "department_name",
        "handler",
        lambda _, case: _tr(case.status),
        lambda _, case: format_local(case.reply_due_at, "%m-%d %H:%M"),
        lambda model, case: model.countdown(case),
        lambda _, case: _tr(cases.SOURCES.get(case.source_kind, case.source_kind)),
    )

    def __init__(self, now: Callable[[], datetime] | None = None, parent: Any = None) -> None:
        """``now`` returns naive UTC (the session clock); it drives the countdown and colours."""
        super().__init__(cases.CaseFilter(), now, parent)
        self._at = self._now()
        self._conf: settings_mod.Settings | None = None  # the warning hours, read at each refresh
        self._states: dict[int, str] = {}  # case id -> deadline state at ``_at``
        self._bold = QFont()
        self._bold.setBold(True)

    # ---- loading ----------------------------------------------------------------------
    def set_clock(self, now: Callable[[], datetime]) -> None:
        self._now = now
        self.tick()

    def count(self, f: cases.CaseFilter) -> int:
        return cases.count_cases(f)

    def page(self, f: cases.CaseFilter, offset: int, limit: int) -> list[CaseRow]:
        return cases.list_cases(f, offset=offset, limit=limit)

    def loading(self) -> None:
        self._at = self._now()
        self._states = {}
        self._conf = settings_mod.load()

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

    def case_at(self, row: int) -> CaseRow | None:
        return self.row_at(row)

    def state_of(self, case: CaseRow) -> str:
        """The case's deadline state, worked out once per refresh or tick."""
        state = self._states.get(case.id)
        if state is None:
            if self._conf is None:  # never refreshed: nothing is listed that needs it
                self._conf = settings_mod.Settings()
            state = self._states[case.id] = cases.deadline_state(case, self._at, self._conf)
        return state

    def countdown(self, case: CaseRow) -> str:
        if case.status not in cases.UNREPLIED:
            return _tr("已答复") if case.status != cases.CLOSED else ""
        return cases.format_time_left(cases.time_left(case, self._at))

    def cell(self, case: CaseRow, col: int, role: int) -> Any:
        if role == STATE_ROLE:
            return self.state_of(case)
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(case, col)
        if role == Qt.ItemDataRole.ToolTipRole and col == PROBLEM:
            return case.description
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(case, col)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._background(case)
        if (
            role == Qt.ItemDataRole.FontRole
            and col in (COUNTDOWN, DUE, STATUS)
            and self.state_of(case) == cases.OVERDUE_AGAIN
        ):
            return self._bold
        return None

    def _foreground(self, case: CaseRow, col: int) -> QBrush | None:
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

    def _background(self, case: CaseRow) -> QBrush | None:
        return {
            cases.WARNING: WARNING_BRUSH,
            cases.OVERDUE: OVERDUE_BRUSH,
            cases.OVERDUE_AGAIN: OVERDUE_AGAIN_BRUSH,
        }.get(self.state_of(case))
