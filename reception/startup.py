"""Opening a data folder: the one place that binds the database, checks it and migrates it.
Used by the window and by every command-line command."""

from __future__ import annotations

import peewee

from reception import db
from reception.backup import check_file
from reception.errors import StorageError
from reception.migrations import migrate
from reception.paths import DataDir


def open_data_dir(data: DataDir) -> peewee.SqliteDatabase:
    """Create the folders, check an existing file, open it and bring its schema up to date.

    Raises :class:`StorageError` for a damaged file and :class:`SchemaTooNew` for a database
    written by a newer program."""
    data.ensure()
    if data.database.exists() and data.database.stat().st_size > 0:
        result = check_file(data.database)
        if result != "ok":
            raise StorageError(
                f"数据库文件检查未通过（{result}）。为防止数据进一步损坏，程序不会写入它；"
                "请联系管理员从最近一次备份恢复。",
                retryable=False,
            )
    database = db.open_database(data.database)
    try:
        migrate(database, backup_dir=data.backups)
    except Exception:
        db.close_database()
        raise
    return database
