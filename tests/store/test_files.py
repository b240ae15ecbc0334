"""atomic_write: the whole file or the old one, never a temporary file left behind."""

from __future__ import annotations

import os

import pytest

from reception.store.files import FileWriteError, atomic_write, write_bytes


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
