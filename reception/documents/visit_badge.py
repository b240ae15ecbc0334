"""A saved visit's badge: its data taken from the visit, drawn by :mod:`reception.documents.badge`,
and the print counted through :mod:`reception.services.badge_prints` once the PDF exists (the
window prints it, the command line writes it to a file)."""

from __future__ import annotations

from pathlib import Path

from reception.clock import to_local
from reception.documents.badge import BadgeData
from reception.documents.badge import render_badge
from reception.rules.badge_sizes import BADGE_SIZES
from reception.services import badge_prints
from reception.services import settings as settings_mod
from reception.services.session import Session
from reception.services.visits import get_visit
from reception.store.models import Visit


def badge_data(visit: Visit, *, reprint: bool) -> BadgeData:
    badge_prints.check_printable(visit)
    assert visit.valid_until is not None  # checked above
    return BadgeData(
        property_name=settings_mod.load().property_name,
        pass_no=visit.serial,
        visitor_name=visit.visitor_name,
        destination=visit.badge_destination,
        purpose=visit.purpose,
        issued_at=to_local(visit.arrived_at),
        valid_until=to_local(visit.valid_until),
        party_size=visit.party_size,
        visitor_unit=visit.visitor_unit,
        reprint=reprint,
    )


def _render(visit: Visit, size: str | None) -> tuple[bytes, bool, str]:
    badge_prints.check_printable(visit)
    chosen = badge_prints.chosen_size(size, BADGE_SIZES)
    reprint = visit.badge_prints > 0
    return render_badge(badge_data(visit, reprint=reprint), chosen), reprint, chosen


def render_for_visit(session: Session, visit_id: int, size: str | None = None) -> bytes:
    """The badge PDF of a visit. The first print is a print; every later one is a 补打 (reprint),
    recorded in the audit log. The count is written before the PDF is handed to the printer."""
    visit = get_visit(visit_id)
    pdf, reprint, chosen = _render(visit, size)
    badge_prints.record_print(session, visit, reprint, chosen)
    return pdf


def write_for_serial(session: Session, serial: str, out: Path, size: str | None = None) -> Path:
    """The badge of the visit ``serial`` written to the file ``out`` (the command line). The print
    is counted and audited only once the file is in place: a failed write records nothing."""
    from reception.store.files import check_target
    from reception.store.files import write_bytes

    check_target(out)
    visit = badge_prints.find_by_serial(serial)
    pdf, reprint, chosen = _render(visit, size)
    write_bytes(out, pdf)
    badge_prints.record_print(session, visit, reprint, chosen)
    return out
