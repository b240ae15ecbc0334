"""Personal numbers in free text (content, notes, replies): 18-digit ID numbers and mobile
numbers typed into a text are masked before the text is saved, so they are never stored in
clear where no retention purge can reach them (the fields meant for a number keep it, under the
usual rules). One function, :func:`mask_personal`, used through
:func:`reception.rules.textcheck.multi_line` by every service that saves free text.

Recognised: full-width digits, the separators ``space - . /``, the prefixes +86 and 0086."""

from __future__ import annotations

import re

from reception.rules.textcheck import halfwidth_digits

# An 18-digit ID number (the last character may be X): 6 region digits, a birth date, 3 digits, check.
_ID18 = re.compile(
    r"(?<![0-9A-Za-z])\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])"
)
# A mainland mobile number: 1[3-9] and nine more digits, with at most one separator between digits,
# optionally after +86 / 0086 / 86-.
_SEP = r"[ \-./\u2013\u2014]?"
MOBILE = re.compile(
    r"(?<![0-9A-Za-z+])(?:(?:\+|00)86" + _SEP + r"|\(\+?86\)" + _SEP + r")?"
    r"1" + _SEP + r"[3-9](?:" + _SEP + r"\d){9}(?![0-9A-Za-z])"
)


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def mask_id(number: str) -> str:
    """An 18-character ID number → 14 stars and its last 4 characters."""
    return "*" * 14 + number[-4:].upper()


def mask_mobile(digits: str) -> str:
    """The 11 digits of a mobile → ``138****8000``."""
    return digits[:3] + "****" + digits[-4:]


def mask_personal(text: str | None) -> tuple[str, int]:
    """``text`` with every ID number and mobile number masked, and how many were masked."""
    if not text:
        return text or "", 0
    # Full-width digits and punctuation become ASCII one for one: the positions stay the same.
    plain = halfwidth_digits(text)
    spans: list[tuple[int, int, str]] = []
    for match in _ID18.finditer(plain):
        spans.append((match.start(), match.end(), mask_id(match.group(0))))
    for match in MOBILE.finditer(plain):
        if any(s <= match.start() < e for s, e, _ in spans):
            continue
        spans.append((match.start(), match.end(), mask_mobile(_digits(match.group(0))[-11:])))
    if not spans:
        return text, 0
    out: list[str] = []
    last = 0
    for start, end, masked in sorted(spans):
        out.append(text[last:start])
        out.append(masked)
        last = end
    out.append(text[last:])
    return "".join(out), len(spans)
