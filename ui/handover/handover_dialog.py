"""交班 / 接班 — the end of a shift, in one dialog.

交班: the outgoing operator sees the summary of the shift (the same tables as the 交接班报告
PDF: what was done, what is still open), writes a note for the next shift, may preview the
report, and hands over (``shifts.hand_over``). 接班: the incoming operator logs in here with
their own username and password and either confirms (``shifts.confirm`` — the shift is closed,
their own shift starts, the report is archived and shown for printing) or refuses to sign with a
reason (``shifts.refuse`` — the shift goes back to the outgoing operator, the reason shown).
Closing the dialog at any point leaves the shift open.

Only the operator on duty signs the 交班 (issue 17, finding 3). When the dialog is opened by
somebody else (a colleague who logged in during the shift), the 交班 step asks for the signature
of the operator on duty — her own password, typed on this PC — or, when she has gone, for a
supervisor's login and the reason (「交班人未签，由主管X确认」 on the report).

The dialog does not switch the window's session itself: it emits :attr:`HandoverDialog.confirmed`
with the incoming session and the report PDF, and the main window does the rest."""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QDialogButtonBox
from PySide6.QtWidgets import QFormLayout
from PySide6.QtWidgets import QGroupBox
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QPlainTextEdit
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QRadioButton
from PySide6.QtWidgets import QSizePolicy
from PySide6.QtWidgets import QStackedWidget
from PySide6.QtWidgets import QTabWidget
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from reception.clock import Clock
from reception.clock import format_local
from reception.clock import to_local
from reception.documents import handover_report
from reception.errors import ReceptionError
from reception.services import auth
from reception.services import handover
from reception.services import shifts
from reception.services.handover import HandoverData
from reception.services.local import DataDir
from reception.services.records import Shift
from reception.services.session import Session
from ui.handover.handover_tables import TablesPanel
from ui.widgets import msgbox
from ui.widgets import palette
from ui.widgets import printing
from ui.widgets.detail_dialog import fit_screen
from ui.widgets.forms import error_label

_RED = palette.DANGER


