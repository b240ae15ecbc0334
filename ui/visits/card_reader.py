"""The card reader of this desk, in Qt: the SAM serial adapter (QSerialPort, on its own thread) and
the keyboard-wedge catcher for the ID field.

:class:`CardReaderLink` is the one the window uses: it starts a worker thread that opens the port,
runs the 找卡 → 选卡 → 读 cycle of :class:`reception.services.card_reader.ReaderCycle` about every
500 ms while a form wants a card (paused otherwise), reconnects every few seconds when the reader is
unplugged, and hands each new card (the same card within 10 s is ignored) to the GUI thread as
``card_read(CardRead)``. ``status_changed(state, detail)`` feeds the status indicator. Nothing read
from a card is logged."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent
from PySide6.QtCore import QObject
from PySide6.QtCore import Qt
from PySide6.QtCore import QThread
from PySide6.QtCore import QTimer
from PySide6.QtCore import Signal
from PySide6.QtCore import Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtSerialPort import QSerialPort
from PySide6.QtWidgets import QLineEdit

from reception.rules import idcard
from reception.services import card_reader as cr
from ui.widgets.serial_port import end_worker_thread
from ui.widgets.serial_port import finish_worker
from ui.widgets.serial_port import open_8n1
from ui.widgets.serial_port import unplugged

log = logging.getLogger(__name__)
MAX_SILENT_ROUNDS = 3  # rounds without an answer before the port is reopened


class _Worker(QObject):
    """Lives on the reader thread: owns the port and the timers."""

    card = Signal(object)
    status = Signal(str, str)
    answered = Signal(float)  # time.perf_counter() when the last byte of a card arrived

    def __init__(self, port: str, speed: int, extras: bool) -> None:
        super().__init__()
        self._port_name = port
        self._speed = speed
        self._cycle = cr.ReaderCycle(extras=extras)
        self._frames = idcard.FrameReader()
        self._active = False
        self._silent = 0
        self._state = ""
        self._port: QSerialPort | None = None

    @Slot()
    def begin(self) -> None:
        self._port = QSerialPort(self)
        self._port.readyRead.connect(self._ready_read)
        self._port.errorOccurred.connect(self._port_error)
        self._poll = QTimer(self)
        self._poll.setInterval(cr.POLL_MS)
        self._poll.timeout.connect(self._round)
        self._reconnect = QTimer(self)
        self._reconnect.setInterval(cr.RECONNECT_MS)
        self._reconnect.timeout.connect(self._open)
        self._timeout = QTimer(self)
        self._timeout.setSingleShot(True)
        self._timeout.setInterval(cr.ANSWER_TIMEOUT_MS)
        self._timeout.timeout.connect(self._no_answer)
        self._open()

    def _say(self, state: str, detail: str = "") -> None:
        if (state, detail) != getattr(self, "_said", None):
            self._said = (state, detail)
            self._state = state
            self.status.emit(state, detail)

    @Slot()
    def _open(self) -> None:
        port = self._port
        assert port is not None
        if port.isOpen():
            return
        if not open_8n1(port, self._port_name, self._speed):
            self._say(cr.DISCONNECTED, f"无法打开 {self._port_name}，每 {cr.RECONNECT_MS // 1000} 秒重试")
            self._reconnect.start()
            return
        self._reconnect.stop()
        self._frames.clear()
        self._cycle.abandon()
        self._silent = 0
        log.info("card reader opened on %s", self._port_name)
        self._say(cr.CONNECTED if self._active else cr.PAUSED)
        if self._active:
            self._poll.start()
            self._round()

    def _close(self, detail: str) -> None:
        port = self._port
        assert port is not None
        self._poll.stop()
        self._timeout.stop()
        self._cycle.abandon()
        if port.isOpen():
            port.close()
        self._say(cr.DISCONNECTED, detail)
        self._reconnect.start()

    @Slot(bool)
    def set_active(self, active: bool) -> None:
        self._active = active
        if self._port is None or not self._port.isOpen():
            return
        if active:
            self._say(cr.CONNECTED)
            self._poll.start()
            self._round()
        else:
            self._poll.stop()
            self._say(cr.PAUSED)

    @Slot()
    def finish(self) -> None:
        finish_worker(self, self._port, (self._poll, self._reconnect, self._timeout))

    @Slot()
    def _round(self) -> None:
        port = self._port
        if port is None or not port.isOpen() or self._cycle.busy or not self._active:
            return
        self._frames.clear()
        self._send(self._cycle.start())

    def _send(self, frame: bytes) -> None:
        assert self._port is not None
        self._port.write(frame)
        self._timeout.start()

    @Slot()
    def _no_answer(self) -> None:
        self._cycle.abandon()
        self._frames.clear()
        self._silent += 1
        if self._silent >= MAX_SILENT_ROUNDS:
            self._close("读卡器无应答，正在重新连接")
        else:
            self._say(cr.ERROR, "读卡器无应答")

    @Slot()
    def _ready_read(self) -> None:
        assert self._port is not None
        data = bytes(self._port.readAll().data())
        for item in self._frames.feed(data):
            if not self._cycle.busy:
                continue  # noise between rounds
            self._timeout.stop()
            self._silent = 0
            step = self._cycle.answer(item)
            if step.send is not None:
                self._send(step.send)
            elif step.card is not None:
                self.answered.emit(time.perf_counter())
                self._say(cr.CONNECTED, "已读卡")
                self.card.emit(step.card)
            elif step.message:
                self._say(cr.ERROR, step.message)
            elif step.idle:
                self._say(cr.CONNECTED if self._active else cr.PAUSED)

    @Slot(QSerialPort.SerialPortError)
    def _port_error(self, error: QSerialPort.SerialPortError) -> None:
        if unplugged(error, self._port):
            self._close("读卡器已断开，正在重新连接")


class CardReaderLink(QObject):
    """This desk's SAM reader. ``card_read(CardRead)`` in the GUI thread for each new card."""

    card_read = Signal(object)
    status_changed = Signal(str, str)
    settings_changed = Signal(str, str, int)  # 设置 → 本机 saved: kind, port, speed
    _activate = Signal(bool)
    _stop = Signal()

    def __init__(self, parent: QObject | None = None, *, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self._repeat = cr.RepeatFilter(clock)
        self._thread: QThread | None = None
        self._worker: _Worker | None = None
        self._wanted = False
        self.state = cr.DISCONNECTED
        self.detail = ""
        self.last_answer_at = 0.0  # perf_counter of the last card's answer (benchmark)

    def running(self) -> bool:
        return self._thread is not None

    def start(self, port: str, speed: int = cr.DEFAULT_SPEED, *, extras: bool = False) -> None:
        """Open ``port`` on the reader thread (any previous port is closed first)."""
        self.stop()
        thread = QThread()
        thread.setObjectName("card-reader")
        worker = _Worker(port, speed, extras)
        worker.moveToThread(thread)
        thread.started.connect(worker.begin)
        worker.card.connect(self._card, Qt.ConnectionType.QueuedConnection)
        worker.status.connect(self._status, Qt.ConnectionType.QueuedConnection)
        worker.answered.connect(self._answered, Qt.ConnectionType.QueuedConnection)
        self._activate.connect(worker.set_active, Qt.ConnectionType.QueuedConnection)
        self._stop.connect(worker.finish, Qt.ConnectionType.QueuedConnection)
        self._thread, self._worker = thread, worker
        thread.start()
        self._activate.emit(self._wanted)

    def stop(self) -> None:
        thread, worker = self._thread, self._worker
        if thread is None or worker is None:
            return
        end_worker_thread(
            self._stop, thread, worker, [(self._activate, worker.set_active), (self._stop, worker.finish)]
        )
        self._thread = self._worker = None
        self._status(cr.DISCONNECTED, "")

    def set_wanted(self, wanted: bool) -> None:
        """Poll while a form wants a card; pause otherwise."""
        if wanted != self._wanted:
            self._wanted = wanted
            if not wanted:
                self._repeat.forget()
            self._activate.emit(wanted)

    def _card(self, card: idcard.CardData) -> None:
        if self._repeat.fresh(card):
            self.card_read.emit(cr.CardRead(card, "reader"))

    def _answered(self, at: float) -> None:
        self.last_answer_at = at

    def _status(self, state: str, detail: str) -> None:
        self.state, self.detail = state, detail
        self.status_changed.emit(state, detail)

    def status_text(self) -> str:
        return cr.status_text(self.state, self.detail)


class WedgeCatcher(QObject):
    """Installed on the ID field: 18 characters typed in a fast burst and Enter are a keyboard-wedge
    reader. The Enter is swallowed (the form is not saved), the field gets back what it held
    before the burst, and ``card_read(CardRead)`` is emitted. Key times come from ``clock``.
    Only while ``enabled`` (设置 → 本机 → 读卡器 says this desk has a keyboard-wedge reader)."""

    card_read = Signal(object)

    def __init__(self, edit: QLineEdit, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(edit)
        self._edit = edit
        self._clock = clock
        self._burst = cr.WedgeBurst()
        self._before = ""
        self._last: float | None = None
        self.enabled = False
        edit.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.enabled or watched is not self._edit or event.type() != QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QKeyEvent)
        now = self._clock()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            number = self._burst.enter(now)
            self._last = None
            if number is None:
                return False
            self._edit.setText(self._before)
            self.card_read.emit(cr.CardRead(cr.card_from_wedge(number), "wedge"))
            return True
        text = event.text()
        if len(text) == 1 and text.isprintable():
            if self._last is None or now - self._last > cr.WEDGE_GAP_S:
                self._before = self._edit.text()
            self._burst.key(text, now)
            self._last = now
        else:
            self._burst.reset()
            self._last = None
        return False


_shared: CardReaderLink | None = None


def shared_link() -> CardReaderLink:
    """The one link of this program (the 来访 tab reads cards with it, 设置 → 本机 tests it)."""
    global _shared
    if _shared is None:
        _shared = CardReaderLink()
    return _shared


def stop_shared() -> None:
    global _shared
    if _shared is not None:
        _shared.stop()
        _shared = None


class PortProbe(QObject):
    """设置 → 本机 → 测试: open the port, send 找卡 once and say what came back, as
    ``done(state, detail)``. Asynchronous (signals and a timer): the window never waits on it."""

    done = Signal(str, str)

    def __init__(self, port: str, speed: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._port_name = port
        self._serial = QSerialPort(self)
        self._serial.setPortName(port)
        self._serial.setBaudRate(speed)
        self._serial.readyRead.connect(self._ready_read)
        self._frames = idcard.FrameReader()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(cr.ANSWER_TIMEOUT_MS)
        self._timer.timeout.connect(self._silent)
        self._over = False

    def start(self) -> None:
        if not self._serial.open(QSerialPort.OpenModeFlag.ReadWrite):
            self._finish(cr.DISCONNECTED, f"无法打开 {self._port_name}（{self._serial.errorString()}）")
            return
        self._serial.write(idcard.command(idcard.FIND))
        self._timer.start()

    def _silent(self) -> None:
        self._finish(cr.ERROR, "读卡器无应答：请检查端口、速率和读卡器电源")

    def _ready_read(self) -> None:
        for item in self._frames.feed(bytes(self._serial.readAll().data())):
            if isinstance(item, idcard.FrameError):
                self._finish(cr.ERROR, str(item))
            elif item.status == idcard.FOUND:
                self._finish(cr.CONNECTED, "读卡器应答正常，读卡器上有证件")
            elif item.status == idcard.NO_CARD:
                self._finish(cr.CONNECTED, "读卡器应答正常（读卡器上没有证件）")
            else:
                self._finish(cr.ERROR, idcard.StatusError(item.status).message)
            return

    def _finish(self, state: str, detail: str) -> None:
        if self._over:
            return
        self._over = True
        self._timer.stop()
        if self._serial.isOpen():
            self._serial.close()
        self.done.emit(state, detail)
