"""直接登记 — a case opened at the desk without a call, visit or letter (F5).

Category, the resident (or a public area), what is wrong, and — optionally — the department and
handler (without a department the case waits as 待派单). 市政设施 also asks which utility and
the outside agency. While typing, a repeat problem at the same place is shown prominently
(「5-1-1203 近 30 天第 3 次报修」) with the earlier cases, each openable."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtCore import QTimer
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QFormLayout
from PySide6.QtWidgets import QFrame
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QListWidget
from PySide6.QtWidgets import QListWidgetItem
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from reception.clock import format_local
from reception.errors import ReceptionError
from reception.rules import phones
from reception.services import cases
from reception.services import residents
from reception.services.cases import CaseInput
from reception.services.records import Case
from reception.services.session import Session
from ui.cases.case_actions import department_combo
from ui.cases.case_actions import text_box
from ui.cases.case_list_model import first_line
from ui.widgets import fields
from ui.widgets import palette
from ui.widgets.drafts_support import DraftKeeper
from ui.widgets.drafts_support import notice_label
from ui.widgets.drafts_support import restored_text
from ui.widgets.fields import COMBO
from ui.widgets.fields import COMBO_TEXT
from ui.widgets.fields import PLAIN
from ui.widgets.fields import RESIDENT
from ui.widgets.fields import TEXT
from ui.widgets.fields import Field
from ui.widgets.forms import FieldErrors
from ui.widgets.forms import dialog_buttons
from ui.widgets.forms import error_label
from ui.widgets.forms import with_error_label
from ui.widgets.resident_lookup import ResidentLookup
from ui.widgets.saving import save_with_retry

CASE_ROLE = Qt.ItemDataRole.UserRole + 1
RECURRENCE_DELAY_MS = 250

_STYLE = f"""
QLabel#hint {{ color: {palette.MUTED}; }}
QFrame#recurrence {{ background: {palette.WARNING_BG}; border: 2px solid {palette.RECURRENCE_LINE};
                     border-radius: 6px; }}
