"""The call desk service: outcomes, validation, serials, the list, edits, follow-ups."""

from __future__ import annotations

from datetime import date
from datetime import timedelta

import pytest

from reception.errors import ConflictError
from reception.errors import ValidationError
from reception.services import callbacks
from reception.services import calls
from reception.services import cases
from reception.services import counters
from reception.services import messages
from reception.services import residents
from reception.services.calls import CallEdit
from reception.services.calls import CallFilter
from reception.services.calls import CallInput
from reception.services.calls import Outcome
from reception.store import audit
from reception.store.models import Call
from reception.store.models import Callback
from reception.store.models import Case
from reception.store.models import CaseEvent
from reception.store.models import Department
from reception.store.models import Message


@pytest.fixture
def zhang(admin):
    return residents.add_resident(
        admin, residents.ResidentInput("3栋", "2单元", "1201", "张三", "业主", "13800138000")
    )


def dept(name: str) -> Department:
    return Department.get(Department.name == name)


def a_call(clock, **kw) -> CallInput:
    values = dict(
        started_at=clock.now() - timedelta(seconds=75),
        category="咨询",
        content="问物业费标准",
        answer="1.8 元/平方米·月",
        outcome=Outcome.ANSWERED,
    )
    values.update(kw)
    return CallInput(**values)


def test_answered_call_is_saved_with_serial_duration_and_audit(receptionist, clock, zhang):
    result = calls.register_call(receptionist, a_call(clock, resident_id=zhang.id, identity_verified=True))
    call = Call.get_by_id(result.call.id)
    assert call.serial == "LD20261126-001"
    assert call.duration_s == 75
    assert call.operator_id == receptionist.operator.id
    assert (call.caller_name, call.location, call.identity_verified) == ("张三", "3栋2单元1201", True)
    assert "张三（3栋2单元1201）" in call.readback and "已当场答复" in call.readback
    entry = audit.history("call", call.id)[0]
    assert entry.action == "call.create" and entry.operator_id == receptionist.operator.id


def test_serials_count_per_day_and_restart_the_next_day(receptionist, clock):
    first = calls.register_call(receptionist, a_call(clock)).call.serial
    second = calls.register_call(receptionist, a_call(clock)).call.serial
    clock.advance(days=1)
    third = calls.register_call(receptionist, a_call(clock)).call.serial
    assert (first, second, third) == ("LD20261126-001", "LD20261126-002", "LD20261127-001")


def test_clock_going_back_keeps_serials_unique_and_order(receptionist, clock):
    a = calls.register_call(receptionist, a_call(clock)).call
    clock.advance(hours=-2)
    b = calls.register_call(receptionist, a_call(clock)).call
    assert a.serial != b.serial
    assert b.duration_s >= 0
    assert [c.id for c in calls.list_calls(CallFilter())] == [b.id, a.id]  # newest saved first


def test_dispatched_complaint_opens_a_case_owned_by_the_first_receiver(receptionist, clock, zhang):
    result = calls.register_call(
        receptionist,
        a_call(
            clock,
            category="投诉",
            content="楼上装修噪音",
            answer="",
            outcome=Outcome.DISPATCHED,
            resident_id=zhang.id,
            department_id=dept("品质管理部").id,
            taken_by="周主管",
        ),
    )
    case = Case.get_by_id(result.case.id)
    assert case.serial == "GD20261126-001"
    assert case.first_receiver_id == receptionist.operator.id
    assert case.status == cases.DISPATCHED
    assert case.reply_due_at == result.call.started_at + timedelta(hours=24)
    assert (case.source_kind, case.source_id) == ("call", result.call.id)
    assert [e.action for e in CaseEvent.select().where(CaseEvent.case == case)] == ["受理", "派单"]
    assert "24 小时内给您答复" in result.call.readback


def test_reply_time_follows_the_category_setting(admin, receptionist, clock):
    from reception.services import settings

    settings.update(
        admin,
        property_name="阳光花园物业",
        desk_phone="",
        greeting=settings.DEFAULT_GREETING,
        reply_hours={"报修": 8},
    )
    result = calls.register_call(
        receptionist,
        a_call(
            clock,
            category="报修",
            content="水管爆裂",
            answer="",
            outcome=Outcome.DISPATCHED,
            department_id=dept("工程部").id,
            taken_by="刘师傅",
        ),
    )
    assert result.case.reply_due_at - result.call.started_at == timedelta(hours=8)


