"""Someone with a copy of the data folder tries to get ID numbers back: every candidate of one
region and one birth year (sequence and check digit as the mask allows) against the stored mask
and hash, with every secret the folder holds. On version 9's data (first 4 + last 4 kept, the
hash salted with a value in the same database) the search finds every number; on today's data,
and on version 9's data once migrated, it finds none."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import shutil
import sqlite3
from datetime import date
from datetime import timedelta
from pathlib import Path

import pytest
from stdnum.cn import ric

from reception.services import visits
from reception.store import db
from reception.store import sitekey
from reception.store.migrations import migrate

pytestmark = pytest.mark.sqlite_only

REGION = "110105"
YEAR = 1949
IDS = [
    f"{REGION}{born:%Y%m%d}{seq:03d}"
    for born, seq in [
        (date(YEAR, 1, 3), 12),
        (date(YEAR, 4, 30), 101),
        (date(YEAR, 7, 1), 3),
        (date(YEAR, 10, 1), 777),
        (date(YEAR, 12, 31), 2),
    ]
]
IDS = [n + ric.calc_check_digit(n + "0") for n in IDS]  # it reads the first 17 of 18
TYPE = "居民身份证"


def _secrets_in(folder: Path) -> list[bytes]:
    """Everything in the folder's settings that could be a key or salt (hex decoded and raw), and none."""
    found = [b""]
    con = sqlite3.connect(folder / "reception.db")
    for (value,) in con.execute("SELECT value FROM setting"):
        text = str(value).strip('"')
        found.append(text.encode())
        with contextlib.suppress(ValueError):
            found.append(bytes.fromhex(text))
    con.close()
    return found


def brute_force(folder: Path, extra_secrets: list[bytes] = ()) -> set[str]:
    """Numbers recovered from the watch list and visits of ``folder``."""
    secrets = _secrets_in(folder) + list(extra_secrets)
    con = sqlite3.connect(folder / "reception.db")
    rows = con.execute(
        "SELECT id_masked, id_hash FROM watch_entry WHERE id_hash != ''"
        " UNION ALL SELECT id_masked, id_hash FROM visit WHERE id_hash != ''"
    ).fetchall()
    con.close()
    found: set[str] = set()
    for masked, stored in rows:
        shown_head = masked[:4] if masked[:1] != "*" else ""
        tail = masked[-4:]
        regions = [f"{shown_head}{n:02d}" for n in range(100)] if shown_head else [REGION]
        day = date(YEAR, 1, 1)
        while day.year == YEAR:
            for region in regions:
                first17 = f"{region}{day:%Y%m%d}{tail[:3]}"
                number = first17 + ric.calc_check_digit(first17 + "0")
                if number[-1] != tail[-1]:
                    continue
                message = f"{TYPE}|{number}".encode()
                if hashlib.sha256(message).hexdigest() == stored or any(
                    hmac.new(s, message, hashlib.sha256).hexdigest() == stored for s in secrets
                ):
                    found.add(number)
            day += timedelta(days=1)
    return found


def _copy(folder: Path, where: Path) -> Path:
    db.close_database()
    shutil.copytree(folder, where, ignore=shutil.ignore_patterns("*-wal", "*-shm"))
    return where


def test_version_9_data_gives_every_number_back_and_migrated_gives_none(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    database = db.open_database(site / "reception.db")
    migrate(database, target=9)
    salt = "ab" * 32
    with database.atomic():
        database.execute_sql(
            "INSERT INTO operator (username, display_name, role, password_hash, active,"
            " failed_logins, created_at) VALUES ('a', 'a', '管理员', 'x', 1, 0, '2026-01-01')"
        )
        database.execute_sql("INSERT INTO setting (key, value) VALUES ('id_hash_salt', ?)", (f'"{salt}"',))
        for number in IDS:  # as version 9 stored them
            masked = number[:4] + "*" * 10 + number[-4:]
            digest = hmac.new(bytes.fromhex(salt), f"{TYPE}|{number}".encode(), hashlib.sha256).hexdigest()
            database.execute_sql(
                "INSERT INTO watch_entry (name, id_type, id_hash, id_masked, phone, reason, added_by_id,"
                " added_at, active) VALUES ('某人', ?, ?, ?, '', '测试', 1, '2026-01-01', 1)",
                (TYPE, digest, masked),
            )
    old_copy = _copy(site, tmp_path / "old-copy")
    assert brute_force(old_copy) == set(IDS)  # 5 of 5 back, from the file alone

    database = db.open_database(site / "reception.db")
    migrate(database, backup_dir=tmp_path / "pre-migration")
    rows = database.execute_sql("SELECT id_masked, id_hash, id_recheck FROM watch_entry").fetchall()
    assert {(m, h, r) for m, h, r in rows} == {("*" * 14 + n[-4:], "", 1) for n in IDS}
    migrated = _copy(site, tmp_path / "migrated-copy")
    assert brute_force(migrated) == set()


def test_todays_data_gives_nothing_back_without_the_key(supervisor, tmp_path):
    for number in IDS:
        visits.add_watch_entry(supervisor, visits.WatchInput(name="某人", id_number=number, reason="测试"))
    key = sitekey.current()
    assert key is not None
    copy = _copy(tmp_path, tmp_path.parent / f"{tmp_path.name}-copy")
    assert not any(key.hex() in p.read_bytes().hex() for p in copy.rglob("*") if p.is_file())
    assert brute_force(copy) == set()
    # The search itself is sound: handed the key (which the folder does not hold) it finds all.
    assert brute_force(copy, [sitekey.subkey(key, "id-match")]) == set(IDS)
