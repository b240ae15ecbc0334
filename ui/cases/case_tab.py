"""The 工单 tab: every case with its deadline countdown, quick views (我的未结工单 — the cases
the operator first received, 首问责任制 — 全部未结, 已超时, 已关闭, 全部), filters, 新建工单
(F5) and, for supervisors, the escalation list (超时上报).

The countdown is repainted every minute from the clock alone; the list is re-read only after
something was saved (here or, through ``refresh``, elsewhere)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtCore import QTimer
from PySide6.QtCore import Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QComboBox
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from reception.services import cases
from reception.services import departments
from reception.services.cases import CaseFilter
from reception.services.session import Role
from reception.services.session import Session
from ui.cases import case_list_model as cols
from ui.cases.case_detail_dialog import CaseDetailDialog
from ui.cases.case_escalation_panel import CaseEscalationPanel
from ui.cases.case_form import CaseForm
from ui.cases.case_list_model import CaseListModel
from ui.widgets.list_position import kept_place
from ui.widgets.record_list import choice_filter
from ui.widgets.record_list import record_table
from ui.widgets.record_list import refill
from ui.widgets.record_list import search_box
from ui.widgets.tab_parts import FormTab
from ui.widgets.tab_parts import count_label
from ui.widgets.tab_parts import filter_bar
from ui.widgets.tab_parts import open_detail
from ui.widgets.tab_parts import panes
from ui.widgets.tab_parts import read_list
from ui.widgets.tab_parts import row_opener
from ui.widgets.tab_parts import watch_filters

MY_OPEN, ALL_OPEN, OVERDUE, CLOSED, ALL = "mine", "open", "overdue", "closed", "all"
VIEWS = [
    (MY_OPEN, "我的未结工单"),
    (ALL_OPEN, "全部未结"),
    (OVERDUE, "已超时"),
    (CLOSED, "已关闭"),
    (ALL, "全部"),
]
TICK_MS = 60_000


class CaseTab(QWidget, FormTab):
    """The main window hosts this tab; ``changed`` is emitted after anything was saved."""

    changed = Signal()
    DRAFT_KEY = "case"

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.detail_dialog: CaseDetailDialog | None = None
        self.form: CaseForm | None = None

        self.new_button = QPushButton(self.tr("新建工单 (F5)"))
        self.new_button.setAutoDefault(False)
        self.new_button.clicked.connect(self.new_case)
        self.view_combo = QComboBox()
        for key, label in VIEWS:
            self.view_combo.addItem(self.tr(label), key)
        self.category_filter = choice_filter(self.tr("全部类别"), cases.CATEGORIES, self.tr)
        self.department_filter = QComboBox()
        self._fill_departments()
        self.search_edit = search_box(self.tr("搜索：编号、位置、问题、处理人"))
        self.count_label = count_label()
        combos = (self.view_combo, self.category_filter, self.department_filter)
        bar = filter_bar([self.new_button], combos, self.search_edit, self.count_label)

        self.model = CaseListModel(self._now, self)
        widths = {
            cols.SERIAL: 125,
            cols.CATEGORY: 64,
            cols.PLACE: 80,
            cols.FIRST_RECEIVER: 80,
            cols.DEPARTMENT: 72,
            cols.HANDLER: 64,
            cols.STATUS: 60,
            cols.DUE: 88,
            cols.COUNTDOWN: 110,
            cols.SOURCE: 64,
        }
        self.view = record_table(self.model, widths, stretch=cols.PROBLEM)
        self.view.activated.connect(row_opener(self.model, self.open_case))

        list_box = QWidget()
        column = QVBoxLayout(list_box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        column.addLayout(bar)
        column.addWidget(self.view, 1)

        self.escalation_panel = CaseEscalationPanel(self._now)
        self.escalation_panel.open_case.connect(self.open_case)
        self.splitter = panes(Qt.Orientation.Vertical, [list_box, self.escalation_panel], (3, 1), (520, 180))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.splitter)

        changes = [combo.currentIndexChanged for combo in combos]
        self._search_timer = watch_filters(self, self.apply_filter, self.search_edit, changes)
        self.tick_timer = QTimer(self)
        self.tick_timer.setInterval(TICK_MS)
        self.tick_timer.timeout.connect(self.tick)  # started while the tab is shown

        self._apply_role()
        self.apply_filter()

    def showEvent(self, event: QShowEvent) -> None:
        self.tick()
        self.tick_timer.start()
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        self.tick_timer.stop()
        super().hideEvent(event)

    # ---- filters ------------------------------------------------------------------------------
    def _now(self) -> datetime:
        return self._session.clock.now()

    def _fill_departments(self) -> None:
        depts = [(dept.name, dept.id) for dept in departments.list_departments()]
        refill(self.department_filter, self.tr("全部部门"), depts)

    def _apply_role(self) -> None:
        """Receptionists start on their own open cases (首问责任制); supervisors see all open
        cases and the escalation list."""
        supervisor = self._session.has(Role.SUPERVISOR)
        self.escalation_panel.setVisible(supervisor)
        self.view_combo.blockSignals(True)
        self.view_combo.setCurrentIndex(self.view_combo.findData(ALL_OPEN if supervisor else MY_OPEN))
        self.view_combo.blockSignals(False)

    def set_view(self, key: str) -> None:
        self.view_combo.setCurrentIndex(self.view_combo.findData(key))

    def current_filter(self) -> CaseFilter:
        key = self.view_combo.currentData()
        f = CaseFilter(
            category=self.category_filter.currentData() or "",
            department_id=self.department_filter.currentData(),
            search=self.search_edit.text(),
        )
        if key == MY_OPEN:
            f.first_receiver_id = self._session.operator.id
            f.statuses = tuple(cases.OPEN_STATUSES)
        elif key == ALL_OPEN:
            f.statuses = tuple(cases.OPEN_STATUSES)
        elif key == OVERDUE:
            f.overdue_at = self._now()
        elif key == CLOSED:
            f.statuses = (cases.CLOSED,)
        return f

    def apply_filter(self) -> None:
        self._search_timer.stop()
        read_list(self, self.model, self.current_filter, self.tr("无法读取工单"))
        self._update_count()

    def refresh(self) -> None:
        """Reload the list and the escalation panel (after a save here or elsewhere)."""
        self.apply_filter()
        if self.escalation_panel.isVisibleTo(self):
            self.escalation_panel.refresh()

    def reload_lists(self) -> None:
        """Something was saved (here or at another desk): re-read the list with the filter in
        force and the escalation list, keeping the selected case and the scroll position (a
        search being typed and the new-case form are left alone)."""
        with kept_place(self.view):
            self.model.refresh()
        self._update_count()
        if self.escalation_panel.isVisibleTo(self):
            with kept_place(self.escalation_panel.view):
                self.escalation_panel.refresh()

    def tick(self) -> None:
        """Every minute: the countdowns move on (no database read for the list)."""
        self.model.tick()
        if self.detail_dialog is not None and self.detail_dialog.isVisible():
            self.detail_dialog.tick()

    def _update_count(self) -> None:
        self.count_label.setText(self.tr("共 {0} 张").format(self.model.total()))

    # ---- opening -------------------------------------------------------------------------------
    def open_case(self, case_id: int) -> CaseDetailDialog | None:
        """Show one case (non-blocking, window-modal)."""
        if self.detail_dialog is not None and self.detail_dialog.isVisible():
            self.detail_dialog.close()

        def wire(dialog: CaseDetailDialog) -> None:
            dialog.changed.connect(self._edited)
            dialog.open_case.connect(self.open_case)

        return open_detail(self, lambda: CaseDetailDialog(self._session, case_id, self), wire)

    def new_case(self) -> CaseForm:
        """直接登记 (F5): the new-case form (non-blocking)."""
        return self.open_form()

    def _make_form(self) -> CaseForm:
        form = CaseForm(self._session, self)
        form.saved.connect(self._created)
        form.open_case.connect(self._open_from_form)
        return form

    def _open_from_form(self, case_id: int) -> None:
        """An earlier case at the same place, opened from the new-case form: a read-only look
        on top of the form (the form stays as it is)."""
        parent = self.form or self
        open_detail(
            self,
            lambda: CaseDetailDialog(self._session, case_id, parent),
            lambda dialog: dialog.changed.connect(self._edited),
            "earlier_dialog",
        )

    # ---- what the main window uses ------------------------------------------------------------
    def set_session(self, session: Session) -> None:
        self._session = session
        self._close_form()
        self._fill_departments()
        self._apply_role()
        self.refresh()

    def _created(self, case: object) -> None:
        self.refresh()
        self.changed.emit()
        row = self.model.row_of(getattr(case, "id", -1))
        if row >= 0:
            self.view.selectRow(row)

    def _edited(self, _case: object) -> None:
        self.refresh()
        self.changed.emit()
