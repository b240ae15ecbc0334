"""Drafts survive and belong to their operator."""

from __future__ import annotations

from reception.store import drafts


def test_a_draft_is_kept_per_operator_and_form(receptionist, supervisor, clock):
    me = receptionist.operator
    drafts.save(me, "call", {"content": "楼上漏水", "caller": "张三", "emoji": "👨‍👩‍👧"}, clock.now())
    drafts.save(me, "call", {"content": "楼上漏水，很严重"}, clock.now())
    assert drafts.load(me, "call") == {"content": "楼上漏水，很严重"}
    assert drafts.load(supervisor.operator, "call") is None
    assert drafts.load(me, "visit") is None
    drafts.clear(me, "call")
    assert drafts.load(me, "call") is None


def test_lone_surrogates_do_not_break_the_save(receptionist, clock):
    drafts.save(receptionist.operator, "call", {"content": "半个\ud800字"}, clock.now())
    assert drafts.load(receptionist.operator, "call")["content"].startswith("半个")
