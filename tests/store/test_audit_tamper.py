"""Tampering with the audit log by someone who has the data folder but not the site key: each
scenario is caught by ``reception audit verify`` (exit 1, what was found in words).

The attacker works as one would: a raw sqlite3 connection to the file, the triggers that refuse
UPDATE and DELETE dropped first, the old unkeyed hash recomputed where that would hide a change."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime

import pytest

from reception import cli
from reception.services import auth
from reception.store import audit
from reception.store import backup
from reception.store import db
from reception.store import sitekey
from reception.store.models import AuditLog
from tests.conftest import PASSWORD
from tests.conftest import cli_location

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def site(admin, receptionist, clock, tmp_path):
    """A site with a few dozen audit entries, closed; returns its database file."""
    for _ in range(10):
        auth.logout(auth.login("lixiao", PASSWORD, clock))
    cli_location()
    return tmp_path / "reception.db"


def _attack(path, *statements, params=()):
    con = sqlite3.connect(path)
    con.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    con.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    for statement in statements:
        con.execute(statement, params) if params else con.execute(statement)
    con.commit()
    con.close()


def _rows(path):
    con = sqlite3.connect(path)
    rows = con.execute(
        "SELECT id, at, operator_id, action, entity, entity_id, detail, prev_hash, hash"
        " FROM audit_log ORDER BY id"
    ).fetchall()
    con.close()
    return rows


def _rechain_unkeyed(path, start_id):
    """Recompute the old SHA-256 links from ``start_id`` on, as the published format allows."""
    rows = _rows(path)
    con = sqlite3.connect(path)
    prev = None
    for row in rows:
        rid, at, op, action, entity, entity_id, detail, prev_hash, digest = row
        if rid >= start_id:
            prev_hash = prev
            digest = audit._digest(
                prev_hash, datetime.fromisoformat(at), op, action, entity, entity_id, detail
            )
            con.execute("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?", (prev_hash, digest, rid))
        prev = digest
    con.commit()
    con.close()


def _verify(tmp_path, capsys, *extra):
    code = cli.main(["audit", "verify", "--data-dir", str(tmp_path), "--user", "admin", *extra])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_an_untouched_log_is_intact_and_says_where_the_keyed_chain_starts(site, tmp_path, capsys):
    code, text = _verify(tmp_path, capsys)
    assert code == 0, text
    assert "审计日志完整" in text and "全部记录都在密钥链中" in text and "比对锚点 1 个" in text


@pytest.mark.parametrize("gone", [1, 5])
def test_deleting_the_newest_entries_is_caught_by_the_anchor(site, tmp_path, capsys, gone):
    last = _rows(site)[-1][0]
    _attack(site, f"DELETE FROM audit_log WHERE id > {last - gone}")
    code, text = _verify(tmp_path, capsys)
    assert code == 1 and f"比 本机最近一次保存 记录的少 {gone} 条" in text, text


def test_deleting_the_whole_log_is_caught(site, tmp_path, capsys):
    _attack(site, "DELETE FROM audit_log")
    code, text = _verify(tmp_path, capsys)
    assert code == 1 and "整条日志被删除" in text, text


def test_deleting_the_log_and_the_anchor_files_is_caught_by_the_printed_anchor(
    site, tmp_path, capsys, site_key_dir
):
    rows = _rows(site)
    printed = f"{len(rows)}:{rows[-1][-1][:16]}"  # as on the handover report
    _attack(site, f"DELETE FROM audit_log WHERE id > {rows[-1][0] - 5}")
    for path in site_key_dir.glob("*.head"):
        path.unlink()
    assert _verify(tmp_path, capsys)[0] == 0  # nothing left outside the file to compare with…
    code, text = _verify(tmp_path, capsys, "--anchor", printed)
    # …but the paper has it: 5 gone, less the 2 entries the first check itself wrote (the
    # supervisor's login and the command's own entry)
    assert code == 1 and "比 输入的锚点 记录的少 3 条" in text, text


def test_an_edited_row_with_the_unkeyed_chain_recomputed_is_caught(site, tmp_path, capsys):
    target = _rows(site)[6][0]
    _attack(site, f'UPDATE audit_log SET detail = \'{{"desk":"别处"}}\' WHERE id = {target}')
    _rechain_unkeyed(site, target)
    code, text = _verify(tmp_path, capsys)
    assert code == 1 and f"第 {target} 条被修改" in text, text


def test_a_forged_row_appended_is_caught(site, tmp_path, capsys):
    rid, *_, last_hash = _rows(site)[-1]
    at = "2026-11-26 09:30:00"
    forged = audit._digest(last_hash, datetime.fromisoformat(at), 1, "login", "operator", 1, "")
    _attack(
        site,
        "INSERT INTO audit_log (at, operator_id, action, entity, entity_id, detail, prev_hash, hash) "
        "VALUES (?, 1, 'login', 'operator', 1, '', ?, ?)",
        params=(at, last_hash, forged),
    )
    code, text = _verify(tmp_path, capsys)
    assert code == 1 and f"第 {rid + 1} 条被修改" in text, text


def test_reordered_rows_are_caught(site, tmp_path, capsys):
    a, b = _rows(site)[3], _rows(site)[4]
    columns = (
        "at = ?, operator_id = ?, action = ?, entity = ?, entity_id = ?, detail = ?, prev_hash = ?, hash = ?"
    )
    con = sqlite3.connect(site)
    con.execute("DROP TRIGGER audit_log_no_update")
    con.execute(f"UPDATE audit_log SET {columns} WHERE id = ?", (*b[1:], a[0]))
    con.execute(f"UPDATE audit_log SET {columns} WHERE id = ?", (*a[1:], b[0]))
    con.commit()
    con.close()
    code, text = _verify(tmp_path, capsys)
    assert code == 1 and "调换了顺序" in text, text


def test_a_row_deleted_in_the_middle_is_caught(site, tmp_path, capsys):
    target = _rows(site)[10][0]
    _attack(site, f"DELETE FROM audit_log WHERE id = {target}")
    code, text = _verify(tmp_path, capsys)
    assert code == 1 and f"第 {target + 1} 条之前的记录被删除" in text, text


def test_an_old_backup_copied_over_the_live_file_is_caught(admin, receptionist, clock, tmp_path, capsys):
    """A rollback: every link of the old file is genuine; only the anchors know it is short."""
    saved = backup.make_backup(db.current(), tmp_path / "backups", "手动", datetime(2026, 11, 26, 9, 0))
    assert backup.anchor_sidecar(saved).read_text(encoding="utf-8").count("\n") == 1
    for _ in range(3):
        auth.logout(auth.login("lixiao", PASSWORD, clock))
    cli_location()
    shutil.copyfile(saved, tmp_path / "reception.db")
    code, text = _verify(tmp_path, capsys)
    assert code == 1 and "比 本机最近一次保存 记录的少 6 条" in text, text


def test_without_the_key_the_recovery_key_is_asked_for_and_restores_it(
    site, tmp_path, capsys, site_key_dir, monkeypatch
):
    [key_file] = site_key_dir.glob("*.key")
    recovery = sitekey.recovery_key(bytes.fromhex(key_file.read_text(encoding="ascii")))
    key_file.unlink()  # the data restored onto another PC
    code, text = _verify(tmp_path, capsys)
    assert code == 1 and "恢复密钥" in text and "RECEPTION_RECOVERY_KEY" in text, text
    other = sitekey.recovery_key(bytes(32))
    monkeypatch.setenv("RECEPTION_RECOVERY_KEY", other)
    code, text = _verify(tmp_path, capsys)
    assert code == 1 and "不属于此数据库" in text and not key_file.exists(), text
    monkeypatch.setenv("RECEPTION_RECOVERY_KEY", recovery.lower().replace("-", " "))  # typed loosely
    code, text = _verify(tmp_path, capsys)
    assert code == 0 and "审计日志完整" in text and key_file.exists(), text
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"


SETUP = auth.SetupInput("阳光花园物业", "021-50000000", "admin", "王管理", PASSWORD, PASSWORD)


def _legacy_site(database, clock, entries=6):
    """A site chained the old way (plain SHA-256, no key): rows as the previous version wrote them."""
    prev = audit.GENESIS
    at = clock.now()
    with db.write():
        for n in range(entries):
            digest = audit._digest(prev, at, None, "login.failed", "operator", None, f'{{"n":{n}}}')
            AuditLog.create(
                at=at,
                operator=None,
                action="login.failed",
                entity="operator",
                entity_id=None,
                detail=f'{{"n":{n}}}',
                prev_hash=prev,
                hash=digest,
            )
            prev = digest


def test_an_old_site_is_rekeyed_once_and_verify_says_where_the_keyed_chain_starts(
    database, clock, tmp_path, capsys
):
    _legacy_site(database, clock)
    assert sitekey.site_id() == ""
    auth.initial_setup(SETUP, clock)  # its first new entry gives the site its key
    audit.ensure_keyed(clock.now())  # once only
    markers = list(AuditLog.select().where(AuditLog.action == audit.KEYED_MARKER))
    assert [m.id for m in markers] == [7] and '"此前未加密钥的记录": 6' in markers[0].detail
    assert '"此前记录校验": "完整"' in markers[0].detail
    result = audit.verify()
    assert result.intact and result.keyed_from == 7 and result.entries == 8
    cli_location()
    code, text = _verify(tmp_path, capsys)
    assert code == 0 and "密钥链自第 7 条起（之前的 6 条按旧方式校验）" in text, text


def test_an_old_entry_edited_after_rekeying_is_caught_even_with_the_old_chain_recomputed(
    database, clock, tmp_path, capsys
):
    _legacy_site(database, clock)
    audit.ensure_keyed(clock.now())
    auth.initial_setup(SETUP, clock)
    path = tmp_path / "reception.db"
    cli_location()
    _attack(path, "UPDATE audit_log SET detail = '{\"n\":99}' WHERE id = 3")
    _rechain_unkeyed(path, 3)  # recomputes the marker's link too — its MAC cannot be
    code, text = _verify(tmp_path, capsys)
    assert code == 1 and "第 7 条被修改" in text, text
