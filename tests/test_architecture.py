"""The layering rules of docs/design.md, checked on the source: the core's layers (store ← rules ←
phone ← services ← documents, entry points on top), no Qt in the core, no queries in the widgets, no
import cycles, and no import of the store from the widgets."""

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


# --------------------------------------------------------------------------------------------
# The core's layers

LAYERS = {"store": 0, "rules": 1, "phone": 2, "services": 3, "documents": 4}
BASE = {"errors", "clock"}  # shared by every layer; they import no layer
ENTRY = {"cli", "demo", "about"}  # entry points: may import any layer


def _layer(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "reception" or len(parts) < 2:
        return None
    if parts[1] in LAYERS or parts[1] in ENTRY or parts[1] in BASE:
        return parts[1] if parts[1] in LAYERS else ("base" if parts[1] in BASE else "entry")
    return None


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imported_modules(path: Path, *, top_level_only: bool = False) -> set[str]:
    """Absolute module names imported by ``path`` (``from a import b`` counts ``a.b`` when that is
    a module). ``top_level_only``: what runs at import time (not inside functions, not under
    ``if TYPE_CHECKING``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes: list[ast.AST] = []
    if top_level_only:
        for node in tree.body:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            nodes.extend(ast.walk(node) if not isinstance(node, (ast.FunctionDef, ast.ClassDef)) else [])
            if isinstance(node, ast.ClassDef):
                nodes.extend(n for n in ast.walk(node) if not isinstance(n, ast.FunctionDef))
    else:
        nodes = list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                base = ROOT / Path(*candidate.split("."))
                if base.with_suffix(".py").exists() or (base / "__init__.py").exists():
                    found.add(candidate)
    return found


def test_the_core_layers_import_only_downwards():
    offenders = []
    for path in sorted((ROOT / "reception").rglob("*.py")):
        here = _layer(_module_name(path))
        for name in _imported_modules(path):
            there = _layer(name)
            if here is None or there is None or here == "entry":
                continue
            if here == "base" and there != "base":
                offenders.append(f"{path.relative_to(ROOT)} (shared) imports {name}")
            elif there == "entry":
                offenders.append(f"{path.relative_to(ROOT)} imports the entry point {name}")
            elif here in LAYERS and there in LAYERS and LAYERS[there] > LAYERS[here]:
                offenders.append(f"{path.relative_to(ROOT)} ({here}) imports {name} ({there})")
    assert offenders == []


def test_no_import_cycles():
    """Among the modules of reception/ and ui/, counting what runs at import time."""
    graph: dict[str, set[str]] = {}
    for package in ("reception", "ui"):
        for path in (ROOT / package).rglob("*.py"):
            graph[_module_name(path)] = set()
    for path in [*(ROOT / "reception").rglob("*.py"), *(ROOT / "ui").rglob("*.py")]:
        name = _module_name(path)
        graph[name] = {m for m in _imported_modules(path, top_level_only=True) if m in graph and m != name}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*trail[trail.index(nxt) :], nxt] if nxt in trail else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_the_widgets_never_import_the_store():
    """ui/ talks to services only: the start-up shell through reception.services.startup and
    .local, several desks through .desks, drafts through .drafts, record types through .records."""
    found = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        for name in _imported_modules(path):
            if name == "reception.store" or name.startswith("reception.store."):
                found.append(f"{path.relative_to(ROOT)}: {name}")
    assert found == [], "ui/ must reach the store through services"


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
