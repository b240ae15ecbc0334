"""Finding calls by what is typed into the call list's search box — the one place that knows
how the search index works, on SQLite and on a PostgreSQL server alike (:func:`call_condition`).

SQLite: the ``call_search`` FTS5 index of migration 7 holds the caller's name, the content, the
location and the serial number, with every non-ASCII character a token of its own and runs of
ASCII letters and digits as one token (:func:`index_text` is the same transform as the SQL view
``call_search_source``). What is typed becomes the phrase of its tokens, so a Chinese substring of
any length — one character included — is found; a trailing run of letters or digits is a prefix
(``LD2026112`` finds the serial being typed). A room typed as ``3-2-1201``, ``3栋2单元1201`` or
``3栋1201`` is read the way :func:`reception.services.residents.parse_room` reads it and matched against
the location's room key (building and unit words replaced by letters — 3栋2单元1201 and
3号楼2单元1201室 are both ``3b2u1201``; without a unit, the units the directory has for that
building and room). Phone numbers are not in the index: typed digits (four or
more) also match the last four digits of the caller's phone, or the beginning of the number,
through ordinary indexes.

PostgreSQL (migration 7's PostgreSQL form): the same four columns are matched with a
case-insensitive regular expression (what is typed is a substring — any length, one Chinese
character included — whose leading letters or digits start a run, as the index's tokens do),
served by pg_trgm's GIN indexes; a room is matched against the same room key, computed from the location by an
expression with its own trigram index, as a whole run of letters and digits (a regular
expression), so 3栋1201 does not find 13栋12010; phone digits through ``right(caller_phone, 4)``
and the number's beginning, as on SQLite.

What the server's indexes can serve, measured (tests/benchmarks, 400,000 calls): pg_trgm finds
no trigram in a regular expression holding Chinese characters (its analysis of regular
expressions only knows characters below U+0800), so such an expression read every call
(≈ 0.3 s a keystroke) — but it does find them in a ``LIKE`` pattern. So each column is matched
with ``LIKE '%typed%'`` (``ILIKE`` for ASCII letters), the same substring, which the trigram
indexes serve; the regular expression stays on as the exact test only where ``LIKE`` is not
already it (a leading letter or digit must start a run, a letter's case). A text with no three
letters or digits in a row (one or two Chinese characters: a surname) has no trigram at all:
migration 9 indexes the characters of the four columns (GIN over ``call_characters``), and the
calls holding each Chinese character typed are read first. A cased letter outside ASCII, whose
case the server's locale may fold otherwise than Python, keeps the regular expression alone."""

from __future__ import annotations

import re
import unicodedata

import peewee

from reception.rules import phones
from reception.services.residents import parse_room
from reception.store.db import is_postgres
from reception.store.models import Call

_TEXT_COLUMNS = "{caller_name content location serial}"


def index_text(text: str) -> str:
    """The text as the index sees it: a space after every non-ASCII character and before one
    (``'3栋2单元1201'`` → ``'3 栋 2 单 元 1201'``); the same transform as ``call_search_source``."""
    out: list[str] = []
    last = len(text) - 1
    for i, ch in enumerate(text):
        out.append(ch)
        if ord(ch) >= 128 or (i < last and ord(text[i + 1]) >= 128):
            out.append(" ")
    return "".join(out)


