"""Crashes become visible: an uncaught exception is logged and named in a Chinese dialog; a hard
crash leaves its trace in logs/crash.log (ui/app.py CrashHooks)."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from ui import app as app_module
from ui.widgets import msgbox

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def hooks(
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[app_module.CrashHooks, list]]:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(msgbox, "error", lambda parent, title, text: shown.append((title, text)))
    logs = tmp_path / "数据" / "logs"
    handler = app_module.setup_logging(logs)
    hooks = app_module.CrashHooks(logs)
    hooks.install()
    try:
        yield hooks, shown
    finally:
        hooks.uninstall()
        app_module.remove_logging(handler)


def _raise_in(where: str) -> None:
    raise LookupError(f"出错的地方 {where}")


def test_uncaught_exception_is_logged_and_named_in_a_dialog(hooks) -> None:
    crash, shown = hooks
    assert sys.excepthook == crash._excepthook
    try:
        _raise_in("窗口")
    except LookupError:
        sys.excepthook(*sys.exc_info())
    text = crash.log_file.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text
    assert "_raise_in" in text and "LookupError: 出错的地方 窗口" in text
    assert len(shown) == 1
    assert str(crash.log_file) in shown[0][1]
    assert "意外错误" in shown[0][1]


def test_exception_in_another_thread_is_logged_and_shown_by_the_window_thread(hooks, qtbot) -> None:
    crash, shown = hooks
    worker = threading.Thread(target=_raise_in, args=("后台",), name="检查")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(shown) == 1)
    text = crash.log_file.read_text(encoding="utf-8")
    assert "thread 检查" in text and "LookupError: 出错的地方 后台" in text
    assert str(crash.log_file) in shown[0][1]


def test_uninstall_puts_the_previous_hooks_back(qapp, tmp_path: Path) -> None:
    before = (sys.excepthook, threading.excepthook)
    crash = app_module.CrashHooks(tmp_path / "logs")
    crash.install()
    assert (tmp_path / "logs" / app_module.CRASH_LOG_NAME).exists()
    crash.uninstall()
    assert (sys.excepthook, threading.excepthook) == before


def test_a_hard_crash_is_written_to_crash_log(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    code = (
        "import faulthandler, sys\n"
        "from pathlib import Path\n"
        "from PySide6.QtCore import QCoreApplication\n"
        "from ui.app import CrashHooks\n"
        "app = QCoreApplication([])\n"
        f"CrashHooks(Path({str(logs)!r})).install()\n"
        "faulthandler._sigsegv()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=60
    )
    assert done.returncode != 0
    crash = (logs / app_module.CRASH_LOG_NAME).read_text(encoding="utf-8")
    assert "Fatal Python error: Segmentation fault" in crash


def test_an_error_in_the_programs_own_words_is_shown_in_them_not_as_a_crash(hooks) -> None:
    """A form opened while another program holds the database raises the program's StorageError
    from its constructor; uncaught, it is still said in its own Chinese words."""
    from reception.errors import StorageError

    crash, shown = hooks
    try:
        raise StorageError("数据库正被其他程序占用，请稍后重试。")
    except StorageError:
        sys.excepthook(*sys.exc_info())
    assert [text for _title, text in shown] == ["数据库正被其他程序占用，请稍后重试。"]
    logged = crash.log_file.read_text(encoding="utf-8")
    assert "StorageError" in logged and "Traceback" not in logged
