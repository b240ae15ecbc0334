"""Drafts of half-filled forms for the operator of a session (:mod:`reception.store.drafts`):
saved while the receptionist types, restored after login, cleared when the form is saved or
thrown away. The widgets use this module, never the store (tests/test_architecture.py)."""

from __future__ import annotations

from typing import Any

from reception.services.session import Session
from reception.store import drafts

__all__ = ["clear", "load", "save"]


def save(session: Session, form: str, data: dict[str, Any]) -> None:
    """Store ``data`` as the draft of ``form`` for the session's operator (now, by its clock)."""
    drafts.save(session.operator, form, data, session.clock.now())


def load(session: Session, form: str) -> dict[str, Any] | None:
    """The session operator's draft of ``form``, or None."""
    return drafts.load(session.operator, form)


def clear(session: Session, form: str) -> None:
    """Delete the session operator's draft of ``form``."""
    drafts.clear(session.operator, form)
