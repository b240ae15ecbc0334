"""The application shell: first-run set-up, login, the main window, switching operators."""

from __future__ import annotations

import io
import re
import sys
import types
from datetime import timedelta

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QEvent
from PySide6.QtCore import Qt
from PySide6.QtCore import Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
from PySide6.QtWidgets import QWidget

from reception.services import auth
from reception.services import calls
from reception.services import counters
from reception.services import departments
from reception.services import messages
from reception.services import settings as settings_mod
from reception.services.session import Role

PASSWORD = "secret12"


class StubCallTab(QWidget):
    """Stands in for ui.calls.call_tab.CallTab while that module is being written (test-only)."""

    changed = Signal()

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.new_calls = 0
        self.unsaved = False

    def set_session(self, session):
        self.session = session

    def new_call(self):
        self.new_calls += 1

    def has_unsaved(self):
        return self.unsaved


@pytest.fixture
def call_tab_module(monkeypatch):
    """The real call tab if it exists, else a stub module installed only for this test."""
    try:
        import ui.calls.call_tab as module
    except ImportError:
        module = types.ModuleType("ui.calls.call_tab")
        module.CallTab = StubCallTab
        monkeypatch.setitem(sys.modules, "ui.calls.call_tab", module)
    return module


@pytest.fixture
def window(qtbot, admin, clock, call_tab_module):
    from ui.main_window import MainWindow

    win = MainWindow(admin, clock)
    qtbot.addWidget(win)
    return win


def type_text(qtbot, widget: QWidget, text: str) -> None:
    """Type ``text`` key by key. QTest cannot type non-ASCII characters (it asserts), so
    Chinese characters are sent as key events carrying the text, like an input method does."""
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def visible_text(widget: QWidget) -> str:
    from PySide6.QtWidgets import QLabel

    return " ".join(label.text() for label in widget.findChildren(QLabel) if label.isVisible())


# -- first run --------------------------------------------------------------------------------
def test_setup_dialog_creates_admin_and_departments(qtbot, database, clock, monkeypatch):
    from ui.admin.setup_dialog import SetupDialog

    dialog = SetupDialog(clock)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(qtbot, dialog.property_name, "阳光花园物业")
    qtbot.keyClicks(dialog.desk_phone, "021-50000000")
    qtbot.keyClicks(dialog.admin_username, "Admin")
    type_text(qtbot, dialog.admin_display_name, "王管理")
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClicks(dialog.password_again, PASSWORD)
    qtbot.keyClick(dialog.password_again, Qt.Key.Key_Return)
    # The site's recovery key is shown once, with a 打印 button, before the program starts.
    from reception.store import sitekey

    assert dialog.stack.currentWidget() is dialog.key_page and dialog.isVisible()
    typed = dialog.key_label.text().replace("\n", "").replace(" ", "")
    assert sitekey.parse_recovery_key(typed) == sitekey.current()
    printed: list[bytes] = []
    monkeypatch.setattr("ui.widgets.printing.print_pdf", lambda pdf, **kw: printed.append(pdf) or True)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    sheet = "".join(p.extract_text() for p in PdfReader(io.BytesIO(printed[0])).pages)
    assert len(PdfReader(io.BytesIO(printed[0])).pages) == 1
    assert sitekey.current_recovery_key().split("-")[0] in sheet and "恢复密钥" in sheet
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.finish_button, Qt.MouseButton.LeftButton)

    assert auth.is_set_up()
    assert dialog.admin is not None and dialog.admin.username == "admin"
    assert settings_mod.load().property_name == "阳光花园物业"
    assert [d.name for d in departments.list_departments()] == settings_mod.DEFAULT_DEPARTMENTS


