"""Purge reaches every copy: after the retention purge no purged value is in any file under the
data folder (database, -wal, backups of every kind, archive, drafts); free text never holds an
ID number or a mobile number in clear."""

from __future__ import annotations

from datetime import timedelta

import pytest

from reception.rules.freetext import mask_personal
from reception.services import calls
from reception.services import maintenance
from reception.services import residents
from reception.services import visits
from reception.services.calls import CallInput
from reception.services.calls import Outcome
from reception.store import backup
from reception.store import db
from reception.store import drafts
from reception.store.models import Call
from reception.store.models import Draft
from reception.store.paths import DataDir

VISITOR_PHONE = "13912345678"
ID_NUMBER = "11010519491231002X"
CALLER_PHONE = "13700007777"
TEXT_PHONE = "15811112222"
TEXT_ID = "310101198001011234"


def _every_file(root):
    return [p for p in root.rglob("*") if p.is_file()]


def _grep(root, values: list[str]) -> list[str]:
    found = []
    for path in _every_file(root):
        raw = path.read_bytes()
        for value in values:
            for form in (value.encode(), value.encode("utf-16-le")):
                if form in raw:
                    found.append(f"{path.relative_to(root)}: {value}")
    return found


@pytest.mark.sqlite_only
def test_after_the_purge_no_purged_value_is_in_any_file_of_the_data_folder(
    receptionist, admin, clock, tmp_path
):
    data = DataDir(tmp_path)
    host = residents.add_resident(admin, residents.ResidentInput("12", "3", "801", "欧阳娜娜", "业主"))
    visits.register_guest(
        receptionist,
        visits.GuestInput(
            visitor_name="王小明",
            visitor_phone=VISITOR_PHONE,
            id_number=ID_NUMBER,
            id_verified=True,
            host_resident_id=host.id,
            purpose="探亲访友",
            consent=visits.AGREED,
        ),
    )
    call = calls.register_call(
        receptionist,
        CallInput(
            started_at=clock.now(),
            category="咨询",
            content=f"来电人说身份证{TEXT_ID}，手机 {TEXT_PHONE[:3]}.{TEXT_PHONE[3:7]}.{TEXT_PHONE[7:]}",
            answer="答",
            outcome=Outcome.ANSWERED,
            caller_phone=CALLER_PHONE,
        ),
    ).call
    # Free text is masked when saved: the clear values never reach the file.
    content = Call.get_by_id(call.id).content
    assert TEXT_ID not in content and TEXT_ID[-4:] in content
    assert "158****2222" in content
    drafts.save(receptionist.operator, "call", {"caller_phone": CALLER_PHONE}, clock.now())
    # Every kind of backup made while the values were current.
    maintenance.backup_now(admin, data, clock.now())
    backup.make_backup(db.current(), data.backups, backup.BEFORE_RESTORE, clock.now() + timedelta(hours=1))
    clock.advance(days=30)
    maintenance.run_daily_jobs(data, clock.now())  # a daily backup, still within the period
    made = {b.path.name for b in backup.list_backups(data.backups)}
    assert len(made) == 3
    assert _grep(tmp_path, [VISITOR_PHONE, CALLER_PHONE])  # the test would see them

    clock.advance(days=61)  # past the 90-day retention period
    result = maintenance.run_daily_jobs(data, clock.now())
    assert result.purge is not None and result.purge.visits == 1 and result.purge.calls == 1
    assert not Draft.select().exists()
    db.current().execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    leftover = _grep(
        tmp_path, [VISITOR_PHONE, CALLER_PHONE, ID_NUMBER, ID_NUMBER[:6] + "*", TEXT_ID, TEXT_PHONE]
    )
    assert leftover == [], leftover
    kept = backup.list_backups(data.backups)
    # The backups older than the period are gone; the one kept was purged and still opens.
    assert all(
        b.created >= (clock.now() - timedelta(days=90)).replace(tzinfo=None) - timedelta(hours=8)
        for b in kept
    )
    assert kept and all(backup.check_file(b.path) == "ok" for b in kept)


@pytest.mark.sqlite_only
def test_no_backup_outlives_the_retention_period(admin, clock, tmp_path):
    from reception.services import settings as settings_mod

    data = DataDir(tmp_path)
    with db.write():
        settings_mod.put("retention_days", 3)  # 14 backup generations asked for, 3 days allowed
    maintenance.backup_now(admin, data, clock.now())  # a manual backup: it expires too
    for _ in range(6):
        maintenance.run_daily_jobs(data, clock.now())
        clock.advance(days=1)
    kept = backup.list_backups(data.backups)
    assert [b.label for b in kept] == [backup.DAILY] * 3


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("张 139.1111.2205 找", "张 139****2205 找"),
        ("电话139/1111/2205", "电话139****2205"),
        ("+86 139 1111 2205", "139****2205"),
        ("0086-13911112205", "139****2205"),
        ("１３９１１１１２２０５", "139****2205"),
        ("证件110101199003071234号", "证件**************1234号"),
        ("11010119900307123x", "**************123X"),
        ("2026.11.26 下午 3 点", "2026.11.26 下午 3 点"),
        ("单号 20261126000012345", "单号 20261126000012345"),
        ("座机 021-50001234", "座机 021-50001234"),
    ],
)
def test_free_text_masks_id_numbers_and_mobiles(typed, stored):
    assert mask_personal(typed)[0] == stored


def test_the_services_report_which_free_text_fields_they_masked(receptionist, clock):
    """The forms' note rests on this: the save names each field whose numbers were masked,
    and none when the text had no number (a number field keeps its number)."""
    result = calls.register_call(
        receptionist,
        CallInput(
            started_at=clock.now(),
            category="咨询",
            content="住户身份证 11010519491231002X",
            answer="回电 +86 139 1111 2205",
            outcome=Outcome.ANSWERED,
            caller_phone="13911112205",
        ),
    )
    assert result.masked == {"content": "来电内容", "answer": "答复内容"}
    assert result.call.caller_phone == "13911112205"
    plain = calls.register_call(
        receptionist,
        CallInput(
            started_at=clock.now(),
            category="咨询",
            content="问停车费",
            answer="300 元",
            outcome=Outcome.ANSWERED,
        ),
    )
    assert plain.masked == {}
    visit = visits.register_business_visit(
        receptionist,
        visits.BusinessVisitInput(purpose="二次装修", visitor_name="张三", handled="联系 13911112205"),
    )
    assert visits.masked_fields(visit) == {"handled": "办理情况"}
    assert visits.masked_fields(visits.get_visit(visit.id)) == {}  # only the save reports it


def test_a_logout_deletes_the_operators_drafts_unless_kept_for_the_idle_lock(receptionist, supervisor, clock):
    from reception.services import auth

    drafts.save(receptionist.operator, "call", {"phone": "13911112205"}, clock.now())
    drafts.save(supervisor.operator, "call", {"content": "主管的"}, clock.now())
    assert auth.logout(receptionist, keep_drafts=True) == 0  # another operator at the idle lock
    assert drafts.load(receptionist.operator, "call") == {"phone": "13911112205"}
    assert auth.logout(receptionist) == 1  # 退出 / 切换操作员: their own, and only theirs
    assert drafts.load(receptionist.operator, "call") is None
    assert drafts.load(supervisor.operator, "call") == {"content": "主管的"}
