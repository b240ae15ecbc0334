"""Entry script of the PyInstaller bundle: the same ``reception`` command as ``ui.launcher:main``.

Both executables of the bundle run this script: ``reception`` (windowed on Windows — the icon the
front desk double-clicks) and ``reception-cli`` (console — the commands, which print)."""

from __future__ import annotations

import sys

from ui.launcher import main

if __name__ == "__main__":
    sys.exit(main())
