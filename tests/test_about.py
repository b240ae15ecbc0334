"""关于: the parts the program ships with their licences, and where its data lives."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from reception import __version__
from reception.about import COMPONENTS
from reception.about import about
from reception.store import config
from reception.store.paths import DataDir

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].strip().lower()


def test_every_runtime_dependency_is_listed_with_a_licence():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    listed = {c.name.lower() for c in COMPONENTS} | {
        part.strip().lower() for c in COMPONENTS for part in c.name.split("/")
    }
    missing = [_name(r) for r in project["dependencies"] if _name(r) not in listed]
    assert missing == []
    assert all(c.licence and c.role for c in COMPONENTS)


def test_about_names_the_folder_the_file_and_the_logs(tmp_path):
    data = DataDir(tmp_path / "前台 数据")
    info = about(data)
    assert info.version == __version__
    assert info.data_folder == str(data.root)
    assert info.database == str(data.database)
    assert info.logs == str(data.logs)


def test_about_never_shows_a_server_password(tmp_path):
    data = DataDir(tmp_path)
    config.save(tmp_path, config.LocalConfig(database="postgresql://reception:geheim99@10.0.0.5/reception"))
    info = about(data)
    assert info.database == "postgresql://reception@10.0.0.5/reception"
    assert "geheim99" not in repr(info)
