"""Backups, restore, the daily jobs, retention purge, refusals logged, the audit check."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from datetime import timedelta
from pathlib import Path

import pytest

from reception import cli
from reception.errors import DamagedDatabase
from reception.errors import PermissionDenied
from reception.errors import ReceptionError
from reception.services import calls
from reception.services import maintenance
from reception.services import residents
from reception.services import retention
from reception.services import visits
from reception.services.calls import CallInput
from reception.services.calls import Outcome
from reception.store import backup
from reception.store import db
from reception.store.models import AuditLog
from reception.store.models import Call
from reception.store.models import Resident
from reception.store.models import Visit
from reception.store.paths import DataDir
from reception.store.startup import open_data_dir

PHONE = "13912345678"
ID_NUMBER = "11010519491231002X"


@pytest.fixture
def data(tmp_path) -> DataDir:
    return DataDir(tmp_path)


@pytest.mark.sqlite_only
def test_backup_is_checked_then_renamed_and_generations_are_kept(admin, data, clock):
    for day in range(5):
        when = datetime(2026, 11, 1 + day, 23, 0)
        backup.make_backup(db.current(), data.backups, backup.DAILY, when, generations=3)
    kept = backup.list_backups(data.backups)
    assert [b.created.day for b in kept] == [5, 4, 3]
    assert all(backup.check_file(b.path) == "ok" for b in kept)
    assert not list(data.backups.glob("*.tmp*"))


@pytest.mark.sqlite_only
def test_daily_backup_is_made_once_from_22_00_or_the_next_morning(admin, data):
    folder = data.backups
    assert (
        backup.daily_backup_if_due(db.current(), folder, datetime(2026, 11, 26, 9, 0)) is not None
    )  # none yet
    assert backup.daily_backup_if_due(db.current(), folder, datetime(2026, 11, 26, 12, 0)) is None
    assert backup.daily_backup_if_due(db.current(), folder, datetime(2026, 11, 26, 22, 5)) is not None
    assert backup.daily_backup_if_due(db.current(), folder, datetime(2026, 11, 26, 23, 0)) is None
    assert (
        backup.daily_backup_if_due(db.current(), folder, datetime(2026, 11, 28, 8, 0)) is not None
    )  # missed day


@pytest.mark.sqlite_only
def test_a_damaged_database_is_never_backed_up(admin, data, tmp_path):
    backup.make_backup(db.current(), data.backups, backup.DAILY, datetime(2026, 11, 25, 23, 0))
    db.close_database()
    _corrupt(tmp_path / "reception.db")
    with pytest.raises(DamagedDatabase):
        open_data_dir(data)
    assert maintenance.latest_good_backup(data) == backup.list_backups(data.backups)[0].path


def _corrupt(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    raw = bytearray(path.read_bytes())
    for offset in range(4096 * 2, min(len(raw), 4096 * 6), 7):
        raw[offset] = 0xFF
    path.write_bytes(bytes(raw))


@pytest.mark.sqlite_only
def test_restore_checks_the_file_backs_up_first_and_reopens(admin, data, clock):
    residents.add_resident(admin, residents.ResidentInput("1", "1", "101", "张三"))
    good = maintenance.backup_now(admin, data, clock.now())
    residents.add_resident(admin, residents.ResidentInput("1", "1", "102", "李四"))
    not_a_db = data.root / "x.db"
    not_a_db.write_bytes(b"hello")
    with pytest.raises(ReceptionError, match="不是完好的数据库"):
        maintenance.restore(admin, data, not_a_db, clock.now())
    safety = maintenance.restore(admin, data, good, clock.now())
    assert [r.name for r in Resident.select()] == ["张三"]
    assert safety is not None and "恢复前" in safety.name
    assert AuditLog.select().order_by(AuditLog.id.desc()).first().action == "backup.restore"


@pytest.mark.sqlite_only
def test_a_receptionist_cannot_restore_and_the_refusal_is_logged(receptionist, data, clock):
    good = maintenance.backup_now(receptionist, data, clock.now())
    with pytest.raises(PermissionDenied, match="恢复备份"):
        maintenance.restore(receptionist, data, good, clock.now())
    refusal = AuditLog.select().where(AuditLog.action == "permission.denied").get()
    assert refusal.operator_id == receptionist.operator.id and "恢复备份" in refusal.detail
    with pytest.raises(PermissionDenied):
        retention.purge_now(receptionist)


@pytest.mark.sqlite_only
def test_retention_purges_old_personal_data_from_the_file_bytes(receptionist, admin, clock, tmp_path):
    host = residents.add_resident(
        admin, residents.ResidentInput("12", "3", "801", "欧阳娜娜", "业主", "13600001234")
    )
    old_visit = visits.register_guest(
        receptionist,
        visits.GuestInput(
            visitor_name="王小明",
            visitor_phone=PHONE,
            id_number=ID_NUMBER,
            id_verified=True,
            host_resident_id=host.id,
            purpose="探亲访友",
            consent=visits.AGREED,
            plate="沪A12345",
        ),
    )
    calls.register_call(
        receptionist,
        CallInput(
            started_at=clock.now(),
            category="咨询",
            content="问",
            answer="答",
            outcome=Outcome.ANSWERED,
            caller_phone="13700007777",
        ),
    )
    clock.advance(days=91)
    recent = calls.register_call(
        receptionist,
        CallInput(
            started_at=clock.now(),
            category="咨询",
            content="问",
            answer="答",
            outcome=Outcome.ANSWERED,
            caller_phone="13800008888",
        ),
    ).call
    assert retention.due(clock.now())
    result = retention.purge_expired(clock.now())
    assert (result.visits, result.calls) == (1, 1)
    assert not retention.due(clock.now())
    purged = Visit.get_by_id(old_visit.id)
    assert (purged.id_masked, purged.id_hash, purged.visitor_phone, purged.plate) == ("", "", "", "")
    assert Call.get_by_id(recent.id).caller_phone == "13800008888"  # within the period: kept
    db.current().execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("reception.db*"))
    assert PHONE.encode() not in raw and b"13700007777" not in raw
    assert b"1101**********002X" not in raw
    assert b"13800008888" in raw
    entry = AuditLog.select().where(AuditLog.action == "retention.purge").get()
    assert '"visits": 1' in entry.detail


@pytest.mark.sqlite_only
def test_command_line_backup_restore_and_audit_verify(admin, tmp_path, capsys):
    residents.add_resident(admin, residents.ResidentInput("1", "1", "101", "张三"))
    db.close_database()
    folder = str(tmp_path)
    assert cli.main(["backup", "--user", "admin", "--data-dir", folder]) == 0
    made = capsys.readouterr().out.split("已备份到 ")[1].strip()
    assert cli.main(["audit", "verify", "--user", "admin", "--data-dir", folder]) == 0
    assert "审计日志完整" in capsys.readouterr().out
    assert cli.main(["restore", "--user", "admin", made, "--data-dir", folder]) == 0
    assert "已从" in capsys.readouterr().out
    assert cli.main(["restore", "--user", "admin", str(tmp_path / "nope.db"), "--data-dir", folder]) == 1
    assert "找不到备份文件" in capsys.readouterr().err
    con = sqlite3.connect(tmp_path / "reception.db")
    con.execute("DROP TRIGGER audit_log_no_update")
    con.execute("UPDATE audit_log SET detail = '{}' WHERE id = 2")
    con.commit()
    con.close()
    assert cli.main(["audit", "verify", "--user", "admin", "--data-dir", folder]) == 1
    assert "被修改" in capsys.readouterr().out


def test_the_daily_jobs_run_once(admin, data, clock):
    first = maintenance.run_daily_jobs(data, clock.now())
    # A server's backups are the server's business (pg_dump): no backup file from a desk.
    assert (first.backup is None) == db.is_postgres() and first.purge is not None
    again = maintenance.run_daily_jobs(data, clock.now() + timedelta(minutes=30))
    assert again.backup is None and again.purge is None


@pytest.mark.skipif(not os.environ.get("RECEPTION_TEST_DATABASE"), reason="needs a PostgreSQL test server")
def test_on_a_server_backup_and_restore_say_they_are_the_servers_business(admin, data, clock, capsys):
    from tests.conftest import cli_location

    with pytest.raises(ReceptionError, match="pg_dump"):
        maintenance.backup_now(admin, data, clock.now())
    with pytest.raises(ReceptionError, match="备份由服务器负责"):
        maintenance.restore(admin, data, data.backups / "x.db", clock.now())
    assert not list(data.backups.glob("*.db"))
    where = cli_location()
    assert cli.main(["backup", "--user", "admin", *where]) == 1
    assert "pg_dump" in capsys.readouterr().err
