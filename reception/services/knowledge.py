"""Standard answers (知识库): 收费标准、装修办理流程、入伙手续…, searchable from the call, visit
and case forms and insertable into an answer."""

from __future__ import annotations

from dataclasses import dataclass

from reception.errors import ConflictError
from reception.errors import NotFound
from reception.errors import ValidationError
from reception.rules.textcheck import FieldErrors
from reception.rules.textcheck import multi_line
from reception.rules.textcheck import one_line
from reception.services.session import Role
from reception.services.session import Session
from reception.store import audit
from reception.store import db
from reception.store.models import KnowledgeEntry

# Seeded from the company's procedures (docs/procedures.md): the answers a desk gives most often.
SEED = [
    (
        "物业费收费标准与缴费方式",
        "物业费按建筑面积按月计收，具体标准以物业服务合同和公示为准。可在服务中心财务窗口以现金、"
        "银行卡或扫码缴纳，也可通过线上缴费；缴费后开具收据或发票。",
        "收费标准,交费,财务",
    ),
    (
        "二次装修办理流程",
        "1. 业主携带房产证（或购房合同）、身份证、装修方案和施工单位资质到服务中心申请；2. 填写装修申请表并"
        "签订装修管理协议；3. 缴纳装修押金，工程部审核方案；4. 办理施工人员出入证后方可开工；"
        "5. 完工后申请验收，合格退还押金。",
        "装修,工程部",
    ),
    (
        "入伙手续",
        "业主携带购房合同、身份证、入伙通知书到服务中心：核对资料、签署入伙文件、缴纳首期物业费、验房（发现问题"
        "登记并限期整改），领取钥匙、门禁卡和业主手册。",
        "入伙,客服中心",
    ),
    (
        "投诉处理承诺",
        "实行首问责任制：接待人员详细记录投诉内容，能当场解决的当场解决，不能解决的转相关部门处理。公司承诺在"
        "24 小时内解决或答复业主，事事有落实，件件有回音；处理完成后进行回访。",
        "投诉,首问责任制",
    ),
    (
        "市政设施问题（水、电、气、道路、邮电、通讯）",
        "属于市政设施引起的问题（如市政停水停电、燃气、道路施工），物业会向业主"
        "做好解释，并积极与市政相关部门联系交涉，及时通报恢复时间，决不推诿。",
        "市政设施,停水,停电",
    ),
    (
        "访客来访登记规定",
        "外来访客须出示有效身份证件并登记；前台通知受访住户并确认同意后发放访客证，访客离开时交还访客证。"
        "未预约且受访方不同意或联系不上的，婉言解释并建议另行预约。",
        "来访,访客证",
    ),
    (
        "代接电话与留言",
        "代接电话时主动请对方留言或留下回电方式，不简单回答「不在」「不知道」；留言及时转达并记录转达情况。",
        "留言,电话",
    ),
]


def ensure_seeded(session_operator_id: int | None, now: object) -> int:
    """Insert the seed entries that are missing (inside the caller's transaction)."""
    added = 0
    for title, body, tags in SEED:
        _, created = KnowledgeEntry.get_or_create(
            title=title,
            defaults={"body": body, "tags": tags, "updated_at": now, "updated_by": session_operator_id},
        )
        added += int(created)
    return added


APPROVED = "approved"
PROPOSED = "proposed"  # suggested by a receptionist, not yet approved by a supervisor
REJECTED = "rejected"


def search(text: str = "", limit: int = 50, *, include_proposed: bool = False) -> list[KnowledgeEntry]:
    """Active approved entries (and the proposals waiting for a supervisor, with ``include_proposed``)."""
    shown = [APPROVED, PROPOSED] if include_proposed else [APPROVED]
    query = KnowledgeEntry.select().where(
        (KnowledgeEntry.active == True) & KnowledgeEntry.status.in_(shown)  # noqa: E712
    )
    q = text.strip()
    if q:
        query = query.where(
            KnowledgeEntry.title.contains(q)
            | KnowledgeEntry.body.contains(q)
            | KnowledgeEntry.tags.contains(q)
        )
    # Proposals first (a supervisor sees what waits), then by title.
    order = KnowledgeEntry.status == PROPOSED
    return list(query.order_by(order.desc(), KnowledgeEntry.title, KnowledgeEntry.id).limit(limit))


def proposals() -> list[KnowledgeEntry]:
    return list(
        KnowledgeEntry.select()
        .where((KnowledgeEntry.status == PROPOSED) & (KnowledgeEntry.active == True))  # noqa: E712
        .order_by(KnowledgeEntry.updated_at, KnowledgeEntry.id)
    )


def get(entry_id: int) -> KnowledgeEntry:
    entry = KnowledgeEntry.get_or_none(KnowledgeEntry.id == entry_id)
    if entry is None:
        raise NotFound("找不到该条目。")
    return entry


@dataclass
class KnowledgeInput:
    title: str = ""
    body: str = ""
    tags: str = ""


