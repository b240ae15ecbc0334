"""This PC's own settings, kept in the data folder beside (never inside) the database: which
database to use and this desk's name. Everything else is in the database and shared by all
desks.

``reception.ini`` (UTF-8)::

    [数据库]
    地址 = postgresql://reception@192.168.1.10/reception

    [前台]
    名称 = 南门岗

No address (or no file): the SQLite file in the data folder. A password may be written in the
address, but a ``.pgpass`` file or the ``PGPASSWORD`` variable of the PC keeps it out of this
file; the program never shows or logs it (:func:`reception.store.db.display_address`)."""

from __future__ import annotations

import configparser
import io
from dataclasses import dataclass, replace
from pathlib import Path

from reception.errors import ValidationError
from reception.store import desk, files

FILENAME = "reception.ini"
_DB_SECTION, _DB_KEY = "数据库", "地址"
_DESK_SECTION, _DESK_KEY = "前台", "名称"


@dataclass(frozen=True)
class LocalConfig:
    database: str = ""  # '' = the SQLite file in the data folder
    desk: str = ""


def path(root: Path) -> Path:
    return root / FILENAME


def load(root: Path) -> LocalConfig:
    """The settings in ``root`` (defaults when the file is missing or unreadable)."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path(root), encoding="utf-8-sig")
    except (OSError, configparser.Error, UnicodeDecodeError):
        return LocalConfig()
    return LocalConfig(
        database=parser.get(_DB_SECTION, _DB_KEY, fallback="").strip(),
        desk=" ".join(parser.get(_DESK_SECTION, _DESK_KEY, fallback="").split()),
    )


def validate_desk_name(name: str) -> str:
    name = " ".join(name.split())
    if len(name) > desk.MAX_LENGTH:
        raise ValidationError.single("desk", f"前台名称最多 {desk.MAX_LENGTH} 个字")
    if any(not ch.isprintable() for ch in name):
        raise ValidationError.single("desk", "前台名称含有无法显示的字符")
    return name


def save(root: Path, config: LocalConfig) -> None:
    """Write the file whole (temporary file, flush to disk, rename)."""
    parser = configparser.ConfigParser(interpolation=None)
    parser[_DB_SECTION] = {_DB_KEY: config.database}
    parser[_DESK_SECTION] = {_DESK_KEY: config.desk}
    root.mkdir(parents=True, exist_ok=True)
    text = io.StringIO()
    text.write("# 本机设置：数据库地址（留空为数据文件夹中的 SQLite 文件）和本前台的名称。\n")
    parser.write(text)
    files.store_text(path(root), text.getvalue(), encoding="utf-8")


def set_desk_name(root: Path, name: str) -> LocalConfig:
    """Validate and store this PC's desk name, and use it for the records created from now on."""
    name = validate_desk_name(name)
    config = replace(load(root), desk=name)
    save(root, config)
    desk.set_name(name)
    return config
