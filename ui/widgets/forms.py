"""Small helpers shared by the forms: a field with its red error line underneath, and showing
a :class:`~reception.errors.ValidationError`'s per-field messages there (and clearing them)."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from datetime import date

from PySide6.QtCore import QCoreApplication
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from PySide6.QtWidgets import QFormLayout
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from reception.errors import ValidationError
from ui.widgets import palette

ERROR_STYLE = f"color: {palette.OVERDUE};"


def as_date(value: object) -> date:
    """``QDate.toPython()`` (typed ``object`` by PySide6) as the ``date`` it is."""
    if not isinstance(value, date):
        raise TypeError(f"not a date: {value!r}")
    return value


def ascii_only(*edits: QWidget) -> None:
    """Fields that only ever hold digits and Latin letters (ID numbers, phone numbers, badge
    numbers): the input method is switched off there, so a USB scanner's or a card reader's
    keystrokes arrive as typed even while the Chinese IME is on (on Windows Qt detaches the IME
    from a widget without ``WA_InputMethodEnabled``)."""
    for edit in edits:
        edit.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        edit.setInputMethodHints(
            Qt.InputMethodHint.ImhLatinOnly
            | Qt.InputMethodHint.ImhNoPredictiveText
            | Qt.InputMethodHint.ImhPreferUppercase
        )


def error_label(parent: QWidget | None = None) -> QLabel:
    """A red, word-wrapped, initially hidden label for one field's message."""
    label = QLabel(parent)
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def masked_note_label(parent: QWidget | None = None) -> QLabel:
    """The note under a form's save confirmation saying that ID/mobile numbers typed into free
    text were masked when saved (hidden until :func:`show_masked_note` has something to say)."""
    label = QLabel(parent)
    label.setObjectName("maskedNote")
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {palette.PENDING};")
    label.hide()
    return label


def show_masked_note(label: QLabel, masked: dict[str, str]) -> None:
    """Show which free-text fields had numbers masked (``masked``: field → Chinese label, as the
    service reports it), or hide the note when none had."""
    if not masked:
        label.clear()
        label.hide()
        return
    text = QCoreApplication.translate("forms", "%1中的身份证号/手机号已按隐私规定隐去。")
    label.setText(text.replace("%1", "、".join(masked.values())))
    label.show()


def with_error_label(
    widget: QWidget,
    *extras: QWidget,
    spacing: int | None = 2,
    extras_spacing: int | None = 6,
    note: QWidget | None = None,
) -> tuple[QWidget, QLabel]:
    """``widget`` (and any ``extras`` beside it) with an error label (hidden until needed) right
    under it — under ``note`` if given, a line about the field —, in a box of its own; the box
    and the label. A spacing of ``None``: the style's."""
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    if spacing is not None:
        column.setSpacing(spacing)
    if extras:
        line = QHBoxLayout()
        line.setContentsMargins(0, 0, 0, 0)
        if extras_spacing is not None:
            line.setSpacing(extras_spacing)
        line.addWidget(widget, 1)
        for extra in extras:
            line.addWidget(extra)
        column.addLayout(line)
    else:
        column.addWidget(widget)
    if note is not None:
        column.addWidget(note)
    label = error_label(box)
    column.addWidget(label)
    return box, label


