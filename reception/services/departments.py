"""Departments a matter can be handed to (工程部, 保安部 …)."""

from __future__ import annotations

from reception.errors import NotFound
from reception.errors import ValidationError
from reception.rules.textcheck import FieldErrors
from reception.rules.textcheck import one_line
from reception.services.session import Role
from reception.services.session import Session
from reception.store import audit
from reception.store import db
from reception.store.models import Department


def create_defaults() -> None:
    from reception.services.settings import DEFAULT_DEPARTMENTS

    for order, name in enumerate(DEFAULT_DEPARTMENTS):
        Department.get_or_create(name=name, defaults={"sort_order": order})


def list_departments(include_inactive: bool = False) -> list[Department]:
    query = Department.select().order_by(Department.sort_order, Department.id)
    if not include_inactive:
        query = query.where(Department.active == True)  # noqa: E712
    return list(query)


def _validate(
    name: str, phone: str, exclude_id: int | None = None, handler: str | None = None
) -> tuple[str, str, str]:
    from reception.rules import phones
    from reception.services.settings import HANDLER_MAX

    errs = FieldErrors()
    clean = errs.check("name", one_line, name, "部门名称", max_len=30, required=True)
    tel = errs.check("phone", phones.normalize, phone)
    person = errs.check("handler", one_line, handler or "", "默认接单人", max_len=HANDLER_MAX)
    if clean:
        clash = Department.select().where(Department.name == clean)
        if exclude_id is not None:
            clash = clash.where(Department.id != exclude_id)
        if clash.exists():
            errs.add("name", "已有同名部门")
    errs.raise_if_any()
    return clean or "", tel or "", person or ""


def _set_handler(name: str, person: str) -> None:
    """Inside a write: the department's default 接单人 ('' = the receptionist must name one)."""
    from reception.services import settings as settings_mod

    handlers = dict(settings_mod.load().department_handlers)
    if person:
        handlers[name] = person
    else:
        handlers.pop(name, None)
    settings_mod.put("department_handlers", handlers)


def add_department(session: Session, name: str, phone: str = "", handler: str | None = None) -> Department:
    """A new department; ``handler``: its default 接单人 (设置 → 部门)."""
    session.require(Role.ADMIN)
    clean, tel, person = _validate(name, phone, handler=handler)
    with db.write():
        last = Department.select().order_by(Department.sort_order.desc()).first()
        dept = Department.create(name=clean, phone=tel, sort_order=(last.sort_order + 1) if last else 0)
        if handler is not None:
            _set_handler(clean, person)
        audit.record(session.now(), session.operator, "department.create", "department", dept.id, name=clean)
    return dept


def update_department(
    session: Session, dept_id: int, *, name: str, phone: str, active: bool, handler: str | None = None
) -> Department:
    """Rename, change the phone, switch on or off; ``handler`` (when given): the default 接单人."""
    session.require(Role.ADMIN)
    dept = Department.get_or_none(Department.id == dept_id)
    if dept is None:
        raise NotFound("找不到该部门。")
    clean, tel, person = _validate(name, phone, exclude_id=dept_id, handler=handler)
    if not active and Department.select().where(Department.active == True).count() <= 1:  # noqa: E712
        raise ValidationError.single("active", "至少要保留一个启用的部门")
    with db.write():
        before = {"name": dept.name, "phone": dept.phone, "active": dept.active}
        Department.update(name=clean, phone=tel, active=active).where(Department.id == dept_id).execute()
        if clean != before["name"]:
            from reception.services import settings as settings_mod

            settings_mod.rename_department(str(before["name"]), clean)
        if handler is not None:
            before["handler"] = default_handler(dept)
            _set_handler(clean, person)
        after: dict[str, object] = {"name": clean, "phone": tel, "active": active}
        if handler is not None:
            after["handler"] = person
        audit.record(
            session.now(),
            session.operator,
            "department.update",
            "department",
            dept_id,
            changed={k: [before[k], after[k]] for k in after if before[k] != after[k]},
        )
    return Department.get_by_id(dept_id)


def by_name(name: str) -> Department | None:
    """The active department called ``name`` (None when there is none)."""
    if not name:
        return None
    return Department.get_or_none((Department.name == name) & (Department.active == True))  # noqa: E712


def default_for_category(category: str) -> Department | None:
    """The department a call of ``category`` is dispatched to unless another is chosen (设置 → 部门)."""
    from reception.services import settings as settings_mod

    return by_name(settings_mod.load().department_for(category))


def default_handler(dept: Department | None) -> str:
    """Who takes the department's orders when the receptionist names nobody ('' = must be named)."""
    from reception.services import settings as settings_mod

    return settings_mod.load().handler_for(dept.name) if dept is not None else ""
