"""The change counter the desks poll (reception.store.changes): it moves with every kind of save another
desk makes — a call, a visitor's check-out, a case's step, a letter —, stays put when nothing
was saved, and a database that cannot be read is reported, never a crash."""

from __future__ import annotations

import peewee
import pytest

from reception.errors import StorageError
from reception.services import calls
from reception.services import cases
from reception.services import departments
from reception.services import letters
from reception.services import residents
from reception.services import visits
from reception.services.calls import CallInput
from reception.services.calls import Outcome
from reception.services.visits import GuestInput
from reception.store import changes
from reception.store.attachments import AttachmentStore
from reception.store.models import AuditLog

GOOD_ID = "11010519491231002X"


@pytest.fixture
def host(admin):
    return residents.add_resident(
        admin, residents.ResidentInput("12栋", "3单元", "801", "欧阳娜娜", "业主", "13600001234")
    )


def moved(before: int) -> int:
    after = changes.latest_change()
    assert after > before
    return after


def test_empty_database_has_no_change_yet(database) -> None:
    assert changes.latest_change() == 0


def test_every_kind_of_save_moves_the_counter_and_reading_does_not(receptionist, host, tmp_path) -> None:
    start = changes.latest_change()
    assert start == AuditLog.select(peewee.fn.MAX(AuditLog.id)).scalar()
    # reading lists is not a change
    visits.on_site()
    calls.list_calls(calls.CallFilter())
    assert changes.latest_change() == start

    result = calls.register_call(
        receptionist,
        CallInput(
            started_at=receptionist.now(),
            category="报修",
            content="厨房水管漏水",
            outcome=Outcome.DISPATCHED,
            department_id=departments.list_departments()[0].id,
            taken_by="刘师傅",
            location="12栋801",
        ),
    )
    now = moved(start)

    visit = visits.register_guest(
        receptionist,
        GuestInput(
            visitor_name="王小明",
            visitor_phone="13900005678",
            id_number=GOOD_ID,
            id_verified=True,
            host_resident_id=host.id,
            purpose="探亲访友",
            consent=visits.AGREED,
        ),
    )
    now = moved(now)
    visits.checkout(receptionist, visit.id)  # as if checked out at another gate
    now = moved(now)

    case = result.case
    assert case is not None
    cases.acknowledge(receptionist, case.id, "刘师傅", cases.get_case(case.id).version)
    now = moved(now)

    store = AttachmentStore(tmp_path / "attachments")
    letter = letters.register_letter(
        receptionist,
        letters.LetterInput(
            channel=letters.CHANNELS[0],
            letter_type="咨询",
            sender_name="张三",
            subject="关于电梯噪音",
            summary="夜间电梯噪音大",
        ),
        store,
    )
    now = moved(now)
    letters.route_letter(
        receptionist,
        letter.id,
        departments.list_departments()[0].id,
        "",
        letter.reply_due_at,
        letter.version,
    )
    moved(now)


def test_a_database_that_cannot_be_read_raises_a_storage_error(database, monkeypatch) -> None:
    def broken(*_args, **_kwargs):
        raise peewee.OperationalError("disk I/O error")

    monkeypatch.setattr(AuditLog, "select", broken)
    with pytest.raises(StorageError) as caught:
        changes.latest_change()
    assert "磁盘" in caught.value.message


def test_server_address_is_shown_without_the_password() -> None:
    server = peewee.PostgresqlDatabase(
        "reception", user="desk", password="geheim", host="192.168.1.10", port=5432
    )
    shown = changes.database_address(server)
    assert shown == "postgresql://desk@192.168.1.10:5432/reception"
    assert "geheim" not in shown


def test_the_open_database_is_described(database, database_target) -> None:
    shown = changes.database_address()
    if changes.is_server():
        assert shown.startswith("postgresql://") and str(database_target).endswith(shown.rsplit("/", 1)[1])
    else:
        assert shown == str(database_target)
