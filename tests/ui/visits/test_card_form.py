"""A card on the reader fills the visitor form: each layout through the fake reader (pseudo-terminal,
real frames) into the form and saved; expired, rare characters, repeats, wedge readers, a card
read while no form is open. Printers are the edge (``print_pdf`` replaced)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtCore import QObject
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
from PySide6.QtWidgets import QWidget

from reception.rules import idcard
from reception.rules import identity
from reception.services import card_reader as cr
from reception.services import residents
from reception.services import visits
from reception.services.session import Session
from reception.store.models import Visit
from tests.fake_card_reader import FakeReader
from ui.visits import card_reader as ui_reader
from ui.visits.guest_form import FIELD_ORDER
from ui.visits.visit_tab import LIST_PAGE
from ui.visits.visit_tab import VisitTab
from ui.widgets import printing

ID_CQ = "500101198001011235"  # 重庆 50, born 1980 (before 1997)
ID_PERMIT = "810000199001010019"
ID_FOREIGN = "USA310080000005"

CARDS = {
    "resident": (
        dict(
            name="张三", id_number=ID_CQ, birth="19800101", valid_until="长期", address="重庆市渝中区某路1号"
        ),
        "张三",
        identity.RESIDENT_ID,
        ID_CQ,
    ),
    "permit": (
        dict(card_type=idcard.PERMIT, name="陈大文", id_number=ID_PERMIT, birth="19900101"),
        "陈大文",
        identity.RESIDENCE_PERMIT,
        ID_PERMIT,
    ),
    "foreign": (
        dict(card_type=idcard.FOREIGN_PR, name="史密斯", name_en="SMITH JOHN", id_number=ID_FOREIGN),
        "史密斯",
        identity.FOREIGN_PR,
        ID_FOREIGN,
    ),
}


@pytest.fixture
def printed(monkeypatch: pytest.MonkeyPatch, boxes) -> list[bytes]:
    sent: list[bytes] = []
    monkeypatch.setattr(printing, "print_pdf", lambda pdf, **_kw: sent.append(pdf) or True)
    boxes.unanswered = True  # every question answered 是
    return sent


@pytest.fixture
def host(receptionist: Session):
    return residents.add_resident(
        receptionist, residents.ResidentInput("3", "2", "1201", "李业主", "业主", "13800138000")
    )


@pytest.fixture
def tab(qtbot, receptionist: Session, printed) -> Iterator[VisitTab]:
    widget = VisitTab(receptionist)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    ui_reader.stop_shared()


@pytest.fixture
def reader() -> Iterator[FakeReader]:
    fake = FakeReader()
    yield fake
    fake.close()


def finish_and_save(qtbot, tab: VisitTab, host) -> Visit:
    form = tab.guest_form
    form.host_lookup.set_resident(host)
    form.purpose_combo.setEditText("探亲访友")
    form.consent_buttons[visits.AGREED].setChecked(True)
    qtbot.keyClick(form.purpose_combo, Qt.Key.Key_Return)
    [row] = visits.list_visits(visits.VisitFilter(kind=visits.GUEST))
    return visits.get_visit(row.id)


@pytest.mark.parametrize("layout", list(CARDS))
def test_each_layout_through_the_reader_into_the_form_and_saved(
    qtbot, tab: VisitTab, reader: FakeReader, host, layout: str, caplog
) -> None:
    values, name, id_type, number = CARDS[layout]
    caplog.set_level(logging.DEBUG, logger="ui")
    caplog.set_level(logging.DEBUG, logger="reception")
    tab.new_guest()
    tab.use_reader(cr.SERIAL, reader.path)
    reader.card = idcard.encode_text(**values)
    form = tab.guest_form
    qtbot.waitUntil(lambda: form.id_number_edit.text() == number, timeout=5000)
    assert form.name_edit.text() == name
    assert form.id_type_combo.currentData() == id_type
    assert form.id_verified_check.isChecked()
    assert form.card_source() == "reader" and "读卡器" in form.card_note.text()
    assert tab.reader_status.text().startswith("● 读卡器已连接")
    visit = finish_and_save(qtbot, tab, host)
    assert visit.visitor_name == name and visit.id_type == id_type and visit.id_verified
    assert visit.id_masked == identity.mask(number) and visit.id_full is None
    assert visit.id_source == "reader"  # recorded: the number came from the card
    stored = " ".join(str(v) for v in Visit.select().dicts().get().values())
    assert number not in stored and "某路" not in stored  # masked number, no address
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.split(".")[0] in ("ui", "reception"))
    assert number not in ours and name not in ours


def test_expired_card_is_flagged_and_needs_the_receptionists_tick(qtbot, tab: VisitTab, host) -> None:
    card = idcard.decode_text(idcard.encode_text(name="王五", id_number=ID_CQ, valid_until="20200101"))
    tab.new_guest()
    tab.card_read(cr.CardRead(card, "reader"))
    form = tab.guest_form
    assert form.id_number_edit.text() == ID_CQ
    assert not form.id_verified_check.isChecked()
    assert "证件已过期" in form.error_text("id_number") and "证件已过期" in form.card_note.text()
    form.host_lookup.set_resident(host)
    form.purpose_combo.setEditText("探亲访友")
    form.consent_buttons[visits.AGREED].setChecked(True)
    form.save()
    assert visits.list_visits(visits.VisitFilter(kind=visits.GUEST)) == []
    assert "核验" in form.error_text("id_verified")
    form.id_verified_check.setChecked(True)  # the receptionist confirms
    assert form.save() is not None


def test_rare_character_in_the_name_must_be_confirmed(qtbot, tab: VisitTab, host) -> None:
    card = idcard.decode_text(idcard.encode_text(name="\ue83a祥", id_number=ID_CQ))
    tab.new_guest()
    tab.card_read(cr.CardRead(card, "reader"))
    form = tab.guest_form
    assert "生僻字" in form.error_text("visitor_name")
    form.host_lookup.set_resident(host)
    form.purpose_combo.setEditText("探亲访友")
    form.consent_buttons[visits.AGREED].setChecked(True)
    assert form.save() is None
    assert "无法显示的字" in form.error_text("visitor_name")
    form.name_edit.setText("𠮷祥")  # typed by the receptionist
    visit = form.save()
    assert visit is not None and visit.visitor_name == "𠮷祥"


def test_same_card_within_ten_seconds_is_ignored(qtbot, receptionist, printed, reader: FakeReader) -> None:
    now = [0.0]
    link = ui_reader.CardReaderLink(clock=lambda: now[0])
    reads: list[object] = []
    link.card_read.connect(reads.append)
    link.set_wanted(True)
    reader.card = idcard.encode_text(name="张三", id_number=ID_CQ)
    link.start(reader.path)
    try:
        qtbot.waitUntil(lambda: len(reads) == 1, timeout=5000)
        reader.card = None  # taken away and put back 5 s later
        qtbot.waitUntil(lambda: link.detail == "" and link.state == cr.CONNECTED, timeout=5000)
        now[0] = 5.0
        reader.card = idcard.encode_text(name="张三", id_number=ID_CQ)
        rounds = reader.commands.count(idcard.READ)
        qtbot.waitUntil(lambda: reader.commands.count(idcard.READ) > rounds, timeout=5000)
        qtbot.wait(100)
        assert len(reads) == 1
        now[0] = 16.0
        qtbot.waitUntil(lambda: len(reads) == 2, timeout=5000)
    finally:
        link.stop()


def test_card_read_while_no_form_is_open_offers_new_visitor(qtbot, tab: VisitTab) -> None:
    tab.forms.setCurrentIndex(LIST_PAGE)
    card = idcard.decode_text(idcard.encode_text(name="张三", id_number=ID_CQ))
    tab.card_read(cr.CardRead(card, "reader"))
    assert tab.card_offer.isVisible()
    assert "张三" in tab.scan_banner.text() and ID_CQ not in tab.scan_banner.text()
    assert identity.mask(ID_CQ) in tab.scan_banner.text()
    qtbot.mouseClick(tab.card_offer, Qt.MouseButton.LeftButton)
    assert tab.forms.currentWidget() is tab.guest_form
    assert tab.guest_form.id_number_edit.text() == ID_CQ
    assert not tab.card_offer.isVisible()


def test_card_does_not_overwrite_another_visitor_being_typed(qtbot, tab: VisitTab) -> None:
    form = tab.guest_form
    tab.new_guest()
    qtbot.keyClicks(form.id_number_edit, "11010519491231002X")
    card = idcard.decode_text(idcard.encode_text(name="张三", id_number=ID_CQ))
    tab.card_read(cr.CardRead(card, "reader"))
    assert form.id_number_edit.text() == "11010519491231002X"
    assert tab.card_offer.isVisible()


def test_appointment_matched_at_once(qtbot, tab: VisitTab, receptionist: Session, host) -> None:
    visits.book_appointment(
        receptionist,
        visits.AppointmentInput(
            visitor_name="张三",
            expected_at=receptionist.clock.now() + timedelta(hours=1),
            host_resident_id=host.id,
            purpose="探亲访友",
        ),
    )
    tab.new_guest()
    card = idcard.decode_text(idcard.encode_text(name="张三", id_number=ID_CQ))
    tab.card_read(cr.CardRead(card, "reader"))
    form = tab.guest_form
    assert form.appointment() is not None  # no waiting for the typing timer
    assert "已预约" in form.appointment_banner.text()


def test_watch_list_matched_by_card(qtbot, tab: VisitTab, supervisor: Session) -> None:
    visits.add_watch_entry(supervisor, visits.WatchInput(name="某人", id_number=ID_CQ, reason="曾闹事"))
    tab.new_guest()
    card = idcard.decode_text(idcard.encode_text(name="张三", id_number=ID_CQ))
    tab.card_read(cr.CardRead(card, "reader"))
    assert tab.guest_form.watch_entries()


def test_number_changed_by_hand_is_no_longer_from_the_card(qtbot, tab: VisitTab) -> None:
    form = tab.guest_form
    tab.new_guest()
    tab.card_read(cr.CardRead(idcard.decode_text(idcard.encode_text(name="张三", id_number=ID_CQ)), "reader"))
    assert form.id_verified_check.isChecked()
    qtbot.keyClick(form.id_number_edit, Qt.Key.Key_Backspace)
    assert form.card_source() == "" and not form.id_verified_check.isChecked()


class Ticks:
    """Key times under the test's control: each key ``step`` seconds after the one before."""

    def __init__(self, step: float) -> None:
        self.t = 100.0
        self.step = step

    def __call__(self) -> float:
        self.t += self.step
        return self.t


