"""One call record: everything it holds (phone masked), what it created, its read-back and its
history, with an edit mode for corrections (:func:`reception.services.calls.update_call`).

If someone else (at another desk) corrected the call meanwhile, the save is refused: the dialog
then shows the newer record, and the operator's own changes are kept in a yellow box beside it,
from which they can be put back into the form (on top of the newer record) and saved again."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox
from PySide6.QtWidgets import QComboBox
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QFormLayout
from PySide6.QtWidgets import QFrame
from PySide6.QtWidgets import QGridLayout
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QPlainTextEdit
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from reception.clock import format_local
from reception.errors import ReceptionError
from reception.rules import phones
from reception.services import calls
from reception.services import cases
from reception.services import privacy
from reception.services.calls import CallEdit
from reception.services.calls import HistoryLine
from reception.services.records import Call
from reception.services.session import Role
from reception.services.session import Session
from ui.widgets import msgbox
from ui.widgets import palette
from ui.widgets.detail_dialog import fact_pair
from ui.widgets.detail_dialog import heading
from ui.widgets.detail_dialog import history_table
from ui.widgets.detail_dialog import push_button
from ui.widgets.forms import FieldErrors
from ui.widgets.forms import error_label
from ui.widgets.paged_model import RowsTableModel
from ui.widgets.revealed_number import RevealedNumber
from ui.widgets.saving import save_with_retry

_EDITABLE = ["caller_name", "caller_phone", "location", "identity_verified", "category", "content", "answer"]

_STYLE = f"""
QLabel#title {{ color: {palette.TITLE}; }}
QLabel#caption {{ color: {palette.MUTED}; }}
QFrame#readbackBox {{ background: {palette.READBACK_BG}; border: 1px solid {palette.READBACK_LINE};
                      border-radius: 6px; }}
QFrame#conflictBox {{ background: {palette.WARNING_BG}; border: 1px solid {palette.CONFLICT_LINE};
                      border-radius: 6px; }}
QLabel#conflictText {{ color: {palette.WARNING_DARK}; }}
QLineEdit[readOnly="true"], QPlainTextEdit[readOnly="true"] {{
    background: {palette.PANEL_BG}; border: 1px solid {palette.LINE}; }}
