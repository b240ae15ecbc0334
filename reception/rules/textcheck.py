"""Checking and tidying text typed or imported by people.

Every service runs its text fields through :func:`one_line` or :func:`multi_line`. A value is
either tidied in a way nobody would object to (outer spaces, invisible characters pasted from
Excel, full-width digits in numbers) or refused with a Chinese message for that field; it is
never silently cut short and never allowed to break the database or the window."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any
from typing import TypeVar

T = TypeVar("T")

# Invisible characters that Excel, web pages and chat programs leave in copied text.
# ZWJ/ZWNJ (U+200D/U+200C) are kept: they are part of emoji and some scripts.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad\u180e"), None)
_NBSP = {0x00A0: " ", 0x3000: " ", 0x2007: " ", 0x202F: " "}
# Bidirectional overrides can make a name display as something else (U+202E "RLO").
_BIDI = set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))
_SPACES = re.compile(r"[ \t]+")


def _problem(value: str, *, allow_newlines: bool) -> str | None:
    for ch in value:
        cp = ord(ch)
        if 0xD800 <= cp <= 0xDFFF:
            return "含有无法保存的字符（残缺的编码），请重新输入"
        if cp in _BIDI:
            return "含有改变文字方向的隐藏字符，请删除后重新输入"
        if ch in "\n\t" and allow_newlines:
            continue
        if ch in "\r\n" and not allow_newlines:
            return "此处只能填写一行，不能换行"
        if unicodedata.category(ch) == "Cc":
            return "含有不可见的控制字符，请删除后重新输入"
    return None


def one_line(value: str | None, label: str, *, max_len: int = 100, required: bool = False) -> str:
    """A single-line field (name, room, phone…). Returns the tidied value or raises ValueError
    with the message for the field."""
    text = (value or "").translate(_INVISIBLE).translate(_NBSP)
    text = _SPACES.sub(" ", text).strip()
    problem = _problem(text, allow_newlines=False)
    if problem:
        raise ValueError(f"{label}{problem}")
    if required and not text:
        raise ValueError(f"请填写{label}")
    if len(text) > max_len:
        raise ValueError(f"{label}太长（最多 {max_len} 字，现在 {len(text)} 字）")
    return text


# Emoji and pictographs, refused in a person's name. Whole blocks are listed, so that emoji newer
# than Python's Unicode tables (unassigned there) are refused too.
_PICTOGRAPH_BLOCKS = (
    (0x2190, 0x21FF),  # arrows
    (0x2300, 0x23FF),  # miscellaneous technical (⌚ ⏰)
    (0x2460, 0x24FF),  # enclosed alphanumerics (Ⓜ)
    (0x25A0, 0x27BF),  # geometric shapes, miscellaneous symbols, dingbats
    (0x2900, 0x297F),  # supplemental arrows-B
    (0x2B00, 0x2BFF),  # miscellaneous symbols and arrows (⭐ ⬛)
    (0x1F000, 0x1FAFF),  # mahjong … symbols and pictographs extended-A, skin tones included
    (0x1FB00, 0x1FBFF),  # symbols for legacy computing
    (0xE0000, 0xE007F),  # tags (flag sequences)
)
# Emoji components that are not symbols themselves: variation selector 16, keycap, ZWJ.
_EMOJI_PARTS = {0xFE0F, 0x20E3, 0x200D}
# Symbols that belong to Chinese writing (radicals, strokes, ideographic description): not pictographs.
_CJK_SYMBOLS = ((0x2E80, 0x2FFF), (0x31C0, 0x31EF))


def pictograph(value: str) -> str | None:
    """The first emoji or pictograph in ``value``, or None."""
    for ch in value:
        cp = ord(ch)
        if cp in _EMOJI_PARTS or any(lo <= cp <= hi for lo, hi in _PICTOGRAPH_BLOCKS):
            return ch
        if unicodedata.category(ch) == "So" and not any(lo <= cp <= hi for lo, hi in _CJK_SYMBOLS):
            return ch
    return None


def person_name(value: str | None, label: str, *, max_len: int = 50, required: bool = False) -> str:
    """A person's name (caller, visitor, resident, letter sender): a single line that accepts
    every CJK ideograph (Extension B and beyond: 𠮷 䶮 𪚥) and the middle dot of minority and
    foreign names (买买提·艾力), but refuses emoji and pictographs."""
    text = one_line(value, label, max_len=max_len, required=required)
    found = pictograph(text)
    if found is not None:
        shown = "" if ord(found) in _EMOJI_PARTS else f"（{found}）"
        raise ValueError(f"{label}不能含有表情或图形符号{shown}，请只填写文字")
    return text


def multi_line(
    value: str | None, label: str, *, max_len: int = 4000, required: bool = False, mask_numbers: bool = True
) -> str:
    """A free-text field (content, answer, note). Newlines and tabs are allowed; Windows line
    ends become ``\\n``; 18-digit ID numbers and mobile numbers in it are masked
    (:func:`reception.rules.freetext.mask_personal`; ``mask_numbers=False`` only for texts that are
    not about a person, such as the knowledge base); the text is otherwise stored as typed."""
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    problem = _problem(text, allow_newlines=True)
    if problem:
        raise ValueError(f"{label}{problem}")
    if required and not text:
        raise ValueError(f"请填写{label}")
    if len(text) > max_len:
        raise ValueError(f"{label}太长（最多 {max_len} 字，现在 {len(text)} 字）")
    if mask_numbers:
        from reception.rules.freetext import mask_personal

        text = mask_personal(text)[0]
    return text


def _has_numbers(value: str | None) -> bool:
    """Whether :func:`multi_line` masks an ID or mobile number in ``value``."""
    from reception.rules.freetext import mask_personal

    return mask_personal(value)[1] > 0


def halfwidth_digits(value: str) -> str:
    """Full-width digits and ASCII punctuation (１２３－４５) → their ASCII forms."""
    return "".join(chr(ord(ch) - 0xFEE0) if 0xFF01 <= ord(ch) <= 0xFF5E else ch for ch in value)


class FieldErrors:
    """Collects per-field messages so that a form shows every problem at once.

    >>> errs = FieldErrors()
    >>> name = errs.check("name", one_line, "张三", "姓名")
    """

    def __init__(self) -> None:
        self.fields: dict[str, str] = {}
        # Free-text fields whose ID/mobile numbers were masked (field → label): the service
        # reports them so the form can tell the receptionist (see freetext.masked_note).
        self.masked: dict[str, str] = {}

    def check(self, field: str, func: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        try:
            result = func(*args, **kwargs)
        except ValueError as exc:
            self.fields.setdefault(field, str(exc))
            return None
        if func is multi_line and kwargs.get("mask_numbers", True) and args and _has_numbers(args[0]):
            self.masked[field] = str(args[1]) if len(args) > 1 else field
        return result

    def add(self, field: str, message: str) -> None:
        self.fields.setdefault(field, message)

    def raise_if_any(self) -> None:
        if self.fields:
            from reception.errors import ValidationError

            raise ValidationError(self.fields)
