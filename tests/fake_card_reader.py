"""A fake 二代证 reader on a pseudo-terminal: it reads the desk's real frames from the master side and
answers them as a SAM module does (找卡, 选卡, 读基本信息; any status byte on demand). The program
opens the slave side by its path (``/dev/pts/N``) with QSerialPort, as it opens COM3 on a desk."""

from __future__ import annotations

import os
import time

from reception.rules import idcard
from tests.fake_serial import PtyDevice


class FakeReader(PtyDevice):
    def __init__(self) -> None:
        super().__init__()
        self.card: bytes | None = None  # 256 bytes of card text, or no card on the reader
        self.status: dict[bytes, int] = {}  # a command answered with this status instead
        self.raw: dict[bytes, bytes] = {}  # a command answered with these bytes instead
        self.silent = False
        self.commands: list[bytes] = []
        self.answered_at: list[float] = []  # perf_counter when a card's answer was written
        self._buffer = bytearray()
        self.start()

    def received(self, data: bytes) -> None:
        self._buffer += data
        while True:
            start = self._buffer.find(idcard.PREAMBLE)
            if start < 0 or len(self._buffer) < start + 7:
                break
            del self._buffer[:start]
            end = 7 + int.from_bytes(self._buffer[5:7], "big")
            if len(self._buffer) < end:
                break
            frame = bytes(self._buffer[:end])
            del self._buffer[:end]
            self._answer(frame[7:9])

    def _answer(self, cmd: bytes) -> None:
        self.commands.append(cmd)
        if self.silent:
            return
        if cmd in self.raw:
            reply = self.raw[cmd]
        elif cmd in self.status:
            reply = idcard.answer(self.status[cmd])
        elif self.card is None:
            reply = idcard.answer(idcard.NO_CARD)
        elif cmd == idcard.FIND:
            reply = idcard.answer(idcard.FOUND)
        elif cmd == idcard.SELECT:
            reply = idcard.answer(idcard.OK)
        elif cmd == idcard.READ:
            reply = idcard.basic_info_answer(self.card)
        else:
            reply = idcard.answer(0x21)
        if cmd == idcard.READ and self.card is not None and cmd not in self.raw and cmd not in self.status:
            self.answered_at.append(time.perf_counter())  # just before the answer goes out
        os.write(self.master, reply)


def main() -> None:
    """Try the program without a reader (Linux): a fake reader on a pseudo-terminal. Put the printed
    path in 设置 → 本机 → 读卡器 → 串口; Enter lays a sample card on the reader or takes it away."""
    from stdnum.cn import ric

    fake = FakeReader()
    print(f"模拟读卡器已就绪，串口：{fake.path}（Enter 放卡/取卡，Ctrl+C 退出）")
    base = "50010119800101123"
    card = idcard.encode_text(
        name="张三", id_number=base + ric.calc_check_digit(base + "0"), valid_until="长期"
    )
    try:
        while True:
            input()
            fake.card = None if fake.card else card
            print("证件已放上" if fake.card else "证件已取走")
    except (KeyboardInterrupt, EOFError):
        fake.close()


if __name__ == "__main__":
    main()
