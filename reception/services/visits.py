"""The visitor desk (来访登记).

Two kinds of visit (规程：来访审核, 业户来访接待, 预约来访 / 不速之客):

* ``business`` — a resident at the desk on business (交费、租房、二次装修…), routed to the
  department for that purpose; a complaint opens a case owned by the first receiver.
* ``guest`` — an outside visitor: identity checked, the host asked (or the appointment
  matched), a badge printed, checked out by scanning the badge's pass number.

A walk-in whose host refuses or cannot be reached is recorded as 未放行: no badge is printed.
By default the full ID number is not stored, only its masked form and a salted hash."""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import timedelta
from pathlib import Path
from typing import Any

import peewee

from reception.clock import format_local
from reception.clock import format_local_day_time
from reception.clock import local_day_bounds
from reception.errors import ConflictError
from reception.errors import NotFound
from reception.errors import ReceptionError
from reception.errors import ValidationError
from reception.rules import identity
from reception.rules import phones
from reception.rules import plates
from reception.rules.textcheck import FieldErrors
from reception.rules.textcheck import multi_line
from reception.rules.textcheck import one_line
from reception.rules.textcheck import person_name
from reception.services import cases
from reception.services import settings as settings_mod
from reception.services.residents import room_label
from reception.services.session import Role
from reception.services.session import Session
from reception.services.session import require_session
from reception.services.vocabulary import COMPLAINT
from reception.services.vocabulary import AppointmentStatus
from reception.services.vocabulary import BusinessPurpose
from reception.services.vocabulary import Consent
from reception.services.vocabulary import GuestPurpose
from reception.services.vocabulary import VisitStatus
from reception.services.vocabulary import values
from reception.store import audit
from reception.store import db
from reception.store import serials
from reception.store.models import Appointment
from reception.store.models import Department
from reception.store.models import Operator
from reception.store.models import Resident
from reception.store.models import Visit
from reception.store.models import WatchEntry

log = logging.getLogger(__name__)

BUSINESS = "business"
GUEST = "guest"
BUSINESS_PURPOSES = values(BusinessPurpose)
GUEST_PURPOSES = values(GuestPurpose)

# Consent of the host (规程：通知受访住户，确认是否接受来访)
AGREED = Consent.AGREED.value
REFUSED = Consent.REFUSED.value
UNREACHABLE = Consent.UNREACHABLE.value
BOOKED = Consent.BOOKED.value
CONSENTS = [AGREED, REFUSED, UNREACHABLE]

# Visit status
ON_SITE = VisitStatus.ON_SITE.value
LEFT = VisitStatus.LEFT.value
NOT_ADMITTED = VisitStatus.NOT_ADMITTED.value
DONE = VisitStatus.DONE.value

# Appointment status
EXPECTED = AppointmentStatus.EXPECTED.value
ARRIVED = AppointmentStatus.ARRIVED.value
NO_SHOW = AppointmentStatus.NO_SHOW.value
CANCELLED = AppointmentStatus.CANCELLED.value

# Watch-list decisions by a supervisor
ADMIT = "放行"
DENY = "拒绝"


class WatchListHit(ReceptionError):
    """The visitor matches the watch list: a supervisor must decide before the visit is saved."""

    def __init__(self, entries: list[WatchEntry]) -> None:
        reasons = "；".join(f"{e.name}：{e.reason}" for e in entries)
        super().__init__(f"该访客在关注名单中（{reasons}）。请主管核实后决定是否放行。")
        self.entries = entries


# ---- 业户办事 ---------------------------------------------------------------------------------


@dataclass
class BusinessVisitInput:
    purpose: str = ""
    resident_id: int | None = None
    visitor_name: str = ""  # when the resident is not (yet) in the directory
    visitor_phone: str = ""
    location: str = ""
    handled: str = ""  # what was done
    department_id: int | None = None  # default: the purpose's department
    taken_over_by: str = ""
    client_token: str | None = None
    # 跟进: hours within which the desk comes back to the resident (None or 0: done on the spot).
    follow_up_hours: int | None = None


def business_readback(
    data: BusinessVisitInput, department: str, due_at: datetime | None, resident_name: str = ""
) -> str:
    """复述 for a resident at the desk: what they came for, where they were guided, and when the
    desk will come back to them (the follow-up promise)."""
    who = data.visitor_name.strip() or resident_name or "业户"
    text = f"{who}办理{data.purpose or '事项'}"
    if department:
        text += f"，已引导至{department}"
    if data.taken_over_by.strip():
        text += f"（{data.taken_over_by.strip()}）"
    if data.purpose == COMPLAINT:
        return text + "，投诉将生成工单，按时限给您答复。"
    if due_at is not None:
        return text + f"；我们会在{format_local_day_time(due_at)}前跟进并给您答复。"
    return text + "。"


def preview_business_readback(data: BusinessVisitInput, now: datetime) -> str:
    resident = Resident.get_or_none(Resident.id == data.resident_id) if data.resident_id else None
    dept = Department.get_or_none(Department.id == data.department_id) if data.department_id else None
    hours = data.follow_up_hours or 0
    due = now + timedelta(hours=hours) if hours and data.purpose != COMPLAINT else None
    name = dept.name if dept else purpose_guidance(data.purpose)[0] if data.purpose else ""
    return business_readback(data, name, due, resident.name if resident else "")


