"""Several desks: this PC's settings file, the desk name on every record it creates, shifts per
desk, and the command line's choice of database."""

from __future__ import annotations

import os
from datetime import date
from datetime import timedelta

import pytest

from reception.errors import StorageError
from reception.errors import ValidationError
from reception.services import calls
from reception.services import handover
from reception.services import residents
from reception.services import shifts
from reception.services import visits
from reception.services.calls import CallInput
from reception.services.calls import Outcome
from reception.services.visits import BusinessVisitInput
from reception.store import config
from reception.store import db
from reception.store import desk
from reception.store.models import AuditLog
from reception.store.models import Case
from reception.store.models import CaseEvent
from reception.store.models import Department
from reception.store.paths import DataDir


@pytest.fixture(autouse=True)
def no_desk_name_left_behind():
    yield
    desk.set_name("")


def test_the_local_settings_file_round_trips_and_names_the_database(tmp_path):
    assert config.load(tmp_path) == config.LocalConfig()  # no file: SQLite here, no name
    assert DataDir(tmp_path).target == tmp_path / "reception.db"
    config.save(tmp_path, config.LocalConfig("postgresql://desk@10.0.0.5/reception", "南门岗"))
    assert config.load(tmp_path) == config.LocalConfig("postgresql://desk@10.0.0.5/reception", "南门岗")
    assert "南门岗" in (tmp_path / "reception.ini").read_text(encoding="utf-8")
    assert DataDir(tmp_path).server == "postgresql://desk@10.0.0.5/reception"
    # --database on the command line wins over the file
    assert DataDir(tmp_path, server="postgresql://x@y/z").target == "postgresql://x@y/z"
    assert not list(tmp_path.glob("*.tmp"))


def test_a_broken_settings_file_falls_back_to_the_defaults(tmp_path):
    (tmp_path / "reception.ini").write_bytes(b"\xff\xfe[\x00garbage")
    assert config.load(tmp_path) == config.LocalConfig()


def test_the_desk_name_is_checked_stored_and_used(tmp_path):
    with pytest.raises(ValidationError) as refused:
        config.set_desk_name(tmp_path, "门" * 41)
    assert "前台名称最多 40 个字" in refused.value.fields["desk"]
    with pytest.raises(ValidationError):
        config.set_desk_name(tmp_path, "南门\x07岗")
    config.set_desk_name(tmp_path, "  南门岗 \n")
    assert desk.name() == "南门岗" and config.load(tmp_path).desk == "南门岗"


def test_every_record_carries_the_desk_that_created_it(receptionist, admin, clock):
    desk.set_name("南门岗")
    host = residents.add_resident(admin, residents.ResidentInput("12", "3", "801", "欧阳娜娜", "业主"))
    dispatched = calls.register_call(
        receptionist,
        CallInput(
            started_at=clock.now() - timedelta(minutes=2),
            category="报修",
            content="楼道灯不亮",
            outcome=Outcome.DISPATCHED,
            resident_id=host.id,
            department_id=Department.get(Department.name == "工程部").id,
            taken_by="刘师傅",
        ),
    )
    visit = visits.register_business_visit(
        receptionist, BusinessVisitInput(purpose="交费", resident_id=host.id, handled="已交物业费")
    )
    desk.set_name("服务中心")
    case = Case.get_by_id(dispatched.case.id)
    assert dispatched.call.desk == "南门岗" and case.desk == "南门岗" and visit.desk == "南门岗"
    assert {e.desk for e in CaseEvent.select().where(CaseEvent.case == case.id)} >= {"南门岗"}
    shift = shifts.start(receptionist)
    assert shift.desk == "服务中心"


def test_the_login_entry_names_the_desk(admin, clock):
    from reception.services import auth
    from tests.conftest import PASSWORD

    desk.set_name("二号大堂")
    auth.login("admin", PASSWORD, clock)
    entry = AuditLog.select().where(AuditLog.action == "login").order_by(AuditLog.id.desc()).get()
    assert '"desk": "二号大堂"' in entry.detail


