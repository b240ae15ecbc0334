"""Retention of personal data (保护居民隐私): visitor ID data and phone numbers older than the
retention period (default 90 days, setting ``retention_days``) are removed by a daily job.

The records themselves stay (the history of what happened is kept); the personal values in
them are blanked. With ``secure_delete`` on and a WAL checkpoint afterwards, the old values are
gone from the database file's bytes, not just hidden.

Every copy is reached: the call search index is optimised (its old segments leave the file),
drafts older than :data:`DRAFT_HOURS` are deleted (here, in every backup, at each start —
:func:`purge_old_drafts` — and all of an operator's when they log out: ``auth.logout``),
backups older than the retention period are
deleted (whatever their kind: daily, manual, before a restore) and the remaining backups get the
same purge (rewritten through a checked temporary copy), so no purged value outlives its period
in any file of the data folder."""

from __future__ import annotations

import logging
import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from pathlib import Path

import peewee

from reception.clock import to_local
from reception.services import settings as settings_mod
from reception.services.session import Role
from reception.services.session import Session
from reception.store import audit
from reception.store import backup
from reception.store import db
from reception.store import drafts
from reception.store.models import Appointment
from reception.store.models import Call
from reception.store.models import Callback
from reception.store.models import Draft
from reception.store.models import Message
from reception.store.models import Setting
from reception.store.models import Visit
from reception.store.paths import DataDir

log = logging.getLogger(__name__)
_LAST_RUN = "retention_last_run"
# Drafts of half-filled forms are kept at most this many hours: purged by the daily job, at each
# start, and when their operator logs out (the idle lock's switch of operator keeps them).
DRAFT_HOURS = 24
_PURGED_MODELS = [Visit, Call, Message, Callback, Appointment, Draft]


@dataclass(frozen=True)
class PurgeResult:
    cutoff: datetime
    visits: int
    calls: int
    messages: int
    callbacks: int
    appointments: int

    @property
    def total(self) -> int:
        return self.visits + self.calls + self.messages + self.callbacks + self.appointments


def _blank(cutoff: datetime) -> tuple[int, int, int, int, int]:
    """Blank the personal values older than ``cutoff`` in the database the models are bound to."""
    visits = (
        Visit.update(id_masked="", id_hash="", id_full=None, visitor_phone="", plate="")
        .where(
            (Visit.arrived_at < cutoff)
            & (
                (Visit.id_masked != "")
                | (Visit.id_hash != "")
                | Visit.id_full.is_null(False)
                | (Visit.visitor_phone != "")
                | (Visit.plate != "")
            )
        )
        .execute()
    )
    calls = Call.update(caller_phone="").where((Call.saved_at < cutoff) & (Call.caller_phone != "")).execute()
    from reception.services import phone_line
    from reception.store.models import Ring

    if Ring.table_exists():  # the rings' numbers count with the calls' (a backup older than step 11 has none)
        calls += phone_line.purge_rings(cutoff)
    messages = (
        Message.update(callback_phone="")
        .where((Message.created_at < cutoff) & (Message.callback_phone != ""))
        .execute()
    )
    callbacks = (
        Callback.update(phone="")
        .where((Callback.created_at < cutoff) & (Callback.phone != "") & Callback.completed_at.is_null(False))
        .execute()
    )
    appointments = (
        Appointment.update(visitor_phone="")
        .where((Appointment.expected_at < cutoff) & (Appointment.visitor_phone != ""))
        .execute()
    )
    return visits, calls, messages, callbacks, appointments


def _optimise_search_index(database: peewee.Database) -> None:
    """Merge the call search index's segments, so the old ones (purged values) leave the file."""
    tables = {row[0] for row in database.execute_sql("SELECT name FROM sqlite_master WHERE type='table'")}
    if "call_search" in tables:
        database.execute_sql("INSERT INTO call_search(call_search) VALUES('optimize')")