def follow_ups() -> list[Visit]:
    """业户办事 still to be followed up, the soonest due first (overdue ones are those due before now)."""
    return list(
        Visit.select(Visit, Department)
        .join(Department, join_type=peewee.JOIN.LEFT_OUTER)
        .where(
            (Visit.kind == BUSINESS)
            & Visit.follow_up_due_at.is_null(False)
            & Visit.follow_up_done_at.is_null()
        )
        .order_by(Visit.follow_up_due_at, Visit.id)
    )


def complete_follow_up(session: Session, visit_id: int, note: str) -> Visit:
    """The desk came back to the resident: what was said or done is added to 办理情况."""
    errs = FieldErrors()
    text = errs.check("follow_up_note", multi_line, note, "跟进情况", max_len=500, required=True)
    errs.raise_if_any()
    now = session.now()
    with db.write():
        visit = Visit.get_or_none(Visit.id == visit_id)
        if visit is None or visit.kind != BUSINESS or visit.follow_up_due_at is None:
            raise NotFound("找不到该待跟进事项。")
        if visit.follow_up_done_at is not None:
            raise ConflictError("该事项已由他人跟进完成。")
        stamp = format_local(now, "%m-%d %H:%M")
        Visit.update(
            follow_up_done_at=now,
            handled=f"{visit.handled}\n【跟进 {stamp}】{text}",
            version=Visit.version + 1,
            updated_at=now,
        ).where((Visit.id == visit_id) & Visit.follow_up_done_at.is_null()).execute()
        audit.record(
            now,
            session.operator,
            "visit.follow_up",
            "visit",
            visit_id,
            serial=visit.serial,
            late=now > visit.follow_up_due_at,
        )
    return Visit.get_by_id(visit_id)


def purpose_guidance(purpose: str) -> tuple[str, str]:
    """(department name, guidance text) configured for a business purpose."""
    conf = settings_mod.load().visit_purposes.get(purpose) or {}
    return conf.get("department", ""), conf.get("guidance", "")


def _existing(token: str | None) -> Visit | None:
    return Visit.get_or_none(Visit.client_token == token) if token else None


def register_business_visit(session: Session, data: BusinessVisitInput) -> Visit:
    if (found := _existing(data.client_token)) is not None:
        return found
    errs = FieldErrors()
    if data.purpose not in BUSINESS_PURPOSES:
        errs.add("purpose", "请选择办理事项")
    resident = None
    if data.resident_id is not None:
        resident = Resident.get_or_none(Resident.id == data.resident_id)
        if resident is None:
            errs.add("resident", "所选住户已不存在，请重新查找")
    name = errs.check("visitor_name", person_name, data.visitor_name, "来访人", max_len=50)
    phone = errs.check("visitor_phone", phones.normalize, data.visitor_phone)
    location = errs.check("location", one_line, data.location, "房号", max_len=100)
    if resident is None and not name:
        errs.add("resident", "请查找业户，或填写来访人姓名")
    handled = errs.check("handled", multi_line, data.handled, "办理情况", required=True)
    taken = errs.check("taken_over_by", one_line, data.taken_over_by, "接手人", max_len=50)
    dept = None
    if data.department_id is not None:
        dept = Department.get_or_none((Department.id == data.department_id) & (Department.active == True))  # noqa: E712
        if dept is None:
            errs.add("department", "所选部门不存在或已停用")
    elif data.purpose in BUSINESS_PURPOSES:
        default_name, _ = purpose_guidance(data.purpose)
        dept = Department.get_or_none((Department.name == default_name) & (Department.active == True))  # noqa: E712
    if data.purpose == COMPLAINT and dept is None:
        errs.add("department", "投诉需要指定处理部门")
    follow_up = data.follow_up_hours or 0
    if data.purpose == COMPLAINT:
        follow_up = 0  # the complaint's case carries the deadline
    elif isinstance(follow_up, bool) or not isinstance(follow_up, int) or not 0 <= follow_up <= 720:
        errs.add("follow_up", "跟进时限应为 1 到 720 小时")
        follow_up = 0
    errs.raise_if_any()
    now = session.now()
    where = location or (room_label(resident.building, resident.unit, resident.room) if resident else "")
    with db.write():
        visit = Visit.create(
            serial=serials.next_serial(serials.VISIT, session.clock.today()),
            kind=BUSINESS,
            arrived_at=now,
            operator=session.operator,
            resident=resident,
            purpose=data.purpose,
            department=dept,
            handled=handled,
            taken_over_by=taken or "",
            visitor_name=name or (resident.name if resident else ""),
            visitor_phone=phone or (resident.phone if resident else ""),
            destination=where,
            status=DONE,
            client_token=data.client_token or None,
            updated_at=now,
            follow_up_due_at=now + timedelta(hours=follow_up) if follow_up else None,
        )
        audit.record(
            now,
            session.operator,
            "visit.create",
            "visit",
            visit.id,
            serial=visit.serial,
            kind=BUSINESS,
            purpose=data.purpose,
            follow_up_hours=follow_up,
        )
        if data.purpose == COMPLAINT:
            cases.open_case(
                session,
                source_kind="visit",
                source_id=visit.id,
                category=COMPLAINT,
                description=handled or "",
                received_at=now,
                reply_hours=settings_mod.load().reply_hours_for(COMPLAINT),
                department=dept,
                handler=taken or "",
                resident=resident,
                location=where,
            )
    # Not a column: which free-text fields had ID/mobile numbers masked (field → label), so the
    # form can say so (reception.rules.freetext.masked_note); a repeated submit reports none.
    vars(visit)["masked_fields"] = dict(errs.masked)
    return visit


