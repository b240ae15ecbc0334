"""The small row tables' own looks, now hooks of RowsTableModel (font_of, background): an expected
appointment in bold, an expired visitor's row on the emergency background, a case escalated twice
in bold; every other row as the table's default."""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta

from PySide6.QtCore import Qt

from reception.services import visits
from reception.services.records import Appointment
from reception.services.records import Visit
from ui.cases.case_escalation_panel import EscalatedModel
from ui.visits.appointments_panel import AppointmentsModel
from ui.visits.on_site_panel import EXPIRED_BG
from ui.visits.on_site_panel import OnSiteModel

NOW = datetime(2026, 11, 26, 9, 0)
FONT = Qt.ItemDataRole.FontRole
BACKGROUND = Qt.ItemDataRole.BackgroundRole


def test_an_expected_appointment_is_bold(qtbot) -> None:
    model = AppointmentsModel()
    model.set_rows([Appointment(status=visits.EXPECTED), Appointment(status=visits.ARRIVED)])
    assert model.data(model.index(0, 1), FONT).bold()
    assert model.data(model.index(1, 1), FONT) is None
    assert model.data(model.index(0, 1), BACKGROUND) is None


def test_an_expired_visitor_is_on_the_emergency_background(qtbot) -> None:
    model = OnSiteModel(lambda: NOW)
    expired = Visit(status=visits.ON_SITE, valid_until=NOW - timedelta(minutes=1))
    valid = Visit(status=visits.ON_SITE, valid_until=NOW + timedelta(hours=1))
    model.set_rows([expired, valid])
    assert model.data(model.index(0, 0), BACKGROUND) == EXPIRED_BG
    assert model.data(model.index(1, 0), BACKGROUND) is None
    assert model.data(model.index(0, 0), FONT) is None


class _Escalated:
    def __init__(self, level: int) -> None:
        self.escalation_level = level


def test_a_case_escalated_twice_is_bold(qtbot) -> None:
    model = EscalatedModel(lambda: NOW)
    model.set_rows([_Escalated(2), _Escalated(1)])
    assert model.data(model.index(0, 0), FONT).bold()
    assert model.data(model.index(1, 0), FONT) is None
