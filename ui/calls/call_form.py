"""The call form (来电登记): greeting and call timer, who is calling, what about, what was done,
and the read-back (复述要点) kept up to date while typing.

The form gathers input and calls :func:`reception.services.calls.register_call`; every rule lives in
the service. A call starts with 新来电 (F2) — or with the first thing typed — and ends with
保存 (Enter; Ctrl+Enter inside the multi-line boxes) or 放弃 (Esc)."""

from __future__ import annotations

import itertools
from datetime import datetime
from datetime import timedelta
from typing import Any
from uuid import uuid4

from PySide6.QtCore import QDateTime
from PySide6.QtCore import Qt
from PySide6.QtCore import QTimer
from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtGui import QKeyEvent
from PySide6.QtGui import QKeySequence
from PySide6.QtGui import QShortcut
from PySide6.QtWidgets import QCheckBox
from PySide6.QtWidgets import QComboBox
from PySide6.QtWidgets import QDateTimeEdit
from PySide6.QtWidgets import QFormLayout
from PySide6.QtWidgets import QFrame
from PySide6.QtWidgets import QGridLayout
from PySide6.QtWidgets import QGroupBox
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QPlainTextEdit
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QSizePolicy
from PySide6.QtWidgets import QStackedWidget
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from reception.clock import format_local
from reception.clock import format_local_day_time
from reception.clock import to_utc
from reception.errors import ReceptionError
from reception.rules import phones
from reception.services import calls
from reception.services import cases
from reception.services import departments
from reception.services import residents
from reception.services import settings as settings_mod
from reception.services.calls import CallInput
from reception.services.calls import CallResult
from reception.services.calls import Outcome
from reception.services.records import Department
from reception.services.records import Resident
from reception.services.session import Session
from ui.widgets import fields
from ui.widgets import palette
from ui.widgets.drafts_support import DraftKeeper
from ui.widgets.drafts_support import parse_iso
from ui.widgets.drafts_support import text_of
from ui.widgets.drafts_support import token_of
from ui.widgets.fields import CHECK
from ui.widgets.fields import CHOICE
from ui.widgets.fields import COMBO
from ui.widgets.fields import DATETIME
from ui.widgets.fields import PLAIN
from ui.widgets.fields import RESIDENT
from ui.widgets.fields import TEXT
from ui.widgets.fields import Field
from ui.widgets.form_parts import ChoiceRow
from ui.widgets.form_parts import SaveLock
from ui.widgets.form_parts import SaveStatus
from ui.widgets.form_parts import add_save_shortcuts
from ui.widgets.form_parts import datetime_edit
from ui.widgets.form_parts import enter_saves_escape_discards
from ui.widgets.form_parts import form_button
from ui.widgets.form_parts import from_qdatetime
from ui.widgets.form_parts import local_qdatetime
from ui.widgets.form_parts import restore_saying
from ui.widgets.form_parts import save_button
from ui.widgets.forms import FieldErrors
from ui.widgets.forms import ascii_only
from ui.widgets.forms import error_label
from ui.widgets.forms import with_error_label
from ui.widgets.saving import save_with_retry

# The order the receptionist meets the fields in (the alert row sits under the category; the
# draft declaration in ``_declare_fields`` is in restore order): the first one in error gets the focus.
FIELD_ORDER = [
    "caller_name",
    "location",
    "caller_phone",
    "identity_verified",
    "category",
    "utility",
    "content",
    "alerted_department",
    "alerted_at",
    "answer",
    "outcome",
    "department",
    "taken_by",
    "message_for_person",
    "message_text",
    "message_callback_phone",
    "callback_callback_phone",
    "callback_due_at",
    "callback_reason",
]

_FORM_STYLE = f"""
QFrame#callForm {{ background: {palette.FORM_BG}; border: 2px solid {palette.FORM_LINE};
                   border-radius: 6px; }}
QFrame#callForm[emergency="true"] {{ border: 3px solid {palette.ALERT_LINE};
                                     background: {palette.EMERGENCY_FORM_BG}; }}
QFrame#greetingBox {{ background: {palette.INFO_BG}; border: 1px solid {palette.INFO_LINE};
                      border-radius: 6px; }}
QFrame#greetingBox[idle="true"] {{ background: {palette.IDLE_BG}; border: 1px solid {palette.FORM_LINE}; }}
QLabel#greeting {{ color: {palette.TITLE}; }}
QFrame#greetingBox[idle="true"] QLabel#greeting {{ color: {palette.IDLE}; }}
QLabel#timer {{ color: {palette.TITLE}; }}
QLabel#timer[idle="true"] {{ color: {palette.IDLE_LIGHT}; }}
QLabel#caption {{ color: {palette.MUTED}; }}
QFrame#alertBox {{ border: 2px solid {palette.ALERT_LINE}; border-radius: 4px;
                   background: {palette.OVERDUE_BG}; }}
QLabel#emergencyBanner {{ color: {palette.DANGER}; font-weight: bold; }}
QFrame#readbackBox {{ background: {palette.READBACK_BG}; border: 1px solid {palette.READBACK_LINE};
                      border-radius: 6px; }}
QLabel#readback {{ color: {palette.READBACK}; }}
QLabel#readback[idle="true"] {{ color: {palette.IDLE_READBACK}; }}
QLabel#hint {{ color: {palette.DONE}; }}
QLabel#residentChip {{ color: {palette.OK}; }}
QPushButton#newCall {{ background: {palette.LINK}; color: white; border-radius: 5px; padding: 8px 18px; }}
QPushButton#newCall:hover {{ background: {palette.LINK_HOVER}; }}
"""


