"""One error vocabulary and time limits on PostgreSQL, against a private server of this test
module (stopping or freezing it must not disturb the other tests' server): a stopped server and
a frozen one (SIGSTOP on the postmaster and its backends) give every save and read the
program's own Chinese error — never a raw peewee or psycopg2 exception — a frozen server within
the response limit, and the next save works once the server is back. Run under
``scripts/pg_server.py run --`` (skipped without a test server, like the other server tests)."""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from types import ModuleType

import pytest

from reception.errors import StorageError
from reception.services import auth
from reception.services.session import Role
from reception.store import db
from reception.store.migrations import migrate
from reception.store.paths import DataDir
from reception.store.startup import remember_data_dir
from tests import fault_saves
from tests.conftest import PASSWORD
from tests.conftest import TEST_SERVER

pytestmark = pytest.mark.skipif(
    not TEST_SERVER, reason="需要 PostgreSQL 测试服务器：设置 RECEPTION_TEST_DATABASE"
)

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 26, 1, 0, 0)


def _pg_server() -> ModuleType:
    spec = importlib.util.spec_from_file_location("pg_server", ROOT / "scripts" / "pg_server.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class PrivateServer:
    def __init__(self) -> None:
        self.pg = _pg_server()
        self.folder = Path(tempfile.mkdtemp(prefix="reception-faults-", dir="/tmp"))
        self.url = self.pg.start(self.folder)
        self.port = int((self.folder / "port").read_text(encoding="utf-8"))
        self.count = 0

    def new_database(self) -> str:
        import psycopg2

        self.count += 1
        name = f"faults_{os.getpid()}_{self.count}"
        admin = psycopg2.connect(self.url)
        admin.autocommit = True
        with admin.cursor() as cur:
            cur.execute(f'CREATE DATABASE "{name}"')
        admin.close()
        return self.url.rsplit("/", 1)[0] + "/" + name

    def stop(self) -> None:
        self.pg.stop(self.folder)

    def start(self) -> None:
        self.pg.start(self.folder, port=self.port)

    def processes(self) -> list[int]:
        """The postmaster and its children (the backends, the background workers)."""
        data = self.folder / "data"
        postmaster = int((data / "postmaster.pid").read_text(encoding="utf-8").split()[0])
        children = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text(encoding="utf-8")
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == postmaster:
                children.append(int(entry.name))
        return [postmaster, *children]

    def remove(self) -> None:
        self.pg.stop(self.folder)
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="module")
def server() -> Iterator[PrivateServer]:
    private = PrivateServer()
    yield private
    private.remove()


@pytest.fixture
def desk(server: PrivateServer, tmp_path: Path, clock):
    """A site on a fresh database of the private server: the six saves and the reads."""
    address = server.new_database()
    database = db.open_database(address)
    migrate(database)
    remember_data_dir(database, DataDir(tmp_path))
    auth.initial_setup(
        auth.SetupInput("阳光花园物业", "021-50000000", "admin", "王管理", PASSWORD, PASSWORD), clock
    )
    admin = auth.login("admin", PASSWORD, clock)
    auth.create_operator(admin, auth.OperatorInput("lixiao", "李晓", Role.RECEPTIONIST, PASSWORD))
    receptionist = auth.login("lixiao", PASSWORD, clock)
    yield fault_saves.saves(receptionist, admin, tmp_path), fault_saves.reads(receptionist)
    db.close_database()


def _failure(action) -> StorageError:
    """Run ``action``: it must fail with the program's own error and nothing else."""
    try:
        action()
    except StorageError as exc:
        return exc
    except Exception as exc:  # a raw peewee / psycopg2 error: the bug this file is about
        pytest.fail(f"raw error escaped: {type(exc).__module__}.{type(exc).__name__}: {exc}")
    pytest.fail("the action did not fail")


def test_a_stopped_server_gives_every_save_and_read_a_chinese_error(server, desk):
    saves, reads = desk
    server.stop()
    try:
        for name, action in {**saves, **reads}.items():
            failure = _failure(action)
            assert "无法连接数据库服务器" in failure.message and failure.retryable, name
            assert not isinstance(failure.__cause__, StorageError), name  # translated once
    finally:
        server.start()
    for name, save in saves.items():  # the retry the form offers, with what was typed
        assert save() is not None, name


def test_a_frozen_server_gives_up_within_the_limit_and_works_once_it_is_back(server, desk):
    saves, reads = desk
    frozen = server.processes()
    for pid in frozen:
        os.kill(pid, signal.SIGSTOP)
    try:
        for name in ("来电", "工单"):
            failure = _failure(saves[name])
            assert "服务器无响应" in failure.message, name
            assert failure.retryable, name
        for name in ("来电列表", "变更检查"):
            assert "服务器无响应" in _failure(reads[name]).message, name
    finally:
        for pid in frozen:
            os.kill(pid, signal.SIGCONT)
    for name, save in saves.items():
        assert save() is not None, name


def test_a_slow_statement_is_cancelled_by_the_server_and_the_connection_stays(desk):
    """statement_timeout: a statement running past it is cancelled by the server (the same
    message); the connection stays usable for the next request."""
    failure = _failure(lambda: db.database.execute_sql("SELECT pg_sleep(10)"))
    assert "服务器无响应" in failure.message
    assert db.database.execute_sql("SELECT 1").fetchone() == (1,)


def test_a_long_job_lifts_the_limits(desk):
    with db.without_time_limit():
        assert db.database.execute_sql("SHOW statement_timeout").fetchone() == ("0",)
    assert db.database.execute_sql("SHOW statement_timeout").fetchone() == ("3s",)


def test_a_server_frozen_at_commit_is_not_called_a_lost_save(server, desk):
    """The server stops answering after COMMIT was sent: the program cannot know whether the
    save was kept, and says exactly that (no 「重试」: a retry could register it twice) — and
    indeed the server finishes the commit once it runs again."""
    from reception.store.models import Resident

    frozen: list[int] = []

    def create_then_freeze() -> None:
        with db.write():
            Resident.create(
                building="9", unit="1", room="901", name="冻结测试", created_at=NOW, updated_at=NOW
            )
            frozen.extend(server.processes())
            for pid in frozen:
                os.kill(pid, signal.SIGSTOP)

    try:
        failure = _failure(create_then_freeze)
    finally:
        for pid in frozen:
            os.kill(pid, signal.SIGCONT)
    assert "无法确定记录是否已保存" in failure.message and not failure.retryable
    kept = Resident.select().where(Resident.name == "冻结测试")
    for _ in range(100):  # the resumed backend finishes the COMMIT it had received
        if kept.count():
            break
        time.sleep(0.05)
    assert kept.count() == 1
