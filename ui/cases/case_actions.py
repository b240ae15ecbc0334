"""The small forms of a case's workflow, one per service call: 派单/转派, 接单, 答复 (with the
knowledge base), 处理完成, 回访, 关闭, 重新打开, 外部联络.

Each form calls one function of :mod:`reception.services.cases`; ``done_with(case)`` carries the updated
case back to the detail dialog. A refused save (ValidationError, ConflictError) is handled as
:mod:`ui.widgets.action_dialog` describes: after a conflict the form stays open with what the operator
typed, to be checked against the newer case and saved again (against the newer version) or
cancelled."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QWidget

from reception.services import cases
from reception.services.records import Case
from reception.services.session import Session
from ui.widgets import palette
from ui.widgets.action_dialog import ActionDialog
from ui.widgets.action_dialog import department_combo
from ui.widgets.dialog_parts import text_box
from ui.widgets.form_parts import ChoiceRow

if TYPE_CHECKING:
    from ui.widgets.knowledge_picker import KnowledgePicker

STYLE = f"""
QLabel#hint {{ color: {palette.MUTED}; }}
QLabel#warn {{ color: {palette.WARNING_DARK}; background: {palette.WARNING_BG};
               border: 1px solid {palette.WARNING_LINE};
              border-radius: 4px; padding: 4px 8px; }}
"""


class CaseActionDialog(ActionDialog):
    """A form of a case's workflow, headed by the case's number, category and place."""

    def __init__(self, session: Session, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(session, STYLE, parent)
        self._case = case
        self.head_label.setText(
            self.tr("{0}　{1}　{2}").format(
                case.serial, self.tr(case.category), case.place_key or case.location
            )
        )

    def _reread(self) -> str:
        self._case = cases.get_case(self._case.id)
        return self._case.status

    def _conflict_texts(self) -> tuple[str, str, str]:
        return (
            self.tr("已被其他人更新"),
            self.tr(
                "这张工单刚被其他人更新（现在状态：{0}），您的操作未保存。工单详情已显示最新内容；"
                "您填写的内容仍在这里，请核对后再点“{1}”，或点“取消”放弃。"
            ),
            self.tr(
                "这张工单已被其他人更新，您的操作未保存。\n工单详情已刷新为最新内容；"
                "您填写的内容仍保留在窗口中，请核对后再保存。"
            ),
        )


class DispatchDialog(CaseActionDialog):
    """派单 / 转派: the department (and the person there) that handles the case."""

    def __init__(self, session: Session, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(session, case, parent)
        again = case.department_id is not None
        self.setWindowTitle(self.tr("转派工单") if again else self.tr("派单"))
        self.department_combo = department_combo(self.tr("请选择部门"), case.department_id)
        self.errors.add_row(self.form, self.tr("处理部门"), "department", self.department_combo)
        self.handler_edit = QLineEdit(case.handler if again else "")
        self.handler_edit.setPlaceholderText(self.tr("如：刘师傅（可不填）"))
        self.errors.add_row(self.form, self.tr("处理人"), "handler", self.handler_edit)
        self.note_edit = text_box(3, self.tr("转派原因或交代事项（可不填）"))
        self.errors.add_row(self.form, self.tr("说明"), "note", self.note_edit)
        self._finish_layout()

    def _ok_text(self) -> str:
        return self.tr("派单")

    def _call(self) -> Case:
        return cases.dispatch(
            self._session,
            self._case.id,
            self.department_combo.currentData(),
            self.handler_edit.text(),
            self._case.version,
            self.note_edit.toPlainText(),
        )


class AcknowledgeDialog(CaseActionDialog):
    """接单: the department confirms it has the case."""

    def __init__(self, session: Session, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(session, case, parent)
        self.setWindowTitle(self.tr("接单"))
        dept = QLabel(case.department.name if case.department else self.tr("—"))
        self.form.addRow(self.tr("处理部门"), dept)
        self.who_edit = QLineEdit(case.handler)
        self.who_edit.setPlaceholderText(self.tr("接单人姓名"))
        self.errors.add_row(self.form, self.tr("接单人"), "handler", self.who_edit)
        self._finish_layout(440)

    def _ok_text(self) -> str:
        return self.tr("确认接单")

    def _call(self) -> Case:
        return cases.acknowledge(self._session, self._case.id, self.who_edit.text(), self._case.version)


class ReplyDialog(CaseActionDialog):
    """答复: what the resident was told; a standard answer can be inserted from the knowledge base."""

    def __init__(self, session: Session, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(session, case, parent)
        self.setWindowTitle(self.tr("答复业户"))
        self.picker: KnowledgePicker | None = None
        self.text_edit = text_box(6, self.tr("告诉业户的处理安排或解释"))
        self.text_edit.setPlainText(case.reply_text)
        self.text_edit.moveCursor(QTextCursor.MoveOperation.End)
        self.knowledge_button = QPushButton(self.tr("知识库…"))
        self.knowledge_button.setAutoDefault(False)
        self.knowledge_button.setToolTip(self.tr("从知识库插入标准答复"))
        self.knowledge_button.clicked.connect(self.open_knowledge)
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.text_edit, 1)
        row.addWidget(self.knowledge_button, 0, Qt.AlignmentFlag.AlignTop)
        self.errors.add_row(self.form, self.tr("答复内容"), "reply_text", box)
        self.errors.widgets["reply_text"] = self.text_edit
        if session.now() > case.reply_due_at:
            late = QLabel(self.tr("已超过答复期限，将记为超时答复。"))
            late.setObjectName("warn")
            self.form.addRow("", late)
        self._finish_layout(620)

    def _ok_text(self) -> str:
        return self.tr("保存答复")

    def open_knowledge(self):
        from ui.widgets.knowledge_picker import KnowledgePicker

        picker = KnowledgePicker(self._session, self, self._case.category)
        if not picker.titles():
            picker.search_edit.clear()
        picker.picked.connect(self.insert_text)
        picker.finished.connect(picker.deleteLater)
        self.picker = picker
        picker.open()
        return picker

    def insert_text(self, text: str) -> None:
        cursor = self.text_edit.textCursor()
        cursor.insertText(text)
        self.text_edit.setTextCursor(cursor)
        self.text_edit.setFocus()

    def _call(self) -> Case:
        return cases.reply(self._session, self._case.id, self.text_edit.toPlainText(), self._case.version)


@dataclass(frozen=True)
class NoteStep:
    """A step of the workflow that takes one note: the service call ``(session, case id, note,
    version)``, the dialog's title, the note's label and placeholder, the OK button's text, the
    note's height in lines and an optional hint under it (texts translated by the dialog)."""

    call: Callable[[Session, int, str, int], Case]
    title: str
    label: str
    placeholder: str
    ok: str
    rows: int = 3
    hint: str = ""


