"""Small pieces the dialogs and panels build alike: a box of a few lines of text; printing or
previewing a PDF with a failure said in a message box. (A row of radio buttons is
``form_parts.ChoiceRow``.)"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QPlainTextEdit
from PySide6.QtWidgets import QWidget

from ui.widgets import msgbox


def text_box(lines: int, placeholder: str = "") -> QPlainTextEdit:
    """A few ``lines`` of text (at least that high); Tab moves on to the next field."""
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)
    edit.setPlaceholderText(placeholder)
    edit.setMinimumHeight(edit.fontMetrics().lineSpacing() * lines + 14)
    return edit


def print_or_tell(parent: QWidget, failure_title: str, pdf: bytes, **options: Any) -> bool:
    """``printing.print_pdf(pdf, parent=parent, **options)``; a printer that fails is said in a
    message box titled ``failure_title``. True when the pages went to the printer."""
    from ui.widgets import printing  # Qt's print support loads when something is printed

    try:
        return printing.print_pdf(pdf, parent=parent, **options)
    except printing.PrintError as exc:
        msgbox.error(parent, failure_title, exc.message)
        return False


def preview_or_tell(parent: QWidget, failure_title: str, pdf: bytes, title: str) -> bool:
    """``printing.preview_pdf``: the print preview of ``pdf``; a failure is said as
    :func:`print_or_tell` says it (False)."""
    from ui.widgets import printing

    try:
        printing.preview_pdf(pdf, parent, title)
    except printing.PrintError as exc:
        msgbox.error(parent, failure_title, exc.message)
        return False
    return True
