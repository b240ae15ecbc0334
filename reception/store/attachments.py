"""Files attached to records (scanned letters, reply documents), kept in the data folder.

A file is copied to ``attachments/ab/abcdef….ext`` (its SHA-256), written to a temporary name
and renamed, so a half-copied file never takes a real name; the same file added twice is
stored once. The database row remembers the original name. A file missing on disk is
reported (``path_of`` returns None), never a crash."""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from reception.errors import ReceptionError
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
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(target.name + ".part")
            shutil.copyfile(source, tmp)
            with tmp.open("rb") as handle:
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        return digest, size

    def path_of(self, attachment: Attachment) -> Path | None:
        path = self._target(attachment.sha256, Path(attachment.original_name).suffix)
        return path if path.is_file() else None


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