class NoteDialog(CaseActionDialog):
    """处理完成, 关闭, 重新打开: one note and the subclass's ``step``."""

    step: NoteStep

    def __init__(self, session: Session, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(session, case, parent)
        step = self.step
        self.setWindowTitle(self.tr(step.title))
        self.note_edit = text_box(step.rows, self.tr(step.placeholder))
        self.errors.add_row(self.form, self.tr(step.label), "note", self.note_edit)
        if step.hint:
            hint = QLabel(self.tr(step.hint))
            hint.setObjectName("hint")
            hint.setWordWrap(True)
            self.form.addRow("", hint)
        self._finish_layout()

    def _ok_text(self) -> str:
        return self.tr(self.step.ok)

    def _call(self) -> Case:
        return self.step.call(self._session, self._case.id, self.note_edit.toPlainText(), self._case.version)


class FinishDialog(NoteDialog):
    """处理完成: the matter is dealt with; the case then waits for the return visit."""

    step = NoteStep(
        cases.finish,
        "处理完成",
        "处理结果",
        "如何处理的、结果如何",
        "处理完成",
        4,
        "处理完成后工单转为“待回访”，回访业户满意后方可关闭。",
    )


class ReturnVisitDialog(CaseActionDialog):
    """回访: the resident's verdict. 不满意 reopens the case (back to 处理中)."""

    def __init__(self, session: Session, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(session, case, parent)
        self.setWindowTitle(self.tr("回访业户"))
        self.results = ChoiceRow(self, {result: self.tr(result) for result in cases.VISIT_RESULTS})
        self.result_group = self.results.group
        self.result_buttons = self.results.buttons
        self.errors.add_row(self.form, self.tr("回访结果"), "result", self.results.box)
        self.comment_edit = text_box(3, self.tr("业户的意见（不满意时必填）"))
        self.errors.add_row(self.form, self.tr("回访记录"), "comment", self.comment_edit)
        self.reopen_hint = QLabel(
            self.tr("业户不满意：保存后工单将重新打开，转回“处理中”，需再次答复和处理。")
        )
        self.reopen_hint.setObjectName("warn")
        self.reopen_hint.setWordWrap(True)
        self.reopen_hint.hide()
        self.form.addRow("", self.reopen_hint)
        self.result_group.idToggled.connect(self._result_changed)
        self._finish_layout(560)

    def _ok_text(self) -> str:
        return self.tr("保存回访")

    def visit_result(self) -> str:
        return self.results.chosen()

    def choose(self, result: str) -> None:
        self.results.choose(result)

    def _result_changed(self, *_args: object) -> None:
        self.reopen_hint.setVisible(self.visit_result() == cases.UNSATISFIED)

    def _call(self) -> Case:
        return cases.record_return_visit(
            self._session, self._case.id, self.visit_result(), self.comment_edit.toPlainText()
        )


class CloseDialog(NoteDialog):
    """关闭: after a satisfied return visit (or three unanswered attempts)."""

    step = NoteStep(cases.close, "关闭工单", "关闭说明", "可不填", "关闭工单")


class ReopenDialog(NoteDialog):
    """重新打开: back to 处理中, with the reason."""

    step = NoteStep(cases.reopen, "重新打开工单", "原因", "为什么重新打开", "重新打开")


class LiaisonDialog(CaseActionDialog):
    """外部联络 (市政设施): one contact with the outside agency."""

    def __init__(self, session: Session, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(session, case, parent)
        self.setWindowTitle(self.tr("外部联络记录"))
        self.agency_edit = QLineEdit(case.agency)
        self.agency_edit.setPlaceholderText(self.tr("如：自来水公司、供电局营业厅"))
        self.errors.add_row(self.form, self.tr("联系单位"), "agency", self.agency_edit)
        self.contact_edit = QLineEdit()
        self.contact_edit.setPlaceholderText(self.tr("对方姓名或工号（可不填）"))
        self.errors.add_row(self.form, self.tr("对方联系人"), "contact", self.contact_edit)
        self.said_edit = text_box(4, self.tr("对方的答复，如预计恢复时间"))
        self.errors.add_row(self.form, self.tr("沟通内容"), "said", self.said_edit)
        self._finish_layout(560)

    def _ok_text(self) -> str:
        return self.tr("保存记录")

    def _call(self) -> Case:
        cases.add_liaison(
            self._session,
            self._case.id,
            self.agency_edit.text(),
            self.contact_edit.text(),
            self.said_edit.toPlainText(),
        )
        return cases.get_case(self._case.id)
