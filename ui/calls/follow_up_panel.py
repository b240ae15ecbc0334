"""What the follow-up panels beside the call form share (待转达留言, 待回电): the list, a note
when it is empty, one line to type what was done with the selected row, the button that
records it, 显示号码 (the full number, audited, shown in place for a minute — never in a box) and a
red line for what went wrong."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QHeaderView
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from reception.errors import ReceptionError
from reception.errors import ValidationError
from reception.services import privacy
from reception.services.session import Session
from ui.widgets import msgbox
from ui.widgets import palette
from ui.widgets.forms import error_label
from ui.widgets.paged_model import RowsTableModel
from ui.widgets.record_list import rows_table
from ui.widgets.revealed_number import RevealedNumber
from ui.widgets.saving import save_with_retry


class FollowUpPanel(QWidget):
    """``changed`` after a row was dealt with. Subclasses set ``model`` and call ``_build``."""

    changed = Signal()
    model: RowsTableModel

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session

    def _build(
        self,
        stretch: int,
        act: Callable[[], object],
        texts: tuple[str, str, str],
        number_tip: str,
        empty: str,
    ) -> tuple[QLineEdit, QPushButton]:
        """The list (column ``stretch`` takes the spare width) over a row of the caption, a line
        to type in and a button (``texts``: caption, the line's placeholder, the button's text;
        Enter in the line or the button does ``act``) and 显示号码 (``number_tip`` its tooltip);
        ``empty`` shows when nothing is listed. Returns the line and the button."""
        caption, placeholder, button_text = texts
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        edit.returnPressed.connect(act)
        button = QPushButton(button_text)
        button.clicked.connect(act)
        self.view = rows_table(self.model, alternate=True, wrap=False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        # The side panel is narrow (≈ 350 px at 1366×768): the long column is cut short in the
        # list, so the selected row's text is shown in full under it.
        self._stretch = stretch
        self.full_text = QLabel()
        self.full_text.setObjectName("fullText")
        self.full_text.setWordWrap(True)
        self.full_text.setStyleSheet(
            f"QLabel#fullText {{ background: {palette.READBACK_BG}; padding: 4px 6px; }}"
        )
        self.full_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.full_text.hide()
        self.view.doubleClicked.connect(lambda _i: edit.setFocus())

        self.number_button = QPushButton(self.tr("显示号码"))
        self.number_button.setAutoDefault(False)
        self.number_button.setToolTip(number_tip)
        self.number_button.clicked.connect(self.show_number)
        self.error = error_label()
        self.revealed = RevealedNumber()
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
        layout.addWidget(self.full_text)
        layout.addWidget(self.empty_label)
        layout.addLayout(row)
        layout.addWidget(self.revealed)
        layout.addWidget(self.error)
        self._revealed_id: int | None = None
        selection = self.view.selectionModel()
        if selection is not None:  # the next record: the number is hidden again
            selection.currentRowChanged.connect(self._conceal_unless_same_record)

        self.view.selectionModel().currentRowChanged.connect(self._show_full_text)
        self.model.modelReset.connect(self._show_full_text)
        return edit, button

    def _show_full_text(self, *_args: object) -> None:
        """The selected row's long column (留言内容, 回电事由) in full, word-wrapped."""
        index = self.view.currentIndex()
        text = self.model.index(index.row(), self._stretch).data() if index.isValid() else ""
        header = self.model.headerData(self._stretch, Qt.Orientation.Horizontal)
        self.full_text.setText(f"{header}：{text}" if text else "")
        self.full_text.setVisible(bool(text))

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

    def _conceal_unless_same_record(self, *_args: object) -> None:
        record = self.selected()
        if record is None or record.id != self._revealed_id:
            self.revealed.conceal()

    def _reveal_number(self, entity: str, entity_id: int, caption: str, none: str) -> str | None:
        """The full number to dial, shown in place under the list (``caption`` before it, grouped,
        hidden after a minute or on the next record) and audited; ``None`` when it cannot be shown
        (the red line says why, as it does when there is no number: ``none``)."""
        self.revealed.conceal()
        try:
            number = privacy.number_to_call(self._session, entity, entity_id)
        except ReceptionError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return None
        if not number:
            self.error.setText(none)
            self.error.show()
            return number
        self.error.hide()
        self._revealed_id = entity_id
        self.revealed.reveal(caption, number)
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
