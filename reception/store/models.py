"""The tables, as peewee models bound to the one ``database`` proxy.

Times are naive UTC. The schema itself is created and changed only by the numbered steps in
``reception/migrations``; these classes must describe the schema those steps produce (a test
compares them)."""

from __future__ import annotations

import peewee as pw

from reception.store import desk as this_desk
from reception.store.db import database


class BaseModel(pw.Model):
    class Meta:
        database = database
        legacy_table_names = False


class Setting(BaseModel):
    key = pw.CharField(primary_key=True, max_length=64)
    value = pw.TextField()  # JSON


class Department(BaseModel):
    id = pw.AutoField()
    name = pw.CharField(max_length=50, unique=True)
    phone = pw.CharField(max_length=40, default="")
    active = pw.BooleanField(default=True)
    sort_order = pw.IntegerField(default=0)


class Operator(BaseModel):
    id = pw.AutoField()
    username = pw.CharField(max_length=40, unique=True)
    display_name = pw.CharField(max_length=40)
    role = pw.CharField(max_length=20)  # reception.services.auth.Role values
    password_hash = pw.CharField(max_length=200)
    active = pw.BooleanField(default=True)
    failed_logins = pw.IntegerField(default=0)
    last_failed_at = pw.DateTimeField(null=True)
    created_at = pw.DateTimeField()
    pin_hash = pw.CharField(max_length=200, default="")  # 解锁 PIN (argon2), set by the operator
    pin_failures = pw.IntegerField(default=0)
    pin_failed_at = pw.DateTimeField(null=True)


class Resident(BaseModel):
    id = pw.AutoField()
    building = pw.CharField(max_length=20)  # '3' for 3栋; non-numeric names kept as given
    unit = pw.CharField(max_length=20, default="")
    room = pw.CharField(max_length=20, index=True)
    name = pw.CharField(max_length=50, index=True)
    relation = pw.CharField(max_length=20, default="")  # 身份: 业主/家属/租户…
    phone = pw.CharField(max_length=40, default="", index=True)
    phone_alt = pw.CharField(max_length=40, default="", index=True)
    note = pw.CharField(max_length=200, default="")
    initials = pw.CharField(max_length=50, default="", index=True)  # pinyin initials, 'zs' for 张三
    active = pw.BooleanField(default=True)
    created_at = pw.DateTimeField()
    updated_at = pw.DateTimeField()

    class Meta:
        indexes = ((("building", "unit", "room", "name"), True),)


class Call(BaseModel):
    id = pw.AutoField()
    desk = pw.CharField(max_length=40, default=this_desk.name)  # 前台名称 of the PC that created it
    serial = pw.CharField(max_length=20, unique=True)
    started_at = pw.DateTimeField()  # the call timer's start
    saved_at = pw.DateTimeField(index=True)
    duration_s = pw.IntegerField(default=0)
    operator = pw.ForeignKeyField(Operator, backref="calls")  # 首问责任人
    operator_id: int
    resident = pw.ForeignKeyField(Resident, null=True, backref="calls", on_delete="SET NULL")
    resident_id: int | None
    caller_name = pw.CharField(max_length=50, default="")
    caller_phone = pw.CharField(max_length=40, default="")
    location = pw.CharField(max_length=100, default="")
    identity_verified = pw.BooleanField(default=False)
    category = pw.CharField(max_length=20)
    content = pw.TextField()
    answer = pw.TextField(default="")
    outcome = pw.CharField(max_length=20)
    department = pw.ForeignKeyField(Department, null=True, backref="calls")
    department_id: int | None
    taken_by = pw.CharField(max_length=50, default="")  # the person in the department who took it
    alerted_department = pw.ForeignKeyField(Department, null=True, backref="alerts")
    alerted_department_id: int | None
    alerted_at = pw.DateTimeField(null=True)
    readback = pw.TextField(default="")
    client_token = pw.CharField(max_length=40, null=True, unique=True)  # one save per form submit
    version = pw.IntegerField(default=1)
    updated_at = pw.DateTimeField()


