"""Identity documents of visitors: checking, masking and the keyed hash used by the watch
list. By default the full number is never stored (setting ``store_full_id``).

Nothing in the data folder gives a number back: the masked form keeps at most the last 4
characters, and the hash is an HMAC under the site key (:mod:`reception.store.sitekey`), which is
not in the database — so the birth date and region cannot be found by trying candidates against
the stored hash."""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import date

from stdnum.cn import ric

from reception.clock import Clock
from reception.rules.textcheck import halfwidth_digits

RESIDENT_ID = "居民身份证"
RESIDENCE_PERMIT = "港澳台居民居住证"
FOREIGN_PR = "外国人永久居留身份证"
ID_TYPES = [
    RESIDENT_ID,
    RESIDENCE_PERMIT,
    "护照",
    "港澳居民来往内地通行证",
    "台湾居民来往大陆通行证",
    FOREIGN_PR,
    "驾驶证",
    "其他",
]
# 港澳台居民居住证: 810000 香港, 820000 澳门, 830000 台湾 in place of the region code.
_PERMIT_REGIONS = {"810000": "香港", "820000": "澳门", "830000": "台湾"}
MAX_AGE = 130


def _clean(number: str) -> str:
    return re.sub(r"[\s\-]", "", halfwidth_digits(number or "")).upper()


def _check_18(text: str, today: date, noun: str = "证件号码") -> date:
    """What a desk can verify in an 18-character number of the national scheme (居民身份证,
    居住证, the 2023 外国人永久居留身份证): the form, the check digit (ISO 7064 MOD 11-2) and a
    real birth date, not in the future, at most 130 years ago. The region code is not refused:
    python-stdnum's table would refuse real cards (重庆 50 before 1997, 海南 46 before 1988)."""
    if not re.fullmatch(r"\d{17}[\dX]", text):
        raise ValueError(f"{noun}应为 18 位（前 17 位是数字，最后一位是数字或 X）")
    if ric.calc_check_digit(text) != text[-1]:
        raise ValueError(f"{noun}校验位不正确，请核对证件重新输入")
    try:
        born = date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        raise ValueError(f"{noun}中的出生日期不存在，请核对证件") from None
    if born > today:
        raise ValueError(f"{noun}中的出生日期晚于今天，请核对证件")
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    if age > MAX_AGE:
        raise ValueError(f"{noun}中的出生日期距今超过 {MAX_AGE} 年，请核对证件")
    return born


def normalize(id_type: str, number: str, *, today: date | None = None) -> str:
    """Checked, canonical form of a document number; raises ValueError with a Chinese message."""
    text = _clean(number)
    if not text:
        raise ValueError("请填写证件号码")
    if id_type not in ID_TYPES:
        raise ValueError("请选择证件类型")
    day = today or Clock().today()
    if id_type == RESIDENT_ID:
        if len(text) != 18:
            raise ValueError("身份证号码应为 18 位（最后一位可以是 X）")
        _check_18(text, day, "身份证号码")
        return text
    if id_type == RESIDENCE_PERMIT:
        if len(text) != 18:
            raise ValueError("港澳台居民居住证号码应为 18 位（最后一位可以是 X）")
        if text[:6] not in _PERMIT_REGIONS and re.fullmatch(r"\d{6}", text[:6]):
            raise ValueError("港澳台居民居住证号码应以 810000、820000 或 830000 开头，请核对证件")
        _check_18(text, day)
        return text
    if id_type == FOREIGN_PR and len(text) == 18:
        # The 2023 card: 9, province of issue, nationality, birth date, sequence, check digit.
        if not text.startswith("9"):
            raise ValueError("18 位的外国人永久居留身份证号码以 9 开头，请核对证件")
        _check_18(text, day)
        return text
    if id_type == FOREIGN_PR and not re.fullmatch(r"[A-Z]{3}\d{12}", text):
        raise ValueError("外国人永久居留身份证号码应为 18 位（以 9 开头），旧版为 3 个字母加 12 位数字")
    if not re.fullmatch(r"[0-9A-Z()（）]{4,30}", text):
        raise ValueError("证件号码只能包含字母和数字（4 到 30 位）")
    return text


def region_note(id_type: str, number: str) -> str:
    """A note for the desk (never a refusal) when the region code of an accepted number is not
    one the region table knows for the holder's birth year — e.g. a retired or renamed county.
    Empty when there is nothing to say or the number is not of the national 18-digit scheme."""
    text = _clean(number)
    if id_type != RESIDENT_ID or not re.fullmatch(r"\d{17}[\dX]", text):
        return ""
    code = text[:6]
    if code in _PERMIT_REGIONS:
        return (
            f"地区码 {code} 是{_PERMIT_REGIONS[code]}居民居住证的编码，证件类型可能应选“{RESIDENCE_PERMIT}”"
        )
    try:
        ric.get_birth_place(text)
    except ric.ValidationError:
        return f"地区码 {code} 在出生年份的行政区划表中查不到（可能已撤销或调整）；号码校验无误，可以登记"
    return ""


def mask(number: str) -> str:
    """``'11010519491231002X'`` → ``'**************002X'``: the last 4 characters of a long
    number, the last one of a short one (8 characters or fewer)."""
    if not number:
        return ""
    keep = 4 if len(number) > 8 else min(1, len(number) - 1)
    return "*" * (len(number) - keep) + number[len(number) - keep :]


def id_hash(id_type: str, number: str) -> str:
    """Keyed hash of a normalised number: matches the watch list without storing the number."""
    from reception.clock import Clock as _Clock
    from reception.store import audit
    from reception.store import sitekey

    key = sitekey.current()
    if key is None:  # a site that has written nothing yet: it gets its key (audited) now
        audit.ensure_keyed(_Clock().now())
        key = sitekey.require()
    return hmac.new(
        sitekey.subkey(key, "id-match"), f"{id_type}|{number}".encode(), hashlib.sha256
    ).hexdigest()
