"""The idle lock: after some minutes without keyboard or mouse input anywhere in the program, the
main window hides everything personal behind a lock screen (已锁定 — 李晓（前台）).

* :class:`ActivityTracker` — an application-wide event filter that only notes the time of the
  last input event (it sees every event, so it does nothing else).
* :class:`LockScreen` — the page shown instead of the tabs: the PIN of the operator who locked
  (when she has set one and the lock is not older than 设置's 解锁码时限, default 60 minutes),
  her password (改用密码, or when the PIN cannot be used), or 其他操作员登录 with a login name and
  password. Every PIN attempt is audited by ``auth.unlock_with_pin``.
* :class:`IdleLock` — the controller the main window owns: it checks for idleness on a timer
  (or when :meth:`IdleLock.check_idle` is called with a time, so tests never wait), covers the
  central area, hides the status bar's personal labels and the windows opened from the main
  window, disables the menus and shortcuts, and brings all of it back on unlock."""

from __future__ import annotations

import time
from collections.abc import Callable
from collections.abc import Sequence
from datetime import datetime

import shiboken6
from PySide6.QtCore import QEvent
from PySide6.QtCore import QObject
from PySide6.QtCore import Qt
from PySide6.QtCore import QTimer
from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtGui import QFont
from PySide6.QtGui import QHideEvent
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QApplication
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QFormLayout
from PySide6.QtWidgets import QFrame
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QMainWindow
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QStackedWidget
from PySide6.QtWidgets import QToolTip
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from reception.errors import ReceptionError
from reception.services import auth
from reception.services.session import Session
from ui.widgets import palette
from ui.widgets.forms import error_label

CHECK_MS = 10_000  # how often idleness is checked
PIN_CHECK_MS = 15_000  # how often the lock screen checks whether the PIN's time limit has passed

_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
        QEvent.Type.InputMethod,
    }
)

_STYLE = f"""
QWidget#lockScreen {{ background: {palette.LOCK_BG}; }}
QFrame#lockCard {{ background: white; border: 1px solid {palette.CARD_LINE}; border-radius: 10px; }}
QLabel#lockTitle {{ color: {palette.TITLE}; }}
QLabel#lockHint {{ color: {palette.MUTED}; }}
QPushButton#unlockButton {{ background: {palette.LINK}; color: white; border-radius: 4px;
                            padding: 6px 22px; }}
QPushButton#unlockButton:hover {{ background: {palette.LINK_HOVER}; }}
"""


