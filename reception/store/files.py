"""Writing a file the person named (a PDF, an Excel export): all of it or nothing.

The bytes go to a temporary file in the target's own folder, are flushed to disk while the file
is still open for writing (Windows refuses ``fsync`` otherwise), and only then replace the
target. On any failure the temporary file is removed and the target is left as it was. Every
``OSError`` becomes one Chinese sentence naming the path (:class:`FileWriteError`).

The data folder's own files (backups, attachments, reception.ini, archived reports) are written
the same way by :func:`store_file` (folders made as needed, an ``OSError`` raised as it is).

Windows rules kept here (the desk PCs run Windows; tests/windows_rules.py makes the test suite
follow them on Linux): ``fsync`` needs a descriptor open for writing; a folder cannot be opened,
so it cannot be flushed (:func:`fsync_dir` does it only where the system can); a file still open
cannot be renamed, replaced or deleted, so every handle is closed before ``os.replace``."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from reception.errors import ReceptionError

# Whether to follow Windows' rules. The test suite's Windows layer (tests/windows_rules.py) sets
# it on Linux so that the Windows branch is the one tested.
WINDOWS = os.name == "nt"


class FileWriteError(ReceptionError):
    """The file could not be written; nothing was left behind."""


_REASON_NAMES = {
    "EACCES": "没有写入权限",
    "EPERM": "没有写入权限",
    "EROFS": "该位置是只读的",
    "ENOSPC": "磁盘空间已满",
    "EDQUOT": "磁盘配额已用完",
    "ENOENT": "路径不存在",
    "ENOTDIR": "路径中有一部分不是文件夹",
    "EISDIR": "这是一个文件夹",
    "ENAMETOOLONG": "文件名太长",
    "EINVAL": "文件名或位置无效",
    "EBUSY": "文件正被其他程序使用",
    "ETXTBSY": "文件正被其他程序使用",
    "EEXIST": "已存在同名的文件夹",
    "EXDEV": "不能跨磁盘替换文件",
    "EIO": "磁盘读写出错",
}
# Not every platform's errno has every name (Windows lacks some).
_REASONS = {getattr(errno, name): text for name, text in _REASON_NAMES.items() if hasattr(errno, name)}


def reason(exc: OSError) -> str:
    """The cause of a file error in Chinese (Windows' sharing violation included)."""
    if getattr(exc, "winerror", None) in (32, 33):  # ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION
        return "文件正被其他程序打开（例如 PDF 阅读器或 Excel），请关闭后重试"
    if exc.errno in _REASONS:
        return _REASONS[exc.errno]
    return f"系统错误 {exc.errno}" if exc.errno else "系统错误"


def check_target(path: Path) -> None:
    """Refuse a target that cannot be a file before any work is done: its folder must exist
    (a mistyped folder is not created) and the path must be a file, if anything."""
    folder = path.parent
    if path.is_dir():
        raise FileWriteError(f"文件未能写入 {path}：这是一个文件夹，请给出文件名。")
    if path.exists() and not path.is_file():  # a device or a pipe is never replaced by a file
        raise FileWriteError(f"文件未能写入 {path}：这不是普通文件。")
    if not folder.exists():
        raise FileWriteError(f"文件未能写入 {path}：文件夹 {folder} 不存在。")
    if not folder.is_dir():
        raise FileWriteError(f"文件未能写入 {path}：{folder} 不是文件夹。")


def _usual_mode(path: Path) -> int:
    """The mode the file keeps (replacing one) or would get from a plain ``open`` (a new one)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def _write_and_replace(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """The temporary file: written, flushed while open for writing, closed, renamed over
    ``path``, the folder flushed; removed on any failure (which is raised as it is)."""
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        if hasattr(os, "fchmod"):  # mkstemp makes the file private (0600): give it the usual mode
            os.fchmod(fd, _usual_mode(path))
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def atomic_write(path: Path | str, write: Callable[[BinaryIO], object]) -> Path:
    """Call ``write(handle)`` on a temporary file next to ``path``, then put it in place."""
    path = Path(path)
    check_target(path)
    try:
        _write_and_replace(path, write)
    except OSError as exc:
        raise FileWriteError(f"文件未能写入 {path}：{reason(exc)}。") from exc
    return path


def write_bytes(path: Path | str, data: bytes) -> Path:
    return atomic_write(path, lambda handle: handle.write(data))


# ---- the data folder's own files ----------------------------------------------------------


def store_file(path: Path, write: Callable[[BinaryIO], object]) -> Path:
    """Like :func:`atomic_write` for a file of the program's own (its folder is made; an
    ``OSError`` is raised as it is, for the caller to report)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_and_replace(path, write)
    return path


def store_bytes(path: Path, data: bytes) -> Path:
    return store_file(path, lambda handle: handle.write(data))


def store_text(path: Path, text: str, encoding: str = "utf-8") -> Path:
    return store_bytes(path, text.encode(encoding))


def copy_file(source: Path, target: Path) -> Path:
    """Copy ``source`` to ``target`` whole or not at all."""
    with open(source, "rb") as src:
        return store_file(target, lambda handle: shutil.copyfileobj(src, handle, 1 << 20))


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
    """Flush a closed file written by someone else (SQLite) to disk: open it for writing —
    Windows needs write access to flush — and fsync."""
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace(source: Path, target: Path) -> None:
    """Rename a finished (closed, flushed) file over ``target`` and make the rename durable."""
    os.replace(source, target)
    fsync_dir(target.parent)


def sqlite_uri(path: Path, mode: str = "ro") -> str:
    """A ``file:`` URI for ``sqlite3.connect(..., uri=True)`` made by :meth:`Path.as_uri` (a
    ``%41``, ``?`` or ``#`` in a folder name is escaped, never read as part of the URI)."""
    return f"{Path(path).resolve().as_uri()}?mode={mode}"
