"""Drafts of half-filled forms: saved while the receptionist types, on the idle lock and when
the window closes, restored when the same operator opens the form again."""

from __future__ import annotations

import json
from datetime import datetime
from datetime import timedelta
from typing import Any

from reception.store import db
from reception.store.models import Draft
from reception.store.models import Operator

MAX_BYTES = 200_000


def save(operator: Operator | int, form: str, data: dict[str, Any], now: datetime) -> None:
    """Keep the latest state of a form (replaces the previous draft)."""
    text = json.dumps(data, ensure_ascii=False, default=str)
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        return  # a pathological form is not worth filling the disk with
    text = text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    with db.write():
        Draft.insert(operator=operator, form=form, data=text, saved_at=now).on_conflict(
            conflict_target=[Draft.operator, Draft.form], update={Draft.data: text, Draft.saved_at: now}
        ).execute()


def load(operator: Operator | int, form: str) -> dict[str, Any] | None:
    # A damaged or locked file raises StorageError like a save would (db.execute_sql).
    row = Draft.get_or_none((Draft.operator == operator) & (Draft.form == form))
    if row is None:
        return None
    try:
        value = json.loads(row.data)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def clear(operator: Operator | int, form: str) -> None:
    with db.write():
        Draft.delete().where((Draft.operator == operator) & (Draft.form == form)).execute()


def purge_older_than(now: datetime, age: timedelta) -> int:
    with db.write():
        return int(Draft.delete().where(Draft.saved_at < now - age).execute())


def clear_operator(operator: Operator | int) -> int:
    """Every draft of one operator (their logout). Returns how many."""
    with db.write():
        return int(Draft.delete().where(Draft.operator == operator).execute())
