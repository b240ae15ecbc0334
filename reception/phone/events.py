"""Phone events, the numbers in them, and the bounded queue between adapters and the desk."""

from __future__ import annotations

import re
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime

from reception.rules import phones

RING, ANSWER, HANGUP, RING_STOPPED, REFUSED = "ring", "answer", "hangup", "ring_stopped", "refused"
KINDS = (RING, ANSWER, HANGUP, RING_STOPPED, REFUSED)
SOURCES = {"serial": "来电显示盒", "ami": "Asterisk AMI", "webhook": "PBX 推送", "simulate": "模拟来电"}

PRIVATE, UNAVAILABLE, OTHER = "private", "unavailable", "other"
KIND_LABELS = {"": "", PRIVATE: "隐藏号码", UNAVAILABLE: "号码不可用", OTHER: "非标准号码"}


@dataclass(frozen=True)
class PhoneEvent:
    """What a line reported. ``at`` is UTC when the source stamped it, else None (the desk's
    clock is used when the event is recorded). ``external_id`` ties ring, answer and hangup of
    one call together (a PBX's call id; the serial parser makes one per ringing)."""

    kind: str
    source: str
    external_id: str
    number: str = ""  # as received
    line: str = ""
    at: datetime | None = None
    detail: dict[str, str] = field(default_factory=dict)


_EXTENSION = re.compile(r"(?:[;,#pPwWxX]|ext\.?|转|分机).*$")
_NOT_SHOWN = {"p", "private", "anonymous", "restricted", "withheld", "隐藏", "私人"}
_UNAVAILABLE = {"o", "out of area", "unavailable", "unknown", "<unknown>", "", "none", "asterisk"}


def parse_number(raw: str | None) -> tuple[str, str]:
    """``(number, kind)`` for a caller number as a line reports it.

    ``'+86 138 0013 8000'``, ``'008613800138000'`` → ``('13800138000', '')``; ``'02150001234'`` →
    ``('021-50001234', '')``; an extension after ``,`` ``;`` ``#`` ``x`` or ``转`` is dropped;
    ``'P'`` → ``('', 'private')``; ``'O'`` → ``('', 'unavailable')``; anything else that is not a
    valid Chinese number keeps its digits (at most 40) with kind ``'other'``."""
    text = (raw or "").strip().strip('"').strip()
    low = text.lower()
    if low in _NOT_SHOWN:
        return "", PRIVATE
    if low in _UNAVAILABLE:
        return "", UNAVAILABLE
    text = _EXTENSION.sub("", text).strip()
    compact = re.sub(r"[\s\-().]", "", text)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    try:
        normal = phones.normalize(compact)
    except ValueError:
        normal = ""
    if normal:
        return normal, ""
    digits_only = re.sub(r"[^\d+]", "", compact)[:40]
    return (digits_only, OTHER) if digits_only else ("", UNAVAILABLE)


def lines_of(text: str) -> tuple[str, ...]:
    """This desk's lines as the [电话] 线路 setting lists them (``'8001, 8002'``, ``'8001，8002'``)."""
    return tuple(part for part in re.split(r"[\s,，;；、]+", text or "") if part)


def shown(number: str, kind: str) -> str:
    """How a ring's caller is shown to the desk: masked, or what kind of number it was."""
    if number and kind != OTHER:
        return phones.mask(number)
    if number:
        return phones.mask(number) + "（非标准号码）"
    return KIND_LABELS.get(kind) or "号码不可用"


class EventHub:
    """A bounded, thread-safe queue of events (adapters put, the window drains), and each
    adapter's connection state. A full queue refuses the newest event (counted in ``dropped``):
    a flood can never grow memory or freeze the window, which drains a batch per tick."""

    def __init__(self, capacity: int = 500) -> None:
        self._lock = threading.Lock()
        self._events: deque[PhoneEvent] = deque()
        self._capacity = capacity
        self.dropped = 0
        self._status: dict[str, tuple[bool, str]] = {}
        self._wake = threading.Condition(self._lock)
        self.notify: Callable[[], None] | None = None  # called (any thread) when the queue fills

    def put(self, event: PhoneEvent) -> bool:
        with self._lock:
            if len(self._events) >= self._capacity:
                self.dropped += 1
                return False
            first = not self._events
            self._events.append(event)
            self._wake.notify_all()
            notify = self.notify
        if first and notify is not None:  # wake the window at once (once per batch, not per event)
            notify()
        return True

    def drain(self, limit: int = 50) -> list[PhoneEvent]:
        with self._lock:
            out: list[PhoneEvent] = []
            while self._events and len(out) < limit:
                out.append(self._events.popleft())
            return out

    def wait(self, timeout: float) -> bool:
        """True when an event is waiting (for tests and the command line)."""
        with self._lock:
            return self._wake.wait_for(lambda: bool(self._events), timeout)

    def __len__(self) -> int:
        with self._lock:
            return len(self._events)

    def set_status(self, source: str, connected: bool, text: str) -> None:
        with self._lock:
            self._status[source] = (connected, text)

    def status(self, source: str) -> tuple[bool, str]:
        with self._lock:
            return self._status.get(source, (False, "未连接"))
