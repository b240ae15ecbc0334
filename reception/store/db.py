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

import select
import sqlite3
import time
import weakref
from collections.abc import Callable
from collections.abc import Iterator
from contextlib import contextmanager
from contextlib import suppress
from pathlib import Path
from typing import Any

import peewee

from reception.errors import DamagedDatabase
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


# How long the program waits for the database server to answer one request (connecting, a
# statement, a commit) before it gives up with "服务器无响应": a frozen server (a stopped process,
# a hung machine whose kernel still answers TCP) is noticed here, where neither TCP keepalives
# nor tcp_user_timeout can see it. The server's own statement_timeout is shorter, so a statement
# that is merely slow is cancelled by the server (the connection stays usable) before the
# program gives up on it. Long jobs (migrations, moving a site to a server) lift both limits
# with :func:`without_time_limit`.
RESPONSE_LIMIT_S = 4.0
STATEMENT_TIMEOUT_MS = 3000
_response_limit: float | None = RESPONSE_LIMIT_S


class ServerNotResponding(Exception):
    """The server did not answer within :data:`RESPONSE_LIMIT_S` (raised from the driver's wait
    callback; the driver then closes the connection, and the next action opens a new one)."""


def _wait_for_server(connection: Any) -> None:
    """psycopg2's wait callback: the driver's own loop (``psycopg2.extras.wait_select``) with a
    deadline. Installed once a server database is opened; it bounds every request of the
    program's own connections (:class:`ServerDatabase`) by ``_response_limit``."""
    import psycopg2.extensions as pgext

    limit = _response_limit if (_connecting or connection in _own_connections) else None
    deadline = None if limit is None else time.monotonic() + limit
    while True:
        state = connection.poll()
        if state == pgext.POLL_OK:
            return
        left = None if deadline is None else deadline - time.monotonic()
        if left is not None and left <= 0:
            raise ServerNotResponding(f"no answer from the server within {limit} s")
        try:
            if state == pgext.POLL_READ:
                select.select([connection.fileno()], [], [], left)
            elif state == pgext.POLL_WRITE:
                select.select([], [connection.fileno()], [], left)
            else:  # pragma: no cover - the driver only returns the states above
                raise pgext.OperationalError(f"bad state from poll: {state}")
        except KeyboardInterrupt:
            connection.cancel()
            continue


# The program's own server connections (and the one being opened): only these are bounded —
# another psycopg2 connection in the process (an administrator's tool, a test's) waits as usual.
_own_connections: weakref.WeakSet[Any] = weakref.WeakSet()
_connecting = False


def _install_wait_callback() -> None:
    import psycopg2.extensions as pgext

    if pgext.get_wait_callback() is not _wait_for_server:
        pgext.set_wait_callback(_wait_for_server)


@contextmanager
def without_time_limit(target: peewee.Database | None = None) -> Iterator[None]:
    """Lift the response limit and the server's statement timeout (of ``target``, default the
    open database) for a long job — a migration, moving a site to a server; restored after."""
    global _response_limit
    previous = _response_limit
    on = target if target is not None else database.obj
    server = on is not None and is_postgres(on)
    _response_limit = None
    try:
        if server:
            on.execute_sql("SET statement_timeout = 0")
        yield
    finally:
        _response_limit = previous
        if server:
            with suppress(StorageError):  # a new connection starts with the limit anyway
                on.execute_sql(f"SET statement_timeout = {STATEMENT_TIMEOUT_MS}")


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception and every cause and context behind it (each once)."""
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        item = todo.pop(0)
        if id(item) in seen:
            continue
        seen.add(id(item))
        yield item
        for linked in (item.__cause__, item.__context__, getattr(item, "orig", None)):
            if isinstance(linked, BaseException):
                todo.append(linked)


class CommitUnknown(peewee.OperationalError):
    """The server stopped answering (or the connection broke) after COMMIT was sent: the save
    may or may not have been kept — the server may still finish it."""


def _timed_out(exc: BaseException) -> bool:
    return any(isinstance(item, ServerNotResponding) for item in _chain(exc))


class DatabaseFailure(StorageError, peewee.OperationalError):
    """A database failure already put into the program's words (see :func:`translate_error`),
    raised by the database layer itself for every statement, reads included. It stays a peewee
    ``OperationalError`` so that peewee's transactions roll back on it as on the driver's own."""

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        StorageError.__init__(self, message, retryable=retryable)


# Driver errors that are about the database being unusable (connection, lock, disk, damage) and
# are put into words; the rest (a constraint, a programming error) pass through unchanged.
_TRANSLATED = (peewee.OperationalError, peewee.InterfaceError, peewee.InternalError, sqlite3.OperationalError)


def _failure(exc: BaseException) -> DatabaseFailure | None:
    """The program's own error for ``exc``, or None when ``exc`` is not a storage failure."""
    if isinstance(exc, StorageError | peewee.IntegrityError | peewee.ProgrammingError):
        return None
    if not (
        isinstance(exc, _TRANSLATED)
        or type(exc) in (peewee.DatabaseError, sqlite3.DatabaseError)
        or _timed_out(exc)
    ):
        return None
    found = _classify(exc, saving=False)
    if found is None:
        return None
    message, retryable = found
    return DatabaseFailure(message, retryable=retryable)


