"""Diagnose before prescribing (issue 15, findings 1–3 and 5): at start a file in use by another
program, a folder or file this account may not read or write, a missing or empty file beside
this site's backups, and a damaged file are told apart — only damage offers a restore. Real
second processes hold the locks; permissions are tried by a child process that drops to uid
65534 (root ignores them). Backups: stale temporary files, a full disk said in words."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import peewee
import pytest

from reception.errors import DamagedDatabase
from reception.errors import DatabaseBusy
from reception.errors import DatabaseMissing
from reception.errors import StorageError
from reception.services import maintenance
from reception.services import residents
from reception.store import backup
from reception.store import db
from reception.store import startup
from reception.store.models import Resident
from reception.store.paths import DataDir
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.sqlite_only  # the SQLite file itself: locks, permissions, backups


@pytest.fixture
def data(tmp_path: Path) -> DataDir:
    return DataDir(tmp_path)


def corrupt(path: Path) -> None:
    """As tests/services/test_maintenance.py does: overwrite pages in the middle of the file."""
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    raw = bytearray(path.read_bytes())
    for offset in range(4096 * 2, min(len(raw), 4096 * 6), 7):
        raw[offset] = 0xFF
    path.write_bytes(bytes(raw))


def site_with_backup(admin, data: DataDir, clock) -> Path:
    """张三 in a good backup, the database closed (as in a fresh process)."""
    residents.add_resident(admin, residents.ResidentInput("1", "1", "101", "张三"))
    good = maintenance.backup_now(admin, data, clock.now())
    db.close_database()
    db.database.initialize(None)
    return good


# -- in use by another program --------------------------------------------------------------------
HOLDER = """
import sqlite3, sys
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("PRAGMA locking_mode=EXCLUSIVE")
con.execute("BEGIN IMMEDIATE")
con.execute("CREATE TABLE IF NOT EXISTS holder_probe (x)")
con.execute("INSERT INTO holder_probe VALUES (1)")
con.execute("COMMIT")  # in EXCLUSIVE locking mode the file stays locked after the write
print("HELD", flush=True)
sys.stdin.readline()
con.close()
"""


class LockHolder:
    """Another program holding the database file locked (a real second process)."""

    def __init__(self, path: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        assert self.proc.stdout is not None
        assert self.proc.stdout.readline().strip() == "HELD"

    def release(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.write("\n")
            self.proc.stdin.close()
            self.proc.wait(30)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


@pytest.fixture
def lock_holder() -> Iterator[list[LockHolder]]:
    held: list[LockHolder] = []
    yield held
    for holder in held:
        holder.release()


def test_a_file_held_by_another_program_is_busy_not_damaged_and_opens_once_released(
    admin, data, clock, lock_holder
):
    site_with_backup(admin, data, clock)
    lock_holder.append(LockHolder(data.database))
    with pytest.raises(DatabaseBusy) as caught:
        startup.open_data_dir(data)
    assert not isinstance(caught.value, DamagedDatabase)
    assert "正被另一个程序占用" in caught.value.message and str(data.database) in caught.value.message
    assert "不需要从备份恢复" in caught.value.message and caught.value.retryable
    # The command line's restore must not set the healthy file aside either.
    with pytest.raises(DatabaseBusy):
        maintenance.restore_with_backup_login(
            data, backup.list_backups(data.backups)[0].path, clock.now(), "admin", PASSWORD
        )
    assert not list(data.root.glob("damaged-*.db"))

    lock_holder[0].release()
    assert backup.check_file(data.database) == "ok"  # it was healthy all along
    startup.open_data_dir(data)
    assert [r.name for r in Resident.select()] == ["张三"]


# -- no permission ----------------------------------------------------------------------------------
CHILD = """
import json, os, sys
from reception.store import startup, backup, db, migrations  # imported while still root
from reception.store.paths import DataDir
from tests.conftest import PASSWORD
os.setgroups([])
os.setgid(65534)
os.setuid(65534)
try:
    startup.open_data_dir(DataDir(sys.argv[1]))
    problem = None
