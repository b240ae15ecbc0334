"""Small pieces the dialogs and panels build alike: a box of a few lines of text; printing or
previewing a PDF with a failure said in a message box; a document made as PDF to preview, print
or save (:class:`PdfOutput`: the case and letter slips, 投诉分析, 日报) and the button with its
menu of those (:func:`menu_button`); a dialog's row of buttons. (A row of radio buttons is
``form_parts.ChoiceRow``.)"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QMenu
from PySide6.QtWidgets import QPlainTextEdit
from PySide6.QtWidgets import QPushButton
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


def button_row(buttons: Iterable[QPushButton], last: QPushButton) -> QHBoxLayout:
    """A dialog's buttons from the left, ``last`` (关闭, 返回) alone on the right."""
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    row.addWidget(last)
    return row


def menu_button(
    text: str, items: Sequence[tuple[str, Callable[[], object]]]
) -> tuple[QPushButton, list[QAction]]:
    """A button that opens a menu of ``items`` (text, what it does); the button and the menu's
    actions, in the order given."""
    button = QPushButton(text)
    menu = QMenu(button)
    actions = []
    for item_text, slot in items:
        action = menu.addAction(item_text)
        action.triggered.connect(slot)
        actions.append(action)
    button.setMenu(menu)
    return button, actions


class PdfOutput:
    """One document a window makes as PDF, to preview, print or save. ``make`` gives its bytes
    (or None once it has said why it could not); ``title`` names the print job and the preview
    window; ``file_name`` is offered when saving. A printer's refusal is said in a message box
    titled ``preview_failed`` or ``print_failed``. Made when asked for (a window keeping one
    would keep itself alive through it)."""

    def __init__(
        self,
        parent: QWidget,
        make: Callable[[], bytes | None],
        title: str,
        file_name: str,
        *,
        preview_failed: str,
        print_failed: str,
    ) -> None:
        self.parent = parent
        self.make = make
        self.title = title
        self.file_name = file_name
        self.preview_failed = preview_failed
        self.print_failed = print_failed

    def preview(self) -> None:
        pdf = self.make()
        if pdf is not None:
            preview_or_tell(self.parent, self.preview_failed, pdf, self.title)

    def print(self) -> bool:
        pdf = self.make()
        return pdf is not None and print_or_tell(self.parent, self.print_failed, pdf, title=self.title)

    def save(self) -> Path | None:
        from ui.widgets import printing

        pdf = self.make()
        if pdf is None:
            return None
        return printing.save_pdf_as(pdf, self.parent, self.file_name)
