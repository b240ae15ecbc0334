"""Screenshots of the desk phone for the README and docs/devices.md (offscreen, demo data):
the pop with the caller panel, a missed call become a 待回电, and 设置 → 本机 → 电话.

.venv/bin/python scripts/phone_screenshots.py [--out docs]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path("docs"))
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    from reception.demo import DEMO_PASSWORD
    from reception.demo import create_demo
    from reception.phone.events import HANGUP
    from reception.phone.events import RING
    from reception.phone.events import PhoneEvent
    from reception.services import auth
    from reception.services.cases import CLOSED
    from reception.store import config
    from reception.store.models import Resident
    from reception.store.paths import DataDir
    from ui.admin.settings_dialog import SettingsDialog
    from ui.main_window import MainWindow
    from ui.widgets.fonts import install_app_font
    from ui.widgets.look import apply_look

    data = DataDir(Path(tempfile.mkdtemp()) / "demo")
    create_demo(data)
    config.set_phone(data.root, phone_adapter="serial", phone_serial_port="COM3", phone_lines="8001")
    app = QApplication([])
    apply_look(app)
    install_app_font(app)
    session = auth.login("qiantai1", DEMO_PASSWORD)
    window = MainWindow(session, session.clock, data_dir=data)
    window.resize(1366, 768)
    window.show()
    window.start()
    args.out.mkdir(parents=True, exist_ok=True)

    def settle() -> None:
        for _ in range(5):
            app.processEvents()

    # the pop: a resident with calls and an open case rings
    caller = next(
        r
        for r in Resident.select().where(Resident.phone != "").order_by(Resident.id)
        if any(c.status != CLOSED for c in r.cases)
    )
    window.phone.hub.put(PhoneEvent(RING, "simulate", "shot-1", number=caller.phone, line="8001"))
    window.phone.drain()
    settle()
    window.grab().save(str(args.out / "phone-pop.png"))

    # a missed call: the caller hung up before anyone answered → a 待回电 by itself
    window.call_tab.form.reset()
    rang = session.now() - timedelta(seconds=25)  # it rang 25 s (six rings) before the caller gave up
    window.phone.hub.put(PhoneEvent(RING, "simulate", "shot-2", number="13912345678", line="8001", at=rang))
    window.phone.drain()
    window.phone.hub.put(PhoneEvent(HANGUP, "simulate", "shot-2"))
    window.phone.drain()
    window.call_tab.form.reset()
    window.call_tab.callbacks_panel.refresh()
    window.call_tab.side_tabs.setCurrentWidget(window.call_tab.callbacks_panel)
    window.refresh_counts()
    settle()
    window.grab().save(str(args.out / "phone-missed-callback.png"))
    window.phone.stop()

    admin = auth.login("admin", DEMO_PASSWORD) if _has_user("admin") else session
    dialog = SettingsDialog(admin, None, data_dir=data)
    dialog.resize(1000, 760)
    dialog.tabs.setCurrentWidget(dialog.local_scroll)
    dialog.show()
    settle()
    box = dialog.local_page.phone_box
    dialog.local_scroll.ensureWidgetVisible(box, 0, 0)
    dialog.local_scroll.verticalScrollBar().setValue(box.y())
    settle()
    dialog.grab().save(str(args.out / "settings-phone.png"))
    dialog.close()
    window.close()
    return 0


def _has_user(username: str) -> bool:
    from reception.store.models import Operator

    return Operator.select().where(Operator.username == username).exists()


if __name__ == "__main__":
    raise SystemExit(main())
