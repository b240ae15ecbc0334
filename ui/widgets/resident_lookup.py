"""The caller field: type a room, a phone (whole or its last four digits), a name or pinyin
initials, and pick the resident from the list that opens under the field.

The list is a child of the window laid over the form (not a separate popup window), so the
keyboard focus stays in the field: Down/Up choose, Enter picks, Esc closes the list."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtCore import QObject
from PySide6.QtCore import QPoint
from PySide6.QtCore import Qt
from PySide6.QtCore import Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView
from PySide6.QtWidgets import QFrame
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QListWidget
from PySide6.QtWidgets import QListWidgetItem
from PySide6.QtWidgets import QWidget

from reception.rules import phones
from reception.services import residents
from reception.services.records import Resident
from ui.widgets import palette

MAX_RESULTS = 20
_VISIBLE_ROWS = 8


class ResidentLookup(QLineEdit):
    """A line edit that finds residents as one types.

    ``picked(resident)`` is emitted when a resident is chosen (the field then shows the name);
    ``cleared()`` when the text is edited away from the picked resident's name."""

    picked = Signal(object)
    cleared = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(self.tr("房号（3-2-1201）、电话或尾号、姓名、拼音首字母"))
        self.setClearButtonEnabled(True)
        self._resident: Resident | None = None
        self._results: list[Resident] = []
        self._popup = QListWidget()
        self._popup.setObjectName("residentPopup")
        self._popup.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._popup.setFrameShape(QFrame.Shape.Box)
        self._popup.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._popup.setUniformItemSizes(True)
        self._popup.setStyleSheet(
            f"QListWidget#residentPopup {{ background: white; border: 1px solid {palette.POPUP_LINE}; }}"
            "QListWidget#residentPopup::item { padding: 4px 6px; }"
            f"QListWidget#residentPopup::item:selected {{ background: {palette.SELECTED_BG}; color: black; }}"
        )
        self._popup.itemClicked.connect(self._pick_item)
        self._popup.hide()
        self.textEdited.connect(self._on_edited)

    # ---- state ------------------------------------------------------------------------
    def resident(self) -> Resident | None:
        return self._resident

    def results(self) -> list[Resident]:
        return list(self._results)

    def popup(self) -> QListWidget:
        return self._popup

    def is_popup_visible(self) -> bool:
        return self._popup.isVisible()

    def reset(self) -> None:
        self._resident = None
        self.clear()
        self.hide_popup()

    def set_resident(self, resident: Resident | None) -> None:
        self._resident = resident
        self.setText(resident.name if resident else "")
        self.hide_popup()

    # ---- searching --------------------------------------------------------------------
    def _on_edited(self, text: str) -> None:
        if self._resident is not None and text != self._resident.name:
            self._resident = None
            self.cleared.emit()
        self.search(text)

    def search(self, text: str) -> None:
        """Look the text up and show the matches under the field."""
        self._results = residents.lookup(text, limit=MAX_RESULTS) if text.strip() else []
        self._popup.clear()
        for r in self._results:
            self._popup.addItem(QListWidgetItem(self._describe(r)))
        if self._results:
            self._popup.setCurrentRow(0)
        if self._results and self.isVisible():
            self._show_popup()
        else:
            self.hide_popup()

    def _describe(self, r: Resident) -> str:
        parts = [r.name, residents.room_label(r.building, r.unit, r.room)]
        if r.relation:
            parts.append(r.relation)
        phone = phones.mask(r.phone) or phones.mask(r.phone_alt)
        if phone:
            parts.append(phone)
        return "    ".join(parts)

    def _show_popup(self) -> None:
        window = self.window()
        if self._popup.parentWidget() is not window:
            self._popup.setParent(window)
            self._popup.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            window.installEventFilter(self)
        rows = min(len(self._results), _VISIBLE_ROWS)
        row_height = max(self._popup.sizeHintForRow(0), self.fontMetrics().height() + 8)
        height = rows * row_height + 2 * self._popup.frameWidth() + 2
        width = max(self.width(), 360)
        pos = self.mapTo(window, QPoint(0, self.height()))
        if pos.y() + height > window.height():  # no room below: open above the field
            pos = self.mapTo(window, QPoint(0, -height))
        self._popup.setGeometry(pos.x(), pos.y(), min(width, window.width() - pos.x()), height)
        self._popup.show()
        self._popup.raise_()

    def hide_popup(self) -> None:
        self._popup.hide()

    def _pick_item(self, item: QListWidgetItem) -> None:
        self.pick_row(self._popup.row(item))

    def pick_row(self, row: int) -> None:
        if 0 <= row < len(self._results):
            resident = self._results[row]
            self.set_resident(resident)
            self.picked.emit(resident)

    # ---- keyboard ---------------------------------------------------------------------
    def event(self, e: QEvent) -> bool:
        # Keep Esc/Enter for the open list instead of the form's shortcuts.
        if (
            e.type() == QEvent.Type.ShortcutOverride
            and self.is_popup_visible()
            and isinstance(e, QKeyEvent)
            and e.key() in (Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            e.accept()
            return True
        return super().event(e)

    def keyPressEvent(self, e: QKeyEvent) -> None:
        key = e.key()
        if self.is_popup_visible():
            row = self._popup.currentRow()
            if key == Qt.Key.Key_Down:
                self._popup.setCurrentRow(min(row + 1, self._popup.count() - 1))
                return
            if key == Qt.Key.Key_Up:
                self._popup.setCurrentRow(max(row - 1, 0))
                return
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.pick_row(max(row, 0))
                return
            if key == Qt.Key.Key_Escape:
                self.hide_popup()
                return
        elif key == Qt.Key.Key_Down and self._results and self._resident is None:
            self._popup.setCurrentRow(0)
            self._show_popup()
            return
        super().keyPressEvent(e)

    def focusOutEvent(self, e: QEvent) -> None:
        super().focusOutEvent(e)  # type: ignore[arg-type]
        self.hide_popup()

    def eventFilter(self, watched: QObject, e: QEvent) -> bool:
        if watched is self.window() and e.type() in (QEvent.Type.Resize, QEvent.Type.Move):
            self.hide_popup()
        return False
