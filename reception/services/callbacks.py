"""Callbacks promised to callers (待回电): due times, overdue ones, and their completion."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from reception.errors import NotFound
from reception.errors import ValidationError
from reception.rules import phones
from reception.rules.textcheck import multi_line
from reception.services.session import Session
from reception.store import audit
from reception.store import db
from reception.store.models import Callback


@dataclass(frozen=True)
class CallbackRow:
    """One promised callback as listed, the number masked (the full one is
    :func:`reception.services.privacy.number_to_call`, audited)."""

    id: int
    due_at: datetime
    name: str
    phone_masked: str
    reason: str
    completed_at: datetime | None


def list_callbacks(open_only: bool = True, limit: int = 500) -> list[CallbackRow]:
    query = Callback.select()
    if open_only:
        query = query.where(Callback.completed_at.is_null())
    return [
        CallbackRow(cb.id, cb.due_at, cb.name, phones.mask(cb.phone), cb.reason, cb.completed_at)
        for cb in query.order_by(Callback.due_at, Callback.id).limit(limit)
    ]


def is_overdue(cb: Callback | CallbackRow, now: datetime) -> bool:
    return cb.completed_at is None and cb.due_at < now


def count_open(now: datetime) -> tuple[int, int]:
    """(open, overdue)."""
    open_q = Callback.select().where(Callback.completed_at.is_null())
    return open_q.count(), open_q.where(Callback.due_at < now).count()


def complete(session: Session, callback_id: int, result: str) -> Callback:
    cb = Callback.get_or_none(Callback.id == callback_id)
    if cb is None:
        raise NotFound("找不到该待回电记录。")
    if cb.completed_at is not None:
        raise ValidationError.single("result", "该回电已完成")
    try:
        text = multi_line(result, "回电结果", max_len=1000, required=True)
    except ValueError as exc:
        raise ValidationError.single("result", str(exc)) from None
    now = session.now()
    with db.write():
        Callback.update(completed_at=now, completed_by=session.operator, result=text).where(
            Callback.id == callback_id
        ).execute()
        audit.record(
            now, session.operator, "callback.complete", "callback", callback_id, late=cb.due_at < now
        )
    return Callback.get_by_id(callback_id)
