"""The project's benchmark: ten years of records, every figure next to its physical floor.

    .venv/bin/python benchmarks/run.py [--size full|small] [--runs 7] [--postgres ADDRESS]

Builds (once, cached by size and schema version) the ten-year database of ``build_db.py``, then
measures each figure and, in the same run and interleaved with it, its floor — what the same
work costs with nothing of the program around it — and reports median, p95 and the ratio of the
medians (absolute times drift on a shared machine; ratios much less). Prints a table and writes
``bench-results/latest.json``. Not collected by pytest (``norecursedirs``).

Every measurement works on a copy of the cached database in ``bench-results/work/`` (start-up
logs in, saves write), so the cached file stays as built.

``--postgres ADDRESS`` (a server whose role may create databases) adds the step ``postgres``: the
same site moved onto that server once (``server_db.py``, cached by size and schema version), and
the figures that mean something there — start-up, saves, search as you type, the call list, the
status bar's counts and the poll for other desks' changes, the reports and the on-site list —
measured by the same functions, each on a fresh clone of it, and in the same step on copies of
the SQLite file, for a side-by-side table. Figures of the file alone (its import into a fresh file, the
badge, which touches no database) are not repeated there.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import build_db  # noqa: E402
import server_db  # noqa: E402

RESULTS = ROOT / "bench-results"
WORK = RESULTS / "work"


# ---- statistics -----------------------------------------------------------------------------
def p95(values: list[float]) -> float:
    s = sorted(values)
    if len(s) == 1:
        return s[0]
    k = 0.95 * (len(s) - 1)
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


class Result:
    def __init__(self, key: str, label: str, unit: str = "ms") -> None:
        self.key = key
        self.label = label
        self.unit = unit
        self.samples: list[float] = []
        self.floor: list[float] = []
        self.floor_label = ""
        self.goal = ""
        self.met: bool | None = None
        self.note = ""

    @property
    def median(self) -> float | None:
        return statistics.median(self.samples) if self.samples else None

    @property
    def p95(self) -> float | None:
        return p95(self.samples) if self.samples else None

    @property
    def floor_median(self) -> float | None:
        return statistics.median(self.floor) if self.floor else None

    @property
    def ratio(self) -> float | None:
        if self.median is None or not self.floor_median:
            return None
        return self.median / self.floor_median

    def judge(
        self, *, max_ratio: float | None = None, max_median: float | None = None, max_p95: float | None = None
    ) -> None:
        parts, ok = [], True
        if self.median is None:
            self.met = None
            return
        if max_ratio is not None:
            parts.append(f"≤ {max_ratio:g}×")
            ok &= self.ratio is not None and self.ratio <= max_ratio
        if max_median is not None:
            parts.append(f"≤ {max_median:g} {self.unit}")
            ok &= self.median <= max_median
        if max_p95 is not None:
            parts.append(f"p95 ≤ {max_p95:g} {self.unit}")
            ok &= self.p95 is not None and self.p95 <= max_p95
        self.goal = ", ".join(parts)
        self.met = ok

    def as_dict(self) -> dict:
        r = lambda v: None if v is None else round(v, 3)  # noqa: E731
        return {
            "key": self.key,
            "label": self.label,
            "unit": self.unit,
            "n": len(self.samples),
            "median": r(self.median),
            "p95": r(self.p95),
            "floor": self.floor_label,
            "floor_median": r(self.floor_median),
            "floor_p95": r(p95(self.floor)) if self.floor else None,
            "ratio": r(self.ratio),
            "goal": self.goal,
            "met": self.met,
            "note": self.note,
            "samples": [round(v, 3) for v in self.samples],
            "floor_samples": [round(v, 3) for v in self.floor],
        }


def timed(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000


# ---- the machine ----------------------------------------------------------------------------
def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    import peewee
    import PySide6
    import reportlab

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "pyside6": PySide6.__version__,
        "peewee": peewee.__version__,
        "reportlab": reportlab.Version,
        "platform": platform.platform(),
        "qt_platform": os.environ.get("QT_QPA_PLATFORM", ""),
    }


@dataclass(frozen=True)
class Server:
    """The ten-year site on a PostgreSQL server (``--postgres``): the server's address and the
    cached database there (``server_db.ensure``)."""

    address: str
    database: str

    def fresh_copy(self) -> str:
        """The address of a fresh clone of the cached database (the one of the previous
        measurement is dropped), as each measurement on SQLite gets a fresh copy of the file."""
        return server_db.work_copy(self.address, self.database)


# Where a measurement runs: the cached SQLite file or the site on a server; either way each
# measurement works on a fresh copy of it.
Target = Path | Server


def fresh_copy(src: Target, name: str) -> Path:
    """A data folder holding a copy of ``src`` as its reception.db (empty for a server: the
    database is there)."""
    folder = WORK / name
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    if not isinstance(src, Server):
        shutil.copyfile(src, folder / "reception.db")
    return folder


# ---- start-up (fresh processes) ---------------------------------------------------------------
APP_ROOT = ROOT  # --app-root: start the program from another checkout (a scratch copy with a fix)


# Runs the target in the child and, at exit, prints the child's own peak RSS (VmHWM of its
# address space). ru_maxrss from wait4() would not do: on Linux a child's ru_maxrss includes
# the RSS the forked copy of this (large) benchmark process had before exec.
_PEAK_WRAPPER = """
import atexit, runpy, sys
def _peak():
    for line in open('/proc/self/status'):
        if line.startswith('VmHWM:'):
            print('PEAKRSS', line.split()[1], flush=True)
atexit.register(_peak)
kind, target = sys.argv[1], sys.argv[2]
sys.argv = [target, *sys.argv[3:]]
if kind == '-m':
    runpy.run_module(target, run_name='__main__', alter_sys=True)
else:
    runpy.run_path(target, run_name='__main__')
