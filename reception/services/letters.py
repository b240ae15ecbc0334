"""The letters register (来函登记): registration, routing (转办), replies, archive, export.

Status: 待分办 → 办理中 → 已答复 → 已归档. A complaint letter opens a case owned by the
operator who registered it (首问责任制), with the 24-hour reply promise."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import timedelta
from pathlib import Path
from typing import Any

import peewee

from reception.clock import local_day_bounds
from reception.clock import to_local
from reception.errors import ConflictError
from reception.errors import NotFound
from reception.errors import ValidationError
from reception.rules.textcheck import FieldErrors
from reception.rules.textcheck import multi_line
from reception.rules.textcheck import one_line
from reception.rules.textcheck import person_name
from reception.services import cases
from reception.services import settings as settings_mod
from reception.services.session import Role
from reception.services.session import Session
from reception.services.session import require_session
from reception.services.vocabulary import COMPLAINT
from reception.services.vocabulary import LetterStatus
from reception.services.vocabulary import LetterType
from reception.services.vocabulary import values
from reception.store import attachments
from reception.store import audit
from reception.store import db
from reception.store import serials
from reception.store.attachments import AttachmentStore
from reception.store.models import Attachment
from reception.store.models import Department
from reception.store.models import Letter
from reception.store.models import Resident

CHANNELS = ["邮寄", "快递", "当面递交", "电子邮件", "传真", "其他"]
TYPES = values(LetterType)
CONFIDENTIALITY = ["普通", "内部", "保密"]
REPLY_CHANNELS = ["书面回函", "电话", "当面", "电子邮件", "其他"]

PENDING = LetterStatus.PENDING.value
IN_PROGRESS = LetterStatus.IN_PROGRESS.value
REPLIED = LetterStatus.REPLIED.value
ARCHIVED = LetterStatus.ARCHIVED.value
STATUSES = values(LetterStatus)
OPEN = [PENDING, IN_PROGRESS]


@dataclass
class LetterInput:
    received_at: datetime | None = None  # UTC; default now
    channel: str = ""
    letter_type: str = ""
    sender_name: str = ""
    organisation: str = ""
    contact: str = ""
    sender_ref: str = ""
    resident_id: int | None = None
    subject: str = ""
    summary: str = ""
    pages: int = 1
    confidentiality: str = "普通"
    department_id: int | None = None  # route straight away (optional)
    handler: str = ""
    reply_due_at: datetime | None = None  # default from the letter type
    files: list[Path] = field(default_factory=list)
    client_token: str | None = None


def default_due(letter_type: str, received_at: datetime) -> datetime:
    hours = settings_mod.load().letter_reply_hours.get(letter_type, 168)
    return received_at + timedelta(hours=int(hours))


def _dept(errs: FieldErrors, dept_id: int | None) -> Department | None:
    if dept_id is None:
        return None
    dept = Department.get_or_none((Department.id == dept_id) & (Department.active == True))  # noqa: E712
    if dept is None:
        errs.add("department", "所选部门不存在或已停用")
    return dept


def register_letter(session: Session, data: LetterInput, store: AttachmentStore) -> Letter:
    if data.client_token and (found := Letter.get_or_none(Letter.client_token == data.client_token)):
        return found
    now = session.now()
    errs = FieldErrors()
    received = data.received_at or now
    if received > now + timedelta(minutes=5):
        errs.add("received_at", "收到时间不能晚于现在")
    if data.channel not in CHANNELS:
        errs.add("channel", "请选择来函方式")
    if data.letter_type not in TYPES:
        errs.add("letter_type", "请选择来函类别")
    if data.confidentiality not in CONFIDENTIALITY:
        errs.add("confidentiality", "请选择密级")
    sender = errs.check("sender_name", person_name, data.sender_name, "来函人", max_len=50, required=True)
    org = errs.check("organisation", one_line, data.organisation, "单位", max_len=100)
    contact = errs.check("contact", one_line, data.contact, "联系方式", max_len=100)
    ref = errs.check("sender_ref", one_line, data.sender_ref, "来函文号", max_len=50)
    subject = errs.check("subject", one_line, data.subject, "标题", max_len=200, required=True)
    summary = errs.check("summary", multi_line, data.summary, "内容摘要", max_len=4000)
    if not isinstance(data.pages, int) or not 0 <= data.pages <= 9999:
        errs.add("pages", "页数应为 0 到 9999")
    resident = None
    if data.resident_id is not None:
        resident = Resident.get_or_none(Resident.id == data.resident_id)
        if resident is None:
            errs.add("resident", "所选住户已不存在")
    dept = _dept(errs, data.department_id)
    handler = errs.check("handler", one_line, data.handler, "承办人", max_len=50)
    due = (
        (data.reply_due_at or default_due(data.letter_type, received)) if data.letter_type in TYPES else None
    )
    if due is not None and due < received:
        errs.add("reply_due_at", "答复期限不能早于收到时间")
    if data.letter_type == COMPLAINT and dept is None:
        errs.add("department", "投诉来函请指定处理部门")
    errs.raise_if_any()
    assert due is not None
    stored = [(path.name, *store.put(path)) for path in data.files]  # files first, then the row
    with db.write():
        letter = Letter.create(
            serial=serials.next_serial(serials.LETTER, session.clock.today()),
            receipt_no=serials.next_receipt_no(session.clock.today().year),
            received_at=received,
            channel=data.channel,
            letter_type=data.letter_type,
            sender_name=sender,
            organisation=org or "",
            contact=contact or "",
            sender_ref=ref or "",
            resident=resident,
            subject=subject,
            summary=summary or "",
            pages=data.pages,
            confidentiality=data.confidentiality,
            operator=session.operator,
            department=dept,
            handler=handler or "",
            routed_at=now if dept else None,
            reply_due_at=due,
            status=IN_PROGRESS if dept else PENDING,
            client_token=data.client_token or None,
            updated_at=now,
        )
        for name, digest, size in stored:
            attachments.record("letter", letter.id, "original", digest, size, name, now, session.operator)
        audit.record(
            now,
            session.operator,
            "letter.create",
            "letter",
            letter.id,
            serial=letter.serial,
            receipt_no=letter.receipt_no,
            type=data.letter_type,
            status=letter.status,
            files=len(stored),
        )
        if data.letter_type == COMPLAINT:
            cases.open_case(
                session,
                source_kind="letter",
                source_id=letter.id,
                category=COMPLAINT,
                description=f"{subject}\n{summary or ''}".strip(),
                received_at=received,
                reply_hours=settings_mod.load().reply_hours_for(COMPLAINT),
                department=dept,
                handler=handler or "",
                resident=resident,
            )
    return letter


def get_letter(letter_id: int) -> Letter:
    letter = Letter.get_or_none(Letter.id == letter_id)
    if letter is None:
        raise NotFound("找不到该来函。")
    return letter


def _transition(
    session: Session, letter: Letter, expected_version: int, allowed: list[str], action: str, **values: object
) -> Letter:
    if letter.version != expected_version:
        raise ConflictError("这份来函已被其他人修改，请重新打开后再操作。")
    if letter.status not in allowed:
        raise ValidationError.single("status", f"当前状态为“{letter.status}”，不能{action}")
    now = session.now()
    with db.write():
        rows = (
            Letter.update(**values, version=Letter.version + 1, updated_at=now)
            .where((Letter.id == letter.id) & (Letter.version == expected_version))
            .execute()
        )
        if rows != 1:
            raise ConflictError("这份来函已被其他人修改，请重新打开后再操作。")
        audit.record(
            now,
            session.operator,
            f"letter.{action}",
            "letter",
            letter.id,
            status=[letter.status, values.get("status", letter.status)],
        )
    return get_letter(letter.id)


def route_letter(
    session: Session,
    letter_id: int,
    department_id: int | None,
    handler: str,
    reply_due_at: datetime | None,
    expected_version: int,
) -> Letter:
    """转办: hand the letter to a department (again, if it is re-routed)."""
    letter = get_letter(letter_id)
    errs = FieldErrors()
    dept = _dept(errs, department_id)
    if dept is None and "department" not in errs.fields:
        errs.add("department", "请选择承办部门")
    who = errs.check("handler", one_line, handler, "承办人", max_len=50)
    due = reply_due_at or letter.reply_due_at
    if due < letter.received_at:
        errs.add("reply_due_at", "答复期限不能早于收到时间")
    errs.raise_if_any()
    return _transition(
        session,
        letter,
        expected_version,
        OPEN,
        "转办",
        status=IN_PROGRESS,
        department=dept,
        handler=who or "",
        routed_at=session.now(),
        reply_due_at=due,
    )


def record_reply(
    session: Session,
    letter_id: int,
    *,
    replied_at: datetime | None,
    channel: str,
    summary: str,
    replied_by: str,
    files: list[Path],
    store: AttachmentStore,
    expected_version: int,
) -> Letter:
    letter = get_letter(letter_id)
    errs = FieldErrors()
    when = replied_at or session.now()
    if when < letter.received_at:
        errs.add("replied_at", "答复日期不能早于收到时间")
    if when > session.now() + timedelta(minutes=5):
        errs.add("replied_at", "答复日期不能晚于现在")
    if channel not in REPLY_CHANNELS:
        errs.add("reply_channel", "请选择答复方式")
    text = errs.check("reply_summary", multi_line, summary, "答复内容", max_len=4000, required=True)
    who = errs.check("replied_by", one_line, replied_by, "答复人", max_len=50, required=True)
    errs.raise_if_any()
    stored = [(path.name, *store.put(path)) for path in files]
    with db.write():  # the reply, its documents and the linked case's reply: all or nothing
        result = _transition(
            session,
            letter,
            expected_version,
            OPEN,
            "答复",
            status=REPLIED,
            replied_at=when,
            reply_channel=channel,
            reply_summary=text,
            replied_by=who,
        )
        for name, digest, size in stored:
            attachments.record(
                "letter", letter.id, "reply", digest, size, name, session.now(), session.operator
            )
        # A complaint letter's case is answered by the letter's reply (件件有回音).
        for case in cases.for_source("letter", letter.id):
            if case.status in cases.UNREPLIED:
                cases.reply(session, case.id, f"已{channel}答复来函：{text}", case.version)
    return result


def archive_letter(session: Session, letter_id: int, expected_version: int) -> Letter:
    letter = get_letter(letter_id)
    return _transition(
        session, letter, expected_version, [REPLIED], "归档", status=ARCHIVED, archived_at=session.now()
    )


def add_files(
    session: Session, letter_id: int, files: list[Path], store: AttachmentStore, role: str = "original"
) -> list[Attachment]:
    get_letter(letter_id)
    stored = [(path.name, *store.put(path)) for path in files]
    with db.write():
        rows = [
            attachments.record("letter", letter_id, role, digest, size, name, session.now(), session.operator)
            for name, digest, size in stored
        ]
        audit.record(session.now(), session.operator, "letter.files", "letter", letter_id, files=len(rows))
    return rows


def files_of(letter_id: int) -> list[Attachment]:
    """The files attached to a letter, in the order they were added."""
    return attachments.list_for("letter", letter_id)


def viewing_copy(stored: Path, original_name: str) -> Path:
    """A read-only copy of an attached file to open in another program (the stored file is
    never handed out)."""
    return attachments.viewing_copy(stored, original_name)


def is_overdue(letter: Letter | LetterRow, now: datetime) -> bool:
    return letter.status in OPEN and letter.reply_due_at < now


def count_overdue(now: datetime) -> int:
    return Letter.select().where(Letter.status.in_(OPEN) & (Letter.reply_due_at < now)).count()


@dataclass
class LetterFilter:
    date_from: date | None = None
    date_to: date | None = None
    status: str = ""
    department_id: int | None = None
    channel: str = ""
    overdue_at: datetime | None = None  # only letters overdue at this moment
    search: str = ""


def _filtered(f: LetterFilter) -> peewee.ModelSelect[Letter]:
    query = Letter.select()
    if f.date_from is not None:
        query = query.where(Letter.received_at >= local_day_bounds(f.date_from)[0])
    if f.date_to is not None:
        query = query.where(Letter.received_at < local_day_bounds(f.date_to)[1])
    if f.status:
        query = query.where(Letter.status == f.status)
    if f.department_id is not None:
        query = query.where(Letter.department == f.department_id)
    if f.channel:
        query = query.where(Letter.channel == f.channel)
    if f.overdue_at is not None:
        query = query.where(Letter.status.in_(OPEN) & (Letter.reply_due_at < f.overdue_at))
    text = f.search.strip()
    if text:  # LIKE on the base table: works for 1–2 Chinese characters too
        query = query.where(
            Letter.sender_name.contains(text)
            | Letter.organisation.contains(text)
            | Letter.subject.contains(text)
            | Letter.summary.contains(text)
            | Letter.serial.contains(text.upper())
            | Letter.receipt_no.contains(text)
        )
    return query


def count_letters(f: LetterFilter) -> int:
    return _filtered(f).count()


@dataclass(frozen=True)
class LetterRow:
    """One line of the letters register, as shown: the department's name read in the same query."""

    id: int
    serial: str
    receipt_no: str
    received_at: datetime
    sender_name: str
    organisation: str
    subject: str
    letter_type: str
    department_name: str
    reply_due_at: datetime
    status: str


