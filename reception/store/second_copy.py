"""Backups that survive the PC: each checked backup is also copied to a second folder this PC names
(a USB disk, another drive — 设置 → 本机, kept in ``reception.ini``), and that folder is kept to the
same backups as ``backups/``. A copy that fails never fails the backup itself: it is recorded, and
the window warns in its status bar when the second copy has failed or has not succeeded for more
than the days the PC allows (default 3).

The record is ``backups/second-copy.json``: when the last copy succeeded, when one last failed and
why (no personal data: file names and the reason)."""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from pathlib import Path

from reception.store import config
from reception.store import files

log = logging.getLogger(__name__)

STATUS_FILE = "second-copy.json"
BACKUP_GLOB = "reception-*.db"


@dataclass(frozen=True)
class Status:
    folder: str  # '' when none is set
    ok_at: datetime | None = None  # UTC
    failed_at: datetime | None = None  # UTC
    error: str = ""


def _status_path(backups: Path) -> Path:
    return backups / STATUS_FILE


def _when(text: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text)) if text else None
    except ValueError:
        return None


def status(root: Path) -> Status:
    """What is known about the second copies of the data folder ``root``."""
    folder = config.load(root).second_backup_folder
    try:
        raw = json.loads(_status_path(root / "backups").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raw = {}
    if not isinstance(raw, dict) or raw.get("folder") != folder:
        raw = {}  # a record of another folder says nothing about this one
    return Status(folder, _when(raw.get("ok_at")), _when(raw.get("failed_at")), str(raw.get("error", "")))


def _record(backups: Path, state: Status) -> None:
    data = {
        "folder": state.folder,
        "ok_at": state.ok_at.isoformat() if state.ok_at else None,
        "failed_at": state.failed_at.isoformat() if state.failed_at else None,
        "error": state.error,
    }
    try:
        files.store_text(_status_path(backups), json.dumps(data, ensure_ascii=False))
    except OSError as exc:
        log.warning("could not record the second backup copy's status: %s", exc.strerror or exc)


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def _reason(exc: OSError, folder: Path) -> str:
    if not folder.exists():
        return f"第二备份位置 {folder} 不存在（U 盘或移动硬盘可能没有插上）"
    if isinstance(exc, PermissionError):
        return f"没有写入第二备份位置 {folder} 的权限"
    if getattr(exc, "errno", None) == 28:
        return f"第二备份位置 {folder} 的磁盘空间不足"
    return f"未能复制到第二备份位置 {folder}：{exc.strerror or exc}"


def mirror(backup: Path, now_utc: datetime) -> str | None:
    """Copy the checked backup ``backup`` (in a data folder's ``backups/``) to this PC's second
    backup folder, check the copy byte for byte, and remove there the backups ``backups/`` no
    longer holds. Returns None when done or when no second folder is set, else the reason in
    Chinese (also recorded; the backup itself stands)."""
    backups = backup.parent
    root = backups.parent
    folder_text = config.load(root).second_backup_folder
    if not folder_text:
        return None
    folder = Path(folder_text)
    before = status(root)
    try:
        if not folder.is_dir():
            raise FileNotFoundError(2, "not found", str(folder))
        target = folder / backup.name
        files.copy_file(backup, target)
        if _digest(target) != _digest(backup):
            target.unlink(missing_ok=True)
            raise OSError(5, "副本与备份不一致")
        sidecar = backup.with_name(backup.name + ".anchor")  # the audit head it holds
        if sidecar.exists():
            files.copy_file(sidecar, folder / sidecar.name)
        keep = {p.name for p in backups.glob(BACKUP_GLOB)}
        for old in folder.glob(BACKUP_GLOB):
            if old.name not in keep:
                old.unlink(missing_ok=True)
                old.with_name(old.name + ".anchor").unlink(missing_ok=True)
    except OSError as exc:
        reason = _reason(exc, folder)
        log.warning("second backup copy failed: %s", reason)
        _record(backups, Status(folder_text, before.ok_at, now_utc, reason))
        return reason
    _record(backups, Status(folder_text, now_utc, before.failed_at, ""))
    return None


def warning(root: Path, now_utc: datetime) -> str | None:
    """The status bar's warning, or None: the last copy failed, or none succeeded for more than
    the PC's allowed days since the folder was set (counted from the last failure then)."""
    pc = config.load(root)
    if not pc.second_backup_folder:
        return None
    state = status(root)
    allowed = timedelta(days=max(pc.second_backup_days, 1))
    if state.failed_at and (state.ok_at is None or state.failed_at > state.ok_at):
        return f"第二备份未能复制：{state.error}"
    if state.ok_at is None:
        return None  # nothing copied yet and nothing failed: the first backup will tell
    if now_utc - state.ok_at > allowed:
        days = (now_utc - state.ok_at).days
        return f"第二备份位置已有 {days} 天没有成功复制备份"
    return None
