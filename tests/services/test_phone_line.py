"""The desk phone's service on SQLite and PostgreSQL: the caller panel of the pop (masked), the
three-ring figures by hour of day and by operator against a hand-computed day, and several desks
(each its own lines; a ring is recorded and popped by the desk whose line rang; the supervisor's
figures sum all desks)."""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta

import pytest

from reception.phone.events import ANSWER
from reception.phone.events import HANGUP
from reception.phone.events import RING
from reception.phone.events import PhoneEvent
from reception.phone.events import lines_of
from reception.services import calls
from reception.services import cases
from reception.services import messages
from reception.services import phone_line
from reception.services import residents as residents_mod
from reception.services import visits
from reception.services.calls import CallInput
from reception.services.calls import Outcome
from reception.store import desk
from reception.store.models import Ring

T0 = datetime(2026, 11, 26, 1, 0, 0)  # 09:00 in Shanghai


def _ev(kind: str, call_id: str, number: str = "13800138000", line: str = "", source: str = "webhook"):
    return PhoneEvent(kind, source, call_id, number=number, line=line)


# ---- the caller panel ---------------------------------------------------------------------------
def test_caller_panel_shows_calls_cases_messages_and_visitors_masked(receptionist, clock):
    clock.set(T0)
    wang = residents_mod.add_resident(
        receptionist,
        residents_mod.ResidentInput(building="3", unit="2", room="1201", name="王芳", phone="13800138000"),
    )
    li = residents_mod.add_resident(
        receptionist, residents_mod.ResidentInput(building="3", unit="2", room="1201", name="李强")
    )
    other = residents_mod.add_resident(
        receptionist, residents_mod.ResidentInput(building="5", unit="1", room="301", name="赵敏")
    )
    calls.register_call(
        receptionist,
        CallInput(
            started_at=clock.now(),
            category="咨询",
            content="请回电 13912345678 说明停车费",
            answer="已答复",
            outcome=Outcome.ANSWERED,
            resident_id=wang.id,
            caller_phone="13800138000",
        ),
    )
    case = cases.open_direct_case(
        receptionist, cases.CaseInput(category="报修", description="厨房漏水", resident_id=wang.id)
    )
    messages.add_message(
        receptionist, messages.MessageInput(for_person="王芳", from_name="物业", text="快递已到")
    )
    done = messages.add_message(
        receptionist, messages.MessageInput(for_person="王芳", from_name="物业", text="旧的留言")
    )
    messages.deliver(receptionist, done.id, "王芳")
    visits.book_appointment(
        receptionist,
        visits.AppointmentInput(
            visitor_name="周杰", expected_at=T0 + timedelta(hours=2), host_resident_id=li.id, purpose="送家具"
        ),
    )
    visits.book_appointment(
        receptionist,
        visits.AppointmentInput(
            visitor_name="吴刚",
            expected_at=T0 + timedelta(hours=2),
            host_resident_id=other.id,
            purpose="看房",
        ),
    )

    panel = phone_line.caller_panel("13800138000", [wang], clock.now())
    assert len(panel.recent_calls) == 1 and "咨询" in panel.recent_calls[0]
    assert "13912345678" not in panel.recent_calls[0] and "139****5678" in panel.recent_calls[0]
    assert len(panel.open_cases) == 1 and case.serial in panel.open_cases[0]
    assert "前答复" in panel.open_cases[0] and "已超时" not in panel.open_cases[0]
    assert len(panel.messages) == 1 and "快递已到" in panel.messages[0]
    assert len(panel.expected_visitors) == 1
    assert "周杰" in panel.expected_visitors[0] and "送家具" in panel.expected_visitors[0]
    # a day later the case is past its reply deadline
    later = phone_line.caller_panel("13800138000", [wang], T0 + timedelta(days=2))
    assert "已超时" in later.open_cases[0]
    # an unknown number: nothing, and no error
    assert phone_line.caller_panel("13700000000", [], clock.now()).is_empty()
    assert phone_line.caller_panel("", [], clock.now()).is_empty()


