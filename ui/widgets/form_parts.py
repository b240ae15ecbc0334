"""Pieces the desk forms (来电, 业户办事, 访客, 来函) are built from: a wall-clock date-time box,
a column of widgets, a row of exclusive choices, the green save button with its Ctrl+Enter
shortcuts, one save at a time, and Enter / Esc for 保存 / 放弃."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from datetime import datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate
from PySide6.QtCore import QDateTime
from PySide6.QtCore import QObject
from PySide6.QtCore import Qt
from PySide6.QtCore import QTime
from PySide6.QtGui import QFont
from PySide6.QtGui import QKeyEvent
from PySide6.QtGui import QKeySequence
from PySide6.QtGui import QShortcut
from PySide6.QtWidgets import QButtonGroup
from PySide6.QtWidgets import QDateTimeEdit
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QRadioButton
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from reception.clock import to_local
from reception.clock import to_utc
from ui.widgets import palette
from ui.widgets.drafts_support import DraftKeeper
from ui.widgets.drafts_support import restored_text
from ui.widgets.forms import masked_note_label
from ui.widgets.forms import show_masked_note

T = TypeVar("T")


# ---- date and time ---------------------------------------------------------------------------
def local_qdatetime(local: datetime) -> QDateTime:
    """A wall-clock time as a QDateTime, without letting the PC's own time zone shift it."""
    return QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute))


def from_qdatetime(value: QDateTime) -> datetime:
    """The wall-clock time a QDateTime shows (naive, to the minute)."""
    d, t = value.date(), value.time()
    return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())


def utc_from_edit(edit: QDateTimeEdit, tz: ZoneInfo | None = None) -> datetime:
    """The UTC time an edit's wall-clock time stands for (``tz``: the desk's zone, default Shanghai)."""
    return to_utc(from_qdatetime(edit.dateTime()), tz)


def set_edit_utc(edit: QDateTimeEdit, utc: datetime, tz: ZoneInfo | None = None) -> None:
    """Show a UTC time in an edit as the desk's wall-clock time."""
    edit.setDateTime(local_qdatetime(to_local(utc, tz)))


def datetime_edit() -> QDateTimeEdit:
    """A date and time to the minute, with a calendar to pick the day from."""
    edit = QDateTimeEdit()
    edit.setDisplayFormat("yyyy-MM-dd HH:mm")
    edit.setCalendarPopup(True)
    return edit


# ---- laying out ------------------------------------------------------------------------------
def column_box(*widgets: QWidget, spacing: int) -> QWidget:
    """``widgets`` one under the other in a box without margins (to put in one form row)."""
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(spacing)
    for widget in widgets:
        column.addWidget(widget)
    return box


class ChoiceRow:
    """Exclusive radio buttons in a row, one per key (``texts``: key → caption, in order), in a
    button group whose ids are the positions. ``box``: the row to lay out; ``buttons``: by key."""

    def __init__(
        self, owner: QObject, texts: Mapping[str, str], *, vertical_margin: int = 0, spacing: int = 14
    ) -> None:
        self.box = QWidget()
        row = QHBoxLayout(self.box)
        row.setContentsMargins(0, vertical_margin, 0, vertical_margin)
        row.setSpacing(spacing)
        self.group = QButtonGroup(owner)
        self.buttons: dict[str, QRadioButton] = {}
        for i, (key, text) in enumerate(texts.items()):
            button = QRadioButton(text)
            self.group.addButton(button, i)
            self.buttons[key] = button
            row.addWidget(button)
        row.addStretch(1)

    def chosen(self) -> str:
        """The checked button's key, or "" when none is."""
        return next((key for key, button in self.buttons.items() if button.isChecked()), "")

    def choose(self, key: str) -> None:
        """Check ``key``'s button; an unknown key (e.g. "") unchecks them all."""
        self.group.setExclusive(False)
        for name, button in self.buttons.items():
            button.setChecked(name == key)
        self.group.setExclusive(True)


