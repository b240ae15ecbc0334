"""Each kind of save a person makes at the desk, and the reads behind the lists, as callables
for the fault tests (a locked or read-only file, a stopped or frozen server): each save goes
through its service exactly as the window calls it, with a form's submit token."""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from reception.services import calls
from reception.services import cases
from reception.services import incidents
from reception.services import letters
from reception.services import visits
from reception.services.calls import CallInput
from reception.services.calls import Outcome
from reception.services.session import Session
from reception.store import db
from reception.store.attachments import AttachmentStore
from tests import mixed_traffic as traffic


def _token() -> str:
    return uuid.uuid4().hex


def saves(receptionist: Session, admin: Session, folder: Path) -> dict[str, Callable[[], object]]:
    """The six saves of the six forms (call, guest, business visit, letter, case, incident).
    What they refer to (a household, a department) is made now, before any fault."""
    home = traffic.host(admin, "13600001234")
    security = traffic.dept("保安部")
    engineering = traffic.dept("工程部")
    store = AttachmentStore(folder / "attachments")
    now = receptionist.now
    # One submit token per form, kept across its retries (as the form keeps it).
    tokens = {form: _token() for form in ("call", "guest", "business", "letter")}

    def call() -> object:
        data = CallInput(
            started_at=now() - timedelta(minutes=2),
            category="咨询",
            content="问物业费",
            answer="1.8 元",
            outcome=Outcome.ANSWERED,
            client_token=tokens["call"],
        )
        return calls.register_call(receptionist, data)

    def guest() -> object:
        data = visits.GuestInput(
            visitor_name="王小明",
            visitor_phone="13900005678",
            id_number=traffic.ID_NUMBER,
            id_verified=True,
            host_resident_id=home.id,
            purpose="探亲访友",
            consent=visits.AGREED,
            client_token=tokens["guest"],
        )
        return visits.register_guest(receptionist, data)

    def business() -> object:
        data = visits.BusinessVisitInput(
            purpose="交费", resident_id=home.id, handled="已收物业费", client_token=tokens["business"]
        )
        return visits.register_business_visit(receptionist, data)

    def letter() -> object:
        data = letters.LetterInput(
            channel="邮寄",
            letter_type="投诉",
            sender_name="业委会",
            subject="地库漏水",
            department_id=engineering,
            handler="刘工",
            client_token=tokens["letter"],
        )
        return letters.register_letter(receptionist, data, store)

    def case() -> object:
        data = cases.CaseInput(category="报修", description="电梯异响", location="电梯")
        return cases.open_direct_case(receptionist, data)

    def incident() -> object:
        data = incidents.IncidentInput(
            kind=incidents.HAZARD,
            description="地库有可疑人员",
            reported_to_department_id=security,
            reported_to_person="吴班长",
            reported_at=now(),
        )
        return incidents.record_incident(receptionist, data)

    return {
        "来电": call,
        "访客": guest,
        "业务来访": business,
        "来函": letter,
        "工单": case,
        "事件": incident,
    }


def reads(receptionist: Session) -> dict[str, Callable[[], object]]:
    """Reads behind the window's lists, counts and change polling."""
    from reception.services import counters
    from reception.store import changes

    now = receptionist.now
    return {
        "来电列表": lambda: calls.list_calls(calls.CallFilter(search="物业费")),
        "来函列表": lambda: letters.list_letters(letters.LetterFilter()),
        "在场访客": lambda: visits.count_on_site(now()),
        "状态栏计数": lambda: counters.desk_counts(now()),
        "变更检查": changes.latest_change,
    }


def exclusive_holder(path: Path) -> subprocess.Popen[str]:
    """Another program holding the file in EXCLUSIVE locking mode after a write: in WAL mode
    readers then get "database is locked" too (contention, not damage). It can take that lock
    only while no other connection has the file open: this desk's connection is closed first
    and opens again by itself at the next statement (as after the window's idle close)."""
    db.close_database()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys\n"
            f"c = sqlite3.connect(r'{path}', isolation_level=None, timeout=10)\n"
            "c.execute('PRAGMA locking_mode=EXCLUSIVE')\n"
            "c.execute('BEGIN IMMEDIATE'); c.execute('CREATE TABLE held(x)'); c.execute('ROLLBACK')\n"
            "c.execute('BEGIN IMMEDIATE'); c.execute('CREATE TABLE held(x)')\n"
            "print('locked', flush=True); sys.stdin.readline()\n"
            "c.execute('ROLLBACK'); c.close()\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    assert holder.stdout is not None
    if holder.stdout.readline().strip() != "locked":
        holder.communicate(timeout=10)
        pytest.fail("the other program could not take the lock")
    return holder


def short_waits(folder: Path) -> None:
    """The same file through the program's own database class, waiting 0.1 s instead of 5 s for
    a lock (the test makes a dozen requests against a held lock)."""
    db.close_database()
    pragmas = {**db.PRAGMAS, "busy_timeout": 100}
    quick = db.LocalDatabase(
        str(folder / "reception.db"), pragmas=pragmas, lock_type="IMMEDIATE", timeout=0.1
    )
    db.database.initialize(quick)
