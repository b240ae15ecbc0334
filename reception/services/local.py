"""This PC: its own settings (``reception.ini`` in the data folder: printers, card reader, phone,
second backup folder, desk name, window geometry), the data folder the program opened, the
files shipped with the program (fonts, icons) and writing a file the safe way.

The widgets reach these through this module and never import :mod:`reception.store`
(tests/test_architecture.py). The functions are thin: each calls the store module at call time
(so a test that replaces a store function is still obeyed)."""

from __future__ import annotations

from pathlib import Path

from reception.store import config
from reception.store import files
from reception.store import paths
from reception.store import startup
from reception.store.config import ORIENTATIONS
from reception.store.config import PHONE_ADAPTERS
from reception.store.config import LocalConfig
from reception.store.paths import DataDir

__all__ = [
    "ORIENTATIONS",
    "PHONE_ADAPTERS",
    "DataDir",
    "LocalConfig",
    "data_dir",
    "fallback_font_paths",
    "font_path",
    "load",
    "private_umask",
    "resource",
    "set_desk_name",
    "set_phone",
    "set_printers",
    "set_reader",
    "set_second_backup",
    "set_window_geometry",
    "store_bytes",
    "this_pc",
]


# ---- the data folder ---------------------------------------------------------------------------
def data_dir() -> DataDir:
    """The data folder the program opened (:func:`reception.services.startup.open_data_dir`)."""
    return startup.current_data_dir()


def private_umask() -> None:
    """Files only the desk account can read (call before anything is written)."""
    paths.private_umask()


def resource(*parts: str) -> Path:
    """A file shipped with the program (``resources/…``)."""
    return paths.resource(*parts)


def font_path() -> Path:
    """The embedded Chinese font."""
    return paths.font_path()


def fallback_font_paths() -> list[Path]:
    """The fonts for rare characters the embedded font lacks."""
    return paths.fallback_font_paths()


def store_bytes(target: Path, data: bytes) -> Path:
    """Write ``data`` to ``target`` through a temporary file in the same folder, then rename."""
    return files.store_bytes(target, data)


# ---- this PC's reception.ini -------------------------------------------------------------------
def load(root: Path) -> LocalConfig:
    """The settings of this PC kept in the data folder ``root``."""
    return config.load(root)


def this_pc() -> LocalConfig:
    """The settings of this PC in the data folder the program opened."""
    return config.load(data_dir().root)


def set_desk_name(root: Path, name: str) -> LocalConfig:
    return config.set_desk_name(root, name)


def set_printers(
    root: Path, *, badge_printer: str, badge_size: str, badge_orientation: str, report_printer: str
) -> LocalConfig:
    return config.set_printers(
        root,
        badge_printer=badge_printer,
        badge_size=badge_size,
        badge_orientation=badge_orientation,
        report_printer=report_printer,
    )


def set_second_backup(root: Path, folder: str, days: int) -> LocalConfig:
    return config.set_second_backup(root, folder, days)


def set_reader(root: Path, *, kind: str, port: str, speed: int) -> LocalConfig:
    return config.set_reader(root, kind=kind, port=port, speed=speed)


def set_phone(root: Path, **values: str) -> LocalConfig:
    return config.set_phone(root, **values)


def set_window_geometry(root: Path, geometry: str) -> LocalConfig:
    return config.set_window_geometry(root, geometry)
