"""Moving a single-desk site from its SQLite file to a PostgreSQL server (reception migrate-to).

The moves need a test server (RECEPTION_TEST_DATABASE); each gets a blank database of its own,
created without the migrated template, so the move also builds the schema there. The source is
the demo property, built once through the real services with a fixed clock whose time has
microseconds; every test works on its own copy of that folder."""

from __future__ import annotations

import hashlib
import itertools
import os
import shutil
import sqlite3
from collections.abc import Callable
from collections.abc import Iterator
from datetime import datetime
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from reception import cli
from reception.clock import FixedClock
from reception.demo import DEMO_PASSWORD
from reception.demo import create_demo
from reception.errors import ReceptionError
from reception.services import auth
from reception.services import calls
from reception.store import audit
from reception.store import config
from reception.store import db
from reception.store import desk
from reception.store import sitekey
from reception.store.migrate_to import in_foreign_key_order
from reception.store.migrate_to import migrate_to
from reception.store.migrations import LATEST
from reception.store.migrations import migrate
from reception.store.models import ALL_MODELS
from reception.store.models import AuditLog
from reception.store.models import BaseModel
from reception.store.models import Call
from reception.store.models import Operator
from reception.store.models import Visit
from reception.store.paths import DataDir
from reception.store.startup import open_data_dir
from tests.conftest import ServerDatabases
from tests.conftest import server_address

DEMO_END = datetime(2026, 11, 26, 6, 30, 15, 123456)  # 14:30 in Shanghai
DESK = "服务中心"
NOWHERE = "postgresql://nobody@127.0.0.1:9/never_contacted"
DERIVED = ("call_search", "search_position", "schema_version")
NO_SERVER = "需要 PostgreSQL 测试服务器：设置 RECEPTION_TEST_DATABASE"


@pytest.fixture(scope="module")
def demo_site(
    tmp_path_factory: pytest.TempPathFactory, server_databases: ServerDatabases | None
) -> Iterator[Path]:
    if server_databases is None:
        pytest.skip(NO_SERVER)
    root = tmp_path_factory.mktemp("demo-site")
    keys = root.parent / f"{root.name}-keys"  # the demo desk's site key, outside its folder
    keys.mkdir()
    config.set_desk_name(root, DESK)
    with pytest.MonkeyPatch.context() as env:
        env.setenv(sitekey.ENV_DIR, str(keys))
        sitekey.forget()
        try:
            create_demo(DataDir(root), clock=FixedClock(DEMO_END))
        finally:
            db.close_database()
            desk.set_name("")
            sitekey.forget()
    yield root


@pytest.fixture
def site(demo_site: Path, tmp_path: Path, site_key_dir: Path) -> Path:
    """This test's copy of the demo data folder (times of the files kept), on a desk that holds
    its site key."""
    for key in (demo_site.parent / f"{demo_site.name}-keys").glob("*.key"):
        shutil.copy2(key, site_key_dir / key.name)
    return Path(shutil.copytree(demo_site, tmp_path / "site"))


_names = itertools.count(1)


@pytest.fixture
def blank_database(server_databases: ServerDatabases | None) -> Iterator[Callable[[], str]]:
    """Makes blank databases on the test server (no schema at all) and drops them afterwards."""
    if server_databases is None:
        pytest.skip(NO_SERVER)
    made: list[str] = []

    def make() -> str:
        name = f"reception_move{os.getpid()}_{next(_names)}"
        with server_databases.admin.cursor() as cur:
            cur.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        return server_address(name)

    yield make
    db.close_database()
    for name in made:
        server_databases.drop(name)


