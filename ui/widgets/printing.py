"""Every printed document goes through here: badges, on-site lists, later the handover report.

The core renders PDF bytes (reportlab, font embedded); this module puts them on paper:
QPdfDocument renders each page at 300 dpi and the image is painted on a QPrinter page of the
PDF's own size. Printing is direct (no dialog): badges to this PC's badge printer, everything
else to its report printer (设置 → 本机, kept in the data folder's ``reception.ini``), each the
system default printer when none is chosen; :func:`preview_pdf` (on the report printer) and
:func:`save_pdf_as` are the alternatives the receptionist can choose.

Keep every QPrinter in a variable while a dialog uses it — a temporary one
is freed by Python and the dialog crashes. Dialog classes and :func:`print_pdf` are module
attributes so tests can replace them; printers are the one true edge."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtCore import QMarginsF
from PySide6.QtCore import QRectF
from PySide6.QtCore import QSize
from PySide6.QtCore import QSizeF
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtGui import QPageLayout
from PySide6.QtGui import QPageSize
from PySide6.QtGui import QPaintEngine
from PySide6.QtGui import QPainter
from PySide6.QtGui import QTransform
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtPrintSupport import QPrinterInfo
from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtPrintSupport import QPrintPreviewWidget
from PySide6.QtWidgets import QWidget
from shiboken6 import delete as free_qt_object
from shiboken6 import isValid as is_valid_qt_object

from reception.errors import ReceptionError
from reception.services import local
from reception.services.session import Session
from ui.widgets import msgbox

DPI = 300
PREVIEW_DPI = 120  # the preview on screen: sharp at 100 % and four times faster than the paper's 300
PDF_FILTER = "PDF 文件 (*.pdf)"
# Where the last :func:`print_pdf` without a printer saved the document instead (None: not saved).
last_saved_pdf: Path | None = None


def _tr(text: str) -> str:
    return QCoreApplication.translate("printing", text)


class PrintError(Exception):
    """The document could not be printed; ``message`` is for the receptionist."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NoPrinter(PrintError):
    pass


# ---- the PDF ------------------------------------------------------------------------------------


class LoadedPdf:
    """A PDF opened with QPdfDocument from bytes (through a temporary file: loading from a file is
    synchronous and reports errors). Use as a context manager; the file is removed on exit."""

    def __init__(self, pdf_bytes: bytes) -> None:
        self.document = QPdfDocument()
        fd, name = tempfile.mkstemp(suffix=".pdf", prefix="reception-print-")
        self._path = Path(name)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pdf_bytes)
        error = self.document.load(str(self._path))
        if error != QPdfDocument.Error.None_ or self.document.pageCount() < 1:
            self.close()
            raise PrintError(_tr("文件无法打开（不是有效的 PDF）。"))

    def close(self) -> None:
        if not is_valid_qt_object(self.document):
            return  # closed already
        self.document.close()
        # QPdfDocument keeps its file open until the object itself is gone, and Windows cannot
        # delete an open file: delete the document first.
        free_qt_object(self.document)
        self._path.unlink(missing_ok=True)

    def __enter__(self) -> LoadedPdf:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def page_count(self) -> int:
        return self.document.pageCount()

    def page_size_points(self, page: int) -> QSizeF:
        return self.document.pagePointSize(page)

    def image(self, page: int, dpi: int = DPI) -> QImage:
        points = self.page_size_points(page)
        size = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
        return self.document.render(page, size)


def _turned(points: QSizeF, orientation: str) -> bool:
    """Whether the page must be turned a quarter to sit on stock loaded ``orientation``
    ('portrait', 'landscape'; '' = as the PDF page is)."""
    landscape = points.width() > points.height()
    return (orientation == "portrait" and landscape) or (orientation == "landscape" and not landscape)


def _fit_page_to_pdf(printer: QPrinter, points: QSizeF, orientation: str = "") -> None:
    """Make the printer's page the PDF page's size (a badge label, A4…), margins zero, turned to
    the way the stock sits in the printer when ``orientation`` says so."""
    portrait = QSizeF(min(points.width(), points.height()), max(points.width(), points.height()))
    landscape = (points.width() > points.height()) != _turned(points, orientation)
    orientation_ = QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    page_size = QPageSize(portrait, QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch)
    layout = QPageLayout(page_size, orientation_, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Point)
    printer.setPageLayout(layout)
    printer.setFullPage(True)


