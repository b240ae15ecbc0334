"""Visitor badges: real PDFs, read back with pypdf, rendered with pdfium, QR decoded with zxing."""

from __future__ import annotations

import dataclasses
import io
import re
import threading
from datetime import datetime
from pathlib import Path

import pypdf
import pypdfium2 as pdfium
import pytest
import zxingcpp
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from PIL import Image
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics

from reception.documents import badge
from reception.documents import pdf_fonts
from reception.documents.badge import BADGE_SIZES
from reception.documents.badge import BadgeData
from reception.documents.badge import render_badge

SIZES = list(BADGE_SIZES)
PASS_NO = "LF20261126-012"
LONG_NAME = "克里斯蒂亚诺·罗纳尔多·多斯·桑托斯·阿韦罗与随行翻译人员及其家属代表团成员一行"  # 40 characters
LONG_PURPOSE = (
    "送货上门安装空调及检修线路，同时需要进入地下车库核对车位、联系物业工程部查看电表箱，"
    "并与业主当面确认装修方案的细节，预计需要三个小时左右完成全部工作事项，如有延误请联系前台值班的李晓或者王经理，谢谢配合"
)[:100]


def make(**changes: object) -> BadgeData:
    values: dict[str, object] = {
        "property_name": "阳光花园物业",
        "pass_no": PASS_NO,
        "visitor_name": "欧阳娜娜",
        "destination": "12栋3单元",
        "purpose": "探亲访友",
        "issued_at": datetime(2026, 11, 26, 9, 5),
        "valid_until": datetime(2026, 11, 26, 18, 0),
    }
    values.update(changes)
    return BadgeData(**values)  # type: ignore[arg-type]


def page_of(pdf: bytes) -> pypdf.PageObject:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    return reader.pages[0]


def text_of(pdf: bytes) -> str:
    return page_of(pdf).extract_text()


def render(pdf: bytes, dpi: int = 300) -> Image.Image:
    document = pdfium.PdfDocument(pdf)
    try:
        return document[0].render(scale=dpi / 72).to_pil().convert("L")
    finally:
        document.close()


def decoded(pdf: bytes) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(render(pdf)) if result.valid]


