"""The pop's caller panel (来电人) beside the call form, the ring while the window is locked (only
「来电 138****8000」 until someone logs in), and the analysis window's three-ring figure by hour
and by operator. Screenshots are written for looking at."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from datetime import datetime
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit

from reception.phone.events import ANSWER
from reception.phone.events import HANGUP
from reception.phone.events import RING
from reception.phone.events import PhoneEvent
from reception.services import cases
from reception.services import messages
from reception.services import phone_line
from reception.services import residents as residents_mod
from reception.store.models import Ring
from reception.store.paths import DataDir
from tests.conftest import PASSWORD
from ui.main_window import MainWindow

SHOTS = Path(os.environ.get("RECEPTION_SHOTS", "/tmp/phone-shots"))
T0 = datetime(2026, 11, 26, 1, 0, 0)  # 09:00 in Shanghai


def _ring(win: MainWindow, call_id: str, number: str = "13800138000") -> None:
    win.phone.hub.put(PhoneEvent(RING, "simulate", call_id, number=number, line="8001"))
    win.phone.drain()


@pytest.fixture
def wang(receptionist):
    resident = residents_mod.add_resident(
        receptionist,
        residents_mod.ResidentInput(building="3", unit="2", room="1201", name="王芳", phone="13800138000"),
    )
    cases.open_direct_case(
        receptionist, cases.CaseInput(category="报修", description="厨房水管漏水", resident_id=resident.id)
    )
    messages.add_message(
        receptionist, messages.MessageInput(for_person="王芳", from_name="物业", text="快递已放前台，请来取")
    )
    return resident


@pytest.fixture
def window(qtbot, receptionist, clock, tmp_path) -> Iterator[MainWindow]:
    win = MainWindow(receptionist, clock, data_dir=DataDir(tmp_path))
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.phone.stop()
    win.call_tab.form.reset()
    win.close()
    win.deleteLater()


def test_pop_shows_the_caller_panel_masked(qtbot, window, wang):
    window.tabs.setCurrentIndex(2)
    _ring(window, "p1")
    tab = window.call_tab
    assert window.tabs.currentWidget() is tab
    assert tab.side_tabs.currentWidget() is tab.caller_panel
    text = tab.caller_panel.text()
    assert "来电 138****8000" in text and "王芳（3栋2单元1201）" in text
    assert "厨房水管漏水" not in text and "报修" in text and "前答复" in text  # the case, its deadline
    assert "快递已放前台" in text
    assert "13800138000" not in text
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SHOTS / "pop-caller-panel.png"))
    # an unknown caller: said so, every section empty
    window.call_tab.form.reset()
    _ring(window, "p2", "13700000000")
    text = tab.caller_panel.text()
    assert "137****0000" in text and "未登记的号码" in text and "快递" not in text


def test_ring_while_locked_shows_only_the_masked_number(qtbot, window, wang):
    window.lock()
    screen = window.idle_lock.screen
    _ring(window, "l1")
    assert screen.ring_label.isVisible() and screen.ring_label.text() == "来电 138****8000"
    shown = [w.text() for w in window.findChildren(QLabel) if w.isVisible()]
    shown += [w.text() for w in window.findChildren(QLineEdit) if w.isVisible()]
    assert not any("王芳" in t or "漏水" in t or "快递" in t for t in shown)
    assert window.call_tab.form.ring_id() is None  # the form is not filled behind the lock
    assert screen.password.hasFocus()  # typing the password is not interrupted
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SHOTS / "locked-ring.png"))
    qtbot.keyClicks(screen.password, PASSWORD)
    qtbot.keyClick(screen.password, Qt.Key.Key_Return)
    assert not window.idle_lock.is_locked()
    assert not screen.ring_label.isVisible()
    assert window.call_tab.form.ring_id() == Ring.get().id
    assert window.call_tab.form.lookup.text() == "王芳"


def test_ring_that_ended_while_locked_does_not_pop(qtbot, window, wang, clock):
    window.lock()
    _ring(window, "l2")
    clock.advance(seconds=20)
    window.phone.hub.put(PhoneEvent(HANGUP, "simulate", "l2"))
    window.phone.drain()
    screen = window.idle_lock.screen
    assert not screen.ring_label.isVisible()  # the caller gave up: a 待回电 now, no longer a ring
    qtbot.keyClicks(screen.password, PASSWORD)
    qtbot.keyClick(screen.password, Qt.Key.Key_Return)
    assert window.call_tab.form.ring_id() is None
    assert not screen.ring_label.isVisible()


def test_analysis_window_shows_three_ring_figure_by_hour_and_operator(qtbot, receptionist, clock):
    from ui.analysis.analysis_window import AnalysisWindow

    for call_id, minutes, wait in (("a1", 0, 5), ("a2", 30, None), ("a3", 5 * 60, 20)):
        clock.set(T0 + timedelta(minutes=minutes))
        update = phone_line.record(PhoneEvent(RING, "simulate", call_id, number="13800138000"), receptionist)
        assert update is not None
        clock.advance(seconds=wait or 30)
        if wait:
            phone_line.answer(receptionist, update.ring.id)
        phone_line.record(PhoneEvent(HANGUP, "simulate", call_id), receptionist)
    phone_line.record(PhoneEvent(ANSWER, "simulate", "none"), receptionist)
    window = AnalysisWindow(receptionist)
    qtbot.addWidget(window)
    window.set_range(date(2026, 11, 26), date(2026, 11, 26))
    rows = window.phone_hour_page.model.rows()
    assert rows == [["09:00–10:00", 2, 1, 1, "50%", "5.0", 1], ["14:00–15:00", 1, 1, 0, "0%", "20.0", 0]]
    who = {r[0]: r[1:] for r in window.phone_operator_page.model.rows()}
    assert who == {
        receptionist.operator.display_name: [2, 2, 1, "50%", "12.5", 0],
        "未接": [1, 0, 0, "0%", "—", 1],
    }
    assert window.phone_hour_chart.labels() == ["09:00", "14:00"]
    assert window.phone_hour_chart.values() == [50, 0]
    names = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert "电话接听（按时段）" in names and "电话接听（按接听人）" in names
    window.resize(1366, 768)
    window.show()
    window.tabs.setCurrentWidget(window.phone_hour_page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SHOTS / "analysis-phone.png"))


def test_an_event_from_an_adapter_thread_wakes_the_window_at_once(qtbot, window, wang):
    """No polling timer runs (no adapter started): the hub's wake-up alone brings the pop, and a
    burst of events wakes the window once per batch, not once per event."""
    import threading

    assert not window.phone._timer.isActive()
    woken: list[int] = []
    window.phone._waiting.connect(lambda: woken.append(1))

    def adapter() -> None:
        window.phone.hub.put(PhoneEvent(RING, "simulate", "t1", number="13800138000"))
        for i in range(100):
            window.phone.hub.put(PhoneEvent(HANGUP, "simulate", f"none-{i}"))

    thread = threading.Thread(target=adapter)
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: window.call_tab.form.ring_id() is not None, timeout=1000)
    assert window.call_tab.form.lookup.text() == "王芳"
    assert len(woken) <= 3
