"""The letters tab (来函登记): 登记来函 (F4) opens the register form; the register below lists
the letters with filters (status, department, channel, period, only overdue, search), opens one
for its actions, and exports the filtered list to Excel."""

from __future__ import annotations

from datetime import date
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QCheckBox
from PySide6.QtWidgets import QComboBox
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QTableView
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from reception.services import departments
from reception.services import letters
from reception.services.letters import LetterFilter
from reception.services.records import AttachmentStore
from reception.services.session import Role
from reception.services.session import Session
from ui.letters import letter_list_model as cols
from ui.letters.letter_detail_dialog import LetterDetailDialog
from ui.letters.letter_form import LetterForm
from ui.letters.letter_list_model import LetterListModel
from ui.widgets import palette
from ui.widgets.list_position import kept_place
from ui.widgets.record_list import ALL
from ui.widgets.record_list import CUSTOM
from ui.widgets.record_list import LAST_7_DAYS
from ui.widgets.record_list import THIS_MONTH
from ui.widgets.record_list import TODAY
from ui.widgets.record_list import DateFilterBar
from ui.widgets.record_list import choice_filter
from ui.widgets.record_list import record_table
from ui.widgets.record_list import refill
from ui.widgets.record_list import search_box
from ui.widgets.tab_parts import FormTab
from ui.widgets.tab_parts import count_label
from ui.widgets.tab_parts import filter_bar
from ui.widgets.tab_parts import open_detail
from ui.widgets.tab_parts import read_list
from ui.widgets.tab_parts import row_opener
from ui.widgets.tab_parts import tab_key
from ui.widgets.tab_parts import watch_filters

_STYLE = f"""
QPushButton#newLetter {{ background: {palette.LINK}; color: white; border-radius: 5px; padding: 7px 18px; }}
QPushButton#newLetter:hover {{ background: {palette.LINK_HOVER}; }}
QLabel#overdue {{ color: {palette.OVERDUE}; font-weight: bold; }}
"""


def store_beside_database() -> AttachmentStore:
    """``attachments/`` of the open database's data folder, for a window that was not told it."""
    from reception.services import local

    return AttachmentStore(local.data_dir().attachments)


