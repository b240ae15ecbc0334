"""Drafts of half-filled forms, wired to the widgets.

Each form that keeps a draft owns a :class:`DraftKeeper`. The keeper saves the form's
``draft_state()`` through :mod:`reception.services.drafts` a couple of seconds after the last change
(one single-shot timer), at once when asked (idle lock, closing the window, switching operator)
and when the form is hidden with a save still pending. The form clears the draft when it is
saved or deliberately discarded, and restores it with :meth:`DraftKeeper.restore` — which never
saves anything by itself."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtCore import QDate
from PySide6.QtCore import QDateTime
from PySide6.QtCore import QEvent
from PySide6.QtCore import QObject
from PySide6.QtCore import QTime
from PySide6.QtCore import QTimer
from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QAbstractButton
from PySide6.QtWidgets import QComboBox
from PySide6.QtWidgets import QDateTimeEdit
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QPlainTextEdit
from PySide6.QtWidgets import QSpinBox
from PySide6.QtWidgets import QWidget

from reception.errors import ReceptionError
from reception.services import drafts
from reception.services import residents
from reception.services.records import Resident
from reception.services.session import Session
from ui.widgets import msgbox
from ui.widgets import palette

DELAY_MS = 2000  # save this long after the last change
NOTICE_STYLE = (
    f"QLabel#draftNotice {{ background: {palette.INFO_BG}; border: 1px solid {palette.NOTICE_LINE};"
    f" color: {palette.TITLE};"
    " border-radius: 4px; padding: 4px 10px; }"
)


def restored_text() -> str:
    return QCoreApplication.translate("drafts", "已恢复上次未保存的草稿")


def notice_label() -> QLabel:
    """A hidden blue notice for 已恢复上次未保存的草稿 in a dialog that has no status line."""
    label = QLabel()
    label.setObjectName("draftNotice")
    label.setStyleSheet(NOTICE_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


def has_draft(session: Session, key: str) -> bool:
    try:
        return drafts.load(session, key) is not None
    except ReceptionError:
        return False


class DraftKeeper(QObject):
    """Keeps one form's draft (``key``: call, guest, business, letter, case) for the operator of
    the current session."""

    def __init__(self, form: QWidget, key: str, session: Session, delay_ms: int = DELAY_MS) -> None:
        super().__init__(form)  # the form is the parent (not kept in an attribute: no cycle)
        self.key = key
        self._session = session
        self._quiet = 0
        self._stored = False  # a draft of this form is in the database for this operator
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(delay_ms)
        self.timer.timeout.connect(self.save_now)
        form.installEventFilter(self)

    @property
    def _form(self) -> Any:
        return self.parent()

    # ---- watching ---------------------------------------------------------------------------
    def watch_inputs(self, root: QWidget | None = None) -> None:
        """Schedule a save whenever an input under ``root`` (the form) changes."""
        root = root or self._form
        for edit in root.findChildren(QLineEdit):
            edit.textChanged.connect(self.schedule)
        for text in root.findChildren(QPlainTextEdit):
            text.textChanged.connect(self.schedule)
        for combo in root.findChildren(QComboBox):
            combo.currentIndexChanged.connect(self.schedule)
        for button in root.findChildren(QAbstractButton):
            if button.isCheckable():
                button.toggled.connect(self.schedule)
        for spin in root.findChildren(QSpinBox):
            spin.valueChanged.connect(self.schedule)
        for when in root.findChildren(QDateTimeEdit):
            when.dateTimeChanged.connect(self.schedule)

    def watch(self, *signals: SignalInstance) -> None:
        for signal in signals:
            signal.connect(self.schedule)

    def schedule(self, *_args: object) -> None:
        if not self._quiet:
            self.timer.start()

    @contextmanager
    def quiet(self) -> Iterator[None]:
        """Changes made by the program (resetting, restoring) schedule no save."""
        self._quiet += 1
        try:
            yield
        finally:
            self._quiet -= 1

    def pending(self) -> bool:
        return self.timer.isActive()

    # ---- the session ------------------------------------------------------------------------
    def set_session(self, session: Session) -> None:
        """Another operator: save nothing more for the previous one (the caller has saved)."""
        self.timer.stop()
        self._session = session
        self._stored = False

    # ---- saving, clearing, restoring ---------------------------------------------------------
    def save_now(self) -> bool:
        """Save the form's state now (an empty form clears the draft it had). False if the
        database refused."""
        self.timer.stop()
        form = self._form
        if not hasattr(form, "draft_state"):
            return False  # the form is being destroyed
        try:
            if form.has_content():
                drafts.save(self._session, self.key, form.draft_state())
                self._stored = True
            elif self._stored:
                drafts.clear(self._session, self.key)
                self._stored = False
        except ReceptionError:
            return False
        return True

    def discard(self, *_args: object) -> None:
        """The form was saved or deliberately thrown away: its draft goes too."""
        self.timer.stop()
        try:
            drafts.clear(self._session, self.key)
        except ReceptionError:
            return
        self._stored = False

    def stored(self) -> dict[str, Any] | None:
        try:
            return drafts.load(self._session, self.key)
        except ReceptionError:
            return None

    def restore(self, state: dict[str, Any] | None = None) -> bool:
        """Fill the form from the operator's draft (or ``state``); True if there was one."""
        state = state if state is not None else self.stored()
        if not state:
            return False
        with self.quiet():
            self._form.restore_draft(state)
        self.timer.stop()
        self._stored = True
        return True

    # ---- what every form does with its draft -----------------------------------------------
    def hand_over(self, session: Session, empty: Callable[[], object] | None = None) -> None:
        """Another operator: what was typed is kept as the previous operator's draft, and the
        form (emptied with ``empty``, which schedules no save) drafts for ``session`` from now."""
        self.save_now()
        self.set_session(session)
        if empty is not None:
            with self.quiet():
                empty()

    def throw_away(self, title: str, question: str, empty: Callable[[], object] | None = None) -> bool:
        """Esc / 清空 / 取消: after asking ``question`` if anything was typed, empty the form and
        drop its draft. True if thrown away."""
        form = self._form
        if form.has_content() and not msgbox.ask(form, title, question):
            return False
        if empty is not None:
            empty()
        self.discard()
        return True

    def restore_into_empty(self) -> bool:
        """The operator's draft, into the form if nothing is typed there yet; True if restored."""
        return not self._form.has_content() and self.restore()

    # ---- a pending save is not lost when the form goes away ----------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._form and event.type() == QEvent.Type.Hide and self.timer.isActive():
            self.save_now()
        return False


