"""The letters register: registration with attachments, routing, reply, archive, overdue, export."""

from __future__ import annotations

from datetime import date
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from reception.errors import ConflictError
from reception.errors import ValidationError
from reception.services import letters
from reception.services.letters import LetterFilter
from reception.services.letters import LetterInput
from reception.store import attachments
from reception.store.attachments import AttachmentStore
from reception.store.models import Case
from reception.store.models import Department
from reception.store.models import Letter


@pytest.fixture
def store(tmp_path) -> AttachmentStore:
    return AttachmentStore(tmp_path / "attachments")


@pytest.fixture
def scan(tmp_path) -> Path:
    path = tmp_path / "扫描件 来函.pdf"
    path.write_bytes(b"%PDF-1.4 fake scan " * 100)
    return path


def dept(name: str) -> Department:
    return Department.get(Department.name == name)


def a_letter(**kw) -> LetterInput:
    values = dict(
        channel="邮寄",
        letter_type="咨询",
        sender_name="业委会",
        organisation="阳光花园业主委员会",
        subject="关于公共收益公示的询问",
        summary="请物业公示 2026 年三季度公共收益明细。",
        pages=2,
    )
    values.update(kw)
    return LetterInput(**values)


def test_register_with_attachment_then_route_reply_archive(receptionist, clock, store, scan):
    letter = letters.register_letter(receptionist, a_letter(files=[scan]), store)
    assert (letter.serial, letter.receipt_no, letter.status) == (
        "LH20261126-001",
        "2026-0001",
        letters.PENDING,
    )
    assert letter.reply_due_at == letter.received_at + timedelta(days=7)
    [att] = attachments.list_for("letter", letter.id)
    assert att.original_name == "扫描件 来函.pdf" and store.path_of(att).read_bytes() == scan.read_bytes()
    routed = letters.route_letter(receptionist, letter.id, dept("财务部").id, "张会计", None, letter.version)
    assert routed.status == letters.IN_PROGRESS and routed.department.name == "财务部"
    clock.advance(days=2)
    replied = letters.record_reply(
        receptionist,
        letter.id,
        replied_at=None,
        channel="书面回函",
        summary="已在公告栏公示并书面回复业委会",
        replied_by="张会计",
        files=[scan],
        store=store,
        expected_version=routed.version,
    )
    assert replied.status == letters.REPLIED and replied.replied_at == clock.now()
    assert [a.role for a in attachments.list_for("letter", letter.id)] == ["original", "reply"]
    archived = letters.archive_letter(receptionist, letter.id, replied.version)
    assert archived.status == letters.ARCHIVED
    with pytest.raises(ValidationError, match="不能"):
        letters.route_letter(receptionist, letter.id, dept("工程部").id, "", None, archived.version)
    with pytest.raises(ConflictError):
        letters.archive_letter(receptionist, letter.id, replied.version)


def test_receipt_numbers_restart_each_year(receptionist, clock, store):
    letters.register_letter(receptionist, a_letter(), store)
    clock.set(clock.now().replace(year=2027, month=1, day=2))
    assert letters.register_letter(receptionist, a_letter(), store).receipt_no == "2027-0001"


def test_complaint_letter_opens_a_case_with_the_24_hour_promise(receptionist, store):
    letter = letters.register_letter(
        receptionist,
        a_letter(letter_type="投诉", subject="投诉地库漏水", department_id=dept("工程部").id, handler="刘工"),
        store,
    )
    assert letter.status == letters.IN_PROGRESS
    assert letter.reply_due_at - letter.received_at == timedelta(hours=24)
    case = Case.get((Case.source_kind == "letter") & (Case.source_id == letter.id))
    assert case.first_receiver_id == receptionist.operator.id and case.department.name == "工程部"


def test_overdue_letters_stand_out(receptionist, clock, store):
    letter = letters.register_letter(receptionist, a_letter(), store)
    assert letters.count_overdue(clock.now()) == 0
    clock.advance(days=8)
    assert letters.is_overdue(Letter.get_by_id(letter.id), clock.now())
    assert letters.count_overdue(clock.now()) == 1
    assert letters.count_letters(LetterFilter(overdue_at=clock.now())) == 1


