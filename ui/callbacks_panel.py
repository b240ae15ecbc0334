"""Callbacks promised to callers (待回电), soonest due first, overdue ones in red, and
completing one with its result (完成回电)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from reception import callbacks, phones, privacy
from reception.clock import format_local
from reception.errors import ReceptionError, StorageError, ValidationError
from reception.models import Callback
from reception.session import Session
from ui import msgbox
from ui.call_list_model import RowsTableModel
from ui.forms import error_label
from ui.list_position import kept_place

DUE, NAME, PHONE, REASON = range(4)
OVERDUE_BRUSH = QBrush(QColor("#c62828"))


class CallbackListModel(RowsTableModel):
    headers = ("回电时间", "姓名", "号码", "事由")
    context = "CallbackListModel"

    def __init__(self, now: Any, parent: Any = None) -> None:
        super().__init__(parent)
        self._now = now

    def set_clock(self, now: Any) -> None:
        self._now = now

    def is_overdue(self, row: Callback) -> bool:
        now: datetime = self._now()
        return callbacks.is_overdue(row, now)

    def display(self, row: Callback, column: int) -> str:
        if column == DUE:
            text = format_local(row.due_at, "%m-%d %H:%M")
            if self.is_overdue(row):
                text += QCoreApplication.translate("CallbackListModel", "（已逾期）")
            return text
        if column == NAME:
            return row.name
        if column == PHONE:
            return phones.mask(row.phone)
        if column == REASON:
            return " ".join(row.reason.split())
        return ""

    def tooltip(self, row: Callback) -> str:
        return row.reason

    def foreground(self, row: Callback) -> QBrush | None:
        return OVERDUE_BRUSH if self.is_overdue(row) else None


class CallbacksPanel(QWidget):
    """Open callbacks. ``changed`` after one is completed; ``counts_changed(open, overdue)``."""

    changed = Signal()
    counts_changed = Signal(int, int)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.model = CallbackListModel(self._now, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(REASON, QHeaderView.ResizeMode.Stretch)
        self.view.selectionModel().currentRowChanged.connect(lambda *_a: self.error.hide())
        self.view.doubleClicked.connect(lambda _i: self.result_edit.setFocus())

        self.result_edit = QLineEdit()
        self.result_edit.setPlaceholderText(self.tr("回电结果，如：已告知维修时间，业主满意"))
        self.result_edit.returnPressed.connect(self.complete_selected)
        self.complete_button = QPushButton(self.tr("完成回电"))
        self.complete_button.clicked.connect(self.complete_selected)
        self.number_button = QPushButton(self.tr("显示号码"))
        self.number_button.setAutoDefault(False)
        self.number_button.setToolTip(self.tr("显示所选回电的完整号码以便拨打（查看会记入审计日志）"))
        self.number_button.clicked.connect(self.show_number)
        self.error = error_label()
        self.empty_label = QLabel(self.tr("没有待回电"))
        self.empty_label.setStyleSheet("color: #6b7785;")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("结果")))
        row.addWidget(self.result_edit, 1)
        row.addWidget(self.complete_button)
        row.addWidget(self.number_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty_label)
        layout.addLayout(row)
        layout.addWidget(self.error)

        # Repaint once a minute so that callbacks turn red when they fall due.
        self._minute = QTimer(self)
        self._minute.setInterval(60_000)
        self._minute.timeout.connect(self.recolor)
        self._minute.start()
        self.refresh()

    def _now(self) -> datetime:
        return self._session.clock.now()

    def set_session(self, session: Session) -> None:
        self._session = session
        self.refresh()

    def refresh(self) -> None:
        self.model.set_rows(callbacks.list_callbacks())
        count = self.model.rowCount()
        self.empty_label.setVisible(count == 0)
        self.result_edit.setEnabled(count > 0)
        self.complete_button.setEnabled(count > 0)
        self.number_button.setEnabled(count > 0)
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
        self.empty_label.setVisible(count == 0)
        self.result_edit.setEnabled(count > 0)
        self.complete_button.setEnabled(count > 0)
        self.number_button.setEnabled(count > 0)
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

    def selected(self) -> Callback | None:
        index = self.view.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def show_number(self) -> str | None:
        """The full number of the selected callback, to dial it (the reveal is audited)."""
        cb = self.selected()
        if cb is None:
            return None
        title = self.tr("回电号码")
        try:
            number = privacy.number_to_call(self._session, "callback", cb.id)
        except ReceptionError as exc:
            msgbox.error(self, title, exc.message)
            self.refresh()
            return None
        if not number:
            msgbox.info(self, title, self.tr("这条回电没有留下号码。"))
            return number
        msgbox.info(
            self,
            title,
            self.tr("回电给 %1：\n\n%2\n\n（本次查看已记入审计日志）")
            .replace("%1", cb.name or self.tr("来电人"))
            .replace("%2", number),
        )
        return number

    def complete_selected(self) -> bool:
        cb = self.selected()
        if cb is None:
            return False
        try:
            callbacks.complete(self._session, cb.id, self.result_edit.text())
        except ValidationError as exc:
            self.error.setText("；".join(exc.fields.values()))
            self.error.show()
            self.result_edit.setFocus()
            return False
        except StorageError as exc:
            msgbox.error(self, self.tr("未能保存"), exc.message)
            return False
        except ReceptionError as exc:
            msgbox.error(self, self.tr("未能保存"), exc.message)
            self.refresh()
            return False
        self.error.hide()
        self.result_edit.clear()
        self.refresh()
        self.changed.emit()
        return True
