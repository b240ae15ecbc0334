"""Packaging, checked on the files only (fast): the PyInstaller spec, the Inno Setup script and the
version they carry. Building the bundle and the smoke test run in CI (.ci/run), not here."""

from __future__ import annotations

import ast
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

import reception

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
SPEC = PACKAGING / "reception.spec"
ISS = PACKAGING / "installer.iss"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"packaging_{name}", PACKAGING / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


version = _load("version")
bundle_filter = _load("bundle_filter")


def _iss() -> str:
    raw = ISS.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "installer.iss must be UTF-8 with a BOM (Chinese text)"
    return raw.decode("utf-8-sig")


def _iss_section(name: str) -> str:
    match = re.search(rf"^\[{name}\]\r?\n(.*?)(?=^\[|\Z)", _iss(), re.MULTILINE | re.DOTALL)
    assert match, f"installer.iss has no [{name}] section"
    return "\n".join(line for line in match.group(1).splitlines() if not line.lstrip().startswith(";"))


# --- version ------------------------------------------------------------------------------------


def test_version_helper_reads_reception_version():
    assert version.read_version() == reception.__version__


def test_installer_version_is_in_sync_with_reception():
    assert version.iss_version() == reception.__version__, "run: python packaging/version.py --sync"


def test_sync_rewrites_the_define_and_keeps_the_bom(tmp_path: Path):
    iss = tmp_path / "installer.iss"
    iss.write_bytes(ISS.read_bytes())
    assert version.sync_iss(iss, "9.8.7") is True
    assert version.iss_version(iss) == "9.8.7"
    assert iss.read_bytes().startswith(b"\xef\xbb\xbf")
    assert version.sync_iss(iss, "9.8.7") is False


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("0.1.0", (0, 1, 0, 0)),
        ("1.2", (1, 2, 0, 0)),
        ("2.0.1rc1", (2, 0, 1, 0)),
        ("3.4.5+local", (3, 4, 5, 0)),
    ],
)
def test_windows_version_numbers(text: str, numbers: tuple[int, int, int, int]):
    assert version.numeric_version(text) == numbers


def test_windows_version_file_is_a_valid_expression_with_the_version():
    text = version.windows_version_file("0.1.0", "reception", "前台接待工作站")
    tree = ast.parse(text, mode="eval")
    assert isinstance(tree.body, ast.Call) and getattr(tree.body.func, "id", "") == "VSVersionInfo"
    assert "filevers=(0, 1, 0, 0)" in text
    assert "StringStruct('ProductVersion', '0.1.0')" in text
    assert "StringStruct('OriginalFilename', 'reception.exe')" in text


# --- PyInstaller spec ----------------------------------------------------------------------------


def test_spec_is_python_and_collects_what_the_program_needs():
    text = SPEC.read_text(encoding="utf-8")
    ast.parse(text)
    for needed in (
        'collect_submodules("reportlab.graphics.barcode")',
        'collect_submodules("reception")',
        'collect_submodules("ui")',
        'collect_submodules("phonenumbers")',
        'collect_data_files("stdnum")',
        'collect_data_files("pypinyin"',
        'collect_data_files("openpyxl")',
        'collect_data_files("reception", includes=["store/migrations/*.sql"',
        '(str(ROOT / "resources"), "resources")',
        '"PySide6.QtCharts"',
        '"PySide6.QtPdf"',
        '"PySide6.QtPrintSupport"',
        '"_cffi_backend"',
        '"_rl_accel"',
        "windows_version_file(VERSION",
        '("X utf8", None, "OPTION")',
    ):
        assert needed in text, needed
    # Two executables in one folder: the windowed one for the desktop, a console one for commands.
    assert '_exe("reception", console=not WINDOWS' in text
    assert '_exe("reception-cli", console=True' in text
    assert re.search(r"COLLECT\(\s*# noqa: F821\s+gui,\s+cli,", text)
    assert 'name="reception"' in text


def test_the_migrations_and_barcode_modules_are_found():
    """What the spec's collect_* calls return in this environment."""
    from PyInstaller.utils.hooks import collect_data_files
    from PyInstaller.utils.hooks import collect_submodules

    found = collect_data_files("reception", includes=["store/migrations/*.sql"])
    sql = {Path(src).name for src, dest in found}
    shipped = {p.name for p in (ROOT / "reception" / "store" / "migrations").glob("*.sql")}
    assert shipped and sql == shipped
    barcode = collect_submodules("reportlab.graphics.barcode")
    assert {"reportlab.graphics.barcode.qr", "reportlab.graphics.barcode.code128"} <= set(barcode)