def masked_fields(visit: Visit) -> dict[str, str]:
    """The free-text fields masked when ``visit`` was just saved (empty for any other visit)."""
    return dict(vars(visit).get("masked_fields", {}))


# ---- 访客 -------------------------------------------------------------------------------------


@dataclass
class GuestInput:
    visitor_name: str = ""
    visitor_phone: str = ""
    party_size: int = 1
    plate: str = ""
    id_type: str = identity.RESIDENT_ID
    id_number: str = ""
    id_verified: bool = False
    host_resident_id: int | None = None  # destination: a household…
    staff_host: str = ""  # …or a staff member / department
    purpose: str = ""
    appointment_id: int | None = None
    consent: str = ""  # 同意 / 拒绝 / 未接通; not needed for an appointment
    escort: str = ""
    watch_decision: str = ""  # 放行 / 拒绝, by a supervisor, when the watch list matched
    watch_decided_by_id: int | None = None
    client_token: str | None = None
    id_source: str = ""  # '' typed; one of ID_SOURCES: read from the card
    visitor_unit: str = ""  # 来访单位: the company or place the visitor comes from


ID_SOURCES = {"reader": "读卡器", "wedge": "键盘输入式读卡器"}


@dataclass
class GuestCheck:
    """What the desk should know before saving: watch-list matches and a matching appointment."""

    watch: list[WatchEntry]
    appointment: Appointment | None


@dataclass
class CleanGuest:
    """A visitor's input once :func:`_clean_guest` accepted it: texts trimmed and checked,
    numbers normalised, the host and the appointment loaded."""

    visitor_name: str
    visitor_phone: str
    plate: str
    visitor_unit: str
    staff_host: str
    purpose: str
    escort: str
    host: Resident | None
    appointment: Appointment | None
    id_number: str


def _clean_guest(data: GuestInput, today: date) -> CleanGuest:
    errs = FieldErrors()
    visitor_name = errs.check(
        "visitor_name", person_name, data.visitor_name, "访客姓名", max_len=50, required=True
    )
    visitor_phone = errs.check("visitor_phone", phones.normalize, data.visitor_phone)
    if not isinstance(data.party_size, int) or not 1 <= data.party_size <= 50:
        errs.add("party_size", "来访人数应为 1 到 50 人")
    plate = errs.check("plate", plates.normalize, data.plate)
    visitor_unit = errs.check("visitor_unit", one_line, data.visitor_unit, "来访单位", max_len=100)
    number = errs.check("id_number", identity.normalize, data.id_type, data.id_number, today=today) or ""
    if not data.id_verified:
        errs.add("id_verified", "请核验访客证件后勾选“证件已核验”")
    host = None
    if data.host_resident_id is not None:
        host = Resident.get_or_none((Resident.id == data.host_resident_id) & (Resident.active == True))  # noqa: E712
        if host is None:
            errs.add("host", "受访住户不存在或已停用，请重新查找")
    staff_host = errs.check("host", one_line, data.staff_host, "受访人员", max_len=50)
    if data.host_resident_id is None and not staff_host:
        errs.add("host", "请查找受访住户，或填写受访的工作人员/部门")
    purpose = errs.check("purpose", one_line, data.purpose, "来访事由", max_len=100, required=True)
    escort = errs.check("escort", one_line, data.escort, "陪同人员", max_len=50)
    appointment = None
    if data.appointment_id is not None:
        appointment = Appointment.get_or_none(Appointment.id == data.appointment_id)
        if appointment is None or appointment.status != EXPECTED:
            errs.add("appointment", "该预约不存在或已使用")
    elif data.consent not in CONSENTS:
        errs.add("consent", "未预约的访客请先联系受访方，并记录答复（同意/拒绝/未接通）")
    errs.raise_if_any()
    return CleanGuest(
        visitor_name=visitor_name or "",
        visitor_phone=visitor_phone or "",
        plate=plate or "",
        visitor_unit=visitor_unit or "",
        staff_host=staff_host or "",
        purpose=purpose or "",
        escort=escort or "",
        host=host,
        appointment=appointment,
        id_number=number,
    )