def _has_tokens(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def _phrase(text: str, *, prefix: bool = False) -> str:
    """An FTS5 phrase of the tokens of ``text``; ``prefix``: its last token may be a prefix."""
    quoted = '"' + index_text(text).replace('"', '""') + '"'
    return quoted + "*" if prefix else quoted


def _room_units(building: str, room: str) -> list[str]:
    """The units in the directory that have this building and room (for a room typed without
    its unit, such as 3栋1201)."""
    from reception.store.models import Resident

    query = (
        Resident.select(Resident.unit)
        .where((Resident.building == building) & (Resident.room == room) & (Resident.unit != ""))
        .distinct()
    )
    return sorted({r.unit for r in query})


def match_expression(text: str) -> str | None:
    """The FTS5 query for what was typed (None when it holds nothing the index has)."""
    text = text.strip()
    if not _has_tokens(text):
        return None
    last = text[-1]
    alternatives = [f"{_TEXT_COLUMNS} : " + _phrase(text, prefix=last.isascii() and last.isalnum())]
    keys = _room_keys(text)
    if keys:
        # "place_key" holds a room as one token: 3栋2单元1201 → 3b2u1201, 3栋1201 → 3b1201.
        alternatives.append("place_key : (" + " OR ".join(_phrase(k) for k in keys) + ")")
    return " OR ".join(alternatives)


def _phone_condition(text: str) -> peewee.Expression | None:
    digits = phones.digits(text)
    if len(digits) < 4 or len(digits) != len(text.replace("-", "").replace(" ", "")):
        return None
    upper = digits[:-1] + chr(ord(digits[-1]) + 1)
    if is_postgres():
        last4 = peewee.fn.right(Call.caller_phone, peewee.SQL("4"))
    else:  # -4 written into the SQL (not a parameter) so that the expression index is used.
        last4 = peewee.fn.substr(Call.caller_phone, peewee.SQL("-4"))
    return (last4 == digits[-4:]) | ((Call.caller_phone >= digits) & (Call.caller_phone < upper))


def _room_keys(text: str) -> list[str]:
    """The room keys a typed room may be stored under (3栋2单元1201 → 3b2u1201; 3栋1201 →
    3b1201 and 3b{unit}u1201 for each unit it may be in)."""
    room = parse_room(text)
    if room is None:
        return []
    b, r = room.building, room.room
    # Without a unit: no unit, units 1–9, and the units the directory has for that room.
    units = [room.unit] if room.unit is not None else ["", *map(str, range(1, 10)), *_room_units(b, r)]
    units = list(dict.fromkeys(units))
    return [f"{b}b{u}u{r}" if u else f"{b}b{r}" for u in units]


def _pg_place_key() -> peewee.Node:
    """The PostgreSQL room key of a call's location: the expression migration 7 indexes, word for
    word (psycopg2 writes the parameters into the statement, so the planner sees the literals)."""
    key: peewee.Node = Call.location
    for word, letter in (("号楼", "b"), ("栋", "b"), ("幢", "b"), ("座", "b"), ("楼", "b"), ("单元", "u")):
        key = peewee.fn.replace(key, word, letter)
    return key


def _text_regex(text: str) -> str:
    """What is typed as a case-insensitive regular expression matching where SQLite's index
    finds it: anywhere, except that a leading run of letters or digits must start a run in the
    text (1201 in 3栋2单元1201 but 3栋 not in 13栋)."""
    start = "(^|[^0-9A-Za-z])" if text[0].isascii() and text[0].isalnum() else ""
    return start + re.escape(text)


def _pg_characters() -> peewee.Node:
    """The characters of a call's four searched columns: the function migration 9 indexes."""
    return peewee.fn.call_characters(Call.caller_name, Call.content, Call.location, Call.serial)


_TRIGRAM = re.compile(r"[^\W_]{3}")  # three letters or digits in a row: pg_trgm has a trigram


def _like_pattern(text: str) -> str:
    """``%text%`` for LIKE, its wildcards and escape character taken literally."""
    return "%" + re.sub(r"([\\%_])", r"\\\1", text) + "%"


def _pg_text_condition(text: str) -> peewee.Expression:
    """What is typed, found in the caller's name, the content, the location or the serial number."""
    columns = (Call.caller_name, Call.content, Call.location, Call.serial)
    regex = _text_regex(text)
    caseless = text.lower() == text.upper()
    exact = caseless and not (text[0].isascii() and text[0].isalnum())  # LIKE is the whole test
    trigram = _TRIGRAM.search(text) is not None
    # LIKE for the trigram indexes (ILIKE for ASCII letters) — not for a cased letter outside
    # ASCII, whose case the server's locale may fold otherwise than Python.
    folds_alike = all(ch.isascii() or ch.lower() == ch.upper() for ch in text)
    like = _like_pattern(text) if exact or (trigram and folds_alike) else None
    matches: list[peewee.Expression] = []
    for column in columns:
        found = peewee.Expression(column, "~*", regex)
        if like is not None:
            substring = peewee.Expression(column, "LIKE" if caseless else "ILIKE", like)
            found = substring if exact else substring & found
        matches.append(found)
    cond = matches[0] | matches[1] | matches[2] | matches[3]
    # No trigram (one or two Chinese characters): first the calls holding each character typed
    # outside ASCII that has no case — a Chinese character, a full-width punctuation mark — from
    # migration 9's index; the substring is then checked on those calls only. (ASCII characters
    # are in nearly every call's serial number: asking for them would narrow nothing.)
    wide = sorted({ch for ch in text if not ch.isascii() and ch.lower() == ch.upper()})
    if trigram or not wide:
        return cond
    return peewee.Expression(_pg_characters(), "@>", peewee.Value(wide, unpack=False)) & cond


def _postgres_condition(text: str) -> peewee.Expression:
    cond = _pg_text_condition(text)
    keys = _room_keys(text)
    if keys:
        alternatives = "|".join(re.escape(k) for k in keys)
        regex = f"(^|[^0-9A-Za-z])({alternatives})([^0-9A-Za-z]|$)"
        cond = cond | peewee.Expression(_pg_place_key(), "~*", regex)
    return cond


# A call's serial number being typed from its day on (LD20261126-0…): found through the serial's
# own unique index as a range. (SQLite's index would expand the last part, "0*", to the numbers
# of every day: 44–50 ms p95 over ten years of calls in tests/benchmarks.)
_SERIAL_PREFIX = re.compile(r"[A-Za-z]{2}\d{8}-\d{0,3}")


def _serial_prefix_condition(text: str) -> peewee.Expression | None:
    if not _SERIAL_PREFIX.fullmatch(text):
        return None
    low = text.upper()
    high = low[:-1] + chr(ord(low[-1]) + 1)
    return (Call.serial >= low) & (Call.serial < high)


def clean_query(text: str) -> str:
    """What was typed, without control characters (a NUL, pasted line breaks, direction controls):
    they are never part of what is searched for (a NUL once matched every call)."""
    return "".join(
        " " if ch in "\t\r\n" else ch
        for ch in text or ""
        if ch in "\t\r\n" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs")
    ).strip()


def call_condition(text: str) -> peewee.Expression | None:
    """The condition on ``Call`` for a search text; None for an empty text."""
    text = clean_query(text)
    if not text:
        return None
    serial = _serial_prefix_condition(text)
    if serial is not None:
        return serial
    cond: peewee.Expression | None = None
    if is_postgres():
        cond = _postgres_condition(text)
        phone = _phone_condition(text)
        return cond | phone if phone is not None else cond
    query = match_expression(text)
    if query is not None:
        cond = Call.id << peewee.SQL(
            '(SELECT "rowid" FROM "call_search" WHERE "call_search" MATCH ?)', [query]
        )
    else:  # only punctuation or symbols: nothing the index holds, look in the text itself
        cond = Call.caller_name.contains(text) | Call.content.contains(text) | Call.location.contains(text)
    phone = _phone_condition(text)
    if phone is not None:
        cond = cond | phone
    return cond


def count_calls(text: str) -> int | None:
    """How many calls match ``text`` when nothing else filters them, counted in the index alone
    (no call rows read); None when the index cannot answer by itself (typed digits also match
    phone numbers, which are not in the index)."""
    text = clean_query(text)
    if not text or is_postgres() or _phone_condition(text) is not None or _SERIAL_PREFIX.fullmatch(text):
        return None
    query = match_expression(text)
    if query is None:
        return None
    row = Call._meta.database.execute_sql(
        'SELECT count(*) FROM "call_search" WHERE "call_search" MATCH ?', (query,)
    ).fetchone()
    return int(row[0])
