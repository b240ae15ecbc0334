"""The pop: a ring posted to the webhook brings the 来电 tab forward with the caller filled in;
F2 stamps the answer; saving links the call; an unanswered ring becomes a 待回电 by itself.
Screenshots of the pop and of 设置 → 本机 → 电话 are written for looking at."""

from __future__ import annotations

import json
import os
import socket
import urllib.request
from datetime import timedelta
from pathlib import Path

from reception.services import residents as residents_mod
from reception.store import config
from reception.store.models import Callback
from reception.store.models import Ring
from reception.store.paths import DataDir
from ui.main_window import MainWindow

SHOTS = Path(os.environ.get("RECEPTION_SHOTS", "/tmp/phone-shots"))


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _post(address: str, token: str, **fields: str) -> int:
    request = urllib.request.Request(
        f"http://{address}/api/v1/cti/{token}",
        data=json.dumps(fields).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return int(response.status)


def test_ring_pops_the_call_form_prefilled(qtbot, receptionist, clock, tmp_path):
    residents_mod.add_resident(
        receptionist,
        residents_mod.ResidentInput(building="3", unit="2", room="1201", name="王芳", phone="13800138000"),
    )
    address = f"127.0.0.1:{_port()}"
    config.set_phone(tmp_path, phone_adapter="webhook", phone_address=address, phone_token="tok")
    win = MainWindow(receptionist, clock, data_dir=DataDir(tmp_path))
    qtbot.addWidget(win)
    win.resize(1280, 860)
    win.show()
    win.start_phone()
    try:
        win.tabs.setCurrentIndex(1)
        assert (
            _post(address, "tok", event="newCall", **{"from": "+86 138 0013 8000"}, to="8001", callId="w1")
            == 200
        )
        qtbot.waitUntil(lambda: win.call_tab.form.ring_id() is not None, timeout=5000)
        form = win.call_tab.form
        assert win.tabs.currentWidget() is win.call_tab
        assert form.phone_edit.text() == "138****8000"
        assert form.lookup.text() == "王芳" and "3栋" in form.location_edit.text()
        assert "来电 138****8000" in form.status_label.text()
        assert "已连接" in win.phone_label.text()
        SHOTS.mkdir(parents=True, exist_ok=True)
        win.grab().save(str(SHOTS / "pop.png"))
        clock.advance(seconds=8)
        form.new_call()  # F2: answered
        ring = Ring.get()
        assert (ring.answered_at - ring.rang_at) == timedelta(seconds=8)
        form.category_combo.setCurrentIndex(0)
        form.content_edit.setPlainText("咨询停车")
        # an unknown caller rings while this call is being typed: announced, not overwritten
        assert _post(address, "tok", event="newCall", **{"from": "P"}, callId="w2") == 200
        qtbot.waitUntil(lambda: Ring.select().count() == 2, timeout=5000)
        assert form.lookup.text() == "王芳" and "尚未保存" in form.status_label.text()
        assert _post(address, "tok", event="hangup", callId="w2") == 200
        qtbot.waitUntil(lambda: Callback.select().count() == 1, timeout=5000)
        assert "隐藏号码" in Callback.get().reason
    finally:
        win.phone.stop()
        win.call_tab.form.reset()
        win.changes_timer.stop()


def test_settings_local_page_phone_box(qtbot, admin, tmp_path):
    from ui.admin.settings_dialog import SettingsDialog

    dialog = SettingsDialog(admin, None, data_dir=DataDir(tmp_path))
    qtbot.addWidget(dialog)
    from ui.phone.settings_box import PhoneSettingsBox

    box = dialog.findChildren(PhoneSettingsBox)[0]
    box.adapter.setCurrentIndex(box.adapter.findData("webhook"))
    assert box.token.text()  # a token is made when an adapter is chosen
    box.address.setText(f"127.0.0.1:{_port()}")
    assert box.test() is False and "尚未开启" in box.result.text()
    page = box.parentWidget()
    assert page.save()
    stored = config.load(tmp_path)
    assert stored.phone_adapter == "webhook" and stored.phone_token == box.token.text()
    page.window().resize(900, 1000)
    page.show()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.grab().save(str(SHOTS / "settings_phone.png"))
