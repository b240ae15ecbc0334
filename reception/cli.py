"""The ``reception`` command. Everything except the window works without a display.

reception [--data-dir DIR]                      the window
reception residents import FILE --user NAME [--data-dir DIR]
reception demo --data-dir DIR
reception migrate-to postgresql://user@host/dbname [--switch] [--data-dir DIR]
reception report complaints [--month YYYY-MM] --out FILE.pdf [--data-dir DIR]
reception report handover --date YYYY-MM-DD [--shift N] --out FILE.pdf [--data-dir DIR]
reception report daily --date YYYY-MM-DD --out FILE.pdf [--data-dir DIR]
reception phone simulate NUMBER [--answer-after S] [--hangup-after S] [--data-dir DIR]
reception --version | --help

Commands that read or change personal data or the site (residents import, badge, letters export,
visits export, report, backup, restore, audit verify, purge, migrate-to) run as a person: ``--user NAME`` and
the password, asked on the terminal or read from ``RECEPTION_PASSWORD`` (scheduled jobs; the
audit log records which). They run with that operator's role and are audited under that name.
``demo``, ``privacy-notice``, ``--help`` and ``--version`` need none.
"""

from __future__ import annotations

import argparse
import os
import re
import sqlite3
import sys
import unicodedata
from collections.abc import Callable
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from reception import __version__
from reception.errors import ReceptionError
from reception.store.files import check_target
from reception.store.paths import DataDir

WindowLauncher = Callable[[DataDir], int]


def _data_dir_option(parser: argparse.ArgumentParser, *, top: bool) -> None:
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        type=Path,
        default=None if top else argparse.SUPPRESS,
        help="数据文件夹：数据库、设置、备份和日志都放在这里（便携模式）。默认为当前用户的数据文件夹。",
    )
    parser.add_argument(
        "--database",
        metavar="postgresql://用户@服务器/库名",
        default=None if top else argparse.SUPPRESS,
        help="多个前台共用的 PostgreSQL 数据库（也可写在数据文件夹的 reception.ini 中）。"
        "不指定时使用数据文件夹中的 SQLite 文件。",
    )


PASSWORD_VARIABLE = "RECEPTION_PASSWORD"


def _user_option(parser: argparse.ArgumentParser) -> None:
    """Commands that read or change personal data or the site run as a person: ``--user NAME``
    and the password (asked on the terminal, or ``RECEPTION_PASSWORD`` for a scheduled job)."""
    parser.add_argument(
        "--user",
        metavar="登录名",
        required=True,
        help="以该操作员的身份和权限运行（记入审计日志）；密码在终端输入，"
        f"定时任务可用环境变量 {PASSWORD_VARIABLE}",
    )


def _data(args: argparse.Namespace) -> DataDir:
    """The data folder and database the command line names."""
    return DataDir(args.data_dir, server=args.database)


# argparse's own words — the usage line, the section titles, its error messages — in Chinese.
# argparse looks each one up through its module's gettext function when it uses it (Python's
# standard library ships no Chinese catalogue for them); the texts are those of Python 3.11–3.13.
_ARGPARSE_CHINESE = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "one of the arguments %s is required": "必须给出以下参数之一：%s",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多需要一个值",
    "expected at least one argument": "至少需要一个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是 %(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "invalid %(type)s value: %(value)r": "无效的值：%(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "can't open '%(filename)s': %(error)s": "无法打开文件 %(filename)s：%(error)s",
}


def _argparse_in_chinese() -> None:
    setattr(argparse, "_", lambda text: _ARGPARSE_CHINESE.get(text, text))  # noqa: B010


