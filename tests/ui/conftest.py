"""The UI tests run with the application-wide keys the program installs at start
(``ui.widgets.keys``: Ctrl+Enter saves, Tab leaves date fields, type-to-select, number keys)."""

from __future__ import annotations

from typing import NamedTuple

import pytest


@pytest.fixture(autouse=True)
def _desk_keys(qapp) -> None:
    from ui.widgets import keys

    keys.install(qapp)


@pytest.fixture
def desk_font(qapp):
    """The program's own font (WenQuanYi, 10 pt) as on the desk PC, for tests that measure text
    widths; the test's font is put back afterwards."""
    from ui.widgets import fonts

    before = qapp.font()
    assert fonts.install_app_font(qapp)
    yield
    qapp.setFont(before)


class Box(NamedTuple):
    """One message box as the program showed it (``text``: the label, for ``ask_text``)."""

    kind: str  # the msgbox function: info, error, ask, retry, retry_or_quit, ask_text
    title: str
    text: str


class Boxes:
    """The message boxes of ``ui.widgets.msgbox``, recorded in order instead of shown.

    - ``shown``: every box as a :class:`Box` (equal to a ``(kind, title, text)`` tuple);
      ``kinds()``, ``texts()`` and ``last`` read it.
    - ``answers``: what ``ask``, ``retry`` and ``retry_or_quit`` return, first in first out.
      With none left they return ``unanswered``: ``False`` unless the test says otherwise (否 /
      取消 / 退出, which never discards work and never loops); ``None`` makes an unanswered
      question fail the test.
    - ``typed``: what ``ask_text`` returns, in order; ``None`` (cancelled) when none is left.
    - ``refused``: kinds that fail the test as soon as such a box is shown (e.g. ``{"error"}``).
    - The file dialogs (``open_file``, ``open_files``, ``save_file``, ``choose_folder``) fail the
      test: one that expects a dialog replaces it with ``monkeypatch``.

    A box that fails the test raises AssertionError where it is shown (inside a Qt slot
    pytest-qt reports it as the test's failure)."""

    QUESTIONS = ("ask", "retry", "retry_or_quit")

    def __init__(self) -> None:
        self.shown: list[Box] = []
        self.answers: list[bool] = []
        self.unanswered: bool | None = False
        self.typed: list[str | None] = []
        self.refused: set[str] = set()

    def kinds(self) -> list[str]:
        return [box.kind for box in self.shown]

    def texts(self, kind: str | None = None) -> list[str]:
        """The texts of the boxes shown (only those of ``kind`` when given), in order."""
        return [box.text for box in self.shown if kind is None or box.kind == kind]

    @property
    def last(self) -> Box:
        """The box shown last (AssertionError when none was)."""
        assert self.shown, "no message box was shown"
        return self.shown[-1]

    def show(self, kind: str, title: str, text: str) -> None:
        self.shown.append(Box(kind, title, text))
        if kind in self.refused:
            raise AssertionError(f"unexpected {kind} box: {title} — {text}")

    def tell(self, kind: str):
        def tell(_parent, title: str, text: str) -> None:
            self.show(kind, title, text)

        return tell

    def question(self, kind: str):
        def question(_parent, title: str, text: str, **_options) -> bool:
            self.show(kind, title, text)
            if self.answers:
                return self.answers.pop(0)
            if self.unanswered is None:
                raise AssertionError(f"unanswered {kind} box: {title} — {text}")
            return self.unanswered

        return question

    def ask_text(self, _parent, title: str, label: str) -> str | None:
        self.show("ask_text", title, label)
        return self.typed.pop(0) if self.typed else None


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> Boxes:
    """Every message box of ``ui.widgets.msgbox`` recorded instead of shown (see :class:`Boxes`),
    so that no test hangs on a modal dialog. ``storage_failure`` shows its ``retry`` or ``error``."""
    from ui.widgets import msgbox

    recorder = Boxes()
    for kind in ("info", "error"):
        monkeypatch.setattr(msgbox, kind, recorder.tell(kind))
    for kind in Boxes.QUESTIONS:
        monkeypatch.setattr(msgbox, kind, recorder.question(kind))
    monkeypatch.setattr(msgbox, "ask_text", recorder.ask_text)

    def no_file_dialog(*_args, **_kwargs):
        raise AssertionError("unexpected file dialog: replace it in the test")

    for dialog in ("open_file", "open_files", "save_file", "choose_folder"):
        monkeypatch.setattr(msgbox, dialog, no_file_dialog)
    return recorder


@pytest.fixture
def no_boxes(boxes: Boxes) -> Boxes:
    """For tests where no message box may open: any box fails the test as soon as it shows,
    and so does a question nobody queued an answer for."""
    boxes.refused = {"info", "error", *Boxes.QUESTIONS, "ask_text"}
    boxes.unanswered = None
    return boxes