class _Cursor:
    """A SQLite cursor whose row fetches put a failure into words like the statement itself
    (SQLite reads pages as rows are fetched: a lock or damage can show only then)."""

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cursor, name)

    def _guard(self, fetch: Any, *args: Any) -> Any:
        try:
            return fetch(*args)
        except (sqlite3.Error, peewee.DatabaseError) as exc:
            failure = _failure(exc)
            if failure is None:
                raise
            raise failure from exc

    def fetchone(self) -> Any:
        return self._guard(self._cursor.fetchone)

    def fetchmany(self, *args: Any) -> Any:
        return self._guard(self._cursor.fetchmany, *args)

    def fetchall(self) -> Any:
        return self._guard(self._cursor.fetchall)

    def __iter__(self) -> Iterator[Any]:
        while (row := self.fetchone()) is not None:
            yield row


class LocalDatabase(peewee.SqliteDatabase):
    """The SQLite file: every statement's failure (busy, read-only, disk full, damaged) reaches
    the caller as a :class:`DatabaseFailure` with its cause in Chinese, reads included."""

    def execute_sql(self, sql: str, params: Any = None) -> Any:
        try:
            return _Cursor(super().execute_sql(sql, params))
        except (sqlite3.Error, peewee.DatabaseError, peewee.InterfaceError) as exc:
            failure = _failure(exc)
            if failure is None:
                raise
            raise failure from exc


class ServerDatabase(peewee.PostgresqlDatabase):
    """A PostgreSQL database that reconnects, between transactions, after the server dropped the
    connection (a restart, a network cut): the save that met the dead connection reports it
    (nothing is half-written: the server rolled it back), the next action simply works again.
    Every failure reaches the caller as a :class:`DatabaseFailure` in Chinese, and no request
    waits for the server longer than :data:`RESPONSE_LIMIT_S`."""

    def _connect(self) -> Any:
        global _connecting
        _connecting = True
        try:
            connection = super()._connect()  # type: ignore[misc]
        finally:
            _connecting = False
        _own_connections.add(connection)
        return connection

    def _lost(self) -> bool:
        """The connection was open and the driver has since found it dead."""
        connection = None if self.is_closed() else self._state.conn  # type: ignore[attr-defined]
        return connection is not None and bool(getattr(connection, "closed", False))

    def cursor(self, named_cursor: object = None) -> object:
        if self._lost() and not self.in_transaction():
            self.dispose()  # forget the dead connection; the cursor below opens a new one
        return super().cursor(named_cursor)

    def commit(self) -> None:
        try:
            super().commit()
        except (peewee.OperationalError, peewee.InterfaceError, ServerNotResponding) as exc:
            code = _pg_code(exc) or ""
            if _timed_out(exc) or not code or code.startswith(("08", "57P")):
                raise CommitUnknown(str(exc)) from exc
            raise

    def execute_sql(self, sql: str, params: object = None, *args: object, **kwargs: object) -> object:
        try:
            try:
                return super().execute_sql(sql, params, *args, **kwargs)
            except (peewee.OperationalError, peewee.InterfaceError, ServerNotResponding) as exc:
                if self.in_transaction() or not self._lost() or _timed_out(exc):
                    raise  # a server that does not answer is not asked twice
                # Outside a transaction (a read: every write runs in db.write()): once more on a
                # new connection.
                self.dispose()
                return super().execute_sql(sql, params, *args, **kwargs)
        except (peewee.DatabaseError, peewee.InterfaceError, ServerNotResponding) as exc:
            failure = _failure(exc)
            if failure is None:
                raise
            raise failure from exc


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
    # Unacknowledged data (a cable pulled mid-request) fails after 5 s instead of ~15 minutes.
    params.setdefault("tcp_user_timeout", 5000)
    # The server cancels a statement that runs longer (see RESPONSE_LIMIT_S).
    params.setdefault("options", f"-c statement_timeout={STATEMENT_TIMEOUT_MS}")
    params.setdefault("application_name", "reception")
    _install_wait_callback()
    return ServerDatabase(name, **params)


