"""Every form meets a real storage failure the same way (ui.widgets.msgbox.storage_failure):
the program's Chinese message, 「重试」 when a retry can help, and what was typed stays on screen.
The failure is real — another program holds the SQLite file locked — and the retry succeeds once
it lets go. (The call, guest, business-visit and letter forms have their own tests of this.)"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from PySide6.QtWidgets import QWidget

from reception.errors import StorageError
from reception.store.models import Case
from reception.store.models import Incident
from tests import fault_saves
from ui.widgets import msgbox

pytestmark = pytest.mark.sqlite_only


def type_text(widget: QWidget, text: str) -> None:
    from PySide6.QtGui import QInputMethodEvent

    widget.setFocus()
    for ch in text:
        event = QInputMethodEvent()
        event.setCommitString(ch)
        QApplication.sendEvent(widget, event)


class Lock:
    """Another program holding the file; ``release`` lets go (what 重试 waits for)."""

    def __init__(self, folder: Path) -> None:
        fault_saves.short_waits(folder)
        self.holder: subprocess.Popen[str] | None = fault_saves.exclusive_holder(folder / "reception.db")

    def release(self) -> None:
        if self.holder is not None:
            self.holder.communicate("\n", timeout=10)
            self.holder = None


@pytest.fixture
def lock(receptionist, tmp_path) -> Iterator[Callable[[], Lock]]:
    """Take the lock (after the form was opened and filled in); released at the end."""
    held: list[Lock] = []

    def take() -> Lock:
        held.append(Lock(tmp_path))
        return held[-1]

    yield take
    for each in held:
        each.release()


class Shown(list):
    """The storage dialogs shown, as (kind, text); ``answers`` answer the 重试 boxes in turn
    (True: 重试, False: 取消, a callable: called for the answer)."""

    def __init__(self) -> None:
        super().__init__()
        self.answers: list = []


@pytest.fixture
def offered(monkeypatch) -> Shown:
    shown = Shown()
    offered_answers = shown.answers

    def retry(_parent, _title, text):
        shown.append(("retry", text))
        answer = offered_answers.pop(0)
        return answer() if callable(answer) else answer

    def error(_parent, _title, text):
        shown.append(("error", text))

    monkeypatch.setattr(msgbox, "retry", retry)
    monkeypatch.setattr(msgbox, "error", error)
    # A form closed at the end of a failed test asks before discarding: never a real modal box.
    monkeypatch.setattr(msgbox, "ask", lambda _parent, _title, _text: True)
    return shown


def test_case_form_keeps_the_case_and_saves_it_on_retry(qtbot, receptionist, lock, offered):
    from ui.cases.case_form import CaseForm

    form = CaseForm(receptionist)
    qtbot.addWidget(form)
    form.show()
    form.category_combo.setCurrentIndex(form.category_combo.findData("报修"))
    form.location_combo.setEditText("地下车库B2")
    type_text(form.description_edit, "排水沟堵塞")
    held = lock()

    offered.answers.append(False)  # 取消
    assert form.submit() is None
    assert offered == [("retry", offered[0][1])] and "数据库正被其他程序占用" in offered[0][1]
    assert form.isVisible() and form.description_edit.toPlainText() == "排水沟堵塞"
    assert form.location() == "地下车库B2" and form.category() == "报修"

    def release_then_retry() -> bool:  # the other program lets go while the box is open
        held.release()
        return True

    offered.clear()
    offered.answers.append(release_then_retry)
    assert form.submit() is not None
    assert len(offered) == 1 and Case.get().description == "排水沟堵塞"


def test_incident_dialog_keeps_the_report_and_saves_it_on_retry(qtbot, receptionist, lock, offered):
    from ui.visits.incident_dialog import IncidentDialog

    dialog = IncidentDialog(receptionist, call_id=None)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.kind_buttons["报警"].setChecked(True)
    type_text(dialog.description_edit, "有人持刀闹事")
    qtbot.keyClicks(dialog.case_edit, "110-2026-001")
    type_text(dialog.officer_edit, "李警官")
    held = lock()

    offered.answers.append(False)
    assert dialog.save() is None
    assert len(offered) == 1 and offered[0][0] == "retry" and "数据库正被其他程序占用" in offered[0][1]
    assert dialog.general.isVisible() and "数据库正被其他程序占用" in dialog.general.text()
    assert dialog.description_edit.toPlainText() == "有人持刀闹事"
    assert dialog.case_edit.text() == "110-2026-001"

    offered.answers.append(True)
    held.release()
    assert dialog.save() is not None
    assert Incident.get().police_case_no == "110-2026-001"


def test_a_failure_a_retry_cannot_help_is_shown_without_retry(qtbot, offered):
    parent = QWidget()
    qtbot.addWidget(parent)
    assert not msgbox.storage_failure(parent, "未能保存", StorageError("数据库文件已损坏。", retryable=False))
    assert offered == [("error", "数据库文件已损坏。")]
    offered.answers.append(True)
    assert msgbox.storage_failure(parent, "未能保存", StorageError("数据库正被其他程序占用。请稍后重试。"))


def test_completing_a_callback_offers_a_retry_and_keeps_the_result(qtbot, receptionist, clock, lock, offered):
    """The callback and message panels save through the same helper as the forms: a storage
    failure offers 重试 (it used to be a plain error box) and the result typed stays."""
    from reception.store.models import Callback
    from tests import mixed_traffic as traffic
    from ui.calls.callbacks_panel import CallbacksPanel

    traffic.callback_call(receptionist, clock, "停车位", "13912345678")
    panel = CallbacksPanel(receptionist)
    qtbot.addWidget(panel)
    panel.show()
    panel.view.selectRow(0)
    type_text(panel.result_edit, "已告知车位安排")
    held = lock()

    offered.answers.append(False)
    assert not panel.complete_selected()
    assert [kind for kind, _text in offered] == ["retry"] and "数据库正被其他程序占用" in offered[0][1]
    assert panel.result_edit.text() == "已告知车位安排"

    def release_then_retry() -> bool:
        held.release()
        return True

    offered.clear()
    offered.answers.append(release_then_retry)
    assert panel.complete_selected()
    assert len(offered) == 1 and Callback.get().result == "已告知车位安排"
