"""关于本程序: its version, where its data lives, and the parts it is built from with their licences
(shown in 帮助 → 关于; the bundle's third-party notices are written from the same list)."""

from __future__ import annotations

from dataclasses import dataclass

from reception import __version__
from reception.store.db import display_address
from reception.store.paths import DataDir


@dataclass(frozen=True)
class Component:
    name: str  # as it is distributed (the package name, for Python packages)
    licence: str  # SPDX identifier
    role: str  # what the program uses it for (Chinese, shown to people)


# Every part that ships inside the program: Python, Qt, the runtime dependencies of pyproject.toml and
# what they pull in (requirements.lock), and the bundled font. tests/test_about.py checks the list against
# pyproject.toml.
COMPONENTS: tuple[Component, ...] = (
    Component("Python", "PSF-2.0", "运行环境"),
    Component("Qt 6 / PySide6-Essentials", "LGPL-3.0-only", "窗口界面"),
    Component("shiboken6", "LGPL-3.0-only", "窗口界面"),
    Component("PySide6-Addons", "LGPL-3.0-only", "图表"),
    Component("PySide6-Pdf", "LGPL-3.0-only", "打印预览"),
    Component("peewee", "MIT", "数据库访问"),
    Component("argon2-cffi", "MIT", "密码保存"),
    Component("argon2-cffi-bindings", "MIT", "密码保存"),
    Component("cffi", "MIT", "密码保存"),
    Component("pycparser", "BSD-3-Clause", "密码保存"),
    Component("python-stdnum", "LGPL-2.1-or-later", "证件号码校验"),
    Component("phonenumberslite", "Apache-2.0", "电话号码"),
    Component("platformdirs", "MIT", "数据文件夹位置"),
    Component("keyring", "MIT", "站点密钥（系统凭据管理器）"),
    Component("jaraco.classes", "MIT", "站点密钥（系统凭据管理器）"),
    Component("jaraco.context", "MIT", "站点密钥（系统凭据管理器）"),
    Component("jaraco.functools", "MIT", "站点密钥（系统凭据管理器）"),
    Component("more-itertools", "MIT", "站点密钥（系统凭据管理器）"),
    Component("openpyxl", "MIT", "Excel 导入导出"),
    Component("et-xmlfile", "MIT", "Excel 导入导出"),
    Component("pypinyin", "MIT", "拼音首字母查找"),
    Component("reportlab", "BSD-3-Clause", "PDF 文档"),
    Component("rl-accel", "BSD-3-Clause", "PDF 文档（加速）"),
    Component("pillow", "MIT-CMU", "PDF 文档中的图片"),
    Component("charset-normalizer", "MIT", "PDF 文档"),
    Component("psycopg2-binary", "LGPL-3.0-or-later", "连接 PostgreSQL 服务器"),
    Component("tzdata", "Apache-2.0", "时区（Windows）"),
    Component("文泉驿微米黑 WenQuanYi Micro Hei", "Apache-2.0", "界面和打印字体"),
    Component("花园明朝 Hanazono Mincho A/B（节选）", "LicenseRef-Hanazono", "生僻字（扩展 A、B 及以后）"),
)


@dataclass(frozen=True)
class AboutInfo:
    version: str
    data_folder: str
    database: str  # the SQLite file, or the server address without its password
    logs: str
    components: tuple[Component, ...]


def about(data: DataDir) -> AboutInfo:
    """What 帮助 → 关于 shows for the data folder ``data`` (reads only ``reception.ini``)."""
    server = data.server
    database = display_address(server) if server else str(data.database)
    return AboutInfo(__version__, str(data.root), database, str(data.logs), COMPONENTS)
