"""The call list's search (reception.services.search): the FTS5 index kept in step by triggers, substrings
of any length, rooms however they are written, phones through ordinary indexes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from reception.services import calls
from reception.services import residents
from reception.services.calls import CallEdit
from reception.services.calls import CallFilter
from reception.services.calls import CallInput
from reception.services.calls import Outcome
from reception.store import db
from reception.store.models import Call


@pytest.fixture
def zhang(admin):
    return residents.add_resident(
        admin, residents.ResidentInput("3", "2", "1201", "张三", "业主", "13800138000")
    )


def a_call(clock, **kw) -> CallInput:
    values = dict(
        started_at=clock.now() - timedelta(seconds=75),
        category="咨询",
        content="问物业费标准",
        answer="已答复",
        outcome=Outcome.ANSWERED,
    )
    values.update(kw)
    return CallInput(**values)


def found(text: str) -> list[int]:
    ids = [c.id for c in calls.list_calls(CallFilter(search=text))]
    assert calls.count_calls(CallFilter(search=text)) == len(ids)
    return ids


def test_one_and_two_chinese_characters_are_found(receptionist, clock, zhang):
    call = calls.register_call(receptionist, a_call(clock, resident_id=zhang.id)).call
    other = calls.register_call(receptionist, a_call(clock, caller_name="李四", content="电梯异响")).call
    assert found("张") == [call.id]
    assert found("物业") == [call.id]
    assert found("梯") == [other.id]
    assert found("电梯异响") == [other.id]
    assert found("梯电") == []
    assert found("ld20261126-00") == [other.id, call.id]  # a serial being typed
    assert found("LD20261126-002") == [other.id] and found("LD20261126-") == [other.id, call.id]
    assert found("LD20261125-0") == [] and found("LF20261126-0") == []


@pytest.mark.parametrize("typed", ["3-2-1201", "3栋2单元1201", "3栋1201", "3号楼2单元1201室", "1201"])
def test_a_room_is_found_however_it_is_typed(receptionist, clock, zhang, typed):
    call = calls.register_call(receptionist, a_call(clock, resident_id=zhang.id)).call
    assert call.location == "3栋2单元1201"
    calls.register_call(receptionist, a_call(clock, location="13栋2单元1201"))
    calls.register_call(receptionist, a_call(clock, location="3栋1单元1201"))
    assert call.id in found(typed)
    if typed != "1201":
        assert len(found(typed)) == (2 if typed == "3栋1201" else 1)


def test_phone_digits_match_the_last_four_or_the_beginning(receptionist, clock):
    call = calls.register_call(receptionist, a_call(clock, caller_phone="13912345678")).call
    assert found("5678") == [call.id]
    assert found("1391234") == [call.id]
    assert found("13912345678") == [call.id]
    assert found("4321") == []


def test_edits_and_deletes_keep_the_index_in_step(receptionist, clock):
    call = calls.register_call(receptionist, a_call(clock, caller_name="王五")).call
    calls.update_call(
        receptionist,
        call.id,
        CallEdit("赵六", "", "会所", False, "咨询", "问停车", "已答复"),
        call.version,
    )
    assert found("王") == [] and found("赵") == [call.id] and found("停车") == [call.id]
    with db.write():
        Call.update(content="问游泳池").where(Call.id == call.id).execute()
    assert found("停车") == [] and found("泳") == [call.id]
    with db.write():
        Call.delete().where(Call.id == call.id).execute()
    assert found("泳") == []
    if not db.is_postgres():  # SQLite's own index (a server has no separate index to check)
        db.current().execute_sql("INSERT INTO call_search(call_search, rank) VALUES ('integrity-check', 0)")


@pytest.mark.parametrize("typed", ["\x00", "电梯\x00", "\x00\x00\x00", "电\u202e梯", "\x1b电梯", "电梯\r\n"])
def test_control_characters_in_the_search_are_dropped(receptionist, clock, typed):
    lift = calls.register_call(receptionist, a_call(clock, content="电梯异响")).call
    calls.register_call(receptionist, a_call(clock, content="问物业费标准"))
    calls.register_call(receptionist, a_call(clock, content="停车位"))
    what = typed.replace("\x00", "").replace("\u202e", "").replace("\x1b", "").strip()
    expected = [lift.id] if what else [c.id for c in calls.list_calls(CallFilter())]
    assert sorted(found(typed)) == sorted(expected)
