"""Opening a data folder: the one place that binds the database, checks it and migrates it.
Used by the window and by every command-line command.

The check at start: a full ``PRAGMA quick_check`` reads the whole file (1.3 s with the page
cache warm, 3–11 s cold, for ten years of records), so it is run only when it can find
something. When the window shuts down cleanly it writes a small record of the closed file
(:func:`mark_clean_exit`: size, modification time and SQLite's change counter); the next start
consumes that record. If the record is there and still describes the file exactly, and no
write-ahead log was left behind, the file has not been touched since a clean shutdown and a
cheap check suffices (the header, and the schema read through SQLite). In every other case —
a crash or power cut during the previous run, a command-line run, a file copied or restored
into the folder, a changed or missing record — the full ``quick_check`` runs, and a damaged file
is refused (:class:`DamagedDatabase`) so it is never written and the latest good backup can be
restored. Every backup also runs a full ``quick_check`` of the open database first.

Diagnose before prescribing: only a readable file whose check fails is called damaged
(:class:`DamagedDatabase`, the one case where a restore is offered). A file another program holds
locked is :class:`DatabaseBusy` (wait and retry); a folder or file this account may not read or
write is :class:`NoAccess` (its path and the missing right); a missing or empty file while the
backups folder holds this site's backups is :class:`DatabaseMissing` (the newest good backup is
offered, never first-run set-up over them). The window and the command line get the same errors
from :func:`open_data_dir` (:func:`diagnose` gives the reason without opening anything).

After the fast start the full check still runs, in the background (:func:`background_check`,
used by the window); if it finds damage the window stops all writes (``db.refuse_writes``)."""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import sqlite3
import tempfile
import threading
from collections.abc import Callable
from datetime import datetime
from datetime import timedelta
from pathlib import Path

import peewee

from reception.clock import Clock
from reception.clock import system_utc
from reception.errors import DamagedDatabase
from reception.errors import DatabaseBusy
from reception.errors import DatabaseMissing
from reception.errors import NoAccess
from reception.errors import ReceptionError
from reception.errors import StorageError
from reception.store import backup
from reception.store import config
from reception.store import db
from reception.store import desk
from reception.store import files
from reception.store.migrations import migrate
from reception.store.paths import DataDir

log = logging.getLogger(__name__)

CLEAN_EXIT_SUFFIX = ".clean-exit"
_HEADER_MAGIC = b"SQLite format 3\x00"


def _clean_exit_file(data: DataDir) -> Path:
    return data.database.with_name(data.database.name + CLEAN_EXIT_SUFFIX)


def _fingerprint(path: Path) -> dict[str, int] | None:
    """Size, modification time and the header's file change counter (bytes 24–27), or None
    when the file cannot be read or has no SQLite header."""
    try:
        stat = path.stat()
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError:
        return None
    if len(header) < 100 or not header.startswith(_HEADER_MAGIC):
        return None
    return {
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "change_counter": int.from_bytes(header[24:28], "big"),
    }


def mark_clean_exit(data: DataDir) -> bool:
    """Record that the database was closed cleanly (call after closing it). Returns False
    (and records nothing) if the file is still being written: a write-ahead log is left."""
    record = _clean_exit_file(data)
    wal = data.database.with_name(data.database.name + "-wal")
    try:
        if wal.exists() and wal.stat().st_size > 0:
            return False
        fingerprint = _fingerprint(data.database)
        if fingerprint is None:
            return False
        tmp = record.with_name(record.name + ".tmp")
        tmp.write_text(json.dumps(fingerprint), encoding="utf-8")
        os.replace(tmp, record)
    except OSError:
        return False
    return True


def _take_clean_exit(data: DataDir) -> dict[str, int] | None:
    """The record of the last clean exit, removed as it is read (a crash of this run must not
    leave it behind)."""
    record = _clean_exit_file(data)
    try:
        text = record.read_text(encoding="utf-8")
    except OSError:
        return None
    try:
        record.unlink()
    except OSError:
        return None  # cannot consume it: do not trust it either
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


# SQLite's primary result codes that say nothing about the file's contents.
_BUSY_CODES = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED
_ACCESS_CODES = {3, 8, 14, 23}  # SQLITE_PERM, SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_AUTH
_IOERR = 10
_INTERRUPT = 9  # SQLITE_INTERRUPT: a check stopped on purpose (the program is closing)
_SHARING_VIOLATION = (32, 33)  # Windows: the file is open in another program without sharing
# How long the check at start waits for another program's lock before saying the file is in use.
BUSY_WAIT_SECONDS = 5.0


