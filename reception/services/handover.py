"""What the handover report and the daily report say (交接班 / 日报), gathered from the database.

The data is built here, Qt-free and PDF-free, so the window's 交班 summary, the PDF and the
tests all read the same tables. Personal data appears masked only."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import timedelta
from typing import Any

from peewee import JOIN
from peewee import fn

from reception.clock import to_local
from reception.rules import phones
from reception.services import calls as calls_mod
from reception.services import cases as cases_mod
from reception.services import letters as letters_mod
from reception.services import phone_line
from reception.services import settings as settings_mod
from reception.services import shifts
from reception.services import visits as visits_mod
from reception.services.analysis import Table
from reception.store.models import Appointment
from reception.store.models import Call
from reception.store.models import Callback
from reception.store.models import Case
from reception.store.models import Department
from reception.store.models import Incident
from reception.store.models import Letter
from reception.store.models import Message
from reception.store.models import Operator
from reception.store.models import Shift
from reception.store.models import Visit

NEXT_SHIFT_HOURS = 12
LETTERS_DUE_AHEAD = timedelta(hours=24)


@dataclass
class HandoverData:
    kind: str  # '交接班报告' | '日报'
    property_name: str
    day: date
    start: datetime  # UTC
    end: datetime  # UTC
    shift_label: str = ""
    outgoing: str = ""  # the operator on duty
    outgoing_signed: str = ""  # what stands on the 交班人 line: their name, or who confirmed instead
    incoming: str = ""
    handed_over_at: datetime | None = None
    confirmed_at: datetime | None = None
    note: str = ""
    refused: str = ""
    absent: str = ""  # a supervisor confirmed the operator on duty absent: who, when, why
    helpers: str = ""  # 协助 during the shift: 「王芳 10:02–12:30」, 「、」 between them
    figures: list[list[object]] = field(default_factory=list)  # [label, value] headline numbers
    activity: list[Table] = field(default_factory=list)
    still_open: list[Table] = field(default_factory=list)
    comparison: Table | None = None

    def section(self, title: str) -> Table:
        return next(t for t in [*self.activity, *self.still_open] if t.title.startswith(title))


def _tuples(query: object) -> list[tuple[Any, ...]]:
    """Rows of an aggregate query as plain tuples."""
    return list(query.tuples())  # type: ignore[attr-defined]


def _fmt(value: datetime | None, pattern: str = "%m-%d %H:%M") -> str:
    return to_local(value).strftime(pattern) if value is not None else ""


def _cut(text: str, size: int) -> str:
    """A place for the report: one line, cut to ``size`` (a room number such as 16-1-2203 is not
    a phone number: nothing masked)."""
    flat = " ".join((text or "").split())
    return flat if len(flat) <= size else flat[:size] + "…"


def _clip(text: str, size: int = 40) -> str:
    """Free text for the report: one line, phone numbers in it masked, cut to ``size``."""
    flat = phones.mask_in_text(" ".join((text or "").split()))
    return flat if len(flat) <= size else flat[:size] + "…"


# ---- this shift --------------------------------------------------------------------------------


def _at(model: Any, desk: str) -> Any:
    """Records created at ``desk`` (every record when no desk is named: one desk, or the daily
    report of the whole site)."""
    return (model.desk == desk) if desk else model.id.is_null(False)


def _calls_table(start: datetime, end: datetime, desk: str = "") -> Table:
    counts: dict[str, dict[str, int]] = {}
    query = (
        Call.select(Call.category, Call.outcome, fn.COUNT(Call.id).alias("n"))
        .where((Call.saved_at >= start) & (Call.saved_at < end) & _at(Call, desk))
        .group_by(Call.category, Call.outcome)
    )
    for category, outcome, n in _tuples(query):
        counts.setdefault(category, {})[outcome] = n
    header = ["类别", *calls_mod.OUTCOMES, "合计"]
    rows: list[list[object]] = []
    for category in calls_mod.CATEGORIES:
        if category in counts:
            by_outcome = counts[category]
            rows.append(
                [category, *[by_outcome.get(o, 0) for o in calls_mod.OUTCOMES], sum(by_outcome.values())]
            )
    if rows:
        rows.append(["合计", *[sum(int(r[i]) for r in rows) for i in range(1, len(header))]])  # type: ignore[call-overload]
    return Table("来电（按类别和处理结果）", header, rows)


def _visits_table(start: datetime, end: datetime, desk: str = "") -> Table:
    query = (
        Visit.select(Visit.kind, Visit.status, fn.COUNT(Visit.id).alias("n"))
        .where((Visit.arrived_at >= start) & (Visit.arrived_at < end) & _at(Visit, desk))
        .group_by(Visit.kind, Visit.status)
    )
    labels = {visits_mod.BUSINESS: "业户办事", visits_mod.GUEST: "访客"}
    rows: list[list[object]] = [[labels.get(kind, kind), status, n] for kind, status, n in _tuples(query)]
    return Table(
        "来访（按类型和状态）", ["类型", "状态", "人次"], sorted(rows, key=lambda r: (str(r[0]), str(r[1])))
    )


def _letters_table(start: datetime, end: datetime, desk: str = "") -> Table:
    received = (
        Letter.select(Letter.letter_type, fn.COUNT(Letter.id).alias("n"))
        .where((Letter.received_at >= start) & (Letter.received_at < end) & _at(Letter, desk))
        .group_by(Letter.letter_type)
    )
    replied: dict[str, int] = dict(
        _tuples(
            Letter.select(Letter.letter_type, fn.COUNT(Letter.id))
            .where((Letter.replied_at >= start) & (Letter.replied_at < end) & _at(Letter, desk))
            .group_by(Letter.letter_type)
        )
    )
    got: dict[str, int] = dict(_tuples(received))
    rows: list[list[object]] = [
        [t, got.get(t, 0), replied.get(t, 0)] for t in letters_mod.TYPES if got.get(t) or replied.get(t)
    ]
    return Table("来函（收文与答复）", ["类别", "收文", "答复"], rows)


def _cases_table(start: datetime, end: datetime, desk: str = "") -> Table:
    def count(column: object) -> int:
        return Case.select().where((column >= start) & (column < end) & _at(Case, desk)).count()  # type: ignore[operator]

    rows: list[list[object]] = [
        ["新建工单", count(Case.received_at)],
        ["已答复", count(Case.replied_at)],
        ["已关闭", count(Case.closed_at)],
    ]
    return Table("工单", ["项目", "件数"], rows)


# ---- still open --------------------------------------------------------------------------------


def _open_cases(now: datetime) -> Table:
    rows: list[list[object]] = []
    query = (
        Case.select(Case, Operator, Department)
        .join(Operator, on=(Case.first_receiver == Operator.id))
        .switch(Case)
        .join(Department, join_type=JOIN.LEFT_OUTER, on=(Case.department == Department.id))
        .where(Case.status.in_([s for s in cases_mod.STATUSES if s != cases_mod.CLOSED]))  # status index
        .order_by((Case.status.in_(cases_mod.UNREPLIED)).desc(), Case.reply_due_at, Case.id)
    )
    for case in query:
        state = cases_mod.deadline_state(case, now)
        left = (
            cases_mod.format_time_left(cases_mod.time_left(case, now))
            if case.status in cases_mod.UNREPLIED
            else "已答复"
        )
        rows.append(
            [
                case.serial,
                case.category,
                _cut(case.place_key or case.location, 12),
                _clip(case.description, 24),
                case.first_receiver.display_name,
                f"{case.department.name if case.department is not None else '未派单'} {case.handler}".strip(),
                case.status,
                _fmt(case.reply_due_at),
                left if state == cases_mod.OK else f"{left}（{state}）",
            ]
        )
    return Table(
        "未结工单（超时的在前）",
        ["编号", "类别", "位置", "问题", "首问责任人", "处理部门", "状态", "答复期限", "剩余时间"],
        rows,
    )


def _callbacks(now: datetime) -> Table:
    rows: list[list[object]] = []
    for cb in Callback.select().where(Callback.completed_at.is_null()).order_by(Callback.due_at, Callback.id):
        rows.append(
            [
                cb.name,
                phones.mask(cb.phone),
                _clip(cb.reason, 30),
                _fmt(cb.due_at),
                "已逾期" if cb.due_at < now else "",
            ]
        )
    return Table("待回电", ["联系人", "电话", "事由", "约定回电时间", "状态"], rows)


def _messages() -> Table:
    rows: list[list[object]] = []
    for msg in (
        Message.select(Message, Department)
        .join(Department, join_type=JOIN.LEFT_OUTER)
        .where(Message.delivered_at.is_null())
        .order_by(Message.created_at, Message.id)
    ):
        target = msg.for_person or (msg.for_department.name if msg.for_department is not None else "")
        rows.append(
            [
                _fmt(msg.created_at),
                target,
                msg.from_name,
                phones.mask(msg.callback_phone),
                _clip(msg.text, 30),
            ]
        )
    return Table("未转达留言", ["时间", "留言给", "留言人", "回电号码", "内容"], rows)


def _follow_ups(now: datetime) -> Table:
    """业户办事 the desk promised to follow up (跟进时限), overdue ones marked 已逾期."""
    rows: list[list[object]] = []
    for visit in visits_mod.follow_ups():
        due = visit.follow_up_due_at
        rows.append(
            [
                visit.serial,
                visit.visitor_name,
                visit.destination,
                visit.purpose,
                visit.department.name if visit.department is not None else "",
                _fmt(due),
                "已逾期" if due is not None and due < now else "",
            ]
        )
    return Table("业户办事待跟进", ["编号", "业户", "房号", "事项", "处理部门", "跟进时限", "状态"], rows)


def _on_site(now: datetime) -> Table:
    rows: list[list[object]] = []
    for visit in (
        Visit.select().where(Visit.status == visits_mod.ON_SITE).order_by(Visit.arrived_at, Visit.id)
    ):
        expired = visit.valid_until is not None and visit.valid_until < now
        rows.append(
            [
                visit.serial,
                visit.visitor_name,
                visit.party_size,
                visit.badge_destination,
                _fmt(visit.arrived_at),
                _fmt(visit.valid_until),
                "已超时，未交还访客证" if expired else "在场",
            ]
        )
    return Table(
        "在场访客 / 未交还的访客证", ["访客证号", "访客", "人数", "前往", "进入时间", "有效至", "状态"], rows
    )


def _appointments(start: datetime, end: datetime) -> Table:
    rows: list[list[object]] = []
    for appt in (
        Appointment.select()
        .where(
            (Appointment.status == visits_mod.EXPECTED)
            & (Appointment.expected_at >= start)
            & (Appointment.expected_at < end)
        )
        .order_by(Appointment.expected_at, Appointment.id)
    ):
        host = appt.staff_host
        resident = appt.resident
        if resident is not None:
            host = f"{resident.building}栋{resident.unit + '单元' if resident.unit else ''}"
        rows.append(
            [_fmt(appt.expected_at), appt.visitor_name, appt.party_size, host, appt.purpose, appt.booked_by]
        )
    return Table("下一班预约来访", ["预计时间", "访客", "人数", "前往", "事由", "预约人"], rows)


def _letters_due(now: datetime) -> Table:
    rows: list[list[object]] = []
    query = (
        Letter.select(Letter, Department)
        .join(Department, join_type=JOIN.LEFT_OUTER)
        .where(Letter.status.in_(letters_mod.OPEN) & (Letter.reply_due_at < now + LETTERS_DUE_AHEAD))
        .order_by(Letter.reply_due_at, Letter.id)
    )
    for letter in query:
        rows.append(
            [
                letter.serial,
                _clip(letter.subject, 24),
                letter.sender_name,
                letter.department.name if letter.department is not None else "待分办",
                _fmt(letter.reply_due_at),
                "已逾期" if letter.reply_due_at < now else "24 小时内到期",
            ]
        )
    return Table(
        "待办来函（逾期或 24 小时内到期）", ["编号", "标题", "来函人", "承办部门", "答复期限", "状态"], rows
    )


def _incidents(start: datetime, end: datetime, title: str = "本班异常情况", desk: str = "") -> Table:
    rows: list[list[object]] = []
    query = (
        Incident.select(Incident, Department)
        .join(Department, join_type=JOIN.LEFT_OUTER)
        .where((Incident.occurred_at >= start) & (Incident.occurred_at < end) & _at(Incident, desk))
        .order_by(Incident.occurred_at, Incident.id)
    )
    for incident in query:
        told = incident.reported_to.name if incident.reported_to is not None else ""
        if incident.reported_to_person:
            told = f"{told} {incident.reported_to_person}".strip()
        if incident.police_case_no:
            told = f"{told} 警情号 {incident.police_case_no}".strip()
        rows.append(
            [
                _fmt(incident.occurred_at),
                incident.kind,
                _clip(incident.description, 36),
                told,
                _fmt(incident.reported_at),
            ]
        )
    return Table(title, ["时间", "类型", "情况", "已报告", "报告时间"], rows)


def _figures(start: datetime, end: datetime, desk: str = "") -> dict[str, int]:
    def between(column: object) -> int:
        model = column.model  # type: ignore[attr-defined]
        condition = (column >= start) & (column < end) & _at(model, desk)  # type: ignore[operator]
        return int(model.select().where(condition).count())

    return {
        "来电": between(Call.saved_at),
        "来访": between(Visit.arrived_at),
        "来函": between(Letter.received_at),
        "新建工单": between(Case.received_at),
        "关闭工单": between(Case.closed_at),
    }


def _base(
    kind: str, day: date, start: datetime, end: datetime, now: datetime, desk: str = ""
) -> HandoverData:
    """``desk``: a shift's report counts the work of its own desk (a site may have several);
    what is still open is the whole site's."""
    data = HandoverData(
        kind=kind, property_name=settings_mod.load().property_name, day=day, start=start, end=end
    )
    figures = _figures(start, end, desk)
    data.figures = [[label, value] for label, value in figures.items()]
    data.activity = [
        _calls_table(start, end, desk),
        _visits_table(start, end, desk),
        _letters_table(start, end, desk),
        _cases_table(start, end, desk),
        *phone_line.answer_tables(start, end, desk),  # 三声之内接听 (none when no ring was reported)
    ]
    data.still_open = [
        _open_cases(now),
        _callbacks(now),
        _messages(),
        _on_site(now),
        _appointments(now, now + timedelta(hours=NEXT_SHIFT_HOURS)),
        _letters_due(now),
        _incidents(start, end, "本班异常情况" if kind == "交接班报告" else "当日异常情况", desk),
        _follow_ups(now),  # last, so the numbers of the sections above stay as they were
    ]
    return data


