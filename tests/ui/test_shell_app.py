"""Starting the program: the single-instance lock, a damaged database, the READY benchmark hook."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reception.clock import FixedClock
from reception.services import auth
from reception.store import db
from reception.store.paths import DataDir
from reception.store.startup import open_data_dir

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def errors(monkeypatch):
    from ui.widgets import msgbox

    shown: list[str] = []
    monkeypatch.setattr(msgbox, "error", lambda parent, title, text: shown.append(text))
    return shown


def test_second_instance_on_same_data_folder_is_refused(qapp, tmp_path, errors):
    from ui.app import Startup
    from ui.app import acquire_lock

    first = acquire_lock(tmp_path)
    assert first is not None
    try:
        start = Startup(qapp, tmp_path)
        assert start.run() == 1
        start.close()
    finally:
        first.unlock()
    assert len(errors) == 1 and "已经在运行" in errors[0]
    again = acquire_lock(tmp_path)
    assert again is not None
    again.unlock()


def test_damaged_database_is_reported_in_chinese(qapp, tmp_path, errors):
    from ui.app import Startup

    (tmp_path / "reception.db").write_bytes(b"this is not a database" * 100)
    start = Startup(qapp, tmp_path)
    try:
        assert start.run() == 1
    finally:
        start.close()
    assert len(errors) == 1 and "数据库文件检查未通过" in errors[0]


def test_window_starts_and_reports_ready(tmp_path):
    pytest.importorskip("ui.calls.call_tab")
    open_data_dir(DataDir(tmp_path))
    try:
        auth.initial_setup(
            auth.SetupInput("阳光花园物业", "021-50000000", "admin", "王管理", "secret12", "secret12"),
            FixedClock(),
        )
    finally:
        db.close_database()
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        RECEPTION_READY_EXIT="1",
        RECEPTION_AUTO_LOGIN="admin:secret12",
    )
    code = f"import sys; from ui.app import main; sys.exit(main({str(tmp_path)!r}))"
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    ready = [line for line in done.stdout.splitlines() if line.startswith("READY ")]
    assert len(ready) == 1 and float(ready[0].split()[1]) > 0
    assert not (tmp_path / "reception.lock").exists()


def test_the_login_window_is_up_before_the_database_is_opened(qapp, tmp_path, errors, monkeypatch):
    """On a slow desk PC the first window must not wait for the database check, the migrations
    or the main window's imports: the login window is already shown when they start."""
    from reception.errors import StorageError
    from reception.store import startup
    from ui.admin.login_dialog import LoginDialog
    from ui.app import Startup

    seen: list[bool] = []

    def opening(data, **kw):
        seen.append(any(isinstance(w, LoginDialog) and w.isVisible() for w in qapp.topLevelWidgets()))
        raise StorageError("测试：数据库打不开")

    monkeypatch.setattr(startup, "open_data_dir", opening)
    monkeypatch.delenv("RECEPTION_AUTO_LOGIN", raising=False)
    start = Startup(qapp, tmp_path)
    try:
        assert start.run() == 1
    finally:
        start.close()
    assert seen == [True]
    assert errors == ["测试：数据库打不开"]
    assert not any(isinstance(w, LoginDialog) and w.isVisible() for w in qapp.topLevelWidgets())
