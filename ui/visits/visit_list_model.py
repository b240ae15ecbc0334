"""The visit list (来访记录) as a lazily fetched table model.

Rows come a page at a time from :func:`reception.services.visits.list_visits`; only the count and the
first page are read when the filter changes. Phones are masked and ID numbers are only ever the
stored masked form."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from reception.clock import format_local
from reception.rules import phones
from reception.services import auth, visits
from reception.store.models import Visit

SERIAL, TIME, KIND, VISITOR, PHONE, ID, PURPOSE, DESTINATION, STATUS, LEFT_AT, OPERATOR, DESK = range(12)
COLUMN_COUNT = 12
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
PAGE_SIZE = 200

_HEADERS = [
    "编号",
    "到访时间",
    "类型",
    "来访人",
    "电话",
    "证件",
    "事由",
    "去向",
    "状态",
    "离开时间",
    "接待人",
    "前台",
]
KIND_LABELS = {visits.BUSINESS: "业户办事", visits.GUEST: "访客"}

NOT_ADMITTED_BRUSH = QBrush(QColor("#8a4b00"))
EXPIRED_BRUSH = QBrush(QColor("#c62828"))
ON_SITE_BRUSH = QBrush(QColor("#1b5e20"))

Index = QModelIndex | QPersistentModelIndex


def _tr(text: str) -> str:
    return QCoreApplication.translate("VisitListModel", text)


class VisitListModel(QAbstractTableModel):
    def __init__(self, now: Any = None, parent: Any = None) -> None:
        """``now`` returns naive UTC (the session clock): visitors past their pass are shown red."""
        super().__init__(parent)
        self._filter = visits.VisitFilter()
        self._rows: list[Visit] = []
        self._total = 0
        self._now = now or (lambda: datetime(1970, 1, 1))
        self._operators: dict[int, str] = {}

    # ---- loading ----------------------------------------------------------------------------

    def set_filter(self, f: visits.VisitFilter) -> None:
        self._filter = f
        self.refresh()

    def refresh(self) -> None:
        self.beginResetModel()
        self._operators = {op.id: op.display_name for op in auth.list_operators()}
        self._total = visits.count_visits(self._filter)
        self._rows = visits.list_visits(self._filter, 0, PAGE_SIZE) if self._total else []
        self.endResetModel()

    def total(self) -> int:
        return self._total

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if parent.isValid():
            return
        page = visits.list_visits(self._filter, len(self._rows), PAGE_SIZE)
        if not page:
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    # ---- the table ----------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else COLUMN_COUNT

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < COLUMN_COUNT
        ):
            return _tr(_HEADERS[section])
        return None

    def visit_at(self, row: int) -> Visit | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        visit = self._rows[index.row()]
        col = index.column()
        if role == ROW_ROLE:
            return visit
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(visit, col)
        if role == Qt.ItemDataRole.ToolTipRole and col in (PURPOSE, DESTINATION):
            return visit.handled or visit.destination or None
        if role == Qt.ItemDataRole.ForegroundRole and col == STATUS:
            if visits.is_expired(visit, self._now()):
                return EXPIRED_BRUSH
            if visit.status == visits.ON_SITE:
                return ON_SITE_BRUSH
            if visit.status == visits.NOT_ADMITTED:
                return NOT_ADMITTED_BRUSH
        return None

    def _display(self, v: Visit, col: int) -> str:
        if col == SERIAL:
            return v.serial
        if col == TIME:
            return format_local(v.arrived_at, "%m-%d %H:%M")
        if col == KIND:
            return _tr(KIND_LABELS.get(v.kind, v.kind))
        if col == VISITOR:
            name = f"{v.visitor_name}（{v.visitor_unit}）" if v.visitor_unit else v.visitor_name
            if (v.party_size or 1) > 1:
                return _tr("{0} 等{1}人").format(name, v.party_size)
            return name
        if col == PHONE:
            return phones.mask(v.visitor_phone)
        if col == ID:
            return v.id_masked
        if col == PURPOSE:
            return _tr(v.purpose)
        if col == DESTINATION:
            return v.destination
        if col == STATUS:
            if visits.is_expired(v, self._now()):
                return _tr("在场（已超时）")
            return _tr(v.status)
        if col == LEFT_AT:
            return format_local(v.checked_out_at, "%H:%M")
        if col == OPERATOR:
            return self._operators.get(v.operator_id, "")
        if col == DESK:
            return v.desk or "—"
        return ""

    def has_desks(self) -> bool:
        """Whether a loaded visit was registered at a named desk (a site with several desks)."""
        return any(v.desk for v in self._rows)