def for_shift(shift: Shift, now: datetime) -> HandoverData:
    """The handover report of a shift; ``now`` decides what is still open and overdue."""
    win = shifts.window(shift, now)
    day = datetime.strptime(shift.day, "%Y%m%d").date()
    data = _base("交接班报告", day, win.start, win.end, now, shift.desk)
    data.shift_label = f"第 {shift.number} 班" + (f"（{shift.desk}）" if shift.desk else "")
    data.outgoing = shift.operator.display_name
    data.outgoing_signed = data.outgoing
    if not shifts.signed_by_operator_on_duty(shift) and shift.handed_over_by is not None:
        confirmer = shift.handed_over_by.display_name
        data.outgoing_signed = f"交班人未签，由主管{confirmer}确认"
        data.absent = (
            f"当班人{data.outgoing}不在场，主管{confirmer} 于 {_fmt(shift.handed_over_at)} "
            f"确认并代为交班：{shift.absent_reason}"
        )
    data.incoming = shift.incoming.display_name if shift.incoming is not None else ""
    data.helpers = "、".join(
        f"{h.name} {_fmt(h.start, '%H:%M')}–{_fmt(h.end, '%H:%M')}"
        if h.end is not None
        else f"{h.name} {_fmt(h.start, '%H:%M')} 起"
        for h in shifts.helpers(shift, now)
    )
    data.handed_over_at = shift.handed_over_at
    data.confirmed_at = shift.confirmed_at
    data.note = shift.note
    if shift.refused_at is not None:
        who = shift.refused_by.display_name if shift.refused_by is not None else ""
        data.refused = f"{who} 于 {_fmt(shift.refused_at)} 拒签：{shift.refused_reason}"
    return data


def for_day(day: date, now: datetime) -> HandoverData:
    """The daily report (日报): the whole day across shifts, with the previous 7 days."""
    win = shifts.day_window(day)
    data = _base("日报", day, win.start, win.end, min(now, win.end) if now > win.end else now)
    names = [
        f"第{s.number}班 {s.operator.display_name}" + (f"（{s.desk}）" if s.desk else "")
        for s in shifts.of_day(day)
    ]
    data.shift_label = "、".join(names) or "（无班次记录）"
    today = _figures(win.start, win.end)
    previous = [_figures(*_shifted(win.start, win.end, back)) for back in range(1, 8)]
    rows: list[list[object]] = []
    for label, value in today.items():
        average = sum(p[label] for p in previous) / 7
        change = "—" if average == 0 else f"{(value - average) / average:+.0%}"
        rows.append([label, value, f"{average:.1f}", change])
    data.comparison = Table("当日与前 7 日平均对比", ["项目", "当日", "前 7 日平均", "变化"], rows)
    return data


def _shifted(start: datetime, end: datetime, days_back: int) -> tuple[datetime, datetime]:
    delta = timedelta(days=days_back)
    return start - delta, end - delta
