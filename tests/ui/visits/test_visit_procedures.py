"""来访单位 (issue 17, finding 17): typed on the visit form, stored, shown in the lists and printed on
the badge when it has room — driven with real key events."""

from __future__ import annotations

from PySide6.QtCore import Qt

from reception.documents.badge import BadgeData, render_badge
from reception.services import visits
from tests.ui.visits.test_visit_tab import (  # noqa: F401 — fixtures
    boxes,
    fill_walk_in,
    guest_visits,
    pdf_text,
    printed,
    tab,
    type_text,
    zhang,
)
from ui.visits.visit_list_model import VISITOR


def test_the_visitors_unit_is_stored_listed_and_printed(qtbot, tab, zhang, printed):  # noqa: F811
    form = tab.guest_form
    fill_walk_in(qtbot, tab, zhang)
    type_text(form.unit_edit, "华为技术有限公司")
    form.consent_buttons[visits.AGREED].setChecked(True)
    qtbot.keyClick(form.name_edit, Qt.Key.Key_Return)

    [visit] = guest_visits()
    assert visit.visitor_unit == "华为技术有限公司"
    assert "华为技术有限公司" in pdf_text(printed[0])
    assert form.unit_edit.text() == ""  # cleared for the next visitor
    on_site = tab.on_site_panel.model
    assert "王五（华为技术有限公司）" in on_site.data(on_site.index(0, 0)) or any(
        on_site.data(on_site.index(0, c)) == "王五（华为技术有限公司）" for c in range(on_site.columnCount())
    )
    tab.reload() if hasattr(tab, "reload") else None
    listed = tab.model.data(tab.model.index(0, VISITOR))
    assert listed == "王五（华为技术有限公司）"


def test_the_unit_field_takes_at_most_what_the_record_holds(qtbot, tab, receptionist, zhang):  # noqa: F811
    import pytest

    from reception.errors import ValidationError

    form = tab.guest_form
    form.unit_edit.setText("单" * 101)
    assert len(form.unit_edit.text()) == 100  # the field stops where the record does
    data = form._guest_input()
    data.visitor_unit = "单" * 101
    with pytest.raises(ValidationError) as err:
        visits.register_guest(receptionist, data)
    assert "来访单位" in err.value.fields["visitor_unit"]


def test_a_crowded_badge_leaves_the_unit_out_rather_than_shrink_the_name():
    from datetime import datetime

    base = dict(
        property_name="阳光花园物业",
        pass_no="LF20261126-012",
        issued_at=datetime(2026, 11, 26, 9, 0),
        valid_until=datetime(2026, 11, 26, 13, 0),
        visitor_unit="华为技术有限公司",
    )
    roomy = BadgeData(visitor_name="王五", destination="3栋2单元", purpose="探亲访友", **base)
    assert "华为技术有限公司" in pdf_text(render_badge(roomy, "62x100"))
    crowded = BadgeData(
        visitor_name="欧阳" * 12, destination="3栋2单元 " * 8, purpose="送货安装调试 " * 12, **base
    )
    without = BadgeData(**{**crowded.__dict__, "visitor_unit": ""})
    for size in ("62x100", "cr80"):
        # The unit never costs the name, destination or purpose any room: left out when crowded.
        text = pdf_text(render_badge(crowded, size))
        assert "华为技术有限公司" not in text
        assert text == pdf_text(render_badge(without, size))
