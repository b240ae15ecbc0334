"""The record that a visitor's badge was printed: which visits may have one, finding a visit by its
serial number for a reprint, and counting each print (the first is a print, every later one a 补打,
audited). The badge itself is drawn by :mod:`reception.documents.visit_badge`, which calls this
module once the PDF exists — so a failed rendering or a failed write records nothing.

The visit is always saved before its badge is printed, so a failed print never loses a visit; the
badge can be printed again."""

from __future__ import annotations

from collections.abc import Collection

from reception.errors import ReceptionError
from reception.services import settings as settings_mod
from reception.services.session import Session
from reception.services.visits import GUEST
from reception.services.visits import LEFT
from reception.services.visits import ON_SITE
from reception.store import audit
from reception.store import db
from reception.store.models import Visit


def check_printable(visit: Visit) -> None:
    """Refuses (in Chinese) a visit that has no badge: a resident's business, or not admitted."""
    if visit.kind != GUEST:
        raise ReceptionError("业户办事不需要访客证。")
    if visit.status not in (ON_SITE, LEFT) or visit.valid_until is None:
        raise ReceptionError("该访客未放行，不能打印访客证。")


def chosen_size(size: str | None, known: Collection[str]) -> str:
    """``size``, or the property's badge size; refused when it is not one of ``known``."""
    chosen = size or settings_mod.load().badge_size
    if chosen not in known:
        raise ReceptionError(f"未知的访客证尺寸：{chosen}")
    return chosen


def record_print(session: Session, visit: Visit, reprint: bool, size: str) -> None:
    """Count one print of ``visit``'s badge, with its audit entry (in one transaction)."""
    now = session.now()
    with db.write():
        Visit.update(badge_prints=Visit.badge_prints + 1).where(Visit.id == visit.id).execute()
        audit.record(
            now,
            session.operator,
            "visit.badge_reprint" if reprint else "visit.badge_print",
            "visit",
            visit.id,
            serial=visit.serial,
            size=size,
        )


def find_by_serial(serial: str) -> Visit:
    """The visit with this 来访编号; another kind of serial number is named as such."""
    from reception.store import serials

    text = serial.strip().upper()
    visit = Visit.get_or_none(Visit.serial == text)
    if visit is not None:
        return visit
    kinds = {serials.CALL: "来电", serials.LETTER: "来函", serials.CASE: "工单", serials.RECEIPT: "收文"}
    kind = kinds.get(text[:2])
    if kind is not None:
        raise ReceptionError(f"{serial} 是{kind}编号；访客证要用来访编号（LF 开头，例如 LF20261126-012）。")
    raise ReceptionError(f"找不到来访记录 {serial}：请核对来访编号（LF 开头，例如 LF20261126-012）。")
