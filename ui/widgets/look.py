"""The same look on every PC: Qt's Fusion style with a fixed light palette (the colours the screens
are drawn for — Windows 11's dark mode would otherwise turn the backgrounds dark under text drawn
for light ones), the program icon, and on Windows the system's UI font for the window (the bundled
font stays the fallback and the one every PDF embeds)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtGui import QGuiApplication
from PySide6.QtGui import QIcon
from PySide6.QtGui import QPalette

from reception.services.local import resource

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)

# The fixed light palette (Fusion's own light colours, spelled out so no system theme changes them).
_COLOURS: dict[QPalette.ColorRole, str] = {
    QPalette.ColorRole.Window: "#efefef",
    QPalette.ColorRole.WindowText: "#000000",
    QPalette.ColorRole.Base: "#ffffff",
    QPalette.ColorRole.AlternateBase: "#f7f7f7",
    QPalette.ColorRole.ToolTipBase: "#ffffdc",
    QPalette.ColorRole.ToolTipText: "#000000",
    QPalette.ColorRole.PlaceholderText: "#80000000",
    QPalette.ColorRole.Text: "#000000",
    QPalette.ColorRole.Button: "#efefef",
    QPalette.ColorRole.ButtonText: "#000000",
    QPalette.ColorRole.BrightText: "#ffffff",
    QPalette.ColorRole.Light: "#ffffff",
    QPalette.ColorRole.Midlight: "#cacaca",
    QPalette.ColorRole.Mid: "#b8b8b8",
    QPalette.ColorRole.Dark: "#9f9f9f",
    QPalette.ColorRole.Shadow: "#767676",
    QPalette.ColorRole.Highlight: "#308cc6",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Link: "#0000ff",
    QPalette.ColorRole.LinkVisited: "#ff00ff",
}
_DISABLED: dict[QPalette.ColorRole, str] = {
    QPalette.ColorRole.WindowText: "#bebebe",
    QPalette.ColorRole.Text: "#bebebe",
    QPalette.ColorRole.ButtonText: "#bebebe",
    QPalette.ColorRole.Base: "#efefef",
    QPalette.ColorRole.Highlight: "#919191",
}


def light_palette() -> QPalette:
    palette = QPalette()
    for role, colour in _COLOURS.items():
        palette.setColor(role, QColor(colour))
    for role, colour in _DISABLED.items():
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(colour))
    return palette


def program_icon() -> QIcon:
    icon = QIcon()
    for size in ICON_SIZES:
        path = resource("icons", f"reception-{size}.png")
        if path.is_file():
            icon.addFile(str(path))
    return icon


def apply_look(app: QGuiApplication) -> None:
    """Fusion, the light palette and the icon, whatever the system's theme."""
    from PySide6.QtWidgets import QApplication

    if isinstance(app, QApplication):
        app.setStyle("Fusion")
    app.styleHints().setColorScheme(Qt.ColorScheme.Light)
    app.setPalette(light_palette())
    app.setWindowIcon(program_icon())
