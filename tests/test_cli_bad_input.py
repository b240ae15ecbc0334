"""Every command against a table of bad inputs, each in a fresh process of the real command line.

For each case: the exit status (0 done, 1 refused or failed, 2 usage), no traceback and not the
program's internal-error line on stderr, a failure says one Chinese line, no file appears or
disappears in the data folder, the output folder or the current folder (no ``.tmp`` left, no
database created), and a failure adds no audit row (logging in is audited, and not counted here).
Commands that read or change personal data or the site run as a person: each case gives
``--user`` (the demo's administrator unless it says otherwise) and the password in
``RECEPTION_PASSWORD``. Permission cases run as uid 65534, since
root ignores file permissions. A few cases that succeed show that the checks see what a
command writes."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
NOBODY = 65534
AS_ROOT = os.geteuid() == 0

Prepare = Callable[[Path], None]


@dataclass(frozen=True)
class Case:
    name: str
    argv: tuple[str, ...]  # {site} {empty} {out} {cwd} {files} {visit} {waiting} {call} {letter}
    status: int
    says: str = ""  # a fragment of stderr ("" for the usage cases: argparse's own line)
    prepare: Prepare | None = None
    user: int = 0  # 0: as the current user; NOBODY: as uid 65534 (the site then belongs to it)
    creates: tuple[str, ...] = ()  # files a successful case writes, relative to the case folder
    audit_added: int = 0
    as_user: str | None = "admin"  # --user for the commands that need one (None: left out)
    password: str | None = "demo1234"  # RECEPTION_PASSWORD (None: not set, and no terminal)


def _write(name: str, text: str, encoding: str = "utf-8") -> Prepare:
    def prepare(case: Path) -> None:
        (case / "files" / name).write_text(text, encoding=encoding)

    return prepare


def _sql(*statements: str) -> Prepare:
    def prepare(case: Path) -> None:
        con = sqlite3.connect(case / "site" / "reception.db")
        try:
            for statement in statements:
                con.execute(statement)
            con.commit()
        finally:
            con.close()

    return prepare


def _zero_byte_site(case: Path) -> None:
    (case / "empty" / "reception.db").write_bytes(b"")


def _unwritable_backups(case: Path) -> None:
    backups = case / "site" / "backups"
    os.chown(backups, 0, 0)
    backups.chmod(0o755)


HEADER = "楼栋,单元,房号,姓名,身份,手机,备用电话,备注\n"
SITE = ("--data-dir", "{site}")
EMPTY = ("--data-dir", "{empty}")
DAILY = ("report", "daily", "--date", "2026-11-20")
LETTERS = ("letters", "export", "--from", "2026-11-01", "--to", "2026-11-30")
NOT_ONE = "这里没有前台数据"
AS_PERSON = {"residents", "badge", "letters", "report", "backup", "restore", "audit", "purge", "migrate-to"}
LOGINS = ("login", "login.failed", "logout")
NO_WRITE = "没有写入权限"

CASES = [
    # ---- a data folder without a site: refused, nothing created
    Case("audit-verify-missing-folder", ("audit", "verify", "--data-dir", "{cwd}/nosite"), 1, NOT_ONE),
    Case("audit-verify-empty-folder", ("audit", "verify", *EMPTY), 1, NOT_ONE),
    Case("audit-verify-default-folder", ("audit", "verify"), 1, NOT_ONE),
    Case("purge-empty-folder", ("purge", *EMPTY), 1, NOT_ONE),
    Case("backup-empty-folder", ("backup", *EMPTY), 1, NOT_ONE),
    Case("daily-empty-folder", (*DAILY, "--out", "{out}/d.pdf", *EMPTY), 1, NOT_ONE),
    Case("complaints-empty-folder", ("report", "complaints", "--out", "{out}/c.pdf", *EMPTY), 1, NOT_ONE),
    Case(
        "handover-empty-folder",
        ("report", "handover", "--date", "2026-11-20", "--out", "{out}/h.pdf", *EMPTY),
        1,
        NOT_ONE,
    ),
    Case("badge-empty-folder", ("badge", "{visit}", "--out", "{out}/b.pdf", *EMPTY), 1, NOT_ONE),
    Case("letters-empty-folder", (*LETTERS, "--out", "{out}/l.xlsx", *EMPTY), 1, NOT_ONE),
    Case("notice-empty-folder", ("privacy-notice", "--out", "{out}/n.pdf", *EMPTY), 1, NOT_ONE),
    Case(
        "import-empty-folder",
        ("residents", "import", "{files}/r.csv", *EMPTY),
        1,
        NOT_ONE,
        prepare=_write("r.csv", HEADER + "1栋,1单元,101,张三,业主,,,\n"),
    ),
    Case("migrate-empty-folder", ("migrate-to", "postgresql://x@127.0.0.1:1/db", *EMPTY), 1, NOT_ONE),
    Case("audit-verify-zero-byte-db", ("audit", "verify", *EMPTY), 1, "0 字节", prepare=_zero_byte_site),
    Case("purge-zero-byte-db", ("purge", *EMPTY), 1, "0 字节", prepare=_zero_byte_site),
    # ---- --data-dir naming a file
    Case(
        "data-dir-is-a-file-audit",
        ("audit", "verify", "--data-dir", "{site}/reception.db"),
        1,
        "不是数据文件夹",
    ),
    Case("data-dir-is-a-file-demo", ("demo", "--data-dir", "{site}/reception.db"), 1, "不是数据文件夹"),
    Case(
        "data-dir-is-a-file-restore",
        ("restore", "{site}/reception.db", "--data-dir", "{site}/reception.db"),
        1,
        "不是数据文件夹",
    ),
    Case(
        "data-dir-is-a-file-daily",
        (*DAILY, "--out", "{out}/d.pdf", "--data-dir", "{site}/reception.db"),
        1,
        "不是数据文件夹",
    ),
    # ---- dates and months: usage errors
    Case("daily-9999-12-31", ("report", "daily", "--date", "9999-12-31", "--out", "{out}/d.pdf", *SITE), 2),
    Case("daily-0001-01-01", ("report", "daily", "--date", "0001-01-01", "--out", "{out}/d.pdf", *SITE), 2),
    Case("daily-february-30", ("report", "daily", "--date", "2026-02-30", "--out", "{out}/d.pdf", *SITE), 2),
    Case("daily-no-dashes", ("report", "daily", "--date", "20261126", "--out", "{out}/d.pdf", *SITE), 2),
    Case("daily-a-word", ("report", "daily", "--date", "昨天", "--out", "{out}/d.pdf", *SITE), 2),
    Case(
        "handover-month-13", ("report", "handover", "--date", "2026-13-01", "--out", "{out}/h.pdf", *SITE), 2
    ),
    Case(
        "handover-shift-a-word",
        ("report", "handover", "--date", "2026-11-20", "--shift", "早班", "--out", "{out}/h.pdf", *SITE),
        2,
    ),
    Case(
        "complaints-month-13",
        ("report", "complaints", "--month", "2026-13", "--out", "{out}/c.pdf", *SITE),
        2,
    ),
    Case(
        "complaints-month-0", ("report", "complaints", "--month", "2026-00", "--out", "{out}/c.pdf", *SITE), 2
    ),
    Case(
        "complaints-month-slashed",
        ("report", "complaints", "--month", "11/2026", "--out", "{out}/c.pdf", *SITE),
        2,
    ),
    Case(
        "complaints-year-0", ("report", "complaints", "--month", "0000-01", "--out", "{out}/c.pdf", *SITE), 2
    ),
    Case(
        "letters-year-9999",
        ("letters", "export", "--from", "0001-01-01", "--to", "9999-12-31", "--out", "{out}/l.xlsx", *SITE),
        2,
    ),
    Case(
        "letters-backwards",
        ("letters", "export", "--from", "2026-12-01", "--to", "2026-11-01", "--out", "{out}/l.xlsx", *SITE),
        1,
        "结束日期不能早于开始日期",
    ),
    Case(
        "handover-no-such-shift",
        ("report", "handover", "--date", "2026-11-20", "--shift", "99", "--out", "{out}/h.pdf", *SITE),
        1,
        "无法输出交接班报告",
    ),
    Case("report-unknown-kind", ("report", "weekly", "--out", "{out}/w.pdf", *SITE), 2),
    Case("badge-unknown-size", ("badge", "{visit}", "--size", "a4", "--out", "{out}/b.pdf", *SITE), 2),
    Case("demo-without-folder", ("demo",), 2, "--data-dir"),
    Case("migrate-not-an-address", ("migrate-to", "mysql://x@host/db", *SITE), 2, "PostgreSQL"),
    # ---- --out that cannot be written
    Case("daily-out-missing-folder", (*DAILY, "--out", "{out}/no/such/d.pdf", *SITE), 1, "不存在"),
    Case("daily-out-is-a-folder", (*DAILY, "--out", "{out}", *SITE), 1, "文件夹"),
    Case("daily-out-in-proc", (*DAILY, "--out", "/proc/d.pdf", *SITE), 1, "/proc/d.pdf"),
    Case(
        "complaints-out-in-proc",
        ("report", "complaints", "--month", "2026-11", "--out", "/proc/c.pdf", *SITE),
        1,
        "/proc/c.pdf",
    ),
    Case(
        "handover-out-missing-folder",
        ("report", "handover", "--date", "2026-11-20", "--out", "{out}/no/h.pdf", *SITE),
        1,
        "不存在",
    ),
    Case("badge-out-in-proc", ("badge", "{visit}", "--out", "/proc/b.pdf", *SITE), 1, "/proc/b.pdf"),
    Case("badge-out-is-a-folder", ("badge", "{visit}", "--out", "{out}", *SITE), 1, "文件夹"),
    Case("letters-out-in-proc", (*LETTERS, "--out", "/proc/l.xlsx", *SITE), 1, "/proc/l.xlsx"),
    Case("letters-out-is-a-folder", (*LETTERS, "--out", "{out}", *SITE), 1, "文件夹"),
    Case("notice-out-missing-folder", ("privacy-notice", "--out", "{out}/no/n.pdf", *SITE), 1, "不存在"),
    Case("daily-out-unwritable", (*DAILY, "--out", "{out}/d.pdf", *SITE), 1, NO_WRITE, user=NOBODY),
    Case(
        "complaints-out-unwritable",
        ("report", "complaints", "--out", "{out}/c.pdf", *SITE),
        1,
        NO_WRITE,
        user=NOBODY,
    ),
    Case(
        "badge-out-unwritable", ("badge", "{visit}", "--out", "{out}/b.pdf", *SITE), 1, NO_WRITE, user=NOBODY
    ),
    Case("letters-out-unwritable", (*LETTERS, "--out", "{out}/l.xlsx", *SITE), 1, NO_WRITE, user=NOBODY),
    Case(
        "notice-out-unwritable", ("privacy-notice", "--out", "{out}/n.pdf", *SITE), 1, NO_WRITE, user=NOBODY
    ),
    Case("daily-out-a-device", (*DAILY, "--out", "/dev/null", *SITE), 1, "不是普通文件", user=NOBODY),
    Case("backup-folder-unwritable", ("backup", *SITE), 1, "", prepare=_unwritable_backups, user=NOBODY),
    # ---- serial numbers
    Case(
        "badge-unknown-serial",
        ("badge", "LF20990101-999", "--out", "{out}/b.pdf", *SITE),
        1,
        "找不到来访记录",
    ),
    Case("badge-call-serial", ("badge", "{call}", "--out", "{out}/b.pdf", *SITE), 1, "是来电编号"),
    Case("badge-letter-serial", ("badge", "{letter}", "--out", "{out}/b.pdf", *SITE), 1, "是来函编号"),
    Case("badge-empty-serial", ("badge", "", "--out", "{out}/b.pdf", *SITE), 1, "找不到来访记录"),
    Case("badge-not-admitted", ("badge", "{waiting}", "--out", "{out}/b.pdf", *SITE), 1, "未放行"),
    # ---- resident import files
    Case(
        "import-header-only",
        ("residents", "import", "{files}/r.csv", *SITE),
        1,
        "只有表头",
        prepare=_write("r.csv", HEADER),
    ),
    Case("import-missing-file", ("residents", "import", "{files}/none.csv", *SITE), 1, "找不到文件"),
    Case("import-a-folder", ("residents", "import", "{files}", *SITE), 1, "找不到文件"),
    Case(
        "import-a-pdf",
        ("residents", "import", "{files}/r.pdf", *SITE),
        1,
        "只支持",
        prepare=_write("r.pdf", "%PDF-1.4"),
    ),
    Case(
        "import-zero-bytes",
        ("residents", "import", "{files}/r.csv", *SITE),
        1,
        "文件是空的",
        prepare=_write("r.csv", ""),
    ),
    Case(
        "import-wrong-header",
        ("residents", "import", "{files}/r.csv", *SITE),
        1,
        "表头缺少列",
        prepare=_write("r.csv", "a,b,c\n1,2,3\n"),
    ),
    Case(
        "import-all-rows-refused",
        ("residents", "import", "{files}/r.csv", *SITE),
        1,
        "全部被拒绝",
        prepare=_write("r.csv", HEADER + ",,,\n1栋,1单元,101,张三,业主,123,,\n"),
    ),
    Case(
        "import-broken-xlsx",
        ("residents", "import", "{files}/r.xlsx", *SITE),
        1,
        "无法打开 Excel",
        prepare=_write("r.xlsx", "not a zip"),
    ),
    # ---- the audit log
    Case(
        "audit-table-gone",
        ("audit", "verify", *SITE),
        1,
        "审计日志不存在",
        prepare=_sql("DROP TABLE audit_log"),
    ),
    Case(
        "audit-tampered",
        ("audit", "verify", *SITE),
        1,
        "处问题",
        prepare=_sql("DROP TRIGGER audit_log_no_update", "UPDATE audit_log SET detail = '{}' WHERE id = 2"),
    ),
    # ---- restore and the server
    Case("restore-missing-file", ("restore", "{files}/none.db", *SITE), 1, "找不到备份文件"),
    Case(
        "restore-a-text-file",
        ("restore", "{files}/b.db", *SITE),
        1,
        "不是完好的数据库",
        prepare=_write("b.db", "hello"),
    ),
    Case("restore-a-folder", ("restore", "{files}", *SITE), 1, "找不到备份文件"),
    Case("demo-on-a-site", ("demo", *SITE), 1, "已有数据"),
    Case(
        "server-unreachable",
        ("--database", "postgresql://x@127.0.0.1:1/db", "audit", "verify", *SITE),
        1,
        "无法连接数据库服务器",
    ),
    Case(
        "migrate-server-unreachable",
        ("migrate-to", "postgresql://x@127.0.0.1:1/db", *SITE),
        1,
        "无法连接数据库服务器",
        audit_added=1,  # the attempt to copy the whole site is audited before anything is copied
    ),
    Case(
        "purge-read-only-site",
        ("purge", *SITE),
        1,
        "",
        prepare=lambda case: os.chown(case / "site", 0, 0),
        user=NOBODY,
    ),
    # ---- the command line as a person
    Case("letters-without-user", (*LETTERS, "--out", "{out}/l.xlsx", *SITE), 2, "--user", as_user=None),
    Case("purge-without-user", ("purge", *SITE), 2, "--user", as_user=None),
    Case(
        "letters-as-receptionist",
        (*LETTERS, "--out", "{out}/l.xlsx", *SITE),
        1,
        "需要主管权限",
        as_user="qiantai1",
        audit_added=1,  # the refusal is audited
    ),
    Case("purge-as-supervisor", ("purge", *SITE), 1, "需要管理员权限", as_user="zhuguan", audit_added=1),
    Case(
        "restore-as-supervisor",
        ("restore", "{site}/reception.db", *SITE),
        1,
        "需要管理员权限",
        as_user="zhuguan",
        audit_added=1,
    ),
    Case(
        "letters-wrong-password",
        (*LETTERS, "--out", "{out}/l.xlsx", *SITE),
        1,
        "密码不正确",
        password="nope12345",
    ),
    Case(
        "letters-unknown-user", (*LETTERS, "--out", "{out}/l.xlsx", *SITE), 1, "密码不正确", as_user="nobody"
    ),
    Case(
        "daily-no-password", (*DAILY, "--out", "{out}/d.pdf", *SITE), 1, "RECEPTION_PASSWORD", password=None
    ),
]

# Cases that succeed: the checks below see the file each one writes and the audit row it adds.
CONTROLS = [
    Case("ok-daily", (*DAILY, "--out", "{out}/d.pdf", *SITE), 0, creates=("out/d.pdf",), audit_added=1),
    Case(
        "ok-badge",
        ("badge", "{visit}", "--out", "{out}/b.pdf", *SITE),
        0,
        creates=("out/b.pdf",),
        audit_added=2,  # the reprint and the command
    ),
    Case(
        "ok-letters", (*LETTERS, "--out", "{out}/l.xlsx", *SITE), 0, creates=("out/l.xlsx",), audit_added=2
    ),  # the export (range, rows) and the command
    Case(
        "ok-letters-as-supervisor",
        (*LETTERS, "--out", "{out}/l.xlsx", *SITE),
        0,
        creates=("out/l.xlsx",),
        audit_added=2,
        as_user="zhuguan",
    ),
    Case(
        "ok-import",
        ("residents", "import", "{files}/r.csv", *SITE),
        0,
        audit_added=2,  # the import and the command
        prepare=_write("r.csv", HEADER + "9栋,1单元,101,张三,业主,,,\n"),
    ),
    Case(
        "ok-badge-as-nobody",
        ("badge", "{visit}", "--out", "{cwd}/b.pdf", *SITE),
        0,
        user=NOBODY,
        creates=("cwd/b.pdf",),
        audit_added=2,
    ),
]


@dataclass
class Outcome:
    status: int
    stderr: str
    before: set[str]
    after: set[str]
    audit_before: int | None
    audit_after: int | None
    details: dict[str, str] = field(default_factory=dict)


def _listing(case: Path) -> set[str]:
    found = set()
    for top in ("site", "empty", "out", "cwd", "files", "xdg"):
        for item in (case / top).rglob("*"):
            found.add(str(item.relative_to(case)))
    return found


def _audit_rows(site: Path) -> int | None:
    database = site / "reception.db"
    if not database.is_file() or database.stat().st_size == 0:
        return None
    # immutable: this look leaves no -wal / -shm file of its own (a command's leftovers would show)
    con = sqlite3.connect(f"file:{database}?mode=ro&immutable=1", uri=True)
    try:
        marks = ",".join("?" * len(LOGINS))
        return con.execute(
            f"SELECT count(*) FROM audit_log WHERE action NOT IN ({marks})", LOGINS
        ).fetchone()[0]
    except sqlite3.OperationalError:
        return None
    finally:
        con.close()


def _run(case: Case, folder: Path, site: Path, serials: dict[str, str]) -> Outcome:
    work = folder / case.name
    shutil.copytree(site, work / "site")
    shutil.copytree(site.parent / "keys", work / "keys")  # the desk's site key, outside the folder
    for name in ("empty", "out", "cwd", "files", "xdg"):
        (work / name).mkdir()
    if case.user == NOBODY:  # the site, current folder and inputs are its own; out/ is root's
        for item in [
            work / "site",
            *(work / "site").rglob("*"),
            work / "cwd",
            work / "files",
            work / "keys",
            *(work / "keys").rglob("*"),
            work / "empty",
        ]:
            os.chown(item, NOBODY, NOBODY)
    if case.prepare:
        case.prepare(work)
    places = {name: str(work / name) for name in ("site", "empty", "out", "cwd", "files")}
    argv = [part.format(**places, **serials) for part in case.argv]
    if case.as_user is not None and AS_PERSON & set(case.argv):
        argv += ["--user", case.as_user]
    before, audit_before = _listing(work), _audit_rows(work / "site")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(REPO),
        "PYTHONDONTWRITEBYTECODE": "1",
        "HOME": str(work / "cwd"),
        "XDG_DATA_HOME": str(work / "xdg"),  # the default data folder, if a case uses it
        "RECEPTION_KEY_DIR": str(work / "keys"),
        "LANG": "C.UTF-8",
    }
    if case.password is not None:
        env["RECEPTION_PASSWORD"] = case.password
    command = [sys.executable, "-m", "reception.cli", *argv]
    if case.user == NOBODY:
        command = ["setpriv", "--reuid", str(NOBODY), "--regid", str(NOBODY), "--clear-groups", *command]
    done = subprocess.run(
        command, cwd=work / "cwd", env=env, capture_output=True, text=True, encoding="utf-8", timeout=300
    )
    return Outcome(
        done.returncode, done.stderr, before, _listing(work), audit_before, _audit_rows(work / "site")
    )


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory) -> Iterator[dict[str, Outcome]]:
    if not AS_ROOT:
        pytest.skip("the permission cases need root to hand files to uid 65534")
    template = tmp_path_factory.mktemp("site") / "site"
    made = subprocess.run(
        [sys.executable, "-m", "reception.cli", "demo", "--data-dir", str(template)],
        env={**os.environ, "PYTHONPATH": str(REPO), "RECEPTION_KEY_DIR": str(template.parent / "keys")},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
    )
    assert made.returncode == 0, made.stderr
    con = sqlite3.connect(template / "reception.db")
    try:
        one = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
        serials = {
            "visit": one("SELECT serial FROM visit WHERE kind = 'guest' AND status = '已离开' LIMIT 1"),
            "waiting": one("SELECT serial FROM visit WHERE kind = 'guest' AND status = '未放行' LIMIT 1"),
            "call": one("SELECT serial FROM call LIMIT 1"),
            "letter": one("SELECT serial FROM letter LIMIT 1"),
        }
    finally:
        con.close()
    # uid 65534 must reach the case folders: tmp_path's parents may be closed to it.
    folder = Path(tempfile.mkdtemp(prefix="cli-bad-input-", dir="/tmp"))
    folder.chmod(0o777)
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            futures = {c.name: pool.submit(_run, c, folder, template, serials) for c in CASES + CONTROLS}
            yield {name: future.result() for name, future in futures.items()}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_the_table_is_large_and_names_are_unique():
    names = [c.name for c in CASES + CONTROLS]
    assert len(set(names)) == len(names)
    assert len(CASES) >= 40
    assert {c.argv[0] for c in CASES} >= {
        "audit", "purge", "backup", "report", "badge", "letters", "privacy-notice",
        "residents", "migrate-to", "restore", "demo", "--database",
    }  # fmt: skip


@pytest.mark.parametrize("case", CASES + CONTROLS, ids=lambda c: c.name)
def test_command_with_bad_input(case: Case, outcomes: dict[str, Outcome]):
    got = outcomes[case.name]
    assert "Traceback" not in got.stderr, got.stderr
    assert "内部错误" not in got.stderr, got.stderr
    assert got.status == case.status, got.stderr
    if case.status == 1:
        lines = got.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("错误："), got.stderr
        assert any("\u4e00" <= ch <= "\u9fff" for ch in lines[0])
    if case.status == 2:
        assert "错误：" in got.stderr, got.stderr
    assert case.says in got.stderr
    assert got.after - got.before == set(case.creates), "files appeared"
    assert got.before - got.after == set(), "files disappeared"
    assert got.audit_after == (None if got.audit_before is None else got.audit_before + case.audit_added)
