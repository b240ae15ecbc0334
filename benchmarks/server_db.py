"""The benchmark's ten-year site on a PostgreSQL server (``run.py --postgres ADDRESS``).

``ensure(address, built)`` makes, once, a database ``bench_ten_years_v<schema>_<size>`` on the
server of ``address`` (whose role may create databases) holding the cached SQLite site of
``build_db.py``, moved there the way a site moves: ``reception.store.migrate_to.migrate_to``. The cached
file is never touched: a copy of it in ``bench-results/work/`` is first brought to the latest
schema version with ``reception.store.migrations.migrate`` (a cache built by an older program may be
behind), and that copy is moved. Then ``VACUUM (ANALYZE)``, so that the planner's statistics and
the visibility map do not depend on when autovacuum happens to pass. A database of that name at
the latest schema version holding as many rows in every table as the cached file is reused; one
of an older schema version (another name) is dropped, as ``build_db.ensure`` drops an older file.

``work_copy`` clones it (``CREATE DATABASE … TEMPLATE``, under a second of file copying): each
measurement works on a fresh clone, as each one on SQLite works on a fresh copy of the file, so
what one saves (or the window's start-up escalates) is not there for the next, and the cached
database keeps its row counts; ``drop_work_copy`` removes the last clone.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit
from urllib.parse import urlunsplit

import psycopg2

from reception.store import db
from reception.store.db import display_address
from reception.store.migrate_to import migrate_to
from reception.store.migrations import LATEST
from reception.store.migrations import migrate
from reception.store.models import ALL_MODELS

Log = Callable[[str], None]


def with_name(address: str, name: str) -> str:
    """``address`` with another database name (its user, host, port and options kept)."""
    parts = urlsplit(address)
    return urlunsplit(parts._replace(path="/" + name))


def _admin(address: str):
    connection = psycopg2.connect(address)
    connection.autocommit = True
    return connection


def _databases(admin, pattern: str) -> list[str]:
    with admin.cursor() as cur:
        cur.execute("SELECT datname FROM pg_database WHERE datname LIKE %s ORDER BY datname", (pattern,))
        return [row[0] for row in cur.fetchall()]


def _drop(admin, name: str) -> None:
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _running(pid: int) -> bool:
    """Whether a process of this id runs on this machine (the run that made a work copy)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _matches(address: str, rows: dict[str, int]) -> str:
    """'' when the database holds the schema version and the row counts of the SQLite site,
    otherwise what differs."""
    connection = psycopg2.connect(address)
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT to_regclass('schema_version')")
            if cur.fetchone()[0] is None:
                return "no schema"
            cur.execute("SELECT max(version) FROM schema_version")
            version = cur.fetchone()[0]
            if version != LATEST:
                return f"schema version {version}, not {LATEST}"
            for table, expected in sorted(rows.items()):
                cur.execute(f'SELECT count(*) FROM "{table}"')
                found = cur.fetchone()[0]
                if found != expected:
                    return f"{table}: {found:,} rows, not {expected:,}"
        return ""
    finally:
        connection.close()


def server_info(address: str) -> dict[str, str]:
    """The server's version and the settings that decide what a commit and a read cost."""
    connection = psycopg2.connect(address)
    names = (
        "server_version",
        "fsync",
        "synchronous_commit",
        "full_page_writes",
        "shared_buffers",
        "work_mem",
        "effective_cache_size",
        "random_page_cost",
        "jit",
        "max_parallel_workers_per_gather",
    )
    try:
        with connection.cursor() as cur:
            out = {}
            for name in names:
                cur.execute("SELECT current_setting(%s)", (name,))
                out[name] = cur.fetchone()[0]
            cur.execute("SELECT datcollate, datctype FROM pg_database WHERE datname = current_database()")
            collate, ctype = cur.fetchone()
            out["lc_collate"], out["lc_ctype"] = collate, ctype
            return out
    finally:
        connection.close()


def file_rows(path: Path) -> dict[str, int]:
    """The rows of every table of the program in the SQLite file, read without touching it
    (``immutable``: no lock, no -wal or -shm file)."""
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?immutable=1", uri=True)
    try:
        return {
            model._meta.table_name: connection.execute(
                f'SELECT count(*) FROM "{model._meta.table_name}"'
            ).fetchone()[0]
            for model in ALL_MODELS
        }
    finally:
        connection.close()


