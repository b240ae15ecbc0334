"""The one database object, its pragmas and the write transaction.

``database`` is a peewee ``DatabaseProxy`` bound once by :func:`open_database` (the application
at start-up, each test with a file in ``tmp_path``). Every write goes through :func:`write`, an
``IMMEDIATE`` transaction whose SQLite failures are turned into a :class:`StorageError` with the
real cause in Chinese."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import peewee

from reception.errors import StorageError

database = peewee.DatabaseProxy()

# WAL + synchronous=FULL: a transaction reported as committed survives a crash or power cut.
# (synchronous=0, once suggested by peewee's docs, can corrupt the file on power loss.)
PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": 2,  # FULL
    "foreign_keys": 1,
    "busy_timeout": 5000,
    "secure_delete": 1,  # purged personal data does not linger in free pages
    "cache_size": -16000,
}


def open_database(path: Path | str) -> peewee.SqliteDatabase:
    """Open (creating if needed) the SQLite file, bind the proxy and return the database.
    Migrations are applied separately by :func:`reception.migrations.migrate`."""
    db = peewee.SqliteDatabase(str(path), pragmas=PRAGMAS, lock_type="IMMEDIATE", timeout=5)
    database.initialize(db)
    db.connect(reuse_if_open=True)
    return db


def current() -> peewee.Database:
    """The open database behind the proxy."""
    if database.obj is None:
        raise StorageError("数据库尚未打开。", retryable=False)
    return database.obj


def close_database() -> None:
    if database.obj is not None and not database.is_closed():
        database.close()


def _sqlite_cause(exc: BaseException) -> BaseException:
    """The deepest sqlite3 error in the chain (SQLite may roll back by itself on SQLITE_FULL,
    after which peewee only reports 'cannot rollback - no transaction is active')."""
    seen: BaseException | None = exc
    best: BaseException = exc
    while seen is not None:
        if isinstance(seen, sqlite3.Error | peewee.DatabaseError | peewee.OperationalError):
            best = seen
            if "no transaction is active" not in str(seen):
                return seen
        seen = seen.__cause__ or seen.__context__
    return best


def translate_error(exc: BaseException) -> StorageError:
    cause = _sqlite_cause(exc)
    text = str(cause).lower()
    code = getattr(cause, "sqlite_errorcode", None)
    if "database or disk is full" in text or code == 13:
        return StorageError(
            "磁盘空间不足，记录未保存。请清理磁盘或联系管理员后重试，已填写的内容仍保留在表单中。"
        )
    if "readonly" in text or "read-only" in text or code == 8:
        return StorageError("数据库为只读，记录未保存。请检查数据文件夹的权限后重试。")
    if "locked" in text or "busy" in text or code in (5, 6):
        return StorageError("数据库正被其他程序占用，记录未保存。请稍后重试。")
    if "malformed" in text or "not a database" in text or code in (11, 26):
        return StorageError("数据库文件已损坏，记录未保存。请联系管理员从备份恢复。", retryable=False)
    if "disk i/o" in text or code == 10:
        return StorageError("读写磁盘出错，记录未保存。请检查磁盘后重试。")
    return StorageError(f"保存失败：{cause}", retryable=False)


_interactive_wait_ms: int | None = None


def set_interactive_wait(milliseconds: int | None) -> None:
    """How long a write started from the window waits for another program's write lock before
    reporting "busy" (so the window never freezes for the full busy timeout). ``None``: the
    connection's busy timeout (5 s), used by the command line."""
    global _interactive_wait_ms
    _interactive_wait_ms = milliseconds


@contextmanager
def _lock_wait() -> Iterator[None]:
    wait = _interactive_wait_ms
    if wait is None or database.in_transaction():
        yield
        return
    database.execute_sql(f"PRAGMA busy_timeout = {int(wait)}")
    try:
        yield
    finally:
        database.execute_sql(f"PRAGMA busy_timeout = {PRAGMAS['busy_timeout']}")


@contextmanager
def write() -> Iterator[None]:
    """One IMMEDIATE transaction. On a SQLite failure the transaction is rolled back and a
    :class:`StorageError` with the real cause is raised; domain errors pass through unchanged."""
    try:
        with _lock_wait(), database.atomic():
            yield
    except (sqlite3.Error, peewee.DatabaseError, peewee.OperationalError, peewee.InterfaceError) as exc:
        if isinstance(exc, peewee.IntegrityError):
            raise
        raise translate_error(exc) from exc
    except UnicodeEncodeError as exc:  # a lone surrogate that escaped validation
        raise StorageError("含有无法保存的字符，记录未保存。", retryable=False) from exc
