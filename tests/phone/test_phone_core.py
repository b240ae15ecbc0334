"""The desk phone, core: numbers, the caller-ID parser, recording rings, missed calls, the
three-ring figures against a hand-computed day, the purge, and the bounded queue."""

from __future__ import annotations

import threading
from datetime import datetime
from datetime import timedelta

import pytest

from reception.phone.caller_id import CallerIdParser
from reception.phone.events import ANSWER
from reception.phone.events import HANGUP
from reception.phone.events import RING
from reception.phone.events import EventHub
from reception.phone.events import PhoneEvent
from reception.phone.events import parse_number
from reception.phone.events import shown
from reception.services import handover
from reception.services import phone_line
from reception.services import residents as residents_mod
from reception.store.models import AuditLog
from reception.store.models import Callback
from reception.store.models import Ring

T0 = datetime(2026, 11, 26, 1, 0, 0)  # 09:00 in Shanghai


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13800138000", ("13800138000", "")),
        ("+86 138 0013 8000", ("13800138000", "")),
        ("008613800138000", ("13800138000", "")),
        ("02150001234", ("021-50001234", "")),
        ("021-50001234,8001", ("021-50001234", "")),
        ("021-50001234转8001", ("021-50001234", "")),
        ("P", ("", "private")),
        ("O", ("", "unavailable")),
        ("", ("", "unavailable")),
        ("8001", ("8001", "other")),
    ],
)
def test_numbers_as_lines_report_them(raw, expected):
    assert parse_number(raw) == expected


def test_shown_is_masked():
    assert shown("13800138000", "") == "138****8000"
    assert shown("", "private") == "隐藏号码"
    assert "8000" not in shown("13800138000", "")[3:7]


def _feed(parser, text, at):
    return parser.feed(text.encode("ascii"), at)


def test_caller_id_parser_ring_number_and_stop():
    p = CallerIdParser(line="总机")
    events = _feed(p, "RING\r\n\r\nDATE = 1126\r\nTIME = 0900\r\nNMBR = 13800138000\r\n", T0)
    assert [(e.kind, e.number, e.line) for e in events] == [(RING, "13800138000", "总机")]
    assert _feed(p, "RING\r\n", T0 + timedelta(seconds=5)) == []
    assert p.tick(T0 + timedelta(seconds=9)) == []
    stopped = p.tick(T0 + timedelta(seconds=14))
    assert [e.kind for e in stopped] == ["ring_stopped"]
    assert stopped[0].external_id == events[0].external_id


def test_caller_id_parser_garbage_half_lines_and_private():
    p = CallerIdParser()
    assert p.feed(b"\x00\xff\xfegarbage\r\nOK\r\nNMB", T0) == []
    # a line split across two reads is put back together; noise without a line end is dropped
    events = p.feed(b"R = P\r\n" + b"x" * 500, T0)
    assert [(e.kind, parse_number(e.number)) for e in events] == [(RING, ("", "private"))]
    assert p.feed(b"\r\nNMBR = 13800138000\r\n", T0) == []  # same ringing: reported once


def test_caller_id_parser_number_before_first_ring_and_no_number():
    p = CallerIdParser()
    first = p.feed(b"NMBR = 13800138000\r\n", T0)
    assert [e.kind for e in first] == [RING]
    p2 = CallerIdParser()
    assert p2.feed(b"RING\r\n", T0) == []
    assert p2.feed(b"RING\r\n", T0 + timedelta(seconds=5)) == []
    third = p2.feed(b"RING\r\n", T0 + timedelta(seconds=10))
    assert [(e.kind, e.number) for e in third] == [(RING, "")]


def _ev(kind, cid, number="13800138000", source="webhook", at=None):
    return PhoneEvent(kind, source, cid, number=number, line="8001", at=at)


def test_ring_answer_hangup_recorded_once(receptionist, clock):
    up = phone_line.record(_ev(RING, "c1"), receptionist)
    assert up is not None and up.popped and up.caller == "138****8000"
    assert phone_line.record(_ev(RING, "c1"), receptionist) is None  # replayed: not twice
    clock.advance(seconds=7)
    assert phone_line.record(_ev(ANSWER, "c1"), receptionist).kind == ANSWER
    clock.advance(seconds=60)
    assert phone_line.record(_ev(HANGUP, "c1"), receptionist).missed is False
    ring = Ring.get()
    assert (ring.answered_at - ring.rang_at).total_seconds() == 7
    assert Ring.select().count() == 1 and Callback.select().count() == 0
    entry = AuditLog.select().where(AuditLog.action == "phone.ring").get()
    assert "13800138000" not in entry.detail and "138****8000" in entry.detail