def watch_matches(
    name: str, id_type: str, id_number: str, phone: str, *, id_hash: str | None = None
) -> list[WatchEntry]:
    """Active watch-list entries matching the ID number (by hash), the phone, or the name when
    the entry has neither — or when its number awaits re-entry (``id_recheck``: an entry from
    before the keyed hash). ``id_hash``: the number's hash when the caller has it already."""
    conds = []
    if id_number:
        conds.append(WatchEntry.id_hash == (id_hash or identity.id_hash(id_type, id_number)))
    if phone:
        conds.append(WatchEntry.phone == phone)
    if name:
        no_number = (WatchEntry.phone == "") | (WatchEntry.id_recheck == True)  # noqa: E712
        conds.append((WatchEntry.name == name) & (WatchEntry.id_hash == "") & no_number)
    if not conds:
        return []
    cond = conds[0]
    for extra in conds[1:]:
        cond |= extra
    return list(WatchEntry.select().where((WatchEntry.active == True) & cond))  # noqa: E712


def check_guest(data: GuestInput, today: date) -> GuestCheck:
    """Look-ups for the form while it is filled; never raises for incomplete input."""
    number = phone = ""
    with contextlib.suppress(ValueError):
        number = identity.normalize(data.id_type, data.id_number)
    with contextlib.suppress(ValueError):
        phone = phones.normalize(data.visitor_phone)
    name = data.visitor_name.strip()
    found = watch_matches(name, data.id_type, number, phone)
    return GuestCheck(found, match_appointment(name, phone, today))


def _valid_until(
    now: datetime, tz_today_end: datetime, conf: settings_mod.Settings | None = None
) -> datetime:
    conf = conf or settings_mod.load()
    if conf.badge_valid_end_of_day:
        return tz_today_end
    return min(now + timedelta(hours=max(conf.badge_valid_hours, 1)), tz_today_end)


def register_guest(session: Session, data: GuestInput) -> Visit:
    """Save an outside visitor. Raises :class:`WatchListHit` when the watch list matches and no
    supervisor decision was given. A refused or unreachable host gives a 未放行 record."""
    if (found := _existing(data.client_token)) is not None:
        return found
    c = _clean_guest(data, session.clock.today())
    now = session.now()
    conf = settings_mod.load()
    with db.write():
        id_hash = identity.id_hash(data.id_type, c.id_number)
        hits = watch_matches(c.visitor_name, data.id_type, c.id_number, c.visitor_phone, id_hash=id_hash)
        decided_by = None
        if hits:
            if data.watch_decision not in (ADMIT, DENY) or data.watch_decided_by_id is None:
                raise WatchListHit(hits)
            decided_by = Operator.get_or_none(Operator.id == data.watch_decided_by_id)
            if (
                decided_by is None
                or decided_by.role not in (Role.SUPERVISOR, Role.ADMIN)
                or not decided_by.active
            ):
                raise ValidationError.single("watch", "关注名单的放行决定需要主管作出")
        host = c.host
        if c.appointment is not None:
            consent, consent_at = BOOKED, now
            host = host or c.appointment.resident
        else:
            consent, consent_at = data.consent, now
        admitted = consent in (AGREED, BOOKED) and not (hits and data.watch_decision == DENY)
        destination = (room_label(host.building, host.unit, host.room) if host else "") or c.staff_host
        badge_destination = (
            f"{host.building}栋{host.unit + '单元' if host.unit else ''}" if host else c.staff_host
        )
        _start, day_end = local_day_bounds(session.clock.today())
        visit = Visit.create(
            serial=serials.next_serial(serials.VISIT, session.clock.today()),
            kind=GUEST,
            arrived_at=now,
            operator=session.operator,
            resident=host,
            purpose=c.purpose,
            visitor_name=c.visitor_name,
            visitor_phone=c.visitor_phone,
            party_size=data.party_size,
            plate=c.plate,
            visitor_unit=c.visitor_unit,
            id_type=data.id_type,
            id_masked=identity.mask(c.id_number),
            id_hash=id_hash,
            id_full=c.id_number if conf.store_full_id else None,
            id_verified=data.id_verified,
            id_source=data.id_source if data.id_source in ID_SOURCES and c.id_number else "",
            destination=destination,
            badge_destination=badge_destination,
            staff_host=c.staff_host,
            appointment=c.appointment,
            consent=consent,
            consent_at=consent_at,
            escort=c.escort,
            watch_hit=bool(hits),
            watch_decision=data.watch_decision if hits else "",
            watch_decided_by=decided_by,
            status=ON_SITE if admitted else NOT_ADMITTED,
            valid_until=_valid_until(now, day_end - timedelta(seconds=1), conf) if admitted else None,
            client_token=data.client_token or None,
            updated_at=now,
        )
        if c.appointment is not None:
            Appointment.update(status=ARRIVED, updated_at=now).where(
                Appointment.id == c.appointment.id
            ).execute()
        audit.record(
            now,
            session.operator,
            "visit.create",
            "visit",
            visit.id,
            serial=visit.serial,
            kind=GUEST,
            consent=consent,
            status=visit.status,
            phone=phones.mask(visit.visitor_phone),
            watch=visit.watch_decision or None,
            id_from=visit.id_source or None,
        )
    return visit


class CheckoutError(ReceptionError):
    pass