except Exception as exc:  # what the test must see, whatever it is
    problem = exc
print(json.dumps({
    "kind": type(problem).__name__,
    "message": getattr(problem, "message", str(problem)),
    "path": str(getattr(problem, "path", "")),
    "right": getattr(problem, "right", ""),
}, ensure_ascii=False))
"""


def diagnose_as_nobody(folder: Path) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONDONTWRITEBYTECODE="1")
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(folder)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    return json.loads(out.stdout)


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A folder uid 65534 can reach (tmp_path's parents are root's only)."""
    if os.geteuid() != 0:
        pytest.skip("needs root to drop to another user")
    base = Path(tempfile.mkdtemp(prefix="reception-perm-"))
    base.chmod(0o777)
    yield base
    for path in [base, *base.rglob("*")]:
        path.chmod(0o777) if path.is_dir() else None
    shutil.rmtree(base)


def healthy_site(folder: Path) -> DataDir:
    data = DataDir(folder)
    startup.open_data_dir(data)
    db.close_database()
    db.database.initialize(None)
    return data


def test_a_read_only_data_folder_names_the_folder_and_the_write_right(shared_tmp):
    data = healthy_site(shared_tmp / "站点")
    data.database.chmod(0o666)
    for path in (data.root, *data.root.iterdir()):
        if path.is_dir():
            path.chmod(0o555)  # readable, not writable
    seen = diagnose_as_nobody(data.root)
    assert seen["kind"] == "NoAccess"
    assert seen["path"] == str(data.root) and seen["right"] == "写"
    assert str(data.root) in seen["message"] and "写入权限" in seen["message"]
    assert "不需要从备份恢复" in seen["message"]
    assert backup.check_file(data.database) == "ok"


def test_a_data_folder_that_cannot_be_read_names_the_read_right(shared_tmp):
    data = healthy_site(shared_tmp / "站点")
    data.root.chmod(0o333)  # can be entered and written, not listed
    seen = diagnose_as_nobody(data.root)
    assert seen["kind"] == "NoAccess" and seen["right"] == "读" and seen["path"] == str(data.root)
    assert "读取权限" in seen["message"]


def test_a_read_only_database_file_names_the_file(shared_tmp):
    data = healthy_site(shared_tmp / "站点")
    data.root.chmod(0o777)
    data.database.chmod(0o444)
    seen = diagnose_as_nobody(data.root)
    assert seen["kind"] == "NoAccess" and seen["right"] == "写" and seen["path"] == str(data.database)


def test_the_same_folder_readable_and_writable_is_fine_for_that_user(shared_tmp):
    """The child's verdict is not always 'no access': with the rights granted it is None."""
    data = healthy_site(shared_tmp / "站点")
    for path in (data.root, *data.root.rglob("*")):
        path.chmod(0o777 if path.is_dir() else 0o666)
    assert diagnose_as_nobody(data.root)["kind"] == "NoneType"


# -- missing or empty beside the site's backups ------------------------------------------------------
@pytest.mark.parametrize("how", ["empty", "missing"])
def test_a_missing_or_empty_file_beside_backups_offers_the_newest_good_one(admin, data, clock, how):
    good = site_with_backup(admin, data, clock)
    older_bad = data.backups / "reception-20261120-090000-手动.db"
    older_bad.write_bytes(b"not a database" * 100)
    newer_bad = data.backups / "reception-20991231-090000-手动.db"
    newer_bad.write_bytes(b"not a database" * 100)
    if how == "empty":
        data.database.write_bytes(b"")
    else:
        data.database.unlink()
    with pytest.raises(DatabaseMissing) as caught:
        startup.open_data_dir(data)
    assert caught.value.backup == good  # the newest that passes its check
    assert ("是空的（0 字节）" if how == "empty" else "不存在") in caught.value.message
    assert "不会新建空数据库" in caught.value.message
    # Nothing was set up over it.
    assert (not data.database.exists()) or data.database.stat().st_size == 0
    maintenance.restore_unusable(data, good, clock.now())
    assert [r.name for r in Resident.select()] == ["张三"]
    assert not list(data.root.glob("damaged-*.db"))


