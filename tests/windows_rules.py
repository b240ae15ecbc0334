"""Windows' file rules for the test suite, on every platform that is not Windows.

The desk PCs run Windows; the suite runs on Linux. This plugin makes the test process behave as
Windows does where it matters to this program, so that a Windows-only failure fails here too:

* ``os.fsync(fd)`` needs write access (Windows' ``_commit``): a descriptor opened read-only, or a
  directory, raises ``OSError(EBADF)``. :data:`reception.store.files.WINDOWS` is set, so the
  program's own :func:`~reception.store.files.fsync_dir` takes the Windows branch (no directory
  fsync) — the one decision taken on ``os.name``.
* ``os.replace`` / ``os.rename`` / ``os.unlink`` / ``os.remove`` (and ``Path.replace``,
  ``Path.rename``, ``Path.unlink``, ``shutil.move``, which call them) of a file that is still open
  in this process raise ``PermissionError`` (WinError 32). Every descriptor of the process is
  looked at (``/proc/self/fd`` or ``/dev/fd``) and compared by device and inode, so files opened
  by Python code, by SQLite connections (database, ``-wal``, ``-shm``, journals) and by Qt are
  all covered. A ``dir_fd``-relative call (``shutil.rmtree``'s) is passed through.
* Opening a file in text mode without ``encoding=`` from the project's own code (reception/, ui/,
  scripts/, packaging/, benchmarks/, tests/, dev.py) raises ``EncodingWarning``: ``open``,
  ``Path.open`` / ``read_text`` / ``write_text``, ``os.fdopen``, ``tempfile``, and
  ``subprocess`` with ``text=True``. Child processes get ``PYTHONWARNDEFAULTENCODING=1`` and
  ``PYTHONWARNINGS=error::EncodingWarning``.
* Temporary folders (``tmp_path``) lie under a folder whose name has a space and Chinese
  characters (``前台 数据``).

Off for diagnosis: ``RECEPTION_WINDOWS_RULES=0`` or ``pytest -p no:tests.windows_rules``.
Registered from ``tests/conftest.py`` (``pytest_plugins``).
"""

from __future__ import annotations

import builtins
import errno
import io
import os
import stat
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

PROJECT = Path(__file__).resolve().parent.parent
_PROJECT_FOLDERS = ("reception", "ui", "scripts", "packaging", "benchmarks", "tests")
_PROJECT_PARTS = (*(str(PROJECT / part) + os.sep for part in _PROJECT_FOLDERS), str(PROJECT / "dev.py"))
# The standard library's frames are looked through (pathlib, tempfile, os.fdopen call open for
# their caller); a third-party library's own files are its business.
_STDLIB = (sysconfig.get_paths()["stdlib"], os.path.dirname(os.__file__))
_LIBRARY_DIRS = tuple({str(Path(p)) + os.sep for p in _STDLIB})
_THIS_FILE = str(Path(__file__).resolve())
TEMP_ROOT_NAME = "前台 数据"


def wanted() -> bool:
    return os.name != "nt" and os.environ.get("RECEPTION_WINDOWS_RULES", "1") != "0"


# ---- fsync ---------------------------------------------------------------------------------


def windows_fsync(real: Callable[[Any], None]) -> Callable[[Any], None]:
    import fcntl

    def fsync(fd: Any) -> None:
        number = fd if isinstance(fd, int) else fd.fileno()
        if stat.S_ISDIR(os.fstat(number).st_mode):
            raise OSError(errno.EBADF, "Bad file descriptor (Windows: a folder cannot be flushed)")
        if fcntl.fcntl(number, fcntl.F_GETFL) & os.O_ACCMODE == os.O_RDONLY:
            raise OSError(errno.EBADF, "Bad file descriptor (Windows: fsync needs a file open for writing)")
        real(number)

    return fsync


# ---- open files cannot be replaced, renamed or deleted -------------------------------------

_FD_DIRS = ("/proc/self/fd", "/dev/fd")


def open_identities() -> set[tuple[int, int]]:
    """(device, inode) of every regular file this process holds open."""
    for folder in _FD_DIRS:
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        found = set()
        for name in names:
            try:
                info = os.fstat(int(name))
            except (OSError, ValueError):
                continue  # the listing's own descriptor, already closed
            if stat.S_ISREG(info.st_mode):
                found.add((info.st_dev, info.st_ino))
        return found
    return set()


def _identity(path: Any) -> tuple[int, int] | None:
    try:
        info = os.stat(path, follow_symlinks=False)
    except (OSError, TypeError, ValueError):
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return info.st_dev, info.st_ino


def refuse_if_open(action: str, *paths: Any) -> None:
    wanted_ids = {i: p for p in paths if (i := _identity(p)) is not None}
    if not wanted_ids:
        return
    held = open_identities()
    for identity, path in wanted_ids.items():
        if identity in held:
            raise PermissionError(
                errno.EACCES,
                f"[WinError 32] The process cannot access the file because it is being used by "
                f"another process ({action} of a file still open)",
                os.fspath(path),
            )


