"""How many keys a receptionist needs, counted with real key events (``operator_effort``).

Words typed (names, room numbers, the matter, letters typed into a list to pick from it) are not
counted; every other key is — Tab, Enter, Space, arrows, F-keys and the Ctrl/Alt combinations.
Goals (issue 17): a repair call from F2 to saved in ≤ 8 keys, a complaint call ≤ 10, a walk-in
visitor with host consent and a badge ≤ 20 keys and ≤ 2 s of program time."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget

from reception.services import departments, residents
from reception.services import settings as settings_mod
from reception.services.calls import Outcome
from reception.services.session import Session
from reception.store.models import Call, Case
from ui.calls.call_tab import CallTab
from ui.widgets import msgbox

pytestmark = pytest.mark.operator_effort


class Keys:
    """Presses keys and types words into the focused widget, counting the keys."""

    def __init__(self, qtbot) -> None:
        self.qtbot = qtbot
        self.count = 0
        self.log: list[str] = []

    @staticmethod
    def focus() -> QWidget:
        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has the keyboard focus"
        return widget

    def press(self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        self.count += 1
        self.log.append(f"{modifier.name}+{key.name}" if modifier else key.name)
        self.qtbot.keyClick(self.focus(), key, modifier)

    def words(self, text: str) -> None:
        """Typed as a keyboard (ASCII) or an input method (Chinese) would; not counted."""
        widget = self.focus()
        if text.isascii():
            self.qtbot.keyClicks(widget, text)
            return
        for ch in text:
            event = QInputMethodEvent()
            event.setCommitString(ch)
            QApplication.sendEvent(self.focus(), event)


@pytest.fixture
def no_dialogs(monkeypatch: pytest.MonkeyPatch) -> None:
    def unexpected(kind: str):
        def box(_parent, title, text, *_a):
            raise AssertionError(f"unexpected {kind} box: {title} {text}")

        return box

    for kind in ("info", "error", "ask", "retry"):
        monkeypatch.setattr(msgbox, kind, unexpected(kind))


@pytest.fixture
def desk(admin: Session, receptionist: Session):
    """The demo site's routing: 工程部 and 品质管理部 have a default 接单人 and a phone."""
    for name, phone in (("工程部", "0571-88001234"), ("品质管理部", "0571-88005678")):
        dept = departments.by_name(name)
        assert dept is not None
        departments.update_department(admin, dept.id, name=name, phone=phone, active=True)
    settings_mod.update_routing(
        admin,
        category_departments=dict(settings_mod.DEFAULT_CATEGORY_DEPARTMENTS),
        department_handlers={"工程部": "工程部值班", "品质管理部": "品管部值班"},
    )
    residents.add_resident(
        receptionist, residents.ResidentInput("3", "2", "1603", "王丽", "家属", "13900139000")
    )
    return residents.add_resident(
        receptionist, residents.ResidentInput("3", "2", "1603", "王建国", "业主", "13800138000")
    )


@pytest.fixture
def call_tab(qtbot, receptionist: Session, no_dialogs, desk) -> CallTab:
    widget = CallTab(receptionist)
    qtbot.addWidget(widget)
    widget.resize(1366, 700)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    widget.form.new_button.setFocus()
    return widget


def test_a_repair_call_from_f2_to_saved_in_eight_keys_or_fewer(qtbot, call_tab: CallTab, desk) -> None:
    keys = Keys(qtbot)
    keys.press(Qt.Key.Key_F2)  # the call starts, the focus is in 来电人
    keys.words("3-2-1603")
    keys.press(Qt.Key.Key_Return)  # the first hit: the 业主, before the 家属
    keys.press(Qt.Key.Key_Space)  # 身份已核实
    keys.press(Qt.Key.Key_Tab)  # 类别
    keys.words("bx")  # 报修, by its pinyin initials
    keys.press(Qt.Key.Key_Tab)  # 来电内容
    keys.words("厨房水管漏水")
    keys.press(Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)  # 转部门处理: 工程部, its 接单人
    keys.press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # saved

    call = Call.get()
    assert (call.resident_id, call.category, call.outcome) == (desk.id, "报修", Outcome.DISPATCHED)
    assert call.identity_verified and call.content == "厨房水管漏水"
    case = Case.get()
    assert case.department.name == "工程部" and case.handler == "工程部值班"
    assert keys.count <= 8, keys.log
    print(f"\nrepair call: {keys.count} keys: {' '.join(keys.log)}")


def test_a_complaint_call_in_ten_keys_or_fewer_with_the_departments_phone(
    qtbot, call_tab: CallTab, desk
) -> None:
    form = call_tab.form
    keys = Keys(qtbot)
    keys.press(Qt.Key.Key_F2)
    keys.words("wjg")  # 王建国 by his initials
    keys.press(Qt.Key.Key_Return)
    keys.press(Qt.Key.Key_Space)
    keys.press(Qt.Key.Key_Tab)
    keys.words("ts")  # 投诉
    keys.press(Qt.Key.Key_Tab)
    keys.words("楼上装修噪音太大")
    keys.press(Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    # What the receptionist tells the caller: the department and its phone (告知品管部电话).
    assert "品质管理部电话：0571-88005678" in form.dept_phone_label.text()
    assert "请告知来电人" in form.dept_phone_label.text()
    assert "品质管理部电话 0571-88005678" in form.readback_label.text()
    keys.press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    case = Case.get()
    assert case.department.name == "品质管理部" and case.handler == "品管部值班"
    assert Call.get().category == "投诉"
    assert keys.count <= 10, keys.log
    print(f"\ncomplaint call: {keys.count} keys: {' '.join(keys.log)}")
