"""Keeping the data safe: backups on demand and at the end of each day, restoring a backup,
the daily retention purge, and the audit-log check. Used by the window and the command line."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from reception.clock import to_local
from reception.errors import DamagedDatabase
from reception.errors import DatabaseMissing
from reception.errors import ReceptionError
from reception.services import retention
from reception.services import settings as settings_mod
from reception.services.session import Role
from reception.services.session import Session
from reception.services.session import require_session
from reception.store import audit
from reception.store import backup
from reception.store import db
from reception.store import migrations
from reception.store.paths import DataDir

log = logging.getLogger(__name__)

SERVER_BACKUP_MESSAGE = (
    "本站的数据保存在数据库服务器上，备份由服务器负责（例如服务器管理员每天用 pg_dump 备份），"
    "本程序不做备份，也不从备份恢复。请联系服务器管理员。"
)


def refuse_on_server() -> None:
    """Backups and restores of a server's database are the server's business: say so rather
    than pretend (a copy made by one desk would be neither whole nor consistent)."""
    if db.is_postgres():
        raise ReceptionError(SERVER_BACKUP_MESSAGE)


def backup_now(session: Session, data: DataDir, now: datetime) -> Path:
    """A backup on demand (any operator who is logged in may make one; audited under their name)."""
    require_session(session, "备份")
    refuse_on_server()
    path = backup.make_backup(db.current(), data.backups, backup.MANUAL, to_local(now))
    with db.write():
        audit.record(now, session.operator, "backup.create", "", None, file=path.name)
    log.info("backup written: %s", path.name)
    return path


def restore(session: Session, data: DataDir, source: Path, now: datetime) -> Path | None:
    """Replace the database with a backup (administrators only; the command line logs the
    administrator in first — against the backup itself when the database in place cannot be opened).

    The file is checked first; the current database is backed up first when it is healthy
    (a damaged one is set aside, never written over a good backup; a missing or empty one has
    nothing to keep). A database that is only in use by another program or out of this
    account's reach is refused, never set aside (:class:`StorageError`); a failed safety copy
    (a full disk) stops the restore. Returns the safety copy."""
    require_session(session, "恢复备份")
    session.require(Role.ADMIN, "恢复备份")
    return _restore(data, source, now, session.operator.display_name)


def restore_unusable(data: DataDir, source: Path, now: datetime, by: str = "") -> Path | None:
    """The window's recovery when the database in place cannot be used (found damaged at start
    or by the background check, or missing/empty beside backups), where nobody can log in to it:
    no session, so no choice either — ``source`` must be the newest backup that passes its check
    (the one offered), and only while the database really is unusable (a healthy one, or one merely
    in use by another program or out of reach, is refused). ``by``: the operator of the window, when
    one is logged in. Audited. Returns the safety copy, as :func:`restore`."""
    from reception.store import startup

    refuse_on_server()
    reason = db.writes_refused() if db.database.obj is not None and not db.database.is_closed() else None
    if reason is None:
        db.close_database()
        problem = startup.diagnose(data)
        if problem is None:
            startup.open_data_dir(data)
            raise ReceptionError(
                "当前数据库完好，无需从备份恢复；恢复备份须由管理员登录后在「系统维护」中进行。"
            )
        if not isinstance(problem, (DamagedDatabase, DatabaseMissing)):
            raise problem  # in use, no access, a shared folder: nothing to restore
    newest = latest_good_backup(data)
    if newest is None or newest.resolve() != source.resolve():
        raise ReceptionError("数据库无法使用时只能用最近一份完好的备份恢复；其他备份须由管理员登录后恢复。")
    return _restore(data, source, now, (by or "启动时") + "（数据库无法使用）")


def restore_with_backup_login(
    data: DataDir, source: Path, now: datetime, username: str, password: str
) -> Path | None:
    """The command line's restore when the database in place cannot be opened, so nobody can log
    in to it: the backup's own administrators vouch for the user (``username``/``password`` checked
    against an active administrator in ``source``, read only). Refused while the database in place
    opens (then :func:`restore` with a login). Audited under that name."""
    from reception.store import startup

    refuse_on_server()
    backup.check_restorable(source, migrations.LATEST)
    if db.database.obj is not None and not db.database.is_closed() and db.writes_refused() is None:
        raise ReceptionError("当前数据库可以打开：请以管理员身份登录后恢复。")
    _check_backup_admin(source, username, password)
    if db.database.obj is None or db.database.is_closed():
        startup.refuse_if_unusable(data)
    return _restore(data, source, now, f"{username}（凭备份中的管理员账号）")


def _check_backup_admin(source: Path, username: str, password: str) -> None:
    import sqlite3

    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError
    from argon2.exceptions import VerificationError

    from reception.errors import AuthError
    from reception.errors import PermissionDenied
    from reception.store.files import sqlite_uri

    con = sqlite3.connect(sqlite_uri(source), uri=True)
    try:
        row = con.execute(
            "SELECT password_hash, role, active FROM operator WHERE username = ?",
            ((username or "").strip().lower(),),
        ).fetchone()
    finally:
        con.close()
    try:
        if row is None or not row[2]:
            raise VerificationError
        PasswordHasher().verify(row[0], password)
    except (VerificationError, InvalidHashError):
        raise AuthError("登录名或密码不正确。") from None
    if row[1] != Role.ADMIN.value:
        raise PermissionDenied("“恢复备份”需要管理员权限。")


def _restore(data: DataDir, source: Path, now: datetime, by: str) -> Path | None:
    from reception.store.startup import refuse_if_unusable

    refuse_on_server()
    backup.check_restorable(source, migrations.LATEST)
    opened = db.database.obj is not None and not db.database.is_closed()
    if not opened:
        refuse_if_unusable(data)
    safety: Path | None = None
    try:
        if not data.database.exists() or data.database.stat().st_size == 0:
            pass  # nothing to keep (the empty file is replaced below)
        elif opened:
            safety = backup.make_backup(db.current(), data.backups, backup.BEFORE_RESTORE, to_local(now))
        else:
            raise DamagedDatabase("当前数据库未能打开")
    except DamagedDatabase:
        damaged = data.root / f"damaged-{to_local(now):%Y%m%d-%H%M%S}.db"
        log.warning("current database failed its check; kept aside as %s", damaged.name)
        db.close_database()
        if data.database.exists():
            data.database.replace(damaged)
    db.close_database()
    try:
        backup.restore_file(source, data.database)
    except OSError as exc:  # a full disk while copying: no half-written temporary copy left
        backup.remove_restore_temp(data.database)
        raise backup.restore_error(exc, data.root) from exc
    from reception.store.startup import open_data_dir

    open_data_dir(data)
    with db.write():
        audit.record(
            now,
            None,
            "backup.restore",
            "",
            None,
            file=source.name,
            by=by,
        )
    return safety


@dataclass(frozen=True)
class DailyResult:
    backup: Path | None
    purge: retention.PurgeResult | None


def run_daily_jobs(data: DataDir, now: datetime, *, starting: bool = False) -> DailyResult:
    """The end-of-day backup (when due; not on a server, whose backups are its own) and the
    retention purge (once a day; drafts older than a day go with it). ``starting``: the window's
    first run — old drafts are purged then too, even when the daily purge has already run today."""
    made = None
    if not db.is_postgres():
        conf = settings_mod.load()
        # No backup outlives the retention period: one daily backup a day, at most that many days.
        generations = min(conf.backup_generations, max(conf.retention_days, 1))
        made = backup.daily_backup_if_due(db.current(), data.backups, to_local(now), generations)
    purged = retention.purge_expired(now) if retention.due(now) else None
    if starting and purged is None:
        retention.purge_old_drafts(now)
    return DailyResult(made, purged)


def second_copy_warning(data: DataDir, now: datetime) -> str | None:
    """The status bar's warning about this PC's second backup folder (failed, or no successful
    copy for longer than allowed), or None."""
    from reception.store import second_copy

    return second_copy.warning(data.root, now)


def list_backups(data: DataDir) -> list[backup.BackupInfo]:
    """The backups in the data folder, newest first (for 从备份恢复)."""
    return backup.list_backups(data.backups)


def latest_good_backup(data: DataDir) -> Path | None:
    """The newest backup that passes its check (offered when the database is damaged)."""
    for info in backup.list_backups(data.backups):
        try:
            backup.check_restorable(info.path, migrations.LATEST)
        except ReceptionError:
            continue
        return info.path
    return None


def verify_audit(session: Session) -> list[str]:
    """The audit log checked with the site key and against every anchor this PC knows (the head
    after the last save, the reports', the backups'): problems in Chinese, empty when intact.
    Supervisors and administrators; the check itself is audited (after it, so it is not compared)."""
    require_session(session, "检查审计日志")
    session.require(Role.SUPERVISOR, "检查审计日志")
    problems = audit.verify(audit.known_anchors()).problems
    with db.write():
        audit.record(session.now(), session.operator, "audit.verify", "", None, problems=len(problems))
    return problems
