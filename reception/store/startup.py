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
restored. Every backup also runs a full ``quick_check`` of the open database first."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import peewee

from reception.clock import Clock, system_utc
from reception.errors import DamagedDatabase
from reception.store import config, db, desk, files
from reception.store.backup import check_file
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


def _cheap_check(path: Path) -> str:
    """``'ok'`` or a problem: the header, then SQLite reads the schema (every table's
    definition) — milliseconds, whatever the size of the file."""
    try:
        con = sqlite3.connect(files.sqlite_uri(path), uri=True)
        try:
            con.execute("SELECT count(*), max(rootpage) FROM sqlite_master").fetchone()
            con.execute("PRAGMA schema_version").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return "ok"


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


def check_at_start(data: DataDir) -> str:
    """``'ok'`` or the problem found: the cheap check after a clean exit that left the file as
    recorded, the full ``quick_check`` otherwise (or when the cheap check fails)."""
    previous = _take_clean_exit(data)
    wal = data.database.with_name(data.database.name + "-wal")
    wal_left = wal.exists() and wal.stat().st_size > 0
    current = _fingerprint(data.database)
    if previous is not None and not wal_left and current is not None and current == previous:
        result = _cheap_check(data.database)
        if result == "ok":
            return result
    return check_file(data.database)


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

    Raises :class:`StorageError` for a damaged file and :class:`SchemaTooNew` for a database
    written by a newer program. ``interactive``: the window's writes wait at most 0.8 s for
    another program's lock before saying the database is busy (the window must not freeze)."""
    data.ensure()
    desk.set_name(config.load(data.root).desk)
    server = data.server
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
    if data.database.exists() and data.database.stat().st_size > 0:
        result = check_at_start(data)
        if result != "ok":
            raise DamagedDatabase(
                f"数据库文件检查未通过（{result}）。为防止数据进一步损坏，程序不会写入它；"
                "请从最近一次完好的备份恢复。"
            )
    else:
        _take_clean_exit(data)
    database = db.open_database(data.database)
    db.set_interactive_wait(800 if interactive else None)
    try:
        migrate(database, backup_dir=data.backups)
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
