"""投诉分析 (规程：投诉问题分析总结 — recurring problems are analysed).

Counts by category, building, department, source and month; repeat problems at the same place;
the on-time reply rate, the average time to reply and to close, and return-visit satisfaction
per department. Every table is a list of rows so the window, the Excel export and the monthly
PDF show the same figures."""

from __future__ import annotations

from collections import Counter
from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import timedelta
from pathlib import Path

from reception.clock import local_day_bounds
from reception.clock import to_local
from reception.services import recurring
from reception.services.cases import FAIRLY_SATISFIED
from reception.services.cases import SATISFIED
from reception.services.cases import SOURCES
from reception.services.cases import UNREACHABLE
from reception.services.session import Role
from reception.services.session import Session
from reception.services.session import require_session
from reception.store import files
from reception.store.models import Case
from reception.store.models import Department
from reception.store.models import ReturnVisit

REPEAT_DAYS = 90
REPEAT_THRESHOLD = 3


@dataclass(frozen=True)
class Period:
    start: datetime  # UTC, inclusive
    end: datetime  # UTC, exclusive
    label: str
    kind: str = "days"  # 'month' for a calendar month (本月), 'days' for any other range (本期)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        first = date(year, month, 1)
        following = date(year + (month == 12), month % 12 + 1, 1)
        return cls(local_day_bounds(first)[0], local_day_bounds(following)[0], f"{year}年{month}月", "month")

    @classmethod
    def days(cls, first: date, last: date) -> Period:
        return cls(
            local_day_bounds(first)[0], local_day_bounds(last)[1], f"{first:%Y-%m-%d} 至 {last:%Y-%m-%d}"
        )

    def days_in(self) -> int:
        return (to_local(self.end).date() - to_local(self.start).date()).days

    def days_elapsed(self, now: datetime) -> int:
        """Local days of the period up to and including today (the whole period once it is over)."""
        if now >= self.end:
            return self.days_in()
        if now < self.start:
            return 0
        return (to_local(now).date() - to_local(self.start).date()).days + 1

    def partial_note(self, now: datetime) -> str:
        """「本月截至12月6日，共6天」 while the period is still running (its figures are not those of a
        whole period, so they must not be compared as if they were); "" once it is over."""
        if now >= self.end:
            return ""
        noun = "本月" if self.kind == "month" else "本期"
        if now < self.start:
            return f"{noun}尚未开始"
        today = to_local(now).date()
        return (
            f"{noun}截至{today.month}月{today.day}日，共{self.days_elapsed(now)}天"
            f"（全{'月' if self.kind == 'month' else '期'} {self.days_in()} 天）"
        )


@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list[object]] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)  # the record behind each row, where there is one


@dataclass
class Report:
    period: Period
    total: int
    on_time_rate: float | None  # share of due or replied cases answered by their deadline
    avg_reply_hours: float | None
    avg_close_hours: float | None
    satisfaction_rate: float | None
    tables: list[Table]
    complaints: int = 0  # of ``total``, the cases of the category 投诉
    partial: str = ""  # Period.partial_note: the period is still running
    days_elapsed: int = 0

    @property
    def scope(self) -> str:
        """What the figures count: every case (工单) of every category, not only complaints."""
        return (
            f"统计范围：期间内受理的全部工单（投诉、报修、咨询等各类，共 {self.total} 件，"
            f"其中投诉 {self.complaints} 件），不只是投诉"
        )

    def table(self, title: str) -> Table:
        return next(t for t in self.tables if t.title == title)


def _cases_in(period: Period) -> list[Case]:
    return list(Case.select().where((Case.received_at >= period.start) & (Case.received_at < period.end)))


def _counted(title: str, header: str, counter: Counter[str], total: int) -> Table:
    rows: list[list[object]] = [
        [label, count, f"{count / total:.0%}" if total else "—"] for label, count in counter.most_common()
    ]
    return Table(title, [header, "件数", "占比"], rows)


def repeat_problems(now: datetime, days: int = REPEAT_DAYS, threshold: int = REPEAT_THRESHOLD) -> Table:
    """Same place and category at least ``threshold`` times in ``days`` days."""
    since = now - timedelta(days=days)
    groups: dict[tuple[str, str], list[Case]] = defaultdict(list)
    for case in Case.select().where(
        (Case.received_at >= since) & (Case.received_at < now) & (Case.place_key != "")
    ):
        groups[(case.place_key, case.category)].append(case)
    rows: list[list[object]] = []
    for (place, category), found in sorted(groups.items(), key=lambda item: (-len(item[1]), item[0])):
        if len(found) >= threshold:
            last = max(c.received_at for c in found)
            record = recurring.open_for(place, category)
            follow_up = f"整改中（期限 {record.due_on:%Y-%m-%d}）" if record is not None else "未登记"
            rows.append([place, category, len(found), to_local(last).strftime("%Y-%m-%d"), follow_up])
    return Table(
        f"重复问题（{days} 天内同一位置同类 ≥ {threshold} 次）",
        ["位置", "类别", "次数", "最近一次", "整改"],
        rows,
    )


TRACKING = "整改跟踪"


def tracking_table(period: Period, now: datetime) -> Table:
    """The recurring-problem records open or changed during the period (:mod:`recurring`)."""
    rows: list[list[object]] = []
    ids: list[int] = []
    for p in recurring.list_problems(to_local(now).date(), period.start, min(period.end, now)):
        result = p.result
        rows.append(
            [
                p.place_key,
                p.category,
                f"{len(p.cases)} 件",
                p.cause,
                p.measure,
                p.owner,
                f"{p.due_on:%Y-%m-%d}",
                f"{p.status_label}：{result}" if p.result else p.status_label,
            ]
        )
        ids.append(p.id)
    return Table(
        f"{TRACKING}（重复问题的原因、措施、责任人与结果）",
        ["位置", "类别", "关联工单", "原因", "整改措施", "责任人", "完成期限", "状态与结果"],
        rows,
        ids,
    )


