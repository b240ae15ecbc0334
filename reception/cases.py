"""Work items (工单). A dispatched call opens one here, owned by its first receiver (首问责任人);
the full case workflow (states, hand-offs, return visits) builds on these rows."""

from __future__ import annotations

from datetime import datetime, timedelta

from reception import audit, serials
from reception.models import Case, CaseEvent, Department, Resident
from reception.session import Session

PENDING = "待派单"
DISPATCHED = "已派单"
IN_PROGRESS = "处理中"
REPLIED = "已答复"
AWAITING_VISIT = "待回访"
CLOSED = "已关闭"
STATUSES = [PENDING, DISPATCHED, IN_PROGRESS, REPLIED, AWAITING_VISIT, CLOSED]
OPEN_STATUSES = [PENDING, DISPATCHED, IN_PROGRESS]


def open_case(
    session: Session,
    *,
    source_kind: str,
    source_id: int | None,
    category: str,
    description: str,
    received_at: datetime,
    reply_hours: int,
    department: Department | None,
    handler: str,
    resident: Resident | None = None,
    location: str = "",
) -> Case:
    """Create a case inside the caller's write transaction."""
    now = session.now()
    status = DISPATCHED if department is not None else PENDING
    case = Case.create(
        serial=serials.next_serial(serials.CASE, session.clock.today()),
        source_kind=source_kind,
        source_id=source_id,
        category=category,
        resident=resident,
        location=location,
        description=description,
        first_receiver=session.operator,
        department=department,
        handler=handler,
        status=status,
        received_at=received_at,
        reply_due_at=received_at + timedelta(hours=reply_hours),
        updated_at=now,
    )
    CaseEvent.create(
        case=case,
        at=now,
        operator=session.operator,
        action="受理",
        to_status=PENDING,
        note=f"来源：{source_kind} {source_id or ''}".strip(),
    )
    if department is not None:
        CaseEvent.create(
            case=case,
            at=now,
            operator=session.operator,
            action="派单",
            from_status=PENDING,
            to_status=DISPATCHED,
            department=department,
            handler=handler,
        )
    audit.record(
        now,
        session.operator,
        "case.create",
        "case",
        case.id,
        serial=case.serial,
        source=source_kind,
        source_id=source_id,
        status=status,
    )
    return case


def for_source(source_kind: str, source_id: int) -> list[Case]:
    return list(Case.select().where((Case.source_kind == source_kind) & (Case.source_id == source_id)))


def events(case_id: int) -> list[CaseEvent]:
    return list(CaseEvent.select().where(CaseEvent.case == case_id).order_by(CaseEvent.id))
