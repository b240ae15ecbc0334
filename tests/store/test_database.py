"""The database never loses a record: pragmas, migrations, the append-only audit log."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime

import peewee
import pytest

from reception.errors import SchemaTooNew
from reception.errors import StorageError
from reception.store import audit
from reception.store import backup
from reception.store import db
from reception.store import migrations
from reception.store.migrations import Step
from reception.store.migrations import current_version
from reception.store.migrations import migrate
from reception.store.models import ALL_MODELS
from reception.store.models import AuditLog


@pytest.mark.sqlite_only
def test_pragmas_read_back_from_the_open_connection(database):
    con = db.database
    assert con.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute_sql("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert con.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert con.execute_sql("PRAGMA busy_timeout").fetchone()[0] >= 5000


@pytest.mark.sqlite_only
def test_writes_take_the_write_lock_at_begin(database, tmp_path):
    """IMMEDIATE transactions: a second writer waits/fails at BEGIN, never half-way."""
    with db.write():
        other = sqlite3.connect(tmp_path / "reception.db", timeout=0)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()


def test_fresh_database_is_at_the_latest_version(database):
    assert current_version(db.database) == migrations.LATEST


def test_models_match_the_schema_the_migrations_create(database):
    for model in ALL_MODELS:
        table = model._meta.table_name
        columns = {c.name for c in db.database.get_columns(table)}
        assert columns == {f.column_name for f in model._meta.sorted_fields}, table


def test_a_first_schema_database_is_backed_up_then_migrated(tmp_path):
    path = tmp_path / "old.db"
    database = db.open_database(path)
    migrate(database, target=1)
    database.execute_sql("INSERT INTO setting (key, value) VALUES ('property_name', '\"旧数据\"')")
    assert "visit" not in database.get_tables()

    utc = datetime(2026, 11, 26, 17, 30, 5)  # 01:30:05 the next day in Shanghai
    applied = migrate(database, backup_dir=tmp_path / "backups", now=lambda: utc)
    assert applied == list(range(2, migrations.LATEST + 1))
    assert current_version(database) == migrations.LATEST
    assert {"visit", "appointment", "watch_entry", "incident"} <= set(database.get_tables())
    assert database.execute_sql("SELECT value FROM setting").fetchone() == ('"旧数据"',)
    backups = list((tmp_path / "backups").glob("*.db"))
    # Named in local time like every other backup, and listed (so offered for restore) like them.
    assert [b.name for b in backups] == ["reception-20261127-013005-迁移前.db"]
    listed = backup.list_backups(tmp_path / "backups")
    assert [(b.label, b.created) for b in listed] == [("迁移前", datetime(2026, 11, 27, 1, 30, 5))]
    copy = sqlite3.connect(backups[0])
    assert copy.execute("SELECT MAX(version) FROM schema_version").fetchone() == (1,)
    assert copy.execute("PRAGMA quick_check").fetchone() == ("ok",)
    copy.close()
    db.close_database()


def test_a_failing_step_leaves_the_database_at_the_previous_version(tmp_path, monkeypatch):
    database = db.open_database(tmp_path / "x.db")
    migrate(database)
    latest = migrations.LATEST

    def broken(d: peewee.Database) -> None:
        d.execute_sql('ALTER TABLE "department" ADD COLUMN "x" TEXT')
        raise RuntimeError("boom")

    monkeypatch.setattr(migrations, "STEPS", [*migrations.STEPS, Step(latest + 1, "broken", broken)])
    monkeypatch.setattr(migrations, "LATEST", latest + 1)
    with pytest.raises(RuntimeError):
        migrate(database)
    assert current_version(database) == latest
    assert "x" not in {c.name for c in database.get_columns("department")}
    db.close_database()


def test_a_database_from_a_newer_program_is_refused(database):
    database.execute_sql("INSERT INTO schema_version VALUES (99, 'future', '2030-01-01')")
    with pytest.raises(SchemaTooNew, match="更新版本"):
        migrate(database)


def test_audit_log_refuses_update_and_delete(admin):
    entry = AuditLog.select().first()
    with pytest.raises(peewee.IntegrityError, match="append-only"):
        AuditLog.update(action="x").where(AuditLog.id == entry.id).execute()
    with pytest.raises(peewee.IntegrityError, match="append-only"):
        AuditLog.delete().where(AuditLog.id == entry.id).execute()


def test_audit_chain_detects_an_edited_or_deleted_row(admin, receptionist):
    assert audit.verify_chain() == [] and audit.verify_chain(batch_size=2) == []
    database = db.database
    on_table = ' ON "audit_log"' if db.is_postgres() else ""
    database.execute_sql(f'DROP TRIGGER "audit_log_no_update"{on_table}')
    database.execute_sql(f'DROP TRIGGER "audit_log_no_delete"{on_table}')
    database.execute_sql("UPDATE audit_log SET action = 'tampered' WHERE id = 2")
    assert any("被修改" in p for p in audit.verify_chain())
    database.execute_sql("DELETE FROM audit_log WHERE id = 3")
    assert any("不衔接" in p for p in audit.verify_chain())
    assert audit.verify_chain(batch_size=2) == audit.verify_chain()  # read in batches: the same


@pytest.mark.sqlite_only
def test_disk_full_reports_the_real_cause_and_keeps_the_file_intact(admin):
    from reception.services import residents

    page_count = db.database.execute_sql("PRAGMA page_count").fetchone()[0]
    db.database.execute_sql(f"PRAGMA max_page_count = {page_count}")
    big = residents.ResidentInput("1", "1", "101", "张三", note="备" * 190)
    with pytest.raises(StorageError, match="磁盘空间不足"):
        for i in range(400):
            big.room = str(1000 + i)
            residents.add_resident(admin, big)
    assert db.database.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.database.execute_sql("PRAGMA max_page_count = 1073741823")
    big.room = "9999"
    residents.add_resident(admin, big)  # a retry after space is freed succeeds


def test_translate_error_sees_through_the_failed_rollback():
    inner = sqlite3.OperationalError("database or disk is full")
    try:
        try:
            raise inner
        except sqlite3.OperationalError as exc:
            raise peewee.OperationalError("cannot rollback - no transaction is active") from exc
    except peewee.OperationalError as outer:
        assert "磁盘空间不足" in db.translate_error(outer).message


@pytest.mark.sqlite_only
def test_a_locked_database_is_reported_quickly_when_interactive(admin, tmp_path):
    """A second process holding the write lock: the window's save gives up after the short
    interactive wait with a clear message, and succeeds on retry once the lock is gone."""
    import subprocess
    import sys
    import time

    from reception.services import residents

    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time\n"
            f"c = sqlite3.connect(r'{tmp_path / 'reception.db'}', isolation_level=None)\n"
            "c.execute('BEGIN IMMEDIATE'); print('locked', flush=True); sys.stdin.readline()\n"
            "c.execute('ROLLBACK')\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        db.set_interactive_wait(300)
        started = time.monotonic()
        with pytest.raises(StorageError, match="占用"):
            residents.add_resident(admin, residents.ResidentInput("1", "1", "101", "张三"))
        assert time.monotonic() - started < 1.0
        assert db.database.execute_sql("PRAGMA busy_timeout").fetchone()[0] == 5000
    finally:
        holder.communicate("\n", timeout=10)
        db.set_interactive_wait(None)
    residents.add_resident(admin, residents.ResidentInput("1", "1", "101", "张三"))  # the retry succeeds


@pytest.mark.sqlite_only
def test_a_read_only_database_is_reported(admin, tmp_path):
    from reception.services import residents

    db.close_database()
    ro = peewee.SqliteDatabase(
        f"file:{tmp_path / 'reception.db'}?mode=ro", uri=True, pragmas={"foreign_keys": 1}
    )
    db.database.initialize(ro)
    with pytest.raises(StorageError, match="只读"):
        residents.add_resident(admin, residents.ResidentInput("1", "1", "101", "张三"))


def test_the_two_schemas_are_the_same(tmp_path):
    """Every step has a PostgreSQL form, and the tables and columns the SQLite steps create are
    the ones the models describe (test_models_match… checks the server's, with a test server)."""
    from importlib import resources

    folder = resources.files("reception.store.migrations")
    for step in migrations.STEPS:
        name = f"{step.version:04d}_{step.name}.sql"
        assert folder.joinpath(name).is_file() and folder.joinpath("postgresql", name).is_file(), name
    sqlite_db = peewee.SqliteDatabase(str(tmp_path / "s.db"))
    migrate(sqlite_db)
    for model in ALL_MODELS:
        table = model._meta.table_name
        assert {c.name for c in sqlite_db.get_columns(table)} == {
            f.column_name for f in model._meta.sorted_fields
        }
    sqlite_db.close()


@pytest.mark.skipif(not os.environ.get("RECEPTION_TEST_DATABASE"), reason="needs a PostgreSQL test server")
def test_a_busy_server_is_reported_quickly_when_interactive(admin):
    """Another desk holding the site's write lock: the window's save gives up after the short
    interactive wait with a clear message, and succeeds on retry once the lock is released."""
    import time

    import psycopg2

    from reception.services import residents

    other = psycopg2.connect(db.address())
    other.autocommit = True
    try:
        with other.cursor() as cur:
            cur.execute("SELECT pg_advisory_lock(%s)", (db.WRITE_LOCK_KEY,))
        db.set_interactive_wait(300)
        started = time.monotonic()
        with pytest.raises(StorageError, match="另一台前台正在保存"):
            residents.add_resident(admin, residents.ResidentInput("1", "1", "101", "张三"))
        assert time.monotonic() - started < 1.0
        with other.cursor() as cur:
            cur.execute("SELECT pg_advisory_unlock(%s)", (db.WRITE_LOCK_KEY,))
        residents.add_resident(admin, residents.ResidentInput("1", "1", "101", "张三"))  # the retry
    finally:
        db.set_interactive_wait(None)
        other.close()
    assert audit.verify_chain() == []


@pytest.mark.skipif(not os.environ.get("RECEPTION_TEST_DATABASE"), reason="needs a PostgreSQL test server")
def test_a_lost_server_connection_gets_a_clear_message(admin):
    """The server drops the connection in the middle of a save (restart, network cut): the save
    is reported, nothing of it is kept, and the next read and save work on a new connection."""
    import psycopg2

    from reception.services import residents
    from reception.store.models import Resident

    with db.database.connection().cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        pid = cur.fetchone()[0]
    other = psycopg2.connect(db.address())
    other.autocommit = True
    with pytest.raises(StorageError, match="无法连接数据库服务器"), db.write():
        Resident.create(
            building="1", unit="1", room="102", name="李四", created_at=admin.now(), updated_at=admin.now()
        )
        with other.cursor() as cur:
            cur.execute("SELECT pg_terminate_backend(%s)", (pid,))
        Resident.select().count()
    other.close()
    assert Resident.select().where(Resident.name == "李四").count() == 0  # read: reconnects
    residents.add_resident(admin, residents.ResidentInput("1", "1", "101", "张三"))
    assert Resident.select().where(Resident.name == "张三").count() == 1
