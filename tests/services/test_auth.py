"""Operators, passwords and roles."""

from __future__ import annotations

import pytest

from reception.errors import AuthError
from reception.errors import PermissionDenied
from reception.errors import ValidationError
from reception.services import auth
from reception.services import departments
from reception.services import settings
from reception.services.session import Role
from reception.store.models import AuditLog
from reception.store.models import Department
from reception.store.models import Operator
from tests.conftest import PASSWORD


def test_first_run_setup_creates_admin_settings_and_default_departments(database, clock):
    assert not auth.is_set_up()
    admin = auth.initial_setup(
        auth.SetupInput("阳光花园物业", "021-50000000", "Admin", "王管理", PASSWORD, PASSWORD), clock
    )
    assert auth.is_set_up() and admin.username == "admin" and admin.role == Role.ADMIN
    assert [d.name for d in departments.list_departments()] == settings.DEFAULT_DEPARTMENTS
    conf = settings.load()
    assert conf.greeting_text() == "您好，阳光花园物业，请问有什么可以帮您？"
    with pytest.raises(AuthError):
        auth.initial_setup(auth.SetupInput("另一个", "", "x", "x", PASSWORD, PASSWORD), clock)


def test_setup_reports_each_bad_field(database, clock):
    with pytest.raises(ValidationError) as err:
        auth.initial_setup(auth.SetupInput("", "123", "a b", "", "123", "456"), clock)
    assert set(err.value.fields) == {
        "property_name",
        "desk_phone",
        "admin_username",
        "admin_display_name",
        "password",
        "password_again",
    }
    assert not auth.is_set_up()


def test_passwords_are_argon2id_with_enough_memory(admin):
    stored = Operator.get(Operator.username == "admin").password_hash
    assert stored.startswith("$argon2id$")
    memory = int(stored.split("$")[3].split(",")[0].removeprefix("m="))
    assert memory >= 19456


def test_login_logout_are_audited_and_wrong_passwords_slow_down(admin, clock):
    for _ in range(5):
        with pytest.raises(AuthError, match="不正确"):
            auth.login("admin", "wrong-one", clock)
    with pytest.raises(AuthError, match="秒后再试"):
        auth.login("admin", PASSWORD, clock)  # even the right password waits
    clock.advance(seconds=31)
    session = auth.login("admin", PASSWORD, clock)
    auth.logout(session)
    actions = [e.action for e in AuditLog.select().order_by(AuditLog.id)]
    assert actions.count("login.failed") == 5 and actions[-2:] == ["login", "logout"]
    assert Operator.get(Operator.username == "admin").failed_logins == 0


def test_unknown_user_gets_the_same_message(admin, clock):
    with pytest.raises(AuthError, match="登录名或密码不正确"):
        auth.login("nobody", PASSWORD, clock)


def test_roles_are_enforced_by_the_services(receptionist, supervisor, admin):
    with pytest.raises(PermissionDenied, match="管理员"):
        settings.update(receptionist, property_name="x", desk_phone="", greeting="您好")
    with pytest.raises(PermissionDenied):
        departments.add_department(supervisor, "物业前台")
    with pytest.raises(PermissionDenied):
        auth.create_operator(receptionist, auth.OperatorInput("x1", "某人", Role.ADMIN, PASSWORD))
    dept = departments.add_department(admin, "会所", "021-50002222")
    assert Department.get_by_id(dept.id).phone == "021-50002222"


def test_operators_change_their_own_password_and_admins_reset_others(receptionist, admin, clock):
    with pytest.raises(ValidationError, match="当前密码"):
        auth.set_password(receptionist, receptionist.operator.id, "newpass1", current="wrong")
    auth.set_password(receptionist, receptionist.operator.id, "newpass1", current=PASSWORD)
    auth.login("lixiao", "newpass1", clock)
    with pytest.raises(PermissionDenied):
        auth.set_password(receptionist, admin.operator.id, "hacked12")
    auth.set_password(admin, receptionist.operator.id, "reset123")
    auth.login("lixiao", "reset123", clock)


def test_deactivated_operator_cannot_log_in_and_admin_cannot_demote_self(admin, receptionist, clock):
    auth.update_operator(
        admin, receptionist.operator.id, display_name="李晓", role=Role.RECEPTIONIST, active=False
    )
    with pytest.raises(AuthError):
        auth.login("lixiao", PASSWORD, clock)
    with pytest.raises(ValidationError):
        auth.update_operator(
            admin, admin.operator.id, display_name="王管理", role=Role.SUPERVISOR, active=True
        )


