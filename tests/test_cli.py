"""The command line works without a display."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from reception import __version__
from reception import cli
from reception.store import db
from reception.store.models import Call
from reception.store.models import Callback
from reception.store.models import Case
from reception.store.models import Message
from reception.store.models import Operator
from reception.store.models import Resident


def test_version_and_help(capsys):
    with pytest.raises(SystemExit) as done:
        cli.main(["--version"])
    assert done.value.code == 0 and __version__ in capsys.readouterr().out
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = capsys.readouterr().out
    assert "residents" in out and "demo" in out and "--data-dir" in out
    assert "用法：reception" in out and "选项:" in out and "显示本帮助并退出" in out
    assert "usage" not in out and "options" not in out and "show" not in out
    with pytest.raises(SystemExit) as refused:
        cli.main(["report", "weekly"])
    assert refused.value.code == 2
    err = capsys.readouterr().err
    assert "错误：" in err and "无效的选择：'weekly'" in err and "error" not in err


def test_demo_creates_a_realistic_property_and_refuses_a_used_folder(tmp_path, capsys):
    assert cli.main(["demo", "--data-dir", str(tmp_path)]) == 0
    assert "demo1234" in capsys.readouterr().out
    from reception.store.paths import DataDir
    from reception.store.startup import open_data_dir

    open_data_dir(DataDir(tmp_path))
    try:
        assert Resident.select().count() >= 300
        assert Operator.select().count() == 4
        assert Call.select().count() > 150
        assert Case.select().count() > 20
        assert Message.select().where(Message.delivered_at.is_null()).count() < Message.select().count()
        assert Callback.select().count() > 0
        assert {c.category for c in Call.select(Call.category)} >= {"投诉", "报修", "咨询", "找人留言"}
    finally:
        db.close_database()
    assert cli.main(["demo", "--data-dir", str(tmp_path)]) == 1
    assert "已有数据" in capsys.readouterr().err


def test_import_into_a_folder_not_yet_set_up_says_what_to_do(tmp_path, capsys):
    csv_file = tmp_path / "r.csv"
    csv_file.write_text("楼栋,单元,房号,姓名\n1栋,1单元,101,张三\n", encoding="utf-8")
    folder = tmp_path / "d"
    assert cli.main(["residents", "import", str(csv_file), "--user", "admin", "--data-dir", str(folder)]) == 1
    assert "这里没有前台数据" in capsys.readouterr().err
    assert not folder.exists()  # a command never creates a site
    from reception.store.paths import DataDir
    from reception.store.startup import open_data_dir

    open_data_dir(DataDir(folder))  # a database whose first-run setup was never finished
    db.close_database()
    assert cli.main(["residents", "import", str(csv_file), "--user", "admin", "--data-dir", str(folder)]) == 1
    assert "尚未完成初始设置" in capsys.readouterr().err


HEADLESS_PROBE = """
import sys
from reception import cli
try:
    cli.main(["--help"])
except SystemExit:
    pass
