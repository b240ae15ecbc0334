"""The caller-ID box on a serial port: a real pseudo-terminal pair speaking the modem protocol into
QSerialPort (on its own thread). Ring → pop → answer (F2) → save → the ringing stops; a missed
private call; garbage and half lines; the box unplugged (未连接); the 测试 button."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

from reception.services import residents as residents_mod
from reception.services.calls import Outcome
from reception.store import config
from reception.store.models import Call
from reception.store.models import Callback
from reception.store.models import Ring
from reception.store.paths import DataDir
from tests.fake_caller_id import FakeCallerIdBox
from ui.main_window import MainWindow


@pytest.fixture
def box() -> Iterator[FakeCallerIdBox]:
    fake = FakeCallerIdBox()
    yield fake
    fake.close()


@pytest.fixture
def window(qtbot, receptionist, clock, tmp_path, box) -> Iterator[MainWindow]:
    config.set_phone(tmp_path, phone_adapter="serial", phone_serial_port=box.path)
    win = MainWindow(receptionist, clock, data_dir=DataDir(tmp_path))
    win.resize(1366, 768)
    win.show()
    win.start_phone()
    yield win
    win.phone.stop()
    win.call_tab.form.reset()
    win.close()
    win.deleteLater()


def test_ring_pop_answer_save_and_ringing_stops(qtbot, window, box, receptionist, clock):
    residents_mod.add_resident(
        receptionist,
        residents_mod.ResidentInput(building="3", unit="2", room="1201", name="王芳", phone="13800138000"),
    )
    # the init command reached the box, and the status bar says so
    qtbot.waitUntil(lambda: b"AT+VCID=1" in box.commands, timeout=5000)
    assert box.commands[0] == b"ATZ"
    qtbot.waitUntil(lambda: "已连接" in window.phone_label.text(), timeout=5000)
    assert "来电显示盒" in window.phone_label.text()
    window.tabs.setCurrentIndex(2)

    box.ring("13800138000")
    form = window.call_tab.form
    qtbot.waitUntil(lambda: form.ring_id() is not None, timeout=5000)
    assert window.tabs.currentWidget() is window.call_tab
    assert form.phone_edit.text() == "138****8000"
    assert form.lookup.text() == "王芳"
    assert "来电 138****8000" in form.status_label.text()
    ring = Ring.get()
    assert (ring.source, ring.number, ring.number_kind) == ("serial", "13800138000", "")
    box.ring()  # the second ring: the same call
    clock.advance(seconds=6)
    qtbot.keyClick(form.lookup, Qt.Key.Key_F2)  # answered
    ring = Ring.get()
    assert ring.answered_at - ring.rang_at == timedelta(seconds=6)
    form.category_combo.setCurrentIndex(form.category_combo.findData("咨询"))
    form.content_edit.setPlainText("物业费什么时候交")
    form.answer_edit.setPlainText("本月底前")
    form.outcome_buttons[Outcome.ANSWERED].click()
    result = form.save()
    assert result is not None, form.status_label.text()
    # the ringing stopped long ago: nothing more is recorded, no 待回电
    clock.advance(seconds=30)
    qtbot.wait(1300)
    ring = Ring.get()
    assert ring.call_id == Call.get().id and ring.ended_at is None
    assert Callback.select().count() == 0 and Ring.select().count() == 1


def test_missed_private_call_becomes_a_callback(qtbot, window, box, clock):
    qtbot.waitUntil(lambda: "已连接" in window.phone_label.text(), timeout=5000)
    box.ring("P")
    qtbot.waitUntil(lambda: Ring.select().count() == 1, timeout=5000)
    assert window.call_tab.form.phone_edit.text() == ""
    assert "隐藏号码" in window.call_tab.form.status_label.text()
    box.ring()
    clock.advance(seconds=12)  # no RING for longer than the box's pause: the caller gave up
    qtbot.waitUntil(lambda: Callback.select().count() == 1, timeout=5000)
    ring = Ring.get()
    assert ring.number_kind == "private" and ring.ended_at is not None and ring.answered_at is None
    assert "隐藏号码" in Callback.get().reason


def test_garbage_and_half_lines(qtbot, window, box, clock):
    qtbot.waitUntil(lambda: "已连接" in window.phone_label.text(), timeout=5000)
    box.send(b"\x00\xff\x13garbage\r\n" + b"x" * 500)  # noise, and a line with no end in sight
    box.send(b"\r\nNMBR = 123456789012345678901234567890" + b"9" * 300 + b"\r\n")  # too long: ignored
    box.send(b"\r\nRING\r\n\r\nDATE = 1205\r\nTIME = 18")  # half a line …
    qtbot.wait(300)
    assert Ring.select().count() == 0
    box.send(b"30\r\nNMBR = 0086 139 0013 9000\r\n\r\n")  # … and the rest
    qtbot.waitUntil(lambda: Ring.select().count() == 1, timeout=5000)
    assert Ring.get().number == "13900139000"
    assert window.call_tab.form.phone_edit.text() == "139****9000"
    # the same call's caller ID repeated is not a second ring; a new call after the pause is
    box.send(b"NMBR = 13900139000\r\n")
    qtbot.wait(300)  # read at this time (bytes are stamped when they arrive)
    assert Ring.select().count() == 1
    clock.advance(seconds=12)
    qtbot.waitUntil(lambda: Ring.get().ended_at is not None, timeout=5000)
    box.ring("O")
    qtbot.waitUntil(lambda: Ring.select().count() == 2, timeout=5000)
    assert Ring.select().order_by(Ring.id.desc()).get().number_kind == "unavailable"


def test_box_unplugged_says_not_connected(qtbot, window, box):
    qtbot.waitUntil(lambda: "已连接" in window.phone_label.text(), timeout=5000)
    box.unplug()
    qtbot.waitUntil(lambda: "未连接" in window.phone_label.text(), timeout=5000)
    assert "○" in window.phone_label.text()


def test_settings_test_button_talks_to_the_box(qtbot, admin, tmp_path, box):
    from ui.admin.settings_dialog import SettingsDialog
    from ui.phone.settings_box import PhoneSettingsBox

    dialog = SettingsDialog(admin, None, data_dir=DataDir(tmp_path))
    qtbot.addWidget(dialog)
    phone = dialog.findChildren(PhoneSettingsBox)[0]
    phone.adapter.setCurrentIndex(phone.adapter.findData("serial"))
    phone.serial_port.setText(box.path)
    phone.serial_init.setCurrentText("AT#CID=1")
    phone.lines.setText("8001，8002")
    assert phone.test() is True and "已应答" in phone.result.text()
    assert b"AT#CID=1" in box.commands
    assert phone.parentWidget().save()
    stored = config.load(tmp_path)
    assert (stored.phone_adapter, stored.phone_serial_port) == ("serial", box.path)
    assert (stored.phone_serial_init, stored.phone_lines) == ("AT#CID=1", "8001，8002")
    # a modem without AT#CID=1 says ERROR to it (after OK to ATZ): the test says so
    box.refuse.add(b"AT#CID=1")
    assert phone.test() is False and "不接受初始化命令 AT#CID=1" in phone.result.text()
    box.answer_ok = False  # a box that answers nothing
    phone.serial_init.setCurrentText("AT+VCID=1")
    assert phone.test() is False and "没有应答" in phone.result.text()
    phone.serial_port.setText("/dev/没有这个串口")
    assert phone.test() is False and "无法打开" in phone.result.text()
