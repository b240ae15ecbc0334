"""异常情况 (规程：安全隐患 → 保安部；拒绝接待；报警处置): recording one, linked to the call or
visit it arose from, and the small list of today's incidents.

The dialog works for the visitor desk and the call desk alike: pass ``visit_id`` or ``call_id``."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox
from PySide6.QtWidgets import QComboBox
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QPlainTextEdit
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from reception.clock import format_local
from reception.clock import local_day_bounds
from reception.services import departments
from reception.services import incidents
from reception.services.records import Incident
from reception.services.session import Session
from ui.calls.call_list_model import RowsTableModel
from ui.visits.visit_widgets import compact_table
from ui.widgets import palette
from ui.widgets.fields import form_layout
from ui.widgets.form_parts import ChoiceRow
from ui.widgets.form_parts import datetime_edit
from ui.widgets.form_parts import set_edit_utc
from ui.widgets.form_parts import utc_from_edit
from ui.widgets.saving import save_with_retry
from ui.widgets.small_dialogs import accept_with
from ui.widgets.small_dialogs import framed
from ui.widgets.small_dialogs import lay_out

SECURITY = "保安部"


class IncidentDialog(QDialog):
    """``recorded(Incident)`` once saved; the dialog then accepts."""

    recorded = Signal(object)

    def __init__(
        self,
        session: Session,
        parent: QWidget | None = None,
        *,
        call_id: int | None = None,
        visit_id: int | None = None,
        link_text: str = "",
        kind: str = "",
        linked: bool = True,
    ) -> None:
        """``link_text`` names the call or visit the incident would be linked to, shown as a box
        the receptionist can untick; ``linked``: ticked at first (a record picked on purpose) or
        not (only a guess: the visitor registered last)."""
        super().__init__(parent)
        self._session = session
        self.call_id = call_id
        self.visit_id = visit_id
        self.incident: Incident | None = None
        # focus order: as laid out
        self.general, self.errors = framed(self, self.tr("登记异常情况"), 560, fit=False)

        form = form_layout()
        self.link_check: QCheckBox | None = None
        if link_text:
            self.link_check = QCheckBox(link_text)
            self.link_check.setChecked(linked)
            self.link_check.setStyleSheet(f"color: {palette.TITLE};")
            form.addRow(self.tr("关联记录"), self.link_check)

        self.kinds = ChoiceRow(self, {name: self.tr(name) for name in incidents.KINDS}, spacing=16)
        self.kind_group = self.kinds.group
        self.kind_buttons = self.kinds.buttons
        form.addRow(
            self.tr("类型"),
            self.errors.wrap("kind", self.kinds.box, focus=self.kind_buttons[incidents.HAZARD]),
        )

        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(f"color: {palette.CAUTION_DARK};")
        form.addRow("", self.hint)

        self.description_edit = QPlainTextEdit()
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 14)
        self.description_label = QLabel(self.tr("情况说明"))
        form.addRow(self.description_label, self.errors.wrap("description", self.description_edit))

        self.occurred_edit = datetime_edit()
        form.addRow(self.tr("发生时间"), self.errors.wrap("occurred_at", self.occurred_edit))

        self.department_combo = QComboBox()
        self.department_combo.addItem(self.tr("（未报告）"), None)
        for dept in departments.list_departments():
            self.department_combo.addItem(dept.name, dept.id)
        self.person_edit = QLineEdit()
        self.person_edit.setPlaceholderText(self.tr("如 吴班长"))
        self.dept_row_label = QLabel(self.tr("报告部门"))
        self.dept_row = self.errors.wrap("reported_to", self.department_combo)
        form.addRow(self.dept_row_label, self.dept_row)
        self.person_row_label = QLabel(self.tr("接报人"))
        self.person_row = self.errors.wrap("reported_to_person", self.person_edit)
        form.addRow(self.person_row_label, self.person_row)

        self.reported_edit = datetime_edit()
        self.now_button = QPushButton(self.tr("现在"))
        self.now_button.setAutoDefault(False)
        self.now_button.clicked.connect(self._reported_now)
        self.reported_label = QLabel(self.tr("报告时间"))
        form.addRow(self.reported_label, self.errors.wrap("reported_at", self.reported_edit, self.now_button))

        self.case_edit = QLineEdit()
        self.case_edit.setPlaceholderText(self.tr("接警回执上的编号"))
        self.officer_edit = QLineEdit()
        self.officer_edit.setPlaceholderText(self.tr("姓名、警号"))
        self.case_label = QLabel(self.tr("警情编号"))
        self.officer_label = QLabel(self.tr("出警民警"))
        self.case_row = self.errors.wrap("police_case_no", self.case_edit)
        self.officer_row = self.errors.wrap("officer", self.officer_edit)
        form.addRow(self.case_label, self.case_row)
        form.addRow(self.officer_label, self.officer_row)

        self.ok_button = lay_out(self, form, self.general, self.save, self.tr("保存"), self.tr("取消"))

        now = session.now()
        set_edit_utc(self.occurred_edit, now)
        set_edit_utc(self.reported_edit, now)
        self.kind_group.idToggled.connect(self._kind_toggled)
        self.kind_buttons[kind or incidents.HAZARD].setChecked(True)
        self._kind_toggled(0, True)

    # ---- state -----------------------------------------------------------------------------
    def kind(self) -> str:
        return self.kinds.chosen()

    def _kind_toggled(self, _id: int, checked: bool) -> None:
        if not checked:
            return
        kind = self.kind()
        police = kind == incidents.POLICE
        for widget in (self.case_label, self.case_row, self.officer_label, self.officer_row):
            widget.setVisible(police)
        for widget in (self.dept_row_label, self.dept_row, self.person_row_label, self.person_row):
            widget.setVisible(not police)
        self.reported_label.setText(self.tr("报警时间") if police else self.tr("报告时间"))
        self.description_label.setText(
            self.tr("拒绝原因") if kind == incidents.REFUSED else self.tr("情况说明")
        )
        if kind == incidents.HAZARD:
            self.hint.setText(self.tr("发现安全隐患或不法迹象，请立即报告保安部，并按保安部要求处置。"))
            if self.department_combo.currentData() is None:
                index = self.department_combo.findText(SECURITY)
                if index >= 0:
                    self.department_combo.setCurrentIndex(index)
        elif kind == incidents.REFUSED:
            self.hint.setText(self.tr("来访人有严重违规行为的，可以拒绝接待，并向保安部报告情况。"))
        else:
            self.hint.setText(self.tr("涉及违法犯罪或危险情况，请立即拨打 110 报警，并协助公安机关处理。"))
        self.adjustSize()

    def _reported_now(self) -> None:
        set_edit_utc(self.reported_edit, self._session.now())

    def _linked(self) -> bool:
        """The proposed call or visit is linked only while its box is ticked."""
        return self.link_check is not None and self.link_check.isChecked()

    def build_input(self) -> incidents.IncidentInput:
        kind = self.kind()
        data = incidents.IncidentInput(
            kind=kind,
            description=self.description_edit.toPlainText(),
            occurred_at=utc_from_edit(self.occurred_edit),
            call_id=self.call_id if self._linked() else None,
            visit_id=self.visit_id if self._linked() else None,
        )
        if kind == incidents.POLICE:
            data.reported_at = utc_from_edit(self.reported_edit)
            data.police_case_no = self.case_edit.text()
            data.officer = self.officer_edit.text()
        else:
            data.reported_to_department_id = self.department_combo.currentData()
            data.reported_to_person = self.person_edit.text()
            if data.reported_to_department_id is not None or kind == incidents.HAZARD:
                data.reported_at = utc_from_edit(self.reported_edit)
        return data

    def save(self) -> Incident | None:
        self.general.hide()
        self.incident = save_with_retry(
            self,
            self.tr("未能保存"),
            lambda: incidents.record_incident(self._session, self.build_input()),
            on_invalid=self.errors.show_error,
            on_error=lambda exc: self.errors.show_general(exc.message),
            on_storage_given_up=lambda exc: self.errors.show_general(exc.message),
        )
        return accept_with(self, self.recorded, self.incident)


class IncidentsModel(RowsTableModel):
    headers = ("时间", "类型", "情况", "报告/报警", "关联")
    context = "IncidentsModel"

    def display(self, row: Incident, column: int) -> str:
        if column == 0:
            return format_local(row.occurred_at, "%H:%M")
        if column == 1:
            return row.kind
        if column == 2:
            return " ".join(row.description.split())
        if column == 3:
            if row.kind == incidents.POLICE:
                return f"{format_local(row.reported_at, '%H:%M')} {row.police_case_no}".strip()
            who = row.reported_to.name if row.reported_to else ""
            if row.reported_to_person:
                who = f"{who} {row.reported_to_person}".strip()
            return f"{who} {format_local(row.reported_at, '%H:%M')}".strip()
        if column == 4:
            if row.visit is not None:
                return row.visit.serial
            if row.call is not None:
                return row.call.serial
        return ""

    def tooltip(self, row: Incident) -> str | None:
        return row.description


class IncidentsPanel(QWidget):
    """Today's incidents, newest first, with a button to record one."""

    add_requested = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.model = IncidentsModel(self)
        self.view = compact_table(self.model, {0: 50, 1: 70, 3: 120, 4: 120}, stretch=2)
        self.add_button = QPushButton(self.tr("登记异常情况…"))
        self.add_button.clicked.connect(self.add_requested)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("安全隐患报保安部；严重违规可拒绝接待；违法犯罪立即报警。")), 1)
        bar.addWidget(self.add_button)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)

    def set_session(self, session: Session) -> None:
        self._session = session
        self.refresh()

    def refresh(self) -> None:
        start, end = local_day_bounds(self._session.clock.today())
        self.model.set_rows(incidents.list_incidents(start, end))

    def count(self) -> int:
        return self.model.rowCount()
