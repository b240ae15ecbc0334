"""Crash during saves: a child process saves calls in a loop and is killed (SIGKILL) at a random
moment, again and again. Every call whose save was reported done must be in the database exactly
once, and ``PRAGMA integrity_check`` must say ok.

    .venv/bin/python scripts/crash_test.py --rounds 1000      # the full run (≈ 10 minutes)

The test suite runs the same code with a few rounds (tests/store/test_crash.py)."""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import sys
from datetime import timedelta
from reception.services import calls
from reception.store import db
from reception.services.calls import CallInput, Outcome
from reception.store.models import Operator
from reception.services.session import Session
db.open_database(sys.argv[1])
session = Session(Operator.get_by_id(1))
prefix = sys.argv[2]
i = 0
print("ready", flush=True)
while True:
    i += 1
    token = f"{prefix}-{i}"
    data = CallInput(started_at=session.now() - timedelta(seconds=30), category="咨询", content=token,
                     answer="答", outcome=Outcome.ANSWERED if i % 3 else Outcome.CALLBACK,
                     caller_phone="13800138000", callback_due_at=session.now() + timedelta(hours=1),
                     client_token=token)
    result = calls.register_call(session, data)
    print("saved", token, result.call.serial, flush=True)
"""


@dataclass
class Outcome:
    rounds: int
    reported: int
    present: int
    duplicates: int
    missing: list[str]
    integrity: str


def prepare(path: Path) -> None:
    from reception.services import auth
    from reception.store import db
    from reception.store.migrations import migrate

    database = db.open_database(path)
    migrate(database)
    auth.initial_setup(auth.SetupInput("崩溃测试物业", "", "admin", "管理员", "secret12", "secret12"))
    db.close_database()


def run(rounds: int, folder: Path, seed: int = 7, max_delay: float = 0.25) -> Outcome:
    rng = random.Random(seed)
    path = folder / "crash.db"
    prepare(path)
    reported: list[str] = []
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for round_no in range(rounds):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(path), f"r{round_no}"],
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env=env,
        )
        assert child.stdout is not None
        if child.stdout.readline().strip() != "ready":
            raise RuntimeError("child did not start")
        time.sleep(rng.uniform(0, max_delay))
        os.kill(child.pid, signal.SIGKILL)
        out, _ = child.communicate()
        reported += [line.split()[1] for line in out.splitlines() if line.startswith("saved ")]
    con = sqlite3.connect(path)
    try:
        integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
        rows = [r[0] for r in con.execute("SELECT content FROM call")]
        serials = [r[0] for r in con.execute("SELECT serial FROM call")]
    finally:
        con.close()
    counts: dict[str, int] = {}
    for content in rows:
        counts[content] = counts.get(content, 0) + 1
    missing = [t for t in reported if counts.get(t, 0) == 0]
    duplicates = sum(1 for n in counts.values() if n > 1) + (len(serials) - len(set(serials)))
    return Outcome(
        rounds, len(reported), sum(1 for t in reported if counts.get(t) == 1), duplicates, missing, integrity
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=1000)
    args = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        result = run(args.rounds, Path(tmp))
    print(
        f"rounds {result.rounds}: reported saved {result.reported}, present exactly once {result.present}, "
        f"duplicates {result.duplicates}, missing {len(result.missing)}, integrity_check {result.integrity}, "
        f"{time.monotonic() - started:.0f} s"
    )
    ok = not result.missing and result.duplicates == 0 and result.integrity == "ok"
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
