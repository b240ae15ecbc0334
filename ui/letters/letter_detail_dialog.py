"""One letter: every field, its files (opened with the system viewer; a file gone from the data
folder shows 文件缺失), and the actions its status allows — 转办, 登记答复, 归档, 追加附件 —
plus the routing slip (来函处理单) to preview, print or save as PDF."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtCore import QUrl
from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QGroupBox
from PySide6.QtWidgets import QListWidget
from PySide6.QtWidgets import QListWidgetItem
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from reception.clock import format_local
from reception.errors import ConflictError
from reception.errors import ReceptionError
from reception.errors import ValidationError
from reception.rules import phones
from reception.services import cases
from reception.services import letters
from reception.services import residents
from reception.services.records import Attachment
from reception.services.records import AttachmentStore
from reception.services.records import Letter
from reception.services.session import Session
from ui.letters.letter_actions import ReplyDialog
from ui.letters.letter_actions import RouteDialog
from ui.letters.letter_files import FILE_FILTER
from ui.letters.letter_files import size_text
from ui.letters.letter_list_model import OVERDUE_COLOR
from ui.letters.letter_list_model import sender_text
from ui.widgets import msgbox
from ui.widgets import palette
from ui.widgets.detail_dialog import DetailDialog
from ui.widgets.detail_dialog import SlipTexts
from ui.widgets.detail_dialog import push_button
from ui.widgets.saving import save_with_retry

_STYLE = f"""
QLabel#status[overdue="true"] {{ background: {palette.OVERDUE_BG}; color: {palette.OVERDUE}; }}
"""

PATH_ROLE = Qt.ItemDataRole.UserRole + 1
NAME_ROLE = Qt.ItemDataRole.UserRole + 2


class LetterDetailDialog(DetailDialog):
    """``changed(letter)`` after any action stored something."""

    changed = Signal(object)

    FACTS = (
        ("serial", "编号"),
        ("receipt_no", "收文编号"),
        ("received", "收到时间"),
        ("channel", "来函方式"),
        ("type", "来函类别"),
        ("confidentiality", "密级"),
        ("sender", "来函人/单位"),
        ("resident", "关联住户"),
        ("contact", "联系方式"),
        ("sender_ref", "来函文号"),
        ("pages", "页数"),
        ("", ""),  # keeps 登记人 / 登记前台 on one row
        ("operator", "登记人（首问）"),
        ("desk", "登记前台"),
        ("department", "承办部门"),
        ("handler", "承办人"),
        ("due", "答复期限"),
        ("case", "投诉工单"),
        ("replied", "答复"),
        ("archived", "归档时间"),
    )

    def __init__(
        self, session: Session, letter_id: int, store: AttachmentStore, parent: QWidget | None = None
    ) -> None:
        super().__init__(session, parent)
        self._store = store
        self._letter: Letter = letters.get_letter(letter_id)
        self.route_dialog: RouteDialog | None = None
        self.reply_dialog: ReplyDialog | None = None
        self._build_and_load(_STYLE, 940, 760)

    # ---- building -------------------------------------------------------------------------
    def _build(self) -> None:
        layout = self._head_and_facts()

        texts, self.summary_view, self.reply_view = self._text_pair(self.tr("内容摘要"), self.tr("答复内容"))
        layout.addLayout(texts, 1)

        files_box = QGroupBox(self.tr("附件（双击用系统程序打开）"))
        column = QVBoxLayout(files_box)
        self.files_list = QListWidget()
        self.files_list.itemActivated.connect(self.open_item)
        line = self.fontMetrics().height() + 6
        self.files_list.setMinimumHeight(line * 3)
        self.files_list.setMaximumHeight(line * 6)
        column.addWidget(self.files_list)
        layout.addWidget(files_box)

        self.route_button = push_button(self.tr("转办…"), self.open_route)
        self.reply_button = push_button(self.tr("登记答复…"), self.open_reply)
        self.archive_button = push_button(self.tr("归档"), self.archive)
        self.add_files_button = push_button(self.tr("追加附件…"), self.add_files)
        self._print_button(self.tr("打印处理单"), self.tr("另存为 PDF…"))
        self.close_button = push_button(self.tr("关闭"), self.accept)
        buttons = (
            self.route_button,
            self.reply_button,
            self.archive_button,
            self.add_files_button,
            self.print_button,
        )
        layout.addLayout(self._button_row(buttons, self.close_button))

    # ---- showing ---------------------------------------------------------------------------
    def letter(self) -> Letter:
        return self._letter

    def _load(self) -> None:
        letter = self._letter
        now = self._session.now()
        overdue = letters.is_overdue(letter, now)
        self.setWindowTitle(self.tr("来函详情 — {0}").format(letter.serial))
        self.title_label.setText(letter.subject)
        status = self.tr(letter.status)
        self.status_label.setText(self.tr("{0}（逾期）").format(status) if overdue else status)
        self._repolish(self.status_label, "overdue", overdue)

        resident = letter.resident
        values = {
            "serial": letter.serial,
            "receipt_no": letter.receipt_no,
            "received": format_local(letter.received_at),
            "channel": self.tr(letter.channel),
            "type": self.tr(letter.letter_type),
            "confidentiality": self.tr(letter.confidentiality),
            "sender": sender_text(letter),
            "resident": (
                f"{resident.name}（{residents.room_label(resident.building, resident.unit, resident.room)}）"
                if resident is not None
                else self.tr("未关联")
            ),
            "contact": phones.mask_in_text(letter.contact) or "—",
            "sender_ref": letter.sender_ref or "—",
            "pages": self.tr("{0} 页").format(letter.pages),
            "operator": letter.operator.display_name,
            "desk": letter.desk or "—",
            "department": letter.department.name if letter.department else self.tr("（待分办）"),
            "handler": letter.handler or "—",
            "due": format_local(letter.reply_due_at) + (self.tr("　已逾期") if overdue else ""),
            "case": "、".join(
                f"{c.serial}（{self.tr(c.status)}）" for c in cases.for_source("letter", letter.id)
            )
            or "—",
            "replied": (
                self.tr("{0}　{1}　答复人：{2}").format(
                    format_local(letter.replied_at), self.tr(letter.reply_channel), letter.replied_by
                )
                if letter.replied_at
                else self.tr("尚未答复")
            ),
            "archived": format_local(letter.archived_at) or "—",
        }
        for key, text in values.items():
            self.fact_labels[key].setText(text)
        due_label = self.fact_labels["due"]
        due_label.setStyleSheet(f"color: {OVERDUE_COLOR.name()}; font-weight: bold;" if overdue else "")
        self.summary_view.setPlainText(letter.summary)
        self.reply_view.setPlainText(letter.reply_summary)
        self._load_files()

        is_open = letter.status in letters.OPEN
        self.route_button.setEnabled(is_open)
        self.route_button.setText(self.tr("改派…") if letter.department_id else self.tr("转办…"))
        self.reply_button.setEnabled(is_open)
        self.archive_button.setEnabled(letter.status == letters.REPLIED)
        self.add_files_button.setEnabled(letter.status != letters.ARCHIVED)

    def _load_files(self) -> None:
        self.files_list.clear()
        rows = letters.files_of(self._letter.id)
        if not rows:
            item = QListWidgetItem(self.tr("（没有电子附件）"))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.files_list.addItem(item)
            return
        for att in rows:
            path = self._store.path_of(att)
            role = self.tr("答复") if att.role == "reply" else self.tr("来函")
            text = f"[{role}] {att.original_name}    {size_text(att.size)}    {format_local(att.added_at)}"
            if path is None:
                text += "    " + self.tr("文件缺失")
            item = QListWidgetItem(text)
            item.setData(PATH_ROLE, str(path) if path is not None else "")
            item.setData(NAME_ROLE, att.original_name)
            if path is None:
                item.setForeground(QColor(palette.OVERDUE))
                item.setToolTip(
                    self.tr("数据文件夹中找不到这个文件（可能已被移动或删除），请联系管理员从备份恢复。")
                )
            self.files_list.addItem(item)

    def file_texts(self) -> list[str]:
        return [self.files_list.item(i).text() for i in range(self.files_list.count())]

    def open_item(self, item: QListWidgetItem) -> bool:
        path = item.data(PATH_ROLE)
        if not path:
            if item.flags() & Qt.ItemFlag.ItemIsEnabled:
                msgbox.error(self, self.tr("文件缺失"), self.tr("数据文件夹中找不到这个文件，无法打开。"))
            return False
        return self.open_path(Path(path), item.data(NAME_ROLE) or Path(path).name)

    def open_path(self, path: Path, name: str) -> bool:
        """Open a read-only temporary copy (an edit in the viewer never changes the stored file)."""
        try:
            copy = letters.viewing_copy(path, name)
        except OSError as exc:
            msgbox.error(
                self, self.tr("无法打开"), self.tr("未能准备文件副本：{0}").format(exc.strerror or str(exc))
            )
            return False
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(copy))):
            msgbox.error(
                self, self.tr("无法打开"), self.tr("系统没有能打开这个文件的程序：{0}").format(path.name)
            )
            return False
        return True

    def _reload(self) -> None:
        self._letter = letters.get_letter(self._letter.id)
        self._load()

    def _changed(self, letter: object) -> None:
        if isinstance(letter, Letter):
            self._letter = letter
        self._reload()
        self.changed.emit(self._letter)

    # ---- actions ----------------------------------------------------------------------------
    def open_route(self) -> RouteDialog:
        dialog = RouteDialog(self._session, self._letter, self)
        self.route_dialog = dialog
        self._open_action(dialog, self._changed)
        return dialog

    def open_reply(self) -> ReplyDialog:
        dialog = ReplyDialog(self._session, self._letter, self._store, self)
        self.reply_dialog = dialog
        self._open_action(dialog, self._changed)
        return dialog

    def archive(self) -> bool:
        if not msgbox.ask(
            self,
            self.tr("归档"),
            self.tr("归档后这份来函不能再转办或答复。确定归档 {0} 吗？").format(self._letter.serial),
        ):
            return False
        try:
            letter = letters.archive_letter(self._session, self._letter.id, self._letter.version)
        except ConflictError:
            self._changed(None)  # show the newer letter (and let the list know)
            msgbox.error(
                self,
                self.tr("未能归档"),
                self.tr("这份来函已被其他人修改，未归档。窗口中已显示最新内容，请核对后再操作。"),
            )
            return False
        except ValidationError as exc:
            msgbox.error(self, self.tr("未能归档"), exc.message)
            self._reload()
            return False
        except ReceptionError as exc:
            msgbox.error(self, self.tr("未能归档"), exc.message)
            return False
        self._changed(letter)
        return True

    def add_files(self) -> list[Attachment]:
        chosen = msgbox.open_files(self, self.tr("追加附件"), self.tr(FILE_FILTER))
        if not chosen:
            return []
        return self.add_paths([Path(p) for p in chosen])

    def add_paths(self, paths: list[Path]) -> list[Attachment]:
        rows = save_with_retry(
            self,
            self.tr("未能追加附件"),
            lambda: letters.add_files(self._session, self._letter.id, paths, self._store),
            on_invalid=lambda exc: msgbox.error(self, self.tr("未能追加附件"), exc.message),
        )
        if rows is None:
            return []
        self._changed(None)
        return rows

    # ---- the routing slip ---------------------------------------------------------------------
    def _render_slip(self, printed_at: datetime) -> bytes:
        from reception.documents import routing_slip

        return routing_slip.routing_slip_for(self._letter.id, printed_at=printed_at)

    def _slip_texts(self) -> SlipTexts:
        return SlipTexts(
            self.tr("来函处理单 {0}").format(self._letter.serial),
            self.tr("来函处理单-{0}.pdf").format(self._letter.serial),
            self.tr("无法生成处理单"),
        )
