"""Chinese vehicle number plates, new-energy (green) plates included."""

from __future__ import annotations

import re

from reception.rules.textcheck import halfwidth_digits

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_L = "A-HJ-NP-Z"  # letters used on plates (no I, no O)
_REGULAR = re.compile(rf"^[{PROVINCES}][{_L}][{_L}0-9]{{4}}[{_L}0-9挂学警港澳]$")
# New energy: small cars D/F + 5 (letter or digit then 4 digits); large vehicles 5 digits + D/F.
_NEW_ENERGY = re.compile(rf"^[{PROVINCES}][{_L}](?:[DF][{_L}0-9]\d{{4}}|\d{{5}}[DF])$")


def normalize(raw: str | None) -> str:
    """``'沪a·12345'`` → ``'沪A12345'``; ``''`` for none; ValueError for an impossible plate."""
    text = re.sub(r"[\s·•.\-]", "", halfwidth_digits(raw or "")).upper()
    if not text:
        return ""
    if _REGULAR.match(text) or _NEW_ENERGY.match(text):
        return text
    raise ValueError("车牌号格式不正确，例如 沪A12345 或新能源 沪AD12345")
