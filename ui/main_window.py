"""The main window: the 来电 / 来访 / 来函 tabs, the menus and the status bar with the desk's
open-item counts. Building it opens nothing and starts nothing; :meth:`MainWindow.start` does."""

from __future__ import annotations

import contextlib
import logging
import weakref
from collections.abc import Callable
from collections.abc import Sequence
from datetime import datetime
from datetime import timedelta
from typing import TYPE_CHECKING
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtGui import QCloseEvent
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QMainWindow
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QTabWidget
from PySide6.QtWidgets import QWidget

from reception.clock import Clock
from reception.clock import format_local
from reception.errors import ReceptionError
from reception.services import auth
from reception.services import cases
from reception.services import counters
from reception.services import desks
from reception.services import letters
from reception.services import local
from reception.services import settings as settings_mod
from reception.services import shifts
from reception.services import visits
from reception.services.local import DataDir
from reception.services.records import AttachmentStore
from reception.services.session import Role
from reception.services.session import Session
from ui.widgets import msgbox
from ui.widgets import palette
from ui.widgets.eliding_label import ElidingLabel

if TYPE_CHECKING:
    from ui.cases.case_tab import CaseTab
    from ui.letters.letter_tab import LetterTab
    from ui.visits.visit_tab import VisitTab

log = logging.getLogger(__name__)
REFRESH_MS = 30_000
CHANGES_MS = 2_500  # how often the window looks whether anything was saved (e.g. at another desk)
CHANGES_RETRY_MS = 15_000  # … and, while the database cannot be read, how often it tries again
_LAZY_TABS = (("visit_tab", "来访"), ("letter_tab", "来函"), ("case_tab", "工单"))
_DRAFT_KEYS = {"visit_tab": ("guest", "business"), "letter_tab": ("letter",), "case_tab": ("case",)}
_RED = palette.OVERDUE
# A menu item: the window's attribute for its action, its text, what it does and, for the desk's
# function keys, its key.
MenuEntry = tuple[str, str, Callable[[], object]] | tuple[str, str, Callable[[], object], Qt.Key]
DAILY_JOBS_MINUTES = 5  # the daily backup / purge check runs at most this often


