"""A fake caller-ID box (来电显示盒) / voice modem on a pseudo-terminal: it answers the desk's AT
commands with ``OK`` and, when told, reports a call in the formatted caller-ID form (``RING``,
``DATE = MMDD``, ``TIME = HHMM``, ``NMBR = number``). The program opens the slave side by its path
(``/dev/pts/N``) with QSerialPort, as it opens COM3 on a desk."""

from __future__ import annotations

import os
import threading

from tests.fake_serial import PtyDevice


class FakeCallerIdBox(PtyDevice):
    def __init__(self, answer_ok: bool = True) -> None:
        super().__init__()
        self.answer_ok = answer_ok
        self.refuse: set[bytes] = set()  # commands answered with ERROR (a modem that lacks them)
        self.commands: list[bytes] = []
        self._buffer = b""
        self._lock = threading.Lock()
        self.start()

    def received(self, data: bytes) -> None:
        self._buffer += data
        while b"\r" in self._buffer:
            command, _, self._buffer = self._buffer.partition(b"\r")
            command = command.strip()
            if not command:
                continue
            self.commands.append(command)
            if command in self.refuse:
                self.send(b"\r\nERROR\r\n")
            elif self.answer_ok and command.upper().startswith(b"AT"):
                self.send(b"\r\nOK\r\n")

    def send(self, data: bytes) -> None:
        with self._lock:
            os.write(self.master, data)

    def ring(self, number: str = "", *, date: str = "1205", time: str = "1830") -> None:
        """One ring, with the caller ID between the first and second ring (``number`` may be P/O)."""
        self.send(b"\r\nRING\r\n")
        if number:
            self.send(f"\r\nDATE = {date}\r\nTIME = {time}\r\nNMBR = {number}\r\n\r\n".encode("ascii"))


def main() -> None:
    """Try the program without a caller-ID box (Linux): put the printed path in 设置 → 本机 → 电话 →
    来电显示盒串口; type a number and Enter to ring (P: private), empty Enter rings once more."""
    box = FakeCallerIdBox()
    print(f"模拟来电显示盒已就绪，串口：{box.path}（输入号码回车 = 来电，空回车 = 再响一声，Ctrl+C 退出）")
    try:
        while True:
            number = input().strip()
            box.ring(number)
    except (KeyboardInterrupt, EOFError):
        box.close()


if __name__ == "__main__":
    main()
