"""No character is ever dropped on paper: rare characters (𠮷 and 𪚥 of CJK Extension B, 䶮 of
Extension A — none of them in WenQuanYi Micro Hei) print on every document from the bundled
fallback fonts, and a character that no bundled font has stops the document with a message
naming it. Real PDFs, read back with pypdf."""

from __future__ import annotations

import io
import re
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics

from reception import cli
from reception.documents import badge
from reception.documents import dispatch_slip
from reception.documents import handover_report
from reception.documents import onsite_list
from reception.documents import pdf_fonts
from reception.documents import routing_slip
from reception.documents.complaints_report import render_complaints_report
from reception.documents.pdf_fonts import UnprintableCharacter
from reception.documents.privacy_notice import render_privacy_notice
from reception.services import residents
from reception.services import settings
from reception.services import visits
from reception.services.analysis import Period
from reception.services.analysis import Report
from reception.services.analysis import Table
from reception.services.visits import GuestInput
from tests.conftest import cli_location
from tests.documents import test_badge
from tests.documents import test_dispatch_slip
from tests.documents import test_handover_report
from tests.documents import test_routing_slip

RARE = "𠮷𪚥䶮"  # U+20BB7, U+2A6A5 (Extension B), U+4DAE (Extension A)
NAME = "𠮷田"
NOWHERE = "\U0010fffd"  # plane 16 private use: in none of the bundled fonts
BUNDLED = re.compile(r"/[A-Z]{6}\+(WenQuanYiMicroHei|HanaMinA|HanaMinB)")
NOW = datetime(2026, 11, 26, 17, 5)
SETTINGS = {"desk_phone": "021-50001234", "greeting": settings.DEFAULT_GREETING}


