"""帮助: 关于 (version, data folder, database, logs, licences), 打开数据文件夹, 快捷键 — and the
shortcut list is complete: every key sequence bound anywhere in the window is on it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtGui import QKeySequence
from PySide6.QtGui import QShortcut

from reception import __version__
from reception.about import COMPONENTS
from reception.store.paths import DataDir
from ui.widgets import msgbox
from ui.widgets import shortcuts


@pytest.fixture
def window(qtbot, admin, clock, tmp_path: Path):
    from ui.main_window import MainWindow

    win = MainWindow(admin, clock, data_dir=DataDir(tmp_path))
    qtbot.addWidget(win)
    return win


def _menu_texts(win) -> list[str]:
    return [a.text() for a in win.menuBar().actions()]


def test_help_menu_has_about_folder_and_keys(window):
    assert "帮助(&H)" in _menu_texts(window)
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "帮助(&H)")
    assert [a.text() for a in help_menu.actions()] == ["快捷键…", "打开数据文件夹", "关于…"]


def test_about_shows_version_folder_database_logs_and_licences(window, tmp_path, qtbot):
    window.about_action.trigger()
    dialog = window.about_dialog
    qtbot.waitExposed(dialog)
    assert dialog.values["version"].text() == __version__
    assert dialog.values["data_folder"].text() == str(tmp_path)
    assert dialog.values["database"].text() == str(tmp_path / "reception.db")
    assert dialog.values["logs"].text() == str(tmp_path / "logs")
    assert dialog.components.rowCount() == len(COMPONENTS)
    names = {dialog.components.item(r, 0).text() for r in range(dialog.components.rowCount())}
    assert "reportlab" in names and "Qt 6 / PySide6-Essentials" in names


def test_open_data_folder_opens_it_or_says_why_not(window, tmp_path, monkeypatch):
    opened: list[str] = []
    errors: list[str] = []
    monkeypatch.setattr(msgbox, "open_folder", lambda folder: opened.append(folder) or True)
    monkeypatch.setattr(msgbox, "error", lambda parent, title, text: errors.append(text))
    window.open_folder_action.trigger()
    assert opened == [str(tmp_path)] and errors == []

    monkeypatch.setattr(msgbox, "open_folder", lambda folder: False)
    window.open_folder_action.trigger()
    assert errors == [f"无法打开文件夹：{tmp_path}"]


def _bound(widget) -> set[str]:
    keys: set[str] = set()
    for action in widget.findChildren(QAction):
        keys.update(s.toString(QKeySequence.SequenceFormat.PortableText) for s in action.shortcuts())
    for shortcut in widget.findChildren(QShortcut):
        keys.add(shortcut.key().toString(QKeySequence.SequenceFormat.PortableText))
    return {k for k in keys if k}


def test_every_bound_key_is_on_the_shortcut_list(window, qtbot):
    # Every tab built, the analysis window opened: all their shortcuts exist.
    for tab in (window.visit_tab, window.letter_tab, window.case_tab):
        assert tab is not None
    window.open_analysis()
    found = _bound(window) | _bound(window.analysis_window)
    assert {"F2", "F3", "F4", "F5", "Ctrl+Return"} <= found
    assert found - shortcuts.bound_keys() == set()


def test_the_shortcut_dialog_lists_every_binding(window, qtbot):
    window.shortcuts_action.trigger()
    dialog = window.shortcuts_dialog
    qtbot.waitExposed(dialog)
    assert dialog.table.rowCount() == len(shortcuts.bindings())
    keys = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    assert keys[0] == "F2" and "Ctrl+Enter / Ctrl+Enter" not in keys
