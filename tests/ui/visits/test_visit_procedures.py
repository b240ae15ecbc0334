"""来访单位 (issue 17, finding 17): typed on the visit form, stored, shown in the lists and printed on
the badge when it has room — driven with real key events."""

from __future__ import annotations

from PySide6.QtCore import Qt

from reception.documents.badge import BadgeData
from reception.documents.badge import render_badge
from reception.services import visits
from tests.ui.visits.test_visit_tab import fill_walk_in
from tests.ui.visits.test_visit_tab import guest_visits
from tests.ui.visits.test_visit_tab import pdf_text
from tests.ui.visits.test_visit_tab import printed  # noqa: F401 — fixtures
from tests.ui.visits.test_visit_tab import tab  # noqa: F401 — fixtures
from tests.ui.visits.test_visit_tab import type_text
from tests.ui.visits.test_visit_tab import zhang  # noqa: F401 — fixtures
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


# ---- 业户办事: the follow-up promise on the form (finding 15) --------------------------------------


def test_a_business_visit_with_a_follow_up_is_promised_listed_and_completed(
    qtbot,
    tab,  # noqa: F811
    zhang,  # noqa: F811
    clock,
):
    from datetime import timedelta

    form = tab.business_form
    tab.forms.setCurrentWidget(form)
    type_text(form.lookup, "张三")
    qtbot.keyClick(form.lookup, Qt.Key.Key_Return)
    form.purpose_combo.setCurrentIndex(form.purpose_combo.findData("二次装修"))
    assert form.follow_up_check.isChecked() and form.follow_up_spin.value() == 72
    type_text(form.handled_edit, "收下装修方案")
    assert form.readback_label.text().startswith("张三办理二次装修，已引导至工程部；我们会在")
    assert "前跟进并给您答复" in form.readback_label.text()
    form.follow_up_spin.setValue(48)
    qtbot.keyClick(form.taken_edit, Qt.Key.Key_Return)

    [row] = visits.list_visits(visits.VisitFilter(kind=visits.BUSINESS))
    visit = visits.get_visit(row.id)
    assert visit.follow_up_due_at == clock.now() + timedelta(hours=48)
    assert "跟进时限" in form.status_label.text()
    assert form.follow_ups_list.count() == 1 and "1 项" in form.follow_ups_caption.text()

    clock.set(clock.now() + timedelta(hours=49))
    form.reload_follow_ups()
    item = form.follow_ups_list.item(0)
    assert item.text().startswith("【已逾期】") and item.foreground().color().name() == "#c62828"
    assert "已逾期 1 项" in form.follow_ups_caption.text()
    form.follow_ups_list.setCurrentRow(0)
    qtbot.keyClick(form.follow_up_note, Qt.Key.Key_Return)  # no note: said beside it, nothing saved
    assert "跟进情况" in form.follow_up_error.text() and visits.follow_ups()
    type_text(form.follow_up_note, "工程部已审批，电话告知业主")
    qtbot.keyClick(form.follow_up_note, Qt.Key.Key_Return)
    assert visits.follow_ups() == [] and form.follow_ups_list.count() == 0
    assert visits.get_visit(visit.id).version == visit.version + 1


def test_paying_needs_no_follow_up_and_a_complaint_cannot_have_one(qtbot, tab):  # noqa: F811
    form = tab.business_form
    form.purpose_combo.setCurrentIndex(form.purpose_combo.findData("交费"))
    assert not form.follow_up_check.isChecked()
    form.purpose_combo.setCurrentIndex(form.purpose_combo.findData("投诉"))
    assert not form.follow_up_check.isEnabled() and "工单" in form.readback_label.text()


def test_the_printed_on_site_list_names_the_visitors_unit(receptionist, zhang, clock):  # noqa: F811
    from reception.documents.onsite_list import render_on_site_list

    visits.register_guest(
        receptionist,
        visits.GuestInput(
            visitor_name="王小明",
            visitor_unit="顺丰速运",
            id_number="11010519491231002X",
            id_verified=True,
            host_resident_id=zhang.id,
            purpose="送货",
            consent=visits.AGREED,
        ),
    )
    text = pdf_text(render_on_site_list(visits.on_site(), property_name="阳光花园物业", now=clock.now()))
    assert "王小明（顺丰速运）" in text.replace("\n", "")
