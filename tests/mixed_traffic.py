"""A day of mixed front-desk traffic, entered through the services: one builder for each kind
of item that stays open at the end of a shift (a dispatched complaint, a callback, a message,
a visitor on site, an appointment, a complaint letter). The values a test checks — names,
numbers, contents — are arguments; the ``busy_day`` fixture (tests/conftest.py) and the masking
audit's ``world`` build their days from these."""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta
from typing import Any

from reception.clock import FixedClock
from reception.services import calls
from reception.services import letters
from reception.services import residents
from reception.services import visits
from reception.services.calls import CallInput
from reception.services.calls import Outcome
from reception.services.session import Session
from reception.store.attachments import AttachmentStore
from reception.store.models import Case
from reception.store.models import Department
from reception.store.models import Letter
from reception.store.models import Resident
from reception.store.models import Visit

ID_NUMBER = "11010519491231002X"  # the visitor's 身份证号


def dept(name: str) -> int:
    return Department.get(Department.name == name).id


def host(admin: Session, phone: str, phone_alt: str = "") -> Resident:
    """欧阳娜娜, 业主 of 12-3-801: the household the visitors come to."""
    return residents.add_resident(
        admin, residents.ResidentInput("12", "3", "801", "欧阳娜娜", "业主", phone, phone_alt)
    )


def dispatched_complaint(
    receptionist: Session,
    started_at: datetime,
    content: str,
    department: str,
    taken_by: str,
    caller_name: str = "",
    caller_phone: str = "",
) -> Case:
    """A 投诉 call dispatched to ``department``; the case it opened."""
    return calls.register_call(
        receptionist,
        CallInput(
            started_at=started_at,
            category="投诉",
            content=content,
            outcome=Outcome.DISPATCHED,
            caller_name=caller_name,
            caller_phone=caller_phone,
            department_id=dept(department),
            taken_by=taken_by,
        ),
    ).case


def callback_call(receptionist: Session, clock: FixedClock, content: str, phone: str) -> None:
    """A 咨询 call from 孙先生, to be called back within the hour."""
    calls.register_call(
        receptionist,
        CallInput(
            started_at=clock.now(),
            category="咨询",
            content=content,
            outcome=Outcome.CALLBACK,
            caller_name="孙先生",
            caller_phone=phone,
            callback_due_at=clock.now() + timedelta(hours=1),
        ),
    )


def message_call(receptionist: Session, clock: FixedClock, person: str, phone: str) -> None:
    """A 找人留言 call: 请回电, for ``person``, from ``phone``."""
    calls.register_call(
        receptionist,
        CallInput(
            started_at=clock.now(),
            category="找人留言",
            content=f"找{person}",
            outcome=Outcome.MESSAGE,
            caller_phone=phone,
            message_for_person=person,
            message_text="请回电",
        ),
    )


def visitor_on_site(receptionist: Session, host_id: int, phone: str) -> Visit:
    """王小明, ID checked, visiting ``host_id`` and still on site."""
    return visits.register_guest(
        receptionist,
        visits.GuestInput(
            visitor_name="王小明",
            visitor_phone=phone,
            id_number=ID_NUMBER,
            id_verified=True,
            host_resident_id=host_id,
            purpose="探亲访友",
            consent=visits.AGREED,
        ),
    )


def appointment(
    receptionist: Session, clock: FixedClock, host_id: int, hours: int, purpose: str, phone: str = ""
) -> None:
    """周杰, expected at ``host_id`` in ``hours`` hours."""
    visits.book_appointment(
        receptionist,
        visits.AppointmentInput(
            visitor_name="周杰",
            visitor_phone=phone,
            expected_at=clock.now() + timedelta(hours=hours),
            host_resident_id=host_id,
            purpose=purpose,
        ),
    )


def complaint_letter(receptionist: Session, store: AttachmentStore, sender: str, **more: Any) -> Letter:
    """A posted 投诉 letter about 地库漏水, routed to 工程部 (刘工); ``more``: other LetterInput fields."""
    return letters.register_letter(
        receptionist,
        letters.LetterInput(
            channel="邮寄",
            letter_type="投诉",
            sender_name=sender,
            subject="地库漏水",
            department_id=dept("工程部"),
            handler="刘工",
            **more,
        ),
        store,
    )
