"""Where things are: the data folder (database, settings, backups, logs) and the files the
program ships in ``resources/``. One function each, the same from a checkout and a bundle."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path

APP_NAME = "reception-desk"
DB_FILENAME = "reception.db"


def resources_dir() -> Path:
    """``resources/`` next to the packages in a checkout, or inside a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def font_path() -> Path:
    return resource("fonts", "wqy-microhei.ttf")


# Characters the main font lacks (CJK Extension A, B–F, rare compatibility ideographs: 𠮷 䶮 𪚥)
# are drawn from these, in this order (resources/fonts/README.md).
FALLBACK_FONT_FILES = ("HanaMinA-rare.ttf", "HanaMinB-cjk.ttf")


def fallback_font_paths() -> list[Path]:
    return [resource("fonts", name) for name in FALLBACK_FONT_FILES]


# Files only the desk account can read (Linux/macOS): new files 0600 and folders 0700.
PRIVATE_UMASK = 0o077


def private_umask() -> None:
    """Called first thing by the window and the command line. On Windows the data folder is in the
    account's own profile (%LOCALAPPDATA%), which other accounts cannot read already."""
    if os.name != "nt":
        os.umask(PRIVATE_UMASK)


def make_private(root: Path) -> None:
    """Tighten a data folder made before :func:`private_umask`: folders 0700, files 0600 (group
    and others lose every right; the owner's stay). What the account does not own is left alone."""
    if os.name == "nt" or not root.is_dir():
        return
    _strip_others(root)
    for folder, subfolders, files in os.walk(root):
        for name in (*subfolders, *files):
            _strip_others(Path(folder) / name)


def _strip_others(path: Path) -> None:
    try:
        mode = os.lstat(path).st_mode
        if stat.S_ISLNK(mode) or not stat.S_IMODE(mode) & 0o077:
            return
        os.chmod(path, stat.S_IMODE(mode) & 0o700)
    except OSError:
        return  # not this account's file (a shared folder's): its owner decides


MACHINE_KEY = r"Software\reception-desk"  # HKEY_LOCAL_MACHINE, written by the installer
MACHINE_VALUE = "DataFolder"


def _machine_data_folder() -> str:
    """The data folder the installer chose for every Windows account on this PC (the registry
    value HKLM\\Software\\reception-desk\\DataFolder), or ''."""
    if sys.platform != "win32":
        return ""
    import winreg

    try:
        with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, MACHINE_KEY) as key:
            value, _kind = winreg.QueryValueEx(key, MACHINE_VALUE)
    except OSError:
        return ""
    return str(value).strip()


def default_data_dir(machine_folder: Callable[[], str] = _machine_data_folder) -> Path:
    """The folder shared by every account of this PC when the installer was told so, otherwise
    this user's own data folder (Windows: %LOCALAPPDATA%\\reception-desk)."""
    shared = machine_folder()
    if shared:
        return Path(shared)
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


class DataDir:
    """The folders inside one data directory (``--data-dir`` or the user's data folder).

    ``server``: a ``postgresql://`` address given on the command line; otherwise the one in the
    folder's ``reception.ini`` (:mod:`reception.config`), otherwise the SQLite file here."""

    def __init__(self, root: Path | str | None = None, server: str | None = None) -> None:
        self.root = Path(root) if root else default_data_dir()
        self._server = server or None

    @property
    def server(self) -> str | None:
        """The PostgreSQL address this folder's desk works on, or None for the SQLite file."""
        if self._server:
            return self._server
        from reception.store.config import load

        return load(self.root).database or None

    @property
    def target(self) -> Path | str:
        """What :func:`reception.store.db.open_database` opens: the server address or the file."""
        return self.server or self.database

    @property
    def database(self) -> Path:
        return self.root / DB_FILENAME

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def archive(self) -> Path:
        return self.root / "archive"

    @property
    def attachments(self) -> Path:
        return self.root / "attachments"

    def ensure(self) -> DataDir:
        for folder in (self.root, self.backups, self.logs, self.archive, self.attachments):
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        make_private(self.root)
        return self
