"""Short, fully loaded lists of records (departments, operators, backups, refused import rows)
and the settings page built on one: the list with 新增 / 修改 / … buttons beside it."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel
from PySide6.QtCore import QCoreApplication
from PySide6.QtCore import QModelIndex
from PySide6.QtCore import QPersistentModelIndex
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QHeaderView
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QTableView
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from ui.widgets import palette
from ui.widgets.list_position import ROW_ROLE
from ui.widgets.record_list import record_table

_Index = QModelIndex | QPersistentModelIndex
Column = tuple[str, Callable[[Any], str]]


class RecordsModel(QAbstractTableModel):
    """A short read-only list of records: one column per ``(header, value function)``;
    ``ROW_ROLE`` gives the record itself, an inactive record (``active`` false) is greyed.
    Headers are translated in ``context`` when one is given (else they come translated)."""

    context = ""
    right_aligned: tuple[int, ...] = ()

    def __init__(self, columns: Sequence[Column], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[index.column()][1](row)
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self.right_aligned:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and not getattr(row, "active", True):
            return QColor(palette.INACTIVE)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            header = self.columns[section][0]
            return QCoreApplication.translate(self.context, header) if self.context else header
        return None


def selected(view: QTableView) -> Any:
    """The record of the selected row, or None."""
    rows = view.selectionModel().selectedRows()
    return rows[0].data(ROW_ROLE) if rows else None


class RecordsPage(QWidget):
    """A settings page: the records in a list, buttons beside it (新增…, 修改…, …). Subclasses give
    ``load()`` and the buttons' slots, and may update the buttons in ``selection_changed()``."""

    def __init__(
        self,
        columns: Sequence[Column],
        buttons: Sequence[tuple[str, Callable[[], object]]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = RecordsModel(columns, self)
        self.view = record_table(self.model)
        self.view.setAlternatingRowColors(True)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.buttons: list[QPushButton] = []
        self.dialog: QDialog | None = None  # the one :meth:`open_dialog` opened last
        side = QVBoxLayout()
        for label, slot in buttons:
            button = QPushButton(label)
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            side.addWidget(button)
            self.buttons.append(button)
        side.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.view, 1)
        top.addLayout(side)
        # ``below``: what a page shows under its list (the 部门 page: the default departments).
        self.below = QVBoxLayout(self)
        self.below.addLayout(top, 1)

    def start(self) -> None:
        """Load the records and follow the selection (call at the end of the subclass's __init__)."""
        self.reload()
        self.view.selectionModel().selectionChanged.connect(self.selection_changed)
        self.selection_changed()

    def load(self) -> Sequence[Any]:
        raise NotImplementedError

    def selected(self) -> Any:
        return selected(self.view)

    def selection_changed(self) -> None:
        """Enable the buttons that need a record when one is selected."""
        for button in self.buttons[1:]:
            button.setEnabled(self.selected() is not None)

    def open_dialog(self, dialog: QDialog, select_id: int | None) -> None:
        """Open ``dialog`` (新增…, 修改… — window-modal, deleted once closed, kept in ``self.dialog``
        meanwhile); once it is accepted the list is read again, ``select_id`` selected."""
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.reload(select_id))
        dialog.open()

    def reload(self, select_id: int | None = None) -> None:
        self.model.set_rows(self.load())
        self.view.resizeColumnsToContents()
        if select_id is not None:
            for row, record in enumerate(self.model.rows):
                if getattr(record, "id", None) == select_id:
                    self.view.selectRow(row)
        self.selection_changed()
