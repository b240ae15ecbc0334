"""A form's fields, declared once.

Each form lists its input fields as :class:`Field` values — the core's field name (for error
messages), the widget, the key its value has in a draft, and the kind of widget — and gets
``draft_state`` / ``restore_draft`` / ``has_content`` / clearing from that one list::

    self.fields = [
        Field("caller_name", self.lookup, "caller", RESIDENT, id_key="resident_id"),
        Field("location", self.location_edit, "location", TEXT),
        Field("category", self.category_combo, "category", COMBO),
        ...
    ]
    state = draft_values(self.fields)          # {"caller": ..., "resident_id": ..., ...}
    restore_values(self.fields, state)         # in the declared order
    has_content(self.fields)                   # any field marked content=True holds something

A widget the form does not declare is not kept in the draft: ``tests/ui/test_form_drafts_roundtrip.py``
walks every form's input widgets and fails on one that is neither declared nor listed as
deliberately left out. What is not a widget (the call's token, "the due time was edited by
hand") the form adds to the draft itself."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from enum import StrEnum
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton
from PySide6.QtWidgets import QComboBox
from PySide6.QtWidgets import QDateTimeEdit
from PySide6.QtWidgets import QFormLayout
from PySide6.QtWidgets import QGroupBox
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QPlainTextEdit
from PySide6.QtWidgets import QSpinBox
from PySide6.QtWidgets import QWidget

from ui.widgets.drafts_support import qdatetime_text
from ui.widgets.drafts_support import resident_or_none
from ui.widgets.drafts_support import set_combo_data
from ui.widgets.drafts_support import set_qdatetime
from ui.widgets.resident_lookup import ResidentLookup


class Kind(StrEnum):
    TEXT = "text"  # QLineEdit: its text
    PLAIN = "plain"  # QPlainTextEdit: its text
    COMBO = "combo"  # QComboBox: the chosen item's data
    COMBO_TEXT = "combo_text"  # editable QComboBox: the text in it
    CHECK = "check"  # checkable button: checked or not
    SPIN = "spin"  # QSpinBox: its value
    DATETIME = "datetime"  # QDateTimeEdit: wall-clock ISO text
    CHOICE = "choice"  # a group of exclusive buttons (``choices``): the chosen one's key, or ""
    RESIDENT = "resident"  # ResidentLookup: the text typed, and the resident picked (``id_key``)


TEXT, PLAIN, COMBO, COMBO_TEXT, CHECK, SPIN, DATETIME, CHOICE, RESIDENT = Kind


@dataclass(eq=False)
class Field:
    """One input of a form.

    ``name``: the core's field name (the key of ``ValidationError.fields``), "" if none.
    ``draft_key``: the key in the draft; ``None`` leaves the field out of drafts on purpose.
    ``content``: whether something in it means the form "has content" (worth a draft / asking
    before throwing it away). ``empty``: the value clearing sets (combo data, spin value).
    ``choices``: for CHOICE, the buttons by the value each stands for. ``id_key``: for
    RESIDENT, the draft key of the picked resident's id; ``text_if_gone``: restore the typed
    text when the draft's resident is no longer on file; ``clears``: whether emptying the form
    empties this field (False: the form keeps the choice for the next record)."""

    name: str
    widget: QWidget
    draft_key: str | None
    kind: Kind
    content: bool = True
    empty: Any = None
    choices: Mapping[str, QAbstractButton] = field(default_factory=dict)
    id_key: str = ""
    text_if_gone: bool = True
    clears: bool = True

    def widgets(self) -> list[QWidget]:
        """Every input widget this field covers."""
        return [self.widget, *self.choices.values()]

    # ---- reading ---------------------------------------------------------------------------
    def value(self) -> Any:
        """The field's value as a draft keeps it (plain JSON values)."""
        w = self.widget
        match self.kind:
            case Kind.TEXT | Kind.RESIDENT:
                assert isinstance(w, QLineEdit)
                return w.text()
            case Kind.PLAIN:
                assert isinstance(w, QPlainTextEdit)
                return w.toPlainText()
            case Kind.COMBO:
                assert isinstance(w, QComboBox)
                data = w.currentData()
                return "" if data is None and isinstance(self.empty, str) else data
            case Kind.COMBO_TEXT:
                assert isinstance(w, QComboBox)
                return w.currentText()
            case Kind.CHECK:
                assert isinstance(w, QAbstractButton)
                return w.isChecked()
            case Kind.SPIN:
                assert isinstance(w, QSpinBox)
                return w.value()
            case Kind.DATETIME:
                assert isinstance(w, QDateTimeEdit)
                return qdatetime_text(w.dateTime())
            case Kind.CHOICE:
                return next((key for key, button in self.choices.items() if button.isChecked()), "")

    def resident_id(self) -> int | None:
        assert isinstance(self.widget, ResidentLookup)
        resident = self.widget.resident()
        return resident.id if resident is not None else None

    def holds_something(self) -> bool:
        match self.kind:
            case Kind.COMBO:
                assert isinstance(self.widget, QComboBox)
                return self.widget.currentIndex() >= 0
            case Kind.RESIDENT:
                return bool(self.value().strip()) or self.resident_id() is not None
            case Kind.CHECK:
                return bool(self.value())
            case Kind.SPIN | Kind.DATETIME:
                return False
        return bool(self.value().strip())

    # ---- writing ---------------------------------------------------------------------------
    def set_value(self, value: Any) -> None:
        """Put a draft's value back (a value of the wrong type counts as empty; a check box or
        spin box without ``empty`` is then left as it is)."""
        w = self.widget
        text = value if isinstance(value, str) else ""
        match self.kind:
            case Kind.TEXT | Kind.RESIDENT:
                assert isinstance(w, QLineEdit)
                w.setText(text)
            case Kind.PLAIN:
                assert isinstance(w, QPlainTextEdit)
                w.setPlainText(text)
            case Kind.COMBO:
                assert isinstance(w, QComboBox)
                set_combo_data(w, value if value not in (None, "") else self.empty)
            case Kind.COMBO_TEXT:
                assert isinstance(w, QComboBox)
                w.setEditText(text)
            case Kind.CHECK:
                assert isinstance(w, QAbstractButton)
                if isinstance(value, bool) or self.empty is not None:
                    w.setChecked(value is True)
            case Kind.SPIN:
                assert isinstance(w, QSpinBox)
                number = value if isinstance(value, int) and not isinstance(value, bool) else self.empty
                if isinstance(number, int):
                    w.setValue(number)
            case Kind.DATETIME:
                assert isinstance(w, QDateTimeEdit)
                set_qdatetime(w, value)
            case Kind.CHOICE:
                button = self.choices.get(text)
                if button is not None:
                    button.setChecked(True)

    def clear(self) -> None:
        """Empty the field (DATETIME fields are left to the form: their default is "now")."""
        match self.kind:
            case Kind.RESIDENT:
                assert isinstance(self.widget, ResidentLookup)
                self.widget.reset()
            case Kind.CHOICE:
                groups = {b.group() for b in self.choices.values()}
                for group in groups:
                    if group is not None:
                        group.setExclusive(False)
                for button in self.choices.values():
                    button.setChecked(False)
                for group in groups:
                    if group is not None:
                        group.setExclusive(True)
            case Kind.CHECK:
                assert isinstance(self.widget, QAbstractButton)
                self.widget.setChecked(self.empty is True)
            case Kind.DATETIME:
                pass
            case _:
                self.set_value(self.empty)


