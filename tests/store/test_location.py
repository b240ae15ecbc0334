"""A SQLite data folder on a network share or in a sync client's folder is refused with a sentence
that says why and points to the server set-up (the operating system's answers injected)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reception.store.location import DRIVE_REMOTE
from reception.store.location import shared_location

LOCAL = 3  # DRIVE_FIXED


def _win(path: str, *, drive: int = LOCAL, environ: dict[str, str] | None = None) -> str | None:
    return shared_location(path, windows=True, environ=environ or {}, drive_type=lambda root: drive)


@pytest.mark.parametrize(
    "path",
    [
        r"\\server\share\前台数据",
        r"\\192.168.1.10\客服中心\reception-desk",
        "//nas/share/reception-desk",
    ],
)
def test_unc_paths_are_refused(path):
    reason = _win(path)
    assert reason is not None and "网络共享" in reason and "PostgreSQL" in reason


def test_a_mapped_network_drive_is_refused_a_local_one_is_not():
    assert "映射的网络驱动器 Z:" in (_win(r"Z:\前台数据", drive=DRIVE_REMOTE) or "")
    assert _win(r"D:\前台数据") is None
    assert _win(r"C:\Users\前台\AppData\Local\reception-desk") is None


@pytest.mark.parametrize(
    "path",
    [
        r"C:\Users\前台\OneDrive\reception-desk",
        r"C:\Users\前台\OneDrive - 某某物业\数据",
        r"D:\我的坚果云\前台",
        r"C:\Users\前台\Nutstore\reception-desk",
        r"D:\BaiduSyncdisk\前台",
        r"C:\Users\前台\Dropbox\reception-desk",
    ],
)
def test_sync_client_folders_are_refused(path):
    reason = _win(path)
    assert reason is not None and "同步" in reason


def test_the_onedrive_folder_windows_names_is_refused_whatever_its_name():
    environ = {"OneDrive": r"E:\云\个人文件"}
    assert "OneDrive" in (_win(r"e:\云\个人文件\前台", environ=environ) or "")
    assert _win(r"E:\云\别的", environ=environ) is None


MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
nas:/export/desk /mnt/desk nfs4 rw,relatime 0 0
//nas/share /mnt/smb\\040share cifs rw 0 0
tmpfs /tmp tmpfs rw 0 0
"""


def test_network_file_systems_are_refused_on_linux(tmp_path):
    def check(path: str) -> str | None:
        return shared_location(path, windows=False, environ={}, mounts=MOUNTS)

    assert "nfs4" in (check("/mnt/desk/reception-desk") or "")
    assert "cifs" in (check("/mnt/smb share/前台") or "")
    assert check("/home/前台/.local/share/reception-desk") is None
    assert check("/mnt/desktop") is None  # a sibling whose name only starts the same


def test_this_machines_own_folder_is_accepted(tmp_path: Path):
    assert shared_location(tmp_path / "前台 数据", environ={}) is None


def test_the_installers_shared_folder_is_the_default_when_set(tmp_path):
    from reception.store.paths import default_data_dir

    shared = tmp_path / "ProgramData" / "reception-desk"
    assert default_data_dir(lambda: str(shared)) == shared
    own = default_data_dir(lambda: "")
    assert own.name == "reception-desk" and own != shared


def test_the_installer_offers_the_shared_folder_with_a_private_acl():
    iss = (Path(__file__).resolve().parents[2] / "packaging" / "installer.iss").read_text(
        encoding="utf-8-sig"
    )
    assert 'Name: "shareddata"' in iss and "Flags: unchecked" in iss  # per-account data stays the default
    assert 'ValueName: "DataFolder"; ValueData: "{commonappdata}\\reception-desk"' in iss
    acl = next(line for line in iss.splitlines() if "icacls.exe" in line)
    # no inherited rights; SYSTEM and Administrators full, the PC's users modify, nobody else anything
    assert "/inheritance:r" in acl and "*S-1-5-32-545:(OI)(CI)M" in acl and "*S-1-1-0" not in acl


def test_a_site_in_a_sync_folder_is_refused_at_start_and_nothing_is_created(tmp_path):
    from reception.errors import StorageError
    from reception.store import startup
    from reception.store.paths import DataDir

    data = DataDir(tmp_path / "OneDrive" / "前台数据")
    with pytest.raises(StorageError, match="同步文件夹"):
        startup.open_data_dir(data)
    assert not data.database.exists()


def test_the_command_line_refuses_it_in_one_line(tmp_path, capsys):
    from reception import cli

    folder = tmp_path / "Nutstore" / "前台数据"
    assert cli.main(["demo", "--data-dir", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "同步文件夹" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
