"""Before an export of personal data (来函, 来访; supervisors): masked by default, or 'full' with
a reason that goes into the audit log. The reason is checked by the core
(:func:`reception.services.exports.full_reason`) and a problem is shown beside the field."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QRadioButton
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from reception.errors import ReceptionError
from reception.errors import ValidationError
from ui.widgets import msgbox
from ui.widgets.forms import dialog_buttons
from ui.widgets.forms import error_label

XLSX_FILTER = "Excel 工作簿 (*.xlsx)"

T = TypeVar("T")


def _tr(text: str) -> str:
    return QCoreApplication.translate("export", text)


@dataclass(frozen=True)
class ExportChoice:
    full: bool
    reason: str  # empty for a masked export


class ExportDialog(QDialog):
    """导出 Excel: 遮盖号码 (the default) or 完整导出 with 原因."""

    def __init__(self, title: str, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.choice: ExportChoice | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("导出的%1中，电话号码和证件号码默认遮盖。").replace("%1", what))
        intro.setWordWrap(True)
        self.masked_radio = QRadioButton(self.tr("遮盖号码（推荐）"))
        self.masked_radio.setChecked(True)
        self.full_radio = QRadioButton(self.tr("完整导出（不遮盖号码，须写明原因，记入审计日志）"))
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText(self.tr("完整导出的原因，如：法院调取"))
        self.reason_edit.setMaxLength(200)
        self.reason_edit.setEnabled(False)
        self.reason_error = error_label()
        self.full_radio.toggled.connect(self._full_toggled)
        box, self.ok_button, _cancel = dialog_buttons(self.tr("选择保存位置…"), self.tr("取消"))
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        for widget in (intro, self.masked_radio, self.full_radio, self.reason_edit, self.reason_error, box):
            layout.addWidget(widget)
        self.setMinimumWidth(420)

    def _full_toggled(self, full: bool) -> None:
        self.reason_edit.setEnabled(full)
        self.reason_error.hide()
        if full:
            self.reason_edit.setFocus()

    def accept(self) -> None:
        from reception.services.exports import full_reason

        full = self.full_radio.isChecked()
        try:
            reason = full_reason(full, self.reason_edit.text())
        except ValidationError as exc:
            self.reason_error.setText(exc.fields.get("full_reason", exc.message))
            self.reason_error.show()
            self.reason_edit.setFocus()
            return  # the typed reason stays
        self.choice = ExportChoice(full, reason)
        super().accept()


def choose_export(parent: QWidget | None, title: str, what: str) -> ExportChoice | None:
    """Ask masked or full (with a reason); None when cancelled."""
    dialog = ExportDialog(title, what, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.choice
    finally:
        dialog.deleteLater()


def save_xlsx(
    parent: QWidget | None, title: str, suggested: str, write: Callable[[Path], T]
) -> tuple[Path, T] | None:
    """Ask where to save the workbook (``suggested`` name; ``.xlsx`` added when left off) and
    ``write(path)`` it. A refusal of the service or a file that could not be written is shown
    (导出失败); None then, or when no file was chosen. Else the path and what ``write`` gave."""
    chosen = msgbox.save_file(parent, title, suggested, _tr(XLSX_FILTER))
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() != ".xlsx":
        path = path.with_name(path.name + ".xlsx")
    try:
        result = write(path)
    except ReceptionError as exc:
        msgbox.error(parent, _tr("导出失败"), exc.message)
        return None
    except OSError as exc:
        msgbox.error(parent, _tr("导出失败"), _tr("文件未能保存：{0}").format(exc.strerror or str(exc)))
        return None
    return path, result


def export_records(
    parent: QWidget | None,
    title: str,
    what: str,
    suggested: str,
    write: Callable[[Path, ExportChoice], int],
    done: str,
    full_note: str,
) -> Path | None:
    """A whole export of a list: masked or full (:func:`choose_export`), the file
    (:func:`save_xlsx`), ``write(path, choice)`` giving the row count, then ``done`` shown with
    the count, how the numbers went out (``full_note`` or 号码已遮盖) and the path. The path, or
    None when cancelled or refused."""
    choice = choose_export(parent, title, what)
    if choice is None:
        return None
    saved = save_xlsx(parent, title, suggested, lambda path: write(path, choice))
    if saved is None:
        return None
    path, count = saved
    how = full_note if choice.full else _tr("号码已遮盖")
    msgbox.info(parent, _tr("导出完成"), done.format(count, how, path))
    return path
