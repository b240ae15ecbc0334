"""关注名单: the supervisors' watch list, and the supervisor's decision when a visitor matches it.

Only masked ID numbers are ever shown; the core keeps a salted hash for matching."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QFormLayout
from PySide6.QtWidgets import QGroupBox
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QHeaderView
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from reception.clock import Clock
from reception.clock import format_local
from reception.errors import ReceptionError
from reception.rules import identity
from reception.services import auth
from reception.services import visits
from reception.services.records import WatchEntry
from reception.services.session import Role
from reception.services.session import Session
from reception.services.visits import WatchRow
from ui.widgets import msgbox
from ui.widgets import palette
from ui.widgets.forms import FieldErrors
from ui.widgets.forms import ascii_only
from ui.widgets.forms import dialog_buttons
from ui.widgets.forms import error_label
from ui.widgets.list_position import ROW_ROLE
from ui.widgets.paged_model import RowsTableModel
from ui.widgets.record_list import rows_table
from ui.widgets.small_dialogs import attempt


def _tr(text: str) -> str:
    return QCoreApplication.translate("watchlist", text)


class WatchListModel(RowsTableModel):
    headers = ("姓名", "证件", "电话", "原因", "添加人", "添加时间")
    context = "WatchListModel"
    texts = (
        "name",
        lambda _, row: (f"{row.id_type} {row.id_masked}" if row.id_masked else "").strip(),
        "phone_masked",
        lambda _, row: " ".join(row.reason.split()),
        "added_by_name",
        lambda _, row: format_local(row.added_at, "%Y-%m-%d"),
    )

    def tooltip(self, row: WatchRow) -> str | None:
        return row.reason


class WatchListDialog(QDialog):
    """List, add and remove entries (supervisors and administrators)."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.setWindowTitle(self.tr("关注名单"))
        self.resize(820, 560)
        allowed = session.has(Role.SUPERVISOR)

        intro = QLabel(
            self.tr(
                "关注名单中的人员来访时，前台登记会显示红色提示，须由主管核实后决定是否放行。"
                "证件号码只保存脱敏号码和加密摘要。"
            )
        )
        intro.setWordWrap(True)
        intro.setStyleSheet(f"color: {palette.MUTED};")

        self.model = WatchListModel(self)
        self.view = rows_table(self.model)
        self.view.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 70), (1, 260), (2, 110), (4, 70), (5, 90)):
            self.view.horizontalHeader().resizeSection(col, width)

        self.remove_button = QPushButton(self.tr("移出名单"))
        self.remove_button.clicked.connect(self.remove_selected)
        self.remove_button.setEnabled(allowed)

        group = QGroupBox(self.tr("添加人员"))
        form = QFormLayout(group)
        self.general = error_label()
        self.errors = FieldErrors(self.general)
        self.name_edit = QLineEdit()
        self.errors.add_row(form, self.tr("姓名"), "name", self.name_edit)
        self.id_type_combo = QComboBox()
        for id_type in identity.ID_TYPES:
            self.id_type_combo.addItem(self.tr(id_type), id_type)
        self.id_number_edit = QLineEdit()
        ascii_only(self.id_number_edit)
        self.id_number_edit.setPlaceholderText(self.tr("可不填"))
        id_row = QWidget()
        id_line = QHBoxLayout(id_row)
        id_line.setContentsMargins(0, 0, 0, 0)
        id_line.addWidget(self.id_type_combo)
        id_line.addWidget(self.id_number_edit, 1)
        self.errors.add_row(form, self.tr("证件"), "id_number", id_row)
        self.errors.widgets["id_number"] = self.id_number_edit
        self.phone_edit = QLineEdit()
        ascii_only(self.phone_edit)
        self.phone_edit.setPlaceholderText(self.tr("可不填"))
        self.errors.add_row(form, self.tr("电话"), "phone", self.phone_edit)
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText(self.tr("列入关注的原因，如：曾多次滋扰业户"))
        self.errors.add_row(form, self.tr("原因"), "reason", self.reason_edit)
        self.add_button = QPushButton(self.tr("加入关注名单"))
        self.add_button.clicked.connect(self.add_entry)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_button)
        add_row.addStretch(1)
        form.addRow("", add_row)
        form.addRow("", self.general)
        group.setEnabled(allowed)

        buttons, close, _ = dialog_buttons(self.tr("关闭"), None)
        close.setDefault(False)
        close.setAutoDefault(False)
        buttons.accepted.connect(self.accept)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        if not allowed:
            notice = QLabel(self.tr("只有主管或管理员可以修改关注名单。"))
            notice.setStyleSheet(f"color: {palette.CAUTION};")
            layout.addWidget(notice)
        layout.addWidget(self.view, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.remove_button)
        layout.addLayout(row)
        layout.addWidget(group)
        layout.addWidget(buttons)
        self.refresh()

    def refresh(self) -> None:
        self.model.set_rows(visits.list_watch_entries())

    def add_entry(self) -> WatchEntry | None:
        self.errors.clear()
        data = visits.WatchInput(
            name=self.name_edit.text(),
            id_type=self.id_type_combo.currentData(),
            id_number=self.id_number_edit.text(),
            phone=self.phone_edit.text(),
            reason=self.reason_edit.text(),
        )
        entry = attempt(self.errors, lambda: visits.add_watch_entry(self._session, data))
        if entry is None:
            return None
        for edit in (self.name_edit, self.id_number_edit, self.phone_edit, self.reason_edit):
            edit.clear()
        self.refresh()
        self.name_edit.setFocus()
        return entry

    def remove_selected(self) -> None:
        entry = self.model.data(self.view.currentIndex(), ROW_ROLE)
        if entry is None:
            return
        if not msgbox.ask(
            self, self.tr("移出关注名单"), self.tr("确定将“{0}”移出关注名单吗？").format(entry.name)
        ):
            return
        try:
            visits.remove_watch_entry(self._session, entry.id)
        except ReceptionError as exc:
            msgbox.error(self, self.tr("未能移出"), exc.message)
            return
        self.refresh()


