"""Keys that work the same in every form and dialog, installed once on the application
(:func:`install`, called by ``ui.app.create_application``):

- **Ctrl+Enter saves**: the nearest enclosing form's ``save_button`` / ``ok_button``, else the
  dialog's default (or accept) button — also inside multi-line boxes, where Enter is a new line.
- **Tab leaves a date or date-time field** (Qt would walk year → month → day first, and typing
  after such a Tab changed the month instead of the next field); Left/Right still move between
  the parts of the date.
- **Type-to-select in lists** (non-editable combo boxes): the first letters of the item or its
  pinyin initials (``bx`` → 报修, ``pz`` → 品质管理部); letters typed within a second add up.
- **Number keys choose a radio button** of the group the focused one belongs to (1 = the first).
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent
from PySide6.QtCore import QObject
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton
from PySide6.QtWidgets import QApplication
from PySide6.QtWidgets import QComboBox
from PySide6.QtWidgets import QDateTimeEdit
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QDialogButtonBox
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QRadioButton
from PySide6.QtWidgets import QWidget

TYPE_AHEAD_S = 1.0
_initials: dict[str, tuple[str, ...]] = {}


def initials_of(text: str) -> tuple[str, ...]:
    """``'报修'`` → ``('bx',)``; every reading of a character with several (cached)."""
    found = _initials.get(text)
    if found is None:
        from reception.services.residents import pinyin_initials

        letters = "".join(ch for ch in text if not ch.isspace() and ch not in "（）()【】·")
        found = tuple(pinyin_initials(letters).split()) if letters else ()
        _initials[text] = found
    return found


def combo_match(combo: QComboBox, typed: str, start: int = 0) -> int:
    """The first item (from ``start``, wrapping) whose text or pinyin initials begin with
    ``typed`` (letters, any case); -1 when none."""
    key = typed.lower()
    count = combo.count()
    for step in range(count):
        row = (start + step) % count
        text = combo.itemText(row)
        if text.lower().startswith(key) or any(i.startswith(key) for i in initials_of(text)):
            return row
    return -1


def _save_button_of(widget: QWidget | None) -> QAbstractButton | None:
    """The button Ctrl+Enter presses for the focus in ``widget``: the nearest enclosing form's
    save / OK button, else the dialog's default or accept button."""
    while widget is not None:
        for name in ("save_button", "ok_button"):
            button = getattr(widget, name, None)
            if isinstance(button, QAbstractButton) and button.isVisible() and button.isEnabled():
                return button
        if isinstance(widget, QDialog):
            buttons = widget.findChildren(QPushButton)
            for button in buttons:
                if button.isDefault() and button.isVisible() and button.isEnabled():
                    return button
            for box in widget.findChildren(QDialogButtonBox):
                for button in box.buttons():
                    role = box.buttonRole(button)
                    if (
                        role
                        in (
                            QDialogButtonBox.ButtonRole.AcceptRole,
                            QDialogButtonBox.ButtonRole.YesRole,
                        )
                        and button.isEnabled()
                    ):
                        return button
            return None
        if widget.isWindow():
            return None
        widget = widget.parentWidget()
    return None


def _leave(widget: QWidget, forward: bool) -> None:
    """Move the focus to the next (previous) widget that takes Tab focus, outside ``widget``."""
    step: QWidget | None = widget
    for _ in range(500):
        assert step is not None
        step = step.nextInFocusChain() if forward else step.previousInFocusChain()
        if step is None or step is widget:
            return
        if widget.isAncestorOf(step) or step.focusProxy() is widget:
            continue
        if (
            step.focusPolicy() & Qt.FocusPolicy.TabFocus
            and step.isVisible()
            and step.isEnabled()
            and step.window() is widget.window()
        ):
            reason = Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason
            step.setFocus(reason)
            return


class KeyHelper(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._typed = ""
        self._typed_at = 0.0
        self._typed_in: QComboBox | None = None

    def eventFilter(self, watched: QObject, e: QEvent) -> bool:
        if e.type() != QEvent.Type.KeyPress or not isinstance(e, QKeyEvent):
            return False
        key = e.key()
        mods = e.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and mods == Qt.KeyboardModifier.ControlModifier:
            if isinstance(watched, QWidget):
                button = _save_button_of(watched)
                if button is not None:
                    button.click()
                    return True
            return False
        if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and isinstance(watched, QDateTimeEdit):
            if mods & ~Qt.KeyboardModifier.ShiftModifier:
                return False
            _leave(watched, key == Qt.Key.Key_Tab and not mods & Qt.KeyboardModifier.ShiftModifier)
            return True
        if mods & ~Qt.KeyboardModifier.ShiftModifier:
            return False
        if isinstance(watched, QRadioButton) and Qt.Key.Key_1 <= key <= Qt.Key.Key_9:
            group = watched.group()
            if group is not None:
                buttons = group.buttons()
                index = key - Qt.Key.Key_1
                if index < len(buttons) and buttons[index].isEnabled():
                    buttons[index].setFocus(Qt.FocusReason.ShortcutFocusReason)
                    buttons[index].click()
                    return True
            return False
        if isinstance(watched, QComboBox) and not watched.isEditable():
            text = e.text()
            if len(text) == 1 and text.isascii() and text.isalpha():
                return self._type_ahead(watched, text)
        return False

    def _type_ahead(self, combo: QComboBox, letter: str) -> bool:
        now = time.monotonic()
        if combo is not self._typed_in or now - self._typed_at > TYPE_AHEAD_S:
            self._typed = ""
        self._typed_in = combo
        self._typed_at = now
        typed = self._typed + letter
        current = max(combo.currentIndex(), 0)
        # A repeated single letter steps through the items with that letter; more letters narrow.
        if self._typed and typed == letter * len(typed):
            row = combo_match(combo, letter, current + 1)
        else:
            row = combo_match(combo, typed, current if self._typed else 0)
        if row < 0:
            return True  # nothing matches: the letter is swallowed, the choice stays
        self._typed = typed
        combo.setCurrentIndex(row)
        return True


_installed: dict[int, KeyHelper] = {}


def install(app: QApplication) -> KeyHelper:
    """Install the keys on ``app`` (once)."""
    helper = _installed.get(id(app))
    if helper is None:
        helper = KeyHelper(app)
        app.installEventFilter(helper)
        _installed[id(app)] = helper
    return helper