def build_parser() -> argparse.ArgumentParser:
    _argparse_in_chinese()
    parser = argparse.ArgumentParser(
        prog="reception", description="前台接待工作站：来电、来访、来函登记与交接班。不带参数时打开主窗口。"
    )
    parser.add_argument(
        "--version", action="version", version=f"前台接待工作站 {__version__}", help="显示版本号并退出"
    )
    _data_dir_option(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="命令")

    residents = commands.add_parser("residents", help="业户资料")
    _data_dir_option(residents, top=False)
    residents_cmds = residents.add_subparsers(dest="residents_command", metavar="操作", required=True)
    imp = residents_cmds.add_parser("import", help="从 CSV 或 XLSX 导入业户资料（与窗口中的导入相同）")
    imp.add_argument("file", type=Path, help="CSV（UTF-8 或 GBK）或 XLSX 文件")
    _data_dir_option(imp, top=False)
    _user_option(imp)

    badge = commands.add_parser("badge", help="输出某次来访的访客证 PDF（视为补打，记入审计日志）")
    badge.add_argument("serial", help="来访编号 / 访客证号，例如 LF20261126-012")
    badge.add_argument("--out", type=Path, required=True, help="输出的 PDF 文件")
    badge.add_argument(
        "--size", choices=["62x100", "57x102", "a6", "cr80"], default=None, help="标签尺寸（默认取系统设置）"
    )
    _data_dir_option(badge, top=False)
    _user_option(badge)

    letters = commands.add_parser("letters", help="来函登记")
    _data_dir_option(letters, top=False)
    letters_cmds = letters.add_subparsers(dest="letters_command", metavar="操作", required=True)
    export = letters_cmds.add_parser("export", help="把一段日期内的来函导出为 Excel")
    export.add_argument("--from", dest="date_from", type=_day, required=True, help="开始日期 YYYY-MM-DD")
    export.add_argument("--to", dest="date_to", type=_day, required=True, help="结束日期 YYYY-MM-DD（含）")
    export.add_argument("--out", type=Path, required=True, help="输出的 .xlsx 文件")
    export.add_argument(
        "--full",
        metavar="原因",
        default="",
        help="导出完整内容（不遮盖摘要和答复中的证件号码、电话号码），须写明原因，记入审计日志",
    )
    _data_dir_option(export, top=False)
    _user_option(export)

    visits_cmd = commands.add_parser("visits", help="来访登记")
    _data_dir_option(visits_cmd, top=False)
    visits_cmds = visits_cmd.add_subparsers(dest="visits_command", metavar="操作", required=True)
    vexport = visits_cmds.add_parser("export", help="把一段日期内的来访导出为 Excel（号码遮盖）")
    vexport.add_argument("--from", dest="date_from", type=_day, required=True, help="开始日期 YYYY-MM-DD")
    vexport.add_argument("--to", dest="date_to", type=_day, required=True, help="结束日期 YYYY-MM-DD（含）")
    vexport.add_argument("--out", type=Path, required=True, help="输出的 .xlsx 文件")
    vexport.add_argument(
        "--full",
        metavar="原因",
        default=None,
        help="导出完整的电话号码和内容（不遮盖），须写明原因，记入审计日志",
    )
    _data_dir_option(vexport, top=False)
    _user_option(vexport)

    report = commands.add_parser("report", help="输出报表 PDF")
    _data_dir_option(report, top=False)
    report_cmds = report.add_subparsers(dest="report_command", metavar="报表", required=True)
    # Each report kind: a sub-parser here and a function in _REPORTS (below).
    complaints = report_cmds.add_parser("complaints", help="月度投诉分析总结（A4 PDF）")
    complaints.add_argument(
        "--month", metavar="YYYY-MM", type=_month, default=None, help="统计月份，例如 2026-11（默认本月）"
    )
    complaints.add_argument("--out", type=Path, required=True, help="输出的 PDF 文件")
    _data_dir_option(complaints, top=False)
    _user_option(complaints)
    handover = report_cmds.add_parser("handover", help="某一班的交接班报告（A4 PDF）")
    handover.add_argument("--date", type=_day, required=True, help="班次所在日期 YYYY-MM-DD")
    handover.add_argument("--shift", type=int, default=None, metavar="N", help="第几班（默认当天最后一班）")
    handover.add_argument("--out", type=Path, required=True, help="输出的 PDF 文件")
    _data_dir_option(handover, top=False)
    _user_option(handover)
    daily = report_cmds.add_parser("daily", help="某一天的日报（A4 PDF，含与前 7 日的对比）")
    daily.add_argument("--date", type=_day, required=True, help="日期 YYYY-MM-DD")
    daily.add_argument("--out", type=Path, required=True, help="输出的 PDF 文件")
    _data_dir_option(daily, top=False)
    _user_option(daily)

    backup_cmd = commands.add_parser("backup", help="立即备份数据库（在线备份，校验后保存到 backups 文件夹）")
    _data_dir_option(backup_cmd, top=False)
    _user_option(backup_cmd)
    restore_cmd = commands.add_parser(
        "restore", help="从备份文件恢复数据库（先校验备份，并先备份当前数据库）"
    )
    restore_cmd.add_argument("file", type=Path, help="备份文件（.db）")
    _data_dir_option(restore_cmd, top=False)
    _user_option(restore_cmd)
    audit_cmd = commands.add_parser("audit", help="审计日志")
    _data_dir_option(audit_cmd, top=False)
    audit_cmds = audit_cmd.add_subparsers(dest="audit_command", metavar="操作", required=True)
    verify = audit_cmds.add_parser(
        "verify",
        help="用站点密钥逐条检查审计日志，并与报告和备份记下的锚点比对（是否被修改、删除、调换或回退）",
    )
    verify.add_argument(
        "--anchor",
        action="append",
        default=[],
        metavar="锚点",
        help="另外比对的锚点：报告上印的“条数:校验值前16位”（如 1203:3f9a0c1d2e4b5a69）或 .anchor 文件",
    )
    _data_dir_option(verify, top=False)
    _user_option(verify)
    purge = commands.add_parser("purge", help="立即清除超过保存期限的访客证件信息和电话号码")
    _data_dir_option(purge, top=False)
    _user_option(purge)

    notice = commands.add_parser(
        "privacy-notice", help="输出张贴在前台的个人信息告知（A4 PDF，内容取自系统设置）"
    )
    notice.add_argument("--out", type=Path, required=True, help="输出的 PDF 文件")
    _data_dir_option(notice, top=False)

    demo = commands.add_parser("demo", help="在空的数据文件夹中生成演示物业（住户、部门、几周的来电）")
    _data_dir_option(demo, top=False)

    move = commands.add_parser(
        "migrate-to",
        help="把数据文件夹中的 SQLite 数据库迁移到 PostgreSQL 服务器上的空数据库（原文件不改动）",
    )
    move.add_argument(
        "address",
        metavar="postgresql://用户@服务器/库名",
        help="目标数据库的地址（服务器上新建的空数据库）。显示时不含密码。",
    )
    move.add_argument(
        "--switch",
        action="store_true",
        help="迁移成功后把地址写入数据文件夹的 reception.ini，本机的前台程序从下次启动起使用服务器",
    )
    _data_dir_option(move, top=False)
    _user_option(move)
    _phone_parser(commands)
    return parser


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"秒数应为数字：{text}") from None
    if not 0 <= value <= 600:
        raise argparse.ArgumentTypeError(f"秒数应在 0 到 600 之间：{text}")
    return value


