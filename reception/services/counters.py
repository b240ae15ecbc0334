"""The open-item counts shown in the status bar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from reception.services import callbacks
from reception.services import cases
from reception.services import letters
from reception.services import messages
from reception.services import visits


@dataclass(frozen=True)
class DeskCounts:
    open_cases: int
    overdue_cases: int
    escalated_cases: int
    undelivered_messages: int
    open_callbacks: int
    overdue_callbacks: int
    on_site: int
    on_site_expired: int
    overdue_letters: int


def desk_counts(now: datetime) -> DeskCounts:
    open_cases, overdue_cases, escalated = cases.counts(now)
    open_cb, overdue_cb = callbacks.count_open(now)
    present, expired = visits.count_on_site(now)
    return DeskCounts(
        open_cases=open_cases,
        overdue_cases=overdue_cases,
        escalated_cases=escalated,
        undelivered_messages=messages.count_undelivered(),
        open_callbacks=open_cb,
        overdue_callbacks=overdue_cb,
        on_site=present,
        on_site_expired=expired,
        overdue_letters=letters.count_overdue(now),
    )
