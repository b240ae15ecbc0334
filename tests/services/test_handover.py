"""Shifts and the handover data: a day of mixed traffic (``busy_day`` in tests/conftest.py)
lands in the right sections."""

from __future__ import annotations

from datetime import date

import pytest

from reception.errors import ValidationError
from reception.services import auth
from reception.services import handover
from reception.services import shifts
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


def _second_receptionist(admin, clock, username="wangfang", name="王芳"):
    auth.create_operator(admin, auth.OperatorInput(username, name, "receptionist", PASSWORD))
    return auth.login(username, PASSWORD, clock)


def _report_text(shift_id, clock) -> str:
    import io

    from pypdf import PdfReader

    from reception.documents import handover_report

    pdf = handover_report.handover_pdf_for_shift(shift_id, clock.now())
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_another_operator_can_neither_hand_over_a_shift_nor_confirm_it_herself(admin, receptionist, clock):
    """Issue 17, finding 3: B logged in while A's shift is open cannot hand over A's shift (and so
    never confirms a handover she made); the refusal is audited."""
    shift = shifts.start(receptionist)
    other = _second_receptionist(admin, clock)
    clock.advance(hours=8)
    with pytest.raises(ValidationError, match="只有当班人李晓本人才能交班") as caught:
        shifts.hand_over(other, "代李晓交班")
    assert "outgoing" in caught.value.fields
    assert shifts.current().status == shifts.ON_DUTY
    from reception.store.models import AuditLog

    refused = AuditLog.select().where(AuditLog.action == "shift.hand_over_refused")
    assert [(r.operator_id, r.entity_id) for r in refused] == [(other.operator.id, shift.id)]
    # … a receptionist cannot stand in for the absent operator either
    with pytest.raises(Exception, match="需要主管权限"):
        shifts.hand_over_absent(other, "", "李晓已下班")
    # with A's own password on this PC (her own session), the handover is hers; B confirms it
    shifts.hand_over(auth.login("lixiao", PASSWORD, clock), "一切正常")
    done = shifts.confirm(other, shift.id)
    assert (done.handed_over_by_id, done.incoming_id) == (receptionist.operator.id, other.operator.id)
    text = _report_text(shift.id, clock).replace(" ", "").replace("\n", "")
    assert "交班人李晓接班人王芳" in text and "未签" not in text


def test_a_supervisor_confirms_the_operator_absent_and_the_report_says_who_signed(
    admin, receptionist, supervisor, clock
):
    shift = shifts.start(receptionist)
    other = _second_receptionist(admin, clock)
    clock.advance(hours=8)
    with pytest.raises(ValidationError) as caught:
        shifts.hand_over_absent(supervisor, "", "  ")
    assert "absent_reason" in caught.value.fields
    shifts.hand_over_absent(supervisor, "钥匙在抽屉", "李晓身体不适提前离开")
    # the supervisor who signed cannot take the shift over herself
    with pytest.raises(ValidationError, match="确认交班的主管不能同时接班"):
        shifts.confirm(supervisor, shift.id)
    done = shifts.confirm(other, shift.id)
    assert done.handed_over_by_id == supervisor.operator.id
    data = handover.for_shift(done, clock.now())
    assert data.outgoing == "李晓" and data.outgoing_signed == "交班人未签，由主管赵敏确认"
    assert "李晓身体不适提前离开" in data.absent
    text = _report_text(shift.id, clock).replace(" ", "").replace("\n", "")
    assert "交班人交班人未签，由主管赵敏确认" in text and "李晓身体不适提前离开" in text
    assert "交班人李晓" not in text
    from reception.store.models import AuditLog

    assert AuditLog.select().where(AuditLog.action == "shift.hand_over_absent").count() == 1


def test_helping_during_another_shift_is_audited_and_leaves_the_shift_with_its_owner(
    admin, receptionist, clock
):
    shift = shifts.start(receptionist)
    other = _second_receptionist(admin, clock)
    assert shifts.join_as_helper(other, shift.id).operator_id == receptionist.operator.id
    from reception.store.models import AuditLog

    assert AuditLog.select().where(AuditLog.action == "shift.helper").count() == 1
    assert shifts.current().operator_id == receptionist.operator.id


def test_helpers_are_on_the_handover_report_with_when_they_helped(admin, receptionist, supervisor, clock):
    """协助 is audited and printed: 「协助 王芳 10:02–12:30」 (until her logout); one still there
    is 「… 起」 until the handover, which then ends her stretch."""
    shift = shifts.start(receptionist)  # 09:00
    clock.advance(minutes=62)
    wang = _second_receptionist(admin, clock)
    shifts.join_as_helper(wang, shift.id)  # 10:02
    clock.advance(minutes=148)
    auth.logout(wang)  # 12:30
    clock.advance(minutes=30)
    zhang = _second_receptionist(admin, clock, "zhangjing", "张静")
    shifts.join_as_helper(zhang, shift.id)  # 13:00
    shifts.join_as_helper(receptionist, shift.id)  # the operator on duty is no helper
    assert handover.for_shift(shift, clock.now()).helpers == "王芳 10:02–12:30、张静 13:00 起"
    text = _report_text(shift.id, clock).replace(" ", "").replace("\n", "")
    assert "协助王芳10:02–12:30、张静13:00起" in text

    clock.advance(hours=4)  # 17:00, 张静 never logged out: her stretch ends with the handover
    shifts.hand_over(receptionist, "无")
    shifts.confirm(supervisor, shift.id)
    done = shifts.get(shift.id)
    assert handover.for_shift(done, clock.now()).helpers == "王芳 10:02–12:30、张静 13:00–17:00"
    text = _report_text(shift.id, clock).replace(" ", "").replace("\n", "")
    assert "协助王芳10:02–12:30、张静13:00–17:00" in text
