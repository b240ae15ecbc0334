"""Who is working at the desk, and the clock they work by.

Every service that writes takes a ``Session``: the logged-in operator (recorded as the first
receiver and in the audit log) and the clock (injectable, so tests never wait)."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from enum import StrEnum

from reception.clock import Clock
from reception.errors import PermissionDenied
from reception.errors import StorageError
from reception.store.models import Operator


class Role(StrEnum):
    RECEPTIONIST = "receptionist"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {Role.RECEPTIONIST: "前台", Role.SUPERVISOR: "主管", Role.ADMIN: "管理员"}
# Each role may do what the roles before it may do.
_RANK = {Role.RECEPTIONIST: 0, Role.SUPERVISOR: 1, Role.ADMIN: 2}


@dataclass
class Session:
    operator: Operator
    clock: Clock = field(default_factory=Clock)

    @property
    def role(self) -> Role:
        return Role(self.operator.role)

    def now(self) -> datetime:
        return self.clock.now()

    def has(self, role: Role) -> bool:
        return _RANK[self.role] >= _RANK[role]

    def require(self, role: Role, what: str = "") -> None:
        """Refuse (and log the refusal in the audit log) unless the operator has ``role``."""
        if self.has(role):
            return
        from reception.store import audit
        from reception.store import db

        try:
            with db.write():
                audit.record(
                    self.now(),
                    self.operator,
                    "permission.denied",
                    "operator",
                    self.operator.id,
                    needed=role.value,
                    attempted=what,
                )
        except StorageError:
            pass  # the refusal stands even if the disk cannot take the log line
        action = f"“{what}”" if what else "此操作"
        raise PermissionDenied(f"{action}需要{role.label}权限，当前登录的是{self.role.label}。")


def require_session(session: object, what: str) -> None:
    """No public service runs without a logged-in operator: refuse a missing session (a caller
    that skipped the login) before anything is read or written. Nothing to audit: nobody to name."""
    if not isinstance(session, Session):
        raise PermissionDenied(f"“{what}”需要先以操作员身份登录。")
