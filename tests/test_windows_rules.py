"""The Windows layer of the test suite (tests/windows_rules.py) catches what breaks on a desk PC."""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from reception.store import files
from tests import windows_rules

layer_on = pytest.mark.skipif(
    not windows_rules._saved, reason="the Windows layer is off (RECEPTION_WINDOWS_RULES=0 or -p no:…)"
)


def test_layer_is_on_unless_switched_off(request: pytest.FixtureRequest) -> None:
    blocked = request.config.pluginmanager.is_blocked("tests.windows_rules")
    if windows_rules.wanted() and not blocked:
        assert windows_rules._saved, "tests/windows_rules.py is not installed"
        assert files.WINDOWS is True
    else:
        assert not windows_rules._saved


@layer_on
def test_old_backup_pattern_fsync_on_read_only_handle_fails(tmp_path: Path) -> None:
    """What backup.py, restore and attachments did: flush a finished file through an "rb" handle."""
    tmp = tmp_path / "reception-20261126-090000-手动.db.tmp"
    tmp.write_bytes(b"SQLite format 3\0")
    with tmp.open("rb") as handle, pytest.raises(OSError) as caught:
        os.fsync(handle.fileno())
    assert caught.value.errno == errno.EBADF


@layer_on
def test_fsync_on_a_handle_open_for_writing_works(tmp_path: Path) -> None:
    with (tmp_path / "a.bin").open("wb") as handle:
        handle.write(b"x")
        handle.flush()
        os.fsync(handle.fileno())
    files.fsync_file(tmp_path / "a.bin")  # reopened for writing


@layer_on
def test_fsync_of_a_folder_fails_and_fsync_dir_does_not_try(tmp_path: Path) -> None:
    fd = os.open(tmp_path, os.O_RDONLY)
    try:
        with pytest.raises(OSError) as caught:
            os.fsync(fd)
        assert caught.value.errno == errno.EBADF
    finally:
        os.close(fd)
    files.fsync_dir(tmp_path)  # the Windows branch: nothing to do, no error


@layer_on
def test_replace_over_an_open_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "reception.ini"
    target.write_text("old", encoding="utf-8")
    new = tmp_path / "reception.ini.tmp"
    new.write_text("new", encoding="utf-8")
    with target.open("rb"):
        with pytest.raises(PermissionError):
            os.replace(new, target)
        with pytest.raises(PermissionError):
            target.unlink()
    os.replace(new, target)
    assert target.read_text(encoding="utf-8") == "new"


@layer_on
def test_rename_of_an_open_file_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "附件.part"
    with source.open("wb") as handle:
        handle.write(b"x")
        with pytest.raises(PermissionError):
            source.rename(tmp_path / "附件.pdf")
    source.rename(tmp_path / "附件.pdf")


@layer_on
def test_a_database_open_in_sqlite_cannot_be_replaced_or_deleted(tmp_path: Path) -> None:
    path = tmp_path / "reception.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    other = tmp_path / "restore.db"
    other.write_bytes(path.read_bytes())
    with pytest.raises(PermissionError):
        os.replace(other, path)
    with pytest.raises(PermissionError):
        path.unlink()
    con.close()
    os.replace(other, path)


@layer_on
def test_text_without_encoding_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    with pytest.raises(EncodingWarning):
        open(path, "w")  # noqa: SIM115 — the mistake under test
    with pytest.raises(EncodingWarning):
        path.write_text("甲")
    path.write_text("甲", encoding="utf-8")
    with pytest.raises(EncodingWarning):
        path.read_text()
    with open(path, "rb") as handle:  # binary needs none
        assert handle.read() == "甲".encode()


@layer_on
def test_child_processes_treat_missing_encoding_as_an_error(tmp_path: Path) -> None:
    code = f"open({str(tmp_path / 'x.txt')!r}, 'w').close()"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8")
    assert done.returncode != 0
    assert "EncodingWarning" in done.stderr


@layer_on
def test_temporary_folders_have_a_space_and_chinese(tmp_path: Path) -> None:
    assert "前台 数据" in str(tmp_path)


@layer_on
def test_atomic_write_leaves_no_temp_file_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "存档" / "交接班.pdf"
    files.store_bytes(target, b"old")

    def half_then_fail(handle) -> None:
        handle.write(b"half")
        raise RuntimeError("disk gone")

    with pytest.raises(RuntimeError):
        files.store_file(target, half_then_fail)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in target.parent.iterdir()) == ["交接班.pdf"]


@layer_on
def test_text_pipe_without_encoding_is_an_error() -> None:
    with pytest.raises(EncodingWarning):
        subprocess.run([sys.executable, "-c", "pass"], capture_output=True, text=True)
    done = subprocess.run(
        [sys.executable, "-c", "print('甲')"], capture_output=True, text=True, encoding="utf-8"
    )
    assert done.stdout == "甲\n"
