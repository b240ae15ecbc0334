"""Starting the window: the application object, the bundled font, the single-instance lock on
the data folder, opening the database, first-run set-up, login, and the main window.

Environment variables (for the start-up benchmark and for screenshots, never needed by users):

``RECEPTION_READY_EXIT=1``
    Print ``READY <time.monotonic()>`` once the main window has been shown and the event loop
    is idle, then quit with status 0.
``RECEPTION_AUTO_LOGIN=username:password``
    Log in with these credentials instead of showing the login dialog (the dialog is shown
    after all if they are refused).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLockFile, QTimer
from PySide6.QtWidgets import QApplication

LOCK_NAME = "reception.lock"


def _tr(text: str) -> str:
    return QCoreApplication.translate("app", text)


def create_application(argv: list[str] | None = None) -> QApplication:
    from ui.qt_compat import protect_singletons

    protect_singletons()
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("reception-desk")
    app.setApplicationDisplayName(_tr("前台接待工作站"))
    app.setOrganizationName("reception")
    from ui.fonts import install_app_font

    install_app_font(app)
    return app  # type: ignore[return-value]


def acquire_lock(root: Path) -> QLockFile | None:
    """The single-instance lock on one data folder; ``None`` if another program holds it.
    A lock left by a crashed program is recognised (its process is gone) and taken over."""
    root.mkdir(parents=True, exist_ok=True)
    lock = QLockFile(str(root / LOCK_NAME))
    lock.setStaleLockTime(0)  # stale only when the process that took it no longer runs
    return lock if lock.tryLock(200) else None


class Startup:
    """The explicit start step: everything that may show a dialog happens in :meth:`run`."""

    def __init__(self, app: QApplication, data_dir: Path | None) -> None:
        from reception.paths import DataDir

        self.app = app
        self.data = DataDir(data_dir)
        self.lock: QLockFile | None = None
        self.window = None

    def run(self) -> int:
        from reception.clock import Clock
        from reception.errors import ReceptionError
        from ui import msgbox

        title = _tr("前台接待工作站")
        self.lock = acquire_lock(self.data.root)
        if self.lock is None:
            msgbox.error(
                None,
                title,
                _tr(
                    "前台接待工作站已经在运行（使用同一个数据文件夹）。\n请切换到已打开的窗口，不要重复打开。"
                ),
            )
            return 1
        try:
            from reception import startup

            startup.open_data_dir(self.data)
        except ReceptionError as exc:
            msgbox.error(None, title, exc.message)
            return 1
        except OSError as exc:
            msgbox.error(None, title, _tr("无法打开数据文件夹：%1").replace("%1", str(exc)))
            return 1

        clock = Clock()
        try:
            session = self._first_session(clock)
        except ReceptionError as exc:
            msgbox.error(None, title, exc.message)
            return 1
        if session is None:
            return 0

        from ui.main_window import MainWindow

        self.window = window = MainWindow(session, clock, data_dir=self.data)
        window.show()
        window.start()
        if os.environ.get("RECEPTION_READY_EXIT") == "1":
            QTimer.singleShot(0, self._report_ready)
        code = self.app.exec()
        self._logout(window.session)
        return code

    def _first_session(self, clock):  # type: ignore[no-untyped-def]
        from reception import auth
        from reception import settings as settings_mod
        from reception.errors import ReceptionError

        if not auth.is_set_up():
            from ui.setup_dialog import SetupDialog

            setup = SetupDialog(clock)
            if setup.exec() != SetupDialog.DialogCode.Accepted:
                return None
        auto = os.environ.get("RECEPTION_AUTO_LOGIN", "")
        if ":" in auto:
            username, password = auto.split(":", 1)
            try:
                return auth.login(username, password, clock)
            except ReceptionError:
                pass  # refused: ask with the dialog after all
        from ui.login_dialog import LoginDialog

        login = LoginDialog(clock, property_name=settings_mod.load().property_name)
        if login.exec() != LoginDialog.DialogCode.Accepted:
            return None
        return login.session

    def _report_ready(self) -> None:
        print(f"READY {time.monotonic()}", flush=True)
        self.app.quit()

    @staticmethod
    def _logout(session) -> None:  # type: ignore[no-untyped-def]
        from reception import auth
        from reception.errors import ReceptionError

        with contextlib.suppress(ReceptionError):
            auth.logout(session)

    def close(self) -> None:
        from reception import db

        db.close_database()
        if self.lock is not None:
            self.lock.unlock()
            self.lock = None


def main(data_dir: Path | None = None) -> int:
    """The window: what the ``reception`` command runs without arguments."""
    app = create_application()
    start = Startup(app, data_dir)
    try:
        return start.run()
    finally:
        start.close()
