"""Importing the residents list that offices export from Excel (CSV or XLSX).

Columns: 楼栋,单元,房号,姓名,身份,手机,备用电话,备注. CSV arrives as UTF-8 (with or without BOM),
as GBK, the way Excel on a Chinese Windows saves it, or as UTF-16 with a BOM (Excel's "Unicode
text", tab-separated). Good rows are imported, bad rows are reported with their row number, the
column (its header as written in the file) and the reason; control characters in a note are
removed and reported, never a reason to drop the resident. Importing the same file again changes nothing:
the same household and name is an update, never a duplicate. The whole import is one
transaction, so a failure leaves the directory as it was."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

from reception.errors import ReceptionError
from reception.errors import ValidationError
from reception.services.residents import CleanResident
from reception.services.residents import ResidentInput
from reception.services.residents import clean
from reception.services.residents import pinyin_initials
from reception.services.residents import short_room
from reception.services.session import Role
from reception.services.session import Session
from reception.store import audit
from reception.store import db
from reception.store.models import Resident

COLUMNS = {
    "building": ("楼栋", "楼号", "栋"),
    "unit": ("单元",),
    "room": ("房号", "房间号", "室"),
    "name": ("姓名", "住户姓名", "业主姓名"),
    "relation": ("身份", "关系"),
    "phone": ("手机", "手机号", "电话", "联系电话"),
    "phone_alt": ("备用电话", "其他电话"),
    "note": ("备注",),
}
REQUIRED = ("building", "room", "name")
_FIELDS = ("building", "unit", "room", "name", "relation", "phone", "phone_alt", "note")
MAX_ROWS = 200_000


class ImportFileError(ReceptionError):
    """The file as a whole cannot be read (wrong format, no header…)."""


@dataclass
class Rejected:
    row: int  # the row number as Excel shows it (the header is row 1)
    reason: str


@dataclass
class Cleaned:
    """A value that was kept after removing characters that cannot be stored (a note's control
    characters: line breaks, tabs, bells… pasted into a cell)."""

    row: int
    column: str  # the header as written in the file
    removed: int  # how many characters were removed or made spaces


@dataclass
class ImportReport:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    encoding: str = ""
    cleaned: list[Cleaned] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.imported + self.updated + self.unchanged + len(self.rejected)

    def summary(self) -> str:
        text = (
            f"导入 {self.imported} 条，更新 {self.updated} 条，未变 {self.unchanged} 条，"
            f"拒绝 {len(self.rejected)} 条"
        )
        if self.cleaned:
            text += "\n" + self.cleaned_text()
        return text

    def cleaned_text(self) -> str:
        """One line on the values kept after cleaning, e.g. 「清理 2 处：第 3、7 行「备注」列…」."""
        if not self.cleaned:
            return ""
        rows = "、".join(str(c.row) for c in self.cleaned[:20]) + ("…" if len(self.cleaned) > 20 else "")
        columns = "、".join(dict.fromkeys(f"「{c.column}」" for c in self.cleaned))
        return f"已清理 {len(self.cleaned)} 处：第 {rows} 行{columns}列中的控制字符已删除（住户照常导入）"


def decode(raw: bytes) -> tuple[str, str]:
    """Text and the encoding it was in: UTF-8 (BOM or not), else GB18030 (a superset of GBK)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8"), "UTF-8 (BOM)"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text"
        try:
            return raw.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise ImportFileError(
                "文件以 UTF-16 标记开头，但内容无法按 UTF-16 读取：文件可能已损坏。"
            ) from None
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), "GBK"
    except UnicodeDecodeError:
        raise ImportFileError(
            "无法识别文件编码：请在 Excel 中另存为“CSV UTF-8”或“CSV（逗号分隔）”后重试。"
        ) from None


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_rows(path: Path) -> tuple[list[str], Iterator[list[str]], str]:
    """Header, data rows and the encoding ('XLSX' for workbooks)."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise ImportFileError(f"无法打开 Excel 文件：{exc}") from None
        sheet = book.worksheets[0]
        rows = ([_cell(v) for v in row] for row in sheet.iter_rows(values_only=True))
        header = next(rows, None)
        if header is None:
            raise ImportFileError("文件是空的。")
        return header, rows, "XLSX"
    if suffix not in (".csv", ".txt"):
        raise ImportFileError("只支持 CSV 或 XLSX 文件。")
    text, encoding = decode(path.read_bytes())
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, None)
    if header is None:
        raise ImportFileError("文件是空的。")
    return header, reader, encoding


def _map_header(header: list[str]) -> dict[str, int]:
    positions: dict[str, int] = {}
    names = [h.replace("\ufeff", "").replace("\u200b", "").strip() for h in header]
    for key, aliases in COLUMNS.items():
        for index, name in enumerate(names):
            if name in aliases and key not in positions:
                positions[key] = index
                break
    missing = [COLUMNS[k][0] for k in REQUIRED if k not in positions]
    if missing:
        raise ImportFileError(
            f"表头缺少列：{'、'.join(missing)}。第一行应为：楼栋,单元,房号,姓名,身份,手机,备用电话,备注"
        )
    return positions


def _clean_note(value: str) -> tuple[str, int]:
    """A note without control characters: line breaks and tabs become spaces, the others go."""
    out: list[str] = []
    removed = 0
    for ch in value:
        if unicodedata.category(ch) == "Cc":
            removed += 1
            if ch in "\r\n\t":
                out.append(" ")
            continue
        out.append(ch)
    return "".join(out), removed


def _same(existing: Resident, c: CleanResident) -> bool:
    return all(getattr(existing, f) == getattr(c, f) for f in _FIELDS) and existing.active


def _insert_rows(rows: list[dict]) -> None:
    """INSERT the new residents with one ``executemany`` on a cursor of the database (inside
    the caller's write transaction). Values are converted by the model's fields exactly as
    ``insert_many`` converts them; peewee building a 500-row INSERT statement took ≈ 7× as long."""
    if not rows:
        return
    names = list(rows[0])
    fields = [Resident._meta.fields[name] for name in names]
    columns = ", ".join(f'"{field.column_name}"' for field in fields)
    sql = f'INSERT INTO "{Resident._meta.table_name}" ({columns}) VALUES ({", ".join("?" * len(fields))})'
    db.current().cursor().executemany(
        db.sql(sql),
        [[field.db_value(row[name]) for name, field in zip(names, fields, strict=True)] for row in rows],
    )


def import_file(
    session: Session, path: Path | str, progress: Callable[[int, int], None] | None = None
) -> ImportReport:
    session.require(Role.SUPERVISOR, "导入业户资料")
    path = Path(path)
    if not path.is_file():
        raise ImportFileError(f"找不到文件：{path.name}")
    header, rows, encoding = read_rows(path)
    positions = _map_header(header)
    report = ImportReport(encoding=encoding)
    all_rows = list(rows)
    if len(all_rows) > MAX_ROWS:
        raise ImportFileError(f"文件行数过多（{len(all_rows)} 行，最多 {MAX_ROWS} 行）。")
    total = len(all_rows)
    if not any(any(cell.strip() for cell in row) for row in all_rows):
        raise ImportFileError("文件中只有表头，没有住户数据：请在第 2 行起填写住户后重新导入。")
    column_names = {key: header[pos].replace("\ufeff", "").strip() for key, pos in positions.items()}
    seen: dict[tuple[str, str, str, str], int] = {}
    valid: list[tuple[int, CleanResident]] = []
    for index, row in enumerate(all_rows):
        row_number = index + 2
        if progress and index % 200 == 0:
            progress(index, total)
        if not any(cell.strip() for cell in row):
            continue
        values = {key: (row[pos] if pos < len(row) else "") for key, pos in positions.items()}
        removed = 0
        if "note" in values:
            values["note"], removed = _clean_note(values["note"])
        try:
            c = clean(ResidentInput(**values))
        except ValidationError as exc:
            reason = "；".join(
                f"「{column_names.get(key, key)}」列：{message}" for key, message in exc.fields.items()
            )
            report.rejected.append(Rejected(row_number, reason))
            continue
        key = (c.building, c.unit, c.room, c.name)
        if key in seen:
            report.rejected.append(Rejected(row_number, f"与第 {seen[key]} 行重复（同一房间同名住户）"))
            continue
        seen[key] = row_number
        if removed:
            report.cleaned.append(Cleaned(row_number, column_names["note"], removed))
        valid.append((row_number, c))
    existing = {(r.building, r.unit, r.room, r.name): r for r in Resident.select()}
    now = session.now()
    new_rows: list[dict] = []
    updates: list[tuple[int, CleanResident]] = []
    for _row_number, c in valid:
        current = existing.get((c.building, c.unit, c.room, c.name))
        if current is None:
            new_rows.append(
                {
                    **vars(c),
                    "initials": pinyin_initials(c.name),
                    "active": True,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        elif _same(current, c):
            report.unchanged += 1
        else:
            updates.append((current.id, c))
    with db.write():
        _insert_rows(new_rows)
        for resident_id, c in updates:
            Resident.update(**vars(c), initials=pinyin_initials(c.name), active=True, updated_at=now).where(
                Resident.id == resident_id
            ).execute()
        report.imported = len(new_rows)
        report.updated = len(updates)
        if report.imported or report.updated:
            audit.record(
                now,
                session.operator,
                "resident.import",
                "resident",
                None,
                file=path.name,
                encoding=encoding,
                imported=report.imported,
                updated=report.updated,
                unchanged=report.unchanged,
                rejected=len(report.rejected),
                updated_rooms=[short_room(c.building, c.unit, c.room) for _, c in updates][:200],
            )
    if progress:
        progress(total, total)
    return report
