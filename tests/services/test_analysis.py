"""投诉分析 against a small data set computed by hand."""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from reception.clock import to_utc
from reception.services import analysis
from reception.services import calls
from reception.services import cases
from reception.services import residents
from reception.services.analysis import Period
from reception.services.calls import CallInput
from reception.services.calls import Outcome
from reception.services.cases import CaseInput
from reception.store.models import Department


def local(text: str) -> datetime:
    return to_utc(datetime.strptime(text, "%Y-%m-%d %H:%M"))


def dept(name: str) -> int:
    return Department.get(Department.name == name).id


@pytest.fixture
def november(receptionist, clock, admin):
    """A: 投诉 5-1-1203 via a call, replied in 3 h, closed at 30 h, 满意.
    B: 投诉 5-1-1203, replied in 30 h (late), closed at 50 h, 基本满意.
    C: 报修 电梯, 工程部, never replied (overdue).  D: 投诉 5-1-1203, 品质管理部, overdue.
    E: 咨询 大堂, not dispatched, received today (not yet due)."""
    qian = residents.add_resident(
        admin, residents.ResidentInput("5", "1", "1203", "钱七", "业主", "13800001203")
    )

    def walk(case, received, reply_h, close_h, result):
        clock.set(received + timedelta(hours=reply_h))
        case = cases.reply(receptionist, case.id, "已答复", case.version)
        clock.set(received + timedelta(hours=reply_h + 0.5))
        case = cases.finish(receptionist, case.id, "已处理", case.version)
        cases.record_return_visit(receptionist, case.id, result, "")
        clock.set(received + timedelta(hours=close_h))
        cases.close(receptionist, case.id, "", cases.get_case(case.id).version)

    a_at = local("2026-11-02 09:00")
    clock.set(a_at)
    a = calls.register_call(
        receptionist,
        CallInput(
            started_at=a_at,
            category="投诉",
            content="漏水",
            outcome=Outcome.DISPATCHED,
            resident_id=qian.id,
            department_id=dept("工程部"),
            taken_by="刘工",
        ),
    ).case
    walk(a, a_at, 3, 30, cases.SATISFIED)
    b_at = local("2026-11-10 09:00")
    clock.set(b_at)
    b = cases.open_direct_case(
        receptionist,
        CaseInput(category="投诉", description="又漏水", resident_id=qian.id, department_id=dept("工程部")),
    )
    walk(b, b_at, 30, 50, cases.FAIRLY_SATISFIED)
    clock.set(local("2026-11-12 10:00"))
    cases.open_direct_case(
        receptionist,
        CaseInput(category="报修", description="电梯异响", location="电梯", department_id=dept("工程部")),
    )
    clock.set(local("2026-11-20 10:00"))
    cases.open_direct_case(
        receptionist,
        CaseInput(category="投诉", description="噪音", resident_id=qian.id, department_id=dept("品质管理部")),
    )
    clock.set(local("2026-11-26 08:00"))
    cases.open_direct_case(receptionist, CaseInput(category="咨询", description="问收费", location="大堂"))
    clock.set(local("2026-11-26 09:00"))
    return clock.now()


def test_figures_match_the_hand_computed_set(november):
    report = analysis.build(analysis.Period.month(2026, 11), november)
    assert report.total == 5
    assert report.table("按类别").rows == [["投诉", 3, "60%"], ["报修", 1, "20%"], ["咨询", 1, "20%"]]
    assert dict((r[0], r[1]) for r in report.table("按楼栋").rows) == {"5栋": 3, "公共区域/未关联住户": 2}
    assert dict((r[0], r[1]) for r in report.table("按部门").rows) == {
        "工程部": 3,
        "品质管理部": 1,
        "未派单": 1,
    }
    assert dict((r[0], r[1]) for r in report.table("按来源").rows) == {"来电": 1, "直接登记": 4}
    assert report.on_time_rate == pytest.approx(1 / 4)  # A on time; B late; C, D overdue; E not yet due
    assert report.avg_reply_hours == pytest.approx((3 + 30) / 2)
    assert report.avg_close_hours == pytest.approx((30 + 50) / 2)
    assert report.satisfaction_rate == 1.0
    [repeat] = report.tables[5].rows
    assert repeat[:3] == ["5-1-1203", "投诉", 3]
    assert report.table("回访满意度（按部门）").rows == [["工程部", 2, 2, 2, "100%"]]
    months = report.table("按月份（近 12 个月）").rows
    assert len(months) == 12 and months[0] == ["2025-12", 0] and months[-1] == ["2026-11", 5]


def test_other_months_are_empty(november):
    report = analysis.build(analysis.Period.month(2026, 10), november)
    assert report.total == 0 and report.on_time_rate is None and report.tables[0].rows == []


def test_excel_export_has_every_table(november, supervisor, tmp_path):
    report = analysis.build(analysis.Period.month(2026, 11), november)
    book = load_workbook(analysis.export_xlsx(supervisor, report, tmp_path / "a.xlsx"))
    assert book.sheetnames[:3] == ["概要", "按类别", "按楼栋"]
    assert [c.value for c in book["按类别"][1]] == ["类别", "件数", "占比"]
    assert book["概要"]["B3"].value == "25.0%"


def test_the_report_says_what_it_counts_and_that_the_month_is_running(november):
    """Finding 18: every case is counted (not only complaints) and a month still running is marked."""
    report = analysis.build(Period.month(2026, 11), november)  # now: 26 November, 09:00
    assert report.total == 5 and report.complaints == 3
    assert "全部工单" in report.scope and "其中投诉 3 件" in report.scope and "不只是投诉" in report.scope
    assert report.partial == "本月截至11月26日，共26天（全月 30 天）"
    assert report.days_elapsed == 26
    whole = analysis.build(Period.month(2026, 10), november)
    assert whole.partial == "" and whole.days_elapsed == 31
    days = analysis.build(Period.days(datetime(2026, 11, 20).date(), datetime(2026, 11, 30).date()), november)
    assert days.partial == "本期截至11月26日，共7天（全期 11 天）"
    future = Period.month(2026, 12)
    assert future.partial_note(november) == "本月尚未开始" and future.days_elapsed(november) == 0


def test_the_excel_summary_carries_the_scope_and_the_partial_period(november, tmp_path, supervisor):
    report = analysis.build(Period.month(2026, 11), november)
    out = analysis.export_xlsx(supervisor, report, tmp_path / "a.xlsx")
    rows = {r[0]: r[1] for r in load_workbook(out)["概要"].iter_rows(values_only=True)}
    assert "其中投诉 3 件" in rows["统计范围"]
    assert rows["期间说明"] == "本月截至11月26日，共26天（全月 30 天）"