class SupervisorDecisionDialog(QDialog):
    """A supervisor logs in here (without replacing the receptionist's session) and decides
    放行 or 拒绝 for a visitor on the watch list. After ``accept()``: ``decision`` and
    ``decided_by_id``."""

    def __init__(
        self, entries: list[WatchEntry], clock: Clock | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.clock = clock or Clock()
        self.decision = ""
        self.decided_by_id: int | None = None
        self.setWindowTitle(self.tr("关注名单 — 需主管决定"))
        self.setMinimumWidth(460)

        warning = QLabel(self.tr("该访客与关注名单匹配，须由主管核实后决定是否放行："))
        warning.setWordWrap(True)
        warning.setStyleSheet(f"color: {palette.DANGER}; font-weight: bold;")
        details = QLabel(
            "\n".join(
                f"• {e.name}{'（' + e.id_masked + '）' if e.id_masked else ''}：{' '.join(e.reason.split())}"
                for e in entries
            )
        )
        details.setWordWrap(True)
        details.setStyleSheet(
            f"background: {palette.OVERDUE_BG}; border: 1px solid {palette.OVERDUE_LINE}; padding: 6px;"
        )

        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self.tr("主管登录名"), self.username)
        form.addRow(self.tr("密码"), self.password)
        self.message = error_label(self)

        self.admit_button = QPushButton(self.tr("放行"))
        self.deny_button = QPushButton(self.tr("拒绝"))
        self.cancel_button = QPushButton(self.tr("取消"))
        self.deny_button.setDefault(True)
        for button in (self.admit_button, self.deny_button, self.cancel_button):
            button.setAutoDefault(False)
        self.deny_button.setAutoDefault(True)
        self.admit_button.clicked.connect(lambda: self.decide(visits.ADMIT))
        self.deny_button.clicked.connect(lambda: self.decide(visits.DENY))
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.admit_button)
        buttons.addWidget(self.deny_button)
        buttons.addWidget(self.cancel_button)

        layout = QVBoxLayout(self)
        layout.addWidget(warning)
        layout.addWidget(details)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.username.setFocus()

    def decide(self, decision: str) -> None:
        self.message.hide()
        try:
            session = auth.login(self.username.text(), self.password.text(), self.clock)
        except ReceptionError as exc:
            self._fail(exc.message)
            return
        if not session.has(Role.SUPERVISOR):
            self._fail(self.tr("{0}不是主管，不能作出放行决定。").format(session.operator.display_name))
            auth.logout(session)
            return
        self.decision = decision
        self.decided_by_id = session.operator.id
        auth.logout(session)
        self.accept()

    def _fail(self, message: str) -> None:
        self.password.clear()
        self.message.setText(message)
        self.message.show()
        (self.password if self.username.text().strip() else self.username).setFocus()


def ask_supervisor_decision(
    parent: QWidget | None, entries: list[WatchEntry], clock: Clock | None = None
) -> tuple[str, int] | None:
    """Show the decision dialog (modal). ``(decision, supervisor id)`` or None if cancelled.
    Tests replace this function."""
    dialog = SupervisorDecisionDialog(entries, clock, parent)
    try:
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.decided_by_id is not None:
            return dialog.decision, dialog.decided_by_id
        return None
    finally:
        dialog.deleteLater()


__all__ = ["SupervisorDecisionDialog", "WatchListDialog", "ask_supervisor_decision"]
