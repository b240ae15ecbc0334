"""The call desk tab (来电登记): the call form, the messages and callbacks always at hand beside
it, and the call list with its filters underneath."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QMainWindow
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QTabWidget
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from reception.services import auth
from reception.services import calls
from reception.services.calls import CallFilter
from reception.services.calls import CallResult
from reception.services.session import Session
from ui.calls import call_list_model as cols
from ui.calls.call_detail_dialog import CallDetailDialog
from ui.calls.call_form import CallForm
from ui.calls.call_list_model import CallListModel
from ui.calls.callbacks_panel import CallbacksPanel
from ui.calls.messages_panel import MessagesPanel
from ui.phone.caller_panel import CallerPanelBox
from ui.widgets import palette
from ui.widgets.list_position import kept_place
from ui.widgets.record_list import TODAY
from ui.widgets.record_list import DateFilterBar
from ui.widgets.record_list import choice_filter
from ui.widgets.record_list import record_table
from ui.widgets.record_list import refill
from ui.widgets.record_list import search_box
from ui.widgets.tab_parts import count_label
from ui.widgets.tab_parts import filter_bar
from ui.widgets.tab_parts import open_detail
from ui.widgets.tab_parts import panes
from ui.widgets.tab_parts import row_opener
from ui.widgets.tab_parts import show_dialog
from ui.widgets.tab_parts import tab_key
from ui.widgets.tab_parts import watch_filters


class CallTab(QWidget):
    """The main window hosts this tab; ``changed`` is emitted after anything was saved."""

    changed = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.detail_dialog: CallDetailDialog | None = None
        self.incident_dialog: QWidget | None = None
        self._last_call: Any = None  # the call saved last at this form

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

        top = panes(Qt.Orientation.Horizontal, [self.form, self.side_tabs], (3, 1), (900, 340))
        self.splitter = panes(Qt.Orientation.Vertical, [top, self._build_list()], (0, 1), ())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.splitter)

        # F2 starts a call (the window's F2 when there is one: ui/widgets/tab_parts.py).
        self.f2_shortcut = tab_key(self, Qt.Key.Key_F2, self.new_call)

        self._messages_count(self.messages_panel.model.rowCount())
        self.callbacks_panel.refresh()
        self.apply_filter()

    # ---- the list ------------------------------------------------------------------------------
    def _build_list(self) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 4, 0, 0)
        column.setSpacing(4)
        title = QLabel(self.tr("来电记录"))
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        self.dates = DateFilterBar(self._session.clock.today)
        self.category_filter = choice_filter(self.tr("全部类别"), calls.CATEGORIES, self.tr)
        self.outcome_filter = choice_filter(self.tr("全部结果"), calls.OUTCOMES, self.tr)
        self.operator_filter = QComboBox()
        self._fill_operators()
        self.search_edit = search_box(self.tr("搜索：来电人、内容、地址、编号、电话"))
        self.count_label = count_label()
        self.incident_button = QPushButton(self.tr("登记异常情况…"))
        self.incident_button.setAutoDefault(False)
        self.incident_button.setToolTip(
            self.tr("安全隐患报保安部；严重违规可拒绝接待；违法犯罪立即报警。可关联选中的或刚保存的来电。")
        )
        self.incident_button.clicked.connect(self.record_incident)
        combos = (self.category_filter, self.outcome_filter, self.operator_filter)
        bar = filter_bar(
            [title], (self.dates, *combos), self.search_edit, self.count_label, [self.incident_button]
        )
        column.addLayout(bar)

        self.model = CallListModel(self._now, self)
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
        self.view = record_table(self.model, widths, stretch=cols.CONTENT)
        self.view.activated.connect(row_opener(self.model, self.open_call))
        column.addWidget(self.view, 1)

        changes = [self.dates.changed, *(combo.currentIndexChanged for combo in combos)]
        self._search_timer = watch_filters(self, self.apply_filter, self.search_edit, changes)
        return box

    def _fill_operators(self) -> None:
        operators = [(op.display_name, op.id) for op in auth.list_operators()]
        refill(self.operator_filter, self.tr("全部接待人"), operators)

    def _now(self):
        return self._session.clock.now()

    def current_filter(self) -> CallFilter:
        f = CallFilter(
            category=self.category_filter.currentData() or "",
            outcome=self.outcome_filter.currentData() or "",
            operator_id=self.operator_filter.currentData(),
            search=self.search_edit.text(),
        )
        f.date_from, f.date_to = self.dates.dates()
        return f

    def apply_filter(self) -> None:
        self._search_timer.stop()
        self.model.set_filter(self.current_filter())
        self._update_count()

    def refresh(self) -> None:
        """Reload the list and the panels (after a save here or elsewhere)."""
        if self.dates.key() == TODAY:
            self.dates.follow_today()  # the day may have turned since the tab was built
            self.apply_filter()
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

    def open_call(self, call_id: int) -> CallDetailDialog | None:
        """Show one call (non-blocking, window-modal)."""
        return open_detail(
            self,
            lambda: CallDetailDialog(self._session, call_id, self),
            lambda d: d.saved.connect(self._edited),
        )

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
        self.side_tabs.tabBar().setTabTextColor(1, QColor(palette.OVERDUE) if overdue else QColor())

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

    def _call_saved(self, result: CallResult) -> None:
        self._last_call = result.call
        self.refresh()
        self.changed.emit()

    # ---- incidents (异常情况 from a call) ----------------------------------------------------
    def current_call(self) -> tuple[Any, bool]:
        """The call an incident would be linked to, and whether it was picked on purpose: the one
        selected in the list (picked), else the one just saved here (only offered, unticked)."""
        selection = self.view.selectionModel()
        if selection is not None and selection.hasSelection():
            call = self.model.data(self.view.currentIndex(), cols.ROW_ROLE)
            if call is not None:
                return call, True
        return self._last_call, False

    def record_incident(self) -> QWidget:
        """安全隐患 / 拒绝接待 / 报警 raised from a call; the link to the call is a box to tick or untick."""
        from ui.visits.incident_dialog import IncidentDialog

        call, picked = self.current_call()
        link = ""
        if call is not None:
            who = call.caller_name or self.tr("来电")
            link = self.tr("关联来电 %1　%2").replace("%1", call.serial).replace("%2", who)
        dialog = IncidentDialog(
            self._session, self, call_id=call.id if call is not None else None, link_text=link, linked=picked
        )
        dialog.recorded.connect(self._incident_recorded)
        return show_dialog(self, "incident_dialog", dialog)

    def _incident_recorded(self, incident: object) -> None:
        window = self.window()
        if isinstance(window, QMainWindow):
            kind = getattr(incident, "kind", "")
            window.statusBar().showMessage(self.tr("已登记异常情况：%1").replace("%1", kind), 10_000)
        self.changed.emit()

    def _panel_changed(self) -> None:
        self.model.refresh()
        self._update_count()
        self.changed.emit()

    def _edited(self, _call: object) -> None:
        self.model.refresh()
        self._update_count()
        self.changed.emit()
