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


def next_serial(kind: str, day: date) -> str:
    key = day.strftime("%Y%m%d")
    row = database.execute_sql(
        'INSERT INTO "serial_counter" ("kind", "day", "last") VALUES (?, ?, 1) '
        'ON CONFLICT ("kind", "day") DO UPDATE SET "last" = "serial_counter"."last" + 1 '
        'RETURNING "last"',
        (kind, key),
    ).fetchone()
    return f"{kind}{key}-{row[0]:03d}"