def list_letters(f: LetterFilter, offset: int = 0, limit: int = 200) -> list[LetterRow]:
    query = (
        _filtered(f)
        .select(
            Letter.id,
            Letter.serial,
            Letter.receipt_no,
            Letter.received_at,
            Letter.sender_name,
            Letter.organisation,
            Letter.subject,
            Letter.letter_type,
            Letter.reply_due_at,
            Letter.status,
            Department.name.alias("department_name"),
        )
        .join(Department, peewee.JOIN.LEFT_OUTER, on=(Letter.department == Department.id))
        .order_by(Letter.id.desc())
        .offset(offset)
        .limit(limit)
        .dicts()
    )
    return [
        LetterRow(
            id=r["id"],
            serial=r["serial"],
            receipt_no=r["receipt_no"],
            received_at=r["received_at"],
            sender_name=r["sender_name"],
            organisation=r["organisation"],
            subject=r["subject"],
            letter_type=r["letter_type"],
            department_name=r["department_name"] or "",
            reply_due_at=r["reply_due_at"],
            status=r["status"],
        )
        for r in _dicts(query)
    ]


EXPORT_HEADER = [
    "编号",
    "收文编号",
    "收到时间",
    "来函方式",
    "类别",
    "来函人",
    "单位",
    "标题",
    "内容摘要",
    "密级",
    "承办部门",
    "承办人",
    "答复期限",
    "状态",
    "答复日期",
    "答复方式",
    "答复内容",
    "答复人",
]


