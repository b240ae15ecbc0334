"""The same look on every PC: Fusion with a fixed light palette whatever the system's theme (a dark
Windows 11 would otherwise draw light-background screens dark), the program icon, and the system
UI font on Windows with the bundled fonts after it."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor
from PySide6.QtGui import QFontDatabase
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from ui.widgets import fonts
from ui.widgets.look import ICON_SIZES
from ui.widgets.look import apply_look


@pytest.fixture
def app(qapp):
    """The application, its look restored afterwards (other tests draw with the default one)."""
    style, palette, font, icon = qapp.style().name(), QPalette(qapp.palette()), qapp.font(), qapp.windowIcon()
    yield qapp
    qapp.setStyle(style)
    qapp.setPalette(palette)
    qapp.setFont(font)
    qapp.setWindowIcon(icon)


def _dark() -> QPalette:
    palette = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#202020"),
        (QPalette.ColorRole.Base, "#1b1b1b"),
        (QPalette.ColorRole.Button, "#2d2d2d"),
        (QPalette.ColorRole.Text, "#ffffff"),
        (QPalette.ColorRole.WindowText, "#ffffff"),
        (QPalette.ColorRole.ButtonText, "#ffffff"),
    ):
        palette.setColor(role, QColor(colour))
    return palette


def test_a_dark_system_palette_is_replaced_by_the_light_one(app: QApplication):
    app.setPalette(_dark())  # what a dark Windows theme hands the program
    apply_look(app)
    palette = app.palette()
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base, QPalette.ColorRole.Button):
        assert palette.color(role).lightness() > 220, role
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        assert palette.color(role).lightness() < 40, role
    assert app.style().name().lower() == "fusion"


def test_the_window_has_the_program_icon(app: QApplication):
    apply_look(app)
    sizes = {size.width() for size in app.windowIcon().availableSizes()}
    assert sizes == set(ICON_SIZES)


def test_windows_uses_its_ui_font_first_with_the_bundled_fonts_after(app, monkeypatch):
    installed = [*QFontDatabase.families(), fonts.WINDOWS_UI_FONT]
    monkeypatch.setattr(QFontDatabase, "families", staticmethod(lambda *a: installed))
    main = fonts.install_app_font(app, windows=True)
    families = app.font().families()
    assert families[:2] == [fonts.WINDOWS_UI_FONT, main]
    assert len(families) >= 3  # the rare-character fallbacks follow


def test_elsewhere_the_bundled_font_comes_first(app):
    main = fonts.install_app_font(app, windows=False)
    assert app.font().families()[0] == main and fonts.WINDOWS_UI_FONT not in app.font().families()
