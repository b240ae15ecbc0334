"""What the detail dialogs of a case and a letter share: the title row with the status beside
it, the grid of captioned facts, two read-only texts side by side, the row of buttons, opening
an action form over the dialog, and the slip (派工单, 来函处理单) to preview, print or save as
PDF from the print button's menu (``dialog_parts.PdfOutput`` and ``menu_button``)."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QGridLayout
from PySide6.QtWidgets import QGroupBox
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QHeaderView
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QPlainTextEdit
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QTableView
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from reception.errors import ReceptionError
from reception.services.session import Session
from ui.widgets import msgbox
from ui.widgets import palette
from ui.widgets.action_dialog import ActionDialog
from ui.widgets.dialog_parts import PdfOutput
from ui.widgets.dialog_parts import button_row
from ui.widgets.dialog_parts import menu_button


def fit_screen(widget: QWidget, width: int, height: int) -> tuple[int, int]:
    """``width`` × ``height``, or less on a small screen: a 1366×768 desk monitor less its taskbar
    (the dialog's fields then scroll or squeeze; its buttons stay on screen)."""
    screen = widget.screen()
    if screen is None:
        return width, height
    room = screen.availableGeometry()
    return min(width, room.width() - 16), min(height, room.height() - 40)


def heading(font: QFont) -> QLabel:
    """A detail window's title: large and bold (``font``: the window's)."""
    label = QLabel()
    label.setObjectName("title")
    font = QFont(font)
    font.setPointSizeF(font.pointSizeF() * 1.4)
    font.setBold(True)
    label.setFont(font)
    return label


def push_button(text: str, slot: Callable[[], object]) -> QPushButton:
    """A button that does ``slot`` when clicked."""
    button = QPushButton(text)
    button.clicked.connect(slot)
    return button


def history_table(model: QAbstractItemModel, stretch: int) -> QTableView:
    """A record's history (or another list of what was done to it): read-only rows, long text
    wrapped, each column as wide as its contents but ``stretch``, which takes the rest."""
    view = QTableView()
    view.setModel(model)
    view.verticalHeader().hide()
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setWordWrap(True)
    header = view.horizontalHeader()
    for col in range(model.columnCount()):
        header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


def fact_pair(caption: str) -> tuple[QLabel, QLabel]:
    """One fact of a detail dialog: its caption and its value (wrapping, selectable)."""
    cap = QLabel(caption)
    cap.setObjectName("caption")
    value = QLabel()
    value.setWordWrap(True)
    value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return cap, value


# What every record's detail window shows alike: its heading, the captions, the status chip and
# the read-only texts (a window's own ``style`` adds to it).
DETAIL_STYLE = f"""
QLabel#title {{ color: {palette.TITLE}; }}
QLabel#caption {{ color: {palette.MUTED}; }}
QLabel#status {{ font-weight: bold; padding: 2px 10px; border-radius: 4px;
                background: {palette.INFO_BG}; color: {palette.INFO}; }}
QPlainTextEdit[readOnly="true"] {{ background: {palette.PANEL_BG}; border: 1px solid {palette.LINE}; }}
"""


class SlipTexts(NamedTuple):
    title: str  # of the print job and the preview window
    file_name: str  # suggested when saving
    cannot_make: str  # the message box title when the slip cannot be made


class DetailDialog(QDialog):
    """Subclasses list their facts in ``FACTS`` (key, caption), build the dialog in ``_build``
    (starting with ``_head_and_facts``) and fill it in from the record in ``_load``."""

    FACTS: tuple[tuple[str, str], ...] = ()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session

    def _build_and_load(self, style: str, width: int, height: int) -> None:
        self.setStyleSheet(DETAIL_STYLE + style)
        self._build()
        self.resize(*fit_screen(self, width, height))
        self._load()

    def _build(self) -> None:
        raise NotImplementedError

    def _load(self) -> None:
        raise NotImplementedError

    # ---- building -------------------------------------------------------------------------
    def _head_and_facts(self) -> QVBoxLayout:
        """The dialog's layout, with the title row and the grid of ``FACTS`` in it."""
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addLayout(self._title_row())
        layout.addLayout(self._facts_grid(self.FACTS))
        return layout

    def _title_row(self) -> QHBoxLayout:
        """``title_label`` (large, bold) with ``status_label`` on its right."""
        head = QHBoxLayout()
        self.title_label = heading(self.font())
        self.title_label.setWordWrap(True)
        self.status_label = QLabel()
        self.status_label.setObjectName("status")
        head.addWidget(self.title_label, 1)
        head.addWidget(self.status_label, 0, Qt.AlignmentFlag.AlignTop)
        return head

    def _facts_grid(self, names: tuple[tuple[str, str], ...]) -> QGridLayout:
        """Two captioned facts a row, in the order given (``("", "")`` leaves a cell empty);
        ``fact_labels[key]`` is a fact's value, ``fact_labels[key + ":caption"]`` its caption."""
        facts = QGridLayout()
        facts.setHorizontalSpacing(14)
        facts.setVerticalSpacing(5)
        self.fact_labels: dict[str, QLabel] = {}
        for i, (key, caption) in enumerate(names):
            if not key:
                continue
            cap, value = fact_pair(self.tr(caption))
            self.fact_labels[key] = value
            self.fact_labels[key + ":caption"] = cap
            row, col = divmod(i, 2)
            facts.addWidget(cap, row, col * 2, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
            facts.addWidget(value, row, col * 2 + 1)
        facts.setColumnStretch(1, 1)
        facts.setColumnStretch(3, 1)
        return facts

    @staticmethod
    def _text_pair(left: str, right: str) -> tuple[QHBoxLayout, QPlainTextEdit, QPlainTextEdit]:
        """Two read-only texts side by side, each in a box with the title given."""
        texts = QHBoxLayout()
        views = []
        for title in (left, right):
            box = QGroupBox(title)
            column = QVBoxLayout(box)
            view = QPlainTextEdit()
            view.setReadOnly(True)
            column.addWidget(view)
            texts.addWidget(box, 1)
            views.append(view)
        return texts, views[0], views[1]

    def _print_button(self, text: str, save_text: str) -> QPushButton:
        """``print_button`` with the slip's menu: 打印预览…, 直接打印, and ``save_text``."""
        self.print_button, actions = menu_button(
            text,
            [
                (self.tr("打印预览…"), self.preview_slip),
                (self.tr("直接打印"), self.print_slip),
                (save_text, self.save_slip),
            ],
        )
        self.preview_action, self.print_action, self.save_pdf_action = actions
        return self.print_button

    @staticmethod
    def _button_row(buttons: Iterable[QPushButton], last: QPushButton) -> QHBoxLayout:
        """:func:`button_row`, and Enter presses none of the buttons from the left."""
        buttons = list(buttons)
        for button in buttons:
            button.setAutoDefault(False)
        return button_row(buttons, last)

    @staticmethod
    def _repolish(widget: QWidget, name: str, value: object) -> None:
        """Set a property the style sheet looks at, and restyle the widget."""
        widget.setProperty(name, value)
        widget.style().unpolish(widget)
        widget.style().polish(widget)

    # ---- actions ----------------------------------------------------------------------------------
    @staticmethod
    def _open_action(dialog: ActionDialog, done: Callable[[object], None]) -> ActionDialog:
        """Open an action form (window-modal); ``done`` gets what it saved, or ``None`` after a
        save refused because someone else changed the record (then ``done`` re-reads it)."""
        dialog.done_with.connect(done)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    # ---- the slip ---------------------------------------------------------------------------------
    def _render_slip(self, printed_at: datetime) -> bytes:
        """The slip of the record shown, as PDF (raises ReceptionError)."""
        raise NotImplementedError

    def _slip_texts(self) -> SlipTexts:
        raise NotImplementedError

    def slip_pdf(self) -> bytes | None:
        try:
            return self._render_slip(self._session.clock.local_now().replace(second=0, microsecond=0))
        except ReceptionError as exc:
            msgbox.error(self, self._slip_texts().cannot_make, exc.message)
            return None

    def slip(self) -> PdfOutput:
        texts = self._slip_texts()
        failed = self.tr("打印失败")
        return PdfOutput(
            self, self.slip_pdf, texts.title, texts.file_name, preview_failed=failed, print_failed=failed
        )

    def preview_slip(self) -> None:
        self.slip().preview()

    def print_slip(self) -> bool:
        return self.slip().print()

    def save_slip(self) -> Path | None:
        return self.slip().save()