def test_keyboard_wedge_burst_is_a_card_read(qtbot, tab: VisitTab, printed, host) -> None:
    form = tab.guest_form
    tab.new_guest()
    form.name_edit.setText("张三")
    form.host_lookup.set_resident(host)
    form.purpose_combo.setEditText("探亲访友")
    form.consent_buttons[visits.AGREED].setChecked(True)  # an Enter reaching the form would save now
    tab.use_reader(cr.WEDGE)
    form.wedge._clock = Ticks(0.005)
    qtbot.keyClicks(form.id_number_edit, ID_CQ)
    qtbot.keyClick(form.id_number_edit, Qt.Key.Key_Return)
    assert visits.list_visits(visits.VisitFilter(kind=visits.GUEST)) == []  # the reader's Enter is swallowed
    assert form.id_number_edit.text() == ID_CQ
    assert form.card_source() == "wedge" and form.id_verified_check.isChecked()
    qtbot.keyClick(form.name_edit, Qt.Key.Key_Return)  # the receptionist's Enter saves
    [visit] = visits.list_visits(visits.VisitFilter(kind=visits.GUEST))
    assert visit.id_verified and visit.id_masked == identity.mask(ID_CQ)


def test_typing_the_number_is_not_a_card_read(qtbot, tab: VisitTab) -> None:
    form = tab.guest_form
    tab.new_guest()
    tab.use_reader(cr.WEDGE)
    form.wedge._clock = Ticks(0.2)
    qtbot.keyClicks(form.id_number_edit, ID_CQ)
    qtbot.keyClick(form.id_number_edit, Qt.Key.Key_Return)
    assert form.card_source() == "" and not form.id_verified_check.isChecked()
    assert QApplication.instance() is not None