def test_setup_dialog_shows_messages_beside_fields_and_keeps_input(qtbot, database, clock, tmp_path):
    from ui.admin.setup_dialog import SetupDialog

    dialog = SetupDialog(clock)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(qtbot, dialog.property_name, "阳光花园物业")
    qtbot.keyClicks(dialog.desk_phone, "12345")
    qtbot.keyClicks(dialog.admin_username, "admin")
    type_text(qtbot, dialog.admin_display_name, "王管理")
    qtbot.keyClicks(dialog.password, "abc")
    qtbot.keyClicks(dialog.password_again, "abd")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    assert dialog.result() != dialog.DialogCode.Accepted
    assert not auth.is_set_up()
    assert "电话号码" in dialog.errors.message("desk_phone")
    assert "至少 6 位" in dialog.errors.message("password")
    assert dialog.errors.message("password_again") == "两次输入的密码不一致"
    assert dialog.errors.message("property_name") == ""
    assert dialog.desk_phone.text() == "12345"
    assert dialog.property_name.text() == "阳光花园物业"

    dialog.desk_phone.setText("021-50000000")
    dialog.password.setText(PASSWORD)
    dialog.password_again.setText(PASSWORD)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.errors.message("desk_phone") == ""
    assert dialog.stack.currentWidget() is dialog.key_page
    dialog.grab().save(str(tmp_path / "setup-recovery-key.png"))
    with qtbot.waitSignal(dialog.accepted):
        dialog.reject()  # closing the key page still finishes: the site is set up


# -- login -------------------------------------------------------------------------------------
def test_login_with_enter_returns_session(qtbot, admin, clock):
    from ui.admin.login_dialog import LoginDialog

    dialog = LoginDialog(clock, property_name="阳光花园物业")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username, "admin")
    qtbot.keyClicks(dialog.password, PASSWORD)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.session is not None
    assert dialog.session.operator.username == "admin"
    assert dialog.session.role == Role.ADMIN


def test_wrong_password_shows_message_and_sixth_attempt_is_throttled(qtbot, admin, clock):
    from ui.admin.login_dialog import LoginDialog

    dialog = LoginDialog(clock)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username, "admin")
    for _ in range(5):
        qtbot.keyClicks(dialog.password, "wrong-password")
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
        assert dialog.message.isVisible()
        assert dialog.message.text() == "登录名或密码不正确。"
        assert dialog.password.text() == ""
        assert dialog.username.text() == "admin"
        assert dialog.session is None

    # The sixth quick attempt is refused even with the right password.
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert "密码错误次数过多" in dialog.message.text()
    assert dialog.session is None
    assert dialog.result() != dialog.DialogCode.Accepted

    clock.advance(seconds=31)
    qtbot.keyClicks(dialog.password, PASSWORD)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.session is not None


def test_change_password_checks_current_for_receptionist(qtbot, receptionist, clock):
    from ui.admin.login_dialog import ChangePasswordDialog

    dialog = ChangePasswordDialog(receptionist)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.current, "not-my-password")
    qtbot.keyClicks(dialog.new, "newpass99")
    qtbot.keyClicks(dialog.again, "newpass99")
    qtbot.keyClick(dialog.again, Qt.Key.Key_Return)
    assert dialog.errors.message("current") == "当前密码不正确"

    dialog.current.setText(PASSWORD)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.again, Qt.Key.Key_Return)
    assert auth.login("lixiao", "newpass99", clock).operator.username == "lixiao"


# -- main window --------------------------------------------------------------------------------
def test_main_window_title_tabs_and_status_bar(qtbot, window, admin):
    assert window.windowTitle() == "前台接待工作站 — 阳光花园物业"
    tabs = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert tabs == ["来电", "来访", "来函", "工单"]
    assert window.visit_tab.forms.tabText(0) == "访客登记 (F3)"
    assert window.letter_tab.new_button.text() == "登记来函 (F4)"
    assert window.operator_label.text() == "当前操作员：王管理（管理员）"
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["文件(&F)", "业户(&R)", "操作员(&O)", "报表(&B)", "设置(&S)", "帮助(&H)"]
    assert window.settings_action.isEnabled()
    assert not window.timer.isActive()  # nothing started by the constructor
    window.start()
    assert window.timer.isActive()
    assert "未完成工单 <b>0</b>" in window.cases_label.text()


def test_counts_refresh_after_changed_and_overdue_in_red(qtbot, window, admin, clock):
    window.start()
    messages.add_message(admin, messages.MessageInput(for_person="张经理", text="请回电"))
    calls.register_call(
        admin,
        calls.CallInput(
            started_at=clock.now(),
            category="咨询",
            content="询问停车月卡办理",
            outcome=calls.Outcome.CALLBACK,
            caller_name="刘先生",
            callback_phone="13800138000",
            callback_reason="查询后回电",
            callback_due_at=clock.now() + timedelta(hours=1),
        ),
    )
    clock.advance(hours=2)
    window.call_tab.changed.emit()
    counts = counters.desk_counts(clock.now())
    assert counts.overdue_callbacks == 1
    assert "未转达留言 <b>1</b>" in window.messages_label.text()
    assert "待回电 <b>1</b>" in window.callbacks_label.text()
    assert "color:#c62828" in window.callbacks_label.text() and "超时 1" in window.callbacks_label.text()
    assert "color:#c62828" not in window.cases_label.text()