"""


def _spawn(cmd: list[str], env: dict[str, str], timeout: float = 120) -> tuple[float, int]:
    """(ms from just before the spawn to the child's READY line, the child's peak RSS in KiB)."""
    t0 = time.monotonic()
    proc = subprocess.Popen(
        cmd,
        cwd=APP_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    ready: list[float] = []
    peak: list[int] = []
    login: list[float] = []
    out: list[str] = []

    def reader() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            out.append(line)
            if line.startswith("READY ") and not ready:
                ready.append(float(line.split()[1]))
            elif line.startswith("PEAKRSS "):
                peak.append(int(line.split()[1]))
            elif line.startswith("LOGIN ") and not login:
                login.append(float(line.split()[1]))

    err: list[str] = []
    threads = [
        threading.Thread(target=reader, daemon=True),
        threading.Thread(target=lambda: err.extend(proc.stderr or []), daemon=True),
    ]
    for t in threads:
        t.start()
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    for t in threads:
        t.join(5)
    if not ready:
        raise RuntimeError(
            f"{cmd} gave no READY line (exit {proc.returncode}):\n{''.join(out)}\n{''.join(err)[-3000:]}"
        )
    if not peak:
        raise RuntimeError(f"{cmd} did not report its peak RSS:\n{''.join(out)}")
    LAST_LOGIN_TO_READY[:] = [(ready[0] - login[0]) * 1000] if login else []
    return (ready[0] - t0) * 1000, peak[0]


LAST_LOGIN_TO_READY: list[float] = []  # the last spawn's LOGIN → READY (ms), when it logged in


def bench_startup(target: Target, runs: int, log) -> tuple[Result, ...]:
    data_dir = fresh_copy(target, "startup")
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM=env.get("QT_QPA_PLATFORM", "offscreen"),
        RECEPTION_READY_EXIT="1",
        RECEPTION_AUTO_LOGIN=f"{build_db.BENCH_USER}:{build_db.BENCH_PASSWORD}",
    )
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # any value, even "0", would stop .pyc caching
    program = [sys.executable, "-c", _PEAK_WRAPPER, "-m", "ui.launcher", "--data-dir", str(data_dir)]
    if isinstance(target, Server):
        program += ["--database", target.fresh_copy()]
    floor = [sys.executable, "-c", _PEAK_WRAPPER, "path", str(HERE / "floor_window.py")]
    start = Result("startup", "start-up to main window shown and idle (ten-year DB, logged in)")
    start.floor_label = "bare QMainWindow, 3 tabs of empty QTableViews (fresh process)"
    memory = Result("startup_rss", "peak memory (VmHWM) of that start-up", unit="MB")
    memory.floor_label = "the same bare window"
    _spawn(program, env)  # warm the page cache and the .pyc files, not measured
    _spawn(floor, env)
    for i in range(runs):
        for cmd, is_floor in (
            ((program, False), (floor, True)) if i % 2 == 0 else ((floor, True), (program, False))
        ):
            ms, rss = _spawn(cmd, env)
            (start.floor if is_floor else start.samples).append(ms)
            (memory.floor if is_floor else memory.samples).append(rss / 1024)
        log(
            f"    start-up run {i + 1}/{runs}: "
            f"program {start.samples[-1]:.0f} ms, floor {start.floor[-1]:.0f} ms"
        )
    start.judge(max_ratio=1.3)
    memory.judge(max_ratio=2.0)

    # The first window comes first: start-up to the login window (the database checked and opened
    # behind it), against the same floor; and from the password accepted to the main window.
    login_env = {k: v for k, v in env.items() if k != "RECEPTION_AUTO_LOGIN"}
    login_env["RECEPTION_READY_AT"] = "login"
    to_login = Result("startup_login", "start-up to login window shown and idle (ten-year DB)")
    to_login.floor_label = start.floor_label
    to_window = Result("login_to_window", "login to main window shown and idle (ten-year DB)")
    _spawn(program, login_env)
    for i in range(runs):
        order = ((program, False), (floor, True)) if i % 2 == 0 else ((floor, True), (program, False))
        for cmd, is_floor in order:
            ms, _rss = _spawn(cmd, env if is_floor else login_env)
            (to_login.floor if is_floor else to_login.samples).append(ms)
        _spawn(program, env)
        to_window.samples.extend(LAST_LOGIN_TO_READY)
        log(
            f"    login window run {i + 1}/{runs}: {to_login.samples[-1]:.0f} ms; "
            f"login → window {to_window.samples[-1]:.0f} ms"
        )
    to_login.judge(max_ratio=1.3)
    to_window.judge(max_median=250)
    return start, memory, to_login, to_window


# ---- in-process figures -----------------------------------------------------------------------
def open_copy(target: Target, name: str):
    """Open (as the program does) a copy of the SQLite file, or a fresh clone of the server's."""
    from reception.store import db
    from reception.store.migrations import migrate

    folder = fresh_copy(target, name)
    database = db.open_database(
        target.fresh_copy() if isinstance(target, Server) else folder / "reception.db"
    )
    migrate(database, backup_dir=folder / "backups")
    return folder, database


# A row as wide as a visit (37 columns): what the floor of a save writes.
VISIT_WIDE_ROW = [
    "LF20261126-001",
    "guest",
    "2026-11-26 01:00:00",
    "2",
    "17",
    "探亲访友",
    "",
    "",
    "",
    "陈思远",
    "13900000001",
    "1",
    "沪A12345",
    "居民身份证",
    "1101**********002X",
    "f" * 64,
    "1",
    "3栋2单元1201",
    "3栋2单元",
    "",
    "",
    "同意",
    "2026-11-26 01:00:00",
    "",
    "0",
    "",
    "",
    "在场",
    "2026-11-26 05:00:00",
    "",
    "",
    "0",
    "",
    "1",
    "2026-11-26 01:00:00",
    "",
    "",
]


