"""Operators, passwords, logging in and out, and the first-run set-up."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError
from argon2.exceptions import VerificationError

from reception.clock import Clock
from reception.errors import AuthError
from reception.errors import NotFound
from reception.errors import ValidationError
from reception.rules.textcheck import FieldErrors
from reception.rules.textcheck import one_line
from reception.services import departments
from reception.services import knowledge
from reception.services import settings
from reception.services.session import Role
from reception.services.session import Session
from reception.services.session import require_session
from reception.store import audit
from reception.store import db
from reception.store import desk
from reception.store.models import Operator

# argon2id with OWASP's minimum: m=19,456 KiB (19 MiB), t=2, p=1. argon2-cffi's defaults
# (64 MiB, t=3, p=4) made every login take 0.4–0.5 s and +65 MB of memory at start-up; hashes
# made with other parameters are upgraded at the next successful login (check_needs_rehash).
_hasher = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)
FREE_ATTEMPTS = 5
MIN_PASSWORD = 6


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _check_password(password: str, label: str = "密码") -> str:
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"{label}至少 {MIN_PASSWORD} 位")
    if len(password) > 128:
        raise ValueError(f"{label}最多 128 位")
    if any(0xD800 <= ord(c) <= 0xDFFF or ord(c) < 32 for c in password):
        raise ValueError(f"{label}含有无法使用的字符")
    return password


def _check_username(username: str) -> str:
    name = one_line(username, "登录名", max_len=40, required=True)
    if not all(c.isalnum() or c in "._-" for c in name):
        raise ValueError("登录名只能包含字母、数字、点、下划线和短横线")
    return name.lower()


def is_set_up() -> bool:
    return Operator.select().where(Operator.role == Role.ADMIN).exists()


@dataclass
class SetupInput:
    property_name: str
    desk_phone: str
    admin_username: str
    admin_display_name: str
    password: str
    password_again: str


def initial_setup(data: SetupInput, clock: Clock | None = None) -> Operator:
    """First start: property settings, default departments and the first administrator."""
    clock = clock or Clock()
    errs = FieldErrors()
    try:
        settings.validate(data.property_name, data.desk_phone, settings.DEFAULT_GREETING)
    except ValidationError as exc:
        errs.fields.update(exc.fields)
    username = errs.check("admin_username", _check_username, data.admin_username)
    display = errs.check(
        "admin_display_name", one_line, data.admin_display_name, "姓名", max_len=40, required=True
    )
    errs.check("password", _check_password, data.password)
    if data.password != data.password_again:
        errs.add("password_again", "两次输入的密码不一致")
    errs.raise_if_any()
    if is_set_up():
        raise AuthError("系统已经初始化过，不能重复设置。")
    password_hash = hash_password(data.password)
    now = clock.now()
    with db.write():
        settings.save_initial(data.property_name, data.desk_phone)
        departments.create_defaults()
        knowledge.ensure_seeded(None, now)
        admin = Operator.create(
            username=username,
            display_name=display,
            role=Role.ADMIN,
            password_hash=password_hash,
            created_at=now,
        )
        audit.record(now, admin, "setup", "operator", admin.id, property=data.property_name.strip())
    return admin


def throttle_delay(failed: int) -> timedelta:
    """Wait required before the next attempt: none for the first five failures, then 30 s,
    doubling up to 15 minutes."""
    if failed < FREE_ATTEMPTS:
        return timedelta(0)
    return timedelta(seconds=min(30 * 2 ** (failed - FREE_ATTEMPTS), 900))


# An unknown or disabled user name is checked against this hash, so it takes as long as a real
# one (user names cannot be told apart by timing). Made once, on first use.
_dummy_hash: str | None = None


def _dummy() -> str:
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash("not-a-password-of-anybody")
    return _dummy_hash


def login(username: str, password: str, clock: Clock | None = None) -> Session:
    """Every refusal is audited — unknown names, wrong passwords and attempts refused while
    throttled alike."""
    clock = clock or Clock()
    now = clock.now()
    key = (username or "").strip().lower()
    op = Operator.get_or_none(Operator.username == key)
    if op is None or not op.active:
        with contextlib.suppress(VerificationError, InvalidHashError):
            _hasher.verify(_dummy(), password)
        with db.write():
            audit.record(now, None, "login.failed", "operator", None, username=key[:40])
        raise AuthError("登录名或密码不正确。")
    delay = throttle_delay(op.failed_logins)
    if delay and op.last_failed_at and now < op.last_failed_at + delay:
        wait = int((op.last_failed_at + delay - now).total_seconds()) + 1
        with db.write():
            audit.record(now, op, "login.throttled", "operator", op.id, wait_seconds=wait)
        raise AuthError(f"密码错误次数过多，请 {wait} 秒后再试。")
    try:
        _hasher.verify(op.password_hash, password)
    except (VerificationError, InvalidHashError):
        with db.write():
            Operator.update(failed_logins=Operator.failed_logins + 1, last_failed_at=now).where(
                Operator.id == op.id
            ).execute()
            audit.record(now, op, "login.failed", "operator", op.id)
        raise AuthError("登录名或密码不正确。") from None
    with db.write():
        Operator.update(failed_logins=0, last_failed_at=None, pin_failures=0, pin_failed_at=None).where(
            Operator.id == op.id
        ).execute()
        if _hasher.check_needs_rehash(op.password_hash):
            Operator.update(password_hash=hash_password(password)).where(Operator.id == op.id).execute()
        at_desk = {"desk": desk.name()} if desk.name() else {}
        audit.record(now, op, "login", "operator", op.id, **at_desk)
    return Session(Operator.get_by_id(op.id), clock)


# ---- the unlock PIN (闲置锁定后的快速解锁) ------------------------------------------------------
# A short PIN of the operator's own choosing unlocks the idle lock of *her own* session for a
# while (settings.pin_unlock_minutes, default 60); a longer lock, another operator, or five wrong
# PINs in a row need the full password (a successful password login clears the count). Every
# attempt is audited; the PIN is stored as an argon2 hash like the password.
PIN_ATTEMPTS = 5


class PasswordNeeded(AuthError):
    """The PIN cannot unlock now (none set, locked too long, too many wrong PINs): the password can."""


def _check_pin(pin: str) -> str:
    if not (pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 6):
        raise ValueError("解锁码应为 4 到 6 位数字")
    if len(set(pin)) == 1 or pin in "0123456789" or pin in "9876543210":
        raise ValueError("解锁码过于简单（如 1111、1234），请换一组数字")
    return pin


def has_pin(session: Session) -> bool:
    op = Operator.get_or_none(Operator.id == session.operator.id)
    return op is not None and bool(op.pin_hash)


def set_pin(session: Session, pin: str, pin_again: str, current_password: str) -> None:
    """The operator sets (or changes) her own unlock PIN, confirming with her password."""
    op = Operator.get_by_id(session.operator.id)
    errs = FieldErrors()
    try:
        _hasher.verify(op.password_hash, current_password)
    except (VerificationError, InvalidHashError):
        errs.add("current", "当前密码不正确")
    errs.check("pin", _check_pin, pin)
    if pin != pin_again:
        errs.add("pin_again", "两次输入的解锁码 不一致")
    errs.raise_if_any()
    pin_hash = hash_password(pin)
    with db.write():
        Operator.update(pin_hash=pin_hash, pin_failures=0, pin_failed_at=None).where(
            Operator.id == op.id
        ).execute()
        audit.record(session.now(), session.operator, "operator.pin", "operator", op.id)


def pin_deadline(locked_at: datetime) -> datetime:
    """When a lock begun at ``locked_at`` stops opening with the PIN (设置's 解锁码时限)."""
    return locked_at + timedelta(minutes=settings.load().pin_unlock_minutes)


def lock_too_long_message() -> str:
    minutes = settings.load().pin_unlock_minutes
    return f"锁定已超过 {minutes} 分钟，请输入密码解锁。"


def unlock_with_pin(session: Session, pin: str, locked_at: datetime) -> None:
    """Unlock ``session``'s own lock with her PIN, or raise :class:`AuthError` saying why not
    (wrong PIN, no PIN, locked too long, too many wrong PINs: then the password is needed)."""
    now = session.now()
    op = Operator.get_by_id(session.operator.id)
    limit = timedelta(minutes=settings.load().pin_unlock_minutes)

    def refuse(action: str, message: str, **detail: object) -> AuthError:
        with db.write():
            audit.record(now, op, action, "operator", op.id, **detail)
        return PasswordNeeded(message)

    if not op.active:
        raise refuse("unlock.pin_refused", "该账号已停用。", why="inactive")
    if not op.pin_hash:
        raise refuse("unlock.pin_refused", "尚未设置解锁码，请输入密码解锁。", why="no_pin")
    if now - locked_at > limit:
        raise refuse("unlock.pin_refused", lock_too_long_message(), why="lock_too_long")
    if op.pin_failures >= PIN_ATTEMPTS:
        raise refuse("unlock.pin_refused", "解锁码连续输错 5 次，请输入密码解锁。", why="throttled")
    try:
        _hasher.verify(op.pin_hash, pin)
    except (VerificationError, InvalidHashError):
        left = PIN_ATTEMPTS - op.pin_failures - 1
        with db.write():
            Operator.update(pin_failures=Operator.pin_failures + 1, pin_failed_at=now).where(
                Operator.id == op.id
            ).execute()
            audit.record(now, op, "unlock.pin_failed", "operator", op.id)
        if left <= 0:
            raise PasswordNeeded("解锁码连续输错 5 次，请输入密码解锁。") from None
        raise AuthError(f"解锁码不正确，还可以再试 {left} 次。") from None
    with db.write():
        Operator.update(pin_failures=0, pin_failed_at=None).where(Operator.id == op.id).execute()
        audit.record(now, op, "unlock.pin", "operator", op.id)


def logout(session: Session, *, keep_drafts: bool = False) -> int:
    """The operator leaves (退出, or 切换操作员 from the menu): their drafts of half-filled forms
    are deleted with the logout, and the deleted text is made to leave the database file.
    ``keep_drafts``: another operator logged in at the idle lock — the one who walked away gets
    their forms back when they return. Returns how many drafts were deleted."""
    from reception.store.models import Draft

    require_session(session, "注销")
    with db.write():
        dropped = 0
        if not keep_drafts:
            dropped = int(Draft.delete().where(Draft.operator == session.operator.id).execute())
        audit.record(
            session.now(),
            session.operator,
            "logout",
            "operator",
            session.operator.id,
            **({"drafts": "kept"} if keep_drafts else {"drafts_deleted": dropped}),
        )
    if dropped:
        from reception.services.retention import forget_deleted_rows

        forget_deleted_rows()
    return dropped


@dataclass
class OperatorInput:
    username: str
    display_name: str
    role: str
    password: str = ""


def list_operators(include_inactive: bool = True) -> list[Operator]:
    query = Operator.select().order_by(Operator.id)
    if not include_inactive:
        query = query.where(Operator.active == True)  # noqa: E712
    return list(query)


def create_operator(session: Session, data: OperatorInput) -> Operator:
    session.require(Role.ADMIN)
    errs = FieldErrors()
    username = errs.check("username", _check_username, data.username)
    display = errs.check("display_name", one_line, data.display_name, "姓名", max_len=40, required=True)
    if data.role not in set(Role):
        errs.add("role", "请选择角色")
    errs.check("password", _check_password, data.password)
    if username and Operator.select().where(Operator.username == username).exists():
        errs.add("username", "该登录名已被使用")
    errs.raise_if_any()
    password_hash = hash_password(data.password)
    with db.write():
        op = Operator.create(
            username=username,
            display_name=display,
            role=data.role,
            password_hash=password_hash,
            created_at=session.now(),
        )
        audit.record(
            session.now(),
            session.operator,
            "operator.create",
            "operator",
            op.id,
            username=username,
            role=data.role,
        )
    return op


def update_operator(
    session: Session, operator_id: int, *, display_name: str, role: str, active: bool
) -> Operator:
    session.require(Role.ADMIN)
    op = Operator.get_or_none(Operator.id == operator_id)
    if op is None:
        raise NotFound("找不到该操作员。")
    errs = FieldErrors()
    display = errs.check("display_name", one_line, display_name, "姓名", max_len=40, required=True)
    if role not in set(Role):
        errs.add("role", "请选择角色")
    errs.raise_if_any()
    if op.id == session.operator.id and (role != Role.ADMIN or not active):
        raise ValidationError.single("role", "不能取消自己的管理员权限或停用自己的账号")
    with db.write():
        before = {"display_name": op.display_name, "role": op.role, "active": op.active}
        Operator.update(display_name=display, role=role, active=active).where(Operator.id == op.id).execute()
        after = {"display_name": display, "role": role, "active": active}
        audit.record(
            session.now(),
            session.operator,
            "operator.update",
            "operator",
            op.id,
            changed={k: [before[k], after[k]] for k in after if before[k] != after[k]},
        )
    return Operator.get_by_id(op.id)


def set_password(session: Session, operator_id: int, new_password: str, *, current: str = "") -> None:
    """Admins reset anybody's password; everybody else may change only their own, with the
    current password."""
    own = operator_id == session.operator.id
    if not own:
        session.require(Role.ADMIN)
    op = Operator.get_or_none(Operator.id == operator_id)
    if op is None:
        raise NotFound("找不到该操作员。")
    if own and not session.has(Role.ADMIN):
        try:
            _hasher.verify(op.password_hash, current)
        except (VerificationError, InvalidHashError):
            raise ValidationError.single("current", "当前密码不正确") from None
    try:
        _check_password(new_password, "新密码")
    except ValueError as exc:
        raise ValidationError.single("password", str(exc)) from None
    password_hash = hash_password(new_password)
    with db.write():
        Operator.update(password_hash=password_hash, failed_logins=0, last_failed_at=None).where(
            Operator.id == op.id
        ).execute()
        audit.record(session.now(), session.operator, "operator.password", "operator", op.id)


@dataclass(frozen=True)
class RecoverySheet:
    site_id: str
    recovery_key: str  # groups of four, dashes between


def recovery_sheet(session: Session) -> RecoverySheet:
    """What the set-up's 恢复密钥 page shows and prints, and what an administrator reprints later
    (``session``; 设置 → 打印恢复密钥): the site and its recovery key (the site key itself lives
    outside the database, in this PC's credential store)."""
    from reception.store import sitekey

    require_session(session, "打印恢复密钥")
    session.require(Role.ADMIN, "打印恢复密钥")
    return RecoverySheet(sitekey.site_id(), sitekey.current_recovery_key())


def site_key_missing() -> bool:
    """The open site is keyed but this PC does not hold its key (the data came from another PC):
    saves are refused until the recovery key is entered."""
    from reception.store import sitekey

    if not sitekey.site_id():
        return False
    try:
        return sitekey.current() is None
    except sitekey.SiteKeyMissing:
        return True


def enter_recovery_key(text: str) -> None:
    """Keep the site key on this PC from the printed recovery key; a wrong one is refused in Chinese."""
    from reception.store import sitekey

    try:
        sitekey.install_recovery_key(text)
    except ValueError as exc:
        raise ValidationError.single("recovery_key", str(exc)) from None
