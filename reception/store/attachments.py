"""Files attached to records (scanned letters, reply documents), kept in the data folder.

A file is copied to ``attachments/ab/abcdef….ext`` (its SHA-256), written to a temporary name
and renamed, so a half-copied file never takes a real name; the same file added twice is
stored once. The database row remembers the original name. A file missing on disk is
reported (``path_of`` returns None), never a crash."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import stat
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from reception.errors import ReceptionError
from reception.store import files
from reception.store.models import Attachment, Operator

MAX_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class AttachmentStore:
    root: Path

    def _target(self, digest: str, suffix: str) -> Path:
        return self.root / digest[:2] / f"{digest}{suffix.lower()}"

    def put(self, source: Path) -> tuple[str, int]:
        """Copy a file in; returns (sha256, size). Call before the database transaction."""
        if not source.is_file():
            raise ReceptionError(f"找不到文件：{source.name}")
        size = source.stat().st_size
        if size > MAX_BYTES:
            raise ReceptionError(f"文件太大（{size // 1024 // 1024} MB），附件最大 200 MB：{source.name}")
        sha = hashlib.sha256()
        with source.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                sha.update(chunk)
        digest = sha.hexdigest()
        target = self._target(digest, source.suffix)
        if not target.exists():
            files.copy_file(source, target)
        return digest, size

    def path_of(self, attachment: Attachment) -> Path | None:
        path = self._target(attachment.sha256, Path(attachment.original_name).suffix)
        return path if path.is_file() else None


VIEW_FOLDER = "reception-查看附件"
_VIEW_KEEP_SECONDS = 24 * 3600
_NOT_IN_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def viewing_copy(stored: Path, original_name: str, base: Path | None = None) -> Path:
    """A read-only copy of a stored file in a temporary folder, under its original name, for
    opening in another program: an edit there never touches the stored file (whose name is
    its SHA-256). Copies older than a day are removed first (best effort: one still open in a
    viewer stays until next time)."""
    base = base or Path(tempfile.gettempdir()) / VIEW_FOLDER
    base.mkdir(parents=True, exist_ok=True)
    _remove_old_copies(base)
    folder = Path(tempfile.mkdtemp(prefix="view-", dir=base))
    name = _NOT_IN_NAMES.sub("_", Path(original_name).name).strip(" .") or stored.name
    target = folder / name
    shutil.copyfile(stored, target)
    os.chmod(target, stat.S_IREAD | stat.S_IRGRP | stat.S_IROTH)  # Windows: the read-only attribute
    return target


def _remove_old_copies(base: Path) -> None:
    limit = time.time() - _VIEW_KEEP_SECONDS
    for folder in base.glob("view-*"):
        with contextlib.suppress(OSError):
            if folder.stat().st_mtime >= limit:
                continue
            for item in folder.iterdir():
                os.chmod(item, stat.S_IWRITE | stat.S_IREAD)  # Windows deletes no read-only file
                item.unlink()
            folder.rmdir()


def record(
    owner_kind: str,
    owner_id: int,
    role: str,
    digest: str,
    size: int,
    original_name: str,
    at: object,
    operator: Operator,
) -> Attachment:
    """The database row (inside the caller's write transaction)."""
    return Attachment.create(
        owner_kind=owner_kind,
        owner_id=owner_id,
        role=role,
        sha256=digest,
        size=size,
        original_name=original_name[:255],
        added_at=at,
        added_by=operator,
    )


def list_for(owner_kind: str, owner_id: int) -> list[Attachment]:
    return list(
        Attachment.select()
        .where((Attachment.owner_kind == owner_kind) & (Attachment.owner_id == owner_id))
        .order_by(Attachment.id)
    )
