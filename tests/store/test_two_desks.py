"""Two desks on one database at once: the promises of one desk hold for two.

Two processes (tests/desk_worker.py), each a desk with its own name and its own receptionist,
start together and register calls and visits as fast as they can, check guests out — their own
and the other desk's —, and report what they got. Then every record is in the database exactly
once, the serials are unique and count 001…N per kind and day without a gap, each record carries
its desk's name, and the audit chain is intact. On the PostgreSQL test server when
``RECEPTION_TEST_DATABASE`` is set (a fresh database), otherwise on one SQLite file shared by the
two processes (busy timeout 5 s)."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

import peewee
from playhouse.db_url import connect

from reception.clock import FixedClock
from reception.services import auth
from reception.services import visits
from reception.services.session import Role
from reception.services.session import Session
from reception.services.visits import GuestInput
from reception.store import audit
from reception.store import config
from reception.store import db
from reception.store.models import AuditLog
from reception.store.models import Call
from reception.store.models import Callback
from reception.store.models import Case
from reception.store.models import Message
from reception.store.models import SerialCounter
from reception.store.models import Visit
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 60  # per desk: 60 calls, 60 visits (30 guests), 30 check-outs
DESKS = {"a": ("服务中心前台", "desk_a"), "b": ("南门岗", "desk_b")}  # key: (desk name, login)
DAY = "20261126"
START_LIMIT_S = 60
RUN_LIMIT_S = 120


def start_desk(key: str, peer: str, target: Path | str, tmp_path: Path, now: datetime) -> subprocess.Popen:
    name, username = DESKS[key]
    folder = tmp_path / f"desk-{key}"
    server = str(target) if db.is_server_address(target) else ""
    config.save(folder, config.LocalConfig(database=server, desk=name))
    command = [
        sys.executable,
        "-W",
        "error",
        "-m",
        "tests.desk_worker",
        "--folder",
        str(folder),
        "--shared",
        str(tmp_path / "shared"),
        "--key",
        key,
        "--peer",
        peer,
        "--username",
        username,
        "--password",
        PASSWORD,
        "--now",
        now.isoformat(),
        "--count",
        str(ROUNDS),
    ]
    if not server:
        command += ["--sqlite", str(target)]
    with (tmp_path / f"desk-{key}.err").open("wb") as err:  # the child keeps its own handle
        return subprocess.Popen(command, cwd=ROOT, stdout=err, stderr=subprocess.STDOUT)


def run_desks(target: Path | str, tmp_path: Path, now: datetime) -> dict[str, dict]:
    """Start both desks, release them together once both are logged in, wait for them; their
    reports by desk key."""
    shared = tmp_path / "shared"
    shared.mkdir()
    procs = {
        "a": start_desk("a", "b", target, tmp_path, now),
        "b": start_desk("b", "a", target, tmp_path, now),
    }

    def output(key: str) -> str:
        return (tmp_path / f"desk-{key}.err").read_text(encoding="utf-8")

    def ended() -> bool:
        return any(proc.poll() is not None for proc in procs.values())

    try:
        deadline = time.monotonic() + START_LIMIT_S
        while not all((shared / f"ready-{key}").exists() for key in procs) and not ended():
            assert time.monotonic() < deadline, "the desks did not get ready in time"
            time.sleep(0.01)
        if not ended():
            (shared / "go").touch()
        deadline = time.monotonic() + RUN_LIMIT_S
        while not all(proc.poll() is not None for proc in procs.values()):
            assert time.monotonic() < deadline, "the desks did not finish in time"
            time.sleep(0.01)
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    failed = [f"desk {key} failed:\n{output(key)}" for key, proc in procs.items() if proc.returncode]
    assert not failed, "\n".join(failed)
    for key in procs:
        assert output(key) == "", f"desk {key} wrote to stderr:\n{output(key)}"
    return {key: json.loads((shared / f"report-{key}.json").read_text(encoding="utf-8")) for key in procs}


def assert_gap_free(prefix: str, serials: list[str]) -> None:
    """The day's serials of one kind are {prefix}{DAY}-001 … -N, each once, and the counter says N."""
    assert len(serials) == len(set(serials)), f"{prefix}: a serial was given twice"
    assert all(s.startswith(f"{prefix}{DAY}-") for s in serials), serials
    numbers = sorted(int(s.rsplit("-", 1)[1]) for s in serials)
    assert numbers == list(range(1, len(serials) + 1)), f"{prefix}: gaps or repeats in {numbers}"
    counter = SerialCounter.get((SerialCounter.kind == prefix) & (SerialCounter.day == DAY))
    assert counter.last == len(serials)


