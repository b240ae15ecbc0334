"""Chinese phone numbers: normalising what people type, and masking what others see."""

from __future__ import annotations

import re

import phonenumbers

from reception.rules.textcheck import halfwidth_digits

_SEPARATORS = re.compile(r"[\s\-–—()（）.]")


# Plain 11-digit mobiles (most of what is typed and imported) skip phonenumbers.parse(), the
# expensive part, with exactly the same result: for such a string parse(…, "CN") gives the number
# 86 / int(text) — CN strips only the national prefixes "0", "1[12]xx" and "179xx", and "179…" is
# left to the full path — and its type is decided, as phonenumbers' _number_type_helper decides
# it, by the CN metadata's own patterns (compiled once here): it is a valid MOBILE when it
# matches the general pattern and the mobile one and none of the types checked before mobile.
# Anything else takes the full path below, errors included.
_PLAIN_MOBILE = re.compile(r"1[3-9]\d{9}")
_TYPES_BEFORE_MOBILE = (
    "premium_rate",
    "toll_free",
    "shared_cost",
    "voip",
    "personal_number",
    "pager",
    "uan",
    "voicemail",
    "fixed_line",
)
_Desc = tuple[frozenset[int], "re.Pattern[str]"]
_MobileDescs = tuple[_Desc, _Desc, list[_Desc]]
_mobile_descs: list[_MobileDescs | None] = []  # built on first use: [descs] or [None] (no shortcut)


def _desc(number_desc: object) -> _Desc | None:
    pattern = getattr(number_desc, "national_number_pattern", None)
    if number_desc is None or not pattern:
        return None
    return frozenset(getattr(number_desc, "possible_length", ()) or ()), re.compile(pattern)


def _matches(number: str, desc: _Desc) -> bool:
    lengths, pattern = desc
    return (not lengths or len(number) in lengths) and pattern.fullmatch(number) is not None


def _build_mobile_descs() -> _MobileDescs | None:
    meta = phonenumbers.PhoneMetadata.metadata_for_region("CN")
    if meta is None or meta.same_mobile_and_fixed_line_pattern:
        return None
    general, mobile = _desc(meta.general_desc), _desc(meta.mobile)
    if general is None or mobile is None:
        return None
    others = [d for d in (_desc(getattr(meta, name, None)) for name in _TYPES_BEFORE_MOBILE) if d]
    return general, mobile, others


def _plain_mobile(compact: str) -> str | None:
    """``compact`` when it is a plain, valid 11-digit mobile number; None: use the full path."""
    if not _PLAIN_MOBILE.fullmatch(compact) or compact.startswith("179"):
        return None
    if not _mobile_descs:
        _mobile_descs.append(_build_mobile_descs())
    descs = _mobile_descs[0]
    if descs is None:
        return None
    general, mobile, others = descs
    if not _matches(compact, general) or any(_matches(compact, d) for d in others):
        return None
    return compact if _matches(compact, mobile) else None


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
    fast = _plain_mobile(compact)
    if fast is not None:
        return fast
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


def grouped(phone: str | None) -> str:
    """A stored number grouped to be read out and dialled: ``'13812345678'`` → ``'138 1234 5678'``;
    ``'021-50001234'`` → ``'021 5000 1234'``; anything else in fours from the end."""
    if not phone:
        return ""
    if "-" in phone:
        area, rest = phone.split("-", 1)
        return f"{area} {grouped(rest)}"
    if len(phone) == 11 and phone.isdigit():
        return f"{phone[:3]} {phone[3:7]} {phone[7:]}"
    head = len(phone) % 4 or 4
    parts = [phone[:head]] + [phone[i : i + 4] for i in range(head, len(phone), 4)]
    return " ".join(parts)


def digits(phone: str | None) -> str:
    """Only the digits of a stored phone, for searching by its tail."""
    return re.sub(r"\D", "", phone or "")


_PHONE_RUN = re.compile(r"\+?\d[\d\s\-–—]{5,}\d")


def mask_in_text(text: str) -> str:
    """Every phone-like run of digits in free text masked: ``'张 13800138000'`` → ``'张 138****8000'``
    (for notes and summaries printed on paper)."""

    from reception.rules.freetext import MOBILE
    from reception.rules.freetext import mask_mobile

    # Mobiles first, in every way people write them (139.1111.2205, 139/1111/2205, full-width
    # digits, +86 / 0086), then any other run of digits that looks like a phone (landlines).
    plain = halfwidth_digits(text or "")
    if plain != (text or ""):
        text = "".join(p if p.isdigit() else t for p, t in zip(plain, text or "", strict=True))
    text = MOBILE.sub(lambda m: mask_mobile(digits(m.group(0))[-11:]), text or "")

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
