"""The 工单 tab driven like the desk would: a complaint walked through the detail dialog, the
deadline countdown turning red, the supervisor's escalation list, the repeat-problem hint, the
knowledge base — real services and a real SQLite file per test (fixtures in tests/conftest.py)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from PySide6.QtWidgets import QWidget

from reception.clock import FixedClock
from reception.services import calls
from reception.services import cases
from reception.services import knowledge
from reception.services import residents
from reception.services.calls import CallInput
from reception.services.calls import Outcome
from reception.services.session import Session
from reception.store.models import Case
from reception.store.models import Department
from ui.cases import case_list_model as cols
from ui.cases.case_detail_dialog import CaseDetailDialog
from ui.cases.case_tab import ALL
from ui.cases.case_tab import CaseTab
from ui.widgets import msgbox


@pytest.fixture(autouse=True)
def _unexpected_boxes_fail(boxes) -> None:
    """Here an error box, or a question the test left unanswered, fails the test (a test that
    expects an error says so: ``boxes.refused.discard("error")``)."""
    boxes.unanswered = None
    boxes.refused.add("error")


def type_text(widget: QWidget, text: str) -> None:
    """Type Chinese as an input method does (QTest can only type ASCII)."""
    from PySide6.QtGui import QInputMethodEvent

    widget.setFocus()
    for ch in text:
        event = QInputMethodEvent()
        event.setCommitString(ch)
        QApplication.sendEvent(widget, event)


def dept_id(name: str) -> int:
    return Department.get(Department.name == name).id


@pytest.fixture
def qian(admin: Session):
    return residents.add_resident(
        admin, residents.ResidentInput("5", "1", "1203", "钱七", "业主", "13800001203")
    )


@pytest.fixture
def complaint(receptionist: Session, clock: FixedClock, qian) -> Case:
    result = calls.register_call(
        receptionist,
        CallInput(
            started_at=clock.now(),
            category="投诉",
            content="卫生间天花板漏水\n楼上刚装修完",
            outcome=Outcome.DISPATCHED,
            resident_id=qian.id,
            department_id=dept_id("工程部"),
            taken_by="刘师傅",
        ),
    )
    return result.case


def make_tab(qtbot, session: Session) -> CaseTab:
    tab = CaseTab(session)
    qtbot.addWidget(tab)
    tab.resize(1280, 800)
    tab.show()
    qtbot.waitExposed(tab)
    return tab


def status_of(tab: CaseTab, case_id: int) -> str:
    row = tab.model.row_of(case_id)
    assert row >= 0, "case not in the list"
    return tab.model.data(tab.model.index(row, cols.STATUS))


# ---- the complaint's journey ------------------------------------------------------------------


def test_complaint_walked_through_the_detail_dialog(qtbot, receptionist, complaint, boxes) -> None:
    tab = make_tab(qtbot, receptionist)
    # 首问责任制: the receptionist's own open cases are the default view.
    assert tab.view_combo.currentText() == "我的未结工单"
    assert [tab.model.case_at(0).id] == [complaint.id]
    row = [tab.model.data(tab.model.index(0, c)) for c in range(cols.COLUMN_COUNT)]
    assert row[cols.SERIAL] == complaint.serial
    assert row[cols.CATEGORY] == "投诉"
    assert row[cols.PLACE] == "5-1-1203"
    assert row[cols.PROBLEM] == "卫生间天花板漏水"  # first line only
    assert row[cols.FIRST_RECEIVER] == "李晓"
    assert (row[cols.DEPARTMENT], row[cols.HANDLER]) == ("工程部", "刘师傅")
    assert row[cols.DUE] == "11-27 09:00"  # local time, 24 h after receipt
    assert row[cols.COUNTDOWN] == "剩 1天0小时"
    assert row[cols.SOURCE] == "来电"
    tab.set_view(ALL)
    assert status_of(tab, complaint.id) == "已派单"

    dialog = tab.open_case(complaint.id)
    assert dialog is not None and dialog.isVisible()
    assert dialog.fact_labels["first_receiver"].text() == "李晓"
    assert dialog.fact_labels["source"].text().startswith("来电 LD")
    assert "138****1203" in dialog.fact_labels["resident"].text()
    assert "13800001203" not in dialog.fact_labels["resident"].text()
    assert "剩 1天0小时" in dialog.due_label.text()
    assert not dialog.close_case_button.isEnabled()
    assert "回访" in dialog.close_hint.text()
    assert not dialog.finish_button.isEnabled() and not dialog.visit_button.isEnabled()

    ack = dialog.open_acknowledge()
    assert ack.who_edit.text() == "刘师傅"
    qtbot.mouseClick(ack.ok_button, Qt.MouseButton.LeftButton)
    assert status_of(tab, complaint.id) == "处理中" == dialog.status_text()
    assert not dialog.acknowledge_button.isEnabled()

    reply = dialog.open_reply()
    type_text(reply.text_edit, "已安排刘师傅明早上门检查")
    qtbot.mouseClick(reply.ok_button, Qt.MouseButton.LeftButton)
    assert status_of(tab, complaint.id) == "已答复"
    assert dialog.reply_view.toPlainText() == "已安排刘师傅明早上门检查"
    assert "已于" in dialog.due_label.text()

    finish = dialog.open_finish()
    type_text(finish.note_edit, "已更换楼上防水层")
    qtbot.mouseClick(finish.ok_button, Qt.MouseButton.LeftButton)
    assert status_of(tab, complaint.id) == "待回访"
    assert dialog.visit_button.isEnabled()
    assert not dialog.close_case_button.isEnabled()  # not before the return visit
    assert "关闭前请先回访业户" in dialog.close_hint.text()

    visit = dialog.open_visit()
    visit.choose(cases.UNSATISFIED)
    assert visit.reopen_hint.isVisibleTo(visit)  # 不满意 reopens: said before saving
    qtbot.mouseClick(visit.ok_button, Qt.MouseButton.LeftButton)
    assert visit.error_text("comment") == "业户不满意时请记录原因"
    type_text(visit.comment_edit, "仍有渗水痕迹")
    qtbot.mouseClick(visit.ok_button, Qt.MouseButton.LeftButton)
    assert status_of(tab, complaint.id) == "处理中"  # reopened
    assert dialog.visits_model.rowCount() == 1

    reply = dialog.open_reply()
    reply.text_edit.clear()
    type_text(reply.text_edit, "已再次安排维修")
    qtbot.mouseClick(reply.ok_button, Qt.MouseButton.LeftButton)
    finish = dialog.open_finish()
    type_text(finish.note_edit, "闭水试验无渗漏")
    qtbot.mouseClick(finish.ok_button, Qt.MouseButton.LeftButton)
    assert status_of(tab, complaint.id) == "待回访"

    visit = dialog.open_visit()
    visit.choose(cases.SATISFIED)
    assert not visit.reopen_hint.isVisibleTo(visit)
    qtbot.mouseClick(visit.ok_button, Qt.MouseButton.LeftButton)
    assert status_of(tab, complaint.id) == "待回访"
    assert dialog.close_case_button.isEnabled()  # can_close allows it now
    assert not dialog.close_hint.isVisibleTo(dialog)

    close = dialog.open_close()
    assert close is not None
    qtbot.mouseClick(close.ok_button, Qt.MouseButton.LeftButton)
    assert status_of(tab, complaint.id) == "已关闭"
    assert dialog.reopen_button.isEnabled() and not dialog.close_case_button.isEnabled()

    actions = [dialog.events_model.display(e, 2) for e in dialog.events_model._rows]
    assert actions == ["受理", "派单", "接单", "答复", "处理完成", "重新打开", "答复", "处理完成", "关闭"]
    assert dialog.events_model.display(dialog.events_model.row_at(5), 3) == "待回访 → 处理中"
    assert "回访不满意：仍有渗水痕迹" in dialog.events_model.display(dialog.events_model.row_at(5), 5)
    # The closed case has left the receptionist's own open list.
    tab.set_view("mine")
    assert tab.model.rowCount() == 0

    # 重新打开 with the reason: back to 处理中.
    reopen = dialog.open_reopen()
    assert (reopen.windowTitle(), reopen.ok_button.text()) == ("重新打开工单", "重新打开")
    type_text(reopen.note_edit, "业户来电说又漏了")
    qtbot.mouseClick(reopen.ok_button, Qt.MouseButton.LeftButton)
    tab.set_view("all")
    assert status_of(tab, complaint.id) == "处理中"
    assert boxes.shown == []


def test_close_is_refused_with_the_reason_until_allowed(qtbot, receptionist, complaint, boxes) -> None:
    tab = make_tab(qtbot, receptionist)
    dialog = tab.open_case(complaint.id)
    assert not dialog.close_case_button.isEnabled()
    assert "处理完成并回访后才能关闭" in dialog.close_case_button.toolTip()
    assert dialog.open_close() is None
    assert boxes.last.kind == "info" and "才能关闭" in boxes.last.text


def test_dispatch_pending_case_and_conflict_reloads(qtbot, receptionist, supervisor, boxes) -> None:
    case = cases.open_direct_case(
        receptionist, cases.CaseInput(category="报修", description="地库灯不亮", location="地库")
    )
    tab = make_tab(qtbot, receptionist)
    assert status_of(tab, case.id) == "待派单"
    dialog = tab.open_case(case.id)
    assert dialog.dispatch_button.text() == "派单…"
    assert dialog.fact_labels["department"].text() == "（待派单）"
    assert dialog.fact_labels["source"].text() == "直接登记"
    send = dialog.open_dispatch()
    qtbot.mouseClick(send.ok_button, Qt.MouseButton.LeftButton)
    assert send.error_text("department") == "请选择处理部门"
    send.department_combo.setCurrentIndex(send.department_combo.findData(dept_id("工程部")))
    qtbot.keyClicks(send.handler_edit, "Wang")
    qtbot.mouseClick(send.ok_button, Qt.MouseButton.LeftButton)
    assert status_of(tab, case.id) == "已派单"
    assert dialog.dispatch_button.text() == "转派…"

    # Someone else acknowledges it meanwhile: the stale form is refused and the dialog reloads.
    ack = dialog.open_acknowledge()
    current = cases.get_case(case.id)
    cases.acknowledge(supervisor, case.id, "Wang", current.version)
    boxes.refused.discard("error")
    qtbot.mouseClick(ack.ok_button, Qt.MouseButton.LeftButton)
    assert boxes.last[:2] == ("error", "已被其他人更新")
    assert dialog.status_text() == "处理中"
    assert status_of(tab, case.id) == "处理中"


def test_reply_refused_after_another_desk_changed_the_case_shows_newer_values_keeps_text(
    qtbot, receptionist, supervisor, complaint, boxes, monkeypatch
) -> None:
    from reception.store import desk

    monkeypatch.setattr(desk, "_name", "")
    tab = make_tab(qtbot, receptionist)
    dialog = tab.open_case(complaint.id)
    assert dialog.fact_labels["desk"].text() == "—"  # registered at a desk without a name
    assert (dialog.fact_labels["department"].text(), dialog.fact_labels["handler"].text()) == (
        "工程部",
        "刘师傅",
    )
    reply = dialog.open_reply()
    type_text(reply.text_edit, "明天上午九点上门维修")

    # Meanwhile the supervisor, at another desk, hands the case to 保安部 (a newer version).
    cases.dispatch(
        supervisor, complaint.id, dept_id("保安部"), "王队长", cases.get_case(complaint.id).version
    )
    boxes.refused.discard("error")
    qtbot.mouseClick(reply.ok_button, Qt.MouseButton.LeftButton)

    # Refused, with the message …
    kind, title, text = boxes.last
    assert (kind, title) == ("error", "已被其他人更新")
    assert "您的操作未保存" in text and "最新内容" in text
    assert Case.get_by_id(complaint.id).reply_text == ""
    # … the detail dialog shows the newer values …
    assert (dialog.fact_labels["department"].text(), dialog.fact_labels["handler"].text()) == (
        "保安部",
        "王队长",
    )
    events = dialog.events_model
    assert any("保安部" in events.index(r, 4).data() for r in range(events.rowCount()))
    # … and what the receptionist typed is still there, saved only when confirmed again.
    assert reply.isVisible() and reply.has_conflict()
    assert reply.text_edit.toPlainText() == "明天上午九点上门维修"
    assert "其他人更新" in reply.conflict_label.text()
    qtbot.mouseClick(reply.ok_button, Qt.MouseButton.LeftButton)
    assert not reply.isVisible()
    stored = Case.get_by_id(complaint.id)
    assert stored.reply_text == "明天上午九点上门维修" and stored.department_id == dept_id("保安部")
    assert dialog.status_text() == "已答复"
    assert status_of(tab, complaint.id) == "已答复"


# ---- deadlines and escalation -----------------------------------------------------------------


def test_overdue_case_turns_red_and_reaches_the_supervisor(
    qtbot, receptionist, supervisor, complaint, clock: FixedClock, boxes
) -> None:
    from ui.main_window import MainWindow

    window = MainWindow(supervisor, clock)
    qtbot.addWidget(window)
    tab = window.case_tab
    assert window.tabs.tabText(window.tabs.indexOf(tab)) == "工单"
    assert tab.escalation_panel.isVisibleTo(tab)  # supervisors see the escalation list
    assert tab.view_combo.currentText() == "全部未结"
    row = tab.model.row_of(complaint.id)
    countdown = tab.model.index(row, cols.COUNTDOWN)
    assert tab.model.data(countdown, Qt.ItemDataRole.ForegroundRole) is None

    clock.advance(hours=21)  # within the warning window: amber
    tab.tick()
    assert tab.model.data(countdown, cols.STATE_ROLE) == cases.WARNING
    assert tab.model.data(countdown, Qt.ItemDataRole.ForegroundRole).color() == cols.WARNING_COLOR

    clock.advance(hours=4)  # 25 h: past the 24-hour promise — red, without refetching
    with qtbot.waitSignal(tab.model.dataChanged, timeout=1000):
        tab.tick()
    assert tab.model.data(countdown) == "超时 1小时00分"
    assert tab.model.data(countdown, Qt.ItemDataRole.ForegroundRole).color() == cols.OVERDUE_COLOR
    assert tab.escalation_panel.case_ids() == []

    window.start()  # the periodic check escalates and refreshes
    assert window.counts.escalated_cases == 1
    assert "超时上报 1" in window.escalation_label.text() and "#c62828" in window.escalation_label.text()
    assert tab.escalation_panel.case_ids() == [complaint.id]
    assert cases.get_case(complaint.id).escalation_level == 1

    clock.advance(hours=24)  # again: dark red and bold
    window.periodic_check()
    tab.tick()
    assert tab.model.data(countdown, cols.STATE_ROLE) == cases.OVERDUE_AGAIN
    assert tab.model.data(countdown, Qt.ItemDataRole.FontRole).bold()
    assert tab.model.data(countdown, Qt.ItemDataRole.ForegroundRole).color() == cols.OVERDUE_AGAIN_COLOR
    panel = tab.escalation_panel
    assert panel.model.display(panel.model.row_at(0), 0) == "再次上报"

    # 已超时 quick view, and a double-click in the panel opens the case.
    tab.set_view("overdue")
    assert [tab.model.case_at(i).id for i in range(tab.model.rowCount())] == [complaint.id]
    panel.view.activated.emit(panel.model.index(0, 1))
    assert isinstance(tab.detail_dialog, CaseDetailDialog)
    assert tab.detail_dialog.case().id == complaint.id
    assert "超时 1天1小时" in tab.detail_dialog.due_label.text()
    assert "已上报主管" in tab.detail_dialog.due_label.text()
    window.timer.stop()


def test_receptionists_do_not_get_the_escalation_panel(qtbot, receptionist) -> None:
    tab = make_tab(qtbot, receptionist)
    assert not tab.escalation_panel.isVisibleTo(tab)


def test_f5_in_the_main_window_opens_a_new_case(qtbot, receptionist, clock, boxes) -> None:
    from ui.main_window import MainWindow

    window = MainWindow(receptionist, clock)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    qtbot.keyClick(window.call_tab, Qt.Key.Key_F5)
    assert window.tabs.currentWidget() is window.case_tab
    assert window.case_tab.form is not None and window.case_tab.form.isVisible()
    window.case_tab.form.done(0)


# ---- a new case -------------------------------------------------------------------------------


def test_recurrence_hint_for_the_third_repair_at_a_room(qtbot, receptionist, qian, clock, boxes) -> None:
    for text in ("厨房水管漏水", "厨房水管又漏了"):
        cases.open_direct_case(
            receptionist, cases.CaseInput(category="报修", description=text, resident_id=qian.id)
        )
        clock.advance(days=3)
    tab = make_tab(qtbot, receptionist)
    form = tab.new_case()
    form.category_combo.setCurrentIndex(form.category_combo.findData("报修"))
    assert form.recurrence_text() == ""
    qtbot.keyClicks(form.lookup, "5-1-1203")
    assert form.lookup.is_popup_visible()
    qtbot.keyClick(form.lookup, Qt.Key.Key_Return)
    assert form.lookup.resident() == qian
    assert form.recurrence_text() == "5-1-1203 近 30 天第 3 次报修"
    assert form.recurrence_box.isVisible()
    assert form.earlier_list.count() == 2
    assert "厨房水管又漏了" in form.earlier_list.item(0).text()

    # An earlier case opens on top of the form.
    form.earlier_list.itemActivated.emit(form.earlier_list.item(1))
    assert tab.earlier_dialog.case().description == "厨房水管漏水"
    tab.earlier_dialog.done(0)

    # Another category at the same room is no repeat.
    form.category_combo.setCurrentIndex(form.category_combo.findData("投诉"))
    assert form.recurrence_text() == "" and not form.recurrence_box.isVisible()
    form.category_combo.setCurrentIndex(form.category_combo.findData("报修"))
    type_text(form.description_edit, "卫生间也开始漏水")
    form.department_combo.setCurrentIndex(form.department_combo.findData(dept_id("工程部")))
    with qtbot.waitSignal(tab.changed, timeout=1000):
        qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    new = Case.select().order_by(Case.id.desc()).get()
    assert (new.source_kind, new.place_key, new.status) == ("direct", "5-1-1203", cases.DISPATCHED)
    assert status_of(tab, new.id) == "已派单"
    assert tab.form is None or not tab.form.isVisible()


def test_new_case_at_a_public_area_and_errors_beside_fields(qtbot, receptionist, boxes) -> None:
    tab = make_tab(qtbot, receptionist)
    form = tab.new_case()
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    assert form.errors.message("category") == "请选择工单类别"
    assert "问题描述" in form.errors.message("description")
    assert "请选择住户或填写位置" in form.errors.message("location")

    form.category_combo.setCurrentIndex(form.category_combo.findData("市政设施"))
    assert form.utility_combo.isVisible() and form.agency_edit.isVisible()
    form.location_combo.setCurrentIndex(form.location_combo.findData("小区道路"))
    type_text(form.description_edit, "小区停水")
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    assert "市政设施类工单请选择类型" in form.errors.message("utility")
    form.utility_combo.setCurrentIndex(form.utility_combo.findData("供水"))
    type_text(form.agency_edit, "自来水公司")
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    case = Case.get()
    assert (case.category, case.utility, case.agency, case.place_key, case.status) == (
        "市政设施",
        "供水",
        "自来水公司",
        "小区道路",
        cases.PENDING,
    )
    assert status_of(tab, case.id) == "待派单"

    # 市政设施: the liaison log with the outside agency.
    dialog = tab.open_case(case.id)
    assert dialog.liaison_button.isVisible()
    liaison = dialog.open_liaison()
    assert liaison.agency_edit.text() == "自来水公司"
    type_text(liaison.said_edit, "预计今晚八点恢复供水")
    qtbot.mouseClick(liaison.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.liaison_model.rowCount() == 1
    assert dialog.liaison_model.display(dialog.liaison_model.row_at(0), 4) == "预计今晚八点恢复供水"
    assert dialog.record_tabs.isTabVisible(2)


def test_cancelling_a_filled_form_asks_first(qtbot, receptionist, boxes) -> None:
    tab = make_tab(qtbot, receptionist)
    form = tab.new_case()
    type_text(form.description_edit, "电梯异响")
    assert tab.has_unsaved()
    boxes.answers.append(False)
    form.reject()
    assert form.isVisible()
    boxes.answers.append(True)
    form.reject()
    assert not form.isVisible()


# ---- the list model ---------------------------------------------------------------------------


def test_list_model_passes_qtmodeltester(qtmodeltester, receptionist, complaint, clock) -> None:
    from ui.cases.case_list_model import CaseListModel

    for i, area in enumerate(cases.PUBLIC_AREAS[:4]):
        cases.open_direct_case(
            receptionist, cases.CaseInput(category="报修", description=f"第{i}处损坏", location=area)
        )
    clock.advance(hours=30)
    model = CaseListModel(clock.now)
    model.set_filter(cases.CaseFilter())
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 5
    assert model.data(model.index(0, cols.COUNTDOWN)).startswith("超时")


def test_list_fetches_lazily(receptionist, clock) -> None:
    from ui.cases.case_list_model import PAGE_SIZE
    from ui.cases.case_list_model import CaseListModel

    for i in range(PAGE_SIZE + 20):
        cases.open_direct_case(
            receptionist, cases.CaseInput(category="咨询", description=f"第{i}件", location="大堂")
        )
    model = CaseListModel(clock.now)
    model.set_filter(cases.CaseFilter())
    assert (model.total(), model.rowCount()) == (PAGE_SIZE + 20, PAGE_SIZE)
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == PAGE_SIZE + 20 and not model.canFetchMore()


def test_filters_category_department_search(qtbot, receptionist, complaint) -> None:
    cases.open_direct_case(
        receptionist, cases.CaseInput(category="咨询", description="问停车", location="停车场")
    )
    tab = make_tab(qtbot, receptionist)
    assert tab.model.total() == 2
    tab.category_filter.setCurrentIndex(tab.category_filter.findData("投诉"))
    assert [tab.model.case_at(0).id] == [complaint.id] and tab.model.total() == 1
    tab.category_filter.setCurrentIndex(0)
    tab.department_filter.setCurrentIndex(tab.department_filter.findData(dept_id("工程部")))
    assert tab.model.total() == 1
    tab.department_filter.setCurrentIndex(0)
    type_text(tab.search_edit, "停车")
    tab.apply_filter()
    assert tab.model.total() == 1 and tab.model.case_at(0).category == "咨询"
    assert tab.count_label.text() == "共 1 张"


# ---- knowledge base and the dispatch slip ---------------------------------------------------


def test_knowledge_picker_inserts_a_seeded_answer(qtbot, receptionist, complaint, boxes) -> None:
    tab = make_tab(qtbot, receptionist)
    dialog = tab.open_case(complaint.id)
    ack = dialog.open_acknowledge()
    qtbot.mouseClick(ack.ok_button, Qt.MouseButton.LeftButton)
    reply = dialog.open_reply()
    type_text(reply.text_edit, "您好：")
    picker = reply.open_knowledge()
    assert "投诉处理承诺" in picker.titles()  # searched by the case's category
    assert not picker.add_button.isVisibleTo(picker)  # receptionists only pick
    picker.search_edit.clear()
    type_text(picker.search_edit, "装修")
    assert picker.titles() == ["二次装修办理流程"]
    assert "装修押金" in picker.preview.toPlainText()
    qtbot.mouseClick(picker.insert_button, Qt.MouseButton.LeftButton)
    body = knowledge.search("二次装修")[0].body
    assert reply.text_edit.toPlainText() == "您好：" + body
    qtbot.mouseClick(reply.ok_button, Qt.MouseButton.LeftButton)
    assert cases.get_case(complaint.id).reply_text == "您好：" + body


def test_supervisor_keeps_the_knowledge_base(qtbot, supervisor, boxes, monkeypatch) -> None:
    from ui.widgets import knowledge_picker
    from ui.widgets.knowledge_picker import KnowledgePicker

    picker = KnowledgePicker(supervisor)
    qtbot.addWidget(picker)
    picker.show()
    assert picker.add_button.isVisible()
    editor = picker.add_entry()
    type_text(editor.title_edit, "停车月卡办理")
    qtbot.mouseClick(editor.ok_button, Qt.MouseButton.LeftButton)
    assert "内容" in editor.errors.message("body")
    type_text(editor.body_edit, "携带行驶证到服务中心办理")
    qtbot.mouseClick(editor.ok_button, Qt.MouseButton.LeftButton)
    assert picker.current_entry().title == "停车月卡办理"

    editor = picker.edit_entry()
    type_text(editor.body_edit, "，每月一日起生效")
    qtbot.mouseClick(editor.ok_button, Qt.MouseButton.LeftButton)
    assert picker.preview.toPlainText().endswith("每月一日起生效")

    boxes.answers.append(True)
    assert picker.retire_entry()
    assert "停车月卡办理" not in picker.titles()

    # pick_answer: the blocking variant returns the chosen text (exec replaced: no event loop).
    def fake_exec(self):
        self.select_title("入伙手续")
        self.use_current()
        return 1

    monkeypatch.setattr(KnowledgePicker, "exec", fake_exec)
    assert knowledge_picker.pick_answer(None).startswith("业主携带购房合同")


def test_dispatch_slip_saved_from_the_dialog(
    qtbot, receptionist, complaint, boxes, tmp_path, monkeypatch
) -> None:
    target = tmp_path / "派工单.pdf"
    monkeypatch.setattr(msgbox, "save_file", lambda *_a: str(target))
    tab = make_tab(qtbot, receptionist)
    dialog = tab.open_case(complaint.id)
    assert [a.text() for a in dialog.print_button.menu().actions()] == [
        "打印预览…",
        "直接打印",
        "另存为文件…",
    ]
    assert dialog.save_slip() == target
    assert target.read_bytes().startswith(b"%PDF")


def test_call_form_answer_takes_a_standard_answer(qtbot, receptionist, boxes, monkeypatch) -> None:
    from ui.calls.call_tab import CallTab
    from ui.widgets.knowledge_picker import KnowledgePicker

    def fake_exec(self):
        type_text(self.search_edit, "物业费")
        assert "物业费收费标准与缴费方式" in self.titles()
        self.select_title("物业费收费标准与缴费方式")
        self.use_current()
        return 1

    monkeypatch.setattr(KnowledgePicker, "exec", fake_exec)
    tab = CallTab(receptionist)
    qtbot.addWidget(tab)
    tab.show()
    qtbot.mouseClick(tab.form.knowledge_button, Qt.MouseButton.LeftButton)
    assert tab.form.answer_edit.toPlainText().startswith("物业费按建筑面积按月计收")


def test_countdown_ticks_every_minute_without_reading_the_list(
    qtbot, receptionist, complaint, clock, monkeypatch
) -> None:
    tab = make_tab(qtbot, receptionist)
    assert tab.tick_timer.isActive() and tab.tick_timer.interval() == 60_000

    def no_query(*_a, **_k):
        raise AssertionError("the countdown must not re-read the list")

    monkeypatch.setattr(cases, "list_cases", no_query)
    monkeypatch.setattr(cases, "count_cases", no_query)
    clock.advance(minutes=90)
    tab.tick_timer.timeout.emit()
    assert tab.model.data(tab.model.index(0, cols.COUNTDOWN)) == "剩 22小时30分"
    tab.hide()
    assert not tab.tick_timer.isActive()
