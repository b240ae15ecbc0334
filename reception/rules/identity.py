"""Identity documents of visitors: checking, masking and the salted hash used by the
watch list. By default the full number is never stored (setting ``store_full_id``)."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from stdnum.cn import ric

from reception.rules.textcheck import halfwidth_digits
from reception.store.models import Setting

RESIDENT_ID = "居民身份证"
ID_TYPES = [
    RESIDENT_ID,
    "护照",
    "港澳居民来往内地通行证",
    "台湾居民来往大陆通行证",
    "外国人永久居留身份证",
    "驾驶证",
    "其他",
]
_SALT_KEY = "id_hash_salt"


def normalize(id_type: str, number: str) -> str:
    """Checked, canonical form of a document number; raises ValueError with a Chinese message."""
    text = re.sub(r"[\s\-]", "", halfwidth_digits(number or "")).upper()
    if not text:
        raise ValueError("请填写证件号码")
    if id_type not in ID_TYPES:
        raise ValueError("请选择证件类型")
    if id_type == RESIDENT_ID:
        if len(text) != 18 or not re.fullmatch(r"\d{17}[\dX]", text):
            raise ValueError("身份证号码应为 18 位（最后一位可以是 X）")
        try:
            ric.validate(text)
        except ric.InvalidChecksum:
            raise ValueError("身份证号码校验位不正确，请核对证件重新输入") from None
        except ric.InvalidComponent:
            raise ValueError("身份证号码中的出生日期或地区码无效，请核对证件") from None
        except ric.ValidationError:
            raise ValueError("身份证号码格式不正确") from None
        return text
    if not re.fullmatch(r"[0-9A-Z()（）]{4,30}", text):
        raise ValueError("证件号码只能包含字母和数字（4 到 30 位）")
    return text


def mask(number: str) -> str:
    """``'11010519491231002X'`` → ``'1101**********002X'``."""
    if not number:
        return ""
    if len(number) <= 8:
        return number[:1] + "*" * (len(number) - 2) + number[-1:]
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


# The salt of the open database, read once per connection: (the connection it was read on, salt).
# A new database, a reopened one (restore) or a new connection reads it again; the salt of a
# database never changes once created.
_salt_cache: tuple[object, bytes] | None = None


def _salt() -> bytes:
    """This installation's secret salt (created on first use, in its own small transaction when
    the caller has none open)."""
    global _salt_cache
    from reception.store import db

    connection = db.current().connection()
    cached = _salt_cache
    if cached is not None and cached[0] is connection:
        return cached[1]
    row = Setting.get_or_none(Setting.key == _SALT_KEY)
    if row is None:
        with db.write():
            Setting.insert(key=_SALT_KEY, value=f'"{secrets.token_hex(32)}"').on_conflict_ignore().execute()
        row = Setting.get(Setting.key == _SALT_KEY)
    salt = bytes.fromhex(row.value.strip('"'))
    _salt_cache = (connection, salt)
    return salt


def id_hash(id_type: str, number: str) -> str:
    """Salted hash of a normalised number: matches the watch list without storing the number."""
    return hmac.new(_salt(), f"{id_type}|{number}".encode(), hashlib.sha256).hexdigest()
