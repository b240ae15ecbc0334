"""The printable on-site list (疏散清点用): who is on site, no phone or ID number on paper."""

from __future__ import annotations

import io

import pypdf

from reception.documents.onsite_list import render_on_site_list
from reception.services import residents
from reception.services import visits
from reception.services.visits import GuestInput


def _text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "".join(page.extract_text() for page in reader.pages)


def test_lists_visitors_on_site_without_phone_or_id(receptionist, clock):
    host = residents.add_resident(
        receptionist, residents.ResidentInput("3", "2", "1201", "张三", "业主", "13800138000")
    )
    visit = visits.register_guest(
        receptionist,
        GuestInput(
            visitor_name="王小明",
            visitor_phone="13912345678",
            party_size=2,
            id_number="11010519491231002X",
            id_verified=True,
            host_resident_id=host.id,
            purpose="探亲访友",
            consent=visits.AGREED,
        ),
    )
    clock.advance(hours=6)  # past the 4-hour validity
    pdf = render_on_site_list(visits.on_site(), property_name="阳光花园物业", now=clock.now())
    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    assert "在场访客名单" in text
    assert "阳光花园物业" in text
    assert visit.serial in text
    assert "王小明" in text
    assert "3栋2单元" in text
    assert "共 2 人" in text
    assert "※" in text  # expired pass marked
    assert "13912345678" not in text and "5678" not in text
    assert "002X" not in text and "1201" not in text  # neither the ID nor the host's room


def test_empty_list_says_so(receptionist, clock):
    text = _text(render_on_site_list([], property_name="阳光花园物业", now=clock.now()))
    assert "目前没有在场访客" in text


def test_a_site_with_several_desks_prints_which_desk_registered_each_visitor(receptionist, clock, tmp_path):
    from reception.store import desk

    host = residents.add_resident(receptionist, residents.ResidentInput("3", "2", "1201", "张三", "业主"))
    assert "登记前台" not in _text(
        render_on_site_list(visits.on_site(), property_name="阳光花园物业", now=clock.now())
    )
    try:
        for name, gate in (("王小明", "南门岗"), ("李四", "客服中心")):
            desk.set_name(gate)
            visits.register_guest(
                receptionist,
                GuestInput(
                    visitor_name=name,
                    id_number="11010519491231002X",
                    id_verified=True,
                    host_resident_id=host.id,
                    purpose="探亲访友",
                    consent=visits.AGREED,
                ),
            )
    finally:
        desk.set_name("")
    pdf = render_on_site_list(visits.on_site(), property_name="阳光花园物业", now=clock.now())
    (tmp_path / "onsite.pdf").write_bytes(pdf)
    text = _text(pdf)
    assert "登记前台" in text and "南门岗" in text and "客服中心" in text
