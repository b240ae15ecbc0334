"""Retention of personal data (保护居民隐私): visitor ID data and phone numbers older than the
retention period (default 90 days, setting ``retention_days``) are removed by a daily job.

The records themselves stay (the history of what happened is kept); the personal values in
them are blanked. With ``secure_delete`` on and a WAL checkpoint afterwards, the old values are
gone from the database file's bytes, not just hidden."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from reception.services import settings as settings_mod
from reception.services.session import Role, Session
from reception.store import audit, db
from reception.store.models import Appointment, Call, Callback, Message, Setting, Visit

log = logging.getLogger(__name__)
_LAST_RUN = "retention_last_run"


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


def purge_expired(now: datetime, operator_id: int | None = None) -> PurgeResult:
    """Blank personal data older than the retention period. ``operator_id`` None: the daily job."""
    days = max(int(settings_mod.load().retention_days), 1)
    cutoff = now - timedelta(days=days)
    with db.write():
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
        calls = (
            Call.update(caller_phone="").where((Call.saved_at < cutoff) & (Call.caller_phone != "")).execute()
        )
        messages = (
            Message.update(callback_phone="")
            .where((Message.created_at < cutoff) & (Message.callback_phone != ""))
            .execute()
        )
        callbacks = (
            Callback.update(phone="")
            .where(
                (Callback.created_at < cutoff) & (Callback.phone != "") & Callback.completed_at.is_null(False)
            )
            .execute()
        )
        appointments = (
            Appointment.update(visitor_phone="")
            .where((Appointment.expected_at < cutoff) & (Appointment.visitor_phone != ""))
            .execute()
        )
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
    if db.is_postgres():
        # The old row versions stay in the server's files until VACUUM reclaims them: the
        # server's routine maintenance (autovacuum), which the administrator owns.
        log.info("retention purge on a server: old row versions are reclaimed by its VACUUM")
    else:
        # Move the rewritten pages into the main file and empty the WAL, so old values leave the disk.
        db.database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    log.info("retention purge: %d records older than %d days cleaned", result.total, days)
    return result


def purge_now(session: Session) -> PurgeResult:
    """A purge started by hand (administrators only)."""
    session.require(Role.ADMIN, "清除过期个人信息")
    return purge_expired(session.now(), session.operator.id)


def due(now: datetime) -> bool:
    """True when the daily purge has not run today."""
    row = Setting.get_or_none(Setting.key == _LAST_RUN)
    return row is None or row.value.strip('"') != now.date().isoformat()
