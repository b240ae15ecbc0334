"""Several desks on one database, as seen in the window: this PC's desk name (系统设置 → 本机, the
status bar), the desk shown on records and on the on-site list, the window picking up what
another desk saved (a visitor checked out at the other gate leaves the on-site list) without
touching a form being filled in, and the backup entries on a server site.

"Another desk" is a second session saving through the services while the window runs — the
same database, as two desks on one server (RECEPTION_TEST_DATABASE) or one SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication
from PySide6.QtWidgets import QWidget

from reception.errors import StorageError
from reception.services import auth
from reception.services import calls
from reception.services import messages
from reception.services import residents
from reception.services import visits
from reception.services.calls import CallInput
from reception.services.calls import Outcome
from reception.services.session import Role
from reception.services.session import Session
from reception.services.visits import GuestInput
from reception.store import changes
from reception.store import config
from reception.store import db
from reception.store import desk
from reception.store.paths import DataDir
from ui.visits import on_site_panel as on_site
from ui.visits import visit_list_model as visit_cols

GOOD_ID = "11010519491231002X"
POLL_MS = 40
PASSWORD = "secret12"


@pytest.fixture(autouse=True)
def unnamed_desk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts on a desk without a name, and leaves the name as it found it."""
    monkeypatch.setattr(desk, "_name", "")


@pytest.fixture
def other_desk(admin: Session, clock) -> Session:
    """The receptionist at the other gate (a second login on the same database)."""
    auth.create_operator(admin, auth.OperatorInput("nanmen", "周南", Role.RECEPTIONIST, PASSWORD))
    return auth.login("nanmen", PASSWORD, clock)


@pytest.fixture
def host(admin: Session):
    return residents.add_resident(
        admin, residents.ResidentInput("12栋", "3单元", "801", "欧阳娜娜", "业主", "13600001234")
    )


@pytest.fixture
def window(qtbot, receptionist: Session, clock, tmp_path: Path, boxes):
    from ui.main_window import MainWindow

    win = MainWindow(receptionist, clock, data_dir=DataDir(tmp_path))
    # 是 when closing at the end asks 退出即注销 … 确定要退出吗？ (a form left with unsaved work)
    qtbot.addWidget(win, before_close_func=lambda _win: boxes.answers.append(True))
    win.resize(1280, 800)
    yield win
    win.changes_timer.stop()


def type_text(widget: QWidget, text: str) -> None:
    """Type Chinese as an input method does (QTest can only type ASCII)."""
    widget.setFocus()
    for ch in text:
        event = QInputMethodEvent()
        event.setCommitString(ch)
        QApplication.sendEvent(widget, event)


def register_guest(session: Session, host, name: str = "王小明") -> visits.Visit:
    return visits.register_guest(
        session,
        GuestInput(
            visitor_name=name,
            visitor_phone="13900005678",
            id_number=GOOD_ID,
            id_verified=True,
            host_resident_id=host.id,
            purpose="探亲访友",
            consent=visits.AGREED,
        ),
    )


def on_site_names(win) -> list[str]:
    model = win.visit_tab.on_site_panel.model
    return [model.row_at(row).visitor_name for row in range(model.rowCount())]


# ---- this PC's desk name -------------------------------------------------------------------------


def test_local_page_saves_the_desk_name_and_shows_the_database(qtbot, admin, tmp_path) -> None:
    from ui.admin.settings_dialog import SettingsDialog

    dialog = SettingsDialog(admin, data_dir=DataDir(tmp_path))
    qtbot.addWidget(dialog)
    page = dialog.local_page
    assert dialog.tabs.tabText(dialog.tabs.indexOf(dialog.local_scroll)) == "本机"
    assert dialog.local_scroll.widget() is page
    shown = page.database_label.text()
    if changes.is_server():
        assert shown.startswith("数据库服务器：postgresql://")
        assert ":" not in shown.split("//", 1)[1].split("@", 1)[0]  # a user, never user:password
    else:
        assert shown == f"本机数据文件：{tmp_path / 'reception.db'}"

    # too long: refused beside the field, what was typed stays
    too_long = "南" * (desk.MAX_LENGTH + 1)
    page.desk_name.setText(too_long)
    with qtbot.assertNotEmitted(dialog.desk_changed):
        assert not page.save()
    assert page.errors.message("desk") == f"前台名称最多 {desk.MAX_LENGTH} 个字"
    assert page.desk_name.text() == too_long
    assert desk.name() == ""

    page.desk_name.clear()
    type_text(page.desk_name, "南门岗")
    with qtbot.waitSignal(dialog.desk_changed) as signal:
        assert page.save()
    assert signal.args == ["南门岗"]
    assert page.errors.message("desk") == "" and page.saved.text() == "已保存。"
    assert desk.name() == "南门岗" and config.load(tmp_path).desk == "南门岗"

    again = SettingsDialog(admin, data_dir=DataDir(tmp_path))
    qtbot.addWidget(again)
    assert again.local_page.desk_name.text() == "南门岗"


