"""Cases: the complaint's whole journey, deadlines and escalation, illegal changes refused."""

from __future__ import annotations

from datetime import timedelta

import pytest

from reception.errors import ConflictError
from reception.errors import ValidationError
from reception.services import calls
from reception.services import cases
from reception.services import residents
from reception.services.calls import CallInput
from reception.services.calls import Outcome
from reception.services.cases import CaseFilter
from reception.services.cases import CaseInput
from reception.store import db
from reception.store.migrations import migrate
from reception.store.models import Case
from reception.store.models import CaseEvent
from reception.store.models import Department


def dept(name: str) -> Department:
    return Department.get(Department.name == name)


@pytest.fixture
def resident(admin):
    return residents.add_resident(
        admin, residents.ResidentInput("5", "1", "1203", "钱七", "业主", "13800001203")
    )


@pytest.fixture
def complaint(receptionist, clock, resident) -> Case:
    result = calls.register_call(
        receptionist,
        CallInput(
            started_at=clock.now(),
            category="投诉",
            content="卫生间天花板漏水",
            outcome=Outcome.DISPATCHED,
            resident_id=resident.id,
            department_id=dept("工程部").id,
            taken_by="刘师傅",
        ),
    )
    return result.case


def test_a_complaint_from_call_to_closing(receptionist, supervisor, clock, complaint):
    case = cases.get_case(complaint.id)
    assert (case.status, case.place_key, case.building) == (cases.DISPATCHED, "5-1-1203", "5")
    assert case.first_receiver_id == receptionist.operator.id
    assert case.resolve_due_at - case.received_at == timedelta(hours=72)
    case = cases.acknowledge(supervisor, case.id, "刘师傅", case.version)
    assert case.status == cases.IN_PROGRESS
    clock.advance(hours=3)
    case = cases.reply(receptionist, case.id, "已安排刘师傅明早上门检查楼上防水", case.version)
    assert case.status == cases.REPLIED and case.replied_at == clock.now()
    case = cases.finish(supervisor, case.id, "已更换楼上卫生间防水层", case.version)
    assert case.status == cases.AWAITING_VISIT
    with pytest.raises(ValidationError, match="回访"):
        cases.close(receptionist, case.id, "", case.version)
    case = cases.record_return_visit(receptionist, case.id, cases.UNSATISFIED, "仍有渗水痕迹")
    assert case.status == cases.IN_PROGRESS  # reopened
    case = cases.reply(receptionist, case.id, "已再次安排维修", case.version)
    case = cases.finish(supervisor, case.id, "重新做闭水试验，无渗漏", case.version)
    cases.record_return_visit(receptionist, case.id, cases.SATISFIED, "业户满意")
    case = cases.close(receptionist, case.id, "", cases.get_case(case.id).version)
    assert case.status == cases.CLOSED and case.closed_at == clock.now()
    actions = [e.action for e in cases.events(case.id)]
    assert actions == ["受理", "派单", "接单", "答复", "处理完成", "重新打开", "答复", "处理完成", "关闭"]
    assert all(e.operator_id for e in CaseEvent.select())
    assert cases.my_open_cases(receptionist.operator) == []


def test_first_receiver_sees_the_case_until_closed(receptionist, supervisor, complaint):
    assert [c.id for c in cases.my_open_cases(receptionist.operator)] == [complaint.id]
    assert cases.my_open_cases(supervisor.operator) == []


@pytest.mark.parametrize("action", ["acknowledge_twice", "close_open", "finish_unreplied", "reopen_open"])
def test_illegal_changes_are_refused_by_the_service(receptionist, complaint, action):
    case = cases.get_case(complaint.id)
    with pytest.raises(ValidationError, match=r"不能|才能"):
        if action == "acknowledge_twice":
            case = cases.acknowledge(receptionist, case.id, "刘师傅", case.version)
            cases.acknowledge(receptionist, case.id, "刘师傅", case.version)
        elif action == "close_open":
            cases.close(receptionist, case.id, "", case.version)
        elif action == "finish_unreplied":
            cases.finish(receptionist, case.id, "完成", case.version)
        else:
            cases.reopen(receptionist, case.id, "再开", case.version)
    assert cases.get_case(complaint.id).status in (cases.DISPATCHED, cases.IN_PROGRESS)


