"""The reader cycle (找卡 → 选卡 → 读), the repeat filter, the keyboard-wedge burst and the form values."""

from __future__ import annotations

from datetime import date

import pytest

from reception.rules import idcard
from reception.rules import identity
from reception.services import card_reader as cr

RESIDENT_NO = "500101198001011235"
TODAY = date(2026, 11, 26)


def text(**kw: str) -> bytes:
    values = {"name": "张三", "id_number": RESIDENT_NO}
    values.update(kw)
    return idcard.encode_text(**values)


def reply(frame: bytes) -> idcard.Answer:
    return idcard.parse_answer(frame)


def test_a_whole_round_reads_the_card() -> None:
    cycle = cr.ReaderCycle()
    assert cycle.start() == idcard.command(idcard.FIND)
    step = cycle.answer(reply(idcard.answer(idcard.FOUND)))
    assert step.send == idcard.command(idcard.SELECT)
    step = cycle.answer(reply(idcard.answer(idcard.OK)))
    assert step.send == idcard.command(idcard.READ)
    step = cycle.answer(reply(idcard.basic_info_answer(text())))
    assert step.send is None and step.card is not None and step.card.name == "张三"
    assert not cycle.busy


def test_no_card_is_quiet() -> None:
    cycle = cr.ReaderCycle()
    cycle.start()
    step = cycle.answer(reply(idcard.answer(idcard.NO_CARD)))
    assert step.idle and step.send is None and step.card is None and not step.message


def test_card_pulled_away_mid_read() -> None:
    cycle = cr.ReaderCycle()
    cycle.start()
    cycle.answer(reply(idcard.answer(idcard.FOUND)))
    cycle.answer(reply(idcard.answer(idcard.OK)))
    step = cycle.answer(reply(idcard.answer(0x41)))
    assert step.card is None and "移开" in step.message


@pytest.mark.parametrize("status", [0x10, 0x11, 0x21, 0x31, 0x32, 0x33, 0x40, 0x60, 0x66])
def test_error_status_ends_the_round_with_its_message(status: int) -> None:
    cycle = cr.ReaderCycle()
    cycle.start()
    step = cycle.answer(reply(idcard.answer(status)))
    assert step.card is None and step.send is None
    assert step.message == idcard.STATUS_MESSAGES[status]


def test_bad_frame_and_unknown_card_type_end_the_round() -> None:
    cycle = cr.ReaderCycle()
    cycle.start()
    assert "校验和" in cycle.answer(idcard.FrameError("读卡器数据校验和错误")).message
    cycle.start()
    cycle.answer(reply(idcard.answer(idcard.FOUND)))
    cycle.answer(reply(idcard.answer(idcard.OK)))
    odd = bytearray(text())
    odd[248:250] = "Y".encode("utf-16-le")
    step = cycle.answer(reply(idcard.basic_info_answer(bytes(odd))))
    assert step.card is None and "无法识别的证件类型" in step.message


def test_same_card_within_ten_seconds_ignored() -> None:
    now = [100.0]
    repeat = cr.RepeatFilter(lambda: now[0])
    card = idcard.decode_text(text())
    other = idcard.decode_text(text(id_number="11010519491231002X", name="李四"))
    assert repeat.fresh(card)
    now[0] += 9.9
    assert not repeat.fresh(card)
    now[0] += 9.9  # still lying there: each read renews the 10 s
    assert not repeat.fresh(card)
    assert repeat.fresh(other)
    now[0] += 1
    assert repeat.fresh(card)
    now[0] += 10.0
    assert repeat.fresh(card)


def test_wedge_burst_recognised_only_when_fast_and_whole() -> None:
    burst = cr.WedgeBurst()
    t = 5.0
    for ch in "11010519491231002x":
        burst.key(ch, t)
        t += 0.008
    assert burst.enter(t) == "11010519491231002X"
    # a person typing: 150 ms a key
    t = 10.0
    for ch in "11010519491231002X":
        burst.key(ch, t)
        t += 0.15
    assert burst.enter(t) is None
    # a fast burst of 17: not a card
    for ch in "1101051949123100":
        burst.key(ch, t)
        t += 0.005
    assert burst.enter(t) is None


def test_form_fill_of_a_good_card() -> None:
    card = idcard.decode_text(text(valid_until="长期"))
    fill = cr.form_fill(cr.CardRead(card, "reader"), TODAY)
    assert (fill.name, fill.id_type, fill.id_number) == ("张三", identity.RESIDENT_ID, RESIDENT_NO)
    assert fill.verified and not fill.expired and not fill.id_warning and not fill.name_warning


def test_form_fill_of_an_expired_card_needs_confirmation() -> None:
    card = idcard.decode_text(text(valid_from="20000101", valid_until="20200101"))
    fill = cr.form_fill(cr.CardRead(card, "reader"), TODAY)
    assert fill.expired and not fill.verified
    assert "证件已过期" in fill.id_warning and "2020-01-01" in fill.id_warning


def test_form_fill_flags_a_rare_character() -> None:
    card = idcard.decode_text(text(name="\ue83a祥"))
    fill = cr.form_fill(cr.CardRead(card, "reader"), TODAY)
    assert "生僻字" in fill.name_warning


def test_form_fill_of_the_other_layouts() -> None:
    permit = idcard.decode_text(
        idcard.encode_text(card_type=idcard.PERMIT, name="陈大文", id_number="810000199001010019")
    )
    fill = cr.form_fill(cr.CardRead(permit, "reader"), TODAY)
    assert fill.id_type == identity.RESIDENCE_PERMIT and fill.verified
    foreign = idcard.decode_text(
        idcard.encode_text(
            card_type=idcard.FOREIGN_PR, name="", name_en="SMITH JOHN", id_number="USA310080000005"
        )
    )
    fill = cr.form_fill(cr.CardRead(foreign, "reader"), TODAY)
    assert (fill.id_type, fill.name, fill.id_number) == (identity.FOREIGN_PR, "SMITH JOHN", "USA310080000005")


def test_wedge_card_types() -> None:
    assert cr.card_from_wedge("810000199001010019").card_type == idcard.PERMIT
    assert cr.card_from_wedge("911560200001010012").card_type == idcard.FOREIGN_PR
    assert cr.card_from_wedge(RESIDENT_NO).card_type == idcard.RESIDENT
