"""The open-item counts shown in the status bar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from reception import callbacks, cases, messages
from reception.models import Case


@dataclass(frozen=True)
class DeskCounts:
    open_cases: int
    overdue_cases: int
    undelivered_messages: int
    open_callbacks: int
    overdue_callbacks: int


def desk_counts(now: datetime) -> DeskCounts:
    open_cases = Case.select().where(Case.status.in_(cases.OPEN_STATUSES))
    open_cb, overdue_cb = callbacks.count_open(now)
    return DeskCounts(
        open_cases=open_cases.count(),
        overdue_cases=open_cases.where(Case.reply_due_at < now).count(),
        undelivered_messages=messages.count_undelivered(),
        open_callbacks=open_cb,
        overdue_callbacks=overdue_cb,
    )
