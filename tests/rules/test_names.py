"""Person names refuse emoji and pictographs with a field message, accept every CJK ideograph
(Extension B and beyond) and the middle dot; free-text fields keep accepting emoji."""

from __future__ import annotations

from datetime import timedelta

import pytest

from reception.errors import ValidationError
from reception.rules.textcheck import person_name
from reception.rules.textcheck import pictograph
from reception.services import calls
from reception.services import letters
from reception.services import residents
from reception.services import visits
from reception.services.calls import CallInput
from reception.services.calls import Outcome
from reception.store.attachments import AttachmentStore
from reception.store.models import Call
from reception.store.models import Letter
from reception.store.models import Resident
from reception.store.models import Visit

RARE = [
    "𠮷田",
    "䶮",
    "𪚥",
    "王𰻞𰻞",
    "买买提·艾力",
    "山田・太郎",
    "张々",
    "José Müller",
    "O'Brien-Smith",
    "陈𫖯",
]
EMOJI = ["张三😀", "👨‍👩‍👧", "李★", "赵❤️", "🇨🇳王", "1️⃣号", "王🫨", "刘☎", "张©"]


@pytest.mark.parametrize("name", RARE)
def test_names_with_rare_ideographs_and_middle_dots_are_kept(name):
    assert person_name(name, "姓名") == name
    assert pictograph(name) is None


@pytest.mark.parametrize("name", EMOJI)
def test_names_with_emoji_are_refused_with_a_field_message(name):
    with pytest.raises(ValueError, match=r"^姓名不能含有表情或图形符号"):
        person_name(name, "姓名")


def _call(clock, **kw) -> CallInput:
    values = dict(
        started_at=clock.now() - timedelta(seconds=30),
        category="咨询",
        content="问停车费 🚗",
        answer="已答复 👍",
        outcome=Outcome.ANSWERED,
    )
    values.update(kw)
    return CallInput(**values)


def test_caller_name(receptionist, clock):
    with pytest.raises(ValidationError) as err:
        calls.register_call(receptionist, _call(clock, caller_name="张先生😊"))
    assert set(err.value.fields) == {"caller_name"} and "表情" in err.value.fields["caller_name"]
    assert Call.select().count() == 0
    saved = calls.register_call(receptionist, _call(clock, caller_name="𠮷田·䶮"))
    stored = Call.get_by_id(saved.call.id)
    assert stored.caller_name == "𠮷田·䶮"
    assert stored.content == "问停车费 🚗" and stored.answer == "已答复 👍"  # free text keeps emoji


def test_resident_name(admin):
    with pytest.raises(ValidationError) as err:
        residents.add_resident(admin, residents.ResidentInput("1", "1", "101", "王🌸", note="爱养花🌸"))
    assert set(err.value.fields) == {"name"} and "🌸" in err.value.fields["name"]
    r = residents.add_resident(admin, residents.ResidentInput("1", "1", "101", "𪚥𪚥", note="爱养花🌸"))
    assert (Resident.get_by_id(r.id).name, Resident.get_by_id(r.id).note) == ("𪚥𪚥", "爱养花🌸")


def test_visitor_name(receptionist, admin):
    host = residents.add_resident(admin, residents.ResidentInput("9", "1", "901", "主人"))
    data = visits.GuestInput(
        visitor_name="小王🐶",
        id_number="11010519491231002X",
        id_verified=True,
        host_resident_id=host.id,
        purpose="探亲访友 🎁",
        consent=visits.AGREED,
    )
    with pytest.raises(ValidationError) as err:
        visits.register_guest(receptionist, data)
    assert set(err.value.fields) == {"visitor_name"} and "表情" in err.value.fields["visitor_name"]
    data.visitor_name = "买买提·艾力"
    visit = visits.register_guest(receptionist, data)
    assert Visit.get_by_id(visit.id).visitor_name == "买买提·艾力"


def test_letter_sender(receptionist, tmp_path):
    store = AttachmentStore(tmp_path / "att")
    data = letters.LetterInput(channel="邮寄", letter_type="咨询", sender_name="业主⭐", subject="问询")
    with pytest.raises(ValidationError) as err:
        letters.register_letter(receptionist, data, store)
    assert set(err.value.fields) == {"sender_name"}
    assert Letter.select().count() == 0
    data.sender_name = "䶮先生"
    letter = letters.register_letter(receptionist, data, store)
    assert Letter.get_by_id(letter.id).sender_name == "䶮先生"
