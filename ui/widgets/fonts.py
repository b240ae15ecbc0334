"""The bundled Chinese font: registered once and made the application font, so that Chinese
renders on a PC (or an offscreen test run) that has no CJK font of its own."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from reception.store.paths import font_path

POINT_SIZE = 10


def install_app_font(app: QApplication, point_size: int = POINT_SIZE) -> str:
    """Register ``resources/fonts/wqy-microhei.ttf`` and set it as the application font.

    Returns the family name, or ``''`` if the file could not be loaded (the system font is then
    kept: better boxes on a broken install than no window at all)."""
    font_id = QFontDatabase.addApplicationFont(str(font_path()))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        return ""
    font = QFont(families[0], point_size)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    app.setFont(font)
    return families[0]
