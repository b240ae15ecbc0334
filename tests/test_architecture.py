"""The layering rules of docs/design.md, checked on the source."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_core_never_imports_qt_or_ui():
    offenders = []
    for path in (ROOT / "reception").rglob("*.py"):
        for name in _imports(path):
            if name.split(".")[0] in {"PySide6", "shiboken6", "ui"}:
                offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert offenders == []


def test_widgets_run_no_queries_of_their_own():
    """ui/ talks to reception services; it never touches peewee or the database object."""
    offenders = []
    for path in (ROOT / "ui").rglob("*.py"):
        for name in _imports(path):
            if name.split(".")[0] == "peewee" or name in {"reception.store.db", "sqlite3"}:
                offenders.append(f"{path.relative_to(ROOT)}: {name}")
        text = path.read_text(encoding="utf-8")
        for marker in (".select(", ".insert(", ".delete(", "execute_sql("):
            if marker in text:
                offenders.append(f"{path.relative_to(ROOT)}: {marker}")
    assert offenders == []


def test_core_is_importable_without_a_display():
    import importlib
    import pkgutil

    import reception

    for module in pkgutil.walk_packages(reception.__path__, "reception."):
        importlib.import_module(module.name)