def switches(records: list[tuple[str, str]]) -> int:
    """How often the desk changes along the serial order (a figure of the interleaving)."""
    ordered = [key for _serial, key in sorted(records)]
    return sum(1 for before, after in itertools.pairwise(ordered) if before != after)


def test_two_desks_registering_at_once_get_every_record_once_with_gap_free_serials(
    admin: Session, clock: FixedClock, database_target: Path | str, tmp_path: Path
) -> None:
    operators = {}
    for key, (_name, username) in DESKS.items():
        operators[key] = auth.create_operator(
            admin, auth.OperatorInput(username, f"前台{key.upper()}", Role.RECEPTIONIST, PASSWORD)
        ).id

    began = time.perf_counter()
    reports = run_desks(database_target, tmp_path, clock.now())
    wall = time.perf_counter() - began

    # -- no process failed, and they really ran at the same time
    a, b = reports["a"], reports["b"]
    assert a["started"] < b["registered"] and b["started"] < a["registered"], "the desks did not overlap"

    # -- every reported record is in the database once, as reported, with its desk and operator
    calls_by_token = {c.client_token: c for c in Call.select()}
    visits_by_token = {v.client_token: v for v in Visit.select()}
    reported = [(key, r) for key, rep in reports.items() for r in rep["records"]]
    reported_calls = [(key, r) for key, r in reported if r["kind"] == "call"]
    reported_visits = [(key, r) for key, r in reported if r["kind"] != "call"]
    assert len(reported_calls) == len(reported_visits) == 2 * ROUNDS
    assert len(calls_by_token) == Call.select().count() == 2 * ROUNDS
    assert len(visits_by_token) == Visit.select().count() == 2 * ROUNDS
    for key, r in reported_calls:
        call = calls_by_token[r["token"]]
        assert (call.id, call.serial) == (r["id"], r["serial"])
        assert (call.desk, call.operator_id) == (DESKS[key][0], operators[key])
        if r["case"]:
            case = Case.get(Case.serial == r["case"])
            assert (case.source_kind, case.source_id, case.desk) == ("call", call.id, DESKS[key][0])
    for key, r in reported_visits:
        visit = visits_by_token[r["token"]]
        assert (visit.id, visit.serial, visit.kind) == (r["id"], r["serial"], r["kind"])
        assert (visit.desk, visit.operator_id) == (DESKS[key][0], operators[key])
        if r.get("complaint"):
            case = Case.get((Case.source_kind == "visit") & (Case.source_id == visit.id))
            assert case.desk == DESKS[key][0]
    desk_names = {name for name, _login in DESKS.values()}
    for model in (Case, Message, Callback):
        assert {row.desk for row in model.select(model.desk)} == desk_names, model.__name__

    # -- serials: unique, and 001…N per kind for the day
    assert_gap_free("LD", [c.serial for c in Call.select(Call.serial)])
    assert_gap_free("LF", [v.serial for v in Visit.select(Visit.serial)])
    cases = [c.serial for c in Case.select(Case.serial)]
    dispatched = sum(1 for _key, r in reported_calls if r["case"])
    complaints = sum(1 for _key, r in reported_visits if r.get("complaint"))
    assert len(cases) == dispatched + complaints > 0
    assert_gap_free("GD", cases)

    # -- check-outs: every guest left once, by the desk that said it checked the guest out
    guests = [(key, r) for key, r in reported_visits if r["kind"] == "guest"]
    checked_out = Counter(s for rep in reports.values() for s in rep["own_checkouts"] + rep["peer_checkouts"])
    assert sorted(checked_out) == sorted(r["serial"] for _key, r in guests)
    assert set(checked_out.values()) == {1}
    assert all(rep["peer_checkouts"] for rep in reports.values())
    for key, rep in reports.items():
        for serial in rep["own_checkouts"] + rep["peer_checkouts"]:
            visit = Visit.get(Visit.serial == serial)
            assert (visit.status, visit.checked_out_by_id) == (visits.LEFT, operators[key])
    assert visits.on_site() == []

    # -- the audit log: one entry per change, one intact chain
    assert audit.verify_chain() == []
    actions = Counter(row.action for row in AuditLog.select(AuditLog.action))
    assert actions["call.create"] == 2 * ROUNDS
    assert actions["visit.create"] == 2 * ROUNDS
    assert actions["visit.checkout"] == len(guests)
    assert actions["case.create"] == len(cases)
    assert actions["message.create"] == Message.select().count() > 0
    assert actions["callback.create"] == Callback.select().count() > 0
    created = {row.entity_id for row in AuditLog.select().where(AuditLog.action == "call.create")}
    assert created == {r["id"] for _key, r in reported_calls}

    # -- figures (shown with -s / -rP)
    backend = "PostgreSQL" if db.is_postgres() else "SQLite"
    lines = [f"two desks on {backend}: {wall:.1f} s for both processes, start to end"]
    for key, rep in reports.items():
        seconds = rep["registered"] - rep["started"]
        lines.append(
            f"  desk {key}: {len(rep['records'])} records (+ {len(rep['own_checkouts'])} check-outs, "
            f"{rep['resubmits']} repeated submits) in {seconds:.2f} s = "
            f"{len(rep['records']) / seconds:.0f} records/s"
        )
    interleaved = switches(
        [(r["serial"], key) for key, r in reported_calls] + [(r["serial"], key) for key, r in reported_visits]
    )
    lines.append(f"  desk changes along the serial order: {interleaved}")
    print("\n".join(lines))


