"""How many keys a receptionist needs, counted with real key events (``operator_effort``).

Words typed (names, room numbers, the matter, letters typed into a list to pick from it) are not
counted; every other key is — Tab, Enter, Space, arrows, F-keys and the Ctrl/Alt combinations.
Goals (issue 17): a repair call from F2 to saved in ≤ 8 keys, a complaint call ≤ 10, a walk-in
visitor with host consent and a badge ≤ 20 keys and ≤ 2 s of program time."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication
from PySide6.QtWidgets import QWidget

from reception.services import departments
from reception.services import residents
from reception.services import settings as settings_mod
from reception.services.calls import Outcome
from reception.services.session import Session
from reception.store.models import Call
from reception.store.models import Case
from ui.calls.call_tab import CallTab

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
def call_tab(qtbot, receptionist: Session, no_boxes, desk) -> CallTab:
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


@pytest.fixture
def badge_printer(monkeypatch: pytest.MonkeyPatch, tmp_path) -> list:
    """The printer is the one edge: a PDF-file printer stands in for the label printer."""
    from PySide6.QtPrintSupport import QPrinter

    from ui.widgets import printing

    pages: list = []

    def make(_name):
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        out = tmp_path / f"badge-{len(pages)}.pdf"
        printer.setOutputFileName(str(out))
        pages.append(out)
        return printer

    monkeypatch.setattr(printing, "make_printer", make)
    monkeypatch.setattr(printing, "default_printer_name", lambda: "标签打印机")
    return pages


def test_a_walk_in_visitor_with_consent_and_a_badge_in_twenty_keys_and_two_seconds(
    qtbot, receptionist: Session, clock, no_boxes, desk, badge_printer
) -> None:
    import pypdf

    from reception.store.models import Visit
    from ui.main_window import MainWindow

    window = MainWindow(receptionist, clock)
    qtbot.addWidget(window)
    window.resize(1366, 728)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    assert window.visit_tab is not None  # built before the clock starts (once a shift, on first use)
    window.call_tab.form.new_button.setFocus()
    keys = Keys(qtbot)
    started = time.perf_counter()
    keys.press(Qt.Key.Key_F3)  # 新访客: the cursor in 姓名
    keys.words("李明")
    for _ in range(6):  # 人数, 电话, 来访单位, 车牌, 证件类型 → 证件号码
        keys.press(Qt.Key.Key_Tab)
    keys.words("11010519491231002X")
    keys.press(Qt.Key.Key_Tab)
    keys.press(Qt.Key.Key_Space)  # 证件已核验
    keys.press(Qt.Key.Key_Tab)  # 事由
    keys.words("访友")
    keys.press(Qt.Key.Key_Tab)  # 陪同人员
    keys.press(Qt.Key.Key_Tab)  # 去向
    keys.words("3-2-1603")
    keys.press(Qt.Key.Key_Return)  # 王建国 (the 业主): the focus goes to 受访方答复
    # … the receptionist phones the host; he agrees …
    keys.press(Qt.Key.Key_1)  # 1 同意
    keys.press(Qt.Key.Key_Return)  # 登记 — the badge prints
    seconds = time.perf_counter() - started

    visit = Visit.get()
    assert (visit.visitor_name, visit.resident_id, visit.consent) == ("李明", desk.id, "同意")
    assert len(badge_printer) == 1  # the badge went to the printer: one 62×100 mm label
    box = pypdf.PdfReader(badge_printer[0]).pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (62, 100)
    assert "访客证已打印" in window.visit_tab.guest_form.result_text()
    assert keys.count <= 20, keys.log
    assert seconds <= 2.0, f"{seconds:.2f} s of program time"
    print(f"\nwalk-in visitor: {keys.count} keys, {seconds:.2f} s of program time: {' '.join(keys.log)}")