class Case(BaseModel):
    """An open work item (工单): created by a dispatched call; the case workflow builds on it."""

    id = pw.AutoField()
    desk = pw.CharField(max_length=40, default=this_desk.name)  # 前台名称 of the PC that created it
    serial = pw.CharField(max_length=20, unique=True)
    source_kind = pw.CharField(max_length=10)  # 'call', later 'visit', 'letter', 'direct'
    source_id = pw.IntegerField(null=True)
    category = pw.CharField(max_length=20)
    resident = pw.ForeignKeyField(Resident, null=True, backref="cases", on_delete="SET NULL")
    resident_id: int | None
    location = pw.CharField(max_length=100, default="")
    description = pw.TextField()
    first_receiver = pw.ForeignKeyField(Operator, backref="first_cases")  # 首问责任人
    first_receiver_id: int
    department = pw.ForeignKeyField(Department, null=True, backref="cases")
    department_id: int | None
    handler = pw.CharField(max_length=50, default="")
    status = pw.CharField(max_length=10, index=True)
    received_at = pw.DateTimeField()
    reply_due_at = pw.DateTimeField(index=True)
    closed_at = pw.DateTimeField(null=True)
    version = pw.IntegerField(default=1)
    updated_at = pw.DateTimeField()
    # schema v4: the case workflow
    building = pw.CharField(max_length=20, default="")  # for analysis by building
    place_key = pw.CharField(max_length=100, default="", index=True)  # '3-2-1201' or a public area
    resolve_due_at = pw.DateTimeField(null=True)
    replied_at = pw.DateTimeField(null=True)
    reply_text = pw.TextField(default="")
    close_note = pw.TextField(default="")
    escalation_level = pw.IntegerField(default=0)
    utility = pw.CharField(max_length=10, default="")  # 市政设施: 供水、供电、燃气…
    agency = pw.CharField(max_length=100, default="")

    class Meta:
        indexes = ((("source_kind", "source_id"), False), (("category", "place_key"), False))


class CaseEvent(BaseModel):
    """One line of a case's history: a hand-off or a change of state."""

    id = pw.AutoField()
    desk = pw.CharField(max_length=40, default=this_desk.name)  # 前台名称 of the PC that created it
    case = pw.ForeignKeyField(Case, backref="events", on_delete="CASCADE")
    case_id: int
    at = pw.DateTimeField()
    operator = pw.ForeignKeyField(Operator)
    operator_id: int
    action = pw.CharField(max_length=20)
    from_status = pw.CharField(max_length=10, default="")
    to_status = pw.CharField(max_length=10, default="")
    department = pw.ForeignKeyField(Department, null=True)
    department_id: int | None
    handler = pw.CharField(max_length=50, default="")
    note = pw.TextField(default="")


class Message(BaseModel):
    """代为留言: a message taken for a staff member or department."""

    id = pw.AutoField()
    desk = pw.CharField(max_length=40, default=this_desk.name)  # 前台名称 of the PC that created it
    call = pw.ForeignKeyField(Call, null=True, backref="messages", on_delete="SET NULL")
    call_id: int | None
    for_person = pw.CharField(max_length=50, default="")
    for_department = pw.ForeignKeyField(Department, null=True, backref="messages")
    for_department_id: int | None
    from_name = pw.CharField(max_length=50, default="")
    callback_phone = pw.CharField(max_length=40, default="")
    text = pw.TextField()
    created_at = pw.DateTimeField(index=True)
    created_by = pw.ForeignKeyField(Operator, backref="messages_taken")
    created_by_id: int
    delivered_at = pw.DateTimeField(null=True, index=True)
    delivered_by = pw.ForeignKeyField(Operator, null=True, backref="messages_delivered")
    delivered_by_id: int | None
    delivered_to = pw.CharField(max_length=50, default="")


class Callback(BaseModel):
    """待回电: a promise to call somebody back."""

    id = pw.AutoField()
    desk = pw.CharField(max_length=40, default=this_desk.name)  # 前台名称 of the PC that created it
    call = pw.ForeignKeyField(Call, null=True, backref="callbacks", on_delete="SET NULL")
    call_id: int | None
    name = pw.CharField(max_length=50, default="")
    phone = pw.CharField(max_length=40)
    reason = pw.TextField()
    due_at = pw.DateTimeField(index=True)
    created_at = pw.DateTimeField()
    created_by = pw.ForeignKeyField(Operator, backref="callbacks_promised")
    created_by_id: int
    completed_at = pw.DateTimeField(null=True, index=True)
    completed_by = pw.ForeignKeyField(Operator, null=True, backref="callbacks_done")
    completed_by_id: int | None
    result = pw.TextField(default="")


