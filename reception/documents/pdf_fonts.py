"""The Chinese fonts of every PDF the program writes (badges, reports, slips, lists, notices).

The bundled WenQuanYi Micro Hei (``resources/fonts/wqy-microhei.ttf``) draws almost everything.
It has no CJK Extension A–F (rare characters in names such as 𠮷 䶮 𪚥), and reportlab silently
leaves out any character a font lacks. So the font registered under :data:`FONT_NAME` is a
*composite*: each text is cut into runs by which bundled font has the glyph (:func:`font_runs`) —
WenQuanYi first, then the fallbacks HanaMinA (Extension A and the odd basic ideograph) and
HanaMinB (Extensions B–F) — and each run is drawn and measured in its own font. Every way text
reaches a page goes through the font object (canvas strings, platypus paragraphs, plain table
cells, chart labels, ``stringWidth``), so no document needs markup of its own and widths always
match what is drawn. All three fonts are embedded as subsets.

A character that no bundled font has (an emoji, a private-use code point) is never dropped:
drawing or measuring it raises :class:`UnprintableCharacter` naming it, and
:func:`check_printable` lets a document refuse before it starts.

Registering parses the 4.6 MB main font (~100–200 ms) once per process, on first use; the
fallbacks (3.7 MB and 31 MB, ~30 + ~200 ms) are read only when a text first needs one.
"""

from __future__ import annotations

import threading
import unicodedata
from typing import Any

from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase import ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from reception.errors import ReceptionError
from reception.store.paths import fallback_font_paths
from reception.store.paths import font_path

FONT_NAME = "WQYMicroHei"
FALLBACK_NAMES = ("HanaMinA", "HanaMinB")

# Subset numbers of the composite font: fallback i's subset n is (i + 1) * _STRIDE + n.
_STRIDE = 1 << 20

_lock = threading.Lock()
_font: _CompositeFont | None = None


class UnprintableCharacter(ReceptionError):
    """Text holds characters that no bundled font can draw; ``chars`` lists them once each."""

    def __init__(self, chars: list[str]) -> None:
        self.chars = list(chars)
        named = "、".join(f"「{ch}」（U+{ord(ch):04X}）" for ch in self.chars)
        super().__init__(f"无法打印：字符{named}在程序自带的字体中都没有，请改写该字（例如用拼音）后再打印。")


def _invisible(ch: str) -> bool:
    """Characters that draw nothing: controls, format characters, variation selectors."""
    if unicodedata.category(ch) in ("Cc", "Cf"):
        return True
    code = ord(ch)
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


