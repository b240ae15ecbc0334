"""Every form keeps every field it declares through a draft, and declares every input it has.

For each form: fill every declared field with a distinctive value, save the draft through the
real store (SQLite in tmp_path), restore it into a fresh form and compare field by field. A
second test walks each form's input widgets and fails on one the declaration does not cover —
a new field that was forgotten in the declaration would otherwise be silently lost."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from PySide6.QtCore import QDateTime
from PySide6.QtCore import QTime
from PySide6.QtWidgets import QAbstractButton
from PySide6.QtWidgets import QComboBox
from PySide6.QtWidgets import QDateTimeEdit
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QPlainTextEdit
from PySide6.QtWidgets import QSpinBox
from PySide6.QtWidgets import QWidget

from reception.services import residents
from reception.services.records import Resident
from reception.services.session import Session
from reception.store.attachments import AttachmentStore
from ui.calls.call_form import CallForm
from ui.cases.case_form import CaseForm
from ui.letters.letter_form import LetterForm
from ui.visits.business_visit_form import BusinessVisitForm
from ui.visits.guest_form import GuestForm
from ui.widgets.fields import Field
from ui.widgets.fields import Kind

Make = Callable[[Session, Path], QWidget]

FORMS: dict[str, Make] = {
    "call": lambda session, _tmp: CallForm(session),
    "guest": lambda session, _tmp: GuestForm(session),
    "business": lambda session, _tmp: BusinessVisitForm(session),
    "letter": lambda session, tmp: LetterForm(session, AttachmentStore(tmp / "att")),
    "case": lambda session, _tmp: CaseForm(session),
}

# Inputs on a form that are not part of the record being typed (so not in its draft).
NOT_FIELDS: dict[str, set[str]] = {
    "business": {"follow_up_note"},  # the note when completing an earlier visit's follow-up
}

# Fields that exclude each other: filling the second empties the first (the guest's host is a
# resident or a staff member, never both), so the first is checked in a second pass.
SECOND_PASS: dict[str, set[str]] = {"guest": {"host"}}


@pytest.fixture
def zhang(receptionist: Session) -> Resident:
    return residents.add_resident(
        receptionist, residents.ResidentInput("3", "2", "1201", "张三", "业主", "13800138000")
    )


def fill(field: Field, i: int, resident: Resident) -> None:
    """Put a value into the field that no fresh form has."""
    w = field.widget
    match field.kind:
        case Kind.TEXT:
            assert isinstance(w, QLineEdit)
            w.setText(f"A{i}测试")
        case Kind.PLAIN:
            assert isinstance(w, QPlainTextEdit)
            w.setPlainText(f"第{i}项\n第二行")
        case Kind.COMBO:
            assert isinstance(w, QComboBox)
            assert w.count() >= 2, field.name
            w.setCurrentIndex(w.count() - 1)
        case Kind.COMBO_TEXT:
            assert isinstance(w, QComboBox)
            w.setEditText(f"自填{i}")
        case Kind.CHECK:
            assert isinstance(w, QAbstractButton)
            w.setChecked(True)
        case Kind.SPIN:
            assert isinstance(w, QSpinBox)
            w.setValue(min(w.maximum(), w.minimum() + 7))
        case Kind.DATETIME:
            assert isinstance(w, QDateTimeEdit)
            w.setDateTime(QDateTime(QDate(2026, 3, 4), QTime(5, 10 + i)))
        case Kind.CHOICE:
            list(field.choices.values())[-1].setChecked(True)
        case Kind.RESIDENT:
            field.widget.set_resident(resident)  # type: ignore[attr-defined]


def shown(field: Field) -> object:
    if field.kind == Kind.RESIDENT:
        return (field.value(), field.resident_id())
    return field.value()


def kept(form: QWidget) -> list[Field]:
    return [f for f in form.fields if f.draft_key is not None]  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", FORMS)
def test_every_declared_field_comes_back_from_a_draft(
    name: str, receptionist: Session, zhang: Resident, qtbot, tmp_path: Path
) -> None:
    make = FORMS[name]
    blank = make(receptionist, tmp_path)
    qtbot.addWidget(blank)
    for second in (False, True):
        form = make(receptionist, tmp_path)
        qtbot.addWidget(form)
        chosen = [f for f in kept(form) if (f.name in SECOND_PASS.get(name, set())) == second]
        if not chosen:
            continue
        for i, field in enumerate(chosen):
            fill(field, i, zhang)
        expected = {f.name: shown(f) for f in chosen}
        blank_values = {f.name: shown(f) for f in kept(blank)}
        not_distinct = [n for n, v in expected.items() if v == blank_values[n]]
        assert not not_distinct, f"{name}: filling left these as on a fresh form: {not_distinct}"
        assert form.draft.save_now()  # type: ignore[attr-defined]

        again = make(receptionist, tmp_path)
        qtbot.addWidget(again)
        assert again.restore_saved_draft()  # type: ignore[attr-defined]
        restored = {f.name: shown(f) for f in kept(again) if f.name in expected}
        lost = {n: (v, restored[n]) for n, v in expected.items() if restored[n] != v}
        assert not lost, f"{name}: not kept through the draft (typed, restored): {lost}"
        form.draft.discard()  # type: ignore[attr-defined]


INPUTS = (QLineEdit, QPlainTextEdit, QComboBox, QSpinBox, QDateTimeEdit)


def inputs_of(form: QWidget) -> list[QWidget]:
    found: list[QWidget] = []
    for kind in INPUTS:
        found += form.findChildren(kind)
    found += [b for b in form.findChildren(QAbstractButton) if b.isCheckable()]
    return found


def undeclared_inputs(form: QWidget, name: str) -> list[str]:
    declared = {id(w) for f in form.fields for w in f.widgets()}  # type: ignore[attr-defined]
    allowed = {id(getattr(form, attr)) for attr in NOT_FIELDS.get(name, set())}
    missing = []
    for widget in inputs_of(form):
        covered = False
        node: QWidget | None = widget
        while node is not None and node is not form:  # a combo's line edit, a spin box's
            if id(node) in declared or id(node) in allowed:
                covered = True
                break
            node = node.parentWidget()
        if not covered:
            attr = next((a for a, v in vars(form).items() if v is widget), "")
            missing.append(attr or f"{type(widget).__name__} {widget.objectName()!r}")
    return missing


@pytest.mark.parametrize("name", FORMS)
def test_every_input_of_the_form_is_declared(name: str, receptionist: Session, qtbot, tmp_path: Path) -> None:
    form = FORMS[name](receptionist, tmp_path)
    qtbot.addWidget(form)
    assert undeclared_inputs(form, name) == []


def test_an_undeclared_input_is_caught(receptionist: Session, qtbot) -> None:
    """The walk above does find a forgotten field: take one out of the declaration."""
    form = CallForm(receptionist)
    qtbot.addWidget(form)
    form.fields = [f for f in form.fields if f.name != "utility"]
    assert undeclared_inputs(form, "call") == ["utility_combo"]


@pytest.mark.parametrize("name", ["call", "guest", "business"])
def test_emptying_the_form_empties_every_declared_field(
    name: str, receptionist: Session, zhang: Resident, qtbot, tmp_path: Path
) -> None:
    """The forms that stay open between records: after 清空 nothing declared holds anything."""
    form = FORMS[name](receptionist, tmp_path)
    qtbot.addWidget(form)
    for i, field in enumerate(form.fields):  # type: ignore[attr-defined]
        fill(field, i, zhang)
    assert form.has_content()  # type: ignore[attr-defined]
    form.reset()  # type: ignore[attr-defined]
    holding = [f.name for f in form.fields if f.content and f.holds_something()]  # type: ignore[attr-defined]
    assert holding == []
    assert not form.has_content()  # type: ignore[attr-defined]
