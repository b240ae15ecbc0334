"""超时上报 — the supervisor's list of cases past their reply deadline and still unanswered,
worst first (:func:`reception.services.cases.escalated_cases`). Double-click opens the case."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QCoreApplication
from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QHeaderView
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from reception.clock import format_local
from reception.errors import ReceptionError
from reception.services import cases
from reception.services.cases import CaseRow
from ui.cases.case_list_model import OVERDUE_AGAIN_COLOR
from ui.cases.case_list_model import OVERDUE_COLOR
from ui.cases.case_list_model import place_text
from ui.widgets import palette
from ui.widgets.list_position import ROW_ROLE
from ui.widgets.paged_model import RowsTableModel
from ui.widgets.paged_model import first_line
from ui.widgets.record_list import rows_table


def _tr(text: str) -> str:
    return QCoreApplication.translate("EscalatedModel", text)


class EscalatedModel(RowsTableModel):
    headers = ("级别", "编号", "类别", "位置", "问题", "部门", "处理人", "答复期限", "超时")
    context = "EscalatedModel"
    texts = (
        lambda _, row: _tr("再次上报") if row.escalation_level >= 2 else _tr("已上报"),
        "serial",
        lambda _, row: _tr(row.category),
        lambda _, row: place_text(row),
        lambda _, row: first_line(row.description),
        lambda _, row: row.department_name or _tr("（待派单）"),
        "handler",
        lambda _, row: format_local(row.reply_due_at, "%m-%d %H:%M"),
        lambda model, row: cases.format_time_left(cases.time_left(row, model._now())),
    )

    def __init__(self, now: Callable[[], datetime], parent: object = None) -> None:
        super().__init__(parent)
        self._now = now

    def tooltip(self, row: CaseRow) -> str | None:
        return row.description

    def foreground(self, row: CaseRow) -> QBrush | None:
        return QBrush(OVERDUE_AGAIN_COLOR if row.escalation_level >= 2 else OVERDUE_COLOR)

    def font_of(self, row: CaseRow) -> QFont | None:
        if row.escalation_level < 2:
            return None
        font = QFont()
        font.setBold(True)
        return font


class CaseEscalationPanel(QWidget):
    """``open_case(id)`` on double-click / Enter."""

    open_case = Signal(int)
    count_changed = Signal(int)

    def __init__(self, now: Callable[[], datetime], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.title.setStyleSheet(f"color: {OVERDUE_COLOR.name()};")
        hint = QLabel(self.tr("超过答复期限仍未答复的工单，最严重的在前；双击打开"))
        hint.setStyleSheet(f"color: {palette.MUTED};")
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addWidget(hint, 1)
        self.model = EscalatedModel(now, self)
        self.view = rows_table(self.model, wrap=False)
        header = self.view.horizontalHeader()
        for col in range(self.model.columnCount()):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.view.activated.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(head)
        layout.addWidget(self.view, 1)
        self.refresh()

    def refresh(self) -> None:
        try:
            rows = cases.escalated_cases()
        except ReceptionError as exc:
            self.title.setText(exc.message)
            return
        self.model.set_rows(rows)
        self.title.setText(self.tr("超时上报 ({0})").format(len(rows)))
        self.count_changed.emit(len(rows))

    def case_ids(self) -> list[int]:
        return [self.model.row_at(i).id for i in range(self.model.rowCount())]

    def _activated(self, index) -> None:
        case = self.model.data(index, ROW_ROLE)
        if isinstance(case, CaseRow):
            self.open_case.emit(case.id)
