"""Settings: the privacy, backup and badge settings (administrators only, checked per field)."""

from __future__ import annotations

import json

import pytest

from reception.errors import PermissionDenied
from reception.errors import ValidationError
from reception.services import settings as settings_mod
from reception.store.models import AuditLog

GOOD = dict(
    retention_days=180,
    backup_generations=30,
    idle_lock_minutes=10,
    privacy_contact="物业服务中心前台 021-50000000",
    store_full_id=False,
    badge_size="a6",
    badge_valid_hours=8,
)


def test_admin_updates_privacy_and_badge_settings_with_an_audit_entry(admin):
    conf = settings_mod.update_privacy_and_badges(admin, **{**GOOD, "privacy_contact": "  前台　王经理  "})
    assert (conf.retention_days, conf.backup_generations, conf.idle_lock_minutes) == (180, 30, 10)
    assert conf.privacy_contact == "前台 王经理"  # tidied like every one-line field
    assert (conf.badge_size, conf.badge_valid_hours, conf.store_full_id) == ("a6", 8, False)
    assert settings_mod.load() == conf
    entry = AuditLog.select().where(AuditLog.action == "settings.update").get()
    assert entry.operator_id == admin.operator.id
    changed = json.loads(entry.detail)["changed"]
    assert changed["retention_days"] == [90, 180]
    assert changed["badge_size"] == ["62x100", "a6"]
    assert "store_full_id" not in changed  # unchanged values are not listed
    assert "property_name" not in changed


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("retention_days", 29, "个人信息保存天数应为 30 到 3650 之间的整数"),
        ("retention_days", 3651, "个人信息保存天数应为 30 到 3650 之间的整数"),
        ("backup_generations", 0, "备份保留份数应为 3 到 365 之间的整数"),
        ("idle_lock_minutes", 0, "闲置锁定分钟应为 1 到 120 之间的整数"),
        ("badge_valid_hours", 25, "访客证有效小时应为 1 到 24 之间的整数"),
        ("badge_valid_hours", True, "访客证有效小时应为 1 到 24 之间的整数"),
        ("badge_size", "a4", "请选择访客证尺寸"),
        ("privacy_contact", "前台\n王经理", "个人信息咨询联系方式此处只能填写一行，不能换行"),
        ("privacy_contact", "电" * 101, "个人信息咨询联系方式太长（最多 100 字，现在 101 字）"),
        ("store_full_id", "yes", "“保存完整证件号码”只能是开或关"),
    ],
)
def test_each_bad_value_is_reported_beside_its_field(admin, field, value, message):
    with pytest.raises(ValidationError) as caught:
        settings_mod.update_privacy_and_badges(admin, **{**GOOD, field: value})
    assert caught.value.fields == {field: message}
    assert settings_mod.load().retention_days == 90  # nothing written
    assert not AuditLog.select().where(AuditLog.action == "settings.update").exists()


def test_all_problems_are_reported_at_once(admin):
    with pytest.raises(ValidationError) as caught:
        settings_mod.update_privacy_and_badges(
            admin, **{**GOOD, "retention_days": 1, "badge_size": "", "idle_lock_minutes": 500}
        )
    assert set(caught.value.fields) == {"retention_days", "badge_size", "idle_lock_minutes"}


@pytest.mark.parametrize("who", ["receptionist", "supervisor"])
def test_only_administrators_may_change_them_and_refusals_are_logged(request, who):
    session = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied, match="修改系统设置"):
        settings_mod.update_privacy_and_badges(session, **GOOD)
    assert settings_mod.load().retention_days == 90
    refusal = AuditLog.select().where(AuditLog.action == "permission.denied").get()
    assert refusal.operator_id == session.operator.id


def test_store_full_id_can_be_switched_on(admin):
    conf = settings_mod.update_privacy_and_badges(admin, **{**GOOD, "store_full_id": True})
    assert conf.store_full_id is True


def test_routing_defaults_and_a_default_handler_make_the_taker_optional(admin, receptionist):
    """报修 → 工程部, 投诉 → 品质管理部 out of the box; a department's default 接单人 is used when the
    receptionist names nobody, and the defaults follow a renamed department."""
    from reception.services import calls
    from reception.services import departments
    from reception.services.calls import CallInput
    from reception.services.calls import Outcome

    assert departments.default_for_category("报修").name == "工程部"
    assert departments.default_for_category("投诉").name == "品质管理部"
    dept = departments.default_for_category("报修")
    data = CallInput(
        receptionist.now(), "报修", "水管漏水", outcome=Outcome.DISPATCHED, department_id=dept.id
    )
    with pytest.raises(ValidationError) as err:
        calls.register_call(receptionist, data)
    assert "taken_by" in err.value.fields  # no default 接单人 yet: it must be named

    with pytest.raises(ValidationError) as err:
        settings_mod.update_routing(
            admin, category_departments={"报修": "不存在的部"}, department_handlers={"工程部": "x" * 51}
        )
    assert set(err.value.fields) == {"category:报修", "handler:工程部"}
    settings_mod.update_routing(
        admin,
        category_departments={"报修": "工程部", "投诉": "品质管理部"},
        department_handlers={"工程部": "工程部值班"},
    )
    result = calls.register_call(receptionist, data)
    assert result.case is not None and result.case.handler == "工程部值班"
    assert "已转工程部（工程部值班）处理" in result.call.readback
    assert AuditLog.select().where(AuditLog.action == "settings.update").exists()

    departments.update_department(admin, dept.id, name="工程维修部", phone="", active=True)
    assert departments.default_for_category("报修").name == "工程维修部"
    assert departments.default_handler(departments.by_name("工程维修部")) == "工程部值班"
    with pytest.raises(PermissionDenied):
        settings_mod.update_routing(receptionist, category_departments={}, department_handlers={})


def test_the_unlock_code_time_limit_is_a_setting_default_60_minutes(admin):
    assert settings_mod.load().pin_unlock_minutes == 60
    with pytest.raises(ValidationError) as caught:
        settings_mod.update_privacy_and_badges(admin, **{**GOOD, "pin_unlock_minutes": 0})
    assert "pin_unlock_minutes" in caught.value.fields
    conf = settings_mod.update_privacy_and_badges(admin, **{**GOOD, "pin_unlock_minutes": 30})
    assert conf.pin_unlock_minutes == 30
    conf = settings_mod.update_privacy_and_badges(admin, **GOOD)  # not given: unchanged
    assert conf.pin_unlock_minutes == 30
