"""Shifts and their handover (交接班).

A shift starts when an operator begins work at the desk (or takes over from the previous
one). 交班: the outgoing operator hands over with a note for the next shift. 接班: the incoming
operator confirms with their own login — or refuses, with a reason (the procedures allow
refusing to sign when something is unexplained); the shift then stays open until it is handed
over again and confirmed. Both names and times are recorded.

Accountability (issue 17, finding 3): only the operator on duty hands over their own shift — in
person, with their own password on this PC. When they are gone, a supervisor confirms them absent
with a reason (``hand_over_absent``, audited) and the report says 「交班人未签，由主管X确认」. Whoever
signed the handover can never confirm it as the incoming operator. Another operator who logs in
while the shift is open may also just help (``join_as_helper``: audited, the shift stays its
owner's)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from datetime import datetime

from reception.clock import local_day_bounds
from reception.clock import to_local
from reception.errors import NotFound
from reception.errors import ValidationError
from reception.rules.textcheck import multi_line
from reception.services.session import Role
from reception.services.session import Session
from reception.store import audit
from reception.store import db
from reception.store import desk
from reception.store.models import AuditLog
from reception.store.models import Operator
from reception.store.models import Shift

ON_DUTY = "当班"
AWAITING = "待接班"
HANDED_OVER = "已交接"


def current() -> Shift | None:
    """This desk's shift not yet handed over (there is at most one at a desk; a site with
    several desks on one server has one per desk, told apart by the desk name)."""
    return (
        Shift.select()
        .where((Shift.status != HANDED_OVER) & (Shift.desk == desk.name()))
        .order_by(Shift.id.desc())
        .first()
    )


def _next_number(day_key: str) -> int:
    """Shifts are numbered per day across the site (the desk is named beside the number)."""
    last = Shift.select().where(Shift.day == day_key).order_by(Shift.number.desc()).first()
    return (last.number + 1) if last else 1


def _create(session: Session, operator: Operator, at: datetime) -> Shift:
    day_key = to_local(at).strftime("%Y%m%d")
    shift = Shift.create(
        day=day_key, number=_next_number(day_key), started_at=at, operator=operator, status=ON_DUTY
    )
    audit.record(at, session.operator, "shift.start", "shift", shift.id, day=day_key, number=shift.number)
    return shift


def start(session: Session) -> Shift:
    """Begin a shift for the logged-in operator unless one is already open (returns it)."""
    with db.write():
        open_shift = current()
        if open_shift is not None:
            return open_shift
        return _create(session, session.operator, session.now())


def _open_for_handover(expected_version: int | None) -> Shift:
    shift = current()
    if shift is None:
        raise ValidationError.single("shift", "当前没有进行中的班次")
    if shift.status != ON_DUTY:
        raise ValidationError.single("shift", "该班次已交班，等待接班")
    if expected_version is not None and shift.version != expected_version:
        raise ValidationError.single("shift", "班次已被更新，请重新打开交班窗口")
    return shift


def _note(note: str) -> str:
    try:
        return multi_line(note, "交班备注", max_len=4000)
    except ValueError as exc:
        raise ValidationError.single("note", str(exc)) from None


def hand_over(session: Session, note: str, expected_version: int | None = None) -> Shift:
    """交班: the outgoing operator — the one on duty, logged in as themselves — closes their part
    with a note for the next shift. Anybody else is refused (and the refusal audited): they ask
    the operator on duty to sign with their own password, or a supervisor to confirm them absent."""
    shift = _open_for_handover(expected_version)
    text = _note(note)
    now = session.now()
    if session.operator.id != shift.operator_id:
        with db.write():
            audit.record(now, session.operator, "shift.hand_over_refused", "shift", shift.id)
        raise ValidationError.single(
            "outgoing",
            f"只有当班人{shift.operator.display_name}本人才能交班：请她/他输入自己的密码确认，"
            "不在时请主管确认并写明原因",
        )
    with db.write():
        Shift.update(
            status=AWAITING,
            handed_over_at=now,
            note=text,
            handed_over_by=session.operator,
            absent_reason="",
            version=Shift.version + 1,
        ).where(Shift.id == shift.id).execute()
        audit.record(now, session.operator, "shift.hand_over", "shift", shift.id)
    return Shift.get_by_id(shift.id)


def hand_over_absent(
    supervisor: Session, note: str, reason: str, expected_version: int | None = None
) -> Shift:
    """The operator on duty has left without handing over: a supervisor (logged in as themselves)
    confirms them absent, with a reason. The report then says 「交班人未签，由主管X确认」."""
    shift = _open_for_handover(expected_version)
    supervisor.require(Role.SUPERVISOR, "确认当班人不在并代为交班")
    if supervisor.operator.id == shift.operator_id:
        raise ValidationError.single("supervisor", "当班人本人在场，请直接交班")
    text = _note(note)
    try:
        why = multi_line(reason, "当班人不在的原因", max_len=500, required=True)
    except ValueError as exc:
        raise ValidationError.single("absent_reason", str(exc)) from None
    now = supervisor.now()
    with db.write():
        Shift.update(
            status=AWAITING,
            handed_over_at=now,
            note=text,
            handed_over_by=supervisor.operator,
            absent_reason=why,
            version=Shift.version + 1,
        ).where(Shift.id == shift.id).execute()
        audit.record(now, supervisor.operator, "shift.hand_over_absent", "shift", shift.id, reason=why[:100])
    return Shift.get_by_id(shift.id)


def join_as_helper(session: Session, shift_id: int) -> Shift:
    """Another operator works at the desk during somebody else's shift without taking it over
    (协助): audited; the shift, its report and its handover stay with the operator on duty."""
    shift = get(shift_id)
    if shift.status == HANDED_OVER:
        raise ValidationError.single("shift", "该班次已交接完成")
    if session.operator.id != shift.operator_id:
        with db.write():
            audit.record(session.now(), session.operator, "shift.helper", "shift", shift.id)
    return shift


@dataclass(frozen=True)
class Helper:
    """One stretch of 协助 during a shift: from joining until logging out (None: still there, or
    the shift ended first — then it ends with the shift)."""

    name: str
    start: datetime  # UTC
    end: datetime | None  # UTC


def helpers(shift: Shift, now: datetime) -> list[Helper]:
    """Who helped during ``shift`` (from the audited 协助 choices) and until when: the helper's
    next logout, else the end of the shift (handed over), else still helping (None)."""
    win = window(shift, now)
    joined = list(
        AuditLog.select(AuditLog, Operator)
        .join(Operator)
        .where(
            (AuditLog.action == "shift.helper")
            & (AuditLog.entity == "shift")
            & (AuditLog.entity_id == shift.id)
        )
        .order_by(AuditLog.at, AuditLog.id)
    )
    result: list[Helper] = []
    for entry in joined:
        left = (
            AuditLog.select(AuditLog.at)
            .where(
                (AuditLog.operator == entry.operator_id)
                & (AuditLog.action == "logout")
                & (AuditLog.at >= entry.at)
            )
            .order_by(AuditLog.at, AuditLog.id)
            .first()
        )
        end = left.at if left is not None else None
        if shift.handed_over_at is not None and (end is None or end > win.end):
            end = win.end
        name = entry.operator.display_name if entry.operator is not None else ""
        result.append(Helper(name, entry.at, end))
    return result


def signed_by_operator_on_duty(shift: Shift) -> bool:
    """Whether the 交班 was signed by the operator on duty (shifts from before schema 13, handed
    over without a signer recorded, were)."""
    return shift.handed_over_by_id is None or shift.handed_over_by_id == shift.operator_id


def confirm(incoming: Session, shift_id: int) -> Shift:
    """接班: the incoming operator, logged in as themselves, confirms. Their own shift starts."""
    shift = _awaiting(shift_id)
    if incoming.operator.id == shift.operator_id:
        raise ValidationError.single("incoming", "接班人不能与交班人相同，请由下一班的同事登录确认")
    if incoming.operator.id == shift.handed_over_by_id:
        raise ValidationError.single("incoming", "确认交班的主管不能同时接班，请由下一班的同事登录确认")
    now = incoming.now()
    with db.write():
        Shift.update(
            status=HANDED_OVER, incoming=incoming.operator, confirmed_at=now, version=Shift.version + 1
        ).where(Shift.id == shift.id).execute()
        audit.record(now, incoming.operator, "shift.confirm", "shift", shift.id)
        _create(incoming, incoming.operator, now)
    return Shift.get_by_id(shift.id)


def refuse(incoming: Session, shift_id: int, reason: str) -> Shift:
    """The incoming operator refuses to sign: the reason is recorded and the shift goes back
    to the outgoing operator (当班) to be explained and handed over again."""
    shift = _awaiting(shift_id)
    if incoming.operator.id == shift.operator_id:
        raise ValidationError.single("incoming", "接班人不能与交班人相同")
    try:
        why = multi_line(reason, "拒签原因", max_len=1000, required=True)
    except ValueError as exc:
        raise ValidationError.single("reason", str(exc)) from None
    now = incoming.now()
    with db.write():
        Shift.update(
            status=ON_DUTY,
            refused_by=incoming.operator,
            refused_at=now,
            refused_reason=why,
            version=Shift.version + 1,
        ).where(Shift.id == shift.id).execute()
        audit.record(now, incoming.operator, "shift.refuse", "shift", shift.id, reason=why[:100])
    return Shift.get_by_id(shift.id)


def _awaiting(shift_id: int) -> Shift:
    shift = Shift.get_or_none(Shift.id == shift_id)
    if shift is None:
        raise NotFound("找不到该班次。")
    if shift.status != AWAITING:
        raise ValidationError.single("shift", "该班次尚未交班或已交接完成")
    return shift


def get(shift_id: int) -> Shift:
    shift = Shift.get_or_none(Shift.id == shift_id)
    if shift is None:
        raise NotFound("找不到该班次。")
    return shift


def of_day(day: date) -> list[Shift]:
    return list(Shift.select().where(Shift.day == day.strftime("%Y%m%d")).order_by(Shift.number))


def find(day: date, number: int | None = None) -> Shift:
    """A day's shift by number; without a number, the day's last shift."""
    shifts = of_day(day)
    if not shifts:
        raise NotFound(f"{day:%Y-%m-%d} 没有班次记录。")
    if number is None:
        return shifts[-1]
    for shift in shifts:
        if shift.number == number:
            return shift
    raise NotFound(f"{day:%Y-%m-%d} 没有第 {number} 班。")


@dataclass(frozen=True)
class Window:
    """The UTC interval a report covers."""

    start: datetime
    end: datetime


def window(shift: Shift, now: datetime) -> Window:
    end = shift.handed_over_at or shift.confirmed_at or now
    return Window(shift.started_at, max(end, shift.started_at))


def day_window(day: date) -> Window:
    start, end = local_day_bounds(day)
    return Window(start, end)
