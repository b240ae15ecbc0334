"""Serial numbers people can read aloud: ``LD20261126-007`` (来电, 26 Nov 2026, the 7th).

The counter lives in the database and is advanced inside the same write transaction as the
record, so two saves never get the same number and a rolled-back save leaves no gap. The day
is the local calendar day of the clock; if the system clock goes back, numbers keep counting
up within that day and stay unique."""

from __future__ import annotations

from datetime import date

from reception.db import database

CALL = "LD"
VISIT = "LF"
LETTER = "LH"
CASE = "GD"
RECEIPT = "SW"  # 收文编号: counted per year


def next_receipt_no(year: int) -> str:
    """``'2026-0003'``: the third letter received in 2026."""
    row = database.execute_sql(
        'INSERT INTO "serial_counter" ("kind", "day", "last") VALUES (?, ?, 1) '
        'ON CONFLICT ("kind", "day") DO UPDATE SET "last" = "serial_counter"."last" + 1 '
        'RETURNING "last"',
        (RECEIPT, str(year)),
    ).fetchone()
    return f"{year}-{row[0]:04d}"


def next_serial(kind: str, day: date) -> str:
    key = day.strftime("%Y%m%d")
    row = database.execute_sql(
        'INSERT INTO "serial_counter" ("kind", "day", "last") VALUES (?, ?, 1) '
        'ON CONFLICT ("kind", "day") DO UPDATE SET "last" = "serial_counter"."last" + 1 '
        'RETURNING "last"',
        (kind, key),
    ).fetchone()
    return f"{kind}{key}-{row[0]:03d}"
