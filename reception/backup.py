"""Copies of the database made with SQLite's online backup API.

A copy is written to a temporary file next to its destination, checked with
``PRAGMA quick_check``, and only then renamed into place, so a backup on disk is always whole."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import peewee

from reception.errors import StorageError


def check_file(path: Path) -> str:
    """``'ok'`` or the first problem ``quick_check`` reports for a database file."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = con.execute("PRAGMA quick_check").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return str(row[0]) if row else "empty result"


def backup_database(db: peewee.Database, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    if tmp.exists():
        tmp.unlink()
    dest = sqlite3.connect(str(tmp))
    try:
        db.connection().backup(dest)
    finally:
        dest.close()
    result = check_file(tmp)
    if result != "ok":
        tmp.unlink(missing_ok=True)
        raise StorageError(f"备份文件校验失败（{result}），未保存该备份。", retryable=False)
    os.replace(tmp, target)
    return target
