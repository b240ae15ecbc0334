"""Recognising a USB scanner reading a visitor badge, wherever the focus is in a tab.

A scanner is a keyboard: it types the pass number (``LF20261126-012``) and Enter, a few
milliseconds per key. The catcher watches the key presses going to widgets inside its scope and
never holds a key back, so normal typing is untouched. When Enter ends a fast burst that is a
whole pass number, the Enter is swallowed (no form is saved), the field the scanner typed into
gets its previous text back, and ``scanned(pass_no)`` is emitted."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent
from PySide6.QtCore import QObject
from PySide6.QtCore import Qt
from PySide6.QtCore import Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractSpinBox
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QPlainTextEdit
from PySide6.QtWidgets import QSpinBox
from PySide6.QtWidgets import QTextEdit
from PySide6.QtWidgets import QWidget

PASS_PATTERN = re.compile(r"^LF\d{8}-\d{3,}$")
MAX_GAP_S = 0.06  # scanners type a key every few ms; people need 100 ms or more
_MODIFIER_KEYS = {Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Meta, Qt.Key.Key_CapsLock}


class ScanCatcher(QObject):
    """Install on the application (``app.installEventFilter``) while ``scope`` is shown."""

    scanned = Signal(str)

    def __init__(self, scope: QWidget, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(scope)
        self._scope = scope
        self._clock = clock
        self._buffer = ""
        self._last_at: float | None = None
        self._last_widget: QWidget | None = None
        self._last_key: tuple[int, str] | None = None
        self._snapshot: Callable[[], None] | None = None

    def reset(self) -> None:
        self._buffer = ""
        self._last_at = None
        self._snapshot = None

    def _in_scope(self, widget: QWidget) -> bool:
        return widget is self._scope or self._scope.isAncestorOf(widget)

    def _is_propagation(self, widget: QWidget, key: tuple[int, str]) -> bool:
        """The same key press travelling to the parent of the widget that ignored it."""
        last = self._last_widget
        return last is not None and key == self._last_key and widget is not last and widget.isAncestorOf(last)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(watched, QWidget):
            return False
        if not isinstance(event, QKeyEvent) or not self._in_scope(watched):
            return False
        key = (event.key(), event.text())
        if self._is_propagation(watched, key):
            return False
        self._last_widget = watched
        self._last_key = key
        return self._key(watched, event)

    def _key(self, widget: QWidget, event: QKeyEvent) -> bool:
        now = self._clock()
        fast = self._last_at is not None and now - self._last_at <= MAX_GAP_S
        code = event.key()
        if code in _MODIFIER_KEYS:
            return False
        if code in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            text, restore = self._buffer, self._snapshot
            self.reset()
            if fast and PASS_PATTERN.match(text.upper()):
                if restore is not None:
                    restore()
                self.scanned.emit(text.upper())
                return True
            return False
        text = event.text()
        mods = event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier & ~Qt.KeyboardModifier.KeypadModifier
        if len(text) != 1 or not text.isprintable() or mods != Qt.KeyboardModifier.NoModifier:
            self.reset()
            return False
        if not fast or not self._buffer:
            self._buffer = ""
            self._snapshot = _snapshot(widget)
        self._buffer += text
        self._last_at = now
        return False


def _snapshot(widget: QWidget) -> Callable[[], None] | None:
    """A function putting ``widget``'s content back as it is now (before the scanner typed)."""
    from ui.widgets.resident_lookup import ResidentLookup

    if isinstance(widget, ResidentLookup):
        resident, text = widget.resident(), widget.text()

        def restore_lookup() -> None:
            if resident is not None:
                widget.set_resident(resident)
            else:
                widget.setText(text)
            widget.hide_popup()

        return restore_lookup
    if isinstance(widget, QLineEdit):
        text, cursor = widget.text(), widget.cursorPosition()

        def restore_line() -> None:
            widget.setText(text)
            widget.setCursorPosition(cursor)

        return restore_line
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        plain = widget.toPlainText()
        return lambda: widget.setPlainText(plain)
    if isinstance(widget, QSpinBox):
        value = widget.value()
        return lambda: widget.setValue(value)
    if isinstance(widget, QAbstractSpinBox):
        return None
    return None