def test_an_empty_file_with_only_bad_backups_is_refused_without_an_offer(admin, data, clock):
    site_with_backup(admin, data, clock)
    for info in backup.list_backups(data.backups):
        info.path.write_bytes(b"x" * 4096)
    data.database.write_bytes(b"")
    with pytest.raises(DatabaseMissing) as caught:
        startup.open_data_dir(data)
    assert caught.value.backup is None and "都没有通过检查" in caught.value.message


def test_an_empty_file_and_no_backups_is_a_new_site(tmp_path):
    data = DataDir(tmp_path)
    data.database.write_bytes(b"")
    startup.open_data_dir(data)
    assert "operator" in db.current().get_tables()


def test_a_damaged_file_is_still_the_one_case_called_damaged(admin, data, clock):
    site_with_backup(admin, data, clock)
    corrupt(data.database)
    problem = startup.diagnose(data)
    assert isinstance(problem, DamagedDatabase) and "检查未通过" in problem.message


# -- silent damage after a clean exit: the write refusal --------------------------------------------
def test_refused_writes_never_reach_the_file(admin, data, clock):
    db.refuse_writes("数据库文件已损坏")
    before = data.database.read_bytes()
    wal = Path(str(data.database) + "-wal")
    wal_before = wal.read_bytes() if wal.exists() else b""
    with pytest.raises(StorageError, match="数据库文件已损坏"):
        residents.add_resident(admin, residents.ResidentInput("1", "1", "109", "王五"))
    with pytest.raises(peewee.OperationalError, match=r"只读"):  # the driver's refusal, in words
        db.current().execute_sql("INSERT INTO setting (key, value) VALUES ('x', '1')")
    assert data.database.read_bytes() == before
    assert (wal.read_bytes() if wal.exists() else b"") == wal_before
    startup.open_data_dir(data)  # opened again (after a restore): writable again
    residents.add_resident(admin, residents.ResidentInput("1", "1", "109", "王五"))


# -- backups: stale temporary files, a full disk ----------------------------------------------------
def test_stale_backup_temp_files_are_removed_at_start_but_a_fresh_one_is_left(admin, data, clock):
    site_with_backup(admin, data, clock)
    stale = [data.backups / "reception-20261125-220000-每日.db.tmp", data.backups / "x.db.tmp-journal"]
    for path in stale:
        path.write_bytes(b"\0" * 70_000)
        old = time.time() - 3600  # an hour untouched: left by a killed backup
        os.utime(path, (old, old))
    fresh = data.backups / "reception-20261126-090000-手动.db.tmp"  # another program's, in progress
    fresh.write_bytes(b"\0" * 10)
    startup.open_data_dir(data)
    assert not any(p.exists() for p in stale)
    assert fresh.exists()
    assert len(backup.list_backups(data.backups)) == 1  # the real backup is untouched


class FullDisk:
    """The open database's connection, whose backup call fails as SQLite does on a full disk
    (after it has started writing the copy) — the true edge."""

    def __init__(self, real: sqlite3.Connection) -> None:
        self.real = real

    def __getattr__(self, name: str) -> object:
        return getattr(self.real, name)

    def backup(self, target: sqlite3.Connection, **kwargs: object) -> None:
        target.execute("CREATE TABLE partial (x)")
        target.execute("BEGIN")
        target.execute("INSERT INTO partial VALUES (zeroblob(100000))")  # a journal on disk too
        raise sqlite3.OperationalError("database or disk is full")