def second_connection(target: Path | str) -> peewee.Database:
    """Another desk's own connection to the same database (the proxy keeps this desk's)."""
    if db.is_server_address(target):
        return connect(str(target))
    return peewee.SqliteDatabase(str(target), pragmas=db.PRAGMAS, timeout=5)


def poll(other: peewee.Database, now: datetime) -> list[str]:
    """One refresh of the other desk's on-site list and status-bar count: their queries, over
    its own connection."""
    with other.bind_ctx([Visit]):
        serials = [v.serial for v in visits.on_site()]
        assert visits.count_on_site(now)[0] == len(serials)
        return serials


def test_a_check_out_at_one_desk_is_gone_from_the_other_desks_list_at_its_next_poll(
    receptionist: Session, clock: FixedClock, database_target: Path | str
) -> None:
    other = second_connection(database_target)
    other.connect()
    try:
        assert poll(other, clock.now()) == []
        for number in range(3):
            visit = visits.register_guest(
                receptionist,
                GuestInput(
                    visitor_name=f"王小明{number}",
                    visitor_phone="13900005678",
                    id_number="11010519491231002X",
                    id_verified=True,
                    staff_host="客服中心",
                    purpose="送货",
                    consent=visits.AGREED,
                ),
            )
            assert poll(other, clock.now()) == [visit.serial]  # a new guest shows at the next poll
            clock.advance(minutes=5)
            visits.checkout(receptionist, visit.id)
            assert poll(other, clock.now()) == []  # …and so does a check-out
    finally:
        other.close()