def _save_floor(folder: Path, server: str | None) -> tuple[str, Callable[[], None], Callable[[], None]]:
    """The floor of a save: one row as wide as a visit, INSERT + COMMIT, with nothing of the
    program around it — in a SQLite file in the same folder (WAL + synchronous=FULL), or in the
    same database of the ``server`` address. Returns (label, one save, close)."""
    cols = [f"c{i}" for i in range(37)]
    create = f"CREATE TABLE visit_like (id INTEGER PRIMARY KEY, {', '.join(c + ' TEXT' for c in cols)})"
    if server is not None:
        import psycopg2

        connection = psycopg2.connect(server)
        with connection.cursor() as cur:
            cur.execute(create.replace("INTEGER PRIMARY KEY", "SERIAL PRIMARY KEY"))
        connection.commit()
        insert = f"INSERT INTO visit_like ({', '.join(cols)}) VALUES ({', '.join(['%s'] * 37)})"

        def server_save() -> None:
            with connection.cursor() as cur:
                cur.execute(insert, VISIT_WIDE_ROW)
            connection.commit()

        return "raw psycopg2 INSERT + COMMIT, same width, same server database", server_save, connection.close
    raw = sqlite3.connect(folder / "floor.db", isolation_level=None)
    raw.execute("PRAGMA journal_mode=WAL")
    raw.execute("PRAGMA synchronous=FULL")
    raw.execute(create)
    sql = f"INSERT INTO visit_like ({', '.join(cols)}) VALUES ({', '.join('?' * 37)})"

    def raw_save() -> None:
        raw.execute("BEGIN IMMEDIATE")
        raw.execute(sql, VISIT_WIDE_ROW)
        raw.execute("COMMIT")

    return "raw sqlite3 INSERT + COMMIT, same width, WAL + FULL, same folder", raw_save, raw.close


def bench_save(target: Target, n: int, *, kind: str = "guest", desk_wait: bool = False) -> Result:
    """One save, ``kind`` "guest" (visits.register_guest) or "call" (calls.register_call, answered
    on the spot). ``desk_wait``: with the window's short wait for another desk's write lock (what
    a desk pays: on a server two more statements in the transaction)."""
    from reception import demo
    from reception.clock import Clock
    from reception.services import auth
    from reception.services import calls
    from reception.services import visits
    from reception.store import db
    from reception.store.models import Resident

    folder, _database = open_copy(target, "save")
    session = auth.login(build_db.BENCH_USER, build_db.BENCH_PASSWORD, Clock())
    hosts = [r.id for r in Resident.select(Resident.id).order_by(Resident.id).limit(200)]

    def save_guest(i: int) -> None:
        visits.register_guest(
            session,
            visits.GuestInput(
                visitor_name="陈思远",
                visitor_phone=f"139{i:08d}",
                id_number=demo.DEMO_IDS[i % len(demo.DEMO_IDS)],
                id_verified=True,
                host_resident_id=hosts[i % len(hosts)],
                purpose="探亲访友",
                consent=visits.AGREED,
                plate="沪A12345",
            ),
        )

    def save_call(i: int) -> None:
        calls.register_call(
            session,
            calls.CallInput(
                started_at=session.now() - timedelta(seconds=75),
                category="咨询",
                content="问物业费标准",
                answer="已按收费标准答复",
                outcome=calls.Outcome.ANSWERED,
                resident_id=hosts[i % len(hosts)],
            ),
        )

    if kind == "call":
        save = save_call
        result = Result("save_call", "one save: calls.register_call, answered (audit entry, serial number)")
    else:
        save = save_guest
        result = Result("save", "one save: visits.register_guest (audit entry, serial number)")
    if desk_wait:
        db.set_interactive_wait(800)  # what the window sets (reception.store.startup)
        result.note = "with the window's 800 ms lock wait, as a desk saves"
    server = db.address() if isinstance(target, Server) else None
    result.floor_label, raw_save, close_floor = _save_floor(folder, server)
    try:
        for i in range(3):
            save(10_000 + i)
            raw_save()
        for i in range(n):
            result.samples.append(timed(lambda i=i: save(i)))
            result.floor.append(timed(raw_save))
    finally:
        close_floor()
        db.set_interactive_wait(None)
        db.close_database()
    result.judge(max_ratio=3.0)
    return result


