"""日报… — the daily report of a chosen day: preview, print or save as PDF."""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QFormLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from reception.clock import Clock
from reception.documents import handover_report
from reception.errors import ReceptionError
from ui.widgets.detail_dialog import push_button
from ui.widgets.dialog_parts import PdfOutput
from ui.widgets.dialog_parts import button_row
from ui.widgets.forms import error_label


class DailyReportDialog(QDialog):
    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.setWindowTitle(self.tr("日报"))
        self.setMinimumWidth(420)
        today = clock.today()
        self.date = QDateEdit(QDate(today.year, today.month, today.day))
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setMaximumDate(QDate(today.year, today.month, today.day))
        hint = QLabel(
            self.tr("日报汇总所选日期全天的来电、来访、来函和工单，列出仍未完成的事项，并与前 7 日平均对比。")
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        form = QFormLayout()
        form.addRow(self.tr("日期："), self.date)
        self.message = error_label(self)
        self.preview_button = push_button(self.tr("预览"), self.preview)
        self.print_button = push_button(self.tr("打印"), self.print_report)
        self.save_button = push_button(self.tr("另存为 PDF…"), self.save)
        self.close_button = push_button(self.tr("关闭"), self.reject)
        self.preview_button.setDefault(True)
        buttons = button_row((self.preview_button, self.print_button, self.save_button), self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

    def chosen_day(self):
        return self.date.date().toPython()

    def pdf(self) -> bytes | None:
        self.message.hide()
        try:
            return handover_report.daily_pdf(self.chosen_day(), self.clock.now())
        except ReceptionError as exc:
            self.message.setText(exc.message)
            self.message.show()
            return None

    def _title(self) -> str:
        return self.tr("日报 %1").replace("%1", f"{self.chosen_day():%Y-%m-%d}")

    def report(self) -> PdfOutput:
        return PdfOutput(
            self,
            self.pdf,
            self._title(),
            self.tr("日报") + f"-{self.chosen_day():%Y%m%d}.pdf",
            preview_failed=self.tr("日报"),
            print_failed=self.tr("日报未打印"),
        )

    def preview(self) -> None:
        self.report().preview()

    def print_report(self) -> None:
        self.report().print()

    def save(self) -> None:
        self.report().save()
