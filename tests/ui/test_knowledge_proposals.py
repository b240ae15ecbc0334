"""知识库 proposals in the picker (issue 17, finding 17): a receptionist proposes an entry, a
supervisor sees it marked 【待审核】 and approves it; only then can it be inserted."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication
from PySide6.QtWidgets import QWidget

from reception.services import knowledge
from ui.widgets import msgbox
from ui.widgets.knowledge_picker import KnowledgePicker


def type_text(widget: QWidget, text: str) -> None:
    """Type Chinese as an input method does (QTest can only type ASCII), one character at a time."""
    widget.setFocus()
    for ch in text:
        event = QInputMethodEvent()
        event.setCommitString(ch)
        QApplication.sendEvent(widget, event)


def test_propose_then_approve_then_insert(qtbot, receptionist, supervisor, monkeypatch):
    monkeypatch.setattr(msgbox, "ask", lambda *_a: True)
    picker = KnowledgePicker(receptionist)
    qtbot.addWidget(picker)
    assert picker.propose_button.isVisibleTo(picker) and not picker.add_button.isVisibleTo(picker)
    dialog = picker.propose_entry()
    assert dialog is not None and dialog.ok_button.text() == "提交建议"
    type_text(dialog.title_edit, "快递代收规定")
    type_text(dialog.body_edit, "前台可代收小件快递，保管三天。")
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert "主管采纳后" in picker.count_label.text()
    type_text(picker.search_edit, "快递")
    assert "快递代收规定" not in picker.titles()  # not offered to the desk yet

    review = KnowledgePicker(supervisor, query="快递")
    qtbot.addWidget(review)
    assert review.results.item(0).text() == "【待审核】快递代收规定"
    assert review.approve_button.isVisibleTo(review) and not review.insert_button.isEnabled()
    approve = review.approve_entry()
    assert approve is not None and approve.ok_button.text() == "采纳"
    type_text(approve.body_edit, "凭取件码领取。")
    qtbot.keyClick(approve.title_edit, Qt.Key.Key_Return)
    assert knowledge.search("快递")[0].body.endswith("凭取件码领取。")

    desk = KnowledgePicker(receptionist, query="快递")
    qtbot.addWidget(desk)
    assert desk.titles() == ["快递代收规定"] and desk.insert_button.isEnabled()
    qtbot.keyClick(desk.results, Qt.Key.Key_Return)
    assert desk.chosen_text().startswith("前台可代收小件快递")


def test_a_supervisor_turns_a_proposal_down(qtbot, receptionist, supervisor, monkeypatch):
    monkeypatch.setattr(msgbox, "ask", lambda *_a: True)
    knowledge.propose(receptionist, knowledge.KnowledgeInput("停车收费", "每小时 5 元"))
    review = KnowledgePicker(supervisor, query="停车")
    qtbot.addWidget(review)
    qtbot.mouseClick(review.reject_button, Qt.MouseButton.LeftButton)
    assert review.titles() == []