def _text(pdf: bytes) -> str:
    return re.sub(r"\s+", "", "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages))


def _fonts_by_page(pdf: bytes) -> list[set[str]]:
    """The base font names on each page; asserts each is one of the bundled fonts, embedded."""
    pages = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        names = set()
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            name = str(font["/BaseFont"])
            assert BUNDLED.fullmatch(name), name
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, name
            assert len(descriptor["/FontFile2"].get_data()) < 200_000, name  # a subset
            names.add(name.split("+")[1])
        pages.append(names)
    return pages


def _assert_all_printed(pdf: bytes, *expected: str) -> None:
    text = _text(pdf)
    for piece in (*expected, *RARE):
        assert piece in text, piece
    used = set().union(*_fonts_by_page(pdf))
    assert used == {"WenQuanYiMicroHei", "HanaMinA", "HanaMinB"}


# --------------------------------------------------------------------------------------------
# The font module


def test_runs_follow_the_font_that_has_each_character():
    assert pdf_fonts.font_runs("吉田") == [(pdf_fonts.FONT_NAME, "吉田")]
    assert pdf_fonts.font_runs(f"{NAME}先生 䶮") == [
        ("HanaMinB", "𠮷"),
        (pdf_fonts.FONT_NAME, "田先生 "),
        ("HanaMinA", "䶮"),
    ]
    # variation selectors (an ideographic variation sequence) draw nothing and are not refused
    assert pdf_fonts.font_runs("田\ufe00\U000e0101中") == [(pdf_fonts.FONT_NAME, "田中")]
    assert pdf_fonts.font_runs("") == []


def test_widths_are_measured_in_the_font_that_draws_each_run():
    font = pdfmetrics.getFont(pdf_fonts.font_name())
    hana_b = font.fallbacks()[1]  # type: ignore[attr-defined]
    expected = hana_b.stringWidth("𠮷", 20) + pdfmetrics.stringWidth("田", pdf_fonts.FONT_NAME, 20)
    assert pdf_fonts.string_width(NAME, 20) == pytest.approx(expected)
    assert pdf_fonts.string_width("𠮷", 20) > 10  # a full ideograph, not a zero-width drop


def test_a_character_no_font_has_is_named_with_its_code():
    with pytest.raises(UnprintableCharacter) as caught:
        pdf_fonts.font_runs(f"张{NOWHERE}三\U0001f600{NOWHERE}")
    assert caught.value.chars == [NOWHERE, "\U0001f600"]
    assert "U+10FFFD" in caught.value.message and "U+1F600" in caught.value.message
    assert "无法打印" in caught.value.message
    with pytest.raises(UnprintableCharacter):
        pdf_fonts.check_printable("张三", None, NOWHERE)
    pdf_fonts.check_printable("张三", None, NAME, RARE)


# --------------------------------------------------------------------------------------------
# Every document


def _badge(text: str) -> bytes:
    return badge.render_badge(test_badge.make(visitor_name=NAME, purpose=f"探亲{text}"))


def _dispatch(text: str) -> bytes:
    return dispatch_slip.render_dispatch_slip(
        test_dispatch_slip.sample(resident_name=NAME, description=f"卫生间漏水{text}", handler=text[:2])
    )


def _routing(text: str) -> bytes:
    return routing_slip.render_routing_slip(
        test_routing_slip.sample(sender_name=NAME, subject=f"来函{text}", summary=f"内容{text}")
    )


def _handover(text: str) -> bytes:
    data = test_handover_report._data(
        outgoing=NAME,
        still_open=[
            # plain strings in table cells: the report's own cell wrapping measures them
            Table("未结工单（超时的在前）", ["编号", "问题"], [["GD20261126-001", f"{text}楼上漏水"]]),
            Table("待回电", ["联系人", "电话", "事由", "约定回电时间", "状态"], []),
            Table("在场访客 / 未交还的访客证", ["访客证号", "访客"], [["LF20261126-001", text]]),
        ],
    )
    return handover_report.render(data, NOW)


def _complaints(text: str) -> bytes:
    report = Report(
        period=Period.month(2026, 11),
        total=3,
        on_time_rate=1.0,
        avg_reply_hours=2.0,
        avg_close_hours=20.0,
        satisfaction_rate=None,
        tables=[
            # the department names are also the bar chart's labels
            Table("按部门", ["部门", "件数", "占比"], [[f"{text}部", 2, "67%"], ["工程部", 1, "33%"]]),
            Table("重复问题（90 天内同一位置同类 ≥ 3 次）", ["位置", "类别", "次数", "最近一次"],
                  [[f"{text}楼门口", "投诉", 3, "2026-11-20"]]),
        ],
    )  # fmt: skip
    return render_complaints_report(report, f"{text}花园", NOW)


def _onsite(text: str, receptionist) -> bytes:
    host = residents.add_resident(receptionist, residents.ResidentInput("3", "2", "1201", "张三", "业主"))
    visits.register_guest(
        receptionist,
        GuestInput(
            visitor_name=NAME,
            id_number="11010519491231002X",
            id_verified=True,
            host_resident_id=host.id,
            purpose="探亲访友",
            party_size=1,
            consent=visits.AGREED,
        ),
    )
    return onsite_list.render_on_site_list(visits.on_site(), property_name=f"{text}花园", now=NOW)


def _privacy(text: str, admin) -> bytes:
    settings.update(admin, property_name=f"{text}花园", **SETTINGS)
    return render_privacy_notice(NOW)


DOCUMENTS = ["badge", "dispatch slip", "routing slip", "handover report", "complaints report", "on-site list",
             "privacy notice"]  # fmt: skip


def _render(document: str, text: str, request: pytest.FixtureRequest) -> bytes:
    if document == "on-site list":
        return _onsite(text, request.getfixturevalue("receptionist"))
    if document == "privacy notice":
        return _privacy(text, request.getfixturevalue("admin"))
    makers = {
        "badge": _badge,
        "dispatch slip": _dispatch,
        "routing slip": _routing,
        "handover report": _handover,
        "complaints report": _complaints,
    }
    return makers[document](text)


@pytest.mark.parametrize("document", DOCUMENTS)
def test_rare_characters_print_on_every_document(document, request):
    pdf = _render(document, RARE, request)
    expected = [] if document in ("privacy notice", "complaints report") else [NAME]
    _assert_all_printed(pdf, *expected)


def test_chart_labels_keep_rare_characters():
    text = _text(_complaints(RARE))
    assert text.count(f"{RARE}部") >= 2  # the table and the bar chart's label


@pytest.mark.parametrize("document", DOCUMENTS)
def test_a_character_no_font_has_stops_every_document(document, request):
    with pytest.raises(UnprintableCharacter) as caught:
        _render(document, f"田{NOWHERE}", request)
    assert caught.value.chars == [NOWHERE]
    assert "U+10FFFD" in caught.value.message


def test_a_refused_badge_leaves_no_file(tmp_path: Path):
    out = tmp_path / "badge.pdf"
    with pytest.raises(UnprintableCharacter):
        badge.write_badge(test_badge.make(visitor_name=f"王{NOWHERE}"), out)
    assert list(tmp_path.iterdir()) == []
    badge.write_badge(test_badge.make(visitor_name=NAME), out)
    assert NAME in _text(out.read_bytes())


def test_the_command_line_names_the_character_and_writes_nothing(admin, tmp_path, capsys):
    settings.update(admin, property_name=f"阳光{NOWHERE}花园", **SETTINGS)
    out = tmp_path / "out" / "notice.pdf"
    out.parent.mkdir()
    assert cli.main(["privacy-notice", "--out", str(out), *cli_location()]) == 1
    err = capsys.readouterr().err
    assert "U+10FFFD" in err and "无法打印" in err and "Traceback" not in err
    assert list(out.parent.iterdir()) == []
