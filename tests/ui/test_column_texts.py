"""Every table model that declares its column texts (``RowsModel.texts``) declares one per header:
a text left out would shift every later column under the wrong heading."""

from __future__ import annotations

import importlib
import pkgutil

import ui
from ui.widgets.paged_model import RowsModel


def _models() -> list[type[RowsModel]]:
    for info in pkgutil.walk_packages(ui.__path__, "ui."):
        importlib.import_module(info.name)
    found: list[type[RowsModel]] = []
    todo: list[type[RowsModel]] = [RowsModel]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if "texts" in vars(sub):
                found.append(sub)
    return found


def test_one_text_per_header() -> None:
    models = _models()
    assert len(models) >= 14  # the four long lists and the small tables of the panels and dialogs
    wrong = {m.__qualname__: (len(m.texts), len(m.headers)) for m in models if len(m.texts) != len(m.headers)}
    assert wrong == {}
