"""Where a SQLite data folder must not be: on a network share (a UNC path, a mapped network drive,
an NFS/SMB mount) or in a folder a sync client copies behind SQLite's back (OneDrive, 坚果云,
百度网盘, Dropbox …). SQLite's locking and its write-ahead log need one local disk: over a share
or a sync client the file is damaged silently. Several PCs sharing data use a PostgreSQL server."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from pathlib import PureWindowsPath

# Folder names sync clients create (compared case-insensitively, as whole path components; the
# business OneDrive is "OneDrive - 公司名").
SYNCED_FOLDERS = (
    "onedrive",
    "nutstore",
    "坚果云",
    "我的坚果云",
    "dropbox",
    "icloud drive",
    "iclouddrive",
    "google drive",
    "googledrive",
    "baidunetdisk",
    "baidusyncdisk",
    "百度网盘",
    "百度网盘同步空间",
    "wps云盘",
    "wpsdrive",
    "seafile",
    "nextcloud",
    "owncloud",
    "腾讯微云",
    "weiyun",
)
# Environment variables Windows sets to the OneDrive folders.
SYNC_VARIABLES = ("OneDrive", "OneDriveConsumer", "OneDriveCommercial")
NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb",
        "smb2",
        "smb3",
        "smbfs",
        "afs",
        "9p",
        "ceph",
        "glusterfs",
        "lustre",
        "davfs",
        "fuse.sshfs",
        "fuse.rclone",
        "fuse.davfs2",
        "fuse.gvfsd-fuse",
    }
)
DRIVE_REMOTE = 4  # GetDriveTypeW

ADVICE = "请把数据文件夹放在本机磁盘上；几台电脑共用数据请使用 PostgreSQL 服务器（见 docs/servers.md）。"


def _windows_drive_type(root: str) -> int:
    import ctypes

    return int(ctypes.windll.kernel32.GetDriveTypeW(root))  # type: ignore[attr-defined]


def _mount_table() -> str:
    try:
        return Path("/proc/self/mounts").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _filesystem_of(path: Path, mounts: str) -> str:
    """The file-system type of the longest mount point holding ``path`` (Linux)."""
    best, kind = "", ""
    text = str(path)
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = fields[1].replace("\\040", " ")
        inside = text == point or text.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, fields[2]
    return kind


def shared_location(
    path: Path | str,
    *,
    windows: bool | None = None,
    environ: dict[str, str] | None = None,
    drive_type: Callable[[str], int] | None = None,
    mounts: str | None = None,
) -> str | None:
    """Why a SQLite database must not live in the folder ``path`` (one Chinese sentence), or None.

    The keyword arguments stand in for the operating system in tests."""
    windows = os.name == "nt" if windows is None else windows
    environ = dict(os.environ) if environ is None else environ
    text = str(path)
    if windows:
        win = PureWindowsPath(text)
        if win.drive.startswith("\\\\") or text.startswith("//"):
            return f"数据文件夹在网络共享上（{text}）。{ADVICE}"
        if win.drive and (drive_type or _windows_drive_type)(win.drive + "\\") == DRIVE_REMOTE:
            return f"数据文件夹在映射的网络驱动器 {win.drive} 上（{text}）。{ADVICE}"
        parts = [p.casefold() for p in win.parts]
    else:
        resolved = Path(text).resolve()
        kind = _filesystem_of(resolved, _mount_table() if mounts is None else mounts)
        if kind in NETWORK_FILESYSTEMS:
            return f"数据文件夹在网络文件系统（{kind}）上（{text}）。{ADVICE}"
        parts = [p.casefold() for p in resolved.parts]
    for variable in SYNC_VARIABLES:
        folder = environ.get(variable, "")
        if folder and _inside(text, folder, windows):
            return f"数据文件夹在 OneDrive 同步文件夹中（{text}）。{ADVICE}"
    for part in parts:
        if part in SYNCED_FOLDERS or part.startswith("onedrive - "):
            return f"数据文件夹在同步文件夹「{part}」中（{text}），同步软件会在数据库写入时复制它。{ADVICE}"
    return None


def _inside(path: str, folder: str, windows: bool) -> bool:
    if windows:
        p, f = PureWindowsPath(path), PureWindowsPath(folder)
        return p == f or f in p.parents
    return Path(path) == Path(folder) or Path(folder) in Path(path).parents
