"""The desk's vocabularies, each declared once: categories of calls and cases, purposes of
visits, types of letters and the statuses of every record.

The stored values are these Chinese strings (the database keeps them as they were; nothing is
migrated). The service modules give the usual names for them (``cases.CLOSED``,
``visits.ON_SITE`` …) as plain strings taken from here, and their lists in the order the
forms offer them."""

from __future__ import annotations

from enum import StrEnum


class Category(StrEnum):
    """What a call or a case is about. A case is opened from a call of any category but 找人留言
    (a message is passed on, not handled)."""

    ENQUIRY = "咨询"
    REPAIR = "报修"
    COMPLAINT = "投诉"
    SUGGESTION = "意见建议"
    EMERGENCY = "紧急"
    MUNICIPAL = "市政设施"
    MESSAGE = "找人留言"
    OTHER = "其他"


COMPLAINT = Category.COMPLAINT.value

# The order each form offers them in.
CALL_CATEGORIES = [c.value for c in Category]
CASE_CATEGORIES = [
    c.value
    for c in (
        Category.COMPLAINT,
        Category.REPAIR,
        Category.ENQUIRY,
        Category.SUGGESTION,
        Category.EMERGENCY,
        Category.MUNICIPAL,
        Category.OTHER,
    )
]


class LetterType(StrEnum):
    COMPLAINT = COMPLAINT
    ENQUIRY = Category.ENQUIRY.value
    SUGGESTION = Category.SUGGESTION.value
    OFFICIAL = "公函"
    NOTICE = "通知"
    OTHER = Category.OTHER.value


class BusinessPurpose(StrEnum):
    """业户办事."""

    PAYMENT = "交费"
    LETTING = "租房"
    RENOVATION = "二次装修"
    MOVING_IN = "入伙"
    COMPLAINT = COMPLAINT
    ENQUIRY = Category.ENQUIRY.value
    OTHER = Category.OTHER.value


class GuestPurpose(StrEnum):
    """访客."""

    FAMILY = "探亲访友"
    DELIVERY = "送货"
    COURIER = "快递外卖"
    WORKS = "维修施工"
    VIEWING = "看房"
    HOUSEKEEPING = "家政服务"
    OFFICIAL = "公务"
    OTHER = Category.OTHER.value


class CaseStatus(StrEnum):
    PENDING = "待派单"
    DISPATCHED = "已派单"
    IN_PROGRESS = "处理中"
    REPLIED = "已答复"
    AWAITING_VISIT = "待回访"
    CLOSED = "已关闭"


class LetterStatus(StrEnum):
    PENDING = "待分办"
    IN_PROGRESS = "办理中"
    REPLIED = "已答复"
    ARCHIVED = "已归档"


class VisitStatus(StrEnum):
    ON_SITE = "在场"
    LEFT = "已离开"
    NOT_ADMITTED = "未放行"
    DONE = "已办结"


class AppointmentStatus(StrEnum):
    EXPECTED = "待到访"
    ARRIVED = "已到访"
    NO_SHOW = "未到"
    CANCELLED = "已取消"


class Consent(StrEnum):
    """The host's answer (规程：通知受访住户，确认是否接受来访)."""

    AGREED = "同意"
    REFUSED = "拒绝"
    UNREACHABLE = "未接通"
    BOOKED = "已预约"


def values(enum: type[StrEnum]) -> list[str]:
    return [member.value for member in enum]
