"""The audit log: every create and change of a record, every login and logout.

Entries are only ever appended (triggers refuse UPDATE and DELETE). On a PostgreSQL server
written by several desks at once, appending takes the site-wide write lock first, so the chain
stays one line in id order. Each entry stores the hash
of the previous one, so an edited, deleted or reordered row breaks the chain that
:func:`verify_chain` walks. Details never hold a full ID or phone number: callers pass masked
values."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from peewee import JOIN

from reception.store.db import take_write_lock
from reception.store.models import AuditLog, Operator

GENESIS = "0" * 64


def _digest(
    prev_hash: str,
    at: datetime,
    operator_id: int | None,
    action: str,
    entity: str,
    entity_id: int | None,
    detail: str,
) -> str:
    payload = json.dumps(
        [prev_hash, at.isoformat(sep=" "), operator_id, action, entity, entity_id, detail],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(
    at: datetime,
    operator: Operator | int | None,
    action: str,
    entity: str = "",
    entity_id: int | None = None,
    **detail: Any,
) -> AuditLog:
    """Append one entry. Call inside the write transaction of the change it describes."""
    operator_id = operator.id if isinstance(operator, Operator) else operator
    # Several desks on one server: the write lock makes "read the last hash, append" one step
    # (re-entrant; already held inside db.write()).
    take_write_lock()
    last = AuditLog.select(AuditLog.hash).order_by(AuditLog.id.desc()).limit(1).first()
    prev_hash = last.hash if last else GENESIS
    text = json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str) if detail else ""
    digest = _digest(prev_hash, at, operator_id, action, entity, entity_id, text)
    return AuditLog.create(
        at=at,
        operator=operator_id,
        action=action,
        entity=entity,
        entity_id=entity_id,
        detail=text,
        prev_hash=prev_hash,
        hash=digest,
    )


def _in_batches(size: int = 5000) -> Iterator[AuditLog]:
    """Every entry in id order, read a batch at a time (a server's driver would otherwise hold
    the whole log — 1.4 million entries after ten years — in memory at once)."""
    last = 0
    while True:
        batch = list(AuditLog.select().where(AuditLog.id > last).order_by(AuditLog.id).limit(size))
        yield from batch
        if len(batch) < size:
            return
        last = batch[-1].id


def verify_chain(batch_size: int = 5000) -> list[str]:
    """Problems found in the chain, in Chinese; an empty list means the log is intact."""
    problems: list[str] = []
    prev = GENESIS
    for row in _in_batches(batch_size):
        at = row.at if isinstance(row.at, datetime) else datetime.fromisoformat(str(row.at))
        if row.prev_hash != prev:
            problems.append(f"第 {row.id} 条：与上一条记录不衔接（可能有记录被删除或调换）")
        expected = _digest(
            row.prev_hash, at, row.operator_id, row.action, row.entity, row.entity_id, row.detail
        )
        if expected != row.hash:
            problems.append(f"第 {row.id} 条：内容与校验值不符（可能被修改）")
        prev = row.hash
    return problems


def history(entity: str, entity_id: int) -> list[AuditLog]:
    return list(
        AuditLog.select(AuditLog, Operator)
        .join(Operator, on=(AuditLog.operator == Operator.id), join_type=JOIN.LEFT_OUTER)
        .where((AuditLog.entity == entity) & (AuditLog.entity_id == entity_id))
        .order_by(AuditLog.id)
    )
