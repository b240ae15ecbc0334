"""Messages taken for staff or departments (代为留言) and their delivery."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import peewee

from reception.errors import NotFound
from reception.errors import ValidationError
from reception.rules import phones
from reception.rules.textcheck import FieldErrors
from reception.rules.textcheck import multi_line
from reception.rules.textcheck import one_line
from reception.services.calls import _create_message
from reception.services.session import Session
from reception.store import audit
from reception.store import db
from reception.store.models import Department
from reception.store.models import Message


@dataclass
class MessageInput:
    for_person: str = ""
    for_department_id: int | None = None
    from_name: str = ""
    callback_phone: str = ""
    text: str = ""


def add_message(session: Session, data: MessageInput) -> Message:
    """A message not tied to a registered call (e.g. taken while covering another phone)."""
    errs = FieldErrors()
    for_person = errs.check("for_person", one_line, data.for_person, "留言对象", max_len=50)
    dept = None
    if data.for_department_id is not None:
        dept = Department.get_or_none((Department.id == data.for_department_id) & (Department.active == True))  # noqa: E712
        if dept is None:
            errs.add("for_person", "留言部门不存在或已停用")
    if not for_person and data.for_department_id is None:
        errs.add("for_person", "请填写留言给谁（人员或部门）")
    from_name = errs.check("from_name", one_line, data.from_name, "留言人", max_len=50)
    phone = errs.check("callback_phone", phones.normalize, data.callback_phone)
    text = errs.check("text", multi_line, data.text, "留言内容", required=True)
    errs.raise_if_any()
    with db.write():
        return _create_message(
            session,
            call=None,
            for_person=for_person or "",
            for_department=dept,
            from_name=from_name or "",
            callback_phone=phone or "",
            text=text or "",
        )


@dataclass(frozen=True)
class MessageRow:
    """One message as listed: the department's name read in the same query, the number masked
    (the full one is :func:`reception.services.privacy.number_to_call`, audited)."""

    id: int
    created_at: datetime
    for_person: str
    department_name: str
    from_name: str
    callback_phone_masked: str
    text: str

    @property
    def target(self) -> str:
        """Whom the message is for: 'person、department'."""
        return "、".join(p for p in (self.for_person, self.department_name) if p)


def list_messages(undelivered_only: bool = True, limit: int = 500) -> list[MessageRow]:
    """Newest first, with the department's name (one query)."""
    query = Message.select(Message, Department.name.alias("department_name")).join(
        Department, peewee.JOIN.LEFT_OUTER, on=(Message.for_department == Department.id)
    )
    if undelivered_only:
        query = query.where(Message.delivered_at.is_null())
    rows = query.order_by(Message.created_at.desc(), Message.id.desc()).limit(limit).objects()
    return [
        MessageRow(
            id=m.id,
            created_at=m.created_at,
            for_person=m.for_person,
            department_name=getattr(m, "department_name", None) or "",
            from_name=m.from_name,
            callback_phone_masked=phones.mask(m.callback_phone),
            text=m.text,
        )
        for m in rows
    ]


def count_undelivered() -> int:
    return Message.select().where(Message.delivered_at.is_null()).count()


def deliver(session: Session, message_id: int, delivered_to: str) -> Message:
    """Mark a message passed on: to whom, by which operator, when."""
    msg = Message.get_or_none(Message.id == message_id)
    if msg is None:
        raise NotFound("找不到该留言。")
    if msg.delivered_at is not None:
        raise ValidationError.single("delivered_to", "该留言已转达过")
    try:
        to = one_line(delivered_to, "转达对象", max_len=50, required=True)
    except ValueError as exc:
        raise ValidationError.single("delivered_to", str(exc)) from None
    now = session.now()
    with db.write():
        Message.update(delivered_at=now, delivered_by=session.operator, delivered_to=to).where(
            Message.id == message_id
        ).execute()
        audit.record(now, session.operator, "message.deliver", "message", message_id, delivered_to=to)
    return Message.get_by_id(message_id)
