"""Where things are: the data folder (database, settings, backups, logs) and the files the
program ships in ``resources/``. One function each, the same from a checkout and a bundle."""

from __future__ import annotations

import sys
from pathlib import Path

APP_NAME = "reception-desk"
DB_FILENAME = "reception.db"


def resources_dir() -> Path:
    """``resources/`` next to the packages in a checkout, or inside a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def font_path() -> Path:
    return resource("fonts", "wqy-microhei.ttf")


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


class DataDir:
    """The folders inside one data directory (``--data-dir`` or the user's data folder)."""

    def __init__(self, root: Path | str | None = None) -> None:
        self.root = Path(root) if root else default_data_dir()

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
            folder.mkdir(parents=True, exist_ok=True)
        return self
