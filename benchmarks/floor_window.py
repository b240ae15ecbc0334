"""The start-up floor: a bare PySide6 main window with three tabs of empty table views.

Started exactly like the program (a fresh ``python`` process, same interpreter, same environment,
``QT_QPA_PLATFORM`` included), it prints ``READY <time.monotonic()>`` once the window is shown and
the event loop is idle — the same moment ``RECEPTION_READY_EXIT=1`` marks in ``ui/app.py`` — and
quits. Whatever the program needs beyond this is what the start-up ratio measures."""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from PySide6.QtWidgets import QMainWindow
from PySide6.QtWidgets import QTableView
from PySide6.QtWidgets import QTabWidget


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("floor")
    tabs = QTabWidget()
    for title in ("来电", "来访", "来函"):
        tabs.addTab(QTableView(), title)
    window.setCentralWidget(tabs)
    window.resize(1180, 760)
    window.show()

    def ready() -> None:
        print(f"READY {time.monotonic()}", flush=True)
        app.quit()

    QTimer.singleShot(0, ready)
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
