"""二代证读卡器: the frame protocol of the 公安部 SAM security module and the text on the chip.

The readers of 华视, 神思, 精伦, 东信 and others put a SAM module behind a serial port (or a USB
virtual serial port, 115200 8N1 by default). Every frame::

    AA AA AA 96 69 | LEN (2 bytes, big-endian: everything after it) | body | XOR

From the desk the body is ``CMD Para Data``, from the reader ``SW1 SW2 SW3 Data``; the last byte is
the XOR of every byte after the preamble except itself. 找卡 ``20 01`` (SW3 ``9F`` found, ``80`` no
card), 选卡 ``20 02`` (``90``), 读基本信息 ``30 01`` (``90``, then the text length, the photo length,
256 bytes of UCS-2LE text and 1,024 bytes of encrypted photo).

Nothing here keeps the photo: :func:`parse_basic_info` only checks its length. The address, the
nation and the issuing authority are decoded only when asked (``extras=True``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

PREAMBLE = bytes.fromhex("AAAAAA9669")
FIND, SELECT, READ = b"\x20\x01", b"\x20\x02", b"\x30\x01"
OK, FOUND, NO_CARD = 0x90, 0x9F, 0x80
TEXT_LENGTH, PHOTO_LENGTH = 256, 1024
MAX_BODY = 4096  # longer than any answer a SAM gives: a length beyond it is noise

# Status bytes (SW3) other than success, as the desk should read them.
STATUS_MESSAGES = {
    0x10: "读卡器收到的数据校验和错误",
    0x11: "读卡器收到的数据长度错误",
    0x21: "读卡器不认识这个命令",
    0x23: "读卡器越权操作",
    0x24: "读卡器出现未知错误",
    0x31: "证件与读卡器相互认证失败",
    0x32: "读卡器认证证件失败",
    0x33: "证件认证读卡器失败",
    0x40: "证件类型不对（不是二代证）",
    0x41: "读证件失败，请把证件放稳后重试",
    0x47: "读卡器取随机数失败",
    0x60: "读卡器自检失败，请联系设备维护",
    0x66: "读卡器未经授权，无法使用",
    0x80: "读卡器上没有证件",
    0x81: "选取证件失败，请重新放置证件",
}

RESIDENT, FOREIGN_PR, PERMIT = "居民身份证", "外国人永久居留身份证", "港澳台居民居住证"
_CARD_TYPES = {" ": RESIDENT, "": RESIDENT, "I": FOREIGN_PR, "J": PERMIT}
LONG_TERM = "长期"
SEXES = {"0": "未知", "1": "男", "2": "女", "9": "未说明"}


class FrameError(ValueError):
    """A frame that cannot be trusted (garbage, wrong length or checksum); the message is Chinese."""


class StatusError(Exception):
    """The reader answered with a status other than the one expected."""

    def __init__(self, status: int) -> None:
        self.status = status
        self.message = STATUS_MESSAGES.get(status, f"读卡器返回未知状态（{status:02X}）")
        super().__init__(self.message)


class CardError(ValueError):
    """The text of a card that cannot be used (unknown card type, missing fields)."""


def checksum(data: bytes) -> int:
    value = 0
    for byte in data:
        value ^= byte
    return value


def build_frame(body: bytes) -> bytes:
    """A whole frame around ``body`` (``CMD Para Data`` or ``SW1 SW2 SW3 Data``)."""
    after = (len(body) + 1).to_bytes(2, "big") + body
    return PREAMBLE + after + bytes([checksum(after)])


def command(cmd: bytes, data: bytes = b"") -> bytes:
    return build_frame(cmd + data)


def answer(status: int, data: bytes = b"") -> bytes:
    """What a reader sends: SW1 SW2 = 00 00, SW3 = ``status``."""
    return build_frame(b"\x00\x00" + bytes([status]) + data)


@dataclass(frozen=True)
class Answer:
    status: int
    data: bytes


class FrameReader:
    """Collects bytes as they arrive (a frame may come in pieces) and gives back whole, checked
    frames. Garbage before a preamble is skipped; a frame with a wrong checksum raises
    :class:`FrameError` and is dropped so that the next one can still be read."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def clear(self) -> None:
        self._buffer.clear()

    def pending(self) -> int:
        return len(self._buffer)

    def feed(self, data: bytes) -> list[Answer | FrameError]:
        """The whole frames now complete, in order; a bad one appears as its :class:`FrameError`."""
        self._buffer += data
        out: list[Answer | FrameError] = []
        while True:
            start = self._buffer.find(PREAMBLE)
            if start < 0:
                del self._buffer[
                    : max(0, len(self._buffer) - (len(PREAMBLE) - 1))
                ]  # a preamble may be starting
                return out
            del self._buffer[:start]
            if len(self._buffer) < len(PREAMBLE) + 2:
                return out
            length = int.from_bytes(self._buffer[5:7], "big")
            if length < 4 or length > MAX_BODY:
                del self._buffer[:1]  # not a real frame start: look further
                out.append(FrameError("读卡器数据长度错误"))
                continue
            end = len(PREAMBLE) + 2 + length
            if len(self._buffer) < end:
                return out
            frame = bytes(self._buffer[:end])
            del self._buffer[:end]
            try:
                out.append(parse_answer(frame))
            except FrameError as exc:
                out.append(exc)