def _last_twelve_months(period: Period) -> list[list[object]]:
    """Cases per calendar month: the twelve months ending with the period's last month."""
    last = to_local(period.end - timedelta(seconds=1)).date()
    keys = []
    year, month = last.year, last.month
    for _ in range(12):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    first_year, first_month = map(int, keys[-1].split("-"))
    start = local_day_bounds(date(first_year, first_month, 1))[0]
    months: Counter[str] = Counter({key: 0 for key in keys})
    for case in Case.select(Case.received_at).where(
        (Case.received_at >= start) & (Case.received_at < period.end)
    ):
        months[to_local(case.received_at).strftime("%Y-%m")] += 1
    return [[key, months[key]] for key in reversed(keys)]


def _dept_id(case: Case) -> int | None:
    return case.__data__.get("department")


def _mean_hours(values: list[timedelta]) -> float | None:
    if not values:
        return None
    return sum(v.total_seconds() for v in values) / len(values) / 3600


def build(period: Period, now: datetime) -> Report:
    cases = _cases_in(period)
    total = len(cases)
    departments: dict[int | None, str] = {d.id: d.name for d in Department.select()}
    by_category = Counter(c.category for c in cases)
    by_building = Counter(f"{c.building}栋" if c.building else "公共区域/未关联住户" for c in cases)
    by_department = Counter(departments.get(_dept_id(c), "未派单") for c in cases)
    by_source = Counter(SOURCES.get(c.source_kind, c.source_kind) for c in cases)

    due = [c for c in cases if c.replied_at is not None or c.reply_due_at < now]
    on_time = [c for c in due if c.replied_at is not None and c.replied_at <= c.reply_due_at]
    reply_times = [c.replied_at - c.received_at for c in cases if c.replied_at is not None]
    close_times = [c.closed_at - c.received_at for c in cases if c.closed_at is not None]

    visits = list(
        ReturnVisit.select(ReturnVisit, Case)
        .join(Case)
        .where((ReturnVisit.at >= period.start) & (ReturnVisit.at < period.end))
    )
    per_dept: dict[str, list[str]] = defaultdict(list)
    for visit in visits:
        name = departments.get(_dept_id(visit.case), "未派单")
        per_dept[name].append(visit.result)
    satisfaction_rows: list[list[object]] = []
    reached_all = satisfied_all = 0
    for name, results in sorted(per_dept.items()):
        reached = [r for r in results if r != UNREACHABLE]
        happy = sum(1 for r in reached if r in (SATISFIED, FAIRLY_SATISFIED))
        reached_all += len(reached)
        satisfied_all += happy
        satisfaction_rows.append(
            [name, len(results), len(reached), happy, f"{happy / len(reached):.0%}" if reached else "—"]
        )

    month_rows = _last_twelve_months(period)

    tables = [
        _counted("按类别", "类别", by_category, total),
        _counted("按楼栋", "楼栋", by_building, total),
        _counted("按部门", "部门", by_department, total),
        _counted("按来源", "来源", by_source, total),
        Table("按月份（近 12 个月）", ["月份", "件数"], month_rows),
        repeat_problems(min(period.end, now)),
        tracking_table(period, now),
        Table(
            "回访满意度（按部门）",
            ["部门", "回访次数", "联系上", "满意/基本满意", "满意率"],
            satisfaction_rows,
        ),
    ]
    return Report(
        period=period,
        total=total,
        on_time_rate=len(on_time) / len(due) if due else None,
        avg_reply_hours=_mean_hours(reply_times),
        avg_close_hours=_mean_hours(close_times),
        satisfaction_rate=satisfied_all / reached_all if reached_all else None,
        tables=tables,
        complaints=by_category.get("投诉", 0),
        partial=period.partial_note(now),
        days_elapsed=period.days_elapsed(now),
    )


def summary_rows(report: Report) -> list[list[object]]:
    def pct(value: float | None) -> str:
        return "—" if value is None else f"{value:.1%}"

    def hours(value: float | None) -> str:
        return "—" if value is None else f"{value:.1f} 小时"

    return [
        ["统计期间", report.period.label],
        ["工单总数", report.total],
        ["按时答复率", pct(report.on_time_rate)],
        ["平均答复用时", hours(report.avg_reply_hours)],
        ["平均关闭用时", hours(report.avg_close_hours)],
        ["回访满意率", pct(report.satisfaction_rate)],
    ]


def export_xlsx(session: Session, report: Report, out: Path) -> Path:
    """Every table on its own sheet, headers in Chinese; text is stored as text, never a formula.
    Supervisors and administrators only; audited with the period and the file name."""
    require_session(session, "导出投诉分析")
    session.require(Role.SUPERVISOR, "导出投诉分析")
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    first = book.active
    first.title = "概要"
    for row in summary_rows(report):
        first.append(row)
    first.append(["统计范围", report.scope.removeprefix("统计范围：")])
    if report.partial:
        first.append(["期间说明", report.partial])
    for table in report.tables:
        sheet = book.create_sheet(table.title.split("（")[0][:31])
        sheet.append(table.header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
        for index in range(len(table.header)):
            sheet.column_dimensions[chr(ord("A") + index)].width = 18
    written = files.store_file(out, book.save)
    from reception.store import audit
    from reception.store import db

    with db.write():
        audit.record(
            session.now(),
            session.operator,
            "analysis.export",
            "",
            None,
            period=report.period.label,
            cases=report.total,
            file=written.name,
        )
    return written
