"""Messages waiting to be passed on (待转达留言) and marking them delivered (标记已转达)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from reception.clock import format_local
from reception.services import messages
from reception.services.messages import MessageRow
from reception.services.session import Session
from ui.calls.follow_up_panel import FollowUpPanel
from ui.widgets.list_position import kept_place
from ui.widgets.paged_model import RowsTableModel

TIME, FOR_WHOM, FROM, PHONE, TEXT = range(5)


def message_target(msg: MessageRow) -> str:
    return msg.target


class MessageListModel(RowsTableModel):
    headers = ("时间", "留言给", "留言人", "回电号码", "内容")
    context = "MessageListModel"
    texts = (
        lambda _, row: format_local(row.created_at, "%m-%d %H:%M"),
        lambda _, row: message_target(row),
        "from_name",
        "callback_phone_masked",
        lambda _, row: " ".join(row.text.split()),
    )

    def tooltip(self, row: MessageRow) -> str:
        return row.text


class MessagesPanel(FollowUpPanel):
    """Undelivered messages, newest first. ``changed`` after one is marked delivered."""

    count_changed = Signal(int)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self._reloading = False
        self.model = MessageListModel(self)
        self.to_edit, self.deliver_button = self._build(
            TEXT,
            self.deliver_selected,
            (self.tr("转达给"), self.tr("已转达给谁"), self.tr("标记已转达")),
            self.tr("显示留言人的完整回电号码以便拨打（查看会记入审计日志）"),
            self.tr("没有待转达的留言"),
        )
        self.view.selectionModel().currentRowChanged.connect(self._selected)
        self.refresh()

    def refresh(self, *, select_first: bool = True) -> None:
        """Re-read the list. After a delivery (``select_first`` false) nothing is selected and
        转达给 is empty: a second Enter must not mark the next message delivered — the receptionist
        picks it first."""
        self.model.set_rows(messages.list_messages())
        count = self.model.rowCount()
        self._show_count(count, (self.to_edit, self.deliver_button))
        if count and select_first:
            self.view.selectRow(0)
        else:
            self.view.setCurrentIndex(QModelIndex())
            self.view.clearSelection()
            self.to_edit.clear()
            if count:
                self.view.setFocus()
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
        self._show_count(count, (self.to_edit, self.deliver_button))
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

    def _selected(self, current: Any, _previous: Any) -> None:
        if self._reloading:
            return
        msg = self.model.row_at(current.row()) if current.isValid() else None
        self.error.hide()
        self.to_edit.setText(message_target(msg) if msg is not None else "")
        self._update_number_button()

    def _update_number_button(self) -> None:
        msg = self.selected()
        self.number_button.setEnabled(msg is not None and bool(msg.callback_phone_masked))

    def show_number(self) -> str | None:
        """The sender's full callback number, to pass the message on (the reveal is audited)."""
        msg = self.selected()
        if msg is None:
            return None
        return self._reveal_number(
            "message",
            msg.id,
            self.tr("留言人 %1 的回电号码：").replace("%1", msg.from_name or self.tr("（未留姓名）")),
            self.tr("这条留言没有留下回电号码。"),
        )

    def deliver_selected(self) -> bool:
        msg = self.selected()
        if msg is None:
            return False
        if not self._save(lambda: messages.deliver(self._session, msg.id, self.to_edit.text()), self.to_edit):
            return False
        self.refresh(select_first=False)
        self.changed.emit()
        return True
