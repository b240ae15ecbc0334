"""The drafts service: a form's draft kept for the operator of the session, dated by its clock."""

from __future__ import annotations

from reception.services import drafts
from reception.store import drafts as stored
from reception.store.models import Draft


def test_a_draft_belongs_to_the_session_operator(receptionist, supervisor, clock):
    drafts.save(receptionist, "call", {"content": "楼上漏水"})

    assert drafts.load(receptionist, "call") == {"content": "楼上漏水"}
    assert drafts.load(supervisor, "call") is None  # another operator sees none of it
    assert stored.load(receptionist.operator, "call") == {"content": "楼上漏水"}
    row = Draft.get((Draft.operator == receptionist.operator.id) & (Draft.form == "call"))
    assert row.saved_at == clock.now()

    drafts.clear(receptionist, "call")
    assert drafts.load(receptionist, "call") is None
