"""设置 → 本机 → 读卡器: kind, port and speed kept in this PC's file; 测试 asks a (fake) reader on a
pseudo-terminal and shows its answer; the status indicator follows the reader."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reception.rules import idcard
from reception.services import card_reader as cr
from reception.store import config
from reception.store import db
from reception.store.paths import DataDir
from reception.store.startup import remember_data_dir
from tests.fake_card_reader import FakeReader
from ui.visits import card_reader as ui_reader


@pytest.fixture
def page(qtbot, admin, tmp_path: Path) -> Iterator[object]:
    from ui.admin.settings_dialog import SettingsDialog

    remember_data_dir(db.database.obj, DataDir(tmp_path))
    dialog = SettingsDialog(admin, data_dir=DataDir(tmp_path))
    qtbot.addWidget(dialog)
    yield dialog.local_page
    ui_reader.stop_shared()


@pytest.fixture
def reader() -> Iterator[FakeReader]:
    fake = FakeReader()
    yield fake
    fake.close()


def choose(page, kind: str, port: str, speed: int) -> None:
    page.reader_kind.setCurrentIndex(page.reader_kind.findData(kind))
    page.reader_port.setEditText(port)
    page.reader_speed.setCurrentIndex(page.reader_speed.findData(speed))


def test_reader_settings_saved_in_this_pcs_file(page, tmp_path: Path) -> None:
    choose(page, cr.SERIAL, "COM3", 57600)
    assert page.save()
    stored = config.load(tmp_path)
    assert (stored.reader_kind, stored.reader_port, stored.reader_speed) == (cr.SERIAL, "COM3", 57600)


def test_serial_reader_without_a_port_refused_beside_the_field(page, tmp_path: Path) -> None:
    choose(page, cr.SERIAL, "", 115200)
    assert not page.save()
    assert "串口" in page.errors.labels["reader_port"].text()
    assert config.load(tmp_path).reader_kind == ""


def test_test_button_asks_the_reader(qtbot, page, reader: FakeReader) -> None:
    choose(page, cr.SERIAL, reader.path, 115200)
    page.test_reader()
    qtbot.waitUntil(lambda: page.reader_tested != "", timeout=5000)
    assert "应答正常" in page.reader_status.text() and "没有证件" in page.reader_status.text()
    assert reader.commands == [idcard.FIND]
    reader.card = idcard.encode_text(name="张三", id_number="500101198001011235")
    page.reader_tested = ""
    page.test_reader()
    qtbot.waitUntil(lambda: page.reader_tested != "", timeout=5000)
    assert "有证件" in page.reader_status.text()


def test_test_button_with_a_silent_or_missing_reader(qtbot, page, reader: FakeReader) -> None:
    reader.silent = True
    choose(page, cr.SERIAL, reader.path, 115200)
    page.test_reader()
    qtbot.waitUntil(lambda: page.reader_tested != "", timeout=5000)
    assert "无应答" in page.reader_status.text()
    page.reader_tested = ""
    choose(page, cr.SERIAL, "/dev/pts/no-such-reader", 115200)
    page.test_reader()
    qtbot.waitUntil(lambda: page.reader_tested != "", timeout=5000)
    assert "未连接" in page.reader_status.text() and "无法打开" in page.reader_status.text()


def test_saving_starts_the_reader_and_the_status_follows(
    qtbot, page, receptionist, reader: FakeReader
) -> None:
    from ui.visits.visit_tab import VisitTab

    tab = VisitTab(receptionist)
    qtbot.addWidget(tab)
    tab.show()
    choose(page, cr.SERIAL, reader.path, 115200)
    assert page.save()
    qtbot.waitUntil(lambda: "已连接" in page.reader_status.text(), timeout=5000)
    assert tab.card_link is not None and tab.card_link.running()
