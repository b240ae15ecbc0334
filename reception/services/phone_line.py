"""The desk phone line (来电弹屏, 三声之内接听): every ring recorded, missed ones turned into
待回电 items, and the three-ring promise measured.

Events come from the adapters (:mod:`reception.phone`) and are recorded here on the window's
thread, each in one transaction. One call is one row in ``ring`` (keyed by its source and the
source's call id, so a repeated or replayed event never records it twice): the number as
received (normalised when it is a Chinese number), the line, when it rang, when it was
answered (the PBX's time, or the desk's F2), when it ended, who answered, and the call record
it became. Numbers are shown masked and blanked by the retention purge (:func:`purge_rings`).

What is counted (:func:`answer_stats`): every ring that rang in the period, answered or not,
is one call; "answered within N seconds" counts those whose answer time minus ring time is at
most N (setting ``answer_within_s``, default 15 s ≈ three rings of China's 1 s on / 4 s off
cadence); the rate is that count over all rings; the average is over answered rings; missed
are rings never answered that ended or became a 待回电."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import timedelta
from typing import Any

import peewee
from peewee import fn

from reception.clock import format_local
from reception.clock import local_day_bounds
from reception.clock import to_local
from reception.phone.events import ANSWER
from reception.phone.events import HANGUP
from reception.phone.events import REFUSED
from reception.phone.events import RING
from reception.phone.events import RING_STOPPED
from reception.phone.events import SOURCES
from reception.phone.events import PhoneEvent
from reception.phone.events import parse_number
from reception.phone.events import shown
from reception.rules import freetext
from reception.rules import phones
from reception.services import residents as residents_mod
from reception.services import settings as settings_mod
from reception.services.analysis import Table
from reception.services.session import Session
from reception.store import audit
from reception.store import db
from reception.store import desk as this_desk
from reception.store.models import Appointment
from reception.store.models import Call
from reception.store.models import Callback
from reception.store.models import Case
from reception.store.models import Message
from reception.store.models import Operator
from reception.store.models import Resident
from reception.store.models import Ring

RING_CYCLE_S = 5  # China's ringing cadence: 1 s on, 4 s off
MAX_EXTERNAL_ID = 80


@dataclass(frozen=True)
class RingUpdate:
    """What recording an event changed, for the window: ``popped`` on a new ring."""

    ring: Ring
    kind: str
    popped: bool = False
    missed: bool = False

    @property
    def caller(self) -> str:
        return shown(self.ring.number, self.ring.number_kind)


def ring_count(seconds: float) -> int:
    """Rings heard in ``seconds`` of ringing (the first at once, then one every 5 s)."""
    return max(1, math.floor(max(seconds, 0) / RING_CYCLE_S) + 1)


def _external_id(event: PhoneEvent) -> str:
    return (event.external_id or "").strip()[:MAX_EXTERNAL_ID]


def _find(event: PhoneEvent) -> Ring | None:
    return Ring.get_or_none((Ring.source == event.source) & (Ring.external_id == _external_id(event)))


def record(event: PhoneEvent, session: Session, lines: Sequence[str] = ()) -> RingUpdate | None:
    """Record one event. None when it changes nothing (a repeat, an answer for a ring never
    seen, an event of a kind not known). A refused webhook request is audited.

    Several desks: ``lines`` are this desk's lines (设置 → 本机 → 电话 → 线路); a ring on
    another line is left to the desk it belongs to (None, nothing recorded here), and the
    answer or end of a ring another desk recorded is that desk's to record."""
    now = session.now()
    if event.kind == REFUSED:
        with db.write():
            audit.record(
                now,
                None,
                "phone.refused",
                "ring",
                None,
                source=SOURCES.get(event.source, event.source),
                reason=event.detail.get("reason", ""),
                peer=event.detail.get("peer", ""),
            )
        return None
    if event.source not in SOURCES or not _external_id(event):
        return None
    at = min(event.at or now, now)
    try:
        with db.write():
            ring = _find(event)
            if event.kind == RING:
                if ring is not None or (lines and (event.line or "").strip() not in lines):
                    return None
                number, kind = parse_number(event.number)
                ring = Ring.create(
                    source=event.source,
                    external_id=_external_id(event),
                    line=(event.line or "")[:40],
                    number=number[:40],
                    number_kind=kind,
                    rang_at=at,
                )
                audit.record(
                    now, None, "phone.ring", "ring", ring.id, phone=phones.mask(number), line=ring.line
                )
                return RingUpdate(ring, RING, popped=True)
            if ring is None or ring.desk != this_desk.name():
                return None
            if event.kind == ANSWER:
                if ring.answered_at is not None or ring.ended_at is not None:
                    return None
                ring.answered_at = max(at, ring.rang_at)
                ring.save()
                return RingUpdate(ring, ANSWER)
            if event.kind in (HANGUP, RING_STOPPED):
                if ring.ended_at is not None or (event.kind == RING_STOPPED and ring.answered_at is not None):
                    return None
                ring.ended_at = max(at, ring.rang_at)
                ring.save()
                missed = ring.answered_at is None
                if missed and ring.callback_id is None:
                    _make_callback(session, ring, ring.ended_at)
                return RingUpdate(ring, event.kind, missed=missed)
            return None
    except peewee.IntegrityError:  # another desk recorded the same PBX call first
        return None


