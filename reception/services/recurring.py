"""重复问题的整改跟踪 (规程：投诉问题分析总结 — 反复出现的问题要查明原因、制定措施、落实到人).

The analysis finds places where the same kind of problem keeps coming back
(:func:`reception.services.analysis.repeat_problems`). A supervisor records, for one of them, the cause,
the measure, who owns it and by when; later the result, which closes it. The record is linked to
the cases that made the problem (and to those of the same place and kind that come after, until it
is closed), and is shown in the analysis window and the monthly 投诉分析总结."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import timedelta

from reception.errors import ConflictError
from reception.errors import NotFound
from reception.rules.textcheck import FieldErrors
from reception.rules.textcheck import multi_line
from reception.rules.textcheck import one_line
from reception.services.session import Role
from reception.services.session import Session
from reception.store import audit
from reception.store import db
from reception.store.models import Case
from reception.store.models import RecurringProblem
from reception.store.models import RecurringProblemCase

OPEN = "open"
DONE = "done"
STATUS_LABELS = {OPEN: "整改中", DONE: "已完成"}
LINK_DAYS = 90  # the cases of the same place and kind this far back are linked when the record is made


@dataclass
class ProblemInput:
    place_key: str = ""
    category: str = ""
    cause: str = ""
    measure: str = ""
    owner: str = ""
    due_on: date | None = None
    result: str = ""
    done: bool = False  # the result closes the record


@dataclass(frozen=True)
class ProblemRow:
    id: int
    place_key: str
    category: str
    cause: str
    measure: str
    owner: str
    due_on: date
    result: str
    status: str
    cases: list[str]  # serials of the linked cases
    overdue: bool
    version: int

    @property
    def status_label(self) -> str:
        if self.status == OPEN and self.overdue:
            return "整改中（已逾期）"
        return STATUS_LABELS.get(self.status, self.status)


def _clean(data: ProblemInput, today: date, *, new: bool) -> dict[str, object]:
    errs = FieldErrors()
    values: dict[str, object] = {
        "place_key": errs.check("place_key", one_line, data.place_key, "位置", max_len=100, required=True),
        "category": errs.check("category", one_line, data.category, "类别", max_len=20, required=True),
        "cause": errs.check("cause", multi_line, data.cause, "原因", max_len=1000, required=True),
        "measure": errs.check("measure", multi_line, data.measure, "整改措施", max_len=1000, required=True),
        "owner": errs.check("owner", one_line, data.owner, "责任人", max_len=50, required=True),
        "result": errs.check("result", multi_line, data.result, "整改结果", max_len=1000) or "",
    }
    if data.due_on is None:
        errs.add("due_on", "请填写完成期限")
    elif new and data.due_on < today:
        errs.add("due_on", "完成期限不能早于今天")
    if data.done and not values["result"]:
        errs.add("result", "标记完成前请填写整改结果")
    errs.raise_if_any()
    values["due_on"] = data.due_on
    return values


def _link_cases(problem: RecurringProblem, now: datetime, since: datetime | None = None) -> int:
    """Link the not yet linked cases of the problem's place and category (received since ``since``)."""
    linked = RecurringProblemCase.select(RecurringProblemCase.case)
    query = Case.select(Case.id).where(
        (Case.place_key == problem.place_key)
        & (Case.category == problem.category)
        & (Case.received_at <= now)
        & Case.id.not_in(linked)
    )
    if since is not None:
        query = query.where(Case.received_at >= since)
    ids = [c.id for c in query]
    for case_id in ids:
        RecurringProblemCase.create(problem=problem.id, case=case_id)
    return len(ids)


def create(session: Session, data: ProblemInput) -> RecurringProblem:
    """Record the follow-up of one recurring problem (supervisors): linked to its cases of the last
    :data:`LINK_DAYS` days; one open record per place and kind."""
    session.require(Role.SUPERVISOR, "登记重复问题整改")
    now = session.now()
    values = _clean(data, session.clock.today(), new=True)
    with db.write():
        clash = RecurringProblem.select().where(
            (RecurringProblem.place_key == values["place_key"])
            & (RecurringProblem.category == values["category"])
            & (RecurringProblem.status == OPEN)
        )
        if clash.exists():
            raise ConflictError("这一位置的同类问题已有整改记录，请在原记录中更新。")
        problem = RecurringProblem.create(
            **values,
            status=DONE if data.done else OPEN,
            created_at=now,
            created_by=session.operator,
            updated_at=now,
        )
        count = _link_cases(problem, now, now - timedelta(days=LINK_DAYS))
        audit.record(
            now,
            session.operator,
            "recurring.create",
            "recurring_problem",
            problem.id,
            place=values["place_key"],
            category=values["category"],
            cases=count,
        )
    return problem


