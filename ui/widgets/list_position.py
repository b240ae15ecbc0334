"""Reloading a list without losing the operator's place: the record that was selected stays
selected (when it is still listed) and the list stays scrolled where it was. Used when the
lists are re-read because something was saved, here or at another desk."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's record, in every list model of the program


def _key(record: object) -> object:
    return getattr(record, "id", None)


@contextmanager
def kept_place(view: QAbstractItemView, role: int = ROW_ROLE) -> Iterator[None]:
    """Around a reload of ``view``'s model: select the same record again afterwards (matched by
    its ``id``) and restore the scroll position. Rows are looked for only among those loaded."""
    model = view.model()
    current = view.currentIndex()
    key = _key(current.data(role)) if current.isValid() else None
    column = max(current.column(), 0)
    vertical = view.verticalScrollBar().value()
    horizontal = view.horizontalScrollBar().value()
    yield
    if key is not None:
        for row in range(model.rowCount()):
            if _key(model.index(row, 0).data(role)) == key:
                view.selectionModel().setCurrentIndex(
                    model.index(row, column),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
                )
                break
    view.verticalScrollBar().setValue(vertical)
    view.horizontalScrollBar().setValue(horizontal)
