"""Cases (工单): first-contact ownership, the 24-hour promise, return visits.

A case comes from a call, a visit or a letter (``source_kind``/``source_id``) or is opened
directly. Its first receiver (首问责任人) is fixed. States, enforced here and nowhere else:

    待派单 → 已派单 → 处理中 → 已答复 → 待回访 → 已关闭,  重新打开: 待回访/已关闭 → 处理中

Every change is a line in the case history (``CaseEvent``) and in the audit log. Deadlines:
the reply promise (``reply_due_at``, per category; 24 h for complaints) and a resolution target
(``resolve_due_at``). A case not replied to by its deadline escalates to the supervisor, and
again after a further 24 h."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import timedelta
from typing import Any

import peewee

from reception.clock import local_day_bounds
from reception.errors import ConflictError
from reception.errors import NotFound
from reception.errors import ValidationError
from reception.rules.phones import mask_in_text
from reception.rules.textcheck import FieldErrors
from reception.rules.textcheck import multi_line
from reception.rules.textcheck import one_line
from reception.services import settings as settings_mod
from reception.services.residents import short_room
from reception.services.session import Session
from reception.services.vocabulary import CASE_CATEGORIES
from reception.services.vocabulary import CaseStatus
from reception.services.vocabulary import Category
from reception.services.vocabulary import values
from reception.store import audit
from reception.store import db
from reception.store import serials
from reception.store.models import Case
from reception.store.models import CaseEvent
from reception.store.models import Department
from reception.store.models import LiaisonEntry
from reception.store.models import Operator
from reception.store.models import Resident
from reception.store.models import ReturnVisit

PENDING = CaseStatus.PENDING.value
DISPATCHED = CaseStatus.DISPATCHED.value
IN_PROGRESS = CaseStatus.IN_PROGRESS.value
REPLIED = CaseStatus.REPLIED.value
AWAITING_VISIT = CaseStatus.AWAITING_VISIT.value
CLOSED = CaseStatus.CLOSED.value
STATUSES = values(CaseStatus)
OPEN_STATUSES = [PENDING, DISPATCHED, IN_PROGRESS, REPLIED, AWAITING_VISIT]
UNREPLIED = [PENDING, DISPATCHED, IN_PROGRESS]

CATEGORIES = CASE_CATEGORIES
MUNICIPAL = Category.MUNICIPAL.value
UTILITIES = ["供水", "供电", "燃气", "道路", "邮政", "通讯"]
# Words in what a caller says that name the utility (市政设施) concerned, in this order.
_UTILITY_WORDS = (
    ("供水", ("停水", "供水", "水压", "自来水", "水管爆", "水质")),
    ("燃气", ("燃气", "煤气", "天然气", "气压")),
    ("供电", ("停电", "供电", "电压", "跳闸", "电网")),
    ("通讯", ("网络", "宽带", "信号", "电话线", "光纤", "通讯", "通信")),
    ("邮政", ("邮政", "邮件", "信报箱", "快递")),
    ("道路", ("道路", "路面", "施工", "井盖", "路灯", "马路")),
)


def guess_utility(text: str) -> str:
    """The utility a 市政设施 matter is about, from its description ("" when nothing says)."""
    for utility, words in _UTILITY_WORDS:
        if any(word in text for word in words):
            return utility
    return ""


PUBLIC_AREAS = ["地库", "电梯", "绿化带", "大堂", "楼道", "屋面", "小区道路", "停车场", "会所", "出入口"]
SOURCES = {"call": "来电", "visit": "来访", "letter": "来函", "direct": "直接登记"}

SATISFIED = "满意"
FAIRLY_SATISFIED = "基本满意"
UNSATISFIED = "不满意"
UNREACHABLE = "联系不上"
VISIT_RESULTS = [SATISFIED, FAIRLY_SATISFIED, UNSATISFIED, UNREACHABLE]
UNREACHABLE_ATTEMPTS_TO_CLOSE = 3

# Deadline states for the countdown column
OK = "正常"
WARNING = "即将超时"
OVERDUE = "已超时"
OVERDUE_AGAIN = "严重超时"


def place_key(resident: Resident | None, location: str = "") -> str:
    """Where a problem is, for spotting repeats: ``'3-2-1201'`` or the public area's name."""
    if resident is not None:
        return short_room(resident.building, resident.unit, resident.room)
    return location.strip()


