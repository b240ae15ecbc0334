#!/usr/bin/env python3
"""Set everything up and start the program, or run the tests — with nothing but Python.

    python3 dev.py start [reception arguments…]   e.g.  python3 dev.py start --data-dir ./演示数据
    python3 dev.py test  [pytest arguments…]
    python3 dev.py test-pg [pytest arguments…]    the service tests on PostgreSQL (Linux)

The first run creates ``.venv`` next to this file and installs the exact versions pinned in
``requirements.lock`` (hashes checked); later runs reinstall only when the lock file changed.
On Windows use ``py dev.py start``.

``test-pg`` runs the tests outside ``tests/ui`` (those run on SQLite only) against a throwaway
PostgreSQL server: ``scripts/pg_server.py`` starts one on 127.0.0.1 in a temporary folder (Debian
package ``postgresql``; as root it runs as the ``postgres`` user), pytest gets its address in
``RECEPTION_TEST_DATABASE`` and each test a fresh database on it; the server and its folder are
removed afterwards. CI runs the same after the full test run.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements.lock"
STAMP = VENV / ".installed-lock"


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def ensure_environment() -> Path:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py runs on whatever python3 the PC has
        sys.exit("需要 Python 3.11 或更新版本 / Python 3.11 or newer is required")
    python = venv_python()
    if not python.exists():
        print("正在创建虚拟环境 .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256(LOCK.read_bytes() + (ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text().strip() != wanted:
        print("正在安装依赖（按 requirements.lock 锁定的版本）…", flush=True)
        pip = [str(python), "-m", "pip", "--disable-pip-version-check", "-q"]
        subprocess.run([*pip, "install", "--require-hashes", "-r", str(LOCK)], check=True)
        subprocess.run([*pip, "install", "--no-deps", "--no-build-isolation", "-e", str(ROOT)], check=True)
        STAMP.write_text(wanted)
    return python


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"start", "test", "test-pg"}:
        print(__doc__)
        return 2
    python = ensure_environment()
    command, rest = argv[0], argv[1:]
    if command == "start":
        return subprocess.call([str(python), "-m", "ui.launcher", *rest], cwd=ROOT)
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    pytest = [str(python), "-m", "pytest", *rest]
    if command == "test-pg":
        server = [sys.executable, str(ROOT / "scripts" / "pg_server.py"), "run", "--"]
        pytest = [*server, *pytest, "--ignore=tests/ui"]
    return subprocess.call(pytest, cwd=ROOT, env=env)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