def parse_answer(frame: bytes) -> Answer:
    """One whole frame from the reader, checked (preamble, length, checksum)."""
    if not frame.startswith(PREAMBLE) or len(frame) < len(PREAMBLE) + 2 + 4:
        raise FrameError("读卡器数据不完整")
    length = int.from_bytes(frame[5:7], "big")
    if len(frame) != len(PREAMBLE) + 2 + length:
        raise FrameError("读卡器数据长度错误")
    if checksum(frame[5:-1]) != frame[-1]:
        raise FrameError("读卡器数据校验和错误")
    return Answer(status=frame[9], data=bytes(frame[10:-1]))


@dataclass(frozen=True)
class CardData:
    """What the desk uses from a card. ``address``/``nation``/``authority`` stay empty unless
    decoded with ``extras=True``."""

    card_type: str
    name: str
    sex: str
    birth: date | None
    id_number: str
    valid_from: date | None
    valid_until: date | None  # None = 长期
    name_en: str = ""
    nationality: str = ""
    nation: str = ""
    address: str = ""
    authority: str = ""

    @property
    def long_term(self) -> bool:
        return self.valid_until is None

    def expired(self, today: date) -> bool:
        return self.valid_until is not None and self.valid_until < today

    def unreadable_in_name(self) -> list[str]:
        """Characters of the name the chip could not carry as themselves (UCS-2 has no room for
        𠮷): a private-use code point or a stand-in. The receptionist confirms or types them."""
        return unreadable(self.name)

    def display_name(self) -> str:
        return self.name or self.name_en


_STAND_INS = {"?", "？", "□", "■", "\ufffd", "*"}


def unreadable(text: str) -> list[str]:
    return [ch for ch in text if 0xE000 <= ord(ch) <= 0xF8FF or ch in _STAND_INS]


def _field(text: bytes, start: int, chars: int) -> str:
    """Characters ``start`` .. ``start + chars`` (2 bytes each) of the card text. A lone surrogate
    half is kept as a code point of its own (and flagged by :func:`unreadable`)."""
    raw = text[2 * start : 2 * (start + chars)]
    value = raw.decode("utf-16-le", errors="surrogatepass")
    # a lone half could not be stored (SQLite refuses it): a stand-in the desk will see and fix
    value = "".join("\ufffd" if 0xD800 <= ord(ch) <= 0xDFFF else ch for ch in value)
    return value.strip(" \x00\u3000")


def _date(value: str, what: str) -> date | None:
    if value == LONG_TERM:
        return None
    if not re.fullmatch(r"\d{8}", value):
        raise CardError(f"证件上的{what}无法识别")
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        raise CardError(f"证件上的{what}无法识别") from None


def card_type_of(text: bytes) -> str:
    """The card type from the byte in the reserved part (offset 248): ' ' 居民身份证, 'I'
    外国人永久居留身份证, 'J' 港澳台居民居住证."""
    decoded = text[248:250].decode("utf-16-le", errors="replace").strip("\x00 ")
    if decoded not in _CARD_TYPES:
        raise CardError("无法识别的证件类型，请手工录入")
    return _CARD_TYPES[decoded]