def checkout_by_pass(session: Session, pass_no: str) -> Visit:
    """Check a visitor out by the pass number a scanner typed (the visit's serial)."""
    key = "".join(pass_no.split()).upper()
    visit = Visit.get_or_none((Visit.serial == key) & (Visit.kind == GUEST))
    if visit is None:
        raise CheckoutError(f"未找到访客证 {key or '（空）'}，请核对后重试或在在场访客列表中手动离开。")
    return checkout(session, visit.id)


def checkout(session: Session, visit_id: int) -> Visit:
    visit = Visit.get_or_none(Visit.id == visit_id)
    if visit is None:
        raise NotFound("找不到该来访记录。")
    if visit.status == LEFT:
        when = format_local(visit.checked_out_at, "%H:%M")
        raise CheckoutError(
            f"访客证 {visit.serial}（{visit.visitor_name}）已于 {when} 登记离开，不能重复使用。"
        )
    if visit.status != ON_SITE:
        raise CheckoutError(f"访客证 {visit.serial} 对应的来访未放行，无需登记离开。")
    now = session.now()
    left_at = now
    if visit.arrived_at is not None and now < visit.arrived_at:
        # The PC's clock went back since the arrival: a check-out is never earlier than it.
        left_at = visit.arrived_at
        log.warning(
            "clock is %d s behind visit %d's arrival; check-out set to the arrival time",
            (visit.arrived_at - now).total_seconds(),
            visit.id,
        )
    with db.write():
        rows = (
            Visit.update(
                status=LEFT,
                checked_out_at=left_at,
                checked_out_by=session.operator,
                updated_at=now,
                version=Visit.version + 1,
            )
            .where((Visit.id == visit_id) & (Visit.status == ON_SITE))
            .execute()
        )
        if rows != 1:
            raise CheckoutError("该访客刚刚已登记离开。")
        audit.record(now, session.operator, "visit.checkout", "visit", visit_id, serial=visit.serial)
    return Visit.get_by_id(visit_id)


def on_site(limit: int = 1000) -> list[Visit]:
    return list(
        Visit.select().where(Visit.status == ON_SITE).order_by(Visit.arrived_at, Visit.id).limit(limit)
    )


def count_on_site(now: datetime) -> tuple[int, int]:
    """(on site, of which past valid-until)."""
    query = Visit.select().where(Visit.status == ON_SITE)
    return query.count(), query.where(Visit.valid_until < now).count()


def is_expired(visit: Visit | VisitRow, now: datetime) -> bool:
    return visit.status == ON_SITE and visit.valid_until is not None and visit.valid_until < now


def not_checked_out(day: date) -> list[Visit]:
    """Visitors of a day never checked out (for the handover)."""
    start, end = local_day_bounds(day)
    return list(
        Visit.select()
        .where((Visit.status == ON_SITE) & (Visit.arrived_at >= start) & (Visit.arrived_at < end))
        .order_by(Visit.arrived_at, Visit.id)
    )


@dataclass
class VisitFilter:
    date_from: date | None = None
    date_to: date | None = None
    kind: str = ""
    status: str = ""
    search: str = ""


def _filtered(f: VisitFilter) -> peewee.ModelSelect[Visit]:
    query = Visit.select()
    if f.date_from is not None:
        query = query.where(Visit.arrived_at >= local_day_bounds(f.date_from)[0])
    if f.date_to is not None:
        query = query.where(Visit.arrived_at < local_day_bounds(f.date_to)[1])
    if f.kind:
        query = query.where(Visit.kind == f.kind)
    if f.status:
        query = query.where(Visit.status == f.status)
    text = f.search.strip()
    if text:
        query = query.where(
            Visit.visitor_name.contains(text)
            | Visit.destination.contains(text)
            | Visit.purpose.contains(text)
            | Visit.serial.contains(text.upper())
            | Visit.plate.contains(text.upper())
        )
    return query


def count_visits(f: VisitFilter) -> int:
    return _filtered(f).count()


@dataclass(frozen=True)
class VisitRow:
    """One line of the visit list, as shown: the receptionist's name read in the same query, the
    phone masked, the ID number only ever in its stored masked form."""

    id: int
    serial: str
    kind: str
    arrived_at: datetime
    visitor_name: str
    visitor_unit: str
    party_size: int
    visitor_phone_masked: str
    id_masked: str
    id_verified: bool
    purpose: str
    destination: str
    handled: str
    status: str
    valid_until: datetime | None
    checked_out_at: datetime | None
    operator_name: str
    desk: str