class LetterTab(QWidget, FormTab):
    """The main window hosts this tab; ``changed`` is emitted after anything was saved."""

    changed = Signal()
    DRAFT_KEY = "letter"

    def __init__(
        self, session: Session, parent: QWidget | None = None, store: AttachmentStore | None = None
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._store = store or store_beside_database()
        self.form: LetterForm | None = None
        self.detail_dialog: LetterDetailDialog | None = None
        self.setStyleSheet(_STYLE)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addLayout(self._build_head())
        from ui.visits.visit_widgets import Banner

        self.banner = Banner()  # what was just saved (a letter's numbers and where it went)
        layout.addWidget(self.banner)
        layout.addLayout(self._build_filters())
        layout.addWidget(self._build_view(), 1)

        # F4 registers a letter (the window's F4 when there is one: ui/widgets/tab_parts.py).
        self.f4_shortcut = tab_key(self, Qt.Key.Key_F4, self.new_letter)

        changes = [
            self.dates.changed,
            *(
                combo.currentIndexChanged
                for combo in (self.status_filter, self.department_filter, self.channel_filter)
            ),
            self.overdue_check.toggled,
        ]
        self._search_timer = watch_filters(self, self.apply_filter, self.search_edit, changes)
        self.apply_filter()

    # ---- building ------------------------------------------------------------------------------
    def _build_head(self) -> QHBoxLayout:
        row = QHBoxLayout()
        title = QLabel(self.tr("来函登记簿"))
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        title.setFont(font)
        row.addWidget(title)
        row.addSpacing(12)
        self.overdue_label = QLabel()
        self.overdue_label.setObjectName("overdue")
        row.addWidget(self.overdue_label)
        row.addStretch(1)
        self.export_button = QPushButton(self.tr("导出 Excel…"))
        self.export_button.clicked.connect(self.export_excel)
        self._apply_role()
        self.new_button = QPushButton(self.tr("登记来函 (F4)"))
        self.new_button.setObjectName("newLetter")
        bold = QFont(self.font())
        bold.setBold(True)
        self.new_button.setFont(bold)
        self.new_button.clicked.connect(self.new_letter)
        row.addWidget(self.export_button)
        row.addWidget(self.new_button)
        return row

    def _build_filters(self) -> QHBoxLayout:
        self.dates = DateFilterBar(
            self._today, (ALL, TODAY, LAST_7_DAYS, THIS_MONTH, CUSTOM), {ALL: "全部日期"}
        )
        self.status_filter = choice_filter(self.tr("全部状态"), letters.STATUSES, self.tr)
        self.department_filter = QComboBox()
        self._fill_departments()
        self.channel_filter = choice_filter(self.tr("全部方式"), letters.CHANNELS, self.tr)
        self.overdue_check = QCheckBox(self.tr("仅看逾期"))
        self.search_edit = search_box(self.tr("搜索：来函人、单位、标题、摘要、编号"))
        self.count_label = count_label()
        filters = (
            self.dates,
            self.status_filter,
            self.department_filter,
            self.channel_filter,
            self.overdue_check,
        )
        return filter_bar((), filters, self.search_edit, self.count_label)

    def _build_view(self) -> QTableView:
        self.model = LetterListModel(self._now, self)
        widths = {
            cols.SERIAL: 130,
            cols.RECEIPT_NO: 90,
            cols.RECEIVED: 130,
            cols.SENDER: 190,
            cols.TYPE: 70,
            cols.DEPARTMENT: 90,
            cols.DUE: 130,
            cols.STATUS: 110,
        }
        self.view = record_table(self.model, widths, stretch=cols.SUBJECT)
        self.view.activated.connect(row_opener(self.model, self.open_letter))
        return self.view

    def _fill_departments(self) -> None:
        depts = [(dept.name, dept.id) for dept in departments.list_departments(include_inactive=True)]
        refill(self.department_filter, self.tr("全部部门"), depts)

    # ---- filtering -------------------------------------------------------------------------------
    def _now(self) -> datetime:
        return self._session.clock.now()

    def _today(self) -> date:
        return self._session.clock.today()

    def current_filter(self) -> LetterFilter:
        f = LetterFilter(
            status=self.status_filter.currentData() or "",
            department_id=self.department_filter.currentData(),
            channel=self.channel_filter.currentData() or "",
            overdue_at=self._now() if self.overdue_check.isChecked() else None,
            search=self.search_edit.text(),
        )
        f.date_from, f.date_to = self.dates.dates()
        return f

    def apply_filter(self) -> None:
        self._search_timer.stop()
        read_list(self, self.model, self.current_filter, self.tr("无法读取来函"))
        self._update_counts()

    def refresh(self) -> None:
        """Reload the list (after a save here or elsewhere, or when time has moved on)."""
        self.dates.follow_today()  # the day may have turned since the tab was built
        self.apply_filter()

    def reload_lists(self) -> None:
        """Something was saved (here or at another desk): re-read the register with the filter
        in force, keeping the selected letter and the scroll position (a search being typed
        and the register form are left alone)."""
        with kept_place(self.view):
            self.model.refresh()
        self._update_counts()

    def _update_counts(self) -> None:
        self.count_label.setText(self.tr("共 {0} 份").format(self.model.total()))
        overdue = letters.count_overdue(self._now())
        self.overdue_label.setText(self.tr("逾期未答复 {0} 份").format(overdue) if overdue else "")

    # ---- opening -------------------------------------------------------------------------------
    def open_letter(self, letter_id: int) -> LetterDetailDialog | None:
        """Show one letter (non-blocking, window-modal)."""
        return open_detail(
            self,
            lambda: LetterDetailDialog(self._session, letter_id, self._store, self),
            lambda d: d.changed.connect(self._letter_changed),
        )

    def new_letter(self) -> LetterForm:
        """登记来函 (F4): the register form (non-blocking)."""
        return self.open_form()

    def _make_form(self) -> LetterForm:
        form = LetterForm(self._session, self._store, self)
        form.saved.connect(self._letter_saved)
        return form

    def _letter_saved(self, _letter: object) -> None:
        form = self.sender()
        text = getattr(form, "saved_text", "")
        if text:
            self.banner.show_text(self.tr("✓ 来函已登记：") + text, "ok")
        self.refresh()
        self.changed.emit()

    def _letter_changed(self, _letter: object) -> None:
        self.model.refresh()
        self._update_counts()
        self.changed.emit()

    # ---- export ---------------------------------------------------------------------------------
    def export_excel(self) -> Path | None:
        """Supervisors: masked by default, or 'full' with a reason (audited with the range and
        the row count by the service)."""
        from ui.widgets.export_dialog import export_records

        return export_records(
            self,
            self.tr("导出来函登记"),
            self.tr("来函"),
            self.tr("来函登记-{0}.xlsx").format(self._today().strftime("%Y%m%d")),
            lambda path, choice: letters.export_xlsx(
                self._session, self.current_filter(), path, full=choice.full, full_reason=choice.reason
            ),
            self.tr("已导出 {0} 份来函（{1}）到：\n{2}"),
            self.tr("完整内容，已记入审计日志"),
        )

    # ---- what the main window uses -------------------------------------------------------------
    def set_session(self, session: Session) -> None:
        """Another operator logged in: close the form and reload."""
        self._session = session
        self._close_form()
        self._fill_departments()
        self._apply_role()
        self.refresh()

    def _apply_role(self) -> None:
        """Exports are for supervisors (the service refuses anyone else and logs the attempt)."""
        allowed = self._session.has(Role.SUPERVISOR)
        self.export_button.setEnabled(allowed)
        self.export_button.setToolTip("" if allowed else self.tr("导出需要主管权限"))