# ---- the three-ring figure by hour of day and by operator ---------------------------------------
def test_breakdown_by_hour_and_operator_against_a_hand_computed_day(receptionist, admin, clock):
    """09:00 answered by the receptionist after 5 s; 09:30 by the admin after 20 s; 09:50 missed
    (hung up after 30 s); 14:10 receptionist after 12 s; 14:20 answered on the PBX after 8 s
    (nobody pressed F2: 「（未记录）」). Within 15 s:

    by hour  09: 3 rings, 2 answered, 1 within, 33 %, (5+20)/2 = 12.5 s, 1 missed
             14: 2 rings, 2 answered, 2 within, 100 %, (12+8)/2 = 10.0 s, 0 missed
    by who   receptionist: 2, 2, 2, 100 %, 8.5 s; admin: 1, 1, 0, 0 %, 20.0 s;
             未接: 1, 0, 0, 0 %, —, 1; （未记录）: 1, 1, 1, 100 %, 8.0 s"""
    plan = [
        ("a1", 0, 5, receptionist),
        ("a2", 30, 20, admin),
        ("a3", 50, None, None),
        ("a4", 5 * 60 + 10, 12, receptionist),
        ("a5", 5 * 60 + 20, 8, "pbx"),
    ]
    for call_id, minutes, wait, who in plan:
        clock.set(T0 + timedelta(minutes=minutes))
        update = phone_line.record(_ev(RING, call_id), receptionist)
        assert update is not None and update.popped
        clock.advance(seconds=wait if wait is not None else 30)
        if who == "pbx":
            phone_line.record(_ev(ANSWER, call_id), receptionist)
        elif who is not None:
            phone_line.answer(who, update.ring.id)
        phone_line.record(_ev(HANGUP, call_id), receptionist)

    hours, operators = phone_line.breakdown_tables(T0 - timedelta(hours=1), T0 + timedelta(days=1))
    assert hours.rows == [
        ["09:00–10:00", 3, 2, 1, "33%", "12.5", 1],
        ["14:00–15:00", 2, 2, 2, "100%", "10.0", 0],
    ]
    assert dict((r[0], r[1:]) for r in operators.rows) == {
        receptionist.operator.display_name: [2, 2, 2, "100%", "8.5", 0],
        admin.operator.display_name: [1, 1, 0, "0%", "20.0", 0],
        "未接": [1, 0, 0, "0%", "—", 1],
        "（未记录）": [1, 1, 1, "100%", "8.0", 0],
    }
    assert hours.header[3] == "15 秒内接听" and operators.header[0] == "接听人"


# ---- several desks ----------------------------------------------------------------------------------
@pytest.fixture
def desks():
    yield
    desk.set_name("")


def test_each_desk_records_the_rings_of_its_own_lines_and_figures_sum(desks, receptionist, clock):
    clock.set(T0)
    lobby, gate = lines_of("8001"), lines_of("8002，8003")
    assert gate == ("8002", "8003")
    # the PBX reports every call to every desk (an AMI account sees them all)
    for name, lines in (("大堂", lobby), ("东门", gate)):
        desk.set_name(name)
        popped = phone_line.record(_ev(RING, "c1", line="8002", source="ami"), receptionist, lines)
        assert (popped is not None) == (name == "东门")
    assert Ring.select().count() == 1 and Ring.get().desk == "东门"
    desk.set_name("大堂")
    assert phone_line.record(_ev(RING, "c2", line="8001", source="ami"), receptionist, lobby) is not None
    clock.advance(seconds=4)
    # the lobby desk sees the gate's answer and hang-up too, and leaves them to the gate's desk
    assert phone_line.record(_ev(ANSWER, "c1", source="ami"), receptionist, lobby) is None
    assert phone_line.record(_ev(HANGUP, "c1", source="ami"), receptionist, lobby) is None
    assert Ring.get(Ring.external_id == "c1").answered_at is None
    phone_line.record(_ev(ANSWER, "c2", source="ami"), receptionist, lobby)
    desk.set_name("东门")
    clock.advance(seconds=16)
    phone_line.record(_ev(ANSWER, "c1", source="ami"), receptionist, gate)
    # a desk with no line set takes every ring (one desk on the line)
    desk.set_name("")
    assert phone_line.record(_ev(RING, "c3", line="9999", source="ami"), receptionist, ()) is not None

    everything = phone_line.answer_stats(T0, T0 + timedelta(hours=1))
    assert (everything.rings, everything.answered, everything.within) == (3, 2, 1)
    lobby_only = phone_line.answer_stats(T0, T0 + timedelta(hours=1), desk="大堂")
    assert (lobby_only.rings, lobby_only.answered, lobby_only.within) == (1, 1, 1)
    gate_only = phone_line.answer_stats(T0, T0 + timedelta(hours=1), desk="东门")
    assert (gate_only.rings, gate_only.answered, gate_only.within) == (1, 1, 0)
    assert gate_only.average_s == 20.0
