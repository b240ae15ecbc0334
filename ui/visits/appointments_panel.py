"""预约来访: today's expected visitors, booking one, cancelling, marking no-shows, and 到访登记
(which fills the guest form with the appointment so no host consent is needed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush
from PySide6.QtGui import QColor
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QComboBox
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QSpinBox
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from reception.clock import format_local
from reception.clock import to_utc
from reception.errors import ReceptionError
from reception.services import visits
from reception.services.records import Appointment
from reception.services.records import Resident
from reception.services.session import Session
from ui.visits.visit_widgets import compact_table
from ui.visits.visit_widgets import side_panel
from ui.widgets import msgbox
from ui.widgets import palette
from ui.widgets.fields import form_layout
from ui.widgets.form_parts import datetime_edit
from ui.widgets.form_parts import set_edit_utc
from ui.widgets.form_parts import utc_from_edit
from ui.widgets.forms import ascii_only
from ui.widgets.list_position import ROW_ROLE
from ui.widgets.paged_model import RowsTableModel
from ui.widgets.resident_lookup import ResidentLookup
from ui.widgets.small_dialogs import accept_with
from ui.widgets.small_dialogs import attempt
from ui.widgets.small_dialogs import framed
from ui.widgets.small_dialogs import lay_out


@dataclass
class AppointmentPrefill:
    """What a refused walk-in leaves for booking a later visit."""

    visitor_name: str = ""
    visitor_phone: str = ""
    party_size: int = 1
    host: Resident | None = None
    staff_host: str = ""
    purpose: str = ""


def host_text(resident: Resident | None, staff_host: str) -> str:
    return visits.host_label(resident, staff_host)


class AppointmentDialog(QDialog):
    """新建预约. ``booked(Appointment)`` once saved; the dialog then accepts."""

    booked = Signal(object)

    def __init__(
        self, session: Session, parent: QWidget | None = None, prefill: AppointmentPrefill | None = None
    ) -> None:
        super().__init__(parent)
        self._session = session
        self.appointment: Appointment | None = None
        # focus order: as laid out
        self.general, self.errors = framed(self, self.tr("新建预约来访"), 520, fit=False)
        form = form_layout()

        self.name_edit = QLineEdit()
        form.addRow(self.tr("访客姓名"), self.errors.wrap("visitor_name", self.name_edit))
        self.phone_edit = QLineEdit()
        ascii_only(self.phone_edit)
        self.phone_edit.setPlaceholderText(self.tr("到访时凭电话匹配预约，建议填写"))
        form.addRow(self.tr("访客电话"), self.errors.wrap("visitor_phone", self.phone_edit))
        self.party_spin = QSpinBox()
        self.party_spin.setRange(1, 50)
        self.party_spin.setSuffix(self.tr(" 人"))
        form.addRow(self.tr("人数"), self.errors.wrap("party_size", self.party_spin))
        self.expected_edit = datetime_edit()
        form.addRow(self.tr("预计到访"), self.errors.wrap("expected_at", self.expected_edit))
        self.host_lookup = ResidentLookup()
        self.staff_edit = QLineEdit()
        self.staff_edit.setPlaceholderText(self.tr("或受访的工作人员/部门"))
        host_box = QWidget()
        host_col = QVBoxLayout(host_box)
        host_col.setContentsMargins(0, 0, 0, 0)
        host_col.setSpacing(4)
        host_col.addWidget(self.host_lookup)
        host_col.addWidget(self.staff_edit)
        form.addRow(self.tr("受访方"), self.errors.wrap("host", host_box, focus=self.host_lookup))
        self.purpose_combo = QComboBox()
        self.purpose_combo.setEditable(True)
        self.purpose_combo.addItems([self.tr(p) for p in visits.GUEST_PURPOSES])
        self.purpose_combo.setCurrentIndex(-1)
        form.addRow(self.tr("来访事由"), self.errors.wrap("purpose", self.purpose_combo))
        self.booked_by_edit = QLineEdit()
        self.booked_by_edit.setPlaceholderText(self.tr("谁通知的预约，如 业主电话预约"))
        form.addRow(self.tr("预约人"), self.errors.wrap("booked_by", self.booked_by_edit))

        self.ok_button = lay_out(self, form, self.general, self.save, self.tr("保存预约"), self.tr("取消"))

        local = session.clock.local_now().replace(second=0, microsecond=0)
        start = local + timedelta(minutes=60 - local.minute if local.minute else 60)
        set_edit_utc(self.expected_edit, to_utc(start))
        if prefill is not None:
            self.name_edit.setText(prefill.visitor_name)
            self.phone_edit.setText(prefill.visitor_phone)
            self.party_spin.setValue(max(prefill.party_size, 1))
            if prefill.host is not None:
                self.host_lookup.set_resident(prefill.host)
            self.staff_edit.setText(prefill.staff_host)
            self.purpose_combo.setCurrentText(prefill.purpose)
            # A refused walk-in books for another day: tomorrow, same hour.
            set_edit_utc(self.expected_edit, to_utc(start + timedelta(days=1)))
        self.name_edit.setFocus()

    def build_input(self) -> visits.AppointmentInput:
        resident = self.host_lookup.resident()
        return visits.AppointmentInput(
            visitor_name=self.name_edit.text(),
            visitor_phone=self.phone_edit.text(),
            party_size=self.party_spin.value(),
            expected_at=utc_from_edit(self.expected_edit),
            host_resident_id=resident.id if resident is not None else None,
            staff_host=self.staff_edit.text() if resident is None else "",
            purpose=self.purpose_combo.currentText(),
            booked_by=self.booked_by_edit.text(),
        )

    def save(self) -> Appointment | None:
        self.appointment = attempt(
            self.errors, lambda: visits.book_appointment(self._session, self.build_input())
        )
        return accept_with(self, self.booked, self.appointment)


class AppointmentsModel(RowsTableModel):
    """Rows are :class:`visits.AppointmentRow`: the phone comes masked and is shown as it comes."""

    headers = ("预计时间", "访客", "人数", "受访方", "事由", "状态")
    context = "AppointmentsModel"
    texts = (
        lambda _, row: format_local(row.expected_at, "%H:%M"),
        "visitor_name",
        lambda _, row: str(row.party_size),
        "host_label",
        "purpose",
        "status",
    )

    def tooltip(self, row: visits.AppointmentRow) -> str | None:
        parts = [row.visitor_name, row.visitor_phone_masked, row.booked_by]
        return "  ".join(p for p in parts if p) or None

    def foreground(self, row: visits.AppointmentRow) -> QBrush | None:
        if row.status == visits.ARRIVED:
            return QBrush(QColor(palette.OK))
        if row.status in (visits.NO_SHOW, visits.CANCELLED):
            return QBrush(QColor(palette.GONE))
        return None

    def font_of(self, row: Appointment) -> QFont | None:
        if row.status != visits.EXPECTED:
            return None
        font = QFont()
        font.setBold(True)
        return font


class AppointmentsPanel(QWidget):
    """Today's appointments. ``arrival_requested(Appointment)`` for 到访登记; ``changed`` after a
    booking, a cancellation or no-shows were marked."""

    arrival_requested = Signal(object)
    changed = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.dialog: AppointmentDialog | None = None
        self.model = AppointmentsModel(self)
        self.view = compact_table(self.model, {0: 64, 1: 70, 2: 40, 3: 150, 5: 60}, stretch=4)
        self.view.activated.connect(lambda _index: self.arrive_selected())
        self.view.selectionModel().currentRowChanged.connect(lambda *_a: self._update_buttons())

        self.arrive_button = QPushButton(self.tr("到访登记"))
        self.arrive_button.setToolTip(self.tr("把所选预约填入访客登记，无需再征询受访方"))
        self.arrive_button.clicked.connect(self.arrive_selected)
        self.book_button = QPushButton(self.tr("新建预约…"))
        self.book_button.clicked.connect(lambda: self.book())
        self.cancel_button = QPushButton(self.tr("取消预约"))
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.no_show_button = QPushButton(self.tr("标记今日未到"))
        self.no_show_button.setToolTip(self.tr("今天仍未到访的预约记为“未到”（一般在下班前操作）"))
        self.no_show_button.clicked.connect(self.mark_no_shows)
        self.summary = QLabel()
        self.summary.setStyleSheet(f"color: {palette.MUTED};")

        side_panel(
            self,
            self.summary,
            self.view,
            [self.arrive_button, self.book_button],
            [self.cancel_button, self.no_show_button],
        )
        self.refresh()

    def set_session(self, session: Session) -> None:
        self._session = session
        self.refresh()

    def refresh(self) -> None:
        current = self.selected()
        self.model.set_rows(visits.appointments_for_day(self._session.clock.today()))
        if current is not None:
            for row in range(self.model.rowCount()):
                if self.model.row_at(row).id == current.id:
                    self.view.selectRow(row)
        waiting = self.expected_count()
        self.summary.setText(
            self.tr("今日预约 {0} 个，待到访 {1} 个").format(self.model.rowCount(), waiting)
            if self.model.rowCount()
            else self.tr("今日暂无预约")
        )
        self._update_buttons()

    def expected_count(self) -> int:
        return sum(1 for r in range(self.model.rowCount()) if self.model.row_at(r).status == visits.EXPECTED)

    def selected(self) -> visits.AppointmentRow | None:
        return self.model.data(self.view.currentIndex(), ROW_ROLE)

    def select_row(self, row: int) -> None:
        self.view.selectRow(row)
        self._update_buttons()

    def _update_buttons(self) -> None:
        appt = self.selected()
        open_ = appt is not None and appt.status == visits.EXPECTED
        self.arrive_button.setEnabled(open_)
        self.cancel_button.setEnabled(open_)
        self.no_show_button.setEnabled(self.expected_count() > 0)

    def arrive_selected(self) -> None:
        row = self.selected()
        if row is None or row.status != visits.EXPECTED:
            return
        appt = visits.appointment_for_arrival(row.id)
        if appt is None:  # another desk registered or cancelled it meanwhile
            self.refresh()
            return
        self.arrival_requested.emit(appt)

    def book(self, prefill: AppointmentPrefill | None = None) -> AppointmentDialog:
        """Open 新建预约 (window-modal, not blocking)."""
        dialog = AppointmentDialog(self._session, self, prefill)
        dialog.booked.connect(self._booked)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _booked(self, _appointment: object) -> None:
        self.refresh()
        self.changed.emit()

    def cancel_selected(self) -> None:
        appt = self.selected()
        if appt is None or appt.status != visits.EXPECTED:
            return
        if not msgbox.ask(
            self,
            self.tr("取消预约"),
            self.tr("确定取消 {0} 预计 {1} 的来访预约吗？").format(
                appt.visitor_name, format_local(appt.expected_at, "%H:%M")
            ),
        ):
            return
        try:
            visits.cancel_appointment(self._session, appt.id)
        except ReceptionError as exc:
            msgbox.error(self, self.tr("未能取消"), exc.message)
        self.refresh()
        self.changed.emit()

    def mark_no_shows(self) -> int:
        waiting = self.expected_count()
        if not waiting or not msgbox.ask(
            self,
            self.tr("标记今日未到"),
            self.tr("今天还有 {0} 个预约未到访，确定全部记为“未到”吗？").format(waiting),
        ):
            return 0
        try:
            count = visits.mark_no_shows(self._session, self._session.clock.today())
        except ReceptionError as exc:
            msgbox.error(self, self.tr("未能标记"), exc.message)
            return 0
        self.refresh()
        self.changed.emit()
        return count
