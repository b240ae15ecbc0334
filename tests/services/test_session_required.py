"""No public service function runs without a session: each one that used to accept ``None``
(and then skipped its role check) refuses a missing session, refuses the wrong role (audited),
and with the right role does its work and records it in the audit log."""

from __future__ import annotations

import json
import shutil

import pytest

from reception.errors import AuthError
from reception.errors import PermissionDenied
from reception.errors import ReceptionError
from reception.services import analysis
from reception.services import auth
from reception.services import maintenance
from reception.services import residents
from reception.store import db
from reception.store.models import AuditLog
from reception.store.models import Resident
from reception.store.paths import DataDir
from reception.store.startup import open_data_dir
from tests.conftest import PASSWORD


@pytest.fixture
def data(tmp_path) -> DataDir:
    return DataDir(tmp_path)


def _last(action: str) -> AuditLog:
    return AuditLog.select().where(AuditLog.action == action).order_by(AuditLog.id.desc()).get()


def _refusals() -> int:
    return AuditLog.select().where(AuditLog.action == "permission.denied").count()


@pytest.mark.sqlite_only
def test_backup_now_needs_a_session_and_is_audited_under_its_operator(receptionist, data, clock):
    with pytest.raises(PermissionDenied, match="登录"):
        maintenance.backup_now(None, data, clock.now())  # type: ignore[arg-type]
    assert not list(data.backups.glob("*.db"))
    path = maintenance.backup_now(receptionist, data, clock.now())
    entry = _last("backup.create")
    assert path.exists() and entry.operator_id == receptionist.operator.id and path.name in entry.detail


@pytest.mark.sqlite_only
def test_restore_needs_an_administrators_session(admin, receptionist, data, clock):
    residents.add_resident(admin, residents.ResidentInput("1", "1", "101", "张三"))
    good = maintenance.backup_now(admin, data, clock.now())
    residents.add_resident(admin, residents.ResidentInput("1", "1", "102", "李四"))
    with pytest.raises(PermissionDenied, match="登录"):
        maintenance.restore(None, data, good, clock.now())  # type: ignore[arg-type]
    before = _refusals()
    with pytest.raises(PermissionDenied, match="管理员"):
        maintenance.restore(receptionist, data, good, clock.now())
    assert _refusals() == before + 1
    assert "李四" in [r.name for r in Resident.select()]  # nothing restored
    maintenance.restore(admin, data, good, clock.now())
    assert [r.name for r in Resident.select()] == ["张三"]
    assert json.loads(_last("backup.restore").detail)["by"] == "王管理"


def test_the_complaints_export_needs_a_supervisors_session_and_is_audited(receptionist, supervisor, tmp_path):
    report = analysis.build(analysis.Period.month(2026, 11), supervisor.now())
    out = tmp_path / "a.xlsx"
    with pytest.raises(PermissionDenied, match="登录"):
        analysis.export_xlsx(None, report, out)  # type: ignore[arg-type]
    before = _refusals()
    with pytest.raises(PermissionDenied, match="主管"):
        analysis.export_xlsx(receptionist, report, out)
    assert _refusals() == before + 1 and not out.exists()
    analysis.export_xlsx(supervisor, report, out)
    entry = _last("analysis.export")
    assert out.exists() and entry.operator_id == supervisor.operator.id and "a.xlsx" in entry.detail


def test_the_recovery_key_needs_an_administrators_session(admin, supervisor):
    with pytest.raises(PermissionDenied, match="登录"):
        auth.recovery_sheet(None)  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied, match="管理员"):
        auth.recovery_sheet(supervisor)
    assert auth.recovery_sheet(admin).recovery_key


def test_the_audit_check_needs_a_supervisors_session_and_is_audited(receptionist, supervisor):
    with pytest.raises(PermissionDenied, match="登录"):
        maintenance.verify_audit(None)  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied, match="主管"):
        maintenance.verify_audit(receptionist)
    assert maintenance.verify_audit(supervisor) == []
    assert _last("audit.verify").operator_id == supervisor.operator.id


@pytest.mark.sqlite_only
def test_recovery_without_a_login_only_when_the_database_is_unusable(admin, data, clock):
    """The window's restore at start (nobody can log in to a damaged database): refused while
    the database is healthy, and only ever the newest good backup."""
    residents.add_resident(admin, residents.ResidentInput("1", "1", "101", "张三"))
    older = maintenance.backup_now(admin, data, clock.now())
    newest = maintenance.backup_now(admin, data, clock.now().replace(minute=30))
    residents.add_resident(admin, residents.ResidentInput("1", "1", "102", "李四"))
    with pytest.raises(ReceptionError, match="完好"):
        maintenance.restore_unusable(data, newest, clock.now())
    assert "李四" in [r.name for r in Resident.select()]  # still open, nothing replaced
    db.close_database()
    data.database.write_bytes(b"")  # the file emptied: unusable
    for side in ("-wal", "-shm"):
        data.database.with_name(data.database.name + side).unlink(missing_ok=True)
    with pytest.raises(ReceptionError, match="最近一份"):
        maintenance.restore_unusable(data, older, clock.now())
    maintenance.restore_unusable(data, newest, clock.now())
    assert [r.name for r in Resident.select()] == ["张三"]
    assert "数据库无法使用" in json.loads(_last("backup.restore").detail)["by"]


@pytest.mark.sqlite_only
def test_the_command_lines_restore_of_an_unopenable_database_checks_the_backups_administrator(
    admin, receptionist, data, clock
):
    good = maintenance.backup_now(admin, data, clock.now())
    with pytest.raises(ReceptionError, match="可以打开"):
        maintenance.restore_with_backup_login(data, good, clock.now(), "admin", PASSWORD)
    copy = data.root / "copy.db"
    shutil.copyfile(good, copy)
    db.close_database()
    data.database.write_bytes(b"")
    with pytest.raises(AuthError):
        maintenance.restore_with_backup_login(data, copy, clock.now(), "admin", "wrong-password")
    with pytest.raises(PermissionDenied, match="管理员"):
        maintenance.restore_with_backup_login(data, copy, clock.now(), "lixiao", PASSWORD)
    assert data.database.stat().st_size == 0
    maintenance.restore_with_backup_login(data, copy, clock.now(), "admin", PASSWORD)
    open_data_dir(data)
    assert "凭备份中的管理员账号" in json.loads(_last("backup.restore").detail)["by"]