def _connect_error(address: str, exc: BaseException) -> StorageError:
    """Why the server could not be reached, in Chinese (the driver's reasons are English)."""
    code = _pg_code(exc) or ""
    text = str(exc).lower()
    where = display_address(address)
    if _timed_out(exc):
        return StorageError(f"数据库服务器无响应（{where}）。请检查网络和服务器，或联系管理员后重试。")
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
    return translate_error(exc, saving=False)


def open_database(target: Path | str) -> peewee.Database:
    """Open the SQLite file (creating it if needed) or connect to the PostgreSQL server of a
    ``postgresql://`` address, bind the proxy and return the database. Migrations are applied
    separately by :func:`reception.store.migrations.migrate`."""
    global _address, _writes_refused
    _address = str(target)
    _writes_refused = None  # a newly opened (or restored) database starts writable
    db: peewee.Database
    if is_server_address(target):
        db = _open_postgres(str(target))
        database.initialize(db)
        try:
            db.connect(reuse_if_open=True)
        except (peewee.DatabaseError, peewee.InterfaceError, ServerNotResponding) as exc:
            raise _connect_error(str(target), exc) from exc
        return db
    db = LocalDatabase(str(target), pragmas=PRAGMAS, lock_type="IMMEDIATE", timeout=5)
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
    for seen in _chain(exc):
        code = getattr(seen, "pgcode", None)
        if code:
            return str(code)
    return None


def _is_pg_error(exc: BaseException) -> bool:
    return any(
        type(seen).__module__.startswith("psycopg") or isinstance(seen, ServerNotResponding)
        for seen in _chain(exc)
    )


def _sqlite_cause(exc: BaseException) -> BaseException:
    """The deepest sqlite3 error in the chain (SQLite may roll back by itself on SQLITE_FULL,
    after which peewee only reports 'cannot rollback - no transaction is active')."""
    best: BaseException = exc
    for seen in _chain(exc):
        if isinstance(seen, DatabaseFailure):
            continue
        if isinstance(seen, sqlite3.Error | peewee.DatabaseError | peewee.OperationalError):
            best = seen
            if "no transaction is active" not in str(seen):
                return seen
    return best


def _words(cause: str, advice: str, saving: bool) -> str:
    """One message: the cause, what happened to the action (a save says "记录未保存"; a read or
    an action of unknown kind says nothing more) and what to do."""
    return f"{cause}，记录未保存。{advice}" if saving else f"{cause}。{advice}"


_KEPT = "，已填写的内容仍保留在表单中"


