"""Shared fixtures: a real SQLite file per test, an injectable clock, logged-in sessions."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from reception import auth, db
from reception.clock import FixedClock
from reception.migrations import migrate
from reception.session import Role, Session
from ui.qt_compat import protect_singletons

protect_singletons()  # the same guard as the application (PySide6 6.12 on Python 3.11)

PASSWORD = "secret12"


@pytest.fixture
def clock() -> FixedClock:
    # 2026-11-26 09:00 in Shanghai
    return FixedClock(datetime(2026, 11, 26, 1, 0, 0))


@pytest.fixture
def database(tmp_path: Path) -> Iterator[object]:
    database = db.open_database(tmp_path / "reception.db")
    migrate(database, backup_dir=tmp_path / "backups")
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