def test_missed_ring_becomes_callback(receptionist, clock):
    residents_mod.add_resident(
        receptionist,
        residents_mod.ResidentInput(building="3", unit="2", room="1201", name="王芳", phone="13800138000"),
    )
    phone_line.record(_ev(RING, "m1"), receptionist)
    clock.advance(seconds=22)
    up = phone_line.record(_ev(HANGUP, "m1"), receptionist)
    assert up is not None and up.missed
    cb = Callback.get()
    assert cb.phone == "13800138000" and cb.name == "王芳"
    assert "响铃约 5 声" in cb.reason and "22 秒" in cb.reason
    # an unanswered ring past the limit (30 s) becomes a callback by itself, once
    phone_line.record(_ev(RING, "m2", number="P"), receptionist)
    clock.advance(seconds=31)
    assert len(phone_line.sweep_unanswered(receptionist)) == 1
    assert phone_line.sweep_unanswered(receptionist) == []
    private = Callback.select().order_by(Callback.id.desc()).get()
    assert "隐藏号码" in private.reason and private.phone == ""


def test_desk_answer_stamps_and_links_call(receptionist, clock):
    up = phone_line.record(_ev(RING, "d1", source="serial"), receptionist)
    clock.advance(seconds=4)
    ring = phone_line.answer(receptionist, up.ring.id)
    assert ring.answered_at == clock.now() and ring.answered_by_id == receptionist.operator.id
    # the ring stopping after the answer changes nothing
    assert phone_line.record(_ev("ring_stopped", "d1", source="serial"), receptionist) is None


def test_three_ring_figures_against_a_hand_computed_day(receptionist, clock):
    """Six rings: answered after 3, 10, 15, 16 and 40 s, one missed.
    Within 15 s: 3 (3, 10, 15) of 6 = 50 %; average (3+10+15+16+40)/5 = 16.8 s; missed 1."""
    waits = [3, 10, 15, 16, 40, None]
    for i, wait in enumerate(waits):
        clock.set(T0 + timedelta(hours=i))
        phone_line.record(_ev(RING, f"h{i}"), receptionist)
        clock.advance(seconds=wait if wait is not None else 20)
        if wait is not None:
            phone_line.record(_ev(ANSWER, f"h{i}"), receptionist)
        phone_line.record(_ev(HANGUP, f"h{i}"), receptionist)
    s = phone_line.answer_stats(T0, T0 + timedelta(days=1))
    assert (s.rings, s.answered, s.within, s.missed) == (6, 5, 3, 1)
    assert s.rate == 0.5 and s.average_s == pytest.approx(16.8)
    assert s.line() == "三声之内接听 50%（15 秒内 3/6），平均 16.8 秒，未接 1"
    hours = phone_line.by_hour(T0, T0 + timedelta(days=1))
    assert list(hours) == [9, 10, 11, 12, 13, 14] and hours[14].missed == 1
    data = handover.for_day(T0.date(), T0 + timedelta(days=1))
    table = data.section("电话接听")
    assert table.rows == [[6, 5, 3, "50%", "16.8", 1]]


def test_purge_blanks_old_numbers(receptionist, clock):
    phone_line.record(_ev(RING, "p1"), receptionist)
    clock.advance(days=100)
    phone_line.record(_ev(RING, "p2"), receptionist)
    assert phone_line.purge_rings(clock.now() - timedelta(days=90)) == 1
    assert [r.number for r in Ring.select().order_by(Ring.id)] == ["", "13800138000"]


def test_hub_is_bounded_and_a_flood_records_each_call_once(receptionist):
    hub = EventHub(capacity=500)

    def flood():
        for i in range(1000):
            hub.put(_ev(RING, f"f{i % 100}"))

    threads = [threading.Thread(target=flood) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert len(hub) == 500 and hub.dropped == 1500
    while batch := hub.drain(50):
        for event in batch:
            phone_line.record(event, receptionist)
    assert Ring.select().count() == 100