def paint_pdf(pdf: LoadedPdf, printer: QPrinter, orientation: str = "", dpi: int = DPI) -> int:
    """Paint every page of ``pdf`` on ``printer`` (which must not be active yet), turned a quarter
    where ``orientation`` says the stock sits the other way. Returns the number of pages. Raises
    :class:`PrintError` if the printer cannot start."""
    _fit_page_to_pdf(printer, pdf.page_size_points(0), orientation)
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintError(_tr("打印机无法开始打印（可能未连接、缺纸或已暂停）。"))
    try:
        for page in range(pdf.page_count()):
            if page:
                _fit_page_to_pdf(printer, pdf.page_size_points(page), orientation)
                if not printer.newPage():
                    raise PrintError(_tr("打印机无法开始新的一页。"))
            image = pdf.image(page, dpi)
            if image.isNull():
                raise PrintError(_tr("第 {0} 页无法渲染。").format(page + 1))
            if _turned(pdf.page_size_points(page), orientation):
                image = image.transformed(QTransform().rotate(90))
            target = QRectF(printer.pageRect(QPrinter.Unit.DevicePixel))
            target.moveTo(0, 0)
            painter.drawImage(target, image)
    finally:
        painter.end()
    return pdf.page_count()


def render_to_printer(pdf_bytes: bytes, printer: QPrinter, orientation: str = "") -> int:
    """Print PDF bytes on a ready printer (a real one, or a PdfFormat QPrinter in tests)."""
    with LoadedPdf(pdf_bytes) as pdf:
        return paint_pdf(pdf, printer, orientation)


# ---- printers -----------------------------------------------------------------------------------


def default_printer_name() -> str | None:
    info = QPrinterInfo.defaultPrinter()
    return None if info.isNull() else info.printerName()


def installed_printers() -> list[str]:
    """The printers this PC has, as the system names them."""
    return list(QPrinterInfo.availablePrinterNames())


def this_pc() -> local.LocalConfig:
    """This PC's printer choices (设置 → 本机), from the open data folder's ``reception.ini``."""
    return local.this_pc()


def make_printer(printer_name: str | None) -> QPrinter:
    """A high-resolution QPrinter for ``printer_name`` or the system default; raises
    :class:`NoPrinter` when there is none."""
    name = printer_name or default_printer_name()
    if not name:
        raise NoPrinter(_tr("这台电脑没有设置默认打印机。"))
    if printer_name and QPrinterInfo.printerInfo(printer_name).isNull():
        raise NoPrinter(
            _tr("找不到打印机“{0}”（可能已关机、拔出或改名；可在“设置 → 系统设置 → 本机”中另选）。").format(
                printer_name
            )
        )
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPrinterName(name)
    printer.setResolution(DPI)
    printer.setColorMode(QPrinter.ColorMode.GrayScale)
    if not printer.isValid():
        raise NoPrinter(_tr("打印机“{0}”不可用。").format(name))
    return printer


def print_pdf(
    pdf_bytes: bytes,
    *,
    printer_name: str | None = None,
    parent: QWidget | None = None,
    title: str = "",
    orientation: str = "",
    file_name: str = "",
) -> bool:
    """Print directly, without a dialog, on ``printer_name`` (default: this PC's report printer,
    else the system default). True when the pages went to the printer.

    With no printer at all, or the chosen one gone, the receptionist is told which and offered to
    save the PDF instead (False is returned either way; :data:`last_saved_pdf` says where it was
    saved, ``file_name`` is the name suggested). Other failures raise :class:`PrintError`."""
    global last_saved_pdf
    last_saved_pdf = None
    try:
        printer = make_printer(printer_name or this_pc().report_printer or None)
    except NoPrinter as exc:
        # 是 (the default: Enter) saves the PDF — the document is not lost for want of a printer.
        if msgbox.ask(
            parent,
            _tr("没有可用的打印机"),
            _tr("{0}\n\n《{1}》未能打印。是否先另存为 PDF 文件（可稍后打印或补打）？").format(
                exc.message, title or _tr("文件")
            ),
            default_yes=True,
        ):
            from datetime import datetime

            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            name = file_name or f"{title or _tr('文件')}-{stamp}"
            last_saved_pdf = save_pdf_as(pdf_bytes, parent, name + ".pdf")
        return False
    printer.setDocName(title)
    render_to_printer(pdf_bytes, printer, orientation)
    return True


