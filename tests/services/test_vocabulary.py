"""One source for each vocabulary (reception/services/vocabulary.py): the call and case categories
reconciled, 投诉 declared once, statuses and purposes as StrEnums — and the stored strings exactly
as before (no data migration)."""

from __future__ import annotations

import re
from pathlib import Path

from reception.services import calls
from reception.services import cases
from reception.services import letters
from reception.services import visits
from reception.services import vocabulary
from reception.services.vocabulary import CaseStatus
from reception.services.vocabulary import Category

ROOT = Path(__file__).resolve().parents[2]


def test_the_stored_values_are_the_strings_they_always_were():
    assert calls.CATEGORIES == ["咨询", "报修", "投诉", "意见建议", "紧急", "市政设施", "找人留言", "其他"]
    assert cases.CATEGORIES == ["投诉", "报修", "咨询", "意见建议", "紧急", "市政设施", "其他"]
    assert cases.STATUSES == ["待派单", "已派单", "处理中", "已答复", "待回访", "已关闭"]
    assert letters.STATUSES == ["待分办", "办理中", "已答复", "已归档"]
    assert letters.TYPES == ["投诉", "咨询", "意见建议", "公函", "通知", "其他"]
    assert visits.BUSINESS_PURPOSES == ["交费", "租房", "二次装修", "入伙", "投诉", "咨询", "其他"]
    assert visits.GUEST_PURPOSES == [
        "探亲访友",
        "送货",
        "快递外卖",
        "维修施工",
        "看房",
        "家政服务",
        "公务",
        "其他",
    ]
    assert [visits.ON_SITE, visits.LEFT, visits.NOT_ADMITTED, visits.DONE] == [
        "在场",
        "已离开",
        "未放行",
        "已办结",
    ]
    assert [visits.EXPECTED, visits.ARRIVED, visits.NO_SHOW, visits.CANCELLED] == [
        "待到访",
        "已到访",
        "未到",
        "已取消",
    ]
    # plain strings (for combo boxes' data and the database), equal to the members
    assert type(cases.CLOSED) is str and cases.CLOSED == CaseStatus.CLOSED


def test_case_categories_are_the_call_categories_but_a_message():
    assert set(cases.CATEGORIES) == set(calls.CATEGORIES) - {Category.MESSAGE}
    assert letters.COMPLAINT is visits.COMPLAINT is vocabulary.COMPLAINT


def test_each_word_is_declared_once():
    """No module but vocabulary.py assigns a vocabulary word to a name or writes a list of them."""
    words = {m.value for enum in (Category, CaseStatus) for m in enum} - {Category.OTHER}
    offenders = []
    for path in (ROOT / "reception" / "services").glob("*.py"):
        if path.name == "vocabulary.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            assigned = re.match(r'^[A-Z_]+ = "([^"]+)"', line)
            if assigned and assigned.group(1) in words:
                offenders.append(f"{path.name}:{number}: {line}")
            if re.match(r"^[A-Z_]+ = \[\"", line) and any(f'"{w}"' in line for w in words):
                offenders.append(f"{path.name}:{number}: {line}")
    assert offenders == []
