"""交班 / 接班 in the window and the 日报 dialog: real SQLite, printing replaced (no printer)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QWidget

from reception.services import calls
from reception.services import shifts
from reception.services import visits
from reception.services.calls import CallInput
from reception.services.calls import Outcome
from reception.services.session import Session
from reception.store.paths import DataDir
from tests.conftest import PASSWORD
from ui.widgets import msgbox
from ui.widgets import printing


def type_text(widget: QWidget, text: str) -> None:
    """Type Chinese as an input method does (QTest can only type ASCII)."""
    widget.setFocus()
    for ch in text:
        event = QInputMethodEvent()
        event.setCommitString(ch)
        QApplication.sendEvent(widget, event)


@pytest.fixture
def previews(monkeypatch):
    """Each preview's (title, pdf bytes) instead of a print preview window."""
    seen: list[tuple[str, bytes]] = []
    monkeypatch.setattr(printing, "preview_pdf", lambda pdf, parent=None, title="": seen.append((title, pdf)))
    monkeypatch.setattr(
        printing, "print_pdf", lambda pdf, **kw: seen.append(("print:" + kw.get("title", ""), pdf))
    )
    return seen


@pytest.fixture
def data_dir(tmp_path) -> DataDir:
    return DataDir(tmp_path / "data")


@pytest.fixture
def window(qtbot, receptionist: Session, supervisor: Session, clock, data_dir, boxes, previews):
    from ui.main_window import MainWindow

    win = MainWindow(receptionist, clock, data_dir=data_dir)
    qtbot.addWidget(win)
    win.start()  # after login: the receptionist's shift starts
    calls.register_call(
        receptionist,
        CallInput(
            started_at=clock.now(),
            category="咨询",
            content="停车位",
            outcome=Outcome.CALLBACK,
            caller_name="孙先生",
            caller_phone="13912345678",
            callback_due_at=clock.now() + timedelta(hours=1),
        ),
    )
    visits.register_guest(
        receptionist,
        visits.GuestInput(
            visitor_name="王小明",
            visitor_phone="13900005678",
            id_number="11010519491231002X",
            id_verified=True,
            staff_host="张经理",
            purpose="商务洽谈",
            consent=visits.AGREED,
        ),
    )
    clock.advance(hours=8)
    return win


def open_dialog(window):
    window.handover_action.trigger()
    dialog = window.handover_dialog
    assert dialog.isVisible()
    return dialog


def hand_over(dialog, note: str) -> None:
    type_text(dialog.note, note)
    dialog.hand_over_button.click()
    assert dialog.stack.currentIndex() == 1, dialog.hand_over_message.text()


def test_a_shift_starts_after_login_and_shows_in_the_status_bar(window, receptionist):
    shift = shifts.current()
    assert shift.operator_id == receptionist.operator.id and shift.number == 1
    assert window.shift_label.text() == "第 1 班 · 当班 李晓 · 开始 09:00"
    assert window.handover_button.text() == "交班…"
    assert window.daily_report_action.text() == "日报…"


def test_hand_over_and_the_supervisor_confirms(qtbot, window, supervisor, clock, data_dir, previews, boxes):
    dialog = open_dialog(window)
    assert dialog.windowTitle() == "交班"
    # the same tables as the PDF, what is still open first
    assert dialog.tabs.tabText(0).startswith("未完成事项（交给下一班）")
    assert "王小明" in str(dialog.open_panel.views["在场访客 / 未交还的访客证"].model().table.rows)
    assert "（已核对：无）" in dialog.open_panel.titles["未转达留言"].text()
    dialog.preview_button.click()
    assert previews[-1][0] == "交接班报告" and previews[-1][1].startswith(b"%PDF")

    hand_over(dialog, "孙先生的停车位问题请回电")
    assert shifts.current().status == shifts.AWAITING
    assert dialog.windowTitle() == "接班"
    assert dialog.note_view.text() == "孙先生的停车位问题请回电"

    qtbot.keyClicks(dialog.username, "zhaomin")
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)

    closed = shifts.get(1)
    assert closed.status == shifts.HANDED_OVER and closed.incoming.display_name == "赵敏"
    archived = list(data_dir.archive.iterdir())
    assert [p.name for p in archived] == ["交接班报告-20261126-第1班.pdf"]
    assert archived[0].read_bytes().startswith(b"%PDF")
    # the window now works as the supervisor, whose own shift has started
    assert window.session.operator.username == "zhaomin"
    assert window.operator_label.text() == "当前操作员：赵敏（主管）"
    following = shifts.current()
    assert (following.number, following.operator_id) == (2, supervisor.operator.id)
    assert window.shift_label.text() == "第 2 班 · 当班 赵敏 · 开始 17:00"
    qtbot.waitUntil(lambda: len(previews) == 2)  # the signed report, shown for printing
    assert previews[-1] == ("交接班报告", archived[0].read_bytes())
    assert boxes.shown == []


