"""Opening a data folder: the one place that binds the database, checks it and migrates it.
Used by the window and by every command-line command."""

from __future__ import annotations

import peewee

from reception import db
from reception.backup import check_file
from reception.errors import DamagedDatabase
from reception.migrations import migrate
from reception.paths import DataDir


def open_data_dir(data: DataDir, *, interactive: bool = False) -> peewee.SqliteDatabase:
    """Create the folders, check an existing file, open it and bring its schema up to date.

    Raises :class:`StorageError` for a damaged file and :class:`SchemaTooNew` for a database
    written by a newer program. ``interactive``: the window's writes wait at most 0.8 s for
    another program's lock before saying the database is busy (the window must not freeze)."""
    data.ensure()
    if data.database.exists() and data.database.stat().st_size > 0:
        result = check_file(data.database)
        if result != "ok":
            raise DamagedDatabase(
                f"数据库文件检查未通过（{result}）。为防止数据进一步损坏，程序不会写入它；"
                "请从最近一次完好的备份恢复。"
            )
    database = db.open_database(data.database)
    db.set_interactive_wait(800 if interactive else None)
    try:
        migrate(database, backup_dir=data.backups)
    except Exception:
        db.close_database()
        raise
    return database


def current_data_dir() -> DataDir:
    """The data folder of the open database (its file lives at the folder's root)."""
    from pathlib import Path

    name = str(getattr(db.current(), "database", "") or "")
    return DataDir(Path(name).resolve().parent if name and name != ":memory:" else Path.cwd())
