"""The caller-ID box (来电显示盒) or voice modem on a serial port, read with Qt's QSerialPort on its
own thread (never the window's).

:class:`SerialCallerId` starts a worker thread that opens the port, sends the init command
(``ATZ`` then ``AT+VCID=1``, or what 设置 → 本机 → 电话 → 初始化命令 says, e.g. ``AT#CID=1``),
feeds every byte read to :class:`reception.phone.caller_id.CallerIdParser` and puts the events it
makes (ring with the number; ringing stopped) into the controller's
:class:`~reception.phone.events.EventHub`. A timer ticks the parser each second, so ringing that
stops is noticed without more bytes. An unplugged box (the port reports a resource error, or
cannot be opened) sets the status to 未连接 and is reopened every few seconds (the init command
is sent again). Nothing read is logged."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject
from PySide6.QtCore import QThread
from PySide6.QtCore import QTimer
from PySide6.QtCore import Signal
from PySide6.QtCore import Slot
from PySide6.QtSerialPort import QSerialPort

from reception.phone.caller_id import CallerIdParser
from reception.phone.events import EventHub
from reception.phone.events import PhoneEvent
from ui.widgets.serial_port import end_worker_thread
from ui.widgets.serial_port import finish_worker
from ui.widgets.serial_port import open_8n1
from ui.widgets.serial_port import unplugged

log = logging.getLogger(__name__)

DEFAULT_INIT = "AT+VCID=1"
INIT_CHOICES = ("AT+VCID=1", "AT#CID=1", "AT%CCID=1")
SPEED = 9600  # what caller-ID boxes and voice modems speak (a USB box ignores it)
RECONNECT_MS = 3000
TICK_MS = 1000
INIT_WAIT_MS = 1000  # how long to wait for a command's OK before sending the next


def init_commands(init: str) -> list[bytes]:
    """``ATZ`` then each of the init commands (``;``-separated), each ended by CR."""
    commands = [b"ATZ\r"]
    for part in (init or DEFAULT_INIT).split(";"):
        part = part.strip()
        if part:
            commands.append(part.encode("ascii", errors="ignore") + b"\r")
    return commands


class _Worker(QObject):
    """Lives on the serial thread: owns the port, the parser and the timers."""

    def __init__(self, hub: EventHub, port: str, init: str, line: str, now: Callable[[], datetime]) -> None:
        super().__init__()
        self._hub = hub
        self._port_name = port
        self._init = init
        self._now = now
        self._parser = CallerIdParser(line=line)
        self._port: QSerialPort | None = None
        self._pending: list[bytes] = []
        self._replies = b""

    @Slot()
    def begin(self) -> None:
        self._port = QSerialPort(self)
        self._port.readyRead.connect(self._ready_read)
        self._port.errorOccurred.connect(self._port_error)
        self._reconnect = QTimer(self)
        self._reconnect.setInterval(RECONNECT_MS)
        self._reconnect.timeout.connect(self._open)
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self._ticked)
        self._tick.start()
        self._init_timer = QTimer(self)
        self._init_timer.setSingleShot(True)
        self._init_timer.setInterval(INIT_WAIT_MS)
        self._init_timer.timeout.connect(self._send_next)
        self._open()

    @Slot()
    def _open(self) -> None:
        port = self._port
        if port is None or port.isOpen():
            return
        if not open_8n1(port, self._port_name, SPEED):
            self._hub.set_status("serial", False, f"未连接：无法打开 {self._port_name}")
            self._reconnect.start()
            return
        self._reconnect.stop()
        # one command at a time: a modem resetting after ATZ ignores what comes meanwhile
        self._pending = init_commands(self._init)
        self._replies = b""
        self._send_next()
        log.info("caller-ID box opened on %s", self._port_name)
        self._hub.set_status("serial", True, f"已连接 {self._port_name}")

    def _close(self, text: str) -> None:
        port = self._port
        if port is not None and port.isOpen():
            port.close()
        self._hub.set_status("serial", False, text)
        self._reconnect.start()

    def _put(self, events: list[PhoneEvent]) -> None:
        for event in events:
            self._hub.put(event)

    @Slot()
    def _send_next(self) -> None:
        """The next init command (after the previous one's OK/ERROR, or after a second without)."""
        self._init_timer.stop()
        port = self._port
        if not self._pending or port is None or not port.isOpen():
            self._pending = []
            return
        port.write(self._pending.pop(0))
        self._replies = b""
        self._init_timer.start()

    @Slot()
    def _ready_read(self) -> None:
        port = self._port
        if port is None:
            return
        data = bytes(port.readAll().data())
        if not data:
            return
        if self._init_timer.isActive():
            self._replies = (self._replies + data)[-64:]
            if b"OK" in self._replies.upper() or b"ERROR" in self._replies.upper():
                self._send_next()
        self._put(self._parser.feed(data, self._now()))

    @Slot()
    def _ticked(self) -> None:
        self._put(self._parser.tick(self._now()))

    @Slot(QSerialPort.SerialPortError)
    def _port_error(self, error: QSerialPort.SerialPortError) -> None:
        if unplugged(error, self._port):
            self._close("未连接：来电显示盒已断开，正在重新连接")

    @Slot()
    def finish(self) -> None:
        finish_worker(self, self._port, (self._reconnect, self._tick, self._init_timer))


class SerialCallerId(QObject):
    """The serial adapter as the phone controller sees it: ``start()`` and ``stop()``."""

    _stop = Signal()

    def __init__(
        self,
        hub: EventHub,
        port: str,
        init: str = "",
        line: str = "",
        now: Callable[[], datetime] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        from reception.clock import Clock

        self.hub, self.port, self.init, self.line = hub, port, init, line
        self._now = now or Clock().now
        self._thread: QThread | None = None
        self._worker: _Worker | None = None

    def start(self) -> None:
        self.hub.set_status("serial", False, "未连接")
        thread = QThread()
        thread.setObjectName("phone-serial")
        worker = _Worker(self.hub, self.port, self.init, self.line or self.port, self._now)
        worker.moveToThread(thread)
        thread.started.connect(worker.begin)
        self._stop.connect(worker.finish)
        self._thread, self._worker = thread, worker
        thread.start()

    def stop(self) -> None:
        thread, worker = self._thread, self._worker
        if thread is None or worker is None:
            return
        end_worker_thread(self._stop, thread, worker, [(self._stop, worker.finish)])
        self._thread = self._worker = None
        self.hub.set_status("serial", False, "未连接")


def probe(port_name: str, init: str = "", timeout_ms: int = 2000) -> tuple[bool, str]:
    """The 测试 button: open the port, send the init command and wait (at most ``timeout_ms``)
    for the box's ``OK``."""
    if not port_name.strip():
        return False, "请填写来电显示盒所接的串口，如 COM3。"
    port = QSerialPort()
    port.setPortName(port_name.strip())
    port.setBaudRate(SPEED)
    if not port.open(QSerialPort.OpenModeFlag.ReadWrite):
        return False, (
            f"无法打开串口 {port_name}：请检查来电显示盒是否插好、端口是否正确、是否被其他程序占用。"
        )
    try:
        received = b""
        commands = init_commands(init)
        each_ms = max(timeout_ms // len(commands), 200)
        for command in commands:  # the answer that counts is the last command's
            received = b""
            port.write(command)
            port.waitForBytesWritten(each_ms)
            waited = 0
            while b"OK" not in received.upper() and b"ERROR" not in received.upper() and waited < each_ms:
                if port.waitForReadyRead(100):
                    received += bytes(port.readAll().data())
                waited += 100
    finally:
        port.close()
    if b"ERROR" in received.upper():
        return False, (
            f"串口 {port_name} 上的设备不接受初始化命令 {init or DEFAULT_INIT}，请换用 AT#CID=1 再试。"
        )
    if b"OK" in received.upper():
        return True, f"来电显示盒已应答（{port_name}）。保存后来电时「来电」标签页自动弹出。"
    return False, (
        f"串口 {port_name} 已打开，但设备没有应答 OK：请检查所接的是否为来电显示盒"
        "（有的来电显示盒不回应命令，来电时仍能显示号码）。"
    )