def busy_error(path: Path) -> DatabaseBusy:
    return DatabaseBusy(
        f"数据库文件正被另一个程序占用：{path}。可能是另一台电脑或另一个程序（备份、同步或杀毒软件）"
        "正在使用它。请关闭该程序后重试；数据没有损坏，不需要从备份恢复。"
    )


def access_error(path: Path, right: str, *, folder: bool, read_only_medium: bool = False) -> NoAccess:
    """``right``: 读 or 写."""
    what = "文件夹" if folder else "文件"
    if read_only_medium:
        reason = f"该{what}所在的磁盘或共享是只读的"
    else:
        reason = f"当前登录的电脑账号没有该{what}的{'读取' if right == '读' else '写入'}权限"
    return NoAccess(
        f"无法使用数据{what}：{path}。{reason}（程序需要读和写）。请让管理员开放权限，"
        "或换一个数据文件夹；数据没有损坏，不需要从备份恢复。",
        path,
        right,
    )


def _classify(exc: BaseException, path: Path) -> StorageError | None:
    """The error for a SQLite failure that is not about the file's contents (in use by another
    program, no access, a disk error), or None: the contents are at fault."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(exc).lower()
    if primary in _BUSY_CODES or (primary is None and ("locked" in text or "busy" in text)):
        return busy_error(path)
    if primary in _ACCESS_CODES or (
        primary is None and ("unable to open" in text or "readonly" in text or "read-only" in text)
    ):
        return access_error(path, "写" if primary == 8 or "readonly" in text else "读", folder=False)
    if primary == _INTERRUPT or "interrupted" in text:
        return StorageError("数据库检查已中断。")
    if primary == _IOERR or "disk i/o" in text:
        return StorageError(f"读取数据库文件时磁盘出错：{path}。请检查磁盘或联系管理员后重试。")
    return None


def _run_check(
    path: Path,
    statements: tuple[str, ...],
    stop: Callable[[], bool] | None = None,
    connected: Callable[[sqlite3.Connection], None] | None = None,
) -> str:
    """``'ok'`` or the problem the statements find, through a read-only connection. Raises
    :class:`DatabaseBusy` / :class:`NoAccess` / :class:`StorageError` when SQLite could not read
    the file at all for a reason that is not its contents, or was stopped (``stop()`` true, or
    ``interrupt()`` on the connection handed to ``connected``)."""
    try:
        con = sqlite3.connect(files.sqlite_uri(path), uri=True, timeout=BUSY_WAIT_SECONDS)
        if stop is not None:
            con.set_progress_handler(lambda: int(bool(stop())), 1000)
        if connected is not None:
            connected(con)
        try:
            result = "ok"
            for statement in statements:
                row = con.execute(statement).fetchone()
                if statement.startswith("PRAGMA quick_check"):
                    result = str(row[0]) if row else "empty result"
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        problem = _classify(exc, path)
        if problem is not None:
            raise problem from exc
        return str(exc)
    return result


def _cheap_check(path: Path) -> str:
    """``'ok'`` or a problem: the header, then SQLite reads the schema (every table's
    definition) — milliseconds, whatever the size of the file."""
    return _run_check(path, ("SELECT count(*), max(rootpage) FROM sqlite_master", "PRAGMA schema_version"))


def _full_check(path: Path) -> str:
    return _run_check(path, ("PRAGMA quick_check",))


def _os_access_error(exc: OSError, path: Path, right: str, *, folder: bool) -> StorageError:
    if getattr(exc, "winerror", None) in _SHARING_VIOLATION:
        return busy_error(path)
    return access_error(path, right, folder=folder, read_only_medium=exc.errno == errno.EROFS)


def check_access(data: DataDir) -> StorageError | None:
    """Can this account read and write the data folder and the database file? Tried for real
    (permissions, ACLs, a read-only disk or share all show the same way), nothing left behind."""
    root = data.root
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return _os_access_error(exc, root, "写", folder=True)
    try:
        os.listdir(root)
    except OSError as exc:
        return _os_access_error(exc, root, "读", folder=True)
    try:
        handle, probe = tempfile.mkstemp(prefix=".write-test-", dir=root)
        os.close(handle)
        os.unlink(probe)
    except OSError as exc:
        return _os_access_error(exc, root, "写", folder=True)
    path = data.database
    if not path.exists():
        return None
    for mode, right in (("rb", "读"), ("r+b", "写")):
        try:
            with path.open(mode):
                pass
        except IsADirectoryError:
            return NoAccess(f"数据库的位置是一个文件夹，不是文件：{path}。请联系管理员。", path, right)
        except OSError as exc:
            return _os_access_error(exc, path, right, folder=False)
    return None


def _is_empty(path: Path) -> bool:
    try:
        return path.stat().st_size == 0
    except FileNotFoundError:
        return True


def _missing(data: DataDir) -> DatabaseMissing | None:
    """A missing or empty database file in a folder whose backups/ holds this site's backups
    (None: there are none, a new site)."""
    found = backup.list_backups(data.backups)
    if not found:
        return None
    from reception.store.migrations import LATEST

    state = "不存在" if not data.database.exists() else "是空的（0 字节）"
    head = (
        f"数据库文件{state}：{data.database}，但备份文件夹中有本站的 {len(found)} 份备份。"
        "为免覆盖已有数据，程序不会新建空数据库。"
    )
    for info in found:
        try:
            backup.check_restorable(info.path, LATEST)
        except ReceptionError:
            continue
        return DatabaseMissing(head + f"可以用最近一次完好的备份恢复：{info.path.name}。", info.path)
    return DatabaseMissing(head + "这些备份都没有通过检查，请联系系统管理员。", None)


CLOCK_WARNING = timedelta(minutes=1)


def server_clock_offset(local_utc: Callable[[], datetime] = system_utc) -> timedelta:
    """The server's clock minus this PC's (naive UTC both; the PC's reading is taken halfway
    through the round trip)."""
    before = local_utc()
    server_now = db.current().execute_sql("SELECT now() AT TIME ZONE 'UTC'").fetchone()[0]
    after = local_utc()
    return server_now - (before + (after - before) / 2)


def follow_server_clock(local_utc: Callable[[], datetime] = system_utc) -> timedelta:
    """Desks on one server stamp records with the server's time (their own clocks may be
    minutes apart, which would shuffle the order of records and the day serial numbers count
    in). Returns the offset; more than a minute is logged for the administrator to fix."""
    offset = server_clock_offset(local_utc)
    Clock.offset = offset
    if abs(offset) > CLOCK_WARNING:
        log.warning("this PC's clock differs from the database server's by %d s", offset.total_seconds())
    return offset


_full_check_skipped = False


def full_check_skipped() -> bool:
    """True when the last start took the fast path (the clean-exit record matched): the window
    then runs the full check in the background (:func:`background_check`)."""
    return _full_check_skipped


def check_at_start(data: DataDir) -> str:
    """``'ok'`` or the problem found: the cheap check after a clean exit that left the file as
    recorded, the full ``quick_check`` otherwise (or when the cheap check fails). Raises
    :class:`DatabaseBusy` / :class:`NoAccess` when the file could not be read at all."""
    global _full_check_skipped
    _full_check_skipped = False
    previous = _take_clean_exit(data)
    wal = data.database.with_name(data.database.name + "-wal")
    wal_left = wal.exists() and wal.stat().st_size > 0
    current = _fingerprint(data.database)
    if previous is not None and not wal_left and current is not None and current == previous:
        result = _cheap_check(data.database)
        if result == "ok":
            _full_check_skipped = True
            return result
    return _full_check(data.database)


def damaged_message(problem: str) -> str:
    return (
        f"数据库文件检查未通过（{problem}）。为防止数据进一步损坏，程序不会写入它；"
        "请从最近一次完好的备份恢复。"
    )


def diagnose(data: DataDir) -> StorageError | None:
    """Why the data folder's SQLite file cannot be used as it is — :class:`NoAccess`,
    :class:`DatabaseBusy`, :class:`DatabaseMissing`, :class:`DamagedDatabase` (only this one
    means the contents are bad) or another :class:`StorageError` — or None (a new site's empty
    folder included) — or a :class:`StorageError` for a folder on a network share or in a sync
    client's folder, where SQLite would be damaged silently. Consumes the clean-exit record (see
    :func:`check_at_start`)."""
    from reception.store.location import shared_location

    shared = shared_location(data.root)
    if shared is not None:
        return StorageError(shared)
    problem = check_access(data)
    if problem is not None:
        return problem
    if _is_empty(data.database):
        _take_clean_exit(data)
        return _missing(data)
    try:
        result = check_at_start(data)
    except StorageError as exc:
        return exc
    return None if result == "ok" else DamagedDatabase(damaged_message(result))


def background_check(
    path: Path,
    stop: Callable[[], bool] | None = None,
    connected: Callable[[sqlite3.Connection], None] | None = None,
) -> str | None:
    """The full ``quick_check`` through its own read-only connection (call it off the UI thread,
    after a fast start). The Chinese message when the file is damaged; None when it is whole —
    or when it could not be read just now (in use, a disk hiccup) or was stopped because the
    program is closing (``stop()`` true before it started, or ``interrupt()`` on the connection
    given to ``connected``): no verdict, nothing refused."""
    try:
        result = _run_check(path, ("PRAGMA quick_check",), stop, connected)
    except StorageError as exc:
        log.warning("the background check could not read the database: %s", type(exc).__name__)
        return None
    if result == "ok":
        return None
    log.warning("the background check found the database damaged")
    return (
        f"后台检查发现数据库文件已损坏（{result}）。为防止损坏扩大，程序已停止保存任何记录；"
        "请从最近一次完好的备份恢复。"
    )


class BackgroundCheck:
    """:func:`background_check` as a job for another thread that the UI thread can stop at any
    moment (the program is closing): :meth:`stop` interrupts SQLite on the check's connection."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stopping = threading.Event()
        self._connection: sqlite3.Connection | None = None

    def run(self) -> str | None:
        """In the worker thread: the damage message or None (see :func:`background_check`)."""
        return background_check(self.path, self._stopping.is_set, self._connected)

    def _connected(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def stop(self) -> None:
        """From any thread: the check ends within milliseconds with no verdict."""
        self._stopping.set()
        connection = self._connection
        if connection is not None:
            with contextlib.suppress(sqlite3.ProgrammingError):  # already closed: finished
                connection.interrupt()  # SQLite allows this from another thread


def refuse_if_unusable(data: DataDir) -> None:
    """Before replacing a database that could not be opened: raise when it is only in use by
    another program or out of this account's reach (setting it aside as damaged would be wrong)."""
    problem = check_access(data)
    if problem is None and not _is_empty(data.database):
        try:
            _cheap_check(data.database)
        except StorageError as exc:
            problem = exc
    if problem is not None:
        raise problem


_opened: tuple[peewee.Database, DataDir] | None = None


def remember_data_dir(database: peewee.Database, data: DataDir) -> None:
    """Record the data folder that goes with ``database`` (done by :func:`open_data_dir`; a
    server database opened directly, as in the tests, says it here)."""
    global _opened
    _opened = (database, data)


def open_data_dir(data: DataDir, *, interactive: bool = False) -> peewee.Database:
    """Create the folders, check an existing file, open it and bring its schema up to date; set
    this desk's name from the folder's local settings. With a server address (``--database`` or
    ``reception.ini``) the folder keeps logs, archive copies and attachments and the database
    is the server's (the file checks are the server's business then).

    Raises the errors of :func:`diagnose` (a file in use, no access, a missing file with backups,
    a damaged file) and :class:`SchemaTooNew` for a database written by a newer program.
    ``interactive``: the window's writes wait at most 0.8 s for another program's lock before
    saying the database is busy (the window must not freeze)."""
    server = data.server
    if not server:
        problem = diagnose(data)
        if problem is not None:
            raise problem
    try:
        data.ensure()
    except OSError as exc:
        raise _os_access_error(exc, data.root, "写", folder=True) from exc
    desk.set_name(config.load(data.root).desk)
    if server:
        database = db.open_database(server)
        db.set_interactive_wait(800 if interactive else None)
        try:
            migrate(database)
            follow_server_clock()
        except Exception:
            db.close_database()
            raise
        remember_data_dir(database, data)
        return database
    backup.remove_stale_temps(data.backups)
    backup.remove_restore_temp(data.database, older_than=backup.STALE_TEMP_SECONDS)
    try:
        database = db.open_database(data.database)
        db.set_interactive_wait(800 if interactive else None)
        migrate(database, backup_dir=data.backups)
    except (sqlite3.Error, peewee.DatabaseError) as exc:
        db.close_database()
        raise (_classify(exc, data.database) or db.translate_error(exc)) from exc
    except Exception:
        db.close_database()
        raise
    remember_data_dir(database, data)
    return database


def current_data_dir() -> DataDir:
    """The data folder opened by :func:`open_data_dir` (or, for a database opened directly,
    the folder its file lives in)."""
    if _opened is not None and _opened[0] is db.database.obj:
        return _opened[1]
    name = str(getattr(db.current(), "database", "") or "")
    return DataDir(Path(name).resolve().parent if name and name != ":memory:" else Path.cwd())
