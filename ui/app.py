"""Starting the window: the application object, the bundled font and Qt's Chinese texts, the
single-instance lock on the data folder, the log file, opening the database, first-run set-up,
login, and the main window (opened again after a restore from a backup).

Opening the database follows the core's diagnosis (reception.services.startup): a file in use by
another program → 重试/退出, never a restore; no access → the path and the missing right; a
missing or empty file while backups exist → the newest good backup is offered (never first-run
set-up); a damaged file → the latest good backup is offered. After a fast start (clean exit) the
full check runs in a background thread once the window is up (:class:`DamageWatch`); if it finds
damage, writes stop and the restore is offered.

Environment variables (for the start-up benchmark and for screenshots, never needed by users):

``RECEPTION_READY_EXIT=1``
    Print ``READY <time.monotonic()>`` once the main window has been shown and the event loop
    is idle, then quit with status 0.
``RECEPTION_AUTO_LOGIN=username:password``
    Log in with these credentials instead of showing the login dialog (the dialog is shown
    after all if they are refused).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from reception.clock import Clock
    from reception.services.local import DataDir
    from reception.services.session import Session
    from ui.main_window import MainWindow

import contextlib
import faulthandler
import logging
import os
import sys
import threading
import time
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtCore import QLibraryInfo
from PySide6.QtCore import QLocale
from PySide6.QtCore import QLockFile
from PySide6.QtCore import QObject
from PySide6.QtCore import Qt
from PySide6.QtCore import QTimer
from PySide6.QtCore import QTranslator
from PySide6.QtCore import Signal
from PySide6.QtCore import Slot
from PySide6.QtWidgets import QApplication
from PySide6.QtWidgets import QWidget

from ui.widgets import palette

LOCK_NAME = "reception.lock"
LOG_NAME = "reception.log"
CRASH_LOG_NAME = "crash.log"  # faulthandler: a crash of Python or Qt itself
LOG_BYTES = 2 * 1024 * 1024  # per file; LOG_FILES old files are kept
LOG_FILES = 5
# Only the program's own loggers go to the file: they log serials, file names and counts, never a
# phone number, ID number or name (peewee's SQL log, which carries values, stays off).
LOGGED = ("reception", "ui")

log = logging.getLogger(__name__)


def _tr(text: str) -> str:
    return QCoreApplication.translate("app", text)


def create_application(argv: list[str] | None = None) -> QApplication:
    from ui.qt_compat import protect_singletons

    protect_singletons()
    existing = QApplication.instance()
    app = (
        existing
        if isinstance(existing, QApplication)
        else QApplication(argv if argv is not None else sys.argv[:1])
    )
    app.setApplicationName("reception-desk")
    app.setApplicationDisplayName(_tr("前台接待工作站"))
    app.setOrganizationName("reception")
    from ui.widgets import keys
    from ui.widgets.fonts import install_app_font
    from ui.widgets.look import apply_look

    apply_look(app)
    install_app_font(app)
    keys.install(app)
    install_translations(app)
    return app


def install_translations(app: QCoreApplication) -> QTranslator | None:
    """Qt's own Chinese texts (standard buttons, the file and print dialogs) and the Chinese
    locale for calendars and date pickers. Returns the installed translator (None if Qt's
    translation file was not found: the program still works, with some English buttons)."""
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    import PySide6

    package = Path(PySide6.__file__).resolve().parent
    folders = [
        QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
        str(package / "Qt" / "translations"),
        str(package / "translations"),
    ]
    translator = QTranslator(app)
    for folder in folders:
        if folder and translator.load("qtbase_zh_CN", folder):
            app.installTranslator(translator)
            return translator
    log.warning("Qt's Chinese translations (qtbase_zh_CN) not found")
    return None


def setup_logging(folder: Path) -> logging.Handler:
    """The log file ``logs/reception.log`` in the data folder (rotated: LOG_BYTES × LOG_FILES)."""
    folder.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(
        folder / LOG_NAME, maxBytes=LOG_BYTES, backupCount=LOG_FILES, encoding="utf-8", delay=True
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.INFO)
    for name in LOGGED:
        logger = logging.getLogger(name)
        _previous_levels.setdefault(name, logger.level)
        logger.addHandler(handler)
        if logger.level == logging.NOTSET or logger.level > logging.INFO:
            logger.setLevel(logging.INFO)
    return handler


_previous_levels: dict[str, int] = {}


def remove_logging(handler: logging.Handler) -> None:
    for name in LOGGED:
        logger = logging.getLogger(name)
        logger.removeHandler(handler)
        if not any(isinstance(h, RotatingFileHandler) for h in logger.handlers) and name in _previous_levels:
            logger.setLevel(_previous_levels.pop(name))
    handler.close()


class CrashHooks(QObject):
    """Makes a crash visible in a program without a console: an uncaught exception (in the
    window's thread or any other) is logged with its traceback to ``logs/reception.log`` and
    a Chinese dialog names that file; a hard crash (Python or Qt itself) is written by
    faulthandler to ``logs/crash.log``. :meth:`uninstall` puts the previous hooks back.

    An error the program has already put into words (a :class:`ReceptionError`: the database in
    use by another program when a form opens, say) that no dialog caught is shown in those words
    — it is a condition a person can cause, not a crash — and logged by its kind only."""

    crashed = Signal(str)

    def __init__(self, logs: Path) -> None:
        super().__init__()
        self.logs = logs
        self.log_file = logs / LOG_NAME
        self._previous: tuple[object, object] | None = None
        self._crash_file: object | None = None
        self._faulthandler_was_on = False
        self._showing = False
        self.crashed.connect(self._show)  # queued when emitted from another thread

    def install(self) -> None:
        self._previous = (sys.excepthook, threading.excepthook)
        sys.excepthook = self._excepthook
        threading.excepthook = self._thread_excepthook
        self._faulthandler_was_on = faulthandler.is_enabled()
        with contextlib.suppress(OSError):
            self.logs.mkdir(parents=True, exist_ok=True)
            handle = open(self.logs / CRASH_LOG_NAME, "a", encoding="utf-8")  # noqa: SIM115 — kept open
            self._crash_file = handle
            faulthandler.enable(file=handle, all_threads=True)

    def uninstall(self) -> None:
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous  # type: ignore[assignment]
            self._previous = None
        if self._crash_file is not None:
            faulthandler.disable()
            if self._faulthandler_was_on and sys.__stderr__ is not None:
                with contextlib.suppress(Exception):
                    faulthandler.enable(file=sys.__stderr__)
            self._crash_file.close()  # type: ignore[attr-defined]
            self._crash_file = None

    def _excepthook(self, exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        self._record(exc_type, exc, tb, threading.current_thread().name)

    def _thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        name = args.thread.name if args.thread is not None else "?"
        self._record(args.exc_type, args.exc_value, args.exc_traceback, name)

    def _record(self, exc_type, exc, tb, thread: str) -> None:
        from reception.errors import ReceptionError

        if isinstance(exc, ReceptionError):
            log.warning("%s reached the top of thread %s uncaught", exc_type.__name__, thread)
            words = exc.message
        else:
            text = "".join(traceback.format_exception(exc_type, exc, tb))
            log.critical("uncaught exception in thread %s:\n%s", thread, text.rstrip())
            words = ""
        if QCoreApplication.instance() is None:
            return
        if threading.current_thread() is threading.main_thread():
            self._show(words)
        else:
            self.crashed.emit(words)

    def _show(self, words: str = "") -> None:
        from ui.widgets import msgbox

        if self._showing:  # one dialog at a time: a loop of errors must not stack them up
            return
        self._showing = True
        try:
            msgbox.error(
                None,
                _tr("前台接待工作站"),
                words
                or _tr(
                    "程序遇到意外错误，刚才的操作可能没有完成。已保存的记录不受影响。\n"
                    "错误详情已写入日志文件：\n%1\n请把这个文件交给系统管理员。"
                ).replace("%1", str(self.log_file)),
            )
        finally:
            self._showing = False


def acquire_lock(root: Path) -> QLockFile | None:
    """The single-instance lock on one data folder; ``None`` if another program holds it.
    A lock left by a crashed program is recognised (its process is gone) and taken over."""
    root.mkdir(parents=True, exist_ok=True)
    lock = QLockFile(str(root / LOCK_NAME))
    lock.setStaleLockTime(0)  # stale only when the process that took it no longer runs
    return lock if lock.tryLock(200) else None


class DamageWatch(QObject):
    """The full ``quick_check`` of the database file, in a Python thread with its own read-only
    connection (the window stays responsive). ``checked(str)`` is emitted from that thread and,
    queued, reaches :meth:`_deliver` on the UI thread (this object lives there), which hands
    ``on_result`` the Chinese message when the file is damaged, ``''`` when it is whole or could
    not be read just now."""

    checked = Signal(str)

    def __init__(self, path: Path, on_result: Callable[[str], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.on_result = on_result
        self.worker: threading.Thread | None = None
        from reception.services.startup import BackgroundCheck

        self.check = BackgroundCheck(path)
        self.checked.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @Slot(str)
    def _deliver(self, problem: str) -> None:
        self.on_result(problem)

    def start(self) -> None:
        self.worker = threading.Thread(target=self._run, name="reception-quick-check", daemon=True)
        self.worker.start()

    def _run(self) -> None:
        try:
            problem = self.check.run()
        except Exception:  # a bug here must not take the window down: log it, no verdict
            log.exception("background check failed")
            problem = None
        self.checked.emit(problem or "")

    def stop(self, seconds: float = 30) -> bool:
        """Stop the check (the program is closing: a cold ten-year file takes seconds) and wait
        for the thread; True when it has finished."""
        self.check.stop()
        return self.wait(seconds)

    def wait(self, seconds: float | None = None) -> bool:
        """Join the thread (tests, shutdown); True when it has finished."""
        if self.worker is None:
            return True
        self.worker.join(seconds)
        return not self.worker.is_alive()


class Startup:
    """The explicit start step: everything that may show a dialog happens in :meth:`run`."""

    def __init__(self, app: QApplication, data_dir: Path | DataDir | None) -> None:
        from reception.services.local import DataDir

        self.app = app
        self.data = data_dir if isinstance(data_dir, DataDir) else DataDir(data_dir)
        self.lock: QLockFile | None = None
        self.window: MainWindow | None = None
        self.opened = False  # the database was opened (and is closed cleanly by close())
        self.log_handler: logging.Handler | None = None
        self.crash_hooks: CrashHooks | None = None
        self.watch: DamageWatch | None = None

    def run(self) -> int:
        from reception.clock import Clock
        from reception.errors import ReceptionError
        from ui.widgets import msgbox

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
        with contextlib.suppress(OSError):  # no log file is no reason not to start
            self.log_handler = setup_logging(self.data.logs)
        self.crash_hooks = CrashHooks(self.data.logs)
        self.crash_hooks.install()
        log.info("starting")
        clock = Clock()
        # The login window comes first: shown before the database is checked and opened and
        # before the main window's modules are imported (a slow desk PC's antivirus scans each
        # library as it loads), so the receptionist can type while that work is done.
        early = self._show_login(clock)
        if not self.open_data(title):
            if early is not None:
                early.close()
            return 1
        self.ask_recovery_key(title)
        if os.environ.get("RECEPTION_READY_AT") == "login":  # the benchmark's first start-up row
            QTimer.singleShot(0, self._report_ready)
            self.app.exec()
            return 0
        session = self._log_in(title, clock, early)
        if isinstance(session, int):
            return session
        window = self._show_window(session, clock)
        self.start_background_check()
        if os.environ.get("RECEPTION_READY_EXIT") == "1":
            QTimer.singleShot(0, self._report_ready)
        code = self.app.exec()
        while window.restart_requested:
            # Restored from a backup: nothing on screen (nor the session) belongs to the data
            # now in place. Reopen the database, log in again and show a fresh window.
            window.deleteLater()
            try:
                self._reopen()
            except ReceptionError as exc:
                msgbox.error(None, title, exc.message)
                return 1
            session = self._log_in(title, clock)
            if isinstance(session, int):
                return session
            window = self._show_window(session, clock)
            code = self.app.exec()
        if not window.logged_out:  # closed while locked: logged out here, the drafts kept
            self._logout(window.session, keep_drafts=True)
        return code

    def open_data(self, title: str) -> bool:
        """Open the data folder as the core's diagnosis says: in use → 重试/退出; no access →
        the path and the right; missing or empty with backups → the newest good backup offered;
        damaged → never written, the latest good backup offered. False when the program cannot
        go on."""
        from reception.errors import DamagedDatabase
        from reception.errors import DatabaseBusy
        from reception.errors import DatabaseMissing
        from reception.errors import ReceptionError
        from reception.services import startup
        from ui.widgets import msgbox

        try:
            while True:
                try:
                    startup.open_data_dir(self.data, interactive=True)
                except DatabaseBusy as exc:
                    log.warning("the database is in use by another program at start")
                    if msgbox.retry_or_quit(None, title, exc.message):
                        continue
                    return False
                except DatabaseMissing as exc:
                    log.warning("the database file is missing or empty while backups exist")
                    backup_path = exc.backup if isinstance(exc.backup, Path) else None
                    if not self.restore_latest(title, exc.message, backup_path, search=False):
                        return False
                    self._reopen()
                except DamagedDatabase as exc:
                    log.warning("the database failed its check at start")
                    if not self.restore_latest(title, exc.message):
                        return False
                    self._reopen()
                break
            self.opened = True
        except ReceptionError as exc:
            msgbox.error(None, title, exc.message)
            return False
        except OSError as exc:
            msgbox.error(None, title, _tr("无法打开数据文件夹：%1").replace("%1", str(exc)))
            return False
        return True

    def restore_latest(
        self,
        title: str,
        problem: str,
        path: Path | None = None,
        *,
        search: bool = True,
        parent: QWidget | None = None,
        running: bool = False,
    ) -> bool:
        """Offer the newest backup that passes its check (``path``, when the caller found it
        already and ``search`` is False); True once it is in place. ``running``: damage found in
        the background while the program runs (``parent``: its window), not at start."""
        from reception.clock import Clock
        from reception.errors import ReceptionError
        from reception.services import maintenance
        from ui.widgets import msgbox

        contact = _tr("请联系系统管理员处理。")
        ending = _tr("在恢复之前，程序不会保存任何记录。") if running else _tr("程序将退出。")
        if search:
            path = maintenance.latest_good_backup(self.data)
        if path is None:
            log.warning("no good backup to restore")
            msgbox.error(
                parent, title, problem + "\n\n" + _tr("没有找到可用于恢复的备份。") + ending + contact
            )
            return False
        info = next((b for b in maintenance.list_backups(self.data) if b.path == path), None)
        when = info.created.strftime("%Y-%m-%d %H:%M") if info is not None else path.name
        kind = info.label if info is not None else ""
        question = (
            problem
            + "\n\n"
            + _tr(
                "找到最近一次完好的备份：%1（%2）。\n是否用这份备份恢复数据库？"
                "该备份之后登记的记录将不再显示；损坏的文件会另外保留，不会删除。"
            )
            .replace("%1", when)
            .replace("%2", kind)
        )
        if not msgbox.ask(parent, title, question):
            msgbox.error(parent, title, _tr("数据库未恢复。") + ending + contact)
            return False
        try:
            session = self.window.session if running and self.window is not None else None
            by = session.operator.display_name if session is not None else ""
            maintenance.restore_unusable(self.data, path, Clock().now(), by)
        except (ReceptionError, OSError) as exc:
            log.warning("restore at start failed: %s", type(exc).__name__)
            reason = exc.message if isinstance(exc, ReceptionError) else (exc.strerror or str(exc))
            msgbox.error(parent, title, _tr("恢复未完成：%1\n").replace("%1", reason) + contact)
            return False
        log.info("restored from backup %s at start", path.name)
        msgbox.info(
            parent,
            title,
            _tr("已从 %1 的备份恢复数据库。请核对该时间之后登记的记录，必要时补登。").replace("%1", when),
        )
        return True

    def start_background_check(self) -> DamageWatch | None:
        """After a fast start (the full check was skipped), run it in the background now that
        the window is up."""
        from reception.services import startup

        if self.data.server or not startup.full_check_skipped():
            return None
        self.watch = DamageWatch(self.data.database, self.on_background_check, self.app)
        self.watch.start()
        return self.watch

    def on_background_check(self, problem: str) -> None:
        """On the UI thread: the background check's verdict. Damage → every write refused at
        once, the window says so and offers the latest good backup (the window then closes and
        the operator logs in again on the restored data)."""
        from reception.services import startup

        if not problem:
            return
        startup.refuse_writes(problem)
        window = self.window
        title = _tr("前台接待工作站")
        if window is not None:  # stays in the status bar (other messages come and go beside it)
            from PySide6.QtWidgets import QLabel

            notice = QLabel(_tr("数据库文件已损坏：已停止保存。请从备份恢复。"))
            notice.setObjectName("damagedNotice")
            notice.setStyleSheet(f"color: {palette.FATAL}; font-weight: bold; padding: 0 8px;")
            window.statusBar().addPermanentWidget(notice)
        if self.restore_latest(title, problem, parent=window, running=True) and window is not None:
            window.timer.stop()
            window.changes_timer.stop()
            window.restart_requested = True
            window.close()

    def _reopen(self) -> None:
        """Close and open the database again with the window's lock wait (a restore reopens it
        for the command line's)."""
        from reception.services import startup

        startup.reopen_data_dir(self.data)

    def ask_recovery_key(self, title: str) -> None:
        """The data came from another PC (a restore, a move): this PC lacks the site key, so every
        save would be refused. Ask for the printed recovery key until it is right or declined."""
        from reception.errors import ReceptionError
        from reception.services import auth
        from ui.widgets import msgbox

        prompt = _tr(
            "本机没有此站点的密钥（数据可能是从别的电脑恢复或迁移来的）。\n请输入设置时打印的“恢复密钥”："
        )
        while auth.site_key_missing():
            text = msgbox.ask_text(None, title, prompt)
            if text is None:
                msgbox.error(
                    None,
                    title,
                    _tr("没有恢复密钥时只能查看，不能保存任何记录。请找到恢复密钥后重新启动程序。"),
                )
                return
            try:
                auth.enter_recovery_key(text)
            except ReceptionError as exc:
                prompt = exc.message + "\n" + _tr("请重新输入恢复密钥：")
            else:
                log.info("the site key was restored from the recovery key")

    def _show_login(self, clock):
        """The login window, shown at once (None when the benchmark logs in by itself)."""
        if ":" in os.environ.get("RECEPTION_AUTO_LOGIN", ""):
            return None
        from ui.admin.login_dialog import LoginDialog

        login = LoginDialog(clock)
        login.show()
        self.app.processEvents()  # painted before the database work starts
        return login

    def _log_in(self, title: str, clock: Clock, login: QWidget | None = None) -> Session | int:
        """The session of the first login after opening the data folder, or the program's exit
        code when there is none (set-up or login cancelled: 0; refused: 1, said in a message)."""
        from reception.errors import ReceptionError
        from ui.widgets import msgbox

        try:
            session = self._first_session(clock, login)
        except ReceptionError as exc:
            msgbox.error(None, title, exc.message)
            return 1
        return 0 if session is None else session

    def _show_window(self, session: Session, clock: Clock) -> MainWindow:
        from ui.main_window import MainWindow

        self.window = window = MainWindow(session, clock, data_dir=self.data)
        window.show_at_saved_place()
        window.start()
        return window

    def _first_session(self, clock, login=None):
        from reception.errors import ReceptionError
        from reception.services import auth
        from reception.services import settings as settings_mod

        if not auth.is_set_up():
            if login is not None:  # a new site: the first administrator is made first
                login.close()
                login = None
            from ui.admin.setup_dialog import SetupDialog

            setup = SetupDialog(clock)
            if setup.exec() != SetupDialog.DialogCode.Accepted:
                return None
        auto = os.environ.get("RECEPTION_AUTO_LOGIN", "")
        if ":" in auto:
            username, password = auto.split(":", 1)
            if sys.stdout is not None:  # the benchmark's second start-up row
                print(f"LOGIN {time.monotonic()}", flush=True)
            try:
                return auth.login(username, password, clock)
            except ReceptionError:
                pass  # refused: ask with the dialog after all
        from ui.admin.login_dialog import LoginDialog

        if login is None:
            login = LoginDialog(clock)
        login.set_property_name(settings_mod.load().property_name)
        import ui.main_window  # noqa: F401 — loaded while the receptionist types, not after

        if login.exec() != LoginDialog.DialogCode.Accepted:
            return None
        return login.session

    def _report_ready(self) -> None:
        print(f"READY {time.monotonic()}", flush=True)
        self.app.quit()

    @staticmethod
    def _logout(session, *, keep_drafts: bool = False) -> None:
        from reception.errors import ReceptionError
        from reception.services import auth

        with contextlib.suppress(ReceptionError):
            auth.logout(session, keep_drafts=keep_drafts)

    def close(self) -> None:
        from reception.services import startup
        from ui.visits.card_reader import stop_shared

        stop_shared()  # the card reader's thread, if the 来访 tab started one
        if self.watch is not None:
            self.watch.stop()  # its read-only connection is closed before the file's record
            self.watch = None
        startup.close_database()
        if self.opened:
            if startup.writes_refused() is None:  # a file found damaged gets the full check next time
                startup.mark_clean_exit(self.data)  # the next start can skip the full check
            self.opened = False
        if self.lock is not None:
            self.lock.unlock()
            self.lock = None
        if self.crash_hooks is not None:
            self.crash_hooks.uninstall()
            self.crash_hooks = None
        if self.log_handler is not None:
            remove_logging(self.log_handler)
            self.log_handler = None


def main(data_dir: Path | DataDir | None = None) -> int:
    """The window: what the ``reception`` command runs without arguments."""
    app = create_application()
    start = Startup(app, data_dir)
    try:
        return start.run()
    finally:
        start.close()
