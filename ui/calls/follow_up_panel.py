"""What the follow-up panels beside the call form share (待转达留言, 待回电): the list, a note
when it is empty, one line to type what was done with the selected row, the button that
records it, 显示号码 (the full number, audited) and a red line for what went wrong."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from reception.errors import ReceptionError, ValidationError
from reception.services import privacy
from reception.services.session import Session
from ui.calls.call_list_model import RowsTableModel
from ui.widgets import msgbox, palette
from ui.widgets.forms import error_label
from ui.widgets.saving import save_with_retry


class FollowUpPanel(QWidget):
    """``changed`` after a row was dealt with. Subclasses set ``model`` and call ``_build``."""

    changed = Signal()
    model: RowsTableModel

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session

    def _build(
        self, stretch: int, edit: QLineEdit, button: QPushButton, caption: str, number_tip: str, empty: str
    ) -> None:
        """The list (column ``stretch`` takes the spare width) over ``caption``, ``edit``,
        ``button`` and 显示号码 (``number_tip`` its tooltip); ``empty`` shows when nothing is listed."""
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        self.view.doubleClicked.connect(lambda _i: edit.setFocus())

        self.number_button = QPushButton(self.tr("显示号码"))
        self.number_button.setAutoDefault(False)
        self.number_button.setToolTip(number_tip)
        self.number_button.clicked.connect(self.show_number)
        self.error = error_label()
        self.empty_label = QLabel(empty)
        self.empty_label.setStyleSheet(f"color: {palette.DONE};")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        row = QHBoxLayout()
        row.addWidget(QLabel(caption))
        row.addWidget(edit, 1)
        row.addWidget(button)
        row.addWidget(self.number_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty_label)
        layout.addLayout(row)
        layout.addWidget(self.error)

    def set_session(self, session: Session) -> None:
        self._session = session
        self.refresh()

    def refresh(self) -> None:
        raise NotImplementedError

    def show_number(self) -> str | None:
        raise NotImplementedError

    def _show_count(self, count: int, inputs: tuple[QWidget, ...]) -> None:
        """The empty note when nothing is listed; ``inputs`` usable only when something is."""
        self.empty_label.setVisible(count == 0)
        for widget in inputs:
            widget.setEnabled(count > 0)

    def selected(self) -> Any:
        """The selected row's record (``None`` when nothing is selected)."""
        index = self.view.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _reveal_number(self, entity: str, entity_id: int, title: str, none: str, shown: str) -> str | None:
        """The full number to dial, shown in a box (``shown`` with ``%2`` for the number; ``none``
        when there is no number) and audited; ``None`` when it cannot be shown (the box says why)."""
        try:
            number = privacy.number_to_call(self._session, entity, entity_id)
        except ReceptionError as exc:
            msgbox.error(self, title, exc.message)
            return None
        if not number:
            msgbox.info(self, title, none)
            return number
        msgbox.info(self, title, shown.replace("%2", number))
        return number

    def _save(self, save: Callable[[], object], edit: QLineEdit) -> bool:
        """Record what was done with the selected row; a refusal is shown (a ValidationError in
        the red line, focus back in ``edit``), and after one from the service the list is re-read."""

        def invalid(exc: ValidationError) -> None:
            self.error.setText("；".join(exc.fields.values()))
            self.error.show()
            edit.setFocus()

        def refused(exc: ReceptionError) -> None:
            msgbox.error(self, self.tr("未能保存"), exc.message)
            self.refresh()

        if save_with_retry(
            self, self.tr("未能保存"), lambda: save() or True, on_invalid=invalid, on_error=refused
        ):
            self.error.hide()
            return True
        return False
