"""Shifts and the handover data: a day of mixed traffic (``busy_day`` in tests/conftest.py)
lands in the right sections."""

from __future__ import annotations

from datetime import date

import pytest

from reception.errors import ValidationError
from reception.services import auth, handover, shifts
from tests.conftest import PASSWORD

DAY = date(2026, 11, 26)


def test_a_shift_closes_only_when_the_incoming_operator_confirms(receptionist, supervisor, clock):
    shift = shifts.start(receptionist)
    assert (shift.number, shift.status, shift.day) == (1, shifts.ON_DUTY, "20261126")
    assert shifts.start(supervisor).id == shift.id  # one open shift at a desk
    with pytest.raises(ValidationError):
        shifts.confirm(supervisor, shift.id)  # not handed over yet
    clock.advance(hours=8)
    shifts.hand_over(receptionist, "3 号楼电梯维修中，明早 9 点前回电给 5-1-1203")
    with pytest.raises(ValidationError, match="不能与交班人相同"):
        shifts.confirm(receptionist, shift.id)
    refused = shifts.refuse(supervisor, shift.id, "在场访客王小明未说明去向")
    assert refused.status == shifts.ON_DUTY and refused.refused_reason.startswith("在场访客")
    with pytest.raises(ValidationError):
        shifts.refuse(supervisor, shift.id, "")
    clock.advance(minutes=10)
    shifts.hand_over(receptionist, "访客王小明已离开（保安确认）")
    done = shifts.confirm(supervisor, shift.id)
    assert (done.status, done.incoming_id, done.confirmed_at) == (
        shifts.HANDED_OVER,
        supervisor.operator.id,
        clock.now(),
    )
    following = shifts.current()
    assert (following.number, following.operator_id) == (2, supervisor.operator.id)


def test_each_item_lands_in_its_section(busy_day, clock):
    shift, overdue = busy_day
    data = handover.for_shift(shift, clock.now())
    assert (data.outgoing, data.incoming, data.shift_label, data.note) == (
        "李晓",
        "赵敏",
        "第 1 班",
        "请跟进噪音投诉",
    )
    calls_table = data.section("来电")
    assert calls_table.rows[-1][0] == "合计" and calls_table.rows[-1][-1] == 4
    open_cases = data.section("未结工单").rows
    assert open_cases[0][0] == overdue.serial and "已超时" in open_cases[0][-1]  # overdue first
    assert any("地库漏水" in str(row[3]) for row in open_cases)  # the complaint letter's case
    assert data.section("待回电").rows[0][:2] == ["孙先生", "139****5678"]
    assert data.section("未转达留言").rows[0][1] == "刘师傅"
    assert [r[1] for r in data.section("在场访客").rows] == ["王小明"]
    assert [r[1] for r in data.section("下一班预约来访").rows] == ["周杰"]
    assert [r[1] for r in data.section("待办来函").rows] == ["地库漏水"]
    assert data.section("本班异常情况").rows[0][1] == "安全隐患"
    text = repr(data)
    assert "13912345678" not in text and "13600001234" not in text and "11010519491231002X" not in text


def test_daily_report_compares_with_the_previous_week(busy_day, clock):
    data = handover.for_day(DAY, clock.now())
    assert data.kind == "日报" and "第1班 李晓" in data.shift_label
    rows = {r[0]: r for r in data.comparison.rows}
    assert rows["来电"][1:] == [4, "0.0", "—"]
    assert rows["来访"][1] == 1


def test_switching_operator_keeps_the_shift_with_its_owner(receptionist, clock):
    shifts.start(receptionist)
    auth.create_operator(
        auth.login("admin", PASSWORD, clock), auth.OperatorInput("next1", "下一班", "receptionist", PASSWORD)
    )
    assert shifts.current().operator_id == receptionist.operator.id
