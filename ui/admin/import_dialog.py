"""导入业户资料: choose a .csv/.xlsx file, import it with a progress bar, show the summary and the
rows that were refused (row number + reason)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex
from PySide6.QtCore import QPersistentModelIndex
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QGroupBox
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QProgressBar
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from reception.errors import ReceptionError
from reception.services.session import Session
from ui.widgets import msgbox
from ui.widgets import palette
from ui.widgets.forms import error_label
from ui.widgets.list_position import ROW_ROLE
from ui.widgets.record_list import rows_table
from ui.widgets.records import RecordsModel

_Index = QModelIndex | QPersistentModelIndex


class RejectedModel(RecordsModel):
    """The refused rows of an import: 行号, 原因."""

    COL_ROW, COL_REASON = range(2)
    ROW_ROLE = ROW_ROLE
    context = "RejectedModel"
    right_aligned = (COL_ROW,)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__([("行号", lambda item: str(item.row)), ("原因", lambda item: item.reason)], parent)


class ImportDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.path: Path | None = None
        self.report: Any = None
        self.running = False
        self.setWindowTitle(self.tr("导入业户资料"))
        self.resize(640, 480)

        intro = QLabel(
            self.tr(
                "支持 Excel（.xlsx）和 CSV 文件。第一行为表头：楼栋、单元、房号、姓名、身份、手机、"
                "备用电话、备注。同一房间同名的业户会被更新，不会重复导入。"
            )
        )
        intro.setWordWrap(True)
        self.file_label = QLabel(self.tr("尚未选择文件"))
        self.file_label.setStyleSheet(f"color: {palette.FADED_DARK};")
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.choose_button = QPushButton(self.tr("选择文件…"))
        self.choose_button.setAutoDefault(False)
        self.choose_button.clicked.connect(self.choose_file)
        self.start_button = QPushButton(self.tr("开始导入"))
        self.start_button.setEnabled(False)
        self.start_button.clicked.connect(self.start_import)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_label, 1)
        file_row.addWidget(self.choose_button)
        file_row.addWidget(self.start_button)

        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat(self.tr("%v / %m 行"))
        self.error = error_label(self)

        self.summary = QLabel()
        self.summary.setStyleSheet("font-weight: bold;")
        self.rejected_model = RejectedModel(self)
        self.rejected_view = rows_table(self.rejected_model)
        self.rejected_view.horizontalHeader().setStretchLastSection(True)
        self.rejected_view.setColumnWidth(RejectedModel.COL_ROW, 70)
        self.result_box = QGroupBox(self.tr("导入结果"))
        result_layout = QVBoxLayout(self.result_box)
        result_layout.addWidget(self.summary)
        self.rejected_caption = QLabel(self.tr("以下行未导入，请修改文件后重新导入："))
        result_layout.addWidget(self.rejected_caption)
        result_layout.addWidget(self.rejected_view, 1)
        self.result_box.hide()

        self.close_button = QPushButton(self.tr("关闭"))
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.accept)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(file_row)
        layout.addWidget(self.progress)
        layout.addWidget(self.error)
        layout.addWidget(self.result_box, 1)
        layout.addLayout(bottom)

    def choose_file(self) -> None:
        chosen = msgbox.open_file(
            self,
            self.tr("选择业户资料文件"),
            self.tr("业户资料 (*.xlsx *.csv);;Excel 文件 (*.xlsx);;CSV 文件 (*.csv)"),
        )
        if not chosen:
            return
        self.path = Path(chosen)
        self.file_label.setText(str(self.path))
        self.file_label.setToolTip(str(self.path))
        self.start_button.setEnabled(True)
        self.start_button.setDefault(True)
        self.start_button.setFocus()

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, max(total, 1)))
        QApplication.processEvents()

    def start_import(self) -> None:
        if self.path is not None and not self.running:
            self.run_import(self.path)

    def run_import(self, path: Path) -> bool:
        """Import ``path`` in the GUI thread; the progress callback lets the window repaint.
        Input to the dialog is blocked meanwhile (buttons disabled, closing refused)."""
        from reception.services import residents_import

        self.error.hide()
        self.result_box.hide()
        self.running = True
        for button in (self.choose_button, self.start_button, self.close_button):
            button.setEnabled(False)
        self.progress.setRange(0, 0)  # busy until the first progress report
        try:
            self.report = residents_import.import_file(self.session, path, progress=self._progress)
        except ReceptionError as exc:
            self.error.setText(exc.message)
            self.error.show()
            self.progress.setRange(0, 1)
            self.progress.setValue(0)
            return False
        finally:
            self.running = False
            self.choose_button.setEnabled(True)
            self.close_button.setEnabled(True)
        self.show_report(self.report)
        return True

    def show_report(self, report: Any) -> None:
        total = report.imported + report.updated + report.unchanged + len(report.rejected)
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(max(total, 1))
        self.summary.setText(
            self.tr("导入 %1 条，更新 %2 条，未变 %3 条，拒绝 %4 条")
            .replace("%1", str(report.imported))
            .replace("%2", str(report.updated))
            .replace("%3", str(report.unchanged))
            .replace("%4", str(len(report.rejected)))
            + ("\n" + report.cleaned_text() if report.cleaned else "")
        )
        self.rejected_model.set_rows(report.rejected)
        self.rejected_caption.setVisible(bool(report.rejected))
        self.rejected_view.setVisible(bool(report.rejected))
        self.result_box.show()
        self.close_button.setDefault(True)
        self.close_button.setFocus()

    def reject(self) -> None:
        if not self.running:
            super().reject()

    def closeEvent(self, event) -> None:
        if self.running:
            event.ignore()
        else:
            super().closeEvent(event)
