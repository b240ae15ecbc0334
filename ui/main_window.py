"""The main window: the 来电 / 来访 / 来函 tabs, the menus and the status bar with the desk's
open-item counts. Building it opens nothing and starts nothing; :meth:`MainWindow.start` does."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QWidget

from reception import auth, counters
from reception import settings as settings_mod
from reception.clock import Clock
from reception.errors import ReceptionError
from reception.session import Role, Session
from ui import msgbox
from ui.placeholder_tab import PlaceholderTab

REFRESH_MS = 30_000
_RED = "#c62828"


class MainWindow(QMainWindow):
    def __init__(self, session: Session, clock: Clock | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.clock = clock or session.clock
        self.resize(1180, 760)
        self.setMinimumSize(900, 600)

        from ui.call_tab import CallTab

        self.call_tab = CallTab(session, self)
        self.call_tab.changed.connect(self.refresh_counts)
        self.visit_tab = PlaceholderTab(
            self.tr("来访登记"),
            self.tr("来访登记功能将在后续版本提供。\n目前请按纸质《来访登记表》登记访客，并通知被访业户。"),
        )
        self.letter_tab = PlaceholderTab(
            self.tr("来函登记"),
            self.tr("来函登记功能将在后续版本提供。\n目前请按纸质《来函登记簿》登记来函，并交相关部门处理。"),
        )
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.call_tab, self.tr("来电"))
        self.tabs.addTab(self.visit_tab, self.tr("来访"))
        self.tabs.addTab(self.letter_tab, self.tr("来函"))
        self.setCentralWidget(self.tabs)

        self._build_menus()
        self._build_status_bar()
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh_counts)
        self._show_session()
        self.update_title()

    # -- building -------------------------------------------------------------------------
    def _action(self, text: str, slot, shortcut: QKeySequence | str | None = None) -> QAction:  # type: ignore[no-untyped-def]
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("文件(&F)"))
        self.new_call_action = self._action(
            self.tr("新建来电登记"), self.new_call, QKeySequence(Qt.Key.Key_F2)
        )
        self.new_call_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.addAction(self.new_call_action)
        file_menu.addAction(self.new_call_action)
        file_menu.addSeparator()
        self.import_action = self._action(self.tr("导入业户资料…"), self.open_import)
        file_menu.addAction(self.import_action)
        file_menu.addSeparator()
        self.quit_action = self._action(self.tr("退出"), self.close)
        file_menu.addAction(self.quit_action)

        residents_menu = bar.addMenu(self.tr("业户(&R)"))
        self.residents_action = self._action(self.tr("业户资料"), self.open_residents)
        residents_menu.addAction(self.residents_action)

        operator_menu = bar.addMenu(self.tr("操作员(&O)"))
        self.switch_action = self._action(self.tr("切换操作员"), self.switch_operator)
        self.password_action = self._action(self.tr("修改密码"), self.change_password)
        operator_menu.addAction(self.switch_action)
        operator_menu.addAction(self.password_action)

        settings_menu = bar.addMenu(self.tr("设置(&S)"))
        self.settings_action = self._action(self.tr("系统设置"), self.open_settings)
        settings_menu.addAction(self.settings_action)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.operator_label = QLabel()
        self.cases_label = QLabel()
        self.messages_label = QLabel()
        self.callbacks_label = QLabel()
        self.operator_label.setContentsMargins(6, 0, 6, 0)
        bar.addWidget(self.operator_label)
        for label in (self.cases_label, self.messages_label, self.callbacks_label):
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setContentsMargins(12, 0, 4, 0)
            bar.addPermanentWidget(label)

    # -- state ------------------------------------------------------------------------------
    def start(self) -> None:
        """Start the periodic work (the counts' refresh). Called once the window is shown."""
        self.refresh_counts()
        self.timer.start()

    def set_session(self, session: Session) -> None:
        self.session = session
        self.call_tab.set_session(session)
        self._show_session()
        self.refresh_counts()

    def _show_session(self) -> None:
        op = self.session.operator
        self.operator_label.setText(
            self.tr("当前操作员：%1（%2）")
            .replace("%1", op.display_name)
            .replace("%2", self.session.role.label)
        )
        self.settings_action.setEnabled(self.session.has(Role.ADMIN))

    def update_title(self) -> None:
        name = settings_mod.load().property_name
        self.setWindowTitle(self.tr("前台接待工作站") + (f" — {name}" if name else ""))

    def _count_html(self, caption: str, total: int, overdue: int | None = None) -> str:
        text = f"{caption} <b>{total}</b>"
        if overdue is not None:
            over = self.tr("超时")
            if overdue:
                text += f"<span style='color:{_RED}; font-weight:bold'>（{over} {overdue}）</span>"
            else:
                text += f"（{over} 0）"
        return text

    def refresh_counts(self) -> None:
        try:
            counts = counters.desk_counts(self.clock.now())
        except ReceptionError as exc:
            self.statusBar().showMessage(exc.message, 10_000)
            return
        self.counts = counts
        self.cases_label.setText(
            self._count_html(self.tr("未完成工单"), counts.open_cases, counts.overdue_cases)
        )
        self.messages_label.setText(self._count_html(self.tr("未转达留言"), counts.undelivered_messages))
        self.callbacks_label.setText(
            self._count_html(self.tr("待回电"), counts.open_callbacks, counts.overdue_callbacks)
        )

    def has_unsaved(self) -> bool:
        check = getattr(self.call_tab, "has_unsaved", None)
        return bool(check()) if check is not None else False

    # -- actions ------------------------------------------------------------------------------
    def new_call(self) -> None:
        self.tabs.setCurrentWidget(self.call_tab)
        self.call_tab.new_call()

    def switch_operator(self) -> None:
        if self.has_unsaved():
            msgbox.info(
                self,
                self.tr("切换操作员"),
                self.tr("当前来电登记尚未保存。请先保存或放弃这条登记，再切换操作员。"),
            )
            return
        from ui.login_dialog import LoginDialog

        dialog = LoginDialog(
            self.clock, self, property_name=settings_mod.load().property_name, switching=True
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.logged_in.connect(self._finish_switch)
        self.login_dialog = dialog
        dialog.open()

    def _finish_switch(self, new_session: object) -> None:
        """The next operator has logged in: close the previous operator's session."""
        if not isinstance(new_session, Session):
            return
        try:
            auth.logout(self.session)
        except ReceptionError as exc:
            self.statusBar().showMessage(exc.message, 10_000)
        self.set_session(new_session)

    def change_password(self) -> None:
        from ui.login_dialog import ChangePasswordDialog

        dialog = ChangePasswordDialog(self.session, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.statusBar().showMessage(self.tr("密码已修改。"), 10_000))
        self.password_dialog = dialog
        dialog.open()

    def open_settings(self) -> None:
        if not self.session.has(Role.ADMIN):
            return
        from ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.session, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self.update_title)
        self.settings_dialog = dialog
        dialog.open()

    def open_residents(self) -> None:
        from ui.residents_view import ResidentsDialog

        dialog = ResidentsDialog(self.session, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.residents_dialog = dialog
        dialog.open()

    def open_import(self) -> None:
        from ui.import_dialog import ImportDialog

        dialog = ImportDialog(self.session, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.import_dialog = dialog
        dialog.open()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.has_unsaved() and not msgbox.ask(
            self, self.tr("退出"), self.tr("当前来电登记尚未保存，退出后将丢失。确定要退出吗？")
        ):
            event.ignore()
            return
        self.timer.stop()
        event.accept()