class MainWindow(QMainWindow):
    # The menus' actions (made from the tables in _build_menus).
    new_call_action: QAction
    new_guest_action: QAction
    new_business_action: QAction
    new_letter_action: QAction
    new_case_action: QAction
    import_action: QAction
    quit_action: QAction
    residents_action: QAction
    switch_action: QAction
    password_action: QAction
    pin_action: QAction
    handover_action: QAction
    analysis_action: QAction
    daily_report_action: QAction
    settings_action: QAction
    backup_action: QAction
    restore_action: QAction
    audit_action: QAction
    purge_action: QAction
    notice_action: QAction
    recovery_action: QAction
    shortcuts_action: QAction
    open_folder_action: QAction
    about_action: QAction

    def __init__(
        self,
        session: Session,
        clock: Clock | None = None,
        parent: QWidget | None = None,
        *,
        data_dir: DataDir | None = None,
    ) -> None:
        """``data_dir`` is where letters' files are kept (``attachments/``); without it, the
        folder next to the open database."""
        super().__init__(parent)
        self.session = session
        self.clock = clock or session.clock
        self.data_dir = data_dir  # the handover reports are archived in data_dir.archive
        self.daily_jobs_at: datetime | None = None  # when the daily jobs were last checked
        self.restart_requested = False  # set after a restore: the start step logs in again
        self.logged_out = False  # 退出: the operator was logged out (and their drafts deleted)
        self._jobs_started = False  # the first daily-jobs check (at start) also purges old drafts
        self.resize(1180, 760)
        self.setMinimumSize(900, 600)

        from ui.calls.call_tab import CallTab

        self.call_tab = CallTab(session, self)
        self.call_tab.changed.connect(self.refresh_counts)
        self._store = AttachmentStore(data_dir.attachments) if data_dir is not None else None
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.call_tab, self.tr("来电"))
        # The other tabs are built when first shown or used (start-up builds only the visible
        # one): until then an empty placeholder holds their place.
        self._built_tabs: dict[str, QWidget] = {}
        self._placeholders: dict[str, QWidget] = {}
        for name, label in _LAZY_TABS:
            placeholder = QWidget()
            self._placeholders[name] = placeholder
            self.tabs.addTab(placeholder, self.tr(label))
        self.tabs.currentChanged.connect(self._build_shown_tab)
        from ui.admin.idle_lock import IdleLock

        self.idle_lock = IdleLock(self)
        self.idle_lock.about_to_lock.connect(self.save_drafts)
        self.idle_lock.switched.connect(self._finish_switch)
        self.setCentralWidget(self.idle_lock.wrap(self.tabs))

        self._build_menus()
        self._build_status_bar()
        self._build_phone()
        self.idle_lock.hide_when_locked(self.operator_label, self.shift_label, self.handover_button)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.periodic_check)
        # Several desks on one database: every few seconds, whether anything was saved anywhere.
        self.changes_timer = QTimer(self)
        self.changes_timer.setInterval(CHANGES_MS)
        self.changes_timer.timeout.connect(self.check_changes)
        self._changes_ms = CHANGES_MS
        self._seen_change: int | None = None
        self._change_check_failing = False
        self._stale_tabs: set[str] = set()  # tabs to re-read when next shown
        self.tabs.currentChanged.connect(self._reload_if_stale)
        self._show_session()
        self.show_desk()
        self.update_title()

    # -- building -------------------------------------------------------------------------
    @property
    def visit_tab(self) -> VisitTab:
        return self._tab("visit_tab")  # type: ignore[return-value]

    @property
    def letter_tab(self) -> LetterTab:
        return self._tab("letter_tab")  # type: ignore[return-value]

    @property
    def case_tab(self) -> CaseTab:
        return self._tab("case_tab")  # type: ignore[return-value]

    def _make_tab(self, name: str) -> QWidget:
        if name == "visit_tab":
            from ui.visits.visit_tab import VisitTab

            return VisitTab(self.session, self)
        if name == "letter_tab":
            from ui.letters.letter_tab import LetterTab

            return LetterTab(self.session, self, store=self._store)
        from ui.cases.case_tab import CaseTab

        return CaseTab(self.session, self)

    def _tab(self, name: str) -> QWidget:
        """The tab called ``name``, built (in its placeholder's place) on first use."""
        tab = self._built_tabs.get(name)
        if tab is not None:
            return tab
        tab = self._make_tab(name)
        self._stale_tabs.discard(name)
        tab.changed.connect(self.refresh_counts)  # type: ignore[attr-defined]
        self._built_tabs[name] = tab
        placeholder = self._placeholders.pop(name)
        index = self.tabs.indexOf(placeholder)
        current = self.tabs.currentIndex()
        label = self.tabs.tabText(index)
        blocked = self.tabs.blockSignals(True)
        try:
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, tab, label)
            self.tabs.setCurrentIndex(current)
        finally:
            self.tabs.blockSignals(blocked)
        placeholder.deleteLater()
        return tab

    def _build_shown_tab(self, index: int) -> None:
        for name, placeholder in list(self._placeholders.items()):
            if self.tabs.indexOf(placeholder) == index:
                self._tab(name)
                return

    def _action(self, text: str, slot, shortcut: QKeySequence | str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            # the desk's function keys work anywhere in the window (ui/widgets/tab_parts.py)
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(action)
        action.triggered.connect(slot)
        return action

    def _menu(self, title: str, entries: Sequence[MenuEntry | None]) -> None:
        """A menu of the menu bar: each entry (attribute, text, slot[, key]) becomes the action
        ``self.<attribute>``; ``None`` is a separator."""
        menu = self.menuBar().addMenu(title)
        for entry in entries:
            if entry is None:
                menu.addSeparator()
                continue
            name, text, slot, *key = entry
            action = self._action(text, slot, QKeySequence(key[0]) if key else None)
            setattr(self, name, action)
            menu.addAction(action)

    def _build_menus(self) -> None:
        self._menu(
            self.tr("文件(&F)"),
            [
                ("new_call_action", self.tr("新建来电登记"), self.new_call, Qt.Key.Key_F2),
                ("new_guest_action", self.tr("新访客登记"), self.new_guest, Qt.Key.Key_F3),
                ("new_business_action", self.tr("业户办事登记"), self.new_business, Qt.Key.Key_F6),
                ("new_letter_action", self.tr("登记来函"), self.new_letter, Qt.Key.Key_F4),
                ("new_case_action", self.tr("新建工单"), self.new_case, Qt.Key.Key_F5),
                None,
                ("import_action", self.tr("导入业户资料…"), self.open_import),
                None,
                ("quit_action", self.tr("退出"), self.close),
            ],
        )
        self._menu(self.tr("业户(&R)"), [("residents_action", self.tr("业户资料"), self.open_residents)])
        self._menu(
            self.tr("操作员(&O)"),
            [
                ("switch_action", self.tr("切换操作员"), self.switch_operator),
                ("password_action", self.tr("修改密码"), self.change_password),
                ("pin_action", self.tr("设置解锁码…"), self.set_pin),
                None,
                ("handover_action", self.tr("交班…"), self.open_handover),
            ],
        )
        self._menu(
            self.tr("报表(&B)"),
            [
                ("analysis_action", self.tr("投诉分析…"), self.open_analysis),
                ("daily_report_action", self.tr("日报…"), self.open_daily_report),
            ],
        )
        self._menu(
            self.tr("设置(&S)"),
            [
                ("settings_action", self.tr("系统设置"), self.open_settings),
                None,
                ("backup_action", self.tr("立即备份"), self.backup_now),
                ("restore_action", self.tr("从备份恢复…"), self.restore_backup),
                ("audit_action", self.tr("检查审计日志"), self.check_audit),
                ("purge_action", self.tr("立即清除过期个人信息…"), self.purge_now),
                None,
                ("notice_action", self.tr("打印个人信息告知…"), self.print_privacy_notice),
                ("recovery_action", self.tr("打印恢复密钥…"), self.print_recovery_key),
            ],
        )
        self._menu(
            self.tr("帮助(&H)"),
            [
                ("shortcuts_action", self.tr("快捷键…"), self.show_shortcuts),
                ("open_folder_action", self.tr("打开数据文件夹"), self.open_data_folder),
                ("about_action", self.tr("关于…"), self.show_about),
            ],
        )

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.operator_label = QLabel()
        self.cases_label = QLabel()
        self.escalation_label = QLabel()
        self.messages_label = QLabel()
        self.callbacks_label = QLabel()
        self.letters_label = QLabel()
        self.visitors_label = QLabel()
        self.second_copy_label = QLabel()
        self.second_copy_label.setStyleSheet(f"color: {_RED}; font-weight: bold;")
        self.second_copy_label.setVisible(False)
        self.operator_label.setContentsMargins(4, 0, 4, 0)
        bar.addWidget(self.operator_label)
        # The desk and the shift give way (cut, whole in the tooltip) when every count shows at
        # once on a 1366×768 screen; who is logged in and the counts stay whole.
        self.desk_label = ElidingLabel(min_chars=6)
        self.desk_label.setContentsMargins(4, 0, 4, 0)
        self.desk_label.setToolTip(self.tr("本机的前台名称（在“设置 → 系统设置 → 本机”中修改）"))
        bar.addWidget(self.desk_label)
        self.shift_label = ElidingLabel(min_chars=5)
        self.shift_label.setContentsMargins(4, 0, 4, 0)
        bar.addWidget(self.shift_label)
        self.handover_button = QPushButton(self.tr("交班…"))
        self.handover_button.setFlat(True)
        self.handover_button.setToolTip(self.tr("本班结束：查看交接内容、填写交班备注，由接班人登录确认"))
        self.handover_button.clicked.connect(self.open_handover)
        # as wide as its text (a push button is at least 80 px otherwise): room for the counts
        text_width = self.handover_button.fontMetrics().horizontalAdvance(self.handover_button.text())
        self.handover_button.setMaximumWidth(text_width + 24)
        bar.addWidget(self.handover_button)
        for label in (
            self.cases_label,
            self.escalation_label,
            self.messages_label,
            self.callbacks_label,
            self.visitors_label,
            self.letters_label,
        ):
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setContentsMargins(8, 0, 2, 0)
            bar.addPermanentWidget(label)
        self.second_copy_label.setContentsMargins(8, 0, 2, 0)
        bar.addPermanentWidget(self.second_copy_label)

    def _build_phone(self) -> None:
        from ui.phone.controller import PhoneController

        self.phone_label = QLabel()
        self.phone_label.setContentsMargins(8, 0, 2, 0)
        self.phone_label.hide()
        self.statusBar().addPermanentWidget(self.phone_label)
        # a weak reference: the window's lifetime stays as it was (no cycle through the controller)
        self.phone = PhoneController(weakref.WeakMethod(self._phone_session), self)
        self.phone.rang.connect(self.pop_ring)
        self.phone.status_changed.connect(self._phone_status)
        self.phone.missed.connect(self._phone_missed)
        self._pending_ring: object | None = None
        self.idle_lock.unlocked.connect(self._pop_pending_ring)

    def _phone_session(self) -> Session:
        return self.session

    def _phone_missed(self, missed: object) -> None:
        ring = getattr(missed, "ring", missed)  # a RingUpdate (hung up) or a Ring (not answered in time)
        pending = getattr(self._pending_ring, "ring", None)
        if pending is not None and getattr(ring, "id", None) == pending.id:
            self._pending_ring = None  # it is on the 待回电 list now: nothing to pop after login
            self.idle_lock.screen.show_ring("")
        self.refresh_counts()

    def start_phone(self) -> None:
        """(Re)start the desk phone as this PC's settings (设置 → 本机 → 电话) say."""
        problem = self.phone.start(local.load(self._data().root))
        if problem:
            self.statusBar().showMessage(problem, 15_000)

    def _phone_status(self, connected: bool, text: str) -> None:
        """「● 来电显示盒已连接」 / 「○ 来电显示盒未连接」 in the status bar; the whole status (the
        reason it is not connected) in the tooltip."""
        self.phone_label.setVisible(bool(text))
        source = text[text.find("（") + 1 : text.find("）")] if "（" in text and "）" in text else ""
        source = source or self.tr("电话")
        if source[-1].isascii():
            source += " "  # 「Asterisk AMI 已连接」
        short = (self.tr("%1已连接") if connected else self.tr("%1未连接")).replace("%1", source)
        self.phone_label.setText(("● " if connected else "○ ") + short)
        self.phone_label.setToolTip(text)
        self.phone_label.setStyleSheet(
            f"color: {palette.OK_BRIGHT};" if connected else f"color: {palette.OVERDUE};"
        )

    def pop_ring(self, update: object) -> None:
        """A ring: the 来电 tab comes forward with the call form pre-filled with the caller."""
        from reception.services import phone_line

        ring = update.ring  # type: ignore[attr-defined]
        caller = update.caller  # type: ignore[attr-defined]
        if self.idle_lock.is_locked():  # only 「来电 138****1234」 until someone logs in
            self._pending_ring = update
            self.idle_lock.screen.show_ring(self.tr("来电 {0}").format(caller))
            return
        found = phone_line.lookup(ring.number)
        self.tabs.setCurrentWidget(self.call_tab)
        popped = self.call_tab.form.pop_ring(ring.id, ring.number, caller, found)
        if popped:
            self._show_caller(ring.number, caller, found)
        self.statusBar().showMessage(self.tr("来电 {0}").format(caller), 15_000)

    def _show_caller(self, number: str, caller: str, found: list[Any]) -> None:
        """The caller panel (来电人) beside the form: recent calls, open cases, messages, visitors."""
        from reception.services import phone_line

        if len(found) == 1:
            who = f"{found[0].name}（{phone_line.room_of(found[0])}）"
        elif found:
            who = self.tr("该号码登记了 {0} 位住户").format(len(found))
        else:
            who = self.tr("未登记的号码") if number else ""
        try:
            panel = phone_line.caller_panel(number, found, self.clock.now())
        except ReceptionError:
            return
        self.call_tab.caller_panel.show_panel(caller, who, panel)
        self.call_tab.side_tabs.setCurrentWidget(self.call_tab.caller_panel)

    def _pop_pending_ring(self) -> None:
        """Unlocked (or another operator logged in): the ring that came while locked pops now."""
        from reception.services import phone_line

        update, self._pending_ring = self._pending_ring, None
        self.idle_lock.screen.show_ring("")
        if update is None:
            return
        try:
            going_on = phone_line.in_progress(update.ring.id)  # type: ignore[attr-defined]
        except ReceptionError:
            return
        if going_on:  # a ring that ended meanwhile is on the 待回电 list already
            self.pop_ring(update)

    # -- state ------------------------------------------------------------------------------
    def start(self) -> None:
        """Start the periodic work (the counts' refresh). Called once the window is shown."""
        self.start_shift()
        self.periodic_check()
        self.timer.start()
        self.watch_changes()
        self.idle_lock.start(settings_mod.load().idle_lock_minutes * 60)
        self.restore_drafts()
        self.start_phone()

    def set_session(self, session: Session) -> None:
        self.session = session
        self.call_tab.set_session(session)
        for tab in self._built_tabs.values():  # the others get the session when built
            tab.set_session(session)  # type: ignore[attr-defined]
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
        # On a server site the server keeps the backups: nothing here to restore from.
        server = desks.is_server()
        self.restore_action.setEnabled(self.session.has(Role.ADMIN) and not server)
        if server:
            from ui.admin.maintenance_dialogs import server_backup_text

            self.restore_action.setToolTip(server_backup_text())
            self.restore_action.setStatusTip(server_backup_text())
        self.purge_action.setEnabled(self.session.has(Role.ADMIN))
        self.recovery_action.setEnabled(self.session.has(Role.ADMIN))
        self.audit_action.setEnabled(self.session.has(Role.SUPERVISOR))

    def show_desk(self) -> None:
        """前台：南门岗 in the status bar (nothing on a single desk without a name; a desk without
        a name on a server shared by several desks is asked for one)."""
        name = desks.desk_name()
        self.desk_label.setToolTip(self.tr("本机的前台名称（在“设置 → 系统设置 → 本机”中修改）"))
        if name:
            self.desk_label.setText(self.tr("前台：%1").replace("%1", name))
        elif desks.is_server():
            self.desk_label.setText(self.tr("前台：未命名"))
            self.desk_label.setToolTip(self.tr("请管理员在“设置 → 系统设置 → 本机”中填写本机的前台名称"))
        else:
            self.desk_label.setText("")
        self.desk_label.setVisible(bool(self.desk_label.text()))

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
        escalated = counts.escalated_cases
        self.escalation_label.setText(
            f"<span style='color:{_RED}; font-weight:bold'>{self.tr('超时上报')} {escalated}</span>"
            if escalated
            else ""
        )
        self.escalation_label.setVisible(bool(escalated))
        self.callbacks_label.setText(
            self._count_html(self.tr("待回电"), counts.open_callbacks, counts.overdue_callbacks)
        )
        try:
            overdue_letters = letters.count_overdue(self.clock.now())
        except ReceptionError as exc:
            self.statusBar().showMessage(exc.message, 10_000)
        else:
            text = f"{self.tr('逾期来函')} <b>{overdue_letters}</b>"
            if overdue_letters:
                text = f"<span style='color:{_RED}; font-weight:bold'>{text}</span>"
            self.letters_label.setText(text)
        try:
            on_site, expired = visits.count_on_site(self.clock.now())
        except ReceptionError as exc:
            self.statusBar().showMessage(exc.message, 10_000)
            return
        text = self.tr("在场访客 <b>%1</b>").replace("%1", str(on_site))
        if expired:
            text += f"<span style='color:{_RED}; font-weight:bold'>，{self.tr('超时')} {expired}</span>"
        else:
            text += f"，{self.tr('超时')} 0"
        self.visitors_label.setText(text)

    def periodic_check(self) -> None:
        """Every 30 seconds: escalate cases past their reply deadline (a write; a failure is
        only shown in the status bar), then refresh the counts."""
        try:
            escalated = cases.run_escalations(self.session)
        except ReceptionError as exc:
            self.statusBar().showMessage(exc.message, 10_000)
        else:
            if escalated and "case_tab" in self._built_tabs:
                self.case_tab.refresh()
        self.run_daily_jobs()
        self.show_second_copy()
        self.refresh_counts()

    def show_second_copy(self) -> None:
        """A red note in the status bar while this PC's second backup copy has failed or is
        overdue (设置 → 本机)."""
        if self.data_dir is None:
            return
        from reception.services import maintenance

        try:
            text = maintenance.second_copy_warning(self.data_dir, self.clock.now())
        except OSError:
            text = None
        # short in the bar (the reason may hold a long folder path), whole in the tooltip
        short = (text.split("：", 1)[0] if "：" in text else self.tr("第二备份已逾期")) if text else ""
        self.second_copy_label.setText(short)
        hint = self.tr("在“设置 → 系统设置 → 本机”中设置第二备份位置")
        self.second_copy_label.setToolTip(f"{text}\n{hint}" if text else hint)
        self.second_copy_label.setVisible(bool(text))

    # -- changes saved at other desks ------------------------------------------------------------
    def watch_changes(self, interval_ms: int | None = None) -> None:
        """Start looking for saved changes every ``interval_ms`` (default CHANGES_MS)."""
        if interval_ms is not None:
            self._changes_ms = interval_ms
            self.changes_timer.setInterval(interval_ms)
        try:
            self._seen_change = desks.latest_change()
        except Exception as exc:  # looked at again at the next tick
            self._change_check_failed(exc)
        self.changes_timer.start()

    def check_changes(self) -> bool:
        """Every few seconds: if anything was saved since the last look (at another desk or
        here), re-read the lists of the tab on screen — the others when they are next shown —
        and the counts. Never raises: a database that cannot be read is logged (once) and
        looked at again at the next tick. True when the lists were re-read."""
        try:
            latest = desks.latest_change()
        except Exception as exc:  # a timer slot must not raise
            self._change_check_failed(exc)
            return False
        if self._change_check_failing:
            self._change_check_failing = False
            self.changes_timer.setInterval(self._changes_ms)
            log.info("change check works again")
            self.statusBar().showMessage(self.tr("与数据库的连接已恢复。"), 5_000)
        if latest == self._seen_change:
            return False
        self._seen_change = latest
        self.reload_lists()
        return True

    def _change_check_failed(self, exc: BaseException) -> None:
        """Log once, say so in the status bar, and look again less often (a server that does not
        answer must not hold the window up every few seconds)."""
        if self._change_check_failing:
            return
        self._change_check_failing = True
        self.changes_timer.setInterval(max(self._changes_ms, CHANGES_RETRY_MS))
        if isinstance(exc, ReceptionError):
            log.warning("change check failed: %s", type(exc).__name__)
            text = exc.message
        else:
            log.error("change check failed", exc_info=exc)
            text = self.tr("无法读取数据库（详情见日志），稍后自动重试。")
        self.statusBar().showMessage(text, 15_000)

    def _list_tabs(self) -> list[tuple[str, QWidget]]:
        return [("call_tab", self.call_tab), *self._built_tabs.items()]

    def reload_lists(self) -> None:
        """Re-read the lists of the tab on screen now (the others are marked to be re-read when
        shown) and the status bar's counts. Forms being filled in are never touched."""
        shown = self.tabs.currentWidget()
        for name, tab in self._list_tabs():
            if tab is shown:
                self._reload_tab(name, tab)
            else:
                self._stale_tabs.add(name)
        try:
            self.refresh_counts()
        except Exception:  # a timer slot must not raise
            log.exception("refreshing the counts failed")

    def _reload_tab(self, name: str, tab: QWidget) -> None:
        self._stale_tabs.discard(name)
        try:
            tab.reload_lists()  # type: ignore[attr-defined]
        except Exception as exc:  # a timer slot must not raise
            if isinstance(exc, ReceptionError):
                log.warning("reloading %s failed: %s", name, type(exc).__name__)
                self.statusBar().showMessage(exc.message, 15_000)
            else:
                log.exception("reloading %s failed", name)
            self._stale_tabs.add(name)
            self._seen_change = None  # try again at the next tick

    def _reload_if_stale(self, index: int) -> None:
        widget = self.tabs.widget(index)
        for name, tab in self._list_tabs():
            if tab is widget and name in self._stale_tabs:
                self._reload_tab(name, tab)

    def run_daily_jobs(self) -> None:
        """The end-of-day backup and the retention purge (each only when due), checked at most
        every DAILY_JOBS_MINUTES. Never a dialog: a failure goes to the status bar and the log."""
        if self.data_dir is None:
            return
        now = self.clock.now()
        last = self.daily_jobs_at
        if last is not None and last <= now < last + timedelta(minutes=DAILY_JOBS_MINUTES):
            return
        self.daily_jobs_at = now
        from reception.services import maintenance

        starting = not self._jobs_started
        self._jobs_started = True
        try:
            result = maintenance.run_daily_jobs(self.data_dir, now, starting=starting)
        except ReceptionError as exc:
            log.warning("daily jobs failed: %s", type(exc).__name__)
            self.statusBar().showMessage(
                self.tr("每日自动备份/清理未完成：%1").replace("%1", exc.message), 30_000
            )
            return
        except Exception:  # a timer slot must not raise; the details go to the log only
            log.exception("daily jobs failed")
            self.statusBar().showMessage(
                self.tr("每日自动备份/清理未完成，请联系系统管理员（详情见日志）。"), 30_000
            )
            return
        if result.backup is not None:
            log.info("daily backup written: %s", result.backup.name)
            self.statusBar().showMessage(self.tr("已自动备份：%1").replace("%1", result.backup.name), 10_000)
        if result.purge is not None and result.purge.total:
            self.statusBar().showMessage(
                self.tr("已清除 %1 条过期记录中的个人信息。").replace("%1", str(result.purge.total)),
                10_000,
            )

    def _each_tab(self, method: str) -> list[Callable[[], bool]]:
        """``method`` of every tab that has it (tabs not built yet have nothing typed)."""
        found = (getattr(self.tabs.widget(i), method, None) for i in range(self.tabs.count()))
        return [bound for bound in found if bound is not None]

    def has_unsaved(self) -> bool:
        return any(check() for check in self._each_tab("has_unsaved"))

    # -- drafts and the idle lock ----------------------------------------------------------------
    def save_drafts(self) -> bool:
        """Keep every half-filled form as the operator's draft; False if one could not be saved."""
        results = [save() for save in self._each_tab("save_drafts")]
        return all(results)

    def restore_drafts(self) -> bool:
        """After login: the operator's drafts come back into their forms (tabs not built yet are
        built only if they have one), and the status bar says so."""
        from ui.widgets.drafts_support import has_draft
        from ui.widgets.drafts_support import restored_text

        for name, keys in _DRAFT_KEYS.items():
            if name not in self._built_tabs and any(has_draft(self.session, key) for key in keys):
                getattr(self, name)  # builds the tab
        restored = [
            self.tabs.tabText(i)
            for i in range(self.tabs.count())
            if (restore := getattr(self.tabs.widget(i), "restore_drafts", None)) is not None and restore()
        ]
        if restored:
            self.statusBar().showMessage(f"{restored_text()}：{'、'.join(restored)}", 15_000)
        return bool(restored)

    def lock(self) -> None:
        """Lock the window now (as after the idle time)."""
        self.idle_lock.lock()

    def apply_idle_setting(self) -> None:
        """A changed 闲置锁定 time (系统设置) takes effect at once, once the lock is running."""
        if self.idle_lock.timeout_seconds > 0:
            self.idle_lock.start(settings_mod.load().idle_lock_minutes * 60)

    # -- actions ------------------------------------------------------------------------------
    def new_call(self) -> None:
        self.tabs.setCurrentWidget(self.call_tab)
        self.call_tab.new_call()

    def new_guest(self) -> None:
        self.tabs.setCurrentWidget(self.visit_tab)
        self.visit_tab.new_guest()

    def new_business(self) -> None:
        self.tabs.setCurrentWidget(self.visit_tab)
        self.visit_tab.new_business()

    def new_case(self) -> None:
        self.tabs.setCurrentWidget(self.case_tab)
        self.case_tab.new_case()

    def new_letter(self) -> None:
        self.tabs.setCurrentWidget(self.letter_tab)
        self.letter_tab.new_letter()

    def switch_operator(self) -> None:
        # 切换操作员 from the menu logs the current operator out: their half-filled forms are
        # discarded with their drafts once the next operator has logged in (after asking). At the
        # idle lock another operator's login keeps them instead (see _finish_switch).
        if self.has_unsaved() and not msgbox.ask(
            self,
            self.tr("切换操作员"),
            self.tr("切换操作员即注销当前操作员：未保存的登记将被丢弃，不保留草稿。确定要切换吗？"),
        ):
            return
        from ui.admin.login_dialog import LoginDialog

        dialog = LoginDialog(
            self.clock, self, property_name=settings_mod.load().property_name, switching=True
        )
        dialog.logged_in.connect(self._logged_out_and_in)
        self._open_dialog("login_dialog", dialog)

    def _logged_out_and_in(self, new_session: object) -> None:
        self._finish_switch(new_session, keep_drafts=False)

    def _finish_switch(self, new_session: object, keep_drafts: bool = True) -> None:
        """The next operator has logged in: close the previous operator's session. Their
        half-filled forms are saved as their drafts and cleared (by the tabs' ``set_session``);
        the next operator's own drafts come back. ``keep_drafts`` (the idle lock's switch): the
        previous operator's drafts wait for their return; otherwise (切换操作员 from the menu,
        a logout) they are deleted with the logout."""
        if not isinstance(new_session, Session):
            return
        previous = self.session
        self.set_session(new_session)
        try:
            auth.logout(previous, keep_drafts=keep_drafts)
        except ReceptionError as exc:
            self.statusBar().showMessage(exc.message, 10_000)
        self.show_shift()
        self.restore_drafts()
        self.offer_shift_choice()

    # -- shifts (交班 / 接班) -----------------------------------------------------------------
    def start_shift(self) -> None:
        """After login: begin the operator's shift unless one is open at the desk."""
        try:
            shifts.start(self.session)
        except ReceptionError as exc:
            self.statusBar().showMessage(exc.message, 10_000)
        self.show_shift()
        self.offer_shift_choice()

    def offer_shift_choice(self) -> None:
        """The operator logged in is not the one on duty at this desk: she is told so and chooses
        接班 (the 交班 dialog, signed by the operator on duty or a supervisor) or 协助."""
        from ui.handover.shift_choice import ShiftChoiceDialog

        try:
            shift = shifts.current()
        except ReceptionError as exc:
            self.statusBar().showMessage(exc.message, 10_000)
            return
        if shift is None or shift.operator_id == self.session.operator.id:
            return
        dialog = ShiftChoiceDialog(shift, self)
        dialog.take_over.connect(self.open_handover)
        dialog.help.connect(lambda: self._help_with_shift(shift.id))
        self._open_dialog("shift_choice_dialog", dialog)

    def _help_with_shift(self, shift_id: int) -> None:
        try:
            shifts.join_as_helper(self.session, shift_id)
        except ReceptionError as exc:
            self.statusBar().showMessage(exc.message, 10_000)
        self.show_shift()

    def show_shift(self) -> None:
        """第 N 班 · 当班 李晓 · 开始 08:00 (or 待接班) in the status bar."""
        try:
            shift = shifts.current()
        except ReceptionError as exc:
            self.statusBar().showMessage(exc.message, 10_000)
            return
        if shift is None:
            self.shift_label.setText(self.tr("无进行中的班次"))
            return
        text = (
            self.tr("第 %1 班 · 当班 %2 · 开始 %3")
            .replace("%1", str(shift.number))
            .replace("%2", shift.operator.display_name)
            .replace("%3", format_local(shift.started_at, "%H:%M"))
        )
        if shift.status == shifts.AWAITING:
            text += self.tr(" · 已交班，待接班")
        elif shift.operator_id != self.session.operator.id:
            text += self.tr(" · 协助 %1").replace("%1", self.session.operator.display_name)
        self.shift_label.setText(text)

    def open_handover(self) -> None:
        from ui.handover.handover_dialog import HandoverDialog

        if self.has_unsaved():
            msgbox.info(
                self, self.tr("交班"), self.tr("当前有尚未保存的登记。请先保存或放弃这些登记，再交班。")
            )
            return
        try:
            shift = shifts.current()
        except ReceptionError as exc:
            msgbox.error(self, self.tr("交班"), exc.message)
            return
        if shift is None:
            msgbox.info(self, self.tr("交班"), self.tr("当前没有进行中的班次。"))
            return
        dialog = HandoverDialog(self.session, shift, self.clock, self, data_dir=self.data_dir)
        dialog.confirmed.connect(self._handover_confirmed)
        dialog.finished.connect(self.show_shift)
        self._open_dialog("handover_dialog", dialog)

    def _handover_confirmed(self, incoming: object, pdf: bytes) -> None:
        """接班 confirmed: the incoming operator's session takes over (their shift has started),
        then the report is shown for printing once the dialog has closed."""
        self._finish_switch(incoming)
        self.statusBar().showMessage(self.tr("交接班完成，报告已存档。"), 10_000)
        QTimer.singleShot(0, self, lambda: self.preview_report(pdf, self.tr("交接班报告")))

    def preview_report(self, pdf: bytes, title: str) -> None:
        from ui.widgets import printing

        try:
            printing.preview_pdf(pdf, self, title)
        except printing.PrintError as exc:
            msgbox.error(self, title, exc.message)

    def open_daily_report(self) -> None:
        from ui.handover.handover_daily import DailyReportDialog

        dialog = DailyReportDialog(self.clock, self)
        self._open_dialog("daily_report_dialog", dialog)

    def change_password(self) -> None:
        from ui.admin.login_dialog import ChangePasswordDialog

        dialog = ChangePasswordDialog(self.session, self)
        dialog.accepted.connect(lambda: self.statusBar().showMessage(self.tr("密码已修改。"), 10_000))
        self._open_dialog("password_dialog", dialog)

    def set_pin(self) -> None:
        from ui.admin.login_dialog import SetPinDialog

        dialog = SetPinDialog(self.session, self)
        dialog.accepted.connect(
            lambda: self.statusBar().showMessage(self.tr("解锁码已设置，锁定后可用解锁码解锁。"), 10_000)
        )
        self._open_dialog("pin_dialog", dialog)

    def open_settings(self) -> None:
        if not self.session.has(Role.ADMIN):
            return
        from ui.admin.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.session, self, data_dir=self._data())
        dialog.desk_changed.connect(self.show_desk)
        dialog.finished.connect(self.update_title)
        dialog.finished.connect(self.apply_idle_setting)
        dialog.finished.connect(self.start_phone)
        self._open_dialog("settings_dialog", dialog)

    def print_recovery_key(self) -> None:
        """The site's recovery key on one page (administrators): for a site set up before keys
        existed, or a sheet that was lost. Previewed, never printed without a look."""
        from reception.clock import to_local
        from reception.documents.recovery_key import render_recovery_key
        from ui.widgets import printing

        try:
            sheet = auth.recovery_sheet(self.session)
            pdf = render_recovery_key(
                settings_mod.load().property_name,
                sheet.site_id,
                sheet.recovery_key,
                to_local(self.clock.now()),
            )
        except ReceptionError as exc:
            msgbox.error(self, self.tr("打印恢复密钥"), exc.message)
            return
        printing.preview_pdf(pdf, self, self.tr("恢复密钥"))

    # -- 帮助 -------------------------------------------------------------------------------------
    def show_about(self) -> None:
        from reception.about import about
        from ui.admin.about_dialog import AboutDialog

        dialog = AboutDialog(about(self._data()), self)
        self._open_dialog("about_dialog", dialog)

    def show_shortcuts(self) -> None:
        from ui.admin.about_dialog import ShortcutsDialog

        dialog = ShortcutsDialog(self)
        self._open_dialog("shortcuts_dialog", dialog)

    def open_data_folder(self) -> None:
        from ui.admin.about_dialog import open_data_folder

        open_data_folder(self, str(self._data().root))

    # -- 系统维护 ---------------------------------------------------------------------------------
    def _data(self) -> DataDir:
        if self.data_dir is not None:
            return self.data_dir
        return local.data_dir()

    def backup_now(self) -> None:
        from ui.admin import maintenance_dialogs

        if maintenance_dialogs.backup_now(self, self.session, self._data()) is not None:
            self.statusBar().showMessage(self.tr("备份完成。"), 10_000)

    def restore_backup(self) -> None:
        if not self.session.has(Role.ADMIN):
            return
        if desks.is_server():
            from ui.admin.maintenance_dialogs import server_backup_text

            msgbox.info(self, self.tr("从备份恢复"), server_backup_text())
            return
        if self.has_unsaved():
            msgbox.info(
                self,
                self.tr("从备份恢复"),
                self.tr("有尚未保存的登记。请先保存或放弃，再恢复备份（恢复会替换全部数据）。"),
            )
            return
        from ui.admin.maintenance_dialogs import RestoreDialog

        dialog = RestoreDialog(self.session, self._data(), self)
        dialog.restored.connect(self._after_restore)
        self._open_dialog("restore_dialog", dialog)

    def _after_restore(self, source: object) -> None:
        """Everything on screen belongs to the data before the restore: stop, say so, and close
        the window; the start step then asks for a login and opens a fresh window."""
        self.timer.stop()
        self.changes_timer.stop()
        self.restart_requested = True
        name = source.name if hasattr(source, "name") else ""
        msgbox.info(
            self,
            self.tr("从备份恢复"),
            self.tr("数据已从备份 %1 恢复。\n窗口将重新打开，请重新登录。").replace("%1", str(name)),
        )
        self.close()

    def check_audit(self) -> None:
        if not self.session.has(Role.SUPERVISOR):
            return
        from ui.admin import maintenance_dialogs

        maintenance_dialogs.check_audit(self, self.session)

    def purge_now(self) -> None:
        if not self.session.has(Role.ADMIN):
            return
        from ui.admin import maintenance_dialogs

        if maintenance_dialogs.purge_now(self, self.session) is not None:
            self.refresh_counts()

    def print_privacy_notice(self) -> None:
        from ui.admin.maintenance_dialogs import PrivacyNoticeDialog

        dialog = PrivacyNoticeDialog(self.session, self)
        self._open_dialog("notice_dialog", dialog)

    def open_residents(self) -> None:
        from ui.admin.residents_view import ResidentsDialog

        dialog = ResidentsDialog(self.session, self)
        self._open_dialog("residents_dialog", dialog)

    def open_analysis(self) -> None:
        from ui.analysis.analysis_window import AnalysisWindow

        dialog = AnalysisWindow(self.session, self)
        self._open_dialog("analysis_window", dialog, show=True)

    def open_import(self) -> None:
        from ui.admin.import_dialog import ImportDialog

        dialog = ImportDialog(self.session, self)
        self._open_dialog("import_dialog", dialog)

    def _open_dialog(self, name: str, dialog: QDialog, *, show: bool = False) -> None:
        """Open ``dialog`` window-modal (``show``: as a window of its own), deleted when closed
        and kept as ``self.<name>`` meanwhile."""
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        setattr(self, name, dialog)
        if show:
            dialog.show()
        else:
            dialog.open()

    def show_at_saved_place(self) -> None:
        """Show the window: maximised on the first start (a 1366×768 desk monitor has no room to
        spare), afterwards where and as large as it was left (本机 reception.ini, [窗口])."""
        from PySide6.QtCore import QByteArray

        saved = local.load(self._data().root).window_geometry
        if saved and self.restoreGeometry(QByteArray.fromBase64(saved.encode("ascii"))):
            self.show()
        else:
            self.showMaximized()

    def remember_place(self) -> None:
        """Keep the window's place and size for the next start (a failure only costs that)."""
        try:
            local.set_window_geometry(
                self._data().root, bytes(self.saveGeometry().toBase64().data()).decode()
            )
        except (OSError, ReceptionError):
            log.warning("window place not saved", exc_info=True)

    def closeEvent(self, event: QCloseEvent) -> None:
        # 退出 is the operator's logout: their drafts are deleted with it (after asking when a form
        # is half filled). Closed while locked (the operator walked away) or for a restart after a
        # restore, nothing is deleted: drafts left that way go with the daily purge (24 h).
        locked = self.idle_lock.is_locked()
        asking = not locked and not self.restart_requested and self.has_unsaved()
        if asking and not msgbox.ask(
            self, self.tr("退出"), self.tr("退出即注销：未保存的登记将被丢弃，不保留草稿。确定要退出吗？")
        ):
            event.ignore()
            return
        # Every pending draft save is done now, so none is left to write after the logout.
        self.save_drafts()
        if not locked and not self.restart_requested and not self.logged_out:
            self.logged_out = True
            with contextlib.suppress(ReceptionError):  # the window closes even if the disk refuses
                auth.logout(self.session)
        self.remember_place()
        self.idle_lock.stop()
        self.timer.stop()
        self.changes_timer.stop()
        self.phone.stop()
        event.accept()
