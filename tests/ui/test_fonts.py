"""On screen, rare characters (𠮷 䶮 𪚥, not in WenQuanYi) are drawn from the bundled fallback
fonts, not as empty boxes. Real widgets, grabbed offscreen."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtGui import QImage
from PySide6.QtGui import QRawFont
from PySide6.QtWidgets import QApplication
from PySide6.QtWidgets import QLabel

from ui.widgets.fonts import install_app_font

NOWHERE = "\U0010fffd"  # in no bundled font: Qt draws its missing-glyph box


def _shot(text: str) -> QImage:
    label = QLabel(text)
    font = QApplication.font()
    font.setPointSize(28)
    label.setFont(font)
    label.resize(80, 60)
    return label.grab().toImage()


def _ink(image: QImage) -> int:
    pixels = ((x, y) for y in range(image.height()) for x in range(image.width()))
    return sum(1 for x, y in pixels if image.pixelColor(x, y).lightness() < 128)


def test_the_application_font_falls_back_to_the_bundled_rare_character_fonts(qapp):
    assert install_app_font(qapp) == "WenQuanYi Micro Hei"
    families = QApplication.font().families()
    assert families[0] == "WenQuanYi Micro Hei" and len(families) == 3
    for family, code in zip(families[1:], (0x4DAE, 0x20BB7), strict=True):  # 䶮 Ext A, 𠮷 Ext B
        assert QRawFont.fromFont(QFont(family, 10)).supportsCharacter(code), family
    assert not QRawFont.fromFont(QFont(families[0], 10)).supportsCharacter(0x20BB7)


def test_rare_characters_are_drawn_not_boxed(qapp):
    install_app_font(qapp)
    box = _shot(NOWHERE)
    for ch in ("𠮷", "䶮", "𪚥"):
        image = _shot(ch)
        assert image != box, ch  # a character the fonts lack is the same box every time
        assert _ink(image) > 0, ch
