"""The small shared pieces: PdfOutput and menu_button in ui/widgets/dialog_parts.py (what the
slips, 投诉分析 and 日报 share to preview, print or save their PDF; printers are the edge,
``ui.widgets.printing`` replaced), and the heading, push_button and history table in
ui/widgets/detail_dialog.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView
from PySide6.QtWidgets import QHeaderView
from PySide6.QtWidgets import QWidget

from ui.widgets import msgbox
from ui.widgets import printing
from ui.widgets.detail_dialog import heading
from ui.widgets.detail_dialog import history_table
from ui.widgets.detail_dialog import push_button
from ui.widgets.dialog_parts import PdfOutput
from ui.widgets.dialog_parts import menu_button
from ui.widgets.paged_model import RowsTableModel


@pytest.fixture
def parent(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    calls: list[tuple] = []
    monkeypatch.setattr(
        printing, "preview_pdf", lambda pdf, parent, title: calls.append(("preview", pdf, title))
    )
    monkeypatch.setattr(
        printing, "print_pdf", lambda pdf, parent, title: calls.append(("print", pdf, title)) or True
    )
    monkeypatch.setattr(
        printing, "save_pdf_as", lambda pdf, parent, name: calls.append(("save", pdf, name)) or Path(name)
    )
    monkeypatch.setattr(msgbox, "error", lambda _p, title, text: calls.append(("error", title, text)))
    return calls


def _output(parent: QWidget, pdf: bytes | None) -> PdfOutput:
    return PdfOutput(
        parent,
        lambda: pdf,
        "日报 2026-11-26",
        "日报-20261126.pdf",
        preview_failed="日报",
        print_failed="日报未打印",
    )


def test_the_document_goes_to_the_preview_the_printer_and_a_file(parent, seen) -> None:
    output = _output(parent, b"%PDF-1")
    output.preview()
    assert output.print() is True
    assert output.save() == Path("日报-20261126.pdf")
    assert seen == [
        ("preview", b"%PDF-1", "日报 2026-11-26"),
        ("print", b"%PDF-1", "日报 2026-11-26"),
        ("save", b"%PDF-1", "日报-20261126.pdf"),
    ]


def test_nothing_goes_anywhere_when_the_document_could_not_be_made(parent, seen) -> None:
    output = _output(parent, None)
    output.preview()
    assert output.print() is False
    assert output.save() is None
    assert seen == []


def test_a_printer_refusal_is_said_under_its_own_title(parent, seen, monkeypatch) -> None:
    def refuse(*_a, **_kw):
        raise printing.PrintError("打印机无法开始打印")

    monkeypatch.setattr(printing, "preview_pdf", refuse)
    monkeypatch.setattr(printing, "print_pdf", refuse)
    output = _output(parent, b"%PDF-1")
    output.preview()
    assert output.print() is False
    assert seen == [("error", "日报", "打印机无法开始打印"), ("error", "日报未打印", "打印机无法开始打印")]


def test_the_menu_button_lists_its_items_in_order(parent) -> None:
    done: list[str] = []
    button, actions = menu_button(
        "生成总结 PDF", [("预览", lambda: done.append("a")), ("打印", lambda: done.append("b"))]
    )
    button.setParent(parent)
    assert [a.text() for a in button.menu().actions()] == ["预览", "打印"]
    actions[1].trigger()
    actions[0].trigger()
    assert done == ["b", "a"]


class _Lines(RowsTableModel):
    headers = ("时间", "操作人", "内容")
    context = "test"
    texts = ("at", "who", "text")


def test_the_history_table_is_read_only_and_gives_the_rest_to_one_column(qtbot, parent) -> None:
    model = _Lines(parent)
    view = history_table(model, 2)
    qtbot.addWidget(view)
    header = view.horizontalHeader()
    modes = [header.sectionResizeMode(col) for col in range(3)]
    fit = QHeaderView.ResizeMode.ResizeToContents
    assert modes == [fit, fit, QHeaderView.ResizeMode.Stretch]
    assert view.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    assert view.selectionBehavior() == QAbstractItemView.SelectionBehavior.SelectRows
    assert view.wordWrap() and view.verticalHeader().isHidden()


def test_the_heading_is_larger_and_bold_and_a_push_button_does_its_job(qtbot, parent) -> None:
    title = heading(parent.font())
    assert title.objectName() == "title" and title.font().bold()
    assert title.font().pointSizeF() > parent.font().pointSizeF()
    pressed: list[bool] = []
    button = push_button("编辑", lambda: pressed.append(True))
    button.setParent(parent)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert button.text() == "编辑" and pressed == [True]
