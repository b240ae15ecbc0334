"""Choosing files for a letter: a list with 添加文件… / 移除, and local files dropped onto it (or
onto the dialog around it, which forwards them). Nothing is copied here — the service stores
the files when the form is saved, so a failed save keeps the chosen files in the list."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent
from PySide6.QtCore import QMimeData
from PySide6.QtCore import QObject
from PySide6.QtCore import Qt
from PySide6.QtCore import Signal
from PySide6.QtGui import QDragEnterEvent
from PySide6.QtGui import QDragMoveEvent
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QAbstractItemView
from PySide6.QtWidgets import QFrame
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QListWidget
from PySide6.QtWidgets import QListWidgetItem
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from ui.widgets import msgbox

FILE_FILTER = (
    "所有文件 (*);;扫描件和图片 (*.pdf *.jpg *.jpeg *.png *.tif *.tiff);;"
    "文档 (*.doc *.docx *.xls *.xlsx *.txt)"
)


def local_files(mime: QMimeData | None) -> list[Path]:
    """The local files (not folders, not web links) carried by a drag."""
    if mime is None or not mime.hasUrls():
        return []
    paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    return [path for path in paths if path.is_file()]


def size_text(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


class FilePicker(QFrame):
    """``changed()`` whenever files are added or removed."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, dialog_title: str = "") -> None:
        super().__init__(parent)
        self._paths: list[Path] = []
        self._dialog_title = dialog_title or self.tr("选择附件")
        self.setObjectName("filePicker")
        FileDrops(self, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.list = QListWidget()
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setAcceptDrops(False)  # drops go to this frame
        self.list.setMinimumHeight(self.fontMetrics().height() * 4)
        layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        row.setSpacing(6)
        self.add_button = QPushButton(self.tr("添加文件…"))
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.choose)
        self.remove_button = QPushButton(self.tr("移除"))
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(self.remove_selected)
        self.hint = QLabel(self.tr("也可以把扫描件、照片直接拖到这里"))
        self.hint.setObjectName("hint")
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addWidget(self.hint, 1)
        layout.addLayout(row)
        self._update()

    # ---- the files ----------------------------------------------------------------------
    def files(self) -> list[Path]:
        return list(self._paths)

    def add_files(self, paths: list[Path]) -> int:
        """Add files not already in the list; returns how many were added."""
        added = 0
        for path in paths:
            if path in self._paths:
                continue
            self._paths.append(path)
            try:
                size = size_text(path.stat().st_size)
            except OSError:
                size = self.tr("无法读取")
            item = QListWidgetItem(f"{path.name}    （{size}）")
            item.setToolTip(str(path))
            self.list.addItem(item)
            added += 1
        if added:
            self._update()
            self.changed.emit()
        return added

    def clear(self) -> None:
        self._paths.clear()
        self.list.clear()
        self._update()
        self.changed.emit()

    def remove_selected(self) -> None:
        rows = sorted({self.list.row(item) for item in self.list.selectedItems()}, reverse=True)
        for row in rows:
            self.list.takeItem(row)
            del self._paths[row]
        if rows:
            self._update()
            self.changed.emit()

    def choose(self) -> None:
        chosen = msgbox.open_files(self, self._dialog_title, self.tr(FILE_FILTER))
        self.add_files([Path(p) for p in chosen])

    def _update(self) -> None:
        self.remove_button.setEnabled(bool(self._paths))


class FileDrops(QObject):
    """Files dragged from the file manager and dropped anywhere on ``widget`` (its children
    included, unless they take drops themselves) go into ``picker``; other drags are refused."""

    def __init__(self, widget: QWidget, picker: FilePicker) -> None:
        super().__init__(widget)
        self._picker = picker
        widget.setAcceptDrops(True)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QDragEnterEvent | QDragMoveEvent):
            accept_file_drag(event)
            return True
        if isinstance(event, QDropEvent):
            drop_files(event, self._picker)
            return True
        return False


def accept_file_drag(event: QDragEnterEvent | QDragMoveEvent) -> None:
    if local_files(event.mimeData()):
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
    else:
        event.ignore()


def drop_files(event: QDropEvent, picker: FilePicker) -> None:
    paths = local_files(event.mimeData())
    if not paths:
        event.ignore()
        return
    event.setDropAction(Qt.DropAction.CopyAction)
    event.accept()
    picker.add_files(paths)
