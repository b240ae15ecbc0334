"""The knowledge base (知识库) picker: search the standard answers as you type, read one, and
insert its text into whatever answer is being written (a case reply, a call's answer).

Supervisors and administrators also keep the entries here: add, edit, retire
(:func:`reception.services.knowledge.save` / :func:`~reception.services.knowledge.retire`).

Use :func:`pick_answer` for a blocking pick, or open a :class:`KnowledgePicker` and connect
``picked(str)``."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtCore import Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QFormLayout
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QListWidget
from PySide6.QtWidgets import QListWidgetItem
from PySide6.QtWidgets import QPlainTextEdit
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QSplitter
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from reception.errors import ReceptionError
from reception.errors import ValidationError
from reception.services import knowledge
from reception.services.knowledge import KnowledgeInput
from reception.services.records import KnowledgeEntry
from reception.services.session import Role
from reception.services.session import Session
from ui.widgets import msgbox
from ui.widgets import palette
from ui.widgets.forms import FieldErrors
from ui.widgets.forms import dialog_buttons
from ui.widgets.forms import error_label

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1

_STYLE = f"""
QLabel#caption {{ color: {palette.MUTED}; }}
QLabel#previewTitle {{ font-weight: bold; color: {palette.TITLE}; }}
QPlainTextEdit[readOnly="true"] {{ background: {palette.LIST_BG}; border: 1px solid {palette.LINE}; }}
"""


class KnowledgeEntryDialog(QDialog):
    """Add or edit one entry (supervisors). ``saved(entry)`` after it was stored."""

    saved = Signal(object)

    EDIT, PROPOSE, APPROVE = "edit", "propose", "approve"

    def __init__(
        self,
        session: Session,
        entry: KnowledgeEntry | None,
        parent: QWidget | None = None,
        mode: str = "edit",
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._entry_id = entry.id if entry is not None else None
        self.mode = mode
        titles = {
            self.PROPOSE: self.tr("建议新条目（主管审核后可用）"),
            self.APPROVE: self.tr("审核建议：可修改后采纳"),
        }
        default = self.tr("编辑知识库条目") if entry is not None else self.tr("新增知识库条目")
        self.setWindowTitle(titles.get(mode, default))
        self.general_error = error_label(self)
        self.errors = FieldErrors(self.general_error)
        form = QFormLayout()
        form.setVerticalSpacing(4)
        self.title_edit = QLineEdit(entry.title if entry is not None else "")
        self.title_edit.setPlaceholderText(self.tr("如：物业费收费标准与缴费方式"))
        self.errors.add_row(form, self.tr("标题"), "title", self.title_edit)
        self.body_edit = QPlainTextEdit(entry.body if entry is not None else "")
        self.body_edit.setTabChangesFocus(True)
        self.body_edit.setMinimumHeight(self.body_edit.fontMetrics().lineSpacing() * 8 + 14)
        self.errors.add_row(form, self.tr("内容"), "body", self.body_edit)
        self.body_edit.moveCursor(QTextCursor.MoveOperation.End)
        self.tags_edit = QLineEdit(entry.tags if entry is not None else "")
        self.tags_edit.setPlaceholderText(self.tr("用逗号分隔，如：收费标准，财务"))
        self.errors.add_row(form, self.tr("标签"), "tags", self.tags_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form, 1)
        layout.addWidget(self.general_error)
        ok_texts = {self.PROPOSE: self.tr("提交建议"), self.APPROVE: self.tr("采纳")}
        box, self.ok_button, _cancel = dialog_buttons(ok_texts.get(mode, self.tr("保存")), self.tr("取消"))
        box.accepted.connect(self.submit)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        self.resize(560, 420)

    def submit(self) -> KnowledgeEntry | None:
        self.errors.clear()
        data = KnowledgeInput(self.title_edit.text(), self.body_edit.toPlainText(), self.tags_edit.text())
        try:
            if self.mode == self.PROPOSE:
                entry = knowledge.propose(self._session, data)
            elif self.mode == self.APPROVE and self._entry_id is not None:
                entry = knowledge.approve(self._session, self._entry_id, data)
            else:
                entry = knowledge.save(self._session, data, self._entry_id)
        except ValidationError as exc:
            self.errors.show_error(exc)
            return None
        except ReceptionError as exc:
            msgbox.error(self, self.tr("未能保存"), exc.message)
            return None
        self.saved.emit(entry)
        self.accept()
        return entry


class KnowledgePicker(QDialog):
    """Search, preview, 插入. ``picked(text)`` carries the chosen entry's body."""

    picked = Signal(str)

    def __init__(
        self, session: Session | None = None, parent: QWidget | None = None, query: str = ""
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._chosen: str | None = None
        self._entries: list[KnowledgeEntry] = []
        self.entry_dialog: KnowledgeEntryDialog | None = None
        self.setWindowTitle(self.tr("知识库 — 标准答复"))
        self.setStyleSheet(_STYLE)

        self.search_edit = QLineEdit(query)
        self.search_edit.setPlaceholderText(self.tr("输入关键词查找，如：装修、物业费、停水"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self.search)
        self.results = QListWidget()
        self.results.setWordWrap(True)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.currentItemChanged.connect(self._show_current)
        self.results.itemActivated.connect(lambda _item: self.use_current())
        self.count_label = QLabel()
        self.count_label.setObjectName("caption")

        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.search_edit)
        column.addWidget(self.results, 1)
        column.addWidget(self.count_label)

        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        self.preview_title = QLabel()
        self.preview_title.setObjectName("previewTitle")
        self.preview_title.setWordWrap(True)
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.tags_label = QLabel()
        self.tags_label.setObjectName("caption")
        self.tags_label.setWordWrap(True)
        column.addWidget(self.preview_title)
        column.addWidget(self.preview, 1)
        column.addWidget(self.tags_label)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([300, 440])

        buttons = QHBoxLayout()
        self.add_button = QPushButton(self.tr("新增条目…"))
        self.add_button.clicked.connect(self.add_entry)
        self.edit_button = QPushButton(self.tr("编辑…"))
        self.edit_button.clicked.connect(self.edit_entry)
        self.retire_button = QPushButton(self.tr("停用"))
        self.retire_button.clicked.connect(self.retire_entry)
        manage = session is not None and session.has(Role.SUPERVISOR)
        self._manage = manage
        for button in (self.add_button, self.edit_button, self.retire_button):
            button.setAutoDefault(False)
            button.setVisible(manage)
            buttons.addWidget(button)
        # Receptionists propose entries; a supervisor approves or turns them down (audited).
        self.propose_button = QPushButton(self.tr("建议新条目…"))
        self.propose_button.clicked.connect(self.propose_entry)
        self.approve_button = QPushButton(self.tr("采纳…"))
        self.approve_button.clicked.connect(self.approve_entry)
        self.reject_button = QPushButton(self.tr("不采纳"))
        self.reject_button.clicked.connect(self.reject_entry)
        self.propose_button.setVisible(session is not None and not manage)
        for button in (self.propose_button, self.approve_button, self.reject_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        self.approve_button.hide()
        self.reject_button.hide()
        buttons.addStretch(1)
        self.insert_button = QPushButton(self.tr("插入"))
        self.insert_button.setDefault(True)
        self.insert_button.clicked.connect(self.use_current)
        self.cancel_button = QPushButton(self.tr("取消"))
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        buttons.addWidget(self.insert_button)
        buttons.addWidget(self.cancel_button)

        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        self.resize(760, 460)
        self.search(query)
        self.search_edit.setFocus()

    # ---- searching ------------------------------------------------------------------------
    def search(self, text: str | None = None) -> None:
        query = self.search_edit.text() if text is None else text
        try:
            self._entries = knowledge.search(query, include_proposed=self._manage)
        except ReceptionError as exc:
            self.count_label.setText(exc.message)
            self._entries = []
        self.results.clear()
        for entry in self._entries:
            waiting = entry.status == knowledge.PROPOSED
            item = QListWidgetItem(self.tr("【待审核】{0}").format(entry.title) if waiting else entry.title)
            item.setData(ENTRY_ROLE, entry.id)
            item.setToolTip(entry.tags)
            self.results.addItem(item)
        self.count_label.setText(
            self.tr("找到 {0} 条").format(len(self._entries))
            if self._entries
            else self.tr("没有找到相关条目")
        )
        if self._entries:
            self.results.setCurrentRow(0)
        else:
            self._show_current(None)

    def titles(self) -> list[str]:
        return [e.title for e in self._entries]

    def select_title(self, title: str) -> bool:
        for row, entry in enumerate(self._entries):
            if entry.title == title:
                self.results.setCurrentRow(row)
                return True
        return False

    def current_entry(self) -> KnowledgeEntry | None:
        row = self.results.currentRow()
        return self._entries[row] if 0 <= row < len(self._entries) else None

    def _show_current(self, *_args: object) -> None:
        entry = self.current_entry()
        self.preview_title.setText(entry.title if entry is not None else "")
        self.preview.setPlainText(entry.body if entry is not None else "")
        self.tags_label.setText(
            self.tr("标签：{0}").format(entry.tags) if entry is not None and entry.tags else ""
        )
        waiting = entry is not None and entry.status == knowledge.PROPOSED
        self.insert_button.setEnabled(entry is not None and not waiting)
        self.edit_button.setEnabled(entry is not None and not waiting)
        self.retire_button.setEnabled(entry is not None and not waiting)
        self.approve_button.setVisible(self._manage and waiting)
        self.reject_button.setVisible(self._manage and waiting)
        if waiting:
            self.tags_label.setText(self.tr("前台建议的条目，主管采纳后才能插入答复。"))

    # ---- the answer -----------------------------------------------------------------------
    def chosen_text(self) -> str | None:
        return self._chosen

    def use_current(self) -> None:
        entry = self.current_entry()
        if entry is None:
            return
        self._chosen = entry.body
        self.picked.emit(entry.body)
        self.accept()

    # ---- keeping the entries (supervisors) --------------------------------------------------
    def _open_editor(self, entry: KnowledgeEntry | None, mode: str = "edit") -> KnowledgeEntryDialog | None:
        if self._session is None:
            return None
        dialog = KnowledgeEntryDialog(self._session, entry, self, mode)
        dialog.saved.connect(self._entry_saved)
        dialog.finished.connect(dialog.deleteLater)
        self.entry_dialog = dialog
        dialog.open()
        return dialog

    def add_entry(self) -> KnowledgeEntryDialog | None:
        return self._open_editor(None)

    def propose_entry(self) -> KnowledgeEntryDialog | None:
        dialog = self._open_editor(None, KnowledgeEntryDialog.PROPOSE)
        if dialog is not None:
            dialog.saved.connect(
                lambda _e: self.count_label.setText(self.tr("建议已提交，主管采纳后即可查找和插入。"))
            )
        return dialog

    def approve_entry(self) -> KnowledgeEntryDialog | None:
        entry = self.current_entry()
        if entry is None or entry.status != knowledge.PROPOSED:
            return None
        return self._open_editor(entry, KnowledgeEntryDialog.APPROVE)

    def reject_entry(self) -> bool:
        entry = self.current_entry()
        if entry is None or self._session is None or entry.status != knowledge.PROPOSED:
            return False
        if not msgbox.ask(self, self.tr("不采纳"), self.tr("不采纳建议“{0}”吗？").format(entry.title)):
            return False
        try:
            knowledge.reject(self._session, entry.id)
        except ReceptionError as exc:
            msgbox.error(self, self.tr("未能保存"), exc.message)
            return False
        self.search()
        return True

    def edit_entry(self) -> KnowledgeEntryDialog | None:
        entry = self.current_entry()
        return self._open_editor(entry) if entry is not None else None

    def _entry_saved(self, entry: object) -> None:
        self.search()
        if isinstance(entry, KnowledgeEntry):
            self.select_title(entry.title)

    def retire_entry(self) -> bool:
        entry = self.current_entry()
        if entry is None or self._session is None:
            return False
        if not msgbox.ask(
            self,
            self.tr("停用条目"),
            self.tr("停用后“{0}”将不再出现在查找结果中。确定停用吗？").format(entry.title),
        ):
            return False
        try:
            knowledge.retire(self._session, entry.id)
        except ReceptionError as exc:
            msgbox.error(self, self.tr("未能停用"), exc.message)
            return False
        self.search()
        return True


def pick_answer(parent: QWidget | None, session: Session | None = None, query: str = "") -> str | None:
    """Open the picker modally; the chosen standard answer's text, or None when cancelled."""
    dialog = KnowledgePicker(session, parent, query)
    try:
        dialog.exec()
        return dialog.chosen_text()
    finally:
        dialog.deleteLater()
