"""The desk phone in the window: starts this PC's adapter (its own threads), drains the event
hub as soon as an adapter puts an event into an empty hub (a queued signal) and on a timer (a
batch each time, so a flood never freezes the window), records each event and announces new
rings (``rang``) and the connection state (``status_changed``)."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtCore import Qt
from PySide6.QtCore import QTimer
from PySide6.QtCore import Signal

from reception.errors import ReceptionError
from reception.phone.events import SOURCES
from reception.phone.events import EventHub
from reception.phone.events import lines_of
from reception.services import phone_line
from reception.services.local import LocalConfig
from reception.services.session import Session

BATCH = 50


def new_token() -> str:
    return secrets.token_urlsafe(18)


class PhoneController(QObject):
    rang = Signal(object)  # phone_line.RingUpdate
    missed = Signal(object)
    status_changed = Signal(bool, str)
    _waiting = Signal()  # from an adapter's thread: events are waiting (queued to this thread)

    def __init__(
        self, session: Callable[[], Callable[[], Session] | None], parent: QObject | None = None
    ) -> None:
        """``session``: a weak reference to the window's session getter (weakref.WeakMethod)."""
        super().__init__(parent)
        self._session_ref = session
        self.hub = EventHub()
        self._waiting.connect(self.drain, Qt.ConnectionType.QueuedConnection)
        self.hub.notify = self._waiting.emit
        self._adapters: list[object] = []
        self._source = ""
        self._lines: tuple[str, ...] = ()
        self._last_status: tuple[bool, str] | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(100)
        self._timer.timeout.connect(self.drain)
        self._sweep = QTimer(self)
        self._sweep.setInterval(5000)
        self._sweep.timeout.connect(self.sweep)

    def _session(self) -> Session:
        getter = self._session_ref()
        if getter is None:
            raise ReceptionError("窗口已关闭。")
        return getter()

    def start(self, config: LocalConfig) -> str:
        """Start the adapter ``config`` names; '' or a Chinese sentence saying why not."""
        self.stop()
        self._source = config.phone_adapter
        self._lines = lines_of(config.phone_lines)
        self._last_status = None
        if not config.phone_adapter:
            self.status_changed.emit(False, "")
            return ""
        try:
            if config.phone_token:  # the PBX's webhook, and `reception phone simulate` for training
                from reception.phone.webhook import DEFAULT_ADDRESS
                from reception.phone.webhook import PhoneWebhookServer

                address = config.phone_address or DEFAULT_ADDRESS
                server = PhoneWebhookServer(address, config.phone_token, self.hub)
                server.start()
                self._adapters.append(server)
            if config.phone_adapter == "serial":
                from ui.phone.serial_line import SerialCallerId

                getter = self._session_ref()
                serial = SerialCallerId(
                    self.hub,
                    config.phone_serial_port,
                    config.phone_serial_init,
                    self._lines[0] if self._lines else "",
                    now=getter().clock.now if getter is not None else None,
                    parent=self,
                )
                serial.start()
                self._adapters.append(serial)
            if config.phone_adapter == "ami":
                from reception.phone.ami import DEFAULT_PORT
                from reception.phone.ami import AmiClient

                host, _, port = config.ami_address.rpartition(":")
                if not host:
                    host, port = config.ami_address, str(DEFAULT_PORT)
                client = AmiClient(
                    self.hub,
                    host,
                    int(port or DEFAULT_PORT),
                    config.ami_user,
                    config.ami_secret,
                    config.phone_extension,
                )
                client.start()
                self._adapters.append(client)
        except (OSError, ValueError) as exc:
            text = f"电话未能启动：{exc}"
            self.status_changed.emit(False, text)
            return text
        self._timer.start()
        self._sweep.start()
        self._emit_status()
        return ""

    def stop(self) -> None:
        for adapter in self._adapters:
            adapter.stop()  # type: ignore[attr-defined]
        self._adapters = []
        self._timer.stop()
        self._sweep.stop()

    def _emit_status(self) -> None:
        if not self._source:
            return
        source = self._source
        connected, text = self.hub.status(source)
        label = SOURCES.get(self._source, self._source)
        status = (connected, f"电话（{label}）：{'已连接' if connected else text or '未连接'}")
        if status != self._last_status:
            self._last_status = status
            self.status_changed.emit(*status)

    def drain(self) -> int:
        """Record up to one batch of waiting events (the window's thread); how many."""
        events = self.hub.drain(BATCH)
        for event in events:
            try:
                update = phone_line.record(event, self._session(), self._lines)
            except ReceptionError:
                continue
            if update is not None and update.popped:
                self.rang.emit(update)
            elif update is not None and update.missed:
                self.missed.emit(update)
        self._emit_status()
        return len(events)

    def sweep(self) -> None:
        try:
            for ring in phone_line.sweep_unanswered(self._session()):
                self.missed.emit(ring)
        except ReceptionError:
            pass
