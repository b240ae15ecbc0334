"""The SAM serial adapter against a fake reader on a pseudo-terminal: real frames both ways."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from reception.rules import idcard
from reception.services import card_reader as cr
from tests.fake_card_reader import FakeReader
from ui.visits.card_reader import CardReaderLink

ID_CQ = "500101198001011235"


@pytest.fixture
def reader() -> Iterator[FakeReader]:
    fake = FakeReader()
    yield fake
    fake.close()


@pytest.fixture
def link(qtbot) -> Iterator[CardReaderLink]:
    now = [0.0]
    link = CardReaderLink(clock=lambda: now[0])
    link.now = now  # type: ignore[attr-defined]
    yield link
    link.stop()


def test_card_on_the_reader_is_read_and_not_read_twice(
    qtbot, reader: FakeReader, link: CardReaderLink
) -> None:
    reader.card = idcard.encode_text(name="张三", id_number=ID_CQ)
    reads: list[cr.CardRead] = []
    link.card_read.connect(reads.append)
    link.set_wanted(True)
    link.start(reader.path)
    qtbot.waitUntil(lambda: len(reads) == 1, timeout=5000)
    assert reads[0].card.name == "张三" and reads[0].source == "reader"
    assert reader.commands[:3] == [idcard.FIND, idcard.SELECT, idcard.READ]
    # it keeps lying there: the next rounds read it again but it is not handed over again
    rounds = reader.commands.count(idcard.READ)
    qtbot.waitUntil(lambda: reader.commands.count(idcard.READ) >= rounds + 2, timeout=5000)
    assert len(reads) == 1
    assert link.state == cr.CONNECTED


def test_paused_when_no_form_wants_a_card(qtbot, reader: FakeReader, link: CardReaderLink) -> None:
    link.start(reader.path)
    qtbot.waitUntil(lambda: link.state == cr.PAUSED, timeout=5000)
    qtbot.wait(1200)
    assert reader.commands == []
    link.set_wanted(True)
    qtbot.waitUntil(lambda: idcard.FIND in reader.commands, timeout=5000)


@pytest.mark.parametrize("status", [0x10, 0x11, 0x21, 0x31, 0x32, 0x33, 0x40, 0x60, 0x66])
def test_error_status_shows_its_message(qtbot, reader: FakeReader, link: CardReaderLink, status: int) -> None:
    reader.card = idcard.encode_text(name="张三", id_number=ID_CQ)
    reader.status[idcard.READ] = status
    reads: list[object] = []
    link.card_read.connect(reads.append)
    link.set_wanted(True)
    link.start(reader.path)
    qtbot.waitUntil(lambda: link.state == cr.ERROR, timeout=5000)
    assert link.detail == idcard.STATUS_MESSAGES[status]
    assert reads == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"\x13\x37garbage" * 3, "无应答"),
        (idcard.basic_info_answer(idcard.encode_text(name="张三", id_number=ID_CQ))[:700], "无应答"),
        (idcard.basic_info_answer(idcard.encode_text(name="张三", id_number=ID_CQ))[:-1] + b"\x00", "校验和"),
    ],
    ids=["garbage", "half frame", "wrong checksum"],
)
def test_bad_answers_fill_nothing(
    qtbot, reader: FakeReader, link: CardReaderLink, raw: bytes, expected: str
) -> None:
    reader.card = idcard.encode_text(name="张三", id_number=ID_CQ)
    reader.raw[idcard.READ] = raw
    reads: list[object] = []
    link.card_read.connect(reads.append)
    link.set_wanted(True)
    link.start(reader.path)
    qtbot.waitUntil(lambda: link.state == cr.ERROR, timeout=5000)
    assert expected in link.detail
    assert reads == []
    # the reader behaves again: the next round reads the card
    del reader.raw[idcard.READ]
    qtbot.waitUntil(lambda: len(reads) == 1, timeout=6000)


def test_card_pulled_away_mid_read(qtbot, reader: FakeReader, link: CardReaderLink) -> None:
    reader.card = idcard.encode_text(name="张三", id_number=ID_CQ)
    reader.status[idcard.READ] = idcard.NO_CARD
    link.set_wanted(True)
    link.start(reader.path)
    qtbot.waitUntil(lambda: link.state == cr.ERROR, timeout=5000)
    assert "移开" in link.detail


def test_unknown_card_type(qtbot, reader: FakeReader, link: CardReaderLink) -> None:
    text = bytearray(idcard.encode_text(name="张三", id_number=ID_CQ))
    text[248:250] = "Y".encode("utf-16-le")
    reader.card = bytes(text)
    link.set_wanted(True)
    link.start(reader.path)
    qtbot.waitUntil(lambda: link.state == cr.ERROR, timeout=5000)
    assert "无法识别的证件类型" in link.detail


def test_missing_port_is_not_connected_and_retried(qtbot, link: CardReaderLink) -> None:
    link.set_wanted(True)
    link.start("/dev/pts/no-such-reader")
    qtbot.waitUntil(lambda: link.state == cr.DISCONNECTED and "无法打开" in link.detail, timeout=5000)


def test_unplugged_reader_goes_to_not_connected(qtbot, reader: FakeReader, link: CardReaderLink) -> None:
    link.set_wanted(True)
    link.start(reader.path)
    qtbot.waitUntil(lambda: idcard.FIND in reader.commands, timeout=5000)
    reader.unplug()
    qtbot.waitUntil(lambda: link.state == cr.DISCONNECTED, timeout=8000)
