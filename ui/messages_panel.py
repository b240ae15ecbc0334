"""Messages waiting to be passed on (待转达留言) and marking them delivered (标记已转达)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
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

from reception import messages, phones, privacy
from reception.clock import format_local
from reception.errors import ReceptionError, StorageError, ValidationError
from reception.models import Message
from reception.session import Session
from ui import msgbox
from ui.call_list_model import RowsTableModel
from ui.forms import error_label
from ui.list_position import kept_place

TIME, FOR_WHOM, FROM, PHONE, TEXT = range(5)


def message_target(msg: Message) -> str:
    dept = msg.for_department.name if msg.for_department_id else ""
    return "、".join(p for p in (msg.for_person, dept) if p)


class MessageListModel(RowsTableModel):
    headers = ("时间", "留言给", "留言人", "回电号码", "内容")
    context = "MessageListModel"

    def display(self, row: Message, column: int) -> str:
        if column == TIME:
            return format_local(row.created_at, "%m-%d %H:%M")
        if column == FOR_WHOM:
            return message_target(row)
        if column == FROM:
            return row.from_name
        if column == PHONE:
            return phones.mask(row.callback_phone)
        if column == TEXT:
            return " ".join(row.text.split())
        return ""

    def tooltip(self, row: Message) -> str:
        return row.text


class MessagesPanel(QWidget):
    """Undelivered messages, newest first. ``changed`` after one is marked delivered."""

    changed = Signal()
    count_changed = Signal(int)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._reloading = False
        self.model = MessageListModel(self)
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
        header.setSectionResizeMode(TEXT, QHeaderView.ResizeMode.Stretch)
        self.view.selectionModel().currentRowChanged.connect(self._selected)
        self.view.doubleClicked.connect(lambda _i: self.to_edit.setFocus())

        self.to_edit = QLineEdit()
        self.to_edit.setPlaceholderText(self.tr("已转达给谁"))
        self.to_edit.returnPressed.connect(self.deliver_selected)
        self.deliver_button = QPushButton(self.tr("标记已转达"))
        self.deliver_button.clicked.connect(self.deliver_selected)
        self.number_button = QPushButton(self.tr("显示号码"))
        self.number_button.setAutoDefault(False)
        self.number_button.setToolTip(self.tr("显示留言人的完整回电号码以便拨打（查看会记入审计日志）"))
        self.number_button.clicked.connect(self.show_number)
        self.error = error_label()
        self.empty_label = QLabel(self.tr("没有待转达的留言"))
        self.empty_label.setStyleSheet("color: #6b7785;")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("转达给")))
        row.addWidget(self.to_edit, 1)
        row.addWidget(self.deliver_button)
        row.addWidget(self.number_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty_label)
        layout.addLayout(row)
        layout.addWidget(self.error)
        self.refresh()

    def set_session(self, session: Session) -> None:
        self._session = session
        self.refresh()

    def refresh(self) -> None:
        self.model.set_rows(messages.list_messages())
        count = self.model.rowCount()
        self.empty_label.setVisible(count == 0)
        self.to_edit.setEnabled(count > 0)
        self.deliver_button.setEnabled(count > 0)
        if count:
            self.view.selectRow(0)
        else:
            self.to_edit.clear()
        self._update_number_button()
        self.count_changed.emit(count)

    def reload_rows(self) -> None:
        """Re-read the messages (something was saved, maybe at another desk) without losing the
        operator's place: the selected message stays selected and 转达给 keeps what was typed.
        If the selected message was passed on at another desk meanwhile while something was
        typed for it, nothing is selected (Enter cannot deliver a different message) and the
        operator is told."""
        current = self.selected()
        typed = self.to_edit.text()
        self._reloading = True
        try:
            with kept_place(self.view):
                self.model.set_rows(messages.list_messages())
        finally:
            self._reloading = False
        count = self.model.rowCount()
        self.empty_label.setVisible(count == 0)
        self.to_edit.setEnabled(count > 0)
        self.deliver_button.setEnabled(count > 0)
        now_selected = self.selected()
        own_text = typed.strip() and typed != (message_target(current) if current is not None else "")
        if now_selected is not None:
            self.to_edit.setText(typed)
        elif current is not None and own_text:
            self.view.clearSelection()
            self.error.setText(self.tr("所选留言已在其他前台处理，请重新选择。"))
            self.error.show()
        elif count:
            self.view.selectRow(0)
        else:
            self.to_edit.clear()
        self._update_number_button()
        self.count_changed.emit(count)

    def selected(self) -> Message | None:
        index = self.view.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _selected(self, current: Any, _previous: Any) -> None:
        if self._reloading:
            return
        msg = self.model.row_at(current.row()) if current.isValid() else None
        self.error.hide()
        self.to_edit.setText(message_target(msg) if msg is not None else "")
        self._update_number_button()

    def _update_number_button(self) -> None:
        msg = self.selected()
        self.number_button.setEnabled(msg is not None and bool(msg.callback_phone))

    def show_number(self) -> str | None:
        """The sender's full callback number, to pass the message on (the reveal is audited)."""
        msg = self.selected()
        if msg is None:
            return None
        title = self.tr("留言人号码")
        try:
            number = privacy.number_to_call(self._session, "message", msg.id)
        except ReceptionError as exc:
            msgbox.error(self, title, exc.message)
            return None
        if not number:
            msgbox.info(self, title, self.tr("这条留言没有留下回电号码。"))
            return number
        msgbox.info(
            self,
            title,
            self.tr("留言人 %1 的回电号码：\n\n%2\n\n（本次查看已记入审计日志）")
            .replace("%1", msg.from_name or self.tr("（未留姓名）"))
            .replace("%2", number),
        )
        return number

    def deliver_selected(self) -> bool:
        msg = self.selected()
        if msg is None:
            return False
        try:
            messages.deliver(self._session, msg.id, self.to_edit.text())
        except ValidationError as exc:
            self.error.setText("；".join(exc.fields.values()))
            self.error.show()
            self.to_edit.setFocus()
            return False
        except StorageError as exc:
            msgbox.error(self, self.tr("未能保存"), exc.message)
            return False
        except ReceptionError as exc:
            msgbox.error(self, self.tr("未能保存"), exc.message)
            self.refresh()
            return False
        self.error.hide()
        self.refresh()
        self.changed.emit()
        return True
