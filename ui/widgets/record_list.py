"""The pieces every record list is made of: the table view (rows selected whole, read-only,
compact, alternating colours) and the date filter bar (今天 / 近7天 / 本月 / 全部 / 自定义)."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import date
from datetime import timedelta

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtCore import QDate
from PySide6.QtCore import QObject
from PySide6.QtCore import QTimer
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QAbstractItemView
from PySide6.QtWidgets import QComboBox
from PySide6.QtWidgets import QDateEdit
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QHeaderView
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QTableView
from PySide6.QtWidgets import QWidget

from ui.widgets.forms import as_date

TODAY, LAST_7_DAYS, THIS_MONTH, ALL, CUSTOM = "today", "7days", "month", "all", "custom"
ROLLING = (TODAY, LAST_7_DAYS, THIS_MONTH)  # ranges that move with the day
SEARCH_DELAY_MS = 300  # typing in a search box filters once the typing pauses this long
LABELS = {TODAY: "今天", LAST_7_DAYS: "近7天", THIS_MONTH: "本月", ALL: "全部", CUSTOM: "自定义"}


def choice_filter(all_text: str, values: Iterable[str], tr: Callable[[str], str]) -> QComboBox:
    """A filter of a list: ``all_text`` (no filter, data '') and each of ``values`` as ``tr`` shows it."""
    combo = QComboBox()
    combo.addItem(all_text, "")
    for value in values:
        combo.addItem(tr(value), value)
    return combo


def refill(combo: QComboBox, all_text: str, items: Iterable[tuple[str, object]]) -> None:
    """Fill a filter of records (operators, departments) again: ``all_text`` (data None) and
    ``items`` (text, id), keeping the one chosen and emitting no signal."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(all_text, None)
    for text, data in items:
        combo.addItem(text, data)
    index = combo.findData(current) if current is not None else 0
    combo.setCurrentIndex(max(index, 0))
    combo.blockSignals(False)


def search_delay(parent: QObject, apply: Callable[[], object]) -> QTimer:
    """The single-shot timer that runs ``apply`` once typing in a search box pauses
    (``start()`` it on each edit, ``stop()`` it when the filter is applied anyway)."""
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(SEARCH_DELAY_MS)
    timer.timeout.connect(apply)
    return timer


def search_box(placeholder: str) -> QLineEdit:
    """The search field of a list (with a clear button)."""
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    edit.setClearButtonEnabled(True)
    return edit


def rows_table(
    model: QAbstractItemModel | None = None, *, alternate: bool = False, wrap: bool = True
) -> QTableView:
    """A read-only table whose whole rows are selected one at a time, without row numbers;
    ``alternate``: rows in alternating colours; ``wrap``: long text wraps in its cell."""
    view = QTableView()
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(alternate)
    view.setWordWrap(wrap)
    view.verticalHeader().hide()
    if model is not None:
        view.setModel(model)
    return view


def record_table(
    model: QAbstractItemModel | None = None,
    widths: Mapping[int, int] | None = None,
    stretch: int | None = None,
) -> QTableView:
    """A list of records: whole rows selected one at a time, read-only, one line per row."""
    view = rows_table(model, alternate=True, wrap=False)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    for column, width in (widths or {}).items():
        header.resizeSection(column, width)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


class DateFilterBar(QWidget):
    """A range of days for a list. ``changed`` when the range or a custom date changes;
    :meth:`dates` gives the local days (``None`` for 全部)."""

    changed = Signal()

    def __init__(
        self,
        today: Callable[[], date],
        choices: Sequence[str] = (TODAY, LAST_7_DAYS, THIS_MONTH, ALL, CUSTOM),
        labels: Mapping[str, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._today = today
        names = {**LABELS, **(labels or {})}
        self.range_combo = QComboBox()
        for key in choices:
            self.range_combo.addItem(self.tr(names[key]), key)
        self.date_from = QDateEdit()
        self.date_to = QDateEdit()
        to_label = QLabel(self.tr("至"))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        row.addWidget(self.range_combo)
        for widget in (self.date_from, to_label, self.date_to):
            row.addWidget(widget)
            widget.setVisible(CUSTOM in choices)
        for edit in (self.date_from, self.date_to):
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setCalendarPopup(True)
            edit.setEnabled(False)
            edit.dateChanged.connect(self.changed)
        self.range_combo.currentIndexChanged.connect(self._range_changed)
        self.set_dates(today(), today())  # what 自定义 starts from
        self.follow_today()

    def key(self) -> str:
        return str(self.range_combo.currentData())

    def set_dates(self, start: date, end: date) -> None:
        """Show these days (without announcing it)."""
        for edit, day in ((self.date_from, start), (self.date_to, end)):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)

    def follow_today(self) -> None:
        """Move a rolling range (今天, 近7天, 本月) to the current day — the day may have turned."""
        key, today = self.key(), self._today()
        if key == TODAY:
            self.set_dates(today, today)
        elif key == LAST_7_DAYS:
            self.set_dates(today - timedelta(days=6), today)
        elif key == THIS_MONTH:
            self.set_dates(today.replace(day=1), today)

    def dates(self) -> tuple[date | None, date | None]:
        if self.key() == ALL:
            return None, None
        return as_date(self.date_from.date().toPython()), as_date(self.date_to.date().toPython())

    def _range_changed(self) -> None:
        self.follow_today()
        custom = self.key() == CUSTOM
        self.date_from.setEnabled(custom)
        self.date_to.setEnabled(custom)
        self.changed.emit()