def list_visits(f: VisitFilter, offset: int = 0, limit: int = 200) -> list[VisitRow]:
    """Newest first, with the operator's name (one query)."""
    query = (
        _filtered(f)
        .select(
            Visit.id,
            Visit.serial,
            Visit.kind,
            Visit.arrived_at,
            Visit.visitor_name,
            Visit.visitor_unit,
            Visit.party_size,
            Visit.visitor_phone,
            Visit.id_masked,
            Visit.id_verified,
            Visit.purpose,
            Visit.destination,
            Visit.handled,
            Visit.status,
            Visit.valid_until,
            Visit.checked_out_at,
            Visit.desk,
            Operator.display_name.alias("operator_name"),
        )
        .join(Operator, on=(Visit.operator == Operator.id))
        .order_by(Visit.id.desc())
        .offset(offset)
        .limit(limit)
        .dicts()
    )
    return [
        VisitRow(
            id=r["id"],
            serial=r["serial"],
            kind=r["kind"],
            arrived_at=r["arrived_at"],
            visitor_name=r["visitor_name"],
            visitor_unit=r["visitor_unit"] or "",
            party_size=r["party_size"] or 1,
            visitor_phone_masked=phones.mask(r["visitor_phone"]),
            id_masked=r["id_masked"] or "",
            id_verified=bool(r["id_verified"]),
            purpose=r["purpose"] or "",
            destination=r["destination"] or "",
            handled=r["handled"] or "",
            status=r["status"],
            valid_until=r["valid_until"],
            checked_out_at=r["checked_out_at"],
            operator_name=r["operator_name"] or "",
            desk=r["desk"] or "",
        )
        for r in _dicts(query)
    ]


VISIT_EXPORT_HEADER = [
    "编号",
    "类型",
    "到达时间",
    "离开时间",
    "来访人",
    "电话",
    "人数",
    "车牌",
    "证件类型",
    "证件号码",
    "受访方",
    "事由",
    "办理情况",
    "部门",
    "状态",
    "登记人",
]
_KIND_LABELS = {BUSINESS: "业户办事", GUEST: "访客"}


def export_rows(f: VisitFilter, *, full: bool = False) -> list[list[object]]:
    """The visits export's rows, oldest first: phone numbers and numbers in the free text masked
    unless ``full``; the ID number is the stored masked form (the full one only where the site
    requires keeping it, and only in a full export)."""
    from reception.clock import to_local
    from reception.services.exports import masked_text

    fmt = "%Y-%m-%d %H:%M"
    shown = (lambda text: text or "") if full else masked_text
    query = (
        _filtered(f)
        .select_extend(Operator.display_name, Department.name)
        .join(Operator, on=(Visit.operator == Operator.id))
        .switch(Visit)
        .join(Department, peewee.JOIN.LEFT_OUTER, on=(Visit.department == Department.id))
        .order_by(Visit.id)
    )
    rows: list[list[object]] = []
    for visit in query:
        dept = visit.department
        rows.append(
            [
                visit.serial,
                _KIND_LABELS.get(visit.kind, visit.kind),
                to_local(visit.arrived_at).strftime(fmt),
                to_local(visit.checked_out_at).strftime(fmt) if visit.checked_out_at else "",
                visit.visitor_name,
                (visit.visitor_phone or "") if full else phones.mask(visit.visitor_phone),
                visit.party_size,
                visit.plate,
                visit.id_type,
                (visit.id_full or visit.id_masked) if full else visit.id_masked,
                visit.destination,
                shown(visit.purpose),
                shown(visit.handled),
                dept.name if dept is not None and dept.name else "",
                visit.status,
                visit.operator.display_name,
            ]
        )
    return rows


def export_xlsx(
    session: Session, f: VisitFilter, out: Path, *, full: bool = False, full_reason: str = ""
) -> int:
    """Write the filtered visits to an Excel file (header in Chinese). Returns the row count.
    Supervisors and administrators only. Masked (phones, numbers in the free text) unless
    ``full`` with a ``full_reason``; every export is audited with its range, row count and reason."""
    from reception.services import exports

    require_session(session, "导出来访")
    session.require(Role.SUPERVISOR, "导出来访")
    why = exports.full_reason(full, full_reason)
    rows = export_rows(f, full=bool(why))
    exports.write_sheet(
        out,
        "来访登记",
        VISIT_EXPORT_HEADER,
        rows,
        (16, 9, 17, 17, 10, 14, 6, 10, 14, 20, 18, 20, 40, 10, 8, 8),
    )
    with db.write():
        audit.record(
            session.now(),
            session.operator,
            "visits.export",
            "",
            None,
            date_from=f.date_from.isoformat() if f.date_from else "",
            date_to=f.date_to.isoformat() if f.date_to else "",
            rows=len(rows),
            masked=not why,
            **({"reason": why} if why else {}),
        )
    return len(rows)


def get_visit(visit_id: int) -> Visit:
    visit = Visit.get_or_none(Visit.id == visit_id)
    if visit is None:
        raise NotFound("找不到该来访记录。")
    return visit


def reveal_id(session: Session, visit_id: int, reason: str) -> str:
    """The full ID number (only stored when the administrator requires it), for a supervisor,
    with a reason; every reveal is audited."""
    session.require(Role.SUPERVISOR)
    try:
        why = one_line(reason, "查看原因", max_len=100, required=True)
    except ValueError as exc:
        raise ValidationError.single("reason", str(exc)) from None
    visit = get_visit(visit_id)
    if not visit.id_full:
        raise ReceptionError("未保存完整证件号码（系统设置为只保存脱敏号码）。")
    with db.write():
        audit.record(session.now(), session.operator, "visit.reveal_id", "visit", visit_id, reason=why)
    return str(visit.id_full)


# ---- appointments -----------------------------------------------------------------------------