def purge_expired(now: datetime, operator_id: int | None = None) -> PurgeResult:
    """Blank personal data older than the retention period, in the database and in every copy
    (drafts, search index, backups). ``operator_id`` None: the daily job."""
    days = max(int(settings_mod.load().retention_days), 1)
    cutoff = now - timedelta(days=days)
    with db.write():
        visits, calls, messages, callbacks, appointments = _blank(cutoff)
        result = PurgeResult(cutoff, visits, calls, messages, callbacks, appointments)
        settings_mod.put(_LAST_RUN, now.date().isoformat())
        audit.record(
            now,
            operator_id,
            "retention.purge",
            "",
            None,
            days=days,
            visits=visits,
            calls=calls,
            messages=messages,
            callbacks=callbacks,
            appointments=appointments,
        )
    old_drafts = drafts.purge_older_than(now, timedelta(hours=DRAFT_HOURS))
    if db.is_postgres():
        # The old row versions stay in the server's files until VACUUM reclaims them: the
        # server's routine maintenance (autovacuum), which the administrator owns.
        log.info("retention purge on a server: old row versions are reclaimed by its VACUUM")
    else:
        with db.write():
            _optimise_search_index(db.current())
        # Move the rewritten pages into the main file and empty the WAL, so old values leave the disk.
        db.database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        purge_backups(DataDir(Path(db.current().database).parent).backups, now, days)
    log.info(
        "retention purge: %d records older than %d days cleaned, %d old drafts deleted",
        result.total,
        days,
        old_drafts,
    )
    return result


def purge_backups(folder: Path, now: datetime, days: int) -> int:
    """Backups older than ``days`` are deleted (whatever their kind); the others get the purge
    themselves. Returns how many backups were deleted."""
    cutoff = now - timedelta(days=days)
    local_cutoff = to_local(cutoff).replace(tzinfo=None)
    deleted = 0
    for info in backup.list_backups(folder):
        if info.created < local_cutoff:
            info.path.unlink(missing_ok=True)
            deleted += 1
            continue
        try:
            _purge_backup_file(info.path, cutoff, now - timedelta(hours=DRAFT_HOURS))
        except (peewee.PeeweeException, sqlite3.Error, OSError) as exc:
            # An older layout or a damaged copy: deleting it is the only way its values leave.
            log.warning("backup %s could not be purged (%s): deleted", info.path.name, type(exc).__name__)
            info.path.with_name(info.path.name + ".purge").unlink(missing_ok=True)
            info.path.unlink(missing_ok=True)
            deleted += 1
    if deleted:
        log.info("retention purge: %d backups deleted", deleted)
    return deleted


def _purge_backup_file(path: Path, cutoff: datetime, draft_cutoff: datetime) -> None:
    """The purge applied to one backup: on a temporary copy, checked, then put in its place."""
    tmp = path.with_name(path.name + ".purge")
    tmp.write_bytes(path.read_bytes())
    copy = peewee.SqliteDatabase(str(tmp), pragmas={"secure_delete": 1, "journal_mode": "delete"})
    try:
        with copy.bind_ctx(_PURGED_MODELS), copy.atomic():
            changed = sum(_blank(cutoff))
            changed += Draft.delete().where(Draft.saved_at < draft_cutoff).execute()
        if changed:
            _optimise_search_index(copy)
            copy.execute_sql("VACUUM")
    finally:
        copy.close()
    if not changed:
        tmp.unlink()
        return
    if backup.check_file(tmp) != "ok":
        tmp.unlink(missing_ok=True)
        raise sqlite3.DatabaseError("check failed after purge")
    with tmp.open("r+b") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def purge_old_drafts(now: datetime) -> int:
    """Drafts older than :data:`DRAFT_HOURS` deleted (run at each start, besides the daily purge),
    and on SQLite the WAL emptied so their text leaves the disk. Returns how many."""
    deleted = drafts.purge_older_than(now, timedelta(hours=DRAFT_HOURS))
    if deleted:
        forget_deleted_rows()
        log.info("drafts purge: %d drafts older than %d hours deleted", deleted, DRAFT_HOURS)
    return deleted


def forget_deleted_rows() -> None:
    """After deleting personal data outside the daily purge (drafts): on SQLite, move the
    rewritten pages into the main file and empty the WAL (``secure_delete`` has zeroed the old
    values there), so the deleted text is in no file. A reader that keeps the WAL from being
    emptied (the background check) only delays this to the next checkpoint."""
    if not db.is_postgres():
        db.database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def purge_now(session: Session) -> PurgeResult:
    """A purge started by hand (administrators only)."""
    session.require(Role.ADMIN, "清除过期个人信息")
    return purge_expired(session.now(), session.operator.id)


def due(now: datetime) -> bool:
    """True when the daily purge has not run today."""
    row = Setting.get_or_none(Setting.key == _LAST_RUN)
    return row is None or row.value.strip('"') != now.date().isoformat()