def _building_of(resident: Resident | None) -> str:
    return resident.building if resident is not None else ""


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
    utility: str = "",
    agency: str = "",
) -> Case:
    """Create a case inside the caller's write transaction."""
    now = session.now()
    status = DISPATCHED if department is not None else PENDING
    conf = settings_mod.load()
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
        resolve_due_at=received_at + timedelta(hours=max(conf.resolve_hours_for(category), reply_hours)),
        building=_building_of(resident),
        place_key=place_key(resident, location),
        utility=utility,
        agency=agency,
        updated_at=now,
    )
    CaseEvent.create(
        case=case,
        at=now,
        operator=session.operator,
        action="受理",
        to_status=PENDING,
        note=f"来源：{SOURCES.get(source_kind, source_kind)}",
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


@dataclass
class CaseInput:
    """A case opened directly in the 工单 tab."""

    category: str = ""
    description: str = ""
    resident_id: int | None = None
    location: str = ""  # a public area (地库、电梯…) or a room typed by hand
    department_id: int | None = None
    handler: str = ""
    utility: str = ""
    agency: str = ""


def open_direct_case(session: Session, data: CaseInput) -> Case:
    errs = FieldErrors()
    if data.category not in CATEGORIES:
        errs.add("category", "请选择工单类别")
    text = errs.check("description", multi_line, data.description, "问题描述", required=True)
    location = errs.check("location", one_line, data.location, "位置", max_len=100)
    handler = errs.check("handler", one_line, data.handler, "处理人", max_len=50)
    agency = errs.check("agency", one_line, data.agency, "外部单位", max_len=100)
    resident = None
    if data.resident_id is not None:
        resident = Resident.get_or_none(Resident.id == data.resident_id)
        if resident is None:
            errs.add("resident", "所选住户已不存在")
    if resident is None and not location:
        errs.add("location", "请选择住户或填写位置（如 地库、电梯）")
    dept = _active_dept(errs, data.department_id, required=False)
    if data.utility and data.utility not in UTILITIES:
        errs.add("utility", "请选择市政设施类型")
    if data.category == MUNICIPAL and not data.utility:
        errs.add("utility", "市政设施类工单请选择类型（供水、供电、燃气…）")
    errs.raise_if_any()
    now = session.now()
    with db.write():
        return open_case(
            session,
            source_kind="direct",
            source_id=None,
            category=data.category,
            description=text or "",
            received_at=now,
            reply_hours=settings_mod.load().reply_hours_for(data.category),
            department=dept,
            handler=handler or "",
            resident=resident,
            location=location or "",
            utility=data.utility,
            agency=agency or "",
        )


def _active_dept(errs: FieldErrors, dept_id: int | None, *, required: bool) -> Department | None:
    if dept_id is None:
        if required:
            errs.add("department", "请选择处理部门")
        return None
    dept = Department.get_or_none((Department.id == dept_id) & (Department.active == True))  # noqa: E712
    if dept is None:
        errs.add("department", "所选部门不存在或已停用")
    return dept


def get_case(case_id: int) -> Case:
    case = Case.get_or_none(Case.id == case_id)
    if case is None:
        raise NotFound("找不到该工单。")
    return case


_ALLOWED = {
    "派单": [PENDING, DISPATCHED, IN_PROGRESS],
    "接单": [DISPATCHED],
    "答复": [DISPATCHED, IN_PROGRESS],
    "处理完成": [REPLIED],
    "关闭": [AWAITING_VISIT],
    "重新打开": [AWAITING_VISIT, CLOSED],
}


def _change(
    session: Session,
    case: Case,
    expected_version: int,
    action: str,
    to_status: str,
    *,
    department: Department | None = None,
    handler: str = "",
    note: str = "",
    updates: dict[str, object] | None = None,
) -> Case:
    """One state change: check the version and the allowed states, write the case, its history
    line and the audit entry in one transaction."""
    if case.version != expected_version:
        raise ConflictError("这张工单已被其他人更新，请刷新后再操作。")
    if case.status not in _ALLOWED[action]:
        raise ValidationError.single("status", f"工单当前为“{case.status}”，不能{action}")
    now = session.now()
    with db.write():
        values = {"status": to_status, "version": Case.version + 1, "updated_at": now, **(updates or {})}
        rows = (
            Case.update(**values).where((Case.id == case.id) & (Case.version == expected_version)).execute()
        )
        if rows != 1:
            raise ConflictError("这张工单已被其他人更新，请刷新后再操作。")
        CaseEvent.create(
            case=case.id,
            at=now,
            operator=session.operator,
            action=action,
            from_status=case.status,
            to_status=to_status,
            department=department,
            handler=handler,
            note=note,
        )
        audit.record(
            now, session.operator, f"case.{action}", "case", case.id, status=[case.status, to_status]
        )
    return get_case(case.id)


def dispatch(
    session: Session,
    case_id: int,
    department_id: int | None,
    handler: str,
    expected_version: int,
    note: str = "",
) -> Case:
    """派单 / 转派: hand the case to a department (and a person there). Every hand-off is a line."""
    case = get_case(case_id)
    errs = FieldErrors()
    dept = _active_dept(errs, department_id, required=True)
    who = errs.check("handler", one_line, handler, "处理人", max_len=50)
    why = errs.check("note", multi_line, note, "说明", max_len=500)
    errs.raise_if_any()
    return _change(
        session,
        case,
        expected_version,
        "派单",
        DISPATCHED,
        department=dept,
        handler=who or "",
        note=why or "",
        updates={"department": dept, "handler": who or ""},
    )


def acknowledge(session: Session, case_id: int, acknowledged_by: str, expected_version: int) -> Case:
    """接单: the department confirms it has the case (who acknowledged it)."""
    case = get_case(case_id)
    try:
        who = one_line(acknowledged_by, "接单人", max_len=50, required=True)
    except ValueError as exc:
        raise ValidationError.single("handler", str(exc)) from None
    return _change(
        session,
        case,
        expected_version,
        "接单",
        IN_PROGRESS,
        department=case.department,
        handler=who,
        note=f"{who} 已接单",
        updates={"handler": who},
    )


def reply(session: Session, case_id: int, text: str, expected_version: int) -> Case:
    """答复: what the resident was told (the 24-hour promise is kept when this is on time)."""
    case = get_case(case_id)
    try:
        body = multi_line(text, "答复内容", max_len=2000, required=True)
    except ValueError as exc:
        raise ValidationError.single("reply_text", str(exc)) from None
    now = session.now()
    late = now > case.reply_due_at
    return _change(
        session,
        case,
        expected_version,
        "答复",
        REPLIED,
        note=body + ("（超时答复）" if late else ""),
        updates={"replied_at": now, "reply_text": body},
    )


def finish(session: Session, case_id: int, note: str, expected_version: int) -> Case:
    """处理完成: the matter is dealt with; the case waits for the return visit (回访)."""
    case = get_case(case_id)
    try:
        text = multi_line(note, "处理结果", max_len=2000, required=True)
    except ValueError as exc:
        raise ValidationError.single("note", str(exc)) from None
    return _change(session, case, expected_version, "处理完成", AWAITING_VISIT, note=text)


def record_return_visit(session: Session, case_id: int, result: str, comment: str) -> Case:
    """回访. 不满意 reopens the case; the others are recorded and allow closing."""
    case = get_case(case_id)
    errs = FieldErrors()
    if result not in VISIT_RESULTS:
        errs.add("result", "请选择回访结果")
    text = errs.check("comment", multi_line, comment, "回访记录", max_len=1000)
    if result == UNSATISFIED and not text:
        errs.add("comment", "业户不满意时请记录原因")
    errs.raise_if_any()
    if case.status != AWAITING_VISIT:
        raise ValidationError.single("status", f"工单当前为“{case.status}”，处理完成后才能回访")
    now = session.now()
    with db.write():  # the return visit and the reopening it causes: all or nothing
        ReturnVisit.create(case=case.id, at=now, operator=session.operator, result=result, comment=text or "")
        audit.record(now, session.operator, "case.回访", "case", case.id, result=result)
        if result == UNSATISFIED:
            return _change(
                session,
                get_case(case_id),
                case.version,
                "重新打开",
                IN_PROGRESS,
                note=f"回访不满意：{text}",
                updates=_reopened(case, now),
            )
    return get_case(case_id)


def _reopened(case: Case, now: datetime) -> dict[str, object]:
    """A reopened case gets a new reply promise from now, and its escalation starts over."""
    hours = settings_mod.load().reply_hours_for(case.category)
    return {"closed_at": None, "reply_due_at": now + timedelta(hours=hours), "escalation_level": 0}


def return_visits(case_id: int) -> list[ReturnVisit]:
    return list(ReturnVisit.select().where(ReturnVisit.case == case_id).order_by(ReturnVisit.id))


def can_close(case: Case) -> tuple[bool, str]:
    """(allowed, why not). A case closes after a satisfied return visit, or after three
    unanswered attempts."""
    if case.status != AWAITING_VISIT:
        return False, f"工单当前为“{case.status}”，处理完成并回访后才能关闭"
    visits = return_visits(case.id)
    # Attempts count again after a reopening: after the last 不满意 (which reopens the case)
    # and after the last reopening by hand.
    start = max((i + 1 for i, v in enumerate(visits) if v.result == UNSATISFIED), default=0)
    manual = [e.at for e in events(case.id) if e.action == "重新打开" and not e.note.startswith("回访不满意")]
    if manual:
        start = max(start, next((i for i, v in enumerate(visits) if v.at > manual[-1]), len(visits)))
    since_reopen = visits[start:]
    if visits and visits[-1].result in (SATISFIED, FAIRLY_SATISFIED):
        return True, ""
    unreachable = sum(1 for v in since_reopen if v.result == UNREACHABLE)
    if unreachable >= UNREACHABLE_ATTEMPTS_TO_CLOSE:
        return True, ""
    if unreachable:
        return False, f"已回访 {unreachable} 次联系不上，满 {UNREACHABLE_ATTEMPTS_TO_CLOSE} 次后才能关闭"
    return False, "关闭前请先回访业户"


def close(session: Session, case_id: int, note: str, expected_version: int) -> Case:
    case = get_case(case_id)
    allowed, why = can_close(case)
    if not allowed:
        raise ValidationError.single("status", why)
    try:
        text = multi_line(note, "关闭说明", max_len=1000)
    except ValueError as exc:
        raise ValidationError.single("note", str(exc)) from None
    visits = return_visits(case.id)
    if visits and visits[-1].result == UNREACHABLE and not text:
        text = f"回访 {UNREACHABLE_ATTEMPTS_TO_CLOSE} 次均联系不上，按规定关闭"
    return _change(
        session,
        case,
        expected_version,
        "关闭",
        CLOSED,
        note=text,
        updates={"closed_at": session.now(), "close_note": text},
    )


def reopen(session: Session, case_id: int, reason: str, expected_version: int) -> Case:
    case = get_case(case_id)
    try:
        text = multi_line(reason, "重新打开原因", max_len=1000, required=True)
    except ValueError as exc:
        raise ValidationError.single("note", str(exc)) from None
    return _change(
        session,
        case,
        expected_version,
        "重新打开",
        IN_PROGRESS,
        note=text,
        updates=_reopened(case, session.now()),
    )


def add_liaison(session: Session, case_id: int, agency: str, contact: str, said: str) -> LiaisonEntry:
    """市政设施: one contact with the outside agency."""
    case = get_case(case_id)
    errs = FieldErrors()
    org = errs.check("agency", one_line, agency, "联系单位", max_len=100, required=True)
    who = errs.check("contact", one_line, contact, "对方联系人", max_len=100)
    text = errs.check("said", multi_line, said, "沟通内容", max_len=2000, required=True)
    if case.status == CLOSED:
        errs.add("status", "工单已关闭")
    errs.raise_if_any()
    now = session.now()
    with db.write():
        entry = LiaisonEntry.create(
            case=case.id, at=now, operator=session.operator, agency=org, contact=who or "", said=text
        )
        if not case.agency:
            Case.update(agency=org).where(Case.id == case.id).execute()
        CaseEvent.create(
            case=case.id, at=now, operator=session.operator, action="外部联络", note=f"{org}：{text}"
        )
        audit.record(now, session.operator, "case.liaison", "case", case.id, agency=org)
    return entry


def liaison_log(case_id: int) -> list[LiaisonEntry]:
    return list(LiaisonEntry.select().where(LiaisonEntry.case == case_id).order_by(LiaisonEntry.id))


def events(case_id: int) -> list[CaseEvent]:
    return list(CaseEvent.select().where(CaseEvent.case == case_id).order_by(CaseEvent.id))


def for_source(source_kind: str, source_id: int) -> list[Case]:
    return list(Case.select().where((Case.source_kind == source_kind) & (Case.source_id == source_id)))


# ---- deadlines and escalation ------------------------------------------------------------------


def deadline_state(case: Case | CaseRow, now: datetime, conf: settings_mod.Settings | None = None) -> str:
    """OK / WARNING / OVERDUE / OVERDUE_AGAIN. Pass ``conf`` when colouring many rows."""
    if case.status not in UNREPLIED:
        return OK
    conf = conf or settings_mod.load()
    if now > case.reply_due_at + timedelta(hours=conf.escalate_again_hours):
        return OVERDUE_AGAIN
    if now > case.reply_due_at:
        return OVERDUE
    if now > case.reply_due_at - timedelta(hours=conf.warn_hours):
        return WARNING
    return OK


def time_left(case: Case | CaseRow, now: datetime) -> timedelta:
    return case.reply_due_at - now


def format_time_left(delta: timedelta) -> str:
    """``'剩 3小时20分'`` / ``'超时 1天2小时'``."""
    seconds = int(delta.total_seconds())
    prefix = "剩" if seconds >= 0 else "超时"
    seconds = abs(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{prefix} {days}天{hours}小时"
    if hours:
        return f"{prefix} {hours}小时{minutes:02d}分"
    return f"{prefix} {minutes}分钟"


def run_escalations(session: Session) -> list[Case]:
    """Raise the escalation level of cases past their reply deadline (1), and again after a
    further 24 h (2); each step is a history line. Returns the cases escalated now."""
    now = session.now()
    again = timedelta(hours=settings_mod.load().escalate_again_hours)
    escalated: list[Case] = []
    candidates = list(
        Case.select().where(
            Case.status.in_(UNREPLIED) & (Case.reply_due_at < now) & (Case.escalation_level < 2)
        )
    )
    if not candidates:
        return []
    with db.write():
        for case in candidates:
            level = 2 if now > case.reply_due_at + again else 1
            if level <= case.escalation_level:
                continue
            Case.update(escalation_level=level).where(Case.id == case.id).execute()
            CaseEvent.create(
                case=case.id,
                at=now,
                operator=session.operator,
                action="超时升级",
                from_status=case.status,
                to_status=case.status,
                note="超过答复时限，已上报主管" if level == 1 else "超时 24 小时仍未答复，再次上报主管",
            )
            audit.record(now, session.operator, "case.escalate", "case", case.id, level=level)
            escalated.append(case)
    return escalated


def escalated_cases() -> list[CaseRow]:
    """The supervisor's list: cases escalated and still not replied to, worst first."""
    return _rows(
        Case.select()
        .where(Case.status.in_(UNREPLIED) & (Case.escalation_level > 0))
        .order_by(Case.escalation_level.desc(), Case.reply_due_at, Case.id)
    )


def counts(now: datetime) -> tuple[int, int, int]:
    """(open, overdue, escalated) for the status bar."""
    open_q = Case.select().where(Case.status.in_(OPEN_STATUSES))
    overdue = Case.select().where(Case.status.in_(UNREPLIED) & (Case.reply_due_at < now)).count()
    escalated = Case.select().where(Case.status.in_(UNREPLIED) & (Case.escalation_level > 0)).count()
    return open_q.count(), overdue, escalated


# ---- lists -------------------------------------------------------------------------------------


@dataclass
class CaseFilter:
    statuses: tuple[str, ...] = ()
    category: str = ""
    department_id: int | None = None
    first_receiver_id: int | None = None
    overdue_at: datetime | None = None
    date_from: date | None = None
    date_to: date | None = None
    search: str = ""


def _filtered(f: CaseFilter) -> peewee.ModelSelect[Case]:
    query = Case.select()
    if f.statuses:
        query = query.where(Case.status.in_(list(f.statuses)))
    if f.category:
        query = query.where(Case.category == f.category)
    if f.department_id is not None:
        query = query.where(Case.department == f.department_id)
    if f.first_receiver_id is not None:
        query = query.where(Case.first_receiver == f.first_receiver_id)
    if f.overdue_at is not None:
        query = query.where(Case.status.in_(UNREPLIED) & (Case.reply_due_at < f.overdue_at))
    if f.date_from is not None:
        query = query.where(Case.received_at >= local_day_bounds(f.date_from)[0])
    if f.date_to is not None:
        query = query.where(Case.received_at < local_day_bounds(f.date_to)[1])
    text = f.search.strip()
    if text:
        query = query.where(
            Case.description.contains(text)
            | Case.location.contains(text)
            | Case.place_key.contains(text)
            | Case.serial.contains(text.upper())
            | Case.handler.contains(text)
        )
    return query


def count_cases(f: CaseFilter) -> int:
    return _filtered(f).count()


@dataclass(frozen=True)
class CaseRow:
    """One line of a case list, as shown: the first receiver's and the department's names read
    in the same query, numbers in the description masked."""

    id: int
    serial: str
    category: str
    place_key: str
    location: str
    description: str
    first_receiver_name: str
    department_name: str
    handler: str
    status: str
    reply_due_at: datetime
    source_kind: str
    escalation_level: int

    @property
    def place(self) -> str:
        """'5-1-1203' for a resident's room, else the location typed (a public area)."""
        return self.place_key or self.location


def _rows(query: peewee.ModelSelect[Case]) -> list[CaseRow]:
    """The rows of a case query, with the names joined in (one query)."""
    receiver = Operator.alias()
    dept = Department.alias()
    joined = (
        query.select(
            Case.id,
            Case.serial,
            Case.category,
            Case.place_key,
            Case.location,
            Case.description,
            Case.handler,
            Case.status,
            Case.reply_due_at,
            Case.source_kind,
            Case.escalation_level,
            receiver.display_name.alias("first_receiver_name"),
            dept.name.alias("department_name"),
        )
        .join(receiver, on=(Case.first_receiver == receiver.id))
        .switch(Case)
        .join(dept, peewee.JOIN.LEFT_OUTER, on=(Case.department == dept.id))
        .dicts()
    )
    return [
        CaseRow(
            id=r["id"],
            serial=r["serial"],
            category=r["category"],
            place_key=r["place_key"],
            location=r["location"],
            description=mask_in_text(r["description"]),
            first_receiver_name=r["first_receiver_name"] or "",
            department_name=r["department_name"] or "",
            handler=r["handler"],
            status=r["status"],
            reply_due_at=r["reply_due_at"],
            source_kind=r["source_kind"],
            escalation_level=r["escalation_level"],
        )
        for r in _dicts(joined)
    ]


def list_cases(f: CaseFilter, offset: int = 0, limit: int = 200) -> list[CaseRow]:
    """Open ones by deadline; closed ones newest first."""
    return _rows(
        _filtered(f)
        .order_by((Case.status == CLOSED).asc(), Case.reply_due_at.asc(), Case.id.desc())
        .offset(offset)
        .limit(limit)
    )


def my_open_cases(operator: Operator | int) -> list[Case]:
    """首问责任人: the cases an operator first received, until they are closed."""
    return list(
        Case.select()
        .where((Case.first_receiver == operator) & (Case.status != CLOSED))
        .order_by(Case.reply_due_at, Case.id)
    )


def earlier_at_place(
    category: str, key: str, now: datetime, days: int = 30, exclude_id: int | None = None
) -> list[Case]:
    """Earlier cases of the same category at the same place ('5-1-1203 本月第 3 次漏水')."""
    if not key:
        return []
    query = Case.select().where(
        (Case.category == category)
        & (Case.place_key == key)
        & (Case.received_at >= now - timedelta(days=days))
    )
    if exclude_id is not None:
        query = query.where(Case.id != exclude_id)
    return list(query.order_by(Case.received_at.desc(), Case.id.desc()))


def recurrence_note(category: str, key: str, now: datetime, days: int = 30) -> str:
    earlier = earlier_at_place(category, key, now, days)
    if not earlier:
        return ""
    return f"{key} 近 {days} 天第 {len(earlier) + 1} 次{category}"


def _dicts(query: Any) -> list[dict[str, Any]]:
    """The rows of a ``.dicts()`` query (typed for mypy)."""
    return list(query)
