"""The residents directory (业户资料): rooms, names, phones, and finding them as people type."""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import fields
from datetime import datetime

import peewee

from reception.errors import NotFound
from reception.errors import ValidationError
from reception.rules import phones
from reception.rules.textcheck import FieldErrors
from reception.rules.textcheck import halfwidth_digits
from reception.rules.textcheck import one_line
from reception.rules.textcheck import person_name
from reception.services.session import Session
from reception.store import audit
from reception.store import db
from reception.store.models import Call
from reception.store.models import Resident

RELATIONS = ["业主", "家属", "租户", "其他"]

# 3-2-1201 | 3栋2单元1201 | 3号楼2单元1201室 | 3栋1201 | 3-1201
_ROOM_DASHED = re.compile(r"^(?P<b>[0-9A-Za-z]+)[-－/](?:(?P<u>\d+)[-－/])?(?P<r>\d{3,5})$")
_ROOM_WORDS = re.compile(
    r"^(?P<b>[0-9A-Za-z]+)(?:栋|幢|号楼|座|楼)(?:(?P<u>\d+)单元)?(?P<r>\d{3,5})(?:室|号)?$"
)


@dataclass(frozen=True)
class RoomQuery:
    building: str
    unit: str | None
    room: str


def parse_room(text: str) -> RoomQuery | None:
    """``'3-2-1201'``, ``'3栋2单元1201'``, ``'3栋1201'`` → building, unit (if given), room."""
    compact = halfwidth_digits(text).replace(" ", "").strip()
    for pattern in (_ROOM_DASHED, _ROOM_WORDS):
        match = pattern.match(compact)
        if match:
            return RoomQuery(match["b"].upper(), match["u"], match["r"])
    return None


def strip_suffix(value: str, suffixes: tuple[str, ...]) -> str:
    text = halfwidth_digits(value).strip()
    for suffix in suffixes:
        if text.endswith(suffix) and text[: -len(suffix)]:
            return text[: -len(suffix)].strip()
    return text


def normalize_building(value: str) -> str:
    return strip_suffix(value, ("号楼", "栋", "幢", "座", "楼")).upper()


def normalize_unit(value: str) -> str:
    return strip_suffix(value, ("单元",))


def normalize_room(value: str) -> str:
    return strip_suffix(value, ("室", "号"))


def room_label(building: str, unit: str, room: str) -> str:
    """``'3栋2单元1201'`` (the way people say it)."""
    return f"{building}栋{unit + '单元' if unit else ''}{room}"


def short_room(building: str, unit: str, room: str) -> str:
    """``'3-2-1201'``."""
    return "-".join(p for p in (building, unit, room) if p)


# Per character: its initials in every reading (pypinyin, heteronym=True), lower-cased and
# sorted. pypinyin is slow (≈ 50 µs a name, and it was asked twice per name); the given name is
# put together from this cache when each of its characters has one initial in all readings (the
# reading pypinyin would pick in context then has that initial too). Otherwise — several initials,
# or a character without a reading — pypinyin is asked about the whole given name, as before.
_initials_cache: dict[str, tuple[str, ...]] = {}


def _char_initials(ch: str) -> tuple[str, ...]:
    found = _initials_cache.get(ch)
    if found is None:
        from pypinyin import Style
        from pypinyin import pinyin

        readings = pinyin(ch, style=Style.FIRST_LETTER, heteronym=True, errors="ignore", strict=False)
        found = tuple(sorted({h.lower() for h in readings[0]})) if readings else ()
        _initials_cache[ch] = found
    return found


def pinyin_initials(name: str) -> str:
    """Pinyin initials, ``'zs'`` for 张三. A surname with several readings (曾 céng/zēng,
    单 dān/shàn…) gives each variant, separated by spaces: ``'cxm zxm'``."""
    parts: list[str] = []
    for ch in name[1:]:
        initials = _char_initials(ch)
        if len(initials) != 1:
            from pypinyin import Style
            from pypinyin import lazy_pinyin

            parts = lazy_pinyin(name[1:], style=Style.FIRST_LETTER, errors="ignore", strict=False)
            break
        parts.append(initials[0])
    rest = "".join(parts)
    heads = list(_char_initials(name[:1])) if name else []
    if not heads:
        heads = [""]
    return " ".join(f"{h}{rest}".lower() for h in heads[:4])[:50]


@dataclass
class ResidentInput:
    building: str
    unit: str
    room: str
    name: str
    relation: str = ""
    phone: str = ""
    phone_alt: str = ""
    note: str = ""


@dataclass
class CleanResident:
    building: str
    unit: str
    room: str
    name: str
    relation: str
    phone: str
    phone_alt: str
    note: str


