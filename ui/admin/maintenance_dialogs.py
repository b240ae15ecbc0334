"""系统维护 (keeping the data safe): back up now, restore a backup, check the audit log, purge
expired personal data, and print the privacy notice for the desk.

Each entry gathers what it needs and calls one service in ``reception.services.maintenance``,
``reception.services.retention`` or ``reception.documents.privacy_notice``; the services check the role again.
The main window only wires the menu to these functions."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtCore import QModelIndex
from PySide6.QtCore import QPersistentModelIndex
from PySide6.QtCore import Qt
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QHeaderView
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from reception.clock import to_local
from reception.errors import ReceptionError
from reception.services import desks
from reception.services import maintenance
from reception.services import retention
from reception.services import settings as settings_mod
from reception.services.local import DataDir
from reception.services.records import BackupInfo
from reception.services.session import Session
from ui.widgets import msgbox
from ui.widgets import palette
from ui.widgets.dialog_parts import preview_or_tell
from ui.widgets.dialog_parts import print_or_tell
from ui.widgets.record_list import rows_table
from ui.widgets.records import RecordsModel

log = logging.getLogger(__name__)

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
WHEN, KIND, SIZE, FILE = range(4)
_Index = QModelIndex | QPersistentModelIndex
_MAX_PROBLEMS_SHOWN = 15


def _tr(text: str) -> str:
    return QCoreApplication.translate("maintenance", text)


def backup_time(info: BackupInfo) -> str:
    """2026-11-26 09:00:05 — the time in the backup's file name (local time)."""
    return info.created.strftime("%Y-%m-%d %H:%M:%S")


def file_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(size, 0) / 1024:.0f} KB"


class BackupListModel(RecordsModel):
    """The backups in a folder, newest first; ``ROW_ROLE`` gives the :class:`BackupInfo`."""

    context = "BackupListModel"
    right_aligned = (SIZE,)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                ("备份时间", backup_time),
                ("类型", lambda info: QCoreApplication.translate("BackupListModel", info.label)),
                ("大小", lambda info: file_size(info.size)),
                ("文件名", lambda info: info.path.name),
            ],
            parent,
        )


class RestoreDialog(QDialog):
    """从备份恢复 (administrators): choose a backup, confirm, restore.

    ``restored(Path)`` (the backup used) after the database was replaced: the caller must reload
    everything it shows — the main window asks the operator to log in again."""

    restored = Signal(object)

    def __init__(self, session: Session, data: DataDir, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.data = data
        self.setWindowTitle(self.tr("从备份恢复"))
        self.resize(680, 420)
        intro = QLabel(
            self.tr(
                "选择一份备份，用它替换当前的全部数据。恢复前会先把当前数据另存一份（类型“恢复前”），"
                "该备份之后登记的记录恢复后将不再显示。恢复完成后需要重新登录。"
            )
        )
        intro.setWordWrap(True)
        self.model = BackupListModel(self)
        self.view = rows_table(self.model, alternate=True)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(FILE, QHeaderView.ResizeMode.Stretch)
        self.view.doubleClicked.connect(lambda _i: self.restore_selected())
        self.empty_label = QLabel(self.tr("备份文件夹中还没有备份。"))
        self.empty_label.setStyleSheet(f"color: {palette.DONE};")
        self.folder_label = QLabel(self.tr("备份文件夹：%1").replace("%1", str(data.backups)))
        self.folder_label.setStyleSheet(f"color: {palette.DONE};")
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.restore_button = QPushButton(self.tr("恢复所选备份…"))
        self.restore_button.clicked.connect(self.restore_selected)
        self.close_button = QPushButton(self.tr("关闭"))
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.folder_label, 1)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty_label)
        layout.addLayout(buttons)
        self.reload()
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self._update_buttons()

    def reload(self) -> None:
        self.model.set_rows(maintenance.list_backups(self.data))
        self.empty_label.setVisible(self.model.rowCount() == 0)
        if self.model.rowCount():
            self.view.selectRow(0)

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    def selected(self) -> BackupInfo | None:
        rows = self.view.selectionModel().selectedRows()
        info = rows[0].data(ROW_ROLE) if rows else None
        return info if isinstance(info, BackupInfo) else None

    def restore_selected(self) -> bool:
        info = self.selected()
        if info is None:
            return False
        title = self.tr("从备份恢复")
        question = (
            self.tr(
                "确定用 %1 的备份（%2）替换当前的全部数据吗？\n\n"
                "当前数据会先另存为“恢复前”备份；该备份之后登记的记录恢复后将不再显示。"
                "恢复完成后需要重新登录。"
            )
            .replace("%1", backup_time(info))
            .replace("%2", info.label)
        )
        if not msgbox.ask(self, title, question):
            return False
        try:
            maintenance.restore(self.session, self.data, info.path, self.session.now())
        except ReceptionError as exc:
            log.warning("restore refused or failed: %s", type(exc).__name__)
            msgbox.error(self, title, exc.message)
            return False
        except OSError as exc:
            log.warning("restore failed: %s", type(exc).__name__)
            msgbox.error(
                self,
                title,
                self.tr("恢复未完成：%1\n请联系系统管理员。").replace("%1", exc.strerror or str(exc)),
            )
            return False
        log.info("restored from backup %s", info.path.name)
        self.restored.emit(info.path)
        self.accept()
        return True


# ---- the other menu entries ----------------------------------------------------------------------


def server_backup_text() -> str:
    """What the backup entries say on a site whose database is on a server (the service's own
    words, which it also gives when asked for a backup there)."""
    return maintenance.SERVER_BACKUP_MESSAGE


