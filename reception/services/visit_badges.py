"""Badges for admitted visitors: what goes on them, and the record that one was printed.

The visit is always saved before its badge is printed, so a failed print never loses a visit;
the badge can be printed again (a reprint is marked 补打 and audited)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from reception.clock import to_local
from reception.errors import ReceptionError
from reception.services import settings as settings_mod
from reception.services.session import Session
from reception.services.visits import GUEST, LEFT, ON_SITE, get_visit
from reception.store import audit, db
from reception.store.models import Visit

if TYPE_CHECKING:
    from reception.documents.badge import BadgeData


def _printable(visit: Visit) -> None:
    if visit.kind != GUEST:
        raise ReceptionError("业户办事不需要访客证。")
    if visit.status not in (ON_SITE, LEFT) or visit.valid_until is None:
        raise ReceptionError("该访客未放行，不能打印访客证。")


def badge_data(visit: Visit, *, reprint: bool) -> BadgeData:
    from reception.documents.badge import BadgeData  # reportlab is loaded only when a badge is wanted

    _printable(visit)
    assert visit.valid_until is not None  # checked by _printable
    return BadgeData(
        property_name=settings_mod.load().property_name,
        pass_no=visit.serial,
        visitor_name=visit.visitor_name,
        destination=visit.badge_destination,
        purpose=visit.purpose,
        issued_at=to_local(visit.arrived_at),
        valid_until=to_local(visit.valid_until),
        party_size=visit.party_size,
        reprint=reprint,
    )


def render_for_visit(session: Session, visit_id: int, size: str | None = None) -> bytes:
    """The badge PDF of a visit. The first print is a print; every later one is a 补打 (reprint),
    recorded in the audit log. The count is written before the PDF is handed to the printer."""
    from reception.documents.badge import BADGE_SIZES, render_badge

    visit = get_visit(visit_id)
    _printable(visit)
    chosen = size or settings_mod.load().badge_size
    if chosen not in BADGE_SIZES:
        raise ReceptionError(f"未知的访客证尺寸：{chosen}")
    reprint = visit.badge_prints > 0
    pdf = render_badge(badge_data(visit, reprint=reprint), chosen)
    now = session.now()
    with db.write():
        Visit.update(badge_prints=Visit.badge_prints + 1).where(Visit.id == visit_id).execute()
        audit.record(
            now,
            session.operator,
            "visit.badge_reprint" if reprint else "visit.badge_print",
            "visit",
            visit_id,
            serial=visit.serial,
            size=chosen,
        )
    return pdf


def write_for_serial(session: Session, serial: str, out: Path, size: str | None = None) -> Path:
    visit = Visit.get_or_none(Visit.serial == serial.strip().upper())
    if visit is None:
        raise ReceptionError(f"找不到来访记录 {serial}。")
    pdf = render_for_visit(session, visit.id, size)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(pdf)
    tmp.replace(out)
    return out