class AuditLog(BaseModel):
    """Append-only (triggers refuse UPDATE and DELETE); each entry hashes the previous one."""

    id = pw.AutoField()
    at = pw.DateTimeField()
    operator = pw.ForeignKeyField(Operator, null=True, on_delete="RESTRICT")
    operator_id: int | None
    action = pw.CharField(max_length=30)
    entity = pw.CharField(max_length=20, default="")
    entity_id = pw.IntegerField(null=True)
    detail = pw.TextField(default="")  # JSON, never a full ID or phone number
    prev_hash = pw.CharField(max_length=64)
    hash = pw.CharField(max_length=64)

    class Meta:
        indexes = ((("entity", "entity_id"), False),)


class SerialCounter(BaseModel):
    kind = pw.CharField(max_length=4)
    day = pw.CharField(max_length=8)
    last = pw.IntegerField()

    class Meta:
        primary_key = pw.CompositeKey("kind", "day")


class Appointment(BaseModel):
    """预约来访: a visit booked in advance; matched when the visitor arrives."""

    id = pw.AutoField()
    desk = pw.CharField(max_length=40, default=this_desk.name)  # 前台名称 of the PC that created it
    visitor_name = pw.CharField(max_length=50)
    visitor_phone = pw.CharField(max_length=40, default="")
    party_size = pw.IntegerField(default=1)
    expected_at = pw.DateTimeField(index=True)
    resident = pw.ForeignKeyField(Resident, null=True, backref="appointments", on_delete="SET NULL")
    resident_id: int | None
    staff_host = pw.CharField(max_length=50, default="")
    purpose = pw.CharField(max_length=100, default="")
    booked_by = pw.CharField(max_length=50, default="")  # who asked for it (the host, a department…)
    status = pw.CharField(max_length=10, index=True)
    created_by = pw.ForeignKeyField(Operator, backref="appointments_booked")
    created_by_id: int
    created_at = pw.DateTimeField()
    updated_at = pw.DateTimeField()


class Visit(BaseModel):
    """来访: a resident on business at the desk, or an outside visitor (访客)."""

    id = pw.AutoField()
    desk = pw.CharField(max_length=40, default=this_desk.name)  # 前台名称 of the PC that created it
    serial = pw.CharField(max_length=20, unique=True)  # also the pass number on the badge
    kind = pw.CharField(max_length=10, index=True)  # 'business' | 'guest'
    arrived_at = pw.DateTimeField(index=True)
    operator = pw.ForeignKeyField(Operator, backref="visits")  # 首问责任人
    operator_id: int
    resident = pw.ForeignKeyField(Resident, null=True, backref="visits", on_delete="SET NULL")
    resident_id: int | None
    purpose = pw.CharField(max_length=100, default="")
    department = pw.ForeignKeyField(Department, null=True, backref="visits")
    department_id: int | None
    handled = pw.TextField(default="")  # business: what was done
    taken_over_by = pw.CharField(max_length=50, default="")
    visitor_name = pw.CharField(max_length=50, default="")
    visitor_phone = pw.CharField(max_length=40, default="")
    party_size = pw.IntegerField(default=1)
    plate = pw.CharField(max_length=12, default="")
    id_type = pw.CharField(max_length=20, default="")
    id_masked = pw.CharField(max_length=40, default="")
    id_hash = pw.CharField(max_length=64, default="", index=True)
    id_full = pw.CharField(max_length=40, null=True)  # only when the administrator requires it
    id_verified = pw.BooleanField(default=False)
    id_source = pw.CharField(max_length=10, default="")  # '' typed; 'reader' / 'wedge': read from the card
    destination = pw.CharField(max_length=100, default="")  # '3栋2单元1201' or '工程部 刘工'
    badge_destination = pw.CharField(max_length=50, default="")  # building/unit only
    staff_host = pw.CharField(max_length=50, default="")
    appointment = pw.ForeignKeyField(Appointment, null=True, backref="visits", on_delete="SET NULL")
    appointment_id: int | None
    consent = pw.CharField(max_length=10, default="")
    consent_at = pw.DateTimeField(null=True)
    escort = pw.CharField(max_length=50, default="")
    watch_hit = pw.BooleanField(default=False)
    watch_decision = pw.CharField(max_length=10, default="")
    watch_decided_by = pw.ForeignKeyField(Operator, null=True, backref="watch_decisions")
    watch_decided_by_id: int | None
    status = pw.CharField(max_length=10, index=True)
    valid_until = pw.DateTimeField(null=True)
    checked_out_at = pw.DateTimeField(null=True, index=True)
    checked_out_by = pw.ForeignKeyField(Operator, null=True, backref="checkouts")
    checked_out_by_id: int | None
    badge_prints = pw.IntegerField(default=0)
    client_token = pw.CharField(max_length=40, null=True, unique=True)
    version = pw.IntegerField(default=1)
    updated_at = pw.DateTimeField()
    visitor_unit = pw.CharField(max_length=100, default="")  # 来访单位: where the visitor comes from
    follow_up_due_at = pw.DateTimeField(null=True, index=True)  # business: 跟进时限 promised to the resident
    follow_up_done_at = pw.DateTimeField(null=True)