def windows_rename(real: Callable[..., Any], action: str) -> Callable[..., Any]:
    def rename(src: Any, dst: Any, *, src_dir_fd: Any = None, dst_dir_fd: Any = None) -> Any:
        if src_dir_fd is None and dst_dir_fd is None:
            refuse_if_open(action, src, dst)
            return real(src, dst)
        return real(src, dst, src_dir_fd=src_dir_fd, dst_dir_fd=dst_dir_fd)

    return rename


def windows_unlink(real: Callable[..., Any], action: str) -> Callable[..., Any]:
    def unlink(path: Any, *, dir_fd: Any = None) -> Any:
        if dir_fd is None:
            refuse_if_open(action, path)
            return real(path)
        return real(path, dir_fd=dir_fd)

    return unlink


# ---- text files need an encoding -----------------------------------------------------------


def project_caller() -> str | None:
    """The first caller outside the standard library (and this file): its file name if it is
    the project's own code, else None (a library's business, not ours)."""
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_filename
        in_stdlib = name.startswith(_LIBRARY_DIRS) and "site-packages" not in name
        if name != _THIS_FILE and not in_stdlib and not name.startswith("<frozen"):
            return name if name.startswith(_PROJECT_PARTS) and "/.venv/" not in name else None
        frame = frame.f_back
    return None


def _refuse_default_encoding(what: str) -> None:
    caller = project_caller()
    if caller is not None:
        raise EncodingWarning(f"{what} in text mode without encoding= ({caller}): Windows would use GBK")


def windows_open(real: Callable[..., Any]) -> Callable[..., Any]:
    def open(file: Any, mode: str = "r", buffering: int = -1, encoding: str | None = None, *a: Any, **k: Any):
        if encoding is None and "b" not in mode:
            _refuse_default_encoding("open()")
        return real(file, mode, buffering, encoding, *a, **k)

    return open


def windows_text_encoding(real: Callable[..., Any]) -> Callable[..., Any]:
    def text_encoding(encoding: Any, stacklevel: int = 2) -> Any:
        if encoding is None:
            _refuse_default_encoding("a file opened")
        return real(encoding, stacklevel)

    return text_encoding


def windows_subprocess_encoding(real: Callable[[], str]) -> Callable[[], str]:
    def _text_encoding() -> str:  # subprocess with text=True and no encoding=
        _refuse_default_encoding("a pipe opened")
        return real()

    return _text_encoding


# ---- the plugin ----------------------------------------------------------------------------

_saved: list[tuple[Any, str, Any]] = []
_saved_environ: dict[str, str | None] = {}


def _patch(owner: Any, name: str, value: Any) -> None:
    _saved.append((owner, name, getattr(owner, name)))
    setattr(owner, name, value)


def install() -> None:
    """Put the rules in place (idempotent)."""
    if _saved:
        return
    from reception.store import files

    _patch(files, "WINDOWS", True)
    _patch(os, "fsync", windows_fsync(os.fsync))
    _patch(os, "replace", windows_rename(os.replace, "replace"))
    _patch(os, "rename", windows_rename(os.rename, "rename"))
    _patch(os, "unlink", windows_unlink(os.unlink, "unlink"))
    _patch(os, "remove", windows_unlink(os.remove, "remove"))
    opener = windows_open(io.open)
    _patch(builtins, "open", opener)
    _patch(io, "open", opener)
    _patch(io, "text_encoding", windows_text_encoding(io.text_encoding))
    if hasattr(subprocess, "_text_encoding"):
        _patch(subprocess, "_text_encoding", windows_subprocess_encoding(subprocess._text_encoding))


def uninstall() -> None:
    while _saved:
        owner, name, value = _saved.pop()
        setattr(owner, name, value)


def pytest_configure(config: pytest.Config) -> None:
    if not wanted():
        return
    install()
    _set_environ("PYTHONWARNDEFAULTENCODING", "1")
    previous = os.environ.get("PYTHONWARNINGS", "")
    if "EncodingWarning" not in previous:
        _set_environ("PYTHONWARNINGS", ",".join(filter(None, [previous, "error::EncodingWarning"])))
    if not os.environ.get("PYTEST_DEBUG_TEMPROOT") and config.option.basetemp is None:
        # pytest's numbered temp folders (pytest-of-USER/pytest-N, the last 3 kept) go under it
        root = Path(tempfile.gettempdir()) / TEMP_ROOT_NAME
        root.mkdir(exist_ok=True)
        _set_environ("PYTEST_DEBUG_TEMPROOT", str(root))


def _set_environ(name: str, value: str) -> None:
    _saved_environ.setdefault(name, os.environ.get(name))
    os.environ[name] = value


def pytest_unconfigure(config: pytest.Config) -> None:
    uninstall()
    while _saved_environ:
        name, value = _saved_environ.popitem()
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def pytest_report_header(config: pytest.Config) -> str:
    return "Windows rules: " + ("on" if _saved else "off")
