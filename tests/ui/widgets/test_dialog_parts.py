"""The pieces of ui.widgets.dialog_parts."""

from __future__ import annotations


def test_printing_or_previewing_says_a_failure_in_a_message_box(qtbot, monkeypatch) -> None:
    from PySide6.QtWidgets import QWidget

    from ui.widgets import msgbox
    from ui.widgets import printing
    from ui.widgets.dialog_parts import preview_or_tell
    from ui.widgets.dialog_parts import print_or_tell

    parent = QWidget()
    qtbot.addWidget(parent)
    said: list[tuple[str, str]] = []
    sent: list[tuple[bytes, dict]] = []
    monkeypatch.setattr(msgbox, "error", lambda _parent, title, text: said.append((title, text)))

    def printed(pdf: bytes, **options) -> bool:
        sent.append((pdf, options))
        return True

    monkeypatch.setattr(printing, "print_pdf", printed)
    monkeypatch.setattr(
        printing, "preview_pdf", lambda pdf, _parent, title: sent.append((pdf, {"title": title}))
    )
    assert print_or_tell(parent, "未能打印", b"%PDF", printer_name="HP", title="名单")
    assert preview_or_tell(parent, "打印失败", b"%PDF", "告知")
    assert sent == [
        (b"%PDF", {"parent": parent, "printer_name": "HP", "title": "名单"}),
        (b"%PDF", {"title": "告知"}),
    ]
    assert said == []

    def jammed(*_args, **_kwargs):
        raise printing.PrintError("打印机缺纸")

    monkeypatch.setattr(printing, "print_pdf", jammed)
    monkeypatch.setattr(printing, "preview_pdf", jammed)
    assert not print_or_tell(parent, "未能打印", b"%PDF", title="名单")
    assert not preview_or_tell(parent, "打印失败", b"%PDF", "告知")
    assert said == [("未能打印", "打印机缺纸"), ("打印失败", "打印机缺纸")]


def test_a_text_box_is_as_high_as_its_lines_and_tab_moves_on(qtbot) -> None:
    from ui.widgets.dialog_parts import text_box

    edit = text_box(4, "答复了什么")
    qtbot.addWidget(edit)
    assert edit.tabChangesFocus() and edit.placeholderText() == "答复了什么"
    assert edit.minimumHeight() == edit.fontMetrics().lineSpacing() * 4 + 14
    assert text_box(6).minimumHeight() > edit.minimumHeight()
