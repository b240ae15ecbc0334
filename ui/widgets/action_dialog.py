"""The frame of the small workflow forms of a case or a letter (派单, 答复, 转办 …): a heading
naming the record, the fields, the form-wide error line and OK/取消.

Each form calls one service function (``_call``); ``done_with(record)`` carries the updated
record back to the detail dialog. A ValidationError is shown beside the fields. A ConflictError
(someone else — at another desk — changed the record meanwhile) is shown; the form then sends
``done_with(None)`` so that the detail dialog behind it shows the newer record, re-reads the
record itself (``_reread``) and stays open with what the operator typed and a yellow note, to
be checked and saved again (against the newer version) or cancelled."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QFormLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from reception.errors import ReceptionError
from reception.services import departments
from reception.services.session import Session
from ui.widgets import msgbox
from ui.widgets import palette
from ui.widgets.forms import FieldErrors
from ui.widgets.forms import dialog_buttons
from ui.widgets.forms import error_label
from ui.widgets.saving import save_with_retry

CONFLICT_STYLE = (
    f"color: {palette.WARNING_DARK}; background: {palette.WARNING_BG};"
    f" border: 1px solid {palette.WARNING_LINE}; border-radius: 4px; padding: 4px 8px;"
)


def department_combo(none_text: str, current: int | None = None) -> QComboBox:
    """The departments to hand a record to, ``none_text`` first; ``current`` chosen if given."""
    combo = QComboBox()
    combo.addItem(none_text, None)
    for dept in departments.list_departments():
        combo.addItem(dept.name, dept.id)
    if current is not None:
        combo.setCurrentIndex(max(combo.findData(current), 0))
    return combo


class ActionDialog(QDialog):
    done_with = Signal(object)

    def __init__(self, session: Session, style: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.setStyleSheet(style)
        self.general_error = error_label(self)
        self.errors = FieldErrors(self.general_error)
        self.form = QFormLayout()
        self.form.setHorizontalSpacing(8)
        self.form.setVerticalSpacing(4)
        self.head_label = QLabel()  # the record's number and subject, set by the subclass
        self.head_label.setObjectName("hint")
        self.head_label.setWordWrap(True)
        self.conflict_label = QLabel()
        self.conflict_label.setObjectName("warn")
        self.conflict_label.setStyleSheet(CONFLICT_STYLE)
        self.conflict_label.setWordWrap(True)
        self.conflict_label.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.head_label)
        layout.addWidget(self.conflict_label)
        layout.addLayout(self.form, 1)
        layout.addWidget(self.general_error)
        self._button_box, self.ok_button, _cancel = dialog_buttons(self._ok_text(), self.tr("取消"))
        self._button_box.accepted.connect(self.submit)
        self._button_box.rejected.connect(self.reject)

    def _finish_layout(self, width: int = 520, height: int | None = None) -> None:
        """OK/取消 under the fields; the width given, the height the fields need (or the one given)."""
        self.layout().addWidget(self._button_box)  # type: ignore[union-attr]
        self.resize(width, self.sizeHint().height() if height is None else height)

    def _ok_text(self) -> str:
        return self.tr("确定")

    def error_text(self, field: str) -> str:
        return self.errors.message(field)

    def submit(self) -> object | None:
        self.errors.clear()
        self.conflict_label.hide()
        record = save_with_retry(
            self,
            self.tr("未能保存"),
            self._call,
            on_invalid=self.errors.show_error,
            on_conflict=self._conflict,
        )
        if record is None:
            return None
        self.done_with.emit(record)
        self.done(QDialog.DialogCode.Accepted)
        return record

    def _call(self) -> object:
        """Save through the service; the updated record."""
        raise NotImplementedError

    def _reread(self) -> str:
        """Read the stored record again (it is what the next save checks against); its status."""
        raise NotImplementedError

    def _conflict_texts(self) -> tuple[str, str, str]:
        """The message box title, the note above the fields (``{0}`` the status now, ``{1}`` the
        OK button's text) and the message box text, for a save refused by a ConflictError."""
        raise NotImplementedError

    def _conflict(self) -> None:
        """Someone else changed the record: the detail dialog shows the newer one, this form
        keeps what was typed and saves against the newer version if confirmed again."""
        self.done_with.emit(None)  # the detail dialog re-reads the record
        title, note, message = self._conflict_texts()
        try:
            status = self._reread()
        except ReceptionError as exc:
            msgbox.error(self, title, exc.message)
            self.done(QDialog.DialogCode.Rejected)
            return
        self.conflict_label.setText(note.format(self.tr(status), self._ok_text()))
        self.conflict_label.show()
        msgbox.error(self, title, message)
        self._grow_to_fit()

    def _grow_to_fit(self) -> None:
        layout = self.layout()
        if layout is not None:
            layout.activate()
        if self.height() < self.sizeHint().height():
            self.resize(self.width(), self.sizeHint().height())

    def has_conflict(self) -> bool:
        """The last save was refused because the record had been changed meanwhile."""
        return self.conflict_label.isVisibleTo(self)