def clean(data: ResidentInput) -> CleanResident:
    """Validate and tidy one resident; raises ValidationError with a message per field."""
    errs = FieldErrors()
    building = errs.check("building", one_line, data.building, "楼栋", max_len=20, required=True)
    unit = errs.check("unit", one_line, data.unit, "单元", max_len=20)
    room = errs.check("room", one_line, data.room, "房号", max_len=20, required=True)
    name = errs.check("name", person_name, data.name, "姓名", max_len=50, required=True)
    relation = errs.check("relation", one_line, data.relation, "身份", max_len=20)
    phone = errs.check("phone", phones.normalize, data.phone)
    phone_alt = errs.check("phone_alt", phones.normalize, data.phone_alt)
    note = errs.check("note", one_line, data.note, "备注", max_len=200)
    errs.raise_if_any()
    assert building is not None and room is not None and name is not None
    return CleanResident(
        building=normalize_building(building),
        unit=normalize_unit(unit or ""),
        room=normalize_room(room),
        name=name,
        relation=relation or "",
        phone=phone or "",
        phone_alt=phone_alt or "",
        note=note or "",
    )


def clean_of(r: Resident) -> CleanResident:
    """A stored resident's values in the shape :func:`clean` returns."""
    return CleanResident(**{f.name: getattr(r, f.name) or "" for f in fields(CleanResident)})


def _masked(c: CleanResident) -> dict[str, str]:
    return {
        "room": short_room(c.building, c.unit, c.room),
        "name": c.name,
        "phone": phones.mask(c.phone),
        "phone_alt": phones.mask(c.phone_alt),
    }


def add_resident(session: Session, data: ResidentInput) -> Resident:
    c = clean(data)
    if (
        Resident.select()
        .where(
            (Resident.building == c.building)
            & (Resident.unit == c.unit)
            & (Resident.room == c.room)
            & (Resident.name == c.name)
        )
        .exists()
    ):
        raise ValidationError.single("name", "该房间已有同名住户")
    now = session.now()
    with db.write():
        r = Resident.create(**vars(c), initials=pinyin_initials(c.name), created_at=now, updated_at=now)
        audit.record(now, session.operator, "resident.create", "resident", r.id, **_masked(c))
    return r


def update_resident(
    session: Session, resident_id: int, data: ResidentInput, *, active: bool = True
) -> Resident:
    r = Resident.get_or_none(Resident.id == resident_id)
    if r is None:
        raise NotFound("找不到该住户。")
    c = clean(data)
    clash = Resident.select().where(
        (Resident.building == c.building)
        & (Resident.unit == c.unit)
        & (Resident.room == c.room)
        & (Resident.name == c.name)
        & (Resident.id != resident_id)
    )
    if clash.exists():
        raise ValidationError.single("name", "该房间已有同名住户")
    now = session.now()
    with db.write():
        Resident.update(**vars(c), initials=pinyin_initials(c.name), active=active, updated_at=now).where(
            Resident.id == resident_id
        ).execute()
        changed = sorted(k for k, v in vars(c).items() if getattr(r, k) != v)
        if r.active != active:
            changed.append("active")
        # Before and after, masked as everywhere in the log: who changed what from what.
        was = _masked(clean_of(r))
        now_is = _masked(c)
        audit.record(
            now,
            session.operator,
            "resident.update",
            "resident",
            resident_id,
            changed=changed,
            before={k: was[k] for k in was if was[k] != now_is[k]}
            | ({"active": r.active} if r.active != active else {}),
            **now_is,
        )
    return Resident.get_by_id(resident_id)


def get(resident_id: int) -> Resident:
    r = Resident.get_or_none(Resident.id == resident_id)
    if r is None:
        raise NotFound("找不到该住户。")
    return r


_full_pinyin: dict[str, str] = {}


def _pinyin_key(name: str) -> str:
    """``'谢文军'`` → ``'xie wen jun'``: names sorted the way a Chinese list is (谢 before 薛)."""
    found = _full_pinyin.get(name)
    if found is None:
        from pypinyin import lazy_pinyin

        found = " ".join(lazy_pinyin(name, errors="default", strict=False)).lower()
        if len(_full_pinyin) < 50_000:
            _full_pinyin[name] = found
    return found


def _ranked(query: peewee.ModelSelect[Resident], limit: int, *first: peewee.Expression) -> list[Resident]:
    """The matches, best first: ``first`` (the better kind of match), then whoever called most
    recently, the 业主 before 家属 and 租户, then the name in pinyin order and the room."""
    last_call = Call.select(peewee.fn.MAX(Call.started_at)).where(Call.resident == Resident.id)
    rows: list[Resident] = list(
        query.select_extend(last_call.alias("last_call"))
        .order_by(
            *(f.desc() for f in first),
            peewee.Desc(last_call, nulls="LAST"),
            (Resident.relation == "业主").desc(),
            Resident.building,
            Resident.unit,
            Resident.room,
            Resident.name,
        )
        .limit(limit)
    )
    # Same rank in the database (no call, same relation): the name in pinyin order, as people
    # expect a list of names to be (the database orders characters by their code).
    rows.sort(key=lambda r: (r.relation != "业主", _pinyin_key(r.name), r.building, r.unit, r.room))
    rows.sort(key=_last_call, reverse=True)  # stable: equal recency keeps the order above
    return rows


