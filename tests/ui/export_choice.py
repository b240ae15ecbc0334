"""Driving the real export dialog (遮盖号码 / 完整导出 + 原因) from a test: the dialog is modal
(exec), so the keys are sent once it is up."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from ui.widgets.export_dialog import ExportDialog


def _type(widget, text: str) -> None:
    """Chinese arrives as an input method commits it (QTest can only type ASCII)."""
    from PySide6.QtGui import QInputMethodEvent

    widget.setFocus()
    for ch in text:
        event = QInputMethodEvent()
        event.setCommitString(ch)
        QApplication.sendEvent(widget, event)


def answer_export_dialog(
    reason: str | None = None, *, then_reason: str | None = None, seen: list | None = None
):
    """When the export dialog opens: Enter (masked), or choose 完整导出 and type ``reason`` first.
    ``then_reason``: after Enter was refused (the error beside the field), type this and Enter again.
    ``seen`` gets the dialog's state (error text) for the test to check."""

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ExportDialog):
            QTimer.singleShot(20, act)
            return
        if reason is not None:
            dialog.full_radio.click()  # as a mouse click does (offscreen: no reliable pointer)
            _type(dialog.reason_edit, reason)
        QTest.keyClick(dialog.reason_edit if reason is not None else dialog.masked_radio, Qt.Key.Key_Return)
        if then_reason is not None and dialog.isVisible():
            if seen is not None:
                seen.append(
                    (dialog.reason_error.isVisible(), dialog.reason_error.text(), dialog.reason_edit.text())
                )
            _type(dialog.reason_edit, then_reason)
            QTest.keyClick(dialog.reason_edit, Qt.Key.Key_Return)

    QTimer.singleShot(0, act)
