"""Crash during saves, a short run (the full 1,000 rounds: scripts/crash_test.py)."""

from __future__ import annotations

import sys

import pytest

from scripts import crash_test


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_records_reported_saved_survive_sigkill(tmp_path):
    result = crash_test.run(12, tmp_path, seed=2026)
    assert result.reported > 12  # the child got some saves done before each kill
    assert result.missing == []
    assert result.duplicates == 0
    assert result.present == result.reported
    assert result.integrity == "ok"
