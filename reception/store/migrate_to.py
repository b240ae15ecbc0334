"""Moving a single-desk site from its SQLite file to a PostgreSQL server (``reception migrate-to``).

The SQLite file is only read: it is opened read-only (a ``mode=ro`` URI), inside one read
transaction, so the copy is one consistent moment of it and the file keeps its bytes and its
modification time (SQLite may leave an empty ``-wal``/``-shm`` pair beside it, as any reader
does). It must be at exactly this program's schema version, pass SQLite's ``quick_check`` and
``foreign_key_check``, and hold no unsaved write-ahead log (the program still open, or closed by a
crash), otherwise nothing is done and the message says what to do.

The server database must hold no records: its schema is brought up to date with the usual steps
(:func:`reception.store.migrations.migrate`), then every table of :mod:`reception.store.models` is copied in
foreign-key order, ids preserved, in multi-row inserts, inside ONE transaction that holds the
site-wide write lock. The SQLite-only derived tables (the call search index ``call_search*`` and
``search_position``) are not copied: the server searches the calls themselves. Each value goes
through its model field, so 0/1 become booleans and the stored text times become ``datetime`` values
(microseconds included); a value the server could not store as it is (text longer than its column,
a NUL character, an unreadable time) stops the move with the table, record and column named.
Before the transaction commits, each id sequence is set past the highest id, and three checks
must pass: the row count of every table equals the file's, every value read back from the server
equals the file's (a digest per table), and the audit log's hash chain
(:func:`reception.store.audit.verify_chain`) is intact — or, if the file's own chain was already broken,
broken in exactly the same places. Any failure rolls everything back: the server database is then
as empty as before.

Attachments are files in the data folder and stay there; backups of a server database are the
server's business (``pg_dump``)."""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import time
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import peewee as pw
import psycopg2

from reception.errors import ReceptionError
from reception.errors import StorageError
from reception.store import audit
from reception.store import config
from reception.store import db
from reception.store.migrations import LATEST
from reception.store.migrations import current_version
from reception.store.migrations import migrate
from reception.store.models import ALL_MODELS
from reception.store.models import AuditLog
from reception.store.models import BaseModel

log = logging.getLogger(__name__)

Progress = Callable[[str], None]

# What each table holds, for the progress lines and the messages.
TABLE_LABELS = {
    "setting": "系统设置",
    "department": "部门",
    "operator": "操作员",
    "resident": "住户",
    "call": "来电",
    "case": "工单",
    "case_event": "工单记录",
    "message": "留言",
    "callback": "待回电",
    "audit_log": "审计日志",
    "serial_counter": "编号计数",
    "appointment": "预约来访",
    "visit": "来访",
    "watch_entry": "关注名单",
    "incident": "异常情况",
    "letter": "来函",
    "attachment": "附件登记",
    "return_visit": "回访",
    "liaison_entry": "市政联络",
    "knowledge_entry": "知识库",
    "shift": "交接班",
    "draft": "草稿",
}
# Tables of the SQLite file that are not copied: its own bookkeeping (the server keeps its own
# schema_version) and the call search index, derived from the calls and SQLite-only.
_NOT_COPIED_PREFIXES = ("sqlite_", "call_search")
_NOT_COPIED = {"schema_version", "search_position"}
_MAX_BATCH = 1000  # rows per INSERT
_INT32 = (-(2**31), 2**31 - 1)
_INT64 = (-(2**63), 2**63 - 1)
_DIGEST_MOD = 2**256


@dataclass(frozen=True)
class TableCount:
    table: str
    label: str
    source: int  # rows in the SQLite file
    server: int  # rows on the server after the move


@dataclass(frozen=True)
class MigrationResult:
    address: str  # without its password (reception.store.db.display_address)
    tables: list[TableCount]
    seconds: float
    audit_entries: int
    # Problems of the audit chain that the SQLite file already had (empty: the chain is intact);
    # the move carried them over unchanged, as evidence.
    audit_problems: list[str]

    @property
    def rows(self) -> int:
        return sum(t.server for t in self.tables)


def label(table: str) -> str:
    return TABLE_LABELS.get(table, table)


def _say(progress: Progress | None, text: str) -> None:
    if progress is not None:
        progress(text)


# ---------------------------------------------------------------- the data folder