def test_status_bar_shows_the_desk_and_follows_a_change(qtbot, admin, clock, tmp_path, boxes) -> None:
    from ui.admin.settings_dialog import SettingsDialog
    from ui.main_window import MainWindow

    window = MainWindow(admin, clock, data_dir=DataDir(tmp_path))
    qtbot.addWidget(window)
    if db.is_postgres():  # several desks share a server: a desk without a name is asked for one
        assert "未命名" in window.desk_label.text() and not window.desk_label.isHidden()
    else:
        assert window.desk_label.isHidden()  # a single desk without a name shows nothing
    desk.set_name("客服中心")
    window.show_desk()
    assert window.desk_label.text() == "前台：客服中心" and not window.desk_label.isHidden()

    window.open_settings()
    dialog = window.settings_dialog
    assert isinstance(dialog, SettingsDialog)
    dialog.local_page.desk_name.setText("南门岗")
    dialog.local_page.save()
    assert window.desk_label.text() == "前台：南门岗"
    assert config.load(tmp_path).desk == "南门岗"
    dialog.reject()


# ---- the desk on records -------------------------------------------------------------------------


def test_desk_shown_in_call_detail_and_on_site_list(qtbot, window, receptionist, other_desk, host) -> None:
    call = calls.register_call(
        receptionist,
        CallInput(
            started_at=receptionist.now(),
            category="咨询",
            content="问物业费",
            answer="已答复",
            outcome=Outcome.ANSWERED,
        ),
    ).call
    dialog = window.call_tab.open_call(call.id)
    assert dialog is not None
    assert dialog.fact_labels["desk"].text() == "—"  # registered before desks had names
    dialog.reject()

    register_guest(receptionist, host, "李四")  # at this (unnamed) desk
    tab = window.visit_tab
    panel = tab.on_site_panel
    assert panel.view.isColumnHidden(on_site.DESK)  # one desk: no 前台 column

    desk.set_name("南门岗")  # the other gate's PC
    register_guest(other_desk, host, "王小明")
    desk.set_name("")
    tab.reload_lists()
    assert not panel.view.isColumnHidden(on_site.DESK)
    assert panel.model.headerData(on_site.DESK, Qt.Orientation.Horizontal) == "前台"
    desks = {
        panel.model.row_at(row).visitor_name: panel.model.index(row, on_site.DESK).data()
        for row in range(panel.model.rowCount())
    }
    assert desks == {"李四": "—", "王小明": "南门岗"}
    assert not tab.view.isColumnHidden(visit_cols.DESK)
    listed = [tab.model.index(row, visit_cols.DESK).data() for row in range(tab.model.rowCount())]
    assert sorted(listed) == ["—", "南门岗"]


# ---- changes saved at another desk ---------------------------------------------------------------


def test_visitor_checked_out_at_the_other_gate_leaves_the_on_site_list(
    qtbot, window, receptionist, other_desk, host
) -> None:
    window.tabs.setCurrentWidget(window.visit_tab)
    tab = window.visit_tab
    window.watch_changes(POLL_MS)
    tab.guest_form.name_edit.setText("赵六")  # this desk is registering someone meanwhile

    visit = register_guest(other_desk, host, "王小明")  # registered at the other gate
    qtbot.waitUntil(lambda: on_site_names(window) == ["王小明"], timeout=3000)
    qtbot.waitUntil(lambda: "在场访客 <b>1</b>" in window.visitors_label.text(), timeout=3000)
    tab.on_site_panel.select_row(0)

    visits.checkout(other_desk, visit.id)  # … and checked out there
    qtbot.waitUntil(lambda: on_site_names(window) == [], timeout=3000)
    assert "在场访客 <b>0</b>" in window.visitors_label.text()
    assert tab.guest_form.name_edit.text() == "赵六"  # the form being filled in is untouched
    assert tab.guest_form.has_content()


