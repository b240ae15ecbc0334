"""What the tabs of the main window share: two panes side by side, a tab's own function key
that gives way to the window's, and the bar of filters over a tab's list of records with what
it does (the list re-read as a filter changes, a row opened on Enter or double-click).

The main window binds F2/F3/F4/F5 as window-wide actions; two enabled bindings of one key are
ambiguous and Qt would run neither, so a tab's own shortcut (for the tab shown on its own, as in
the tests) is only active when the window around it has none."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Sequence
from typing import Any
from typing import TypeVar

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtCore import QCoreApplication
from PySide6.QtCore import QEvent
from PySide6.QtCore import QModelIndex
from PySide6.QtCore import QObject
from PySide6.QtCore import QPersistentModelIndex
from PySide6.QtCore import Qt
from PySide6.QtCore import QTimer
from PySide6.QtCore import SignalInstance
from PySide6.QtGui import QAction
from PySide6.QtGui import QKeySequence
from PySide6.QtGui import QShortcut
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QSplitter
from PySide6.QtWidgets import QWidget

from reception.errors import ReceptionError
from reception.services.session import Session
from ui.widgets import msgbox
from ui.widgets import palette
from ui.widgets.drafts_support import has_draft
from ui.widgets.list_position import ROW_ROLE
from ui.widgets.paged_model import PagedTableModel
from ui.widgets.record_list import search_delay


def panes(
    orientation: Qt.Orientation, widgets: Sequence[QWidget], stretch: Sequence[int], sizes: Sequence[int]
) -> QSplitter:
    """Panes that keep their share of the space and can be resized but never collapsed."""
    splitter = QSplitter(orientation)
    for index, widget in enumerate(widgets):
        splitter.addWidget(widget)
        splitter.setStretchFactor(index, stretch[index])
    splitter.setChildrenCollapsible(False)
    if sizes:
        splitter.setSizes(list(sizes))
    return splitter


def tab_key(tab: QWidget, key: Qt.Key, slot: Callable[[], object]) -> QShortcut:
    """The tab's own function key, checked against the window's (:func:`follow_window`) each
    time the tab is shown."""
    shortcut = QShortcut(QKeySequence(key), tab)
    shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    shortcut.activated.connect(slot)
    tab.installEventFilter(_KeyFollowsWindow(tab, shortcut))
    return shortcut


class _KeyFollowsWindow(QObject):
    """Watches the tab (its parent) being shown."""

    def __init__(self, tab: QWidget, shortcut: QShortcut) -> None:
        super().__init__(tab)
        self._shortcut = shortcut

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and watched is self.parent() and isinstance(watched, QWidget):
            follow_window(watched, self._shortcut)
        return False


def follow_window(tab: QWidget, shortcut: QShortcut) -> None:
    """Enable the tab's key only when the window around the tab binds none."""
    window = tab.window()
    keys = shortcut.key()
    binds = window is not tab and any(
        keys in action.shortcuts() and action.isEnabled()
        for action in window.actions() + window.findChildren(QAction)
    )
    shortcut.setEnabled(not binds)


def count_label() -> QLabel:
    """How many records the list's filter selects (共 N 条), in muted grey."""
    label = QLabel()
    label.setStyleSheet(f"color: {palette.MUTED};")
    return label


def filter_bar(
    lead: Sequence[QWidget],
    filters: Sequence[QWidget],
    search: QLineEdit,
    count: QLabel,
    trail: Sequence[QWidget] = (),
) -> QHBoxLayout:
    """The bar over a list: ``lead`` (its title or 新建 button, set apart), the filters, the
    search box taking the room left, the count, and ``trail`` (buttons) at the end."""
    bar = QHBoxLayout()
    bar.setSpacing(6)
    for widget in lead:
        bar.addWidget(widget)
    if lead:
        bar.addSpacing(8)
    for widget in filters:
        bar.addWidget(widget)
    bar.addWidget(search, 1)
    bar.addWidget(count)
    for widget in trail:
        bar.addWidget(widget)
    return bar


