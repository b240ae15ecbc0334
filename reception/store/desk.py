"""This PC's desk name (前台名称): recorded on every record the desk creates, so that a site
with several desks on one server (the service centre, the main gate, a second lobby) can tell
them apart. It belongs to the PC, not to the shared database: it is kept in the data folder's
local settings file (:mod:`reception.config`) and set here once at start-up."""

from __future__ import annotations

MAX_LENGTH = 40

_name = ""


def set_name(name: str) -> None:
    global _name
    _name = " ".join(name.split())[:MAX_LENGTH]


def name() -> str:
    """The desk name of this PC ('' when none is set)."""
    return _name