@pytest.mark.parametrize(
    "raw",
    [
        idcard.basic_info_answer(idcard.encode_text(name="张三", id_number=ID_CQ))[:-1] + b"\x00",
        idcard.answer(idcard.NO_CARD),  # pulled away mid-read
        idcard.answer(0x41),
    ],
    ids=["wrong checksum", "pulled away", "read failure"],
)
def test_bad_read_shows_in_the_status_and_fills_nothing(
    qtbot, tab: VisitTab, reader: FakeReader, raw
) -> None:
    reader.card = idcard.encode_text(name="张三", id_number=ID_CQ)
    reader.raw[idcard.READ] = raw
    tab.new_guest()
    tab.use_reader(cr.SERIAL, reader.path)
    qtbot.waitUntil(lambda: "读卡器读卡出错" in tab.reader_status.text(), timeout=5000)
    form = tab.guest_form
    assert not form.has_content() and not form.id_verified_check.isChecked()
    assert form.card_source() == ""


def test_tab_hidden_pauses_the_reader(qtbot, tab: VisitTab, reader: FakeReader) -> None:
    tab.use_reader(cr.SERIAL, reader.path)
    qtbot.waitUntil(lambda: idcard.FIND in reader.commands, timeout=5000)
    tab.hide()
    qtbot.waitUntil(lambda: "已暂停" in tab.reader_status.text(), timeout=5000)
    count = len(reader.commands)
    qtbot.wait(1200)
    assert len(reader.commands) <= count + 3  # at most the round under way when paused


