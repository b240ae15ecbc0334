"""One desk of tests/store/test_two_desks.py, run as its own process (``python -m tests.desk_worker``).

The desk opens the shared database the way a desk PC does — a data folder whose ``reception.ini``
names the desk (and, for a server, its address) — logs in as its own receptionist, says it is
ready and waits for the start signal, so both desks begin at the same instant. Then, as fast as
it can:

1. ``--count`` rounds of one call (answered, dispatched to a department — a case —, a message,
   a callback, in turn) and one visit (a guest, or a resident on business; every tenth business
   visit a complaint — a case), checking its own even-numbered guests out one round later;
   now and then the same form is submitted twice, which must save once.
2. It writes what it got to ``registered-<key>.json``, waits for the other desk's file, and checks
   out, by pass number, the other desk's guests that desk left on site (the guest registered at
   the main gate who leaves through the lobby).

Everything it saved — serial, client token, id — goes to ``report-<key>.json`` for the parent
to compare with the database. Any failure ends the process with a traceback and exit status 1."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from datetime import timedelta
from pathlib import Path
from typing import Any

from reception.clock import FixedClock
from reception.services import auth
from reception.services import calls
from reception.services import visits
from reception.services.calls import CallInput
from reception.services.calls import Outcome
from reception.services.session import Session
from reception.services.visits import BusinessVisitInput
from reception.services.visits import GuestInput
from reception.store import config
from reception.store import db
from reception.store import desk
from reception.store.models import Department
from reception.store.paths import DataDir
from reception.store.startup import open_data_dir

GOOD_ID = "11010519491231002X"
CALL_OUTCOMES = [Outcome.ANSWERED, Outcome.DISPATCHED, Outcome.MESSAGE, Outcome.CALLBACK]
RESUBMIT_EVERY = 15  # every 15th round submits the call and the visit form a second time
WAIT_LIMIT_S = 60.0


@dataclass
class Report:
    desk: str
    key: str
    operator_id: int = 0
    records: list[dict[str, Any]] = field(default_factory=list)
    own_checkouts: list[str] = field(default_factory=list)
    peer_checkouts: list[str] = field(default_factory=list)
    resubmits: int = 0
    started: float = 0.0
    registered: float = 0.0
    finished: float = 0.0

    def write(self, path: Path) -> None:
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(self.__dict__, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)


class PeerFailed(Exception):
    pass


def wait_for(path: Path, peer_failed: Path) -> None:
    """Wait for ``path`` to appear; give up when the other desk has failed (``peer_failed``)."""
    deadline = time.monotonic() + WAIT_LIMIT_S
    while not path.exists():
        if peer_failed.exists():
            raise PeerFailed(f"the other desk failed while this one waited for {path.name}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {WAIT_LIMIT_S:.0f} s for {path.name}")
        time.sleep(0.002)


def open_desk(folder: Path, sqlite_file: Path | None) -> None:
    """Open the database as this desk's data folder says. A server: the real start-up path
    (:func:`open_data_dir`). One SQLite file shared by both desks: that file, with this folder's
    desk name."""
    data = DataDir(folder)
    if data.server:
        open_data_dir(data)
        return
    assert sqlite_file is not None, "--sqlite is needed when reception.ini names no server"
    desk.set_name(config.load(folder).desk)
    db.open_database(sqlite_file)


def departments() -> dict[str, int]:
    return {d.name: d.id for d in Department.select()}


def a_call(clock: FixedClock, round_no: int, token: str, depts: dict[str, int]) -> CallInput:
    outcome = CALL_OUTCOMES[round_no % len(CALL_OUTCOMES)]
    data = CallInput(
        started_at=clock.now() - timedelta(seconds=40),
        category="咨询",
        content=f"第 {round_no} 个来电：问停车月卡办理",
        outcome=outcome,
        caller_name="陈先生",
        caller_phone="13800138000",
        client_token=token,
    )
    if outcome == Outcome.ANSWERED:
        data.answer = "带行驶证到客服中心办理"
    elif outcome == Outcome.DISPATCHED:
        data.category = "报修"
        data.content = f"第 {round_no} 个来电：楼道灯不亮"
        data.department_id = depts["工程部"]
        data.taken_by = "刘师傅"
    elif outcome == Outcome.MESSAGE:
        data.message_for_person = "周经理"
        data.message_text = "请回电陈先生"
    else:
        data.callback_due_at = clock.now() + timedelta(hours=1)
        data.callback_reason = "查询后回复"
    return data


def a_guest(round_no: int, token: str) -> GuestInput:
    return GuestInput(
        visitor_name=f"访客{round_no}",
        visitor_phone="13900005678",
        id_number=GOOD_ID,
        id_verified=True,
        staff_host="客服中心 周经理",
        purpose="探亲访友",
        consent=visits.AGREED,
        client_token=token,
    )


def a_business_visit(round_no: int, token: str) -> BusinessVisitInput:
    complaint = round_no % 10 == 1
    return BusinessVisitInput(
        purpose=visits.COMPLAINT if complaint else "交费",
        visitor_name="林女士",
        visitor_phone="13700001111",
        location="5栋1单元302",
        handled="反映电梯噪音" if complaint else "缴纳物业费一季度",
        taken_over_by="周主管" if complaint else "",
        client_token=token,
    )


def register_round(session: Session, report: Report, round_no: int, depts: dict[str, int]) -> None:
    clock = session.clock
    assert isinstance(clock, FixedClock)
    key = report.key
    call_token = f"{key}-call-{round_no:03d}"
    result = calls.register_call(session, a_call(clock, round_no, call_token, depts))
    assert not result.duplicate, call_token
    report.records.append(
        {
            "kind": "call",
            "token": call_token,
            "serial": result.call.serial,
            "id": result.call.id,
            "case": result.case.serial if result.case else None,
        }
    )
    clock.advance(seconds=1)

    guest = round_no % 2 == 0
    visit_token = f"{key}-visit-{round_no:03d}"
    if guest:
        visit = visits.register_guest(session, a_guest(round_no, visit_token))
    else:
        visit = visits.register_business_visit(session, a_business_visit(round_no, visit_token))
    report.records.append(
        {
            "kind": "guest" if guest else "business",
            "token": visit_token,
            "serial": visit.serial,
            "id": visit.id,
            "complaint": visit.purpose == visits.COMPLAINT,
        }
    )
    clock.advance(seconds=1)

    if round_no % RESUBMIT_EVERY == RESUBMIT_EVERY - 1:  # the same forms submitted again
        again = calls.register_call(session, a_call(clock, round_no, call_token, depts))
        assert again.duplicate and again.call.serial == result.call.serial, call_token
        if guest:
            same = visits.register_guest(session, a_guest(round_no, visit_token))
        else:
            same = visits.register_business_visit(session, a_business_visit(round_no, visit_token))
        assert same.id == visit.id, visit_token
        report.resubmits += 2

    if round_no >= 2:
        check_out_own(session, report, round_no - 2)


def check_out_own(session: Session, report: Report, round_no: int) -> None:
    """This desk checks out its guests of rounds 0, 4, 8… (one guest in two), by pass number;
    the guests of rounds 2, 6, 10… are left for the other desk."""
    if round_no % 4:
        return
    token = f"{report.key}-visit-{round_no:03d}"
    serial = next(r["serial"] for r in report.records if r["token"] == token)
    visits.checkout_by_pass(session, serial)
    report.own_checkouts.append(serial)
    assert isinstance(session.clock, FixedClock)
    session.clock.advance(seconds=1)


def run(args: argparse.Namespace) -> None:
    folder = Path(args.folder)
    shared = Path(args.shared)
    open_desk(folder, Path(args.sqlite) if args.sqlite else None)
    report = Report(desk=desk.name(), key=args.key)
    clock = FixedClock(datetime.fromisoformat(args.now))
    session = auth.login(args.username, args.password, clock)
    report.operator_id = session.operator.id
    depts = departments()

    (shared / f"ready-{args.key}").touch()
    wait_for(shared / "go", shared / f"failed-{args.peer}")
    report.started = time.time()
    for round_no in range(args.count):
        register_round(session, report, round_no, depts)
    for round_no in range(max(args.count - 2, 0), args.count):  # the last rounds' own guests
        check_out_own(session, report, round_no)
    report.registered = time.time()
    report.write(shared / f"registered-{args.key}.json")

    peer_file = shared / f"registered-{args.peer}.json"
    wait_for(peer_file, shared / f"failed-{args.peer}")
    peer = json.loads(peer_file.read_text(encoding="utf-8"))
    left_by_peer = set(peer["own_checkouts"])
    for record in peer["records"]:
        if record["kind"] == "guest" and record["serial"] not in left_by_peer:
            clock.advance(seconds=1)
            visits.checkout_by_pass(session, record["serial"])
            report.peer_checkouts.append(record["serial"])
    auth.logout(session)
    report.finished = time.time()
    report.write(shared / f"report-{args.key}.json")
    db.close_database()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", required=True, help="this desk's data folder (reception.ini)")
    parser.add_argument("--sqlite", default="", help="the shared SQLite file, when there is no server")
    parser.add_argument("--shared", required=True, help="folder for the start signal and the reports")
    parser.add_argument("--key", required=True, help="ASCII name of this desk, for files and tokens")
    parser.add_argument("--peer", required=True, help="the other desk's key")
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--now", required=True, help="the fixed clock's start, naive UTC (ISO)")
    parser.add_argument("--count", type=int, default=60)
    args = parser.parse_args(argv)
    try:
        run(args)
    except BaseException:
        traceback.print_exc()
        (Path(args.shared) / f"failed-{args.key}").touch()  # the other desk stops waiting
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
