"""Serial numbers people can read aloud: ``LD20261126-007`` (来电, 26 Nov 2026, the 7th).

The counter lives in the database and is advanced inside the same write transaction as the
record, so two saves never get the same number and a rolled-back save leaves no gap — on a
PostgreSQL server shared by several desks too: the upsert locks the day's counter row until the
saving transaction ends, so a second desk saving at the same instant takes the next number. The day
is the local calendar day of the clock; if the system clock goes back, numbers keep counting
up within that day and stay unique."""

from __future__ import annotations

from datetime import date

from reception.store.db import database
from reception.store.db import sql

CALL = "LD"
VISIT = "LF"
LETTER = "LH"
CASE = "GD"
RECEIPT = "SW"  # 收文编号: counted per year


def _advance(kind: str, key: str) -> int:
    row = database.execute_sql(
        sql(
            'INSERT INTO "serial_counter" ("kind", "day", "last") VALUES (?, ?, 1) '
            'ON CONFLICT ("kind", "day") DO UPDATE SET "last" = "serial_counter"."last" + 1 '
            'RETURNING "last"'
        ),
        (kind, key),
    ).fetchone()
    return int(row[0])


def next_receipt_no(year: int) -> str:
    """``'2026-0003'``: the third letter received in 2026."""
    return f"{year}-{_advance(RECEIPT, str(year)):04d}"


def next_serial(kind: str, day: date) -> str:
    key = day.strftime("%Y%m%d")
    return f"{kind}{key}-{_advance(kind, key):03d}"
