"""Asterisk / FreePBX / Issabel through the Asterisk Manager Interface (AMI, TCP 5038).

A plain socket client in its own thread: reads the banner, sends ``Action: Login``, then reads
messages (``Key: Value`` lines ended by a blank line). ``DialBegin`` rings (``CallerIDNum`` is
the caller, ``DestCallerIDNum``/``DestExten`` the desk's extension), ``DialEnd`` with
``DialStatus: ANSWER`` answers, ``Hangup`` ends; ``Linkedid`` (else ``Uniqueid``) ties them
together. Lost connections are retried with backoff (1, 2, 4 … 30 s); the status says 未连接
meanwhile. A ring seen again after a reconnect is not recorded twice (same call id)."""

from __future__ import annotations

import contextlib
import socket
import threading

from reception.phone.events import ANSWER
from reception.phone.events import HANGUP
from reception.phone.events import RING
from reception.phone.events import EventHub
from reception.phone.events import PhoneEvent

DEFAULT_PORT = 5038
MAX_MESSAGE = 64 * 1024


def parse_message(block: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in block.splitlines():
        key, sep, value = line.partition(":")
        if sep:
            fields[key.strip().lower()] = value.strip()
    return fields


def event_from_message(fields: dict[str, str], extension: str = "") -> PhoneEvent | None:
    name = fields.get("event", "").lower()
    call_id = fields.get("linkedid") or fields.get("uniqueid") or ""
    if not call_id:
        return None
    if name == "dialbegin":
        line = fields.get("destcalleridnum") or fields.get("destexten") or ""
        if extension and line != extension:
            return None
        return PhoneEvent(RING, "ami", call_id, number=fields.get("calleridnum", ""), line=line[:40])
    if name == "dialend" and fields.get("dialstatus", "").upper() == "ANSWER":
        return PhoneEvent(ANSWER, "ami", call_id)
    if name == "hangup":
        return PhoneEvent(HANGUP, "ami", call_id)
    return None


class AmiClient:
    def __init__(
        self,
        hub: EventHub,
        host: str,
        port: int,
        username: str,
        secret: str,
        extension: str = "",
        backoff_max: float = 30.0,
        timeout: float = 10.0,
    ) -> None:
        self.hub, self.host, self.port = hub, host, port
        self.username, self.secret, self.extension = username, secret, extension
        self.backoff_max, self.timeout = backoff_max, timeout
        self._stop = threading.Event()
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self.connects = 0

    def start(self) -> None:
        self.hub.set_status("ami", False, "未连接")
        self._thread = threading.Thread(target=self._run, name="phone-ami", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        sock = self._sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.hub.set_status("ami", False, "未连接")

    def _run(self) -> None:
        delay = 1.0
        while not self._stop.is_set():
            try:
                self._session()
                delay = 1.0  # a session that logged in resets the backoff
            except LoginRefused:
                self.hub.set_status("ami", False, "未连接：AMI 用户名或密码不对")
                delay = self.backoff_max
            except OSError:
                self.hub.set_status("ami", False, "未连接")
            if self._stop.wait(delay):
                break
            delay = min(delay * 2, self.backoff_max)

    def _session(self) -> None:
        with socket.create_connection((self.host, self.port), timeout=self.timeout) as sock:
            self._sock = sock
            reader = sock.makefile("rb")
            reader.readline()  # banner: Asterisk Call Manager/x.y
            login = (
                f"Action: Login\r\nUsername: {self.username}\r\nSecret: {self.secret}\r\nEvents: call\r\n\r\n"
            )
            sock.sendall(login.encode("utf-8"))
            reply = self._read_message(reader)
            if reply is None:
                raise OSError("closed during login")
            if reply.get("response", "").lower() != "success":
                raise LoginRefused
            self.connects += 1
            self.hub.set_status("ami", True, f"已连接 {self.host}")
            sock.settimeout(None)
            while not self._stop.is_set():
                message = self._read_message(reader)
                if message is None:
                    raise OSError("closed")
                event = event_from_message(message, self.extension)
                if event is not None:
                    self.hub.put(event)
        self._sock = None

    @staticmethod
    def _read_message(reader: object) -> dict[str, str] | None:
        """One message; None at end of stream (a half message is dropped)."""
        lines: list[str] = []
        size = 0
        while True:
            raw = reader.readline(4096)  # type: ignore[attr-defined]
            if not raw:
                return None
            size += len(raw)
            if size > MAX_MESSAGE:
                return None
            line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            if not line:
                if lines:
                    return parse_message("\n".join(lines))
                continue
            lines.append(line)


class LoginRefused(Exception):
    pass
