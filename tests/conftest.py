"""Shared fixtures: a real database per test, an injectable clock, logged-in sessions.

The database is a SQLite file in ``tmp_path``. With ``RECEPTION_TEST_DATABASE`` set to the
address of a PostgreSQL server (``python3 scripts/pg_server.py run -- …`` starts one), each test
gets a fresh database on that server instead, made from a migrated template; tests marked
``sqlite_only`` (the file itself: pragmas, backups, crash safety, the bytes on disk) keep their
SQLite file."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Never the desk account's real site keys or credential store, not even from a session fixture.
os.environ["RECEPTION_KEY_DIR"] = __import__("tempfile").mkdtemp(prefix="reception-site-keys-")

import pytest

from reception.clock import FixedClock
from reception.services import auth
from reception.services import calls
from reception.services import incidents
from reception.services import shifts
from reception.services.calls import CallInput
from reception.services.calls import Outcome
from reception.services.session import Role
from reception.services.session import Session
from reception.store import db
from reception.store.attachments import AttachmentStore
from reception.store.migrations import migrate
from reception.store.paths import DataDir
from reception.store.startup import remember_data_dir
from tests import mixed_traffic as traffic
from ui.qt_compat import protect_singletons

# Windows' file rules on Linux too (fsync, open files, encodings, a path with a space and Chinese)
pytest_plugins = ["tests.windows_rules"]

protect_singletons()  # the same guard as the application (PySide6 6.12 on Python 3.11)

PASSWORD = "secret12"


@pytest.fixture(autouse=True)
def site_key_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The site key and the audit anchors of each test live in a folder of their own (outside
    the data folder, as on a desk); the OS credential store is never touched."""
    from reception.store import sitekey

    folder = tmp_path_factory.mktemp("site-keys")
    monkeypatch.setenv(sitekey.ENV_DIR, str(folder))
    sitekey.forget()
    return folder