"""


class HistoryModel(RowsTableModel):
    headers = ("时间", "操作人", "内容")
    context = "HistoryModel"
    texts = (lambda _, row: format_local(row.at, "%Y-%m-%d %H:%M:%S"), "operator", "text")

    def tooltip(self, row: HistoryLine) -> str:
        return row.text


def _duration(seconds: int) -> str:
    minutes, secs = divmod(max(seconds, 0), 60)
    return f"{minutes:02d}:{secs:02d}"


class CallDetailDialog(QDialog):
    """``saved(call)`` after a correction was stored."""

    saved = Signal(object)

    def __init__(self, session: Session, call_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._call: Call = calls.get_call(call_id)
        self._editing = False
        self._mine: dict[str, object] = {}  # the operator's changes refused by a conflict
        self._shown_phone = ""
        self.setStyleSheet(_STYLE)
        self.resize(860, 720)
        self._build()
        self._load()

    # ---- building -------------------------------------------------------------------------
    def _build(self) -> None:
        # A refused correction: each message under its field, the rest above the buttons; the
        # window keeps its size (the history list gives way), its buttons stay on a small screen.
        self.general_error = error_label()
        self.errors = FieldErrors(self.general_error, _EDITABLE, fit=False)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        self.title_label = heading(self.font())
        layout.addWidget(self.title_label)

        facts = QGridLayout()
        facts.setHorizontalSpacing(16)
        facts.setVerticalSpacing(4)
        self.fact_labels: dict[str, QLabel] = {}
        names = [
            ("time", "登记时间"),
            ("duration", "通话时长"),
            ("operator", "首问接待人"),
            ("desk", "登记前台"),
            ("outcome", "处理结果"),
            ("department", "处理部门"),
            ("alerted", "紧急通知"),
            ("linked", "后续事项"),
        ]
        for i, (key, caption) in enumerate(names):
            cap, value = fact_pair(self.tr(caption))
            self.fact_labels[key] = value
            row, col = divmod(i, 2) if key != "linked" else (len(names) // 2, 0)
            facts.addWidget(cap, row, col * 2, Qt.AlignmentFlag.AlignTop)
            if key == "linked":
                facts.addWidget(value, row, 1, 1, 3)
            else:
                facts.addWidget(value, row, col * 2 + 1)
        facts.setColumnStretch(1, 1)
        facts.setColumnStretch(3, 1)
        layout.addLayout(facts)

        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setStyleSheet(f"color: {palette.LINE};")
        layout.addWidget(line)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setVerticalSpacing(4)
        self.name_edit = QLineEdit()
        self.phone_edit = QLineEdit()
        self.location_edit = QLineEdit()
        self.identity_check = QCheckBox(self.tr("身份已核实"))
        self.category_combo = QComboBox()
        for category in calls.CATEGORIES:
            self.category_combo.addItem(self.tr(category), category)
        self.content_edit = QPlainTextEdit()
        self.content_edit.setTabChangesFocus(True)
        self.content_edit.setMaximumHeight(90)
        self.answer_edit = QPlainTextEdit()
        self.answer_edit.setTabChangesFocus(True)
        self.answer_edit.setMaximumHeight(70)
        # Supervisors only (the service refuses anyone else): the full number, with a reason.
        self.reveal_button = push_button(self.tr("查看完整号码"), self.reveal_phone)
        self.reveal_button.setAutoDefault(False)
        self.reveal_button.setToolTip(self.tr("需填写查看原因，查看记入审计日志"))
        self.reveal_button.setVisible(self._session.has(Role.SUPERVISOR))
        who = self._line(
            (self.errors.wrap("caller_name", self.name_edit), 2),
            (self._inline_caption(self.tr("电话")), 0),
            (self.errors.wrap("caller_phone", self.phone_edit), 2),
            (self.reveal_button, 0),
            (self.errors.wrap("identity_verified", self.identity_check), 1),
        )
        form.addRow(self.tr("来电人"), who)
        self.revealed = RevealedNumber()  # the full number, in place, for a minute
        form.addRow("", self.revealed)
        where = self._line(
            (self.errors.wrap("location", self.location_edit), 3),
            (self._inline_caption(self.tr("类别")), 0),
            (self.errors.wrap("category", self.category_combo), 1),
        )
        form.addRow(self.tr("地址"), where)
        form.addRow(self.tr("来电内容"), self.errors.wrap("content", self.content_edit))
        form.addRow(self.tr("答复内容"), self.errors.wrap("answer", self.answer_edit))
        layout.addLayout(form)

        box = QFrame()
        box.setObjectName("readbackBox")
        column = QVBoxLayout(box)
        column.setContentsMargins(10, 6, 10, 6)
        readback_caption = QLabel(self.tr("复述要点"))
        readback_caption.setObjectName("caption")
        self.readback_label = QLabel()
        self.readback_label.setWordWrap(True)
        self.readback_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addWidget(readback_caption)
        column.addWidget(self.readback_label)
        layout.addWidget(box)

        history_caption = QLabel(self.tr("处理记录"))
        history_caption.setObjectName("caption")
        layout.addWidget(history_caption)
        self.history_model = HistoryModel(self)
        self.history_view = history_table(self.history_model, 2)
        layout.addWidget(self.history_view, 1)

        self.conflict_box = QFrame()
        self.conflict_box.setObjectName("conflictBox")
        conflict_row = QHBoxLayout(self.conflict_box)
        conflict_row.setContentsMargins(10, 6, 10, 6)
        self.conflict_label = QLabel()
        self.conflict_label.setObjectName("conflictText")
        self.conflict_label.setWordWrap(True)
        self.conflict_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reapply_button = push_button(self.tr("在最新内容上重新修改"), self.reapply_mine)
        self.reapply_button.setToolTip(self.tr("把您的修改填回表单（其余内容为最新内容），核对后再保存"))
        self.discard_button = push_button(self.tr("放弃我的修改"), self.discard_mine)
        conflict_row.addWidget(self.conflict_label, 1)
        for button in (self.reapply_button, self.discard_button):
            button.setAutoDefault(False)
            conflict_row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        self.conflict_box.hide()
        layout.addWidget(self.conflict_box)

        layout.addWidget(self.general_error)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.edit_button = push_button(self.tr("编辑"), self.start_edit)
        self.save_button = push_button(self.tr("保存修改"), self.save_edit)
        self.cancel_button = push_button(self.tr("取消修改"), self.cancel_edit)
        self.close_button = push_button(self.tr("关闭"), self.reject)
        for button in (self.edit_button, self.save_button, self.cancel_button, self.close_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        layout.addLayout(buttons)

    @staticmethod
    def _line(*parts: tuple[QWidget, int]) -> QWidget:
        """Fields side by side in one form row, each with its share of the width; the captions
        and buttons between them (no share) keep to the top, in line with the fields' text."""
        line = QWidget()
        row = QHBoxLayout(line)
        row.setContentsMargins(0, 0, 0, 0)
        for widget, share in parts:
            if share:
                row.addWidget(widget, share)
            else:
                row.addWidget(widget, 0, Qt.AlignmentFlag.AlignTop)
        return line

    @staticmethod
    def _inline_caption(text: str) -> QLabel:
        """A caption inside a form row, lined up with the text of the field beside it."""
        label = QLabel(text)
        label.setContentsMargins(8, 4, 0, 0)
        return label

    # ---- showing ------------------------------------------------------------------------------
    def call(self) -> Call:
        return self._call

    def _load(self) -> None:
        c = self._call
        self.setWindowTitle(self.tr("来电记录 {0}").format(c.serial))
        self.title_label.setText(self.tr("来电 {0}　{1}").format(c.serial, c.category))
        f = self.fact_labels
        f["time"].setText(format_local(c.saved_at, "%Y-%m-%d %H:%M"))
        f["duration"].setText(_duration(c.duration_s))
        f["operator"].setText(c.operator.display_name)
        f["desk"].setText(c.desk or self.tr("—"))
        f["outcome"].setText(c.outcome)
        dept = c.department.name if c.department else ""
        f["department"].setText("，".join(p for p in (dept, c.taken_by) if p) or self.tr("—"))
        if c.alerted_department is not None:
            f["alerted"].setText(
                self.tr("{0}（{1}）").format(
                    c.alerted_department.name, format_local(c.alerted_at, "%m-%d %H:%M")
                )
            )
        else:
            f["alerted"].setText(self.tr("—"))
        f["linked"].setText(self._linked_text() or self.tr("—"))
        self._shown_phone = phones.mask(c.caller_phone)
        self.name_edit.setText(c.caller_name)
        self.phone_edit.setText(self._shown_phone)
        self.reveal_button.setEnabled(bool(c.caller_phone))
        self.location_edit.setText(c.location)
        self.identity_check.setChecked(c.identity_verified)
        self.category_combo.setCurrentIndex(self.category_combo.findData(c.category))
        self.content_edit.setPlainText(c.content)
        self.answer_edit.setPlainText(c.answer)
        self.readback_label.setText(c.readback)
        self.history_model.set_rows(calls.call_history(c.id))
        self.history_view.resizeRowsToContents()
        self._set_editing(False)

    def _linked_text(self) -> str:
        c = self._call
        parts = []
        for case in cases.for_source("call", c.id):
            parts.append(
                self.tr("工单 {0}（{1}，{2} 前答复）").format(
                    case.serial, case.status, format_local(case.reply_due_at, "%m-%d %H:%M")
                )
            )
        for msg in c.messages:  # type: ignore[attr-defined]  # a peewee back-reference
            if msg.delivered_at:
                parts.append(self.tr("留言已转达给 {0}").format(msg.delivered_to))
            else:
                parts.append(self.tr("留言待转达"))
        for cb in c.callbacks:  # type: ignore[attr-defined]  # a peewee back-reference
            if cb.completed_at:
                parts.append(self.tr("已回电：{0}").format(cb.result))
            else:
                parts.append(self.tr("待回电（{0} 前）").format(format_local(cb.due_at, "%m-%d %H:%M")))
        return "；".join(parts)

    def reveal_phone(self) -> str | None:
        """查看完整号码 (supervisors): asks the reason, which goes into the audit log."""
        title = self.tr("查看完整号码")
        reason = msgbox.ask_text(self, title, self.tr("请填写查看原因（将记入审计日志）："))
        if reason is None:
            return None
        try:
            number = privacy.reveal_phone(self._session, "call", self._call.id, reason)
        except ReceptionError as exc:
            msgbox.error(self, title, exc.message)
            return None
        if number:
            self.revealed.reveal(self.tr("来电 {0} 的来电号码：").format(self._call.serial), number)
        else:
            msgbox.info(self, title, self.tr("这条来电没有留下号码。"))
        return number

    # ---- editing -----------------------------------------------------------------------------
    def is_editing(self) -> bool:
        return self._editing

    def _set_editing(self, editing: bool) -> None:
        self._editing = editing
        for edit in (self.name_edit, self.phone_edit, self.location_edit):
            edit.setReadOnly(not editing)
            edit.style().unpolish(edit)
            edit.style().polish(edit)
        for text in (self.content_edit, self.answer_edit):
            text.setReadOnly(not editing)
            text.style().unpolish(text)
            text.style().polish(text)
        self.identity_check.setEnabled(editing)
        self.category_combo.setEnabled(editing)
        self.edit_button.setVisible(not editing)
        self.save_button.setVisible(editing)
        self.cancel_button.setVisible(editing)
        self.save_button.setDefault(editing)
        self.errors.clear()

    def start_edit(self) -> None:
        self._set_editing(True)
        self.name_edit.setFocus()

    def cancel_edit(self) -> None:
        self._load()

    def _phone_value(self) -> str:
        text = self.phone_edit.text().strip()
        return self._call.caller_phone if text == self._shown_phone else text

    def build_edit(self) -> CallEdit:
        return CallEdit(
            caller_name=self.name_edit.text(),
            caller_phone=self._phone_value(),
            location=self.location_edit.text(),
            identity_verified=self.identity_check.isChecked(),
            category=self.category_combo.currentData() or "",
            content=self.content_edit.toPlainText(),
            answer=self.answer_edit.toPlainText(),
        )

    def save_edit(self) -> bool:
        if not self._editing:
            return False
        call = save_with_retry(
            self,
            self.tr("未能保存修改"),
            lambda: calls.update_call(
                self._session, self._call.id, self.build_edit(), expected_version=self._call.version
            ),
            on_invalid=self.errors.show_error,
            on_conflict=self._conflict,
        )
        if call is None:
            return False
        self._call = call
        self._mine = {}
        self.conflict_box.hide()
        self._load()
        self.saved.emit(call)
        return True

    # ---- someone else changed the call meanwhile ---------------------------------------------------
    def _changes(self) -> dict[str, object]:
        """The fields the operator changed in the form (name → the value typed)."""
        e = self.build_edit()
        return {name: getattr(e, name) for name in _EDITABLE if getattr(e, name) != getattr(self._call, name)}

    def _conflict(self) -> None:
        """The save was refused (a newer version exists): show the newer record and keep the
        operator's changes beside it."""
        mine = self._changes()
        try:
            newer = calls.get_call(self._call.id)
        except ReceptionError as exc:
            msgbox.error(self, self.tr("未能保存修改"), exc.message)
            return
        self._call = newer
        self._mine = mine
        self._load()  # the newer record, read-only
        self.conflict_label.setText(
            self.tr("这条记录刚被其他人修改，您的修改未保存。上面显示的是最新内容。\n您的修改：{0}").format(
                self._mine_text() or self.tr("（无）")
            )
        )
        self.conflict_box.show()
        msgbox.error(
            self,
            self.tr("未能保存修改"),
            self.tr(
                "这条记录已被其他人修改，您的修改未保存。\n窗口中已显示最新内容；"
                "您的修改保留在黄色提示框中，可点“在最新内容上重新修改”后核对保存。"
            ),
        )

    def _mine_text(self) -> str:
        captions = {
            "caller_name": self.tr("来电人"),
            "caller_phone": self.tr("电话"),
            "location": self.tr("地址"),
            "identity_verified": self.tr("身份核实"),
            "category": self.tr("类别"),
            "content": self.tr("来电内容"),
            "answer": self.tr("答复内容"),
        }
        parts = []
        for name, value in self._mine.items():
            if name == "caller_phone":
                shown = phones.mask(str(value))
            elif name == "identity_verified":
                shown = self.tr("已核实") if value else self.tr("未核实")
            else:
                shown = " ".join(str(value).split())
            parts.append(f"{captions[name]}：{shown or self.tr('（空）')}")
        return "；".join(parts)

    def has_refused_changes(self) -> bool:
        return bool(self._mine)

    def reapply_mine(self) -> None:
        """Edit the newer record with the operator's changes put back into the form."""
        mine, self._mine = self._mine, {}
        self.conflict_box.hide()
        self._set_editing(True)
        for name, value in mine.items():
            if name == "caller_name":
                self.name_edit.setText(str(value))
            elif name == "caller_phone":
                self.phone_edit.setText(str(value))
            elif name == "location":
                self.location_edit.setText(str(value))
            elif name == "identity_verified":
                self.identity_check.setChecked(bool(value))
            elif name == "category":
                self.category_combo.setCurrentIndex(self.category_combo.findData(value))
            elif name == "content":
                self.content_edit.setPlainText(str(value))
            elif name == "answer":
                self.answer_edit.setPlainText(str(value))
        self.name_edit.setFocus()

    def discard_mine(self) -> None:
        self._mine = {}
        self.conflict_box.hide()

    def error_text(self, field: str) -> str:
        return self.errors.message(field)

    def _dirty(self) -> bool:
        c = self._call
        e = self.build_edit()
        return (
            e.caller_name != c.caller_name
            or e.caller_phone != c.caller_phone
            or e.location != c.location
            or e.identity_verified != c.identity_verified
            or e.category != c.category
            or e.content != c.content
            or e.answer != c.answer
        )

    def reject(self) -> None:
        if ((self._editing and self._dirty()) or self._mine) and not msgbox.ask(
            self, self.tr("放弃修改"), self.tr("修改尚未保存，确定放弃吗？")
        ):
            return
        super().reject()
