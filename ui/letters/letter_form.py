"""The register form (来函登记): when and how the letter came, who sent it (optionally a
resident), what it is about, the reply deadline (the letter type's default, editable), an
optional immediate routing to a department, and the scanned pages or other files — added with
a button or dropped onto the form.

The form gathers input and calls :func:`reception.services.letters.register_letter`; every rule lives
in the service. On an error the messages appear beside the fields and everything typed and
every chosen file stays."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import uuid4

from PySide6.QtCore import Qt
from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtGui import QShortcut
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QComboBox
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QFrame
from PySide6.QtWidgets import QGridLayout
from PySide6.QtWidgets import QGroupBox
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QPlainTextEdit
from PySide6.QtWidgets import QScrollArea
from PySide6.QtWidgets import QSpinBox
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from reception.clock import to_local
from reception.errors import ReceptionError
from reception.services import cases
from reception.services import letters
from reception.services import settings as settings_mod
from reception.services.letters import LetterInput
from reception.services.records import AttachmentStore
from reception.services.records import Letter
from reception.services.records import Resident
from reception.services.residents import room_label
from reception.services.session import Session
from ui.letters.letter_files import FileDrops
from ui.letters.letter_files import FilePicker
from ui.widgets import fields
from ui.widgets import msgbox
from ui.widgets import palette
from ui.widgets.action_dialog import department_combo
from ui.widgets.drafts_support import DraftKeeper
from ui.widgets.drafts_support import notice_label
from ui.widgets.drafts_support import token_of
from ui.widgets.fields import COMBO
from ui.widgets.fields import DATETIME
from ui.widgets.fields import PLAIN
from ui.widgets.fields import RESIDENT
from ui.widgets.fields import SPIN
from ui.widgets.fields import TEXT
from ui.widgets.fields import Field
from ui.widgets.form_parts import SaveLock
from ui.widgets.form_parts import datetime_edit
from ui.widgets.form_parts import local_qdatetime
from ui.widgets.form_parts import restore_saying
from ui.widgets.form_parts import utc_from_edit
from ui.widgets.forms import FieldErrors
from ui.widgets.forms import dialog_buttons
from ui.widgets.forms import error_label
from ui.widgets.saving import save_with_retry

STYLE = f"""
QLabel#hint {{ color: {palette.DONE}; }}
QLabel#residentChip {{ color: {palette.OK}; }}
QLabel#promise {{ color: {palette.PENDING}; }}
QFrame#filePicker QListWidget {{ background: {palette.LIST_BG}; }}
"""


def choice_combo(placeholder: str, values: list[str], tr) -> QComboBox:
    """A list of choices; ``placeholder`` is shown greyed while nothing is chosen — it is not an
    item, so Enter or a stray arrow never picks 「请选择」 (type the first letters to choose)."""
    combo = QComboBox()
    for value in values:
        combo.addItem(tr(value), value)
    if placeholder:
        combo.setPlaceholderText(placeholder)
        combo.setCurrentIndex(-1)
    return combo


class LetterForm(QDialog):
    """Register one letter. ``saved(letter)`` after it was stored; the dialog then closes."""

    saved = Signal(object)

    def __init__(self, session: Session, store: AttachmentStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._store = store
        self._token = uuid4().hex
        self.saving = SaveLock()
        self._due_touched = False
        self._setting_due = False
        self._shown = False
        self.letter: Letter | None = None
        self.missing_files: list[Path] = []
        self.saved_text = ""
        self.setWindowTitle(self.tr("登记来函"))
        self.setStyleSheet(STYLE)
        self._build()
        self._declare_fields()
        self._fit_screen()
        self._reset_times()
        self.draft = DraftKeeper(self, "letter", session)
        self.draft.watch_inputs()
        self.draft.watch(self.files.changed)
        shortcut = QShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Return), self)
        shortcut.activated.connect(self.save)

    # ---- building -----------------------------------------------------------------------
    def _build(self) -> None:
        tr = self.tr
        self.general_error = error_label(self)
        self.errors = FieldErrors(self.general_error)

        # -- the letter
        letter_box, form = fields.form_group(tr("来函信息"))
        self.received_edit = datetime_edit()
        self.errors.add_row(form, tr("收到时间"), "received_at", self.received_edit)
        self.channel_combo = choice_combo(tr("请选择"), letters.CHANNELS, tr)
        self.errors.add_row(form, tr("来函方式"), "channel", self.channel_combo)
        self.type_combo = choice_combo(tr("请选择"), letters.TYPES, tr)
        self.errors.add_row(form, tr("来函类别"), "letter_type", self.type_combo)
        self.due_edit = datetime_edit()
        self.promise_label = QLabel()
        self.promise_label.setObjectName("promise")
        self.promise_label.setWordWrap(True)
        self.errors.add_row(
            form, tr("答复期限"), "reply_due_at", self.due_edit, note=self.promise_label, spacing=1
        )
        self.confidentiality_combo = choice_combo("", letters.CONFIDENTIALITY, tr)
        self.errors.add_row(form, tr("密级"), "confidentiality", self.confidentiality_combo)
        self.pages_spin = QSpinBox()
        self.pages_spin.setRange(0, 9999)
        self.pages_spin.setValue(1)
        self.pages_spin.setSuffix(tr(" 页"))
        self.errors.add_row(form, tr("页数"), "pages", self.pages_spin)

        # -- the sender
        sender_box, form = fields.form_group(tr("来函人"))
        self.sender_edit = QLineEdit()
        self.sender_edit.setPlaceholderText(tr("姓名，或单位联系人"))
        self.errors.add_row(form, tr("来函人"), "sender_name", self.sender_edit)
        from ui.widgets.resident_lookup import ResidentLookup

        self.lookup = ResidentLookup()
        self.lookup.picked.connect(self._resident_picked)
        self.lookup.cleared.connect(self._resident_cleared)
        self.resident_chip = QLabel(tr("来函人是本小区住户时可关联，便于查找往来记录"))
        self.resident_chip.setObjectName("hint")
        self.resident_chip.setWordWrap(True)
        self.errors.add_row(form, tr("关联住户"), "resident", self.lookup, note=self.resident_chip, spacing=1)
        self.organisation_edit = QLineEdit()
        self.organisation_edit.setPlaceholderText(tr("来函单位（个人来函可不填）"))
        self.errors.add_row(form, tr("单位"), "organisation", self.organisation_edit)
        self.contact_edit = QLineEdit()
        self.contact_edit.setPlaceholderText(tr("电话、地址或电子邮箱"))
        self.errors.add_row(form, tr("联系方式"), "contact", self.contact_edit)
        self.sender_ref_edit = QLineEdit()
        self.sender_ref_edit.setPlaceholderText(tr("对方的发文编号，如：业委会〔2026〕12号"))
        self.errors.add_row(form, tr("来函文号"), "sender_ref", self.sender_ref_edit)

        # -- what it is about
        content_box, form = fields.form_group(tr("来函内容"))
        self.subject_edit = QLineEdit()
        self.errors.add_row(form, tr("标题"), "subject", self.subject_edit)
        self.summary_edit = QPlainTextEdit()
        self.summary_edit.setTabChangesFocus(True)
        self.summary_edit.setPlaceholderText(tr("来函的主要内容和诉求"))
        line = self.summary_edit.fontMetrics().lineSpacing()
        self.summary_edit.setMinimumHeight(line * 4 + 14)
        self.errors.add_row(form, tr("内容摘要"), "summary", self.summary_edit)

        # -- routing (optional)
        route_box, form = fields.form_group(tr("分办（可稍后在详情中转办）"))
        self.department_combo = department_combo(tr("暂不分办"))
        self.errors.add_row(form, tr("承办部门"), "department", self.department_combo)
        self.handler_edit = QLineEdit()
        self.errors.add_row(form, tr("承办人"), "handler", self.handler_edit)
        self.case_hint = QLabel()
        self.case_hint.setObjectName("promise")
        self.case_hint.setWordWrap(True)
        form.addRow(self.case_hint)

        # -- files
        files_box = QGroupBox(tr("附件（扫描件、照片等）"))
        files_layout = QVBoxLayout(files_box)
        self.files = FilePicker(self, tr("选择来函附件"))
        FileDrops(self, self.files)  # dropped anywhere on the form
        files_layout.addWidget(self.files)

        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(8)
        grid.addWidget(letter_box, 0, 0)
        grid.addWidget(sender_box, 0, 1)
        grid.addWidget(content_box, 1, 0, 1, 2)
        grid.addWidget(route_box, 2, 0)
        grid.addWidget(files_box, 2, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(1, 1)

        buttons, self.save_button, self.cancel_button = dialog_buttons(tr("保存登记"), tr("取消"))
        self.save_button.setToolTip(tr("回车或 Ctrl+Enter 保存"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        self.draft_notice = notice_label()
        layout.addWidget(self.draft_notice)
        # The fields scroll (after validation errors they grow); 保存 stays in sight below them.
        inputs = QWidget()
        inputs.setLayout(grid)
        self.fields_scroll = QScrollArea()
        self.fields_scroll.setWidgetResizable(True)
        self.fields_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.fields_scroll.setWidget(inputs)
        layout.addWidget(self.fields_scroll, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.general_error, 1)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)

        self.received_edit.dateTimeChanged.connect(self._update_default_due)
        self.type_combo.currentIndexChanged.connect(self._type_changed)
        self.due_edit.dateTimeChanged.connect(self._due_edited)

    def _fit_screen(self) -> None:
        """1000×700, or less on a small desk monitor (1366×768 less the taskbar)."""
        from ui.widgets.detail_dialog import fit_screen

        self.resize(*fit_screen(self, 1000, 700))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown:
            self._shown = True
            self.sender_edit.setFocus(Qt.FocusReason.OtherFocusReason)  # the first text field

    # ---- state -----------------------------------------------------------------------------
    def set_session(self, session: Session) -> None:
        """Another operator: what was typed is kept as the previous operator's draft."""
        self._session = session
        self.draft.hand_over(session)

    def client_token(self) -> str:
        return self._token

    def has_content(self) -> bool:
        return fields.has_content(self.fields) or bool(self.files.files())

    def _reset_times(self) -> None:
        now = self._session.clock.local_now()
        self.received_edit.setDateTime(local_qdatetime(now))
        self._update_default_due()

    def _type_changed(self, *_args: object) -> None:
        letter_type = self.type_combo.currentData() or ""
        if letter_type == letters.COMPLAINT:
            self.case_hint.setText(
                self.tr("投诉来函须指定承办部门；保存后自动生成投诉工单，按承诺时限答复来函人。")
            )
        else:
            self.case_hint.clear()
        self._update_default_due()

    def _update_default_due(self, *_args: object) -> None:
        letter_type = self.type_combo.currentData() or ""
        received = utc_from_edit(self.received_edit)
        default = to_local(letters.default_due(letter_type or "其他", received))
        hours = settings_mod.load().letter_reply_hours.get(letter_type or "其他", 168)
        span = (
            self.tr("{0} 小时").format(hours)
            if hours < 48 or hours % 24
            else self.tr("{0} 天").format(hours // 24)
        )
        if letter_type:
            self.promise_label.setText(self.tr("“{0}”类来函默认 {1}内答复").format(letter_type, span))
        else:
            self.promise_label.setText(self.tr("默认 {0}内答复（选择类别后按类别计算）").format(span))
        if not self._due_touched:
            self._setting_due = True
            self.due_edit.setDateTime(local_qdatetime(default))
            self._setting_due = False

    def _due_edited(self, *_args: object) -> None:
        if not self._setting_due:
            self._due_touched = True

    def _resident_picked(self, resident: Resident) -> None:
        room = room_label(resident.building, resident.unit, resident.room)
        self.resident_chip.setObjectName("residentChip")
        self.resident_chip.setStyleSheet(f"color: {palette.OK};")
        self.resident_chip.setText(self.tr("已关联住户：{0}（{1}）").format(resident.name, room))
        if not self.sender_edit.text().strip():
            self.sender_edit.setText(resident.name)

    def _resident_cleared(self) -> None:
        self.resident_chip.setStyleSheet("")
        self.resident_chip.setText(self.tr("未关联住户"))

    # ---- saving -----------------------------------------------------------------------------
    def build_input(self) -> LetterInput:
        resident = self.lookup.resident()
        return LetterInput(
            received_at=utc_from_edit(self.received_edit),
            channel=self.channel_combo.currentData() or "",
            letter_type=self.type_combo.currentData() or "",
            sender_name=self.sender_edit.text(),
            organisation=self.organisation_edit.text(),
            contact=self.contact_edit.text(),
            sender_ref=self.sender_ref_edit.text(),
            resident_id=resident.id if resident is not None else None,
            subject=self.subject_edit.text(),
            summary=self.summary_edit.toPlainText(),
            pages=self.pages_spin.value(),
            confidentiality=self.confidentiality_combo.currentData() or "",
            department_id=self.department_combo.currentData(),
            handler=self.handler_edit.text(),
            reply_due_at=utc_from_edit(self.due_edit),
            files=self.files.files(),
            client_token=self._token,
        )

    def error_text(self, field: str) -> str:
        return self.errors.message(field)

    def save(self) -> Letter | None:
        letter = self.saving.run(self._register)
        if letter is None:
            return None
        self.letter = letter
        self.draft.discard()
        self.saved_text = self._saved_text(letter)  # shown in the tab's banner, not in a box
        self.saved.emit(letter)
        self.done(QDialog.DialogCode.Accepted)
        return letter

    def _register(self) -> Letter | None:
        self.errors.clear()

        def refused(exc: ReceptionError) -> None:  # a file that is gone or too big
            self.errors.show_general(exc.message)
            msgbox.error(self, self.tr("未能保存"), exc.message)

        return save_with_retry(
            self,
            self.tr("未能保存"),
            lambda: letters.register_letter(self._session, self.build_input(), self._store),
            on_invalid=self.errors.show_error,
            on_error=refused,
        )

    def _saved_text(self, letter: Letter) -> str:
        text = self.tr("编号 {0}，收文编号 {1}。").format(letter.serial, letter.receipt_no)
        if letter.department is not None:
            text += self.tr("\n已转{0}办理").format(letter.department.name)
            if letter.handler:
                text += self.tr("（{0}）").format(letter.handler)
            text += self.tr("，答复期限 {0}。").format(
                to_local(letter.reply_due_at).strftime("%Y-%m-%d %H:%M")
            )
        else:
            text += self.tr("\n待分办：请在列表中打开这份来函，转办到承办部门。")
        if letter.letter_type == letters.COMPLAINT:
            serials = "、".join(case.serial for case in cases.for_source("letter", letter.id))
            text += self.tr("\n投诉来函已自动生成投诉工单 {0}，请跟进答复。").format(serials)
        return text

    def reject(self) -> None:
        if not self.draft.throw_away(self.tr("放弃登记"), self.tr("这份来函还没有保存，确定要放弃吗？")):
            return
        super().reject()

    # ---- drafts ------------------------------------------------------------------------------
    def _declare_fields(self) -> None:
        """The inputs, in the order they are restored (the letter type before the reply due
        time it proposes). The chosen files are kept beside them (see :meth:`draft_state`)."""
        self.fields = [
            Field("channel", self.channel_combo, "channel", COMBO, content=False, empty=""),
            Field("letter_type", self.type_combo, "letter_type", COMBO, content=False, empty=""),
            Field("received_at", self.received_edit, "received_at", DATETIME),
            Field("reply_due_at", self.due_edit, "reply_due_at", DATETIME),
            Field(
                "confidentiality",
                self.confidentiality_combo,
                "confidentiality",
                COMBO,
                content=False,
                empty=letters.CONFIDENTIALITY[0],
            ),
            Field("pages", self.pages_spin, "pages", SPIN),
            Field("sender_name", self.sender_edit, "sender_name", TEXT),
            Field(
                "resident", self.lookup, "resident_text", RESIDENT, id_key="resident_id", text_if_gone=False
            ),
            Field("organisation", self.organisation_edit, "organisation", TEXT),
            Field("contact", self.contact_edit, "contact", TEXT),
            Field("sender_ref", self.sender_ref_edit, "sender_ref", TEXT),
            Field("subject", self.subject_edit, "subject", TEXT),
            Field("summary", self.summary_edit, "summary", PLAIN),
            Field("department", self.department_combo, "department_id", COMBO, content=False),
            Field("handler", self.handler_edit, "handler", TEXT),
        ]

    def draft_state(self) -> dict[str, Any]:
        """What was typed and the chosen files' paths, as plain values."""
        return {
            **fields.draft_values(self.fields),
            "token": self._token,
            "reply_due_touched": self._due_touched,
            "files": [str(path) for path in self.files.files()],
        }

    def restore_draft(self, state: dict[str, Any]) -> None:
        """Fill the form from :meth:`draft_state`'s values. Files that are gone are left out
        (see :attr:`missing_files`); so is a resident no longer on file."""
        touched = bool(state.get("reply_due_touched"))
        fields.restore_values(
            self.fields, state if touched else {k: v for k, v in state.items() if k != "reply_due_at"}
        )
        if touched:
            self._due_touched = True
        resident = self.lookup.resident()
        if resident is not None:
            self._resident_picked(resident)
        files = state.get("files")
        paths = [Path(p) for p in files if isinstance(p, str)] if isinstance(files, list) else []
        self.missing_files = [p for p in paths if not p.is_file()]
        self.files.add_files([p for p in paths if p.is_file()])
        self._token = token_of(state, self._token)

    def restore_saved_draft(self) -> bool:
        """The operator's draft, if the form is empty and there is one; says so."""
        return restore_saying(self.draft, self._show_restored)

    def _show_restored(self, text: str) -> None:
        if self.missing_files:
            names = "、".join(p.name for p in self.missing_files)
            text += self.tr("（以下附件已找不到，请重新添加：{0}）").format(names)
        self.draft_notice.setText(text)
        self.draft_notice.show()