def answer(session: Session, ring_id: int) -> Ring | None:
    """The desk answered (F2/Enter on the pop): the answer time is stamped unless the PBX sent
    one; the operator is recorded."""
    now = session.now()
    with db.write():
        ring = Ring.get_or_none(Ring.id == ring_id)
        if ring is None:
            return None
        if ring.answered_at is None and ring.ended_at is None:
            ring.answered_at = max(now, ring.rang_at)
        if ring.answered_by_id is None and ring.answered_at is not None:
            ring.answered_by = session.operator
        ring.save()
    return ring


def in_progress(ring_id: int) -> bool:
    """Whether a call has not ended yet (a pop held back by the idle lock)."""
    ring = Ring.get_or_none(Ring.id == ring_id)
    return ring is not None and ring.ended_at is None


def link_call(ring_id: int, call_id: int) -> None:
    """The call record this ring became (after the call form saved)."""
    with db.write():
        Ring.update(call=call_id).where((Ring.id == ring_id) & Ring.call.is_null()).execute()


def sweep_unanswered(session: Session) -> list[Ring]:
    """Rings still ringing past ``missed_after_s`` become 待回电 items (each once)."""
    now = session.now()
    limit = max(int(settings_mod.load().missed_after_s), 5)
    made = []
    with db.write():
        query = Ring.select().where(
            Ring.answered_at.is_null()
            & Ring.ended_at.is_null()
            & Ring.callback.is_null()
            & (Ring.rang_at <= now - timedelta(seconds=limit))
        )
        for ring in query:
            _make_callback(session, ring, now)
            made.append(ring)
    return made


def _make_callback(session: Session, ring: Ring, until: datetime) -> Callback:
    seconds = max((until - ring.rang_at).total_seconds(), 0)
    residents = lookup(ring.number) if ring.number else []
    name = residents[0].name if len(residents) == 1 else ""
    note = "" if ring.number and ring.number_kind == "" else f"（{shown(ring.number, ring.number_kind)}）"
    rang = to_local(ring.rang_at)
    reason = f"未接来电{note}：响铃约 {ring_count(seconds)} 声（{int(seconds)} 秒），{rang:%H:%M} 来电"
    due = session.now() + timedelta(minutes=max(int(settings_mod.load().callback_default_minutes), 1))
    cb = Callback.create(
        name=name,
        phone=ring.number,
        reason=reason,
        due_at=due,
        created_at=session.now(),
        created_by=session.operator,
    )
    ring.callback = cb
    ring.save()
    audit.record(
        session.now(),
        session.operator,
        "callback.create",
        "callback",
        cb.id,
        phone=phones.mask(ring.number),
        due_at=due,
        missed_ring=ring.id,
    )
    return cb


# ---- the caller ---------------------------------------------------------------------------------


def lookup(number: str) -> list[Resident]:
    """Active residents with this number (main or second phone)."""
    if not number:
        return []
    return list(
        Resident.select()
        .where(((Resident.phone == number) | (Resident.phone_alt == number)) & (Resident.active == True))  # noqa: E712
        .order_by(Resident.id)
        .limit(20)
    )


@dataclass
class CallerPanel:
    """What the desk should know while this caller waits, each line ready to show (numbers
    masked, free text clipped and masked): their recent calls, the open cases of their household
    with the reply deadline, messages not yet passed on (for them, or left by them), and the
    visitors expected for their room."""

    recent_calls: list[str] = field(default_factory=list)
    open_cases: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    expected_visitors: list[str] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (self.recent_calls or self.open_cases or self.messages or self.expected_visitors)


def _clip(text: str, width: int = 24) -> str:
    one = " ".join((text or "").split())
    one = freetext.mask_personal(one)[0]
    return one if len(one) <= width else one[: width - 1] + "…"