def _fingerprint(path: Path) -> tuple[str, int, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns, path.stat().st_size


def _source(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)


def _source_rows(path: Path, model: type[BaseModel]) -> list[tuple[Any, ...]]:
    """A table of the file, each value read as peewee's own field reads it (independent of the
    conversion in reception.store.migrate_to), in a fixed order."""
    fields = model._meta.sorted_fields
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    con = _source(path)
    try:
        raw = con.execute(f'SELECT {columns} FROM "{model._meta.table_name}"').fetchall()
    finally:
        con.close()
    return sorted(
        (tuple(f.python_value(v) for f, v in zip(fields, row, strict=True)) for row in raw), key=repr
    )


def _server_rows(model: type[BaseModel]) -> list[tuple[Any, ...]]:
    return sorted(model.select(*model._meta.sorted_fields).tuples(), key=repr)


def _count(path: Path, table: str) -> int:
    con = _source(path)
    try:
        return int(con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
    finally:
        con.close()


def test_the_demo_site_moves_whole_and_its_file_is_untouched(blank_database, site: Path):
    source = site / "reception.db"
    before = _fingerprint(source)
    address = blank_database()
    lines: list[str] = []

    result = migrate_to(source, address, progress=lines.append)

    assert _fingerprint(source) == before  # same bytes, same modification time
    wal = source.with_name("reception.db-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    tables = [t.table for t in result.tables]
    assert sorted(tables) == sorted(m._meta.table_name for m in ALL_MODELS)
    assert not any(t.startswith(DERIVED) for t in tables)
    for count in result.tables:
        assert count.source == count.server == _count(source, count.table), count
        assert any(count.table in line and f"{count.source} 条" in line for line in lines)
    assert result.rows > 2500 and result.audit_entries == _count(source, "audit_log") > 1000
    assert result.audit_problems == []

    db.open_database(address)
    # Every value of every table, as peewee reads it from each side: booleans are booleans,
    # times are the same datetimes to the microsecond.
    for model in ALL_MODELS:
        assert _server_rows(model) == _source_rows(source, model), model._meta.table_name
    assert audit.verify_chain() == []

    con = _source(source)
    try:
        call_id, serial, saved_at, verified = con.execute(
            'SELECT id, serial, saved_at, identity_verified FROM "call" '
            "WHERE identity_verified = 1 ORDER BY id DESC LIMIT 1"
        ).fetchone()
        visit_id, masked, watch_hit = con.execute(
            "SELECT id, id_masked, watch_hit FROM visit WHERE id_masked != '' ORDER BY id LIMIT 1"
        ).fetchone()
        last_at = con.execute("SELECT at FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()[0]
    finally:
        con.close()
    call = Call.get_by_id(call_id)
    assert call.serial == serial and call.serial.startswith("LD2026")
    assert call.identity_verified is True and verified == 1
    assert call.saved_at == datetime.fromisoformat(saved_at) and call.desk == DESK
    visit = Visit.get_by_id(visit_id)
    assert visit.id_masked == masked and "*" in masked
    assert visit.watch_hit is False and watch_hit == 0
    assert all(op.active is True for op in Operator.select())
    newest = AuditLog.select().order_by(AuditLog.id.desc()).first()
    assert newest.at == datetime.fromisoformat(last_at) == DEMO_END  # microseconds included
    assert newest.at.microsecond == 123456


def test_numbering_and_ids_continue_on_the_server(blank_database, site: Path):
    source = site / "reception.db"
    address = blank_database()
    migrate_to(source, address)
    con = _source(source)
    try:
        last = con.execute(
            "SELECT last FROM serial_counter WHERE kind = 'LD' AND day = '20261126'"
        ).fetchone()[0]
        max_call = con.execute('SELECT max(id) FROM "call"').fetchone()[0]
        max_audit = con.execute("SELECT max(id) FROM audit_log").fetchone()[0]
    finally:
        con.close()
    assert last > 0

    db.open_database(address)
    clock = FixedClock(DEMO_END + timedelta(minutes=1))
    session = auth.login("qiantai1", DEMO_PASSWORD, clock)
    saved = calls.register_call(
        session,
        calls.CallInput(
            started_at=clock.now(),
            category="咨询",
            content="迁移后的第一通来电",
            answer="已解答",
            outcome=calls.Outcome.ANSWERED,
            caller_name="测试",
        ),
    ).call

    assert saved.serial == f"LD20261126-{last + 1:03d}"
    assert saved.id == max_call + 1
    assert AuditLog.select().order_by(AuditLog.id.desc()).first().id > max_audit
    assert audit.verify_chain() == []  # the new entries chain on to the copied ones


def test_a_server_database_that_holds_records_is_refused(blank_database, site: Path):
    source = site / "reception.db"
    address = blank_database()
    migrate_to(source, address)
    before = _fingerprint(source)

    with pytest.raises(ReceptionError, match="已有数据") as refused:
        migrate_to(source, address)

    assert "空的数据库" in refused.value.message
    db.open_database(address)
    assert Call.select().count() == _count(source, "call")  # nothing added twice
    assert AuditLog.select().count() == _count(source, "audit_log")
    assert _fingerprint(source) == before


def test_a_value_the_server_cannot_hold_stops_the_move_and_leaves_the_server_empty(
    blank_database, site: Path
):
    source = site / "reception.db"
    con = sqlite3.connect(source)  # this copy only: a plate longer than the column (SQLite allows it)
    try:
        visit_id = con.execute("SELECT max(id) FROM visit").fetchone()[0]
        con.execute("UPDATE visit SET plate = ? WHERE id = ?", ("沪A" + "1" * 11, visit_id))
        con.commit()
    finally:
        con.close()
    address = blank_database()

    with pytest.raises(ReceptionError) as refused:
        migrate_to(source, address)

    message = refused.value.message
    assert "来访" in message and f"第 {visit_id} 条" in message
    assert "plate" in message and "上限 12" in message
    db.open_database(address)
    order = [m._meta.table_name for m in in_foreign_key_order(ALL_MODELS)]
    assert order.index("visit") > order.index("call")  # tables before it were copied, then undone
    for model in ALL_MODELS:
        assert model.select().count() == 0, model._meta.table_name


def test_a_broken_audit_chain_is_carried_over_exactly(blank_database, site: Path):
    source = site / "reception.db"
    con = sqlite3.connect(source)  # this copy only: somebody edited an entry behind the program
    try:
        con.execute('DROP TRIGGER "audit_log_no_update"')
        con.execute("UPDATE audit_log SET detail = '{}' WHERE id = 5")
        con.commit()
    finally:
        con.close()
    address = blank_database()

    result = migrate_to(source, address)

    assert result.audit_problems and "第 5 条" in result.audit_problems[0]
    db.open_database(address)
    assert audit.verify_chain() == result.audit_problems


def _fresh_file(path: Path, target: int | None = None) -> Path:
    migrate(db.open_database(path), target=target)
    db.close_database()
    return path


def test_the_file_must_be_at_this_version_and_closed(tmp_path: Path):
    # No server needed: the file is checked before any connection (NOWHERE is never contacted).
    old = _fresh_file(tmp_path / "old.db", target=LATEST - 1)
    before = _fingerprint(old)
    with pytest.raises(ReceptionError, match="打开一次"):
        migrate_to(old, NOWHERE)
    assert _fingerprint(old) == before

    newer = _fresh_file(tmp_path / "newer.db")
    con = sqlite3.connect(newer)
    con.execute("INSERT INTO schema_version VALUES (?, 'future', '2030-01-01 00:00:00')", (LATEST + 1,))
    con.commit()
    con.close()
    with pytest.raises(ReceptionError, match="更新版本"):
        migrate_to(newer, NOWHERE)

    running = _fresh_file(tmp_path / "running.db")
    desk_program = sqlite3.connect(running)  # the program still open, with unsaved log pages
    try:
        desk_program.execute("PRAGMA journal_mode = wal")
        desk_program.execute("INSERT INTO setting VALUES ('x', '1')")
        desk_program.commit()
        with pytest.raises(ReceptionError, match="关闭本机的前台程序"):
            migrate_to(running, NOWHERE)
    finally:
        desk_program.close()

    with pytest.raises(ReceptionError, match="没有找到"):
        migrate_to(tmp_path / "missing.db", NOWHERE)


def test_migrate_to_command(blank_database, site: Path, capsys, monkeypatch):
    monkeypatch.setenv("RECEPTION_PASSWORD", "demo1234")  # the demo's administrator
    address = blank_database()
    user, rest = address.split("://", 1)[1].split("@", 1)
    with_password = f"postgresql://{user}:s3cret-pw@{rest}"  # the test server does not ask for it

    assert cli.main(["migrate-to", "--user", "admin", with_password, "--data-dir", str(site)]) == 0

    out, err = capsys.readouterr()
    assert "s3cret-pw" not in out + err
    assert f"来电（call）：{_count(site / 'reception.db', 'call')} → " in out
    assert "审计日志校验链完整" in out and "attachments" in out and "pg_dump" in out
    assert "下一步" in out and "[数据库]" in out and ".pgpass" in out
    assert config.load(site).database == ""  # without --switch the folder keeps its file

    # Into another blank database, switching the desk over: the desk name stays.
    second = blank_database()
    assert cli.main(["migrate-to", "--user", "admin", second, "--switch", "--data-dir", str(site)]) == 0
    out = capsys.readouterr().out
    assert "已把数据库地址写入" in out
    assert config.load(site) == config.LocalConfig(database=second, desk=DESK)
    open_data_dir(DataDir(site))
    assert db.is_postgres() and Call.select().count() == _count(site / "reception.db", "call")
    db.close_database()

    # The folder now works on the server: its SQLite file is no longer the data to move.
    assert cli.main(["migrate-to", "--user", "admin", blank_database(), "--data-dir", str(site)]) == 1
    assert "已设置为使用数据库服务器" in capsys.readouterr().err
    assert (
        cli.main(["migrate-to", "--user", "admin", str(site / "x.db"), "--data-dir", str(site)]) == 2
    )  # usage
    assert "PostgreSQL 数据库地址" in capsys.readouterr().err