class WatchEntry(BaseModel):
    """关注名单: matched by name with the keyed hash of the ID number, or by phone.
    ``id_recheck``: an entry from before the keyed hash, whose number must be entered again
    (until then it matches by name)."""

    id = pw.AutoField()
    name = pw.CharField(max_length=50, index=True)
    id_type = pw.CharField(max_length=20, default="")
    id_hash = pw.CharField(max_length=64, default="", index=True)
    id_masked = pw.CharField(max_length=40, default="")
    phone = pw.CharField(max_length=40, default="", index=True)
    reason = pw.TextField()
    added_by = pw.ForeignKeyField(Operator, backref="watch_entries")
    added_by_id: int
    added_at = pw.DateTimeField()
    active = pw.BooleanField(default=True)
    id_recheck = pw.BooleanField(default=False)


class Incident(BaseModel):
    """异常情况: a security hazard, a refused reception or a police call, linked to a call or visit."""

    id = pw.AutoField()
    desk = pw.CharField(max_length=40, default=this_desk.name)  # 前台名称 of the PC that created it
    kind = pw.CharField(max_length=10, index=True)
    call = pw.ForeignKeyField(Call, null=True, backref="incidents", on_delete="SET NULL")
    call_id: int | None
    visit = pw.ForeignKeyField(Visit, null=True, backref="incidents", on_delete="SET NULL")
    visit_id: int | None
    occurred_at = pw.DateTimeField(index=True)
    description = pw.TextField()
    reported_to = pw.ForeignKeyField(Department, null=True, backref="incidents")
    reported_to_id: int | None
    reported_to_person = pw.CharField(max_length=50, default="")
    reported_at = pw.DateTimeField(null=True)
    police_case_no = pw.CharField(max_length=40, default="")
    officer = pw.CharField(max_length=50, default="")
    created_by = pw.ForeignKeyField(Operator, backref="incidents_recorded")
    created_by_id: int
    created_at = pw.DateTimeField()


class Letter(BaseModel):
    """来函: a letter received at the desk, routed to a department and answered by a deadline."""

    id = pw.AutoField()
    desk = pw.CharField(max_length=40, default=this_desk.name)  # 前台名称 of the PC that created it
    serial = pw.CharField(max_length=20, unique=True)
    receipt_no = pw.CharField(max_length=12, unique=True)  # 收文编号, restarts each year: 2026-0003
    received_at = pw.DateTimeField(index=True)
    channel = pw.CharField(max_length=10)
    letter_type = pw.CharField(max_length=10)
    sender_name = pw.CharField(max_length=50)
    organisation = pw.CharField(max_length=100, default="")
    contact = pw.CharField(max_length=100, default="")
    sender_ref = pw.CharField(max_length=50, default="")
    resident = pw.ForeignKeyField(Resident, null=True, backref="letters", on_delete="SET NULL")
    resident_id: int | None
    subject = pw.CharField(max_length=200)
    summary = pw.TextField(default="")
    pages = pw.IntegerField(default=1)
    confidentiality = pw.CharField(max_length=10)
    operator = pw.ForeignKeyField(Operator, backref="letters")  # who registered it (首问责任人)
    operator_id: int
    department = pw.ForeignKeyField(Department, null=True, backref="letters")
    department_id: int | None
    handler = pw.CharField(max_length=50, default="")
    routed_at = pw.DateTimeField(null=True)
    reply_due_at = pw.DateTimeField(index=True)
    status = pw.CharField(max_length=10, index=True)
    replied_at = pw.DateTimeField(null=True)
    reply_channel = pw.CharField(max_length=10, default="")
    reply_summary = pw.TextField(default="")
    replied_by = pw.CharField(max_length=50, default="")
    archived_at = pw.DateTimeField(null=True)
    client_token = pw.CharField(max_length=40, null=True, unique=True)
    version = pw.IntegerField(default=1)
    updated_at = pw.DateTimeField()