def caller_panel(number: str, residents: list[Resident], now: datetime | None = None) -> CallerPanel:
    """The caller panel of the pop for ``number`` and the residents it matched (at most 5 lines
    a section)."""
    from reception.services.cases import CLOSED
    from reception.services.visits import EXPECTED

    panel = CallerPanel()
    ids = [r.id for r in residents]
    if number or ids:
        who = Call.caller_phone == number if number else None
        if ids:
            by_resident = Call.resident.in_(ids)
            who = by_resident if who is None else (who | by_resident)
        for call in Call.select().where(who).order_by(Call.saved_at.desc(), Call.id.desc()).limit(5):
            panel.recent_calls.append(
                f"{format_local(call.saved_at, '%m-%d %H:%M')}  {call.category}：{_clip(call.content)}"
            )
    if ids:
        for case in (
            Case.select()
            .where(Case.resident.in_(ids) & (Case.status != CLOSED))
            .order_by(Case.reply_due_at, Case.id)
            .limit(5)
        ):
            late = "（已超时）" if now is not None and case.reply_due_at < now else ""
            panel.open_cases.append(
                f"{case.serial}  {case.category}  {case.status}，"
                f"{format_local(case.reply_due_at, '%m-%d %H:%M')} 前答复{late}"
            )
    names = sorted({r.name for r in residents if r.name})
    wanted = None
    if names:
        wanted = Message.for_person.in_(names)
    if number:
        left = Message.callback_phone == number
        wanted = left if wanted is None else (wanted | left)
    if wanted is not None:
        undelivered = Message.select().where(Message.delivered_at.is_null() & wanted)
        for message in undelivered.order_by(Message.created_at, Message.id).limit(5):
            if message.for_person in names:
                head = f"给{message.for_person}的留言"
            else:
                head = f"此号码留给{message.for_person or '部门'}的留言（未转达）"
            panel.messages.append(
                f"{format_local(message.created_at, '%m-%d %H:%M')}  {head}：{_clip(message.text)}"
            )
    rooms = {(r.building, r.unit, r.room) for r in residents if r.room}
    if rooms:
        cond = None
        for building, unit, room in rooms:
            one = (Resident.building == building) & (Resident.unit == unit) & (Resident.room == room)
            cond = one if cond is None else (cond | one)
        household = Resident.select(Resident.id).where(cond)
        expected = Appointment.select().where(
            (Appointment.status == EXPECTED) & Appointment.resident.in_(household)
        )
        if now is not None:
            expected = expected.where(Appointment.expected_at >= now - timedelta(hours=12))
        for appt in expected.order_by(Appointment.expected_at, Appointment.id).limit(5):
            party = f"等 {appt.party_size} 人" if appt.party_size > 1 else ""
            panel.expected_visitors.append(
                f"{format_local(appt.expected_at, '%m-%d %H:%M')}  {appt.visitor_name}{party}"
                + (f"（{_clip(appt.purpose, 16)}）" if appt.purpose else "")
            )
    return panel


def room_of(resident: Resident) -> str:
    return residents_mod.room_label(resident.building, resident.unit, resident.room)


# ---- the three-ring promise -------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerStats:
    rings: int
    answered: int
    within: int
    missed: int
    average_s: float | None
    within_s: int

    @property
    def rate(self) -> float | None:
        return self.within / self.rings if self.rings else None

    def line(self) -> str:
        rate = "—" if self.rate is None else f"{self.rate:.0%}"
        avg = "—" if self.average_s is None else f"{self.average_s:.1f} 秒"
        counted = f"{self.within_s} 秒内 {self.within}/{self.rings}"
        return f"三声之内接听 {rate}（{counted}），平均 {avg}，未接 {self.missed}"


def _where(start: datetime, end: datetime, desk: str) -> peewee.Expression:
    cond = (Ring.rang_at >= start) & (Ring.rang_at < end)
    return cond & (Ring.desk == desk) if desk else cond


def answer_stats(start: datetime, end: datetime, desk: str = "", within_s: int | None = None) -> AnswerStats:
    """The three-ring figures of rings that rang in ``[start, end)`` (UTC), of one desk or all."""
    n = int(settings_mod.load().answer_within_s if within_s is None else within_s)
    query = Ring.select(Ring.rang_at, Ring.answered_at, Ring.ended_at, Ring.callback).where(
        _where(start, end, desk)
    )
    return _stats(_rows(query), n)


