#!/usr/bin/env python3
"""Third-party notices beside the program: ``THIRD-PARTY-NOTICES.txt`` (every bundled part, its
licence and what the program uses it for — the list of :mod:`reception.about`, the same the
关于 dialog shows) and ``licenses/``, the licence texts: each Python package's own licence files
from its installed metadata, the LGPL/GPL texts for Qt (whose wheels carry none), Python's
licence and the font's.

    .venv/bin/python packaging/notices.py dist/reception      # run by packaging/build.py

Exits 1 naming any part for which no licence text was found."""

from __future__ import annotations

import re
import shutil
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reception.about import COMPONENTS  # noqa: E402

RESOURCES = ROOT / "resources"
LICENCE_FILE = re.compile(r"(^|/)(licen[cs]e|copying|notice)[^/]*$", re.IGNORECASE)
# Parts whose licence text is not in their own package metadata.
SHIPPED = {
    "Python": [RESOURCES / "licenses" / "Python-PSF-2.0.txt"],
    "Qt 6 / PySide6-Essentials": [
        RESOURCES / "licenses" / "LGPL-3.0.txt",
        RESOURCES / "licenses" / "GPL-3.0.txt",
    ],
    "shiboken6": [RESOURCES / "licenses" / "LGPL-3.0.txt", RESOURCES / "licenses" / "GPL-3.0.txt"],
    "PySide6-Addons": [RESOURCES / "licenses" / "LGPL-3.0.txt", RESOURCES / "licenses" / "GPL-3.0.txt"],
    "PySide6-Pdf": [RESOURCES / "licenses" / "LGPL-3.0.txt", RESOURCES / "licenses" / "GPL-3.0.txt"],
    "文泉驿微米黑 WenQuanYi Micro Hei": [RESOURCES / "fonts" / "LICENSE-Apache-2.0.txt"],
    "花园明朝 Hanazono Mincho A/B（节选）": [RESOURCES / "fonts" / "LICENSE-Hanazono.txt"],
}


def _folder(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "part"


def licence_files(name: str) -> list[Path]:
    """The licence texts of one part: shipped ones, else those in its installed metadata."""
    if name in SHIPPED:
        return SHIPPED[name]
    try:
        files = metadata.distribution(name).files or []
    except metadata.PackageNotFoundError:
        return []
    found = []
    for entry in files:
        if ".dist-info/" in str(entry) and LICENCE_FILE.search(str(entry)):
            path = Path(str(entry.locate()))
            if path.is_file():
                found.append(path)
    return found


def write_notices(target: Path, platform: str = sys.platform) -> list[str]:
    """Write the notices into ``target``; returns the parts without a licence text (skipping the
    ones not shipped on ``platform``, e.g. tzdata off Windows)."""
    licences = target / "licenses"
    licences.mkdir(parents=True, exist_ok=True)
    lines = [
        "前台接待工作站 — 第三方组件及其许可证 / Third-party components and their licences",
        "",
        "本程序包含以下组件，各自按其许可证发布；许可证全文在 licenses/ 文件夹中。",
        "Qt 与 PySide6 按 LGPL-3.0 使用（动态链接，可替换）；其源代码可从 download.qt.io 获取。",
        "",
    ]
    missing = []
    for part in COMPONENTS:
        if part.name == "tzdata" and platform != "win32":
            continue
        files = licence_files(part.name)
        if not files:
            missing.append(part.name)
            continue
        folder = licences / _folder(part.name)
        folder.mkdir(exist_ok=True)
        for path in files:
            shutil.copyfile(path, folder / path.name)
        lines.append(f"{part.name}\t{part.licence}\t{part.role}\tlicenses/{folder.name}/")
    (target / "THIRD-PARTY-NOTICES.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return missing


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    missing = write_notices(Path(argv[0]))
    if missing:
        print("没有找到这些组件的许可证全文：" + "、".join(missing), file=sys.stderr)
        return 1
    print(f"== 第三方许可证：{Path(argv[0]) / 'THIRD-PARTY-NOTICES.txt'}，licenses/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