def _phone_parser(commands: argparse._SubParsersAction) -> None:
    phone = commands.add_parser("phone", help="电话（来电弹屏）")
    _data_dir_option(phone, top=False)
    phone_cmds = phone.add_subparsers(dest="phone_command", metavar="命令", required=True)
    sim = phone_cmds.add_parser("simulate", help="向正在运行的前台程序发送模拟来电（培训和测试用）")
    sim.add_argument("number", metavar="NUMBER", help="来电号码，如 13800138000；P 为隐藏号码")
    sim.add_argument("--answer-after", metavar="S", type=_seconds, help="几秒后接听")
    sim.add_argument("--hangup-after", metavar="S", type=_seconds, help="几秒后挂断（未接听即为未接来电）")
    _data_dir_option(sim, top=False)


def _phone_simulate(args: argparse.Namespace) -> int:
    from reception.phone.simulate import simulate
    from reception.store import config

    data = _data(args)
    _usable_folder(data)
    local = config.load(data.root)
    simulate(local.phone_address, local.phone_token, args.number, args.answer_after, args.hangup_after)
    return 0


# Dates the reports can work with: a day ± a week must stay a date, in any time zone.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)


def _day(text: str) -> date:
    """YYYY-MM-DD (full-width digits and a 1-digit month or day accepted), a real calendar day
    between 1900 and 2999; anything else is a usage error (exit status 2)."""
    match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*", unicodedata.normalize("NFKC", text))
    if match is None:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD（例如 2026-11-26）：{text}")
    try:
        day = date(*(int(part) for part in match.groups()))
    except ValueError:
        raise argparse.ArgumentTypeError(f"日历上没有这一天（日期格式应为 YYYY-MM-DD）：{text}") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise argparse.ArgumentTypeError(
            f"日期超出范围（{FIRST_DAY:%Y-%m-%d} 至 {LAST_DAY:%Y-%m-%d}）：{text}"
        )
    return day


