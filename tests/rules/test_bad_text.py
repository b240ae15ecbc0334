"""Bad text everywhere: stored and read back identical, or refused for that field with a
Chinese message — never a crash, never a partial row."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from reception.errors import ValidationError
from reception.rules import phones
from reception.rules.textcheck import multi_line
from reception.rules.textcheck import one_line
from reception.rules.textcheck import person_name
from reception.services import calls
from reception.services import residents
from reception.services.calls import CallInput
from reception.services.calls import Outcome
from reception.store.models import Call
from reception.store.models import Resident

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
    assert stored.caller_name == person_name(name, "x", max_len=50)
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
    assert stored.name == person_name(name, "x", max_len=50)
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


@HYPO
@given(name=TEXT, purpose=TEXT, escort=TEXT)
def test_register_guest_with_any_text(receptionist, admin, name, purpose, escort):
    from reception.services import visits
    from reception.store.models import Visit

    host = residents.lookup("9-1-901") or [
        residents.add_resident(admin, residents.ResidentInput("9", "1", "901", "主人"))
    ]
    before = Visit.select().count()
    try:
        visit = visits.register_guest(
            receptionist,
            visits.GuestInput(
                visitor_name=name,
                id_number="11010519491231002X",
                id_verified=True,
                host_resident_id=host[0].id,
                purpose=purpose,
                escort=escort,
                consent=visits.AGREED,
            ),
        )
    except ValidationError as exc:
        assert exc.fields
        assert Visit.select().count() == before
        return
    stored = Visit.get_by_id(visit.id)
    assert (stored.visitor_name, stored.purpose, stored.escort) == (
        person_name(name, "x", max_len=50),
        one_line(purpose, "x", max_len=100),
        one_line(escort, "x", max_len=50),
    )


@HYPO
@given(sender=TEXT, subject=TEXT, summary=TEXT)
def test_register_letter_with_any_text(receptionist, tmp_path, sender, subject, summary):
    from reception.services import letters
    from reception.store.attachments import AttachmentStore
    from reception.store.models import Letter

    before = Letter.select().count()
    try:
        letter = letters.register_letter(
            receptionist,
            letters.LetterInput(
                channel="邮寄", letter_type="咨询", sender_name=sender, subject=subject, summary=summary
            ),
            AttachmentStore(tmp_path / "att"),
        )
    except ValidationError as exc:
        assert exc.fields
        assert Letter.select().count() == before
        return
    stored = Letter.get_by_id(letter.id)
    assert stored.summary == multi_line(summary, "x")
    assert stored.subject == one_line(subject, "x", max_len=200)


@HYPO
@given(description=TEXT, location=TEXT)
def test_open_case_with_any_text(receptionist, description, location):
    from reception.services import cases
    from reception.store.models import Case

    before = Case.select().count()
    try:
        case = cases.open_direct_case(
            receptionist, cases.CaseInput(category="报修", description=description, location=location)
        )
    except ValidationError as exc:
        assert exc.fields
        assert Case.select().count() == before
        return
    stored = Case.get_by_id(case.id)
    assert (stored.description, stored.location) == (
        multi_line(description, "x"),
        one_line(location, "x", max_len=100),
    )


@HYPO
@given(for_person=TEXT, text=TEXT)
def test_add_message_with_any_text(receptionist, for_person, text):
    from reception.services import messages
    from reception.store.models import Message

    before = Message.select().count()
    try:
        msg = messages.add_message(receptionist, messages.MessageInput(for_person=for_person, text=text))
    except ValidationError as exc:
        assert exc.fields
        assert Message.select().count() == before
        return
    assert Message.get_by_id(msg.id).text == multi_line(text, "x")
