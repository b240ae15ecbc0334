"""FieldErrors, the one way the forms and dialogs show a ValidationError: each message beside its
field, the focus on the first field in error as the receptionist meets them (not in the order
the core happened to check them), messages without a field in the general line."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox
from PySide6.QtWidgets import QFormLayout
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QSpinBox
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from reception.errors import ValidationError
from ui.widgets.forms import FieldErrors
from ui.widgets.forms import error_label


def _form(qtbot, order: list[str] | None = None):
    window = QWidget()
    qtbot.addWidget(window)
    general = error_label()
    errors = FieldErrors(general, order or (), fit=False)
    form = QFormLayout()
    edits = {name: QLineEdit() for name in ("name", "phone", "room")}
    spin = QSpinBox()
    form.addRow("姓名", errors.wrap("name", edits["name"], spin))
    errors.alias("party", "name", focus=spin)
    form.addRow("电话", errors.wrap("phone", edits["phone"]))
    check = QCheckBox("已核验")
    form.addRow("房号", errors.wrap("room", edits["room"], check, focus=edits["room"]))
    layout = QVBoxLayout(window)
    layout.addLayout(form)
    layout.addWidget(general)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    return window, errors, edits, spin, general


def test_focus_goes_to_the_first_field_as_laid_out_not_as_reported(qtbot) -> None:
    window, errors, edits, _spin, general = _form(qtbot)
    errors.show_error(ValidationError({"room": "请填写房号", "phone": "电话号码位数不对"}))
    assert errors.message("room") == "请填写房号"
    assert errors.message("phone") == "电话号码位数不对"
    assert errors.message("name") == ""
    assert window.focusWidget() is edits["phone"]
    assert general.isHidden()


def test_an_alias_shares_its_fields_line_and_place(qtbot) -> None:
    window, errors, _edits, spin, _general = _form(qtbot)
    errors.show_fields({"phone": "电话号码位数不对", "party": "人数至少 1 人"})
    assert errors.message("name") == "人数至少 1 人"  # the party size's message, on the name's line
    assert window.focusWidget() is spin  # it stands where the name does, before the phone


def test_an_explicit_order_wins_and_leftovers_go_to_the_general_line(qtbot) -> None:
    window, errors, edits, _spin, general = _form(qtbot, ["room", "name", "phone"])
    leftovers = errors.show_error(
        ValidationError({"phone": "电话号码位数不对", "room": "请填写房号", "x": "预约已取消"})
    )
    assert window.focusWidget() is edits["room"]
    assert leftovers == ["预约已取消"]
    assert not general.isHidden() and general.text() == "预约已取消"
    errors.clear_widget(edits["room"])  # the receptionist edits the field: its message goes
    assert errors.message("room") == "" and errors.message("phone")
    errors.clear()
    assert errors.message("phone") == "" and general.isHidden()


def test_without_a_general_line_the_leftovers_are_returned(qtbot) -> None:
    errors = FieldErrors()
    edit = QLineEdit()
    box = errors.wrap("name", edit)
    qtbot.addWidget(box)
    assert errors.show_fields({"name": "请填写姓名", "other": "别处的问题"}) == ["别处的问题"]
    assert errors.message("name") == "请填写姓名"
