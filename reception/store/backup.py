"""Backups of the database, made with SQLite's online backup API.

A copy is written to a temporary file next to its destination, checked with
``PRAGMA quick_check``, and only then renamed into place, so a backup on disk is always whole;
a damaged database is never backed up (it would push a good generation out). One automatic
backup a day, on demand, and before every migration and restore; ``backup_generations`` of the
automatic ones are kept (setting).

A backup that fails (a full disk, a killed program) leaves no temporary file behind: its own are
removed at once, and any left by a killed run are removed at the next start
(:func:`remove_stale_temps`). A full disk is said in words (「磁盘空间不足」)."""

from __future__ import annotations

import errno
import logging
import os
import re
import shutil
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from pathlib import Path

import peewee

from reception.errors import DamagedDatabase
from reception.errors import ReceptionError
from reception.errors import StorageError
from reception.store import files

log = logging.getLogger(__name__)

DAILY = "每日"
MANUAL = "手动"
BEFORE_RESTORE = "恢复前"
BEFORE_MIGRATION = "迁移前"
_NAME = re.compile(r"^reception-(\d{8})-(\d{6})-(.+)\.db$")
DEFAULT_GENERATIONS = 14


def check_file(path: Path) -> str:
    """``'ok'`` or the first problem ``quick_check`` reports for a database file."""
    try:
        con = sqlite3.connect(files.sqlite_uri(path), uri=True)
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
        raise DamagedDatabase(f"数据库检查未通过（{source_check}），为保护已有备份，本次不做备份。")
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
    files.fsync_file(tmp)  # SQLite has closed it: reopened for writing, as Windows needs to flush
    files.replace(tmp, target)
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


# What a backup in progress leaves next to its destination (SQLite's journal and WAL files of
# the temporary copy included).
_TEMP_SUFFIXES = (".tmp", ".tmp-journal", ".tmp-wal", ".tmp-shm")
# A temporary file untouched for this long belongs to no running backup (a backup of ten years
# of records takes seconds): another program's backup in progress is never removed.
STALE_TEMP_SECONDS = 10 * 60


def _temp_files(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in _TEMP_SUFFIXES]


def remove_stale_temps(folder: Path, *, older_than: float = STALE_TEMP_SECONDS) -> list[Path]:
    """Remove the temporary files that killed or failed backups left in ``folder`` (at start).
    Returns the files removed; one that cannot be removed (still open elsewhere) is left."""
    removed: list[Path] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    limit = time.time() - older_than
    for path in entries:
        if not path.name.endswith(_TEMP_SUFFIXES):
            continue
        try:
            if not path.is_file() or path.stat().st_mtime > limit:
                continue
            path.unlink()
        except OSError:
            continue
        removed.append(path)
    if removed:
        log.info("removed %d temporary files left by earlier backups", len(removed))
    return removed


def _restore_temp(database_path: Path) -> Path:
    return database_path.with_name(database_path.name + ".restore")


def remove_restore_temp(database_path: Path, *, older_than: float = 0.0) -> bool:
    """Remove the temporary copy a failed or killed restore left beside the database (at start
    only when it is older than ``older_than`` seconds). True when one was removed."""
    temp = _restore_temp(database_path)
    try:
        if not temp.is_file() or temp.stat().st_mtime > time.time() - older_than:
            return False
        temp.unlink()
    except OSError:
        return False
    log.info("removed the temporary copy of a restore that did not finish")
    return True


def restore_error(exc: OSError, folder: Path) -> StorageError:
    """A restore whose copy failed, in words (the database file is only ever replaced by a whole
    copy)."""
    if _is_disk_full(exc):
        return StorageError(f"磁盘空间不足，恢复未完成（数据文件夹：{folder}）。请清理磁盘后重试。")
    return StorageError(f"恢复未完成（{exc.strerror or exc}）。")


def _is_disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return True
    code = getattr(exc, "sqlite_errorcode", None)
    return (code is not None and code & 0xFF == 13) or "database or disk is full" in str(exc).lower()


def _is_damage(exc: BaseException) -> bool:
    """SQLITE_CORRUPT / SQLITE_NOTADB, by code or by words."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if code is not None else None
    text = str(exc).lower()
    return primary in (11, 26) or "malformed" in text or "not a database" in text


def _backup_error(exc: BaseException, folder: Path) -> ReceptionError:
    """The Chinese words for a backup that failed (the cause, and whether trying again helps)."""
    if isinstance(exc, ReceptionError):
        # the database layer's words for a file it could not read: damage stays damage, so that
        # a restore sets the file aside rather than stopping (the cause is the driver's error)
        cause = exc.__cause__
        if not isinstance(exc, DamagedDatabase) and cause is not None and _is_damage(cause):
            return DamagedDatabase(f"数据库检查未通过（{cause}），为保护已有备份，本次不做备份。")
        return exc
    if _is_disk_full(exc):
        return StorageError(f"磁盘空间不足，备份未完成（备份文件夹：{folder}）。请清理磁盘后重试。")
    text = str(exc).lower()
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if code is not None else None
    if _is_damage(exc):
        return DamagedDatabase(f"数据库检查未通过（{exc}），为保护已有备份，本次不做备份。")
    if isinstance(exc, PermissionError) or primary in (3, 8, 14) or "readonly" in text:
        return StorageError(f"没有写入备份文件夹的权限，备份未完成：{folder}。", retryable=False)
    if primary in (5, 6) or "locked" in text:
        return StorageError("数据库正被其他程序占用，备份未完成。请稍后重试。")
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return StorageError(f"备份未完成（{reason}）。")


def make_backup(
    db: peewee.Database, folder: Path, label: str, now_local: datetime, generations: int = DEFAULT_GENERATIONS
) -> Path:
    """A backup named ``reception-<local time>-<label>.db`` in ``folder``, copied also to this PC's
    second backup folder when one is set (:mod:`reception.store.second_copy`). A failure leaves no
    temporary file and raises :class:`StorageError` in words (a damaged database:
    :class:`DamagedDatabase`)."""
    path = folder / f"reception-{now_local:%Y%m%d-%H%M%S}-{label}.db"
    try:
        backup_database(db, path)
    except BaseException as exc:
        for temp in _temp_files(path):
            try:
                temp.unlink(missing_ok=True)
            except OSError:
                log.warning("could not remove the temporary file %s", temp.name)
        if isinstance(exc, sqlite3.Error | peewee.DatabaseError | OSError):
            raise _backup_error(exc, folder) from exc
        raise
    if db.table_exists("audit_log"):  # the audit head it holds: beside it and outside the folder
        from reception.store import audit

        label_text = f"{now_local.month}月{now_local.day}日 {now_local:%H:%M} 的备份"
        audit.anchor(label_text, now_local, sidecar=anchor_sidecar(path))
    if label == DAILY:
        daily = [b for b in list_backups(folder) if b.label == DAILY]
        for old in daily[max(generations, 1) :]:
            old.path.unlink(missing_ok=True)
            anchor_sidecar(old.path).unlink(missing_ok=True)
    from reception.clock import to_utc
    from reception.store import second_copy

    second_copy.mirror(path, to_utc(now_local))  # a failed second copy is recorded, never raised
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
    con = sqlite3.connect(files.sqlite_uri(source), uri=True)
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
    try:
        with open(tmp, "wb") as out, open(source, "rb") as src:
            shutil.copyfileobj(src, out, 1 << 20)
            out.flush()
            os.fsync(out.fileno())  # while it is open for writing (Windows)
        for suffix in ("-wal", "-shm"):
            Path(str(database_path) + suffix).unlink(missing_ok=True)
        files.replace(tmp, database_path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