def backup_now(parent: QWidget | None, session: Session, data: DataDir) -> Path | None:
    """立即备份 (any operator): the new file's name is shown. On a server site there is nothing
    to do here: the server's own backups are meant (said so, nothing is written)."""
    title = _tr("立即备份")
    if desks.is_server():
        msgbox.info(parent, title, server_backup_text())
        return None
    try:
        path = maintenance.backup_now(session, data, session.now())
    except ReceptionError as exc:
        msgbox.error(parent, title, exc.message)
        return None
    except OSError as exc:
        msgbox.error(parent, title, _tr("备份未完成：%1").replace("%1", exc.strerror or str(exc)))
        return None
    msgbox.info(
        parent,
        title,
        _tr("备份完成。\n文件：%1\n位置：%2").replace("%1", path.name).replace("%2", str(path.parent)),
    )
    return path


def check_audit(parent: QWidget | None, session: Session) -> list[str]:
    """检查审计日志 (supervisors): whether the chain of entries is whole."""
    title = _tr("检查审计日志")
    try:
        problems = maintenance.verify_audit(session)
    except ReceptionError as exc:
        msgbox.error(parent, title, exc.message)
        return [exc.message]
    if not problems:
        msgbox.info(parent, title, _tr("审计日志完整，未发现修改、删除或顺序被打乱的记录。"))
        return problems
    log.warning("audit log check found %d problems", len(problems))
    shown = problems[:_MAX_PROBLEMS_SHOWN]
    text = _tr("审计日志发现 %1 处问题：").replace("%1", str(len(problems))) + "\n\n" + "\n".join(shown)
    if len(problems) > len(shown):
        text += "\n" + _tr("……另有 %1 处未列出").replace("%1", str(len(problems) - len(shown)))
    text += "\n\n" + _tr("请保留现场并联系系统管理员。")
    msgbox.error(parent, title, text)
    return problems


def purge_now(parent: QWidget | None, session: Session) -> retention.PurgeResult | None:
    """立即清除过期个人信息 (administrators): confirm, purge, show the counts."""
    title = _tr("清除过期个人信息")
    try:
        days = settings_mod.load().retention_days
    except ReceptionError as exc:
        msgbox.error(parent, title, exc.message)
        return None
    question = _tr(
        "将清除保存已超过 %1 天的访客证件信息、车牌和电话号码（来访、来电、留言、已完成的回电和预约）。"
        "登记记录本身保留。\n\n清除后无法恢复，确定现在清除吗？"
    ).replace("%1", str(days))
    if not msgbox.ask(parent, title, question):
        return None
    try:
        result = retention.purge_now(session)
    except ReceptionError as exc:
        msgbox.error(parent, title, exc.message)
        return None
    if result.total == 0:
        msgbox.info(parent, title, _tr("没有需要清除的过期个人信息。"))
        return result
    text = (
        _tr("已清除 %1 条记录中的个人信息：\n来访 %2，来电 %3，留言 %4，回电 %5，预约 %6。")
        .replace("%1", str(result.total))
        .replace("%2", str(result.visits))
        .replace("%3", str(result.calls))
        .replace("%4", str(result.messages))
        .replace("%5", str(result.callbacks))
        .replace("%6", str(result.appointments))
    )
    msgbox.info(parent, title, text)
    return result


class PrivacyNoticeDialog(QDialog):
    """打印个人信息告知: what the notice says about retention and contact, then 打印预览 /
    直接打印 / 另存为 PDF (through ui.widgets.printing)."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(self.tr("个人信息告知"))
        self.setMinimumWidth(460)
        conf = settings_mod.load()
        contact = conf.privacy_contact.strip() or self.tr("（未设置，将印前台电话）")
        summary = QLabel(
            self.tr(
                "《个人信息收集与使用告知》用 A4 纸打印，张贴在前台。\n\n"
                "访客证件信息和电话号码保存：%1 天\n咨询联系方式：%2\n\n"
                "以上内容可由管理员在“系统设置 → 隐私与备份”中修改。"
            )
            .replace("%1", str(conf.retention_days))
            .replace("%2", contact)
        )
        summary.setWordWrap(True)
        self.preview_button = QPushButton(self.tr("打印预览…"))
        self.print_button = QPushButton(self.tr("直接打印"))
        self.save_button = QPushButton(self.tr("另存为 PDF…"))
        self.close_button = QPushButton(self.tr("关闭"))
        self.preview_button.clicked.connect(self.preview)
        self.print_button.clicked.connect(self.print_now)
        self.save_button.clicked.connect(self.save_as)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.preview_button, self.print_button, self.save_button, self.close_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        self.preview_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addLayout(buttons)

    def _render(self) -> bytes | None:
        from reception.documents.privacy_notice import render_privacy_notice

        try:
            return render_privacy_notice(to_local(self.session.now()))
        except ReceptionError as exc:
            msgbox.error(self, self.tr("个人信息告知"), exc.message)
            return None

    def preview(self) -> bool:
        pdf = self._render()
        return pdf is not None and preview_or_tell(self, self.tr("打印失败"), pdf, self.tr("个人信息告知"))

    def print_now(self) -> bool:
        pdf = self._render()
        return pdf is not None and print_or_tell(
            self, self.tr("打印失败"), pdf, title=self.tr("个人信息告知")
        )

    def save_as(self) -> Path | None:
        from ui.widgets import printing

        pdf = self._render()
        if pdf is None:
            return None
        return printing.save_pdf_as(pdf, self, self.tr("个人信息告知") + ".pdf")
