"""Screenshots of the main window for the README (offscreen, demo data).

.venv/bin/python scripts/screenshot.py [--out docs]
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
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    from reception.demo import DEMO_PASSWORD, create_demo
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


if __name__ == "__main__":
    raise SystemExit(main())
