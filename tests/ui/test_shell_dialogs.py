"""System settings, the residents directory and the residents import."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
from PySide6.QtWidgets import QWidget

from reception.services import auth
from reception.services import departments
from reception.services import residents
from reception.services import settings as settings_mod
from reception.services.session import Role

PASSWORD = "secret12"
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "residents-sample.csv"


def type_text(qtbot, widget: QWidget, text: str) -> None:
    """Type key by key; non-ASCII characters as key events carrying the text (QTest asserts on them)."""
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def add(session, building, unit, room, name, phone="", **kw):
    return residents.add_resident(
        session, residents.ResidentInput(building, unit, room, name, phone=phone, **kw)
    )


# -- settings -----------------------------------------------------------------------------------
def test_settings_general_page_preview_and_save(qtbot, admin):
    from ui.admin.settings_dialog import SettingsDialog

    dialog = SettingsDialog(admin)
    qtbot.addWidget(dialog)
    page = dialog.general_page
    assert page.preview.text() == "您好，阳光花园物业，请问有什么可以帮您？"
    page.property_name.clear()
    type_text(qtbot, page.property_name, "绿城物业")
    assert page.preview.text() == "您好，绿城物业，请问有什么可以帮您？"
    page.hours["投诉"].setValue(12)
    page.desk_phone.setText("5000")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert "电话号码" in page.errors.message("desk_phone")
    assert settings_mod.load().property_name == "阳光花园物业"

    page.desk_phone.setText("021-50001234")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    saved = settings_mod.load()
    assert (saved.property_name, saved.desk_phone, saved.reply_hours["投诉"]) == (
        "绿城物业",
        "021-50001234",
        12,
    )
    assert page.saved.text() == "已保存。"


def test_settings_departments_add_rename_deactivate(qtbot, admin, boxes):
    from ui.admin.settings_dialog import SettingsDialog

    dialog = SettingsDialog(admin)
    qtbot.addWidget(dialog)
    page = dialog.departments_page
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    edit = page.dialog
    edit.show()
    type_text(qtbot, edit.name, "工程部")
    qtbot.keyClick(edit.name, Qt.Key.Key_Return)
    assert edit.errors.message("name") == "已有同名部门"
    edit.name.clear()
    type_text(qtbot, edit.name, "秩序维护部")
    qtbot.keyClicks(edit.phone, "021-50009999")
    qtbot.keyClick(edit.phone, Qt.Key.Key_Return)
    names = [d.name for d in departments.list_departments()]
    assert "秩序维护部" in names

    row = next(i for i, d in enumerate(page.model.rows) if d.name == "秩序维护部")
    page.view.selectRow(row)
    qtbot.mouseClick(page.edit_button, Qt.MouseButton.LeftButton)
    page.dialog.name.setText("秩序部")
    qtbot.mouseClick(page.dialog.ok_button, Qt.MouseButton.LeftButton)
    assert page.toggle_button.text() == "停用"
    qtbot.mouseClick(page.toggle_button, Qt.MouseButton.LeftButton)
    dept = next(d for d in departments.list_departments(include_inactive=True) if d.name == "秩序部")
    assert not dept.active
    assert page.toggle_button.text() == "启用"
    assert boxes.shown == []


def test_settings_operators_add_edit_and_reset_password(qtbot, admin, clock):
    from ui.admin.settings_dialog import SettingsDialog

    dialog = SettingsDialog(admin)
    qtbot.addWidget(dialog)
    page = dialog.operators_page
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    new = page.dialog
    new.show()
    qtbot.keyClicks(new.username, "chenjing")
    type_text(qtbot, new.display_name, "陈静")
    new.role.setCurrentIndex(new.role.findData(Role.SUPERVISOR.value))
    qtbot.keyClicks(new.password, PASSWORD)
    qtbot.keyClicks(new.password_again, "other123")
    qtbot.keyClick(new.password_again, Qt.Key.Key_Return)
    assert new.errors.message("password_again") == "两次输入的密码不一致"
    new.password_again.setText(PASSWORD)
    qtbot.keyClick(new.password_again, Qt.Key.Key_Return)
    assert [o.username for o in auth.list_operators()] == ["admin", "chenjing"]
    assert [page.model.index(1, c).data() for c in range(4)] == ["chenjing", "陈静", "主管", "启用"]

    # an administrator cannot demote themselves: the core's message is shown in the dialog
    page.view.selectRow(0)
    qtbot.mouseClick(page.edit_button, Qt.MouseButton.LeftButton)
    page.dialog.role.setCurrentIndex(page.dialog.role.findData(Role.RECEPTIONIST.value))
    qtbot.mouseClick(page.dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "不能取消自己的管理员权限" in page.dialog.errors.message("role")
    page.dialog.reject()

    page.view.selectRow(1)
    qtbot.mouseClick(page.password_button, Qt.MouseButton.LeftButton)
    page.dialog.password.setText("newpass99")
    page.dialog.password_again.setText("newpass99")
    qtbot.mouseClick(page.dialog.ok_button, Qt.MouseButton.LeftButton)
    assert auth.login("chenjing", "newpass99", clock).role == Role.SUPERVISOR


# -- residents ----------------------------------------------------------------------------------
def test_residents_model_passes_qtmodeltester(qtmodeltester, admin):
    from ui.admin.residents_view import ResidentsModel

    add(admin, "3", "2", "1201", "张三", "13800138000", relation="业主")
    add(admin, "3", "2", "1201", "李四", "021-50001234", relation="租户", note="夜班")
    add(admin, "12", "", "301", "王五")
    model = ResidentsModel()
    model.load()
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)
    assert model.rowCount() == 3
    model.load("zs")
    assert [
        r.name for r in map(lambda i: model.index(i, 0).data(model.ROW_ROLE), range(model.rowCount()))
    ] == ["张三"]
    qtmodeltester.check(model)


def test_residents_model_masks_phones_and_loads_pages(qtbot, admin, monkeypatch):
    from ui.admin.residents_view import ResidentsModel

    add(admin, "3", "2", "1201", "张三", "13800138000", phone_alt="021-50001234", relation="业主")
    for i in range(5):
        add(admin, "5", "1", f"{101 + i}", f"住户{i}")
    model = ResidentsModel()
    monkeypatch.setattr(ResidentsModel, "PAGE", 2)
    model.load()
    assert model.rowCount() == 2 and model.canFetchMore()
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == 6
    row = next(i for i in range(6) if model.index(i, model.COL_NAME).data() == "张三")
    assert model.index(row, model.COL_PHONE).data() == "138****8000"
    assert model.index(row, model.COL_PHONE_ALT).data() == "021-****1234"
    assert model.index(row, model.COL_BUILDING).data() == "3"
    assert model.index(row, model.COL_STATUS).data() == "正常"
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["楼栋", "单元", "房号", "姓名", "身份", "手机", "备用电话", "备注", "状态"]


def test_residents_search_as_you_type(qtbot, admin):
    from ui.admin.residents_view import ResidentsDialog

    add(admin, "3", "2", "1201", "张三", "13800138000")
    add(admin, "8", "1", "903", "孟兰", "18600002961")
    dialog = ResidentsDialog(admin)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 2
    qtbot.keyClicks(dialog.search, "3-2-1201")
    assert [r.name for r in dialog.model.rows] == ["张三"]
    dialog.search.clear()
    qtbot.keyClicks(dialog.search, "2961")
    assert [r.name for r in dialog.model.rows] == ["孟兰"]
    assert dialog.count_label.text() == "找到 1 户"
    dialog.search.clear()
    assert dialog.model.rowCount() == 2


def test_add_resident_with_bad_phone_shows_message_beside_field(qtbot, admin):
    from ui.admin.residents_view import ResidentsDialog

    dialog = ResidentsDialog(admin)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    form = dialog.dialog
    qtbot.keyClicks(form.building, "3")
    qtbot.keyClicks(form.unit, "2")
    qtbot.keyClicks(form.room, "1201")
    type_text(qtbot, form.name, "张三")
    qtbot.keyClicks(form.phone, "1380013")
    qtbot.keyClick(form.phone, Qt.Key.Key_Return)

    assert form.isVisible()
    label = form.errors.labels["phone"]
    assert label.isVisible() and "电话号码格式不正确" in label.text()
    assert label.parentWidget() is form.phone.parentWidget()  # right under the field
    assert form.errors.message("name") == ""
    assert form.phone.text() == "1380013" and form.name.text() == "张三"
    assert residents.count() == 0

    form.phone.setText("138 0013 8000")
    qtbot.keyClick(form.phone, Qt.Key.Key_Return)
    assert residents.count() == 1
    assert dialog.model.index(0, dialog.model.COL_PHONE).data() == "138****8000"
    assert dialog.selected().name == "张三"


def test_edit_and_deactivate_resident(qtbot, admin, boxes):
    from ui.admin.residents_view import ResidentsDialog

    r = add(admin, "3", "2", "1201", "张三", "13800138000")
    dialog = ResidentsDialog(admin)
    qtbot.addWidget(dialog)
    dialog.view.selectRow(0)
    qtbot.mouseClick(dialog.edit_button, Qt.MouseButton.LeftButton)
    form = dialog.dialog
    assert form.phone.text() == "13800138000"
    form.note.setText("独居老人")
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    assert residents.get(r.id).note == "独居老人"

    dialog.view.selectRow(0)
    boxes.answers.append(True)
    qtbot.mouseClick(dialog.toggle_button, Qt.MouseButton.LeftButton)
    assert boxes.kinds() == ["ask"]
    assert not residents.get(r.id).active
    assert dialog.model.index(0, dialog.model.COL_STATUS).data() == "停用"
    assert dialog.toggle_button.text() == "恢复"
    qtbot.mouseClick(dialog.toggle_button, Qt.MouseButton.LeftButton)  # restoring asks nothing
    assert residents.get(r.id).active
    assert len(boxes.shown) == 1


# -- import -------------------------------------------------------------------------------------
def test_import_dialog_imports_sample(qtbot, admin, monkeypatch, tmp_path):
    pytest.importorskip("reception.services.residents_import")
    from ui.admin.import_dialog import ImportDialog
    from ui.widgets import msgbox

    path = tmp_path / "业户.csv"
    shutil.copy(SAMPLE, path)
    seen_filters = []

    def choose(parent, title, filters):
        seen_filters.append(filters)
        return str(path)

    monkeypatch.setattr(msgbox, "open_file", choose)
    dialog = ImportDialog(admin)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.start_button.isEnabled()
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    assert "*.csv" in seen_filters[0] and "*.xlsx" in seen_filters[0]
    progress_values = []
    dialog.progress.valueChanged.connect(progress_values.append)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)

    report = dialog.report
    assert report is not None and report.imported > 0
    assert residents.count() == report.imported
    assert dialog.summary.text() == (
        f"导入 {report.imported} 条，更新 {report.updated} 条，"
        f"未变 {report.unchanged} 条，拒绝 {len(report.rejected)} 条"
    )
    assert dialog.rejected_model.rowCount() == len(report.rejected)
    if report.rejected:
        first = report.rejected[0]
        assert dialog.rejected_model.index(0, 0).data() == str(first.row)
        assert dialog.rejected_model.index(0, 1).data() == first.reason
    assert progress_values and dialog.progress.value() == dialog.progress.maximum()

    # importing the same file again changes nothing
    assert not dialog.start_button.isEnabled()  # no accidental second run
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert dialog.report.imported == 0 and dialog.report.unchanged == report.imported


def test_import_dialog_shows_file_errors(qtbot, admin, tmp_path):
    from ui.admin.import_dialog import ImportDialog

    bad = tmp_path / "不是表格.csv"
    bad.write_bytes(b"\x00\x01\x02 nothing useful")
    dialog = ImportDialog(admin)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.run_import(bad)
    assert dialog.error.isVisible() and dialog.error.text()
    assert dialog.close_button.isEnabled()


@pytest.mark.sqlite_only
def test_settings_privacy_page_shows_backups_capped_by_the_retention_period(qtbot, admin):
    from ui.admin.settings_dialog import SettingsDialog

    dialog = SettingsDialog(admin)
    qtbot.addWidget(dialog)
    page = dialog.privacy_page
    page.backup_generations.setValue(60)
    page.retention_days.setValue(45)
    assert "最近 45 份" in page.backup_cap.text() and "45 天" in page.backup_cap.text()
    page.retention_days.setValue(90)
    assert "最近 60 份" in page.backup_cap.text()
