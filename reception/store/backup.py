"""Backups of the database, made with SQLite's online backup API.

A copy is written to a temporary file next to its destination, checked with
``PRAGMA quick_check``, and only then renamed into place, so a backup on disk is always whole;
a damaged database is never backed up (it would push a good generation out). One automatic
backup a day, on demand, and before every migration and restore; ``backup_generations`` of the
automatic ones are kept (setting)."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import peewee

from reception.errors import ReceptionError, StorageError

DAILY = "每日"
MANUAL = "手动"
BEFORE_RESTORE = "恢复前"
_NAME = re.compile(r"^reception-(\d{8})-(\d{6})-(.+)\.db$")
DEFAULT_GENERATIONS = 14


def check_file(path: Path) -> str:
    """``'ok'`` or the first problem ``quick_check`` reports for a database file."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = con.execute("PRAGMA quick_check").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return str(row[0]) if row else "empty result"


def backup_database(db: peewee.Database, target: Path) -> Path:
    """Copy the open database to ``target`` (temp file, check, rename)."""
    source_check = db.execute_sql("PRAGMA quick_check").fetchone()[0]
    if source_check != "ok":
        raise StorageError(
            f"数据库检查未通过（{source_check}），为保护已有备份，本次不做备份。", retryable=False
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    if tmp.exists():
        tmp.unlink()
    dest = sqlite3.connect(str(tmp))
    try:
        db.connection().backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")  # a backup is one self-contained file
    finally:
        dest.close()
    result = check_file(tmp)
    if result != "ok":
        tmp.unlink(missing_ok=True)
        raise StorageError(f"备份文件校验失败（{result}），未保存该备份。", retryable=False)
    with tmp.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, target)
    return target


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: datetime  # local time, from the file name
    label: str
    size: int


def list_backups(folder: Path) -> list[BackupInfo]:
    """Backups in a folder, newest first (files named by :func:`make_backup`)."""
    found: list[BackupInfo] = []
    if not folder.is_dir():
        return found
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        if match and path.is_file():
            created = datetime.strptime(match[1] + match[2], "%Y%m%d%H%M%S")
            found.append(BackupInfo(path, created, match[3], path.stat().st_size))
    return sorted(found, key=lambda b: b.created, reverse=True)


def make_backup(
    db: peewee.Database, folder: Path, label: str, now_local: datetime, generations: int = DEFAULT_GENERATIONS
) -> Path:
    path = folder / f"reception-{now_local:%Y%m%d-%H%M%S}-{label}.db"
    backup_database(db, path)
    if db.table_exists("audit_log"):  # the audit head it holds: beside it and outside the folder
        from reception.store import audit

        audit.anchor(f"{now_local:%m月%d日 %H:%M} 的备份", now_local, sidecar=anchor_sidecar(path))
    if label == DAILY:
        daily = [b for b in list_backups(folder) if b.label == DAILY]
        for old in daily[max(generations, 1) :]:
            old.path.unlink(missing_ok=True)
            anchor_sidecar(old.path).unlink(missing_ok=True)
    return path


def anchor_sidecar(backup: Path) -> Path:
    """``<backup>.anchor``: the audit chain head the backup holds (one JSON line)."""
    return backup.with_name(backup.name + ".anchor")


END_OF_DAY_HOUR = 22


def daily_backup_if_due(
    db: peewee.Database, folder: Path, now_local: datetime, generations: int = DEFAULT_GENERATIONS
) -> Path | None:
    """The end-of-day backup: once from 22:00 each day, or — if the program was not running
    then — at the first chance afterwards. Returns the new file, or None if not due."""
    today_end = now_local.replace(hour=END_OF_DAY_HOUR, minute=0, second=0, microsecond=0)
    last_end = today_end if now_local >= today_end else today_end - timedelta(days=1)
    latest = next((b for b in list_backups(folder) if b.label == DAILY), None)
    if latest is not None and latest.created >= last_end:
        return None
    if latest is not None and now_local < today_end and latest.created.date() == now_local.date():
        return None  # already caught up this morning
    return make_backup(db, folder, DAILY, now_local, generations)


def check_restorable(source: Path, latest_schema: int) -> None:
    """Refuse a file that is not a healthy database of this program (or is too new)."""
    if not source.is_file():
        raise ReceptionError(f"找不到备份文件：{source}")
    result = check_file(source)
    if result != "ok":
        raise ReceptionError(f"该文件不是完好的数据库（{result}），不能用来恢复。")
    con = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not {"schema_version", "call", "operator"} <= tables:
            raise ReceptionError("该文件不是前台接待工作站的数据库，不能用来恢复。")
        version = con.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] or 0
    finally:
        con.close()
    if version > latest_schema:
        raise ReceptionError(f"该备份由更新版本的程序创建（数据库版本 {version}），请先升级程序。")


def restore_file(source: Path, database_path: Path) -> None:
    """Put ``source`` in place of the (closed) database file: copy to a temp file, fsync, remove
    the old WAL/SHM files, rename. The caller closes the database first and reopens it after."""
    tmp = database_path.with_name(database_path.name + ".restore")
    shutil.copyfile(source, tmp)
    with tmp.open("rb") as handle:
        os.fsync(handle.fileno())
    for suffix in ("-wal", "-shm"):
        Path(str(database_path) + suffix).unlink(missing_ok=True)
    os.replace(tmp, database_path)