@pytest.fixture(autouse=True)
def _cli_password(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands run as a person (``--user``): the tests give the password the way a scheduled job
    does, in ``RECEPTION_PASSWORD`` (the fixtures' password; the demo's where a test says so)."""
    monkeypatch.setenv("RECEPTION_PASSWORD", PASSWORD)


@pytest.fixture
def clock() -> FixedClock:
    # 2026-11-26 09:00 in Shanghai
    return FixedClock(datetime(2026, 11, 26, 1, 0, 0))


TEST_SERVER = os.environ.get("RECEPTION_TEST_DATABASE", "")


def server_address(name: str) -> str:
    """The test server's address with another database name."""
    return TEST_SERVER.rsplit("/", 1)[0] + "/" + name


class ServerDatabases:
    """Fresh databases on the test server, copied from one migrated template."""

    TEMPLATE = f"reception_template_{os.getpid()}"

    def __init__(self) -> None:
        import psycopg2

        self.admin = psycopg2.connect(TEST_SERVER)
        self.admin.autocommit = True
        self.count = 0
        self._run(f'DROP DATABASE IF EXISTS "{self.TEMPLATE}" WITH (FORCE)')
        self._run(f'CREATE DATABASE "{self.TEMPLATE}"')
        template = db.open_database(server_address(self.TEMPLATE))
        migrate(template)
        db.close_database()

    def _run(self, statement: str) -> None:
        with self.admin.cursor() as cur:
            cur.execute(statement)

    def create(self) -> str:
        self.count += 1
        name = f"reception_t{os.getpid()}_{self.count}"
        self._run(f'CREATE DATABASE "{name}" TEMPLATE "{self.TEMPLATE}"')
        return name

    def drop(self, name: str) -> None:
        """Drop a test database; one still in use by a process of another role (which FORCE may
        not end) is left on the throwaway server rather than failing the test that used it."""
        import time

        import psycopg2

        for attempt in range(3):
            try:
                self._run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                return
            except psycopg2.errors.InsufficientPrivilege:
                time.sleep(0.2 * (attempt + 1))

    def close(self) -> None:
        self.drop(self.TEMPLATE)
        self.admin.close()


@pytest.fixture(scope="session")
def server_databases() -> Iterator[ServerDatabases | None]:
    if not TEST_SERVER:
        yield None
        return
    servers = ServerDatabases()
    yield servers
    servers.close()


@pytest.fixture
def database_target(
    request: pytest.FixtureRequest, tmp_path: Path, server_databases: ServerDatabases | None
) -> Iterator[str | Path]:
    """Where this test's database lives: a SQLite file path, or a test server's address."""
    if server_databases is None or request.node.get_closest_marker("sqlite_only"):
        yield tmp_path / "reception.db"
        return
    name = server_databases.create()
    yield server_address(name)
    db.close_database()
    server_databases.drop(name)


def cli_location() -> list[str]:
    """Command-line arguments naming the open test database — its data folder and, on a test
    server, its address — which is closed so that the command opens it itself."""
    from reception.store.startup import current_data_dir

    args = ["--data-dir", str(current_data_dir().root)]
    if db.is_postgres():
        args += ["--database", db.address()]
    db.close_database()
    return args


@pytest.fixture
def database(database_target: str | Path, tmp_path: Path) -> Iterator[object]:
    database = db.open_database(database_target)
    migrate(database, backup_dir=tmp_path / "backups")
    remember_data_dir(database, DataDir(tmp_path))
    yield database
    db.close_database()


@pytest.fixture
def admin(database: object, clock: FixedClock) -> Session:
    auth.initial_setup(
        auth.SetupInput("阳光花园物业", "021-50000000", "admin", "王管理", PASSWORD, PASSWORD), clock
    )
    return auth.login("admin", PASSWORD, clock)


@pytest.fixture
def receptionist(admin: Session, clock: FixedClock) -> Session:
    auth.create_operator(admin, auth.OperatorInput("lixiao", "李晓", Role.RECEPTIONIST, PASSWORD))
    return auth.login("lixiao", PASSWORD, clock)


@pytest.fixture
def supervisor(admin: Session, clock: FixedClock) -> Session:
    auth.create_operator(admin, auth.OperatorInput("zhaomin", "赵敏", Role.SUPERVISOR, PASSWORD))
    return auth.login("zhaomin", PASSWORD, clock)


@pytest.fixture
def busy_day(admin, receptionist, supervisor, clock, tmp_path):
    """A day of mixed traffic: calls, a visitor still on site, a letter due, an overdue case;
    the shift handed over with it (and confirmed), and the overdue case."""
    shift = shifts.start(receptionist)
    home = traffic.host(admin, "13600001234")
    calls.register_call(
        receptionist,
        CallInput(
            started_at=clock.now(),
            category="咨询",
            content="问物业费",
            answer="1.8 元",
            outcome=Outcome.ANSWERED,
        ),
    )
    overdue = traffic.dispatched_complaint(
        receptionist, clock.now() - timedelta(hours=30), "噪音扰民", "品质管理部", "周主管"
    )
    traffic.callback_call(receptionist, clock, "停车位", "13912345678")
    traffic.message_call(receptionist, clock, "刘师傅", "13700001111")
    visitor = traffic.visitor_on_site(receptionist, home.id, "13900005678")
    traffic.appointment(receptionist, clock, home.id, hours=5, purpose="送装修材料")
    traffic.complaint_letter(receptionist, AttachmentStore(tmp_path / "att"), "业委会")
    incidents.record_incident(
        receptionist,
        incidents.IncidentInput(
            kind=incidents.HAZARD,
            description="地库有可疑人员",
            visit_id=visitor.id,
            reported_to_department_id=traffic.dept("保安部"),
            reported_to_person="吴班长",
            reported_at=clock.now(),
        ),
    )
    clock.advance(hours=4)
    shifts.hand_over(receptionist, "请跟进噪音投诉")
    shifts.confirm(supervisor, shift.id)
    return shifts.get(shift.id), overdue