# ---- buttons --------------------------------------------------------------------------------
def form_button(text: str, clicked: Callable[[], object], tooltip: str = "") -> QPushButton:
    """A button beside a form's fields that Enter never presses (Enter saves the form)."""
    button = QPushButton(text)
    button.setAutoDefault(False)
    if tooltip:
        button.setToolTip(tooltip)
    button.clicked.connect(clicked)
    return button


# ---- saving ----------------------------------------------------------------------------------
def save_button(text: str, *, padding: int) -> QPushButton:
    """The form's green, bold 保存 button (``padding``: left and right, in pixels)."""
    button = QPushButton(text)
    button.setStyleSheet(
        f"QPushButton {{ background: {palette.OK_BRIGHT}; color: white;"
        f" border-radius: 4px; padding: 6px {padding}px; }}"
        f"QPushButton:disabled {{ background: {palette.SAVE_DISABLED_BG}; }}"
    )
    font = QFont(button.font())
    font.setBold(True)
    button.setFont(font)
    button.setMinimumHeight(34)
    return button


class SaveStatus:
    """The bold green line under a form saying what the last save did (``label``), with the
    note under it naming the free-text fields whose ID/mobile numbers were masked (``note``)."""

    def __init__(self, *, wrap: bool) -> None:
        self.label = QLabel()
        self.label.setWordWrap(wrap)
        font = QFont(self.label.font())
        font.setBold(True)
        self.label.setFont(font)
        self.label.setStyleSheet(f"color: {palette.OK};")
        self.note = masked_note_label()

    def column(self, *below: QWidget, spacing: int) -> QVBoxLayout:
        """The line, the note and ``below`` (the form's general error line, a hint), stacked."""
        column = QVBoxLayout()
        column.setSpacing(spacing)
        for widget in (self.label, self.note, *below):
            column.addWidget(widget)
        return column

    def say(self, text: str, masked: dict[str, str] | None = None) -> None:
        """``text``, and the note for ``masked`` (field → Chinese label; none: no note)."""
        self.label.setText(text)
        show_masked_note(self.note, masked or {})

    def clear(self) -> None:
        self.say("")


def add_save_shortcuts(form: QWidget, save: Callable[[], object]) -> None:
    """Ctrl+Enter (either Enter key) saves from anywhere in ``form`` — also inside a multi-line
    box, where Enter alone starts a new line."""
    for seq in (Qt.Modifier.CTRL | Qt.Key.Key_Return, Qt.Modifier.CTRL | Qt.Key.Key_Enter):
        shortcut = QShortcut(QKeySequence(seq), form)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(save)


class SaveLock:
    """One save at a time: while :meth:`run` saves, ``button`` (if any) is disabled and another
    save (a second Enter, a double click, a shortcut from a message box) does nothing."""

    def __init__(self, button: QPushButton | None = None) -> None:
        self.button = button
        self.busy = False

    def run(self, save: Callable[[], T | None]) -> T | None:
        """``save()``'s result, or None (without calling it) while a save is under way."""
        if self.busy:
            return None
        self.busy = True
        if self.button is not None:
            self.button.setEnabled(False)
        try:
            return save()
        finally:
            self.busy = False
            if self.button is not None:
                self.button.setEnabled(True)


def restore_saying(draft: DraftKeeper, say: Callable[[str], object]) -> bool:
    """The operator's draft, if the form is empty and there is one; ``say`` is given the note that
    it came back. True if restored."""
    if not draft.restore_into_empty():
        return False
    say(restored_text())
    return True


def enter_saves_escape_discards(
    event: QKeyEvent, save: Callable[[], object], discard: Callable[[], object]
) -> bool:
    """A key a form's fields did not use: Enter saves, Esc discards. True if it was one of them
    (otherwise the form passes the key on)."""
    if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
        save()
        return True
    if event.key() == Qt.Key.Key_Escape:
        discard()
        return True
    return False