class Attachment(BaseModel):
    """A file kept in the data folder under its content hash; the original name is remembered."""

    id = pw.AutoField()
    owner_kind = pw.CharField(max_length=10)  # 'letter'
    owner_id = pw.IntegerField()
    role = pw.CharField(max_length=10, default="original")  # 'original' | 'reply'
    sha256 = pw.CharField(max_length=64, index=True)
    original_name = pw.CharField(max_length=255)
    size = pw.IntegerField()
    added_at = pw.DateTimeField()
    added_by = pw.ForeignKeyField(Operator, backref="attachments")
    added_by_id: int

    class Meta:
        indexes = ((("owner_kind", "owner_id"), False),)


class ReturnVisit(BaseModel):
    """回访: calling the resident back before a case is closed."""

    id = pw.AutoField()
    desk = pw.CharField(max_length=40, default=this_desk.name)  # 前台名称 of the PC that created it
    case = pw.ForeignKeyField(Case, backref="return_visits", on_delete="CASCADE")
    case_id: int
    at = pw.DateTimeField()
    operator = pw.ForeignKeyField(Operator)
    operator_id: int
    result = pw.CharField(max_length=10)  # 满意 / 基本满意 / 不满意 / 联系不上
    comment = pw.TextField(default="")


class LiaisonEntry(BaseModel):
    """市政设施: a contact with the outside agency (who, when, what they said)."""

    id = pw.AutoField()
    desk = pw.CharField(max_length=40, default=this_desk.name)  # 前台名称 of the PC that created it
    case = pw.ForeignKeyField(Case, backref="liaison", on_delete="CASCADE")
    case_id: int
    at = pw.DateTimeField()
    operator = pw.ForeignKeyField(Operator)
    operator_id: int
    agency = pw.CharField(max_length=100)
    contact = pw.CharField(max_length=100, default="")
    said = pw.TextField()


class KnowledgeEntry(BaseModel):
    """知识库: standard answers (收费标准、装修办理流程…) insertable into an answer."""

    id = pw.AutoField()
    title = pw.CharField(max_length=100, unique=True)
    body = pw.TextField()
    tags = pw.CharField(max_length=200, default="")
    active = pw.BooleanField(default=True)
    updated_at = pw.DateTimeField()
    updated_by = pw.ForeignKeyField(Operator, null=True)
    updated_by_id: int | None
    status = pw.CharField(max_length=10, default="approved", index=True)  # 'proposed' until approved
    proposed_by = pw.ForeignKeyField(Operator, null=True, backref="knowledge_proposed")
    proposed_by_id: int | None


class Shift(BaseModel):
    """交接班: a shift at the desk, handed over to the next operator, who confirms with their own
    login (or refuses, with a reason). A shift is closed only when the handover is confirmed."""

    id = pw.AutoField()
    desk = pw.CharField(max_length=40, default=this_desk.name)  # 前台名称 of the PC that created it
    day = pw.CharField(max_length=8, index=True)  # local day the shift started, 20261126
    number = pw.IntegerField()  # 1, 2, 3 … within the day
    started_at = pw.DateTimeField(index=True)
    operator = pw.ForeignKeyField(Operator, backref="shifts")  # 交班人
    operator_id: int
    status = pw.CharField(max_length=10, index=True)
    handed_over_at = pw.DateTimeField(null=True)
    note = pw.TextField(default="")
    incoming = pw.ForeignKeyField(Operator, null=True, backref="shifts_taken")  # 接班人
    incoming_id: int | None
    confirmed_at = pw.DateTimeField(null=True)
    refused_by = pw.ForeignKeyField(Operator, null=True, backref="shifts_refused")
    refused_by_id: int | None
    refused_at = pw.DateTimeField(null=True)
    refused_reason = pw.TextField(default="")
    version = pw.IntegerField(default=1)
    # Who signed the 交班: the operator on duty, or a supervisor who confirmed them absent
    # (absent_reason). None on shifts handed over before schema 13 (the operator on duty).
    handed_over_by = pw.ForeignKeyField(Operator, null=True, backref="shifts_signed", index=False)
    handed_over_by_id: int | None
    absent_reason = pw.TextField(default="")

    class Meta:
        indexes = ((("day", "number"), True),)


