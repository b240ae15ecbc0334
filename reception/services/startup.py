"""Opening the data folder for the window, and closing it: the start-up shell's one way to the
store's start-up checks (:mod:`reception.store.startup`) and to the database object's switches
(closing, refusing writes after damage was found).

Thin functions that call the store at call time (a test replacing a store function is obeyed);
the widgets never import :mod:`reception.store` (tests/test_architecture.py)."""

from __future__ import annotations

from reception.store import db
from reception.store import startup
from reception.store.paths import DataDir
from reception.store.startup import BackgroundCheck

__all__ = [
    "BackgroundCheck",
    "close_database",
    "full_check_skipped",
    "mark_clean_exit",
    "open_data_dir",
    "refuse_writes",
    "reopen_data_dir",
    "writes_refused",
]


def open_data_dir(data: DataDir, *, interactive: bool = False) -> None:
    """Check, open and migrate the database of ``data`` (raises the diagnosis: in use, no
    access, missing with backups, damaged, too new)."""
    startup.open_data_dir(data, interactive=interactive)


def reopen_data_dir(data: DataDir) -> None:
    """Close the database and open ``data`` again with the window's lock wait."""
    db.close_database()
    startup.open_data_dir(data, interactive=True)


def close_database() -> None:
    db.close_database()


def full_check_skipped() -> bool:
    """This start skipped the full check (the file was closed cleanly): run it in the background."""
    return startup.full_check_skipped()


def mark_clean_exit(data: DataDir) -> bool:
    """Record the closed file so that the next start may skip the full check."""
    return startup.mark_clean_exit(data)


def refuse_writes(reason: str) -> None:
    """Damage found while in use: every write is refused from now on (until a reopen)."""
    db.refuse_writes(reason)


def writes_refused() -> str | None:
    """Why writes are refused, or None."""
    return db.writes_refused()
