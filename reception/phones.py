"""Chinese phone numbers: normalising what people type, and masking what others see."""

from __future__ import annotations

import re

import phonenumbers

from reception.textcheck import halfwidth_digits

_SEPARATORS = re.compile(r"[\s\-–—()（）.]")


def normalize(raw: str | None) -> str:
    """``'+86 138-0013-8000'`` → ``'13800138000'``; ``'021 5000 0000'`` → ``'021-50000000'``.

    Returns ``''`` for an empty value and raises ``ValueError`` (Chinese message) for a number
    that is not a valid Chinese mobile or landline number."""
    text = halfwidth_digits((raw or "").strip())
    if not text:
        return ""
    compact = _SEPARATORS.sub("", text)
    if not re.fullmatch(r"\+?\d{3,20}", compact):
        raise ValueError("电话号码只能包含数字（可带 +86、空格或短横线）")
    try:
        number = phonenumbers.parse(compact, "CN")
    except phonenumbers.NumberParseException:
        raise ValueError("电话号码格式不正确") from None
    if number.country_code != 86 or not phonenumbers.is_valid_number(number):
        raise ValueError("电话号码格式不正确：手机为 11 位，座机请带区号，如 021-50000000")
    national = str(number.national_number)
    kind = phonenumbers.number_type(number)
    if kind == phonenumbers.PhoneNumberType.MOBILE:
        return national
    area_len = phonenumbers.length_of_geographical_area_code(number)
    if area_len:
        return f"0{national[:area_len]}-{national[area_len:]}"
    return "0" + national


def mask(phone: str | None) -> str:
    """``'13800138000'`` → ``'138****8000'``; ``'021-50001234'`` → ``'021-****1234'``."""
    if not phone:
        return ""
    if "-" in phone:
        area, rest = phone.split("-", 1)
        return f"{area}-{'*' * max(len(rest) - 4, 0)}{rest[-4:]}"
    if len(phone) >= 11:
        return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
    if len(phone) > 4:
        return "*" * (len(phone) - 4) + phone[-4:]
    return "*" * len(phone)


def digits(phone: str | None) -> str:
    """Only the digits of a stored phone, for searching by its tail."""
    return re.sub(r"\D", "", phone or "")


_PHONE_RUN = re.compile(r"\+?\d[\d\s\-–—]{5,}\d")


def mask_in_text(text: str) -> str:
    """Every phone-like run of digits in free text masked: ``'张 13800138000'`` → ``'张 138****8000'``
    (for notes and summaries printed on paper)."""

    def masked(match: re.Match[str]) -> str:
        raw = match.group(0)
        found = digits(raw)
        if len(found) < 7:
            return raw
        try:
            return mask(normalize(raw))
        except ValueError:
            return mask(found)

    return _PHONE_RUN.sub(masked, text or "")
