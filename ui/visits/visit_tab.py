"""The visitor desk tab (来访): registering outside visitors (F3) and residents on business, the
visit list, and beside them the visitors on site, today's appointments and today's incidents.

A badge scanned anywhere in the tab checks its visitor out (see :mod:`ui.visits.scan_catcher`); the
扫码离开 field at the top always works too, for a scanner or typed by hand."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtCore import QTimer
from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtGui import QFont
from PySide6.QtGui import QHideEvent
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QApplication
from PySide6.QtWidgets import QComboBox
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QHeaderView
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QMainWindow
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QTabWidget
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from reception.clock import format_local
from reception.errors import ReceptionError
from reception.rules import identity
from reception.services import card_reader
from reception.services import visits
from reception.services.records import Visit
from reception.services.session import Role
from reception.services.session import Session
from ui.visits import visit_list_model as cols
from ui.visits.appointments_panel import AppointmentPrefill
from ui.visits.appointments_panel import AppointmentsPanel
from ui.visits.business_visit_form import BusinessVisitForm
from ui.visits.card_reader import CardReaderLink
from ui.visits.card_reader import shared_link
from ui.visits.guest_form import GuestForm
from ui.visits.incident_dialog import IncidentDialog
from ui.visits.incident_dialog import IncidentsPanel
from ui.visits.on_site_panel import OnSitePanel
from ui.visits.scan_catcher import ScanCatcher
from ui.visits.visit_list_model import VisitListModel
from ui.visits.visit_widgets import Banner
from ui.visits.visit_widgets import compact_table
from ui.visits.watchlist_dialog import WatchListDialog
from ui.widgets import palette
from ui.widgets.forms import ascii_only
from ui.widgets.list_position import kept_place
from ui.widgets.record_list import ALL
from ui.widgets.record_list import LAST_7_DAYS
from ui.widgets.record_list import TODAY
from ui.widgets.record_list import DateFilterBar
from ui.widgets.record_list import choice_filter
from ui.widgets.record_list import search_box
from ui.widgets.tab_parts import count_label
from ui.widgets.tab_parts import filter_bar
from ui.widgets.tab_parts import panes
from ui.widgets.tab_parts import show_dialog
from ui.widgets.tab_parts import watch_filters

REFRESH_MS = 60_000
GUEST_PAGE, BUSINESS_PAGE, LIST_PAGE = 0, 1, 2
ON_SITE_SIDE, APPOINTMENTS_SIDE, INCIDENTS_SIDE = 0, 1, 2


class VisitTab(QWidget):
    """The main window hosts this tab; ``changed`` is emitted after anything was saved."""

    changed = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.incident_dialog: IncidentDialog | None = None
        self.watch_dialog: WatchListDialog | None = None
        self.scan_catcher = ScanCatcher(self)
        self.scan_catcher.scanned.connect(self.checkout_pass)
        self._filter_installed = False
        self.card_link: CardReaderLink | None = None
        self._pending_card: card_reader.CardRead | None = None

        self.guest_form = GuestForm(session)
        self.business_form = BusinessVisitForm(session)
        self.forms = QTabWidget()
        self.forms.addTab(self.guest_form, self.tr("访客登记 (F3)"))
        self.forms.addTab(self.business_form, self.tr("业户办事 (F6)"))
        self.forms.addTab(self._build_list(), self.tr("来访记录"))

        self.on_site_panel = OnSitePanel(session)
        self.appointments_panel = AppointmentsPanel(session)
        self.incidents_panel = IncidentsPanel(session)
        self.side = QTabWidget()
        self.side.addTab(self.on_site_panel, self.tr("在场访客"))
        self.side.addTab(self.appointments_panel, self.tr("今日预约"))
        self.side.addTab(self.incidents_panel, self.tr("今日异常"))

        self.forms.currentChanged.connect(self._update_card_wanted)
        self.guest_form.saved.connect(self._visit_saved)
        self.guest_form.book_requested.connect(self.book_appointment)
        self.business_form.saved.connect(self._visit_saved)
        self.on_site_panel.changed.connect(self._something_changed)
        self.on_site_panel.counts_changed.connect(self._on_site_counts)
        self.appointments_panel.changed.connect(self._appointments_changed)
        self.appointments_panel.arrival_requested.connect(self.register_arrival)
        self.incidents_panel.add_requested.connect(self.record_incident)

        splitter = panes(Qt.Orientation.Horizontal, [self.forms, self.side], (3, 2), (780, 480))
        self.splitter = splitter

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addLayout(self._build_top_bar())
        layout.addWidget(splitter, 1)

        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh_side)
        self._update_role()
        self.refresh()
        self._setup_reader()

    # ---- building ------------------------------------------------------------------------------
    def _build_top_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        bar.setSpacing(8)
        caption = QLabel(self.tr("扫码离开"))
        font = QFont(self.font())
        font.setBold(True)
        caption.setFont(font)
        self.scan_edit = QLineEdit()
        ascii_only(self.scan_edit)
        self.scan_edit.setPlaceholderText(self.tr("扫描访客证二维码，或输入证号后按 Enter"))
        self.scan_edit.setClearButtonEnabled(True)
        self.scan_edit.setMinimumWidth(260)
        self.scan_edit.setMaximumWidth(320)
        self.scan_edit.returnPressed.connect(self._scan_entered)
        self.scan_banner = Banner()
        self.incident_button = QPushButton(self.tr("登记异常情况…"))
        self.incident_button.clicked.connect(self.record_incident)
        self.watch_button = QPushButton(self.tr("关注名单…"))
        self.watch_button.clicked.connect(self.open_watch_list)
        bar.addWidget(caption)
        bar.addWidget(self.scan_edit)
        bar.addWidget(self.scan_banner, 1)
        self.card_offer = QPushButton(self.tr("新访客？"))
        self.card_offer.setAutoDefault(False)
        self.card_offer.clicked.connect(self.accept_pending_card)
        self.card_offer.hide()
        self.reader_status = QLabel()
        self.reader_status.setObjectName("readerStatus")
        self.reader_status.hide()
        bar.addWidget(self.card_offer)
        bar.addWidget(self.reader_status)
        bar.addStretch(0)
        bar.addWidget(self.incident_button)
        bar.addWidget(self.watch_button)
        return bar

    def _build_list(self) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(4, 4, 4, 4)
        column.setSpacing(4)
        self.dates = DateFilterBar(self._session.clock.today, (TODAY, LAST_7_DAYS, ALL))
        self.kind_filter = QComboBox()
        self.kind_filter.addItem(self.tr("全部类型"), "")
        self.kind_filter.addItem(self.tr("访客"), visits.GUEST)
        self.kind_filter.addItem(self.tr("业户办事"), visits.BUSINESS)
        self.status_filter = choice_filter(
            self.tr("全部状态"), (visits.ON_SITE, visits.LEFT, visits.NOT_ADMITTED, visits.DONE), self.tr
        )
        self.search_edit = search_box(self.tr("搜索：姓名、去向、事由、证号、车牌"))
        self.count_label = count_label()
        self.export_button = QPushButton(self.tr("导出电子表格…"))
        self.export_button.setAutoDefault(False)
        self.export_button.clicked.connect(self.export_excel)
        filters = (self.dates, self.kind_filter, self.status_filter)
        column.addLayout(filter_bar((), filters, self.search_edit, self.count_label, [self.export_button]))

        self.model = VisitListModel(self._now, self)
        self.view = compact_table()
        self.view.setModel(self.model)
        header = self.view.horizontalHeader()
        widths = {
            cols.SERIAL: 118,
            cols.TIME: 84,
            cols.KIND: 64,
            cols.VISITOR: 80,
            cols.PHONE: 96,
            cols.ID: 140,
            cols.PURPOSE: 72,
            cols.DESTINATION: 120,
            cols.STATUS: 84,
            cols.LEFT_AT: 60,
            cols.OPERATOR: 60,
            cols.DESK: 72,
        }
        for col, width in widths.items():
            header.resizeSection(col, width)
        header.setSectionResizeMode(cols.DESTINATION, QHeaderView.ResizeMode.Interactive)
        # Where each visitor stands (在场 / 已离开 / 未放行) beside the name, not past the right
        # edge: the list is about 820 px wide at 1366×768 and its columns need 1050.
        header.moveSection(header.visualIndex(cols.STATUS), header.visualIndex(cols.VISITOR) + 1)
        column.addWidget(self.view, 1)

        changes = [
            self.dates.changed,
            self.kind_filter.currentIndexChanged,
            self.status_filter.currentIndexChanged,
        ]
        self._search_timer = watch_filters(self, self.apply_filter, self.search_edit, changes)
        return box

    # ---- what the main window uses ---------------------------------------------------------------
    def set_session(self, session: Session) -> None:
        self._session = session
        self.guest_form.set_session(session)
        self.business_form.set_session(session)
        self.on_site_panel.set_session(session)
        self.appointments_panel.set_session(session)
        self.incidents_panel.set_session(session)
        self.scan_banner.clear_text()
        self._update_role()
        self.refresh()

    def new_guest(self) -> None:
        """F3: the guest form, empty, cursor in the name."""
        self.forms.setCurrentWidget(self.guest_form)
        self.guest_form.new_guest()

    def new_business(self) -> None:
        """F6: the 业户办事 form, the cursor in 业户 (what is being typed there is kept)."""
        self.forms.setCurrentWidget(self.business_form)
        self.business_form.lookup.setFocus()

    def has_unsaved(self) -> bool:
        return self.guest_form.has_content() or self.business_form.has_content()

    def save_drafts(self) -> bool:
        """Keep both forms' half-filled input as the operator's drafts."""
        guest = self.guest_form.draft.save_now()
        business = self.business_form.draft.save_now()
        return guest and business

    def restore_drafts(self) -> bool:
        guest = self.guest_form.restore_saved_draft()
        business = self.business_form.restore_saved_draft()
        if guest or business:
            self.forms.setCurrentWidget(self.guest_form if guest else self.business_form)
        return guest or business

    def on_site_counts(self) -> tuple[int, int]:
        return visits.count_on_site(self._now())

    # ---- state -------------------------------------------------------------------------------------
    def _now(self):
        return self._session.clock.now()

    def _update_role(self) -> None:
        allowed = self._session.has(Role.SUPERVISOR)
        # Exports are for supervisors (the service refuses anyone else and logs the attempt).
        self.export_button.setEnabled(allowed)
        self.export_button.setToolTip("" if allowed else self.tr("导出需要主管权限"))
        self.watch_button.setEnabled(allowed)
        self.watch_button.setToolTip(
            self.tr("查看和维护关注名单") if allowed else self.tr("只有主管或管理员可以维护关注名单")
        )

    def showEvent(self, event: QShowEvent) -> None:
        app = QApplication.instance()
        if app is not None and not self._filter_installed:
            app.installEventFilter(self.scan_catcher)
            self._filter_installed = True
        self.timer.start()
        super().showEvent(event)
        self._update_card_wanted()

    def hideEvent(self, event: QHideEvent) -> None:
        app = QApplication.instance()
        if app is not None and self._filter_installed:
            app.removeEventFilter(self.scan_catcher)
            self._filter_installed = False
        self.timer.stop()
        super().hideEvent(event)
        self._update_card_wanted()

    def current_filter(self) -> visits.VisitFilter:
        f = visits.VisitFilter(
            kind=self.kind_filter.currentData() or "",
            status=self.status_filter.currentData() or "",
            search=self.search_edit.text(),
        )
        self.dates.follow_today()
        f.date_from, f.date_to = self.dates.dates()
        return f

    def export_excel(self) -> Path | None:
        """The filtered visits to Excel (supervisors): masked by default, or 'full' with a reason;
        the service audits the range, the row count and the reason."""
        from ui.widgets.export_dialog import export_records

        return export_records(
            self,
            self.tr("导出来访登记"),
            self.tr("来访记录"),
            self.tr("来访登记-{0}.xlsx").format(self._session.clock.today().strftime("%Y%m%d")),
            lambda path, choice: visits.export_xlsx(
                self._session, self.current_filter(), path, full=choice.full, full_reason=choice.reason
            ),
            self.tr("已导出 {0} 条来访（{1}）到：\n{2}"),
            self.tr("完整号码，已记入审计日志"),
        )

    def apply_filter(self) -> None:
        self._search_timer.stop()
        self.model.set_filter(self.current_filter())
        self._update_desk_column()
        self.count_label.setText(self.tr("共 {0} 条").format(self.model.total()))

    def refresh_side(self) -> None:
        self.on_site_panel.refresh()
        self.appointments_panel.refresh()
        self.incidents_panel.refresh()
        self._update_side_titles()

    def refresh(self) -> None:
        self.apply_filter()
        self.refresh_side()

    def reload_lists(self) -> None:
        """Something was saved (here or at another desk — a visitor checked out at the other
        gate): re-read the visit list with the filter in force and the side panels, keeping
        selections and scroll positions. The registration forms are left as they are."""
        with kept_place(self.view):
            self.model.refresh()
        self._update_desk_column()
        self.count_label.setText(self.tr("共 {0} 条").format(self.model.total()))
        self.refresh_side()

    def _update_desk_column(self) -> None:
        """The 前台 column only when some visit was registered at a named desk (several desks)."""
        self.view.setColumnHidden(cols.DESK, not self.model.has_desks())

    def _on_site_counts(self, count: int, expired: int) -> None:
        if expired:
            text = self.tr("在场访客 ({0}，超时 {1})").format(count, expired)
        elif count:
            text = self.tr("在场访客 ({0})").format(count)
        else:
            text = self.tr("在场访客")
        self.side.setTabText(ON_SITE_SIDE, text)
        self.side.tabBar().setTabTextColor(ON_SITE_SIDE, QColor(palette.OVERDUE) if expired else QColor())

    def _update_side_titles(self) -> None:
        waiting = self.appointments_panel.expected_count()
        self.side.setTabText(
            APPOINTMENTS_SIDE, self.tr("今日预约 ({0})").format(waiting) if waiting else self.tr("今日预约")
        )
        incidents = self.incidents_panel.count()
        self.side.setTabText(
            INCIDENTS_SIDE, self.tr("今日异常 ({0})").format(incidents) if incidents else self.tr("今日异常")
        )

    def _visit_saved(self, _visit: object) -> None:
        self.refresh()
        self.changed.emit()

    def _something_changed(self) -> None:
        self.apply_filter()
        self._update_side_titles()
        self.changed.emit()

    def _appointments_changed(self) -> None:
        self._update_side_titles()
        self.changed.emit()

    # ---- appointments ------------------------------------------------------------------------------
    def register_arrival(self, appointment: object) -> None:
        """到访登记 on an appointment: the guest form, filled from it."""
        self.forms.setCurrentWidget(self.guest_form)
        self.guest_form.load_appointment(appointment)  # type: ignore[arg-type]

    def book_appointment(self, prefill: object = None) -> None:
        self.side.setCurrentWidget(self.appointments_panel)
        self.appointments_panel.book(prefill if isinstance(prefill, AppointmentPrefill) else None)

    # ---- the card reader (二代证) ----------------------------------------------------------------------
    def _setup_reader(self) -> None:
        try:
            pc = card_reader.this_pc_reader()
        except (OSError, ReceptionError):
            return
        self.use_reader(pc.kind, pc.port, pc.speed)
        shared_link().settings_changed.connect(self.use_reader)

    def use_reader(self, kind: str, port: str = "", speed: int = card_reader.DEFAULT_SPEED) -> None:
        """The reader of 设置 → 本机: the SAM reader on its port, or a keyboard-wedge reader (the
        ID field then takes a fast burst of 18 characters and Enter as a card read)."""
        self.guest_form.wedge.enabled = kind == card_reader.WEDGE
        if kind != card_reader.SERIAL or not port:
            if self.card_link is not None:
                self.card_link.stop()
                self.card_link.card_read.disconnect(self.card_read)
                self.card_link.status_changed.disconnect(self._reader_status)
                self.card_link = None
            self.reader_status.hide()
            return
        link = shared_link()
        if self.card_link is not link:
            link.card_read.connect(self.card_read)
            link.status_changed.connect(self._reader_status)
            self.card_link = link
        link.start(port, speed)
        self._reader_status(link.state, link.detail)
        self._update_card_wanted()

    def _update_card_wanted(self, *_args: object) -> None:
        """Poll while this tab is shown (a card read outside the guest form offers 新访客？)."""
        if self.card_link is not None:
            self.card_link.set_wanted(self.isVisible())

    def _reader_status(self, state: str, detail: str) -> None:
        text = card_reader.status_text(state, detail)
        tone = {card_reader.CONNECTED: palette.OK_BRIGHT, card_reader.PAUSED: palette.MUTED}.get(
            state, palette.OVERDUE
        )
        self.reader_status.setText("● " + text)
        self.reader_status.setStyleSheet(f"color: {tone};")
        self.reader_status.setToolTip(text)
        self.reader_status.show()
        window = self.window()
        if state not in (card_reader.CONNECTED, card_reader.PAUSED) and isinstance(window, QMainWindow):
            window.statusBar().showMessage(self.tr("读卡器：%1").replace("%1", text), 10_000)

    def card_read(self, read: card_reader.CardRead) -> None:
        """A card on the reader: into the guest form when it is open and holds no other visitor;
        otherwise 新访客？ is offered (nothing typed is overwritten)."""
        form = self.guest_form
        open_here = self.forms.currentWidget() is form
        if open_here and (not form.id_number_edit.text().strip() or form.card_source()):
            self._pending_card = None
            self.card_offer.hide()
            form.fill_from_card(read)
            return
        self._pending_card = read
        name = read.card.display_name()
        self.scan_banner.show_text(
            self.tr("读到证件：{0}（{1}）").format(name, identity.mask(read.card.id_number)), "info"
        )
        self.card_offer.show()

    def accept_pending_card(self) -> None:
        """新访客？ → a new guest form filled from the card just read."""
        read, self._pending_card = self._pending_card, None
        self.card_offer.hide()
        if read is None:
            return
        self.forms.setCurrentWidget(self.guest_form)
        if self.guest_form.has_content() and not self.guest_form.discard():
            self._pending_card = read
            self.card_offer.show()
            return
        self.scan_banner.clear_text()
        self.guest_form.fill_from_card(read)

    # ---- check-out by scanning ---------------------------------------------------------------------
    def _scan_entered(self) -> None:
        text = self.scan_edit.text().strip()
        if text:
            self.checkout_pass(text)

    def checkout_pass(self, pass_no: str) -> Visit | None:
        """Check the visitor of a scanned pass out; the result shows at the top of the tab."""
        self.scan_edit.clear()
        try:
            visit = visits.checkout_by_pass(self._session, pass_no)
        except ReceptionError as exc:
            self.scan_banner.show_text("✗ " + exc.message, "danger")
            self.scan_banner.setToolTip(exc.message)
            QApplication.beep()
            return None
        when = format_local(visit.checked_out_at, "%H:%M")
        message = self.tr("✓ {0} 已登记离开（{1}，{2}）").format(visit.visitor_name, visit.serial, when)
        self.scan_banner.show_text(message, "ok")
        self.scan_banner.setToolTip(message)
        self.on_site_panel.refresh()
        self._something_changed()
        return visit

    # ---- incidents and the watch list ----------------------------------------------------------------
    def current_visit(self) -> tuple[Visit | None, bool]:
        """The visit an incident would be linked to, and whether it was picked on purpose: the one
        selected in the list or the on-site panel (picked), else the one just registered (only
        offered: the receptionist ticks it if it is that visitor)."""
        if self.forms.currentIndex() == LIST_PAGE:
            visit = self.model.data(self.view.currentIndex(), cols.ROW_ROLE)
            if visit is not None:
                return visit, True
        if self.side.currentWidget() is self.on_site_panel:
            visit = self.on_site_panel.selected()
            if visit is not None:
                return visit, True
        return self.guest_form.last_visit(), False

    def record_incident(self) -> IncidentDialog:
        visit, picked = self.current_visit()
        link = (
            self.tr("关联来访 %1　%2").replace("%1", visit.serial).replace("%2", visit.visitor_name)
            if visit is not None
            else ""
        )
        dialog = IncidentDialog(
            self._session,
            self,
            visit_id=visit.id if visit is not None else None,
            link_text=link,
            linked=picked,
        )
        dialog.recorded.connect(self._incident_recorded)
        return show_dialog(self, "incident_dialog", dialog)

    def _incident_recorded(self, _incident: object) -> None:
        self.incidents_panel.refresh()
        self._update_side_titles()
        self.side.setCurrentWidget(self.incidents_panel)
        self.changed.emit()

    def open_watch_list(self) -> WatchListDialog | None:
        if not self._session.has(Role.SUPERVISOR):
            return None
        return show_dialog(self, "watch_dialog", WatchListDialog(self._session, self))
