"""The two small forms of a letter's workflow: 转办 (department, handler, deadline) and
登记答复 (date, channel, what was answered, by whom, the reply documents).

Each calls one service; ``done_with(letter)`` carries the updated letter back to the detail
dialog. A ConflictError (someone else — at another desk — changed the letter meanwhile) is
shown; the form sends ``done_with(None)`` so that the detail dialog behind it shows the newer
letter, and stays open with what the operator typed, to be checked and saved again (against the
newer version) or cancelled."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from reception import letters
from reception.attachments import AttachmentStore
from reception.clock import to_local, to_utc
from reception.errors import ConflictError, ReceptionError, ValidationError
from reception.models import Letter
from reception.session import Session
from ui import msgbox
from ui.forms import FieldErrors, dialog_buttons, error_label
from ui.letter_files import FilePicker, accept_file_drag, drop_files
from ui.letter_form import (
    STYLE,
    choice_combo,
    datetime_edit,
    department_combo,
    from_qdatetime,
    local_qdatetime,
)


class _ActionDialog(QDialog):
    done_with = Signal(object)

    def __init__(self, session: Session, letter: Letter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._letter = letter
        self.setStyleSheet(STYLE)
        self.general_error = error_label(self)
        self.errors = FieldErrors(self.general_error)
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.form.setHorizontalSpacing(8)
        self.form.setVerticalSpacing(4)
        head = QLabel(self.tr("{0}　{1}").format(letter.serial, letter.subject))
        head.setWordWrap(True)
        head.setObjectName("hint")
        self.conflict_label = QLabel()
        self.conflict_label.setWordWrap(True)
        self.conflict_label.setStyleSheet(
            "color: #8a5300; background: #fff4dc; border: 1px solid #f0d9a8;"
            " border-radius: 4px; padding: 4px 8px;"
        )
        self.conflict_label.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(self.conflict_label)
        layout.addLayout(self.form, 1)
        layout.addWidget(self.general_error)
        box, self.ok_button, _cancel = dialog_buttons(self._ok_text(), self.tr("取消"))
        box.accepted.connect(self.submit)
        box.rejected.connect(self.reject)
        self._button_box = box

    def _finish_layout(self) -> None:
        self.layout().addWidget(self._button_box)  # type: ignore[union-attr]

    def _ok_text(self) -> str:
        return self.tr("确定")

    def error_text(self, field: str) -> str:
        return self.errors.message(field)

    def submit(self) -> Letter | None:
        self.errors.clear()
        self.conflict_label.hide()
        try:
            letter = self._call()
        except ValidationError as exc:
            self.errors.show_error(exc)
            return None
        except ConflictError:
            self._conflict()
            return None
        except ReceptionError as exc:
            msgbox.error(self, self.tr("未能保存"), exc.message)
            return None
        self.done_with.emit(letter)
        self.done(QDialog.DialogCode.Accepted)
        return letter

    def _call(self) -> Letter:
        raise NotImplementedError

    def _conflict(self) -> None:
        """Someone else changed the letter: the detail dialog shows the newer letter, this form
        keeps what was typed and saves against the newer version if confirmed again."""
        self.done_with.emit(None)  # the detail dialog re-reads the letter
        try:
            self._letter = letters.get_letter(self._letter.id)
        except ReceptionError as exc:
            msgbox.error(self, self.tr("已被其他人修改"), exc.message)
            self.done(QDialog.DialogCode.Rejected)
            return
        self.conflict_label.setText(
            self.tr(
                "这份来函刚被其他人修改（现在状态：{0}），本次未保存。来函详情已显示最新内容；"
                "您填写的内容仍在这里，请核对后再点“{1}”，或点“取消”放弃。"
            ).format(self.tr(self._letter.status), self._ok_text())
        )
        self.conflict_label.show()
        msgbox.error(
            self,
            self.tr("已被其他人修改"),
            self.tr(
                "这份来函已被其他人修改，本次未保存。\n来函详情已刷新为最新内容；"
                "您填写的内容仍保留在窗口中，请核对后再保存。"
            ),
        )
        layout = self.layout()
        if layout is not None:
            layout.activate()
        if self.height() < self.sizeHint().height():
            self.resize(self.width(), self.sizeHint().height())

    def has_conflict(self) -> bool:
        """The last save was refused because the letter had been changed meanwhile."""
        return self.conflict_label.isVisibleTo(self)


class RouteDialog(_ActionDialog):
    """转办: hand the letter to a department (again, when it is re-routed)."""

    def __init__(self, session: Session, letter: Letter, parent: QWidget | None = None) -> None:
        super().__init__(session, letter, parent)
        self.setWindowTitle(self.tr("转办来函"))
        self.department_combo = department_combo(self.tr("请选择"))
        if letter.department_id is not None:
            self.department_combo.setCurrentIndex(
                max(self.department_combo.findData(letter.department_id), 0)
            )
        self.errors.add_row(self.form, self.tr("承办部门"), "department", self.department_combo)
        self.handler_edit = QLineEdit(letter.handler)
        self.errors.add_row(self.form, self.tr("承办人"), "handler", self.handler_edit)
        self.due_edit = datetime_edit()
        self.due_edit.setDateTime(local_qdatetime(to_local(letter.reply_due_at)))
        self.errors.add_row(self.form, self.tr("答复期限"), "reply_due_at", self.due_edit)
        self._finish_layout()
        self.resize(520, self.sizeHint().height())

    def _ok_text(self) -> str:
        return self.tr("转办")

    def _call(self) -> Letter:
        return letters.route_letter(
            self._session,
            self._letter.id,
            self.department_combo.currentData(),
            self.handler_edit.text(),
            to_utc(from_qdatetime(self.due_edit.dateTime())),
            self._letter.version,
        )


class ReplyDialog(_ActionDialog):
    """登记答复: the letter was answered (in writing, by phone …)."""

    def __init__(
        self, session: Session, letter: Letter, store: AttachmentStore, parent: QWidget | None = None
    ) -> None:
        super().__init__(session, letter, parent)
        self._store = store
        self.setWindowTitle(self.tr("登记答复"))
        self.setAcceptDrops(True)
        self.replied_edit = datetime_edit()
        self.replied_edit.setDateTime(local_qdatetime(session.clock.local_now()))
        self.errors.add_row(self.form, self.tr("答复日期"), "replied_at", self.replied_edit)
        self.channel_combo = choice_combo(self.tr("请选择"), letters.REPLY_CHANNELS, self.tr)
        self.errors.add_row(self.form, self.tr("答复方式"), "reply_channel", self.channel_combo)
        self.summary_edit = QPlainTextEdit()
        self.summary_edit.setTabChangesFocus(True)
        self.summary_edit.setPlaceholderText(self.tr("答复了什么，问题如何处理"))
        self.summary_edit.setMinimumHeight(self.summary_edit.fontMetrics().lineSpacing() * 4 + 14)
        self.errors.add_row(self.form, self.tr("答复内容"), "reply_summary", self.summary_edit)
        self.replied_by_edit = QLineEdit(letter.handler)
        self.errors.add_row(self.form, self.tr("答复人"), "replied_by", self.replied_by_edit)
        self.files = FilePicker(self, self.tr("选择答复文件"))
        self.errors.add_row(self.form, self.tr("答复文件"), "files", self.files)
        self._finish_layout()
        self.resize(620, 520)

    def _ok_text(self) -> str:
        return self.tr("保存答复")

    def _call(self) -> Letter:
        return letters.record_reply(
            self._session,
            self._letter.id,
            replied_at=to_utc(from_qdatetime(self.replied_edit.dateTime())),
            channel=self.channel_combo.currentData() or "",
            summary=self.summary_edit.toPlainText(),
            replied_by=self.replied_by_edit.text(),
            files=self.files.files(),
            store=self._store,
            expected_version=self._letter.version,
        )

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        accept_file_drag(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        accept_file_drag(event)

    def dropEvent(self, event: QDropEvent) -> None:
        drop_files(event, self.files)