# ---- helpers for draft_state() / restore_draft() ---------------------------------------------
def resident_or_none(resident_id: object) -> Resident | None:
    """The resident of a draft, or None if it is gone or no longer active."""
    if not isinstance(resident_id, int):
        return None
    try:
        resident = residents.get(resident_id)
    except ReceptionError:
        return None
    return resident if resident.active else None


def set_combo_data(combo: QComboBox, value: object) -> None:
    """Choose the item whose data is ``value``; nothing chosen if there is none."""
    if value is None:
        index = 0 if combo.count() and combo.itemData(0) is None else -1  # e.g. 暂不分办
    else:
        index = combo.findData(value)
    combo.setCurrentIndex(index)


def qdatetime_text(value: QDateTime) -> str:
    """A date-time edit's wall-clock value as ISO text."""
    d, t = value.date(), value.time()
    return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute()).isoformat(timespec="minutes")


def set_qdatetime(edit: QDateTimeEdit, text: object) -> None:
    value = parse_iso(text)
    if value is not None:
        edit.setDateTime(
            QDateTime(QDate(value.year, value.month, value.day), QTime(value.hour, value.minute))
        )


def parse_iso(text: object) -> datetime | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def token_of(state: dict[str, Any], current: str) -> str:
    """The draft's client token (so a save retried after a restore is not stored twice), or
    ``current`` when the draft has none."""
    token = state.get("token")
    return token if isinstance(token, str) and token else current


def text_of(state: dict[str, Any], key: str) -> str:
    value = state.get(key, "")
    return value if isinstance(value, str) else ""
