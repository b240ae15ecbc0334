"""Drafts of half-filled forms: saved a moment after typing, on the idle lock, on closing the
window and on switching operator; restored (and said so) when the same operator comes back;
cleared when the form is saved or discarded. Real SQLite, real services."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from PySide6.QtWidgets import QWidget

from reception.clock import FixedClock
from reception.services import letters
from reception.services import residents
from reception.services import visits
from reception.services.calls import Outcome
from reception.services.session import Session
from reception.store import drafts
from reception.store.models import Call
from reception.store.models import Case
from reception.store.models import Draft
from reception.store.models import Letter
from reception.store.paths import DataDir
from tests.conftest import PASSWORD

RESTORED = "已恢复上次未保存的草稿"


def type_text(widget: QWidget, text: str) -> None:
    """Type Chinese as an input method does (QTest can only type ASCII)."""
    from PySide6.QtGui import QInputMethodEvent

    widget.setFocus()
    for ch in text:
        event = QInputMethodEvent()
        event.setCommitString(ch)
        QApplication.sendEvent(widget, event)


@pytest.fixture
def zhang(receptionist: Session):
    return residents.add_resident(
        receptionist, residents.ResidentInput("3", "2", "1201", "张三", "业主", "13800138000")
    )


@pytest.fixture
def data_dir(tmp_path: Path) -> DataDir:
    return DataDir(tmp_path / "data")


@pytest.fixture
def scans(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "scanner"
    folder.mkdir()
    paths = []
    for name in ("来函扫描件.pdf", "现场照片.jpg"):
        path = folder / name
        path.write_bytes(b"scan" * 100)
        paths.append(path)
    return paths


def make_window(qtbot, session: Session, clock: FixedClock, data_dir: DataDir):
    from ui.main_window import MainWindow

    win = MainWindow(session, clock, data_dir=data_dir)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    win.start()
    return win


def make_call_tab(qtbot, session: Session):
    from ui.calls.call_tab import CallTab

    tab = CallTab(session)
    qtbot.addWidget(tab)
    tab.resize(1280, 800)
    tab.show()
    return tab


def pick(lookup, text: str) -> None:
    lookup.search(text)
    lookup.pick_row(0)


# ---- the call form ------------------------------------------------------------------------------
def test_a_draft_is_saved_a_moment_after_the_last_change(qtbot, receptionist, clock, boxes) -> None:
    tab = make_call_tab(qtbot, receptionist)
    keeper = tab.form.draft
    assert keeper.timer.interval() == 2000 and keeper.timer.isSingleShot()
    keeper.timer.setInterval(30)
    type_text(tab.form.content_edit, "楼道灯不亮")
    assert keeper.pending()
    assert drafts.load(receptionist.operator, "call") is None  # not at every key
    qtbot.waitUntil(lambda: drafts.load(receptionist.operator, "call") is not None, timeout=2000)
    state = drafts.load(receptionist.operator, "call")
    assert state["content"] == "楼道灯不亮"
    assert state["started_at"] == clock.now().isoformat()  # typing started the call
    assert Draft.get().saved_at == clock.now()
    json.dumps(tab.form.draft_state())  # plain values only


def test_a_pending_save_is_not_lost_when_the_form_is_hidden(qtbot, receptionist, boxes) -> None:
    tab = make_call_tab(qtbot, receptionist)
    type_text(tab.form.content_edit, "停车场道闸")
    assert tab.form.draft.pending()
    tab.hide()
    assert not tab.form.draft.pending()
    assert drafts.load(receptionist.operator, "call")["content"] == "停车场道闸"


def test_call_draft_comes_back_whole_and_saving_it_clears_it(
    qtbot, receptionist, zhang, clock, boxes
) -> None:
    from ui.calls.call_tab import CallTab

    tab = make_call_tab(qtbot, receptionist)
    form = tab.form
    tab.new_call()
    pick(form.lookup, "3-2-1201")
    assert form.phone_edit.text() == "138****8000"
    form.identity_check.setChecked(True)
    form.category_combo.setCurrentIndex(form.category_combo.findData("报修"))
    type_text(form.content_edit, "厨房水管漏水")
    form.outcome_buttons[Outcome.DISPATCHED].setChecked(True)
    form.department_combo.setCurrentIndex(form.department_combo.findText("工程部"))
    type_text(form.taken_by_edit, "刘工")
    state = form.draft_state()
    assert tab.save_drafts()

    clock.advance(seconds=90)
    other = CallTab(receptionist)  # the program opened again by the same operator
    qtbot.addWidget(other)
    assert other.restore_drafts()
    again = other.form
    untouched = {"callback_due"}  # a 回电时间 nobody set follows the default (from now)
    assert {k: v for k, v in again.draft_state().items() if k not in untouched} == {
        k: v for k, v in state.items() if k not in untouched
    }
    assert again.status_label.text() == RESTORED
    assert again.lookup.resident() == zhang and again.is_active()
    assert again.outcome_stack.currentIndex() == 2  # the 转部门 page
    again.update_timer()
    assert again.timer_label.text() == "01:30"  # the call's own start time, not the restore's

    assert again.save() is not None
    call = Call.get()
    assert call.caller_phone == "13800138000" and call.content == "厨房水管漏水"
    assert call.started_at < clock.now()
    assert drafts.load(receptionist.operator, "call") is None


def test_restoring_saves_nothing_by_itself(qtbot, receptionist, clock, boxes) -> None:
    drafts.save(receptionist.operator, "call", {"content": "半截来电", "started_at": ""}, clock.now())
    saved_at = Draft.get().saved_at
    clock.advance(minutes=10)
    tab = make_call_tab(qtbot, receptionist)
    assert tab.restore_drafts()
    assert tab.form.content_edit.toPlainText() == "半截来电"
    assert not tab.form.draft.pending()
    qtbot.wait(50)
    tab.hide()
    assert Draft.get().saved_at == saved_at
    assert tab.form.started_at() == clock.now()  # no start time in the draft: from now


def test_a_resident_no_longer_on_file_is_ignored(qtbot, receptionist, clock, boxes) -> None:
    drafts.save(
        receptionist.operator,
        "call",
        {
            "resident_id": 99999,
            "caller": "王五",
            "phone": "138****0000",
            "phone_full": "13800000000",
            "content": "咨询物业费",
            "department_id": 99999,
        },
        clock.now(),
    )
    tab = make_call_tab(qtbot, receptionist)
    assert tab.restore_drafts()
    form = tab.form
    assert form.lookup.resident() is None and form.lookup.text() == "王五"
    assert form.phone_edit.text() == ""  # a masked number of nobody on file is useless
    assert form.content_edit.toPlainText() == "咨询物业费"
    assert form.department_combo.currentIndex() == -1


def test_discarding_the_call_clears_its_draft(qtbot, receptionist, boxes) -> None:
    tab = make_call_tab(qtbot, receptionist)
    type_text(tab.form.content_edit, "打错了")
    assert tab.save_drafts()
    assert drafts.load(receptionist.operator, "call") is not None
    boxes.answers.append(True)
    assert tab.form.discard()
    assert drafts.load(receptionist.operator, "call") is None


def test_erasing_everything_removes_the_draft(qtbot, receptionist, boxes) -> None:
    tab = make_call_tab(qtbot, receptionist)
    type_text(tab.form.content_edit, "x")
    assert tab.save_drafts()
    tab.form.content_edit.clear()
    tab.form.draft.save_now()
    assert drafts.load(receptionist.operator, "call") is None


# ---- the visit forms ------------------------------------------------------------------------------
def test_guest_and_business_drafts_round_trip(qtbot, receptionist, zhang, boxes) -> None:
    from ui.visits.visit_tab import VisitTab

    tab = VisitTab(receptionist)
    qtbot.addWidget(tab)
    guest = tab.guest_form
    type_text(guest.name_edit, "王小明")
    qtbot.keyClicks(guest.phone_edit, "13900005678")
    type_text(guest.plate_edit, "沪A12345")
    qtbot.keyClicks(guest.id_number_edit, "11010519491231002X")
    guest.party_spin.setValue(2)
    pick(guest.host_lookup, "3-2-1201")
    guest.purpose_combo.setEditText("探亲访友")
    guest.consent_buttons[visits.AGREED].setChecked(True)
    business = tab.business_form
    pick(business.lookup, "3-2-1201")
    business.purpose_combo.setCurrentIndex(business.purpose_combo.findData("交费"))
    type_text(business.handled_edit, "已引导至财务窗口")
    guest_state, business_state = guest.draft_state(), business.draft_state()
    assert "11010519491231002X" not in json.dumps(guest_state)  # the ID number is never kept
    assert tab.save_drafts()

    other = VisitTab(receptionist)
    qtbot.addWidget(other)
    assert other.restore_drafts()
    assert other.guest_form.draft_state() == guest_state
    assert other.business_form.draft_state() == business_state
    assert other.guest_form.host_lookup.resident() == zhang
    assert other.guest_form.id_number_edit.text() == ""
    assert other.guest_form.result_banner.text() == RESTORED
    assert other.business_form.status_label.text() == RESTORED
    assert other.business_form.lookup.resident() == zhang
    assert other.business_form.department_combo.currentText() == "财务部"

    assert other.business_form.save() is not None
    assert drafts.load(receptionist.operator, "business") is None
    assert drafts.load(receptionist.operator, "guest") is not None


# ---- the case form ----------------------------------------------------------------------------------
def test_case_draft_survives_a_switch_and_submitting_clears_it(
    qtbot, receptionist, supervisor, boxes
) -> None:
    from ui.cases.case_tab import CaseTab

    tab = CaseTab(receptionist)
    qtbot.addWidget(tab)
    tab.show()
    form = tab.new_case()
    form.category_combo.setCurrentIndex(form.category_combo.findData("报修"))
    form.location_combo.setEditText("地下车库B2")
    type_text(form.description_edit, "排水沟堵塞")
    tab.set_session(supervisor)
    assert tab.form is None and not tab.has_unsaved()
    assert drafts.load(receptionist.operator, "case")["description"] == "排水沟堵塞"
    assert not tab.restore_drafts()  # 赵敏 has no draft of her own

    tab.set_session(receptionist)
    assert tab.restore_drafts()
    form = tab.form
    assert form.isVisible() and form.description_edit.toPlainText() == "排水沟堵塞"
    assert form.location() == "地下车库B2" and form.category() == "报修"
    assert form.draft_notice.isVisible() and form.draft_notice.text() == RESTORED
    assert form.submit() is not None
    assert Case.get().description == "排水沟堵塞"
    assert drafts.load(receptionist.operator, "case") is None


# ---- the main window ---------------------------------------------------------------------------------
def test_has_unsaved_asks_every_tab(qtbot, receptionist, clock, data_dir, boxes) -> None:
    win = make_window(qtbot, receptionist, clock, data_dir)
    assert not win.has_unsaved()
    type_text(win.visit_tab.guest_form.name_edit, "王小明")
    assert win.has_unsaved()
    win.visit_tab.guest_form.reset()
    assert not win.has_unsaved()
    letter = win.letter_tab.new_letter()
    type_text(letter.subject_edit, "来函")
    assert win.has_unsaved()


def test_a_half_filled_letter_survives_a_crash_and_comes_back_at_the_next_login(
    qtbot, receptionist, clock, data_dir, scans, boxes
) -> None:
    """The program dies (power cut, crash) with a form half filled: nobody logged out, so the
    draft saved while typing is still there at the next start (for at most a day)."""
    win = make_window(qtbot, receptionist, clock, data_dir)
    form = win.letter_tab.new_letter()
    form.channel_combo.setCurrentIndex(form.channel_combo.findData("邮寄"))
    form.type_combo.setCurrentIndex(form.type_combo.findData("咨询"))
    type_text(form.sender_edit, "业委会")
    type_text(form.subject_edit, "关于公共收益公示的询问")
    type_text(form.summary_edit, "请物业公示上半年公共收益明细")
    form.files.add_files(scans)
    state = form.draft_state()

    assert win.save_drafts()  # as the form does a moment after each change
    win.logged_out = True  # the process "dies": no logout, and the window's teardown must not log out
    win.hide()
    assert boxes.shown == []
    assert drafts.load(receptionist.operator, "letter")["files"] == [str(p) for p in scans]

    scans[1].unlink()  # a file that went away meanwhile
    again = make_window(qtbot, receptionist, clock, data_dir)
    restored = again.letter_tab.form
    assert restored is not None and restored.isVisible()
    assert restored.subject_edit.text() == "关于公共收益公示的询问"
    assert restored.sender_edit.text() == "业委会"
    assert restored.summary_edit.toPlainText() == "请物业公示上半年公共收益明细"
    assert restored.channel_combo.currentData() == "邮寄" and restored.type_combo.currentData() == "咨询"
    assert restored.files.files() == [scans[0]]
    assert restored.draft_notice.isVisible()
    assert RESTORED in restored.draft_notice.text() and "现场照片.jpg" in restored.draft_notice.text()
    assert "来函" in again.statusBar().currentMessage() and RESTORED in again.statusBar().currentMessage()
    assert {k: v for k, v in restored.draft_state().items() if k != "files"} == {
        k: v for k, v in state.items() if k != "files"
    }

    assert restored.save() is not None
    assert Letter.get().subject == "关于公共收益公示的询问" and Letter.get().channel in letters.CHANNELS
    assert drafts.load(receptionist.operator, "letter") is None


def test_switching_operator_from_the_menu_is_a_logout_and_deletes_the_drafts(
    qtbot, receptionist, supervisor, clock, data_dir, boxes
) -> None:
    win = make_window(qtbot, receptionist, clock, data_dir)
    type_text(win.call_tab.form.content_edit, "李晓的来电")
    type_text(win.visit_tab.guest_form.name_edit, "李晓的访客")
    win.switch_action.trigger()  # asks: switching logs 李晓 out; 否 keeps everything
    assert boxes.kinds() == ["ask"] and "注销" in boxes.shown[0].text
    assert win.call_tab.form.content_edit.toPlainText() == "李晓的来电"
    boxes.answers.append(True)
    win.switch_action.trigger()
    dialog = win.login_dialog
    qtbot.keyClicks(dialog.username, "zhaomin")
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert win.session.operator.username == "zhaomin"
    assert not win.has_unsaved()
    assert win.call_tab.form.content_edit.toPlainText() == ""
    assert win.visit_tab.guest_form.name_edit.text() == ""
    assert drafts.load(receptionist.operator, "call") is None
    assert drafts.load(receptionist.operator, "guest") is None
    assert Draft.select().count() == 0


def _file_bytes(_data_dir: DataDir) -> bytes:
    """The database file and its -wal / -shm, as bytes (the test's SQLite file)."""
    from reception.store import db

    main = Path(db.current().database)
    return b"".join(p.read_bytes() for p in main.parent.glob(main.name + "*") if p.is_file())


def test_after_quitting_no_drafted_phone_number_is_left_in_the_database_file(
    qtbot, receptionist, clock, data_dir, boxes
) -> None:
    """A caller's mobile typed into a call and kept as a draft: after 退出 (the operator's logout)
    neither the number nor the draft's text is anywhere in the database file or its WAL."""
    from reception.store.models import AuditLog

    win = make_window(qtbot, receptionist, clock, data_dir)
    form = win.call_tab.form
    win.call_tab.new_call()
    qtbot.keyClicks(form.phone_edit, "13911112205")
    type_text(form.content_edit, "草稿中的来电内容")
    assert win.save_drafts()
    assert drafts.load(receptionist.operator, "call")["phone"] == "13911112205"
    needle = b"13911112205"
    assert needle in _file_bytes(data_dir)  # the same search finds it before the logout

    type_text(form.content_edit, "，再补一句")  # a save still pending when 退出 is chosen
    assert form.draft.pending()
    boxes.answers.append(True)  # 退出即注销 … 确定要退出吗？
    win.close()
    assert not win.isVisible() and boxes.kinds() == ["ask"]
    assert Draft.select().count() == 0
    assert needle not in _file_bytes(data_dir)
    assert "草稿中的来电内容".encode() not in _file_bytes(data_dir)
    entry = AuditLog.select().order_by(AuditLog.id.desc()).first()
    assert entry.action == "logout" and json.loads(entry.detail)["drafts_deleted"] == 1


def test_drafts_older_than_a_day_are_purged_at_start_and_by_the_daily_job(
    qtbot, receptionist, supervisor, clock, data_dir, boxes
) -> None:
    from datetime import timedelta

    from reception.services import maintenance

    drafts.save(receptionist.operator, "call", {"phone": "13911112205"}, clock.now() - timedelta(hours=25))
    drafts.save(supervisor.operator, "call", {"content": "今天的"}, clock.now() - timedelta(hours=2))
    maintenance.run_daily_jobs(data_dir, clock.now())  # the daily purge (due today)
    assert drafts.load(receptionist.operator, "call") is None
    assert drafts.load(supervisor.operator, "call") == {"content": "今天的"}

    # Later the same day the daily purge has run already; the next start still purges old drafts.
    clock.advance(hours=23)
    win = make_window(qtbot, receptionist, clock, data_dir)  # start() runs the first check
    assert drafts.load(supervisor.operator, "call") is None
    assert b"13911112205" not in _file_bytes(data_dir)
    win.logged_out = True