def watch_filters(
    tab: QWidget,
    apply: Callable[[], object],
    search: QLineEdit,
    changes: Iterable[SignalInstance],
) -> QTimer:
    """Re-read the list (``apply``) when a filter changes: each of ``changes`` at once, typing in
    ``search`` once the typing pauses (the timer returned; ``apply`` stops it), and Enter in
    ``search`` at once."""
    timer = search_delay(tab, apply)
    search.textEdited.connect(lambda _text: timer.start())
    search.returnPressed.connect(apply)
    for signal in changes:
        signal.connect(apply)
    return timer


def read_list(
    tab: QWidget, model: PagedTableModel[Any], current_filter: Callable[[], object], failed: str
) -> None:
    """Show in ``model`` the records the tab's filter selects; a list that cannot be read is
    said in a message titled ``failed`` (the tab stays usable)."""
    try:
        model.set_filter(current_filter())
    except ReceptionError as exc:
        msgbox.error(tab, failed, exc.message)


def row_opener(
    model: QAbstractItemModel, open_record: Callable[[int], object]
) -> Callable[[QModelIndex | QPersistentModelIndex], None]:
    """What Enter or a double-click on a row of the list does: open that row's record by its id."""

    def open_row(index: QModelIndex | QPersistentModelIndex) -> None:
        row = model.data(index, ROW_ROLE)
        if row is not None:
            open_record(row.id)

    return open_row


class FormTab:
    """What a tab whose new-record form is a dialog of its own (工单, 来函) does with that form:
    one at a time (brought to the front when asked again), and its draft kept for the operator.
    The tab sets ``form`` (None while closed) and ``DRAFT_KEY``, and makes the form in
    :meth:`_make_form`."""

    DRAFT_KEY = ""
    form: Any
    _session: Session

    def _make_form(self) -> Any:
        """A new form, with the tab's slots connected to its signals."""
        raise NotImplementedError

    def open_form(self) -> Any:
        """Open the form (with the operator's draft, if there is one; non-blocking), or bring
        the one already open to the front."""
        if self._form_to_front():
            return self.form
        form = self._make_form()
        form.finished.connect(form.deleteLater)
        form.finished.connect(self._form_closed)
        self.form = form
        form.restore_saved_draft()
        form.open()
        return form

    def _form_closed(self, _result: int = 0) -> None:
        self.form = None

    def _close_form(self) -> None:
        """Another operator logged in: the record being registered is kept as the previous
        operator's draft, never shown to the next one."""
        if self.form is not None:
            self.form.draft.save_now()
            self.form.done(QDialog.DialogCode.Rejected)

    def _form_to_front(self) -> bool:
        """The form is open: bring it to the front (True)."""
        form = self.form
        if form is None or not form.isVisible():
            return False
        form.raise_()
        form.activateWindow()
        return True

    def has_unsaved(self) -> bool:
        return self.form is not None and bool(self.form.has_content())

    def save_drafts(self) -> bool:
        """Keep the record being registered as the operator's draft."""
        return bool(self.form.draft.save_now()) if self.form is not None else True

    def restore_drafts(self) -> bool:
        """Reopen the form with the operator's draft, if there is one."""
        if self.form is not None or not has_draft(self._session, self.DRAFT_KEY):
            return False
        self.open_form()
        return True


D = TypeVar("D", bound=QDialog)


def show_dialog(tab: QWidget, name: str, dialog: D) -> D:
    """Open ``dialog`` (non-blocking, window-modal) as ``tab.<name>`` while it is open; it is
    deleted when closed."""
    dialog.finished.connect(dialog.deleteLater)
    setattr(tab, name, dialog)
    dialog.open()
    return dialog


def open_detail(
    tab: QWidget, make: Callable[[], D], wire: Callable[[D], object], name: str = "detail_dialog"
) -> D | None:
    """Show one record's detail dialog as ``tab.<name>`` (:func:`show_dialog`): ``make`` builds
    it, ``wire`` connects its signals; a record that cannot be read is said in a message
    (无法打开) and gives None."""
    try:
        dialog = make()
    except ReceptionError as exc:
        msgbox.error(tab, QCoreApplication.translate("tabs", "无法打开"), exc.message)
        return None
    wire(dialog)
    return show_dialog(tab, name, dialog)
