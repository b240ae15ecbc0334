"""Badges of real visits: print, reprint (补打, audited), refusal, and the command line."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from reception import cli
from reception.documents.visit_badge import render_for_visit
from reception.errors import ReceptionError
from reception.services import residents
from reception.services import visits
from reception.services.visits import GuestInput
from reception.store.models import AuditLog
from reception.store.models import Visit
from tests.conftest import cli_location


@pytest.fixture
def host(admin):
    return residents.add_resident(
        admin, residents.ResidentInput("12栋", "3单元", "801", "欧阳娜娜", "业主", "13600001234")
    )


def admit(session, host, **kw) -> Visit:
    values = dict(
        visitor_name="王小明",
        visitor_phone="13900005678",
        id_number="11010519491231002X",
        id_verified=True,
        host_resident_id=host.id,
        purpose="探亲访友",
        consent=visits.AGREED,
    )
    values.update(kw)
    return visits.register_guest(session, GuestInput(**values))


def text_of(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_first_print_then_reprints_are_marked_and_audited(receptionist, host):
    visit = admit(receptionist, host)
    first = text_of(render_for_visit(receptionist, visit.id))
    assert "王小明" in first and visit.serial in first and "12栋3单元" in first
    assert "欧阳娜娜" not in first and "13900005678" not in first and "1101" not in first
    assert "补打" not in first
    assert "补打" in text_of(render_for_visit(receptionist, visit.id, size="cr80"))
    actions = [a.action for a in AuditLog.select().where(AuditLog.entity == "visit")]
    assert actions[-2:] == ["visit.badge_print", "visit.badge_reprint"]
    assert Visit.get_by_id(visit.id).badge_prints == 2


def test_no_badge_for_a_visitor_not_admitted(receptionist, host):
    visit = admit(receptionist, host, consent=visits.REFUSED)
    with pytest.raises(ReceptionError, match="未放行"):
        render_for_visit(receptionist, visit.id)
    assert Visit.get_by_id(visit.id).badge_prints == 0


def test_command_line_badge(receptionist, host, tmp_path, capsys):
    visit = admit(receptionist, host)
    where = cli_location()
    out = tmp_path / "out" / "badge.pdf"
    out.parent.mkdir()  # a folder that does not exist is refused, not created (tests/test_cli_bad_input.py)
    assert (
        cli.main(["badge", "--user", "admin", visit.serial, "--out", str(out), "--size", "a6", *where]) == 0
    )
    assert "已输出访客证" in capsys.readouterr().out
    reader = PdfReader(out)
    assert visit.serial in reader.pages[0].extract_text()
    assert round(float(reader.pages[0].mediabox.width) / 72 * 25.4) == 105
    assert cli.main(["badge", "--user", "admin", "LF20990101-001", "--out", str(out), *where]) == 1
    assert "找不到来访记录" in capsys.readouterr().err
