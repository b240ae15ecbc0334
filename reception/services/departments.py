"""Departments a matter can be handed to (工程部, 保安部 …)."""

from __future__ import annotations

from reception.errors import NotFound, ValidationError
from reception.rules.textcheck import FieldErrors, one_line
from reception.services.session import Role, Session
from reception.store import audit, db
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


def _validate(name: str, phone: str, exclude_id: int | None = None) -> tuple[str, str]:
    from reception.rules import phones

    errs = FieldErrors()
    clean = errs.check("name", one_line, name, "部门名称", max_len=30, required=True)
    tel = errs.check("phone", phones.normalize, phone)
    if clean:
        clash = Department.select().where(Department.name == clean)
        if exclude_id is not None:
            clash = clash.where(Department.id != exclude_id)
        if clash.exists():
            errs.add("name", "已有同名部门")
    errs.raise_if_any()
    return clean or "", tel or ""


def add_department(session: Session, name: str, phone: str = "") -> Department:
    session.require(Role.ADMIN)
    clean, tel = _validate(name, phone)
    with db.write():
        last = Department.select().order_by(Department.sort_order.desc()).first()
        dept = Department.create(name=clean, phone=tel, sort_order=(last.sort_order + 1) if last else 0)
        audit.record(session.now(), session.operator, "department.create", "department", dept.id, name=clean)
    return dept


def update_department(session: Session, dept_id: int, *, name: str, phone: str, active: bool) -> Department:
    session.require(Role.ADMIN)
    dept = Department.get_or_none(Department.id == dept_id)
    if dept is None:
        raise NotFound("找不到该部门。")
    clean, tel = _validate(name, phone, exclude_id=dept_id)
    if not active and Department.select().where(Department.active == True).count() <= 1:  # noqa: E712
        raise ValidationError.single("active", "至少要保留一个启用的部门")
    with db.write():
        before = {"name": dept.name, "phone": dept.phone, "active": dept.active}
        Department.update(name=clean, phone=tel, active=active).where(Department.id == dept_id).execute()
        if clean != before["name"]:
            from reception.services import settings as settings_mod

            settings_mod.rename_department(str(before["name"]), clean)
        after = {"name": clean, "phone": tel, "active": active}
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
