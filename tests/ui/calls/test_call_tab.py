"""The call tab driven like a receptionist would: keys, clicks, the real services and a real
SQLite file per test (fixtures in tests/conftest.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication
from PySide6.QtWidgets import QMainWindow
from PySide6.QtWidgets import QWidget

from reception.clock import FixedClock
from reception.clock import to_local
from reception.errors import StorageError
from reception.services import calls
from reception.services import departments
from reception.services import residents
from reception.services.calls import CallInput
from reception.services.calls import Outcome
from reception.services.session import Session
from reception.store.models import Call
from reception.store.models import Callback
from reception.store.models import Case
from reception.store.models import Message
from ui.calls.call_tab import CallTab
from ui.widgets import msgbox


@pytest.fixture
def zhang(receptionist: Session):
    return residents.add_resident(
        receptionist, residents.ResidentInput("3", "2", "1201", "张三", "业主", "13800138000")
    )


@pytest.fixture
def tab(qtbot, receptionist: Session, no_boxes) -> CallTab:
    widget = CallTab(receptionist)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    return widget


def type_text(widget: QWidget, text: str) -> None:
    """Type Chinese as an input method does (QTest can only type ASCII), one character at a time."""
    widget.setFocus()
    for ch in text:
        event = QInputMethodEvent()
        event.setCommitString(ch)
        QApplication.sendEvent(widget, event)


def dept_id(name: str) -> int:
    return next(d.id for d in departments.list_departments() if d.name == name)


def choose_category(tab: CallTab, category: str) -> None:
    combo = tab.form.category_combo
    combo.setCurrentIndex(combo.findData(category))


def add_call(session: Session, **kw) -> Call:
    data = CallInput(
        started_at=session.now(),
        category=kw.pop("category", "咨询"),
        content=kw.pop("content", "问物业费"),
        answer=kw.pop("answer", "已答复"),
        outcome=kw.pop("outcome", Outcome.ANSWERED),
        **kw,
    )
    return calls.register_call(session, data).call


# ---- registering a call ---------------------------------------------------------------------


def test_f2_lookup_pick_and_enter_saves(qtbot, tab: CallTab, zhang, clock: FixedClock) -> None:
    form = tab.form
    assert not form.is_active()
    form.lookup.setFocus()
    qtbot.keyClick(form.lookup, Qt.Key.Key_F2)
    assert form.is_active()
    assert form.started_at() == clock.now()
    assert "阳光花园物业" in form.greeting_label.text()

    qtbot.keyClicks(form.lookup, "3-2-1201")
    assert form.lookup.is_popup_visible()
    assert "138****8000" in form.lookup.popup().item(0).text()
    assert "13800138000" not in form.lookup.popup().item(0).text()
    qtbot.keyClick(form.lookup, Qt.Key.Key_Return)
    assert form.lookup.resident() == zhang
    assert form.lookup.text() == "张三"
    assert form.location_edit.text() == "3栋2单元1201"
    assert form.phone_edit.text() == "138****8000"  # masked on screen, saved in full

    form.identity_check.setChecked(True)
    choose_category(tab, "咨询")
    type_text(form.content_edit, "物业费什么时候交")
    type_text(form.answer_edit, "本月底前")
    qtbot.mouseClick(form.outcome_buttons[Outcome.ANSWERED], Qt.MouseButton.LeftButton)
    assert "张三（3栋2单元1201）反映咨询：物业费什么时候交" in form.readback_label.text()
    clock.advance(seconds=95)

    with qtbot.waitSignal(tab.changed, timeout=1000):
        qtbot.keyClick(form.location_edit, Qt.Key.Key_Return)

    call = Call.get()
    assert call.caller_phone == "13800138000"
    assert call.resident_id == zhang.id
    assert call.identity_verified
    assert call.duration_s == 95
    assert call.operator_id == tab._session.operator.id
    assert tab.model.rowCount() == 1
    assert tab.model.call_at(0).serial == call.serial
    assert call.serial in form.status_label.text()
    assert not form.is_active() and not form.has_content() and not tab.has_unsaved()


def test_f2_inside_a_window_that_binds_f2_too(qtbot, receptionist: Session) -> None:
    """The main window has its own F2 action: pressing F2 in the tab must still start a call
    (two enabled F2 bindings would be ambiguous and neither would fire)."""
    window = QMainWindow()
    qtbot.addWidget(window)
    tab = CallTab(receptionist)
    window.setCentralWidget(tab)
    action = QAction("新建来电登记", window)
    action.setShortcut(QKeySequence(Qt.Key.Key_F2))
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(tab.new_call)
    window.addAction(action)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    assert not tab.f2_shortcut.isEnabled()
    tab.form.content_edit.setFocus()
    for _ in range(2):
        tab.form.reset()
        qtbot.keyClick(tab.form.content_edit, Qt.Key.Key_F2)
        assert tab.form.is_active()


def test_lookup_by_pinyin_and_phone_tail_with_keyboard(qtbot, tab: CallTab, receptionist) -> None:
    for room, name, phone in (("1201", "张三", "13800138000"), ("1202", "张珊珊", "13911112222")):
        residents.add_resident(receptionist, residents.ResidentInput("3", "2", room, name, "业主", phone))
    lookup = tab.form.lookup
    lookup.setFocus()
    qtbot.keyClicks(lookup, "zs")
    assert [r.name for r in lookup.results()] == ["张三", "张珊珊"]
    qtbot.keyClick(lookup, Qt.Key.Key_Down)
    qtbot.keyClick(lookup, Qt.Key.Key_Return)
    assert lookup.text() == "张珊珊"
    assert tab.form.phone_edit.text() == "139****2222"

    lookup.clear()
    qtbot.keyClicks(lookup, "8000")
    assert [r.name for r in lookup.results()] == ["张三"]
    qtbot.keyClick(lookup, Qt.Key.Key_Escape)
    assert not lookup.is_popup_visible()
    assert lookup.resident() is None  # Esc closes the list without picking


def test_dispatched_complaint_creates_case(qtbot, tab: CallTab, zhang) -> None:
    form = tab.form
    tab.new_call()
    type_text(form.lookup, "张三")
    qtbot.keyClick(form.lookup, Qt.Key.Key_Return)
    choose_category(tab, "投诉")
    type_text(form.content_edit, "楼上装修噪音")
    qtbot.mouseClick(form.outcome_buttons[Outcome.DISPATCHED], Qt.MouseButton.LeftButton)
    assert form.outcome_stack.currentWidget().isVisible()
    assert form.department_combo.isVisible() and not form.message_text_edit.isVisible()
    assert "24 小时内答复" in form.promise_label.text()
    form.department_combo.setCurrentIndex(form.department_combo.findData(dept_id("品质管理部")))
    type_text(form.taken_by_edit, "陈经理")
    assert "已转品质管理部（陈经理）处理，24 小时内给您答复" in form.readback_label.text()
    qtbot.keyClick(form.taken_by_edit, Qt.Key.Key_Return)

    call = Call.get()
    case = Case.get()
    assert case.source_id == call.id and case.category == "投诉"
    assert case.department.name == "品质管理部" and case.handler == "陈经理"
    assert case.serial in form.status_label.text()
    assert tab.model.data(tab.model.index(0, 7)) == "品质管理部"


def test_validation_errors_beside_fields_nothing_saved_text_kept(qtbot, tab: CallTab) -> None:
    form = tab.form
    tab.new_call()
    type_text(form.lookup, "王先生")
    qtbot.keyClicks(form.phone_edit, "12345")
    qtbot.mouseClick(form.outcome_buttons[Outcome.DISPATCHED], Qt.MouseButton.LeftButton)
    qtbot.keyClick(form.phone_edit, Qt.Key.Key_Return)

    assert Call.select().count() == 0
    assert form.error_text("category") == "请选择来电类别"
    assert form.error_text("content") == "请填写来电内容"
    assert form.error_text("caller_phone")
    assert form.error_text("department") == "请选择处理部门"
    assert form.error_text("taken_by")
    assert form.lookup.text() == "王先生" and form.phone_edit.text() == "12345"
    assert form.is_active()
    assert QApplication.focusWidget() is form.phone_edit  # the first field in error
    # fixing a field clears its message
    choose_category(tab, "报修")
    type_text(form.content_edit, "水管漏水")
    assert form.error_text("content") == ""


def test_enter_five_times_saves_exactly_one_call(qtbot, tab: CallTab) -> None:
    form = tab.form
    tab.new_call()
    type_text(form.lookup, "李女士")
    choose_category(tab, "咨询")
    type_text(form.content_edit, "停车费多少")
    type_text(form.answer_edit, "每月 300 元")
    qtbot.mouseClick(form.outcome_buttons[Outcome.ANSWERED], Qt.MouseButton.LeftButton)
    form.lookup.setFocus()
    for _ in range(5):
        qtbot.keyClick(form.lookup, Qt.Key.Key_Return)
    assert Call.select().count() == 1
    assert tab.model.rowCount() == 1
    assert form.error_text("content") == ""  # the extra presses did not try to save an empty form


def test_same_form_token_saves_once_even_if_resubmitted(qtbot, tab: CallTab) -> None:
    form = tab.form
    tab.new_call()
    choose_category(tab, "咨询")
    type_text(form.content_edit, "问路")
    type_text(form.answer_edit, "东门右转")
    form.outcome_buttons[Outcome.ANSWERED].setChecked(True)
    data = form.build_input()
    calls.register_call(tab._session, data)  # e.g. a save that committed before an error was shown
    form.save()
    assert Call.select().count() == 1


def test_emergency_stands_out_and_requires_alerted_department(qtbot, tab: CallTab, clock) -> None:
    form = tab.form
    tab.new_call()
    assert not form.alert_box.isVisible()
    choose_category(tab, "紧急")
    assert form.alert_box.isVisible()
    assert form.property("emergency") is True
    type_text(form.lookup, "保安巡逻岗")
    type_text(form.content_edit, "地库积水")
    type_text(form.answer_edit, "已派人处理")
    form.outcome_buttons[Outcome.ANSWERED].setChecked(True)
    form.save()
    assert Call.select().count() == 0
    assert form.error_text("alerted_department") == "请选择已通知的部门"
    assert QApplication.focusWidget() is form.alert_dept_combo

    form.alert_dept_combo.setCurrentIndex(form.alert_dept_combo.findData(dept_id("保安部")))
    form.save()
    call = Call.get()
    assert call.alerted_department.name == "保安部"
    assert call.alerted_at == clock.now().replace(second=0, microsecond=0)
    assert not form.alert_box.isVisible()  # the form is back to normal
    index = tab.model.index(0, 0)
    assert tab.model.data(index, Qt.ItemDataRole.BackgroundRole) is not None


def test_timer_shows_elapsed_time_from_session_clock(tab: CallTab, clock: FixedClock) -> None:
    form = tab.form
    assert form.timer_label.text() == "00:00"
    tab.new_call()
    assert form.timer_label.text() == "00:00"
    clock.advance(seconds=75)
    form.update_timer()
    assert form.timer_label.text() == "01:15"
    clock.advance(minutes=61)
    form.update_timer()
    assert form.timer_label.text() == "1:02:15"
    assert form._tick_timer.isActive()


def test_typing_without_f2_starts_the_call(qtbot, tab: CallTab, clock) -> None:
    form = tab.form
    qtbot.keyClicks(form.content_edit, "x")
    assert form.is_active() and form.started_at() == clock.now()
    assert tab.has_unsaved()


def test_escape_with_content_asks_before_discarding(qtbot, tab: CallTab, monkeypatch) -> None:
    form = tab.form
    tab.new_call()
    type_text(form.content_edit, "要保留的内容")
    answers = [False]
    asked: list[str] = []

    def ask(_parent, title, _text):
        asked.append(title)
        return answers.pop(0)

    monkeypatch.setattr(msgbox, "ask", ask)
    qtbot.keyClick(form.lookup, Qt.Key.Key_Escape)
    assert asked and form.content_edit.toPlainText() == "要保留的内容"
    answers.append(True)
    qtbot.keyClick(form.content_edit, Qt.Key.Key_Escape)
    assert len(asked) == 2
    assert form.content_edit.toPlainText() == "" and not form.is_active()


def test_escape_on_empty_call_discards_silently(qtbot, tab: CallTab) -> None:
    tab.new_call()
    qtbot.keyClick(tab.form.lookup, Qt.Key.Key_Escape)  # no_boxes fails the test if asked
    assert not tab.form.is_active()


def test_enter_in_text_box_is_newline_and_ctrl_enter_saves(qtbot, tab: CallTab) -> None:
    form = tab.form
    tab.new_call()
    choose_category(tab, "报修")
    form.outcome_buttons[Outcome.ANSWERED].setChecked(True)
    type_text(form.answer_edit, "已登记")
    type_text(form.content_edit, "第一行")
    qtbot.keyClick(form.content_edit, Qt.Key.Key_Return)
    type_text(form.content_edit, "第二行")
    assert Call.select().count() == 0
    assert form.content_edit.toPlainText() == "第一行\n第二行"
    qtbot.keyClick(form.content_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert Call.get().content == "第一行\n第二行"


def test_message_outcome_then_delivered_from_panel(qtbot, tab: CallTab, zhang) -> None:
    form = tab.form
    tab.new_call()
    form.lookup.search("张三")
    form.lookup.pick_row(0)
    choose_category(tab, "找人留言")
    type_text(form.content_edit, "找刘师傅")
    form.outcome_buttons[Outcome.MESSAGE].setChecked(True)
    assert "13800138000" not in form.message_phone_edit.placeholderText()
    type_text(form.message_person_edit, "刘师傅")
    type_text(form.message_text_edit, "请回电约上门时间")
    form.save()
    msg = Message.get()
    assert msg.callback_phone == "13800138000" and msg.for_person == "刘师傅"

    panel = tab.messages_panel
    assert panel.model.rowCount() == 1
    assert panel.model.data(panel.model.index(0, 3)) == "138****8000"
    assert "(1)" in tab.side_tabs.tabText(0)
    assert panel.to_edit.text() == "刘师傅"  # proposed: the person it was for
    panel.to_edit.clear()
    qtbot.keyClick(panel.to_edit, Qt.Key.Key_Return)
    assert panel.error.text() and Message.get().delivered_at is None
    type_text(panel.to_edit, "刘师傅本人")
    with qtbot.waitSignal(tab.changed, timeout=1000):
        qtbot.mouseClick(panel.deliver_button, Qt.MouseButton.LeftButton)
    msg = Message.get()
    assert msg.delivered_to == "刘师傅本人" and msg.delivered_by_id == tab._session.operator.id
    assert panel.model.rowCount() == 0
    assert tab.side_tabs.tabText(0) == "待转达留言"


def test_callback_outcome_then_completed_from_panel(qtbot, tab: CallTab, clock: FixedClock) -> None:
    form = tab.form
    tab.new_call()
    type_text(form.lookup, "孙先生")
    qtbot.keyClicks(form.phone_edit, "13900001111")
    choose_category(tab, "咨询")
    type_text(form.content_edit, "车位还有没有")
    form.outcome_buttons[Outcome.CALLBACK].setChecked(True)
    expected_local = to_local(clock.now() + timedelta(minutes=120))
    assert form.callback_due_edit.dateTime().toString("yyyy-MM-dd HH:mm") == expected_local.strftime(
        "%Y-%m-%d %H:%M"
    )
    assert "我们将于" in form.readback_label.text()
    form.save()
    cb = Callback.get()
    assert cb.phone == "13900001111"
    assert cb.due_at == clock.now() + timedelta(minutes=120)

    panel = tab.callbacks_panel
    assert panel.model.rowCount() == 1
    assert panel.model.data(panel.model.index(0, 0), Qt.ItemDataRole.ForegroundRole) is None
    clock.advance(hours=3)
    panel.recolor()
    assert panel.model.data(panel.model.index(0, 0), Qt.ItemDataRole.ForegroundRole) is not None
    assert "逾期" in panel.model.data(panel.model.index(0, 0))
    assert "逾期 1" in tab.side_tabs.tabText(1)
    type_text(panel.result_edit, "已告知车位已满")
    with qtbot.waitSignal(tab.changed, timeout=1000):
        qtbot.keyClick(panel.result_edit, Qt.Key.Key_Return)
    cb = Callback.get()
    assert cb.completed_at == clock.now() and cb.result == "已告知车位已满"
    assert panel.model.rowCount() == 0


def test_storage_error_keeps_the_form(qtbot, tab: CallTab, monkeypatch) -> None:
    form = tab.form
    tab.new_call()
    choose_category(tab, "咨询")
    type_text(form.content_edit, "问题")
    type_text(form.answer_edit, "答复")
    form.outcome_buttons[Outcome.ANSWERED].setChecked(True)
    real = calls.register_call
    attempts: list[int] = []

    def failing(session, data):
        attempts.append(1)
        if len(attempts) == 1:
            raise StorageError("磁盘空间不足，记录未保存。")
        return real(session, data)

    offered: list[str] = []
    monkeypatch.setattr(calls, "register_call", failing)
    monkeypatch.setattr(msgbox, "retry", lambda _p, _t, text: offered.append(text) or False)
    form.save()
    assert offered == ["磁盘空间不足，记录未保存。"]
    assert form.content_edit.toPlainText() == "问题" and form.is_active()
    assert form.save_button.isEnabled()
    monkeypatch.setattr(msgbox, "retry", lambda _p, _t, _text: True)
    attempts.clear()
    form.save()  # fails once, the receptionist retries, it saves
    assert Call.select().count() == 1 and len(attempts) == 2


# ---- the list, the detail dialog -----------------------------------------------------------


def test_list_model_passes_qtmodeltester(qtmodeltester, receptionist: Session) -> None:
    from ui.calls.call_list_model import CallListModel

    for i in range(5):
        add_call(receptionist, content=f"第{i}通", caller_phone="13800138000")
    add_call(
        receptionist,
        category="投诉",
        outcome=Outcome.DISPATCHED,
        answer="",
        department_id=dept_id("工程部"),
        taken_by="刘",
    )
    model = CallListModel(receptionist.now)
    model.refresh()
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 6


def test_list_fetches_lazily(receptionist: Session, clock: FixedClock) -> None:
    from ui.calls.call_list_model import PAGE_SIZE
    from ui.calls.call_list_model import ROW_ROLE
    from ui.calls.call_list_model import CallListModel

    for i in range(450):
        add_call(receptionist, content=f"第{i}通")
        clock.advance(seconds=20)
    model = CallListModel(receptionist.now)
    model.refresh()
    assert model.total() == 450 and model.rowCount() == PAGE_SIZE  # only the first page is read
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 2 * PAGE_SIZE
    model.fetchMore()
    assert model.rowCount() == 450 and not model.canFetchMore()
    assert model.data(model.index(0, 5)) == "第449通"  # newest first
    assert model.data(model.index(0, 0), ROW_ROLE).content == "第449通"


def test_list_filters_and_search(qtbot, tab: CallTab, receptionist: Session, clock) -> None:
    add_call(receptionist, content="电梯坏了", category="报修", caller_phone="13800138000")
    add_call(receptionist, content="物业费", caller_name="钱七")
    clock.advance(days=-3)
    add_call(receptionist, content="三天前的来电")
    clock.advance(days=3)
    tab.refresh()
    assert tab.model.total() == 2  # today by default
    tab.dates.range_combo.setCurrentIndex(tab.dates.range_combo.findData("7days"))
    assert tab.model.total() == 3
    tab.category_filter.setCurrentIndex(tab.category_filter.findData("报修"))
    assert tab.model.total() == 1
    tab.category_filter.setCurrentIndex(0)
    qtbot.keyClicks(tab.search_edit, "8000")
    qtbot.keyClick(tab.search_edit, Qt.Key.Key_Return)
    assert tab.model.total() == 1
    tab.search_edit.clear()
    qtbot.keyClick(tab.search_edit, Qt.Key.Key_Return)
    assert tab.model.total() == 3
    type_text(tab.search_edit, "钱七")
    assert tab.model.total() == 3  # not on every key press ...
    qtbot.waitUntil(lambda: tab.model.total() == 1, timeout=2000)  # ... but after a short pause
    assert "共 1 条" in tab.count_label.text()
    assert tab.model.data(tab.model.index(0, 2)) == "钱七"


def test_detail_dialog_shows_masked_phone_history_and_edits(
    qtbot, tab: CallTab, receptionist: Session
) -> None:
    call = add_call(
        receptionist,
        category="投诉",
        outcome=Outcome.DISPATCHED,
        answer="",
        department_id=dept_id("工程部"),
        taken_by="刘",
        caller_phone="13800138000",
        caller_name="张三",
    )
    tab.refresh()
    tab.view.setFocus()
    tab.view.setCurrentIndex(tab.model.index(0, 0))
    tab.view.activated.emit(tab.model.index(0, 0))
    dialog = tab.detail_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.phone_edit.text() == "138****8000"
    assert "工单 GD" in dialog.fact_labels["linked"].text()
    texts = [
        dialog.history_model.data(dialog.history_model.index(r, 2))
        for r in range(dialog.history_model.rowCount())
    ]
    assert any("登记来电" in t for t in texts) and any("生成工单" in t for t in texts)
    assert dialog.readback_label.text() == call.readback
    assert dialog.name_edit.isReadOnly()

    qtbot.mouseClick(dialog.edit_button, Qt.MouseButton.LeftButton)
    dialog.content_edit.setPlainText("")
    dialog.save_edit()
    assert dialog.error_text("content") == "请填写来电内容"
    dialog.content_edit.setPlainText("楼上漏水到我家")
    with qtbot.waitSignal(tab.changed, timeout=1000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    saved = Call.get_by_id(call.id)
    assert saved.content == "楼上漏水到我家" and saved.caller_phone == "13800138000"  # unchanged phone kept
    assert saved.version == 2 and not dialog.is_editing()
    assert any(
        "修改记录" in dialog.history_model.data(dialog.history_model.index(r, 2))
        for r in range(dialog.history_model.rowCount())
    )
    dialog.close()


def test_detail_dialog_reports_conflict(qtbot, tab: CallTab, receptionist: Session, monkeypatch) -> None:
    call = add_call(receptionist, content="原内容")
    dialog = tab.open_call(call.id)
    assert dialog is not None
    dialog.start_edit()
    calls.update_call(
        receptionist,
        call.id,
        calls.CallEdit("", "", "", False, "咨询", "别人改过", "已答复"),
        expected_version=1,
    )
    errors: list[str] = []
    monkeypatch.setattr(msgbox, "error", lambda _p, _t, text: errors.append(text))
    dialog.content_edit.setPlainText("我的修改")
    assert not dialog.save_edit()
    assert errors and "已被其他人修改" in errors[0]
    assert Call.get_by_id(call.id).content == "别人改过"
    # The newer record is shown; the refused change is kept beside it, not lost.
    assert not dialog.is_editing()
    assert dialog.content_edit.toPlainText() == "别人改过" and dialog.answer_edit.toPlainText() == "已答复"
    assert dialog.has_refused_changes() and dialog.conflict_box.isVisibleTo(dialog)
    assert "来电内容：我的修改" in dialog.conflict_label.text()
    asked: list[str] = []
    monkeypatch.setattr(msgbox, "ask", lambda _p, _t, text: asked.append(text) or False)
    dialog.reject()  # closing would lose the change: asked first
    assert asked and dialog.isVisible()

    qtbot.mouseClick(dialog.reapply_button, Qt.MouseButton.LeftButton)
    assert dialog.is_editing() and not dialog.conflict_box.isVisibleTo(dialog)
    assert dialog.content_edit.toPlainText() == "我的修改"
    assert dialog.answer_edit.toPlainText() == "已答复"  # the other person's answer stays
    assert dialog.save_edit()
    saved = Call.get_by_id(call.id)
    assert (saved.content, saved.answer, saved.version) == ("我的修改", "已答复", 3)
    dialog.reject()


def test_set_session_resets_the_form(qtbot, tab: CallTab, supervisor: Session) -> None:
    tab.new_call()
    type_text(tab.form.content_edit, "半截")
    tab.set_session(supervisor)
    assert not tab.has_unsaved()
    tab.new_call()
    choose_category(tab, "咨询")
    type_text(tab.form.content_edit, "交接后")
    type_text(tab.form.answer_edit, "好")
    tab.form.outcome_buttons[Outcome.ANSWERED].setChecked(True)
    tab.form.save()
    assert Call.get().operator_id == supervisor.operator.id


def test_a_second_enter_after_a_delivery_marks_nothing(qtbot, tab: CallTab, receptionist, clock) -> None:
    """Two messages waiting; 转达给 is proposed, Enter delivers the first. The next message is
    then not selected nor pre-filled, so a second Enter delivers nothing that was not passed on."""
    from tests import mixed_traffic as traffic

    traffic.message_call(receptionist, clock, "刘师傅", "13800138000")
    clock.advance(minutes=1)
    traffic.message_call(receptionist, clock, "王经理", "13900001111")
    panel = tab.messages_panel
    panel.refresh()
    assert panel.model.rowCount() == 2 and panel.to_edit.text()
    qtbot.keyClick(panel.to_edit, Qt.Key.Key_Return)
    assert Message.select().where(Message.delivered_at.is_null(False)).count() == 1
    assert panel.selected() is None and panel.to_edit.text() == ""
    qtbot.keyClick(panel.to_edit, Qt.Key.Key_Return)
    assert Message.select().where(Message.delivered_at.is_null(False)).count() == 1
    panel.view.selectRow(0)  # picked on purpose: proposed again, and delivered
    assert panel.to_edit.text()
    qtbot.keyClick(panel.to_edit, Qt.Key.Key_Return)
    assert Message.select().where(Message.delivered_at.is_null(False)).count() == 2


def test_numbers_masked_in_the_content_are_noted_after_the_save(qtbot, tab: CallTab) -> None:
    """A mobile number typed into the content is masked when saved, and the form says so."""
    form = tab.form
    tab.new_call()
    type_text(form.lookup, "李女士")
    choose_category(tab, "咨询")
    type_text(form.content_edit, "请回电")
    qtbot.keyClicks(form.content_edit, " 139.1111.2205")
    type_text(form.answer_edit, "已答复")
    qtbot.mouseClick(form.outcome_buttons[Outcome.ANSWERED], Qt.MouseButton.LeftButton)
    assert form.masked_note.isHidden()
    with qtbot.waitSignal(tab.changed, timeout=1000):
        qtbot.keyClick(form.lookup, Qt.Key.Key_Return)
    call = Call.get()
    assert "139****2205" in call.content and "1111" not in call.content
    assert form.masked_note.isVisible()
    assert form.masked_note.text() == "来电内容中的身份证号/手机号已按隐私规定隐去。"
    # The next call starts without the note; a call without numbers leaves it hidden.
    tab.new_call()
    assert form.masked_note.isHidden()
    type_text(form.lookup, "王先生")
    choose_category(tab, "咨询")
    type_text(form.content_edit, "问停车费")
    type_text(form.answer_edit, "每月 300 元")
    qtbot.mouseClick(form.outcome_buttons[Outcome.ANSWERED], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(tab.changed, timeout=1000):
        qtbot.keyClick(form.lookup, Qt.Key.Key_Return)
    assert Call.select().count() == 2 and form.masked_note.isHidden()


# ---- incidents from a call (issue 17, finding 4) -------------------------------------------------
def test_an_incident_is_raised_from_a_call_linked_to_the_selected_call(
    qtbot, tab: CallTab, receptionist
) -> None:
    from reception.services import incidents

    chosen = add_call(receptionist, caller_name="孙先生", content="地库有人撬车")
    tab.refresh()
    tab.view.selectRow(0)
    assert tab.incident_button.text() == "登记异常情况…"
    qtbot.mouseClick(tab.incident_button, Qt.MouseButton.LeftButton)
    dialog = tab.incident_dialog
    assert dialog.isVisible() and dialog.link_check.isChecked()
    assert dialog.link_check.text() == f"关联来电 {chosen.serial}　孙先生"
    dialog.kind_buttons[incidents.POLICE].setChecked(True)
    type_text(dialog.description_edit, "来电称地库有人撬车")
    qtbot.keyClicks(dialog.case_edit, "110-2026-007")
    type_text(dialog.officer_edit, "李警官")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.incident is not None and dialog.incident.call_id == chosen.id


def test_the_call_just_saved_is_offered_unticked_and_can_be_linked(qtbot, tab: CallTab) -> None:
    from reception.services import incidents

    form = tab.form
    qtbot.keyClick(form.lookup, Qt.Key.Key_F2)
    choose_category(tab, "咨询")
    type_text(form.content_edit, "楼道有烟味")
    type_text(form.answer_edit, "已通知保安")
    qtbot.mouseClick(form.outcome_buttons[Outcome.ANSWERED], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(tab.changed, timeout=1000):
        qtbot.keyClick(form.location_edit, Qt.Key.Key_Return)
    saved = Call.get()
    tab.view.clearSelection()
    dialog = tab.record_incident()
    assert dialog.link_check is not None and not dialog.link_check.isChecked()
    assert saved.serial in dialog.link_check.text()
    dialog.link_check.setChecked(True)
    dialog.kind_buttons[incidents.HAZARD].setChecked(True)
    type_text(dialog.description_edit, "楼道有烟味")
    type_text(dialog.person_edit, "吴班长")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.incident is not None and dialog.incident.call_id == saved.id
    assert dialog.incident.visit_id is None


def test_new_call_refills_the_department_lists_keeping_the_choices(
    qtbot, tab: CallTab, admin: Session
) -> None:
    """新来电 reads the departments again (one added in 设置 appears); a chosen one stays chosen,
    one switched off since falls back to none (the message's list: to 「不指定」)."""
    form = tab.form
    form.department_combo.setCurrentIndex(form.department_combo.findData(dept_id("工程部")))
    form.message_dept_combo.setCurrentIndex(form.message_dept_combo.findData(dept_id("财务部")))
    form.alert_dept_combo.setCurrentIndex(form.alert_dept_combo.findData(dept_id("保安部")))
    departments.add_department(admin, "停车场管理处")
    finance = dept_id("财务部")
    departments.update_department(admin, finance, name="财务部", phone="", active=False)
    form._refresh_choices()
    assert form.department_combo.currentText() == "工程部"
    assert form.alert_dept_combo.currentText() == "保安部"
    assert form.message_dept_combo.currentIndex() == 0 and form.message_dept_combo.currentData() is None
    assert form.message_dept_combo.itemText(0) == "（不指定）"
    names = [form.department_combo.itemText(i) for i in range(form.department_combo.count())]
    assert "停车场管理处" in names and "财务部" not in names
    form.department_combo.setCurrentIndex(-1)
    form._refresh_choices()
    assert form.department_combo.currentIndex() == -1