def text_boxes(pdf: bytes) -> list[tuple[str, float, float, float, float]]:
    """(text, left, bottom, right, top) in points for every piece of text drawn on the page.

    The width comes from the font's own metrics, so text running past the page edge is caught
    even though a viewer would simply cut it off."""
    boxes: list[tuple[str, float, float, float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if not text.strip():
            return
        a, b, c, d, e, f = pypdf.mult(tm, cm)
        scale = (a * a + b * b) ** 0.5
        assert b == 0 and c == 0 and a == d, "badge text is never rotated or stretched"
        points = size * scale
        width = pdfmetrics.stringWidth(text, pdf_fonts.font_name(), points)
        boxes.append((text, e, f - 0.12 * points, e + width, f + 0.80 * points))

    page_of(pdf).extract_text(visitor_text=visit)
    return boxes


# --------------------------------------------------------------------------------------------
# The font module


def test_font_is_registered_once_even_from_many_threads():
    names: list[str] = []
    threads = [threading.Thread(target=lambda: names.append(pdf_fonts.font_name())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(names) == {pdf_fonts.FONT_NAME}
    assert pdfmetrics.getFont(pdf_fonts.FONT_NAME) is pdfmetrics.getFont(pdf_fonts.font_name())


def test_rendering_never_registers_the_font_again(monkeypatch):
    pdf_fonts.font_name()

    def refuse(font: object) -> None:
        raise AssertionError("font registered again")

    monkeypatch.setattr(pdfmetrics, "registerFont", refuse)
    render_badge(make())
    render_badge(make(), "cr80")


def test_a_character_no_bundled_font_has_stops_the_badge_and_is_named():
    # 𠮷 䶮 are not in WenQuanYi but in the fallback fonts: they print
    pdf_fonts.check_printable("吉祥𠮷𠮷 䶮 张", "欧阳娜娜 12栋3单元（东区）…")
    assert render_badge(make(visitor_name="𠮷先生")).startswith(b"%PDF")
    with pytest.raises(pdf_fonts.UnprintableCharacter) as caught:
        render_badge(make(visitor_name="田\U0010fffd𠮷\U0010fffd先生"))
    assert caught.value.chars == ["\U0010fffd"]  # each character once


def test_cjk_paragraph_style_uses_the_embedded_font_and_cjk_wrapping():
    style = pdf_fonts.cjk_paragraph_style("body", 9, spaceAfter=3)
    assert style.fontName == pdf_fonts.font_name()
    assert style.wordWrap == "CJK"
    assert (style.fontSize, style.leading, style.spaceAfter) == (9, 12.6, 3)


# --------------------------------------------------------------------------------------------
# The data class


def test_badge_data_has_no_field_for_host_phone_or_id_number():
    names = {field.name for field in dataclasses.fields(BadgeData)}
    assert names == {
        "property_name",
        "pass_no",
        "visitor_name",
        "destination",
        "purpose",
        "party_size",
        "issued_at",
        "valid_until",
        "reprint",
        "visitor_unit",  # 来访单位: where the visitor comes from, not personal data of the host
    }
    forbidden = {"host", "phone", "mobile", "tel", "id", "idno", "identity", "certificate", "resident"}
    assert not {part for name in names for part in name.split("_")} & forbidden


@pytest.mark.parametrize(
    "changes",
    [
        {"pass_no": " "},
        {"party_size": 0},
        {"issued_at": datetime.fromisoformat("2026-11-26T01:05:00+00:00")},
    ],
)
def test_badge_data_refuses_impossible_values(changes):
    with pytest.raises(ValueError):
        make(**changes)


def test_unknown_size_is_refused():
    with pytest.raises(ValueError, match="unknown badge size"):
        render_badge(make(), "a4")


def test_every_size_has_a_chinese_label_for_the_settings_combo():
    assert set(BADGE_SIZES) == {"62x100", "57x102", "a6", "cr80"}
    for size in BADGE_SIZES.values():
        assert re.search(r"[\u4e00-\u9fff]", size.label), size.label
    assert BADGE_SIZES["cr80"].landscape and not BADGE_SIZES["62x100"].landscape


# --------------------------------------------------------------------------------------------
# The PDF, size by size


@pytest.fixture(scope="module")
def pdfs() -> dict[str, bytes]:
    return {size: render_badge(make(), size) for size in SIZES}


@pytest.mark.parametrize("size", SIZES)
def test_page_is_exactly_the_label_size(pdfs, size):
    box = page_of(pdfs[size]).mediabox
    expected = BADGE_SIZES[size]
    assert float(box.width) == pytest.approx(expected.width_mm * mm, abs=0.5)
    assert float(box.height) == pytest.approx(expected.height_mm * mm, abs=0.5)


@pytest.mark.parametrize("size", SIZES)
def test_badge_text_reads_back(pdfs, size):
    text = text_of(pdfs[size])
    for expected in ("阳光花园物业", "访客证", "欧阳娜娜", "前往", "12栋3单元", "事由", "探亲访友"):
        assert expected in text
    assert "进入时间 11月26日 09:05" in text
    assert "有效至 11月26日 18:00" in text
    assert PASS_NO in text
    assert badge.FOOTER in text
    assert "补打" not in text
    assert "共" not in text  # one visitor: no head count


@pytest.mark.parametrize("size", SIZES)
def test_font_is_embedded_as_a_subset(pdfs, size):
    fonts = page_of(pdfs[size])["/Resources"]["/Font"]
    assert len(fonts) >= 1
    for font in fonts.values():
        font = font.get_object()
        assert re.fullmatch(r"/[A-Z]{6}\+(WenQuanYiMicroHei|HanaMinA|HanaMinB)", str(font["/BaseFont"]))
        descriptor = font["/FontDescriptor"]
        assert "/FontFile2" in descriptor
        assert len(descriptor["/FontFile2"].get_data()) < 200_000  # a subset, not the 4.6 MB font


@pytest.mark.parametrize("size", SIZES)
def test_qr_code_scans_as_the_pass_number(pdfs, size):
    assert decoded(pdfs[size]) == [PASS_NO]


def test_qr_code_is_big_enough_to_scan_from_a_label():
    for size in SIZES:
        image = render(render_badge(make(), size))
        (result,) = zxingcpp.read_barcodes(image)
        xs = [p.x for p in (result.position.top_left, result.position.bottom_right)]
        side_mm = abs(xs[1] - xs[0]) / 300 * 25.4
        assert side_mm >= 21.5, (size, side_mm)


def test_metadata_and_print_scaling():
    reader = pypdf.PdfReader(io.BytesIO(render_badge(make())))
    assert reader.metadata is not None
    assert reader.metadata.title == f"访客证 {PASS_NO}"
    assert reader.trailer["/Root"]["/ViewerPreferences"]["/PrintScaling"] == "/None"


@pytest.mark.parametrize("size", SIZES)
def test_reprint_is_marked_and_party_size_shown(size):
    text = text_of(render_badge(make(reprint=True, party_size=3), size))
    assert "补打" in text
    assert "共 3 人" in text


def test_valid_until_in_another_year_shows_the_year():
    data = make(issued_at=datetime(2026, 12, 31, 20, 0), valid_until=datetime(2027, 1, 1, 8, 0))
    assert "有效至 2027年1月1日 08:00" in text_of(render_badge(data))


def test_write_badge(tmp_path: Path):
    path = badge.write_badge(make(), tmp_path / "badge.pdf", "a6")
    assert path.read_bytes().startswith(b"%PDF")
    assert PASS_NO in text_of(path.read_bytes())


def test_plain_text_floor_is_the_same_badge_without_the_qr_code():
    pdf = badge.render_plain_text_floor(make(), "62x100")
    assert "欧阳娜娜" in text_of(pdf)
    assert decoded(pdf) == []


# --------------------------------------------------------------------------------------------
# Long text: never clipped, never over the QR code


def _assert_inside(pdf: bytes, size: str) -> None:
    page = BADGE_SIZES[size]
    margin = 1 * mm
    boxes = text_boxes(pdf)
    assert boxes
    for text, left, bottom, right, top in boxes:
        assert left >= margin and right <= page.width - margin, (text, left, right, page.width)
        assert bottom >= margin and top <= page.height - margin, (text, bottom, top, page.height)
    # And on paper: the outer millimetre is white all round.
    image = render(pdf, dpi=150)
    edge = round(150 / 25.4)
    width, height = image.size
    for strip in (
        image.crop((0, 0, width, edge)),
        image.crop((0, height - edge, width, height)),
        image.crop((0, 0, edge, height)),
        image.crop((width - edge, 0, width, height)),
    ):
        assert strip.getextrema()[0] >= 250, size


@pytest.mark.parametrize("size", SIZES)
def test_long_name_and_purpose_are_not_clipped(size):
    assert len(LONG_NAME) == 40 and len(LONG_PURPOSE) == 100
    pdf = render_badge(make(visitor_name=LONG_NAME, purpose=LONG_PURPOSE, party_size=12, reprint=True), size)
    _assert_inside(pdf, size)
    flat = "".join(text_of(pdf).split())
    assert LONG_NAME.replace(" ", "") in flat  # the name is wrapped, never cut short
    purpose_shown = flat.split("事由", 1)[1].split("进入时间", 1)[0]
    assert purpose_shown == LONG_PURPOSE or (
        purpose_shown.endswith("…") and LONG_PURPOSE.startswith(purpose_shown[:-1])
    )
    for expected in ("12栋3单元", "有效至11月26日18:00", PASS_NO, "补打", "共12人"):
        assert expected in flat
    assert decoded(pdf) == [PASS_NO]  # nothing drawn over the code


@pytest.mark.parametrize("size", SIZES)
def test_long_words_without_spaces_and_long_property_names_fit(size):
    data = make(
        property_name="上海市浦东新区阳光花园小区物业服务中心客户服务部第二前台",
        visitor_name="Maximilian-Alexander Wolfeschlegelsteinhausenbergerdorff",
        destination="12栋3单元1502室（北区，靠近东门的那栋楼）",
        purpose="W" * 120,
    )
    pdf = render_badge(data, size)
    _assert_inside(pdf, size)
    assert decoded(pdf) == [PASS_NO]


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from("阳光花园物业欧阳娜娜，。（）·Ab 1-"), max_size=150),
    width=st.floats(min_value=40, max_value=300),
    max_lines=st.integers(min_value=1, max_value=4),
)
def test_fit_shrinks_then_wraps_then_shortens(text, width, max_lines):
    fitted = badge._fit(text, width, 14, 8, max_lines)
    assert 8 <= fitted.size <= 14
    assert 1 <= len(fitted.lines) <= max_lines
    for line in fitted.lines:
        assert pdf_fonts.string_width(line, fitted.size) <= width + 0.01
    collapsed = " ".join(text.split())
    if fitted.shortened:
        assert fitted.size == 8 and fitted.lines[-1].endswith("…")
    else:
        # Nothing lost: only the spaces where lines were broken may be gone.
        assert "".join(fitted.lines).replace(" ", "") == collapsed.replace(" ", "")
        if len(fitted.lines) > 1:
            assert pdf_fonts.string_width(collapsed, 8) > width  # wrapped only when shrinking failed
