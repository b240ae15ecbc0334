"""The audit log: every create and change of a record, every login and logout.

Entries are only ever appended (triggers refuse UPDATE and DELETE). On a PostgreSQL server
written by several desks at once, appending takes the site-wide write lock first, so the chain
stays one line in id order. Details never hold a full ID or phone number: callers pass masked
values.

**Keyed chain.** Each entry's MAC is HMAC-SHA-256 under the site key (:mod:`reception.store.sitekey`,
never in the database) of the previous MAC and the entry itself, so an edited, deleted, reordered
or forged row breaks the chain, and somebody with the file but not the key cannot recompute it.
The keyed part starts at a marker entry (action ``audit.keyed``): a new site's first entry, or —
for a site whose entries were chained the old unkeyed way (plain SHA-256) — the entry appended
when the site got its key; the entries before it stay unkeyed and are verified as such, their
head sealed by the marker's MAC.

**Anchors.** Deleting the newest entries (or copying an old backup over the live file) leaves a
chain that is intact but short. So the chain head — entry count and the first 16 hex digits of
the head MAC — is kept outside the data folder: rewritten after every commit in this PC's head
file, appended to the anchor file by every handover and daily report (which also print it beside
the signatures) and every backup (and written beside the backup as ``<backup>.anchor``).
:func:`verify` checks the chain against all of them."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from pathlib import Path
from typing import Any

from peewee import JOIN
from peewee import fn

from reception.store import db
from reception.store import sitekey
from reception.store.db import take_write_lock
from reception.store.models import AuditLog
from reception.store.models import Operator

GENESIS = "0" * 64
KEYED_MARKER = "audit.keyed"
HEAD_DIGITS = 16


def _payload(
    prev_hash: str,
    at: datetime,
    operator_id: int | None,
    action: str,
    entity: str,
    entity_id: int | None,
    detail: str,
) -> bytes:
    return json.dumps(
        [prev_hash, at.isoformat(sep=" "), operator_id, action, entity, entity_id, detail],
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")


def _digest(*fields: Any) -> str:
    """The old, unkeyed link: SHA-256 of the previous hash and the entry."""
    return hashlib.sha256(_payload(*fields)).hexdigest()


def _mac(key: bytes, *fields: Any) -> str:
    """The keyed link: HMAC-SHA-256 (audit sub-key) of the previous MAC and the entry."""
    return hmac.new(sitekey.subkey(key, "audit"), _payload(*fields), hashlib.sha256).hexdigest()


# The open database's running head, per connection: (connection, last id, entry count).
_head: tuple[object, int, int] | None = None
# The head written by a transaction not yet known to be committed: (site, count, mac).
_pending: tuple[str, int, str] | None = None


def _append(
    key: bytes,
    at: datetime,
    operator_id: int | None,
    action: str,
    entity: str,
    entity_id: int | None,
    text: str,
) -> AuditLog:
    global _head, _pending
    last = AuditLog.select(AuditLog.id, AuditLog.hash).order_by(AuditLog.id.desc()).limit(1).first()
    prev_hash = last.hash if last else GENESIS
    digest = _mac(key, prev_hash, at, operator_id, action, entity, entity_id, text)
    row = AuditLog.create(
        at=at,
        operator=operator_id,
        action=action,
        entity=entity,
        entity_id=entity_id,
        detail=text,
        prev_hash=prev_hash,
        hash=digest,
    )
    connection = AuditLog._meta.database.connection()
    cached = _head
    if cached is not None and cached[0] is connection and last is not None and cached[1] == last.id:
        count = cached[2] + 1
    else:
        count = AuditLog.select(fn.COUNT(AuditLog.id)).scalar()
    _head = (connection, row.id, count)
    _pending = (sitekey.site_id(), count, digest)
    return row


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
    key = sitekey.current()
    if key is None:  # a new site, or one chained the old way: the keyed chain starts here
        legacy = AuditLog.select(fn.COUNT(AuditLog.id)).scalar()
        problems = verify_chain() if legacy else []
        key = sitekey.require()
        checked = "完整" if not problems else f"{len(problems)} 处问题"
        marker = {"此前未加密钥的记录": legacy, "此前记录校验": checked}
        _append(key, at, operator_id, KEYED_MARKER, "audit", None, _text(marker))
    return _append(key, at, operator_id, action, entity, entity_id, _text(detail))


def _text(detail: dict[str, Any]) -> str:
    return json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str) if detail else ""


def ensure_keyed(at: datetime) -> None:
    """Give the open site its key now (set-up, or the first start of an upgraded site)."""
    if sitekey.current() is None:
        with db.write():
            if sitekey.current() is None:
                take_write_lock()
                record(at, None, "audit.rekey", "audit")


# ---- anchors ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Anchor:
    count: int
    head: str  # the first HEAD_DIGITS hex digits of the head MAC
    label: str  # where it was written: 「12月5日 第2班交接班报告」, 「备份 …」, 「本机最近一次保存」
    at: str = ""

    def line(self) -> str:
        """The line printed on a report: 「审计链：第 1,203 条 · 3f9a…」."""
        return f"审计日志锚点：共 {self.count:,} 条 · {self.head}"

    def to_json(self, site: str) -> str:
        data = {"site": site, "count": self.count, "head": self.head, "label": self.label, "at": self.at}
        return json.dumps(data, ensure_ascii=False)


def head(label: str = "", at: datetime | None = None) -> Anchor:
    """The chain head of the open database now."""
    last = AuditLog.select(AuditLog.hash).order_by(AuditLog.id.desc()).limit(1).first()
    count = AuditLog.select(fn.COUNT(AuditLog.id)).scalar() if last else 0
    stamp = at.isoformat(sep=" ", timespec="seconds") if at else ""
    return Anchor(count, (last.hash if last else GENESIS)[:HEAD_DIGITS], label, stamp)


def _anchor_file(site: str) -> Path:
    return sitekey.key_dir() / f"{site}.anchors"


def _head_file(site: str) -> Path:
    return sitekey.key_dir() / f"{site}.head"


def _append_line(path: Path, line: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with open(path, "a", encoding="utf-8") as out:
        out.write(line + "\n")
        out.flush()
        os.fsync(out.fileno())


def anchor(label: str, at: datetime | None = None, sidecar: Path | None = None) -> Anchor:
    """Append the chain head to the anchor file outside the data folder (and to ``sidecar``, a
    backup's ``.anchor`` file); returns it, for printing on a report."""
    mark = head(label, at)
    site = sitekey.site_id()
    if site:
        line = mark.to_json(site)
        _append_line(_anchor_file(site), line)
        if sidecar is not None:
            _append_line(sidecar, line)
    return mark


def after_commit() -> None:
    """Called when a write transaction committed: rewrite this PC's head file (a failed write
    here loses only the newest anchor, never a record)."""
    global _pending
    pending, _pending = _pending, None
    if pending is None or not pending[0]:
        return
    site, count, mac = pending
    path = _head_file(site)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        previous = _read_anchors(path)
        if previous and previous[-1].count >= count:  # another connection got further
            return
        data = {"site": site, "count": count, "head": mac[:HEAD_DIGITS], "label": "本机最近一次保存"}
        temp = path.with_name(path.name + ".new")
        temp.write_text(json.dumps(data, ensure_ascii=False) + "\n", encoding="utf-8")
        os.replace(temp, path)
    except OSError:
        return


def after_rollback() -> None:
    global _pending, _head
    _pending = None
    _head = None


db.on_transaction_end(after_commit, after_rollback)


def _read_anchors(path: Path, site: str = "") -> list[Anchor]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (FileNotFoundError, NotADirectoryError):
        return []
    found = []
    for line in lines:
        try:
            data = json.loads(line)
            if site and data.get("site") != site:
                continue
            label, stamp = str(data.get("label", "")), str(data.get("at", ""))
            found.append(Anchor(int(data["count"]), str(data["head"]), label, stamp))
        except (ValueError, KeyError, TypeError, AttributeError):
            continue
    return found


def known_anchors(site: str | None = None, extra: list[Path] | None = None) -> list[Anchor]:
    """Every anchor kept for the site outside the data folder (and in ``extra`` files, e.g. a
    backup's ``.anchor``)."""
    site = sitekey.site_id() if site is None else site
    found: list[Anchor] = []
    if site:
        # The head file first: where it and a report hold the same count, the report names it.
        found += _read_anchors(_head_file(site), site)
        found += _read_anchors(_anchor_file(site), site)
    for path in extra or []:
        found += _read_anchors(path, site)
    return found


def parse_anchor(text: str) -> Anchor:
    """A head typed from a printed report: ``1203:3f9a0c…`` or 「共 1,203 条 · 3f9a0c…」."""
    import re

    match = re.search(rf"([\d,，]+)\D+?([0-9a-fA-F]{{{HEAD_DIGITS}}})", text or "")
    if not match:
        raise ValueError("锚点应写成“条数:校验值前16位”，例如 1203:3f9a0c1d2e4b5a69")
    return Anchor(int(re.sub(r"[,，]", "", match.group(1))), match.group(2).lower(), "输入的锚点")


# ---- verifying ----------------------------------------------------------------------------------


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


@dataclass
class Verification:
    entries: int = 0
    keyed_from: int | None = None  # id of the first keyed entry (the marker)
    problems: list[str] = field(default_factory=list)
    anchors_checked: int = 0

    @property
    def intact(self) -> bool:
        return not self.problems


def verify(anchors: list[Anchor] | None = None, batch_size: int = 5000) -> Verification:
    """Check every link (keyed MACs with the site key) and the chain against ``anchors`` (default:
    every anchor kept outside the data folder). Problems are Chinese sentences."""
    result = Verification()
    key = sitekey.current()  # SiteKeyMissing when this PC lacks it
    site = sitekey.site_id()
    if anchors is None:
        anchors = known_anchors(site)
    wanted: dict[int, list[Anchor]] = {}
    for mark in anchors:
        wanted.setdefault(mark.count, []).append(mark)
    heads: dict[int, str] = {}
    prev = GENESIS
    keyed = False
    position = 0
    for row in _in_batches(batch_size):
        position += 1
        at = row.at if isinstance(row.at, datetime) else datetime.fromisoformat(str(row.at))
        if not keyed and row.action == KEYED_MARKER and key is not None:
            keyed = True
            result.keyed_from = row.id
        if row.prev_hash != prev:
            result.problems.append(f"第 {row.id:,} 条之前的记录被删除或调换了顺序（与上一条不衔接）")
        fields = (row.prev_hash, at, row.operator_id, row.action, row.entity, row.entity_id, row.detail)
        expected = _mac(key, *fields) if keyed and key is not None else _digest(*fields)
        if not hmac.compare_digest(expected, row.hash):
            result.problems.append(f"第 {row.id:,} 条被修改（校验值不符，可能被改动或伪造）")
        if position in wanted:
            heads[position] = row.hash
        prev = row.hash
    result.entries = position
    if site and key is not None and not keyed:
        if position == 0:
            result.problems.append("整条日志被删除（此站点已有密钥，日志却一条也没有）")
        else:
            result.problems.append("密钥链的起点记录不见了：加密钥之后的记录被删除或替换")
    for count, marks in sorted(wanted.items()):
        result.anchors_checked += len(marks)
        label = marks[-1].label or "锚点"
        if position == 0 and count > 0:
            result.problems.append(f"整条日志被删除（{label}记录的是 {count:,} 条）")
        elif count > position:
            result.problems.append(f"比 {label} 记录的少 {count - position:,} 条")
        elif count > 0 and not any(heads.get(count, "").startswith(m.head) for m in marks):
            result.problems.append(f"第 {count:,} 条与 {label} 记录的不符：日志被替换、回退到旧备份或被改写")
    return result


def verify_chain(batch_size: int = 5000) -> list[str]:
    """Problems found in the chain itself (no anchors), in Chinese; empty when intact."""
    return verify([], batch_size).problems


def history(entity: str, entity_id: int) -> list[AuditLog]:
    return list(
        AuditLog.select(AuditLog, Operator)
        .join(Operator, on=(AuditLog.operator == Operator.id), join_type=JOIN.LEFT_OUTER)
        .where((AuditLog.entity == entity) & (AuditLog.entity_id == entity_id))
        .order_by(AuditLog.id)
    )