def _plain_text(lines: int) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)
    height = edit.fontMetrics().lineSpacing() * lines + 14
    edit.setMinimumHeight(height)
    edit.setMaximumHeight(height + edit.fontMetrics().lineSpacing() * 2)
    edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    return edit


def _refill_departments(combo: QComboBox, depts: list[Department], none_text: str | None = None) -> None:
    """Fill ``combo`` with ``depts`` (after a ``none_text`` item standing for none, if given),
    keeping the chosen department; one no longer there leaves none chosen (or ``none_text``).
    No change is signalled."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    if none_text is not None:
        combo.addItem(none_text, None)
    for d in depts:
        combo.addItem(d.name, d.id)
    index = combo.findData(current) if current is not None else -1
    combo.setCurrentIndex(0 if index < 0 and none_text is not None else index)
    combo.blockSignals(False)


class CallForm(QFrame):
    """One call being registered. ``saved(CallResult)`` after each successful save."""

    saved = Signal(object)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._started_at: datetime | None = None
        self._token = uuid4().hex
        self._loading = False
        self._filled_phone: tuple[str, str] | None = None  # (masked text shown, real number)
        self._ring_id: int | None = None  # the desk phone's ring this call came from
        self._due_touched = False
        self._dept_touched = False  # the department was chosen by hand (not the category's default)
        self._departments: list[Department] = []
        self.general_error = error_label()
        self.errors = FieldErrors(self.general_error, FIELD_ORDER, fit=False)
        self.setObjectName("callForm")
        self.setStyleSheet(_FORM_STYLE)
        self._build()
        self._declare_fields()
        self.saving = SaveLock(self.save_button)
        self._tick_timer = QTimer(self)
        self._tick_timer.setInterval(1000)
        self._tick_timer.timeout.connect(self.update_timer)
        add_save_shortcuts(self, self.save)
        # Alt+1..4 choose the outcome from any field (on the outcome buttons, 1..4 alone do).
        for i, outcome in enumerate(calls.OUTCOMES):
            shortcut = QShortcut(QKeySequence(f"Alt+{i + 1}"), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda o=outcome: self.choose_outcome(o))
        self._reset_fields()
        self._set_idle(True)
        self.draft = DraftKeeper(self, "call", session)
        self.draft.watch_inputs()

    # ---- building -----------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 10, 12, 10)
        outer.setSpacing(8)
        outer.addLayout(self._build_header())

        columns = QHBoxLayout()
        columns.setSpacing(12)
        columns.addWidget(self._build_caller_box(), 1)
        columns.addWidget(self._build_outcome_box(), 1)
        outer.addLayout(columns)
        outer.addWidget(self._build_readback())
        outer.addLayout(self._build_buttons())
        self._set_tab_order()

    def _build_header(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(10)
        self.greeting_box = QFrame()
        self.greeting_box.setObjectName("greetingBox")
        box = QVBoxLayout(self.greeting_box)
        box.setContentsMargins(12, 6, 12, 8)
        box.setSpacing(2)
        caption = QLabel(self.tr("接听问候语（请读出）"))
        caption.setObjectName("caption")
        self.greeting_label = QLabel()
        self.greeting_label.setObjectName("greeting")
        self.greeting_label.setWordWrap(True)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.greeting_label.setFont(font)
        box.addWidget(caption)
        box.addWidget(self.greeting_label)
        row.addWidget(self.greeting_box, 1)

        timer_box = QVBoxLayout()
        timer_box.setSpacing(0)
        timer_caption = QLabel(self.tr("通话时长"))
        timer_caption.setObjectName("caption")
        timer_caption.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.timer_label = QLabel("00:00")
        self.timer_label.setObjectName("timer")
        self.timer_label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        tfont = QFont(self.font())
        tfont.setPointSizeF(tfont.pointSizeF() * 2.4)
        tfont.setBold(True)
        tfont.setStyleHint(QFont.StyleHint.Monospace)
        self.timer_label.setFont(tfont)
        self.timer_label.setMinimumWidth(self.timer_label.fontMetrics().horizontalAdvance("00:00:00") + 12)
        timer_box.addWidget(timer_caption)
        timer_box.addWidget(self.timer_label)
        row.addLayout(timer_box)

        self.new_button = QPushButton(self.tr("新来电 (F2)"))
        self.new_button.setObjectName("newCall")
        nfont = QFont(self.font())
        nfont.setPointSizeF(nfont.pointSizeF() * 1.3)
        nfont.setBold(True)
        self.new_button.setFont(nfont)
        self.new_button.setMinimumHeight(52)
        self.new_button.setAutoDefault(True)
        self.new_button.clicked.connect(self.new_call)
        row.addWidget(self.new_button)
        return row

    def _with_error(
        self, field: str, widget: QWidget, extra: QWidget | None = None, *, focus: QWidget | None = None
    ) -> QWidget:
        extras = [extra] if extra is not None else []
        box, label = with_error_label(widget, *extras, spacing=1, extras_spacing=None)
        self.errors.register(field, focus or widget, label)
        return box

    def _build_caller_box(self) -> QGroupBox:
        from ui.widgets.resident_lookup import ResidentLookup

        group, form = fields.form_group(self.tr("来电人与来电内容"))

        self.lookup = ResidentLookup()
        self.lookup.picked.connect(self._resident_picked)
        self.lookup.cleared.connect(self._resident_cleared)
        self.resident_chip = QLabel()
        self.resident_chip.setObjectName("residentChip")
        form.addRow(self.tr("来电人"), self._with_error("caller_name", self.lookup, self.resident_chip))

        self.location_edit = QLineEdit()
        self.location_edit.setPlaceholderText(self.tr("房号或地点，如 3栋2单元1201"))
        self.phone_edit = QLineEdit()
        ascii_only(self.phone_edit)
        self.phone_edit.setPlaceholderText(self.tr("来电号码"))
        where = QWidget()
        where_row = QHBoxLayout(where)
        where_row.setContentsMargins(0, 0, 0, 0)
        where_row.setSpacing(8)
        where_row.addWidget(self._with_error("location", self.location_edit), 3)
        phone_caption = QLabel(self.tr("电话"))
        where_row.addWidget(phone_caption, 0, Qt.AlignmentFlag.AlignTop)
        where_row.addWidget(self._with_error("caller_phone", self.phone_edit), 2)
        phone_caption.setContentsMargins(0, 4, 0, 0)
        form.addRow(self.tr("地址"), where)

        self.identity_check = QCheckBox(self.tr("身份已核实（姓名、住址、电话已与住户档案一致）"))
        form.addRow("", self._with_error("identity_verified", self.identity_check))

        self.category_combo = QComboBox()
        for category in calls.CATEGORIES:
            self.category_combo.addItem(self.tr(category), category)
        self.category_combo.setPlaceholderText(self.tr("请选择来电类别"))
        self.category_combo.setMaxVisibleItems(len(calls.CATEGORIES))
        # 市政设施: which utility (the case needs it); "自动" takes it from what the caller said.
        self.utility_combo = QComboBox()
        self.utility_combo.addItem(self.tr("自动（按来电内容）"), "")
        for utility in cases.UTILITIES:
            self.utility_combo.addItem(self.tr(utility), utility)
        self.utility_box = self._with_error("utility", self.utility_combo)
        self.utility_box.hide()
        category_row = QHBoxLayout()
        category_row.setContentsMargins(0, 0, 0, 0)
        category_row.addWidget(self._with_error("category", self.category_combo), 1)
        category_row.addWidget(self.utility_box, 1)
        form.addRow(self.tr("类别"), category_row)

        self.content_edit = _plain_text(4)
        self.content_edit.setPlaceholderText(self.tr("来电人反映的问题或需求（Enter 换行）"))
        form.addRow(self.tr("来电内容"), self._with_error("content", self.content_edit))

        self.lookup.textChanged.connect(self._changed)
        self.location_edit.textChanged.connect(self._changed)
        self.phone_edit.textChanged.connect(self._phone_changed)
        self.identity_check.toggled.connect(self._changed)
        self.category_combo.currentIndexChanged.connect(self._category_changed)
        self.content_edit.textChanged.connect(self._changed)
        self.content_edit.textChanged.connect(self._update_utility_guess)
        self.utility_combo.currentIndexChanged.connect(self._changed)
        return group

    def _build_outcome_box(self) -> QGroupBox:
        group = QGroupBox(self.tr("答复与处理结果"))
        column = QVBoxLayout(group)
        column.setSpacing(6)
        column.addWidget(self._build_alert_box())
        form = fields.form_layout()
        column.addLayout(form)

        self.answer_edit = _plain_text(2)
        self.answer_edit.setPlaceholderText(self.tr("已给来电人的答复或解释"))
        self.knowledge_button = form_button(
            self.tr("知识库…"), self.insert_standard_answer, self.tr("从知识库插入标准答复")
        )
        self.knowledge_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keeps the form's Tab order
        form.addRow(self.tr("答复内容"), self._with_error("answer", self.answer_edit, self.knowledge_button))

        self.outcomes = ChoiceRow(
            self,
            {o: self.tr("{0} {1}").format(i, self.tr(o)) for i, o in enumerate(calls.OUTCOMES, 1)},
            vertical_margin=2,
        )
        self.outcome_group = self.outcomes.group
        self.outcome_buttons = self.outcomes.buttons
        for i, button in enumerate(self.outcome_buttons.values(), 1):
            button.setToolTip(self.tr("Alt+{0}").format(i))
        self.outcome_group.idToggled.connect(self._outcome_toggled)
        first_outcome = next(iter(self.outcome_buttons.values()))
        form.addRow(self.tr("处理结果"), self._with_error("outcome", self.outcomes.box, focus=first_outcome))

        self.outcome_stack = QStackedWidget()
        self.outcome_stack.addWidget(self._page_none())
        self.outcome_stack.addWidget(self._page_answered())
        self.outcome_stack.addWidget(self._page_dispatched())
        self.outcome_stack.addWidget(self._page_message())
        self.outcome_stack.addWidget(self._page_callback())
        column.addWidget(self.outcome_stack)
        column.addStretch(1)
        self.answer_edit.textChanged.connect(self._changed)
        return group

    def insert_standard_answer(self) -> None:
        """知识库: insert a standard answer at the cursor of the answer box."""
        from ui.widgets.knowledge_picker import pick_answer

        text = pick_answer(self, self._session)
        if text:
            self.answer_edit.insertPlainText(text)
            self.answer_edit.setFocus()

    def _page(self) -> tuple[QWidget, QFormLayout]:
        page = QWidget()
        form = fields.form_layout()
        form.setContentsMargins(0, 0, 0, 0)
        page.setLayout(form)
        return page, form

    def _hint(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName("hint")
        label.setWordWrap(True)
        return label

    def _page_none(self) -> QWidget:
        page, form = self._page()
        form.addRow(
            self._hint(
                self.tr(
                    "请选择处理结果：能当场解决的当场答复；不能解决的转相关部门，"
                    "不推诿；找人的代为留言；需要查证的记下号码稍后回电。"
                )
            )
        )
        return page

    def _page_answered(self) -> QWidget:
        page, form = self._page()
        form.addRow(self._hint(self.tr("已当场解答，请在上方「答复内容」写明给来电人的答复。")))
        return page

    def _page_dispatched(self) -> QWidget:
        page, form = self._page()
        self.department_combo = QComboBox()
        self.department_combo.setPlaceholderText(self.tr("请选择处理部门"))
        form.addRow(self.tr("处理部门"), self._with_error("department", self.department_combo))
        self.taken_by_edit = QLineEdit()
        self.taken_by_edit.setPlaceholderText(self.tr("部门中接单的人"))
        form.addRow(self.tr("接单人"), self._with_error("taken_by", self.taken_by_edit))
        # The department's phone, for the caller (规程：投诉时告知品管部电话).
        self.dept_phone_label = QLabel()
        self.dept_phone_label.setObjectName("deptPhone")
        self.dept_phone_label.setStyleSheet(f"color: {palette.TITLE}; font-weight: bold;")
        self.dept_phone_label.setWordWrap(True)
        self.dept_phone_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("", self.dept_phone_label)
        self.promise_label = QLabel()
        self.promise_label.setObjectName("promise")
        self.promise_label.setStyleSheet(f"color: {palette.CAUTION}; font-weight: bold;")
        form.addRow(self.tr("答复时限"), self.promise_label)
        self.department_combo.currentIndexChanged.connect(self._department_changed)
        self.department_combo.activated.connect(self._department_chosen)
        self.taken_by_edit.textChanged.connect(self._changed)
        return page

    def _page_message(self) -> QWidget:
        page, form = self._page()
        self.message_person_edit = QLineEdit()
        self.message_person_edit.setPlaceholderText(self.tr("留言给谁"))
        self.message_dept_combo = QComboBox()
        for_whom = QWidget()
        row = QHBoxLayout(for_whom)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.message_person_edit, 3)
        row.addWidget(QLabel(self.tr("或部门")))
        row.addWidget(self.message_dept_combo, 2)
        form.addRow(
            self.tr("留言给"),
            self._with_error("message_for_person", for_whom, focus=self.message_person_edit),
        )
        self.message_text_edit = _plain_text(2)
        self.message_text_edit.setPlaceholderText(self.tr("要转达的话"))
        form.addRow(self.tr("留言内容"), self._with_error("message_text", self.message_text_edit))
        self.message_phone_edit = QLineEdit()
        ascii_only(self.message_phone_edit)
        form.addRow(self.tr("回电号码"), self._with_error("message_callback_phone", self.message_phone_edit))
        self.message_person_edit.textChanged.connect(self._changed)
        self.message_dept_combo.currentIndexChanged.connect(self._changed)
        self.message_text_edit.textChanged.connect(self._changed)
        self.message_phone_edit.textChanged.connect(self._changed)
        return page

    def _page_callback(self) -> QWidget:
        page, form = self._page()
        self.callback_phone_edit = QLineEdit()
        ascii_only(self.callback_phone_edit)
        form.addRow(
            self.tr("回电号码"), self._with_error("callback_callback_phone", self.callback_phone_edit)
        )
        self.callback_due_edit = datetime_edit()
        form.addRow(self.tr("回电时间"), self._with_error("callback_due_at", self.callback_due_edit))
        self.callback_reason_edit = QLineEdit()
        self.callback_reason_edit.setPlaceholderText(self.tr("要查证或回复的事项（留空则用来电内容）"))
        form.addRow(self.tr("回电事由"), self._with_error("callback_reason", self.callback_reason_edit))
        self.callback_phone_edit.textChanged.connect(self._changed)
        self.callback_due_edit.dateTimeChanged.connect(self._due_changed)
        self.callback_reason_edit.textChanged.connect(self._changed)
        return page

    def _build_alert_box(self) -> QFrame:
        self.alert_box = QFrame()
        self.alert_box.setObjectName("alertBox")
        grid = QGridLayout(self.alert_box)
        grid.setContentsMargins(8, 6, 8, 4)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(4)
        self.emergency_banner = QLabel(
            self.tr("紧急来电：立即通知保安部或相关部门，安抚来电人，并记录已通知的部门和时间")
        )
        self.emergency_banner.setObjectName("emergencyBanner")
        self.emergency_banner.setWordWrap(True)
        grid.addWidget(self.emergency_banner, 0, 0, 1, 4)
        self.alert_dept_combo = QComboBox()
        self.alert_dept_combo.setPlaceholderText(self.tr("已通知哪个部门"))
        self.alert_time_edit = QDateTimeEdit()
        self.alert_time_edit.setDisplayFormat("MM-dd HH:mm")
        self.alert_now_button = QPushButton(self.tr("现在"))
        self.alert_now_button.setAutoDefault(True)
        self.alert_now_button.clicked.connect(self._alert_now)
        grid.addWidget(QLabel(self.tr("已通知")), 1, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self._with_error("alerted_department", self.alert_dept_combo), 1, 1)
        grid.addWidget(QLabel(self.tr("通知时间")), 1, 2, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self._with_error("alerted_at", self.alert_time_edit, self.alert_now_button), 1, 3)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(3, 2)
        self.alert_box.hide()
        self.alert_dept_combo.currentIndexChanged.connect(self._changed)
        self.alert_time_edit.dateTimeChanged.connect(self._changed)
        return self.alert_box

    def _build_readback(self) -> QFrame:
        box = QFrame()
        box.setObjectName("readbackBox")
        column = QVBoxLayout(box)
        column.setContentsMargins(12, 6, 12, 8)
        column.setSpacing(2)
        caption = QLabel(self.tr("复述要点（保存前请向来电人复述确认）"))
        caption.setObjectName("caption")
        self.readback_label = QLabel()
        self.readback_label.setObjectName("readback")
        self.readback_label.setWordWrap(True)
        self.readback_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.readback_label.setFont(font)
        self.readback_label.setMinimumHeight(self.readback_label.fontMetrics().lineSpacing() * 2 + 4)
        column.addWidget(caption)
        column.addWidget(self.readback_label)
        # 结束语: thank, confirm the next step, and let the caller hang up first.
        self.closing_label = QLabel()
        self.closing_label.setObjectName("closing")
        self.closing_label.setWordWrap(True)
        column.addWidget(self.closing_label)
        return box

    def _build_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.status = SaveStatus(wrap=False)
        self.status_label, self.masked_note = self.status.label, self.status.note
        self.hint_label = self._hint(
            self.tr(
                "Enter 保存（多行文本框中 Enter 换行，Ctrl+Enter 保存）　·　Alt+1～4 处理结果"
                "　·　Esc 放弃　·　F2 新来电"
            )
        )
        self.hint_label.setWordWrap(False)
        row.addLayout(self.status.column(self.general_error, self.hint_label, spacing=0), 1)
        self.discard_button = QPushButton(self.tr("放弃 (Esc)"))
        self.discard_button.setAutoDefault(True)
        self.discard_button.clicked.connect(self.discard)
        self.save_button = save_button(self.tr("保存 (Enter)"), padding=22)
        self.save_button.setAutoDefault(True)
        self.save_button.clicked.connect(self.save)
        row.addWidget(self.discard_button)
        row.addWidget(self.save_button)
        return row

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = [
            self.lookup,
            self.location_edit,
            self.phone_edit,
            self.identity_check,
            self.category_combo,
            self.content_edit,
            self.alert_dept_combo,
            self.alert_time_edit,
            self.alert_now_button,
            self.answer_edit,
            *self.outcome_buttons.values(),
            self.department_combo,
            self.taken_by_edit,
            self.message_person_edit,
            self.message_dept_combo,
            self.message_text_edit,
            self.message_phone_edit,
            self.callback_phone_edit,
            self.callback_due_edit,
            self.callback_reason_edit,
            self.save_button,
            self.discard_button,
            self.new_button,
        ]
        for a, b in itertools.pairwise(chain):
            QWidget.setTabOrder(a, b)

    # ---- session and state ----------------------------------------------------------------
    def set_session(self, session: Session) -> None:
        """Another operator: the call being typed is kept as the previous operator's draft."""
        self._session = session
        self.draft.hand_over(session, self.reset)
        self.status.clear()

    def is_active(self) -> bool:
        """A call is in progress (its timer is running)."""
        return self._started_at is not None

    def started_at(self) -> datetime | None:
        return self._started_at

    def client_token(self) -> str:
        return self._token

    def has_content(self) -> bool:
        return fields.has_content(self.fields)

    def new_call(self) -> None:
        """F2: start the timer for a new call. A call already being typed is kept (never lost to
        a stray F2); an empty one restarts its timer."""
        if self.is_active() and self.has_content():
            self.answer_ring()
            self.lookup.setFocus()
            return
        self.reset()
        self._start()
        self.lookup.setFocus()

    def _start(self) -> None:
        self._started_at = self._session.clock.now()
        self._token = uuid4().hex
        self.status.clear()
        self._refresh_choices()
        self._set_default_times()
        self._set_idle(False)
        self.update_timer()
        self._tick_timer.start()
        self._update_readback()

    def reset(self) -> None:
        """Back to an empty, idle form (no call in progress)."""
        self._tick_timer.stop()
        self._started_at = None
        self._ring_id = None
        self._token = uuid4().hex
        self._reset_fields()
        self._set_idle(True)

    def _reset_fields(self) -> None:
        self._loading = True
        try:
            self.greeting_label.setText(
                settings_mod.load().greeting_text(self._session.operator.display_name)
            )
            self.resident_chip.clear()
            self._filled_phone = None
            fields.clear_values(self.fields)
            self.outcome_stack.setCurrentIndex(0)
            self._refresh_choices()
            self._due_touched = False
            self._dept_touched = False
            self._update_department_hints()
            self._set_default_times()
            self.errors.clear()
            self._update_emergency()
            self._update_phone_hints()
        finally:
            self._loading = False
        self._update_readback()

    def _refresh_choices(self) -> None:
        depts = departments.list_departments()
        self._departments = depts
        _refill_departments(self.department_combo, depts)
        _refill_departments(self.alert_dept_combo, depts)
        _refill_departments(self.message_dept_combo, depts, self.tr("（不指定）"))

    def _set_default_times(self) -> None:
        local_now = self._session.clock.local_now()
        self.alert_time_edit.blockSignals(True)
        self.alert_time_edit.setDateTime(local_qdatetime(local_now))
        self.alert_time_edit.blockSignals(False)
        if not self._due_touched:
            minutes = settings_mod.load().callback_default_minutes
            self.callback_due_edit.blockSignals(True)
            self.callback_due_edit.setDateTime(local_qdatetime(local_now + timedelta(minutes=minutes)))
            self.callback_due_edit.blockSignals(False)

    def _set_idle(self, idle: bool) -> None:
        for widget in (self.greeting_box, self.timer_label):
            widget.setProperty("idle", idle)
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        for child in self.greeting_box.findChildren(QLabel):
            child.style().unpolish(child)
            child.style().polish(child)
        if idle:
            self.timer_label.setText("00:00")

    def update_timer(self) -> None:
        """Show the time since the call started, read from the session clock."""
        if self._started_at is None:
            return
        seconds = max(int((self._session.clock.now() - self._started_at).total_seconds()), 0)
        hours, rest = divmod(seconds, 3600)
        minutes, secs = divmod(rest, 60)
        self.timer_label.setText(
            f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"
        )

    # ---- reacting to input ------------------------------------------------------------------
    def _changed(self, *_args: object) -> None:
        if self._loading:
            return
        if not self.is_active() and self.has_content():
            self._start()  # typing without pressing F2 first starts the call
        self.errors.clear_widget(self.sender())
        self._update_readback()

    def _phone_changed(self, *_args: object) -> None:
        self._update_phone_hints()
        self._changed()

    def _due_changed(self, *_args: object) -> None:
        if not self._loading:
            self._due_touched = True
        self._changed()

    def _category_changed(self, *_args: object) -> None:
        self.utility_box.setVisible(self.category() == cases.MUNICIPAL)
        self._update_utility_guess()
        self._update_emergency()
        if not self._loading:
            self._apply_default_department()
        self._update_promise()
        self._changed()

    def choose_outcome(self, outcome: str) -> None:
        """Alt+1..4: the outcome, without moving the focus from the field being typed in."""
        button = self.outcome_buttons.get(outcome)
        if button is not None and not button.isChecked():
            button.setChecked(True)

    def _department_chosen(self, *_args: object) -> None:
        self._dept_touched = True  # the receptionist's choice: a later category change keeps it

    def _department_changed(self, *_args: object) -> None:
        self._update_department_hints()
        self._changed()

    def _apply_default_department(self) -> None:
        """Pick the category's default department (设置 → 部门) unless one was chosen by hand."""
        if self._dept_touched:
            return
        dept = departments.default_for_category(self.category())
        index = self.department_combo.findData(dept.id) if dept is not None else -1
        if index != self.department_combo.currentIndex():
            self.department_combo.setCurrentIndex(index)
        self._update_department_hints()

    def _update_department_hints(self) -> None:
        dept_id = self.department_combo.currentData()
        dept = next((d for d in self._departments if d.id == dept_id), None)
        handler = departments.default_handler(dept)
        self.taken_by_edit.setPlaceholderText(
            self.tr("留空则为 {0}").format(handler) if handler else self.tr("部门中接单的人")
        )
        if dept is not None and dept.phone:
            tell = self.category() in settings_mod.TELL_PHONE_CATEGORIES
            text = self.tr("{0}电话：{1}").format(dept.name, dept.phone)
            if tell:
                text = self.tr("请告知来电人 — ") + text
            self.dept_phone_label.setText(text)
        else:
            self.dept_phone_label.clear()

    def _update_utility_guess(self) -> None:
        guess = cases.guess_utility(self.content_edit.toPlainText())
        text = self.tr("自动：{0}").format(self.tr(guess)) if guess else self.tr("自动（按来电内容）")
        self.utility_combo.setItemText(0, text)

    def _outcome_toggled(self, button_id: int, checked: bool) -> None:
        if not checked:
            return
        self.outcome_stack.setCurrentIndex(button_id + 1)
        if self.outcome() == Outcome.DISPATCHED and not self._loading:
            self._apply_default_department()
        self._update_promise()
        if self._loading:
            return
        self.errors.clear_field("outcome")
        self._changed()

    def _resident_picked(self, resident: Resident) -> None:
        self.location_edit.setText(residents.room_label(resident.building, resident.unit, resident.room))
        number = resident.phone or resident.phone_alt
        if number:
            masked = phones.mask(number)
            self._filled_phone = (masked, number)
            self.phone_edit.setText(masked)
        self.resident_chip.setText(self.tr("✓ 已关联住户档案"))
        self.errors.clear_field("caller_name")
        self._changed()
        self.identity_check.setFocus()

    def _resident_cleared(self) -> None:
        self.resident_chip.clear()
        self._changed()

    def _update_phone_hints(self) -> None:
        shown = self.phone_edit.text().strip()
        hint = self.tr("留空则回拨来电号码 {0}").format(shown) if shown else self.tr("回电号码")
        self.message_phone_edit.setPlaceholderText(hint)
        self.callback_phone_edit.setPlaceholderText(hint)

    def _update_emergency(self) -> None:
        emergency = self.category() == calls.EMERGENCY
        self.setProperty("emergency", emergency)
        self.style().unpolish(self)
        self.style().polish(self)
        self.alert_box.setVisible(emergency)
        if emergency and not self._loading:
            self._set_default_times()

    def _update_promise(self) -> None:
        category = self.category()
        if not category:
            self.promise_label.setText(self.tr("选择类别后显示"))
            return
        hours = settings_mod.load().reply_hours_for(category)
        base = self._started_at or self._session.clock.now()
        due = format_local_day_time(base + timedelta(hours=hours))
        self.promise_label.setText(self.tr("{0} 小时内答复（{1} 前）").format(hours, due))

    def _alert_now(self) -> None:
        self.alert_time_edit.setDateTime(local_qdatetime(self._session.clock.local_now()))

    def _update_readback(self) -> None:
        if not self.is_active() and not self.has_content():
            self.readback_label.setText(
                self.tr("按 F2 或「新来电」开始登记；填写时这里会生成要向来电人复述的要点。")
            )
            self.readback_label.setProperty("idle", True)
            self.closing_label.setText(
                self.tr("结束语：感谢您的来电！确认下一步（谁、何时答复或回电），请对方先挂机，再见。")
            )
        else:
            data = self.build_input()
            self.readback_label.setText(calls.preview_readback(data))
            self.readback_label.setProperty("idle", False)
            self.closing_label.setText(
                self.tr("结束语：{0}（等对方挂机后再挂断）").format(calls.preview_closing(data))
            )
        self.readback_label.style().unpolish(self.readback_label)
        self.readback_label.style().polish(self.readback_label)

    # ---- reading the form -------------------------------------------------------------------
    def category(self) -> str:
        return self.category_combo.currentData() or ""

    def outcome(self) -> str:
        return self.outcomes.chosen()

    def _phone_value(self) -> str:
        text = self.phone_edit.text().strip()
        if self._filled_phone is not None and text == self._filled_phone[0]:
            return self._filled_phone[1]
        return text

    def _tz_to_utc(self, value: QDateTime) -> datetime:
        return to_utc(from_qdatetime(value), self._session.clock.tz)

    def build_input(self) -> CallInput:
        outcome = self.outcome()
        resident = self.lookup.resident()
        started = self._started_at or self._session.clock.now()
        data = CallInput(
            started_at=started,
            category=self.category(),
            content=self.content_edit.toPlainText(),
            answer=self.answer_edit.toPlainText(),
            outcome=outcome,
            resident_id=resident.id if resident is not None else None,
            caller_name=self.lookup.text(),
            caller_phone=self._phone_value(),
            location=self.location_edit.text(),
            identity_verified=self.identity_check.isChecked(),
            client_token=self._token,
        )
        if outcome == Outcome.DISPATCHED:
            data.department_id = self.department_combo.currentData()
            data.taken_by = self.taken_by_edit.text()
        elif outcome == Outcome.MESSAGE:
            data.message_for_person = self.message_person_edit.text()
            data.message_for_department_id = self.message_dept_combo.currentData()
            data.message_text = self.message_text_edit.toPlainText()
            data.callback_phone = self.message_phone_edit.text()
        elif outcome == Outcome.CALLBACK:
            data.callback_phone = self.callback_phone_edit.text()
            data.callback_due_at = self._tz_to_utc(self.callback_due_edit.dateTime())
            data.callback_reason = self.callback_reason_edit.text()
        if data.category == cases.MUNICIPAL:
            data.utility = self.utility_combo.currentData() or ""
        if data.category == calls.EMERGENCY:
            data.alerted_department_id = self.alert_dept_combo.currentData()
            data.alerted_at = self._tz_to_utc(self.alert_time_edit.dateTime())
        return data

    # ---- errors ------------------------------------------------------------------------------
    def _error_key(self, field: str) -> str:
        if field == "callback_phone":
            return (
                "message_callback_phone" if self.outcome() == Outcome.MESSAGE else "callback_callback_phone"
            )
        return field

    def error_text(self, field: str) -> str:
        """The message shown beside a field ('' if none): for tests and accessibility."""
        return self.errors.message(self._error_key(field))

    def show_errors(self, fields: dict[str, str]) -> None:
        self.errors.show_fields({self._error_key(field): message for field, message in fields.items()})

    # ---- saving and discarding ----------------------------------------------------------------
    def save(self) -> CallResult | None:
        """Validate and save through the service; on success reset to idle and emit ``saved``."""
        if self.saving.busy or not (self.is_active() or self.has_content()):
            return None
        if not self.is_active():
            self._start()
        result = self.saving.run(self._register)
        if result is None:
            return None
        if self._ring_id is not None:
            self._link_ring(self._ring_id, result.call.id)
        self.reset()
        self.draft.discard()
        self.status.say(self._saved_text(result), result.masked)
        self.readback_label.setText(self.tr("上一通已保存：{0}").format(result.call.readback))
        self.new_button.setFocus()
        self.saved.emit(result)
        return result

    # ---- the desk phone (来电弹屏) ---------------------------------------------------------------
    def pop_ring(self, ring_id: int, number: str, caller: str, found: list[Resident]) -> bool:
        """A ring: start a call pre-filled with the caller (the number shown masked; one resident
        selected, several listed, an unknown number said so). A call already being typed is
        never overwritten: False, and the ring is only announced."""
        if self.is_active() and self.has_content() and self._ring_id != ring_id:
            self.status_label.setText(self.tr("来电 {0}：当前来电尚未保存").format(caller))
            return False
        self.reset()
        self._start()
        self._ring_id = ring_id
        if number:
            self._filled_phone = (phones.mask(number), number)
            self.phone_edit.setText(phones.mask(number))
        if len(found) == 1:
            self.lookup.set_resident(found[0])
            self._resident_picked(found[0])
            self.status_label.setText(self.tr("来电 {0}：{1}").format(caller, found[0].name))
        elif found:
            self.lookup.search(number)
            self.status_label.setText(
                self.tr("来电 {0}：该号码登记了 {1} 位住户，请选择").format(caller, len(found))
            )
            self.lookup.setFocus()
        else:
            self.status_label.setText(self.tr("来电 {0}：未登记的号码").format(caller))
            self.lookup.setFocus()
        return True

    def ring_id(self) -> int | None:
        return self._ring_id

    def answer_ring(self) -> None:
        """F2 / Enter on a popped ring: the answer time is stamped (unless the PBX sent one)."""
        if self._ring_id is not None:
            from reception.services import phone_line

            phone_line.answer(self._session, self._ring_id)

    def _link_ring(self, ring_id: int, call_id: int) -> None:
        from reception.services import phone_line

        try:
            phone_line.answer(self._session, ring_id)
            phone_line.link_call(ring_id, call_id)
        except ReceptionError as exc:  # the call is saved; only the link to the ring is missing
            self.status_label.setText(exc.message)

    def _register(self) -> CallResult | None:
        data = self.build_input()
        return save_with_retry(
            self,
            self.tr("未能保存"),
            lambda: calls.register_call(self._session, data),
            on_invalid=lambda exc: self.show_errors(exc.fields),
        )

    def _saved_text(self, result: CallResult) -> str:
        text = self.tr("已保存 {0}").format(result.call.serial)
        if result.case is not None:
            due = format_local_day_time(result.case.reply_due_at)
            text += self.tr("，已生成工单 {0}（{1} 前答复）").format(result.case.serial, due)
        elif result.message is not None:
            text += self.tr("，留言已登记待转达")
        elif result.callback is not None:
            text += self.tr("，已加入待回电（{0}）").format(format_local(result.callback.due_at, "%H:%M"))
        return text

    def discard(self) -> bool:
        """Esc: throw the call away — after asking, if anything was typed. True if discarded."""
        if not self.draft.throw_away(
            self.tr("放弃本次来电"), self.tr("已填写的来电内容尚未保存，确定放弃吗？"), self.reset
        ):
            return False
        self.status.clear()
        return True

    # ---- drafts --------------------------------------------------------------------------------
    def _declare_fields(self) -> None:
        """The call's inputs, in the order they are restored (the category before the outcome,
        the outcome before the department)."""
        self.fields = [
            Field("caller_name", self.lookup, "caller", RESIDENT, id_key="resident_id"),
            Field("location", self.location_edit, "location", TEXT),
            Field("caller_phone", self.phone_edit, "phone", TEXT),
            Field("identity_verified", self.identity_check, "identity_verified", CHECK),
            Field("category", self.category_combo, "category", COMBO, empty=""),
            Field("utility", self.utility_combo, "utility", COMBO, content=False, empty=""),
            Field("content", self.content_edit, "content", PLAIN),
            Field("answer", self.answer_edit, "answer", PLAIN),
            Field(
                "outcome",
                self.outcome_buttons[Outcome.ANSWERED],
                "outcome",
                CHOICE,
                choices=self.outcome_buttons,
            ),
            Field("department", self.department_combo, "department_id", COMBO, content=False, clears=False),
            Field("taken_by", self.taken_by_edit, "taken_by", TEXT),
            Field("message_for_person", self.message_person_edit, "message_for_person", TEXT),
            Field(
                "message_for_department",
                self.message_dept_combo,
                "message_department_id",
                COMBO,
                content=False,
                clears=False,
            ),
            Field("message_text", self.message_text_edit, "message_text", PLAIN),
            Field("message_callback_phone", self.message_phone_edit, "message_phone", TEXT),
            Field("callback_callback_phone", self.callback_phone_edit, "callback_phone", TEXT),
            Field("callback_due_at", self.callback_due_edit, "callback_due", DATETIME),
            Field("callback_reason", self.callback_reason_edit, "callback_reason", TEXT),
            Field(
                "alerted_department",
                self.alert_dept_combo,
                "alerted_department_id",
                COMBO,
                content=False,
                clears=False,
            ),
            Field("alerted_at", self.alert_time_edit, "alerted_at", DATETIME),
        ]

    def draft_state(self) -> dict[str, Any]:
        """Everything typed so far, as plain values (see :mod:`ui.widgets.fields`)."""
        shown = self.phone_edit.text()
        filled = self._filled_phone
        return {
            **fields.draft_values(self.fields),
            "token": self._token,
            "started_at": self._started_at.isoformat() if self._started_at is not None else "",
            "phone_full": filled[1] if filled is not None and shown.strip() == filled[0] else "",
            "department_touched": self._dept_touched,
            "callback_due_touched": self._due_touched,
        }

    def restore_draft(self, state: dict[str, Any]) -> None:
        """Fill the form from :meth:`draft_state`'s values; the call's timer goes on from when
        the call started. A resident who is no longer on file leaves the typed name."""
        self.reset()
        self._loading = True
        try:
            self._due_touched = bool(state.get("callback_due_touched"))
            kept = state if self._due_touched else {k: v for k, v in state.items() if k != "callback_due"}
            fields.restore_values(self.fields, kept)
            resident = self.lookup.resident()
            if resident is not None:
                self.resident_chip.setText(self.tr("✓ 已关联住户档案"))
            phone, full = self.phone_edit.text(), text_of(state, "phone_full")
            self._filled_phone = (phone.strip(), full) if full and resident is not None else None
            if full and resident is None:
                self.phone_edit.clear()  # the masked number of a resident no longer on file
            self._dept_touched = bool(state.get("department_touched"))
            self._update_department_hints()
            self._update_emergency()
            self._update_phone_hints()
        finally:
            self._loading = False
        self._token = token_of(state, self._token)
        self._started_at = parse_iso(state.get("started_at")) or self._session.clock.now()
        self._set_idle(False)
        self.update_timer()
        self._tick_timer.start()
        self._update_promise()
        self._update_readback()

    def restore_saved_draft(self) -> bool:
        """The operator's draft, if the form is empty and there is one; says so."""
        return restore_saying(self.draft, self.status_label.setText)

    def keyPressEvent(self, e: QKeyEvent) -> None:
        # Keys the fields did not use (Enter in a line edit, combo or check box; Esc) end up here.
        if not enter_saves_escape_discards(e, self.save, self.discard):
            super().keyPressEvent(e)
