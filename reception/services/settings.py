"""Property settings kept in the database (``setting`` table, JSON values)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import asdict
from dataclasses import dataclass
from dataclasses import field
from dataclasses import fields
from typing import Any

from reception.rules.textcheck import FieldErrors
from reception.rules.textcheck import multi_line
from reception.rules.textcheck import one_line
from reception.services.session import Role
from reception.services.session import Session
from reception.store import audit
from reception.store import db
from reception.store.models import Setting

DEFAULT_GREETING = "您好，{物业名称}，请问有什么可以帮您？"
# Placeholders of the editable greeting: the property, the desk's department, the operator answering.
GREETING_PLACEHOLDERS = ("物业名称", "部门", "姓名")
DEFAULT_DEPARTMENTS = ["客服中心", "工程部", "保安部", "财务部", "品质管理部", "环境部", "绿化部"]
# Hours between receiving a dispatched matter and the promised reply, per call category.
DEFAULT_REPLY_HOURS = {
    "投诉": 24,
    "报修": 24,
    "紧急": 2,
    "咨询": 24,
    "意见建议": 168,
    "市政设施": 24,
    "找人留言": 24,
    "其他": 24,
}


# 转部门处理: the department a call of a category goes to unless the receptionist picks another
# (规程：报修转工程部；投诉由品质管理部处理，并告知业户品管部电话). Department names; editable in 设置 → 部门.
DEFAULT_CATEGORY_DEPARTMENTS = {
    "报修": "工程部",
    "投诉": "品质管理部",
    "紧急": "保安部",
    "市政设施": "工程部",
    "意见建议": "品质管理部",
}
# Categories whose calls make the receptionist tell the caller the department's phone number.
TELL_PHONE_CATEGORIES = ("投诉",)
HANDLER_MAX = 50

# 业户办事: purpose → the department that handles it and what the receptionist tells the resident.
DEFAULT_VISIT_PURPOSES: dict[str, dict[str, str]] = {
    "交费": {
        "department": "财务部",
        "guidance": "请业户到财务窗口办理，可使用现金、银行卡或扫码支付，收费后开具收据。",
    },
    "租房": {
        "department": "客服中心",
        "guidance": "问清租房需求（户型、面积、价位、入住时间），讲解楼盘情况（位置、配套、物业服务与收费）和"
        "租赁手续，约定时间陪同看楼；业主委托出租的，核对业主身份与房产证明，登记租户信息，提醒租赁备案并办理门禁卡。",
    },
    "二次装修": {
        "department": "工程部",
        "guidance": "需带房产证、装修方案及施工单位资质，填写装修申请表，缴纳装修押金后由工程部审批。",
    },
    "入伙": {
        "department": "客服中心",
        "guidance": "核对购房合同与身份证件，签署入伙资料，验房后发放钥匙和业主手册。",
    },
    "投诉": {
        "department": "品质管理部",
        "guidance": "耐心倾听并详细记录，不争辩、不随意承诺，24 小时内给业户答复。",
    },
    "咨询": {
        "department": "客服中心",
        "guidance": "用简明的语言解答；不能当场答复的，留下电话并约定回电时间。",
    },
    "其他": {
        "department": "客服中心",
        "guidance": "问清来意，能当场解决的当场解决，不能解决的转相关部门并告知业户进度。",
    },
}


# 业户办事: hours within which the desk follows up (答复或办结) a matter it could not finish on the
# spot, per purpose; 0: no follow-up by default (a complaint has its case and deadline instead).
DEFAULT_VISIT_FOLLOW_UP_HOURS = {
    "交费": 0,
    "租房": 24,
    "二次装修": 72,
    "入伙": 48,
    "投诉": 0,
    "咨询": 24,
    "其他": 24,
}
FOLLOW_UP_HOURS_RANGE = (0, 720)
GUIDANCE_MAX = 300


# Hours to resolve a case (separate from the reply promise), per category.
DEFAULT_RESOLVE_HOURS = {
    "投诉": 72,
    "报修": 48,
    "紧急": 24,
    "咨询": 24,
    "意见建议": 336,
    "市政设施": 168,
    "找人留言": 24,
    "其他": 72,
}

# 来函: days to reply by letter type (complaints follow the 24-hour promise).
DEFAULT_LETTER_REPLY_HOURS = {"投诉": 24, "咨询": 168, "意见建议": 168, "公函": 168, "通知": 168, "其他": 168}


@dataclass
class Settings:
    property_name: str = ""
    desk_phone: str = ""
    greeting: str = DEFAULT_GREETING
    reply_hours: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_REPLY_HOURS))
    callback_default_minutes: int = 120
    visit_purposes: dict[str, dict[str, str]] = field(default_factory=lambda: dict(DEFAULT_VISIT_PURPOSES))
    badge_size: str = "62x100"
    badge_valid_hours: int = 4
    badge_valid_end_of_day: bool = False
    store_full_id: bool = False
    letter_reply_hours: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_LETTER_REPLY_HOURS))
    resolve_hours: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_RESOLVE_HOURS))
    retention_days: int = 90  # visitor ID data and phone numbers are purged after this
    backup_generations: int = 14
    idle_lock_minutes: int = 5
    pin_unlock_minutes: int = 60  # a lock longer than this needs the full password, not the PIN
    privacy_contact: str = ""  # whom residents contact about their data (printed on the notice)
    warn_hours: int = 4  # warn this long before a reply deadline
    escalate_again_hours: int = 24  # a second escalation this long after the deadline
    answer_within_s: int = 15  # 三声之内接听: a ring answered within this many seconds
    missed_after_s: int = 30  # a ring not answered this long becomes a 待回电 by itself
    # category → department name a dispatched call goes to by default ('' = none)
    category_departments: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_CATEGORY_DEPARTMENTS))
    # department name → who takes its orders when the receptionist names nobody (接单人)
    department_handlers: dict[str, str] = field(default_factory=dict)

    def department_for(self, category: str) -> str:
        """The name of the department a call of ``category`` is dispatched to by default."""
        return str(self.category_departments.get(category, "") or "")

    def handler_for(self, department: str) -> str:
        """The default 接单人 of ``department`` ('' when none is set)."""
        return str(self.department_handlers.get(department, "") or "")

    desk_department: str = "客服中心"  # {部门} in the greeting
    visit_follow_up_hours: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_VISIT_FOLLOW_UP_HOURS))

    def follow_up_hours_for(self, purpose: str) -> int:
        return int(self.visit_follow_up_hours.get(purpose, DEFAULT_VISIT_FOLLOW_UP_HOURS.get(purpose, 0)))

    def letter_reply_hours_for(self, letter_type: str) -> int:
        return int(self.letter_reply_hours.get(letter_type, DEFAULT_LETTER_REPLY_HOURS.get(letter_type, 168)))

    def resolve_hours_for(self, category: str) -> int:
        return int(self.resolve_hours.get(category, DEFAULT_RESOLVE_HOURS.get(category, 72)))

    def greeting_text(self, operator_name: str = "") -> str:
        """The greeting read out: {物业名称}, {部门} (the desk's department) and {姓名} (the operator
        answering) filled in."""
        return (
            self.greeting.replace("{物业名称}", self.property_name or "××物业")
            .replace("{部门}", self.desk_department or "客服中心")
            .replace("{姓名}", operator_name or "××")
        )

    def reply_hours_for(self, category: str) -> int:
        return int(self.reply_hours.get(category, DEFAULT_REPLY_HOURS.get(category, 24)))


def load() -> Settings:
    stored = {row.key: json.loads(row.value) for row in Setting.select()}
    known = {f.name for f in fields(Settings)}
    result = Settings(**{k: v for k, v in stored.items() if k in known})
    merged = dict(DEFAULT_REPLY_HOURS)
    merged.update(result.reply_hours)
    result.reply_hours = merged
    return result


def put(key: str, value: Any) -> None:
    """Store one setting (inside the caller's write transaction); an upsert both databases know."""
    text = json.dumps(value, ensure_ascii=False)
    Setting.insert(key=key, value=text).on_conflict(
        conflict_target=[Setting.key], update={Setting.value: text}
    ).execute()


def _store(values: dict[str, Any]) -> None:
    for key, value in values.items():
        put(key, value)


def _store_audited(session: Session, values: dict[str, Any]) -> Settings:
    """Stores checked values in one transaction with one ``settings.update`` audit entry that
    lists each changed key as [before, after]; returns the settings as they now are."""
    with db.write():
        before = asdict(load())
        _store(values)
        after = asdict(load())
        changed = {k: [before[k], after[k]] for k in values if before.get(k) != after[k]}
        audit.record(session.now(), session.operator, "settings.update", "setting", None, changed=changed)
    return load()


def validate(property_name: str, desk_phone: str, greeting: str) -> tuple[str, str, str]:
    from reception.rules import phones

    errs = FieldErrors()
    name = errs.check("property_name", one_line, property_name, "物业名称", max_len=40, required=True)
    phone = errs.check("desk_phone", phones.normalize, desk_phone)
    text = errs.check(
        "greeting", multi_line, greeting, "问候语", max_len=200, required=True, mask_numbers=False
    )
    unknown = sorted(set(re.findall(r"[{｛]([^}｝]*)[}｝]", text or "")) - set(GREETING_PLACEHOLDERS))
    if unknown:
        errs.add(
            "greeting",
            f"问候语中的「{{{unknown[0]}}}」无法替换；可用："
            + "、".join(f"{{{p}}}" for p in GREETING_PLACEHOLDERS),
        )
    errs.raise_if_any()
    return name or "", phone or "", text or ""


def save_initial(property_name: str, desk_phone: str) -> None:
    """Part of first-run set-up (inside its transaction)."""
    name, phone, greeting = validate(property_name, desk_phone, DEFAULT_GREETING)
    _store({"property_name": name, "desk_phone": phone, "greeting": greeting})


def update(
    session: Session,
    *,
    property_name: str,
    desk_phone: str,
    greeting: str,
    reply_hours: dict[str, int] | None = None,
) -> Settings:
    session.require(Role.ADMIN)
    name, phone, text = validate(property_name, desk_phone, greeting)
    hours = dict(load().reply_hours)
    if reply_hours:
        for category, value in reply_hours.items():
            if not isinstance(value, int) or not 1 <= value <= 24 * 60:
                from reception.errors import ValidationError

                raise ValidationError.single("reply_hours", f"{category}的答复时限应为 1 到 1440 小时")
            hours[category] = value
    return _store_audited(
        session, {"property_name": name, "desk_phone": phone, "greeting": text, "reply_hours": hours}
    )


# Limits of the privacy, backup and badge settings (the settings dialog uses the same ranges).
RETENTION_DAYS_RANGE = (30, 3650)
BACKUP_GENERATIONS_RANGE = (3, 365)
IDLE_LOCK_MINUTES_RANGE = (1, 120)
PIN_UNLOCK_MINUTES_RANGE = (1, 720)
BADGE_VALID_HOURS_RANGE = (1, 24)
PRIVACY_CONTACT_MAX = 100


def _int_in(errs: FieldErrors, field_name: str, value: object, label: str, bounds: tuple[int, int]) -> int:
    low, high = bounds
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        errs.add(field_name, f"{label}应为 {low} 到 {high} 之间的整数")
        return low
    return value


def update_privacy_and_badges(
    session: Session,
    *,
    retention_days: int,
    backup_generations: int,
    idle_lock_minutes: int,
    privacy_contact: str,
    store_full_id: bool,
    badge_size: str,
    badge_valid_hours: int,
    pin_unlock_minutes: int | None = None,
) -> Settings:
    """个人信息保护、备份与访客证 settings (administrators). Every field is checked and each
    problem reported beside its field; the change is one transaction with its audit entry."""
    session.require(Role.ADMIN, "修改系统设置")
    from reception.rules.badge_sizes import BADGE_SIZES

    errs = FieldErrors()
    values: dict[str, Any] = {
        "retention_days": _int_in(
            errs, "retention_days", retention_days, "个人信息保存天数", RETENTION_DAYS_RANGE
        ),
        "backup_generations": _int_in(
            errs, "backup_generations", backup_generations, "备份保留份数", BACKUP_GENERATIONS_RANGE
        ),
        "idle_lock_minutes": _int_in(
            errs, "idle_lock_minutes", idle_lock_minutes, "闲置锁定分钟", IDLE_LOCK_MINUTES_RANGE
        ),
        "badge_valid_hours": _int_in(
            errs, "badge_valid_hours", badge_valid_hours, "访客证有效小时", BADGE_VALID_HOURS_RANGE
        ),
    }
    if pin_unlock_minutes is not None:  # (unchanged when not given)
        values["pin_unlock_minutes"] = _int_in(
            errs, "pin_unlock_minutes", pin_unlock_minutes, "解锁码时限", PIN_UNLOCK_MINUTES_RANGE
        )
    values["privacy_contact"] = (
        errs.check(
            "privacy_contact", one_line, privacy_contact, "个人信息咨询联系方式", max_len=PRIVACY_CONTACT_MAX
        )
        or ""
    )
    if not isinstance(store_full_id, bool):
        errs.add("store_full_id", "“保存完整证件号码”只能是开或关")
    values["store_full_id"] = bool(store_full_id)
    if badge_size not in BADGE_SIZES:
        errs.add("badge_size", "请选择访客证尺寸")
    values["badge_size"] = badge_size
    errs.raise_if_any()
    return _store_audited(session, values)


def update_routing(
    session: Session,
    *,
    category_departments: dict[str, str],
    department_handlers: dict[str, str],
) -> Settings:
    """转部门 defaults (administrators): for each call category the department it goes to, and for
    each department the person who takes its orders when the receptionist names nobody. Names of
    departments that do not exist (or are off) are reported beside the category; one transaction
    with its audit entry."""
    session.require(Role.ADMIN, "修改系统设置")
    from reception.services.calls import CATEGORIES
    from reception.store.models import Department

    active = {d.name for d in Department.select().where(Department.active == True)}  # noqa: E712
    known = {d.name for d in Department.select()}
    errs = FieldErrors()
    routes: dict[str, str] = {}
    for category, name in category_departments.items():
        if category not in CATEGORIES:
            errs.add("category_departments", f"没有“{category}”这个来电类别")
            continue
        name = (name or "").strip()
        if name and name not in active:
            errs.add(f"category:{category}", f"{category}的默认部门“{name}”不存在或已停用")
        routes[category] = name
    handlers: dict[str, str] = {}
    for dept, person in department_handlers.items():
        if dept not in known:
            errs.add("department_handlers", f"没有“{dept}”这个部门")
            continue
        clean = errs.check(f"handler:{dept}", one_line, person, "默认接单人", max_len=HANDLER_MAX)
        if clean:
            handlers[dept] = clean
    errs.raise_if_any()
    return _store_audited(session, {"category_departments": routes, "department_handlers": handlers})


def rename_department(old: str, new: str) -> None:
    """Inside the rename's transaction: the defaults that name the department follow it."""
    conf = load()
    routes = {c: (new if d == old else d) for c, d in conf.category_departments.items()}
    handlers = {(new if d == old else d): p for d, p in conf.department_handlers.items()}
    if routes != conf.category_departments:
        put("category_departments", routes)
    if handlers != conf.department_handlers:
        put("department_handlers", handlers)


RESOLVE_HOURS_RANGE = (1, 2160)
LETTER_REPLY_HOURS_RANGE = (1, 2160)


def _hours_by_kind(
    errs: FieldErrors,
    prefix: str,
    current: dict[str, int],
    given: dict[str, int],
    known: Iterable[str],
    texts: tuple[str, str],
    bounds: tuple[int, int],
) -> dict[str, int]:
    """The current hours per kind with the given ones checked in: an unknown kind or a value
    out of range is reported beside ``prefix.kind`` (texts: the unknown-kind and the label
    sentence, each with {} for the kind)."""
    unknown, label = texts
    kinds = set(known)
    hours = dict(current)
    for kind, value in given.items():
        if kind not in kinds:
            errs.add(f"{prefix}.{kind}", unknown.format(kind))
            continue
        hours[kind] = _int_in(errs, f"{prefix}.{kind}", value, label.format(kind), bounds)
    return hours


def update_procedures(
    session: Session,
    *,
    guidance: dict[str, str],
    follow_up_hours: dict[str, int],
    resolve_hours: dict[str, int],
    letter_reply_hours: dict[str, int],
    desk_department: str,
) -> Settings:
    """接待规程 settings (administrators): the guidance given for each 业户办事 purpose and its
    follow-up hours, the hours to resolve each kind of case, the hours to reply to each kind of
    letter, and the desk's department ({部门} in the greeting). Every value is checked and each
    problem reported beside its field (``guidance.租房``, ``resolve.投诉``…); one transaction, audited."""
    session.require(Role.ADMIN, "修改系统设置")
    current = load()
    errs = FieldErrors()
    purposes = {name: dict(conf) for name, conf in current.visit_purposes.items()}
    for purpose, text in guidance.items():
        if purpose not in purposes:
            errs.add(f"guidance.{purpose}", f"没有「{purpose}」这一办理事项")
            continue
        cleaned = errs.check(
            f"guidance.{purpose}",
            multi_line,
            text,
            f"「{purpose}」的办理指引",
            max_len=GUIDANCE_MAX,
            required=True,
            mask_numbers=False,
        )
        if cleaned:
            purposes[purpose]["guidance"] = cleaned
    follow_up = _hours_by_kind(
        errs,
        "follow_up",
        current.visit_follow_up_hours,
        follow_up_hours,
        purposes,
        ("没有「{}」这一办理事项", "「{}」的跟进时限（小时，0 为不跟进）"),
        FOLLOW_UP_HOURS_RANGE,
    )
    resolve = _hours_by_kind(
        errs,
        "resolve",
        current.resolve_hours,
        resolve_hours,
        DEFAULT_RESOLVE_HOURS,
        ("没有「{}」这一工单类别", "「{}」的解决时限（小时）"),
        RESOLVE_HOURS_RANGE,
    )
    letters = _hours_by_kind(
        errs,
        "letter",
        current.letter_reply_hours,
        letter_reply_hours,
        DEFAULT_LETTER_REPLY_HOURS,
        ("没有「{}」这一来函类型", "「{}」来函的答复时限（小时）"),
        LETTER_REPLY_HOURS_RANGE,
    )
    department = errs.check(
        "desk_department", one_line, desk_department, "前台所属部门", max_len=20, required=True
    )
    errs.raise_if_any()
    values: dict[str, Any] = {
        "visit_purposes": purposes,
        "visit_follow_up_hours": follow_up,
        "resolve_hours": resolve,
        "letter_reply_hours": letters,
        "desk_department": department or "",
    }
    return _store_audited(session, values)
