"""业户办事 (规程：业户来访接待工作规程 — 交费、租房、二次装修、入伙、投诉): the resident at the
desk, what they came for, the department that handles it with the guidance to give, and what
was done. A complaint becomes a case (工单) in the core; the form says so."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reception.clock import format_local_day_time
from reception.errors import ValidationError
from reception.rules import phones
from reception.services import cases, departments, residents, visits
from reception.services.records import Resident, Visit
from reception.services.session import Session
from ui.visits.visit_widgets import Banner, ErrorSlots, form_layout
from ui.widgets import msgbox, palette
from ui.widgets.drafts_support import DraftKeeper, resident_or_none, restored_text, set_combo_data, text_of
from ui.widgets.forms import ascii_only, error_label
from ui.widgets.resident_lookup import ResidentLookup
from ui.widgets.saving import save_with_retry

FIELD_ORDER = [
    "resident",
    "visitor_name",
    "location",
    "visitor_phone",
    "purpose",
    "department",
    "handled",
    "taken_over_by",
]


class BusinessVisitForm(QFrame):
    """``saved(Visit)`` after each save."""

    saved = Signal(object)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._token = uuid4().hex
        self._saving = False
        self.errors = ErrorSlots()
        self._build()
        for seq in (Qt.Modifier.CTRL | Qt.Key.Key_Return, Qt.Modifier.CTRL | Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(seq), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.save)
        self.reset()
        self.draft = DraftKeeper(self, "business", session)
        self.draft.watch_inputs()

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.setSpacing(8)
        columns = QHBoxLayout()
        columns.setSpacing(12)

        who = QGroupBox(self.tr("来访业户"))
        form = form_layout()
        who.setLayout(form)
        self.lookup = ResidentLookup()
        self.lookup.picked.connect(self._picked)
        self.lookup.cleared.connect(self._cleared)
        form.addRow(self.tr("业户"), self.errors.wrap("resident", self.lookup))
        self.errors.entries["visitor_name"] = self.errors.entries["resident"]
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
        columns.addWidget(who, 1)

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
        column.addStretch(1)
        columns.addWidget(what, 1)
        outer.addLayout(columns, 1)

        bottom = QHBoxLayout()
        left = QVBoxLayout()
        left.setSpacing(2)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        font = QFont(self.font())
        font.setBold(True)
        self.status_label.setFont(font)
        self.status_label.setStyleSheet(f"color: {palette.OK};")
        self.general_error = error_label()
        left.addWidget(self.status_label)
        left.addWidget(self.general_error)
        bottom.addLayout(left, 1)
        self.clear_button = QPushButton(self.tr("清空 (Esc)"))
        self.clear_button.setAutoDefault(False)
        self.clear_button.clicked.connect(self.discard)
        self.save_button = QPushButton(self.tr("保存 (Enter)"))
        self.save_button.setStyleSheet(
            f"QPushButton {{ background: {palette.OK_BRIGHT}; color: white;"
            " border-radius: 4px; padding: 6px 22px; }"
            f"QPushButton:disabled {{ background: {palette.SAVE_DISABLED_BG}; }}"
        )
        self.save_button.setFont(font)
        self.save_button.setMinimumHeight(34)
        self.save_button.clicked.connect(self.save)
        bottom.addWidget(self.clear_button)
        bottom.addWidget(self.save_button)
        outer.addLayout(bottom)

    # ---- state ---------------------------------------------------------------------------------
    def set_session(self, session: Session) -> None:
        """Another operator: what was typed is kept as the previous operator's draft."""
        self.draft.save_now()
        self.draft.set_session(session)
        self._session = session
        with self.draft.quiet():
            self.reset()
        self.status_label.clear()

    def reset(self) -> None:
        self._token = uuid4().hex
        self.lookup.reset()
        self.resident_info.clear()
        for edit in (self.location_edit, self.phone_edit, self.taken_edit):
            edit.clear()
        self.handled_edit.clear()
        self._fill_departments()
        self.purpose_combo.setCurrentIndex(-1)
        self.department_combo.setCurrentIndex(-1)
        self._show_guidance("")
        self.errors.clear()
        self.general_error.hide()

    def _fill_departments(self) -> None:
        self.department_combo.clear()
        for dept in departments.list_departments():
            self.department_combo.addItem(dept.name, dept.id)

    def has_content(self) -> bool:
        return any(
            (
                self.lookup.text().strip(),
                self.location_edit.text().strip(),
                self.phone_edit.text().strip(),
                self.handled_edit.toPlainText().strip(),
                self.taken_edit.text().strip(),
            )
        )

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
        )

    def error_text(self, field: str) -> str:
        return self.errors.text(field)

    def save(self) -> Visit | None:
        if self._saving:
            return None
        self._saving = True
        self.save_button.setEnabled(False)
        try:
            visit = self._register()
        finally:
            self._saving = False
            self.save_button.setEnabled(True)
        if visit is None:
            return None
        text = self.tr("已保存 {0}：{1} {2}").format(visit.serial, visit.visitor_name, self.tr(visit.purpose))
        for case in cases.for_source("visit", visit.id):
            due = format_local_day_time(case.reply_due_at)
            text += self.tr("，已生成投诉工单 {0}（{1} 前答复业户）").format(case.serial, due)
        self.reset()
        self.draft.discard()
        self.status_label.setText(text)
        self.lookup.setFocus()
        self.saved.emit(visit)
        return visit

    def _register(self) -> Visit | None:
        self.errors.clear()
        self.general_error.hide()
        data = self.build_input()
        return save_with_retry(
            self,
            self.tr("未能保存"),
            lambda: visits.register_business_visit(self._session, data),
            on_invalid=self._invalid,
        )

    def _invalid(self, exc: ValidationError) -> None:
        leftovers = self.errors.show(exc.fields, FIELD_ORDER)
        if leftovers:
            self.general_error.setText("；".join(leftovers))
            self.general_error.show()

    def discard(self) -> bool:
        if self.has_content() and not msgbox.ask(
            self, self.tr("清空"), self.tr("已填写的内容尚未保存，确定清空吗？")
        ):
            return False
        self.reset()
        self.draft.discard()
        self.status_label.clear()
        return True

    # ---- drafts --------------------------------------------------------------------------------
    def draft_state(self) -> dict[str, Any]:
        resident = self.lookup.resident()
        return {
            "token": self._token,
            "resident_id": resident.id if resident is not None else None,
            "visitor": self.lookup.text(),
            "location": self.location_edit.text(),
            "visitor_phone": self.phone_edit.text(),
            "purpose": self.purpose(),
            "department_id": self.department_combo.currentData(),
            "handled": self.handled_edit.toPlainText(),
            "taken_over_by": self.taken_edit.text(),
        }

    def restore_draft(self, state: dict[str, Any]) -> None:
        self.reset()
        resident = resident_or_none(state.get("resident_id"))
        if resident is not None:
            self.lookup.set_resident(resident)
            self._show_resident(resident)
        else:
            self.lookup.setText(text_of(state, "visitor"))
        self.location_edit.setText(text_of(state, "location"))
        self.phone_edit.setText(text_of(state, "visitor_phone"))
        set_combo_data(self.purpose_combo, state.get("purpose") or None)
        set_combo_data(self.department_combo, state.get("department_id"))
        self.handled_edit.setPlainText(text_of(state, "handled"))
        self.taken_edit.setText(text_of(state, "taken_over_by"))
        token = state.get("token")
        if isinstance(token, str) and token:
            self._token = token

    def restore_saved_draft(self) -> bool:
        """The operator's draft, if the form is empty and there is one; says so."""
        if self.has_content() or not self.draft.restore():
            return False
        self.status_label.setText(restored_text())
        return True

    def keyPressEvent(self, e: QKeyEvent) -> None:
        if e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.save()
            return
        if e.key() == Qt.Key.Key_Escape:
            self.discard()
            return
        super().keyPressEvent(e)