def _month(text: str) -> tuple[int, int]:
    """YYYY-MM, a month between 1900 and 2999 (a usage error otherwise)."""
    match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", unicodedata.normalize("NFKC", text))
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise argparse.ArgumentTypeError(f"月份格式应为 YYYY-MM（例如 2026-11）：{text}")
    year, month = int(match.group(1)), int(match.group(2))
    if not FIRST_DAY.year <= year <= LAST_DAY.year:
        raise argparse.ArgumentTypeError(f"月份超出范围（{FIRST_DAY.year} 至 {LAST_DAY.year} 年）：{text}")
    return year, month


def _usable_folder(data: DataDir) -> None:
    """Refuse a --data-dir that names a file (nothing is created)."""
    if data.root.exists() and not data.root.is_dir():
        raise ReceptionError(f"{data.root} 是一个文件，不是数据文件夹：--data-dir 应指定文件夹。")


def _existing_site(data: DataDir) -> None:
    """Commands that work on a site's data never create one: a folder without a database (or
    with a 0-byte file, which only a restore can mend) is refused before anything is opened."""
    _usable_folder(data)
    if data.server:
        return
    if not data.database.is_file():
        raise ReceptionError(
            f"这里没有前台数据：{data.root}（没有 {data.database.name}）。"
            "请用 --data-dir 指定前台的数据文件夹。"
        )
    if data.database.stat().st_size == 0:
        raise ReceptionError(
            f"数据库文件 {data.database} 是空的（0 字节），没有可用的数据。"
            "请用 reception restore 从 backups 文件夹中的备份恢复。"
        )


def _password(user: str) -> tuple[str, str]:
    """The password and where it came from (recorded in the audit log)."""
    from_env = os.environ.get(PASSWORD_VARIABLE)
    if from_env is not None:
        return from_env, "环境变量"
    if sys.stdin is not None and sys.stdin.isatty():
        import getpass

        return getpass.getpass(f"{user} 的密码："), "终端"
    raise ReceptionError(
        f"需要 {user} 的密码：请在终端中运行以便输入密码，定时任务请设置环境变量 {PASSWORD_VARIABLE}。"
    )


def _open_site(data: DataDir) -> None:
    from reception.services import auth
    from reception.store.startup import open_data_dir

    _existing_site(data)
    open_data_dir(data)
    if not auth.is_set_up():
        raise ReceptionError("该数据文件夹尚未完成初始设置：请先启动程序完成设置，或运行 reception demo。")


def _cli_session(data: DataDir, args: argparse.Namespace, role: str, what: str):
    """Open the site and log in as ``--user``: the command then runs with that operator's role
    and is audited under that name (``role``: the least role the command needs)."""
    _open_site(data)
    return _login(args, role, what)


def _login(args: argparse.Namespace, role: str, what: str):
    from reception.services import auth
    from reception.services.session import Role

    password, source = _password(args.user)
    session = auth.login(args.user, password)
    session.require(Role(role), what)
    args.password_source = source
    return session


def _audit_command(session, args: argparse.Namespace, command: str, **detail: object) -> None:
    """The command line's own audit entry: who ran which command, how the password was given."""
    from reception.store import audit
    from reception.store import db

    with db.write():
        audit.record(
            session.now(),
            session.operator,
            "cli.command",
            "",
            None,
            command=command,
            password_from=getattr(args, "password_source", ""),
            **detail,
        )


