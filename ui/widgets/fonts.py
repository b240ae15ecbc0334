"""The bundled Chinese fonts: registered once, WenQuanYi Micro Hei made the application font, so
that Chinese renders on a PC (or an offscreen test run) that has no CJK font of its own.

WenQuanYi has no CJK Extension A–F: 𠮷 or 䶮 in a visitor's name would show as an empty box. The
fallback fonts HanaMinA and HanaMinB (resources/fonts/) are added to the font database too and
listed after WenQuanYi in the application font's families, so Qt draws each character WenQuanYi
lacks from them — on any platform, not only where the system's own fallback would find them.

On Windows the window uses the system's UI font (Microsoft YaHei UI) first, like every other
program there, with WenQuanYi and the fallbacks after it; PDFs always embed the bundled fonts."""

from __future__ import annotations

import sys

from PySide6.QtGui import QFont
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication

from reception.services.local import fallback_font_paths
from reception.services.local import font_path

POINT_SIZE = 10
WINDOWS_UI_FONT = "Microsoft YaHei UI"


def _add(path: str) -> list[str]:
    font_id = QFontDatabase.addApplicationFont(path)
    return QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []


def install_app_font(app: QApplication, point_size: int = POINT_SIZE, *, windows: bool | None = None) -> str:
    """Register ``resources/fonts/wqy-microhei.ttf`` and the fallback fonts, and set the
    application font: WenQuanYi first (after the system UI font on Windows), then the fallbacks.

    Returns the main family name, or ``''`` if its file could not be loaded (the system font is
    then kept: better boxes on a broken install than no window at all). A fallback that cannot
    be loaded is left out; only rare characters then show as boxes."""
    families = _add(str(font_path()))
    if not families:
        return ""
    fallbacks = [family for path in fallback_font_paths() for family in _add(str(path))[:1]]
    windows = sys.platform == "win32" if windows is None else windows
    system = [WINDOWS_UI_FONT] if windows and WINDOWS_UI_FONT in QFontDatabase.families() else []
    font = QFont(families[0], point_size)
    font.setFamilies([*system, families[0], *fallbacks])
    font.setStyleHint(QFont.StyleHint.SansSerif)
    app.setFont(font)
    return families[0]