def _clean(data: KnowledgeInput, exclude_id: int | None = None) -> tuple[str, str, str]:
    errs = FieldErrors()
    title = errs.check("title", one_line, data.title, "标题", max_len=100, required=True)
    body = errs.check("body", multi_line, data.body, "内容", max_len=4000, required=True, mask_numbers=False)
    tags = errs.check("tags", one_line, data.tags.replace("，", ","), "标签", max_len=200)
    if title:
        clash = KnowledgeEntry.select().where(KnowledgeEntry.title == title)
        if exclude_id is not None:
            clash = clash.where(KnowledgeEntry.id != exclude_id)
        if clash.exists():
            errs.add("title", "已有同名条目")
    errs.raise_if_any()
    return title or "", body or "", tags or ""


def save(session: Session, data: KnowledgeInput, entry_id: int | None = None) -> KnowledgeEntry:
    """Create or update an entry (supervisors and administrators)."""
    session.require(Role.SUPERVISOR)
    title, body, tags = _clean(data, entry_id)
    now = session.now()
    with db.write():
        if entry_id is None:
            entry = KnowledgeEntry.create(
                title=title, body=body, tags=tags, updated_at=now, updated_by=session.operator
            )
            audit.record(now, session.operator, "knowledge.create", "knowledge", entry.id, title=title)
            return entry
        rows = (
            KnowledgeEntry.update(
                title=title, body=body, tags=tags, updated_at=now, updated_by=session.operator
            )
            .where(KnowledgeEntry.id == entry_id)
            .execute()
        )
        if rows != 1:
            raise NotFound("找不到该条目。")
        audit.record(now, session.operator, "knowledge.update", "knowledge", entry_id, title=title)
    return get(entry_id)


def propose(session: Session, data: KnowledgeInput) -> KnowledgeEntry:
    """A receptionist suggests an entry; it is not offered as an answer until a supervisor approves it."""
    title, body, tags = _clean(data)
    now = session.now()
    with db.write():
        entry = KnowledgeEntry.create(
            title=title,
            body=body,
            tags=tags,
            status=PROPOSED,
            proposed_by=session.operator,
            updated_at=now,
            updated_by=session.operator,
        )
        audit.record(now, session.operator, "knowledge.propose", "knowledge", entry.id, title=title)
    return entry


def _proposal(entry_id: int) -> KnowledgeEntry:
    entry = KnowledgeEntry.get_or_none(KnowledgeEntry.id == entry_id)
    if entry is None:
        raise NotFound("找不到该条目。")
    if entry.status != PROPOSED or not entry.active:
        raise ConflictError("该建议已处理过（已采纳或未采纳）。")
    return entry


def approve(session: Session, entry_id: int, data: KnowledgeInput) -> KnowledgeEntry:
    """A supervisor approves a proposal (as proposed or corrected): from now on it is a standard answer."""
    session.require(Role.SUPERVISOR, "审核知识库建议")
    title, body, tags = _clean(data, entry_id)
    now = session.now()
    with db.write():
        entry = _proposal(entry_id)
        KnowledgeEntry.update(
            title=title, body=body, tags=tags, status=APPROVED, updated_at=now, updated_by=session.operator
        ).where(KnowledgeEntry.id == entry_id).execute()
        audit.record(
            now,
            session.operator,
            "knowledge.approve",
            "knowledge",
            entry_id,
            title=title,
            proposed_by=entry.proposed_by_id,
            corrected=(title, body, tags) != (entry.title, entry.body, entry.tags),
        )
    return get(entry_id)


def reject(session: Session, entry_id: int) -> None:
    """A supervisor turns a proposal down: kept (audited), never offered, its title free again."""
    session.require(Role.SUPERVISOR, "审核知识库建议")
    now = session.now()
    with db.write():
        entry = _proposal(entry_id)
        kept_title = f"{entry.title[:80]}（未采纳 {entry_id}）"
        KnowledgeEntry.update(
            title=kept_title, status=REJECTED, active=False, updated_at=now, updated_by=session.operator
        ).where(KnowledgeEntry.id == entry_id).execute()
        audit.record(
            now,
            session.operator,
            "knowledge.reject",
            "knowledge",
            entry_id,
            title=entry.title,
            proposed_by=entry.proposed_by_id,
        )


def retire(session: Session, entry_id: int) -> None:
    session.require(Role.SUPERVISOR)
    now = session.now()
    with db.write():
        if KnowledgeEntry.update(active=False).where(KnowledgeEntry.id == entry_id).execute() != 1:
            raise NotFound("找不到该条目。")
        audit.record(now, session.operator, "knowledge.retire", "knowledge", entry_id)


__all__ = [
    "APPROVED",
    "PROPOSED",
    "REJECTED",
    "KnowledgeInput",
    "ValidationError",
    "approve",
    "ensure_seeded",
    "get",
    "proposals",
    "propose",
    "reject",
    "retire",
    "save",
    "search",
]
