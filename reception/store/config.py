"""This PC's own settings, kept in the data folder beside (never inside) the database: which
database to use, this desk's name, its printers and its second backup folder. Everything else is
in the database and shared by all desks.

``reception.ini`` (UTF-8)::

    [数据库]
    地址 = postgresql://reception@192.168.1.10/reception

    [前台]
    名称 = 南门岗

    [备份]
    第二备份文件夹 = E:\\前台备份
    提醒天数 = 3

    [打印]
    访客证打印机 = Brother QL-820NWB
    访客证标签 = 62x100
    访客证方向 =
    报告打印机 = HP LaserJet Pro M404

    [读卡器]
    类型 = serial
    端口 = COM3
    速率 = 115200
    [电话]
    方式 = webhook
    接口 = 127.0.0.1:8765
    令牌 = 3f9a…
    串口 = COM3
    AMI地址 = 192.168.1.5:5038
    AMI用户 = reception
    AMI密码 = …
    分机 = 8001

No address (or no file): the SQLite file in the data folder. A password may be written in the
address, but a ``.pgpass`` file or the ``PGPASSWORD`` variable of the PC keeps it out of this
file; the program never shows or logs it (:func:`reception.store.db.display_address`)."""

from __future__ import annotations

import configparser
import io
from dataclasses import dataclass
from dataclasses import replace
from pathlib import Path
from typing import Any

from reception.errors import ValidationError
from reception.store import desk
from reception.store import files

FILENAME = "reception.ini"
_DB_SECTION, _DB_KEY = "数据库", "地址"
_DESK_SECTION, _DESK_KEY = "前台", "名称"
_PRINT_SECTION = "打印"
_BADGE_PRINTER, _BADGE_SIZE, _BADGE_ORIENTATION, _REPORT_PRINTER = (
    "访客证打印机",
    "访客证标签",
    "访客证方向",
    "报告打印机",
)
ORIENTATIONS = {"": "与标签相同", "portrait": "纵向", "landscape": "横向"}
_BACKUP_SECTION, _SECOND_FOLDER, _SECOND_DAYS = "备份", "第二备份文件夹", "提醒天数"
SECOND_BACKUP_DAYS = 3  # warn when the second copy has not succeeded for longer than this
_READER_SECTION, _READER_KIND, _READER_PORT, _READER_SPEED = "读卡器", "类型", "端口", "速率"
READER_KINDS = ("", "serial", "wedge")  # none, SAM serial protocol, keyboard wedge
READER_SPEEDS = (115200, 57600, 38400, 19200, 9600)
_PHONE_SECTION = "电话"
# [电话] key → LocalConfig field
_PHONE_KEYS = {
    "方式": "phone_adapter",
    "接口": "phone_address",
    "令牌": "phone_token",
    "串口": "phone_serial_port",
    "AMI地址": "ami_address",
    "AMI用户": "ami_user",
    "AMI密码": "ami_secret",
    "分机": "phone_extension",
    "初始化": "phone_serial_init",
    "线路": "phone_lines",
}
_WINDOW_SECTION, _WINDOW_GEOMETRY = "窗口", "位置"  # the main window's place and size (Qt's saveGeometry)
PHONE_ADAPTERS = {
    "": "不接电话",
    "serial": "来电显示盒（串口）",
    "ami": "Asterisk AMI",
    "webhook": "PBX 推送（Webhook）",
}


@dataclass(frozen=True)
class LocalConfig:
    database: str = ""  # '' = the SQLite file in the data folder
    desk: str = ""
    badge_printer: str = ""  # '' = the system's default printer
    badge_size: str = ""  # a key of the badge sizes; '' = the property's setting
    badge_orientation: str = ""  # a key of ORIENTATIONS: how the label stock sits in the printer
    report_printer: str = ""  # '' = the system's default printer
    second_backup_folder: str = ""  # a USB disk or another drive; '' = none
    second_backup_days: int = SECOND_BACKUP_DAYS
    reader_kind: str = ""  # a value of READER_KINDS
    reader_port: str = ""  # COM3, /dev/ttyUSB0
    reader_speed: int = 115200
    phone_adapter: str = ""  # a key of PHONE_ADAPTERS
    phone_address: str = ""  # the webhook endpoint (and `reception phone simulate`); '' = 127.0.0.1:8765
    phone_token: str = ""  # the last part of the webhook URL
    phone_serial_port: str = ""  # COM3, /dev/ttyACM0
    ami_address: str = ""  # host:port of the Asterisk manager
    ami_user: str = ""
    ami_secret: str = ""
    phone_extension: str = ""  # this desk's extension (AMI: rings of other extensions ignored)
    window_geometry: str = ""  # base64 of the main window's saved geometry; '' = first start (maximised)
    phone_serial_init: str = ""  # the caller-ID box's init command; '' = AT+VCID=1 (older modems: AT#CID=1)
    phone_lines: str = ""  # this desk's line(s), comma-separated: rings of other lines pop elsewhere


