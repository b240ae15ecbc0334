"""Printers per PC (设置 → 本机): badges go to the badge printer on this PC's label stock without a
dialog, reports to the report printer; a printer that has gone is named, with 'save as PDF'
offered; 测试打印 prints a sample. The printer is the one true edge: a PdfFormat QPrinter stands in
for it, recording which printer the program asked for."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest
from PySide6.QtPrintSupport import QPrinter

from reception.services import visits
from reception.store import config
from reception.store import db
from reception.store.paths import DataDir
from reception.store.startup import remember_data_dir
from tests import mixed_traffic as traffic
from ui.widgets import msgbox
from ui.widgets import printing

INSTALLED = ["Brother QL-820NWB", "HP LaserJet M404"]


@pytest.fixture
def fake_printers(monkeypatch, tmp_path: Path, database):
    """Two installed printers; every print lands in a PDF named after the printer asked for."""
    remember_data_dir(db.database.obj, DataDir(tmp_path))
    asked: list[tuple[str, Path]] = []

    def make(name):
        name = name or "HP LaserJet M404"
        if name not in INSTALLED:
            raise printing.NoPrinter(f"找不到打印机“{name}”（可能已关机、拔出或改名）。")
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        out = tmp_path / f"printed-{len(asked)}.pdf"
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        asked.append((name, out))
        return printer

    monkeypatch.setattr(printing, "make_printer", make)
    monkeypatch.setattr(printing, "installed_printers", lambda: list(INSTALLED))
    monkeypatch.setattr(printing, "default_printer_name", lambda: "HP LaserJet M404")
    return asked


def _page_mm(path: Path) -> tuple[float, float]:
    box = pypdf.PdfReader(path).pages[0].mediabox
    return round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)


@pytest.fixture
def visit(admin, receptionist):
    host = traffic.host(admin, "13912345678")
    return traffic.visitor_on_site(receptionist, host.id, "13800001111")


@pytest.fixture
def local_page(qtbot, admin, tmp_path):
    """Opens 设置 → 本机 (the dialogs stay alive until the test ends)."""
    from ui.admin.settings_dialog import SettingsDialog

    dialogs = []

    def open_page():
        dialog = SettingsDialog(admin, data_dir=DataDir(tmp_path))
        qtbot.addWidget(dialog)
        dialogs.append(dialog)
        return dialog.local_page

    return open_page


def test_the_local_page_stores_the_printers_in_this_pcs_file(local_page, tmp_path, fake_printers):
    page = local_page()
    labels = [page.badge_printer.itemText(i) for i in range(page.badge_printer.count())]
    assert labels == ["系统默认打印机（HP LaserJet M404）", *INSTALLED]
    page.badge_printer.setCurrentIndex(page.badge_printer.findData("Brother QL-820NWB"))
    page.badge_stock.setCurrentIndex(page.badge_stock.findData("57x102"))
    page.badge_orientation.setCurrentIndex(page.badge_orientation.findData("landscape"))
    page.report_printer.setCurrentIndex(page.report_printer.findData("HP LaserJet M404"))
    assert page.save()
    stored = config.load(tmp_path)
    assert (stored.badge_printer, stored.badge_size, stored.badge_orientation, stored.report_printer) == (
        "Brother QL-820NWB",
        "57x102",
        "landscape",
        "HP LaserJet M404",
    )
    assert "访客证打印机 = Brother QL-820NWB" in (tmp_path / "reception.ini").read_text(encoding="utf-8")
    # A printer the PC no longer has stays visible, marked, rather than silently replaced.
    config.set_printers(
        tmp_path, badge_printer="旧标签机", badge_size="", badge_orientation="", report_printer=""
    )
    again = local_page()
    assert again.badge_printer.currentText() == "旧标签机（未找到）"


def test_a_badge_goes_to_the_badge_printer_on_this_pcs_label_stock(
    qtbot, receptionist, visit, tmp_path, fake_printers
):
    config.set_printers(
        tmp_path,
        badge_printer="Brother QL-820NWB",
        badge_size="57x102",
        badge_orientation="landscape",
        report_printer="HP LaserJet M404",
    )
    assert printing.print_badge(receptionist, visit.id)
    name, out = fake_printers[-1]
    assert name == "Brother QL-820NWB"
    # 57×102 mm, turned a quarter because the stock sits landscape in this printer.
    assert _page_mm(out) == (102, 57)
    assert pypdf.PdfReader(out).pages[0].images  # the badge painted as the printer receives it


def test_reports_go_to_the_report_printer(qtbot, receptionist, tmp_path, fake_printers):
    config.set_printers(
        tmp_path,
        badge_printer="Brother QL-820NWB",
        badge_size="",
        badge_orientation="",
        report_printer="HP LaserJet M404",
    )
    from reception.clock import Clock
    from reception.documents.test_pages import report_test_page

    assert printing.print_pdf(report_test_page("测试物业", "", Clock().local_now()), title="日报")
    assert fake_printers[-1][0] == "HP LaserJet M404"
    assert _page_mm(fake_printers[-1][1]) == (210, 297)


def test_a_badge_printer_that_has_gone_is_named_and_save_as_pdf_offered(
    qtbot, receptionist, visit, tmp_path, fake_printers, monkeypatch
):
    config.set_printers(
        tmp_path, badge_printer="旧标签机", badge_size="", badge_orientation="", report_printer=""
    )
    asked: list[str] = []
    saved = tmp_path / "访客证.pdf"

    def ask(parent, title, text, *, default_yes=False):
        assert default_yes  # Enter saves the PDF: the badge is not lost for want of a printer
        asked.append(text)
        return True

    monkeypatch.setattr(msgbox, "ask", ask)
    monkeypatch.setattr(msgbox, "save_file", lambda *a: str(saved))
    assert printing.print_badge(receptionist, visit.id) is False
    assert len(asked) == 1 and "旧标签机" in asked[0] and "另存为 PDF" in asked[0]
    assert saved.read_bytes().startswith(b"%PDF") and printing.last_saved_pdf == saved
    assert visits.get_visit(visit.id).badge_prints == 1  # the visit and its print are on record


def test_test_print_buttons_print_a_sample_on_the_chosen_printers(local_page, fake_printers):
    page = local_page()
    page.badge_printer.setCurrentIndex(page.badge_printer.findData("Brother QL-820NWB"))
    page.badge_stock.setCurrentIndex(page.badge_stock.findData("62x100"))
    page.test_badge_button.click()
    assert fake_printers[-1][0] == "Brother QL-820NWB"
    assert _page_mm(fake_printers[-1][1]) == (62, 100)
    page.test_report_button.click()
    assert fake_printers[-1][0] == "HP LaserJet M404"  # the system default: none chosen
    assert _page_mm(fake_printers[-1][1]) == (210, 297)


def test_a_local_file_that_cannot_be_written_is_said_on_the_pages_line(
    local_page, tmp_path, fake_printers, monkeypatch
):
    """本机 → 保存 when ``reception.ini`` cannot be written: the reason on the page's error line,
    what was chosen stays, 已保存 is not said."""
    from reception.services import local

    page = local_page()
    page.report_printer.setCurrentIndex(page.report_printer.findData("HP LaserJet M404"))

    def locked(*_args, **_kwargs):
        raise PermissionError(13, "拒绝访问")

    with monkeypatch.context() as patch:
        patch.setattr(local, "set_printers", locked)
        assert not page.save()
    assert page.general.text() == "本机设置未能保存：拒绝访问" and not page.general.isHidden()
    assert page.saved.text() == ""
    assert page.report_printer.currentData() == "HP LaserJet M404"
    assert page.save() and page.general.isHidden() and page.saved.text() == "已保存。"
    assert config.load(tmp_path).report_printer == "HP LaserJet M404"