def _import(args: argparse.Namespace) -> int:
    from reception.services.residents_import import import_file

    session = _cli_session(_data(args), args, "supervisor", "导入业户资料")
    report = import_file(session, args.file)
    if not (report.imported or report.updated or report.unchanged or report.rejected):
        raise ReceptionError(f"{args.file.name} 中没有业户数据：只有表头，没有数据行。")
    print(f"文件编码：{report.encoding}")
    print(report.summary())
    for item in report.rejected:
        print(f"  第 {item.row} 行{item.reason}")
    if report.imported or report.updated or report.unchanged:
        _audit_command(
            session,
            args,
            "residents import",
            file=args.file.name,
            imported=report.imported,
            updated=report.updated,
            rejected=len(report.rejected),
        )
        return 0
    return _refused(f"{args.file.name} 中的 {len(report.rejected)} 行全部被拒绝，没有导入任何业户。")


def _badge(args: argparse.Namespace) -> int:
    from reception.documents.visit_badge import write_for_serial

    session = _cli_session(_data(args), args, "receptionist", "补打访客证")
    path = write_for_serial(session, args.serial, args.out, args.size)
    _audit_command(session, args, "badge", serial=args.serial)
    print(f"已输出访客证：{path}")
    return 0


def _letters_export(args: argparse.Namespace) -> int:
    from reception.services.letters import LetterFilter
    from reception.services.letters import export_xlsx

    if args.date_to < args.date_from:
        raise ReceptionError("结束日期不能早于开始日期。")
    session = _cli_session(_data(args), args, "supervisor", "导出来函")
    check_target(args.out)
    count = export_xlsx(
        session, LetterFilter(date_from=args.date_from, date_to=args.date_to), args.out, full_reason=args.full
    )
    _audit_command(
        session,
        args,
        "letters export",
        date_from=args.date_from.isoformat(),
        date_to=args.date_to.isoformat(),
        rows=count,
        file=args.out.name,
    )
    print(f"已导出 {count} 份来函到 {args.out}")
    return 0


def _visits_export(args: argparse.Namespace) -> int:
    from reception.services.visits import VisitFilter
    from reception.services.visits import export_xlsx

    if args.date_to < args.date_from:
        raise ReceptionError("结束日期不能早于开始日期。")
    session = _cli_session(_data(args), args, "supervisor", "导出来访")
    check_target(args.out)
    full = args.full is not None
    count = export_xlsx(
        session,
        VisitFilter(date_from=args.date_from, date_to=args.date_to),
        args.out,
        full=full,
        full_reason=args.full or "",
    )
    _audit_command(
        session,
        args,
        "visits export",
        date_from=args.date_from.isoformat(),
        date_to=args.date_to.isoformat(),
        rows=count,
        file=args.out.name,
    )
    print(f"已导出 {count} 条来访到 {args.out}" + ("（完整号码）" if full else "（号码已遮盖）"))
    return 0


def _write_pdf(path: Path, pdf: bytes) -> None:
    from reception.store.files import write_bytes

    write_bytes(path, pdf)


def _report_complaints(args: argparse.Namespace) -> int:
    from reception.clock import Clock
    from reception.documents.complaints_report import complaints_report_for_month

    clock = Clock()
    today = clock.today()
    year, month = args.month if args.month is not None else (today.year, today.month)
    session = _cli_session(_data(args), args, "supervisor", "输出投诉分析总结")
    check_target(args.out)
    _write_pdf(args.out, complaints_report_for_month(year, month, clock.now()))
    _audit_command(session, args, "report complaints", month=f"{year}-{month:02d}", file=args.out.name)
    print(f"已输出投诉分析总结（{year}年{month}月）：{args.out}")
    return 0