def update(session: Session, problem_id: int, data: ProblemInput, expected_version: int) -> RecurringProblem:
    """Change the record, write its result, or close it (``data.done``); cases of the same place and
    kind received since it was made are linked as well."""
    session.require(Role.SUPERVISOR, "更新重复问题整改")
    now = session.now()
    with db.write():
        problem = RecurringProblem.get_or_none(RecurringProblem.id == problem_id)
        if problem is None:
            raise NotFound("找不到该整改记录。")
        data.place_key, data.category = problem.place_key, problem.category
        values = _clean(data, session.clock.today(), new=False)
        status = DONE if data.done else OPEN
        before = {k: str(getattr(problem, k)) for k in ("cause", "measure", "owner", "due_on", "status")}
        rows = (
            RecurringProblem.update(
                cause=values["cause"],
                measure=values["measure"],
                owner=values["owner"],
                due_on=values["due_on"],
                result=values["result"],
                status=status,
                updated_at=now,
                version=RecurringProblem.version + 1,
            )
            .where((RecurringProblem.id == problem_id) & (RecurringProblem.version == expected_version))
            .execute()
        )
        if rows != 1:
            raise ConflictError("该整改记录已被他人修改，请重新打开后再改。")
        if problem.status == OPEN:
            _link_cases(problem, now, problem.created_at)
        after = {
            "cause": str(values["cause"]),
            "measure": str(values["measure"]),
            "owner": str(values["owner"]),
            "due_on": str(values["due_on"]),
            "status": status,
        }
        changed = sorted(k for k in after if after[k] != before[k])
        audit.record(
            now, session.operator, "recurring.update", "recurring_problem", problem_id, changed=changed
        )
    return RecurringProblem.get_by_id(problem_id)


def _row(problem: RecurringProblem, today: date) -> ProblemRow:
    serials = [
        link.case.serial
        for link in RecurringProblemCase.select(RecurringProblemCase, Case)
        .join(Case)
        .where(RecurringProblemCase.problem == problem.id)
        .order_by(Case.received_at)
    ]
    return ProblemRow(
        id=problem.id,
        place_key=problem.place_key,
        category=problem.category,
        cause=problem.cause,
        measure=problem.measure,
        owner=problem.owner,
        due_on=problem.due_on,
        result=problem.result,
        status=problem.status,
        cases=serials,
        overdue=problem.status == OPEN and problem.due_on < today,
        version=problem.version,
    )


def list_problems(
    today: date, start: datetime | None = None, end: datetime | None = None
) -> list[ProblemRow]:
    """The records made before ``end`` that were still open, or changed, during the period
    (every record without bounds); open ones first, by due date."""
    query = RecurringProblem.select()
    if end is not None:
        query = query.where(RecurringProblem.created_at <= end)
    if start is not None:
        query = query.where((RecurringProblem.status == OPEN) | (RecurringProblem.updated_at >= start))
    problems = sorted(query, key=lambda p: (p.status != OPEN, p.due_on, p.id))
    return [_row(p, today) for p in problems]


def get(problem_id: int, today: date) -> ProblemRow:
    problem = RecurringProblem.get_or_none(RecurringProblem.id == problem_id)
    if problem is None:
        raise NotFound("找不到该整改记录。")
    return _row(problem, today)


def open_for(place_key: str, category: str) -> RecurringProblem | None:
    return RecurringProblem.get_or_none(
        (RecurringProblem.place_key == place_key)
        & (RecurringProblem.category == category)
        & (RecurringProblem.status == OPEN)
    )


__all__ = [
    "DONE",
    "OPEN",
    "ProblemInput",
    "ProblemRow",
    "create",
    "get",
    "list_problems",
    "open_for",
    "update",
]
