"""The one database object, its pragmas and the write transaction.

``database`` is a peewee ``DatabaseProxy`` bound once by :func:`open_database` (the application
at start-up, each test with a file in ``tmp_path`` or a fresh database on a test server). The
default is a SQLite file in the data folder; a ``postgresql://user@host/dbname`` address opens a
PostgreSQL server shared by several desks instead. Every write goes through :func:`write`: on
SQLite an ``IMMEDIATE`` transaction, on PostgreSQL a transaction that first takes the site-wide
write lock (an advisory lock), so writes from several desks are serialised exactly as on one
SQLite file — the serial counters, the audit chain and the optimistic versions then behave the
same on both. Failures of either are turned into a :class:`StorageError` with the real cause in
Chinese."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
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


# The PostgreSQL advisory lock every write transaction takes (an arbitrary constant: "RCPT").
WRITE_LOCK_KEY = 0x52435054


def is_server_address(target: Path | str) -> bool:
    """True for a ``postgresql://`` (or ``postgres://``) address, False for a file path."""
    return isinstance(target, str) and target.split("://", 1)[0].lower() in {"postgresql", "postgres"}


def display_address(address: str) -> str:
    """The address without its password, for windows and logs."""
    scheme, _, rest = address.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not at:
        return address
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}@{host}"


class ServerDatabase(peewee.PostgresqlDatabase):
    """A PostgreSQL database that reconnects, between transactions, after the server dropped the
    connection (a restart, a network cut): the save that met the dead connection reports it
    (nothing is half-written: the server rolled it back), the next action simply works again."""

    def _lost(self) -> bool:
        """The connection was open and the driver has since found it dead."""
        connection = None if self.is_closed() else self._state.conn  # type: ignore[attr-defined]
        return connection is not None and bool(getattr(connection, "closed", False))

    def cursor(self, named_cursor: object = None) -> object:
        if self._lost() and not self.in_transaction():
            self.dispose()  # forget the dead connection; the cursor below opens a new one
        return super().cursor(named_cursor)

    def execute_sql(self, sql: str, params: object = None, *args: object, **kwargs: object) -> object:
        try:
            return super().execute_sql(sql, params, *args, **kwargs)
        except (peewee.OperationalError, peewee.InterfaceError):
            if self.in_transaction() or not self._lost():
                raise
            # Outside a transaction (a read: every write runs in db.write()): once more on a
            # new connection.
            self.dispose()
            return super().execute_sql(sql, params, *args, **kwargs)


def _open_postgres(address: str) -> peewee.PostgresqlDatabase:
    from playhouse.db_url import parse

    try:
        params = parse(address)
    except Exception as exc:
        raise StorageError(f"数据库地址无法识别：{display_address(address)}", retryable=False) from exc
    name = params.pop("database", None)
    if not name:
        raise StorageError("数据库地址缺少数据库名，例如 postgresql://用户@服务器/reception", retryable=False)
    params.setdefault("connect_timeout", 5)
    # A dead network path is noticed within ~10 s instead of the system's TCP timeout (minutes):
    # the window's periodic check for other desks' changes must never hang on it.
    params.setdefault("keepalives", 1)
    params.setdefault("keepalives_idle", 5)
    params.setdefault("keepalives_interval", 2)
    params.setdefault("keepalives_count", 3)
    params.setdefault("application_name", "reception")
    return ServerDatabase(name, **params)


def _connect_error(address: str, exc: BaseException) -> StorageError:
    """Why the server could not be reached, in Chinese (the driver's reasons are English)."""
    code = _pg_code(exc) or ""
    text = str(exc).lower()
    where = display_address(address)
    if "password authentication failed" in text or ("role" in text and "does not exist" in text):
        return StorageError(
            f"数据库服务器拒绝登录（{where}）：账号或密码有误。请联系管理员。", retryable=False
        )
    if "database" in text and "does not exist" in text:
        return StorageError(
            f"数据库服务器上没有这个数据库（{where}）。请检查地址或联系管理员。", retryable=False
        )
    if "no pg_hba.conf entry" in text:
        return StorageError(
            f"数据库服务器不允许本机连接（{where}）。请联系管理员（pg_hba.conf）。", retryable=False
        )
    if code.startswith("08") or not code:
        return StorageError(f"无法连接数据库服务器（{where}）。请检查网络和服务器是否开启，或联系管理员。")
    return translate_error(exc)


def open_database(target: Path | str) -> peewee.Database:
    """Open the SQLite file (creating it if needed) or connect to the PostgreSQL server of a
    ``postgresql://`` address, bind the proxy and return the database. Migrations are applied
    separately by :func:`reception.store.migrations.migrate`."""
    global _address
    _address = str(target)
    db: peewee.Database
    if is_server_address(target):
        db = _open_postgres(str(target))
        database.initialize(db)
        try:
            db.connect(reuse_if_open=True)
        except (peewee.DatabaseError, peewee.InterfaceError) as exc:
            raise _connect_error(str(target), exc) from exc
        return db
    db = peewee.SqliteDatabase(str(target), pragmas=PRAGMAS, lock_type="IMMEDIATE", timeout=5)
    database.initialize(db)
    db.connect(reuse_if_open=True)
    return db