def _report_handover(args: argparse.Namespace) -> int:
    from reception.clock import Clock
    from reception.documents import handover_report
    from reception.errors import NotFound
    from reception.services import shifts

    session = _cli_session(_data(args), args, "receptionist", "输出交接班报告")
    check_target(args.out)
    try:
        shift = shifts.find(args.date, args.shift)
    except NotFound as exc:
        raise ReceptionError(
            f"{exc.message}无法输出交接班报告；当天的情况可用 reception report daily 输出日报。"
        ) from None
    _write_pdf(args.out, handover_report.handover_pdf_for_shift(shift.id, Clock().now()))
    _audit_command(
        session, args, "report handover", date=args.date.isoformat(), shift=shift.number, file=args.out.name
    )
    print(f"已输出交接班报告（{args.date:%Y-%m-%d} 第 {shift.number} 班）：{args.out}")
    return 0


def _report_daily(args: argparse.Namespace) -> int:
    from reception.clock import Clock
    from reception.documents import handover_report

    session = _cli_session(_data(args), args, "receptionist", "输出日报")
    check_target(args.out)
    _write_pdf(args.out, handover_report.daily_pdf(args.date, Clock().now()))
    _audit_command(session, args, "report daily", date=args.date.isoformat(), file=args.out.name)
    print(f"已输出日报（{args.date:%Y-%m-%d}）：{args.out}")
    return 0


_REPORTS: dict[str, Callable[[argparse.Namespace], int]] = {
    "complaints": _report_complaints,
    "handover": _report_handover,
    "daily": _report_daily,
}


