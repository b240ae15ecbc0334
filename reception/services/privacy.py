"""Showing a full phone number only to those who need it, with a reason, on the record.

Lists, badges and reports show masked numbers (``138****1234``). A receptionist sees a full
number only for the call they are about to make (a promised callback, the host of a visitor,
the sender of a message) — each such reveal is in the audit log. Any other full value needs a
supervisor and a reason. Reveals are limited per operator: :data:`REVEALS_PER_HOUR` in an hour,
then the next one is refused (and the refusal audited) until someone above them looks."""

from __future__ import annotations

from datetime import timedelta

from reception.errors import NotFound
from reception.errors import PermissionDenied
from reception.errors import ValidationError
from reception.rules import phones
from reception.rules.textcheck import one_line
from reception.services.session import Role
from reception.services.session import Session
from reception.store import audit
from reception.store import db
from reception.store.models import AuditLog
from reception.store.models import Call
from reception.store.models import Callback
from reception.store.models import Message
from reception.store.models import Resident
from reception.store.models import Visit

REVEALS_PER_HOUR = 20

# (model, field) of every stored phone number a supervisor may reveal
_PHONE_FIELDS = {
    "call": (Call, "caller_phone"),
    "callback": (Callback, "phone"),
    "message": (Message, "callback_phone"),
    "visit": (Visit, "visitor_phone"),
    "resident": (Resident, "phone"),
    "resident_alt": (Resident, "phone_alt"),
}


def _record(session: Session, entity: str, entity_id: int, reason: str) -> None:
    with db.write():
        audit.record(session.now(), session.operator, "phone.reveal", entity, entity_id, reason=reason)


def _within_limit(session: Session, entity: str, entity_id: int) -> None:
    """Refuse a reveal past :data:`REVEALS_PER_HOUR` in the last hour (administrators excepted)."""
    if session.has(Role.ADMIN):
        return
    since = session.now() - timedelta(hours=1)
    done = (
        AuditLog.select()
        .where(
            (AuditLog.operator == session.operator.id)
            & (AuditLog.action == "phone.reveal")
            & (AuditLog.at >= since)
        )
        .count()
    )
    if done < REVEALS_PER_HOUR:
        return
    with db.write():
        audit.record(
            session.now(), session.operator, "phone.reveal_refused", entity, entity_id, in_last_hour=done
        )
    above = "管理员" if session.has(Role.SUPERVISOR) else "主管"
    raise PermissionDenied(
        f"一小时内已查看 {done} 个完整电话号码，已达上限（{REVEALS_PER_HOUR} 个）："
        f"如确需继续，请由{above}查看。"
    )


def _value(entity: str, entity_id: int) -> str:
    if entity not in _PHONE_FIELDS:
        raise NotFound("未知的记录类型。")
    model, field = _PHONE_FIELDS[entity]
    row = model.get_or_none(model.id == entity_id)  # type: ignore[attr-defined]
    if row is None:
        raise NotFound("找不到该记录。")
    return str(getattr(row, field) or "")


def reveal_phone(session: Session, entity: str, entity_id: int, reason: str) -> str:
    """Any stored number, for a supervisor, with a reason (audited)."""
    session.require(Role.SUPERVISOR, "查看完整电话号码")
    try:
        why = one_line(reason, "查看原因", max_len=100, required=True)
    except ValueError as exc:
        raise ValidationError.single("reason", str(exc)) from None
    value = _value(entity, entity_id)
    _within_limit(session, entity, entity_id)
    _record(session, entity, entity_id, why)
    return value


def number_to_call(session: Session, entity: str, entity_id: int) -> str:
    """The number a receptionist is about to dial: a callback, a message's sender, or a
    visitor's host household. Audited with the purpose as the reason."""
    purposes = {"callback": "回电", "message": "转达留言", "resident": "联系受访住户"}
    if entity not in purposes:
        raise ValidationError.single("reason", "该号码只能由主管查看")
    value = _value(entity, entity_id)
    if entity == "callback":
        cb = Callback.get_by_id(entity_id)
        if cb.completed_at is not None:
            raise ValidationError.single("reason", "该回电已完成，号码不再显示")
    _within_limit(session, entity, entity_id)
    _record(session, entity, entity_id, purposes[entity])
    return value


def masked(value: str | None) -> str:
    return phones.mask(value)
