"""The pieces the desk forms share (``ui.widgets.form_parts``): one save at a time, the saved
line with its masking note, the row of exclusive choices, Enter / Esc / Ctrl+Enter, the
wall-clock date-time helpers, and a field's note between it and its error line."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtGui import QShortcut
from PySide6.QtWidgets import QFormLayout
from PySide6.QtWidgets import QFrame
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from reception.errors import ValidationError
from ui.widgets.fields import form_group
from ui.widgets.form_parts import ChoiceRow
from ui.widgets.form_parts import SaveLock
from ui.widgets.form_parts import SaveStatus
from ui.widgets.form_parts import add_save_shortcuts
from ui.widgets.form_parts import column_box
from ui.widgets.form_parts import datetime_edit
from ui.widgets.form_parts import enter_saves_escape_discards
from ui.widgets.form_parts import form_button
from ui.widgets.form_parts import from_qdatetime
from ui.widgets.form_parts import local_qdatetime
from ui.widgets.forms import FieldErrors


class _Form(QFrame):
    """A form with one line edit, the shared keys and the shared save lock."""

    def __init__(self) -> None:
        super().__init__()
        self.edit = QLineEdit()
        self.save_button = QPushButton("保存")
        layout = QVBoxLayout(self)
        layout.addWidget(self.edit)
        layout.addWidget(self.save_button)
        self.lock = SaveLock(self.save_button)
        self.saves = 0
        self.discards = 0
        add_save_shortcuts(self, self.save)

    def save(self) -> None:
        self.saves += 1

    def discard(self) -> None:
        self.discards += 1

    def keyPressEvent(self, e: QKeyEvent) -> None:
        if not enter_saves_escape_discards(e, self.save, self.discard):
            super().keyPressEvent(e)


def test_a_save_under_way_ignores_another_and_disables_the_button(qtbot) -> None:
    button = QPushButton("保存")
    qtbot.addWidget(button)
    lock = SaveLock(button)
    seen: list[object] = []

    def save() -> str:
        seen.append((lock.busy, button.isEnabled(), lock.run(lambda: "again")))
        return "saved"

    assert lock.run(save) == "saved"
    assert seen == [(True, False, None)]  # the nested save never ran
    assert not lock.busy and button.isEnabled()


def test_a_failed_save_frees_the_lock_and_the_button(qtbot) -> None:
    button = QPushButton("保存")
    qtbot.addWidget(button)
    lock = SaveLock(button)

    def fail() -> None:
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        lock.run(fail)
    assert not lock.busy and button.isEnabled()
    assert SaveLock().run(lambda: 7) == 7  # a lock without a button


def test_enter_saves_escape_discards_other_keys_pass(qtbot) -> None:
    form = _Form()
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    qtbot.keyClick(form.edit, Qt.Key.Key_Return)
    qtbot.keyClick(form.edit, Qt.Key.Key_Enter)
    qtbot.keyClick(form.edit, Qt.Key.Key_Escape)
    qtbot.keyClick(form.edit, Qt.Key.Key_A)
    assert (form.saves, form.discards, form.edit.text()) == (2, 1, "a")


def test_ctrl_enter_shortcuts_save_from_inside_the_form(qtbot) -> None:
    """Both Enter keys with Ctrl, for the form and everything in it (the desk's own key filter
    clicks the save button first where it sees the key; the shortcuts are the form's own)."""
    form = _Form()
    qtbot.addWidget(form)
    shortcuts = form.findChildren(QShortcut)
    assert [s.key().toString() for s in shortcuts] == ["Ctrl+Return", "Ctrl+Enter"]
    assert {s.context() for s in shortcuts} == {Qt.ShortcutContext.WidgetWithChildrenShortcut}
    for shortcut in shortcuts:
        shortcut.activated.emit()
    assert form.saves == 2 and form.discards == 0


def test_choice_row_chooses_one_key_and_none(qtbot) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    row = ChoiceRow(owner, {"agreed": "同意", "refused": "拒绝", "unreachable": "未接通"})
    assert [b.text() for b in row.buttons.values()] == ["同意", "拒绝", "未接通"]
    assert [row.group.id(b) for b in row.buttons.values()] == [0, 1, 2]
    assert row.chosen() == ""
    row.buttons["refused"].click()
    assert row.chosen() == "refused"
    row.choose("agreed")
    assert row.chosen() == "agreed" and not row.buttons["refused"].isChecked()
    row.choose("")
    assert row.chosen() == "" and not any(b.isChecked() for b in row.buttons.values())
    row.buttons["unreachable"].click()
    row.buttons["agreed"].click()
    assert row.chosen() == "agreed"  # still exclusive after choose("")
    assert row.box.layout().spacing() == 14
    assert ChoiceRow(owner, {"a": "甲"}, spacing=16).box.layout().spacing() == 16


def test_save_status_says_what_was_saved_and_what_was_masked(qtbot) -> None:
    status = SaveStatus(wrap=True)
    window = QWidget()
    qtbot.addWidget(window)
    general = QLabel("一般错误")
    window.setLayout(status.column(general, spacing=2))
    window.show()
    column = window.layout()
    assert [column.itemAt(i).widget() for i in range(column.count())] == [status.label, status.note, general]
    assert status.label.font().bold() and status.label.wordWrap()
    status.say("已保存 V-001", {"handled": "办理情况"})
    assert status.label.text() == "已保存 V-001"
    assert status.note.isVisible()
    assert status.note.text() == "办理情况中的身份证号/手机号已按隐私规定隐去。"
    status.say("已保存 V-002")
    assert status.note.isHidden()
    status.say("已保存 V-003", {"content": "来电内容"})
    status.clear()
    assert status.label.text() == "" and status.note.isHidden()


def test_wall_clock_times_go_through_a_date_time_box_unchanged(qtbot) -> None:
    edit = datetime_edit()
    qtbot.addWidget(edit)
    when = datetime(2026, 3, 29, 2, 30)  # a spring-forward hour in much of the world
    edit.setDateTime(local_qdatetime(when))
    assert edit.displayFormat() == "yyyy-MM-dd HH:mm" and edit.calendarPopup()
    assert from_qdatetime(edit.dateTime()) == when


def test_a_field_note_stands_between_the_field_and_its_error(qtbot) -> None:
    group, form = form_group("来函人")
    qtbot.addWidget(group)
    assert isinstance(form, QFormLayout) and group.layout() is form and group.title() == "来函人"
    errors = FieldErrors(fit=False)
    edit = QLineEdit()
    note = QLabel("未关联住户")
    errors.add_row(form, "关联住户", "resident", edit, note=note, spacing=1)
    box = form.itemAt(0, QFormLayout.ItemRole.FieldRole).widget()
    column = box.layout()
    assert column.spacing() == 1
    assert [column.itemAt(i).widget() for i in range(column.count())] == [
        edit,
        note,
        errors.labels["resident"],
    ]
    group.show()
    errors.show_error(ValidationError({"resident": "该住户已不在档案中"}))
    assert errors.message("resident") == "该住户已不在档案中"


def test_column_box_stacks_widgets_without_margins(qtbot) -> None:
    first, second = QLineEdit(), QLineEdit()
    box = column_box(first, second, spacing=4)
    qtbot.addWidget(box)
    column = box.layout()
    assert column.spacing() == 4 and column.contentsMargins().left() == 0
    assert [column.itemAt(i).widget() for i in range(column.count())] == [first, second]


def test_a_form_button_is_never_pressed_by_enter(qtbot) -> None:
    pressed: list[str] = []
    button = form_button("补打访客证", lambda: pressed.append("reprint"), "再打印一张")
    plain = form_button("清空", lambda: pressed.append("clear"))
    qtbot.addWidget(button)
    qtbot.addWidget(plain)
    assert not button.autoDefault() and button.toolTip() == "再打印一张" and plain.toolTip() == ""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert pressed == ["reprint"]


def test_a_datetime_edit_shows_utc_as_the_desks_wall_clock_and_back(qtbot) -> None:
    from datetime import datetime as dt
    from zoneinfo import ZoneInfo

    from ui.widgets.form_parts import datetime_edit
    from ui.widgets.form_parts import set_edit_utc
    from ui.widgets.form_parts import utc_from_edit

    edit = datetime_edit()
    qtbot.addWidget(edit)
    set_edit_utc(edit, dt(2026, 12, 5, 16, 30))  # 00:30 the next day in Shanghai
    assert edit.text() == "2026-12-06 00:30"
    assert utc_from_edit(edit) == dt(2026, 12, 5, 16, 30)
    urumqi = ZoneInfo("Asia/Urumqi")  # a desk set to another zone keeps its own wall clock
    set_edit_utc(edit, dt(2026, 12, 5, 16, 30), urumqi)
    assert edit.text() == "2026-12-05 22:30"
    assert utc_from_edit(edit, urumqi) == dt(2026, 12, 5, 16, 30)
