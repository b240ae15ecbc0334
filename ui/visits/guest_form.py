"""访客登记 (规程：来访审核 — 登记、核实身份、通知受访住户、陪同; 预约来访 / 不速之客).

While the receptionist types the name, phone and ID number the form asks the core whether the
visitor has an appointment today (shown prominently and used: no consent needed) or is on the
watch list (a red warning; saving then needs a supervisor's decision). A walk-in needs the
host's answer: 同意 / 拒绝 / 未接通. An admitted visitor's badge prints right after the save;
a visitor not admitted gets no badge, and the form shows what to say and offers to book."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from PySide6.QtCore import Qt
from PySide6.QtCore import QTimer
from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCheckBox
from PySide6.QtWidgets import QComboBox
from PySide6.QtWidgets import QFrame
from PySide6.QtWidgets import QGroupBox
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QSpinBox
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from reception.clock import format_local
from reception.errors import ReceptionError
from reception.rules import idcard
from reception.rules import identity
from reception.rules import phones
from reception.services import card_reader
from reception.services import privacy
from reception.services import residents
from reception.services import visits
from reception.services.records import Appointment
from reception.services.records import Resident
from reception.services.records import Visit
from reception.services.records import WatchEntry
from reception.services.session import Session
from ui.visits import watchlist_dialog
from ui.visits.appointments_panel import AppointmentPrefill
from ui.visits.appointments_panel import host_text
from ui.visits.card_reader import WedgeCatcher
from ui.visits.visit_widgets import Banner
from ui.widgets import fields
from ui.widgets import palette
from ui.widgets import printing
from ui.widgets.drafts_support import DraftKeeper
from ui.widgets.drafts_support import set_combo_data
from ui.widgets.drafts_support import token_of
from ui.widgets.fields import CHECK
from ui.widgets.fields import CHOICE
from ui.widgets.fields import COMBO
from ui.widgets.fields import COMBO_TEXT
from ui.widgets.fields import RESIDENT
from ui.widgets.fields import SPIN
from ui.widgets.fields import TEXT
from ui.widgets.fields import Field
from ui.widgets.fields import form_group
from ui.widgets.fields import form_layout
from ui.widgets.form_parts import ChoiceRow
from ui.widgets.form_parts import SaveLock
from ui.widgets.form_parts import column_box
from ui.widgets.form_parts import enter_saves_escape_discards
from ui.widgets.form_parts import form_button
from ui.widgets.form_parts import restore_saying
from ui.widgets.form_parts import save_button
from ui.widgets.forms import FieldErrors
from ui.widgets.forms import ascii_only
from ui.widgets.forms import error_label
from ui.widgets.resident_lookup import ResidentLookup
from ui.widgets.revealed_number import RevealedNumber
from ui.widgets.saving import save_with_retry

CHECK_DELAY_MS = 250
FIELD_ORDER = [
    "visitor_name",
    "visitor_phone",
    "visitor_unit",
    "party_size",
    "plate",
    "id_number",
    "id_verified",
    "host",
    "purpose",
    "escort",
    "appointment",
    "consent",
    "watch",
]

_STYLE = f"""
QLabel#caption {{ color: {palette.MUTED}; }}
QLabel#cardNote {{ color: {palette.OK_BRIGHT}; }}
QLabel#cardNote[warn="true"] {{ color: {palette.OVERDUE}; font-weight: bold; }}
"""


class GuestForm(QFrame):
    """``saved(Visit)`` after each save; ``book_requested(AppointmentPrefill)`` for 预约来访."""

    saved = Signal(object)
    book_requested = Signal(object)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._token = uuid4().hex
        self._loading = False
        self._appointment: Appointment | None = None
        self._appointment_explicit = False  # chosen with 到访登记 (kept even if the name changes)
        self._dismissed: set[int] = set()  # appointments the receptionist said are not this visitor
        self._watch: list[WatchEntry] = []
        self._last_visit: Visit | None = None
        self._last_prefill: AppointmentPrefill | None = None
        self._card_source = ""  # "reader" / "wedge" when the ID came from a card reader
        self.general_error = error_label()
        self.errors = FieldErrors(self.general_error, FIELD_ORDER, fit=False)
        self.setStyleSheet(_STYLE)
        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(CHECK_DELAY_MS)
        self._check_timer.timeout.connect(self.check_now)
        self._build()
        self._declare_fields()
        self.saving = SaveLock(self.save_button)
        self.reset()
        self.draft = DraftKeeper(self, "guest", session)
        self.draft.watch_inputs()

    # ---- building ------------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.setSpacing(6)
        self.watch_banner = Banner()
        self.appointment_banner = Banner()
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 1.15)
        self.appointment_banner.setFont(big)
        self.watch_banner.setFont(big)
        self.not_this_button = form_button(self.tr("不是此预约"), self.dismiss_appointment)
        appt_row = QHBoxLayout()
        appt_row.setSpacing(6)
        appt_row.addWidget(self.appointment_banner, 1)
        appt_row.addWidget(self.not_this_button, 0, Qt.AlignmentFlag.AlignVCenter)
        outer.addWidget(self.watch_banner)
        outer.addLayout(appt_row)

        columns = QHBoxLayout()
        columns.setSpacing(10)
        columns.addWidget(self._build_visitor_box(), 1)
        columns.addWidget(self._build_host_box(), 1)
        outer.addLayout(columns, 1)
        outer.addWidget(self._build_result_box())
        outer.addLayout(self._build_buttons())

    def _build_visitor_box(self) -> QGroupBox:
        group, form = form_group(self.tr("访客"))
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(self.tr("访客姓名"))
        self.party_spin = QSpinBox()
        self.party_spin.setRange(1, 50)
        self.party_spin.setSuffix(self.tr(" 人"))
        party_caption = QLabel(self.tr("人数"))
        form.addRow(
            self.tr("姓名"),
            self.errors.wrap("visitor_name", self.name_edit, party_caption, self.party_spin),
        )
        self.errors.alias("party_size", "visitor_name", focus=self.party_spin)
        self.phone_edit = QLineEdit()
        ascii_only(self.phone_edit)
        self.phone_edit.setPlaceholderText(self.tr("可不填；有预约时凭电话匹配"))
        form.addRow(self.tr("电话"), self.errors.wrap("visitor_phone", self.phone_edit))
        self.unit_edit = QLineEdit()
        self.unit_edit.setMaxLength(100)
        self.unit_edit.setPlaceholderText(self.tr("可不填：所在公司、单位或从哪里来"))
        form.addRow(self.tr("来访单位"), self.errors.wrap("visitor_unit", self.unit_edit))
        self.plate_edit = QLineEdit()
        self.plate_edit.setPlaceholderText(self.tr("驾车来访时填写，如 沪A12345"))
        form.addRow(self.tr("车牌"), self.errors.wrap("plate", self.plate_edit))
        self.id_type_combo = QComboBox()
        for id_type in identity.ID_TYPES:
            self.id_type_combo.addItem(self.tr(id_type), id_type)
        self.id_number_edit = QLineEdit()
        ascii_only(self.id_number_edit)
        self.id_number_edit.setPlaceholderText(self.tr("证件号码"))
        # A note, not an error: e.g. a region code the table does not know for the birth year.
        self.id_note = QLabel()
        self.id_note.setObjectName("caption")
        self.id_note.setWordWrap(True)
        self.id_note.hide()
        # Where the ID came from (读卡器) and, for a card, what the desk must still check.
        self.card_note = QLabel()
        self.card_note.setObjectName("cardNote")
        self.card_note.setWordWrap(True)
        self.card_note.hide()
        id_row = column_box(self.id_type_combo, self.id_number_edit, self.id_note, self.card_note, spacing=4)
        self.wedge = WedgeCatcher(self.id_number_edit)
        self.wedge.card_read.connect(self.fill_from_card)
        form.addRow(self.tr("证件"), self.errors.wrap("id_number", id_row, focus=self.id_number_edit))
        self.id_verified_check = QCheckBox(self.tr("证件已核验（人证一致）"))
        form.addRow("", self.errors.wrap("id_verified", self.id_verified_check))
        self.purpose_combo = QComboBox()
        self.purpose_combo.setEditable(True)
        self.purpose_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.purpose_combo.addItems([self.tr(p) for p in visits.GUEST_PURPOSES])
        if (line := self.purpose_combo.lineEdit()) is not None:
            line.setPlaceholderText(self.tr("选择或填写来访事由"))
        form.addRow(self.tr("事由"), self.errors.wrap("purpose", self.purpose_combo))
        self.escort_edit = QLineEdit()
        self.escort_edit.setPlaceholderText(self.tr("受访方要求时，安排陪同的人员"))
        form.addRow(self.tr("陪同人员"), self.errors.wrap("escort", self.escort_edit))

        for edit in (self.name_edit, self.phone_edit, self.id_number_edit):
            edit.textEdited.connect(self._identity_edited)
        self.id_type_combo.currentIndexChanged.connect(self._identity_edited)
        for field, edit in (("plate", self.plate_edit), ("escort", self.escort_edit)):
            edit.textEdited.connect(lambda _t, f=field: self.errors.clear_field(f))
        self.id_verified_check.toggled.connect(lambda _c: self.errors.clear_field("id_verified"))
        self.purpose_combo.currentTextChanged.connect(lambda _t: self.errors.clear_field("purpose"))
        for edit in (self.name_edit, self.id_number_edit):  # the phone script names the visitor
            edit.textChanged.connect(self._refresh_script)
        self.purpose_combo.currentTextChanged.connect(self._refresh_script)
        return group

    def _build_host_box(self) -> QGroupBox:
        group = QGroupBox(self.tr("受访方"))
        column = QVBoxLayout(group)
        column.setSpacing(6)
        form = form_layout()
        column.addLayout(form)
        self.host_lookup = ResidentLookup()
        self.host_lookup.setPlaceholderText(self.tr("受访住户：房号、姓名、电话尾号"))
        self.host_lookup.picked.connect(self._host_picked)
        self.host_lookup.cleared.connect(self._host_cleared)
        self.staff_edit = QLineEdit()
        self.staff_edit.setPlaceholderText(self.tr("或受访的工作人员/部门，如 工程部刘工"))
        self.staff_edit.textEdited.connect(self._staff_edited)
        host_box = column_box(self.host_lookup, self.staff_edit, spacing=4)
        form.addRow(self.tr("去向"), self.errors.wrap("host", host_box, focus=self.host_lookup))

        self.host_info = Banner()
        column.addWidget(self.host_info)
        self.host_number_button = form_button(
            self.tr("显示号码"),
            self.show_host_number,
            self.tr("显示受访住户的完整电话以便拨打（查看会记入审计日志）"),
        )
        self.host_number_button.hide()
        self.host_number = RevealedNumber()  # the full number, in place, for a minute
        number_row = QHBoxLayout()
        number_row.addWidget(self.host_number, 1)
        number_row.addStretch(0)
        number_row.addWidget(self.host_number_button, 0, Qt.AlignmentFlag.AlignTop)
        column.addLayout(number_row)

        self.consents = ChoiceRow(self, {c: self.tr(c) for c in visits.CONSENTS})
        self.consent_group = self.consents.group
        self.consent_buttons = self.consents.buttons
        self.consent_group.idToggled.connect(self._consent_toggled)
        self.consent_caption = QLabel(self.tr("受访方答复"))
        form2 = form_layout()
        form2.addRow(
            self.consent_caption,
            self.errors.wrap("consent", self.consents.box, focus=self.consent_buttons[visits.AGREED]),
        )
        self.errors.alias("appointment", "consent", focus=self.not_this_button)
        column.addLayout(form2)
        self.consent_hint = QLabel()
        self.consent_hint.setObjectName("caption")
        self.consent_hint.setWordWrap(True)
        column.addWidget(self.consent_hint)
        column.addStretch(1)
        return group

    def _build_result_box(self) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        self.result_banner = Banner()
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.result_banner.setFont(font)
        self.book_button = form_button(self.tr("预约来访…"), self._book_clicked)
        self.reprint_button = form_button(self.tr("补打访客证"), self.reprint_last)
        # 拒绝 / 未接通: the visitor's details stay in the form (the host may call back).
        self.retry_button = form_button(
            self.tr("重新联系被访人"),
            self.retry_consent,
            self.tr("访客信息已保留：再次致电受访方，记录新的答复后登记"),
        )
        self.clear_kept_button = form_button(
            self.tr("清空"), self.clear_kept, self.tr("访客已离开：清空保留的访客信息")
        )
        buttons = QVBoxLayout()
        buttons.setSpacing(4)
        for button in self._result_buttons():
            buttons.addWidget(button)
            button.hide()
        buttons.addStretch(1)
        row.addWidget(self.result_banner, 1)
        row.addLayout(buttons)
        return box

    def _result_buttons(self) -> tuple[QPushButton, ...]:
        """What can be done after a save, as they stand beside the result (shown as it fits)."""
        return (self.retry_button, self.clear_kept_button, self.book_button, self.reprint_button)

    def _build_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        hint = QLabel(self.tr("Enter 登记　·　Esc 清空　·　F3 新访客"))
        hint.setObjectName("caption")
        left = QVBoxLayout()
        left.setSpacing(0)
        left.addWidget(self.general_error)
        left.addWidget(hint)
        row.addLayout(left, 1)
        self.clear_button = form_button(self.tr("清空 (Esc)"), self.discard)
        self.save_button = save_button(self.tr("登记 (Enter)"), padding=18)
        self.save_button.clicked.connect(self.save)
        row.addWidget(self.clear_button)
        row.addWidget(self.save_button)
        return row

    # ---- state ---------------------------------------------------------------------------------
    def set_session(self, session: Session) -> None:
        """Another operator: what was typed is kept as the previous operator's draft."""
        self._session = session
        self.draft.hand_over(session, self.reset)
        self.clear_result()

    def client_token(self) -> str:
        return self._token

    def appointment(self) -> Appointment | None:
        return self._appointment

    def watch_entries(self) -> list[WatchEntry]:
        return list(self._watch)

    def last_visit(self) -> Visit | None:
        return self._last_visit

    def reset(self) -> None:
        """An empty form with a new token (the previous result stays visible)."""
        self._loading = True
        try:
            self._check_timer.stop()
            self._token = uuid4().hex
            fields.clear_values(self.fields)
            self.purpose_combo.setCurrentIndex(-1)
            self.purpose_combo.setEditText("")
            self._appointment = None
            self._appointment_explicit = False
            self._dismissed = set()
            self._watch = []
            self.watch_banner.clear_text()
            self.id_note.clear()
            self.id_note.hide()
            self._card_source = ""
            self.card_note.clear()
            self.card_note.hide()
            self._show_appointment()
            self._show_host()
            self.errors.clear()
        finally:
            self._loading = False

    def new_guest(self) -> None:
        """F3: an empty form, the cursor in the name field. A visitor being typed is never wiped by
        a stray F3: the receptionist is asked first (No keeps everything, the ID number included)."""
        if self.has_content():
            if not self.discard():
                self.name_edit.setFocus()
            return
        self.reset()
        self.name_edit.setFocus()

    def has_content(self) -> bool:
        return fields.has_content(self.fields)

    def consent(self) -> str:
        return self.consents.chosen()

    def _set_consent(self, consent: str) -> None:
        self.consents.choose(consent)

    # ---- host ----------------------------------------------------------------------------------
    def _host_picked(self, _resident: Resident) -> None:
        self.staff_edit.clear()
        self.errors.clear_field("host")
        self._show_host()
        if self._appointment is None:
            self.consent_buttons[visits.AGREED].setFocus()

    def _host_cleared(self) -> None:
        self._show_host()

    def _staff_edited(self, text: str) -> None:
        if text.strip() and self.host_lookup.resident() is not None:
            self.host_lookup.reset()
        self.errors.clear_field("host")
        self._show_host()

    def show_host_number(self) -> str | None:
        """The host household's full number, to ring them: shown in place beside the host (grouped,
        hidden after a minute or with the next visitor; the reveal is audited)."""
        resident = self.host_lookup.resident()
        self.host_number.conceal()
        if resident is None:
            return None
        try:
            number = privacy.number_to_call(self._session, "resident", resident.id)
        except ReceptionError as exc:
            self.errors.show_general(exc.message)
            return None
        if not number:
            self.errors.show_general(self.tr("档案中没有该住户的电话。"))
            return number
        room = residents.room_label(resident.building, resident.unit, resident.room)
        self.host_number.reveal(self.tr("受访住户 {0}：").format(room), number)
        self.host_number.shown_for = resident.id
        return number

    def _show_host(self) -> None:
        resident = self.host_lookup.resident()
        self.host_number_button.setVisible(resident is not None and bool(resident.phone))
        if resident is None or self.host_number.shown_for != resident.id:
            self.host_number.conceal()  # another host, or the next visitor
        if resident is None:
            staff = self.staff_edit.text().strip()
            if self._appointment is not None:
                self.host_info.clear_text()
            elif staff:
                self.host_info.show_text(
                    self.tr("受访：{0}\n请联系受访人员确认是否接待，并在下方记录答复。").format(staff)
                    + self._phone_script(),
                    "info",
                )
            else:
                self.host_info.show_text(
                    self.tr("请查找受访住户（或填写受访的工作人员/部门），再致电确认是否接待。"), "info"
                )
            return
        room = residents.room_label(resident.building, resident.unit, resident.room)
        number = phones.mask(resident.phone or resident.phone_alt) or self.tr("（档案中无电话）")
        relation = f"（{resident.relation}）" if resident.relation else ""
        head = self.tr("受访住户：{0}　{1}{2}\n电话：{3}").format(room, resident.name, relation, number)
        if self._appointment is not None:
            self.host_info.show_text(head + "\n" + self.tr("已预约，无需再征询受访住户。"), "ok")
        else:
            self.host_info.show_text(
                head
                + "\n"
                + self.tr("☎ 请致电受访住户确认是否接待，并在下方记录答复。")
                + self._phone_script(),
                "info",
            )

    def _phone_script(self) -> str:
        """While the host's answer is pending: what to say on the phone (规程：来访审核), with the
        visitor's name (先生/女士 from the ID number when it tells) and the purpose filled in."""
        if self.consent():
            return ""
        name = self.name_edit.text().strip()
        number = self.id_number_edit.text().strip().upper()
        if name and len(number) == 18 and number[:17].isdigit():
            name += self.tr("先生") if int(number[16]) % 2 else self.tr("女士")
        visitor = name or self.tr("××先生/女士")
        purpose = self.purpose_combo.currentText().strip()
        about = self.tr("，事由是{0}").format(purpose) if purpose else ""
        return "\n" + self.tr(
            "可以这样说：“您好，我是物业服务中心前台，有位{0}来访{1}，请问您是否同意他/她进入？”"
        ).format(visitor, about)

    def _refresh_script(self, *_args: object) -> None:
        if not self._loading and hasattr(self, "host_info"):
            self._show_host()

    def _consent_toggled(self, _id: int, checked: bool) -> None:
        if checked and not self._loading:
            self.errors.clear_field("consent")
        if not self._loading:
            self._show_host()  # the phone script only while the answer is pending

    # ---- appointment and watch list ----------------------------------------------------------
    def _identity_edited(self, *_args: object) -> None:
        if self._loading:
            return
        sender = self.sender()
        for field, widget in (
            ("visitor_name", self.name_edit),
            ("visitor_phone", self.phone_edit),
            ("id_number", self.id_number_edit),
        ):
            if sender is widget:
                self.errors.clear_field(field)
        if self._card_source and sender in (self.id_number_edit, self.id_type_combo):
            self._forget_card()  # a number changed by hand is no longer the chip's
        self._check_timer.start()

    # ---- card reader -----------------------------------------------------------------------------
    def card_source(self) -> str:
        """ "reader" or "wedge" when the ID on the form was read from a card, else ""."""
        return self._card_source

    def fill_from_card(self, read: card_reader.CardRead) -> None:
        """A card on the reader: name, ID type and number, 证件已核验 (unless the card has expired,
        which needs the receptionist's own tick), then the appointment and watch-list check at
        once. The photo, the address, the nation and the issuing authority are not used."""
        fill = card_reader.form_fill(read, self._session.clock.today())
        self._loading = True
        try:
            if fill.name:
                self.name_edit.setText(fill.name)
            set_combo_data(self.id_type_combo, fill.id_type)
            self.id_number_edit.setText(fill.id_number)
            self.id_verified_check.setChecked(fill.verified)
        finally:
            self._loading = False
        self._card_source = read.source
        self.errors.clear()
        warnings = {}
        if fill.name_warning:
            warnings["visitor_name"] = self.tr(fill.name_warning)
        if fill.id_warning:
            warnings["id_number"] = self.tr(fill.id_warning)
        note = (
            self.tr("✓ 证件信息由读卡器读取")
            if read.source == "reader"
            else self.tr("✓ 证件号码由读卡器输入")
        )
        self.card_note.setText(note if not fill.expired else self.tr("⚠ 证件已过期"))
        self.card_note.setProperty("warn", fill.expired)
        self.card_note.style().unpolish(self.card_note)
        self.card_note.style().polish(self.card_note)
        self.card_note.show()
        self.check_now()
        if warnings:
            self.errors.show_fields(warnings)
            if "visitor_name" in warnings:
                self.name_edit.selectAll()
        elif not fill.name:
            self.name_edit.setFocus()
        else:
            self.host_lookup.setFocus()  # what is left to do: the host and the answer

    def _forget_card(self) -> None:
        self._card_source = ""
        self.card_note.clear()
        self.card_note.hide()
        self._loading = True
        try:
            self.id_verified_check.setChecked(False)
        finally:
            self._loading = False

    def _guest_input(self) -> visits.GuestInput:
        resident = self.host_lookup.resident()
        return visits.GuestInput(
            visitor_name=self.name_edit.text(),
            visitor_phone=self.phone_edit.text(),
            party_size=self.party_spin.value(),
            plate=self.plate_edit.text(),
            visitor_unit=self.unit_edit.text(),
            id_type=self.id_type_combo.currentData(),
            id_number=self.id_number_edit.text(),
            id_verified=self.id_verified_check.isChecked(),
            host_resident_id=resident.id if resident is not None else None,
            staff_host=self.staff_edit.text() if resident is None else "",
            purpose=self.purpose_combo.currentText(),
            appointment_id=self._appointment.id if self._appointment is not None else None,
            consent="" if self._appointment is not None else self.consent(),
            escort=self.escort_edit.text(),
            client_token=self._token,
            id_source=self._card_source,
        )

    def check_now(self) -> None:
        """Ask the core about an appointment and the watch list for what is typed so far."""
        self._check_timer.stop()
        note = identity.region_note(self.id_type_combo.currentData(), self.id_number_edit.text())
        self.id_note.setText(note)
        self.id_note.setVisible(bool(note))
        try:
            result = visits.check_guest(self._guest_input(), self._session.clock.today())
        except ReceptionError:
            return  # a look-up only; the save will report any real problem
        self._watch = list(result.watch)
        if self._watch:
            lines = "；".join(
                f"{e.name}{'（' + e.id_masked + '）' if e.id_masked else ''}：{' '.join(e.reason.split())}"
                for e in self._watch
            )
            self.watch_banner.show_text(
                self.tr(
                    "⚠ 关注名单提示：{0}\n请保持礼貌、不要声张；登记时须由主管核实并决定是否放行。"
                ).format(lines),
                "danger",
            )
        else:
            self.watch_banner.clear_text()
        found = result.appointment
        if found is not None and found.id in self._dismissed:
            found = None
        if found is not None and (self._appointment is None or self._appointment.id != found.id):
            if not self._appointment_explicit:
                self._use_appointment(found, explicit=False)
        elif found is None and self._appointment is not None and not self._appointment_explicit:
            self._appointment = None
            self._show_appointment()
            self._show_host()

    def load_appointment(self, appointment: Appointment) -> None:
        """到访登记: a new form filled from the appointment; the ID check is still to do."""
        self.reset()
        self._loading = True
        try:
            self.name_edit.setText(appointment.visitor_name)
            self.phone_edit.setText(appointment.visitor_phone)
        finally:
            self._loading = False
        self._use_appointment(appointment, explicit=True)
        self.check_now()
        self.id_number_edit.setFocus()

    def _use_appointment(self, appointment: Appointment, *, explicit: bool) -> None:
        self._appointment = appointment
        self._appointment_explicit = explicit
        self._loading = True
        try:
            if self.party_spin.value() == 1 and appointment.party_size > 1:
                self.party_spin.setValue(appointment.party_size)
            if self.host_lookup.resident() is None and not self.staff_edit.text().strip():
                if appointment.resident_id is not None:
                    self.host_lookup.set_resident(appointment.resident)
                else:
                    self.staff_edit.setText(appointment.staff_host)
            if not self.purpose_combo.currentText().strip():
                self.purpose_combo.setEditText(appointment.purpose)
            if not self.phone_edit.text().strip():
                self.phone_edit.setText(appointment.visitor_phone)
            self._set_consent("")
        finally:
            self._loading = False
        self.errors.clear_field("consent")
        self._show_appointment()
        self._show_host()

    def dismiss_appointment(self) -> None:
        """不是此预约: the visitor is a walk-in after all."""
        if self._appointment is not None:
            self._dismissed.add(self._appointment.id)
        self._appointment = None
        self._appointment_explicit = False
        self._show_appointment()
        self._show_host()

    def _show_appointment(self) -> None:
        appt = self._appointment
        walk_in = appt is None
        for button in self.consent_buttons.values():
            button.setEnabled(walk_in)
        self.consent_caption.setEnabled(walk_in)
        self.not_this_button.setVisible(not walk_in)
        if appt is None:
            self.appointment_banner.clear_text()
            self.consent_hint.setText(
                self.tr("未预约的访客：请致电受访方征求意见。拒绝或未接通时不放行、不打印访客证。")
            )
            return
        host = host_text(appt.resident, appt.staff_host)
        party = self.tr("，{0} 人").format(appt.party_size) if appt.party_size > 1 else ""
        self.appointment_banner.show_text(
            self.tr(
                "✓ 已预约：{0}{1}　预计 {2}\n受访：{3}　事由：{4}　— 无需再征询受访方，核验证件后即可登记"
            ).format(appt.visitor_name, party, format_local(appt.expected_at, "%H:%M"), host, appt.purpose),
            "ok",
        )
        self.consent_hint.setText(self.tr("已预约的访客无需征询受访方。"))

    # ---- saving ----------------------------------------------------------------------------------
    def error_text(self, field: str) -> str:
        return self.errors.message(field)

    def save(self) -> Visit | None:
        if self.saving.busy or not self.has_content():
            return None
        visit = self.saving.run(self._checked_register)
        if visit is None:
            return None
        prefill = AppointmentPrefill(
            visitor_name=visit.visitor_name,
            visitor_phone=visit.visitor_phone,
            party_size=visit.party_size,
            host=self.host_lookup.resident(),
            staff_host=visit.staff_host,
            purpose=visit.purpose,
        )
        # 拒绝 / 未接通 (not a supervisor's refusal): the form is kept for when the host calls back —
        # a new token, so the next 登记 is a new record, and no answer chosen yet.
        keep = visit.status != visits.ON_SITE and visit.consent in (visits.REFUSED, visits.UNREACHABLE)
        if keep:
            self._token = uuid4().hex
            self._set_consent("")
        else:
            self.reset()
            self.draft.discard()
        self._last_visit = visit
        self._last_prefill = prefill
        self.saved.emit(visit)
        if visit.status == visits.ON_SITE:
            self._admitted(visit)
        else:
            self._not_admitted(visit, kept=keep)
        (self.retry_button if keep else self.name_edit).setFocus()
        return visit

    def retry_consent(self) -> None:
        """重新联系被访人: the kept visitor, the host shown with the phone script; the answer next."""
        self.clear_result()
        self._set_consent("")
        self._show_host()
        self.result_banner.show_text(
            self.tr("访客信息已保留。请再次致电受访方，选择答复后按 Enter 登记。"), "info"
        )
        self.consent_buttons[visits.AGREED].setFocus()

    def clear_kept(self) -> None:
        """清空: the visitor has gone; the kept details are cleared without asking (already recorded)."""
        self.reset()
        self.draft.discard()
        self.clear_result()
        self.name_edit.setFocus()

    def _name_readable(self) -> bool:
        """A name from a card with a character the chip could not carry is not saved as it is."""
        bad = idcard.unreadable(self.name_edit.text()) if self._card_source else []
        if bad:
            self.errors.show_fields(
                {
                    "visitor_name": self.tr("姓名中有无法显示的字（{0}），请向访客确认后改为正确的字").format(
                        bad[0]
                    )
                }
            )
        return not bad

    def _checked_register(self) -> Visit | None:
        """The appointment and watch-list check still pending done first; a name the card's chip
        could not carry is not saved."""
        if self._check_timer.isActive():
            self.check_now()
        return self._register() if self._name_readable() else None

    def _register(self) -> Visit | None:
        self.errors.clear()
        data = self._guest_input()

        def register() -> Visit | None:
            while True:
                try:
                    return visits.register_guest(self._session, data)
                except visits.WatchListHit as hit:
                    decision = watchlist_dialog.ask_supervisor_decision(
                        self, hit.entries, self._session.clock
                    )
                    if decision is None:
                        self.errors.show_general(
                            self.tr("关注名单人员须由主管决定是否放行，本次登记尚未保存。")
                        )
                        return None
                    data.watch_decision, data.watch_decided_by_id = decision

        return save_with_retry(self, self.tr("未能保存"), register, on_invalid=self.errors.show_error)

    def _admitted(self, visit: Visit) -> None:
        until = format_local(visit.valid_until, "%H:%M")
        head = self.tr("✓ 已放行：{0}　访客证 {1}　有效至 {2}").format(
            visit.visitor_name, visit.serial, until
        )
        self.result_banner.show_text(head + "\n" + self.tr("正在打印访客证…"), "ok")
        self.book_button.hide()
        self.reprint_button.show()
        if printing.print_badge(self._session, visit.id, self):
            text = self.tr("访客证已打印：请交访客佩戴，离开时交还前台扫码登记离开。")
            if visit.escort:
                text += self.tr("　请 {0} 陪同前往。").format(visit.escort)
            self.result_banner.show_text(head + "\n" + text, "ok")
        elif printing.last_saved_pdf is not None:
            self.result_banner.show_text(
                head
                + "\n"
                + self.tr("没有打印机：访客证已另存为 PDF（{0}），可在有打印机的电脑上打印。").format(
                    printing.last_saved_pdf
                ),
                "ok",
            )
        else:
            self.result_banner.show_text(
                head + "\n" + self.tr("访客证未打印。来访已登记，请检查打印机后点“补打访客证”。"), "warn"
            )

    def _not_admitted(self, visit: Visit, *, kept: bool = False) -> None:
        self.reprint_button.hide()
        self.retry_button.setVisible(kept)
        self.clear_kept_button.setVisible(kept)
        if visit.watch_hit and visit.watch_decision == visits.DENY:
            reason = self.tr("主管决定不予放行")
            script = self.tr("“很抱歉，根据小区管理规定，今天无法为您安排进入，请您谅解。”")
            self.book_button.hide()
        else:
            who = visit.staff_host or self.tr("受访住户")
            if visit.consent == visits.REFUSED:
                reason = self.tr("受访方不同意会见")
                script = self.tr(
                    "“很抱歉，{0}现在不方便会见。您可以与对方另行约定时间，我们可以先为您登记预约。”"
                ).format(who)
            else:
                reason = self.tr("联系不上受访方")
                script = self.tr(
                    "“很抱歉，暂时联系不上{0}，今天无法为您安排进入。建议您与对方约好时间再来，我们可以为您登记预约。”"
                ).format(who)
            self.book_button.show()
        text = self.tr("未放行：{0}（{1}），不打印访客证。记录 {2}\n请婉言解释并致歉：{3}").format(
            visit.visitor_name, reason, visit.serial, script
        )
        if kept:
            text += "\n" + self.tr("访客信息已保留：受访方回电时点“重新联系被访人”，无需重新输入。")
        self.result_banner.show_text(text, "warn")

    def clear_result(self) -> None:
        self.result_banner.clear_text()
        for button in self._result_buttons():
            button.hide()

    def result_text(self) -> str:
        return self.result_banner.text() if self.result_banner.isVisible() else ""

    def _book_clicked(self) -> None:
        if self._last_prefill is not None:
            self.book_requested.emit(self._last_prefill)

    def reprint_last(self) -> bool:
        if self._last_visit is None:
            return False
        ok = printing.print_badge(self._session, self._last_visit.id, self)
        if ok:
            self.result_banner.show_text(
                self.tr("✓ 已补打访客证 {0}（{1}）").format(
                    self._last_visit.serial, self._last_visit.visitor_name
                ),
                "ok",
            )
        return ok

    def discard(self) -> bool:
        if not self.draft.throw_away(
            self.tr("清空"), self.tr("已填写的访客信息尚未登记，确定清空吗？"), self.reset
        ):
            return False
        self.clear_result()
        self.name_edit.setFocus()
        return True

    # ---- drafts --------------------------------------------------------------------------------
    def _declare_fields(self) -> None:
        """The inputs, in the order they are restored. The ID number (and whether it was checked)
        is left out of drafts on purpose: it is checked against the card in hand and is not kept
        outside the visit record."""
        self.fields = [
            Field("visitor_name", self.name_edit, "visitor_name", TEXT),
            Field("party_size", self.party_spin, "party_size", SPIN, content=False, empty=1),
            Field("visitor_phone", self.phone_edit, "visitor_phone", TEXT),
            Field("plate", self.plate_edit, "plate", TEXT),
            Field("visitor_unit", self.unit_edit, "visitor_unit", TEXT),
            Field("id_type", self.id_type_combo, "id_type", COMBO, content=False, empty=identity.ID_TYPES[0]),
            Field("id_number", self.id_number_edit, None, TEXT),
            Field("id_verified", self.id_verified_check, None, CHECK, content=False, empty=False),
            Field("host", self.host_lookup, "host_text", RESIDENT, id_key="host_resident_id"),
            Field("staff_host", self.staff_edit, "staff_host", TEXT),
            Field("purpose", self.purpose_combo, "purpose", COMBO_TEXT, content=False, clears=False),
            Field("escort", self.escort_edit, "escort", TEXT),
            Field(
                "consent",
                self.consent_buttons[visits.AGREED],
                "consent",
                CHOICE,
                content=False,
                choices=self.consent_buttons,
            ),
        ]

    def draft_state(self) -> dict[str, Any]:
        """What was typed, as plain values (the ID number left out: see :meth:`_declare_fields`)."""
        return {**fields.draft_values(self.fields), "token": self._token}

    def restore_draft(self, state: dict[str, Any]) -> None:
        self.reset()
        self._loading = True
        try:
            fields.restore_values(self.fields, state)
        finally:
            self._loading = False
        self._token = token_of(state, self._token)
        self._show_host()
        self.check_now()  # the appointment and the watch list, as while typing

    def restore_saved_draft(self) -> bool:
        """The operator's draft, if the form is empty and there is one; says so."""
        return restore_saying(self.draft, lambda text: self.result_banner.show_text(text, "info"))

    def keyPressEvent(self, e: QKeyEvent) -> None:
        if not enter_saves_escape_discards(e, self.save, self.discard):
            super().keyPressEvent(e)
