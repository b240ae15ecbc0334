"""One error vocabulary on SQLite: a file another program holds locked, or one opened read-only,
gives every save and every read the program's own Chinese error (StorageError with its cause and
whether a retry helps) — never a raw peewee or sqlite3 exception — and nothing typed is lost:
the same save succeeds once the fault is gone."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import peewee
import pytest

from reception.errors import StorageError
from reception.store import db
from tests import fault_saves

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def desk(admin, receptionist, tmp_path):
    return fault_saves.saves(receptionist, admin, tmp_path), fault_saves.reads(receptionist)


@pytest.fixture
def locked(tmp_path) -> Iterator[None]:
    # Reads wait the connection's busy timeout for the lock; the test needs no 5 s wait per read.
    fault_saves.short_waits(tmp_path)
    holder = fault_saves.exclusive_holder(tmp_path / "reception.db")
    try:
        yield
    finally:
        holder.communicate("\n", timeout=10)


def _failure(action) -> StorageError:
    """Run ``action``: it must fail with the program's own error and nothing else."""
    try:
        action()
    except StorageError as exc:
        return exc
    except (peewee.PeeweeException, sqlite3.Error) as exc:  # the bug this file is about
        pytest.fail(f"raw database error escaped: {type(exc).__module__}.{type(exc).__name__}: {exc}")
    pytest.fail("the action did not fail")


def test_every_save_and_read_on_a_locked_file_says_so_in_chinese(desk, locked):
    saves, reads = desk
    for name, save in saves.items():
        failure = _failure(save)
        assert "数据库正被其他程序占用" in failure.message, name
        assert failure.retryable, name
    for name, read in reads.items():
        failure = _failure(read)
        assert "数据库正被其他程序占用" in failure.message and failure.retryable, name


def test_the_same_saves_succeed_once_the_lock_is_gone(desk, tmp_path):
    saves, _ = desk
    fault_saves.short_waits(tmp_path)
    holder = fault_saves.exclusive_holder(tmp_path / "reception.db")
    try:
        for save in saves.values():
            _failure(save)
    finally:
        holder.communicate("\n", timeout=10)
    for name, save in saves.items():
        assert save() is not None, name  # the retry the dialog offers


def test_a_read_only_file_reads_and_refuses_every_save_in_chinese(desk, tmp_path):
    saves, reads = desk
    db.close_database()
    ro = db.LocalDatabase(f"file:{tmp_path / 'reception.db'}?mode=ro", uri=True, pragmas={"foreign_keys": 1})
    db.database.initialize(ro)
    for read in reads.values():
        read()  # reading a read-only file works
    for name, save in saves.items():
        failure = _failure(save)
        assert "数据库为只读" in failure.message and "记录未保存" in failure.message, name


def test_a_file_that_cannot_be_opened_any_more_is_said_in_chinese(desk, tmp_path):
    """The data folder vanished under the program (a network drive unplugged): reads and saves
    say so."""
    saves, reads = desk
    db.close_database()
    gone = db.LocalDatabase(str(tmp_path / "missing" / "reception.db"), pragmas=db.PRAGMAS)
    db.database.initialize(gone)
    for name, action in {**reads, **saves}.items():
        assert "无法打开数据库文件" in _failure(action).message, name


def test_a_bug_is_not_dressed_up_as_a_storage_failure(database):
    """A wrong statement (a programming error) stays what it is: only failures of the database
    itself become the program's storage error."""
    with pytest.raises(peewee.OperationalError) as raised:
        db.database.execute_sql("SELECT nothing FROM no_such_table")
    assert not isinstance(raised.value, StorageError)


def test_rows_fetched_after_the_first_are_guarded_too(database):
    cursor = db.database.execute_sql("SELECT 1 UNION ALL SELECT 2")
    assert [row[0] for row in cursor] == [1, 2]
    assert db.database.execute_sql("SELECT 3").fetchall() == [(3,)]
