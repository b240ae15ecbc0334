"""The ``reception`` console command: the core's command line, with the window added."""

from __future__ import annotations

import sys
from pathlib import Path


def _open_window(data_dir: Path | None) -> int:
    from ui.app import main as run_window  # Qt is imported only when the window is wanted

    return run_window(data_dir)


def main() -> int:
    from reception.cli import main as cli_main

    return cli_main(sys.argv[1:], open_window=_open_window)


if __name__ == "__main__":
    raise SystemExit(main())
