"""The residents directory: tidy input, lookups as people type, imports from Excel exports."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import pytest

from reception.errors import ValidationError
from reception.services import residents
from reception.services.residents import ResidentInput
from reception.services.residents_import import ImportFileError
from reception.services.residents_import import import_file
from reception.store import audit
from reception.store.models import AuditLog
from reception.store.models import Resident
from tests.conftest import cli_location

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "residents-sample.csv"
HEADER = ["楼栋", "单元", "房号", "姓名", "身份", "手机", "备用电话", "备注"]


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8-sig") -> Path:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([HEADER, *rows])
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


@pytest.fixture
def people(admin):
    for row in [
        ("3栋", "2单元", "1201", "张三", "业主", "13800138000", ""),
        ("3栋", "1单元", "1201", "李四", "租户", "+86 139-1234-5678", "021-50001111"),
        ("12栋", "2单元", "502", "曾晓明", "业主", "13700009999", ""),
    ]:
        residents.add_resident(admin, ResidentInput(*row))


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("3-2-1201", ["张三"]),
        ("3栋2单元1201", ["张三"]),
        ("3号楼2单元1201室", ["张三"]),
        ("3栋1201", ["李四", "张三"]),
        ("３－２－１２０１", ["张三"]),
        ("1201", ["李四", "张三"]),
        ("8000", ["张三"]),
        ("13800138000", ["张三"]),
        ("138 0013 8000", ["张三"]),
        ("+8613912345678", ["李四"]),
        ("1111", ["李四"]),
        ("张", ["张三"]),
        ("晓明", ["曾晓明"]),
        ("zs", ["张三"]),
        ("ZXM", ["曾晓明"]),
        ("", []),
        ("王五", []),
    ],
)
def test_lookup_finds_by_room_phone_name_and_initials(people, query, names):
    assert sorted(r.name for r in residents.lookup(query)) == sorted(names)


def test_input_is_tidied_and_phones_normalised(admin):
    r = residents.add_resident(
        admin,
        ResidentInput(
            "\u200b３栋 ", "２单元", "１２０１室", " 王\u3000五 ", "业主", "１３８－００１３－８０００"
        ),
    )
    assert (r.building, r.unit, r.room, r.name, r.phone) == ("3", "2", "1201", "王 五", "13800138000")
    assert residents.room_label(r.building, r.unit, r.room) == "3栋2单元1201"


def test_bad_fields_are_reported_per_field(admin):
    with pytest.raises(ValidationError) as err:
        residents.add_resident(admin, ResidentInput("", "1", "101", "张\n三", phone="123"))
    assert set(err.value.fields) == {"building", "name", "phone"}
    assert Resident.select().count() == 0


def test_same_room_same_name_is_refused(people, admin):
    with pytest.raises(ValidationError, match="同名"):
        residents.add_resident(admin, ResidentInput("3", "2", "1201", "张三"))


def test_deactivated_residents_leave_lookups_but_stay_in_the_directory(people, admin):
    zhang = residents.lookup("zs")[0]
    residents.update_resident(
        admin, zhang.id, ResidentInput("3", "2", "1201", "张三", "业主", "13800138000"), active=False
    )
    assert residents.lookup("zs") == []
    assert [r.name for r in residents.lookup("zs", include_inactive=True)] == ["张三"]
    assert audit.history("resident", zhang.id)[-1].action == "resident.update"


def test_import_of_the_sample_file_then_again_changes_nothing(admin):
    report = import_file(admin, SAMPLE)
    assert (report.imported, report.updated, len(report.rejected)) == (300, 0, 0)
    assert report.encoding == "UTF-8 (BOM)"
    again = import_file(admin, SAMPLE)
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 300)
    assert Resident.select().count() == 300


def test_gbk_file_with_broken_rows(admin, tmp_path):
    rows = [
        ["1栋", "1单元", "101", "赵一", "业主", "13800000001", "", ""],
        ["1栋", "1单元", "102", "钱二", "业主", "12345", "", ""],  # bad phone
        ["", "1单元", "103", "孙三", "业主", "", "", ""],  # no building
        ["1栋", "1单元", "104", "", "业主", "", "", ""],  # no name
        ["", "", "", "", "", "", "", ""],  # empty row: skipped, not an error
        ["1栋", "1单元", "101", "赵一", "业主", "13800000001", "", ""],  # repeats row 2
        ["1栋", "1单元", "105", "Robert'); DROP TABLE resident;--", "租户", "021-50000000", "", "=1+1"],
        ["１栋", "１单元", "１０６", " 周 六 ", "业主", "＋86 139 0000 0006", "", "\u3000"],
    ]
    report = import_file(admin, write_csv(tmp_path / "gbk.csv", rows, "gbk"))
    assert report.encoding == "GBK"
    assert report.imported == 3
    assert [r.row for r in report.rejected] == [3, 4, 5, 7]
    assert "电话" in report.rejected[0].reason and "第 2 行重复" in report.rejected[3].reason
    bobby = Resident.get(Resident.room == "105")
    assert bobby.name == "Robert'); DROP TABLE resident;--" and bobby.note == "=1+1"
    six = Resident.get(Resident.room == "106")
    assert (six.building, six.unit, six.name, six.phone, six.note) == ("1", "1", "周 六", "13900000006", "")


def test_changed_rows_update_instead_of_duplicating(admin, tmp_path):
    import_file(
        admin, write_csv(tmp_path / "a.csv", [["2栋", "1单元", "301", "吴七", "业主", "13800000007", "", ""]])
    )
    report = import_file(
        admin,
        write_csv(
            tmp_path / "b.csv",
            [["2栋", "1单元", "301", "吴七", "业主", "13800000008", "", "新号码"]],
            "utf-8",
        ),
    )
    assert (report.imported, report.updated, report.encoding) == (0, 1, "UTF-8")
    assert Resident.get(Resident.name == "吴七").phone == "13800000008"


def test_xlsx_import(admin, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(["5栋", "2单元", 1203, "郑八", "业主", 13800000009, None, None])
    sheet.append(["5栋", "2单元", 1204.0, "王九", "租户", "abc", None, None])
    book.save(tmp_path / "r.xlsx")
    report = import_file(admin, tmp_path / "r.xlsx")
    assert (report.imported, [r.row for r in report.rejected], report.encoding) == (1, [3], "XLSX")
    assert Resident.get(Resident.name == "郑八").room == "1203"


def test_a_file_without_the_expected_header_is_refused_whole(admin, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="表头缺少列"):
        import_file(admin, path)
    assert Resident.select().count() == 0


def test_cli_import_of_1200_gbk_rows_with_broken_ones(admin, tmp_path, capsys):
    from reception import cli

    rng = random.Random(7)
    rows, bad = [], set()
    for i in range(1200):
        row = [
            f"{i % 20 + 1}栋",
            f"{i % 3 + 1}单元",
            f"{i // 60 + 1}{i % 4 + 1:02d}",
            f"住户{i:04d}",
            "业主",
            f"139{i:08d}",
            "",
            "",
        ]
        if rng.random() < 0.05:
            row[5] = "139-ABC"
            bad.add(i + 2)
        rows.append(row)
    path = write_csv(tmp_path / "big-gbk.csv", rows, "gbk")
    where = cli_location()
    assert cli.main(["residents", "import", "--user", "admin", str(path), *where]) == 0
    out = capsys.readouterr().out
    assert f"导入 {1200 - len(bad)} 条" in out and f"拒绝 {len(bad)} 条" in out and "GBK" in out
    assert all(f"第 {n} 行" in out for n in bad)
    assert cli.main(["residents", "import", "--user", "admin", str(path), *where]) == 0
    assert f"导入 0 条，更新 0 条，未变 {1200 - len(bad)} 条" in capsys.readouterr().out


def test_note_with_control_characters_keeps_the_resident_and_is_reported(admin, tmp_path):
    rows = [
        ["6栋", "1单元", "101", "冯一", "业主", "13800000011", "", "门铃\x07坏了\x00"],
        ["6栋", "1单元", "102", "陈二", "业主", "13800000012", "", "第一行\n第二行\t备用钥匙在物业"],
        ["6栋", "1单元", "103", "褚三", "业主", "13800000013", "", "一切正常"],
    ]
    report = import_file(admin, write_csv(tmp_path / "notes.csv", rows))
    assert (report.imported, report.rejected) == (3, [])
    assert Resident.get(Resident.name == "冯一").note == "门铃坏了"
    assert Resident.get(Resident.name == "陈二").note == "第一行 第二行 备用钥匙在物业"
    assert [(c.row, c.column, c.removed) for c in report.cleaned] == [(2, "备注", 2), (3, "备注", 2)]
    summary = report.summary()
    assert "拒绝 0 条" in summary and "已清理 2 处" in summary and "第 2、3 行「备注」列" in summary
    # importing it again changes nothing (the cleaned note is what is stored)
    again = import_file(admin, write_csv(tmp_path / "notes.csv", rows))
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 3)


def test_every_rejected_value_names_its_column_as_written_in_the_file(admin, tmp_path):
    path = tmp_path / "cols.csv"
    path.write_text(
        "楼号,单元,房间号,住户姓名,关系,联系电话,其他电话,备注\n"
        "7栋,1单元,101,蒋一,业主,12345,,\n"
        "7栋,1单元,102,沈二,业主,13800000022,abc,\n"
        ",1单元,103,韩三,业主,13800000023,,\n"
        "7栋,1单元,104,杨四😀,业主,13800000024,,\n",
        encoding="utf-8",
    )
    report = import_file(admin, path)
    reasons = {r.row: r.reason for r in report.rejected}
    assert reasons[2].startswith("「联系电话」列：") and "电话" in reasons[2]
    assert reasons[3].startswith("「其他电话」列：")
    assert reasons[4].startswith("「楼号」列：")
    assert reasons[5].startswith("「住户姓名」列：") and "表情" in reasons[5]
    assert report.imported == 0


@pytest.mark.parametrize("body", ["", "\r\n", ",,,,,,,\r\n,,,,,,,\r\n"])
def test_a_file_with_only_its_header_says_there_were_no_rows(admin, tmp_path, body):
    path = tmp_path / "header-only.csv"
    path.write_bytes(("\ufeff" + ",".join(HEADER) + "\r\n" + body).encode("utf-8"))
    with pytest.raises(ImportFileError, match="只有表头"):
        import_file(admin, path)
    assert Resident.select().count() == 0
    assert AuditLog.select().where(AuditLog.action == "resident.import").count() == 0


def test_cli_import_of_a_header_only_file_exits_1_with_one_line(admin, tmp_path, capsys):
    from reception import cli

    path = tmp_path / "header-only.csv"
    path.write_text(",".join(HEADER) + "\n", encoding="utf-8")
    assert cli.main(["residents", "import", "--user", "admin", str(path), *cli_location()]) == 1
    captured = capsys.readouterr()
    assert "只有表头" in captured.err + captured.out and "Traceback" not in captured.err


def test_utf16_unicode_text_from_excel_is_accepted(admin, tmp_path):
    """Excel's 'Unicode text' (*.txt): UTF-16 LE with a BOM, tab-separated, CRLF."""
    lines = [HEADER, ["8栋", "2单元", "1501", "𠮷田花子", "租户", "13800000031", "", "日本籍·长租"]]
    text = "\r\n".join("\t".join(row) for row in lines) + "\r\n"
    path = tmp_path / "业户.txt"
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    report = import_file(admin, path)
    assert (report.imported, report.rejected, report.encoding) == (1, [], "UTF-16")
    r = Resident.get(Resident.room == "1501")
    assert (r.building, r.unit, r.name, r.note) == ("8", "2", "𠮷田花子", "日本籍·长租")
    # big-endian with a BOM too
    path.write_bytes(b"\xfe\xff" + text.encode("utf-16-be"))
    assert import_file(admin, path).unchanged == 1


