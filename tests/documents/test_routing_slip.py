"""来函处理单: the routing slip PDF read back with pypdf — text, embedded font, masking, flow."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import datetime

import pytest
from pypdf import PdfReader

from reception.documents.routing_slip import RoutingSlipData
from reception.documents.routing_slip import render_routing_slip
from reception.documents.routing_slip import routing_slip_for
from reception.rules.phones import mask_in_text as mask_phones
from reception.services import letters
from reception.services import residents
from reception.services.letters import LetterInput
from reception.store.attachments import AttachmentStore
from reception.store.models import Department


def _text(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _body(pages: list[str]) -> str:
    """All pages' text without the page footers (drawn last on each page), so that text
    flowing from one page onto the next reads on without a break."""
    footer = re.compile(
        r"本单随来函流转，办结后交回客服中心存档(打印时间：[^L]*)?LH\d{8}-\d{3}第\d+页共\d+页"
    )
    return footer.sub("", _squeeze("".join(pages)))


def _fonts(pdf: bytes) -> list[tuple[str, bool]]:
    """(base font name, has an embedded TrueType file) of every font used on any page."""
    found = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            embedded = descriptor is not None and "/FontFile2" in descriptor.get_object()
            found.append((str(font["/BaseFont"]), embedded))
    return found


def sample(**kw) -> RoutingSlipData:
    values = dict(
        property_name="阳光花园物业",
        serial="LH20261126-001",
        receipt_no="2026-0001",
        received_at=datetime(2026, 11, 26, 9, 5),
        channel="邮寄",
        letter_type="投诉",
        sender_name="张三",
        resident_room="3栋2单元1201",
        contact="13800138000",
        subject="关于楼上装修噪音扰民的投诉",
        summary="楼上每晚十点后仍在装修，请物业督促整改。",
        pages=2,
        attachments=("扫描件.pdf",),
        department="品质管理部",
        handler="陈经理",
        reply_due_at=datetime(2026, 11, 27, 9, 5),
        operator="李晓",
    )
    values.update(kw)
    return RoutingSlipData(**values)


@pytest.fixture
def store(tmp_path) -> AttachmentStore:
    return AttachmentStore(tmp_path / "attachments")


def test_slip_for_a_registered_letter(receptionist, store, tmp_path):
    zhang = residents.add_resident(
        receptionist, residents.ResidentInput("3", "2", "1201", "张三", "业主", "13900139000")
    )
    scan = tmp_path / "来函扫描件.pdf"
    scan.write_bytes(b"%PDF-1.4 scan")
    dept = Department.get(Department.name == "品质管理部")
    letter = letters.register_letter(
        receptionist,
        LetterInput(
            channel="邮寄",
            letter_type="投诉",
            sender_name="张三",
            contact="电话 13800138000",
            resident_id=zhang.id,
            subject="关于楼上装修噪音扰民的投诉",
            summary="晚上十点后仍有电钻声，请尽快处理。回电 021-50001234。",
            pages=3,
            department_id=dept.id,
            handler="陈经理",
            files=[scan],
        ),
        store,
    )
    pdf = routing_slip_for(letter.id, printed_at=datetime(2026, 11, 26, 9, 30))
    [page] = _text(pdf)
    flat = _squeeze(page)
    for expected in (
        "阳光花园物业",
        "来函处理单",
        letter.serial,
        letter.receipt_no,
        "关于楼上装修噪音扰民的投诉",
        "答复期限",
        "2026年11月27日09:00前",  # complaint: 24 hours after receipt (09:00 local)
        "3栋2单元1201",
        "品质管理部",
        "陈经理",
        "来函扫描件.pdf",
        "拟办意见",
        "领导批示",
        "办理结果",
        "签字",
        "日期",
        "李晓",
        "第1页共1页",
    ):
        assert expected in flat, expected
    # Phones are masked wherever they appear; the resident's phone on file is never printed.
    assert "138****8000" in flat and "021-****1234" in flat
    for full in ("13800138000", "50001234", "13900139000", "139****9000"):
        assert full not in flat


def test_font_is_embedded_as_a_subset():
    fonts = _fonts(render_routing_slip(sample()))
    assert fonts
    for name, embedded in fonts:
        assert embedded, name
        assert re.fullmatch(r"/[A-Z]{6}\+\S+", name), name


def test_long_summary_flows_onto_more_pages_without_losing_text():
    paragraphs = [
        f"第{i:02d}段：" + f"楼上装修噪音扰民第{i:02d}次反映，请物业督促整改。" * 8 for i in range(40)
    ]
    summary = "\n".join(paragraphs)
    pdf = render_routing_slip(sample(summary=summary))
    pages = _text(pdf)
    assert len(pages) >= 2
    assert _squeeze(summary) in _body(pages)  # every character, in order, nothing cut
    flat = _squeeze("".join(pages))
    assert f"第1页共{len(pages)}页" in flat and f"第{len(pages)}页共{len(pages)}页" in flat
    assert "签字" in _squeeze(pages[-1])  # the boxes follow the summary


def test_one_long_paragraph_also_splits_between_pages():
    summary = "".join(f"{i:03d}号意见：楼道堆物影响消防通道。" for i in range(260))
    pages = _text(render_routing_slip(sample(summary=summary)))
    assert len(pages) >= 2
    assert _squeeze(summary) in _body(pages)


def test_pending_letter_and_secret_tag():
    data = sample(department="", handler="", confidentiality="保密", summary="", attachments=())
    flat = _squeeze(_text(render_routing_slip(data))[0])
    assert "（待分办）" in flat and "密级：保密" in flat and "无电子附件" in flat


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("13800138000", "138****8000"),
        ("+86 138-0013-8000", "138****8000"),
        ("座机 021-50001234 转 8", "座机 021-****1234 转 8"),
        ("zhang@example.com", "zhang@example.com"),
        ("3栋2单元1201", "3栋2单元1201"),
        ("", ""),
    ],
)
def test_mask_phones(text, masked):
    assert mask_phones(text) == masked


def test_a_character_no_bundled_font_has_stops_the_slip_and_is_named():
    from reception.documents.pdf_fonts import UnprintableCharacter

    assert render_routing_slip(sample(sender_name="𠮷先生")).startswith(b"%PDF")  # in a fallback font
    with pytest.raises(UnprintableCharacter) as caught:
        render_routing_slip(sample(sender_name="\U0010fffd先生"))
    assert caught.value.chars == ["\U0010fffd"]


def test_local_times_are_required():
    from datetime import UTC

    with pytest.raises(ValueError):
        replace(sample(), received_at=datetime(2026, 11, 26, 1, 0, tzinfo=UTC))
