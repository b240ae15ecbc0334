"""Keeping the data safe: backups on demand and at the end of each day, restoring a backup,
the daily retention purge, and the audit-log check. Used by the window and the command line."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from reception.clock import to_local
from reception.errors import DamagedDatabase, ReceptionError
from reception.services import retention
from reception.services import settings as settings_mod
from reception.services.session import Role, Session
from reception.store import audit, backup, db, migrations
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


def backup_now(session: Session | None, data: DataDir, now: datetime) -> Path:
    """A backup on demand (any operator may make one)."""
    refuse_on_server()
    path = backup.make_backup(db.current(), data.backups, backup.MANUAL, to_local(now))
    with db.write():
        audit.record(now, session.operator if session else None, "backup.create", "", None, file=path.name)
    log.info("backup written: %s", path.name)
    return path


def restore(session: Session | None, data: DataDir, source: Path, now: datetime) -> Path | None:
    """Replace the database with a backup (administrators; the command line acts as one).

    The file is checked first; the current database is backed up first when it is healthy
    (a damaged one is set aside, never written over a good backup; a missing or empty one has
    nothing to keep). A database that is only in use by another program or out of this
    account's reach is refused, never set aside (:class:`StorageError`); a failed safety copy
    (a full disk) stops the restore. Returns the safety copy."""
    from reception.store.startup import refuse_if_unusable

    if session is not None:
        session.require(Role.ADMIN, "恢复备份")
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
            by=session.operator.display_name if session else "命令行",
        )
    return safety


@dataclass(frozen=True)
class DailyResult:
    backup: Path | None
    purge: retention.PurgeResult | None


def run_daily_jobs(data: DataDir, now: datetime) -> DailyResult:
    """The end-of-day backup (when due; not on a server, whose backups are its own) and the
    retention purge (once a day)."""
    made = None
    if not db.is_postgres():
        conf = settings_mod.load()
        # No backup outlives the retention period: one daily backup a day, at most that many days.
        generations = min(conf.backup_generations, max(conf.retention_days, 1))
        made = backup.daily_backup_if_due(db.current(), data.backups, to_local(now), generations)
    purged = retention.purge_expired(now) if retention.due(now) else None
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


def verify_audit() -> list[str]:
    """The audit log checked with the site key and against every anchor this PC knows (the head
    after the last save, the reports', the backups'): problems in Chinese, empty when intact."""
    return audit.verify(audit.known_anchors()).problems
