"""Masking audit (privacy row 18): every list, badge, report and export a receptionist can see
is rendered, and no full ID or phone number appears in any of them."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit

from reception.clock import to_local
from reception.documents import handover_report
from reception.documents.complaints_report import render_complaints_report
from reception.documents.dispatch_slip import dispatch_slip_for
from reception.documents.onsite_list import render_on_site_list
from reception.documents.routing_slip import routing_slip_for
from reception.documents.visit_badge import render_for_visit
from reception.errors import PermissionDenied
from reception.services import analysis
from reception.services import handover
from reception.services import letters
from reception.services import shifts
from reception.services import visits
from reception.store.attachments import AttachmentStore
from reception.store.models import Case
from tests import mixed_traffic as traffic
from ui.widgets.resident_lookup import ResidentLookup

ID_NUMBER = traffic.ID_NUMBER
FULL_NUMBERS = [
    "13812345678",
    "21500011112",
    "13987654321",
    "13700001234",
    "15011112222",
    "18622223333",
    "13566667777",
    "13544445555",
    "17788889999",
    "1101051949123",
    ID_NUMBER[:-1],
]


def leaks(text: str) -> list[str]:
    digits = re.sub(r"[^0-9X]", "", text.upper())
    return [n for n in FULL_NUMBERS if n in digits]


@pytest.fixture
def world(admin, receptionist, clock, tmp_path):
    store = AttachmentStore(tmp_path / "attachments")
    shifts.start(receptionist)
    home = traffic.host(admin, "13812345678", "021-50001111")
    traffic.dispatched_complaint(
        receptionist,
        clock.now(),
        "楼上漏水",
        "工程部",
        "刘工",
        caller_name="钱先生",
        caller_phone="13987654321",
    )
    traffic.callback_call(receptionist, clock, "车位", "13700001234")
    traffic.message_call(receptionist, clock, "刘工", "15011112222")
    visit = traffic.visitor_on_site(receptionist, home.id, "18622223333")
    traffic.appointment(receptionist, clock, home.id, hours=2, purpose="送货", phone="17788889999")
    letter = traffic.complaint_letter(
        receptionist,
        store,
        "业主",
        contact="13566667777",
        summary="请回电 13544445555",
        resident_id=home.id,
    )
    return {"store": store, "visit": visit, "letter": letter}


def pdf_text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_printed_documents_show_no_full_number(world, receptionist, clock, tmp_path):
    documents = {
        "badge": render_for_visit(receptionist, world["visit"].id),
        "handover": handover_report.render(
            handover.for_shift(shifts.current(), clock.now()), to_local(clock.now())
        ),
        "daily": handover_report.render(handover.for_day(clock.today(), clock.now()), to_local(clock.now())),
        "routing slip": routing_slip_for(world["letter"].id),
        "dispatch slip": dispatch_slip_for(Case.select().first().id),
        "on-site list": render_on_site_list(visits.on_site(), property_name="阳光花园物业", now=clock.now()),
        "complaints": render_complaints_report(
            analysis.build(analysis.Period.month(2026, 11), clock.now()),
            "阳光花园物业",
            to_local(clock.now()),
        ),
    }
    from reception.documents.privacy_notice import render_privacy_notice

    documents["privacy notice"] = render_privacy_notice()
    for name, pdf in documents.items():
        text = pdf_text(pdf)
        assert text.strip(), name
        assert leaks(text) == [], name
        assert unembedded_fonts(pdf) == [], name  # every PDF carries its own font

    # Exports are not for receptionists at all (supervisors export the archive as written).
    with pytest.raises(PermissionDenied):
        letters.export_xlsx(receptionist, letters.LetterFilter(), tmp_path / "letters.xlsx")
    with pytest.raises(PermissionDenied):
        visits.export_xlsx(receptionist, visits.VisitFilter(), tmp_path / "visits.xlsx")
    with pytest.raises(PermissionDenied):
        analysis.export_xlsx(
            receptionist,
            analysis.build(analysis.Period.month(2026, 11), clock.now()),
            tmp_path / "analysis.xlsx",
        )
    assert not list(tmp_path.glob("*.xlsx"))


def test_every_list_and_label_in_the_window_is_masked(world, qtbot, receptionist, clock):
    from ui.main_window import MainWindow

    window = MainWindow(receptionist, clock)
    qtbot.addWidget(window)
    window.show()
    window.start()
    seen = []
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        qtbot.wait(50)
        for view in window.findChildren(QAbstractItemView):
            model = view.model()
            if model is None:
                continue
            while model.canFetchMore(view.rootIndex()):
                model.fetchMore(view.rootIndex())
            for row in range(model.rowCount()):
                for column in range(model.columnCount()):
                    for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                        value = model.data(model.index(row, column), role)
                        if isinstance(value, str):
                            seen.append(value)
        seen += [label.text() for label in window.findChildren(QLabel)]
        seen += [edit.text() for edit in window.findChildren(QLineEdit)]
    # Every resident lookup's drop-down list, found by name and by the phone's last four digits.
    lookups = window.findChildren(ResidentLookup)
    assert lookups
    for lookup in lookups:
        for typed in ("欧阳娜娜", "5678"):
            lookup.search(typed)
            items = [lookup.popup().item(i).text() for i in range(lookup.popup().count())]
            assert any("欧阳娜娜" in item for item in items), typed
            seen += items
    text = "\n".join(seen)
    assert "王小明" in text and "钱先生" in text  # the lists were really filled
    assert "送货" in text and "177****9999" in text  # the appointments panel, its number masked
    assert leaks(text) == []


def test_the_appointments_list_service_hands_out_masked_numbers_only(world, receptionist, clock):
    """The panel shows what it gets; the full number only in the record 到访登记 fills the form
    from (as a name/phone match does) or through the audited reveal."""
    rows = visits.appointments_for_day(clock.today())
    assert [r.visitor_name for r in rows] and all(r.visitor_phone_masked == "177****9999" for r in rows)
    handed = "\n".join(str(v) for r in rows for v in vars(r).values())
    assert leaks(handed) == []
    assert visits.appointment_for_arrival(rows[0].id).visitor_phone == "17788889999"


def unembedded_fonts(pdf: bytes) -> list[str]:
    missing = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            if descriptor is None or "/FontFile2" not in descriptor.get_object():
                missing.append(str(font["/BaseFont"]))
    return missing


def test_a_supervisors_letters_export_is_masked_unless_full_with_a_reason(world, supervisor, tmp_path):
    import json

    from openpyxl import load_workbook

    from reception.store import db
    from reception.store.models import AuditLog
    from reception.store.models import Letter

    # Free text saved before numbers were masked at saving, and a landline (kept when saved).
    with db.write():
        Letter.update(
            summary="请回电 139.1111.2205 或 021-50002222，身份证 110101199003071234",
            reply_summary="已电话 13544445555 答复",
        ).where(Letter.id == world["letter"].id).execute()

    def cells(path) -> str:
        return " ".join(
            str(v)
            for row in load_workbook(path).active.iter_rows(values_only=True)
            for v in row
            if v is not None
        )

    masked = tmp_path / "masked.xlsx"
    assert letters.export_xlsx(supervisor, letters.LetterFilter(), masked) == 1
    text = cells(masked)
    digits = re.sub(r"[^0-9]", "", text)
    for number in ("13911112205", "50002222", "110101199003071234", "13544445555"):
        assert number not in digits
    assert leaks(text) == [] and "139****2205" in text and "021-****2222" in text

    full = tmp_path / "full.xlsx"
    assert letters.export_xlsx(supervisor, letters.LetterFilter(), full, full_reason="法院调取原件") == 1
    assert "139.1111.2205" in cells(full) and "110101199003071234" in cells(full)
    entries = [json.loads(e.detail) for e in AuditLog.select().where(AuditLog.action == "letters.export")]
    assert [(e["masked"], e.get("reason"), e["rows"]) for e in entries] == [
        (True, None, 1),
        (False, "法院调取原件", 1),
    ]


def _cells(path) -> str:
    from openpyxl import load_workbook

    return " ".join(
        str(v) for row in load_workbook(path).active.iter_rows(values_only=True) for v in row if v is not None
    )


def test_a_supervisors_visits_export_is_masked_unless_full_with_a_reason(world, supervisor, clock, tmp_path):
    """来访 to Excel: phones and numbers in the free text masked by default; 'full' only with a
    reason; each export audited with its range, row count and reason."""
    import json

    from reception.errors import ValidationError
    from reception.store import db
    from reception.store.models import AuditLog
    from reception.store.models import Visit

    visits.register_business_visit(
        supervisor,
        visits.BusinessVisitInput(
            purpose="咨询", visitor_name="赵六", visitor_phone="17788889999", handled="问停车"
        ),
    )
    # Free text saved before numbers were masked at saving (an old record).
    with db.write():
        Visit.update(handled="业主电话 139.1111.2205，身份证 110101199003071234").where(
            Visit.kind == visits.BUSINESS
        ).execute()
    today = clock.today()
    f = visits.VisitFilter(date_from=today, date_to=today)
    masked = tmp_path / "masked.xlsx"
    count = visits.export_xlsx(supervisor, f, masked)
    assert count == visits.count_visits(f) >= 2
    text = _cells(masked)
    assert "王小明" in text and "赵六" in text  # the visitors are there, the numbers are not
    assert leaks(text) == [] and "13911112205" not in re.sub(r"[^0-9]", "", text)
    assert "139****2205" in text and "110101199003071234" not in text

    with pytest.raises(ValidationError) as refused:
        visits.export_xlsx(supervisor, f, tmp_path / "no-reason.xlsx", full=True, full_reason="  ")
    assert "原因" in refused.value.fields["full_reason"] and not (tmp_path / "no-reason.xlsx").exists()

    full = tmp_path / "full.xlsx"
    assert visits.export_xlsx(supervisor, f, full, full=True, full_reason="公安机关调取") == count
    assert "139.1111.2205" in _cells(full) and any(n in _cells(full) for n in FULL_NUMBERS)
    entries = [json.loads(e.detail) for e in AuditLog.select().where(AuditLog.action == "visits.export")]
    assert [(e["masked"], e.get("reason"), e["rows"], e["date_from"]) for e in entries] == [
        (True, None, count, today.isoformat()),
        (False, "公安机关调取", count, today.isoformat()),
    ]
