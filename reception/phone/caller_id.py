"""Caller ID from a serial caller-ID box or voice modem (formatted caller-ID form).

After ``AT+VCID=1`` (or ``AT#CID=1``) such a device reports, between the rings::

    RING
    DATE = 1205
    TIME = 1830
    NMBR = 13800138000      (or P: private, O: unavailable)
    RING

The line reports no answer and no hang-up: ringing that stops (no ``RING`` for
``stop_after_s`` seconds) ends the ringing (``ring_stopped``); the desk stamps the answer
(F2). The box's DATE/TIME are its own clock (often never set): the PC's time is used. Garbage,
half lines and lines too long are ignored. Qt-free: the Qt-side adapter (ui/phone) feeds the
bytes QSerialPort reads."""

from __future__ import annotations

import re
from datetime import datetime

from reception.phone.events import RING
from reception.phone.events import RING_STOPPED
from reception.phone.events import PhoneEvent

INIT_COMMANDS = (b"ATZ\r", b"AT+VCID=1\r")  # AT#CID=1 for modems that use the older command
_FIELD = re.compile(r"^\s*(DATE|TIME|NMBR|NAME|DDN_NMBR|MESG)\s*=\s*(.*?)\s*$", re.IGNORECASE)
_MAX_LINE = 200


class CallerIdParser:
    def __init__(self, line: str = "", stop_after_s: float = 8.0) -> None:
        self.line = line
        self.stop_after_s = stop_after_s
        self._buffer = b""
        self._ringing_since: datetime | None = None
        self._last_ring: datetime | None = None
        self._rings = 0
        self._reported = False
        self._count = 0
        self._id = ""

    @property
    def rings(self) -> int:
        return self._rings

    def feed(self, data: bytes, now: datetime) -> list[PhoneEvent]:
        """Events for the bytes read at ``now`` (UTC)."""
        events = self.tick(now)
        self._buffer += data
        *lines, self._buffer = re.split(rb"\r\n|\r|\n", self._buffer)
        if len(self._buffer) > _MAX_LINE:  # no line end in sight: noise
            self._buffer = b""
        for raw in lines:
            if len(raw) > _MAX_LINE:
                continue
            events += self._line(raw.decode("ascii", errors="replace").strip(), now)
        return events

    def tick(self, now: datetime) -> list[PhoneEvent]:
        """The ringing stopped (called on a timer and before each read)."""
        if self._last_ring is None or (now - self._last_ring).total_seconds() < self.stop_after_s:
            return []
        events = []
        if not self._reported:  # rang without caller ID: report it now, unknown
            events.append(self._ring_event(""))
        events.append(PhoneEvent(RING_STOPPED, "serial", self._id, line=self.line, at=self._last_ring))
        self._last_ring = self._ringing_since = None
        self._rings = 0
        self._reported = False
        return events

    def _ring_event(self, number: str) -> PhoneEvent:
        self._reported = True
        return PhoneEvent(RING, "serial", self._id, number=number, line=self.line, at=self._ringing_since)

    def _line(self, text: str, now: datetime) -> list[PhoneEvent]:
        if text.upper() == "RING":
            self._begin(now)
            self._rings += 1
            if self._rings >= 3 and not self._reported:  # no caller ID after two rings: report unknown
                return [self._ring_event("")]
            return []
        match = _FIELD.match(text)
        if match is None:
            return []
        key, value = match.group(1).upper(), match.group(2)
        if key in ("NMBR", "DDN_NMBR") and not self._reported:
            if self._ringing_since is None:  # caller ID sent before the first ring (common in China)
                self._begin(now)
                self._rings = 0
            return [self._ring_event(value)]
        return []

    def _begin(self, now: datetime) -> None:
        if self._ringing_since is None:
            self._ringing_since = now
            self._count += 1
            self._id = f"serial-{now:%Y%m%d%H%M%S%f}-{self._count}"
        self._last_ring = now
