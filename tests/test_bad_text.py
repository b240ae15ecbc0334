"""Bad text everywhere: stored and read back identical, or refused for that field with a
Chinese message — never a crash, never a partial row."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reception import calls, phones, residents
from reception.calls import CallInput, Outcome
from reception.errors import ValidationError
from reception.models import Call, Resident
from reception.textcheck import multi_line, one_line

NASTY = [
    "👨‍👩‍👧‍👦 一家人",
    "𠮷野家",
    "\ud800",
    "a\x00b",
    "\u202egnp.exe",
    "x" * 100_000,
    "第一行\n第二行",
    "'; DROP TABLE call; --",
    '" OR 1=1 --',
    "\t制表\t",
    "\u200b\u200b",
    "   ",
    '=HYPERLINK("x")',
    "\x1b[31m红\x1b[0m",
    "\r\n",
    "é",
    "\U0010ffff",
]
TEXT = st.one_of(st.sampled_from(NASTY), st.text(max_size=60))
HYPO = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.mark.parametrize("value", NASTY)
def test_one_line_either_keeps_or_refuses(value):
    try:
        clean = one_line(value, "姓名", max_len=50)
    except ValueError as exc:
        assert str(exc).startswith("姓名")
        return
    assert "\n" not in clean and "\x00" not in clean and "\u202e" not in clean


@pytest.mark.parametrize("value", NASTY)
def test_multi_line_either_keeps_or_refuses(value):
    try:
        clean = multi_line(value, "内容")
    except ValueError as exc:
        assert str(exc).startswith("内容")
        return
    assert clean == value.replace("\r\n", "\n").strip()


@HYPO
@given(content=TEXT, name=TEXT, answer=TEXT)
def test_register_call_with_any_text(receptionist, clock, content, name, answer):
    before = Call.select().count()
    data = CallInput(
        started_at=clock.now() - timedelta(seconds=5),
        category="咨询",
        content=content,
        caller_name=name,
        answer=answer,
        outcome=Outcome.ANSWERED,
    )
    try:
        result = calls.register_call(receptionist, data)
    except ValidationError as exc:
        assert exc.fields and all(isinstance(m, str) and m for m in exc.fields.values())
        assert Call.select().count() == before
        return
    stored = Call.get_by_id(result.call.id)
    assert stored.content == multi_line(content, "x")
    assert stored.answer == multi_line(answer, "x")
    assert stored.caller_name == one_line(name, "x", max_len=50)
    assert Call.select().count() == before + 1


@HYPO
@given(
    name=TEXT,
    note=TEXT,
    phone=st.one_of(st.sampled_from(NASTY), st.text(alphabet="0123456789+- ", max_size=16)),
)
def test_add_resident_with_any_text(admin, name, note, phone):
    before = Resident.select().count()
    try:
        r = residents.add_resident(
            admin, residents.ResidentInput("9", "1", "101", name, phone=phone, note=note)
        )
    except ValidationError as exc:
        assert exc.fields
        assert Resident.select().count() == before
        return
    stored = Resident.get_by_id(r.id)
    assert stored.name == one_line(name, "x", max_len=50)
    assert stored.phone == phones.normalize(phone)
    Resident.delete_by_id(r.id)


@HYPO
@given(raw=st.text(max_size=30))
def test_phone_normalise_never_crashes_and_is_stable(raw):
    try:
        once = phones.normalize(raw)
    except ValueError as exc:
        assert "电话" in str(exc)
        return
    assert phones.normalize(once) == once
    assert once == "" or phones.mask(once)[-4:] == once[-4:]