def path(root: Path) -> Path:
    return root / FILENAME


def load(root: Path) -> LocalConfig:
    """The settings in ``root`` (defaults when the file is missing or unreadable)."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path(root), encoding="utf-8-sig")
    except (OSError, configparser.Error, UnicodeDecodeError):
        return LocalConfig()
    orientation = parser.get(_PRINT_SECTION, _BADGE_ORIENTATION, fallback="").strip()
    kind = parser.get(_READER_SECTION, _READER_KIND, fallback="").strip()
    speed = parser.get(_READER_SECTION, _READER_SPEED, fallback="").strip()
    phone = {
        field: parser.get(_PHONE_SECTION, key, fallback="").strip() for key, field in _PHONE_KEYS.items()
    }
    if phone["phone_adapter"] not in PHONE_ADAPTERS:
        phone["phone_adapter"] = ""
    return LocalConfig(
        **phone,
        database=parser.get(_DB_SECTION, _DB_KEY, fallback="").strip(),
        desk=" ".join(parser.get(_DESK_SECTION, _DESK_KEY, fallback="").split()),
        badge_printer=parser.get(_PRINT_SECTION, _BADGE_PRINTER, fallback="").strip(),
        badge_size=parser.get(_PRINT_SECTION, _BADGE_SIZE, fallback="").strip(),
        badge_orientation=orientation if orientation in ORIENTATIONS else "",
        report_printer=parser.get(_PRINT_SECTION, _REPORT_PRINTER, fallback="").strip(),
        second_backup_folder=parser.get(_BACKUP_SECTION, _SECOND_FOLDER, fallback="").strip(),
        second_backup_days=_days(parser.get(_BACKUP_SECTION, _SECOND_DAYS, fallback="")),
        reader_kind=kind if kind in READER_KINDS else "",
        reader_port=parser.get(_READER_SECTION, _READER_PORT, fallback="").strip(),
        reader_speed=int(speed) if speed.isdigit() and int(speed) in READER_SPEEDS else READER_SPEEDS[0],
        window_geometry=parser.get(_WINDOW_SECTION, _WINDOW_GEOMETRY, fallback="").strip(),
    )


def _days(text: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        return SECOND_BACKUP_DAYS
    return value if 1 <= value <= 365 else SECOND_BACKUP_DAYS


def validate_desk_name(name: str) -> str:
    name = " ".join(name.split())
    if len(name) > desk.MAX_LENGTH:
        raise ValidationError.single("desk", f"前台名称最多 {desk.MAX_LENGTH} 个字")
    if any(not ch.isprintable() for ch in name):
        raise ValidationError.single("desk", "前台名称含有无法显示的字符")
    return name


def save(root: Path, config: LocalConfig) -> None:
    """Write the file whole (temporary file, flush to disk, rename)."""
    parser = configparser.ConfigParser(interpolation=None)
    parser[_DB_SECTION] = {_DB_KEY: config.database}
    parser[_DESK_SECTION] = {_DESK_KEY: config.desk}
    parser[_PRINT_SECTION] = {
        _BADGE_PRINTER: config.badge_printer,
        _BADGE_SIZE: config.badge_size,
        _BADGE_ORIENTATION: config.badge_orientation,
        _REPORT_PRINTER: config.report_printer,
    }
    parser[_BACKUP_SECTION] = {
        _SECOND_FOLDER: config.second_backup_folder,
        _SECOND_DAYS: str(config.second_backup_days),
    }
    parser[_READER_SECTION] = {
        _READER_KIND: config.reader_kind,
        _READER_PORT: config.reader_port,
        _READER_SPEED: str(config.reader_speed),
    }
    parser[_PHONE_SECTION] = {key: getattr(config, field) for key, field in _PHONE_KEYS.items()}
    if config.window_geometry:
        parser[_WINDOW_SECTION] = {_WINDOW_GEOMETRY: config.window_geometry}
    root.mkdir(parents=True, exist_ok=True)
    text = io.StringIO()
    text.write("# 本机设置：数据库地址（留空为数据文件夹中的 SQLite 文件）和本前台的名称。\n")
    parser.write(text)
    files.store_text(path(root), text.getvalue(), encoding="utf-8")


def set_printers(
    root: Path, *, badge_printer: str, badge_size: str, badge_orientation: str, report_printer: str
) -> LocalConfig:
    """Store this PC's printers (names as the system lists them; '' for the default printer), the
    label stock for badges ('' = the property's size) and how it sits in the printer."""
    if badge_orientation not in ORIENTATIONS:
        raise ValidationError.single("badge_orientation", "请选择访客证的方向")
    for field, value in (("badge_printer", badge_printer), ("report_printer", report_printer)):
        if "\n" in value or "\r" in value or len(value) > 200:
            raise ValidationError.single(field, "打印机名称无效")
    config = replace(
        load(root),
        badge_printer=badge_printer.strip(),
        badge_size=badge_size.strip(),
        badge_orientation=badge_orientation,
        report_printer=report_printer.strip(),
    )
    save(root, config)
    return config


def set_second_backup(root: Path, folder: str, days: int) -> LocalConfig:
    """This PC's second backup folder ('' for none) and after how many days without a successful
    copy the window warns. The folder must exist now and not be the data folder's own."""
    folder = folder.strip()
    if folder:
        target = Path(folder)
        if not target.is_absolute():
            raise ValidationError.single("second_backup_folder", "请填写完整的文件夹路径，如 E:\\前台备份")
        if not target.is_dir():
            raise ValidationError.single(
                "second_backup_folder", f"文件夹 {folder} 不存在（U 盘是否已插上？）"
            )
        if target.resolve() in (root.resolve(), (root / "backups").resolve()):
            raise ValidationError.single(
                "second_backup_folder", "第二备份位置不能是数据文件夹本身，请选另一个磁盘"
            )
    if not 1 <= int(days) <= 365:
        raise ValidationError.single("second_backup_days", "提醒天数应在 1 到 365 之间")
    config = replace(load(root), second_backup_folder=folder, second_backup_days=int(days))
    save(root, config)
    return config


def set_reader(root: Path, *, kind: str, port: str, speed: int) -> LocalConfig:
    """Store this PC's card reader: its kind (none, the SAM serial protocol, a keyboard wedge), the
    serial port (COM3, /dev/ttyUSB0) and its speed."""
    if kind not in READER_KINDS:
        raise ValidationError.single("reader_kind", "请选择读卡器类型")
    if any(not ch.isprintable() for ch in port) or len(port) > 200:
        raise ValidationError.single("reader_port", "串口名称无效")
    port = port.strip()
    if kind == "serial" and not port:
        raise ValidationError.single("reader_port", "请填写读卡器的串口，如 COM3")
    if speed not in READER_SPEEDS:
        raise ValidationError.single("reader_speed", "请选择读卡器的速率")
    config = replace(load(root), reader_kind=kind, reader_port=port, reader_speed=speed)
    save(root, config)
    return config


def set_desk_name(root: Path, name: str) -> LocalConfig:
    """Validate and store this PC's desk name, and use it for the records created from now on."""
    name = validate_desk_name(name)
    config = replace(load(root), desk=name)
    save(root, config)
    desk.set_name(name)
    return config


def set_phone(root: Path, **values: str) -> LocalConfig:
    """Store this PC's phone line (the [电话] section): ``phone_adapter``, ``phone_address``, …"""
    for field, value in values.items():
        if field not in _PHONE_KEYS.values():
            raise ValidationError.single(field, "未知的电话设置")
        if "\n" in value or "\r" in value or len(value) > 200:
            raise ValidationError.single(field, "电话设置含有无效字符")
    if values.get("phone_adapter", "") not in PHONE_ADAPTERS:
        raise ValidationError.single("phone_adapter", "请选择电话的接入方式")
    if values.get("phone_address"):
        try:
            parse_address(values["phone_address"])
        except ValueError as exc:
            raise ValidationError.single("phone_address", str(exc)) from None
    cleaned: dict[str, Any] = {k: v.strip() for k, v in values.items()}  # every [电话] field is text
    config = replace(load(root), **cleaned)
    save(root, config)
    return config


DEFAULT_PHONE_ADDRESS = "127.0.0.1:8765"  # the desk phone's webhook interface


def parse_address(text: str, default: str = DEFAULT_PHONE_ADDRESS) -> tuple[str, int]:
    """``'127.0.0.1:8765'`` → ``('127.0.0.1', 8765)``; ValueError (Chinese) when malformed."""
    host, sep, port = (text or default).strip().rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError("电话接口应写成 地址:端口，如 127.0.0.1:8765")
    return host.strip("[]"), int(port)


def set_window_geometry(root: Path, geometry: str) -> LocalConfig:
    """Remember where the main window was (base64 text; '' forgets it: maximised next time)."""
    text = "".join(geometry.split())
    if len(text) > 2000 or any(
        ch not in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=" for ch in text
    ):
        raise ValidationError.single("window_geometry", "窗口位置无效")
    config = replace(load(root), window_geometry=text)
    save(root, config)
    return config
