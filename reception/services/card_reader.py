"""The card-reader service: what the desk does with a reader, without Qt.

- :class:`ReaderCycle` drives one SAM reader: 找卡 → 选卡 → 读基本信息, one command at a time, each
  answer checked (:mod:`reception.rules.idcard`). The serial adapter (``ui/visits/card_reader.py``)
  only moves the bytes and runs the cycle every ~500 ms.
- :class:`WedgeBurst` recognises a keyboard-wedge reader: 18 characters typed faster than a person
  can, then Enter.
- :class:`RepeatFilter` ignores the same card again within 10 s (it lies on the reader).
- :func:`form_fill` turns a card into what the visitor form shows: name, ID type, the checked
  number, 证件已核验 (a card read by the security module is the strongest check a desk has) unless
  the card has expired, and the warnings to show beside the fields.

Privacy: the photo is never decoded; the address, nation and issuing authority are not decoded
unless asked; nothing read from a card is logged (only the status of the reader)."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from datetime import date

from reception.rules import idcard
from reception.rules import identity

POLL_MS = 500
RECONNECT_MS = 3000
REPEAT_S = 10.0
ANSWER_TIMEOUT_MS = 1500
WEDGE_LENGTH = 18
WEDGE_GAP_S = 0.06  # a wedge reader types a key every few ms; people need 100 ms or more

# adapters (设置 → 本机 → 读卡器)
NONE, SERIAL, WEDGE = "", "serial", "wedge"
KINDS = {NONE: "不使用读卡器", SERIAL: "二代证读卡器（串口 / USB 虚拟串口）", WEDGE: "键盘输入式读卡器"}
SPEEDS = (115200, 57600, 38400, 19200, 9600)
DEFAULT_SPEED = 115200

# what the status indicator shows
DISCONNECTED, CONNECTED, PAUSED, ERROR = "未连接", "已连接", "已暂停", "读卡出错"


@dataclass(frozen=True)
class CardRead:
    card: idcard.CardData
    source: str  # "reader" (the security module) or "wedge"


@dataclass
class Step:
    """What the cycle says after an answer: the next command to send (or None: the cycle is over),
    and, at its end, a card, or a message for the status bar (``idle`` when there was simply no card)."""

    send: bytes | None = None
    card: idcard.CardData | None = None
    message: str = ""
    idle: bool = False


class ReaderCycle:
    """One 找卡 → 选卡 → 读 round. ``start()`` gives the first command; each checked answer goes to
    ``answer()``, which gives the next step. Anything unexpected ends the round with a message and
    nothing half-read: the next round starts over."""

    def __init__(self, *, extras: bool = False) -> None:
        self._extras = extras
        self._expect: bytes | None = None

    @property
    def busy(self) -> bool:
        return self._expect is not None

    def start(self) -> bytes:
        self._expect = idcard.FIND
        return idcard.command(idcard.FIND)

    def abandon(self) -> None:
        self._expect = None

    def answer(self, reply: idcard.Answer | idcard.FrameError) -> Step:
        expect, self._expect = self._expect, None
        if expect is None:
            return Step()  # a late answer of an abandoned round
        if isinstance(reply, idcard.FrameError):
            return Step(message=str(reply))
        if expect == idcard.FIND:
            if reply.status == idcard.FOUND:
                self._expect = idcard.SELECT
                return Step(send=idcard.command(idcard.SELECT))
            if reply.status == idcard.NO_CARD:
                return Step(idle=True)
        elif expect == idcard.SELECT:
            if reply.status == idcard.OK:
                self._expect = idcard.READ
                return Step(send=idcard.command(idcard.READ))
            if reply.status in (idcard.NO_CARD, 0x81):
                return Step(message="证件已移开，请把证件放在读卡器上重新读取")
        elif expect == idcard.READ:
            if reply.status == idcard.OK:
                try:
                    return Step(card=idcard.parse_basic_info(reply.data, extras=self._extras))
                except (idcard.FrameError, idcard.CardError) as exc:
                    return Step(message=str(exc))
            if reply.status in (idcard.NO_CARD, 0x41):
                return Step(message="证件已移开，未读完，请把证件放在读卡器上重新读取")
        return Step(message=idcard.StatusError(reply.status).message)


class RepeatFilter:
    """The same card within ``REPEAT_S`` seconds of its last read is ignored. Cards are remembered
    by a keyed hash with a key of this run only (never the number itself)."""

    def __init__(self, clock: Callable[[], float], window: float = REPEAT_S) -> None:
        self._clock = clock
        self._window = window
        self._key = secrets.token_bytes(16)
        self._last: tuple[str, float] | None = None

    def fresh(self, card: idcard.CardData) -> bool:
        now = self._clock()
        digest = hmac.new(self._key, card.id_number.encode(), "sha256").hexdigest()
        last = self._last
        self._last = (digest, now)
        return not (last is not None and last[0] == digest and now - last[1] < self._window)

    def forget(self) -> None:
        self._last = None


class WedgeBurst:
    """Keys typed into the ID field, with their times: 18 characters, each within ``WEDGE_GAP_S``
    of the one before, then Enter → the number (a card read, not typing)."""

    def __init__(self) -> None:
        self._text = ""
        self._last: float | None = None

    def reset(self) -> None:
        self._text = ""
        self._last = None

    def key(self, char: str, at: float) -> None:
        fast = self._last is not None and at - self._last <= WEDGE_GAP_S
        self._text = self._text + char if fast else char
        self._last = at

    def enter(self, at: float) -> str | None:
        text, last = self._text, self._last
        self.reset()
        if last is None or at - last > WEDGE_GAP_S or len(text) != WEDGE_LENGTH:
            return None
        return text.upper()


def card_from_wedge(number: str) -> idcard.CardData:
    """What a keyboard-wedge reader gives: the number only (its type from its first digits)."""
    kind = idcard.PERMIT if number[:6] in ("810000", "820000", "830000") else idcard.RESIDENT
    if number.startswith("9"):
        kind = idcard.FOREIGN_PR
    return idcard.CardData(
        card_type=kind, name="", sex="", birth=None, id_number=number, valid_from=None, valid_until=None
    )


_ID_TYPES = {
    idcard.RESIDENT: identity.RESIDENT_ID,
    idcard.FOREIGN_PR: identity.FOREIGN_PR,
    idcard.PERMIT: identity.RESIDENCE_PERMIT,
}


@dataclass
class FormFill:
    """What the visitor form shows for a card."""

    name: str
    id_type: str
    id_number: str
    verified: bool
    expired: bool = False
    name_warning: str = ""
    id_warning: str = ""
    notes: list[str] = field(default_factory=list)


def form_fill(read: CardRead, today: date) -> FormFill:
    """The form's values for a card. The number is checked as a typed one is (identity.normalize);
    a number the check refuses is still shown, with the reason, and not marked verified."""
    card = read.card
    id_type = _ID_TYPES[card.card_type]
    warning = ""
    try:
        number = identity.normalize(id_type, card.id_number, today=today)
    except ValueError as exc:
        number, warning = card.id_number, str(exc)
    expired = card.expired(today)
    if expired and card.valid_until is not None:
        warning = f"证件已过期（有效期至 {card.valid_until:%Y-%m-%d}），请核实本人后手工勾选“证件已核验”" + (
            f"；{warning}" if warning else ""
        )
    name = card.display_name()
    bad = idcard.unreadable(name)
    name_warning = ""
    if bad:
        shown = " ".join(dict.fromkeys(bad))
        name_warning = f"姓名中有读卡器无法显示的生僻字（显示为 {shown}），请向访客确认后改为正确的字"
    return FormFill(
        name=name,
        id_type=id_type,
        id_number=number,
        verified=not expired and not warning,
        expired=expired,
        name_warning=name_warning,
        id_warning=warning,
    )


def status_text(state: str, detail: str = "") -> str:
    return f"读卡器{state}" + (f"：{detail}" if detail else "")


@dataclass(frozen=True)
class ReaderSetting:
    kind: str  # '', SERIAL or WEDGE
    port: str
    speed: int


def this_pc_reader() -> ReaderSetting:
    """The reader 设置 → 本机 names for this PC (the open data folder's ``reception.ini``)."""
    from reception.store import config
    from reception.store.startup import current_data_dir

    pc = config.load(current_data_dir().root)
    return ReaderSetting(pc.reader_kind, pc.reader_port, pc.reader_speed)