def test_lists_of_hidden_tabs_are_reread_when_shown_keeping_the_selection(
    qtbot, window, receptionist, other_desk
) -> None:
    def call(session: Session, content: str) -> calls.Call:
        data = CallInput(
            started_at=session.now(),
            category="咨询",
            content=content,
            answer="已答复",
            outcome=Outcome.ANSWERED,
        )
        return calls.register_call(session, data).call

    first = call(receptionist, "问停车")
    call(receptionist, "问快递")
    tab = window.call_tab
    tab.reload_lists()
    row = next(r for r in range(tab.model.rowCount()) if tab.model.call_at(r).id == first.id)
    tab.view.selectRow(row)
    tab.form.content_edit.setPlainText("正在接听的来电")

    window.tabs.setCurrentWidget(window.visit_tab)
    window.watch_changes(POLL_MS)
    call(other_desk, "南门岗转来的咨询")
    qtbot.waitUntil(lambda: "call_tab" in window._stale_tabs, timeout=3000)
    assert tab.model.rowCount() == 2  # not re-read while out of sight

    window.tabs.setCurrentWidget(tab)
    assert tab.model.rowCount() == 3 and tab.count_label.text() == "共 3 条"
    assert tab.model.call_at(tab.view.currentIndex().row()).id == first.id  # still selected
    assert tab.form.content_edit.toPlainText() == "正在接听的来电"


def test_message_being_passed_on_keeps_what_was_typed(qtbot, window, receptionist, other_desk) -> None:
    for person in ("王经理", "李师傅"):
        messages.add_message(receptionist, messages.MessageInput(for_person=person, text="请回电"))
    panel = window.call_tab.messages_panel
    window.call_tab.reload_lists()
    panel.view.selectRow(1)
    panel.to_edit.setText("李师傅本人")
    chosen = panel.selected()

    messages.add_message(other_desk, messages.MessageInput(for_person="赵主管", text="明早开会"))
    window.tabs.setCurrentWidget(window.call_tab)
    assert window.check_changes()
    assert panel.model.rowCount() == 3
    assert panel.selected().id == chosen.id and panel.to_edit.text() == "李师傅本人"

    messages.deliver(other_desk, chosen.id, "李师傅")  # passed on at the other desk meanwhile
    assert window.check_changes()
    assert panel.selected() is None  # Enter cannot pass on a different message by mistake
    assert "其他前台" in panel.error.text()


def test_an_unreadable_database_is_logged_and_retried(qtbot, window, monkeypatch, other_desk, host) -> None:
    window.tabs.setCurrentWidget(window.visit_tab)
    calls_made = []

    def broken() -> int:
        calls_made.append(1)
        raise StorageError(
            "无法连接数据库服务器，记录未保存。请检查网络或联系管理员后重试，已填写的内容仍保留在表单中。"
        )

    real = changes.latest_change
    monkeypatch.setattr(changes, "latest_change", broken)
    assert window.check_changes() is False
    assert window.check_changes() is False  # logged once, tried again
    assert len(calls_made) == 2
    assert "无法连接数据库服务器" in window.statusBar().currentMessage()
    assert window.changes_timer.interval() >= 15_000  # tried again less often meanwhile

    def crashing() -> int:
        raise RuntimeError("boom")

    monkeypatch.setattr(changes, "latest_change", crashing)
    assert window.check_changes() is False  # not even an unexpected error escapes the timer

    register_guest(other_desk, host)
    monkeypatch.setattr(changes, "latest_change", real)
    assert window.check_changes() is True
    assert on_site_names(window) == ["王小明"]
    assert window.changes_timer.interval() == 2_500


# ---- backups on a server site --------------------------------------------------------------------


def test_backup_entries_on_a_server_site_say_the_server_does_it(
    qtbot, admin, clock, tmp_path, boxes, monkeypatch
) -> None:
    from ui.main_window import MainWindow

    if not changes.is_server():  # on SQLite: behave as on a server site
        monkeypatch.setattr(changes, "is_server", lambda: True)
    win = MainWindow(admin, clock, data_dir=DataDir(tmp_path))
    qtbot.addWidget(win)
    assert not win.restore_action.isEnabled()
    assert "pg_dump" in win.restore_action.toolTip()

    win.backup_now()
    kind, title, text = boxes.last
    assert (kind, title) == ("info", "立即备份")
    assert "备份由服务器负责" in text and "pg_dump" in text
    assert not list((tmp_path / "backups").glob("*.db"))
    assert "备份完成。" not in win.statusBar().currentMessage()

    win.restore_backup()  # even if reached some other way: said, nothing opened
    assert boxes.last[:2] == ("info", "从备份恢复")

    from ui.admin.settings_dialog import SettingsDialog

    dialog = SettingsDialog(admin, data_dir=DataDir(tmp_path))
    qtbot.addWidget(dialog)
    assert not dialog.privacy_page.backup_generations.isEnabled()
