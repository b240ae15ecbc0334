"""A device on a pseudo-terminal pair for the serial tests (the caller-ID box, the 二代证 reader):
the fake speaks on the master side from its own thread; the program opens the slave side by its
path (``/dev/pts/N``) with QSerialPort, as it opens COM3 on a desk. Subclasses handle what the
program writes in :meth:`received`."""

from __future__ import annotations

import os
import select
import threading
import tty


class PtyDevice:
    def __init__(self) -> None:
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)  # bytes as they are: no echo, no line discipline
        self.path = os.ttyname(self.slave)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        """Begin listening (subclasses call it at the end of their ``__init__``)."""
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if not ready:
                continue
            try:
                data = os.read(self.master, 4096)
            except OSError:
                return
            self.received(data)

    def received(self, data: bytes) -> None:
        raise NotImplementedError

    def unplug(self) -> None:
        """The device pulled out: the master side closes, the port sees a hang-up."""
        self._stop.set()
        self._thread.join(2)
        os.close(self.master)

    def close(self) -> None:
        if not self._stop.is_set():
            self.unplug()
        os.close(self.slave)
