"""The ``reception`` console command: the core's command line, with the window added."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reception.services.local import DataDir


def _open_window(data: DataDir) -> int:
    from ui.app import main as run_window  # Qt is imported only when the window is wanted

    return run_window(data)


def main() -> int:
    from reception.cli import main as cli_main
    from reception.services.local import private_umask

    private_umask()  # files only the desk account can read (before anything is written)

    return cli_main(sys.argv[1:], open_window=_open_window)


if __name__ == "__main__":
    raise SystemExit(main())
