"""The UI tests run with the application-wide keys the program installs at start
(``ui.widgets.keys``: Ctrl+Enter saves, Tab leaves date fields, type-to-select, number keys)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _desk_keys(qapp) -> None:
    from ui.widgets import keys

    keys.install(qapp)
