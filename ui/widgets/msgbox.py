"""Every message box and file dialog of the program goes through here, so tests can replace
them (``monkeypatch.setattr(msgbox, "ask", ...)``) and no test ever hangs on a modal dialog."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog
from PySide6.QtWidgets import QInputDialog
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QMessageBox
from PySide6.QtWidgets import QWidget

from reception.errors import StorageError


def _tr(text: str) -> str:
    return QCoreApplication.translate("msgbox", text)


def _box(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    buttons: QMessageBox.StandardButton,
    default: QMessageBox.StandardButton,
) -> QMessageBox:
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setDefaultButton(default)
    for button, label in (
        (QMessageBox.StandardButton.Ok, "确定"),
        (QMessageBox.StandardButton.Yes, "是"),
        (QMessageBox.StandardButton.No, "否"),
        (QMessageBox.StandardButton.Cancel, "取消"),
        (QMessageBox.StandardButton.Retry, "重试"),
    ):
        widget = box.button(button)
        if widget is not None:
            widget.setText(_tr(label))
    return box


def _tell(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str) -> None:
    """A message with only 确定."""
    ok = QMessageBox.StandardButton.Ok
    _box(parent, icon, title, text, ok, ok).exec()


def info(parent: QWidget | None, title: str, text: str) -> None:
    _tell(parent, QMessageBox.Icon.Information, title, text)


def error(parent: QWidget | None, title: str, text: str) -> None:
    _tell(parent, QMessageBox.Icon.Critical, title, text)


def ask(parent: QWidget | None, title: str, text: str, *, default_yes: bool = False) -> bool:
    """A yes/no question; 'No' is the default so that Enter never discards work ('Yes' with
    ``default_yes``, where yes keeps work: e.g. 另存为 PDF when there is no printer)."""
    box = _box(
        parent,
        QMessageBox.Icon.Question,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.Yes if default_yes else QMessageBox.StandardButton.No,
    )
    return box.exec() == QMessageBox.StandardButton.Yes


def _retry_box(
    parent: QWidget | None, title: str, text: str, other: QMessageBox.StandardButton
) -> QMessageBox:
    """A warning with 重试 (the default) and ``other``."""
    retry_button = QMessageBox.StandardButton.Retry
    return _box(parent, QMessageBox.Icon.Warning, title, text, retry_button | other, retry_button)


def retry_or_quit(parent: QWidget | None, title: str, text: str) -> bool:
    """重试 / 退出 (at start, when the database is in use by another program); True: retry."""
    box = _retry_box(parent, title, text, QMessageBox.StandardButton.Close)
    close = box.button(QMessageBox.StandardButton.Close)
    if close is not None:
        close.setText(_tr("退出"))
    return box.exec() == QMessageBox.StandardButton.Retry


def retry(parent: QWidget | None, title: str, text: str) -> bool:
    """Offer to try again (storage errors); True means retry."""
    box = _retry_box(parent, title, text, QMessageBox.StandardButton.Cancel)
    return box.exec() == QMessageBox.StandardButton.Retry


def storage_failure(parent: QWidget | None, title: str, exc: StorageError) -> bool:
    """The one way every form shows a database failure after a save: the program's message, with
    「重试」 when a retry can help (True: try again). The form keeps what was typed either way."""
    if exc.retryable:
        return retry(parent, title, exc.message)
    error(parent, title, exc.message)
    return False


def ask_text(parent: QWidget | None, title: str, label: str) -> str | None:
    """One line of text (a reason, a note); None when cancelled. An empty answer is returned
    as ``''`` so that the service can say what is missing."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    dialog.setInputMode(QInputDialog.InputMode.TextInput)
    dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
    dialog.setOkButtonText(_tr("确定"))
    dialog.setCancelButtonText(_tr("取消"))
    dialog.setMinimumWidth(360)
    if dialog.exec() != QInputDialog.DialogCode.Accepted:
        return None
    return dialog.textValue()


def open_file(parent: QWidget | None, title: str, filters: str) -> str:
    path, _ = QFileDialog.getOpenFileName(parent, title, "", filters)
    return path


def open_files(parent: QWidget | None, title: str, filters: str) -> list[str]:
    """Choose one or more files; an empty list when cancelled."""
    paths, _ = QFileDialog.getOpenFileNames(parent, title, "", filters)
    return list(paths)


def save_file(parent: QWidget | None, title: str, suggested: str, filters: str) -> str:
    """Where to save: ``suggested`` (a bare name goes to 文档 / Documents). The system's own dialog
    where there is one (Windows: in the system's language); Qt's, labelled in Chinese, elsewhere."""
    from pathlib import Path

    from PySide6.QtCore import QStandardPaths

    if suggested and not Path(suggested).is_absolute():
        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        if documents:
            suggested = str(Path(documents) / suggested)
    dialog = QFileDialog(parent, title, suggested, filters)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    if suggested:
        dialog.selectFile(suggested)
    for label, text in (
        (QFileDialog.DialogLabel.LookIn, "位置："),
        (QFileDialog.DialogLabel.FileName, "文件名："),
        (QFileDialog.DialogLabel.FileType, "保存类型："),
        (QFileDialog.DialogLabel.Accept, "保存"),
        (QFileDialog.DialogLabel.Reject, "取消"),
    ):
        dialog.setLabelText(label, _tr(text))
    if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return ""
    return dialog.selectedFiles()[0]


def open_folder(folder: str) -> bool:
    """Show ``folder`` in the system's file manager (Explorer on Windows); False when it could not."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(folder))


def choose_folder(parent: QWidget | None, title: str, start: str = "") -> str:
    """A folder chosen by the person, or '' when cancelled."""
    return QFileDialog.getExistingDirectory(parent, title, start)