class ActivityTracker(QObject):
    """Installed on the application: remembers when the last keyboard or mouse input came."""

    def __init__(
        self, monotonic: Callable[[], float] = time.monotonic, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._monotonic = monotonic
        self.last_input = monotonic()

    def touch(self) -> None:
        self.last_input = self._monotonic()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS:
            self.last_input = self._monotonic()
        return False


class LockScreen(QWidget):
    """``unlocked()`` when the operator who locked gives their password; ``other_logged_in(session)``
    when another operator logs in instead."""

    unlocked = Signal()
    other_logged_in = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(_STYLE)
        self._session: Session | None = None
        self._other = False
        self._pin_mode = False  # unlocking with the PIN (else the password)
        self._idle_text = ""
        self._locked_at: datetime | None = None
        self._pin_until: datetime | None = None  # the PIN opens the lock until then
        # Past the time limit the password field replaces the PIN at once, not after a refusal.
        self.pin_timer = QTimer(self)
        self.pin_timer.setInterval(PIN_CHECK_MS)
        self.pin_timer.timeout.connect(self.check_pin_time)

        card = QFrame()
        card.setObjectName("lockCard")
        card.setMinimumWidth(440)
        card.setMaximumWidth(520)
        column = QVBoxLayout(card)
        column.setContentsMargins(32, 28, 32, 24)
        column.setSpacing(10)

        self.title = QLabel()
        self.title.setObjectName("lockTitle")
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        self.hint = QLabel()
        self.hint.setObjectName("lockHint")
        self.hint.setWordWrap(True)
        self.ring_label = QLabel()  # the desk phone: 「来电 138****1234」 only (show_ring)
        self.ring_label.setObjectName("lockRing")
        self.ring_label.setStyleSheet(f"color: {palette.OVERDUE}; font-weight: bold;")
        self.ring_label.hide()

        self.username = QLineEdit()
        self.username.setPlaceholderText(self.tr("登录名"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("密码"))
        self.username.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self.submit)
        from ui.admin.login_dialog import pin_edit

        self.pin = pin_edit()
        self.pin.setPlaceholderText(self.tr("4 到 6 位数字"))
        self.pin.returnPressed.connect(self.submit)
        form = QFormLayout()
        form.setHorizontalSpacing(10)
        form.setVerticalSpacing(8)
        self.form = form
        self.username_caption = QLabel(self.tr("登录名："))
        form.addRow(self.username_caption, self.username)
        form.addRow(self.tr("密码："), self.password)
        form.addRow(self.tr("解锁码："), self.pin)
        self.message = error_label(self)
        self.pin_hint = QLabel()
        self.pin_hint.setObjectName("lockHint")
        self.pin_hint.setWordWrap(True)

        self.other_button = QPushButton(self.tr("其他操作员登录"))
        self.other_button.setAutoDefault(False)
        self.other_button.setMinimumHeight(32)
        self.other_button.clicked.connect(self.toggle_other)
        self.password_button = QPushButton(self.tr("改用密码"))
        self.password_button.setAutoDefault(False)
        self.password_button.setMinimumHeight(32)
        self.password_button.clicked.connect(self.use_password)
        self.unlock_button = QPushButton(self.tr("解锁"))
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.setMinimumHeight(32)
        self.unlock_button.clicked.connect(self.submit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.other_button)
        buttons.addWidget(self.password_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)

        column.addWidget(self.title)
        column.addWidget(self.hint)
        column.addWidget(self.ring_label)
        column.addSpacing(6)
        column.addLayout(form)
        column.addWidget(self.message)
        column.addWidget(self.pin_hint)
        column.addSpacing(4)
        column.addLayout(buttons)

        outer = QVBoxLayout(self)
        outer.addStretch(2)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(3)
        self._show_mode()

    # ---- state ---------------------------------------------------------------------------
    def prepare(self, session: Session, minutes: int | None = None) -> None:
        """Show the lock for ``session``'s operator, password field empty and focused."""
        self._session = session
        op = session.operator
        self.title.setText(
            self.tr("已锁定 — %1（%2）").replace("%1", op.display_name).replace("%2", session.role.label)
        )
        if minutes:
            text = self.tr("工作站已 %n 分钟无操作，为保护业户信息已自动锁定。", "", minutes)
        else:
            text = self.tr("为保护业户信息，工作站已锁定。")
        self._locked_at = session.now()
        try:
            self._pin_mode = auth.has_pin(session)
            self._pin_until = auth.pin_deadline(self._locked_at)
        except ReceptionError:
            self._pin_mode = False
        self._idle_text = text
        self.pin_hint.setText(
            ""
            if self._pin_mode
            else self.tr(
                "提示：在“操作员 → 设置解锁码…”设置 4 到 6 位数字的解锁码，短时锁定后即可用解锁码解锁。"
            )
        )
        self._other = False
        self.username.clear()
        self.password.clear()
        self.pin.clear()
        self.message.hide()
        self._show_mode()
        if self._pin_mode:
            self.pin_timer.start()

    def check_pin_time(self) -> None:
        """The PIN's time limit has passed (the timer, or the lock screen
        shown again after the PC slept): switch to the password field now, saying why."""
        if not self._pin_mode or self._session is None or self._pin_until is None:
            self.pin_timer.stop()
            return
        if self._session.now() > self._pin_until:
            try:
                message = auth.lock_too_long_message()
            except ReceptionError:
                message = ""
            self.use_password(message)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._pin_mode:
            self.pin_timer.start()
        self.check_pin_time()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.pin_timer.stop()

    def show_ring(self, text: str) -> None:
        """A ring while locked: only the masked number ('' hides it again)."""
        self.ring_label.setText(text)
        self.ring_label.setVisible(bool(text))

    def is_other_mode(self) -> bool:
        return self._other

    def is_pin_mode(self) -> bool:
        return self._pin_mode and not self._other

    def toggle_other(self) -> None:
        """其他操作员登录 ↔ 返回 (back to unlocking as the operator who locked)."""
        self._other = not self._other
        self.username.clear()
        self.password.clear()
        self.pin.clear()
        self.message.hide()
        self._show_mode()

    def use_password(self, message: str = "") -> None:
        """改用密码 (or the PIN cannot be used now: ``message`` says why)."""
        self._pin_mode = False
        self.pin_timer.stop()
        self.pin.clear()
        self._show_mode()
        if message:
            self.message.setText(message)
            self.message.show()

    def _show_mode(self) -> None:
        pin = self.is_pin_mode()
        how = self.tr("输入解锁码解锁后") if pin else self.tr("输入密码解锁后")
        self.hint.setText(self._idle_text + "\n" + how + self.tr("，未保存的登记原样保留。"))
        self.form.setRowVisible(self.username, self._other)
        self.form.setRowVisible(self.password, not pin)
        self.form.setRowVisible(self.pin, pin)
        self.password_button.setVisible(pin)
        self.pin_hint.setVisible(bool(self.pin_hint.text()) and not self._other)
        self.other_button.setText(self.tr("返回") if self._other else self.tr("其他操作员登录"))
        self.unlock_button.setText(self.tr("登录") if self._other else self.tr("解锁"))
        self.focus_field()

    def focus_field(self) -> None:
        (self.username if self._other else self.pin if self.is_pin_mode() else self.password).setFocus()

    # ---- logging in ----------------------------------------------------------------------
    def submit(self) -> None:
        if self._session is None:
            return
        if self.is_pin_mode():
            self._submit_pin()
            return
        mine = self._session.operator
        username = self.username.text() if self._other else mine.username
        self.message.hide()
        try:
            session = auth.login(username, self.password.text(), self._session.clock)
        except ReceptionError as exc:
            self.password.clear()
            self.message.setText(exc.message)
            self.message.show()
            if self._other and not username.strip():
                self.username.setFocus()
            else:
                self.password.setFocus()
            return
        self.password.clear()
        if session.operator.id == mine.id:
            self.unlocked.emit()
        else:
            self.other_logged_in.emit(session)

    def _submit_pin(self) -> None:
        assert self._session is not None and self._locked_at is not None
        self.message.hide()
        try:
            auth.unlock_with_pin(self._session, self.pin.text(), self._locked_at)
        except auth.PasswordNeeded as exc:
            self.use_password(exc.message)
            return
        except ReceptionError as exc:
            self.pin.clear()
            self.message.setText(exc.message)
            self.message.show()
            self.pin.setFocus()
            return
        self.pin.clear()
        self.unlocked.emit()


def _belongs_to(widget: QWidget, window: QWidget) -> bool:
    """Whether a top-level widget was opened from ``window`` (directly or from its dialogs)."""
    current: QWidget | None = widget
    while current is not None:
        parent = current.parentWidget()
        if parent is None:
            return False
        current = parent.window()
        if current is window:
            return True
    return False


class IdleLock(QObject):
    """The lock of one main window. ``about_to_lock()`` comes first (save the drafts now);
    ``switched(session)`` when another operator logged in from the lock screen (the window
    takes their session; the lock then closes the previous operator's windows and opens)."""

    about_to_lock = Signal()
    unlocked = Signal()
    switched = Signal(object)

    def __init__(
        self,
        window: QMainWindow,
        *,
        private: Sequence[QWidget] = (),
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        # The window is the parent, reached through parent() rather than kept in an attribute
        # (a reference cycle would keep the window's wrapper alive after it is closed).
        super().__init__(window)
        self._private = list(private)
        self._monotonic = monotonic
        self.timeout_seconds = 0.0
        self.tracker = ActivityTracker(monotonic, self)
        self._installed = False
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_MS)
        self.timer.timeout.connect(self.check_idle)
        self.screen = LockScreen()
        self.screen.unlocked.connect(self._same_operator)
        self.screen.other_logged_in.connect(self._other_operator)
        self.stack: QStackedWidget | None = None
        self._content: QWidget | None = None
        self._locked = False
        self._hidden_windows: list[QWidget] = []
        self._finished: set[int] = set()
        self._private_shown: list[tuple[QWidget, bool]] = []
        self._actions: list[tuple[QAction, bool]] = []
        self._focus: QWidget | None = None

    @property
    def _window(self) -> QMainWindow:
        return self.parent()  # type: ignore[return-value]

    def _session(self) -> Session:
        """The session of the window (``MainWindow.session``): whoever is logged in now."""
        return self._window.session  # type: ignore[attr-defined]

    def hide_when_locked(self, *widgets: QWidget) -> None:
        """Widgets outside the central area that show who is working (the status bar's)."""
        self._private.extend(widgets)

    def wrap(self, content: QWidget) -> QStackedWidget:
        """The main window's central widget: ``content`` (the tabs), with the lock screen
        behind it."""
        self._content = content
        self.stack = QStackedWidget()
        self.stack.addWidget(content)
        self.stack.addWidget(self.screen)
        return self.stack

    # ---- watching for idleness -------------------------------------------------------------
    def start(self, timeout_seconds: float, check_ms: int = CHECK_MS) -> None:
        """Lock after ``timeout_seconds`` without input (0 or less: never)."""
        self.timeout_seconds = timeout_seconds
        self.tracker.touch()
        app = QApplication.instance()
        if app is not None and not self._installed:
            app.installEventFilter(self.tracker)
            self._installed = True
        self.timer.setInterval(check_ms)
        if timeout_seconds > 0:
            self.timer.start()
        else:
            self.timer.stop()

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None and self._installed:
            app.removeEventFilter(self.tracker)
        self._installed = False

    def idle_seconds(self, now: float | None = None) -> float:
        return (self._monotonic() if now is None else now) - self.tracker.last_input

    def check_idle(self, now: float | None = None) -> bool:
        """Lock if there has been no input for the timeout; True if the window is locked."""
        if not self._locked and self.timeout_seconds > 0 and self.idle_seconds(now) >= self.timeout_seconds:
            self.lock()
        return self._locked

    # ---- locking -----------------------------------------------------------------------------
    def is_locked(self) -> bool:
        return self._locked

    def lock(self) -> None:
        if self._locked or self.stack is None:
            return
        self.about_to_lock.emit()
        self._locked = True
        window = self._window
        focus = QApplication.focusWidget()
        self._focus = focus if focus is not None and focus.window() is window else None
        QToolTip.hideText()
        self._finished = set()
        self._hidden_windows = [
            w
            for w in QApplication.topLevelWidgets()
            if w is not window and w.isVisible() and _belongs_to(w, window)
        ]
        for w in self._hidden_windows:
            if isinstance(w, QDialog):
                w.finished.connect(self._dialog_finished)
            w.hide()
        for popup in window.findChildren(QWidget, "residentPopup"):
            popup.hide()
        window.statusBar().clearMessage()  # (a message hides the status bar's own labels)
        self._private_shown = [(w, not w.isHidden()) for w in self._private]
        for w in self._private:
            w.hide()
        self._actions = [
            (a, a.isEnabled())
            for a in window.findChildren(QAction, options=Qt.FindChildOption.FindDirectChildrenOnly)
        ]
        for action, _enabled in self._actions:
            action.setEnabled(False)
        window.menuBar().setEnabled(False)
        minutes = round(self.timeout_seconds / 60) if self.timeout_seconds >= 60 else None
        self.screen.prepare(self._session(), minutes)
        self.stack.setCurrentWidget(self.screen)
        self.screen.focus_field()

    def _dialog_finished(self, _result: int) -> None:
        sender = self.sender()
        if sender is not None:
            self._finished.add(id(sender))

    def _same_operator(self) -> None:
        """Unlocked with the password: everything comes back exactly as it was."""
        for w in self._hidden_windows:
            if self._reshow(w):
                w.show()
        self._open()
        if self._focus is not None and shiboken6.isValid(self._focus) and self._focus.isVisible():
            self._focus.setFocus()
        self.unlocked.emit()

    def _reshow(self, w: QWidget) -> bool:
        if not shiboken6.isValid(w) or id(w) in self._finished:
            return False
        if w.windowType() in (Qt.WindowType.Popup, Qt.WindowType.ToolTip):
            return False
        # a dialog that was waiting in exec() (a message box) has been answered "no" by hiding it
        return w.windowModality() != Qt.WindowModality.ApplicationModal

    def _other_operator(self, session: Session) -> None:
        """Another operator logged in: the window takes their session (the previous operator's
        forms become drafts and are cleared), the previous operator's windows are closed."""
        self.switched.emit(session)
        for w in self._hidden_windows:
            if not shiboken6.isValid(w) or id(w) in self._finished:
                continue
            if isinstance(w, QDialog):
                w.done(QDialog.DialogCode.Rejected)
            else:
                w.close()
        self._focus = None
        self._open()
        self.unlocked.emit()

    def _open(self) -> None:
        for w in self._hidden_windows:
            if isinstance(w, QDialog) and shiboken6.isValid(w):
                w.finished.disconnect(self._dialog_finished)
        self._hidden_windows = []
        for w, shown in self._private_shown:
            if shiboken6.isValid(w):
                w.setVisible(shown)
        self._private_shown = []
        for action, enabled in self._actions:
            if shiboken6.isValid(action):
                action.setEnabled(enabled)
        self._actions = []
        self._window.menuBar().setEnabled(True)
        if self.stack is not None and self._content is not None:
            self.stack.setCurrentWidget(self._content)
        self._locked = False
        self.tracker.touch()
