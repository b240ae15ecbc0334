"""The per-site secret key: never in the database, so a copy of the data folder alone cannot
forge the audit log or test guesses of an ID number against the watch-list match.

The key (32 random bytes) is kept in the operating system's credential store through ``keyring``
(Windows Credential Manager, the Secret Service on Linux) where one exists, else in a key file
readable only by the desk account, in a folder outside the data folder (platformdirs' user config
folder; the environment variable ``RECEPTION_KEY_DIR`` points it elsewhere — the tests use it, and
then the credential store is never touched). The same folder holds the audit anchors
(:mod:`reception.store.audit`).

The database holds only the site's id (which key belongs to it) and a check value (an HMAC of a
constant under the key) that tells a right key from a wrong one. The **recovery key** is the key
in a printable, typeable form (base32 in groups of four, with two check characters): shown and
printed at set-up, and asked for where the key is missing (a restore onto another PC, a new desk
of a server site)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import secrets
import sys
from pathlib import Path
from typing import Any

from reception.errors import StorageError
from reception.store.models import Setting

ENV_DIR = "RECEPTION_KEY_DIR"
SERVICE = "前台接待工作站-站点密钥"
SITE_ID = "site_id"
KEY_CHECK = "site_key_check"
_CHECK_LABEL = b"reception/site-key-check/v1"


class SiteKeyMissing(StorageError):
    """The database belongs to a keyed site whose key this PC does not hold (or holds a wrong one)."""

    def __init__(self, message: str = "") -> None:
        super().__init__(
            message
            or "本机没有此站点的密钥（数据可能是从别的电脑恢复或迁移来的）。请输入设置时打印的“恢复密钥”。",
            retryable=False,
        )


def key_dir() -> Path:
    """The folder for the key file and the anchors — outside the data folder."""
    configured = os.environ.get(ENV_DIR, "")
    if configured:
        return Path(configured)
    from platformdirs import user_config_path

    return user_config_path("reception-desk", appauthor=False) / "site-keys"


def _private_dir() -> Path:
    folder = key_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    if sys.platform != "win32":
        os.chmod(folder, 0o700)
    return folder


def _keyring() -> Any:
    """The OS credential store, or ``None`` where there is none (keyring's fail backend, or the
    tests' key folder)."""
    if os.environ.get(ENV_DIR):
        return None
    try:
        import keyring
        from keyring.backends import fail

        store = keyring.get_keyring()
    except Exception:
        return None
    if isinstance(store, fail.Keyring) or getattr(store, "priority", 0) <= 0:
        return None
    return store


def _key_file(site: str) -> Path:
    return key_dir() / f"{site}.key"


def load(site: str) -> bytes | None:
    """This PC's key for ``site``, or ``None``."""
    store = _keyring()
    if store is not None:
        try:
            text = store.get_password(SERVICE, site)
        except Exception:
            text = None
        if text:
            return bytes.fromhex(text)
    path = _key_file(site)
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise StorageError(f"无法读取站点密钥文件 {path}：{exc}", retryable=False) from exc


def save(site: str, key: bytes) -> None:
    """Keep ``key`` for ``site`` on this PC (credential store, else a 0600 key file)."""
    store = _keyring()
    if store is not None:
        try:
            store.set_password(SERVICE, site, key.hex())
            return
        except Exception:
            pass
    path = _key_file(site)
    _private_dir()
    temp = path.with_name(path.name + ".new")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, key.hex().encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    if sys.platform != "win32":
        os.chmod(temp, 0o600)
    os.replace(temp, path)


def check_value(key: bytes) -> str:
    return hmac.new(key, _CHECK_LABEL, hashlib.sha256).hexdigest()[:32]


def subkey(key: bytes, purpose: str) -> bytes:
    """A key for one purpose (the audit MACs, the ID-number match), derived from the site key."""
    return hmac.new(key, f"reception/{purpose}/v1".encode(), hashlib.sha256).digest()


def _setting(name: str) -> str:
    row = Setting.get_or_none(Setting.key == name)
    if row is None:
        return ""
    try:
        value = json.loads(row.value)
    except ValueError:
        return ""
    return value if isinstance(value, str) else ""


def site_id() -> str:
    """The open database's site id ('' for a site never keyed)."""
    return _setting(SITE_ID)


# The key of the open database, per connection: (connection, key). A new database, a reopened
# one (restore) or a new connection reads it again.
_cache: tuple[object, bytes] | None = None


def _connection() -> object:
    from reception.store import db

    return db.current().connection()


def forget() -> None:
    global _cache
    _cache = None


def current(*, create: bool = False) -> bytes | None:
    """The open site's key. ``None`` when the site has none yet and ``create`` is false; with
    ``create`` (inside a write transaction) a new key is made and stored. Raises
    :class:`SiteKeyMissing` when the site is keyed but this PC lacks its key."""
    global _cache
    connection = _connection()
    cached = _cache
    if cached is not None and cached[0] is connection:
        return cached[1]
    site = site_id()
    if not site:
        if not create:
            return None
        key = secrets.token_bytes(32)
        site = secrets.token_hex(8)
        save(site, key)
        for name, value in ((SITE_ID, site), (KEY_CHECK, check_value(key))):
            text = json.dumps(value)
            Setting.insert(key=name, value=text).on_conflict(
                conflict_target=[Setting.key], update={Setting.value: text}
            ).execute()
        _cache = (connection, key)
        return key
    found = load(site)
    if found is None:
        raise SiteKeyMissing()
    key = found
    expected = _setting(KEY_CHECK)
    if expected and not hmac.compare_digest(expected, check_value(key)):
        raise SiteKeyMissing("本机保存的站点密钥与此数据库不符。请输入此站点设置时打印的“恢复密钥”。")
    _cache = (connection, key)
    return key


def require() -> bytes:
    """The open site's key, created when the site has none yet (call inside a write transaction)."""
    key = current(create=True)
    assert key is not None
    return key


# ---- the recovery key ---------------------------------------------------------------------------


def _check_chars(raw: bytes) -> str:
    return base64.b32encode(hashlib.sha256(raw).digest()[:5]).decode("ascii")[:2]


def recovery_key(key: bytes) -> str:
    """``key`` as 54 base32 characters in groups of four (the last two are a check)."""
    text = base64.b32encode(key).decode("ascii").rstrip("=") + _check_chars(key)
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def parse_recovery_key(text: str) -> bytes:
    """The key from a typed recovery key; ValueError with a Chinese message when it is not one."""
    clean = re.sub(r"[\s\-－—]", "", (text or "").upper()).replace("0", "O").replace("1", "I")
    clean = clean.replace("8", "B")
    if len(clean) != 54 or not re.fullmatch(r"[A-Z2-7]+", clean):
        raise ValueError("恢复密钥应为 54 个字母和数字（每 4 个一组），请对照打印件重新输入")
    try:
        key = base64.b32decode(clean[:52] + "====")
    except ValueError:
        raise ValueError("恢复密钥有误，请对照打印件重新输入") from None
    if _check_chars(key) != clean[52:]:
        raise ValueError("恢复密钥有输错的字符，请对照打印件逐组核对")
    return key


def install_recovery_key(text: str) -> None:
    """Check a typed recovery key against the open database and keep it on this PC."""
    key = parse_recovery_key(text)
    site = site_id()
    if not site:
        raise ValueError("此数据库还没有站点密钥，不需要恢复密钥")
    if not hmac.compare_digest(_setting(KEY_CHECK), check_value(key)):
        raise ValueError("这个恢复密钥不属于此数据库（可能是另一个站点的），请核对")
    save(site, key)
    forget()


def current_recovery_key() -> str:
    """The open site's recovery key (for the set-up sheet and its reprint by an administrator)."""
    key = current()
    if key is None:
        raise SiteKeyMissing("此站点还没有站点密钥。")
    return recovery_key(key)
