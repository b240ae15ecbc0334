"""The two small forms of a letter's workflow: 转办 (department, handler, deadline) and
登记答复 (date, channel, what was answered, by whom, the reply documents).

Each calls one service; ``done_with(letter)`` carries the updated letter back to the detail
dialog. A refused save (ValidationError, ConflictError) is handled as :mod:`ui.widgets.action_dialog`
describes: after a conflict the form stays open with what the operator typed, to be checked and
saved again (against the newer version) or cancelled."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QWidget

from reception.services import letters
from reception.services.records import AttachmentStore
from reception.services.records import Letter
from reception.services.session import Session
from ui.letters.letter_files import FileDrops
from ui.letters.letter_files import FilePicker
from ui.letters.letter_form import STYLE
from ui.letters.letter_form import choice_combo
from ui.widgets.action_dialog import ActionDialog
from ui.widgets.action_dialog import department_combo
from ui.widgets.dialog_parts import text_box
from ui.widgets.form_parts import datetime_edit
from ui.widgets.form_parts import local_qdatetime
from ui.widgets.form_parts import set_edit_utc
from ui.widgets.form_parts import utc_from_edit


class LetterActionDialog(ActionDialog):
    """A form of a letter's workflow, headed by the letter's number and subject."""

    def __init__(self, session: Session, letter: Letter, parent: QWidget | None = None) -> None:
        super().__init__(session, STYLE, parent)
        self._letter = letter
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.head_label.setText(self.tr("{0}　{1}").format(letter.serial, letter.subject))

    def _reread(self) -> str:
        self._letter = letters.get_letter(self._letter.id)
        return self._letter.status

    def _conflict_texts(self) -> tuple[str, str, str]:
        return (
            self.tr("已被其他人修改"),
            self.tr(
                "这份来函刚被其他人修改（现在状态：{0}），本次未保存。来函详情已显示最新内容；"
                "您填写的内容仍在这里，请核对后再点“{1}”，或点“取消”放弃。"
            ),
            self.tr(
                "这份来函已被其他人修改，本次未保存。\n来函详情已刷新为最新内容；"
                "您填写的内容仍保留在窗口中，请核对后再保存。"
            ),
        )


class RouteDialog(LetterActionDialog):
    """转办: hand the letter to a department (again, when it is re-routed)."""

    def __init__(self, session: Session, letter: Letter, parent: QWidget | None = None) -> None:
        super().__init__(session, letter, parent)
        self.setWindowTitle(self.tr("转办来函"))
        self.department_combo = department_combo(self.tr("请选择"), letter.department_id)
        self.errors.add_row(self.form, self.tr("承办部门"), "department", self.department_combo)
        self.handler_edit = QLineEdit(letter.handler)
        self.errors.add_row(self.form, self.tr("承办人"), "handler", self.handler_edit)
        self.due_edit = datetime_edit()
        set_edit_utc(self.due_edit, letter.reply_due_at)
        self.errors.add_row(self.form, self.tr("答复期限"), "reply_due_at", self.due_edit)
        self._finish_layout()

    def _ok_text(self) -> str:
        return self.tr("转办")

    def _call(self) -> Letter:
        return letters.route_letter(
            self._session,
            self._letter.id,
            self.department_combo.currentData(),
            self.handler_edit.text(),
            utc_from_edit(self.due_edit),
            self._letter.version,
        )


class ReplyDialog(LetterActionDialog):
    """登记答复: the letter was answered (in writing, by phone …)."""

    def __init__(
        self, session: Session, letter: Letter, store: AttachmentStore, parent: QWidget | None = None
    ) -> None:
        super().__init__(session, letter, parent)
        self._store = store
        self.setWindowTitle(self.tr("登记答复"))
        self.replied_edit = datetime_edit()
        self.replied_edit.setDateTime(local_qdatetime(session.clock.local_now()))
        self.errors.add_row(self.form, self.tr("答复日期"), "replied_at", self.replied_edit)
        self.channel_combo = choice_combo(self.tr("请选择"), letters.REPLY_CHANNELS, self.tr)
        self.errors.add_row(self.form, self.tr("答复方式"), "reply_channel", self.channel_combo)
        self.summary_edit = text_box(4, self.tr("答复了什么，问题如何处理"))
        self.errors.add_row(self.form, self.tr("答复内容"), "reply_summary", self.summary_edit)
        self.replied_by_edit = QLineEdit(letter.handler)
        self.errors.add_row(self.form, self.tr("答复人"), "replied_by", self.replied_by_edit)
        self.files = FilePicker(self, self.tr("选择答复文件"))
        FileDrops(self, self.files)  # dropped anywhere on the dialog
        self.errors.add_row(self.form, self.tr("答复文件"), "files", self.files)
        self._finish_layout(620, 520)

    def _ok_text(self) -> str:
        return self.tr("保存答复")

    def _call(self) -> Letter:
        return letters.record_reply(
            self._session,
            self._letter.id,
            replied_at=utc_from_edit(self.replied_edit),
            channel=self.channel_combo.currentData() or "",
            summary=self.summary_edit.toPlainText(),
            replied_by=self.replied_by_edit.text(),
            files=self.files.files(),
            store=self._store,
            expected_version=self._letter.version,
        )
