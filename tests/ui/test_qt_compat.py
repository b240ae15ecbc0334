"""The guard against PySide6 6.12's stray releases of None (see ui/qt_compat.py)."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QApplication
from ui.qt_compat import protect_singletons
if sys.argv[1] == "guarded":
    protect_singletons()
app = QApplication([])
class Model(QAbstractTableModel):
    def rowCount(self, parent=QModelIndex()): return 1
    def columnCount(self, parent=QModelIndex()): return 1
    def data(self, index, role=Qt.ItemDataRole.DisplayRole): return None
proxy = QSortFilterProxyModel(); source = Model(); proxy.setSourceModel(source)
index = proxy.index(0, 0)
before = sys.getrefcount(None)
for _ in range(20000):
    proxy.data(index, Qt.ItemDataRole.DisplayRole)
print("lost", before - sys.getrefcount(None), flush=True)
"""


def run(mode: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", PROBE, mode],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env={
            "QT_QPA_PLATFORM": "offscreen",
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(__import__("pathlib").Path(__file__).resolve().parents[2]),
        },
    )


def test_the_guard_keeps_the_interpreter_alive():
    guarded = run("guarded")
    assert guarded.returncode == 0, guarded.stderr[-500:]
    if sys.version_info < (3, 12):
        # Without the guard the same loop aborts the interpreter ("deallocating None"):
        # if this ever passes unguarded, PySide6 has fixed the bug and the guard can go.
        unguarded = run("unguarded")
        assert unguarded.returncode != 0 and "deallocating None" in unguarded.stderr
