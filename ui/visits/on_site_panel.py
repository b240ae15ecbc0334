"""在场访客: who is on site now, since when and until when (past-due passes in red); manual
check-out, badge reprint (补打) and the printable list for an evacuation head count."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtGui import QBrush
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QMenu
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QToolButton
from PySide6.QtWidgets import QWidget

from reception.clock import format_local
from reception.errors import ReceptionError
from reception.services import settings as settings_mod
from reception.services import visits
from reception.services.records import Visit
from reception.services.session import Session
from ui.visits.visit_list_model import visitor_text
from ui.visits.visit_widgets import compact_table
from ui.visits.visit_widgets import side_panel
from ui.widgets import msgbox
from ui.widgets import palette
from ui.widgets import printing
from ui.widgets.dialog_parts import print_or_tell
from ui.widgets.list_position import ROW_ROLE
from ui.widgets.list_position import kept_place
from ui.widgets.paged_model import RowsTableModel


def _tr(text: str) -> str:
    return QCoreApplication.translate("OnSiteModel", text)


DESK = 6  # the column of the desk (前台) where the visitor was registered
EXPIRED_FG = QBrush(QColor(palette.OVERDUE))
EXPIRED_BG = QBrush(QColor(palette.EMERGENCY_BG))


class OnSiteModel(RowsTableModel):
    headers = ("访客证号", "访客", "去向", "进入", "有效至", "状态", "前台")
    context = "OnSiteModel"
    texts = (
        "serial",
        lambda _, row: visitor_text(row),
        lambda _, row: row.badge_destination or row.staff_host,
        lambda _, row: format_local(row.arrived_at, "%H:%M"),
        lambda _, row: format_local(row.valid_until, "%H:%M"),
        lambda model, row: _tr("已超时") if visits.is_expired(row, model._now()) else _tr(visits.ON_SITE),
        lambda _, row: row.desk or "—",
    )

    def __init__(self, now: Any, parent: Any = None) -> None:
        super().__init__(parent)
        self._now = now

    def tooltip(self, row: Visit) -> str | None:
        """The whole destination (the column may be cut short) and, on a site with several
        desks, where the visitor was registered."""
        text = _tr("去向：{0}").format(row.badge_destination or row.staff_host)
        if row.desk:
            text += "\n" + _tr("登记前台：{0}").format(row.desk)
        return text

    def foreground(self, row: Visit) -> QBrush | None:
        return EXPIRED_FG if visits.is_expired(row, self._now()) else None

    def background(self, row: Visit) -> QBrush | None:
        return EXPIRED_BG if visits.is_expired(row, self._now()) else None


class OnSitePanel(QWidget):
    """``changed`` after a check-out; ``counts_changed(on_site, expired)`` after each refresh."""

    changed = Signal()
    counts_changed = Signal(int, int)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.model = OnSiteModel(self._now, self)
        self.view = compact_table(self.model, {0: 118, 1: 80, 3: 46, 4: 52, 5: 54, DESK: 64}, stretch=2)
        self.view.selectionModel().currentRowChanged.connect(lambda *_a: self._update_buttons())

        self.summary = QLabel()
        self.checkout_button = QPushButton(self.tr("登记离开"))
        self.checkout_button.clicked.connect(self.checkout_selected)
        self.reprint_button = QPushButton(self.tr("补打访客证"))
        self.reprint_button.clicked.connect(self.reprint_selected)
        self.print_button = QToolButton()
        self.print_button.setText(self.tr("打印在场名单"))
        self.print_button.setToolTip(self.tr("紧急疏散时用于清点人数；名单不含电话和证件号码"))
        self.print_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.print_button.clicked.connect(self.print_list)
        menu = QMenu(self.print_button)
        self.preview_action = QAction(self.tr("打印预览…"), menu)
        self.preview_action.triggered.connect(self.preview_list)
        self.save_action = QAction(self.tr("另存为文件…"), menu)
        self.save_action.triggered.connect(self.save_list)
        menu.addAction(self.preview_action)
        menu.addAction(self.save_action)
        self.print_button.setMenu(menu)

        side_panel(
            self, self.summary, self.view, [self.checkout_button, self.reprint_button], [self.print_button]
        )
        self.refresh()

    def _now(self) -> datetime:
        return self._session.clock.now()

    def set_session(self, session: Session) -> None:
        self._session = session
        self.refresh()

    def refresh(self) -> None:
        """Re-read who is on site (also after a check-out at another desk), keeping the selected
        visitor and the scroll position."""
        with kept_place(self.view):
            rows = visits.on_site()
            self.model.set_rows(rows)
        # 前台 only on a site with several desks (some visitor registered at a named desk)
        self.view.setColumnHidden(DESK, not any(v.desk for v in rows))
        now = self._now()
        expired = sum(1 for v in rows if visits.is_expired(v, now))
        people = sum(max(v.party_size or 1, 1) for v in rows)
        if not rows:
            self.summary.setText(self.tr("目前没有在场访客"))
            self.summary.setStyleSheet(f"color: {palette.MUTED};")
        elif expired:
            self.summary.setText(
                self.tr("在场访客 {0} 批 {1} 人，其中 {2} 批已超过有效期，请联系确认是否已离开").format(
                    len(rows), people, expired
                )
            )
            self.summary.setStyleSheet(f"color: {palette.OVERDUE}; font-weight: bold;")
        else:
            self.summary.setText(self.tr("在场访客 {0} 批 {1} 人").format(len(rows), people))
            self.summary.setStyleSheet(f"color: {palette.OK};")
        self._update_buttons()
        self.counts_changed.emit(len(rows), expired)

    def selected(self) -> Visit | None:
        return self.model.data(self.view.currentIndex(), ROW_ROLE)

    def select_row(self, row: int) -> None:
        self.view.selectRow(row)
        self._update_buttons()

    def _update_buttons(self) -> None:
        has = self.selected() is not None
        self.checkout_button.setEnabled(has)
        self.reprint_button.setEnabled(has)

    def checkout_selected(self) -> Visit | None:
        visit = self.selected()
        if visit is None:
            return None
        if not msgbox.ask(
            self,
            self.tr("登记离开"),
            self.tr("确认 {0}（{1}）已离开并交还访客证？").format(visit.visitor_name, visit.serial),
        ):
            return None
        try:
            done = visits.checkout(self._session, visit.id)
        except ReceptionError as exc:
            msgbox.error(self, self.tr("未能登记离开"), exc.message)
            self.refresh()
            return None
        self.refresh()
        self.changed.emit()
        return done

    def reprint_selected(self) -> bool:
        visit = self.selected()
        if visit is None:
            return False
        return printing.print_badge(self._session, visit.id, self)

    def _list_pdf(self) -> bytes:
        from reception.documents import onsite_list

        return onsite_list.render_on_site_list(
            visits.on_site(), property_name=settings_mod.load().property_name, now=self._now()
        )

    def _title(self) -> str:
        return self.tr("在场访客名单")

    def print_list(self) -> bool:
        return print_or_tell(
            self, self.tr("未能打印"), self._list_pdf(), printer_name=None, title=self._title()
        )

    def preview_list(self) -> None:
        printing.preview_pdf(self._list_pdf(), self, self._title())

    def save_list(self) -> None:
        stamp = self._session.clock.local_now().strftime("%Y%m%d-%H%M")
        printing.save_pdf_as(self._list_pdf(), self, f"{self._title()}-{stamp}.pdf")