def search_inputs(*, serials: bool = False) -> dict[str, list[str]]:
    """Typed inputs taken from the directory (deterministic: the first residents that fit);
    ``serials``: also the beginning of serial numbers (six calls spread over the ten years)."""
    import peewee

    from reception.store.models import Call
    from reception.store.models import Resident

    three = [r for r in Resident.select().order_by(Resident.id) if len(r.name) == 3][::97][:6]
    people = list(Resident.select().order_by(Resident.id))[::431][:6]
    inputs = {
        "1 Chinese character (surname)": [r.name[0] for r in three],
        "2 Chinese characters": [r.name[:2] for r in three],
        "3 Chinese characters (full name)": [r.name for r in three],
        "last 4 digits of a phone": [r.phone[-4:] for r in people],
        "a room (3-2-1201)": [f"{r.building}-{r.unit}-{r.room}" for r in people],
    }
    if serials:
        top = Call.select(peewee.fn.MAX(Call.id)).scalar()
        spread = [
            Call.select(Call.serial).where(Call.id >= top * k // 7).order_by(Call.id).limit(1).scalar()
            for k in range(1, 7)
        ]
        inputs["a serial being typed (LD20230412-0)"] = [s[:12] for s in spread]
    return inputs


def bench_search(target: Target, repeats: int, *, serials: bool = False) -> list[Result]:
    from reception.clock import local_day_bounds
    from reception.services import calls
    from reception.services import residents
    from reception.store import db
    from reception.store.models import Call

    open_copy(target, "search")
    inputs = search_inputs(serials=serials)
    day = build_db.END_LOCAL.date() - timedelta(days=3)
    start, end = local_day_bounds(day)

    def floor_query() -> None:
        rows = list(
            Call.select().where((Call.saved_at >= start) & (Call.saved_at < end)).order_by(Call.saved_at)
        )
        assert rows

    for _ in range(3):
        floor_query()
    out: list[Result] = []
    for kind, texts in inputs.items():
        for fn_name, fn in (
            ("residents.lookup", lambda t: residents.lookup(t)),
            (
                "calls.list_calls(search, 0, 200)",
                lambda t: calls.list_calls(calls.CallFilter(search=t), 0, 200),
            ),
            ("calls.count_calls(search)", lambda t: calls.count_calls(calls.CallFilter(search=t))),
        ):
            r = Result(f"search:{fn_name}:{kind}", f"search as you type — {fn_name} — {kind}")
            r.floor_label = "indexed range query: one day of calls by saved_at"
            r.note = "inputs: " + "、".join(texts)
            for t in texts:
                fn(t)  # first use of this text, not measured (page cache)
            for _ in range(repeats):
                for t in texts:
                    r.samples.append(timed(lambda t=t, fn=fn: fn(t)))
                    r.floor.append(timed(floor_query))
            if fn_name.startswith("calls.count"):
                r.note += " (what the call list also runs for its row count when the search is typed)"
                r.judge(max_p95=30)
            else:
                r.judge(max_p95=30)
            out.append(r)
    db.close_database()
    return out


def call_list_views() -> list[tuple[str, str, object]]:
    """The call list as a desk opens it: (key, label, filter). The first is the default run's."""
    from reception.services import calls

    last = build_db.END_LOCAL.date()
    return [
        (
            "call_list_all",
            "call list, 全部日期 (≈ all calls): model built, first page, first 30 rows painted",
            calls.CallFilter(),
        ),
        ("call_list_today", "call list, 今天 (the last day)", calls.CallFilter(date_from=last, date_to=last)),
        (
            "call_list_month_category",
            "call list, 本月 + 类别 报修",
            calls.CallFilter(date_from=last.replace(day=1), date_to=last, category="报修"),
        ),
        (
            "call_list_all_outcome",
            "call list, 全部日期 + 结果 待回电",
            calls.CallFilter(outcome=calls.Outcome.CALLBACK),
        ),
    ]


def bench_call_list(target: Target, n: int, *, views: int = 1) -> list[Result]:
    """The call list model opened with the first ``views`` of :func:`call_list_views`; with more
    than one, also the next page of the first (the view scrolled to its end: ``fetchMore``)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from reception.clock import Clock
    from reception.services import calls
    from reception.store import db
    from ui.calls.call_list_model import COLUMN_COUNT
    from ui.calls.call_list_model import CallListModel

    app = QApplication.instance() or QApplication([])
    open_copy(target, "call-list")
    clock = Clock()
    visible = 30

    def open_list(f: calls.CallFilter) -> CallListModel:
        model = CallListModel(now=clock.now)
        model.set_filter(f)
        assert model.rowCount() > 0
        for row in range(min(visible, model.rowCount())):
            for col in range(COLUMN_COUNT):
                index = model.index(row, col)
                model.data(index, Qt.ItemDataRole.DisplayRole)
                model.data(index, Qt.ItemDataRole.BackgroundRole)
        return model

    out: list[Result] = []
    for key, label, f in call_list_views()[:views]:
        r = Result(key, label)
        r.floor_label = "—"
        open_list(f)
        for _ in range(n):
            r.samples.append(timed(lambda f=f: open_list(f)))
        r.note = f"{calls.count_calls(f):,} calls match"
        r.judge(max_median=100)
        out.append(r)
    if views > 1:
        key, label, f = call_list_views()[0]
        r = Result(f"{key}_next_page", "call list, 全部日期: the next page (fetchMore, rows 201–400)")
        r.floor_label = "—"
        for _ in range(n):
            model = open_list(f)
            assert model.canFetchMore()
            r.samples.append(timed(model.fetchMore))
        r.judge(max_median=100)
        out.append(r)
    db.close_database()
    del app
    return out


def bench_badge(n: int) -> Result:
    from reception.documents import pdf_fonts
    from reception.documents.badge import BadgeData
    from reception.documents.badge import render_badge
    from reception.documents.badge import render_plain_text_floor

    pdf_fonts.font_name()  # font already loaded
    data = BadgeData(
        property_name="阳光花园物业",
        pass_no="LF20261126-012",
        visitor_name="陈思远",
        destination="3栋2单元",
        purpose="探亲访友",
        issued_at=datetime(2026, 11, 26, 9, 30),
        valid_until=datetime(2026, 11, 26, 13, 30),
        party_size=2,
    )
    r = Result("badge", "one visitor badge PDF (62×100, QR code), font already loaded")
    r.floor_label = "badge.render_plain_text_floor: same text, no QR"
    for _ in range(3):
        render_badge(data)
        render_plain_text_floor(data)
    for _ in range(n):
        r.samples.append(timed(lambda: render_badge(data)))
        r.floor.append(timed(lambda: render_plain_text_floor(data)))
    r.judge(max_ratio=1.5, max_median=25)
    return r


def bench_card_reader(n: int) -> Result:
    """Card on the reader → guest form filled: from the moment the fake reader (a pseudo-terminal,
    real frames) has written its answer to 读基本信息 to the ID number in the form, through the
    reader thread, the frame checks, the layout, the repeat filter, the form and the appointment
    and watch-list look-up. Floor: checking and decoding the same answer alone."""
    from PySide6.QtWidgets import QApplication
    from stdnum.cn import ric

    from reception.clock import FixedClock
    from reception.rules import idcard
    from reception.services import auth
    from reception.services import card_reader as cr
    from reception.store import db
    from reception.store.migrations import migrate
    from tests.fake_card_reader import FakeReader
    from ui.qt_compat import protect_singletons
    from ui.visits import card_reader as ui_reader
    from ui.visits.visit_tab import VisitTab

    protect_singletons()  # as the application does (PySide6 6.12 on Python 3.11)
    app = QApplication.instance() or QApplication([])
    folder = WORK / "cardreader"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    database = db.open_database(folder / "reception.db")
    migrate(database, backup_dir=folder / "backups")
    clock = FixedClock(datetime(2026, 11, 26, 1, 0))
    setup = auth.SetupInput("阳光花园物业", "021-50000000", "admin", "王管理", "secret12", "secret12")
    auth.initial_setup(setup, clock)
    session = auth.login("admin", "secret12", clock)
    reader = FakeReader()
    tab = VisitTab(session)
    tab.resize(1280, 800)
    tab.show()
    tab.new_guest()
    form = tab.guest_form
    tab.use_reader(cr.SERIAL, reader.path)

    def card(i: int) -> bytes:
        base = f"11010519800101{i:03d}"
        return idcard.encode_text(name="陈思远", id_number=base + ric.calc_check_digit(base + "0"))

    r = Result("cardreader", "card on the reader → guest form filled (fake reader on a pty)")
    r.floor_label = "idcard.parse_answer + parse_basic_info of the same answer"
    try:
        for i in range(n + 3):
            form.reset()
            reader.answered_at.clear()
            reader.card = card(i)
            deadline = time.perf_counter() + 10
            while not form.id_number_edit.text() and time.perf_counter() < deadline:
                app.processEvents()
                time.sleep(0.0005)
            filled = time.perf_counter()
            if not form.id_number_edit.text() or not reader.answered_at:
                raise RuntimeError(f"the card was not read: {tab.reader_status.text()}")
            answer = idcard.basic_info_answer(reader.card)
            reader.card = None
            if i >= 3:
                r.samples.append((filled - reader.answered_at[-1]) * 1000)
                r.floor.append(timed(lambda a=answer: idcard.parse_basic_info(idcard.parse_answer(a).data)))
    finally:
        ui_reader.stop_shared()
        tab.close()
        reader.close()
        db.close_database()
    r.judge(max_p95=300)
    return r


def bench_phone(target: Target, n: int) -> Result:
    """A ring → the 来电 tab in front with the call form showing the resident matched and the
    caller panel (recent calls, open cases, messages, expected visitors) filled: from the
    moment an adapter puts the event into the hub to both on screen, through the hub's wake-up,
    the ring recorded (one write transaction with its audit record), the resident look-up, the
    form and the panel. Floor: the same look-up and caller panel queries called directly."""
    import random

    from PySide6.QtWidgets import QApplication

    from reception.clock import FixedClock
    from reception.clock import to_utc
    from reception.phone.events import RING
    from reception.phone.events import PhoneEvent
    from reception.services import auth
    from reception.services import phone_line
    from reception.store import db
    from reception.store.models import Call
    from reception.store.models import Resident
    from reception.store.paths import DataDir
    from ui.main_window import MainWindow
    from ui.qt_compat import protect_singletons

    protect_singletons()
    app = QApplication.instance() or QApplication([])
    folder, _database = open_copy(target, "phone")
    clock = FixedClock(to_utc(build_db.END_LOCAL - timedelta(hours=2)))
    session = auth.login(build_db.BENCH_USER, build_db.BENCH_PASSWORD, clock)
    # callers who call: residents whose number is on recorded calls (the panel has work to do)
    rng = random.Random(build_db.SEED)
    callers = [
        r
        for r in Resident.select().where((Resident.phone != "") & (Resident.active == True))  # noqa: E712
        if Call.select(Call.id).where(Call.caller_phone == r.phone).limit(1).exists()
        or Call.select(Call.id).where(Call.resident == r.id).limit(1).exists()
    ]
    rng.shuffle(callers)
    win = MainWindow(session, clock, data_dir=DataDir(folder))
    win.resize(1366, 768)
    win.show()
    app.processEvents()
    form, panel = win.call_tab.form, win.call_tab.caller_panel
    r = Result("phone_pop", "ring → 来电 form with the resident matched and the caller panel (pop)")
    r.floor_label = "phone_line.lookup + caller_panel of the same number"
    matched = 0
    try:
        for i in range(n + 3):
            resident = callers[i % len(callers)]
            form.reset()
            panel.clear()
            win.tabs.setCurrentIndex(1)
            app.processEvents()
            event = PhoneEvent(RING, "simulate", f"bench-{i}", number=resident.phone, line="8001")
            clock.advance(seconds=60)
            t0 = time.perf_counter()
            win.phone.hub.put(event)
            deadline = t0 + 10
            while time.perf_counter() < deadline:
                app.processEvents()
                if form.ring_id() is not None and panel.caller.text() != "没有来电":
                    break
            shown = time.perf_counter()
            if form.ring_id() is None:
                raise RuntimeError("the ring did not pop")
            if win.tabs.currentWidget() is not win.call_tab:
                raise RuntimeError("the 来电 tab did not come forward")
            if i >= 3:
                matched += form.lookup.text() == resident.name
                r.samples.append((shown - t0) * 1000)

                def floor(number: str = resident.phone) -> None:
                    found = phone_line.lookup(number)
                    phone_line.caller_panel(number, found, clock.now())

                r.floor.append(timed(floor))
    finally:
        win.phone.stop()
        form.reset()
        win.close()
        db.close_database()
    r.note = f"{matched}/{n} callers matched to one resident; {len(callers):,} residents who call"
    r.judge(max_p95=150)
    return r


def bench_handover(target: Target, n: int) -> list[Result]:
    from reception.clock import to_utc
    from reception.services import handover
    from reception.services import shifts
    from reception.store import db
    from reception.store.models import Call

    open_copy(target, "handover")
    day = build_db.HANDOVER_DAY
    shift = shifts.find(day, 1)  # the day shift (08:00–20:00), most of the day's work
    shift_now = to_utc(datetime.combine(day, datetime.min.time()) + timedelta(hours=20, minutes=5))
    day_now = to_utc(datetime.combine(day + timedelta(days=1), datetime.min.time()) + timedelta(hours=8))
    window = shifts.day_window(day)
    figures = handover._figures(window.start, window.end)
    events = sum(figures.values())
    out: list[Result] = []
    try:
        from reception.documents import handover_report
    except ImportError:
        handover_report = None
    tasks: list[tuple[str, str, Callable[[], object], float]] = [
        (
            "handover_data_day",
            f"日报 data (handover.for_day) of a day with {events:,} events",
            lambda: handover.for_day(day, day_now),
            300,
        ),
        (
            "handover_data_shift",
            "交接班 data (handover.for_shift) of that day's day shift",
            lambda: handover.for_shift(shift, shift_now),
            300,
        ),
    ]
    if handover_report is not None:
        tasks = [
            (
                "handover_pdf_day",
                f"日报 PDF (handover_report.daily_pdf) of a day with {events:,} events",
                lambda: handover_report.daily_pdf(day, day_now),
                300,
            ),
            (
                "handover_pdf_shift",
                "交接班报告 PDF (handover_report.handover_pdf_for_shift), day shift",
                lambda: handover_report.handover_pdf_for_shift(shift.id, shift_now),
                300,
            ),
            *tasks,
        ]
    else:
        r = Result("handover_pdf_day", "handover report PDF")
        r.note = "not available yet: reception/documents/handover_report.py is absent"
        out.append(r)
    for key, label, fn, goal in tasks:
        r = Result(key, label)
        r.floor_label = "—"
        r.note = "the day: " + ", ".join(f"{k} {v}" for k, v in figures.items())
        fn()
        for _ in range(n):
            r.samples.append(timed(fn))
        r.judge(max_median=goal)
        out.append(r)
    calls_that_day = (
        Call.select().where((Call.saved_at >= window.start) & (Call.saved_at < window.end)).count()
    )
    assert calls_that_day > 0
    db.close_database()
    return out


def bench_desk_checks(target: Target, n: int) -> list[Result]:
    """What every desk runs over and over: the poll for changes saved by any desk
    (``changes.latest_change``, every 2.5 s) and the status bar's counts (``counters.desk_counts``,
    after each change seen). The poll's floor is a bare ``SELECT 1`` over the same kind of
    connection (a round trip to the server; on SQLite a statement on the open file)."""
    from reception.clock import Clock
    from reception.services import counters
    from reception.store import changes
    from reception.store import db

    _folder, database = open_copy(target, "desk-checks")
    now = Clock().now()

    def bare() -> None:
        database.execute_sql("SELECT 1").fetchone()

    poll = Result("latest_change", "poll for other desks' changes: changes.latest_change (every 2.5 s)")
    poll.floor_label = "SELECT 1 on the same connection"
    counts = Result("desk_counts", "status bar counts: counters.desk_counts (after each change seen)")
    counts.floor_label = "—"
    for _ in range(5):
        changes.latest_change()
        bare()
        counters.desk_counts(now)
    for _ in range(n):
        poll.samples.append(timed(changes.latest_change))
        poll.floor.append(timed(bare))
    for _ in range(max(n // 10, 10)):
        counts.samples.append(timed(lambda: counters.desk_counts(now)))
    poll.note = f"latest change {changes.latest_change():,}"
    counts.note = str(counters.desk_counts(now))
    counts.judge(max_median=100)
    db.close_database()
    return [poll, counts]


def bench_on_site(target: Target, n: int) -> Result:
    """The on-site list (在场访客名单) as the panel prints it: the visitors on site read and the
    PDF made."""
    from reception.clock import Clock
    from reception.documents import onsite_list
    from reception.documents import pdf_fonts
    from reception.services import settings as settings_mod
    from reception.services import visits
    from reception.store import db

    open_copy(target, "on-site")
    now = Clock().now()
    pdf_fonts.font_name()  # font already loaded, as for the badge

    def make() -> bytes:
        return onsite_list.render_on_site_list(
            visits.on_site(), property_name=settings_mod.load().property_name, now=now
        )

    r = Result("on_site_pdf", "在场访客名单 PDF (visits.on_site + onsite_list.render_on_site_list)")
    r.floor_label = "—"
    make()
    for _ in range(n):
        r.samples.append(timed(make))
    r.note = f"{len(visits.on_site())} visits on site"
    r.judge(max_median=300)
    db.close_database()
    return r


def _import_rows(n: int) -> list[list[str]]:
    import random

    from reception import demo

    rng = random.Random(20261126)
    rows, seen = [], set()
    while len(rows) < n:
        b, u, room = rng.randint(1, 40), rng.randint(1, 4), f"{rng.randint(2, 33)}{rng.randint(1, 6):02d}"
        name = demo._name(rng)
        if (b, u, room, name) in seen:
            continue
        seen.add((b, u, room, name))
        relation = rng.choice(["业主", "家属", "租户"])
        alt = demo._phone(rng) if rng.random() < 0.2 else ""
        rows.append(
            [f"{b}栋", f"{u}单元", room, name, relation, demo._phone(rng), alt, rng.choice(demo.NOTES)]
        )
    return rows


def bench_import(n: int) -> Result:
    from reception.clock import FixedClock
    from reception.services import auth
    from reception.services import residents_import
    from reception.services.residents import ResidentInput
    from reception.services.residents import clean
    from reception.services.residents import pinyin_initials
    from reception.store import db
    from reception.store.migrations import migrate

    rows = _import_rows(10_000)
    folder = WORK / "import"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    csv_path = folder / "业户-10000.csv"
    buf = io.StringIO(newline="")
    writer = csv.writer(buf)
    writer.writerow(["楼栋", "单元", "房号", "姓名", "身份", "手机", "备用电话", "备注"])
    writer.writerows(rows)
    csv_path.write_bytes(buf.getvalue().encode("gbk"))
    clock = FixedClock(datetime(2026, 11, 26, 1, 0))
    now = clock.now()
    cleaned = []
    for row in rows:
        c = clean(ResidentInput(*row))
        cleaned.append(
            (
                c.building,
                c.unit,
                c.room,
                c.name,
                c.relation,
                c.phone,
                c.phone_alt,
                c.note,
                pinyin_initials(c.name),
                1,
                now,
                now,
            )
        )

    def fresh_db(i: int):
        path = folder / f"fresh-{i}" / "reception.db"
        path.parent.mkdir()
        database = db.open_database(path)
        migrate(database)
        return path, database

    def run_import(i: int) -> float:
        _, _database = fresh_db(i)
        auth.initial_setup(
            auth.SetupInput("阳光花园物业", "021-50001234", "admin", "王建国", "pass1234", "pass1234"), clock
        )
        session = auth.login("admin", "pass1234", clock)
        report = None

        def go() -> None:
            nonlocal report
            report = residents_import.import_file(session, csv_path)

        ms = timed(go)
        assert report is not None and report.imported == len(rows), report.summary()
        db.close_database()
        return ms

    def run_floor(i: int) -> float:
        path, _database = fresh_db(100 + i)
        db.close_database()
        con = sqlite3.connect(path, isolation_level=None)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=FULL")

        def go() -> None:
            con.execute("BEGIN IMMEDIATE")
            con.executemany(
                'INSERT INTO "resident" ("building", "unit", "room", "name", "relation", "phone", '
                '"phone_alt", "note", "initials", "active", "created_at", "updated_at") '
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                cleaned,
            )
            con.execute("COMMIT")

        ms = timed(go)
        con.close()
        return ms

    r = Result("import", "importing 10,000 residents (CSV, GBK) with residents_import.import_file, fresh DB")
    r.floor_label = "raw executemany of the same rows (+ COMMIT), fresh DB"
    cold = run_import(0)
    for i in range(n):
        r.samples.append(run_import(i + 1))
        r.floor.append(run_floor(i))
    r.note = f"first import in the process (cold imports): {cold:.0f} ms"
    r.judge(max_median=1000)
    return r


# ---- the same site on a PostgreSQL server ------------------------------------------------------
BACKENDS = ("postgresql", "sqlite")


def bench_background_check(db_file: Path, runs: int) -> list[Result]:
    """The full check after a fast start (issue 15): the ten-year file's quick_check in the
    window's background thread, and the longest the UI thread went without running its event
    loop meanwhile (a 10 ms timer's largest gap; the bare gap without the check is the floor)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer
    from PySide6.QtCore import QEventLoop
    from PySide6.QtCore import QTimer

    from ui.app import DamageWatch
    from ui.app import create_application

    app = create_application([])
    copy = fresh_copy(db_file, "bgcheck") / "reception.db"
    duration = Result("bgcheck", "full quick_check after a fast start, in the background (ten-year DB)")
    stall = Result("bgcheck_stall", "longest UI-thread stall while it runs (10 ms timer)")
    stall.floor_label = "the same timer with no check running"

    def gaps(seconds_or_watch: object) -> tuple[float, float]:
        """(ms until the check's verdict — or the fixed time — arrived, the largest timer gap)."""
        loop = QEventLoop()
        clock, last, worst = QElapsedTimer(), [0.0], [0.0]
        clock.start()

        def tick() -> None:
            now = clock.nsecsElapsed() / 1e6
            worst[0] = max(worst[0], now - last[0])
            last[0] = now

        timer = QTimer()
        timer.setInterval(10)
        timer.timeout.connect(tick)
        timer.start()
        if isinstance(seconds_or_watch, float):
            QTimer.singleShot(int(seconds_or_watch * 1000), loop.quit)
            watch = None
        else:
            watch = DamageWatch(copy, lambda problem: loop.quit(), app)
            watch.start()
        loop.exec()
        timer.stop()
        elapsed = clock.nsecsElapsed() / 1e6
        if watch is not None:
            watch.wait()
        return elapsed, worst[0] - 10

    gaps(None)  # warm the page cache, not measured
    for _ in range(runs):
        ms, worst = gaps(None)
        duration.samples.append(ms)
        stall.samples.append(worst)
        stall.floor.append(gaps(ms / 1000)[1])
    stall.judge(max_median=50)
    stop = Result("bgcheck_stop", "closing during that check: stop() to thread finished")
    for _ in range(runs):
        watch = DamageWatch(copy, lambda problem: None, app)
        watch.start()
        time.sleep(0.3)
        t0 = time.perf_counter()
        watch.stop()
        stop.samples.append((time.perf_counter() - t0) * 1000)
    app.processEvents()
    stop.judge(max_median=100)
    return [duration, stall, stop]


def backend_suite(target: Target, runs: int, log) -> list[Result]:
    """The figures that mean something on either kind of database, measured on ``target``."""
    steps: list[tuple[str, Callable[[], list[Result]]]] = [
        ("start-up", lambda: list(bench_startup(target, runs, log))),
        ("saves", lambda: [bench_save(target, 40, kind=k, desk_wait=True) for k in ("call", "guest")]),
        ("search", lambda: bench_search(target, 3, serials=True)),
        ("call list", lambda: bench_call_list(target, 10, views=len(call_list_views()))),
        ("poll and counts", lambda: bench_desk_checks(target, 200)),
        ("reports", lambda: bench_handover(target, 5)),
        ("on-site list", lambda: [bench_on_site(target, 10)]),
    ]
    out: list[Result] = []
    for name, step in steps:
        t = time.perf_counter()
        out.extend(step())
        log(f"    {name} done in {time.perf_counter() - t:.0f} s")
    return out


def bench_postgres(db_file: Path, built: dict, address: str, runs: int, log, *, rebuild: bool = False):
    """The site on the server (made once, cached) and the suite on a clone of it, then the same
    suite on a copy of the SQLite file. Results are keyed ``postgresql:…`` and ``sqlite:…``."""
    log(f"  server database for {db_file.name} on {server_db.display_address(address)} …")
    info = server_db.ensure(address, built, WORK, force=rebuild, log=log)
    how = "cached" if info["cached"] else f"made in {info['total_s']:.0f} s"
    log(f"  {info['name']}: {info['size_mb']:,.0f} MB ({how})")
    info["server"] = server_db.server_info(address)
    server = Server(address, info["name"])
    results: list[Result] = []
    try:
        for backend in BACKENDS:
            log(f"  {backend} …")
            target: Target = server if backend == "postgresql" else db_file
            for r in backend_suite(target, runs, log):
                r.key = f"{backend}:{r.key}"
                results.append(r)
    finally:
        server_db.drop_work_copy(address, info["name"])
    return results, info


def comparison_table(results: list[Result]) -> str:
    """PostgreSQL next to SQLite, figure by figure (the ``postgresql:`` and ``sqlite:`` keys)."""
    pairs: dict[str, dict[str, Result]] = {}
    for r in results:
        backend, _, key = r.key.partition(":")
        if backend in BACKENDS:
            pairs.setdefault(key, {})[backend] = r
    lines = [
        "| figure | SQLite median / p95 | PostgreSQL median / p95 | PostgreSQL floor | PostgreSQL ratio "
        "| goal | PostgreSQL met? |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    for both in pairs.values():
        pg, lite = both.get("postgresql"), both.get("sqlite")
        first = pg or lite
        assert first is not None
        unit = "" if first.unit == "ms" else f" {first.unit}"

        def pair(r: Result | None, unit: str = unit) -> str:
            return "—" if r is None else f"{fmt(r.median)} / {fmt(r.p95)}{unit}"

        met = "—" if pg is None or pg.met is None else ("yes" if pg.met else "**no**")
        ratio = "—" if pg is None or pg.ratio is None else f"{pg.ratio:.2f}×"
        floor = "—" if pg is None or not pg.floor else f"{fmt(pg.floor_median)}{unit}"
        lines.append(
            f"| {first.label} | {pair(lite)} | {pair(pg)} | {floor} | {ratio} | {first.goal or '—'} | {met} |"
        )
    return "\n".join(lines)


# ---- report -----------------------------------------------------------------------------------
def fmt(v: float | None, unit: str = "ms") -> str:
    if v is None:
        return "—"
    return f"{v:,.1f}" if v < 100 else f"{v:,.0f}"


def table(results: list[Result]) -> str:
    lines = [
        "| figure | median | p95 | floor median | ratio | goal | met? |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    for r in results:
        met = "—" if r.met is None else ("yes" if r.met else "**no**")
        ratio = "—" if r.ratio is None else f"{r.ratio:.2f}×"
        unit = "" if r.unit == "ms" else f" {r.unit}"
        label = r.label if r.median is not None else f"{r.label} ({r.note})"
        lines.append(
            f"| {label} | {fmt(r.median)}{unit} | {fmt(r.p95)}{unit} | {fmt(r.floor_median)}"
            f"{unit if r.floor else ''} | {ratio} | {r.goal or '—'} | {met} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description="前台接待工作站 benchmark (ten years of records)")
    parser.add_argument("--size", choices=sorted(build_db.SIZES), default="full")
    parser.add_argument("--runs", type=int, default=7, help="start-up runs of the program and of the floor")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the ten-year database")
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated: startup,save,search,calllist,badge,handover,import,bgcheck,cardreader,"
        "phone,postgres",
    )
    parser.add_argument(
        "--postgres",
        metavar="ADDRESS",
        default="",
        help="also measure the site on this PostgreSQL server (postgresql://user@host:port/db; the role "
        "must be allowed to create databases): step 'postgres', PostgreSQL next to SQLite",
    )
    parser.add_argument("--rebuild-postgres", action="store_true", help="move the site onto the server again")
    parser.add_argument("--out", type=Path, default=RESULTS / "latest.json", help="the JSON results file")
    parser.add_argument(
        "--app-root",
        type=Path,
        default=None,
        help="start-up only: run the program from this checkout (e.g. a scratch copy with a fix), same venv",
    )
    args = parser.parse_args()
    if args.app_root is not None:
        global APP_ROOT
        APP_ROOT = args.app_root.resolve()
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    want = lambda name: not only or name in only  # noqa: E731
    began = time.perf_counter()
    log = lambda msg: print(msg, flush=True)  # noqa: E731

    info = machine()
    log(f"machine: {info['cpu']}, {info['cores']} cores, Python {info['python']}, SQLite {info['sqlite']}")
    built = build_db.ensure(args.size, force=args.rebuild, log=log)
    db_file = Path(built["path"])
    how = "cached" if built["cached"] else f"built in {built['build_s']:.0f} s"
    log(f"database: {db_file.name}, {built['records']:,} rows, {built['file_mb']:.0f} MB ({how})")

    results: list[Result] = []
    steps = [
        ("startup", lambda: bench_startup(db_file, args.runs, log)),
        ("save", lambda: [bench_save(db_file, 40)]),
        ("search", lambda: bench_search(db_file, 3)),
        ("calllist", lambda: bench_call_list(db_file, 10)),
        ("badge", lambda: [bench_badge(40)]),
        ("handover", lambda: bench_handover(db_file, 5)),
        ("import", lambda: [bench_import(3)]),
        ("bgcheck", lambda: bench_background_check(db_file, 3)),
        ("cardreader", lambda: [bench_card_reader(30)]),
        ("phone", lambda: [bench_phone(db_file, 40)]),
    ]
    server_info: dict | None = None
    if args.postgres:

        def on_server() -> list[Result]:
            nonlocal server_info
            results, server_info = bench_postgres(
                db_file, built, args.postgres, args.runs, log, rebuild=args.rebuild_postgres
            )
            return results

        steps.append(("postgres", on_server))
    for name, step in steps:
        if not want(name):
            continue
        t = time.perf_counter()
        log(f"  {name} …")
        results.extend(step())
        log(f"  {name} done in {time.perf_counter() - t:.0f} s")

    total = time.perf_counter() - began
    local = [r for r in results if r.key.partition(":")[0] not in BACKENDS]
    print()
    if local:
        print(table(local))
        print()
    if server_info is not None:
        print(f"PostgreSQL {server_info['server']['server_version']}: {server_info['name']}")
        print(comparison_table(results))
        print()
    print(f"database: {how}; whole run {total:.0f} s")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "when": datetime.now().isoformat(timespec="seconds"),
                "machine": info,
                "database": built,
                "run_s": round(total, 1),
                "results": [r.as_dict() for r in results],
                "table_md": table(local),
                **(
                    {"postgres": {**server_info, "table_md": comparison_table(results)}}
                    if server_info is not None
                    else {}
                ),
            },
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
    print(f"written: {args.out}")
    shutil.rmtree(WORK, ignore_errors=True)  # the copies of the database (several GB at full size)
    unmet = [r for r in results if r.met is False]
    return 1 if unmet else 0


if __name__ == "__main__":
    raise SystemExit(main())
