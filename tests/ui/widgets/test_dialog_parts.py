"""The pieces of ui.widgets.dialog_parts: a row of radio buttons gives the chosen value."""

from __future__ import annotations

from ui.widgets.dialog_parts import RadioRow


def test_a_radio_row_numbers_its_buttons_and_gives_the_chosen_value(qtbot) -> None:
    row = RadioRow([("满意", "满意"), ("基本满意", "基本满意"), ("不满意", "不满意")], 14)
    qtbot.addWidget(row)
    assert list(row.buttons) == ["满意", "基本满意", "不满意"]
    assert [row.group.id(button) for button in row.buttons.values()] == [0, 1, 2]
    assert row.value() == ""  # nothing chosen yet
    row.choose("不满意")
    assert row.value() == "不满意" and row.group.checkedId() == 2
    row.buttons["满意"].setChecked(True)  # one choice at a time
    assert row.value() == "满意" and not row.buttons["不满意"].isChecked()
    assert row.buttons["基本满意"].text() == "基本满意"
    assert row.layout().spacing() == 14
