"""Callbacks promised to callers (待回电), soonest due first, overdue ones in red, and
completing one with its result (完成回电)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtCore import QTimer
from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QWidget

from reception.clock import format_local
from reception.services import callbacks
from reception.services.callbacks import CallbackRow
from reception.services.session import Session
from ui.calls.follow_up_panel import FollowUpPanel
from ui.widgets import palette
from ui.widgets.list_position import kept_place
from ui.widgets.paged_model import RowsTableModel

DUE, NAME, PHONE, REASON = range(4)
OVERDUE_BRUSH = palette.brush(palette.OVERDUE)


class CallbackListModel(RowsTableModel):
    headers = ("回电时间", "姓名", "号码", "事由")
    context = "CallbackListModel"
    texts = (
        lambda model, row: model.due_text(row),
        "name",
        "phone_masked",
        lambda _, row: " ".join(row.reason.split()),
    )

    def __init__(self, now: Any, parent: Any = None) -> None:
        super().__init__(parent)
        self._now = now

    def set_clock(self, now: Any) -> None:
        self._now = now

    def is_overdue(self, row: CallbackRow) -> bool:
        now: datetime = self._now()
        return callbacks.is_overdue(row, now)

    def due_text(self, row: CallbackRow) -> str:
        text = format_local(row.due_at, "%m-%d %H:%M")
        if self.is_overdue(row):
            text += QCoreApplication.translate("CallbackListModel", "（已逾期）")
        return text

    def tooltip(self, row: CallbackRow) -> str:
        return row.reason

    def foreground(self, row: CallbackRow) -> QBrush | None:
        return OVERDUE_BRUSH if self.is_overdue(row) else None


class CallbacksPanel(FollowUpPanel):
    """Open callbacks. ``changed`` after one is completed; ``counts_changed(open, overdue)``."""

    counts_changed = Signal(int, int)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.model: CallbackListModel = CallbackListModel(self._now, self)
        self.result_edit, self.complete_button = self._build(
            REASON,
            self.complete_selected,
            (self.tr("结果"), self.tr("回电结果，如：已告知维修时间，业主满意"), self.tr("完成回电")),
            self.tr("显示所选回电的完整号码以便拨打（查看会记入审计日志）"),
            self.tr("没有待回电"),
        )
        self.view.selectionModel().currentRowChanged.connect(lambda *_a: self.error.hide())

        # Repaint once a minute so that callbacks turn red when they fall due.
        self._minute = QTimer(self)
        self._minute.setInterval(60_000)
        self._minute.timeout.connect(self.recolor)
        self._minute.start()
        self.refresh()

    def _now(self) -> datetime:
        return self._session.clock.now()

    def refresh(self) -> None:
        self.model.set_rows(callbacks.list_callbacks())
        count = self.model.rowCount()
        self._show_count(count, (self.result_edit, self.complete_button, self.number_button))
        if count:
            self.view.selectRow(0)
        self._emit_counts()

    def reload_rows(self) -> None:
        """Re-read the callbacks (something was saved, maybe at another desk) keeping the
        selected callback and the result being typed. If the selected one was completed at
        another desk while a result was being typed, nothing is selected (the result cannot go
        to a different callback by mistake) and the operator is told."""
        current = self.selected()
        typed = self.result_edit.text().strip()
        with kept_place(self.view):
            self.model.set_rows(callbacks.list_callbacks())
        count = self.model.rowCount()
        self._show_count(count, (self.result_edit, self.complete_button, self.number_button))
        if self.selected() is None:
            if current is not None and typed:
                self.view.clearSelection()
                self.error.setText(self.tr("所选回电已在其他前台完成，请重新选择。"))
                self.error.show()
            elif count and not typed:
                self.view.selectRow(0)
        self._emit_counts()

    def recolor(self) -> None:
        if self.model.rowCount():
            self.model.dataChanged.emit(
                self.model.index(0, 0), self.model.index(self.model.rowCount() - 1, REASON)
            )
        self._emit_counts()

    def _emit_counts(self) -> None:
        rows = [self.model.row_at(i) for i in range(self.model.rowCount())]
        overdue = sum(1 for cb in rows if self.model.is_overdue(cb))
        self.counts_changed.emit(len(rows), overdue)

    def show_number(self) -> str | None:
        """The full number of the selected callback, to dial it (the reveal is audited)."""
        cb = self.selected()
        if cb is None:
            return None
        number = self._reveal_number(
            "callback",
            cb.id,
            self.tr("回电给 %1：").replace("%1", cb.name or self.tr("来电人")),
            self.tr("这条回电没有留下号码。"),
        )
        if number is None:
            self.refresh()
        return number

    def complete_selected(self) -> bool:
        cb = self.selected()
        if cb is None:
            return False
        if not self._save(
            lambda: callbacks.complete(self._session, cb.id, self.result_edit.text()), self.result_edit
        ):
            return False
        self.result_edit.clear()
        self.refresh()
        self.changed.emit()
        return True