def test_wrong_password_is_refused_with_a_message(qtbot, window, boxes):
    dialog = open_dialog(window)
    hand_over(dialog, "")
    qtbot.keyClicks(dialog.username, "zhaomin")
    qtbot.keyClicks(dialog.password, "wrong-password")
    dialog.confirm_button.click()
    assert dialog.take_over_message.isVisible()
    assert dialog.take_over_message.text() == "登录名或密码不正确。"
    assert dialog.password.text() == ""
    assert shifts.current().status == shifts.AWAITING
    assert window.session.operator.username == "lixiao"
    # the outgoing operator cannot take over from themselves
    dialog.username.setText("lixiao")
    qtbot.keyClicks(dialog.password, PASSWORD)
    dialog.confirm_button.click()
    assert "接班人不能与交班人相同" in dialog.take_over_message.text()
    # closing (稍后接班) leaves the shift open, awaiting the next operator
    dialog.later_button.click()
    assert not dialog.isVisible()
    assert shifts.current().status == shifts.AWAITING
    assert window.shift_label.text().endswith("已交班，待接班")
    assert window.session.operator.username == "lixiao"
    # reopening 交班… goes straight to 接班
    dialog = open_dialog(window)
    assert dialog.windowTitle() == "接班" and dialog.stack.currentIndex() == 1
    assert boxes.shown == []


def test_cancelling_before_handing_over_leaves_the_shift_on_duty(window, data_dir):
    dialog = open_dialog(window)
    type_text(dialog.note, "草稿")
    dialog.cancel_button.click()
    assert shifts.current().status == shifts.ON_DUTY
    assert not data_dir.archive.exists() or not list(data_dir.archive.iterdir())


def test_refusal_with_a_reason_keeps_the_shift_open(qtbot, window, data_dir):
    dialog = open_dialog(window)
    hand_over(dialog, "一切正常")
    qtbot.keyClicks(dialog.username, "zhaomin")
    qtbot.keyClicks(dialog.password, PASSWORD)
    dialog.refuse_button.click()  # no reason yet
    assert dialog.take_over_message.text() == "请填写拒签原因。"
    assert shifts.current().status == shifts.AWAITING

    type_text(dialog.reason, "在场访客王小明去向未说明")
    dialog.refuse_button.click()
    shift = shifts.current()
    assert shift.status == shifts.ON_DUTY and shift.refused_reason == "在场访客王小明去向未说明"
    assert shift.incoming_id is None and shift.confirmed_at is None
    # back to the outgoing operator, with the reason shown
    assert dialog.isVisible() and dialog.windowTitle() == "交班" and dialog.stack.currentIndex() == 0
    assert dialog.refusal_label.isVisible()
    assert "赵敏" in dialog.refusal_label.text() and "在场访客王小明去向未说明" in dialog.refusal_label.text()
    assert dialog.note.toPlainText() == "一切正常"
    assert window.session.operator.username == "lixiao"
    assert not data_dir.archive.exists() or not list(data_dir.archive.iterdir())