class FieldErrors:
    """The error labels of one form, by the field names the core uses — the one way every form
    and dialog shows a :class:`~reception.errors.ValidationError`.

    Each message goes to its field's label; the first field in error (in ``order``, else in the
    order the fields were registered, i.e. as laid out) gets the focus; messages for fields the
    form does not show, and the form-wide ones, go to ``general``. Several core fields may share
    one label (:meth:`alias`; unless ``order`` names it, an alias takes its place there).
    ``fit``: grow a dialog when the messages need more height (off for forms inside the main
    window)."""

    def __init__(self, general: QLabel | None = None, order: Iterable[str] = (), *, fit: bool = True) -> None:
        self.labels: dict[str, QLabel] = {}
        self.widgets: dict[str, QWidget] = {}
        self.general = general
        self.order: list[str] = list(order)
        self.fit = fit
        self._aliases: dict[str, str] = {}

    def add_row(
        self,
        form: QFormLayout,
        caption: str,
        field: str,
        widget: QWidget,
        *,
        note: QWidget | None = None,
        spacing: int = 2,
    ) -> QLabel:
        """Add ``caption: widget`` to ``form`` with the field's error label right under the widget
        (or under ``note``, a line about the field shown beneath it)."""
        box, label = with_error_label(widget, spacing=spacing, note=note)
        form.addRow(caption, box)
        self.register(field, widget, label)
        return label

    def wrap(self, field: str, widget: QWidget, *extras: QWidget, focus: QWidget | None = None) -> QWidget:
        """``widget`` (and any ``extras`` beside it) with the field's red message underneath: the
        box to lay out. ``focus``: what gets the focus when the field is in error (``widget``)."""
        box, label = with_error_label(widget, *extras, spacing=1)
        self.register(field, focus or widget, label)
        return box

    def register(self, field: str, widget: QWidget, label: QLabel) -> None:
        self.labels[field] = label
        self.widgets[field] = widget

    def alias(self, field: str, of: str, focus: QWidget | None = None) -> None:
        """Show ``field``'s messages in ``of``'s label (focusing ``focus``, else ``of``'s widget);
        in the focus order it stands where ``of`` does."""
        self.register(field, focus or self.widgets[of], self.labels[of])
        self._aliases[field] = of

    def clear(self) -> None:
        for label in self.labels.values():
            label.clear()
            label.hide()
        if self.general is not None:
            self.general.clear()
            self.general.hide()

    def clear_field(self, field: str) -> None:
        label = self.labels.get(field)
        if label is not None:
            label.hide()

    def clear_widget(self, widget: object) -> None:
        """Hide the message of the field(s) whose focus widget is ``widget`` (it was edited)."""
        for field, target in self.widgets.items():
            if target is widget:
                self.labels[field].hide()

    def show_error(self, error: ValidationError) -> list[str]:
        return self.show_fields(error.fields)

    def show_fields(self, fields: Mapping[str, str]) -> list[str]:
        """Show each message beside its field; focus the first field in error. Returns the
        messages with no field here (shown in ``general`` if the form has one)."""
        self.clear()
        leftovers = []
        for field, message in fields.items():
            label = self.labels.get(field)
            if label is None:
                leftovers.append(message)
                continue
            label.setText(message)
            label.show()
        placed = [f for f in fields if f in self.labels]
        if placed:
            self.widgets[min(placed, key=self._rank)].setFocus()
        if leftovers and self.general is not None:
            self.show_general("；".join(leftovers))
        elif self.fit:
            self._fit()
        return leftovers

    def _rank(self, field: str) -> int:
        order = self.order or list(self.labels)
        name = field if field in order else self._aliases.get(field, field)
        return order.index(name) if name in order else len(order)

    def _fit(self) -> None:
        """Grow the window if the messages need more height than it has (never shrink it)."""
        labels = [*self.labels.values(), *([self.general] if self.general is not None else [])]
        if not labels:
            return
        window = labels[0].window()
        layout = window.layout()
        if layout is None:
            return
        layout.activate()
        needed = max(window.sizeHint().height(), window.minimumSizeHint().height())
        if window.isWindow() and window.height() < needed:
            window.resize(window.width(), needed)

    def show_general(self, message: str) -> None:
        if self.general is None:
            raise RuntimeError(f"no place for the message: {message}")
        self.general.setText(message)
        self.general.show()
        if self.fit:
            self._fit()

    def message(self, field: str) -> str:
        label = self.labels.get(field)
        return label.text() if label is not None and not label.isHidden() else ""


def dialog_buttons(
    ok_text: str, cancel_text: str | None
) -> tuple[QDialogButtonBox, QPushButton, QPushButton | None]:
    """A button box with Chinese texts: ``ok`` is the default button (Enter), ``cancel`` rejects (Esc)."""
    box = QDialogButtonBox()
    ok = box.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
    ok.setDefault(True)
    ok.setAutoDefault(True)
    cancel = None
    if cancel_text is not None:
        cancel = box.addButton(cancel_text, QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setAutoDefault(False)
    return box, ok, cancel