QLabel#recurrenceNote {{ color: {palette.RECURRENCE}; font-weight: bold; }}
"""


class CaseForm(QDialog):
    """``saved(case)`` after the case was stored; ``open_case(id)`` for an earlier case."""

    saved = Signal(object)
    open_case = Signal(int)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.setWindowTitle(self.tr("新建工单（直接登记）"))
        self.setStyleSheet(_STYLE)
        self.general_error = error_label(self)
        self.errors = FieldErrors(self.general_error)
        form = QFormLayout()
        form.setHorizontalSpacing(8)
        form.setVerticalSpacing(4)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)

        self.category_combo = QComboBox()
        self.category_combo.setPlaceholderText(self.tr("请选择类别"))
        for category in cases.CATEGORIES:
            self.category_combo.addItem(self.tr(category), category)
        self.category_combo.setCurrentIndex(-1)
        self.errors.add_row(form, self.tr("类别"), "category", self.category_combo)

        self.lookup = ResidentLookup()
        self.resident_info = QLabel()
        self.resident_info.setObjectName("hint")
        who = QWidget()
        who_row = QHBoxLayout(who)
        who_row.setContentsMargins(0, 0, 0, 0)
        who_row.addWidget(self.lookup, 3)
        who_row.addWidget(self.resident_info, 2)
        self.errors.add_row(form, self.tr("业户"), "resident", who)
        self.errors.widgets["resident"] = self.lookup
        self.location_combo = QComboBox()
        self.location_combo.setEditable(True)
        self.location_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for area in cases.PUBLIC_AREAS:
            self.location_combo.addItem(self.tr(area), area)
        self.location_combo.setCurrentIndex(-1)
        if (line := self.location_combo.lineEdit()) is not None:
            line.setPlaceholderText(self.tr("公共区域（地库、电梯…），或补充具体位置"))
        self.errors.add_row(form, self.tr("位置"), "location", self.location_combo)

        self.utility_combo = QComboBox()
        self.utility_combo.addItem(self.tr("请选择"), "")
        for utility in cases.UTILITIES:
            self.utility_combo.addItem(self.tr(utility), utility)
        self.agency_edit = QLineEdit()
        self.agency_edit.setPlaceholderText(self.tr("如：自来水公司（可不填）"))
        self.municipal_row = QWidget()
        row = QHBoxLayout(self.municipal_row)
        row.setContentsMargins(0, 0, 0, 0)
        utility_box, utility_error = with_error_label(self.utility_combo, spacing=None)
        self.errors.register("utility", self.utility_combo, utility_error)
        agency_box, agency_error = with_error_label(self.agency_edit, spacing=None)
        self.errors.register("agency", self.agency_edit, agency_error)
        agency_caption = QLabel(self.tr("外部单位"))
        row.addWidget(utility_box, 1, Qt.AlignmentFlag.AlignTop)
        row.addWidget(agency_caption, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(agency_box, 2, Qt.AlignmentFlag.AlignTop)
        form.addRow(self.tr("市政设施"), self.municipal_row)
        self._municipal_caption = form.labelForField(self.municipal_row)

        # The repeat-problem box, right under the place: shown only when there are earlier
        # cases of the category there.
        self.recurrence_box = QFrame()
        self.recurrence_box.setObjectName("recurrence")
        column = QVBoxLayout(self.recurrence_box)
        column.setContentsMargins(10, 6, 10, 6)
        self.recurrence_label = QLabel()
        self.recurrence_label.setObjectName("recurrenceNote")
        font = self.recurrence_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.recurrence_label.setFont(font)
        self.recurrence_label.setWordWrap(True)
        hint = QLabel(self.tr("之前的工单（双击打开）："))
        hint.setObjectName("hint")
        self.earlier_list = QListWidget()
        self.earlier_list.setMaximumHeight(self.fontMetrics().height() * 5)
        self.earlier_list.itemActivated.connect(self._open_earlier)
        column.addWidget(self.recurrence_label)
        column.addWidget(hint)
        column.addWidget(self.earlier_list)
        self.recurrence_box.hide()
        form.addRow(self.recurrence_box)

        self.description_edit = text_box(5, self.tr("业户反映的问题（Enter 换行）"))
        self.description_edit.setMaximumHeight(self.description_edit.fontMetrics().lineSpacing() * 8 + 14)
        self.errors.add_row(form, self.tr("问题描述"), "description", self.description_edit)

        self.department_combo = department_combo(self.tr("暂不派单（待派单）"))
        self.handler_edit = QLineEdit()
        self.handler_edit.setPlaceholderText(self.tr("处理人（可不填）"))
        assign = QWidget()
        assign_row = QHBoxLayout(assign)
        assign_row.setContentsMargins(0, 0, 0, 0)
        dept_box, dept_error = with_error_label(self.department_combo, spacing=None)
        self.errors.register("department", self.department_combo, dept_error)
        handler_box, handler_error = with_error_label(self.handler_edit, spacing=None)
        self.errors.register("handler", self.handler_edit, handler_error)
        assign_row.addWidget(dept_box, 1, Qt.AlignmentFlag.AlignTop)
        assign_row.addWidget(handler_box, 1, Qt.AlignmentFlag.AlignTop)
        form.addRow(self.tr("派单"), assign)

        layout = QVBoxLayout(self)
        self.draft_notice = notice_label()
        layout.addWidget(self.draft_notice)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.general_error)
        box, self.ok_button, _cancel = dialog_buttons(self.tr("登记工单"), self.tr("取消"))
        box.accepted.connect(self.submit)
        box.rejected.connect(self.reject)
        layout.addWidget(box)

        self._recurrence_timer = QTimer(self)
        self._recurrence_timer.setSingleShot(True)
        self._recurrence_timer.setInterval(RECURRENCE_DELAY_MS)
        self._recurrence_timer.timeout.connect(self.update_recurrence)
        self.category_combo.currentIndexChanged.connect(self._category_changed)
        self.lookup.picked.connect(self._place_changed)
        self.lookup.cleared.connect(self._place_changed)
        self.location_combo.editTextChanged.connect(self._location_typed)
        self._category_changed()
        self.resize(680, 560)
        self.fields = [
            Field("category", self.category_combo, "category", COMBO, content=False, empty=""),
            Field(
                "resident", self.lookup, "resident_text", RESIDENT, id_key="resident_id", text_if_gone=False
            ),
            Field("location", self.location_combo, "location", COMBO_TEXT),
            Field("description", self.description_edit, "description", PLAIN),
            Field("department", self.department_combo, "department_id", COMBO, content=False),
            Field("handler", self.handler_edit, "handler", TEXT, content=False),
            Field("utility", self.utility_combo, "utility", COMBO, content=False, empty=""),
            Field("agency", self.agency_edit, "agency", TEXT, content=False),
        ]
        self.draft = DraftKeeper(self, "case", session)
        self.draft.watch_inputs()

    # ---- state -------------------------------------------------------------------------------
    def category(self) -> str:
        return self.category_combo.currentData() or ""

    def location(self) -> str:
        return self.location_combo.currentText().strip()

    def place(self) -> str:
        return cases.place_key(self.lookup.resident(), self.location())

    def has_content(self) -> bool:
        return fields.has_content(self.fields)

    def build_input(self) -> CaseInput:
        resident = self.lookup.resident()
        municipal = self.category() == cases.MUNICIPAL
        return CaseInput(
            category=self.category(),
            description=self.description_edit.toPlainText(),
            resident_id=resident.id if resident is not None else None,
            location=self.location(),
            department_id=self.department_combo.currentData(),
            handler=self.handler_edit.text(),
            utility=(self.utility_combo.currentData() or "") if municipal else "",
            agency=self.agency_edit.text() if municipal else "",
        )

    def _place_changed(self, *_args: object) -> None:
        resident = self.lookup.resident()
        if resident is not None:
            room = residents.room_label(resident.building, resident.unit, resident.room)
            phone = phones.mask(resident.phone) or phones.mask(resident.phone_alt)
            self.resident_info.setText("　".join(p for p in (room, phone) if p))
        else:
            self.resident_info.clear()
        self.update_recurrence()

    def _location_typed(self, *_args: object) -> None:
        self._recurrence_timer.start()

    def _category_changed(self, *_args: object) -> None:
        municipal = self.category() == cases.MUNICIPAL
        self.municipal_row.setVisible(municipal)
        if self._municipal_caption is not None:
            self._municipal_caption.setVisible(municipal)
        self.update_recurrence()

    # ---- the repeat hint -------------------------------------------------------------------
    def recurrence_text(self) -> str:
        return self.recurrence_label.text() if not self.recurrence_box.isHidden() else ""

    def update_recurrence(self) -> None:
        self._recurrence_timer.stop()
        category, key = self.category(), self.place()
        note, earlier = "", []
        if category and key:
            try:
                now = self._session.now()
                note = cases.recurrence_note(category, key, now)
                earlier = cases.earlier_at_place(category, key, now) if note else []
            except ReceptionError:
                note = ""
        self.recurrence_label.setText(note)
        self.earlier_list.clear()
        for case in earlier:
            text = "　".join(
                (
                    case.serial,
                    format_local(case.received_at, "%m-%d %H:%M"),
                    self.tr(case.status),
                    first_line(case.description),
                )
            )
            item = QListWidgetItem(text)
            item.setData(CASE_ROLE, case.id)
            self.earlier_list.addItem(item)
        self.recurrence_box.setVisible(bool(note))

    def _open_earlier(self, item: QListWidgetItem) -> None:
        case_id = item.data(CASE_ROLE)
        if case_id is not None:
            self.open_case.emit(int(case_id))

    # ---- saving ------------------------------------------------------------------------------
    def submit(self) -> Case | None:
        self.errors.clear()
        case = save_with_retry(
            self,
            self.tr("未能登记"),
            lambda: cases.open_direct_case(self._session, self.build_input()),
            on_invalid=self.errors.show_error,
        )
        if case is None:
            return None
        self.draft.discard()
        self.saved.emit(case)
        self.accept()
        return case

    def reject(self) -> None:
        if not self.draft.throw_away(self.tr("放弃登记"), self.tr("这张工单还没有登记，确定放弃吗？")):
            return
        super().reject()

    # ---- drafts ------------------------------------------------------------------------------
    def draft_state(self) -> dict[str, Any]:
        return fields.draft_values(self.fields)

    def restore_draft(self, state: dict[str, Any]) -> None:
        fields.restore_values(self.fields, state)
        self._place_changed()

    def restore_saved_draft(self) -> bool:
        """The operator's draft, if the form is empty and there is one; says so."""
        if not self.draft.restore_into_empty():
            return False
        self.draft_notice.setText(restored_text())
        self.draft_notice.show()
        return True