def answer_tables(start: datetime, end: datetime, desk: str = "") -> list[Table]:
    """The handover/daily report's table (none when the line reported no ring)."""
    s = answer_stats(start, end, desk)
    if not s.rings:
        return []
    rate = "—" if s.rate is None else f"{s.rate:.0%}"
    avg = "—" if s.average_s is None else f"{s.average_s:.1f}"
    return [
        Table(
            f"电话接听（三声之内 = {s.within_s} 秒内）",
            ["来电", "已接听", f"{s.within_s} 秒内接听", "三声之内接听率", "平均接听秒数", "未接"],
            [[s.rings, s.answered, s.within, rate, avg, s.missed]],
        )
    ]


def by_hour(day_from: datetime, day_to: datetime, desk: str = "") -> dict[int, AnswerStats]:
    """The figures by local hour of day (the analysis window)."""
    n = int(settings_mod.load().answer_within_s)
    buckets: dict[int, list[tuple[datetime, datetime | None, datetime | None, int | None]]] = {}
    query = Ring.select(Ring.rang_at, Ring.answered_at, Ring.ended_at, Ring.callback).where(
        _where(day_from, day_to, desk)
    )
    for row in _rows(query):
        buckets.setdefault(to_local(row[0]).hour, []).append(row)
    return {hour: _stats(rows, n) for hour, rows in sorted(buckets.items())}


def by_operator(start: datetime, end: datetime, desk: str = "") -> dict[str, AnswerStats]:
    """The figures by who answered (rings nobody answered are under 「未接」)."""
    n = int(settings_mod.load().answer_within_s)
    buckets: dict[str, list[tuple[datetime, datetime | None, datetime | None, int | None]]] = {}
    query = (
        Ring.select(Ring.rang_at, Ring.answered_at, Ring.ended_at, Ring.callback, Operator.display_name)
        .join(Operator, peewee.JOIN.LEFT_OUTER, on=(Ring.answered_by == Operator.id))
        .where(_where(start, end, desk))
    )
    for r, a, e, c, who in _rows(query):
        buckets.setdefault(who or ("未接" if a is None else "（未记录）"), []).append((r, a, e, c))
    return {who: _stats(rows, n) for who, rows in sorted(buckets.items())}


def _figure_row(label: str, s: AnswerStats) -> list[object]:
    rate = "—" if s.rate is None else f"{s.rate:.0%}"
    avg = "—" if s.average_s is None else f"{s.average_s:.1f}"
    return [label, s.rings, s.answered, s.within, rate, avg, s.missed]


def breakdown_tables(start: datetime, end: datetime, desk: str = "") -> tuple[Table, Table]:
    """The analysis window's two tables of the three-ring figures: by local hour of day and by
    who answered (all desks unless ``desk``)."""
    n = int(settings_mod.load().answer_within_s)
    header = ["", "来电", "已接听", f"{n} 秒内接听", "三声之内接听率", "平均接听秒数", "未接"]
    hours = by_hour(start, end, desk)
    operators = by_operator(start, end, desk)
    return (
        Table(
            f"电话接听（按时段，三声之内 = {n} 秒内）",
            ["时段", *header[1:]],
            [_figure_row(f"{h:02d}:00–{h + 1:02d}:00", s) for h, s in hours.items()],
        ),
        Table(
            f"电话接听（按接听人，三声之内 = {n} 秒内）",
            ["接听人", *header[1:]],
            [_figure_row(who, s) for who, s in operators.items()],
        ),
    )


def _rows(query: Any) -> list[Any]:
    """An aggregate query's rows as plain tuples."""
    return list(query.tuples())


def _stats(rows: list[tuple[datetime, datetime | None, datetime | None, int | None]], n: int) -> AnswerStats:
    waits = [(a - r).total_seconds() for r, a, _e, _c in rows if a is not None]
    return AnswerStats(
        rings=len(rows),
        answered=len(waits),
        within=sum(1 for w in waits if w <= n),
        missed=sum(1 for _r, a, e, c in rows if a is None and (e is not None or c is not None)),
        average_s=sum(waits) / len(waits) if waits else None,
        within_s=n,
    )


def day_stats(day: date) -> AnswerStats:
    start, end = local_day_bounds(day)
    return answer_stats(start, end)


# ---- privacy ----------------------------------------------------------------------------------


def purge_rings(cutoff: datetime) -> int:
    """Blank the numbers of rings older than ``cutoff`` (call inside the retention purge's write
    transaction: ``phone_line.purge_rings(cutoff)``). The rings stay for the figures."""
    return int(Ring.update(number="").where((Ring.rang_at < cutoff) & (Ring.number != "")).execute())


def recent(limit: int = 20) -> list[Ring]:
    return list(Ring.select().order_by(Ring.id.desc()).limit(limit))


def count_rings() -> int:
    return int(Ring.select(fn.COUNT(Ring.id)).scalar() or 0)
