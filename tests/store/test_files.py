"""atomic_write: the whole file or the old one, never a temporary file left behind. Database
files opened by a URI made from the path itself: a folder named with ``%41``, a space or Chinese
opens the right file."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from reception.store import backup
from reception.store import files
from reception.store import startup
from reception.store.files import FileWriteError
from reception.store.files import atomic_write
from reception.store.files import write_bytes
from reception.store.migrations import LATEST


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "report.pdf"
    target.write_bytes(b"old")

    def half_then_fail(handle):
        handle.write(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(FileWriteError, match="磁盘空间已满"):
        atomic_write(target, half_then_fail)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf"]


def test_a_new_file_gets_the_usual_mode_and_a_replaced_one_keeps_its_own(tmp_path):
    mask = os.umask(0o022)
    try:
        made = write_bytes(tmp_path / "new.pdf", b"x")
        assert made.stat().st_mode & 0o777 == 0o644
        kept = tmp_path / "kept.pdf"
        kept.write_bytes(b"x")
        kept.chmod(0o600)
        write_bytes(kept, b"y")
        assert kept.stat().st_mode & 0o777 == 0o600 and kept.read_bytes() == b"y"
    finally:
        os.umask(mask)


@pytest.mark.parametrize(
    ("name", "says"), [("missing/x.pdf", "不存在"), (".", "文件夹"), ("file.txt/x.pdf", "不是文件夹")]
)
def test_targets_that_cannot_be_a_file_are_refused_and_nothing_is_created(tmp_path, name, says):
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    with pytest.raises(FileWriteError, match=says):
        write_bytes(tmp_path / name, b"x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]


def _database(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    return path


@pytest.fixture
def percent_folder(tmp_path: Path) -> Path:
    """``数据%41/reception.db`` is a good database; ``数据A/reception.db`` — what ``%41`` decodes
    to in a URI — is not a database at all."""
    (tmp_path / "数据A").mkdir()
    (tmp_path / "数据A" / "reception.db").write_bytes(b"not a database" * 100)
    return _database(tmp_path / "数据%41" / "reception.db")


def test_check_file_opens_the_file_in_a_folder_named_with_percent(percent_folder: Path) -> None:
    assert backup.check_file(percent_folder) == "ok"


def test_start_check_opens_the_file_in_a_folder_named_with_percent(percent_folder: Path) -> None:
    assert startup._cheap_check(percent_folder) == "ok"


def test_restore_check_reads_the_chosen_file(percent_folder: Path) -> None:
    with pytest.raises(Exception, match="不是前台接待工作站的数据库"):  # the right file: a plain database
        backup.check_restorable(percent_folder, LATEST)


def test_uri_escapes_what_sqlite_would_read_as_uri_syntax(tmp_path: Path) -> None:
    path = _database(tmp_path / "a?b#c %41 前台" / "x.db")
    uri = files.sqlite_uri(path)
    assert uri.startswith("file:///") and uri.endswith("?mode=ro")
    con = sqlite3.connect(uri, uri=True)
    try:
        assert con.execute("SELECT name FROM sqlite_master").fetchone() == ("t",)
    finally:
        con.close()


def test_write_text_replaces_whole_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "设置" / "reception.ini"
    files.store_text(target, "甲")
    files.store_text(target, "乙")
    assert target.read_text(encoding="utf-8") == "乙"
    assert [p.name for p in target.parent.iterdir()] == ["reception.ini"]


def test_copy_file_copies_bytes(tmp_path: Path) -> None:
    source = tmp_path / "扫描件.pdf"
    source.write_bytes(bytes(range(256)) * 5000)
    target = files.copy_file(source, tmp_path / "ab" / "abcdef.pdf")
    assert target.read_bytes() == source.read_bytes()
    assert sorted(p.name for p in target.parent.iterdir()) == ["abcdef.pdf"]