@dataclass
class AppointmentInput:
    visitor_name: str = ""
    visitor_phone: str = ""
    party_size: int = 1
    expected_at: datetime | None = None  # UTC
    host_resident_id: int | None = None
    staff_host: str = ""
    purpose: str = ""
    booked_by: str = ""


def book_appointment(session: Session, data: AppointmentInput) -> Appointment:
    errs = FieldErrors()
    name = errs.check("visitor_name", person_name, data.visitor_name, "访客姓名", max_len=50, required=True)
    phone = errs.check("visitor_phone", phones.normalize, data.visitor_phone)
    if not isinstance(data.party_size, int) or not 1 <= data.party_size <= 50:
        errs.add("party_size", "来访人数应为 1 到 50 人")
    if data.expected_at is None:
        errs.add("expected_at", "请填写预计到访时间")
    elif data.expected_at < session.now() - timedelta(hours=1):
        errs.add("expected_at", "预计到访时间不能早于现在")
    host = None
    if data.host_resident_id is not None:
        host = Resident.get_or_none(Resident.id == data.host_resident_id)
        if host is None:
            errs.add("host", "受访住户不存在，请重新查找")
    staff = errs.check("host", one_line, data.staff_host, "受访人员", max_len=50)
    if host is None and not staff:
        errs.add("host", "请查找受访住户，或填写受访的工作人员/部门")
    purpose = errs.check("purpose", one_line, data.purpose, "来访事由", max_len=100, required=True)
    booked_by = errs.check("booked_by", one_line, data.booked_by, "预约人", max_len=50)
    errs.raise_if_any()
    now = session.now()
    with db.write():
        appt = Appointment.create(
            visitor_name=name,
            visitor_phone=phone or "",
            party_size=data.party_size,
            expected_at=data.expected_at,
            resident=host,
            staff_host=staff or "",
            purpose=purpose,
            booked_by=booked_by or "",
            status=EXPECTED,
            created_by=session.operator,
            created_at=now,
            updated_at=now,
        )
        audit.record(
            now,
            session.operator,
            "appointment.create",
            "appointment",
            appt.id,
            expected_at=data.expected_at,
            phone=phones.mask(phone),
        )
    return appt


@dataclass(frozen=True)
class AppointmentRow:
    """One appointment as a list shows it: the visitor's phone masked, the host as a label (no
    resident record, so no resident's number either). The full number is only in the record
    :func:`appointment_for_arrival` hands to the guest form, or through the audited reveal."""

    id: int
    expected_at: datetime
    visitor_name: str
    visitor_phone_masked: str
    party_size: int
    host_label: str
    purpose: str
    booked_by: str
    status: str


def host_label(resident: Resident | None, staff_host: str) -> str:
    """「3-2-1603 王小明」 for a household, else the staff member or department visited."""
    if resident is not None:
        return f"{room_label(resident.building, resident.unit, resident.room)} {resident.name}"
    return staff_host or ""


def appointments_for_day(day: date, include_done: bool = True) -> list[AppointmentRow]:
    """The day's appointments, phones masked, with the host household (one query)."""
    start, end = local_day_bounds(day)
    query = (
        Appointment.select(Appointment, Resident)
        .join(Resident, peewee.JOIN.LEFT_OUTER, on=(Appointment.resident == Resident.id))
        .where((Appointment.expected_at >= start) & (Appointment.expected_at < end))
    )
    if not include_done:
        query = query.where(Appointment.status == EXPECTED)
    return [
        AppointmentRow(
            id=a.id,
            expected_at=a.expected_at,
            visitor_name=a.visitor_name,
            visitor_phone_masked=phones.mask(a.visitor_phone),
            party_size=a.party_size,
            host_label=host_label(a.resident if a.resident_id is not None else None, a.staff_host),
            purpose=a.purpose,
            booked_by=a.booked_by,
            status=a.status,
        )
        for a in query.order_by(Appointment.expected_at, Appointment.id)
    ]


def appointment_for_arrival(appointment_id: int) -> Appointment | None:
    """到访登记: the expected appointment the guest form is filled from (as a match would be), or
    None when it has arrived, been cancelled or marked 未到 meanwhile."""
    return Appointment.get_or_none((Appointment.id == appointment_id) & (Appointment.status == EXPECTED))


def appointments_between(start: datetime, end: datetime) -> list[Appointment]:
    """Expected (not yet arrived) appointments in a UTC interval — e.g. the next shift."""
    return list(
        Appointment.select()
        .where(
            (Appointment.status == EXPECTED)
            & (Appointment.expected_at >= start)
            & (Appointment.expected_at < end)
        )
        .order_by(Appointment.expected_at, Appointment.id)
    )


def match_appointment(name: str, phone: str, day: date) -> Appointment | None:
    """Today's expected appointment for an arriving visitor (same phone, or same name)."""
    if not name and not phone:
        return None
    start, end = local_day_bounds(day)
    query = Appointment.select().where(
        (Appointment.status == EXPECTED)
        & (Appointment.expected_at >= start)
        & (Appointment.expected_at < end)
    )
    if phone:
        by_phone = query.where(Appointment.visitor_phone == phone).first()
        if by_phone is not None:
            return by_phone
    return query.where(Appointment.visitor_name == name).first() if name else None


