"""No query while painting (docs/design.md): the list services hand the widgets everything a row
shows, related names included, so that painting a list or a detail dialog never touches the
database. Every list of the four tabs (and their side panels) is painted — ``data()`` for every
role of every cell, ``headerData()``, then ``grab()`` of the views — and every detail dialog is
opened and grabbed, with a counter on the database connection: loading may query, painting may not.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from PySide6.QtCore import QAbstractItemModel
from PySide6.QtCore import QAbstractListModel
from PySide6.QtCore import QModelIndex
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView
from PySide6.QtWidgets import QWidget

from reception.services import calls
from reception.services import cases
from reception.services import letters
from reception.services import visits
from reception.store import db
from reception.store.attachments import AttachmentStore
from reception.store.models import Call
from reception.store.models import Case
from reception.store.models import Letter
from ui.calls.call_detail_dialog import CallDetailDialog
from ui.calls.call_tab import CallTab
from ui.cases.case_detail_dialog import CaseDetailDialog
from ui.cases.case_tab import CaseTab
from ui.letters.letter_detail_dialog import LetterDetailDialog
from ui.letters.letter_tab import LetterTab
from ui.visits.visit_tab import VisitTab
from ui.visits.watchlist_dialog import WatchListDialog

ROLES = [*range(0, 16), *range(Qt.ItemDataRole.UserRole, Qt.ItemDataRole.UserRole + 8)]


class QueryCounter:
    """Counts the statements sent through the database object while ``counting`` is on."""

    def __init__(self) -> None:
        self.statements: list[str] = []
        self.on = False

    @contextmanager
    def counting(self) -> Iterator[list[str]]:
        self.statements = []
        self.on = True
        try:
            yield self.statements
        finally:
            self.on = False


@pytest.fixture
def queries(monkeypatch: pytest.MonkeyPatch, database: Any) -> QueryCounter:
    counter = QueryCounter()
    real = db.database.obj
    execute_sql = real.execute_sql

    def counted(sql: str, params: Any = None, *args: Any, **kwargs: Any) -> Any:
        if counter.on:
            counter.statements.append(sql)
        return execute_sql(sql, params, *args, **kwargs)

    monkeypatch.setattr(real, "execute_sql", counted)
    return counter


@pytest.fixture(autouse=True)
def _boxes(boxes):  # recorded, every question answered 否
    return boxes


def paint_model(model: QAbstractItemModel) -> int:
    """Every role of every cell and header; returns the number of cells."""
    cells = 0
    root = QModelIndex()
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(root)
    for row in range(model.rowCount(root)):
        for col in range(columns):
            index = model.index(row, col)
            for role in ROLES:
                model.data(index, role)
            cells += 1
    for col in range(columns):
        for role in ROLES:
            model.headerData(col, Qt.Orientation.Horizontal, role)
    return cells


def paint_everything(widget: QWidget, queries: QueryCounter) -> dict[str, int]:
    """Paint every list view under ``widget`` and the widget itself; the statements seen."""
    seen: dict[str, int] = {}
    for view in widget.findChildren(QAbstractItemView):
        model = view.model()
        if model is None:
            continue
        with queries.counting() as statements:
            paint_model(model)
            view.grab()
        if statements:
            seen[f"{type(model).__name__} ({view.objectName() or type(view).__name__})"] = len(statements)
    with queries.counting() as statements:
        widget.grab()
    if statements:
        seen[f"{type(widget).__name__}.grab()"] = len(statements)
    return seen


def show(qtbot, widget: QWidget) -> QWidget:
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_painting_the_lists_runs_no_query(
    qtbot, busy_day, receptionist, supervisor, tmp_path, queries
) -> None:
    call_tab = show(qtbot, CallTab(receptionist))
    call_tab.model.set_filter(calls.CallFilter())
    case_tab = show(qtbot, CaseTab(receptionist))
    case_tab.model.set_filter(cases.CaseFilter())
    letter_tab = show(qtbot, LetterTab(receptionist, store=AttachmentStore(tmp_path / "att")))
    letter_tab.model.set_filter(letters.LetterFilter())
    visit_tab = show(qtbot, VisitTab(receptionist))
    visit_tab.model.set_filter(visits.VisitFilter())
    assert call_tab.model.rowCount() >= 4 and case_tab.model.rowCount() >= 1
    assert letter_tab.model.rowCount() >= 1 and visit_tab.model.rowCount() >= 1

    visits.add_watch_entry(
        supervisor, visits.WatchInput(name="赵六", phone="13511112222", reason="曾冒充快递员进入小区")
    )
    watch_list = show(qtbot, WatchListDialog(supervisor))
    assert watch_list.model.rowCount() == 1

    seen: dict[str, int] = {}
    for widget in (call_tab, case_tab, letter_tab, visit_tab, watch_list):
        seen.update(paint_everything(widget, queries))
    assert seen == {}


def test_opening_a_detail_dialog_paints_without_a_query(
    qtbot, busy_day, receptionist, tmp_path, queries
) -> None:
    store = AttachmentStore(tmp_path / "att")
    dialogs: list[QWidget] = []
    dialogs += [CallDetailDialog(receptionist, c.id) for c in Call.select()]
    dialogs += [CaseDetailDialog(receptionist, c.id) for c in Case.select()]
    dialogs += [LetterDetailDialog(receptionist, x.id, store) for x in Letter.select()]
    assert len(dialogs) >= 6
    seen: dict[str, int] = {}
    for dialog in dialogs:
        show(qtbot, dialog)
        for name, count in paint_everything(dialog, queries).items():
            seen[name] = seen.get(name, 0) + count
    assert seen == {}
