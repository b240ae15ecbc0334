"""The keys that work the same everywhere (issue 17, findings 8 and 10), with real key events:
Ctrl+Enter saves in every form and dialog (the case 答复 dialog too), Tab leaves a date field,
lists choose by pinyin initials, number keys choose a radio button, F6 opens 业户办事, and the
letter form opens in its first text field with no 「请选择」 item to pick by mistake."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication
from PySide6.QtWidgets import QWidget

from reception.clock import FixedClock
from reception.services import calls
from reception.services import departments
from reception.services.calls import CallInput
from reception.services.calls import Outcome
from reception.store.models import Case
from reception.store.models import Letter


def type_text(widget: QWidget, text: str) -> None:
    for ch in text:
        event = QInputMethodEvent()
        event.setCommitString(ch)
        QApplication.sendEvent(widget, event)


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def test_ctrl_enter_saves_the_case_reply_dialog_from_inside_its_text_box(qtbot, receptionist, boxes) -> None:
    from ui.cases.case_actions import ReplyDialog

    dept = next(d for d in departments.list_departments() if d.name == "工程部")
    result = calls.register_call(
        receptionist,
        CallInput(
            receptionist.now(),
            "投诉",
            "楼道灯不亮",
            outcome=Outcome.DISPATCHED,
            department_id=dept.id,
            taken_by="刘师傅",
        ),
    )
    dialog = ReplyDialog(receptionist, result.case)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    dialog.text_edit.setFocus()
    type_text(dialog.text_edit, "已安排电工今天下午更换灯管")
    qtbot.keyClick(dialog.text_edit, Qt.Key.Key_Return)  # Enter: a new line, nothing saved
    assert Case.get().reply_text == ""
    qtbot.keyClick(dialog.text_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert Case.get().reply_text.startswith("已安排电工今天下午更换灯管")
    assert boxes.shown == []


def test_tab_leaves_a_date_time_field_and_typing_after_it_does_not_change_the_date(
    qtbot, receptionist, clock: FixedClock
) -> None:
    from ui.calls.call_form import CallForm

    form = CallForm(receptionist)
    qtbot.addWidget(form)
    form.resize(1280, 700)
    with qtbot.waitActive(form):
        form.show()
        form.activateWindow()
    form.new_call()
    form.choose_outcome(Outcome.CALLBACK)
    due = form.callback_due_edit
    before = due.dateTime()
    due.setFocus()
    assert focused() is due
    qtbot.keyClick(due, Qt.Key.Key_Tab)  # Qt alone would step year → month → day
    assert focused() is form.callback_reason_edit
    qtbot.keyClicks(focused(), "06")
    assert due.dateTime() == before and form.callback_reason_edit.text() == "06"
    qtbot.keyClick(form.callback_reason_edit, Qt.Key.Key_Backtab)
    assert focused() is due
    qtbot.keyClick(due, Qt.Key.Key_Backtab)
    assert focused() is form.callback_phone_edit


def test_lists_choose_by_pinyin_initials_and_radios_by_number(qtbot, receptionist) -> None:
    from ui.calls.call_form import CallForm

    form = CallForm(receptionist)
    qtbot.addWidget(form)
    with qtbot.waitActive(form):
        form.show()
        form.activateWindow()
    combo = form.category_combo
    combo.setFocus()
    qtbot.keyClicks(combo, "bx")
    assert combo.currentData() == "报修"
    qtbot.wait(1100)  # a pause starts a new word
    qtbot.keyClicks(combo, "ts")
    assert combo.currentData() == "投诉"
    qtbot.wait(1100)
    qtbot.keyClicks(combo, "sz")  # 市政设施
    assert combo.currentData() == "市政设施"
    # The outcome: 1..4 on the buttons, Alt+1..4 from any field.
    form.outcome_buttons[Outcome.ANSWERED].setFocus()
    qtbot.keyClick(focused(), Qt.Key.Key_3)
    assert form.outcome() == Outcome.MESSAGE
    form.content_edit.setFocus()
    qtbot.keyClick(form.content_edit, Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)
    assert form.outcome() == Outcome.CALLBACK and focused() is form.content_edit


def test_letter_form_opens_in_its_first_text_field_with_nothing_chosen_and_saves_with_a_banner(
    qtbot, receptionist, boxes, tmp_path
) -> None:
    from reception.store.attachments import AttachmentStore
    from ui.letters.letter_tab import LetterTab

    tab = LetterTab(receptionist, store=AttachmentStore(tmp_path / "files"))
    qtbot.addWidget(tab)
    tab.show()
    form = tab.new_letter()
    qtbot.waitExposed(form)
    form.activateWindow()
    qtbot.waitUntil(lambda: focused() is not None)
    assert focused() is form.sender_edit
    assert form.type_combo.currentIndex() == -1 and form.type_combo.placeholderText() == "请选择"
    assert form.type_combo.findText("请选择") == -1  # not an item: Enter cannot pick it
    type_text(form.sender_edit, "业委会")
    form.type_combo.setFocus()
    qtbot.keyClick(form.type_combo, Qt.Key.Key_Return)
    assert form.error_text("letter_type") == "请选择来函类别" and Letter.select().count() == 0
    qtbot.keyClicks(form.type_combo, "gh")  # 公函
    assert form.type_combo.currentData() == "公函"
    form.channel_combo.setFocus()
    qtbot.keyClicks(form.channel_combo, "yj")  # 邮寄
    assert form.channel_combo.currentData() == "邮寄"
    form.subject_edit.setFocus()
    type_text(form.subject_edit, "关于公共收益公示的询问")
    qtbot.keyClick(form.subject_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert Letter.select().count() == 1
    assert boxes.shown == []  # no box to click away
    assert tab.banner.isVisible() and Letter.get().serial in tab.banner.text()


def test_f6_opens_the_business_visit_form(qtbot, admin, receptionist, clock) -> None:
    from ui.main_window import MainWindow

    window = MainWindow(receptionist, clock)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    qtbot.keyClick(window.call_tab.form.lookup, Qt.Key.Key_F6)
    assert window.tabs.currentWidget() is window.visit_tab
    assert window.visit_tab.forms.currentWidget() is window.visit_tab.business_form
    assert focused() is window.visit_tab.business_form.lookup
    qtbot.keyClicks(focused(), "zs")
    assert window.visit_tab.business_form.lookup.text() == "zs"