def test_each_desk_has_its_own_shift_and_report(receptionist, supervisor, clock):
    desk.set_name("服务中心")
    centre = shifts.start(receptionist)
    calls.register_call(
        receptionist,
        CallInput(
            started_at=clock.now(),
            category="咨询",
            content="问停车",
            answer="已答复",
            outcome=Outcome.ANSWERED,
        ),
    )
    desk.set_name("南门岗")
    assert shifts.current() is None  # the service centre's shift is not the gate's
    gate = shifts.start(supervisor)
    assert (centre.number, gate.number) == (1, 2) and gate.desk == "南门岗"
    for _ in range(2):
        calls.register_call(
            supervisor,
            CallInput(
                started_at=clock.now(),
                category="咨询",
                content="问快递",
                answer="已答复",
                outcome=Outcome.ANSWERED,
            ),
        )
    clock.advance(hours=1)
    figures = dict(map(tuple, handover.for_shift(gate, clock.now()).figures))
    assert figures["来电"] == 2
    report = handover.for_shift(centre, clock.now())
    assert dict(map(tuple, report.figures))["来电"] == 1 and report.shift_label == "第 1 班（服务中心）"
    daily = handover.for_day(date(2026, 11, 26), clock.now())  # the whole site
    assert dict(map(tuple, daily.figures))["来电"] == 3 and "（南门岗）" in daily.shift_label


@pytest.mark.skipif(not os.environ.get("RECEPTION_TEST_DATABASE"), reason="needs a PostgreSQL test server")
def test_desks_on_a_server_stamp_records_with_the_servers_time(database, caplog):
    """A PC whose clock is five minutes slow still stamps records (and counts serial days) in
    the server's time, and the difference is logged for the administrator."""
    from reception.clock import Clock
    from reception.clock import system_utc
    from reception.store.startup import follow_server_clock

    try:
        offset = follow_server_clock(lambda: system_utc() - timedelta(minutes=5))
        assert abs(offset - timedelta(minutes=5)) < timedelta(seconds=2)
        server_now = db.current().execute_sql("SELECT clock_timestamp() AT TIME ZONE 'UTC'").fetchone()[0]
        assert abs(Clock().now() - timedelta(minutes=5) - server_now) < timedelta(seconds=2)
        assert "differs from the database server's by" in caplog.text
        assert abs(follow_server_clock()) < timedelta(seconds=2)  # a right clock: nothing to add
    finally:
        Clock.offset = timedelta(0)


def test_an_unreachable_server_is_reported_in_chinese_without_its_password(tmp_path, capsys):
    from reception import cli

    with pytest.raises(StorageError) as failed:
        db.open_database("postgresql://reception:s3cret@127.0.0.1:1/reception")
    assert "无法连接数据库服务器（postgresql://reception@127.0.0.1:1/reception）" in failed.value.message
    assert "s3cret" not in failed.value.message
    where = ["--data-dir", str(tmp_path), "--database", "postgresql://reception:s3cret@127.0.0.1:1/x"]
    assert cli.main(["audit", "verify", "--user", "admin", *where]) == 1
    err = capsys.readouterr().err
    assert "无法连接数据库服务器" in err and "s3cret" not in err
    assert db.display_address("postgres://a:b@h:5/d") == "postgres://a@h:5/d"


@pytest.mark.skipif(not os.environ.get("RECEPTION_TEST_DATABASE"), reason="needs a PostgreSQL test server")
def test_a_wrong_account_or_database_name_is_named_as_such():
    from tests.conftest import TEST_SERVER
    from tests.conftest import server_address

    with pytest.raises(StorageError, match="上没有这个数据库"):
        db.open_database(server_address("no_such_database"))
    scheme, rest = TEST_SERVER.split("://", 1)
    with pytest.raises(StorageError, match="账号或密码有误"):
        db.open_database(f"{scheme}://no_such_role@{rest.split('@', 1)[1]}")