class _CompositeFont(TTFont):
    """WenQuanYi Micro Hei with per-character fallback to the HanaMin fonts (see module doc)."""

    def __init__(self) -> None:
        super().__init__(FONT_NAME, str(font_path()))
        self._fallbacks: list[TTFont] | None = None
        self._fallback_lock = threading.Lock()

    def fallbacks(self) -> list[TTFont]:
        fonts = self._fallbacks
        if fonts is None:
            with self._fallback_lock:
                if self._fallbacks is None:
                    paths = fallback_font_paths()
                    self._fallbacks = [TTFont(n, str(p)) for n, p in zip(FALLBACK_NAMES, paths, strict=True)]
                fonts = self._fallbacks
        return fonts

    def covers(self, text: str) -> bool:
        """True if the main font alone has every character of ``text`` (the usual case)."""
        chars = self.face.charToGlyph
        return all(ord(ch) in chars for ch in text)

    def runs(self, text: str) -> list[tuple[TTFont, str]]:
        """``text`` as (font, run) pairs; invisible characters left out, whitespace the main
        font lacks drawn as a space. Raises :class:`UnprintableCharacter`."""
        if self.covers(text):
            return [(self, text)] if text else []
        fonts: list[TTFont] = [self, *self.fallbacks()]
        runs: list[tuple[TTFont, str]] = []
        missing: list[str] = []
        current: TTFont | None = None
        run: list[str] = []
        for ch in text:
            code = ord(ch)
            owner = next((f for f in fonts if code in f.face.charToGlyph), None)
            if owner is None:
                if ch.isspace():
                    owner, ch = self, " "
                elif _invisible(ch):
                    continue
                else:
                    if ch not in missing:
                        missing.append(ch)
                    continue
            if owner is not current:
                if run and current is not None:
                    runs.append((current, "".join(run)))
                current, run = owner, []
            run.append(ch)
        if missing:
            raise UnprintableCharacter(missing)
        if run and current is not None:
            runs.append((current, "".join(run)))
        return runs

    # --- what reportlab calls -----------------------------------------------------------------

    def stringWidth(self, text: str | bytes, size: float, encoding: str = "utf8") -> float:
        if isinstance(text, bytes):
            text = text.decode(encoding)
        if self.covers(text):
            return float(TTFont.stringWidth(self, text, size))
        return sum(float(TTFont.stringWidth(font, run, size)) for font, run in self.runs(text))

    def splitString(self, text: str | bytes, doc: Any, encoding: str = "utf-8") -> list[tuple[int, bytes]]:
        if isinstance(text, bytes):
            text = text.decode(encoding)
        if self.covers(text):
            return list(TTFont.splitString(self, text, doc))
        fonts: list[TTFont] = [self, *self.fallbacks()]
        chunks: list[tuple[int, bytes]] = []
        for font, run in self.runs(text):
            base = fonts.index(font) * _STRIDE
            chunks += [(base + subset, chunk) for subset, chunk in TTFont.splitString(font, run, doc)]
        return chunks

    def getSubsetInternalName(self, subset: int, doc: Any) -> str:
        index, own = divmod(subset, _STRIDE)
        if index == 0:
            return str(TTFont.getSubsetInternalName(self, own, doc))
        # The fallback adds itself to the document's fonts (embedded at save) on first use.
        return str(TTFont.getSubsetInternalName(self.fallbacks()[index - 1], own, doc))


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ``makeToUnicodeCMap`` with characters beyond U+FFFF written as UTF-16 pairs.

    reportlab writes ``<20BB7>`` for 𠮷 — five hex digits, which PDF readers reject — so copying,
    searching and extracting the text of Extension B–F characters failed. Characters up to U+FFFF
    are written exactly as reportlab does."""

    def utf16(code: int) -> str:
        return chr(code).encode("utf-16-be", "surrogatepass").hex().upper()

    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{i:02X}> <{utf16(code)}>" for i, code in enumerate(subset)),
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(lines)


def _registered() -> _CompositeFont:
    global _font
    font = _font
    if font is not None:
        return font
    with _lock:
        if _font is None:
            # subfontIndex / asciiReadable defaults: each font is embedded as 256-glyph subsets.
            ttfonts.makeToUnicodeCMap = _to_unicode_cmap
            loaded = _CompositeFont()
            pdfmetrics.registerFont(loaded)
            _font = loaded
        return _font


def font_name() -> str:
    """The reportlab name of the embedded Chinese font; registers it on first call."""
    _registered()
    return FONT_NAME


def font_runs(text: str) -> list[tuple[str, str]]:
    """``text`` cut into runs by the bundled font that has each character: a list of
    (reportlab font name, run), in order. Characters that draw nothing (controls, format
    characters, variation selectors) are left out. Raises :class:`UnprintableCharacter` naming
    every character that no bundled font has."""
    return [(font.fontName, run) for font, run in _registered().runs(text)]


def check_printable(*texts: object) -> None:
    """Raise :class:`UnprintableCharacter` if any of ``texts`` holds a character no bundled font
    has — before a document is drawn, so nothing is written."""
    _registered().runs("".join(str(t) for t in texts if t is not None))


def string_width(text: str, size: float) -> float:
    """Width in points of ``text`` at ``size``, each run measured in the font that draws it."""
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