def test_stale_version_is_refused(receptionist, complaint):
    cases.acknowledge(receptionist, complaint.id, "刘师傅", complaint.version)
    with pytest.raises(ConflictError):
        cases.reply(receptionist, complaint.id, "答复", complaint.version)


def test_overdue_case_escalates_when_the_clock_passes_its_deadline(
    receptionist, supervisor, clock, complaint
):
    assert cases.deadline_state(complaint, clock.now()) == cases.OK
    clock.advance(hours=21)
    assert cases.deadline_state(cases.get_case(complaint.id), clock.now()) == cases.WARNING
    assert cases.run_escalations(supervisor) == []
    clock.advance(hours=4)  # 25 h: past the 24-hour promise
    assert cases.deadline_state(cases.get_case(complaint.id), clock.now()) == cases.OVERDUE
    assert [c.id for c in cases.run_escalations(supervisor)] == [complaint.id]
    assert cases.run_escalations(supervisor) == []  # once per level
    assert cases.counts(clock.now()) == (1, 1, 1)
    assert [c.id for c in cases.escalated_cases()] == [complaint.id]
    clock.advance(hours=24)
    assert cases.deadline_state(cases.get_case(complaint.id), clock.now()) == cases.OVERDUE_AGAIN
    cases.run_escalations(supervisor)
    assert cases.get_case(complaint.id).escalation_level == 2
    notes = [e.note for e in cases.events(complaint.id) if e.action == "超时升级"]
    assert notes == ["超过答复时限，已上报主管", "超时 24 小时仍未答复，再次上报主管"]
    assert (
        cases.format_time_left(cases.time_left(cases.get_case(complaint.id), clock.now())) == "超时 1天1小时"
    )
    case = cases.get_case(complaint.id)
    cases.reply(receptionist, case.id, "致歉并答复", case.version)
    assert cases.counts(clock.now()) == (1, 0, 0)


def test_three_unanswered_return_visits_allow_closing(receptionist, complaint):
    case = cases.reply(receptionist, complaint.id, "已处理", complaint.version)
    case = cases.finish(receptionist, case.id, "已修复", case.version)
    for attempt in range(3):
        assert not cases.can_close(cases.get_case(case.id))[0]
        cases.record_return_visit(receptionist, case.id, cases.UNREACHABLE, f"第 {attempt + 1} 次未接")
    case = cases.close(receptionist, case.id, "", cases.get_case(case.id).version)
    assert "联系不上" in case.close_note


def test_closed_case_can_be_reopened(receptionist, complaint):
    case = cases.reply(receptionist, complaint.id, "已处理", complaint.version)
    case = cases.finish(receptionist, case.id, "已修复", case.version)
    cases.record_return_visit(receptionist, case.id, cases.FAIRLY_SATISFIED, "")
    case = cases.close(receptionist, case.id, "", cases.get_case(case.id).version)
    case = cases.reopen(receptionist, case.id, "业户反映再次漏水", case.version)
    assert case.status == cases.IN_PROGRESS and case.closed_at is None


def test_municipal_case_keeps_a_liaison_log(receptionist):
    with pytest.raises(ValidationError) as err:
        cases.open_direct_case(
            receptionist, CaseInput(category="市政设施", description="停水", location="3栋")
        )
    assert "utility" in err.value.fields
    case = cases.open_direct_case(
        receptionist,
        CaseInput(category="市政设施", description="全小区停水", location="全小区", utility="供水"),
    )
    cases.add_liaison(receptionist, case.id, "市自来水公司", "客服 95598-3", "管网抢修，预计 18:00 恢复")
    assert cases.get_case(case.id).agency == "市自来水公司"
    assert [e.said for e in cases.liaison_log(case.id)] == ["管网抢修，预计 18:00 恢复"]


