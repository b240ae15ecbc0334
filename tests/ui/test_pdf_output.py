"""PdfOutput and menu_button (ui/widgets/detail_dialog.py), what the slips, 投诉分析 and 日报 share
to preview, print or save their PDF: printers are the edge (``ui.widgets.printing`` replaced)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget

from ui.widgets import msgbox
from ui.widgets import printing
from ui.widgets.detail_dialog import PdfOutput
from ui.widgets.detail_dialog import menu_button


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
