"""Writing files so that a crash or a power cut never leaves half a file under a real name, by
rules that hold on Windows as well as on Linux.

Windows rules kept here (the desk PCs run Windows):

* ``fsync`` needs a descriptor open for writing (``_commit`` raises EBADF on a read-only one):
  a file is flushed to disk while it is still open for writing, before it is closed.
* A folder cannot be opened, so it cannot be flushed: :func:`fsync_dir` does it only where the
  system allows it (after a rename, so that the new name itself survives a power cut).
* A file still open cannot be renamed, replaced or deleted: every handle is closed before
  ``os.replace``.

:func:`atomic_write` writes ``<name>.tmp`` in the same folder → flush → fsync → close →
``os.replace`` → fsync of the folder; the temporary file is removed on any failure.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

# Whether to follow Windows' rules. The test suite's Windows layer (tests/windows_rules.py) sets
# it on Linux so that the Windows branch is the one tested.
WINDOWS = os.name == "nt"

TMP_SUFFIX = ".tmp"


def temp_path(target: Path) -> Path:
    """The temporary name a file is written under before it takes ``target``'s name."""
    return target.with_name(target.name + TMP_SUFFIX)


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable where the system can (not on Windows, where a folder
    cannot be opened and NTFS journals the rename itself). Best effort: a file system that
    refuses (some network shares) is no reason to fail a write that has already happened."""
    if WINDOWS:
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def fsync_file(path: Path) -> None:
    """Flush a closed file written by someone else (SQLite, a library) to disk: open it for
    writing — Windows needs write access to flush — and fsync."""
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace(source: Path, target: Path) -> None:
    """Rename a finished (closed, flushed) file over ``target`` and make the rename durable."""
    os.replace(source, target)
    fsync_dir(target.parent)


@contextlib.contextmanager
def atomic_write(target: Path) -> Iterator[BinaryIO]:
    """A binary handle to write ``target`` through a temporary file in the same folder; the
    file takes its name only when the block ends without an error."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(target)
    try:
        with open(tmp, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise


def write_bytes(target: Path, data: bytes) -> Path:
    with atomic_write(target) as handle:
        handle.write(data)
    return target


def write_text(target: Path, text: str, encoding: str = "utf-8") -> Path:
    return write_bytes(target, text.encode(encoding))


def copy_file(source: Path, target: Path) -> Path:
    """Copy ``source`` to ``target`` whole or not at all."""
    with atomic_write(target) as out, open(source, "rb") as src:
        shutil.copyfileobj(src, out, 1 << 20)
    return target


def sqlite_uri(path: Path, mode: str = "ro") -> str:
    """A ``file:`` URI for ``sqlite3.connect(..., uri=True)`` made by :meth:`Path.as_uri` (a
    ``%41``, ``?`` or ``#`` in a folder name is escaped, never read as part of the URI)."""
    return f"{Path(path).resolve().as_uri()}?mode={mode}"