def cancel_appointment(session: Session, appointment_id: int) -> None:
    now = session.now()
    with db.write():
        rows = (
            Appointment.update(status=CANCELLED, updated_at=now)
            .where((Appointment.id == appointment_id) & (Appointment.status == EXPECTED))
            .execute()
        )
        if rows != 1:
            raise ValidationError.single("appointment", "该预约已到访、已取消或不存在")
        audit.record(now, session.operator, "appointment.cancel", "appointment", appointment_id)


def mark_no_shows(session: Session, day: date) -> int:
    """At day end: appointments of ``day`` that never arrived become 未到. Returns how many."""
    start, end = local_day_bounds(day)
    now = session.now()
    with db.write():
        ids = [
            a.id
            for a in Appointment.select(Appointment.id).where(
                (Appointment.status == EXPECTED)
                & (Appointment.expected_at >= start)
                & (Appointment.expected_at < end)
            )
        ]
        if ids:
            Appointment.update(status=NO_SHOW, updated_at=now).where(Appointment.id.in_(ids)).execute()
            audit.record(now, session.operator, "appointment.no_show", "appointment", None, ids=ids)
    return len(ids)


# ---- watch list -------------------------------------------------------------------------------


@dataclass
class WatchInput:
    name: str = ""
    id_type: str = identity.RESIDENT_ID
    id_number: str = ""
    phone: str = ""
    reason: str = ""


def add_watch_entry(session: Session, data: WatchInput) -> WatchEntry:
    session.require(Role.SUPERVISOR)
    errs = FieldErrors()
    name = errs.check("name", person_name, data.name, "姓名", max_len=50, required=True)
    number = (
        errs.check("id_number", identity.normalize, data.id_type, data.id_number, today=session.clock.today())
        if data.id_number.strip()
        else ""
    )
    phone = errs.check("phone", phones.normalize, data.phone)
    reason = errs.check("reason", multi_line, data.reason, "原因", max_len=500, required=True)
    errs.raise_if_any()
    now = session.now()
    with db.write():
        entry = WatchEntry.create(
            name=name,
            id_type=data.id_type if number else "",
            id_hash=identity.id_hash(data.id_type, number) if number else "",
            id_masked=identity.mask(number or ""),
            phone=phone or "",
            reason=reason,
            added_by=session.operator,
            added_at=now,
        )
        audit.record(
            now,
            session.operator,
            "watch.create",
            "watch_entry",
            entry.id,
            name=name,
            id=identity.mask(number or ""),
            phone=phones.mask(phone),
        )
    return entry


def reenter_watch_id(session: Session, entry_id: int, id_type: str, id_number: str) -> WatchEntry:
    """Enter again the number of an entry marked ``id_recheck`` (its old hash could not be kept)."""
    session.require(Role.SUPERVISOR)
    entry = WatchEntry.get_or_none(WatchEntry.id == entry_id)
    if entry is None:
        raise NotFound("找不到该关注名单条目。")
    try:
        number = identity.normalize(id_type, id_number, today=session.clock.today())
    except ValueError as exc:
        raise ValidationError.single("id_number", str(exc)) from None
    now = session.now()
    with db.write():
        WatchEntry.update(
            id_type=id_type,
            id_hash=identity.id_hash(id_type, number),
            id_masked=identity.mask(number),
            id_recheck=False,
        ).where(WatchEntry.id == entry_id).execute()
        audit.record(
            now, session.operator, "watch.reenter_id", "watch_entry", entry_id, id=identity.mask(number)
        )
    return WatchEntry.get_by_id(entry_id)


def remove_watch_entry(session: Session, entry_id: int) -> None:
    session.require(Role.SUPERVISOR)
    now = session.now()
    with db.write():
        WatchEntry.update(active=False).where(WatchEntry.id == entry_id).execute()
        audit.record(now, session.operator, "watch.remove", "watch_entry", entry_id)


@dataclass(frozen=True)
class WatchRow:
    """One entry of the watch list as listed: who added it read in the same query, the phone
    masked, the ID number only in its stored masked form."""

    id: int
    name: str
    id_type: str
    id_masked: str
    phone_masked: str
    reason: str
    added_by_name: str
    added_at: datetime


def list_watch_entries() -> list[WatchRow]:
    """The active entries, newest first (one query)."""
    query = (
        WatchEntry.select(WatchEntry, Operator.display_name.alias("added_by_name"))
        .join(Operator, on=(WatchEntry.added_by == Operator.id))
        .where(WatchEntry.active == True)  # noqa: E712
        .order_by(WatchEntry.added_at.desc(), WatchEntry.id.desc())
        .objects()
    )
    return [
        WatchRow(
            id=e.id,
            name=e.name,
            id_type=e.id_type,
            id_masked=e.id_masked,
            phone_masked=phones.mask(e.phone),
            reason=e.reason,
            added_by_name=getattr(e, "added_by_name", None) or "",
            added_at=e.added_at,
        )
        for e in query
    ]


def _dicts(query: Any) -> list[dict[str, Any]]:
    """The rows of a ``.dicts()`` query (typed for mypy)."""
    return list(query)