def test_a_full_disk_during_a_backup_is_said_in_words_and_leaves_no_temp_file(
    admin, data, clock, monkeypatch
):
    database = db.current()
    real = database.connection()
    monkeypatch.setattr(database, "connection", lambda: FullDisk(real))
    with pytest.raises(StorageError, match="磁盘空间不足") as caught:
        maintenance.backup_now(admin, data, clock.now())
    assert not isinstance(caught.value, DamagedDatabase) and caught.value.retryable
    assert sorted(p.name for p in data.backups.iterdir()) == []
    monkeypatch.undo()
    assert maintenance.backup_now(admin, data, clock.now()).exists()


def test_a_full_disk_on_the_command_line_is_one_line_and_status_1(admin, data, clock, monkeypatch, capsys):
    from reception import cli

    database = db.current()
    real = database.connection()
    monkeypatch.setattr(database, "connection", lambda: FullDisk(real))

    def reopen(target):  # the command opens the same file: here, the same connection
        db.database.initialize(database)
        return database

    monkeypatch.setattr(db, "open_database", reopen)
    status = cli.main(["backup", "--user", "admin", "--data-dir", str(data.root)])
    err = capsys.readouterr().err
    assert status == 1
    assert err.count("\n") == 1 and "磁盘空间不足" in err and "Traceback" not in err
    assert not [p for p in data.backups.iterdir() if ".tmp" in p.name]


def test_a_restore_stops_when_its_safety_copy_fails_for_a_full_disk(admin, data, clock, monkeypatch):
    """A full disk is not damage: the healthy database is not set aside and not replaced."""
    good = maintenance.backup_now(admin, data, clock.now())
    residents.add_resident(admin, residents.ResidentInput("1", "1", "102", "李四"))
    database = db.current()
    real = database.connection()
    monkeypatch.setattr(database, "connection", lambda: FullDisk(real))
    with pytest.raises(StorageError, match="磁盘空间不足"):
        maintenance.restore(admin, data, good, datetime(2026, 11, 26, 2, 0))
    monkeypatch.undo()
    assert not list(data.root.glob("damaged-*.db"))
    assert "李四" in [r.name for r in Resident.select()]


def test_a_full_disk_while_restoring_leaves_the_database_and_no_temp_copy(admin, data, clock, monkeypatch):
    good = maintenance.backup_now(admin, data, clock.now())
    residents.add_resident(admin, residents.ResidentInput("1", "1", "102", "李四"))

    def copy_until_full(source, target, length=0):  # the true edge: the disk fills during the copy
        target.write(source.read(8192))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup.shutil, "copyfileobj", copy_until_full)
    with pytest.raises(StorageError, match="磁盘空间不足，恢复未完成"):
        maintenance.restore(admin, data, good, datetime(2026, 11, 26, 2, 0))
    monkeypatch.undo()
    assert not Path(str(data.database) + ".restore").exists()
    startup.open_data_dir(data)
    assert "李四" in [r.name for r in Resident.select()]  # the database in place is untouched


def test_a_restore_copy_left_by_a_killed_restore_is_removed_at_start(admin, data, clock):
    site_with_backup(admin, data, clock)
    left = Path(str(data.database) + ".restore")
    left.write_bytes(b"\0" * 50_000)
    old = time.time() - 3600
    os.utime(left, (old, old))
    startup.open_data_dir(data)
    assert not left.exists()


def test_the_command_line_says_in_use_in_one_line_and_exits_1(admin, data, clock, lock_holder, capsys):
    from reception import cli

    site_with_backup(admin, data, clock)
    lock_holder.append(LockHolder(data.database))
    status = cli.main(["backup", "--user", "admin", "--data-dir", str(data.root)])
    err = capsys.readouterr().err
    assert status == 1 and err.count("\n") == 1 and "正被另一个程序占用" in err
    assert "Traceback" not in err and "恢复" not in err.replace("不需要从备份恢复", "")
    assert len(backup.list_backups(data.backups)) == 1  # no backup of a file it could not read