def test_bad_input_is_reported_per_field_and_nothing_is_written(receptionist, store):
    with pytest.raises(ValidationError) as err:
        letters.register_letter(
            receptionist, a_letter(channel="飞鸽", sender_name="", subject="x\ny", letter_type="投诉"), store
        )
    assert set(err.value.fields) == {"channel", "sender_name", "subject", "department"}
    assert Letter.select().count() == 0


def test_a_missing_attachment_file_is_reported_not_a_crash(receptionist, store, scan):
    letter = letters.register_letter(receptionist, a_letter(files=[scan]), store)
    [att] = attachments.list_for("letter", letter.id)
    store.path_of(att).unlink()
    assert store.path_of(att) is None


def test_search_finds_one_and_two_character_chinese(receptionist, store):
    letters.register_letter(receptionist, a_letter(), store)
    letters.register_letter(
        receptionist,
        a_letter(sender_name="街道办", subject="消防检查通知", letter_type="公函", summary=""),
        store,
    )
    assert [x.sender_name for x in letters.list_letters(LetterFilter(search="消"))] == ["街道办"]
    assert letters.count_letters(LetterFilter(search="收益")) == 1
    assert letters.count_letters(LetterFilter(search="2026-0002")) == 1


def test_excel_export_matches_the_filtered_list_and_never_runs_formulas(
    receptionist, supervisor, store, tmp_path
):
    letters.register_letter(receptionist, a_letter(summary='=HYPERLINK("http://x","点我")'), store)
    letters.register_letter(receptionist, a_letter(channel="传真", subject="@SUM(1+1)"), store)
    letters.register_letter(receptionist, a_letter(channel="快递", subject="+86 来函"), store)
    out = tmp_path / "export.xlsx"
    f = LetterFilter(date_from=date(2026, 11, 26), channel="邮寄")
    assert letters.export_xlsx(supervisor, f, out) == 1
    sheet = load_workbook(out).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("编号", "收文编号", "收到时间")
    assert len(rows) == 2 and rows[1][8] == '=HYPERLINK("http://x","点我")'
    assert sheet["I2"].data_type == "s"
    everything = tmp_path / "all.xlsx"
    letters.export_xlsx(supervisor, LetterFilter(), everything)
    cells = load_workbook(everything).active
    assert {cells[f"H{r}"].value for r in (2, 3, 4)} >= {"@SUM(1+1)", "+86 来函"}
    assert all(cells[f"H{r}"].data_type == "s" for r in (2, 3, 4))


def test_replying_to_a_complaint_letter_answers_its_case(receptionist, store):
    from reception.services import cases

    letter = letters.register_letter(
        receptionist,
        a_letter(letter_type="投诉", subject="投诉地库漏水", department_id=dept("工程部").id),
        store,
    )
    letters.record_reply(
        receptionist,
        letter.id,
        replied_at=None,
        channel="书面回函",
        summary="已修复并致歉",
        replied_by="刘工",
        files=[],
        store=store,
        expected_version=letter.version,
    )
    case = Case.get((Case.source_kind == "letter") & (Case.source_id == letter.id))
    assert case.status == cases.REPLIED and "已修复并致歉" in case.reply_text


def test_the_list_brings_the_department_along(receptionist, store):
    import logging

    for _ in range(3):
        letters.register_letter(receptionist, a_letter(department_id=dept("财务部").id), store)
    rows = letters.list_letters(LetterFilter())
    statements: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            statements.append(record.getMessage())

    peewee_log = logging.getLogger("peewee")  # peewee logs every statement it runs at DEBUG
    handler, level = Collect(), peewee_log.level
    peewee_log.addHandler(handler)
    peewee_log.setLevel(logging.DEBUG)
    try:
        names = [r.department_name for r in rows]
    finally:
        peewee_log.removeHandler(handler)
        peewee_log.setLevel(level)
    assert names == ["财务部"] * 3 and statements == []  # no query per row


def test_a_receptionist_cannot_export(receptionist, store, tmp_path):
    from reception.errors import PermissionDenied
    from reception.store.models import AuditLog

    with pytest.raises(PermissionDenied, match="导出来函"):
        letters.export_xlsx(receptionist, LetterFilter(), tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()
    assert AuditLog.select().where(AuditLog.action == "permission.denied").count() == 1