def test_message_and_callback_outcomes_create_follow_ups(receptionist, clock):
    msg = calls.register_call(
        receptionist,
        a_call(
            clock,
            category="找人留言",
            answer="",
            outcome=Outcome.MESSAGE,
            caller_name="钱先生",
            caller_phone="13912345678",
            message_for_person="工程部刘师傅",
            message_text="请回电约上门时间",
        ),
    ).message
    assert (msg.for_person, msg.callback_phone, msg.from_name) == ("工程部刘师傅", "13912345678", "钱先生")
    due = clock.now() + timedelta(hours=2)
    cb = calls.register_call(
        receptionist,
        a_call(clock, answer="", outcome=Outcome.CALLBACK, caller_phone="021 5000 1234", callback_due_at=due),
    ).callback
    assert (cb.phone, cb.due_at) == ("021-50001234", due)
    assert counters.desk_counts(clock.now()).undelivered_messages == 1
    clock.advance(hours=3)
    assert callbacks.is_overdue(Callback.get_by_id(cb.id), clock.now())
    assert counters.desk_counts(clock.now()).overdue_callbacks == 1
    messages.deliver(receptionist, msg.id, "刘师傅本人")
    callbacks.complete(receptionist, cb.id, "已回电说明停水原因")
    counts = counters.desk_counts(clock.now())
    assert (counts.undelivered_messages, counts.open_callbacks) == (0, 0)
    delivered = Message.get_by_id(msg.id)
    assert delivered.delivered_by_id == receptionist.operator.id and delivered.delivered_to == "刘师傅本人"
    with pytest.raises(ValidationError, match="已转达过"):
        messages.deliver(receptionist, msg.id, "再次")


def test_every_problem_is_reported_at_once_and_nothing_is_written(receptionist, clock):
    before = (Call.select().count(), Case.select().count(), Message.select().count())
    with pytest.raises(ValidationError) as err:
        calls.register_call(
            receptionist,
            CallInput(
                started_at=clock.now(),
                category="紧急",
                content="  ",
                outcome=Outcome.DISPATCHED,
                caller_phone="12345",
            ),
        )
    assert set(err.value.fields) >= {
        "content",
        "caller_phone",
        "department",
        "taken_by",
        "alerted_department",
        "alerted_at",
    }
    assert all("\u4e00" <= m[0] <= "\u9fff" or m[0] in "请" for m in err.value.fields.values())
    assert (Call.select().count(), Case.select().count(), Message.select().count()) == before


def test_emergency_call_records_who_was_alerted_and_when(receptionist, clock):
    alerted = clock.now() - timedelta(minutes=1)
    call = calls.register_call(
        receptionist,
        a_call(
            clock,
            category="紧急",
            content="地库有烟雾",
            answer="已通知保安部到场",
            alerted_at=alerted,
            alerted_department_id=dept("保安部").id,
        ),
    ).call
    assert (call.alerted_department.name, call.alerted_at) == ("保安部", alerted)


def test_answered_call_needs_the_answer(receptionist, clock):
    with pytest.raises(ValidationError) as err:
        calls.register_call(receptionist, a_call(clock, answer=""))
    assert "answer" in err.value.fields


def test_a_repeated_submit_saves_once(receptionist, clock):
    data = a_call(clock, client_token="form-1")
    first = calls.register_call(receptionist, data)
    for _ in range(4):
        again = calls.register_call(receptionist, data)
        assert again.duplicate and again.call.id == first.call.id
    assert Call.select().count() == 1


def test_list_filters_search_and_pages(receptionist, admin, clock, zhang):
    for i in range(25):
        calls.register_call(receptionist, a_call(clock, content=f"问题 {i}"))
    calls.register_call(
        admin,
        a_call(
            clock,
            category="报修",
            content="电梯异响",
            answer="",
            resident_id=zhang.id,
            outcome=Outcome.DISPATCHED,
            department_id=dept("工程部").id,
            taken_by="陈工",
        ),
    )
    assert calls.count_calls(CallFilter()) == 26
    assert calls.count_calls(CallFilter(category="报修")) == 1
    assert calls.count_calls(CallFilter(outcome=Outcome.ANSWERED)) == 25
    assert calls.count_calls(CallFilter(operator_id=admin.operator.id)) == 1
    assert [c.content for c in calls.list_calls(CallFilter(search="电梯"))] == ["电梯异响"]
    assert calls.count_calls(CallFilter(search="张三")) == 1
    assert calls.count_calls(CallFilter(search="8000")) == 1  # the phone's last four digits
    assert calls.count_calls(CallFilter(search="ld20261126-026")) == 1
    page = calls.list_calls(CallFilter(), offset=20, limit=10)
    assert len(page) == 6 and page[0].operator_name
    today = date(2026, 11, 26)
    assert calls.count_calls(CallFilter(date_from=today, date_to=today)) == 26
    assert calls.count_calls(CallFilter(date_from=today + timedelta(days=1))) == 0


