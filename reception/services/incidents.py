"""异常情况 (规程：安全隐患、拒绝接待、报警处置): recorded with who was told and when, linked to
the call or visit they arose from, and listed for the handover."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta

import peewee

from reception.errors import ValidationError
from reception.rules.textcheck import FieldErrors
from reception.rules.textcheck import multi_line
from reception.rules.textcheck import one_line
from reception.services.session import Session
from reception.store import audit
from reception.store import db
from reception.store.models import Call
from reception.store.models import Department
from reception.store.models import Incident
from reception.store.models import Visit

HAZARD = "安全隐患"
REFUSED = "拒绝接待"
POLICE = "报警"
KINDS = [HAZARD, REFUSED, POLICE]


@dataclass
class IncidentInput:
    kind: str = ""
    description: str = ""
    occurred_at: datetime | None = None  # UTC; default now
    call_id: int | None = None
    visit_id: int | None = None
    reported_to_department_id: int | None = None  # 保安部 for a hazard
    reported_to_person: str = ""
    reported_at: datetime | None = None
    police_case_no: str = ""
    officer: str = ""


def record_incident(session: Session, data: IncidentInput) -> Incident:
    now = session.now()
    errs = FieldErrors()
    if data.kind not in KINDS:
        errs.add("kind", "请选择异常类型")
    text = errs.check(
        "description",
        multi_line,
        data.description,
        "情况说明" if data.kind != REFUSED else "拒绝接待的原因",
        required=True,
    )
    person = errs.check("reported_to_person", one_line, data.reported_to_person, "接报人", max_len=50)
    case_no = errs.check("police_case_no", one_line, data.police_case_no, "警情编号", max_len=40)
    officer = errs.check("officer", one_line, data.officer, "出警民警", max_len=50)
    occurred = data.occurred_at or now
    if occurred > now + timedelta(minutes=5):
        errs.add("occurred_at", "发生时间不能晚于现在")
    dept = None
    if data.reported_to_department_id is not None:
        dept = Department.get_or_none(Department.id == data.reported_to_department_id)
        if dept is None:
            errs.add("reported_to", "所选部门不存在")
    # 安全隐患 and 拒绝接待 are both reported to the security department (规程：异常情况处理).
    if data.kind in (HAZARD, REFUSED) and (dept is None or data.reported_at is None):
        errs.add("reported_to", f"{data.kind}须报告保安部门：请选择部门并填写报告时间")
    if data.kind == POLICE and data.reported_at is None:
        errs.add("reported_at", "请填写报警时间")
    if data.call_id is not None and Call.get_or_none(Call.id == data.call_id) is None:
        errs.add("link", "关联的来电记录不存在")
    if data.visit_id is not None and Visit.get_or_none(Visit.id == data.visit_id) is None:
        errs.add("link", "关联的来访记录不存在")
    errs.raise_if_any()
    with db.write():
        incident = Incident.create(
            kind=data.kind,
            call=data.call_id,
            visit=data.visit_id,
            occurred_at=occurred,
            description=text,
            reported_to=dept,
            reported_to_person=person or "",
            reported_at=data.reported_at,
            police_case_no=case_no or "",
            officer=officer or "",
            created_by=session.operator,
            created_at=now,
        )
        audit.record(
            now,
            session.operator,
            "incident.create",
            "incident",
            incident.id,
            kind=data.kind,
            call=data.call_id,
            visit=data.visit_id,
        )
    return incident


def list_incidents(
    start: datetime | None = None, end: datetime | None = None, limit: int = 500
) -> list[Incident]:
    """Newest first, with the department, the visit and the call they concern (one query)."""
    query = (
        Incident.select(Incident, Department, Visit.id, Visit.serial, Call.id, Call.serial)
        .join(Department, peewee.JOIN.LEFT_OUTER, on=(Incident.reported_to == Department.id))
        .switch(Incident)
        .join(Visit, peewee.JOIN.LEFT_OUTER, on=(Incident.visit == Visit.id))
        .switch(Incident)
        .join(Call, peewee.JOIN.LEFT_OUTER, on=(Incident.call == Call.id))
    )
    if start is not None:
        query = query.where(Incident.occurred_at >= start)
    if end is not None:
        query = query.where(Incident.occurred_at < end)
    return list(query.order_by(Incident.occurred_at.desc(), Incident.id.desc()).limit(limit))


__all__ = ["KINDS", "IncidentInput", "ValidationError", "list_incidents", "record_incident"]
