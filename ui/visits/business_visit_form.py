"""业户办事 (规程：业户来访接待工作规程 — 交费、租房、二次装修、入伙、投诉): the resident at the
desk, what they came for, the department that handles it with the guidance to give, and what
was done. A complaint becomes a case (工单) in the core; the form says so."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from PySide6.QtCore import Qt
from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCheckBox
from PySide6.QtWidgets import QComboBox
from PySide6.QtWidgets import QFrame
from PySide6.QtWidgets import QGroupBox
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QListWidget
from PySide6.QtWidgets import QListWidgetItem
from PySide6.QtWidgets import QPlainTextEdit
from PySide6.QtWidgets import QSpinBox
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from reception.clock import format_local_day_time
from reception.errors import ReceptionError
from reception.errors import ValidationError
from reception.rules import phones
from reception.services import cases
from reception.services import departments
from reception.services import residents
from reception.services import settings as settings_mod
from reception.services import visits
from reception.services.records import Resident
from reception.services.records import Visit
from reception.services.session import Session
from ui.visits.visit_widgets import Banner
from ui.widgets import fields
from ui.widgets import msgbox
from ui.widgets import palette
from ui.widgets.drafts_support import DraftKeeper
from ui.widgets.drafts_support import token_of
from ui.widgets.fields import CHECK
from ui.widgets.fields import COMBO
from ui.widgets.fields import PLAIN
from ui.widgets.fields import RESIDENT
from ui.widgets.fields import SPIN
from ui.widgets.fields import TEXT
from ui.widgets.fields import Field
from ui.widgets.fields import form_group
from ui.widgets.fields import form_layout
from ui.widgets.form_parts import SaveLock
from ui.widgets.form_parts import SaveStatus
from ui.widgets.form_parts import add_save_shortcuts
from ui.widgets.form_parts import enter_saves_escape_discards
from ui.widgets.form_parts import form_button
from ui.widgets.form_parts import restore_saying
from ui.widgets.form_parts import save_button
from ui.widgets.forms import FieldErrors
from ui.widgets.forms import ascii_only
from ui.widgets.forms import error_label
from ui.widgets.resident_lookup import ResidentLookup
from ui.widgets.saving import save_with_retry


class BusinessVisitForm(QFrame):
    """``saved(Visit)`` after each save."""

    saved = Signal(object)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._token = uuid4().hex
        self.general_error = error_label()
        self.errors = FieldErrors(self.general_error, fit=False)
        self._build()
        self._declare_fields()
        self.errors.order = [f.name for f in self.fields]  # the first field in error gets the focus
        self.saving = SaveLock(self.save_button)
        add_save_shortcuts(self, self.save)
        self.reset()
        self.draft = DraftKeeper(self, "business", session)
        self.draft.watch_inputs()

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.setSpacing(8)
        columns = QHBoxLayout()
        columns.setSpacing(12)

        who, form = form_group(self.tr("来访业户"))
        self.lookup = ResidentLookup()
        self.lookup.picked.connect(self._picked)
        self.lookup.cleared.connect(self._cleared)
        form.addRow(self.tr("业户"), self.errors.wrap("resident", self.lookup))
        self.errors.alias("visitor_name", "resident")
        self.resident_info = QLabel()
        self.resident_info.setStyleSheet(f"color: {palette.OK};")
        self.resident_info.setWordWrap(True)
        form.addRow("", self.resident_info)
        self.location_edit = QLineEdit()
        self.location_edit.setPlaceholderText(self.tr("房号，如 3栋2单元1201（选中业户后自动填写）"))
        form.addRow(self.tr("房号"), self.errors.wrap("location", self.location_edit))
        self.phone_edit = QLineEdit()
        ascii_only(self.phone_edit)
        self.phone_edit.setPlaceholderText(self.tr("档案中没有的业户请留电话"))
        form.addRow(self.tr("联系电话"), self.errors.wrap("visitor_phone", self.phone_edit))
        self.purpose_combo = QComboBox()
        self.purpose_combo.setPlaceholderText(self.tr("请选择办理事项"))
        for purpose in visits.BUSINESS_PURPOSES:
            self.purpose_combo.addItem(self.tr(purpose), purpose)
        self.purpose_combo.currentIndexChanged.connect(self._purpose_changed)
        form.addRow(self.tr("办理事项"), self.errors.wrap("purpose", self.purpose_combo))
        left = QVBoxLayout()
        left.setSpacing(6)
        left.addWidget(who)
        left.addWidget(self._build_follow_ups(), 1)
        columns.addLayout(left, 1)

        what = QGroupBox(self.tr("引导与办理"))
        column = QVBoxLayout(what)
        self.guidance = Banner()
        self.guidance.setMinimumHeight(self.fontMetrics().lineSpacing() * 3)
        column.addWidget(self.guidance)
        form2 = form_layout()
        column.addLayout(form2)
        self.department_combo = QComboBox()
        self.department_combo.setPlaceholderText(self.tr("处理部门"))
        form2.addRow(self.tr("处理部门"), self.errors.wrap("department", self.department_combo))
        self.handled_edit = QPlainTextEdit()
        self.handled_edit.setTabChangesFocus(True)
        self.handled_edit.setPlaceholderText(
            self.tr("办理情况：已做了什么、引导到哪里、约定了什么（Ctrl+Enter 保存）")
        )
        self.handled_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 14)
        form2.addRow(self.tr("办理情况"), self.errors.wrap("handled", self.handled_edit))
        self.taken_edit = QLineEdit()
        self.taken_edit.setPlaceholderText(self.tr("部门中接手的人，如 张会计"))
        form2.addRow(self.tr("接手人"), self.errors.wrap("taken_over_by", self.taken_edit))
        # 跟进: a matter not finished on the spot gets a due time (default hours per purpose, 设置).
        self.follow_up_check = QCheckBox(self.tr("需要跟进，在"))
        self.follow_up_spin = QSpinBox()
        self.follow_up_spin.setRange(1, 720)
        self.follow_up_spin.setSuffix(self.tr(" 小时内答复业户"))
        self.follow_up_check.toggled.connect(self.follow_up_spin.setEnabled)
        self.follow_up_check.toggled.connect(self._update_readback)
        self.follow_up_spin.valueChanged.connect(self._update_readback)
        form2.addRow(
            self.tr("跟进"), self.errors.wrap("follow_up", self.follow_up_check, self.follow_up_spin)
        )
        self.readback_label = QLabel()
        self.readback_label.setObjectName("readback")
        self.readback_label.setWordWrap(True)
        self.readback_label.setStyleSheet(f"color: {palette.TITLE};")
        form2.addRow(self.tr("复述"), self.readback_label)
        self.handled_edit.textChanged.connect(self._update_readback)
        self.taken_edit.textChanged.connect(self._update_readback)
        self.department_combo.currentIndexChanged.connect(self._update_readback)
        column.addStretch(1)
        columns.addWidget(what, 1)
        outer.addLayout(columns, 1)

        bottom = QHBoxLayout()
        self.status = SaveStatus(wrap=True)
        self.status_label, self.masked_note = self.status.label, self.status.note
        bottom.addLayout(self.status.column(self.general_error, spacing=2), 1)
        self.clear_button = form_button(self.tr("清空 (Esc)"), self.discard)
        self.save_button = save_button(self.tr("保存 (Enter)"), padding=22)
        self.save_button.clicked.connect(self.save)
        bottom.addWidget(self.clear_button)
        bottom.addWidget(self.save_button)
        outer.addLayout(bottom)

    def _build_follow_ups(self) -> QGroupBox:
        """业户办事待跟进: the open follow-ups (overdue in red) and 跟进完成 with a note."""
        box = QGroupBox()
        column = QVBoxLayout(box)
        column.setSpacing(3)
        self.follow_ups_caption = QLabel()
        column.addWidget(self.follow_ups_caption)
        self.follow_ups_list = QListWidget()
        self.follow_ups_list.setWordWrap(True)
        self.follow_ups_list.setMinimumHeight(self.fontMetrics().lineSpacing() * 3)
        column.addWidget(self.follow_ups_list, 1)
        row = QHBoxLayout()
        self.follow_up_note = QLineEdit()
        self.follow_up_note.setPlaceholderText(self.tr("跟进情况，如：已电话告知业主审批结果"))
        self.follow_up_done_button = form_button(self.tr("跟进完成"), self.complete_follow_up)
        row.addWidget(self.follow_up_note, 1)
        row.addWidget(self.follow_up_done_button)
        column.addLayout(row)
        self.follow_up_error = error_label()
        column.addWidget(self.follow_up_error)
        self.follow_up_note.returnPressed.connect(self.complete_follow_up)
        return box

    def reload_follow_ups(self) -> None:
        now = self._session.clock.now()
        chosen = self.follow_ups_list.currentItem()
        chosen_id = chosen.data(Qt.ItemDataRole.UserRole) if chosen is not None else None
        self.follow_ups_list.clear()
        rows = visits.follow_ups()
        overdue = 0
        for visit in rows:
            due = visit.follow_up_due_at
            late = due is not None and due < now
            overdue += late
            dept = visit.department.name if visit.department is not None else ""
            text = self.tr("{0}　{1}　{2}　{3}　{4} 前").format(
                visit.serial, visit.visitor_name, self.tr(visit.purpose), dept, format_local_day_time(due)
            )
            item = QListWidgetItem(self.tr("【已逾期】") + text if late else text)
            item.setData(Qt.ItemDataRole.UserRole, visit.id)
            if late:
                item.setForeground(QColor(palette.OVERDUE))
            self.follow_ups_list.addItem(item)
            if visit.id == chosen_id:
                self.follow_ups_list.setCurrentItem(item)
        caption = self.tr("业户办事待跟进（{0} 项）").format(len(rows))
        if overdue:
            caption += self.tr("，其中已逾期 {0} 项").format(overdue)
        self.follow_ups_caption.setText(caption)
        self.follow_up_done_button.setEnabled(bool(rows))

    def complete_follow_up(self) -> Visit | None:
        self.follow_up_error.hide()
        item = self.follow_ups_list.currentItem()
        if item is None:
            self.follow_up_error.setText(self.tr("请先在上面的列表中选中要跟进的事项"))
            self.follow_up_error.show()
            return None
        try:
            visit = visits.complete_follow_up(
                self._session, item.data(Qt.ItemDataRole.UserRole), self.follow_up_note.text()
            )
        except ValidationError as exc:
            self.follow_up_error.setText("；".join(exc.fields.values()))
            self.follow_up_error.show()
            return None
        except ReceptionError as exc:
            msgbox.error(self, self.tr("未能保存"), exc.message)
            self.reload_follow_ups()
            return None
        self.follow_up_note.clear()
        self.reload_follow_ups()
        self.status_label.setText(self.tr("已记录跟进：{0} {1}").format(visit.serial, visit.visitor_name))
        return visit

    # ---- state ---------------------------------------------------------------------------------
    def set_session(self, session: Session) -> None:
        """Another operator: what was typed is kept as the previous operator's draft."""
        self._session = session
        self.draft.hand_over(session, self.reset)
        self.status.clear()

    def reset(self) -> None:
        self._token = uuid4().hex
        self.resident_info.clear()
        self._fill_departments()
        fields.clear_values(self.fields)
        self._show_guidance("")
        self._set_follow_up("")
        self.errors.clear()
        self.reload_follow_ups()

    def _fill_departments(self) -> None:
        self.department_combo.clear()
        for dept in departments.list_departments():
            self.department_combo.addItem(dept.name, dept.id)

    def has_content(self) -> bool:
        return fields.has_content(self.fields)

    def purpose(self) -> str:
        return self.purpose_combo.currentData() or ""

    def _picked(self, resident: Resident) -> None:
        self.location_edit.setText(residents.room_label(resident.building, resident.unit, resident.room))
        self._show_resident(resident)
        self.errors.clear_field("resident")
        self.purpose_combo.setFocus()

    def _show_resident(self, resident: Resident) -> None:
        parts = [
            self.tr("✓ 已关联住户档案"),
            resident.relation,
            phones.mask(resident.phone or resident.phone_alt),
        ]
        self.resident_info.setText("　".join(p for p in parts if p))

    def _cleared(self) -> None:
        self.resident_info.clear()

    def _purpose_changed(self) -> None:
        purpose = self.purpose()
        self.errors.clear_field("purpose")
        self._show_guidance(purpose)
        if not purpose:
            return
        dept_name, _ = visits.purpose_guidance(purpose)
        index = self.department_combo.findText(dept_name)
        if index >= 0:
            self.department_combo.setCurrentIndex(index)
        self._set_follow_up(purpose)

    def _set_follow_up(self, purpose: str) -> None:
        """The purpose's default: ticked with its hours when it has some (never for a complaint,
        whose case carries the deadline)."""
        hours = settings_mod.load().follow_up_hours_for(purpose) if purpose else 0
        complaint = purpose == visits.COMPLAINT
        self.follow_up_check.setEnabled(not complaint)
        self.follow_up_check.setChecked(hours > 0 and not complaint)
        self.follow_up_spin.setValue(hours if hours > 0 else 24)
        self.follow_up_spin.setEnabled(hours > 0 and not complaint)
        self._update_readback()

    def _update_readback(self, *_args: object) -> None:
        if not self.purpose():
            self.readback_label.setText(self.tr("选择办理事项后，这里生成向业户复述的要点和跟进承诺。"))
            return
        self.readback_label.setText(
            visits.preview_business_readback(self.build_input(), self._session.clock.now())
        )

    def _show_guidance(self, purpose: str) -> None:
        if not purpose:
            self.guidance.show_text(self.tr("选择办理事项后，这里显示负责部门和接待要点。"), "info")
            return
        dept, text = visits.purpose_guidance(purpose)
        head = self.tr("【{0}】请引导至 {1}").format(self.tr(purpose), dept) if dept else f"【{purpose}】"
        tail = ""
        if purpose == visits.COMPLAINT:
            tail = "\n" + self.tr("保存后自动生成投诉工单，按时限答复业户。")
        self.guidance.show_text(f"{head}\n{text}{tail}", "warn" if purpose == visits.COMPLAINT else "info")

    # ---- saving --------------------------------------------------------------------------------
    def build_input(self) -> visits.BusinessVisitInput:
        resident = self.lookup.resident()
        return visits.BusinessVisitInput(
            purpose=self.purpose(),
            resident_id=resident.id if resident is not None else None,
            visitor_name="" if resident is not None else self.lookup.text(),
            visitor_phone=self.phone_edit.text(),
            location=self.location_edit.text(),
            handled=self.handled_edit.toPlainText(),
            department_id=self.department_combo.currentData(),
            taken_over_by=self.taken_edit.text(),
            client_token=self._token,
            follow_up_hours=self.follow_up_spin.value() if self.follow_up_check.isChecked() else None,
        )

    def error_text(self, field: str) -> str:
        return self.errors.message(field)

    def save(self) -> Visit | None:
        visit = self.saving.run(self._register)
        if visit is None:
            return None
        text = self.tr("已保存 {0}：{1} {2}").format(visit.serial, visit.visitor_name, self.tr(visit.purpose))
        for case in cases.for_source("visit", visit.id):
            due = format_local_day_time(case.reply_due_at)
            text += self.tr("，已生成投诉工单 {0}（{1} 前答复业户）").format(case.serial, due)
        if visit.follow_up_due_at is not None:
            text += self.tr("，跟进时限 {0}").format(format_local_day_time(visit.follow_up_due_at))
        self.reset()
        self.draft.discard()
        self.status.say(text, visits.masked_fields(visit))
        self.lookup.setFocus()
        self.saved.emit(visit)
        return visit

    def _register(self) -> Visit | None:
        self.errors.clear()
        data = self.build_input()
        return save_with_retry(
            self,
            self.tr("未能保存"),
            lambda: visits.register_business_visit(self._session, data),
            on_invalid=self.errors.show_error,
        )

    def discard(self) -> bool:
        if not self.draft.throw_away(
            self.tr("清空"), self.tr("已填写的内容尚未保存，确定清空吗？"), self.reset
        ):
            return False
        self.status.clear()
        return True

    # ---- drafts --------------------------------------------------------------------------------
    def _declare_fields(self) -> None:
        """The inputs, in the order they are restored (the purpose sets the follow-up's default
        before the draft's own follow-up is put back)."""
        self.fields = [
            Field("resident", self.lookup, "visitor", RESIDENT, id_key="resident_id"),
            Field("location", self.location_edit, "location", TEXT),
            Field("visitor_phone", self.phone_edit, "visitor_phone", TEXT),
            Field("purpose", self.purpose_combo, "purpose", COMBO, content=False, empty=""),
            Field("department", self.department_combo, "department_id", COMBO, content=False),
            Field("handled", self.handled_edit, "handled", PLAIN),
            Field("taken_over_by", self.taken_edit, "taken_over_by", TEXT),
            Field("follow_up_hours", self.follow_up_spin, "follow_up_hours", SPIN, clears=False),
            Field("follow_up", self.follow_up_check, "follow_up", CHECK, content=False, clears=False),
        ]

    def draft_state(self) -> dict[str, Any]:
        return {**fields.draft_values(self.fields), "token": self._token}

    def restore_draft(self, state: dict[str, Any]) -> None:
        self.reset()
        fields.restore_values(self.fields, state)
        resident = self.lookup.resident()
        if resident is not None:
            self._show_resident(resident)
        self._token = token_of(state, self._token)

    def restore_saved_draft(self) -> bool:
        """The operator's draft, if the form is empty and there is one; says so."""
        return restore_saying(self.draft, self.status_label.setText)

    def keyPressEvent(self, e: QKeyEvent) -> None:
        if e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.follow_up_note.hasFocus():
            return  # Enter there records the follow-up, not a visit
        if not enter_saves_escape_discards(e, self.save, self.discard):
            super().keyPressEvent(e)