# ---- laying fields out ---------------------------------------------------------------------
def form_layout() -> QFormLayout:
    """Captions right-aligned at the top of their row, fields growing with the window."""
    form = QFormLayout()
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setHorizontalSpacing(8)
    form.setVerticalSpacing(4)
    return form


def form_group(title: str) -> tuple[QGroupBox, QFormLayout]:
    """A titled group of captioned rows (:func:`form_layout`): the box and its form."""
    group = QGroupBox(title)
    form = form_layout()
    group.setLayout(form)
    return group, form


# ---- the whole form ------------------------------------------------------------------------
def draft_values(fields: Iterable[Field]) -> dict[str, Any]:
    """The declared fields' values by draft key (fields with ``draft_key=None`` left out)."""
    state: dict[str, Any] = {}
    for f in fields:
        if f.draft_key is None:
            continue
        state[f.draft_key] = f.value()
        if f.kind == Kind.RESIDENT:
            state[f.id_key] = f.resident_id()
    return state


def restore_values(fields: Iterable[Field], state: Mapping[str, Any]) -> None:
    """Put the draft's values back, in the declared order (the form refreshes what depends on
    them afterwards)."""
    for f in fields:
        if f.draft_key is None:
            continue
        if f.kind == Kind.RESIDENT:
            assert isinstance(f.widget, ResidentLookup)
            resident = resident_or_none(state.get(f.id_key))
            if resident is not None:
                f.widget.set_resident(resident)
            elif state.get(f.id_key) is None or f.text_if_gone:
                f.set_value(state.get(f.draft_key))
            continue
        f.set_value(state.get(f.draft_key))


def has_content(fields: Iterable[Field]) -> bool:
    return any(f.holds_something() for f in fields if f.content)


def clear_values(fields: Iterable[Field]) -> None:
    for f in fields:
        if f.clears:
            f.clear()


def by_name(fields: Iterable[Field], name: str) -> Field:
    for f in fields:
        if f.name == name:
            return f
    raise KeyError(name)
