"""The Chinese font for every PDF the program writes (badges, handover reports, routing slips).

The bundled WenQuanYi Micro Hei (``resources/fonts/wqy-microhei.ttf``) is registered with
reportlab once per process, on first use, and is embedded as a subset in each PDF, so Chinese
prints the same on any PC and printer. Registering parses the 4.6 MB file (~100 ms), so nothing
happens at import time and no document ever registers it again.

reportlab silently leaves out characters the font does not have (rare ones such as 𠮷 or 䶮);
:func:`missing_glyphs` lets callers warn the receptionist before printing.
"""

from __future__ import annotations

import threading
from typing import Any

from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from reception.store.paths import font_path

FONT_NAME = "WQYMicroHei"

_lock = threading.Lock()
_font: TTFont | None = None


def _registered() -> TTFont:
    global _font
    font = _font
    if font is not None:
        return font
    with _lock:
        if _font is None:
            # subfontIndex / asciiReadable defaults: the font is embedded as 256-glyph subsets.
            loaded = TTFont(FONT_NAME, str(font_path()))
            pdfmetrics.registerFont(loaded)
            _font = loaded
        return _font


def font_name() -> str:
    """The reportlab name of the embedded Chinese font; registers it on first call."""
    _registered()
    return FONT_NAME


def missing_glyphs(text: str) -> list[str]:
    """Characters of ``text`` the font cannot draw, each once, in order of appearance.

    Whitespace and control characters are not reported (they draw nothing anyway)."""
    chars = _registered().face.charToGlyph
    missing: list[str] = []
    for ch in text:
        if ch.isspace() or ord(ch) < 0x20 or ch in missing:
            continue
        if ord(ch) not in chars:
            missing.append(ch)
    return missing


def string_width(text: str, size: float) -> float:
    """Width in points of ``text`` set in the Chinese font at ``size``."""
    return pdfmetrics.stringWidth(text, font_name(), size)


def cjk_paragraph_style(name: str = "cjk", size: float = 10.5, **overrides: Any) -> ParagraphStyle:
    """A ``ParagraphStyle`` in the Chinese font that breaks lines between any two Han characters
    (``wordWrap="CJK"``) and keeps punctuation such as ，。 off the start of a line.

    ``leading`` defaults to 1.4 × size; any other ParagraphStyle attribute can be overridden."""
    options: dict[str, Any] = {
        "fontName": font_name(),
        "bulletFontName": font_name(),  # reportlab's default (Helvetica) would be listed unembedded
        "fontSize": size,
        "leading": round(size * 1.4, 2),
        "wordWrap": "CJK",
        "alignment": TA_LEFT,
    }
    options.update(overrides)
    return ParagraphStyle(name, **options)