def decode_text(text: bytes, *, extras: bool = False) -> CardData:
    """The 256 bytes of UCS-2LE text in one of the three layouts."""
    if len(text) != TEXT_LENGTH:
        raise CardError("证件信息长度不对，请重新放置证件")
    kind = card_type_of(text)
    s = text
    if kind == FOREIGN_PR:
        # English name 60, sex 1, number 15, nationality 3, Chinese name 15, valid from 8,
        # valid until 8, birth 8, version 2, authority code 4, type 1, reserved 3 (characters).
        name_en = " ".join(_field(s, 0, 60).split())
        number = _field(s, 61, 15)
        card = CardData(
            card_type=kind,
            name=_field(s, 79, 15),
            name_en=name_en,
            sex=SEXES.get(_field(s, 60, 1), ""),
            id_number=number,
            nationality=_field(s, 76, 3),
            valid_from=_date(_field(s, 94, 8), "签发日期"),
            valid_until=_date(_field(s, 102, 8), "有效期"),
            birth=_date(_field(s, 110, 8), "出生日期"),
            authority=_field(s, 120, 4) if extras else "",
        )
    else:
        # name 15, sex 1, nation 2, birth 8, address 35, number 18, authority 15, valid from 8,
        # valid until 8 (characters); 居住证 leaves the nation empty.
        card = CardData(
            card_type=kind,
            name=_field(s, 0, 15),
            sex=SEXES.get(_field(s, 15, 1), ""),
            nation=_field(s, 16, 2) if extras else "",
            birth=_date(_field(s, 18, 8), "出生日期"),
            address=_field(s, 26, 35) if extras else "",
            id_number=_field(s, 61, 18),
            authority=_field(s, 79, 15) if extras else "",
            valid_from=_date(_field(s, 94, 8), "签发日期"),
            valid_until=_date(_field(s, 102, 8), "有效期"),
        )
    if not card.id_number or not (card.name or card.name_en):
        raise CardError("证件信息不完整，请重新放置证件")
    return card


def parse_basic_info(data: bytes, *, extras: bool = False) -> CardData:
    """The data of a 读基本信息 answer (after SW3): text length, photo length, text, photo."""
    if len(data) < 4:
        raise FrameError("读卡器数据不完整")
    text_len = int.from_bytes(data[0:2], "big")
    photo_len = int.from_bytes(data[2:4], "big")
    if text_len != TEXT_LENGTH or len(data) != 4 + text_len + photo_len:
        raise FrameError("证件信息长度不对，请重新放置证件")
    return decode_text(data[4 : 4 + text_len], extras=extras)


# ---- building cards (the fake reader of the tests and the demo) ----------------------------------
def _put(value: str, chars: int) -> str:
    if len(value) > chars:
        raise ValueError(f"{value!r} is longer than {chars} characters")
    return value.ljust(chars)


def encode_text(
    *,
    card_type: str = RESIDENT,
    name: str,
    id_number: str,
    sex: str = "1",
    birth: str = "19800101",
    valid_from: str = "20200101",
    valid_until: str = "20400101",
    nation: str = "01",
    address: str = "",
    authority: str = "",
    name_en: str = "",
    nationality: str = "",
) -> bytes:
    """256 bytes of card text in the layout of ``card_type`` (UCS-2LE, padded with spaces)."""
    if card_type == FOREIGN_PR:
        s = (
            _put(name_en, 60)
            + _put(sex, 1)
            + _put(id_number, 15)
            + _put(nationality, 3)
            + _put(name, 15)
            + _put(valid_from, 8)
            + _put(valid_until, 8)
            + _put(birth, 8)
            + _put("", 2)
            + _put(authority, 4)
            + "I"
            + _put("", 3)
        )
    else:
        s = (
            _put(name, 15)
            + _put(sex, 1)
            + _put(nation if card_type == RESIDENT else "", 2)
            + _put(birth, 8)
            + _put(address, 35)
            + _put(id_number, 18)
            + _put(authority, 15)
            + _put(valid_from, 8)
            + _put(valid_until, 8)
            + _put("", 14)  # 居住证: 通行证号码 9, 签发次数 2, reserved 3
            + ("J" if card_type == PERMIT else " ")
            + _put("", 3)
        )
    data = s.encode("utf-16-le", errors="surrogatepass")
    assert len(data) == TEXT_LENGTH, len(data)
    return data


def basic_info_answer(text: bytes, photo: bytes = bytes(PHOTO_LENGTH)) -> bytes:
    """The reader's whole answer to 读基本信息 (1,295 bytes with a 1,024-byte photo)."""
    return answer(OK, len(text).to_bytes(2, "big") + len(photo).to_bytes(2, "big") + text + photo)
