"""Files only the desk account can read: on Linux/macOS the data folder and every folder in it are
0700 and every file 0600 — a new site (the command line sets the umask first) and an existing
one (tightened when it is opened). Root ignores permissions, so the reading is tried by a child
process as uid 65534."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from reception.store import db
from reception.store.paths import DataDir
from reception.store.startup import open_data_dir

REPO = Path(__file__).resolve().parents[2]
NOBODY = 65534

pytestmark = pytest.mark.skipif(os.name == "nt", reason="Windows: the per-user folder is private already")


def _modes(root: Path) -> dict[str, int]:
    found = {".": stat.S_IMODE(root.stat().st_mode)}
    for path in root.rglob("*"):
        found[str(path.relative_to(root))] = stat.S_IMODE(path.lstat().st_mode)
    return found


def _loose(modes: dict[str, int], root: Path) -> list[str]:
    return [
        f"{name} {mode:o}"
        for name, mode in modes.items()
        if mode != (0o700 if (root / name).is_dir() else 0o600)
    ]


@pytest.fixture
def shared_tmp():
    """A folder under /tmp that uid 65534 can reach (tmp_path's parents may be closed to it)."""
    folder = Path(tempfile.mkdtemp(prefix="private-files-", dir="/tmp"))
    folder.chmod(0o777)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _as_nobody_read(path: Path) -> subprocess.CompletedProcess[str]:
    code = f"open({str(path)!r}, 'rb').read(16); print('READ')"
    command = [sys.executable, "-c", code]
    if os.geteuid() == 0:
        command = ["setpriv", "--reuid", str(NOBODY), "--regid", str(NOBODY), "--clear-groups", *command]
    return subprocess.run(command, capture_output=True, text=True, encoding="utf-8", timeout=60)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to run a child as another account")
def test_a_new_site_is_readable_by_the_desk_account_only(shared_tmp):
    site = shared_tmp / "site"
    made = subprocess.run(
        [sys.executable, "-m", "reception.cli", "demo", "--data-dir", str(site)],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
    )
    assert made.returncode == 0, made.stderr
    subprocess.run(  # a backup too, so that backups/ holds a file
        [sys.executable, "-m", "reception.cli", "backup", "--user", "admin", "--data-dir", str(site)],
        env={**os.environ, "PYTHONPATH": str(REPO), "RECEPTION_PASSWORD": "demo1234"},
        check=True,
        capture_output=True,
        timeout=300,
    )
    modes = _modes(site)
    assert any(name.startswith("backups/") for name in modes)
    assert "reception.db" in modes
    assert _loose(modes, site) == []
    refused = _as_nobody_read(site / "reception.db")
    assert refused.returncode != 0 and "READ" not in refused.stdout
    assert "PermissionError" in refused.stderr
    # The same read by the desk account itself works (the check above is about permissions).
    assert (site / "reception.db").read_bytes()[:15] == b"SQLite format 3"


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to run a child as another account")
def test_an_existing_open_site_is_tightened_when_opened(shared_tmp):
    site = shared_tmp / "old-site"
    data = DataDir(site)
    open_data_dir(data)
    db.close_database()
    # As an older version left it: everything readable by everyone.
    for path in [site, *site.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    (site / "attachments" / "ab").mkdir(mode=0o755)
    (site / "attachments" / "ab" / "abcd.pdf").write_bytes(b"%PDF-1.4")
    (site / "attachments" / "ab" / "abcd.pdf").chmod(0o644)
    assert _as_nobody_read(site / "reception.db").returncode == 0  # the test can tell

    open_data_dir(data)
    db.close_database()
    assert _loose(_modes(site), site) == []
    assert _as_nobody_read(site / "reception.db").returncode != 0
    assert _as_nobody_read(site / "attachments" / "ab" / "abcd.pdf").returncode != 0
