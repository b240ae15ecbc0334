"""The call desk tab (来电登记): the call form, the messages and callbacks always at hand beside
it, and the call list with its filters underneath."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from reception.errors import ReceptionError
from reception.services import auth, calls
from reception.services.calls import CallFilter, CallResult
from reception.services.session import Session
from ui.calls import call_list_model as cols
from ui.calls.call_detail_dialog import CallDetailDialog
from ui.calls.call_form import CallForm
from ui.calls.call_list_model import CallListModel
from ui.calls.callbacks_panel import CallbacksPanel
from ui.calls.messages_panel import MessagesPanel
from ui.phone.caller_panel import CallerPanelBox
from ui.widgets import msgbox
from ui.widgets.forms import as_date
from ui.widgets.list_position import kept_place

# Date range quick choices (data of the range combo).
TODAY, LAST_7_DAYS, THIS_MONTH, ALL, CUSTOM = "today", "7days", "month", "all", "custom"
SEARCH_DELAY_MS = 300


class CallTab(QWidget):
    """The main window hosts this tab; ``changed`` is emitted after anything was saved."""

    changed = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.detail_dialog: CallDetailDialog | None = None

        self.form = CallForm(session)
        self.form.saved.connect(self._call_saved)
        self.messages_panel = MessagesPanel(session)
        self.callbacks_panel = CallbacksPanel(session)
        self.side_tabs = QTabWidget()
        self.side_tabs.addTab(self.messages_panel, self.tr("待转达留言"))
        self.side_tabs.addTab(self.callbacks_panel, self.tr("待回电"))
        self.caller_panel = CallerPanelBox()  # the desk phone's pop fills it (ui/phone)
        self.side_tabs.addTab(self.caller_panel, self.tr("来电人"))
        self.messages_panel.count_changed.connect(self._messages_count)
        self.callbacks_panel.counts_changed.connect(self._callbacks_count)
        self.messages_panel.changed.connect(self._panel_changed)
        self.callbacks_panel.changed.connect(self._panel_changed)

        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(self.form)
        top.addWidget(self.side_tabs)
        top.setStretchFactor(0, 3)
        top.setStretchFactor(1, 1)
        top.setChildrenCollapsible(False)
        top.setSizes([900, 340])

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(top)
        self.splitter.addWidget(self._build_list())
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.splitter)

        # F2 starts a call. The main window binds F2 too (a window-wide action); two enabled
        # bindings of one key are "ambiguous" and Qt would then run neither, so the tab's own
        # shortcut is only active when the window around it has none (see showEvent).
        self.f2_shortcut = QShortcut(QKeySequence(Qt.Key.Key_F2), self)
        self.f2_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.f2_shortcut.activated.connect(self.new_call)

        self._messages_count(self.messages_panel.model.rowCount())
        self.callbacks_panel.refresh()
        self.apply_filter()

    def showEvent(self, event: QShowEvent) -> None:
        self.f2_shortcut.setEnabled(not self._window_binds_f2())
        super().showEvent(event)

    def _window_binds_f2(self) -> bool:
        window = self.window()
        if window is self:
            return False
        f2 = QKeySequence(Qt.Key.Key_F2)
        actions = window.actions() + window.findChildren(QAction)
        return any(f2 in action.shortcuts() and action.isEnabled() for action in actions)

    # ---- the list ------------------------------------------------------------------------------
    def _build_list(self) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 4, 0, 0)
        column.setSpacing(4)
        bar = QHBoxLayout()
        bar.setSpacing(6)
        title = QLabel(self.tr("来电记录"))
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        bar.addWidget(title)
        bar.addSpacing(8)

        self.range_combo = QComboBox()
        for key, label in (
            (TODAY, "今天"),
            (LAST_7_DAYS, "近7天"),
            (THIS_MONTH, "本月"),
            (ALL, "全部"),
            (CUSTOM, "自定义"),
        ):
            self.range_combo.addItem(self.tr(label), key)
        self.date_from = QDateEdit()
        self.date_to = QDateEdit()
        for edit in (self.date_from, self.date_to):
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setCalendarPopup(True)
            edit.setEnabled(False)
        self.category_filter = QComboBox()
        self.category_filter.addItem(self.tr("全部类别"), "")
        for category in calls.CATEGORIES:
            self.category_filter.addItem(self.tr(category), category)
        self.outcome_filter = QComboBox()
        self.outcome_filter.addItem(self.tr("全部结果"), "")
        for outcome in calls.OUTCOMES:
            self.outcome_filter.addItem(self.tr(outcome), outcome)
        self.operator_filter = QComboBox()
        self._fill_operators()
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("搜索：来电人、内容、地址、编号、电话"))
        self.search_edit.setClearButtonEnabled(True)
        self.count_label = QLabel()
        self.count_label.setStyleSheet("color: #5f6b7a;")

        bar.addWidget(self.range_combo)
        bar.addWidget(self.date_from)
        bar.addWidget(QLabel(self.tr("至")))
        bar.addWidget(self.date_to)
        bar.addWidget(self.category_filter)
        bar.addWidget(self.outcome_filter)
        bar.addWidget(self.operator_filter)
        bar.addWidget(self.search_edit, 1)
        bar.addWidget(self.count_label)
        column.addLayout(bar)

        self.model = CallListModel(self._now, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        widths = {
            cols.SERIAL: 130,
            cols.TIME: 90,
            cols.CALLER: 80,
            cols.PHONE: 110,
            cols.CATEGORY: 70,
            cols.OUTCOME: 90,
            cols.DEPARTMENT: 80,
            cols.OPERATOR: 70,
        }
        for col, width in widths.items():
            header.resizeSection(col, width)
        header.setSectionResizeMode(cols.CONTENT, QHeaderView.ResizeMode.Stretch)
        self.view.activated.connect(self._open_index)
        column.addWidget(self.view, 1)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search_edit.textEdited.connect(lambda _t: self._search_timer.start())
        self.search_edit.returnPressed.connect(self.apply_filter)
        self.range_combo.currentIndexChanged.connect(self._range_changed)
        for combo in (self.category_filter, self.outcome_filter, self.operator_filter):
            combo.currentIndexChanged.connect(self.apply_filter)
        self.date_from.dateChanged.connect(self.apply_filter)
        self.date_to.dateChanged.connect(self.apply_filter)
        self._set_dates(self._session.clock.today(), self._session.clock.today())
        return box

    def _fill_operators(self) -> None:
        current = self.operator_filter.currentData()
        self.operator_filter.blockSignals(True)
        self.operator_filter.clear()
        self.operator_filter.addItem(self.tr("全部接待人"), None)
        for op in auth.list_operators():
            self.operator_filter.addItem(op.display_name, op.id)
        index = self.operator_filter.findData(current) if current is not None else 0
        self.operator_filter.setCurrentIndex(max(index, 0))
        self.operator_filter.blockSignals(False)

    def _now(self):
        return self._session.clock.now()

    def _set_dates(self, start: date, end: date) -> None:
        for edit, day in ((self.date_from, start), (self.date_to, end)):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)

    def _range_changed(self) -> None:
        key = self.range_combo.currentData()
        today = self._session.clock.today()
        if key == TODAY:
            self._set_dates(today, today)
        elif key == LAST_7_DAYS:
            self._set_dates(today - timedelta(days=6), today)
        elif key == THIS_MONTH:
            self._set_dates(today.replace(day=1), today)
        custom = key == CUSTOM
        self.date_from.setEnabled(custom)
        self.date_to.setEnabled(custom)
        self.apply_filter()

    def current_filter(self) -> CallFilter:
        f = CallFilter(
            category=self.category_filter.currentData() or "",
            outcome=self.outcome_filter.currentData() or "",
            operator_id=self.operator_filter.currentData(),
            search=self.search_edit.text(),
        )
        if self.range_combo.currentData() != ALL:
            f.date_from = as_date(self.date_from.date().toPython())
            f.date_to = as_date(self.date_to.date().toPython())
        return f

    def apply_filter(self) -> None:
        self._search_timer.stop()
        self.model.set_filter(self.current_filter())
        self._update_count()

    def refresh(self) -> None:
        """Reload the list and the panels (after a save here or elsewhere)."""
        if self.range_combo.currentData() == TODAY:
            self._range_changed()  # the day may have turned since the tab was built
        else:
            self.model.refresh()
        self._update_count()
        self.messages_panel.refresh()
        self.callbacks_panel.refresh()

    def reload_lists(self) -> None:
        """Something was saved (here or at another desk): re-read the call list and the panels
        with the filter in force, keeping each list's selection and scroll position. The call
        form and anything typed beside the panels are left as they are."""
        with kept_place(self.view):
            self.model.refresh()
        self._update_count()
        self.messages_panel.reload_rows()
        self.callbacks_panel.reload_rows()

    def _update_count(self) -> None:
        self.count_label.setText(self.tr("共 {0} 条").format(self.model.total()))

    def _open_index(self, index) -> None:
        call = self.model.data(index, cols.ROW_ROLE)
        if call is not None:
            self.open_call(call.id)

    def open_call(self, call_id: int) -> CallDetailDialog | None:
        """Show one call (non-blocking, window-modal)."""
        try:
            dialog = CallDetailDialog(self._session, call_id, self)
        except ReceptionError as exc:
            msgbox.error(self, self.tr("无法打开"), exc.message)
            return None
        dialog.saved.connect(self._edited)
        dialog.finished.connect(dialog.deleteLater)
        self.detail_dialog = dialog
        dialog.open()
        return dialog

    # ---- panels ---------------------------------------------------------------------------------
    def _messages_count(self, count: int) -> None:
        text = self.tr("待转达留言 ({0})").format(count) if count else self.tr("待转达留言")
        self.side_tabs.setTabText(0, text)

    def _callbacks_count(self, count: int, overdue: int) -> None:
        if overdue:
            text = self.tr("待回电 ({0}，逾期 {1})").format(count, overdue)
        elif count:
            text = self.tr("待回电 ({0})").format(count)
        else:
            text = self.tr("待回电")
        self.side_tabs.setTabText(1, text)
        self.side_tabs.tabBar().setTabTextColor(1, QColor("#c62828") if overdue else QColor())

    # ---- what the main window uses -------------------------------------------------------------
    def set_session(self, session: Session) -> None:
        """Another operator logged in: clear the form and reload everything."""
        self._session = session
        self.form.set_session(session)
        self.messages_panel.set_session(session)
        self.callbacks_panel.set_session(session)
        self._fill_operators()
        self.refresh()

    def new_call(self) -> None:
        self.form.new_call()

    def has_unsaved(self) -> bool:
        return self.form.has_content()

    def save_drafts(self) -> bool:
        """Keep the call being typed as the operator's draft (False if it could not be saved)."""
        return self.form.draft.save_now()

    def restore_drafts(self) -> bool:
        return self.form.restore_saved_draft()

    def _call_saved(self, _result: CallResult) -> None:
        self.refresh()
        self.changed.emit()

    def _panel_changed(self) -> None:
        self.model.refresh()
        self._update_count()
        self.changed.emit()

    def _edited(self, _call: object) -> None:
        self.model.refresh()
        self._update_count()
        self.changed.emit()
