"""What the two serial-port workers share (the caller-ID box, ui/phone/serial_line.py, and the ID
card reader, ui/visits/card_reader.py): opening a port at 8N1 without flow control, and
finishing in the worker's own thread (timers stopped, port closed, the thread told to quit), telling
an unplugged port from other errors, and ending the worker's thread from the UI thread."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable

from PySide6.QtCore import QObject
from PySide6.QtCore import QThread
from PySide6.QtCore import QTimer
from PySide6.QtCore import SignalInstance
from PySide6.QtSerialPort import QSerialPort


def open_8n1(port: QSerialPort, name: str, speed: int) -> bool:
    """Open ``port`` on ``name`` at ``speed`` baud, 8 data bits, no parity, one stop bit, no
    flow control; False when it cannot be opened."""
    port.setPortName(name)
    port.setBaudRate(speed)
    port.setDataBits(QSerialPort.DataBits.Data8)
    port.setParity(QSerialPort.Parity.NoParity)
    port.setStopBits(QSerialPort.StopBits.OneStop)
    port.setFlowControl(QSerialPort.FlowControl.NoFlowControl)
    return port.open(QSerialPort.OpenModeFlag.ReadWrite)


def finish_worker(worker: QObject, port: QSerialPort | None, timers: Iterable[QTimer]) -> None:
    """In the worker's thread: stop ``timers``, close ``port`` and let the thread end."""
    for timer in timers:
        timer.stop()
    if port is not None and port.isOpen():
        port.close()
    thread = worker.thread()
    if thread is not None:
        thread.quit()


_UNPLUGGED = (
    QSerialPort.SerialPortError.ResourceError,
    QSerialPort.SerialPortError.DeviceNotFoundError,
    QSerialPort.SerialPortError.PermissionError,
)


def unplugged(error: QSerialPort.SerialPortError, port: QSerialPort | None) -> bool:
    """The open ``port`` reports that its device went away (unplugged, or taken)."""
    return error in _UNPLUGGED and port is not None and port.isOpen()


def end_worker_thread(
    stop: SignalInstance,
    thread: QThread,
    worker: QObject,
    wiring: Iterable[tuple[SignalInstance, Callable[..., object]]],
) -> None:
    """From the UI thread: ``stop`` the worker (it finishes in its thread), wait for the thread
    (5 s at most), undo the ``wiring`` (signal, slot) into the worker and let the worker go."""
    stop.emit()
    thread.wait(5000)
    for signal, slot in wiring:
        signal.disconnect(slot)
    worker.deleteLater()