def _last_call(r: Resident) -> str:
    last = getattr(r, "last_call", None)
    if isinstance(last, datetime):
        return last.isoformat(sep=" ")
    return str(last or "")


def lookup(text: str, limit: int = 20, include_inactive: bool = False) -> list[Resident]:
    """Residents matching what is typed: a room (``3-2-1201``, ``3栋1201``, ``1201``), a phone
    (whole or the last four digits), a name or part of it, or pinyin initials (``zs``).

    Best first: an exact match of the initials (``xwj`` → 谢文军 before 谢文君的 ``xwjd``), then
    whoever called most recently, the 业主 before 家属 and 租户, then the name in pinyin order."""
    q = halfwidth_digits(text or "").strip()
    if not q:
        return []
    base = Resident.select()
    if not include_inactive:
        base = base.where(Resident.active == True)  # noqa: E712
    compact = re.sub(r"[\s\-]", "", q)
    is_number = compact.lstrip("+").isdigit()
    room = None if is_number and len(compact) >= 7 else parse_room(q)
    if room is not None:
        cond = (Resident.building == room.building) & (Resident.room == room.room)
        if room.unit:
            cond &= Resident.unit == room.unit
        return _ranked(base.where(cond), limit)
    if is_number:
        number = compact[-11:] if compact.startswith(("+86", "86")) and len(compact) > 11 else compact
        conds = []
        if len(number) >= 7:
            conds.append(Resident.phone.startswith(number) | Resident.phone_alt.startswith(number))
            conds.append(Resident.phone.endswith(number[-8:]) | Resident.phone_alt.endswith(number[-8:]))
        else:
            conds.append(Resident.room == number)
            if len(number) == 4:
                conds.append(Resident.phone.endswith(number) | Resident.phone_alt.endswith(number))
        cond = conds[0]
        for extra in conds[1:]:
            cond |= extra
        return _ranked(base.where(cond), limit)
    if q.isascii() and q.isalpha():
        key = q.lower()
        cond = (
            Resident.initials.startswith(key)
            | Resident.initials.contains(" " + key)
            | Resident.name.contains(q)
        )
        exact = (
            (Resident.initials == key)
            | Resident.initials.startswith(key + " ")
            | Resident.initials.endswith(" " + key)
            | Resident.initials.contains(" " + key + " ")
        )
        return _exact_first(_ranked(base.where(cond), limit, exact), key)
    whole, begins = Resident.name == q, Resident.name.startswith(q)
    return _exact_first_name(_ranked(base.where(Resident.name.contains(q)), limit, whole, begins), q)


def _exact_first(rows: list[Resident], key: str) -> list[Resident]:
    """Initials typed in full (``xwj`` = 谢文军) before longer names that begin so (``xwjd``)."""
    return sorted(rows, key=lambda r: key not in r.initials.split())


def _exact_first_name(rows: list[Resident], q: str) -> list[Resident]:
    """The whole name typed, then names beginning with it, then names containing it."""
    return sorted(rows, key=lambda r: (r.name != q, not r.name.startswith(q)))


@dataclass(frozen=True)
class ResidentRow:
    """One line of the residents directory, the numbers masked (editing a resident reads the
    record itself: :func:`get`)."""

    id: int
    building: str
    unit: str
    room: str
    name: str
    relation: str
    phone_masked: str
    phone_alt_masked: str
    note: str
    active: bool


def _row(r: Resident) -> ResidentRow:
    return ResidentRow(
        r.id,
        r.building,
        r.unit,
        r.room,
        r.name,
        r.relation,
        phones.mask(r.phone),
        phones.mask(r.phone_alt),
        r.note,
        bool(r.active),
    )


def browse(
    search: str = "", include_inactive: bool = True, offset: int = 0, limit: int = 500
) -> list[ResidentRow]:
    """The directory view's rows, numbers masked."""
    if search.strip():
        return [_row(r) for r in lookup(search, limit=limit, include_inactive=include_inactive)]
    query = Resident.select()
    if not include_inactive:
        query = query.where(Resident.active == True)  # noqa: E712
    ordered = query.order_by(
        Resident.building.cast("INTEGER"), Resident.building, Resident.unit, Resident.room, Resident.name
    )
    return [_row(r) for r in ordered.offset(offset).limit(limit)]


def count(include_inactive: bool = True) -> int:
    query = Resident.select()
    if not include_inactive:
        query = query.where(Resident.active == True)  # noqa: E712
    return query.count()
