"""What every Excel export of personal data shares (来函, 来访): masked by default; the full
values only when a supervisor chooses 'full' and says why (the reason is checked here, and each
export audits its range, row count and reason); text always stored as text, never a formula."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reception.errors import ValidationError
from reception.rules.textcheck import one_line


def full_reason(full: bool, reason: str) -> str:
    """The cleaned reason for a full (unmasked) export; empty for a masked one. A full export
    without a reason is refused beside the reason field (``full_reason``)."""
    if not full:
        return ""
    try:
        why = one_line(reason, "完整导出的原因", max_len=200)
    except ValueError as exc:
        raise ValidationError.single("full_reason", str(exc)) from None
    if not why:
        raise ValidationError.single("full_reason", "完整导出（不遮盖号码）须写明原因")
    return why


def masked_text(text: str | None) -> str:
    """Free text as a masked export shows it: ID numbers and phone numbers (mobiles and
    landlines) masked."""
    from reception.rules import phones
    from reception.rules.freetext import mask_personal

    return phones.mask_in_text(mask_personal(text or "")[0])


def write_sheet(
    out: Path, title: str, header: Sequence[str], rows: Sequence[Sequence[object]], widths: Sequence[int]
) -> None:
    """One sheet with a bold Chinese header, frozen under it, written whole or not at all."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from reception.store.files import FileWriteError
    from reception.store.files import atomic_write
    from reception.store.files import reason

    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):  # = + - @ at the start is never run as a formula
                cell.data_type = "s"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    try:  # the window's save dialog may name a new folder; the command line checks its --out first
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FileWriteError(f"文件未能写入 {out}：{reason(exc)}。") from exc
    atomic_write(out, book.save)
