"""Backups that survive the PC: every checked backup is copied to this PC's second folder (a USB
disk), kept to the same backups; a copy that fails never fails the backup, and the status bar is
told when the second copy failed or has not succeeded for longer than allowed."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from reception.services import maintenance
from reception.store import backup
from reception.store import config
from reception.store import second_copy
from reception.store.paths import DataDir

pytestmark = pytest.mark.sqlite_only  # backups of the SQLite file


@pytest.fixture
def data(database, tmp_path) -> DataDir:
    folder = DataDir(tmp_path)
    folder.ensure()
    return folder


def _set(root: Path, folder: Path | str, days: int = 3) -> None:
    current = config.load(root)
    config.save(
        root,
        config.LocalConfig(
            **{**current.__dict__, "second_backup_folder": str(folder), "second_backup_days": days}
        ),
    )


def test_each_backup_is_copied_to_the_second_folder_byte_for_byte(data, tmp_path, admin, clock):
    usb = tmp_path / "U盘 备份"
    usb.mkdir()
    _set(data.root, usb)
    made = maintenance.backup_now(admin, data, clock.now())
    copy = usb / made.name
    assert copy.read_bytes() == made.read_bytes()
    anchor = made.with_name(made.name + ".anchor")  # the audit head the backup holds travels with it
    assert (usb / anchor.name).read_bytes() == anchor.read_bytes()
    assert second_copy.status(data.root).ok_at == clock.now()
    assert second_copy.warning(data.root, clock.now()) is None


def test_the_second_folder_keeps_the_same_backups_as_the_first(data, tmp_path, admin, clock):
    usb = tmp_path / "usb"
    usb.mkdir()
    _set(data.root, usb)
    first = maintenance.backup_now(admin, data, clock.now())
    clock.advance(minutes=1)
    second = maintenance.backup_now(admin, data, clock.now())
    first.unlink()  # the first folder's own pruning (generations) took it
    clock.advance(minutes=1)
    third = maintenance.backup_now(admin, data, clock.now())
    assert sorted(p.name for p in usb.glob("reception-*.db")) == sorted([second.name, third.name])


def test_a_missing_usb_disk_fails_only_the_copy_and_says_so(data, tmp_path, admin, clock):
    gone = tmp_path / "E盘" / "前台备份"
    _set(data.root, gone)
    made = maintenance.backup_now(admin, data, clock.now())
    assert made.exists() and backup.check_file(made) == "ok"  # the backup itself stands
    text = second_copy.warning(data.root, clock.now())
    assert text is not None and "不存在" in text and str(gone) in text
    # the disk comes back: the next backup's copy clears the warning
    gone.mkdir(parents=True)
    clock.advance(minutes=5)
    maintenance.backup_now(admin, data, clock.now())
    assert second_copy.warning(data.root, clock.now()) is None


def test_no_successful_copy_for_longer_than_allowed_is_warned(data, tmp_path, admin, clock):
    usb = tmp_path / "usb"
    usb.mkdir()
    _set(data.root, usb, days=3)
    maintenance.backup_now(admin, data, clock.now())
    assert second_copy.warning(data.root, clock.now() + timedelta(days=3)) is None
    text = second_copy.warning(data.root, clock.now() + timedelta(days=4, hours=1))
    assert text == "第二备份位置已有 4 天没有成功复制备份"


def test_without_a_second_folder_nothing_is_copied_or_warned(data, admin, clock):
    maintenance.backup_now(admin, data, clock.now())
    assert second_copy.warning(data.root, clock.now() + timedelta(days=30)) is None
    assert not (data.backups / second_copy.STATUS_FILE).exists()


def test_the_local_page_sets_the_folder_and_refuses_a_missing_one(qtbot, admin, data, tmp_path):
    from ui.admin.settings_dialog import SettingsDialog

    dialog = SettingsDialog(admin, data_dir=data)
    qtbot.addWidget(dialog)
    page = dialog.local_page
    page.second_folder.setText(str(tmp_path / "没有插上的U盘"))
    assert not page.save()
    assert "不存在" in page.errors.labels["second_backup_folder"].text()
    assert page.second_folder.text() == str(tmp_path / "没有插上的U盘")  # what was typed stays
    usb = tmp_path / "usb"
    usb.mkdir()
    page.second_folder.setText(str(usb))
    page.second_days.setValue(5)
    assert page.save()
    stored = config.load(data.root)
    assert (stored.second_backup_folder, stored.second_backup_days) == (str(usb), 5)


def test_the_status_bar_warns_while_the_second_copy_fails(qtbot, admin, data, tmp_path, clock):
    from ui.main_window import MainWindow

    _set(data.root, tmp_path / "拔掉的U盘")
    window = MainWindow(admin, clock, data_dir=data)
    qtbot.addWidget(window)
    maintenance.backup_now(admin, data, clock.now())
    window.show_second_copy()
    assert window.second_copy_label.isVisibleTo(window)
    assert "第二备份未能复制" in window.second_copy_label.text()
    (tmp_path / "拔掉的U盘").mkdir()
    clock.advance(minutes=1)
    maintenance.backup_now(admin, data, clock.now())
    window.show_second_copy()
    assert not window.second_copy_label.isVisibleTo(window)
