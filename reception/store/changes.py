"""Several desks on one database, seen from one desk: has anything been saved since the desk
last looked, and which database is it working on.

Every write appends an audit entry in its own transaction (:mod:`reception.store.audit`), and entries
are only ever appended, in id order (on a server the site-wide write lock serialises them), so
the highest audit id is a cheap change counter: a desk that sees it move re-reads the lists it
shows. Reading it is one index lookup, cheap enough to do every few seconds."""

from __future__ import annotations

import sqlite3

import peewee

from reception.errors import StorageError
from reception.store import db
from reception.store.models import AuditLog


def latest_change() -> int:
    """The id of the newest audit entry (0 when there is none). It changes whenever anything was
    saved, at this desk or another one.

    Raises :class:`StorageError` (with the cause in Chinese) when the database cannot be read; a
    server connection found broken is replaced at the next call
    (:class:`reception.store.db.ServerDatabase`)."""
    try:
        value = AuditLog.select(peewee.fn.MAX(AuditLog.id)).scalar()
    except StorageError:  # already in the program's words (db.execute_sql)
        raise
    except (peewee.DatabaseError, peewee.InterfaceError, sqlite3.Error) as exc:
        raise db.translate_error(exc, saving=False) from exc
    return int(value or 0)


def is_server() -> bool:
    """True when this desk works on a database server (PostgreSQL) shared with other desks."""
    return db.is_postgres()


def database_address(database: peewee.Database | None = None) -> str:
    """Where the open database (or ``database``) is, for the settings window: the server's
    address without the password (``postgresql://reception@192.168.1.10:5432/reception``) or
    the SQLite file's path."""
    database = database if database is not None else db.current()
    if not db.is_postgres(database):
        return str(database.database)
    params = getattr(database, "connect_params", {}) or {}
    user = params.get("user") or ""
    host = params.get("host") or "localhost"
    port = params.get("port")
    where = f"{host}:{port}" if port else str(host)
    address = (
        f"postgresql://{user}@{where}/{database.database}"
        if user
        else f"postgresql://{where}/{database.database}"
    )
    return db.display_address(address)
