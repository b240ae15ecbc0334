"""The call desk (来电登记): registering a call and what it promises, the call list, edits.

A call ends in one of four outcomes (规程：首问责任制, 代接电话, 不能立即答复):
answered on the spot, dispatched to a department (opens a case owned by the first receiver),
a message taken for somebody, or a callback promised. Each is saved in one transaction with
its serial number, the items it creates and its audit entry."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import timedelta
from enum import StrEnum
from typing import Any

import peewee

from reception.clock import format_local
from reception.clock import format_local_day_time
from reception.clock import local_day_bounds
from reception.errors import ConflictError
from reception.errors import NotFound
from reception.errors import ValidationError
from reception.rules import phones
from reception.rules.freetext import mask_personal
from reception.rules.textcheck import FieldErrors
from reception.rules.textcheck import multi_line
from reception.rules.textcheck import one_line
from reception.rules.textcheck import person_name
from reception.services import cases
from reception.services import departments
from reception.services import search
from reception.services import settings as settings_mod
from reception.services import vocabulary
from reception.services.residents import room_label
from reception.services.session import Session
from reception.store import audit
from reception.store import db
from reception.store import serials
from reception.store.models import Call
from reception.store.models import Callback
from reception.store.models import Case
from reception.store.models import Department
from reception.store.models import Message
from reception.store.models import Operator
from reception.store.models import Resident

CATEGORIES = vocabulary.CALL_CATEGORIES
EMERGENCY = vocabulary.Category.EMERGENCY.value


class Outcome(StrEnum):
    ANSWERED = "已当场答复"
    DISPATCHED = "转部门处理"
    MESSAGE = "代为留言"
    CALLBACK = "待回电"


OUTCOMES = [o.value for o in Outcome]


@dataclass
class CallInput:
    started_at: datetime  # UTC, when the call timer started
    category: str = ""
    content: str = ""
    answer: str = ""
    outcome: str = ""
    resident_id: int | None = None
    caller_name: str = ""
    caller_phone: str = ""
    location: str = ""
    identity_verified: bool = False
    department_id: int | None = None
    taken_by: str = ""
    alerted_department_id: int | None = None
    alerted_at: datetime | None = None  # UTC
    message_for_person: str = ""
    message_for_department_id: int | None = None
    message_text: str = ""
    callback_phone: str = ""
    callback_due_at: datetime | None = None  # UTC
    callback_reason: str = ""
    utility: str = ""  # 市政设施: 供水、供电… (guessed from the content when empty)
    client_token: str | None = None  # the form's submit token: a repeated submit saves once


@dataclass
class CallResult:
    call: Call
    case: Case | None = None
    message: Message | None = None
    callback: Callback | None = None
    duplicate: bool = False
    # Free-text fields in which ID/mobile numbers were masked when saved (field → label),
    # for the form's note (reception.rules.freetext.masked_note).
    masked: dict[str, str] = field(default_factory=dict)


@dataclass
class CleanCall:
    """A call's input once :func:`validate` accepted it: texts trimmed and checked, numbers
    normalised ("" where the outcome does not use the field), the rows it refers to loaded."""

    content: str = ""
    answer: str = ""
    caller_name: str = ""
    caller_phone: str = ""
    location: str = ""
    taken_by: str = ""
    message_for_person: str = ""
    message_text: str = ""
    callback_phone: str = ""
    callback_reason: str = ""
    utility: str = ""
    resident: Resident | None = None
    department: Department | None = None
    alerted_department: Department | None = None
    message_department: Department | None = None
    masked: dict[str, str] = field(default_factory=dict)


def _department(errs: FieldErrors, field_name: str, dept_id: int | None, label: str) -> Department | None:
    if dept_id is None:
        errs.add(field_name, f"请选择{label}")
        return None
    dept = Department.get_or_none((Department.id == dept_id) & (Department.active == True))  # noqa: E712
    if dept is None:
        errs.add(field_name, f"{label}不存在或已停用")
    return dept


def validate(data: CallInput, now: datetime) -> CleanCall:
    """Check a call form; every problem is reported at once, keyed by field name."""
    errs = FieldErrors()
    out = CleanCall()
    if data.category not in CATEGORIES:
        errs.add("category", "请选择来电类别")
    out.content = errs.check("content", multi_line, data.content, "来电内容", required=True) or ""
    out.answer = errs.check("answer", multi_line, data.answer, "答复内容") or ""
    out.caller_name = errs.check("caller_name", person_name, data.caller_name, "来电人", max_len=50) or ""
    out.caller_phone = errs.check("caller_phone", phones.normalize, data.caller_phone) or ""
    out.location = errs.check("location", one_line, data.location, "地址", max_len=100) or ""
    if data.resident_id is not None:
        out.resident = Resident.get_or_none(Resident.id == data.resident_id)
        if out.resident is None:
            errs.add("caller_name", "所选住户已不存在，请重新查找")
    if data.identity_verified and out.resident is None and not out.caller_name:
        errs.add("identity_verified", "核实身份前请先找到住户或填写来电人")
    if data.outcome not in OUTCOMES:
        errs.add("outcome", "请选择处理结果")
    elif data.outcome == Outcome.ANSWERED and not out.answer:
        errs.add("answer", "当场答复的来电请填写答复内容")
    elif data.outcome == Outcome.DISPATCHED:
        out.department = _department(errs, "department", data.department_id, "处理部门")
        # 接单人 may be left empty when the department has a default one (设置 → 部门).
        default_handler = departments.default_handler(out.department)
        out.taken_by = (
            errs.check(
                "taken_by", one_line, data.taken_by, "部门接单人", max_len=50, required=not default_handler
            )
            or default_handler
        )
    elif data.outcome == Outcome.MESSAGE:
        out.message_for_person = (
            errs.check("message_for_person", one_line, data.message_for_person, "留言对象", max_len=50) or ""
        )
        if data.message_for_department_id is not None:
            out.message_department = _department(
                errs, "message_for_person", data.message_for_department_id, "留言部门"
            )
        if not out.message_for_person and data.message_for_department_id is None:
            errs.add("message_for_person", "请填写留言给谁（人员或部门）")
        out.message_text = (
            errs.check("message_text", multi_line, data.message_text, "留言内容", required=True) or ""
        )
        out.callback_phone = (
            errs.check("callback_phone", phones.normalize, data.callback_phone or data.caller_phone) or ""
        )
    elif data.outcome == Outcome.CALLBACK:
        out.callback_phone = (
            errs.check("callback_phone", phones.normalize, data.callback_phone or data.caller_phone) or ""
        )
        if not (data.callback_phone or data.caller_phone).strip():
            errs.add("callback_phone", "待回电需要回电号码")
        if data.callback_due_at is None:
            errs.add("callback_due_at", "请填写回电时间")
        elif data.callback_due_at < now - timedelta(minutes=1):
            errs.add("callback_due_at", "回电时间不能早于现在")
        out.callback_reason = (
            errs.check("callback_reason", multi_line, data.callback_reason, "回电事由") or ""
        )
    if data.category == cases.MUNICIPAL and data.outcome == Outcome.DISPATCHED:
        # The case needs the utility; taken from the form, else from what the caller said.
        out.utility = data.utility or cases.guess_utility(data.content)
        if out.utility not in cases.UTILITIES:
            errs.add("utility", "市政设施请选择类型（供水、供电、燃气…）")
    if data.category == EMERGENCY:
        out.alerted_department = _department(
            errs, "alerted_department", data.alerted_department_id, "已通知的部门"
        )
        if data.alerted_at is None:
            errs.add("alerted_at", "请填写通知部门的时间")
        elif data.alerted_at > now + timedelta(minutes=5):
            errs.add("alerted_at", "通知时间不能晚于现在")
    errs.raise_if_any()
    out.masked = errs.masked
    return out


def readback(
    data: CallInput,
    resident: Resident | None = None,
    department: Department | None = None,
    message_department: Department | None = None,
    hours: int | None = None,
    alerted_department: Department | None = None,
) -> str:
    """The line read back to the caller (复述要点): who, what, and what was promised."""
    who = data.caller_name.strip() or (resident.name if resident else "") or "来电人"
    where = data.location.strip() or (
        room_label(resident.building, resident.unit, resident.room) if resident else ""
    )
    caller = f"{who}（{where}）" if where else who
    # The read-back is stored with the call: numbers in it masked like the content's.
    matter = " ".join(mask_personal(data.content)[0].split()).rstrip("。.！!？?；;，,")
    if len(matter) > 60:
        matter = matter[:60] + "…"
    category = data.category or ""
    said = f"反映{category}：{matter}" if matter else (f"来电{category}" if category else "来电")
    if data.outcome == Outcome.ANSWERED:
        action = "已当场答复"
    elif data.outcome == Outcome.DISPATCHED:
        dept = department.name if department else "相关部门"
        handler = data.taken_by.strip() or departments.default_handler(department)
        taker = f"（{handler}）" if handler else ""
        promise = f"，{hours} 小时内给您答复" if hours else ""
        action = f"已转{dept}{taker}处理{promise}"
        tell = data.category in settings_mod.TELL_PHONE_CATEGORIES
        if department is not None and department.phone and tell:
            action += f"；{dept}电话 {department.phone}"
    elif data.outcome == Outcome.MESSAGE:
        target = data.message_for_person.strip() or (message_department.name if message_department else "")
        action = f"已为您给{target or '相关人员'}留言，会尽快转达" + _callback_number(data)
    elif data.outcome == Outcome.CALLBACK:
        due = format_local_day_time(data.callback_due_at) if data.callback_due_at else ""
        action = (f"我们将于{due}前回电" if due else "我们会尽快回电") + _callback_number(data)
    else:
        action = "（尚未选择处理结果）"
    alert = ""
    if data.category == EMERGENCY and alerted_department is not None:
        when = format_local(data.alerted_at, "%H:%M") if data.alerted_at else ""
        alert = f"已于{when}通知{alerted_department.name}。" if when else f"已通知{alerted_department.name}。"
    return f"{caller}{said}。{alert}{action}。"


def _callback_number(data: CallInput) -> str:
    """「，回电号码 139****5678」 for the read-back of a message or a callback — masked like every
    stored read-back (the full number is on screen only where it was typed or revealed); empty
    while no valid number has been typed."""
    try:
        number = phones.normalize(data.callback_phone or data.caller_phone)
    except ValueError:
        return ""
    return f"，回电号码 {phones.mask(number)}" if number else ""


def closing_line(data: CallInput, department: Department | None = None, hours: int | None = None) -> str:
    """结束语 (规程：通话结束时感谢来电、确认下一步、待对方先挂机): thank, confirm the next step."""
    if data.outcome == Outcome.ANSWERED:
        step = "如还有疑问，欢迎随时来电。"
    elif data.outcome == Outcome.DISPATCHED:
        dept = department.name if department else "相关部门"
        within = f"在 {hours} 小时内" if hours else "尽快"
        step = f"{dept}会{within}给您答复，请保持电话畅通。"
    elif data.outcome == Outcome.MESSAGE:
        step = "您的留言我们会尽快转达。"
    elif data.outcome == Outcome.CALLBACK:
        due = format_local_day_time(data.callback_due_at) if data.callback_due_at else ""
        step = f"我们会在{due}前给您回电。" if due else "我们会尽快给您回电。"
    else:
        step = ""
    return f"感谢您的来电！{step}请您先挂机，再见。"


def preview_closing(data: CallInput) -> str:
    dept = Department.get_or_none(Department.id == data.department_id) if data.department_id else None
    hours = settings_mod.load().reply_hours_for(data.category) if data.outcome == Outcome.DISPATCHED else None
    return closing_line(data, dept, hours)


def preview_readback(data: CallInput) -> str:
    """Read-back for the form as it is being filled (tolerates missing or stale ids)."""
    resident = Resident.get_or_none(Resident.id == data.resident_id) if data.resident_id else None
    dept = Department.get_or_none(Department.id == data.department_id) if data.department_id else None
    mdept = (
        Department.get_or_none(Department.id == data.message_for_department_id)
        if data.message_for_department_id
        else None
    )
    hours = settings_mod.load().reply_hours_for(data.category) if data.outcome == Outcome.DISPATCHED else None
    alerted = (
        Department.get_or_none(Department.id == data.alerted_department_id)
        if data.alerted_department_id
        else None
    )
    return readback(data, resident, dept, mdept, hours, alerted)


def register_call(session: Session, data: CallInput) -> CallResult:
    """Save a call and whatever it creates, in one transaction. Returns only after the commit."""
    if data.client_token:
        existing = Call.get_or_none(Call.client_token == data.client_token)
        if existing is not None:
            return CallResult(existing, duplicate=True)
    now = session.now()
    c = validate(data, now)
    conf = settings_mod.load()
    hours = conf.reply_hours_for(data.category)
    resident = c.resident
    caller_name = c.caller_name or (resident.name if resident else "")
    location = c.location or (room_label(resident.building, resident.unit, resident.room) if resident else "")
    started = min(data.started_at, now)
    text = readback(
        data,
        resident,
        c.department,
        c.message_department,
        hours if data.outcome == Outcome.DISPATCHED else None,
        c.alerted_department,
    )
    result: CallResult
    try:
        with db.write():
            call = Call.create(
                serial=serials.next_serial(serials.CALL, session.clock.today()),
                started_at=started,
                saved_at=now,
                duration_s=int((now - started).total_seconds()),
                operator=session.operator,
                resident=resident,
                caller_name=caller_name,
                caller_phone=c.caller_phone or (resident.phone if resident else ""),
                location=location,
                identity_verified=data.identity_verified,
                category=data.category,
                content=c.content,
                answer=c.answer,
                outcome=data.outcome,
                department=c.department,
                taken_by=c.taken_by,
                alerted_department=c.alerted_department,
                alerted_at=data.alerted_at if data.category == EMERGENCY else None,
                readback=text,
                client_token=data.client_token or None,
                updated_at=now,
            )
            result = CallResult(call, masked=c.masked)
            audit.record(
                now,
                session.operator,
                "call.create",
                "call",
                call.id,
                serial=call.serial,
                category=call.category,
                outcome=call.outcome,
                phone=phones.mask(call.caller_phone),
            )
            if data.outcome == Outcome.DISPATCHED:
                result.case = cases.open_case(
                    session,
                    source_kind="call",
                    source_id=call.id,
                    category=data.category,
                    description=c.content,
                    received_at=started,
                    reply_hours=hours,
                    department=c.department,
                    handler=c.taken_by,
                    resident=resident,
                    location=location,
                    utility=c.utility,
                )
            elif data.outcome == Outcome.MESSAGE:
                result.message = _create_message(
                    session,
                    call=call,
                    for_person=c.message_for_person,
                    for_department=c.message_department,
                    from_name=caller_name,
                    callback_phone=c.callback_phone,
                    text=c.message_text,
                )
            elif data.outcome == Outcome.CALLBACK:
                assert data.callback_due_at is not None
                result.callback = _create_callback(
                    session,
                    call=call,
                    name=caller_name,
                    phone=c.callback_phone,
                    reason=c.callback_reason or c.content,
                    due_at=data.callback_due_at,
                )
    except peewee.IntegrityError:
        if data.client_token:
            existing = Call.get_or_none(Call.client_token == data.client_token)
            if existing is not None:
                return CallResult(existing, duplicate=True)
        raise
    return result


def _create_message(
    session: Session,
    *,
    call: Call | None,
    for_person: str,
    for_department: Department | None,
    from_name: str,
    callback_phone: str,
    text: str,
) -> Message:
    now = session.now()
    msg = Message.create(
        call=call,
        for_person=for_person,
        for_department=for_department,
        from_name=from_name,
        callback_phone=callback_phone,
        text=text,
        created_at=now,
        created_by=session.operator,
    )
    audit.record(
        now,
        session.operator,
        "message.create",
        "message",
        msg.id,
        call=call.serial if call else None,
        for_person=for_person,
        for_department=for_department.name if for_department else None,
    )
    return msg


def _create_callback(
    session: Session, *, call: Call | None, name: str, phone: str, reason: str, due_at: datetime
) -> Callback:
    now = session.now()
    cb = Callback.create(
        call=call,
        name=name,
        phone=phone,
        reason=reason,
        due_at=due_at,
        created_at=now,
        created_by=session.operator,
    )
    audit.record(
        now,
        session.operator,
        "callback.create",
        "callback",
        cb.id,
        call=call.serial if call else None,
        phone=phones.mask(phone),
        due_at=due_at,
    )
    return cb


# ---- the call list -------------------------------------------------------------------------


@dataclass
class CallFilter:
    date_from: date | None = None  # local days, inclusive
    date_to: date | None = None
    category: str = ""
    outcome: str = ""
    operator_id: int | None = None
    search: str = ""


def _filtered(f: CallFilter) -> peewee.ModelSelect[Call]:
    query = Call.select()
    if f.date_from is not None:
        query = query.where(Call.saved_at >= local_day_bounds(f.date_from)[0])
    if f.date_to is not None:
        query = query.where(Call.saved_at < local_day_bounds(f.date_to)[1])
    if f.category:
        query = query.where(Call.category == f.category)
    if f.outcome:
        query = query.where(Call.outcome == f.outcome)
    if f.operator_id is not None:
        query = query.where(Call.operator == f.operator_id)
    cond = search.call_condition(f.search)  # the search index (reception.services.search)
    if cond is not None:
        query = query.where(cond)
    return query


def count_calls(f: CallFilter) -> int:
    only_search = f.date_from is None and f.date_to is None and not f.category and not f.outcome
    if only_search and f.operator_id is None and f.search.strip():
        counted = search.count_calls(f.search)  # the index alone, when it can answer
        if counted is not None:
            return counted
    return _filtered(f).count()


@dataclass(frozen=True)
class CallRow:
    """One line of the call list, as shown: the related names read in the same query, the
    caller's number masked and numbers in the content masked (a full number is a separate,
    audited reveal: :mod:`reception.services.privacy`)."""

    id: int
    serial: str
    saved_at: datetime
    caller_name: str
    caller_phone_masked: str
    category: str
    content: str
    outcome: str
    department_name: str
    operator_name: str
    open_case_due: datetime | None  # the earliest reply deadline of a case it opened, still open


def list_calls(f: CallFilter, offset: int = 0, limit: int = 200) -> list[CallRow]:
    """Newest first; fetched a page at a time by the list view. One query: the operator's and
    department's names and the deadline of the call's open case come with the rows."""
    op_alias = Operator.alias()
    dept_alias = Department.alias()
    base = _filtered(f)
    if f.search.strip():
        # A search can match thousands of calls: page their ids first (the index gives ids, the
        # sort is of ids only), then read the page's rows.
        page = _filtered(f).select(Call.id).order_by(Call.id.desc()).offset(offset).limit(limit)
        base = Call.select().where(Call.id.in_(page))
        offset = 0
    open_due = Case.select(peewee.fn.MIN(Case.reply_due_at)).where(
        (Case.source_kind == "call") & (Case.source_id == Call.id) & Case.status.in_(cases.OPEN_STATUSES)
    )
    query = (
        base.select(
            Call.id,
            Call.serial,
            Call.saved_at,
            Call.caller_name,
            Call.caller_phone,
            Call.category,
            Call.content,
            Call.outcome,
            op_alias.display_name.alias("operator_name"),
            dept_alias.name.alias("department_name"),
            open_due.alias("open_case_due"),
        )
        .join(op_alias, on=(Call.operator == op_alias.id))
        .switch(Call)
        .join(dept_alias, peewee.JOIN.LEFT_OUTER, on=(Call.department == dept_alias.id))
        .order_by(Call.id.desc())
        .offset(offset)
        .limit(limit)
        .dicts()
    )
    return [
        CallRow(
            id=r["id"],
            serial=r["serial"],
            saved_at=r["saved_at"],
            caller_name=r["caller_name"],
            caller_phone_masked=phones.mask(r["caller_phone"]),
            category=r["category"],
            content=phones.mask_in_text(r["content"]),
            outcome=r["outcome"],
            department_name=r["department_name"] or "",
            operator_name=r["operator_name"] or "",
            open_case_due=_as_datetime(r["open_case_due"]),
        )
        for r in _dicts(query)
    ]


def _as_datetime(value: object) -> datetime | None:
    """A MIN() over a date column comes back as text from SQLite."""
    if value is None or isinstance(value, datetime):
        return value
    converted = Case.reply_due_at.python_value(value)
    return converted if isinstance(converted, datetime) else None


def get_call(call_id: int) -> Call:
    call = Call.get_or_none(Call.id == call_id)
    if call is None:
        raise NotFound("找不到该来电记录。")
    return call


@dataclass
class HistoryLine:
    at: datetime
    operator: str
    text: str


_ACTION_LABELS = {
    "call.create": "登记来电",
    "call.update": "修改记录",
    "case.create": "生成工单",
    "message.create": "代为留言",
    "message.deliver": "留言已转达",
    "callback.create": "登记待回电",
    "callback.complete": "已回电",
}


def call_history(call_id: int) -> list[HistoryLine]:
    """Everything that happened to a call and to what it created, oldest first."""
    call = get_call(call_id)
    lines: list[HistoryLine] = []
    targets = [("call", call.id)]
    targets += [("case", c.id) for c in cases.for_source("call", call.id)]
    targets += [("message", m.id) for m in Message.select(Message.id).where(Message.call == call.id)]
    targets += [("callback", cb.id) for cb in Callback.select(Callback.id).where(Callback.call == call.id)]
    for entity, entity_id in targets:
        for entry in audit.history(entity, entity_id):
            who = entry.operator.display_name if entry.operator is not None else ""
            label = _ACTION_LABELS.get(entry.action, entry.action)
            lines.append(HistoryLine(entry.at, who, f"{label} {_describe(entry.detail)}".strip()))
    lines.sort(key=lambda line: line.at)
    return lines


_FIELD_LABELS = {
    "caller_name": "来电人",
    "caller_phone": "电话",
    "location": "地址",
    "identity_verified": "身份核实",
    "category": "类别",
    "content": "内容",
    "answer": "答复",
    "serial": "编号",
    "outcome": "结果",
    "status": "状态",
    "delivered_to": "转达给",
    "result": "回电结果",
}


def _shown(value: object) -> object:
    """A changed value as the history shows it (是/否 for yes-no fields)."""
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


def _describe(detail: str) -> str:
    import json

    if not detail:
        return ""
    data = json.loads(detail)
    changed = data.get("changed")
    if isinstance(changed, dict):
        return "；".join(
            f"{_FIELD_LABELS.get(k, k)}：{_shown(old)} → {_shown(new)}" for k, (old, new) in changed.items()
        )
    parts = [f"{_FIELD_LABELS[k]} {val}" for k, val in data.items() if k in _FIELD_LABELS and val]
    return "，".join(parts)


@dataclass
class CallEdit:
    caller_name: str
    caller_phone: str
    location: str
    identity_verified: bool
    category: str
    content: str
    answer: str


def update_call(session: Session, call_id: int, edit: CallEdit, expected_version: int) -> Call:
    """Correct a call record. Every changed field is audited (phones masked). Refused if the
    record changed since it was opened."""
    call = get_call(call_id)
    if call.version != expected_version:
        raise ConflictError("这条记录已被其他人修改，请关闭后重新打开查看最新内容。")
    errs = FieldErrors()
    values: dict[str, Any] = {
        "caller_name": errs.check("caller_name", person_name, edit.caller_name, "来电人", max_len=50),
        "caller_phone": errs.check("caller_phone", phones.normalize, edit.caller_phone),
        "location": errs.check("location", one_line, edit.location, "地址", max_len=100),
        "content": errs.check("content", multi_line, edit.content, "来电内容", required=True),
        "answer": errs.check("answer", multi_line, edit.answer, "答复内容"),
        "identity_verified": bool(edit.identity_verified),
        "category": edit.category,
    }
    if edit.category not in CATEGORIES:
        errs.add("category", "请选择来电类别")
    if call.outcome == Outcome.ANSWERED and not values["answer"]:
        errs.add("answer", "当场答复的来电请填写答复内容")
    errs.raise_if_any()
    changed = {}
    for key, new in values.items():
        old = getattr(call, key)
        if old != new:
            if key == "caller_phone":
                changed[key] = [phones.mask(old), phones.mask(new)]
            elif key in ("content", "answer"):
                changed[key] = [_clip(old), _clip(new)]
            else:
                changed[key] = [old, new]
    if not changed:
        return call
    now = session.now()
    with db.write():
        rows = (
            Call.update(**values, version=Call.version + 1, updated_at=now)
            .where((Call.id == call_id) & (Call.version == expected_version))
            .execute()
        )
        if rows != 1:
            raise ConflictError("这条记录已被其他人修改，请关闭后重新打开查看最新内容。")
        audit.record(now, session.operator, "call.update", "call", call_id, changed=changed)
    return get_call(call_id)


def _clip(text: str, size: int = 40) -> str:
    return text if len(text) <= size else text[:size] + "…"


__all__ = [
    "CATEGORIES",
    "OUTCOMES",
    "CallEdit",
    "CallFilter",
    "CallInput",
    "CallResult",
    "HistoryLine",
    "Outcome",
    "ValidationError",
    "call_history",
    "closing_line",
    "count_calls",
    "get_call",
    "list_calls",
    "preview_closing",
    "preview_readback",
    "readback",
    "register_call",
    "update_call",
]


def _dicts(query: Any) -> list[dict[str, Any]]:
    """The rows of a ``.dicts()`` query (typed for mypy)."""
    return list(query)
