#!/usr/bin/env python3
"""Build the one-folder bundle ``dist/reception/`` with PyInstaller — on Linux or Windows.

    python3 packaging/build.py            # Linux   (Windows: py packaging\\build.py)
    python3 packaging/build.py --smoke    # … then run packaging/smoke_test.py against it
    python3 packaging/build.py --clean    # … without PyInstaller's cache (after a dependency update)

Works from a fresh clone with nothing but Python 3.11+: like ``dev.py`` it creates or updates
``.venv`` from ``requirements.lock`` (which pins PyInstaller), then runs
``pyinstaller packaging/reception.spec`` with ``build/`` as the work folder and ``dist/`` as the
output (both are git-ignored), then writes the third-party notices and licence texts beside the
program (``packaging/notices.py``). Before building it checks that ``packaging/installer.iss`` has the
version of ``reception.__version__``; afterwards it reports the bundle's size and, on Linux,
checks with ``ldd`` that no library inside the bundle lacks a dependency that was left out."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "packaging"))

from version import iss_version  # noqa: E402
from version import read_version  # noqa: E402

import dev  # noqa: E402 — the project's own set-up (creates .venv from requirements.lock)

DIST = ROOT / "dist"
WORK = ROOT / "build"
BUNDLE = DIST / "reception"
SPEC = ROOT / "packaging" / "reception.spec"

# Libraries a Linux bundle may lack: the system provides them (PyInstaller leaves the C library,
# the GL driver and friends out on purpose).
LDD_IGNORED = ("libGL", "libEGL", "libOpenGL", "libGLX", "libvulkan")


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def check_linux_libraries(bundle: Path) -> list[str]:
    """Every ELF library and executable in the bundle: `ldd` must resolve all its dependencies."""
    internal = bundle / "_internal"
    search = [internal, internal / "PySide6" / "Qt" / "lib", internal / "PySide6", internal / "shiboken6"]
    env = dict(os.environ, LD_LIBRARY_PATH=os.pathsep.join(str(p) for p in search))
    problems = []
    for path in sorted(bundle.rglob("*")):
        if not path.is_file() or path.is_symlink():
            continue
        with path.open("rb") as fh:
            if fh.read(4) != b"\x7fELF":
                continue
        out = subprocess.run(
            ["ldd", str(path)], env=env, capture_output=True, text=True, encoding="utf-8"
        ).stdout
        for line in out.splitlines():
            if "not found" in line and not line.strip().startswith(LDD_IGNORED):
                problems.append(f"{path.relative_to(bundle)}: {line.strip()}")
    return problems


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--smoke", action="store_true", help="run packaging/smoke_test.py after the build")
    parser.add_argument("--clean", action="store_true", help="build without PyInstaller's cache")
    args = parser.parse_args(argv)

    version = read_version()
    if iss_version() != version:
        print(
            f"packaging/installer.iss 的版本（{iss_version()}）"
            f"与 reception.__version__（{version}）不一致：\n"
            "请运行 python packaging/version.py --sync 并提交。",
            file=sys.stderr,
        )
        return 1

    python = dev.ensure_environment()
    print(f"== 打包 前台接待工作站 {version}（PyInstaller，{sys.platform}）", flush=True)
    started = time.monotonic()
    command = [
        str(python),
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--log-level",
        "WARN",
        "--distpath",
        str(DIST),
        "--workpath",
        str(WORK),
        *(["--clean"] if args.clean else []),
        str(SPEC),
    ]
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    env.setdefault("QT_QPA_PLATFORM", "offscreen")  # the Qt hooks start Qt to ask for its paths
    code = subprocess.call(command, cwd=ROOT, env=env)
    if code != 0:
        print(f"PyInstaller failed (exit {code})", file=sys.stderr)
        return code
    code = subprocess.call([str(python), str(ROOT / "packaging" / "notices.py"), str(BUNDLE)], cwd=ROOT)
    if code != 0:
        return code
    took = time.monotonic() - started
    size = folder_size(BUNDLE)
    files = sum(1 for p in BUNDLE.rglob("*") if p.is_file())
    print(f"== 已生成 {BUNDLE.relative_to(ROOT)}：{size / 1e6:.0f} MB，{files} 个文件，用时 {took:.0f} 秒")

    if sys.platform.startswith("linux"):
        problems = check_linux_libraries(BUNDLE)
        if problems:
            print("Libraries in the bundle lack dependencies:\n  " + "\n  ".join(problems), file=sys.stderr)
            return 1
        print("== ldd: every library in the bundle finds its dependencies")
    if os.name == "nt":
        print(r'下一步（安装程序）："C:\Program Files (x86)\Inno Setup 6\ISCC.exe" packaging\installer.iss')

    if args.smoke:
        return subprocess.call(
            [str(python), str(ROOT / "packaging" / "smoke_test.py"), str(BUNDLE)], cwd=ROOT
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
