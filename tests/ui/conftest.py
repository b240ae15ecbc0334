"""The UI tests run with the application-wide keys the program installs at start
(``ui.widgets.keys``: Ctrl+Enter saves, Tab leaves date fields, type-to-select, number keys)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _desk_keys(qapp) -> None:
    from ui.widgets import keys

    keys.install(qapp)


@pytest.fixture
def desk_font(qapp):
    """The program's own font (WenQuanYi, 10 pt) as on the desk PC, for tests that measure text
    widths; the test's font is put back afterwards."""
    from ui.widgets import fonts

    before = qapp.font()
    assert fonts.install_app_font(qapp)
    yield
    qapp.setFont(before)
