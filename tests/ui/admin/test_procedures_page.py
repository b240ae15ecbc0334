"""设置 → 接待规程 (issue 17, finding 15): visit guidance and follow-up hours, case resolve hours,
letter reply hours and the desk's department, edited with real key events, checked beside each
field, and used by the forms afterwards."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication
from PySide6.QtWidgets import QWidget

from reception.services import settings as settings_mod
from reception.services import visits
from reception.store.models import AuditLog


def type_text(widget: QWidget, text: str) -> None:
    """Type Chinese as an input method does (QTest can only type ASCII), one character at a time."""
    widget.setFocus()
    for ch in text:
        event = QInputMethodEvent()
        event.setCommitString(ch)
        QApplication.sendEvent(widget, event)


def test_the_procedures_page_saves_what_the_forms_then_use(qtbot, admin):
    from ui.admin.settings_dialog import SettingsDialog

    dialog = SettingsDialog(admin)
    qtbot.addWidget(dialog)
    dialog.resize(1366, 740)
    page = dialog.procedures_page
    assert dialog.tabs.tabText(dialog.tabs.indexOf(dialog.procedures_scroll)) == "接待规程"
    assert "看楼" in page.guidance["租房"].toPlainText()
    assert not page.follow_up["投诉"].isEnabled()

    page.guidance["咨询"].selectAll()
    type_text(page.guidance["咨询"], "先查知识库，不能当场答复的约定回复时间。")
    spin = page.follow_up["咨询"]
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin.lineEdit(), "8")
    page.resolve["投诉"].setValue(48)
    page.letter["咨询"].setValue(72)
    page.desk_department.selectAll()
    type_text(page.desk_department, "客户服务中心")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.saved.text() == "已保存"

    conf = settings_mod.load()
    assert conf.follow_up_hours_for("咨询") == 8 and conf.resolve_hours_for("投诉") == 48
    assert conf.letter_reply_hours_for("咨询") == 72 and conf.desk_department == "客户服务中心"
    assert visits.purpose_guidance("咨询") == ("客服中心", "先查知识库，不能当场答复的约定回复时间。")
    assert AuditLog.select().where(AuditLog.action == "settings.update").count() >= 1


def test_an_empty_guidance_is_shown_beside_its_field_and_nothing_saved(qtbot, admin):
    from ui.admin.procedures_page import ProceduresPage

    page = ProceduresPage(admin)
    qtbot.addWidget(page)
    page.guidance["入伙"].clear()
    page.desk_department.clear()
    page.resolve["报修"].setValue(12)
    assert not page.save()
    assert "入伙" in page.errors.message("guidance.入伙")
    assert "前台所属部门" in page.errors.message("desk_department")
    assert page.guidance["租房"].toPlainText()  # the rest as typed
    assert settings_mod.load().resolve_hours_for("报修") == 48


def test_a_receptionist_sees_the_page_but_cannot_save(qtbot, receptionist):
    from ui.admin.procedures_page import ProceduresPage

    page = ProceduresPage(receptionist)
    qtbot.addWidget(page)
    assert not page.save_button.isEnabled() and "管理员" in page.save_button.toolTip()