def _masked_text(text: str) -> str:
    """Free text as an export shows it: ID numbers and phone numbers (mobiles and landlines) masked."""
    from reception.rules import phones
    from reception.rules.freetext import mask_personal

    return phones.mask_in_text(mask_personal(text or "")[0])


def export_rows(f: LetterFilter, *, full: bool = False) -> list[list[object]]:
    """The export's rows; the free text masked unless ``full``."""
    fmt = "%Y-%m-%d %H:%M"
    rows: list[list[object]] = []
    shown = (lambda text: text or "") if full else _masked_text
    for letter in _filtered(f).order_by(Letter.id):
        rows.append(
            [
                letter.serial,
                letter.receipt_no,
                to_local(letter.received_at).strftime(fmt),
                letter.channel,
                letter.letter_type,
                letter.sender_name,
                shown(letter.organisation),
                shown(letter.subject),
                shown(letter.summary),
                letter.confidentiality,
                letter.department.name if letter.department else "",
                letter.handler,
                to_local(letter.reply_due_at).strftime(fmt),
                letter.status,
                to_local(letter.replied_at).strftime(fmt) if letter.replied_at else "",
                letter.reply_channel,
                shown(letter.reply_summary),
                letter.replied_by,
            ]
        )
    return rows


def export_xlsx(
    session: Session, f: LetterFilter, out: Path, *, full_reason: str = "", full: bool | None = None
) -> int:
    """Write the filtered letters to an Excel file (header in Chinese). Returns the row count.
    Supervisors and administrators only. ID and phone numbers in the free text are masked unless
    ``full`` (the window's choice; by default: a reason was given) with ``full_reason`` saying why
    the full text is needed; every export is audited (range, rows, why)."""
    from reception.services.exports import full_reason as checked_reason

    require_session(session, "导出来函")
    session.require(Role.SUPERVISOR, "导出来函")
    why = checked_reason(bool(full_reason.strip()) if full is None else full, full_reason)
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = "来函登记"
    sheet.append(EXPORT_HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    rows = export_rows(f, full=bool(why))
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            # Text is always stored as text: a summary starting with = + - @ is never run as a formula.
            if isinstance(cell.value, str):
                cell.data_type = "s"
    for column, width in zip(
        "ABCDEFGHIJKLMNOPQR", (16, 11, 17, 9, 9, 12, 18, 30, 40, 6, 12, 10, 17, 8, 17, 9, 40, 10), strict=True
    ):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    from reception.store.files import FileWriteError
    from reception.store.files import atomic_write
    from reception.store.files import reason

    try:  # the window's save dialog may name a new folder; the command line checks its --out first
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FileWriteError(f"文件未能写入 {out}：{reason(exc)}。") from exc
    atomic_write(out, book.save)
    with db.write():
        audit.record(
            session.now(),
            session.operator,
            "letters.export",
            "",
            None,
            date_from=f.date_from.isoformat() if f.date_from else "",
            date_to=f.date_to.isoformat() if f.date_to else "",
            rows=len(rows),
            masked=not why,
            **({"reason": why} if why else {}),
        )
    return len(rows)


def _dicts(query: Any) -> list[dict[str, Any]]:
    """The rows of a ``.dicts()`` query (typed for mypy)."""
    return list(query)