def ensure(address: str, built: dict, work_dir: Path, *, force: bool = False, log: Log = print) -> dict:
    """The server database holding the ten-year site of ``built`` (``build_db.ensure``'s answer),
    made if missing or not matching. Returns its name, address, size and how it was made."""
    size = built["size"]
    name = f"bench_ten_years_v{LATEST}_{size}"
    target = with_name(address, name)
    rows = file_rows(Path(built["path"]))
    admin = _admin(address)
    try:
        for old in _databases(admin, f"bench\\_ten\\_years\\_v%\\_{size}"):
            if old != name:
                log(f"  dropping {old} (another schema version)")
                _drop(admin, old)
        for clone in _databases(admin, f"bench\\_ten\\_years\\_v%\\_{size}\\_work\\_%"):
            if not _running(int(clone.rsplit("_", 1)[1])):
                log(f"  dropping {clone} (left by a run that was stopped)")
                _drop(admin, clone)
        info = {"name": name, "address": display_address(target), "cached": False}
        if name in _databases(admin, name) and not force:
            why = _matches(target, rows)
            if not why:
                info["cached"] = True
                info["size_mb"] = _size_mb(admin, name)
                return info
            log(f"  {name} is there but does not match ({why}): making it again")
        _drop(admin, name)
        with admin.cursor() as cur:
            cur.execute(f'CREATE DATABASE "{name}"')
        started = time.perf_counter()
        source = _latest_copy(Path(built["path"]), work_dir, log)
        log(f"  migrate_to {source.name} → {display_address(target)} …")
        result = migrate_to(source, target, progress=lambda line: log(f"    {line}"))
        info["migrate_s"] = round(result.seconds, 1)
        shutil.rmtree(source.parent, ignore_errors=True)
        log(f"  moved {result.rows:,} rows in {result.seconds:.0f} s; VACUUM (ANALYZE) …")
        vacuum_started = time.perf_counter()
        connection = _admin(target)
        try:
            with connection.cursor() as cur:
                cur.execute("VACUUM (ANALYZE)")
        finally:
            connection.close()
        info["vacuum_s"] = round(time.perf_counter() - vacuum_started, 1)
        info["total_s"] = round(time.perf_counter() - started, 1)
        why = _matches(target, rows)
        if why:
            raise RuntimeError(f"the server copy does not match the SQLite site: {why}")
        info["size_mb"] = _size_mb(admin, name)
        return info
    finally:
        admin.close()


def _size_mb(admin, name: str) -> float:
    with admin.cursor() as cur:
        cur.execute("SELECT pg_database_size(%s)", (name,))
        return round(cur.fetchone()[0] / 1e6, 1)


def _latest_copy(cached: Path, work_dir: Path, log: Log) -> Path:
    """A copy of the cached file at the latest schema version (the cache itself is not changed)."""
    folder = work_dir / "server-source"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    path = folder / "reception.db"
    shutil.copyfile(cached, path)
    database = db.open_database(path)
    try:
        applied = migrate(database)
    finally:
        db.close_database()
    if applied:
        log(f"  copy of {cached.name} migrated to schema version {LATEST} (steps {applied})")
    return path


def _clone_name(name: str) -> str:
    return f"{name}_work_{os.getpid()}"


def work_copy(address: str, name: str) -> str:
    """A fresh clone of the cached server database ``name`` (replacing the previous one); its
    address."""
    clone = _clone_name(name)
    admin = _admin(address)
    try:
        _drop(admin, clone)
        with admin.cursor() as cur:
            # FILE_COPY (the only way before PostgreSQL 15): the files are copied after a
            # checkpoint, not written once more through the WAL.
            strategy = " STRATEGY FILE_COPY" if admin.server_version >= 150000 else ""
            cur.execute(f'CREATE DATABASE "{clone}" TEMPLATE "{name}"{strategy}')
    finally:
        admin.close()
    return with_name(address, clone)


def drop_work_copy(address: str, name: str) -> None:
    admin = _admin(address)
    try:
        _drop(admin, _clone_name(name))
    finally:
        admin.close()
