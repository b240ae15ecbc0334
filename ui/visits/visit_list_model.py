"""The visit list (来访记录) as a lazily fetched table model.

Rows come a page at a time from :func:`reception.services.visits.list_visits`; only the count and the
first page are read when the filter changes. Phones are masked and ID numbers are only ever the
stored masked form."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtCore import Qt

from reception.clock import format_local
from reception.services import visits
from reception.services.records import Visit
from reception.services.visits import VisitRow
from ui.widgets import palette
from ui.widgets.list_position import ROW_ROLE
from ui.widgets.paged_model import PAGE_SIZE
from ui.widgets.paged_model import PagedTableModel

SERIAL, TIME, KIND, VISITOR, PHONE, ID, PURPOSE, DESTINATION, STATUS, LEFT_AT, OPERATOR, DESK = range(12)
COLUMN_COUNT = 12
__all__ = ["PAGE_SIZE", "ROW_ROLE", "VisitListModel"]

KIND_LABELS = {visits.BUSINESS: "业户办事", visits.GUEST: "访客"}

NOT_ADMITTED_BRUSH = palette.brush(palette.CAUTION)
EXPIRED_BRUSH = palette.brush(palette.OVERDUE)
ON_SITE_BRUSH = palette.brush(palette.OK)


def _tr(text: str) -> str:
    return QCoreApplication.translate("VisitListModel", text)


def visitor_text(v: VisitRow | Visit) -> str:
    """The visitor's name, unit and party size as the lists show them."""
    name = f"{v.visitor_name}（{v.visitor_unit}）" if v.visitor_unit else v.visitor_name
    if (v.party_size or 1) > 1:
        return _tr("{0} 等{1}人").format(name, v.party_size)
    return name


class VisitListModel(PagedTableModel[VisitRow]):
    headers = (
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
    )
    context = "VisitListModel"
    texts = (
        "serial",
        lambda _, v: format_local(v.arrived_at, "%m-%d %H:%M"),
        lambda _, v: _tr(KIND_LABELS.get(v.kind, v.kind)),
        lambda _, v: visitor_text(v),
        "visitor_phone_masked",
        "id_masked",
        lambda _, v: _tr(v.purpose),
        "destination",
        lambda model, v: _tr("在场（已超时）") if visits.is_expired(v, model._now()) else _tr(v.status),
        lambda _, v: format_local(v.checked_out_at, "%H:%M"),
        "operator_name",
        lambda _, v: v.desk or "—",
    )

    def __init__(self, now: Any = None, parent: Any = None) -> None:
        """``now`` returns naive UTC (the session clock): visitors past their pass are shown red."""
        super().__init__(visits.VisitFilter(), now, parent)

    def count(self, f: visits.VisitFilter) -> int:
        return visits.count_visits(f)

    def page(self, f: visits.VisitFilter, offset: int, limit: int) -> list[VisitRow]:
        return visits.list_visits(f, offset, limit)

    def visit_at(self, row: int) -> VisitRow | None:
        return self.row_at(row)

    def cell(self, visit: VisitRow, col: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(visit, col)
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

    def has_desks(self) -> bool:
        """Whether a loaded visit was registered at a named desk (a site with several desks)."""
        return any(v.desk for v in self._rows)
