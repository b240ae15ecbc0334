"""设置 → 本机 → 读卡器 in reception.ini: stored, read back, refused when wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from reception.errors import ValidationError
from reception.store import config


def test_reader_settings_round_trip_and_keep_the_rest(tmp_path: Path) -> None:
    config.set_printers(
        tmp_path, badge_printer="Brother", badge_size="", badge_orientation="", report_printer=""
    )
    stored = config.set_reader(tmp_path, kind="serial", port="COM3", speed=57600)
    again = config.load(tmp_path)
    assert again == stored
    assert (again.reader_kind, again.reader_port, again.reader_speed) == ("serial", "COM3", 57600)
    assert again.badge_printer == "Brother"
    text = config.path(tmp_path).read_text(encoding="utf-8")
    assert "[读卡器]" in text and "端口 = COM3" in text


def test_default_is_no_reader(tmp_path: Path) -> None:
    pc = config.load(tmp_path)
    assert (pc.reader_kind, pc.reader_port, pc.reader_speed) == ("", "", 115200)


def test_hand_edited_nonsense_falls_back(tmp_path: Path) -> None:
    config.path(tmp_path).write_text("[读卡器]\n类型 = magic\n速率 = fast\n", encoding="utf-8")
    pc = config.load(tmp_path)
    assert (pc.reader_kind, pc.reader_speed) == ("", 115200)


@pytest.mark.parametrize(
    ("kind", "port", "speed", "field"),
    [
        ("serial", "", 115200, "reader_port"),
        ("serial", "COM3\n", 115200, "reader_port"),
        ("serial", "COM3", 12345, "reader_speed"),
        ("usb", "COM3", 115200, "reader_kind"),
    ],
)
def test_bad_reader_settings_refused(tmp_path: Path, kind: str, port: str, speed: int, field: str) -> None:
    with pytest.raises(ValidationError) as err:
        config.set_reader(tmp_path, kind=kind, port=port, speed=speed)
    assert field in err.value.fields
    assert not config.path(tmp_path).exists()
