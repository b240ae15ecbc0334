"""Files attached to records (scanned letters, reply documents), kept in the data folder.

A file is copied to ``attachments/ab/abcdef….ext`` (its SHA-256), written to a temporary name
and renamed, so a half-copied file never takes a real name; the same file added twice is
stored once. The same content under another extension is not stored again: the second name is
a hard link to the first file (a copy only where the disk has no hard links). The database row
remembers the original name, cleaned (:func:`clean_name`: no direction-changing or control
characters, an extension of at most 10 characters). A file missing on disk is reported
(``path_of`` returns None), never a crash; a file that cannot be read or written is refused with
the program's own message."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import stat
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from reception.errors import ReceptionError
from reception.store import files
from reception.store.models import Attachment
from reception.store.models import Operator

MAX_BYTES = 200 * 1024 * 1024
MAX_EXTENSION = 10  # characters after the dot
# Characters that change the direction text is shown in: 「报告\u202efdp.exe」 shows as 「报告exe.pdf」.
_BIDI = frozenset([0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def clean_name(name: str) -> str:
    """A file name as it may be shown and stored: direction controls and control characters
    removed, an extension of at most :data:`MAX_EXTENSION` characters."""
    kept = "".join(
        ch for ch in name if ord(ch) not in _BIDI and unicodedata.category(ch) not in ("Cc", "Cf", "Cs")
    ).strip()
    stem, dot, extension = kept.rpartition(".")
    if dot and stem and len(extension) > MAX_EXTENSION:
        kept = f"{stem}.{extension[:MAX_EXTENSION]}"
    return kept[:255] or "附件"


def _suffix(name: str) -> str:
    suffix = Path(clean_name(name)).suffix.lower()
    return suffix if all(ch.isalnum() or ch in "._-" for ch in suffix) else ""


@dataclass(frozen=True)
class AttachmentStore:
    root: Path

    def _target(self, digest: str, suffix: str) -> Path:
        return self.root / digest[:2] / f"{digest}{suffix.lower()}"

    def put(self, source: Path) -> tuple[str, int]:
        """Copy a file in; returns (sha256, size). Call before the database transaction."""
        from reception.store.files import reason

        shown = clean_name(source.name)
        if not source.is_file():
            raise ReceptionError(f"找不到文件：{shown}")
        try:
            size = source.stat().st_size
            if size > MAX_BYTES:
                raise ReceptionError(f"文件太大（{size // 1024 // 1024} MB），附件最大 200 MB：{shown}")
            sha = hashlib.sha256()
            with source.open("rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    sha.update(chunk)
        except OSError as exc:
            raise ReceptionError(f"无法读取文件 {shown}：{reason(exc)}。") from None
        digest = sha.hexdigest()
        target = self._target(digest, _suffix(source.name))
        try:
            if not target.exists():
                same = self._same_content(digest)
                if same is None:
                    files.copy_file(source, target)
                else:  # the same content under another extension: stored once
                    tmp = target.with_name(target.name + ".part")
                    tmp.unlink(missing_ok=True)
                    try:
                        os.link(same, tmp)
                    except OSError:
                        shutil.copyfile(same, tmp)
                    files.fsync_file(tmp)
                    files.replace(tmp, target)
        except OSError as exc:
            raise ReceptionError(f"无法把 {shown} 保存到附件文件夹：{reason(exc)}。") from None
        return digest, size

    def _same_content(self, digest: str) -> Path | None:
        folder = self.root / digest[:2]
        return next(
            (p for p in folder.glob(f"{digest}*") if p.is_file() and not p.name.endswith(".part")), None
        )

    def path_of(self, attachment: Attachment) -> Path | None:
        path = self._target(attachment.sha256, _suffix(attachment.original_name))
        if path.is_file():
            return path
        legacy = self._target(attachment.sha256, Path(attachment.original_name).suffix)  # before clean_name
        return legacy if legacy.is_file() else None


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
        original_name=clean_name(original_name),
        added_at=at,
        added_by=operator,
    )


def list_for(owner_kind: str, owner_id: int) -> list[Attachment]:
    return list(
        Attachment.select()
        .where((Attachment.owner_kind == owner_kind) & (Attachment.owner_id == owner_id))
        .order_by(Attachment.id)
    )