_address = ""


def address() -> str:
    """What :func:`open_database` opened last: the file's path or the server's address (with
    its password, if it had one: never show or log it — see :func:`display_address`)."""
    return _address


def is_postgres(db: peewee.Database | None = None) -> bool:
    """True when the open database (or ``db``) is a PostgreSQL server."""
    target = db if db is not None else database.obj
    return isinstance(target, peewee.PostgresqlDatabase)


def sql(statement: str, db: peewee.Database | None = None) -> str:
    """A hand-written statement with ``?`` placeholders in the open database's parameter style
    (``%s`` for PostgreSQL)."""
    target = db if db is not None else current()
    return statement if target.param == "?" else statement.replace("?", target.param)


def current() -> peewee.Database:
    """The open database behind the proxy."""
    if database.obj is None:
        raise StorageError("数据库尚未打开。", retryable=False)
    return database.obj


def close_database() -> None:
    if database.obj is not None and not database.is_closed():
        database.close()


def _pg_code(exc: BaseException) -> str | None:
    seen: BaseException | None = exc
    while seen is not None:
        code = getattr(seen, "pgcode", None)
        if code:
            return str(code)
        seen = seen.__cause__ or seen.__context__
    return None


def _is_pg_error(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if type(seen).__module__.startswith("psycopg"):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _translate_pg(exc: BaseException) -> StorageError:
    code = _pg_code(exc) or ""
    text = str(exc).lower()
    if code in {"55P03", "40P01", "40001"} or "lock timeout" in text:
        return StorageError("另一台前台正在保存，记录未保存。请稍后重试，已填写的内容仍保留在表单中。")
    if code == "53100":
        return StorageError("数据库服务器磁盘空间不足，记录未保存。请联系管理员后重试。")
    if code == "25006":
        return StorageError("数据库服务器为只读，记录未保存。请联系管理员。")
    if code.startswith("28") or code == "42501":
        return StorageError(
            "数据库服务器拒绝了此账号（用户名、密码或权限有误）。请联系管理员。", retryable=False
        )
    if code.startswith("08") or not code:
        return StorageError(
            "无法连接数据库服务器，记录未保存。请检查网络或联系管理员后重试，已填写的内容仍保留在表单中。"
        )
    return StorageError(f"保存失败：{exc}", retryable=False)


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
    if _is_pg_error(exc):
        return _translate_pg(exc)
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
    if wait is None or database.in_transaction() or is_postgres():
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
    outermost = not database.in_transaction()
    try:
        with _translated():
            yield
    except BaseException:
        if outermost:
            _run_hooks(_rollback_hooks)
        raise
    if outermost:
        _run_hooks(_commit_hooks)


_commit_hooks: list[Callable[[], None]] = []
_rollback_hooks: list[Callable[[], None]] = []


def on_transaction_end(committed: Callable[[], None], rolled_back: Callable[[], None]) -> None:
    """Run ``committed`` after each outermost :func:`write` commits, ``rolled_back`` after one
    fails (the audit log keeps its head outside the data folder this way)."""
    if committed not in _commit_hooks:
        _commit_hooks.append(committed)
        _rollback_hooks.append(rolled_back)


def _run_hooks(hooks: list[Callable[[], None]]) -> None:
    for hook in hooks:
        hook()


@contextmanager
def _translated() -> Iterator[None]:
    try:
        with _lock_wait(), database.atomic():
            if is_postgres():
                _take_write_lock()
            yield
    except (sqlite3.Error, peewee.DatabaseError, peewee.OperationalError, peewee.InterfaceError) as exc:
        if isinstance(exc, peewee.IntegrityError):
            raise
        raise translate_error(exc) from exc
    except UnicodeEncodeError as exc:  # a lone surrogate that escaped validation
        raise StorageError("含有无法保存的字符，记录未保存。", retryable=False) from exc


_lock_held_by: object | None = None  # the outermost transaction that holds the write lock


def _take_write_lock() -> None:
    """PostgreSQL: wait for the site-wide write lock (held until this transaction ends). Taken
    once per transaction: a nested write or the audit entry inside it costs no round trip. From
    the window the wait is as short as SQLite's, so a busy server never freezes it."""
    global _lock_held_by
    state = getattr(database.obj, "_state", None)
    stack = getattr(state, "transactions", None) or [None]
    outermost = stack[0]
    if outermost is not None and outermost is _lock_held_by:
        return
    if _interactive_wait_ms is None:
        database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))
    else:  # one round trip: a bounded wait for the lock, then no bound for the rest
        database.execute_sql(
            f"SET LOCAL lock_timeout = {int(_interactive_wait_ms)}; "
            "SELECT pg_advisory_xact_lock(%s); SET LOCAL lock_timeout = 0",
            (WRITE_LOCK_KEY,),
        )
    _lock_held_by = outermost


def take_write_lock() -> None:
    """Inside a transaction: take the PostgreSQL write lock (nothing to do on SQLite, whose
    IMMEDIATE transactions already hold the file's write lock)."""
    if is_postgres():
        _take_write_lock()