def test_importing_residents_needs_a_supervisor(receptionist, supervisor):
    from reception.errors import PermissionDenied

    with pytest.raises(PermissionDenied, match="需要主管权限"):
        import_file(receptionist, SAMPLE)
    assert Resident.select().count() == 0
    denied = AuditLog.select().where(AuditLog.action == "permission.denied").get()
    assert denied.operator_id == receptionist.operator.id
    assert import_file(supervisor, SAMPLE).imported > 0


def test_a_resident_edit_is_audited_with_before_and_after_masked(admin, receptionist):
    import json

    r = residents.add_resident(admin, ResidentInput("3", "2", "1201", "张三", "业主", "13800138000"))
    residents.update_resident(
        receptionist, r.id, ResidentInput("3", "2", "1201", "张三", "业主", "13900139000")
    )
    entry = AuditLog.select().where(AuditLog.action == "resident.update").get()
    detail = json.loads(entry.detail)
    assert detail["changed"] == ["phone"]
    assert detail["before"] == {"phone": "138****8000"} and detail["phone"] == "139****9000"
    assert "13800138000" not in entry.detail and "13900139000" not in entry.detail


def test_lookup_puts_the_best_match_first(admin, receptionist):
    """Issue 17 (9): Enter takes the first hit, so the order matters — 「xwj」 listed 薛文军 before
    谢文军 (by building) and a room listed a 家属 before its 业主. Now: whole initials before longer
    names, whoever called last, the 业主 before 家属/租户, then the name in pinyin order."""
    from reception.services import calls
    from reception.services.calls import CallInput
    from reception.services.calls import Outcome

    for row in [
        ("1", "2", "301", "薛文军", "业主"),
        ("2", "2", "301", "谢文军", "业主"),
        ("1", "1", "101", "谢文君达", "业主"),
        ("3", "2", "1603", "王丽", "家属"),
        ("3", "2", "1603", "王建国", "业主"),
        ("3", "2", "1603", "陈晨", "租户"),
    ]:
        residents.add_resident(admin, ResidentInput(*row))
    assert [r.name for r in residents.lookup("xwj")] == ["谢文军", "薛文军", "谢文君达"]
    assert residents.lookup("3-2-1603")[0].name == "王建国"  # the 业主 before 家属 and 租户
    assert [r.name for r in residents.lookup("王")] == ["王建国", "王丽"]
    # Who called last comes first among equal matches.
    xue = residents.lookup("薛文军")[0]
    calls.register_call(
        receptionist,
        CallInput(receptionist.now(), "咨询", "问物业费", "已答复", Outcome.ANSWERED, resident_id=xue.id),
    )
    assert [r.name for r in residents.lookup("xwj")] == ["薛文军", "谢文军", "谢文君达"]
