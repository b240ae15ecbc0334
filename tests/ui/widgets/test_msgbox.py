"""msgbox.info and msgbox.error: one 确定 button (the default), the icon of the kind of message."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from ui.widgets import msgbox


@pytest.mark.parametrize(
    ("show", "icon"),
    [(msgbox.info, QMessageBox.Icon.Information), (msgbox.error, QMessageBox.Icon.Critical)],
)
def test_a_message_has_only_ok_in_chinese(qtbot, monkeypatch, show, icon) -> None:
    shown: list[QMessageBox] = []

    def exec_(box: QMessageBox) -> int:
        shown.append(box)
        return int(QMessageBox.StandardButton.Ok)

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    show(None, "未能保存", "数据库正忙")
    (box,) = shown
    assert box.icon() == icon
    assert box.windowTitle() == "未能保存" and box.text() == "数据库正忙"
    assert box.standardButtons() == QMessageBox.StandardButton.Ok
    ok = box.button(QMessageBox.StandardButton.Ok)
    assert ok is not None and ok.text() == "确定" and box.defaultButton() is ok