# ---- dialogs ------------------------------------------------------------------------------------


def preview_pdf(pdf_bytes: bytes, parent: QWidget | None = None, title: str = "") -> QPrintPreviewDialog:
    """A print preview (the receptionist can choose a printer there). Modal; returns the dialog
    after it was closed (tests patch ``QPrintPreviewDialog.exec``)."""
    pdf = LoadedPdf(pdf_bytes)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    report_printer = this_pc().report_printer
    if report_printer and not QPrinterInfo.printerInfo(report_printer).isNull():
        printer.setPrinterName(report_printer)
    printer.setResolution(DPI)
    printer.setDocName(title)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(_tr("打印预览 — {0}").format(title) if title else _tr("打印预览"))
    # Large enough to read: the whole screen, the page as wide as the window.
    dialog.setWindowState(dialog.windowState() | Qt.WindowState.WindowMaximized)
    widget = dialog.findChild(QPrintPreviewWidget)
    if widget is not None:
        widget.setZoomMode(QPrintPreviewWidget.ZoomMode.FitToWidth)

    def paint(target: QPrinter) -> None:
        engine = target.paintEngine()
        on_screen = engine is not None and engine.type() == QPaintEngine.Type.Picture  # the preview
        try:
            paint_pdf(pdf, target, dpi=PREVIEW_DPI if on_screen else DPI)
        except PrintError as exc:
            msgbox.error(dialog, _tr("打印失败"), exc.message)

    dialog.paintRequested.connect(paint)
    try:
        dialog.exec()
    finally:
        dialog.paintRequested.disconnect(paint)
        pdf.close()
    return dialog


def save_pdf_as(pdf_bytes: bytes, parent: QWidget | None, suggested_name: str) -> Path | None:
    """Ask where to save (through ui.widgets.msgbox) and write the file. None when cancelled."""
    path = msgbox.save_file(parent, _tr("另存为 PDF"), suggested_name, _tr(PDF_FILTER))
    if not path:
        return None
    target = Path(path)
    if target.suffix.lower() != ".pdf":
        target = target.with_name(target.name + ".pdf")
    try:
        local.store_bytes(target, pdf_bytes)
    except OSError as exc:
        msgbox.error(parent, _tr("未能保存"), _tr("文件未能保存：{0}").format(exc.strerror or str(exc)))
        return None
    return target


# ---- badges -------------------------------------------------------------------------------------


def print_badge(session: Session, visit_id: int, parent: QWidget | None = None) -> bool:
    """Render the saved visit's badge (recorded as printed/reprinted by the core) on this PC's
    label stock and print it on its badge printer, without a dialog. A failure is shown and False
    returned — the visit itself is already saved, so the badge can be printed again (补打)."""
    from reception.documents import visit_badge

    global last_saved_pdf
    last_saved_pdf = None
    pc = this_pc()
    try:
        pdf = visit_badge.render_for_visit(session, visit_id, pc.badge_size or None)
    except ReceptionError as exc:
        msgbox.error(parent, _tr("访客证未打印"), exc.message)
        return False
    try:
        return print_pdf(
            pdf,
            printer_name=pc.badge_printer or default_printer_name(),
            parent=parent,
            title=_tr("访客证"),
            orientation=pc.badge_orientation,
        )
    except PrintError as exc:
        msgbox.error(
            parent,
            _tr("访客证未打印"),
            _tr("{0}\n\n来访已登记，请检查打印机后点“补打访客证”。").format(exc.message),
        )
        return False
