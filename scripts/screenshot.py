"""Screenshots of the main window for the README (offscreen, demo data).

.venv/bin/python scripts/screenshot.py [--out docs]
.venv/bin/python scripts/screenshot.py --all /tmp/sweep   # every tab and every dialog the menus
    open, as an administrator on a 1366×768 screen, into a folder to look at (not for docs/)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path("docs"))
    parser.add_argument("--all", type=Path, default=None, help="every tab and menu dialog, into this folder")
    args = parser.parse_args()
    if args.all is not None:
        return sweep(args.all)

    from PySide6.QtWidgets import QApplication

    from reception.demo import DEMO_PASSWORD
    from reception.demo import create_demo
    from reception.services import auth
    from reception.store.paths import DataDir
    from ui.main_window import MainWindow
    from ui.widgets.fonts import install_app_font
    from ui.widgets.look import apply_look

    data = DataDir(Path(tempfile.mkdtemp()) / "demo")
    create_demo(data)
    app = QApplication([])
    apply_look(app)
    install_app_font(app)
    session = auth.login("qiantai1", DEMO_PASSWORD)
    window = MainWindow(session, session.clock)
    window.resize(1366, 800)
    window.show()
    window.start()
    tabs = window.tabs
    calls_list = window.call_tab.dates.range_combo
    calls_list.setCurrentIndex(calls_list.findText("近7天"))
    args.out.mkdir(parents=True, exist_ok=True)
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        for _ in range(5):
            app.processEvents()
        name = ["call", "visit", "letter", "case", "report"][index] if index < 5 else f"tab{index}"
        window.grab().save(str(args.out / f"{name}-tab.png"))
    window.close()
    return 0


def sweep(out: Path) -> int:
    """Every tab and every window or dialog a menu item opens, at 1366×768 (a desk monitor),
    saved as PNG files into ``out`` to be looked at: each dialog is grabbed and closed (cancelled)
    as soon as it shows, message boxes included, so nothing is changed by answering 是."""
    screen = Path(tempfile.mkdtemp()) / "screen.json"
    screen.write_text(
        '{"screens": [{"name": "desk", "x": 0, "y": 0, "width": 1366, "height": 768, "logicalDpi": 96}]}',
        encoding="utf-8",
    )
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={screen}"
    from PySide6.QtCore import QEventLoop
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QApplication
    from PySide6.QtWidgets import QDialog
    from PySide6.QtWidgets import QMenu

    from reception.demo import DEMO_PASSWORD
    from reception.demo import create_demo
    from reception.services import auth
    from reception.store.paths import DataDir
    from ui.main_window import MainWindow
    from ui.widgets.fonts import install_app_font
    from ui.widgets.look import apply_look

    data = DataDir(Path(tempfile.mkdtemp()) / "demo")
    create_demo(data)
    app = QApplication([])
    apply_look(app)
    install_app_font(app)
    session = auth.login("admin", DEMO_PASSWORD)
    window = MainWindow(session, session.clock, data_dir=data)
    window.resize(1366, 728)
    window.show()
    window.start()
    out.mkdir(parents=True, exist_ok=True)
    count = 0

    def settle(ms: int = 300) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def grab_open(prefix: str) -> None:
        nonlocal count
        for widget in QApplication.topLevelWidgets():
            if widget is window or not widget.isVisible() or isinstance(widget, QMenu):
                continue
            if widget.windowType().name in ("Popup", "ToolTip"):
                continue
            count += 1
            size = f"{widget.width()}x{widget.height()}"
            widget.grab().save(str(out / f"{count:02d}-{prefix}-{size}.png"))
            print(f"{count:02d} {prefix}: {widget.windowTitle()!r} {size}")
            if isinstance(widget, QDialog):
                widget.reject()
            else:
                widget.close()

    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        settle()
        count += 1
        window.grab().save(str(out / f"{count:02d}-tab-{index}.png"))
        print(f"{count:02d} tab {window.tabs.tabText(index)}")
    skip = {window.quit_action, window.switch_action}
    for menu in window.menuBar().findChildren(QMenu):
        for action in menu.actions():
            if not isinstance(action, QAction) or action.isSeparator() or action in skip:
                continue
            if not action.isEnabled():
                print(f"-- {menu.title()} → {action.text()}: disabled")
                continue
            name = action.text().replace("&", "").replace("…", "").replace(" ", "")
            closer = QTimer()
            closer.timeout.connect(lambda name=name: grab_open(name))
            closer.start(700)
            action.trigger()
            settle(900)
            closer.stop()
            grab_open(name)
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
