"""Privacy: full numbers only for those who need them, audited; the notice for the desk."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader

from reception import cli
from reception.documents.privacy_notice import render_privacy_notice
from reception.errors import PermissionDenied
from reception.errors import ValidationError
from reception.services import calls
from reception.services import privacy
from reception.services import residents
from reception.services import settings
from reception.services.calls import CallInput
from reception.services.calls import Outcome
from reception.store.models import AuditLog
from tests.conftest import cli_location


@pytest.fixture
def callback(receptionist, clock):
    return calls.register_call(
        receptionist,
        CallInput(
            started_at=clock.now(),
            category="咨询",
            content="停车位",
            outcome=Outcome.CALLBACK,
            caller_phone="13912345678",
            callback_due_at=clock.now() + timedelta(hours=1),
        ),
    ).callback


def test_a_receptionist_gets_the_number_to_call_back_and_it_is_logged(receptionist, callback):
    assert privacy.number_to_call(receptionist, "callback", callback.id) == "13912345678"
    entry = AuditLog.select().where(AuditLog.action == "phone.reveal").get()
    assert entry.operator_id == receptionist.operator.id and "回电" in entry.detail
    assert "13912345678" not in entry.detail


def test_other_numbers_need_a_supervisor_and_a_reason(receptionist, supervisor, callback, admin):
    zhang = residents.add_resident(
        admin, residents.ResidentInput("3", "2", "1201", "张三", "业主", "13800138000")
    )
    with pytest.raises(PermissionDenied):
        privacy.reveal_phone(receptionist, "resident", zhang.id, "想知道")
    with pytest.raises(ValidationError):
        privacy.reveal_phone(supervisor, "resident", zhang.id, "")
    assert privacy.reveal_phone(supervisor, "resident", zhang.id, "业户投诉核实") == "13800138000"
    with pytest.raises(ValidationError, match="主管"):
        privacy.number_to_call(receptionist, "call", 1)
    denied = AuditLog.select().where(AuditLog.action == "permission.denied").count()
    assert denied == 1


def test_the_privacy_notice_is_filled_from_the_settings(admin, tmp_path, capsys):
    settings.update(
        admin, property_name="阳光花园物业", desk_phone="021-50001234", greeting=settings.DEFAULT_GREETING
    )
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(render_privacy_notice())).pages)
    compact = text.replace(" ", "").replace("\n", "")
    assert "个人信息收集与使用告知" in compact and "阳光花园物业" in compact
    assert "保存90天" in compact and "021-50001234" in compact
    where = cli_location()
    out = tmp_path / "notice.pdf"
    assert cli.main(["privacy-notice", "--out", str(out), *where]) == 0
    assert out.read_bytes().startswith(b"%PDF")


def test_reveals_are_limited_per_operator_each_audited(admin, receptionist, clock):
    from reception.store.models import AuditLog

    assert privacy.REVEALS_PER_HOUR == 20  # the figure promised in docs/reliability.md (row 81)
    homes = [
        residents.add_resident(
            admin, residents.ResidentInput("1", "1", str(101 + i), f"住户{i}", "业主", f"1380013{i:04d}")
        )
        for i in range(privacy.REVEALS_PER_HOUR + 1)
    ]
    seen = [privacy.number_to_call(receptionist, "resident", r.id) for r in homes[: privacy.REVEALS_PER_HOUR]]
    assert len(set(seen)) == privacy.REVEALS_PER_HOUR
    with pytest.raises(PermissionDenied, match=r"已达上限.*请由主管查看"):
        privacy.number_to_call(receptionist, "resident", homes[-1].id)
    reveals = AuditLog.select().where(AuditLog.action == "phone.reveal").count()
    assert reveals == privacy.REVEALS_PER_HOUR
    assert AuditLog.select().where(AuditLog.action == "phone.reveal_refused").count() == 1
    # An hour later the operator may look again; the administrator was never limited.
    clock.advance(hours=1, minutes=1)
    assert privacy.number_to_call(receptionist, "resident", homes[-1].id) == homes[-1].phone
    assert privacy.reveal_phone(admin, "resident", homes[0].id, "核对") == homes[0].phone