def source_in(root: Path) -> Path:
    """The SQLite file of the data folder ``root`` that :func:`migrate_to` would move, after
    checking that the folder's desk still works on that file."""
    current = config.load(root).database
    if current:
        raise ReceptionError(
            f"此数据文件夹已设置为使用数据库服务器 {db.display_address(current)}（见 {config.path(root)}），"
            "其中的 SQLite 文件不是当前的数据，不能再迁移。"
        )
    from reception.store.paths import DataDir

    return DataDir(root).database


def switch_to_server(root: Path, address: str) -> config.LocalConfig:
    """Write ``address`` into the data folder's ``reception.ini`` (the desk name is kept): the
    program on this PC works on the server from its next start."""
    settings = replace(config.load(root), database=address)
    config.save(root, settings)
    return settings


def attachment_files(folder: Path) -> int:
    """How many attachment files the data folder keeps (they stay there)."""
    if not folder.is_dir():
        return 0
    return sum(1 for item in folder.rglob("*") if item.is_file() and not item.name.endswith(".part"))


# ---------------------------------------------------------------- the SQLite file


def _open_source(path: Path) -> pw.SqliteDatabase:
    """The file, read-only. No pragmas: nothing is written, not even a setting."""
    if not path.is_file() or path.stat().st_size == 0:
        raise ReceptionError(f"没有找到要迁移的数据库文件：{path}")
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise ReceptionError(
            "数据库文件还有未写完的日志（reception.db-wal）：前台程序可能仍在运行，或上次没有正常退出。"
            "请关闭本机的前台程序（若上次异常退出，请先打开一次再正常退出），然后再迁移。"
        )
    source = pw.SqliteDatabase(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        source.connect()
        source.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()
    except pw.DatabaseError as exc:
        source.close()
        raise ReceptionError(f"无法以只读方式打开数据库文件 {path}：{exc}") from exc
    return source


def _check_source(source: pw.SqliteDatabase) -> None:
    """Refuse a damaged file, one at another schema version, or one whose tables do not match
    this program's models (a column that would be lost, a table nobody knows)."""
    result = source.execute_sql("PRAGMA quick_check").fetchone()
    if not result or result[0] != "ok":
        raise ReceptionError(
            f"数据库文件检查未通过（{result[0] if result else '无结果'}），不能迁移。"
            "请先从最近一次完好的备份恢复。"
        )
    version = current_version(source)
    if version > LATEST:
        raise ReceptionError(
            f"此数据库由更新版本的程序创建（数据库版本 {version}，本程序只支持到 {LATEST}）。"
            "请用最新版本的程序迁移。"
        )
    if version < LATEST:
        raise ReceptionError(
            f"此数据库还是旧版本（数据库版本 {version}，本程序为 {LATEST}）。"
            "请先用本程序打开一次该数据文件夹（程序会自动升级数据库并先做备份），正常退出后再迁移。"
        )
    tables = {
        name
        for (name,) in source.execute_sql("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    }
    known = {model._meta.table_name for model in ALL_MODELS}
    unknown = sorted(
        t for t in tables - known if t not in _NOT_COPIED and not t.startswith(_NOT_COPIED_PREFIXES)
    )
    if unknown:
        raise ReceptionError(
            f"数据库中有本程序不认识的表（{'、'.join(unknown)}），迁移会丢失其内容，已停止。"
        )
    for model in ALL_MODELS:
        table = model._meta.table_name
        if table not in tables:
            raise ReceptionError(f"数据库缺少“{label(table)}”表（{table}），文件不完整，不能迁移。")
        columns = {row[1] for row in source.execute_sql(f'PRAGMA table_info("{table}")').fetchall()}
        expected = {field.column_name for field in model._meta.sorted_fields}
        if columns != expected:
            extra, missing = sorted(columns - expected), sorted(expected - columns)
            raise ReceptionError(
                f"“{label(table)}”表（{table}）的列与本程序不符"
                + (f"，多出 {'、'.join(extra)}" if extra else "")
                + (f"，缺少 {'、'.join(missing)}" if missing else "")
                + "，不能迁移。"
            )
    broken = source.execute_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        table, rowid, parent = broken[0][0], broken[0][1], broken[0][2]
        raise ReceptionError(
            f"数据库中有 {len(broken)} 处引用了不存在的记录（例如“{label(table)}”第 {rowid} 条引用的"
            f"“{label(parent)}”），服务器不接受这样的数据，不能迁移。"
        )


def _source_chain_problems(source: pw.SqliteDatabase) -> list[str]:
    """The audit chain of the file, checked by the same function the program uses."""
    with AuditLog.bind_ctx(source, bind_refs=False, bind_backrefs=False):
        return audit.verify_chain()


# ---------------------------------------------------------------- converting values


class _BadValue(Exception):
    pass


def _converter(field: pw.Field) -> Callable[[Any], Any]:
    """The function turning a value read from the SQLite file into what the field holds in
    Python (and what the server stores), refusing what the server would not store as it is."""
    if isinstance(field, pw.ForeignKeyField):
        return _converter(field.rel_field)
    if isinstance(field, pw.BooleanField):

        def boolean(value: Any) -> Any:
            if value is None:
                return None
            if isinstance(value, int) and value in (0, 1):
                return bool(value)
            raise _BadValue(f"应为 0 或 1，实际为 {value!r}")

        return boolean
    if isinstance(field, pw.DateTimeField):

        def moment(value: Any) -> Any:
            if value is None:
                return None
            result = field.python_value(value)
            if not isinstance(result, datetime):
                raise _BadValue(f"时间格式无法识别（{value!r}）")
            if result.tzinfo is not None:
                raise _BadValue(f"时间带有时区（{value!r}），本程序只保存不带时区的 UTC 时间")
            return result

        return moment
    if isinstance(field, pw.IntegerField):
        low, high = _INT64 if field.field_type in {"BIGINT", "BIGAUTO"} else _INT32

        def integer(value: Any) -> Any:
            if value is None:
                return None
            if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
                return value
            raise _BadValue(f"不是服务器能保存的整数（{value!r}）")

        return integer
    if isinstance(field, pw.CharField | pw.TextField):
        limit = field.max_length if isinstance(field, pw.CharField) else None

        def text(value: Any) -> Any:
            if value is None:
                return None
            if not isinstance(value, str):
                raise _BadValue(f"应为文字，实际为 {type(value).__name__}")
            if "\x00" in value:
                raise _BadValue("含有空字符（\\x00），服务器不能保存")
            if limit is not None and len(value) > limit:
                raise _BadValue(f"长 {len(value)} 个字，超过该列的上限 {limit} 个字")
            return value

        return text
    return lambda value: None if value is None else field.python_value(value)


def in_foreign_key_order(models: Sequence[type[BaseModel]]) -> list[type[BaseModel]]:
    """The models with every table after the tables it refers to (otherwise in the given order)."""
    ordered: list[type[BaseModel]] = []
    started: set[type[BaseModel]] = set()

    def visit(model: type[BaseModel]) -> None:
        if model in started:
            return
        started.add(model)
        for parent in model._meta.refs.values():
            if parent is not model and parent in models:
                visit(parent)
        ordered.append(model)

    for model in models:
        visit(model)
    return ordered


def _row_digest(row: Sequence[Any]) -> int:
    return int.from_bytes(hashlib.sha256(repr(tuple(row)).encode("utf-8")).digest(), "big")


def _order_by(model: type[BaseModel]) -> str:
    return ", ".join(f'"{field.column_name}"' for field in model._meta.get_primary_keys())


def _select(model: type[BaseModel]) -> str:
    columns = ", ".join(f'"{field.column_name}"' for field in model._meta.sorted_fields)
    return f'SELECT {columns} FROM "{model._meta.table_name}" ORDER BY {_order_by(model)}'


@dataclass
class _Copied:
    rows: int = 0
    digest: int = 0


def _source_rows(
    source: pw.SqliteDatabase, model: type[BaseModel], copied: _Copied
) -> Iterator[tuple[Any, ...]]:
    """The table's rows, converted, in primary-key order; counts and digests them on the way."""
    fields = model._meta.sorted_fields
    converters = [_converter(field) for field in fields]
    keys = [fields.index(field) for field in model._meta.get_primary_keys()]
    table = model._meta.table_name
    cursor = source.execute_sql(_select(model))
    while True:
        chunk = cursor.fetchmany(_MAX_BATCH)
        if not chunk:
            return
        for raw in chunk:
            row = []
            for index, (field, convert) in enumerate(zip(fields, converters, strict=True)):
                try:
                    row.append(convert(raw[index]))
                except _BadValue as exc:
                    key = "/".join(str(raw[k]) for k in keys)
                    raise ReceptionError(
                        f"“{label(table)}”（{table}）第 {key} 条的“{field.column_name}”无法迁移：{exc}。"
                        "请先更正这条记录再迁移；服务器上没有写入任何记录。"
                    ) from None
            copied.rows += 1
            copied.digest = (copied.digest + _row_digest(row)) % _DIGEST_MOD
            yield tuple(row)


def _batches(rows: Iterable[tuple[Any, ...]], size: int) -> Iterator[list[tuple[Any, ...]]]:
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# ---------------------------------------------------------------- the server


_SERVER_ERRORS: tuple[type[Exception], ...] = (pw.DatabaseError, pw.InterfaceError, psycopg2.Error)


def _server_problem(exc: BaseException) -> str:
    """What the server (or its driver) said, first line only: the people running a migration
    are administrators, and the exact words say what to fix (a missing database, a refused
    login, a value too long). The driver's messages never contain the password."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _rows_on_server(server: pw.Database) -> dict[str, int]:
    """Tables of the models that already hold rows on the server (only those that exist)."""
    present = set(server.get_tables())
    found = {}
    for model in ALL_MODELS:
        table = model._meta.table_name
        if table in present:
            count = server.execute_sql(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            if count:
                found[table] = int(count)
    return found


def _refuse_if_not_empty(server: pw.Database, address: str) -> None:
    found = _rows_on_server(server)
    if found:
        listed = "、".join(f"{label(t)} {n} 条" for t, n in list(found.items())[:4])
        more = "等" if len(found) > 4 else ""
        raise ReceptionError(
            f"目标数据库 {db.display_address(address)} 中已有数据（{listed}{more}）。"
            "迁移只能导入到空的数据库，以免覆盖或混合两处的记录；没有做任何改动。"
            "请在服务器上新建一个空数据库（例如 createdb -O reception reception_new）后再迁移。"
        )


def _server_digest(server: pw.Database, model: type[BaseModel]) -> tuple[int, int]:
    """Rows and digest of a table as read back from the server, inside the open transaction
    (a server-side cursor: the table is never held in memory whole)."""
    fields = model._meta.sorted_fields
    columns = ", ".join(f'"{field.column_name}"' for field in fields)
    server.execute_sql(
        f'DECLARE "migrate_check" NO SCROLL CURSOR FOR SELECT {columns} FROM "{model._meta.table_name}"'
    )
    rows, digest = 0, 0
    while True:
        chunk = server.execute_sql(f'FETCH {_MAX_BATCH} FROM "migrate_check"').fetchall()
        if not chunk:
            break
        for raw in chunk:
            row = [field.python_value(value) for field, value in zip(fields, raw, strict=True)]
            rows += 1
            digest = (digest + _row_digest(row)) % _DIGEST_MOD
    server.execute_sql('CLOSE "migrate_check"')
    return rows, digest


def _copy_table(
    source: pw.SqliteDatabase, server: pw.Database, model: type[BaseModel], copied: _Copied
) -> None:
    # psycopg2's execute_values: a multi-row INSERT per batch, the values quoted by the driver
    # (peewee's insert_many builds the same statement five times slower, in Python).
    from psycopg2.extras import execute_values

    table = model._meta.table_name
    columns = ", ".join(f'"{field.column_name}"' for field in model._meta.sorted_fields)
    statement = f'INSERT INTO "{table}" ({columns}) VALUES %s'
    cursor = server.cursor()
    for batch in _batches(_source_rows(source, model, copied), _MAX_BATCH):
        try:
            execute_values(cursor, statement, batch, page_size=len(batch))
        except _SERVER_ERRORS as exc:
            raise ReceptionError(
                f"复制“{label(table)}”（{table}）时服务器报错：{_server_problem(exc)}。"
                "迁移已撤销，服务器上没有写入任何记录。"
            ) from exc
    if isinstance(model._meta.primary_key, pw.AutoField):
        pk = model._meta.primary_key.column_name
        server.execute_sql(  # the next id the server hands out follows the highest copied one
            "SELECT setval(pg_get_serial_sequence(%s, %s), "
            f'COALESCE(MAX("{pk}"), 1), MAX("{pk}") IS NOT NULL) FROM "{table}"',
            (f'"{table}"', pk),
        )


def migrate_to(source_path: Path, address: str, *, progress: Progress | None = None) -> MigrationResult:
    """Copy the SQLite file ``source_path`` into the empty PostgreSQL database at ``address``.
    Binds :data:`reception.store.db.database` to the server while it works and closes it at the end.
    Raises :class:`ReceptionError` (nothing copied) when the file or the server is not suitable
    or a check fails."""
    if not db.is_server_address(address):
        raise ReceptionError(
            "目标应为 PostgreSQL 数据库地址，例如 postgresql://reception@192.168.1.10/reception"
        )
    shown = db.display_address(address)
    started = time.perf_counter()
    _say(progress, f"检查 SQLite 数据库 {source_path} …")
    source = _open_source(source_path)
    try:
        with source.atomic():  # one read transaction: one consistent moment of the file
            _check_source(source)
            _say(progress, f"连接数据库服务器 {shown} …")
            try:
                server = db.open_database(address)
            except StorageError as exc:
                db.close_database()
                raise ReceptionError(
                    f"无法连接数据库服务器 {shown}：{_server_problem(exc.__cause__ or exc)}"
                ) from exc
            try:
                return _move(source, server, address, started, progress)
            finally:
                db.close_database()
    finally:
        source.close()
        _tidy_after_read_only(source_path)


def _tidy_after_read_only(path: Path) -> None:
    """A read-only connection to a WAL file leaves ``-wal`` and ``-shm`` behind (it may not
    remove them). One ordinary connection that reads and closes removes them the way SQLite
    does for its last connection, and leaves them alone while another program has the file open."""
    if not Path(str(path) + "-shm").exists():
        return
    try:
        tidy = sqlite3.connect(path)
        try:
            tidy.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            tidy.close()
    except sqlite3.Error:
        log.warning("could not tidy the WAL files of %s", path.name)


def _move(
    source: pw.SqliteDatabase, server: pw.Database, address: str, started: float, progress: Progress | None
) -> MigrationResult:
    if current_version(server) > 0:
        _refuse_if_not_empty(server, address)  # before changing anything on the server
    try:
        applied = migrate(server)
    except (pw.DatabaseError, pw.InterfaceError) as exc:
        raise ReceptionError(f"在服务器上建立数据表失败：{_server_problem(exc)}") from exc
    if applied:
        _say(progress, f"已在服务器上建立数据表（数据库版本 {LATEST}）。")
    models = in_foreign_key_order(ALL_MODELS)
    copied = {model._meta.table_name: _Copied() for model in models}
    counts: list[TableCount] = []
    audit_problems: list[str] = []
    try:
        with db.without_time_limit(server), server.atomic():
            db.take_write_lock()  # no desk writes to this database while it is being filled
            _refuse_if_not_empty(server, address)
            _say(progress, "复制数据（在一个事务中，全部成功才生效）：")
            for model in models:
                table = model._meta.table_name
                _copy_table(source, server, model, copied[table])
                _say(progress, f"  {label(table)}（{table}）：{copied[table].rows} 条")
            _say(progress, "核对：每个表的记录数、逐条内容、审计日志校验链 …")
            for model in models:
                table = model._meta.table_name
                expected = source.execute_sql(f'SELECT count(*) FROM "{table}"').fetchone()[0]
                rows, digest = _server_digest(server, model)
                if not expected == copied[table].rows == rows:
                    raise ReceptionError(
                        f"核对未通过：“{label(table)}”在 SQLite 中有 {expected} 条，"
                        f"复制了 {copied[table].rows} 条，服务器上有 {rows} 条。迁移已撤销。"
                    )
                if digest != copied[table].digest:
                    raise ReceptionError(
                        f"核对未通过：“{label(table)}”在服务器上读回的内容与 SQLite 中的不一致。迁移已撤销。"
                    )
                counts.append(TableCount(table, label(table), int(expected), rows))
            audit_problems = audit.verify_chain()
            if audit_problems and audit_problems != _source_chain_problems(source):
                raise ReceptionError(
                    "核对未通过：服务器上的审计日志校验链与 SQLite 中的不一致"
                    f"（{audit_problems[0]}）。迁移已撤销。"
                )
    except _SERVER_ERRORS as exc:
        raise ReceptionError(f"迁移未完成，服务器上没有写入任何记录：{_server_problem(exc)}") from exc
    return MigrationResult(
        address=db.display_address(address),
        tables=counts,
        seconds=time.perf_counter() - started,
        audit_entries=copied[AuditLog._meta.table_name].rows,
        audit_problems=audit_problems,
    )