class Draft(BaseModel):
    """A half-filled form, kept so it survives closing the window and the idle lock."""

    id = pw.AutoField()
    operator = pw.ForeignKeyField(Operator, backref="drafts", on_delete="CASCADE")
    operator_id: int
    form = pw.CharField(max_length=30)
    data = pw.TextField()  # JSON
    saved_at = pw.DateTimeField()

    class Meta:
        indexes = ((("operator", "form"), True),)


class Ring(BaseModel):
    """来电: one ring the desk phone reported (caller ID box, PBX or simulation), answered or
    missed; the call record it became. The number is personal data: shown masked, purged with
    the others (:func:`reception.services.phone_line.purge_rings`)."""

    id = pw.AutoField()
    desk = pw.CharField(max_length=40, default=this_desk.name)  # 前台名称 of the PC whose line rang
    source = pw.CharField(max_length=20)  # 'serial' | 'ami' | 'webhook' | 'simulate'
    external_id = pw.CharField(max_length=80)  # the PBX's call id (one ring recorded once)
    line = pw.CharField(max_length=40, default="")
    number = pw.CharField(max_length=40, default="")  # normalised when it could be, else as received
    number_kind = pw.CharField(max_length=12, default="")  # '' | 'private' | 'unavailable' | 'other'
    rang_at = pw.DateTimeField(index=True)
    answered_at = pw.DateTimeField(null=True)
    ended_at = pw.DateTimeField(null=True)
    answered_by = pw.ForeignKeyField(Operator, null=True, backref="rings_answered")
    answered_by_id: int | None
    call = pw.ForeignKeyField(Call, null=True, backref="rings", on_delete="SET NULL")
    call_id: int | None
    callback = pw.ForeignKeyField(Callback, null=True, backref="rings", on_delete="SET NULL")
    callback_id: int | None

    class Meta:
        indexes = ((("source", "external_id"), True),)


class RecurringProblem(BaseModel):
    """重复问题的整改跟踪 (规程：投诉问题分析总结): a problem that keeps coming back at one place — its
    cause, the measure taken, who owns it, by when, and the result; linked to its cases."""

    id = pw.AutoField()
    desk = pw.CharField(max_length=40, default=this_desk.name)  # 前台名称 of the PC that created it
    place_key = pw.CharField(max_length=100, index=True)
    category = pw.CharField(max_length=20)
    cause = pw.TextField()
    measure = pw.TextField()
    owner = pw.CharField(max_length=50)  # 责任人 (a person or a department)
    due_on = pw.DateField()
    result = pw.TextField(default="")
    status = pw.CharField(max_length=10, index=True)  # 'open' | 'done'
    created_at = pw.DateTimeField()
    created_by = pw.ForeignKeyField(Operator, backref="recurring_problems")
    created_by_id: int
    updated_at = pw.DateTimeField()
    version = pw.IntegerField(default=1)


class RecurringProblemCase(BaseModel):
    id = pw.AutoField()
    problem = pw.ForeignKeyField(RecurringProblem, backref="links", on_delete="CASCADE")
    problem_id: int
    case = pw.ForeignKeyField(Case, backref="recurring_links", on_delete="CASCADE", unique=True)
    case_id: int


ALL_MODELS: list[type[BaseModel]] = [
    Setting,
    Department,
    Operator,
    Resident,
    Call,
    Case,
    CaseEvent,
    Message,
    Callback,
    AuditLog,
    SerialCounter,
    Appointment,
    Visit,
    WatchEntry,
    Incident,
    Letter,
    Attachment,
    ReturnVisit,
    LiaisonEntry,
    KnowledgeEntry,
    Shift,
    Draft,
    Ring,
    RecurringProblem,
    RecurringProblemCase,
]