class InputCounter(QObject):
    """The receptionist's effort as the program receives it: key presses, characters committed by
    the input method, mouse presses. A key press travelling on to a parent is counted once."""

    def __init__(self) -> None:
        super().__init__()
        self.keys = 0
        self.clicks = 0
        self._last: tuple[QWidget, int, str] | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(watched, QWidget):
            return False
        if event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            last = self._last
            key = (event.key(), event.text())
            if (
                last is not None
                and key == last[1:]
                and watched is not last[0]
                and watched.isAncestorOf(last[0])
            ):
                return False  # the same press, ignored by the child
            self._last = (watched, *key)
            self.keys += 1
        elif event.type() == QEvent.Type.InputMethod:
            assert isinstance(event, QInputMethodEvent)
            self.keys += len(event.commitString())
            self._last = None
        elif event.type() == QEvent.Type.MouseButtonPress:
            self.clicks += 1
        return False

    def __enter__(self) -> InputCounter:
        QApplication.instance().installEventFilter(self)
        return self

    def __exit__(self, *_exc: object) -> None:
        QApplication.instance().removeEventFilter(self)


def walk_in(qtbot, tab: VisitTab, host, *, card: bytes | None, reader: FakeReader | None) -> tuple[int, int]:
    """(keys, clicks) for one walk-in from the empty form to the saved visit."""
    from tests.ui.visits.test_visit_tab import type_text

    form = tab.guest_form
    tab.new_guest()
    with InputCounter() as counter:
        if card is not None and reader is not None:
            reader.card = card  # the visitor's card on the reader: no key at all
            qtbot.waitUntil(lambda: form.id_number_edit.text() != "", timeout=5000)
        else:
            type_text(form.name_edit, "张三")
            qtbot.keyClicks(form.id_number_edit, ID_CQ)
            qtbot.keyClick(form.id_verified_check, Qt.Key.Key_Space)  # 证件已核验
        type_text(form.host_lookup, "李业主")
        qtbot.keyClick(form.host_lookup, Qt.Key.Key_Return)
        form.purpose_combo.setEditText("探亲访友")  # the default purpose: chosen the same way both times
        qtbot.mouseClick(form.consent_buttons[visits.AGREED], Qt.MouseButton.LeftButton)
        qtbot.keyClick(form.name_edit, Qt.Key.Key_Return)
    saved = form.last_visit()
    assert saved is not None and saved.visitor_name == "张三", [form.error_text(f) for f in FIELD_ORDER]
    return counter.keys, counter.clicks


def test_operator_effort_of_a_walk_in_with_a_card(qtbot, tab: VisitTab, reader: FakeReader, host) -> None:
    typed_keys, typed_clicks = walk_in(qtbot, tab, host, card=None, reader=None)
    tab.use_reader(cr.SERIAL, reader.path)
    card = idcard.encode_text(name="张三", id_number=ID_CQ, valid_until="长期")
    card_keys, card_clicks = walk_in(qtbot, tab, host, card=card, reader=reader)
    # the name (2 characters), the 18 of the number and the 证件已核验 tick are gone
    assert typed_keys - card_keys == 2 + 18 + 1
    assert typed_clicks == card_clicks
    [first, second] = sorted(visits.list_visits(visits.VisitFilter(kind=visits.GUEST)), key=lambda v: v.id)
    assert first.id_verified and second.id_verified and first.id_masked == second.id_masked
    print(
        f"\nwalk-in typed: {typed_keys} keys, {typed_clicks} clicks;",
        f"card: {card_keys} keys, {card_clicks} clicks",
    )


def test_wedge_recognised_only_when_this_desk_has_one(qtbot, tab: VisitTab) -> None:
    """Without a keyboard-wedge reader in 设置 → 本机, a fast 18 characters and Enter stay typing."""
    form = tab.guest_form
    tab.new_guest()
    form.wedge._clock = Ticks(0.005)
    qtbot.keyClicks(form.id_number_edit, ID_CQ)
    qtbot.keyClick(form.id_number_edit, Qt.Key.Key_Return)
    assert form.card_source() == "" and not form.id_verified_check.isChecked()


def test_a_bad_read_is_also_said_in_the_windows_status_bar(qtbot, receptionist, printed, reader) -> None:
    from PySide6.QtWidgets import QMainWindow

    window = QMainWindow()
    qtbot.addWidget(window)
    tab = VisitTab(receptionist)
    window.setCentralWidget(tab)
    window.show()
    qtbot.waitExposed(window)
    try:
        reader.card = idcard.encode_text(name="张三", id_number=ID_CQ)
        reader.raw[idcard.READ] = idcard.basic_info_answer(reader.card)[:-1] + b"\x00"  # a bad checksum
        tab.new_guest()
        tab.use_reader(cr.SERIAL, reader.path)
        qtbot.waitUntil(lambda: "读卡器" in window.statusBar().currentMessage(), timeout=5000)
        assert not tab.guest_form.has_content()
    finally:
        ui_reader.stop_shared()
