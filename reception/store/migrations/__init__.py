"""Numbered schema steps.

Each step runs in one transaction and records its number in ``schema_version``. Before an
existing SQLite database is changed, the file is backed up (a server's backups are its own
business). A database written by a newer program (a version higher than any step here) is
refused, not touched. Each step is a SQL file for SQLite and one of the same number in
``postgresql/`` for a PostgreSQL server: the same tables, columns and indexes in each one's
dialect (tests/store/test_database.py compares the two schemas)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path

import peewee

from reception.clock import Clock
from reception.errors import SchemaTooNew
from reception.store.db import WRITE_LOCK_KEY
from reception.store.db import sql
from reception.store.db import without_time_limit


@dataclass(frozen=True)
class Step:
    version: int
    name: str
    apply: Callable[[peewee.Database], None]


def _sql_step(filename: str) -> Callable[[peewee.Database], None]:
    def apply(db: peewee.Database) -> None:
        folder = resources.files(__package__)
        if isinstance(db, peewee.PostgresqlDatabase):
            # The server runs the whole script (function bodies in $$ … $$ included) at once.
            db.execute_sql(folder.joinpath("postgresql", filename).read_text(encoding="utf-8"))
            return
        for statement in split_sql(folder.joinpath(filename).read_text(encoding="utf-8")):
            db.execute_sql(statement)

    return apply


def split_sql(script: str) -> list[str]:
    """Split a script into complete statements (triggers contain ';' inside BEGIN … END)."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        if not buffer and line.lstrip().startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements


STEPS: list[Step] = [
    Step(1, "initial", _sql_step("0001_initial.sql")),
    Step(2, "visits", _sql_step("0002_visits.sql")),
    Step(3, "letters", _sql_step("0003_letters.sql")),
    Step(4, "cases", _sql_step("0004_cases.sql")),
    Step(5, "shifts", _sql_step("0005_shifts.sql")),
    Step(6, "drafts", _sql_step("0006_drafts.sql")),
    Step(7, "search", _sql_step("0007_search.sql")),
    Step(8, "desks", _sql_step("0008_desks.sql")),
    Step(9, "search_chars", _sql_step("0009_search_chars.sql")),
    Step(10, "id_unrecoverable", _sql_step("0010_id_unrecoverable.sql")),
    Step(11, "phone_rings", _sql_step("0011_phone_rings.sql")),
    Step(12, "visit_id_source", _sql_step("0012_visit_id_source.sql")),
    Step(13, "shift_signoff_pin", _sql_step("0013_shift_signoff_pin.sql")),
    Step(14, "procedures", _sql_step("0014_procedures.sql")),
]
LATEST = STEPS[-1].version


def current_version(db: peewee.Database) -> int:
    if "schema_version" not in db.get_tables():
        return 0
    row = db.execute_sql("SELECT MAX(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def migrate(
    db: peewee.Database,
    *,
    backup_dir: Path | None = None,
    target: int | None = None,
    now: Callable[[], datetime] | None = None,
) -> list[int]:
    """Bring the database to ``target`` (default: the latest step). Returns the versions applied."""
    now = now or Clock().now
    target = LATEST if target is None else target
    version = current_version(db)
    if version > LATEST:
        raise SchemaTooNew(
            f"此数据库由更新版本的程序创建（数据库版本 {version}，本程序只支持到 {LATEST}）。"
            "为避免损坏数据，程序不会打开它，请安装最新版本的程序。"
        )
    pending = [s for s in STEPS if version < s.version <= target]
    if not pending:
        return []
    server = isinstance(db, peewee.PostgresqlDatabase)
    if version > 0 and backup_dir is not None and not server:
        from reception.clock import to_local
        from reception.store.backup import BEFORE_MIGRATION
        from reception.store.backup import make_backup

        # Named in local time like every other backup, so it is listed and offered for restore.
        make_backup(db, backup_dir, BEFORE_MIGRATION, to_local(now()))
    timestamp = "TIMESTAMP" if server else "DATETIME"
    db.execute_sql(
        'CREATE TABLE IF NOT EXISTS "schema_version" '
        f'("version" INTEGER NOT NULL PRIMARY KEY, "name" TEXT NOT NULL, "applied_at" {timestamp} NOT NULL)'
    )
    applied = []
    with without_time_limit(db):  # a step may rebuild a large table: no response limit
        for step in pending:
            with db.atomic():
                if server:  # two desks starting a new version at once: one migrates, the other waits
                    db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))
                    if current_version(db) >= step.version:
                        continue
                step.apply(db)
                record = 'INSERT INTO "schema_version" ("version", "name", "applied_at") VALUES (?, ?, ?)'
                db.execute_sql(sql(record, db), (step.version, step.name, now().isoformat(sep=" ")))
            applied.append(step.version)
    return applied