@pytest.mark.parametrize(
    "dest",
    [
        "PySide6/Qt/lib/libQt6Quick.so.6",
        "PySide6/Qt/lib/libQt6Qml.so.6",
        "PySide6/Qt/lib/libQt6QmlModels.so.6",
        "PySide6/Qt/lib/libQt6VirtualKeyboard.so.6",
        "PySide6/Qt/lib/libQt6WaylandClient.so.6",
        "PySide6/Qt6Quick.dll",
        "PySide6/Qt6Qml.dll",
        "PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so",
        "PySide6/plugins/platforminputcontexts/qtvirtualkeyboardplugin.dll",
        "PySide6/Qt/plugins/platforms/libqeglfs.so",
        "PySide6/Qt/plugins/platforms/libqwayland.so",
        "PySide6/Qt/plugins/platforms/libqvnc.so",
        "PySide6/Qt/plugins/tls/libqopensslbackend.so",
        "PySide6\\plugins\\tls\\qschannelbackend.dll",
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
        "PySide6/Qt/translations/qtbase_de.qm",
        "PySide6/translations/qt_ja.qm",
    ],
)
def test_bundle_leaves_out_unused_qt_files(dest: str):
    assert not bundle_filter.keep(dest)


@pytest.mark.parametrize(
    "dest",
    [
        "PySide6/Qt/lib/libQt6Core.so.6",
        "PySide6/Qt/lib/libQt6Pdf.so.6",
        "PySide6/Qt/lib/libQt6Charts.so.6",
        "PySide6/Qt/lib/libQt6PrintSupport.so.6",
        "PySide6/Qt6Widgets.dll",
        "PySide6/Qt6Pdf.dll",
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/platforms/libqoffscreen.so",
        "PySide6/Qt/plugins/platforms/libqminimal.so",
        "PySide6/plugins/platforms/qwindows.dll",
        "PySide6\\plugins\\platforms\\qoffscreen.dll",
        "PySide6/Qt/plugins/printsupport/libcupsprintersupport.so",
        "PySide6/plugins/printsupport/windowsprintersupport.dll",
        "PySide6/Qt/plugins/imageformats/libqpdf.so",
        "PySide6/plugins/imageformats/qjpeg.dll",
        "PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so",
        "PySide6/Qt/translations/qtbase_zh_CN.qm",
        "resources/fonts/wqy-microhei.ttf",
        "reception/store/migrations/0001_initial.sql",
    ],
)
def test_bundle_keeps_what_the_program_loads(dest: str):
    assert bundle_filter.keep(dest)


# --- Inno Setup script ---------------------------------------------------------------------------


def test_installer_setup_section():
    text = _iss()
    setup = _iss_section("Setup")
    assert '#define AppName "前台接待工作站"' in text
    assert re.search(
        r"^AppId=\{\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}\r?$", setup, re.M
    )
    assert re.search(r"^DefaultDirName=\{autopf\}\\\{#AppName\}\r?$", setup, re.M)
    assert re.search(r"^OutputBaseFilename=前台接待工作站-安装程序\r?$", setup, re.M)
    assert re.search(r"^AppVersion=\{#AppVersion\}\r?$", setup, re.M)
    assert re.search(r"^PrivilegesRequired=admin\r?$", setup, re.M)
    assert "x64compatible" in setup
    # Qt 6 runs on Windows 10 1809 (build 17763) and newer: refuse older ones at install time
    assert re.search(r"^MinVersion=10\.0\.17763\r?$", setup, re.M)