class HandoverDialog(QDialog):
    """``confirmed(session, pdf)``: the incoming operator confirmed; ``pdf`` is the report."""

    confirmed = Signal(object, bytes)
    handed_over = Signal()
    refused = Signal(str)

    def __init__(
        self,
        session: Session,
        shift: Shift,
        clock: Clock | None = None,
        parent: QWidget | None = None,
        *,
        data_dir: DataDir | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.clock = clock or session.clock
        self.shift = shift
        self.data_dir = data_dir
        self.data: HandoverData | None = None
        self.incoming: Session | None = None
        self.archived: Path | None = None
        self.pdf: bytes = b""
        self.setWindowTitle(self.tr("交班"))
        self.setMinimumSize(640, 480)
        self.resize(*fit_screen(self, 1000, 760))

        self.header_label = QLabel()
        self.header_label.setStyleSheet("font-size: 12pt; font-weight: bold;")
        self.header_label.setWordWrap(True)
        self.refusal_label = QLabel()
        self.refusal_label.setWordWrap(True)
        self.refusal_label.setStyleSheet(
            f"color: {_RED}; background: {palette.ALERT_BG}; border: 1px solid {_RED}; padding: 6px;"
        )
        self.refusal_label.hide()

        self.work_panel = TablesPanel()
        self.open_panel = TablesPanel()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.open_panel, "")
        self.tabs.addTab(self.work_panel, self.tr("本班工作概况"))

        self.stack = QStackedWidget()
        self.stack.addWidget(self._hand_over_page())
        self.stack.addWidget(self._take_over_page())

        layout = QVBoxLayout(self)
        layout.addWidget(self.header_label)
        layout.addWidget(self.refusal_label)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.stack)
        self.reload()

    # -- building ---------------------------------------------------------------------------
    def _hand_over_page(self) -> QWidget:
        page = QWidget()
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(self.tr("写给下一班：需要跟进的事项、约定的回电、设备和钥匙等交接情况…"))
        self.note.setFixedHeight(84)
        self.note.setTabChangesFocus(True)
        self.hand_over_message = error_label(page)
        self.preview_button = QPushButton(self.tr("预览报告"))
        self.preview_button.clicked.connect(self.preview)
        self.hand_over_button = QPushButton(self.tr("交班"))
        self.hand_over_button.setDefault(True)
        self.hand_over_button.clicked.connect(self.hand_over)
        self.cancel_button = QPushButton(self.tr("取消"))
        self.cancel_button.clicked.connect(self.reject)
        self.signer_box = self._signer_box()
        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_button)
        buttons.addStretch(1)
        buttons.addWidget(self.hand_over_button)
        buttons.addWidget(self.cancel_button)
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 6, 0, 0)
        column.addWidget(QLabel(self.tr("交班备注（交给下一班）：")))
        column.addWidget(self.note)
        column.addWidget(self.signer_box)
        column.addWidget(self.hand_over_message)
        column.addLayout(buttons)
        return page

    def _signer_box(self) -> QGroupBox:
        """Shown only when the operator logged in is not the operator on duty: who signs."""
        box = QGroupBox(self.tr("交班人签字"))
        self.signer_present = QRadioButton()
        self.signer_absent = QRadioButton()
        self.signer_present.setChecked(True)
        self.signer_present.toggled.connect(self._show_signer_fields)
        self.outgoing_password = QLineEdit()
        self.outgoing_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.outgoing_password.returnPressed.connect(self.hand_over)
        self.supervisor_username = QLineEdit()
        self.supervisor_password = QLineEdit()
        self.supervisor_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.absent_reason = QLineEdit()
        self.absent_reason.setPlaceholderText(self.tr("例如：身体不适提前离开，已电话联系"))
        choice = QHBoxLayout()
        choice.addWidget(self.signer_present)
        choice.addWidget(self.signer_absent)
        choice.addStretch(1)
        self.signer_form = QFormLayout()
        self.signer_form.addRow(choice)
        self.signer_form.addRow(self.tr("当班人密码："), self.outgoing_password)
        self.signer_form.addRow(self.tr("主管登录名："), self.supervisor_username)
        self.signer_form.addRow(self.tr("主管密码："), self.supervisor_password)
        self.signer_form.addRow(self.tr("当班人不在的原因："), self.absent_reason)
        box.setLayout(self.signer_form)
        return box

    def _show_signer_fields(self) -> None:
        present = self.signer_present.isChecked()
        self.signer_form.setRowVisible(self.outgoing_password, present)
        for field in (self.supervisor_username, self.supervisor_password, self.absent_reason):
            self.signer_form.setRowVisible(field, not present)
        (self.outgoing_password if present else self.supervisor_username).setFocus()

    @property
    def signs_for_somebody_else(self) -> bool:
        """The operator logged in is not the one on duty: the 交班 needs the latter's signature."""
        return self.session.operator.id != self.shift.operator_id

    def _take_over_page(self) -> QWidget:
        page = QWidget()
        self.note_view = QLabel()
        self.note_view.setWordWrap(True)
        self.note_view.setTextFormat(Qt.TextFormat.PlainText)
        self.note_view.setStyleSheet(
            f"background: {palette.FORM_BG}; border: 1px solid {palette.NOTE_LINE}; padding: 6px;"
        )
        self.note_view.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        box = QGroupBox(self.tr("接班人登录确认"))
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.returnPressed.connect(self.confirm)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(self.tr("拒绝签收时必须填写原因，例如：在场访客去向未说明"))
        self.reason.setFixedHeight(52)
        self.reason.setTabChangesFocus(True)
        form = QFormLayout(box)
        form.addRow(self.tr("接班人登录名："), self.username)
        form.addRow(self.tr("密码："), self.password)
        form.addRow(self.tr("拒签原因："), self.reason)
        self.take_over_message = error_label(page)

        self.preview_button2 = QPushButton(self.tr("预览报告"))
        self.preview_button2.clicked.connect(self.preview)
        self.confirm_button = QPushButton(self.tr("确认接班"))
        self.confirm_button.setDefault(True)
        self.confirm_button.clicked.connect(self.confirm)
        self.refuse_button = QPushButton(self.tr("拒绝签收"))
        self.refuse_button.clicked.connect(self.refuse)
        self.later_button = QPushButton(self.tr("稍后接班"))
        self.later_button.setToolTip(self.tr("关闭窗口；本班保持“待接班”，可以再从“交班…”打开"))
        self.later_button.clicked.connect(self.reject)
        buttons = QDialogButtonBox()
        buttons.addButton(self.confirm_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.refuse_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.later_button, QDialogButtonBox.ButtonRole.RejectRole)
        row = QHBoxLayout()
        row.addWidget(self.preview_button2)
        row.addStretch(1)
        row.addWidget(buttons)

        column = QVBoxLayout(page)
        column.setContentsMargins(0, 6, 0, 0)
        column.addWidget(QLabel(self.tr("交班备注：")))
        column.addWidget(self.note_view)
        column.addWidget(box)
        column.addWidget(self.take_over_message)
        column.addLayout(row)
        return page

    # -- state ------------------------------------------------------------------------------
    @property
    def awaiting(self) -> bool:
        return self.shift.status == shifts.AWAITING

    def reload(self) -> None:
        """Read the shift and its handover data again and show the right step."""
        self.shift = shifts.get(self.shift.id)
        self.data = handover.for_shift(self.shift, self.clock.now())
        self._show_header()
        self._fill_tables()
        if self.awaiting:
            self.setWindowTitle(self.tr("接班"))
            self.note_view.setText(self.shift.note or self.tr("（无）"))
            self.stack.setCurrentIndex(1)
            me = self.session.operator
            signers = (self.shift.operator_id, self.shift.handed_over_by_id)
            if not self.username.text() and me.id not in signers:
                self.username.setText(me.username)  # the colleague logged in takes over: her password
                self.password.setFocus()
            else:
                self.username.setFocus()
        else:
            self.setWindowTitle(self.tr("交班"))
            if not self.note.toPlainText() and self.shift.note:
                self.note.setPlainText(self.shift.note)  # handed over before, refused
            self.stack.setCurrentIndex(0)
            on_duty = self.shift.operator.display_name
            self.signer_present.setText(self.tr("%1 在场，输入她/他自己的密码").replace("%1", on_duty))
            self.signer_absent.setText(self.tr("%1 不在，由主管确认").replace("%1", on_duty))
            self.signer_box.setVisible(self.signs_for_somebody_else)
            self._show_signer_fields()
            self.note.setFocus()
        # The step below the tables takes only the room it needs (the hidden page is ignored
        # when sizing); the tables get the rest.
        for index in range(self.stack.count()):
            page = self.stack.widget(index)
            if page is None:
                continue
            ignored = QSizePolicy.Policy.Ignored
            preferred = QSizePolicy.Policy.Preferred
            policy = preferred if index == self.stack.currentIndex() else ignored
            page.setSizePolicy(preferred, policy)
        self.stack.updateGeometry()

    def _show_header(self) -> None:
        data = self.data
        assert data is not None
        shift = self.shift
        start = format_local(shift.started_at, "%m-%d %H:%M")
        text = self.tr("%1 · 当班 %2 · 开始 %3").replace("%1", data.shift_label)
        text = text.replace("%2", data.outgoing).replace("%3", start)
        if data.helpers:
            text += self.tr(" · 协助：%1").replace("%1", data.helpers)
        if shift.handed_over_at is not None and self.awaiting:
            at = format_local(shift.handed_over_at, "%H:%M")
            text += self.tr(" · %1 交班，等待接班").replace("%1", at)
        self.header_label.setText(text)
        if data.refused and not self.awaiting:
            self.refusal_label.setText(
                self.tr("接班人拒绝签收：%1\n请说明或处理后重新交班。").replace("%1", data.refused)
            )
            self.refusal_label.show()
        elif data.refused:
            self.refusal_label.setText(self.tr("上次拒签：%1").replace("%1", data.refused))
            self.refusal_label.show()
        else:
            self.refusal_label.hide()

    def _fill_tables(self) -> None:
        data = self.data
        assert data is not None
        self.work_panel.clear()
        figures = "　".join(f"{label} {value}" for label, value in data.figures)
        self.work_panel.add_text(figures, "font-size: 11pt; padding: 4px 0;")
        for table in data.activity:
            self.work_panel.add_table(table)
        self.work_panel.finish()

        self.open_panel.clear()
        overdue_total = 0
        for index, table in enumerate(data.still_open, start=1):
            overdue = sum(1 for row in table.rows if handover_report.row_state(row) == "overdue")
            overdue_total += overdue
            if not table.rows:
                count = f"<span style='color:{palette.MUTED}'>{self.tr('（已核对：无）')}</span>"
            else:
                count = self.tr("共 %1 项").replace("%1", str(len(table.rows)))
                if overdue:
                    more = self.tr("，其中超时/逾期 %1 项").replace("%1", str(overdue))
                    count += f"<span style='color:{_RED}'>{more}</span>"
            caption = f"<b>{index}. {table.title}</b>　{count}"
            self.open_panel.add_table(table, highlight=True, caption=caption)
        self.open_panel.finish()
        items = sum(len(t.rows) for t in data.still_open)
        title = self.tr("未完成事项（交给下一班）%1 项").replace("%1", str(items))
        self.tabs.setTabText(0, title)
        color = Qt.GlobalColor.darkRed if overdue_total else Qt.GlobalColor.black
        self.tabs.tabBar().setTabTextColor(0, color)

    # -- actions ----------------------------------------------------------------------------
    def report_pdf(self) -> bytes:
        """The report as it stands now (the same data as the tables)."""
        now = self.clock.now()
        data = handover.for_shift(shifts.get(self.shift.id), now)
        return handover_report.render(data, to_local(now))

    def preview(self) -> None:
        try:
            pdf = self.report_pdf()
        except ReceptionError as exc:
            msgbox.error(self, self.tr("预览报告"), exc.message)
            return
        try:
            printing.preview_pdf(pdf, self, self.tr("交接班报告"))
        except printing.PrintError as exc:
            msgbox.error(self, self.tr("预览报告"), exc.message)

    def hand_over(self) -> None:
        """交班 by the operator on duty — logged in, or signing here with her own password — or,
        when she is gone, by a supervisor who confirms her absent with a reason."""
        self.hand_over_message.hide()
        note, version = self.note.toPlainText(), self.shift.version
        signer: Session | None = None
        try:
            if not self.signs_for_somebody_else:
                shifts.hand_over(self.session, note, expected_version=version)
            elif self.signer_present.isChecked():
                signer = self._login_signer(self.shift.operator.username, self.outgoing_password)
                if signer is None:
                    return
                shifts.hand_over(signer, note, expected_version=version)
            else:
                if not self.absent_reason.text().strip():
                    self._show_hand_over_error(self.tr("请填写当班人不在的原因。"))
                    self.absent_reason.setFocus()
                    return
                signer = self._login_signer(self.supervisor_username.text(), self.supervisor_password)
                if signer is None:
                    return
                shifts.hand_over_absent(signer, note, self.absent_reason.text(), expected_version=version)
        except ReceptionError as exc:
            self._show_hand_over_error(exc.message)
            return
        finally:
            if signer is not None:
                self._logout_quietly(signer)
        self.outgoing_password.clear()
        self.supervisor_password.clear()
        self.handed_over.emit()
        self.reload()

    def _login_signer(self, username: str, password_field: QLineEdit) -> Session | None:
        try:
            return auth.login(username, password_field.text(), self.clock)
        except ReceptionError as exc:
            password_field.clear()
            password_field.setFocus()
            self._show_hand_over_error(exc.message)
            return None

    def _show_hand_over_error(self, message: str) -> None:
        self.hand_over_message.setText(message)
        self.hand_over_message.show()

    def _login_incoming(self) -> Session | None:
        self.take_over_message.hide()
        try:
            incoming = auth.login(self.username.text(), self.password.text(), self.clock)
        except ReceptionError as exc:
            self._show_take_over_error(exc.message)
            self.password.clear()
            (self.password if self.username.text().strip() else self.username).setFocus()
            return None
        return incoming

    def _show_take_over_error(self, message: str) -> None:
        self.take_over_message.setText(message)
        self.take_over_message.show()

    def confirm(self) -> None:
        incoming = self._login_incoming()
        if incoming is None:
            return
        try:
            closed = shifts.confirm(incoming, self.shift.id)
        except ReceptionError as exc:
            self._logout_quietly(incoming)
            self._show_take_over_error(exc.message)
            return
        now = self.clock.now()
        data = handover.for_shift(closed, now)
        self.pdf = handover_report.render(data, to_local(now))
        if self.data_dir is not None:
            try:
                self.archived = handover_report.archive_copy(
                    self.pdf, self.data_dir, handover_report.archive_name(data)
                )
            except OSError as exc:
                msgbox.error(
                    self,
                    self.tr("交接班报告未存档"),
                    self.tr("已确认接班，但报告未能保存到存档文件夹：%1").replace(
                        "%1", exc.strerror or str(exc)
                    ),
                )
        self.shift = closed
        self.incoming = incoming
        self.confirmed.emit(incoming, self.pdf)
        self.accept()

    def refuse(self) -> None:
        if not self.reason.toPlainText().strip():
            self._show_take_over_error(self.tr("请填写拒签原因。"))
            self.reason.setFocus()
            return
        incoming = self._login_incoming()
        if incoming is None:
            return
        try:
            shifts.refuse(incoming, self.shift.id, self.reason.toPlainText())
        except ReceptionError as exc:
            self._show_take_over_error(exc.message)
            return
        finally:
            self._logout_quietly(incoming)
        reason = self.reason.toPlainText().strip()
        self.username.clear()
        self.password.clear()
        self.reason.clear()
        self.refused.emit(reason)
        self.reload()

    @staticmethod
    def _logout_quietly(session: Session) -> None:
        with contextlib.suppress(ReceptionError):
            auth.logout(session)