assert "PySide6" not in sys.modules, "the command line imported Qt"
"""


def test_console_command_runs_headless():
    done = subprocess.run(
        [sys.executable, "-m", "ui.launcher", "--version"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert done.returncode == 0 and __version__ in done.stdout
    done = subprocess.run(
        [sys.executable, "-c", HEADLESS_PROBE], capture_output=True, text=True, encoding="utf-8", timeout=60
    )
    assert done.returncode == 0, done.stderr


def test_letters_export_command(tmp_path, capsys, monkeypatch):
    from openpyxl import load_workbook

    assert cli.main(["demo", "--data-dir", str(tmp_path)]) == 0
    monkeypatch.setenv("RECEPTION_PASSWORD", "demo1234")
    out = tmp_path / "letters.xlsx"
    export = ["letters", "export", "--from", "2000-01-01", "--to", "2100-12-31", "--out", str(out)]
    where = ["--data-dir", str(tmp_path)]
    # Without --user: a usage error. As a receptionist: refused, and the refusal audited.
    with pytest.raises(SystemExit) as usage:
        cli.main([*export, *where])
    assert usage.value.code == 2 and "--user" in capsys.readouterr().err
    assert cli.main([*export, "--user", "qiantai1", *where]) == 1
    assert capsys.readouterr().err.strip() == "错误：“导出来函”需要主管权限，当前登录的是前台。"
    assert not out.exists()
    # As the supervisor: done, and audited under that name with the range and the row count.
    assert cli.main([*export, "--user", "zhuguan", *where]) == 0
    assert "已导出 6 份来函" in capsys.readouterr().out
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][0] == "编号" and len(rows) == 7
    from reception.store.models import AuditLog
    from reception.store.paths import DataDir
    from reception.store.startup import open_data_dir

    open_data_dir(DataDir(tmp_path))
    try:
        refused = AuditLog.select().where(AuditLog.action == "permission.denied").get()
        assert refused.operator.username == "qiantai1"
        done = AuditLog.select().where(AuditLog.action == "cli.command").get()
        assert done.operator.username == "zhuguan"
        assert '"rows": 6' in done.detail and '"date_from": "2000-01-01"' in done.detail
        assert '"password_from": "环境变量"' in done.detail
    finally:
        db.close_database()
    # A wrong password: one line, exit 1.
    monkeypatch.setenv("RECEPTION_PASSWORD", "wrong-password")
    assert cli.main([*export, "--user", "zhuguan", *where]) == 1
    assert capsys.readouterr().err.strip() == "错误：登录名或密码不正确。"
    # No password and no terminal: says how to give one.
    monkeypatch.delenv("RECEPTION_PASSWORD")
    with open(os.devnull, encoding="utf-8") as no_terminal:
        monkeypatch.setattr("sys.stdin", no_terminal)
        assert cli.main([*export, "--user", "zhuguan", *where]) == 1
    assert "RECEPTION_PASSWORD" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["letters", "export", "--from", "2026-13-01", "--to", "2026-12-01", "--out", str(out)])
    assert "日期格式" in capsys.readouterr().err


def test_visits_export_command(tmp_path, capsys, monkeypatch):
    """`reception visits export`: like the letters export — --user required, a receptionist
    refused, a supervisor done (masked; --full only with a reason), each audited with range and rows."""
    from openpyxl import load_workbook

    from reception.store.models import AuditLog
    from reception.store.models import Visit
    from reception.store.paths import DataDir
    from reception.store.startup import open_data_dir

    assert cli.main(["demo", "--data-dir", str(tmp_path)]) == 0
    monkeypatch.setenv("RECEPTION_PASSWORD", "demo1234")
    out = tmp_path / "visits.xlsx"
    export = ["visits", "export", "--from", "2000-01-01", "--to", "2100-12-31", "--out", str(out)]
    where = ["--data-dir", str(tmp_path)]
    with pytest.raises(SystemExit) as usage:
        cli.main([*export, *where])
    assert usage.value.code == 2 and "--user" in capsys.readouterr().err
    assert cli.main([*export, "--user", "qiantai1", *where]) == 1
    assert capsys.readouterr().err.strip() == "错误：“导出来访”需要主管权限，当前登录的是前台。"
    assert not out.exists()
    assert cli.main([*export, "--user", "zhuguan", *where]) == 0
    said = capsys.readouterr().out
    assert "号码已遮盖" in said
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("编号", "类型", "到达时间", "离开时间", "来访人")
    phones = [row[5] for row in rows[1:] if row[5]]
    assert phones and all("****" in p for p in phones)
    # --full with an empty reason: refused in one line, nothing written.
    full = tmp_path / "full.xlsx"
    assert cli.main([*export[:-1], str(full), "--full", " ", "--user", "zhuguan", *where]) == 1
    assert "原因" in capsys.readouterr().err and not full.exists()
    assert cli.main([*export[:-1], str(full), "--full", "公安机关调取", "--user", "zhuguan", *where]) == 0
    full_rows = list(load_workbook(full).active.iter_rows(values_only=True))[1:]
    full_phones = [row[5] for row in full_rows if row[5]]
    assert full_phones and not any("****" in p for p in full_phones)

    open_data_dir(DataDir(tmp_path))
    try:
        assert len(rows) - 1 == Visit.select().count()
        entries = [json.loads(e.detail) for e in AuditLog.select().where(AuditLog.action == "visits.export")]
        assert [(e["masked"], e.get("reason"), e["rows"]) for e in entries] == [
            (True, None, len(rows) - 1),
            (False, "公安机关调取", len(rows) - 1),
        ]
        commands = AuditLog.select().where(AuditLog.action == "cli.command")
        done = [e for e in commands if "visits export" in e.detail]
        assert len(done) == 2 and all(e.operator.username == "zhuguan" for e in done)
    finally:
        db.close_database()
