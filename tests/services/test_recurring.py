"""重复问题的整改跟踪 (finding 16): a record per recurring problem, linked to its cases, shown in the
analysis and read back from the monthly PDF."""

from __future__ import annotations

import io
import re
from datetime import date
from datetime import datetime
from datetime import timedelta

import pytest
from pypdf import PdfReader

from reception.clock import to_utc
from reception.documents import complaints_report as cr
from reception.errors import ConflictError
from reception.errors import PermissionDenied
from reception.errors import ValidationError
from reception.services import analysis
from reception.services import cases
from reception.services import recurring
from reception.services import residents
from reception.services.analysis import Period
from reception.services.cases import CaseInput
from reception.store.models import AuditLog
from reception.store.models import RecurringProblemCase


def local(text: str) -> datetime:
    return to_utc(datetime.strptime(text, "%Y-%m-%d %H:%M"))


@pytest.fixture
def leaking(receptionist, admin, clock):
    """Three 投诉 at 5-1-1203 in November and one 报修 elsewhere; now: 26 November."""
    qian = residents.add_resident(
        admin, residents.ResidentInput("5", "1", "1203", "钱七", "业主", "13800001203")
    )
    made = []
    for day in ("02", "10", "20"):
        clock.set(local(f"2026-11-{day} 09:00"))
        made.append(
            cases.open_direct_case(
                receptionist, CaseInput(category="投诉", description="漏水", resident_id=qian.id)
            )
        )
    cases.open_direct_case(receptionist, CaseInput(category="报修", description="电梯", location="电梯"))
    clock.set(local("2026-11-26 09:00"))
    return made


def plan(**changes):
    data = recurring.ProblemInput(
        place_key="5-1-1203",
        category="投诉",
        cause="楼上卫生间防水层老化",
        measure="工程部更换防水层并闭水试验 48 小时",
        owner="工程部 刘工",
        due_on=date(2026, 12, 10),
    )
    for key, value in changes.items():
        setattr(data, key, value)
    return data


def test_a_supervisor_records_a_problem_linked_to_its_cases(supervisor, leaking, clock):
    problem = recurring.create(supervisor, plan())
    row = recurring.get(problem.id, clock.today())
    assert row.cases == [c.serial for c in leaking]
    assert row.status_label == "整改中" and not row.overdue
    entry = AuditLog.select().where(AuditLog.action == "recurring.create").get()
    assert '"cases": 3' in entry.detail

    repeats = cr.find_table(analysis.build(Period.month(2026, 11), clock.now()), cr.REPEATS)
    assert repeats.rows[0][:3] == ["5-1-1203", "投诉", 3]
    assert repeats.rows[0][4] == "整改中（期限 2026-12-10）"

    # A fourth leak before the record is closed is linked too; then the result closes it.
    clock.set(local("2026-12-01 09:00"))
    fourth = cases.open_direct_case(
        supervisor, CaseInput(category="投诉", description="还漏", resident_id=leaking[0].resident_id)
    )
    clock.set(local("2026-12-11 09:00"))
    assert recurring.get(problem.id, clock.today()).status_label == "整改中（已逾期）"
    done = recurring.update(
        supervisor, problem.id, plan(result="已更换防水层，闭水试验无渗漏", done=True), problem.version
    )
    row = recurring.get(done.id, clock.today())
    assert row.status == recurring.DONE and fourth.serial in row.cases and len(row.cases) == 4
    with pytest.raises(ConflictError):  # a stale copy cannot overwrite it
        recurring.update(supervisor, problem.id, plan(), problem.version)


def test_bad_input_is_reported_beside_each_field_and_nothing_is_written(supervisor, leaking):
    with pytest.raises(ValidationError) as err:
        recurring.create(supervisor, plan(cause="", owner="", due_on=date(2026, 11, 1)))
    assert set(err.value.fields) == {"cause", "owner", "due_on"}
    assert "不能早于今天" in err.value.fields["due_on"]
    with pytest.raises(ValidationError) as err:
        recurring.create(supervisor, plan(done=True))
    assert "整改结果" in err.value.fields["result"]
    assert RecurringProblemCase.select().count() == 0


def test_receptionists_may_not_record_and_there_is_one_open_record_per_place(
    receptionist, supervisor, leaking
):
    with pytest.raises(PermissionDenied):
        recurring.create(receptionist, plan())
    recurring.create(supervisor, plan())
    with pytest.raises(ConflictError):
        recurring.create(supervisor, plan())


def test_the_monthly_pdf_shows_the_record(supervisor, leaking, clock):
    recurring.create(supervisor, plan())
    pdf = cr.complaints_report_for_month(2026, 11, clock.now())
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    for part in ("整改跟踪", "楼上卫生间防水层老化", "工程部刘工", "2026-12-10", "整改中", "3件"):
        assert part in text, part
    # A month with the problem but no record says so.
    clock.set(clock.now() + timedelta(days=1))
    table = cr.find_table(analysis.build(Period.month(2026, 11), clock.now()), analysis.TRACKING)
    assert len(table.rows) == 1 and table.rows[0][0] == "5-1-1203"
