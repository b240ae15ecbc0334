"""The ``reception`` command. Everything except the window works without a display.

reception [--data-dir DIR]                      the window
reception residents import FILE [--data-dir DIR]
reception demo --data-dir DIR
reception --version | --help
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from reception import __version__
from reception.errors import ReceptionError
from reception.paths import DataDir

WindowLauncher = Callable[[Path | None], int]


def _data_dir_option(parser: argparse.ArgumentParser, *, top: bool) -> None:
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        type=Path,
        default=None if top else argparse.SUPPRESS,
        help="数据文件夹：数据库、设置、备份和日志都放在这里（便携模式）。默认为当前用户的数据文件夹。",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reception", description="前台接待工作站：来电、来访、来函登记与交接班。不带参数时打开主窗口。"
    )
    parser.add_argument("--version", action="version", version=f"前台接待工作站 {__version__}")
    _data_dir_option(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="命令")

    residents = commands.add_parser("residents", help="业户资料")
    _data_dir_option(residents, top=False)
    residents_cmds = residents.add_subparsers(dest="residents_command", metavar="操作", required=True)
    imp = residents_cmds.add_parser("import", help="从 CSV 或 XLSX 导入业户资料（与窗口中的导入相同）")
    imp.add_argument("file", type=Path, help="CSV（UTF-8 或 GBK）或 XLSX 文件")
    _data_dir_option(imp, top=False)

    badge = commands.add_parser("badge", help="输出某次来访的访客证 PDF（视为补打，记入审计日志）")
    badge.add_argument("serial", help="来访编号 / 访客证号，例如 LF20261126-012")
    badge.add_argument("--out", type=Path, required=True, help="输出的 PDF 文件")
    badge.add_argument(
        "--size", choices=["62x100", "57x102", "a6", "cr80"], default=None, help="标签尺寸（默认取系统设置）"
    )
    _data_dir_option(badge, top=False)

    letters = commands.add_parser("letters", help="来函登记")
    _data_dir_option(letters, top=False)
    letters_cmds = letters.add_subparsers(dest="letters_command", metavar="操作", required=True)
    export = letters_cmds.add_parser("export", help="把一段日期内的来函导出为 Excel")
    export.add_argument("--from", dest="date_from", type=_day, required=True, help="开始日期 YYYY-MM-DD")
    export.add_argument("--to", dest="date_to", type=_day, required=True, help="结束日期 YYYY-MM-DD（含）")
    export.add_argument("--out", type=Path, required=True, help="输出的 .xlsx 文件")
    _data_dir_option(export, top=False)

    demo = commands.add_parser("demo", help="在空的数据文件夹中生成演示物业（住户、部门、几周的来电）")
    _data_dir_option(demo, top=False)
    return parser


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text}") from None


def _cli_session(data: DataDir):
    from reception import auth
    from reception.models import Operator
    from reception.session import Role, Session
    from reception.startup import open_data_dir

    open_data_dir(data)
    if not auth.is_set_up():
        raise ReceptionError("该数据文件夹尚未完成初始设置：请先启动程序完成设置，或运行 reception demo。")
    admin = (
        Operator.select()
        .where((Operator.role == Role.ADMIN) & (Operator.active == True))  # noqa: E712
        .order_by(Operator.id)
        .first()
    )
    return Session(admin)


def _import(args: argparse.Namespace) -> int:
    from reception.residents_import import import_file

    session = _cli_session(DataDir(args.data_dir))
    report = import_file(session, args.file)
    print(f"文件编码：{report.encoding}")
    print(report.summary())
    for item in report.rejected:
        print(f"  第 {item.row} 行：{item.reason}")
    return 0


def _badge(args: argparse.Namespace) -> int:
    from reception.visit_badges import write_for_serial

    session = _cli_session(DataDir(args.data_dir))
    path = write_for_serial(session, args.serial, args.out, args.size)
    print(f"已输出访客证：{path}")
    return 0


def _letters_export(args: argparse.Namespace) -> int:
    from reception.letters import LetterFilter, export_xlsx

    _cli_session(DataDir(args.data_dir))
    if args.date_to < args.date_from:
        raise ReceptionError("结束日期不能早于开始日期。")
    count = export_xlsx(LetterFilter(date_from=args.date_from, date_to=args.date_to), args.out)
    print(f"已导出 {count} 份来函到 {args.out}")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from reception.demo import create_demo

    if args.data_dir is None:
        print("请用 --data-dir 指定一个空文件夹来存放演示数据。", file=sys.stderr)
        return 2
    summary = create_demo(DataDir(args.data_dir))
    print(summary)
    return 0


def main(argv: Sequence[str] | None = None, open_window: WindowLauncher | None = None) -> int:
    """``open_window`` is supplied by the Qt launcher; the core never imports the UI."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            if open_window is None:
                parser.error("此环境没有图形界面，只能使用命令。")
            return open_window(args.data_dir)
        if args.command == "residents":
            return _import(args)
        if args.command == "badge":
            return _badge(args)
        if args.command == "letters":
            return _letters_export(args)
        if args.command == "demo":
            return _demo(args)
    except ReceptionError as exc:
        print(f"错误：{exc.message}", file=sys.stderr)
        return 1
    finally:
        from reception.db import close_database

        close_database()
    parser.error("未知命令")
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