def test_daily_report_dialog_previews_prints_and_saves(qtbot, window, previews, monkeypatch, tmp_path):
    window.daily_report_action.trigger()
    dialog = window.daily_report_dialog
    assert dialog.windowTitle() == "日报"
    assert dialog.date.date().toPython().isoformat() == "2026-11-26"
    dialog.preview_button.click()
    dialog.print_button.click()
    assert [title for title, _ in previews] == ["日报 2026-11-26", "print:日报 2026-11-26"]
    assert all(pdf.startswith(b"%PDF") for _, pdf in previews)
    target = tmp_path / "daily"
    monkeypatch.setattr(msgbox, "save_file", lambda *_a: str(target))
    dialog.save_button.click()
    assert (tmp_path / "daily.pdf").read_bytes().startswith(b"%PDF")


def test_no_english_in_the_handover_dialog(qtbot, window):
    dialog = open_dialog(window)
    texts = [dialog.windowTitle()]
    texts += [label.text() for label in dialog.findChildren(QLabel)]
    texts += [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    from PySide6.QtWidgets import QAbstractButton

    texts += [b.text() for b in dialog.findChildren(QAbstractButton)]
    text = re.sub(r"<[^>]+>|&\w+;", " ", " ".join(texts))
    words = set(re.findall(r"[A-Za-z][A-Za-z]+", text))
    assert words == set()


@pytest.fixture
def colleague_window(qtbot, admin, receptionist, clock, data_dir, boxes, previews):
    """李晓's shift is open at the desk; 王芳 logs in at the same desk."""
    from reception.services import auth
    from ui.main_window import MainWindow

    shifts.start(receptionist)
    auth.create_operator(admin, auth.OperatorInput("wangfang", "王芳", "receptionist", PASSWORD))
    colleague = auth.login("wangfang", PASSWORD, clock)
    clock.advance(hours=8)
    win = MainWindow(colleague, clock, data_dir=data_dir)
    qtbot.addWidget(win)
    win.show()
    win.start()
    return win


def test_a_colleague_logging_in_during_a_shift_is_told_and_may_just_help(qtbot, colleague_window):
    from reception.store.models import AuditLog

    choice = colleague_window.shift_choice_dialog
    assert choice.isVisible()
    assert choice.message.text() == "李晓 的第 1 班（09:00 开始）尚未交班。"
    assert [choice.take_over_button.text(), choice.help_button.text()] == ["接班", "协助（不接班）"]
    choice.help_button.click()
    assert AuditLog.select().where(AuditLog.action == "shift.helper").count() == 1
    assert colleague_window.shift_label.text() == "第 1 班 · 当班 李晓 · 开始 09:00 · 协助 王芳"
    assert shifts.current().operator.display_name == "李晓"
    # the handover dialog (and its report) names her with the time she joined
    dialog = open_dialog(colleague_window)
    assert dialog.header_label.text() == "第 1 班 · 当班 李晓 · 开始 11-26 09:00 · 协助：王芳 17:00 起"


def test_a_colleague_cannot_hand_over_the_shift_and_confirm_it_herself(
    qtbot, colleague_window, receptionist, data_dir
):
    """Issue 17, finding 3: 接班 needs the signature of the operator on duty (her own password)."""
    colleague_window.shift_choice_dialog.take_over_button.click()
    dialog = colleague_window.handover_dialog
    assert dialog.isVisible() and dialog.windowTitle() == "交班"
    assert dialog.signer_box.isVisible() and dialog.signer_present.text() == "李晓 在场，输入她/他自己的密码"
    type_text(dialog.note, "钥匙在抽屉")
    dialog.hand_over_button.click()  # no signature: refused, nothing handed over
    assert dialog.hand_over_message.text() == "登录名或密码不正确。"
    assert shifts.current().status == shifts.ON_DUTY and dialog.stack.currentIndex() == 0
    qtbot.keyClicks(dialog.outgoing_password, PASSWORD)  # 李晓 signs at this PC
    qtbot.keyClick(dialog.outgoing_password, Qt.Key.Key_Return)
    shift = shifts.current()
    assert shift.status == shifts.AWAITING and shift.handed_over_by_id == receptionist.operator.id
    assert dialog.username.text() == "wangfang"  # the colleague confirms with her own password
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    closed = shifts.get(shift.id)
    assert closed.status == shifts.HANDED_OVER and closed.incoming.display_name == "王芳"
    assert colleague_window.shift_label.text() == "第 2 班 · 当班 王芳 · 开始 17:00"


def test_the_operator_on_duty_absent_a_supervisor_confirms_and_the_report_says_so(
    qtbot, colleague_window, supervisor, data_dir
):
    import io

    from pypdf import PdfReader

    colleague_window.shift_choice_dialog.take_over_button.click()
    dialog = colleague_window.handover_dialog
    dialog.signer_absent.click()
    assert not dialog.outgoing_password.isVisible() and dialog.absent_reason.isVisible()
    qtbot.keyClicks(dialog.supervisor_username, "zhaomin")
    qtbot.keyClicks(dialog.supervisor_password, PASSWORD)
    dialog.hand_over_button.click()
    assert dialog.hand_over_message.text() == "请填写当班人不在的原因。"
    type_text(dialog.absent_reason, "身体不适提前离开")
    dialog.hand_over_button.click()
    assert shifts.current().status == shifts.AWAITING, dialog.hand_over_message.text()
    qtbot.keyClicks(dialog.password, PASSWORD)
    dialog.confirm_button.click()
    archived = list(data_dir.archive.iterdir())
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(archived[0].read_bytes())).pages)
    text = text.replace(" ", "").replace("\n", "")
    assert "交班人未签，由主管赵敏确认" in text and "身体不适提前离开" in text


