"""Scanner-safe fields: where only digits and Latin letters belong (ID numbers, phone numbers, the
badge scan field), the input method is off, so a USB scanner's keystrokes arrive as typed even
while the Chinese IME is on — before and after the forms are used and cleared."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from reception.store.paths import DataDir


def _ime_off(edit) -> bool:
    hints = edit.inputMethodHints()
    return not edit.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled) and bool(
        hints & Qt.InputMethodHint.ImhLatinOnly
    )


@pytest.fixture
def window(qtbot, admin, clock, tmp_path: Path):
    from ui.main_window import MainWindow

    win = MainWindow(admin, clock, data_dir=DataDir(tmp_path))
    qtbot.addWidget(win)
    return win


def _fields(win):
    call, visit = win.call_tab.form, win.visit_tab
    return {
        "来电号码": call.phone_edit,
        "留言回电号码": call.message_phone_edit,
        "待回电号码": call.callback_phone_edit,
        "访客电话": visit.guest_form.phone_edit,
        "访客证件号": visit.guest_form.id_number_edit,
        "扫码离开": visit.scan_edit,
        "业户办事电话": visit.business_form.phone_edit,
    }


def test_ascii_fields_take_input_with_the_ime_off(window, qtbot):
    fields = _fields(window)
    assert [name for name, edit in fields.items() if not _ime_off(edit)] == []
    # … and still after the forms were typed into and cleared.
    qtbot.keyClicks(window.visit_tab.guest_form.id_number_edit, "11010519491231002X")
    window.visit_tab.guest_form.reset()
    window.call_tab.form.reset()
    assert [name for name, edit in _fields(window).items() if not _ime_off(edit)] == []


def test_chinese_fields_keep_the_ime(window):
    assert window.visit_tab.guest_form.name_edit.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)
    assert window.visit_tab.guest_form.plate_edit.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled), (
        "plates begin with a Chinese province character (沪A12345)"
    )


def test_dialog_fields_take_input_with_the_ime_off(qtbot, admin):
    from ui.admin.residents_view import ResidentDialog
    from ui.admin.setup_dialog import SetupDialog
    from ui.visits.appointments_panel import AppointmentDialog
    from ui.visits.watchlist_dialog import WatchListDialog

    watch = WatchListDialog(admin)
    resident = ResidentDialog(admin)
    setup = SetupDialog()
    booking = AppointmentDialog(admin)
    for dialog in (watch, resident, setup, booking):
        qtbot.addWidget(dialog)
    edits = [watch.id_number_edit, watch.phone_edit, resident.phone, resident.phone_alt, setup.desk_phone]
    edits.append(booking.phone_edit)
    assert all(_ime_off(edit) for edit in edits)
