"""The base of the long lists (来电、来访、来函、工单): a table model that reads its rows from a
list service a page at a time.

Only the count and the first page are read when the filter changes (``refresh``); further pages
come as the view scrolls (``canFetchMore`` / ``fetchMore``). The rows are the list services'
row dataclasses — everything a row shows, related names included, already masked — so ``data()``
never queries the database (``tests/ui/test_no_query_while_painting.py``). Subclasses give the
headers, the two service calls and ``cell(row, column, role)``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from typing import Generic
from typing import TypeVar

from PySide6.QtCore import QAbstractTableModel
from PySide6.QtCore import QCoreApplication
from PySide6.QtCore import QModelIndex
from PySide6.QtCore import QPersistentModelIndex
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtGui import QFont

from ui.widgets.list_position import ROW_ROLE

Index = QModelIndex | QPersistentModelIndex
Row = TypeVar("Row")
# What a column shows: the name of the row's attribute, or a function of (model, row).
Text = str | Callable[[Any, Any], str]
PAGE_SIZE = 200


def first_line(text: str) -> str:
    """The first line of a long text (a list shows only that)."""
    lines = text.strip().splitlines()
    return lines[0] if lines else ""


class RowsModel(QAbstractTableModel, Generic[Row]):
    """Rows of records under translated headers; ``ROW_ROLE`` gives a row's record."""

    headers: tuple[str, ...] = ()
    context = "RowsModel"  # the translation context of the headers
    texts: tuple[Text, ...] = ()  # the displayed text, one per column (see ``text``)

    _rows: list[Row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.headers)
        ):
            return QCoreApplication.translate(self.context, self.headers[section])
        return None

    def row_at(self, row: int) -> Row | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def text(self, row: Row, column: int) -> str:
        """The text ``texts`` gives the column ("" for a column past its end)."""
        if not 0 <= column < len(self.texts):
            return ""
        how = self.texts[column]
        return getattr(row, how) if isinstance(how, str) else how(self, row)

    def cell(self, row: Row, column: int, role: int) -> Any:
        raise NotImplementedError

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == ROW_ROLE:
            return row
        return self.cell(row, index.column(), role)


class PagedTableModel(RowsModel[Row]):
    context = "PagedTableModel"
    page_size = PAGE_SIZE

    def __init__(self, filter_: Any, now: Callable[[], datetime] | None = None, parent: Any = None) -> None:
        """``now`` returns naive UTC (the session clock); rows coloured by time use it."""
        super().__init__(parent)
        self._filter = filter_
        self._rows: list[Row] = []
        self._total = 0
        self._now: Callable[[], datetime] = now or (lambda: datetime(1970, 1, 1))

    # ---- what a subclass gives -------------------------------------------------------------
    def count(self, f: Any) -> int:
        raise NotImplementedError

    def page(self, f: Any, offset: int, limit: int) -> list[Row]:
        raise NotImplementedError

    def loading(self) -> None:
        """Called before a refresh reads the rows (read here what the rows' colours need)."""

    # ---- loading ---------------------------------------------------------------------------
    def set_clock(self, now: Callable[[], datetime]) -> None:
        self._now = now

    def set_filter(self, f: Any) -> None:
        self._filter = f
        self.refresh()

    def refresh(self) -> None:
        """Re-count and reload the first page; further pages come as the view scrolls."""
        self.beginResetModel()
        self.loading()
        self._total = self.count(self._filter)
        self._rows = self.page(self._filter, 0, self.page_size) if self._total else []
        self.endResetModel()

    def total(self) -> int:
        """How many rows match the filter (loaded or not)."""
        return self._total

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if parent.isValid():
            return
        more = self.page(self._filter, len(self._rows), self.page_size)
        if not more:
            self._total = len(self._rows)  # rows vanished since the count
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    # ---- the table -------------------------------------------------------------------------
    def row_of(self, record_id: int) -> int:
        """The row of a loaded record, -1 if it is not (yet) loaded."""
        return next((i for i, r in enumerate(self._rows) if getattr(r, "id", None) == record_id), -1)

    def rows(self) -> list[Row]:
        return list(self._rows)


class RowsTableModel(RowsModel[Any]):
    """A small, fully loaded table of service rows (the side panels, the detail dialogs' tables).

    Subclasses set ``headers`` and ``texts`` (or override ``display(row, column)``) and the
    look hooks below; ``ROW_ROLE`` gives the row."""

    context = "RowsTableModel"

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        return super().row_at(row)

    def cell(self, row: Any, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(row)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.foreground(row)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self.background(row)
        if role == Qt.ItemDataRole.FontRole:
            return self.font_of(row)
        return None

    def display(self, row: Any, column: int) -> str:
        return self.text(row, column)

    def tooltip(self, row: Any) -> str | None:
        return None

    def foreground(self, row: Any) -> QBrush | None:
        return None

    def background(self, row: Any) -> QBrush | None:
        return None

    def font_of(self, row: Any) -> QFont | None:
        return None
