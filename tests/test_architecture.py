"""The layering rules of DESIGN.md, checked on the source."""

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


def _date_patterns(tree: ast.AST) -> list[tuple[int, str]]:
    """String patterns handed to strftime (directly, through format_local or the report helpers)
    and format specs of f-string fields."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in {"strftime", "format_local", "_fmt", "_when"}:
                found += [
                    (a.lineno, a.value)
                    for a in [*node.args, *(k.value for k in node.keywords)]
                    if isinstance(a, ast.Constant) and isinstance(a.value, str)
                ]
        elif isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            found += [
                (v.lineno, v.value)
                for v in ast.walk(node.format_spec)
                if isinstance(v, ast.Constant) and isinstance(v.value, str)
            ]
    return found


def test_no_chinese_goes_through_strftime():
    """Python 3.11's strftime on Windows under a non-Chinese legacy code page cannot take "%Y年":
    the Chinese is put in with f-strings around ASCII-only patterns."""
    offenders = []
    for folder in ("reception", "ui", "scripts", "packaging"):
        for path in (ROOT / folder).rglob("*.py"):
            for line, pattern in _date_patterns(ast.parse(path.read_text(encoding="utf-8"))):
                if "%" in pattern and not pattern.isascii():
                    offenders.append(f"{path.relative_to(ROOT)}:{line}: {pattern}")
    assert offenders == []