def test_local_day_boundaries_are_shanghai_days(receptionist, clock):
    clock.set(clock.now().replace(hour=15, minute=59))  # 23:59 in Shanghai
    calls.register_call(receptionist, a_call(clock))
    clock.advance(minutes=2)  # 00:01 next day in Shanghai
    late = calls.register_call(receptionist, a_call(clock)).call
    assert late.serial == "LD20261127-001"
    assert calls.count_calls(CallFilter(date_from=date(2026, 11, 26), date_to=date(2026, 11, 26))) == 1


def test_edits_are_audited_masked_and_refused_when_stale(receptionist, clock):
    call = calls.register_call(
        receptionist, a_call(clock, caller_name="孙女士", caller_phone="13700001111")
    ).call
    edit = CallEdit("孙女士", "13700002222", "5栋101", True, "咨询", "问物业费标准和缴费方式", "1.8 元")
    updated = calls.update_call(receptionist, call.id, edit, expected_version=1)
    assert updated.version == 2 and updated.caller_phone == "13700002222"
    texts = [line.text for line in calls.call_history(call.id)]
    assert any("137****1111 → 137****2222" in t for t in texts)
    assert any("身份核实：否 → 是" in t for t in texts) and not any("True" in t for t in texts)
    assert not any("13700001111" in t or "13700002222" in t for t in texts)
    with pytest.raises(ConflictError):
        calls.update_call(receptionist, call.id, edit, expected_version=1)


def test_audit_details_never_hold_a_full_phone_number(receptionist, clock):
    calls.register_call(
        receptionist,
        a_call(
            clock,
            caller_phone="13912345678",
            answer="",
            outcome=Outcome.CALLBACK,
            callback_due_at=clock.now() + timedelta(hours=1),
        ),
    )
    from reception.store.models import AuditLog

    assert not any("13912345678" in (e.detail or "") for e in AuditLog.select())


def test_readback_reads_naturally(receptionist, clock):
    data = a_call(
        clock,
        content="楼上装修太吵，影响休息。",
        caller_name="孙女士",
        outcome=Outcome.CALLBACK,
        callback_due_at=clock.now() + timedelta(hours=2),
    )
    assert calls.readback(data) == "孙女士反映咨询：楼上装修太吵，影响休息。我们将于11月26日 11:00前回电。"
    assert calls.readback(CallInput(started_at=clock.now())) == "来电人来电。（尚未选择处理结果）。"
    emergency = a_call(
        clock,
        category="紧急",
        content="地库冒烟",
        alerted_department_id=dept("保安部").id,
        alerted_at=clock.now(),
    )
    assert "已于09:00通知保安部。" in calls.preview_readback(emergency)


def test_the_readback_of_a_message_or_callback_says_the_callback_number_masked(receptionist, clock):
    """Issue 17, finding 13: the caller hears the number we will call back on (masked in the
    stored read-back, like every number on paper and in lists)."""
    message = a_call(
        clock,
        caller_name="刘女士",
        outcome=Outcome.MESSAGE,
        message_for_person="张经理",
        message_text="请回电",
        callback_phone="139 1234 5678",
    )
    assert calls.readback(message).endswith("已为您给张经理留言，会尽快转达，回电号码 139****5678。")
    callback = a_call(
        clock,
        caller_name="孙女士",
        caller_phone="021-50001234",
        outcome=Outcome.CALLBACK,
        callback_due_at=clock.now() + timedelta(hours=2),
    )
    assert calls.readback(callback).endswith("我们将于11月26日 11:00前回电，回电号码 021-****1234。")
    saved = calls.register_call(receptionist, callback).call
    assert "021-****1234" in saved.readback and "50001234" not in saved.readback
    half_typed = a_call(clock, outcome=Outcome.CALLBACK, callback_phone="1391")
    assert "回电号码" not in calls.readback(half_typed)
