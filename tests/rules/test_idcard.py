"""The SAM frame protocol and the three card layouts, from bytes built the way a reader sends them."""

from __future__ import annotations

from datetime import date

import pytest

from reception.rules import idcard

RESIDENT_NO = "500101198001011235"  # 重庆 50, born 1980: before 重庆 became a municipality (1997)
PERMIT_NO = "810000199001010019"
FOREIGN_NO = "USA310080000005"


def resident_text(**kw: str) -> bytes:
    values = {
        "name": "张三",
        "id_number": RESIDENT_NO,
        "birth": "19800101",
        "address": "重庆市渝中区解放碑1号",
    }
    values.update(kw)
    return idcard.encode_text(**values)


def test_frame_bytes_as_the_protocol_describes() -> None:
    assert idcard.command(idcard.FIND) == bytes.fromhex("AAAAAA9669 0003 2001 22")
    assert idcard.command(idcard.SELECT) == bytes.fromhex("AAAAAA9669 0003 2002 21")
    assert idcard.command(idcard.READ) == bytes.fromhex("AAAAAA9669 0003 3001 32")
    # 找卡 answered "found": SW 00 00 9F
    assert idcard.answer(idcard.FOUND) == bytes.fromhex("AAAAAA9669 0004 00009F 9B")


def test_basic_info_answer_has_the_documented_header_and_size() -> None:
    frame = idcard.basic_info_answer(resident_text())
    assert len(frame) == 1295
    assert frame[:14] == bytes.fromhex("AAAAAA9669 0508 000090 0100 0400")


def test_resident_card_decoded_without_address_by_default() -> None:
    answer = idcard.parse_answer(idcard.basic_info_answer(resident_text(valid_until="长期")))
    assert answer.status == idcard.OK
    card = idcard.parse_basic_info(answer.data)
    assert card.card_type == idcard.RESIDENT
    assert (card.name, card.sex, card.id_number) == ("张三", "男", RESIDENT_NO)
    assert card.birth == date(1980, 1, 1)
    assert card.long_term and not card.expired(date(2099, 1, 1))
    assert card.address == "" and card.nation == "" and card.authority == ""
    full = idcard.parse_basic_info(answer.data, extras=True)
    assert full.address == "重庆市渝中区解放碑1号" and full.nation == "01"


def test_permit_and_foreign_cards_by_their_type_byte() -> None:
    permit = idcard.decode_text(
        idcard.encode_text(card_type=idcard.PERMIT, name="陈大文", id_number=PERMIT_NO, birth="19900101")
    )
    assert (permit.card_type, permit.name, permit.id_number) == (idcard.PERMIT, "陈大文", PERMIT_NO)
    foreign = idcard.decode_text(
        idcard.encode_text(
            card_type=idcard.FOREIGN_PR,
            name="史密斯",
            name_en="SMITH JOHN",
            id_number=FOREIGN_NO,
            nationality="USA",
            birth="19750315",
            valid_until="20300101",
        )
    )
    assert foreign.card_type == idcard.FOREIGN_PR
    assert (foreign.name, foreign.name_en, foreign.id_number) == ("史密斯", "SMITH JOHN", FOREIGN_NO)
    assert foreign.nationality == "USA" and foreign.birth == date(1975, 3, 15)
    assert foreign.valid_until == date(2030, 1, 1)


def test_unknown_card_type_is_refused() -> None:
    text = bytearray(resident_text())
    text[248:250] = "Y".encode("utf-16-le")
    with pytest.raises(idcard.CardError, match="无法识别的证件类型"):
        idcard.decode_text(bytes(text))


def test_rare_character_arrives_flagged() -> None:
    # UCS-2 has no room for 𠮷: a private-use code point or a stand-in arrives instead
    for stand_in in ("\ue83a", "?"):
        card = idcard.decode_text(resident_text(name=f"{stand_in}祥"))
        assert card.unreadable_in_name() == [stand_in]
    assert idcard.decode_text(resident_text(name="吉祥")).unreadable_in_name() == []


def test_lone_surrogate_becomes_a_stand_in() -> None:
    text = bytearray(resident_text(name="吉祥"))
    text[0:2] = b"\x42\xd8"  # the first half of 𠮷 without its second half
    card = idcard.decode_text(bytes(text))
    assert card.name == "\ufffd祥" and card.unreadable_in_name() == ["\ufffd"]
    card.name.encode("utf-8")  # storable


def test_expired_card() -> None:
    card = idcard.decode_text(resident_text(valid_from="20000101", valid_until="20200101"))
    assert card.expired(date(2026, 11, 26)) and not card.expired(date(2019, 12, 31))


def test_wrong_checksum_and_length_refused() -> None:
    frame = bytearray(idcard.answer(idcard.FOUND))
    frame[-1] ^= 0xFF
    with pytest.raises(idcard.FrameError, match="校验和"):
        idcard.parse_answer(bytes(frame))
    with pytest.raises(idcard.FrameError, match="长度"):
        idcard.parse_answer(idcard.answer(idcard.FOUND) + b"\x00")


def test_frame_reader_skips_garbage_and_joins_pieces() -> None:
    reader = idcard.FrameReader()
    whole = b"\x00\xffgarbage\xaa\xaa" + idcard.basic_info_answer(resident_text())
    got: list[object] = []
    for i in range(0, len(whole), 7):  # the port hands the bytes over in small pieces
        got += reader.feed(whole[i : i + 7])
    assert len(got) == 1 and isinstance(got[0], idcard.Answer)
    assert idcard.parse_basic_info(got[0].data).name == "张三"
    assert reader.pending() == 0


def test_frame_reader_reports_a_bad_frame_and_reads_the_next() -> None:
    reader = idcard.FrameReader()
    bad = bytearray(idcard.answer(idcard.NO_CARD))
    bad[-1] ^= 1
    got = reader.feed(bytes(bad) + idcard.answer(idcard.FOUND))
    assert isinstance(got[0], idcard.FrameError)
    assert isinstance(got[1], idcard.Answer) and got[1].status == idcard.FOUND


def test_half_frame_waits_for_the_rest() -> None:
    reader = idcard.FrameReader()
    frame = idcard.basic_info_answer(resident_text())
    assert reader.feed(frame[:600]) == []
    assert reader.pending() == 600


@pytest.mark.parametrize("status", [0x10, 0x11, 0x21, 0x31, 0x32, 0x33, 0x40, 0x41, 0x60, 0x66])
def test_status_bytes_have_chinese_messages(status: int) -> None:
    message = idcard.StatusError(status).message
    assert "未知状态" not in message
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message)


def test_photo_is_never_kept() -> None:
    photo = bytes(range(256)) * 4
    card = idcard.parse_basic_info(idcard.parse_answer(idcard.basic_info_answer(resident_text(), photo)).data)
    assert all(photo[:16] not in repr(v).encode("latin-1", "ignore") for v in vars(card).values())
    assert not any(isinstance(v, bytes) for v in vars(card).values())