def _backup(args: argparse.Namespace) -> int:
    from reception.clock import Clock
    from reception.services import maintenance

    data = _data(args)
    session = _cli_session(data, args, "receptionist", "备份")
    path = maintenance.backup_now(session, data, Clock().now())
    _audit_command(session, args, "backup")
    print(f"已备份到 {path}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from reception.clock import Clock
    from reception.services import maintenance
    from reception.store.backup import check_restorable
    from reception.store.migrations import LATEST
    from reception.store.startup import open_data_dir

    data = _data(args)
    _usable_folder(data)
    check_restorable(args.file, LATEST)  # refuse a bad file before touching anything
    try:
        open_data_dir(data)
        opened = True
    except ReceptionError as exc:
        print(f"当前数据库无法打开（{exc.message}），将把它另存后恢复。", file=sys.stderr)
        opened = False
    if opened and data.database.is_file():
        session = _login(args, "admin", "恢复备份")  # the site is open already
        safety = maintenance.restore(session, data, args.file, Clock().now())
    else:
        # No usable database to log in to: the backup's own administrators vouch for the user.
        password, args.password_source = _password(args.user)
        safety = maintenance.restore_with_backup_login(data, args.file, Clock().now(), args.user, password)
    from reception.store import audit
    from reception.store import db

    with db.write():
        audit.record(
            Clock().now(),
            None,
            "cli.command",
            "",
            None,
            command="restore",
            user=args.user,
            password_from=getattr(args, "password_source", ""),
            file=args.file.name,
        )
    print(
        f"已从 {args.file.name} 恢复数据库。" + (f"恢复前的数据库已备份为 {safety.name}。" if safety else "")
    )
    return 0


def _audit_verify(args: argparse.Namespace) -> int:
    from reception.store import audit
    from reception.store.models import AuditLog

    _open_site(_data(args))
    if not AuditLog.table_exists():
        raise ReceptionError(
            "审计日志不存在：数据库中没有审计日志表（可能被删除），无法校验。请从备份恢复并告知管理员。"
        )
    typed: list[audit.Anchor] = []
    files: list[Path] = []
    for text in args.anchor:
        if Path(text).is_file():
            files.append(Path(text))
            continue
        try:
            typed.append(audit.parse_anchor(text))
        except ValueError as exc:
            raise ReceptionError(str(exc)) from None
    # Checked before the person's login is recorded: that entry would otherwise be the newest one
    # compared with the anchors. Nothing is shown until the login succeeds.
    result = audit.verify(audit.known_anchors(extra=files) + typed)
    session = _login(args, "supervisor", "校验审计日志")
    start = ""
    if result.keyed_from and result.keyed_from > 1:
        start = f"密钥链自第 {result.keyed_from:,} 条起（之前的 {result.keyed_from - 1:,} 条按旧方式校验）"
    elif result.keyed_from:
        start = "全部记录都在密钥链中"
    summary = "，".join(
        x for x in (f"共 {result.entries:,} 条", start, f"比对锚点 {result.anchors_checked} 个") if x
    )
    if result.intact:
        _audit_command(session, args, "audit verify")
        print(f"审计日志完整：没有发现修改、删除、调换顺序或回退（{summary}）。")
        return 0
    print(f"审计日志发现 {len(result.problems)} 处问题（{summary}）：")
    for line in result.problems[:50]:
        print(f"  {line}")
    if len(result.problems) > 50:
        print(f"  ……另有 {len(result.problems) - 50} 处")
    return _refused(f"审计日志有 {len(result.problems)} 处问题，见上。")


def _purge(args: argparse.Namespace) -> int:
    from reception.services import retention

    session = _cli_session(_data(args), args, "admin", "清除过期个人信息")
    result = retention.purge_now(session)
    _audit_command(session, args, "purge")
    print(
        f"已清除 {result.cutoff:%Y-%m-%d} 之前的个人信息：访客 {result.visits} 条，来电 {result.calls} 条，"
        f"留言 {result.messages} 条，回电 {result.callbacks} 条，预约 {result.appointments} 条。"
    )
    return 0


def _privacy_notice(args: argparse.Namespace) -> int:
    from reception.documents.privacy_notice import render_privacy_notice

    _open_site(_data(args))  # the notice holds the settings' text only: no login
    check_target(args.out)
    _write_pdf(args.out, render_privacy_notice())
    print(f"已输出个人信息告知：{args.out}")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from reception.demo import create_demo

    if args.data_dir is None:
        print("错误：请用 --data-dir 指定一个空文件夹来存放演示数据。", file=sys.stderr)
        return 2
    data = _data(args)
    _usable_folder(data)
    summary = create_demo(data)
    print(summary)
    return 0


def _migrate_to(args: argparse.Namespace) -> int:
    from reception.store import config
    from reception.store import migrate_to
    from reception.store.db import display_address
    from reception.store.db import is_server_address

    if args.database:
        raise ReceptionError("migrate-to 的目标地址直接写在命令中，不需要 --database。")
    if not is_server_address(args.address):
        print(
            f"错误：目标应为 PostgreSQL 数据库地址，例如 postgresql://reception@192.168.1.10/reception："
            f"{display_address(args.address)}",
            file=sys.stderr,
        )
        return 2
    data = DataDir(args.data_dir)
    _existing_site(data)
    source = migrate_to.source_in(data.root)
    session = _cli_session(data, args, "admin", "迁移到数据库服务器")
    _audit_command(session, args, "migrate-to", address=display_address(args.address))
    from reception.store.db import close_database

    close_database()
    result = migrate_to.migrate_to(source, args.address, progress=print)
    print(f"迁移完成：共 {result.rows} 条记录，用时 {result.seconds:.1f} 秒。各表记录数（SQLite → 服务器）：")
    for table in result.tables:
        print(f"  {table.label}（{table.table}）：{table.source} → {table.server}")
    if result.audit_problems:
        count = len(result.audit_problems)
        print(f"注意：审计日志在原 SQLite 数据库中已有 {count} 处问题，已原样迁移（未改动，便于追查）：")
        for line in result.audit_problems:
            print(f"  {line}")
    else:
        print(f"审计日志校验链完整（{result.audit_entries} 条）。")
    files = migrate_to.attachment_files(data.attachments)
    print(f"附件文件（{files} 个）仍保存在本数据文件夹的 attachments 文件夹中，没有复制到服务器。")
    print(f"原 SQLite 文件 {source} 没有改动，可留作迁移前的存档。")
    ini = config.path(data.root)
    if args.switch:
        migrate_to.switch_to_server(data.root, args.address)
        print(f"已把数据库地址写入 {ini}：本机的前台程序下次启动时使用服务器 {result.address}。")
    else:
        print(f"下一步：在 {ini} 中写入下面两行（或迁移时加 --switch 由程序写入），再启动程序：")
        print(f"  [数据库]\n  地址 = {result.address}")
        if display_address(args.address) != args.address:
            print("  （地址中的密码没有显示：请补上，或把密码放在本机的 .pgpass 文件中。）")
    print("服务器上数据库的备份由服务器负责（例如定时运行 pg_dump）；本程序的自动备份只针对 SQLite 文件。")
    return 0


def _take_recovery_key() -> bool:
    """The open site is keyed but this PC lacks its key: read the recovery key (from the
    environment variable RECEPTION_RECOVERY_KEY for scheduled jobs, else asked on a terminal)
    and keep it. False when there is nobody to ask."""
    import getpass

    from reception.store import sitekey

    text = os.environ.get("RECEPTION_RECOVERY_KEY", "")
    if not text:
        if not sys.stdin.isatty():
            return False
        print("本机没有此站点的密钥（数据可能是从别的电脑恢复或迁移来的）。", file=sys.stderr)
        text = getpass.getpass("请输入设置时打印的恢复密钥：")
    try:
        sitekey.install_recovery_key(text)
    except ValueError as exc:
        raise ReceptionError(str(exc)) from None
    print("恢复密钥正确，已保存到本机。", file=sys.stderr)
    return True


class _RetryWithKey(Exception):
    """The recovery key was taken: run the command again."""


def main(argv: Sequence[str] | None = None, open_window: WindowLauncher | None = None) -> int:
    """``open_window`` is supplied by the Qt launcher; the core never imports the UI."""
    try:
        return _main(argv, open_window)
    except _RetryWithKey:
        return _main(argv, open_window)


def _main(argv: Sequence[str] | None, open_window: WindowLauncher | None) -> int:
    from reception.store.sitekey import SiteKeyMissing

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            if open_window is None:
                parser.error("此环境没有图形界面，只能使用命令。")
            return open_window(_data(args))
        if args.command == "residents":
            return _import(args)
        if args.command == "badge":
            return _badge(args)
        if args.command == "letters":
            return _letters_export(args)
        if args.command == "visits":
            return _visits_export(args)
        if args.command == "backup":
            return _backup(args)
        if args.command == "restore":
            return _restore(args)
        if args.command == "audit":
            return _audit_verify(args)
        if args.command == "purge":
            return _purge(args)
        if args.command == "privacy-notice":
            return _privacy_notice(args)
        if args.command == "demo":
            return _demo(args)
        if args.command == "migrate-to":
            return _migrate_to(args)
        if args.command == "report":
            return _REPORTS[args.report_command](args)
        if args.command == "phone":
            return _phone_simulate(args)
    except SiteKeyMissing as exc:  # asked while the database is still open, then run again
        try:
            taken = _take_recovery_key()
        except ReceptionError as refused:
            return _refused(refused.message)
        if not taken:
            return _refused(exc.message + "（无人值守时可设置环境变量 RECEPTION_RECOVERY_KEY）")
        raise _RetryWithKey() from None
    except ReceptionError as exc:
        return _refused(exc.message)
    except KeyboardInterrupt:
        return _refused("已中断。")
    except OSError as exc:
        from reception.store.files import reason

        where = f" {exc.filename}" if exc.filename else ""
        return _refused(f"文件操作失败{where}：{reason(exc)}。")
    except Exception as exc:
        import peewee

        if isinstance(exc, peewee.PeeweeException | sqlite3.Error):
            from reception.store.db import translate_error

            return _refused(translate_error(exc).message)
        # A fault of the program, not of the input: one line here, the details only on request.
        if os.environ.get("RECEPTION_DEBUG"):
            raise
        return _refused(
            f"程序内部错误（{type(exc).__name__}），命令未完成。请把这一行告诉管理员；"
            "设置环境变量 RECEPTION_DEBUG=1 再运行可看到详细信息。"
        )
    finally:
        from reception.store.db import close_database

        close_database()
    parser.error("未知命令")
    return 2


def _refused(message: str) -> int:
    print(f"错误：{message}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    from reception.store.paths import private_umask

    private_umask()  # files only the desk account can read (before anything is written)
    raise SystemExit(main())