def test_settings_update_is_audited(admin):
    settings.update(
        admin,
        property_name="阳光花园",
        desk_phone="021-50009999",
        greeting="您好，{物业名称}客服中心",
        reply_hours={"紧急": 1},
    )
    conf = settings.load()
    assert conf.greeting_text() == "您好，阳光花园客服中心" and conf.reply_hours_for("紧急") == 1
    assert AuditLog.select().where(AuditLog.action == "settings.update").count() == 1


def test_an_unknown_or_disabled_name_runs_the_same_password_check_as_a_known_one(admin, clock, monkeypatch):
    """No timing difference to guess user names by: argon2 verifies a password in every case."""
    from reception.services import auth as auth_module

    real = auth_module._hasher
    checked: list[str] = []

    class Counting:  # the real argon2 hasher, counting its verifications
        def __getattr__(self, name: str) -> object:
            return getattr(real, name)

        def verify(self, hash_: str, password: str) -> bool:
            checked.append(hash_)
            return real.verify(hash_, password)

    monkeypatch.setattr(auth_module, "_hasher", Counting())
    auth.create_operator(admin, auth.OperatorInput("gone", "离职", Role.RECEPTIONIST, PASSWORD))
    auth.update_operator(
        admin,
        Operator.get(Operator.username == "gone").id,
        display_name="离职",
        role=Role.RECEPTIONIST,
        active=False,
    )
    for name in ("admin", "nobody", "gone"):
        with pytest.raises(AuthError, match="登录名或密码不正确"):
            auth.login(name, "wrong-password", clock)
    assert len(checked) == 3 and all(h.startswith("$argon2id$") for h in checked)
    assert len(set(checked)) == 2  # the real hash, then the same dummy for both unknown ones


def test_every_refused_login_is_audited_throttled_ones_included(admin, clock):
    for _ in range(auth.FREE_ATTEMPTS):
        with pytest.raises(AuthError):
            auth.login("admin", "wrong-password", clock)
    for _ in range(3):
        with pytest.raises(AuthError, match="秒后再试"):
            auth.login("admin", PASSWORD, clock)
    actions = [a.action for a in AuditLog.select().order_by(AuditLog.id)]
    assert actions.count("login.failed") == auth.FREE_ATTEMPTS
    assert actions.count("login.throttled") == 3
    throttled = AuditLog.select().where(AuditLog.action == "login.throttled").first()
    assert throttled.operator_id == admin.operator.id and "wait_seconds" in throttled.detail


def test_the_unlock_pin_is_the_operators_own_hashed_throttled_and_audited(receptionist, clock):
    """Issue 17, finding 19: 4–6 digits, argon2, five wrong in a row or a lock older than the
    setting need the password; every attempt is in the audit log."""
    from reception.store.models import AuditLog
    from reception.store.models import Operator

    with pytest.raises(ValidationError) as caught:
        auth.set_pin(receptionist, "12a4", "12a4", "wrong-password")
    assert set(caught.value.fields) == {"current", "pin"}
    with pytest.raises(ValidationError, match="4 到 6 位数字"):
        auth.set_pin(receptionist, "1234567", "1234567", PASSWORD)
    auth.set_pin(receptionist, "58213", "58213", PASSWORD)
    assert Operator.get_by_id(receptionist.operator.id).pin_hash.startswith("$argon2id$")
    locked_at = clock.now()
    auth.unlock_with_pin(receptionist, "58213", locked_at)
    for _ in range(4):
        with pytest.raises(auth.AuthError, match="解锁码不正确"):
            auth.unlock_with_pin(receptionist, "11122", locked_at)
    with pytest.raises(auth.PasswordNeeded, match="连续输错 5 次"):
        auth.unlock_with_pin(receptionist, "11122", locked_at)
    with pytest.raises(auth.PasswordNeeded):
        auth.unlock_with_pin(receptionist, "58213", locked_at)  # right, but throttled
    auth.login("lixiao", PASSWORD, clock)  # the password clears the count
    clock.advance(minutes=61)
    with pytest.raises(auth.PasswordNeeded, match="锁定已超过 60 分钟"):
        auth.unlock_with_pin(receptionist, "58213", locked_at)
    actions = [
        r.action for r in AuditLog.select().where(AuditLog.action.startswith("unlock.")).order_by(AuditLog.id)
    ]
    assert actions == ["unlock.pin", *["unlock.pin_failed"] * 5, "unlock.pin_refused", "unlock.pin_refused"]
    assert "58213" not in str([r.detail for r in AuditLog.select()])
