"""派工单: the dispatch slip PDF read back with pypdf — text, deadline, embedded font, masking."""

from __future__ import annotations

import io
import re
from datetime import datetime

import pytest
from pypdf import PdfReader

from reception.documents.dispatch_slip import DispatchSlipData
from reception.documents.dispatch_slip import dispatch_slip_for
from reception.documents.dispatch_slip import render_dispatch_slip
from reception.documents.dispatch_slip import source_text
from reception.services import calls
from reception.services import cases
from reception.services import residents
from reception.services.calls import CallInput
from reception.services.calls import Outcome
from reception.store.models import Department


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _fonts(pdf: bytes) -> list[tuple[str, bool]]:
    found = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            embedded = descriptor is not None and "/FontFile2" in descriptor.get_object()
            found.append((str(font["/BaseFont"]), embedded))
    return found


def sample(**kw) -> DispatchSlipData:
    values = dict(
        property_name="阳光花园物业",
        serial="GD20261126-001",
        source="来电 LD20261126-001",
        category="报修",
        location="5栋1单元1203",
        resident_name="钱七",
        resident_phone="13800001203",
        description="卫生间天花板漏水，已持续两天。",
        first_receiver="李晓",
        department="工程部",
        handler="刘师傅",
        received_at=datetime(2026, 11, 26, 9, 0),
        reply_due_at=datetime(2026, 11, 27, 9, 0),
        resolve_due_at=datetime(2026, 11, 28, 9, 0),
    )
    values.update(kw)
    return DispatchSlipData(**values)


@pytest.fixture
def resident(admin):
    return residents.add_resident(
        admin, residents.ResidentInput("5", "1", "1203", "钱七", "业主", "13800001203")
    )


def test_slip_for_a_dispatched_complaint(receptionist, resident):
    result = calls.register_call(
        receptionist,
        CallInput(
            started_at=receptionist.now(),
            category="投诉",
            content="卫生间天花板漏水，楼上住户电话 13912345678 一直不接",
            outcome=Outcome.DISPATCHED,
            resident_id=resident.id,
            department_id=Department.get(Department.name == "工程部").id,
            taken_by="刘师傅",
        ),
    )
    case = result.case
    pdf = dispatch_slip_for(case.id, printed_at=datetime(2026, 11, 26, 9, 30))
    [page] = _pages(pdf)
    flat = _squeeze(page)
    for expected in (
        "阳光花园物业",
        "派工单",
        case.serial,
        f"来电{result.call.serial}",
        "投诉",
        "5栋1单元1203",
        "钱七",
        "138****1203",
        "卫生间天花板漏水",
        "李晓",  # 首问责任人
        "工程部",
        "刘师傅",
        "2026年11月26日09:00",  # received (local time)
        "答复期限",
        "2026年11月27日09:00前",  # the 24-hour promise
        "解决时限",
        "2026年11月29日09:00前",  # complaints: 72 h
        "处理情况",
        "完成时间",
        "处理人签字",
        "业户确认签字",
        "第1页共1页",
    ):
        assert expected in flat, expected
    # No full phone anywhere: neither the resident's on file nor one typed in the description.
    assert "13800001203" not in flat and "13912345678" not in flat
    assert "139****5678" in flat
    assert re.search(r"1\d{10}", flat) is None


def test_font_is_embedded_as_a_subset():
    fonts = _fonts(render_dispatch_slip(sample()))
    assert fonts
    for name, embedded in fonts:
        assert embedded, name
        assert re.fullmatch(r"/[A-Z]{6}\+\S+", name), name


def test_page_is_a5_and_pending_public_area_case():
    pdf = render_dispatch_slip(
        sample(resident_name="", resident_phone="", location="地库", department="", handler="")
    )
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width), round(height)) == (420, 595)  # A5 portrait, in points
    flat = _squeeze(_pages(pdf)[0])
    assert "地库" in flat and "（待派单）" in flat and "公共区域" in flat


def test_municipal_case_shows_utility_and_agency():
    flat = _squeeze(
        _pages(render_dispatch_slip(sample(category="市政设施", utility="供水", agency="自来水公司")))[0]
    )
    assert "市政设施" in flat and "供水" in flat and "自来水公司" in flat


def test_long_description_flows_on_without_losing_a_character():
    text = "\n".join(
        f"第{i:02d}段：" + "地库入口积水严重，车辆无法通行，请尽快抽水并疏通排水沟。" * 5 for i in range(30)
    )
    pdf = render_dispatch_slip(sample(description=text))
    pages = _pages(pdf)
    assert len(pages) >= 2
    footer = re.compile(r"完工请业户签字，本单交回客服中心(打印\d\d-\d\d\d\d:\d\d)?第\d+页共\d+页")
    body = footer.sub("", _squeeze("".join(pages)))
    assert _squeeze(text) in body
    assert "业户确认签字" in _squeeze(pages[-1])


def test_direct_case_source_and_local_times_required():
    assert source_text("direct", None) == "直接登记"
    from datetime import UTC

    with pytest.raises(ValueError):
        sample(reply_due_at=datetime(2026, 11, 27, 1, 0, tzinfo=UTC))


def test_direct_case_from_the_database(receptionist, clock):
    case = cases.open_direct_case(
        receptionist,
        cases.CaseInput(category="市政设施", description="小区停水", location="小区道路", utility="供水"),
    )
    flat = _squeeze(_pages(dispatch_slip_for(case.id))[0])
    assert case.serial in flat and "直接登记" in flat and "供水" in flat and "小区道路" in flat