def test_recurrence_at_the_same_place_is_found(receptionist, clock, resident):
    for _ in range(2):
        calls.register_call(
            receptionist,
            CallInput(
                started_at=clock.now(),
                category="报修",
                content="漏水",
                outcome=Outcome.DISPATCHED,
                resident_id=resident.id,
                department_id=dept("工程部").id,
                taken_by="刘师傅",
            ),
        )
        clock.advance(days=5)
    assert cases.recurrence_note("报修", "5-1-1203", clock.now()) == "5-1-1203 近 30 天第 3 次报修"
    assert cases.recurrence_note("投诉", "5-1-1203", clock.now()) == ""
    clock.advance(days=40)
    assert cases.recurrence_note("报修", "5-1-1203", clock.now()) == ""


def test_case_list_filters(receptionist, clock, complaint):
    cases.open_direct_case(receptionist, CaseInput(category="报修", description="电梯异响", location="电梯"))
    assert cases.count_cases(CaseFilter()) == 2
    assert cases.count_cases(CaseFilter(category="投诉")) == 1
    assert cases.count_cases(CaseFilter(statuses=(cases.PENDING,))) == 1
    assert [c.place_key for c in cases.list_cases(CaseFilter(search="电梯"))] == ["电梯"]
    clock.advance(days=2)
    assert cases.count_cases(CaseFilter(overdue_at=clock.now())) == 2


def test_a_version_3_database_migrates_and_backfills_places(tmp_path):
    path = tmp_path / "v3.db"
    database = db.open_database(path)
    migrate(database, target=3)
    database.execute_sql("INSERT INTO operator VALUES (1,'a','甲','admin','x',1,0,NULL,'2026-01-01')")
    database.execute_sql(
        "INSERT INTO resident VALUES (1,'5','1','1203','钱七','业主','','','','qq',1,"
        "'2026-01-01','2026-01-01')"
    )
    database.execute_sql(
        'INSERT INTO "case" (id, serial, source_kind, source_id, category, resident_id, location,'
        " description, first_receiver_id, handler, status, received_at, reply_due_at, version,"
        " updated_at) VALUES (1,'GD1','call',NULL,'报修',1,'','漏水',1,'','已派单','2026-01-01',"
        "'2026-01-02',1,'2026-01-01'),(2,'GD2','call',NULL,'报修',NULL,'地库','积水',1,'','待派单',"
        "'2026-01-01','2026-01-02',1,'2026-01-01')"
    )
    migrate(database, backup_dir=tmp_path / "b")
    rows = database.execute_sql(
        'SELECT place_key, building, resolve_due_at FROM "case" ORDER BY id'
    ).fetchall()
    assert rows == [("5-1-1203", "5", "2026-01-02"), ("地库", "", "2026-01-02")]
    db.close_database()


def test_a_reopened_case_gets_a_new_reply_promise(receptionist, supervisor, clock, complaint):
    case = cases.reply(receptionist, complaint.id, "已处理", complaint.version)
    case = cases.finish(receptionist, case.id, "已修复", case.version)
    clock.advance(days=3)  # long past the original 24-hour deadline
    case = cases.record_return_visit(receptionist, case.id, cases.UNSATISFIED, "仍在漏水")
    assert case.status == cases.IN_PROGRESS
    assert case.reply_due_at == clock.now() + timedelta(hours=24) and case.escalation_level == 0
    assert cases.deadline_state(case, clock.now()) == cases.OK
    assert cases.run_escalations(supervisor) == []


def test_unreachable_attempts_count_again_after_a_reopen(receptionist, complaint):
    case = cases.reply(receptionist, complaint.id, "已处理", complaint.version)
    case = cases.finish(receptionist, case.id, "已修复", case.version)
    for _ in range(2):
        cases.record_return_visit(receptionist, case.id, cases.UNREACHABLE, "")
    case = cases.record_return_visit(receptionist, case.id, cases.UNSATISFIED, "仍有问题")
    case = cases.reply(receptionist, case.id, "再次处理", case.version)
    case = cases.finish(receptionist, case.id, "已再次修复", case.version)
    cases.record_return_visit(receptionist, case.id, cases.UNREACHABLE, "")
    allowed, why = cases.can_close(cases.get_case(case.id))
    assert not allowed and "1 次" in why  # the two attempts before the reopen do not count