def _classify_pg(exc: BaseException, saving: bool) -> tuple[str, bool] | None:
    code = _pg_code(exc) or ""
    text = str(exc).lower()
    kept = _KEPT if saving else ""
    if any(isinstance(item, CommitUnknown) for item in _chain(exc)):
        return (
            "数据库服务器在确认保存前失去响应，无法确定记录是否已保存。"
            "请等服务器恢复后在列表中查看：没有这条记录再重新保存，以免重复登记。",
            False,
        )
    if _timed_out(exc) or code == "57014":  # no answer in time, or the statement timeout
        limit = int(_response_limit or RESPONSE_LIMIT_S)
        cause = f"数据库服务器无响应（{limit} 秒内没有回应）"
        return _words(cause, f"请检查网络或联系管理员后重试{kept}。", saving), True
    if code in {"55P03", "40P01", "40001"} or "lock timeout" in text:
        return _words("另一台前台正在保存", f"请稍后重试{kept}。", saving), True
    if code == "53100":
        return _words("数据库服务器磁盘空间不足", "请联系管理员后重试。", saving), True
    if code == "25006":
        return _words("数据库服务器为只读", "请联系管理员。", saving), True
    if code.startswith("28") or code == "42501":
        return "数据库服务器拒绝了此账号（用户名、密码或权限有误）。请联系管理员。", False
    if code.startswith(("08", "57P")) or not code:
        return (
            _words("无法连接数据库服务器", f"请检查网络或联系管理员后重试{kept}。", saving),
            True,
        )
    return None


def _classify(exc: BaseException, saving: bool) -> tuple[str, bool] | None:
    """The message and whether a retry may help, or None for an error that is not about the
    database being unusable (left to the caller)."""
    if _is_pg_error(exc):
        return _classify_pg(exc, saving)
    cause = _sqlite_cause(exc)
    text = str(cause).lower()
    code = getattr(cause, "sqlite_errorcode", None)
    kept = _KEPT if saving else ""
    if "database or disk is full" in text or code == 13:
        return _words("磁盘空间不足", f"请清理磁盘或联系管理员后重试{kept}。", saving), True
    if "readonly" in text or "read-only" in text or code == 8:
        return _words("数据库为只读", "请检查数据文件夹的权限后重试。", saving), True
    if "locked" in text or "busy" in text or code in (5, 6):
        return _words("数据库正被其他程序占用", f"请稍后重试{kept}。", saving), True
    if "malformed" in text or "not a database" in text or code in (11, 26):
        return _words("数据库文件已损坏", "请联系管理员从备份恢复。", saving), False
    if "disk i/o" in text or code == 10:
        return _words("读写磁盘出错", "请检查磁盘后重试。", saving), True
    if "unable to open" in text or code == 14:
        return _words("无法打开数据库文件", "请检查数据文件夹是否存在、是否可以访问后重试。", saving), True
    return None


def translate_error(exc: BaseException, *, saving: bool = True) -> StorageError:
    """``exc`` (a driver or peewee error, or a chain holding one) as the program's own error:
    the cause in Chinese and whether a retry can help. ``saving``: the failure ended a save."""
    found = _classify(exc, saving)
    if found is None:
        cause = _sqlite_cause(exc) if not _is_pg_error(exc) else exc
        verb = "保存失败" if saving else "读取数据失败"
        return StorageError(f"{verb}：{cause}", retryable=False)
    message, retryable = found
    return StorageError(message, retryable=retryable)


_writes_refused: str | None = None


def refuse_writes(reason: str) -> None:
    """Stop every write to the open database (it was found damaged while in use): :func:`write`
    raises :class:`DamagedDatabase` with ``reason`` before touching the file, and the connection
    itself is made read-only (``PRAGMA query_only``) so nothing else can write either. Undone
    only by opening a database again (after a restore)."""
    global _writes_refused
    _writes_refused = reason
    if database.obj is not None and not is_postgres() and not database.is_closed():
        database.execute_sql("PRAGMA query_only = 1")


def writes_refused() -> str | None:
    """Why writes are refused (:func:`refuse_writes`), or None."""
    return _writes_refused


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
    :class:`StorageError` with the real cause is raised; domain errors pass through unchanged.
    Refused at once (nothing written) after :func:`refuse_writes`."""
    if _writes_refused is not None:
        raise DamagedDatabase(_writes_refused)
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
    except (
        sqlite3.Error,
        peewee.DatabaseError,
        peewee.OperationalError,
        peewee.InterfaceError,
        ServerNotResponding,
    ) as exc:
        if isinstance(exc, peewee.IntegrityError):
            raise
        if isinstance(exc, StorageError) and not isinstance(exc, DatabaseFailure):
            raise
        raise translate_error(exc, saving=True) from exc
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