def test_pyproject_licence_is_an_spdx_expression():
    """The table form (license = {text = ...}) is deprecated by setuptools (removed after 2027-02-18)."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "LicenseRef-Proprietary"


def test_installer_shortcuts_are_named_like_the_program():
    icons = _iss_section("Icons")
    assert re.search(
        r'^Name: "\{autoprograms\}\\\{#AppName\}"; Filename: "\{app\}\\\{#AppExeName\}"', icons, re.M
    )
    assert re.search(
        r'^Name: "\{autodesktop\}\\\{#AppName\}"; Filename: "\{app\}\\\{#AppExeName\}"', icons, re.M
    )
    assert '#define AppExeName "reception.exe"' in _iss()


def test_installer_installs_the_whole_bundle_and_keeps_user_data():
    text = _iss()
    files = _iss_section("Files")
    assert "{#BundleDir}\\*" in files and "recursesubdirs" in files
    assert '#define BundleDir AddBackslash(SourcePath) + "..\\dist\\reception"' in text
    # User data lives in %LOCALAPPDATA%\reception-desk: never deleted, never installed into.
    assert not re.search(r"^\[UninstallDelete\]", text, re.M)
    for section in ("Files", "InstallDelete", "Icons"):
        body = _iss_section(section)
        assert "localappdata" not in body.lower() and "reception-desk" not in body
    # The only thing run on a data folder: the ACL of the shared one, when that was chosen.
    for line in _iss_section("Run").splitlines():
        if "reception-desk" in line or "localappdata" in line.lower():
            assert line.startswith('Filename: "{sys}\\icacls.exe"') and "Tasks: shareddata" in line
    assert (
        _iss_section("InstallDelete").strip().splitlines()[-1]
        == 'Type: filesandordirs; Name: "{app}\\_internal"'
    )
    # Started after the install as the user who logged in, so the data is created in *their* folder.
    assert "runasoriginaluser" in _iss_section("Run")


def test_installer_language_is_simplified_chinese():
    text = _iss()
    languages = _iss_section("Languages")
    assert 'MessagesFile: "{#ChineseIsl}"' in languages
    assert 'MessagesFile: "compiler:Default.isl"' in languages  # the fallback …
    assert "LanguageID=$0804" in text and "WelcomeLabel1=" in text  # … with Chinese texts
    assert '"compiler:Languages\\ChineseSimplified.isl"' in text


def test_installer_checks_the_bundle_version():
    text = _iss()
    assert 'GetStringFileInfo(BundleDir + "\\" + AppExeName, "ProductVersion")' in text
    assert "#if ExeVersion != AppVersion" in text


# --- project files --------------------------------------------------------------------------------


def test_pyinstaller_is_pinned_for_development():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'"pyinstaller>=[\d.]+"', pyproject)
    assert re.search(r"^pyinstaller==[\d.]+ ", (ROOT / "requirements.lock").read_text(encoding="utf-8"), re.M)


def test_build_output_is_ignored_by_git():
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert "build/" in ignored and "dist/" in ignored


def test_ci_builds_and_smoke_tests_the_bundle():
    assert "packaging/build.py --smoke" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_third_party_notices_name_every_part_with_its_licence_text(tmp_path):
    sys.path.insert(0, str(ROOT / "packaging"))
    try:
        import notices
    finally:
        sys.path.remove(str(ROOT / "packaging"))
    from reception.about import COMPONENTS

    assert notices.write_notices(tmp_path) == []
    text = (tmp_path / "THIRD-PARTY-NOTICES.txt").read_text(encoding="utf-8")
    for part in COMPONENTS:
        if part.name == "tzdata" and sys.platform != "win32":
            continue  # installed (and shipped) on Windows only
        assert f"{part.name}\t{part.licence}\t" in text
        folder = tmp_path / "licenses" / notices._folder(part.name)
        texts = [p.read_text(encoding="utf-8", errors="replace") for p in folder.iterdir()]
        assert texts and all(len(t) > 200 for t in texts), part.name
    qt = (tmp_path / "licenses" / "Qt-6-PySide6-Essentials" / "LGPL-3.0.txt").read_text(encoding="utf-8")
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in qt


def test_reportlab_runs_on_its_c_accelerator():
    """rl-accel is installed and reportlab picks it up (≈ 2× faster PDFs: docs/performance.md)."""
    import _rl_accel
    from reportlab.lib import rl_accel

    assert rl_accel.fp_str is _rl_accel.fp_str


def test_the_program_icon_is_on_the_exe_the_installer_and_the_window():
    ico = ROOT / "resources" / "icons" / "reception.ico"
    data = ico.read_bytes()
    count = int.from_bytes(data[4:6], "little")
    sides = {data[6 + 16 * i] or 256 for i in range(count)}
    assert data[:4] == b"\x00\x00\x01\x00" and {16, 32, 48, 256} <= sides
    assert 'icon=str(ROOT / "resources" / "icons" / "reception.ico")' in SPEC.read_text(encoding="utf-8")
    iss = (ROOT / "packaging" / "installer.iss").read_text(encoding="utf-8-sig")
    assert "SetupIconFile=..\\resources\\icons\\reception.ico" in iss