def test_the_handover_dialog_fits_a_desk_monitor(qtbot, window):
    """The 交班 dialog opened at 1000×760 whatever the screen (issue 17, finding 11)."""
    dialog = open_dialog(window)
    qtbot.waitExposed(dialog)
    room = dialog.screen().availableGeometry()
    assert dialog.height() <= room.height() - 40 and dialog.width() <= room.width()


def test_the_remaining_time_of_open_cases_is_in_sight_and_whole(
    qtbot, desk_font, window, receptionist, clock
):
    """Issue 17, finding 11: the 剩余时间 column of 未结工单 was cut at 1366×768 (a long 问题
    pushed it past the right edge). The 问题 column gives way (whole text in its tooltip)."""
    from tests import mixed_traffic as traffic

    long_text = "楼上卫生间漏水已经三天，天花板大面积渗水，墙面发霉，业主非常不满要求尽快处理"
    long_place = "12栋3单元801室主卧卫生间天花板及北侧外墙"
    for content, location in ((long_text, long_place), ("电梯异响", "16-1-2203")):
        calls.register_call(
            receptionist,
            CallInput(
                started_at=clock.now(),
                category="投诉",
                content=content,
                location=location,
                outcome=Outcome.DISPATCHED,
                caller_name="钱先生",
                department_id=traffic.dept("工程部"),
                taken_by="刘建国师傅",
            ),
        )
    clock.advance(hours=30)  # one of them overdue: 「已超时 …」
    dialog = open_dialog(window)
    dialog.resize(1000, 688)  # what fit_screen gives on a 1366×768 desk monitor less its taskbar
    qtbot.waitExposed(dialog)
    qtbot.wait(20)
    view = dialog.open_panel.views["未结工单（超时的在前）"]
    model, header = view.model(), view.horizontalHeader()
    column = model.table.header.index("剩余时间")
    right = header.sectionViewportPosition(column) + header.sectionSize(column)
    assert header.sectionViewportPosition(column) >= 0 and right <= view.viewport().width()
    assert view.mapTo(dialog, view.rect().topRight()).x() <= dialog.width()
    texts = [model.data(model.index(r, column)) for r in range(model.rowCount())]
    assert texts and all("超时" in t for t in texts)
    # whole: as wide as Qt's own size hint for its cells and its title (else it draws 「…」)
    assert header.sectionSize(column) >= max(view.sizeHintForColumn(column), header.sectionSizeHint(column))
    assert view.fontMetrics().horizontalAdvance(texts[0]) < header.sectionSize(column)
    place = model.table.header.index("位置")
    places = {model.data(model.index(r, place)) for r in range(model.rowCount())}
    assert places == {"12栋3单元801室主卧…", "16-1-2203"}  # cut; a room number is no phone number
    problem = model.table.header.index("问题")
    assert model.data(model.index(0, problem), Qt.ItemDataRole.ToolTipRole).startswith(("楼上", "电梯"))