def test_f2_starts_a_new_call_from_anywhere(qtbot, window, monkeypatch):
    started = []
    monkeypatch.setattr(window.call_tab, "new_call", lambda: started.append(True))
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    window.tabs.setCurrentWidget(window.letter_tab)
    window.letter_tab.setFocus()
    qtbot.keyClick(window.letter_tab, Qt.Key.Key_F2)
    assert started == [True]
    assert window.tabs.currentWidget() is window.call_tab


def test_switch_operator_changes_status_bar(qtbot, window, receptionist, clock):
    window.switch_action.trigger()
    dialog = window.login_dialog
    assert dialog.windowTitle() == "切换操作员"
    qtbot.keyClicks(dialog.username, "lixiao")
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert window.session.operator.username == "lixiao"
    assert window.operator_label.text() == "当前操作员：李晓（前台）"
    assert not window.settings_action.isEnabled()
    # and back to an administrator
    window.switch_action.trigger()
    dialog = window.login_dialog
    qtbot.keyClicks(dialog.username, "admin")
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert window.operator_label.text() == "当前操作员：王管理（管理员）"
    assert window.settings_action.isEnabled()


def test_switch_operator_cancelled_keeps_session(qtbot, window, admin):
    window.switch_action.trigger()
    dialog = window.login_dialog
    qtbot.keyClick(dialog.username, Qt.Key.Key_Escape)
    assert window.session is admin


def test_settings_only_for_admins(qtbot, receptionist, supervisor, clock, call_tab_module):
    from ui.main_window import MainWindow

    for session in (receptionist, supervisor):
        win = MainWindow(session, clock)
        qtbot.addWidget(win)
        assert not win.settings_action.isEnabled()
        win.open_settings()  # even if called, nothing opens
        assert not hasattr(win, "settings_dialog")


def test_closing_with_unsaved_work_asks_because_quitting_is_a_logout(qtbot, window, boxes, monkeypatch):
    """退出 logs the operator out and deletes their drafts: with a half-filled form it asks first
    (否 keeps the window and the work); with nothing typed it closes without a question."""
    from reception.store.models import AuditLog

    window.show()
    monkeypatch.setattr(window.call_tab, "has_unsaved", lambda: True, raising=False)
    boxes.answers.append(False)
    window.close()
    assert window.isVisible() and not window.logged_out
    assert boxes.kinds() == ["ask"] and "注销" in boxes.shown[0].text
    monkeypatch.setattr(window.call_tab, "has_unsaved", lambda: False, raising=False)
    window.close()
    assert not window.isVisible() and window.logged_out
    assert len(boxes.shown) == 1
    assert AuditLog.select().order_by(AuditLog.id.desc()).first().action == "logout"


def test_menu_opens_residents_and_import_dialogs(qtbot, window):
    window.residents_action.trigger()
    assert window.residents_dialog.windowTitle() == "业户资料"
    window.residents_dialog.reject()
    window.import_action.trigger()
    assert window.import_dialog.windowTitle() == "导入业户资料"
    window.import_dialog.reject()


def test_no_english_text_visible_in_main_window(qtbot, window):
    window.start()
    with qtbot.waitExposed(window):
        window.show()
    texts = [a.text() for a in window.findChildren(type(window.switch_action))]
    texts += [window.tabs.tabText(i) for i in range(window.tabs.count())]
    texts.append(visible_text(window))
    text = re.sub(r"<[^>]+>|&\w+;|\(&[A-Z]\)", " ", " ".join(texts))
    keys = {"Ctrl", "Enter", "Esc", "Tab", "Shift", "Alt", "F1", "F2", "F3", "F5"}
    words = set(re.findall(r"[A-Za-z][A-Za-z0-9]+", text)) - keys
    assert words == set()


def test_bundled_font_becomes_the_application_font(qapp):
    from ui.widgets.fonts import install_app_font

    family = install_app_font(qapp)
    assert family == "WenQuanYi Micro Hei"
    assert QApplication.font().family() == family
    assert QApplication.font().pointSize() == 10
