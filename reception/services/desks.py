"""Several desks on one database, as the window sees them: this desk's name, whether the
database is a server's, where it is, and the change counter polled to refresh the lists when
anything was saved (here or at another desk).

Thin functions over :mod:`reception.store.changes` and :mod:`reception.store.desk`, called at
call time; the widgets never import :mod:`reception.store` (tests/test_architecture.py)."""

from __future__ import annotations

from reception.store import changes
from reception.store import desk

__all__ = ["database_address", "desk_name", "is_server", "latest_change"]


def desk_name() -> str:
    """This PC's desk name ('' when none is set)."""
    return desk.name()


def is_server() -> bool:
    """True when this desk works on a database server shared with other desks."""
    return changes.is_server()


def latest_change() -> int:
    """The change counter: it moves whenever anything was saved (raises StorageError when the
    database cannot be read)."""
    return changes.latest_change()


def database_address() -> str:
    """The open database's address without a password, or the SQLite file's path."""
    return changes.database_address()
