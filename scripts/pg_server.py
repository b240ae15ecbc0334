#!/usr/bin/env python3
"""A throwaway PostgreSQL server for the tests, on loopback only.

    python3 scripts/pg_server.py run -- COMMAND…   start a server in a temporary folder, run COMMAND
                                                   with RECEPTION_TEST_DATABASE set to its address,
                                                   stop the server and remove the folder
    python3 scripts/pg_server.py start DIR         start (creating if needed) a server in DIR; prints
                                                   the address (the same one if it is running)
    python3 scripts/pg_server.py stop DIR

It uses Debian's PostgreSQL binaries (package ``postgresql``; /usr/lib/postgresql/<version>/bin).
The server listens on 127.0.0.1 only, trusts local connections (it exists for the length of a
test run) and runs with fsync off — test data, never a site's data. As root (CI) the server runs
as the ``postgres`` system user, which the Debian package creates: its folder is handed to that
user (in /tmp if the usual temporary directory is closed to it) and its programs run from ``/``."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROLE = "reception"
DBNAME = "reception"


def _bin(name: str) -> str:
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    if candidates:
        return candidates[0]
    found = shutil.which(name)
    if found:
        return found
    sys.exit(f"PostgreSQL 的 {name} 未找到：请安装 Debian 软件包 postgresql")


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


def _server_can_use(folder: Path) -> bool:
    """As root: can the ``postgres`` user enter and write ``folder`` (every parent must let it
    through — a private TMPDIR or a checkout under /root does not)?"""
    if os.geteuid() != 0:
        return True
    probe = _as_server_user(["test", "-x", str(folder), "-a", "-w", str(folder)])
    return subprocess.run(probe, cwd="/", check=False).returncode == 0


def _run_as_server(command: list[str]) -> None:
    # cwd: the server user may not be allowed into the caller's directory (initdb and pg_ctl
    # would complain "could not change directory").
    subprocess.run(_as_server_user(command), check=True, stdout=subprocess.DEVNULL, cwd="/")


def _running(data: Path) -> bool:
    status = _as_server_user([_bin("pg_ctl"), "-D", str(data), "status"])
    return subprocess.run(status, cwd="/", check=False, stdout=subprocess.DEVNULL).returncode == 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(folder: Path, port: int | None = None) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        if not _server_can_use(folder):
            sys.exit(f"用户 postgres 无法进入或写入 {folder}（上级目录不允许）：请换一个目录，如 /tmp 下的")
    if not (data / "PG_VERSION").exists():
        _run_as_server(
            [_bin("initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"]
        )
    if (folder / "port").exists() and _running(data):  # started before: the same server
        return (
            f"postgresql://{ROLE}@127.0.0.1:{(folder / 'port').read_text(encoding='utf-8').strip()}/{DBNAME}"
        )
    port = port or _free_port()
    options = (
        f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={folder} "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 "
        "-c autovacuum=off"
    )
    _run_as_server(
        [_bin("pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"), "-o", options, "-w", "start"]
    )
    (folder / "port").write_text(str(port), encoding="utf-8")
    psql = [_bin("psql"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-q", "-v", "ON_ERROR_STOP=1"]
    exists = subprocess.run(
        [*psql, "-tAc", f"SELECT 1 FROM pg_roles WHERE rolname = '{ROLE}'"],
        check=True,
        capture_output=True,
        text=True,
        encoding="utf-8",
    ).stdout.strip()
    if not exists:
        # CREATEDB: the test fixtures make a fresh database per test from a template.
        subprocess.run([*psql, "-c", f"CREATE ROLE {ROLE} LOGIN CREATEDB"], check=True)
        subprocess.run([*psql, "-c", f"CREATE DATABASE {DBNAME} OWNER {ROLE}"], check=True)
    return f"postgresql://{ROLE}@127.0.0.1:{port}/{DBNAME}"


def stop(folder: Path) -> None:
    data = folder / "data"
    if (data / "postmaster.pid").exists():
        subprocess.run(
            _as_server_user([_bin("pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
            check=False,
            stdout=subprocess.DEVNULL,
            cwd="/",
        )


def _temporary_folder() -> Path:
    """A new private folder for the server: in the usual temporary directory, or — as root,
    when the ``postgres`` user cannot reach that one (a private TMPDIR) — in /tmp."""
    folder = Path(tempfile.mkdtemp(prefix="reception-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        if not _server_can_use(folder):
            folder.rmdir()
            folder = Path(tempfile.mkdtemp(prefix="reception-pg-", dir="/tmp"))
    return folder


def run(command: list[str]) -> int:
    folder = _temporary_folder()
    try:
        url = start(folder)
        print(f"PostgreSQL test server: {url}", flush=True)
        env = dict(os.environ, RECEPTION_TEST_DATABASE=url)
        return subprocess.call(command, env=env)
    finally:
        stop(folder)
        time.sleep(0.2)
        shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[0] == "run" and argv[1] == "--":
        return run(argv[2:])
    if len(argv) == 2 and argv[0] == "start":
        print(start(Path(argv[1]).resolve()))
        return 0
    if len(argv) == 2 and argv[0] == "stop":
        stop(Path(argv[1]).resolve())
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
