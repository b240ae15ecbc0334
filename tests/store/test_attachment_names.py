"""Attachment names and storage: direction controls removed, an extension of at most 10
characters, the same content stored once whatever its extension, file errors in Chinese."""

from __future__ import annotations

import os

import pytest

from reception.errors import ReceptionError
from reception.store.attachments import AttachmentStore
from reception.store.attachments import clean_name


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("报告\u202efdp.exe", "报告fdp.exe"),
        ("\u2066合同\u2069.pdf", "合同.pdf"),
        ("扫描件\x00.pdf", "扫描件.pdf"),
        ("a." + "x" * 200, "a." + "x" * 10),
        ("来函.pdf", "来函.pdf"),
        (".bashrc", ".bashrc"),
    ],
)
def test_clean_name(name, shown):
    assert clean_name(name) == shown


def test_a_200_character_extension_is_stored_under_a_short_one(tmp_path):
    source = tmp_path / ("来函." + "p" * 200)
    source.write_bytes(b"%PDF-1.4 letter")
    store = AttachmentStore(tmp_path / "attachments")
    digest, size = store.put(source)
    stored = list((tmp_path / "attachments").rglob(f"{digest}*"))
    assert size == 15 and [p.name for p in stored] == [digest + "." + "p" * 10]


def test_the_same_content_under_another_extension_is_stored_once(tmp_path):
    store = AttachmentStore(tmp_path / "attachments")
    first, second = tmp_path / "a.pdf", tmp_path / "b.jpg"
    first.write_bytes(b"same bytes" * 1000)
    second.write_bytes(b"same bytes" * 1000)
    one, _ = store.put(first)
    two, _ = store.put(second)
    assert one == two
    files = [p for p in (tmp_path / "attachments").rglob("*") if p.is_file()]
    assert len(files) == 2  # a name for each extension …
    assert len({(p.stat().st_dev, p.stat().st_ino) for p in files}) == 1  # … one copy of the content


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores permissions")
def test_a_folder_that_cannot_be_written_is_the_programs_message(tmp_path):
    (tmp_path / "attachments").mkdir(mode=0o500)
    source = tmp_path / "a.pdf"
    source.write_bytes(b"x")
    with pytest.raises(ReceptionError, match=r"无法把 a\.pdf 保存到附件文件夹"):
        AttachmentStore(tmp_path / "attachments").put(source)


def test_an_attachments_folder_that_is_a_file_is_the_programs_message(tmp_path):
    (tmp_path / "attachments").write_bytes(b"not a folder")  # works as root too
    source = tmp_path / "a.pdf"
    source.write_bytes(b"content")
    with pytest.raises(ReceptionError, match=r"无法把 a\.pdf 保存到附件文件夹：") as refused:
        AttachmentStore(tmp_path / "attachments").put(source)
    assert "Errno" not in refused.value.message
