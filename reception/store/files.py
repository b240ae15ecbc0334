"""Writing a file the person named (a PDF, an Excel export): all of it or nothing.

The bytes go to a temporary file in the target's own folder, are flushed to disk while the file
is still open for writing (Windows refuses ``fsync`` otherwise), and only then replace the
target. On any failure the temporary file is removed and the target is left as it was. Every
``OSError`` becomes one Chinese sentence naming the path (:class:`FileWriteError`)."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from reception.errors import ReceptionError


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


def atomic_write(path: Path | str, write: Callable[[BinaryIO], object]) -> Path:
    """Call ``write(handle)`` on a temporary file next to ``path``, then put it in place."""
    path = Path(path)
    check_target(path)
    try:
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise FileWriteError(f"文件未能写入 {path}：{reason(exc)}。") from exc
    tmp = Path(tmp_name)
    try:
        if os.name != "nt":  # mkstemp makes the file private (0600): give it the usual mode
            os.fchmod(fd, _usual_mode(path))
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise FileWriteError(f"文件未能写入 {path}：{reason(exc)}。") from exc
        raise
    if os.name != "nt":  # a directory cannot be opened for fsync on Windows
        try:
            folder = os.open(path.parent, os.O_RDONLY)
        except OSError:
            return path
        try:
            os.fsync(folder)
        except OSError:
            pass
        finally:
            os.close(folder)
    return path


def write_bytes(path: Path | str, data: bytes) -> Path:
    return atomic_write(path, lambda handle: handle.write(data))
