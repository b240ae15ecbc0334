"""A realistic demo property for trying the program: ``reception demo --data-dir DIR``.

Everything is created through the real services (so serial numbers, cases and the audit log
are what the program itself would write), with a clock that walks through the last three
weeks. Names, rooms and phones are fictional."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta

from reception.clock import Clock
from reception.clock import FixedClock
from reception.clock import to_local
from reception.clock import to_utc
from reception.errors import ReceptionError
from reception.services import auth
from reception.services import callbacks
from reception.services import calls
from reception.services import departments
from reception.services import messages
from reception.services import residents
from reception.services.session import Role
from reception.services.session import Session
from reception.store import db
from reception.store.attachments import AttachmentStore
from reception.store.models import Call
from reception.store.models import Department
from reception.store.models import Resident
from reception.store.paths import DataDir
from reception.store.startup import open_data_dir

DEMO_PASSWORD = "demo1234"
PROPERTY = "阳光花园物业"
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余"
    "于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦傅方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国志远思怡涵宇然珍雨文斌晨曦欣悦浩婷"
RELATIONS = ["业主"] * 6 + ["家属"] * 3 + ["租户"] * 2
NOTES = ["", "", "", "", "独居老人", "有宠物", "装修中", "空置"]
MOBILE_PREFIXES = ["138", "139", "136", "137", "150", "186", "177", "199", "135", "158"]

# (category, content, answer, outcome)
SCRIPTS = [
    ("报修", "厨房水龙头漏水，关不紧", "", calls.Outcome.DISPATCHED),
    ("报修", "卫生间天花板渗水，怀疑楼上漏水", "", calls.Outcome.DISPATCHED),
    ("报修", "入户门门锁坏了，钥匙插不进去", "", calls.Outcome.DISPATCHED),
    ("报修", "楼道声控灯不亮", "", calls.Outcome.DISPATCHED),
    ("投诉", "楼上晚上十一点后还在装修，噪音很大", "", calls.Outcome.DISPATCHED),
    ("投诉", "地库有车辆长期占用他人车位", "", calls.Outcome.DISPATCHED),
    ("投诉", "垃圾桶满了没人清理，有异味", "", calls.Outcome.DISPATCHED),
    (
        "咨询",
        "物业费的收费标准是多少",
        "多层 1.8 元/平方米·月，高层 2.3 元/平方米·月，可在服务中心或线上缴纳。",
        calls.Outcome.ANSWERED,
    ),
    (
        "咨询",
        "二次装修需要办理什么手续",
        "请携带房产证、装修方案和施工单位资质到服务中心办理装修申请，押金 2000 元。",
        calls.Outcome.ANSWERED,
    ),
    ("咨询", "快递可以放在前台代收吗", "可以，前台可代收小件快递，请凭取件码领取。", calls.Outcome.ANSWERED),
    (
        "意见建议",
        "建议在儿童游乐区增加遮阳棚",
        "感谢您的建议，已记录并将转品质管理部评估。",
        calls.Outcome.ANSWERED,
    ),
    ("市政设施", "小区今天停水，什么时候恢复", "", calls.Outcome.CALLBACK),
    ("市政设施", "门口道路施工，出行不便", "已向市政部门反映，施工预计本周结束。", calls.Outcome.ANSWERED),
    ("找人留言", "找工程部刘师傅，约明天上门看空调", "", calls.Outcome.MESSAGE),
    ("找人留言", "请财务部回电核对上月物业费发票", "", calls.Outcome.MESSAGE),
    ("其他", "询问小区游泳池开放时间", "", calls.Outcome.CALLBACK),
]


@dataclass
class _Desk:
    sessions: list[Session]
    clock: FixedClock
    departments: dict[str, Department]


def _phone(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(0, 10**8):08d}"


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def _residents(session: Session, rng: random.Random, households: int) -> list[Resident]:
    created: list[Resident] = []
    rooms: set[tuple[str, str, str]] = set()
    while len(rooms) < households:
        rooms.add(
            (str(rng.randint(1, 18)), str(rng.randint(1, 3)), f"{rng.randint(2, 32)}{rng.randint(1, 4):02d}")
        )
    for building, unit, room in sorted(rooms, key=lambda r: (int(r[0]), r[1], int(r[2]))):
        for i in range(rng.choice((1, 1, 2, 3))):
            data = residents.ResidentInput(
                building=f"{building}栋",
                unit=f"{unit}单元",
                room=room,
                name=_name(rng),
                relation="业主" if i == 0 else rng.choice(RELATIONS),
                phone=_phone(rng),
                phone_alt=_phone(rng) if rng.random() < 0.2 else "",
                note=rng.choice(NOTES) if i == 0 else "",
            )
            try:
                created.append(residents.add_resident(session, data))
            except ReceptionError:
                continue  # the same random name twice in one room
    return created


def _call(desk: _Desk, rng: random.Random, people: list[Resident], script: tuple) -> None:
    category, content, answer, outcome = script
    session = rng.choice(desk.sessions)
    resident = rng.choice(people) if rng.random() < 0.85 else None
    started = desk.clock.now()
    desk.clock.advance(seconds=rng.randint(40, 300))
    data = calls.CallInput(
        started_at=started,
        category=category,
        content=content,
        answer=answer,
        outcome=outcome,
        resident_id=resident.id if resident else None,
        caller_name="" if resident else _name(rng),
        caller_phone="" if resident else _phone(rng),
        identity_verified=resident is not None and rng.random() < 0.8,
    )
    if resident:
        data.caller_phone = resident.phone
    if outcome == calls.Outcome.DISPATCHED:
        dept = {"报修": "工程部", "投诉": rng.choice(["品质管理部", "保安部", "环境部"])}.get(
            category, "客服中心"
        )
        data.department_id = desk.departments[dept].id
        data.taken_by = rng.choice(["刘师傅", "陈工", "周主管", "吴班长", "郑经理"])
    elif outcome == calls.Outcome.MESSAGE:
        data.message_for_person = rng.choice(["工程部刘师傅", "财务部张会计", "周经理"])
        data.message_text = content
    elif outcome == calls.Outcome.CALLBACK:
        data.callback_due_at = desk.clock.now() + timedelta(hours=rng.choice((1, 2, 4)))
        data.callback_reason = content
    calls.register_call(session, data)


GUEST_NAMES = ["王小明", "刘洋", "陈思远", "张伟", "李娜", "杨帆", "赵磊", "周婷", "吴昊", "孙悦"]
DEMO_IDS = ["11010519491231002X", "310104198806152311", "440305199203084525", "330106198507204413"]


def _visits(desk: _Desk, rng: random.Random, people: list[Resident], days: int, end: datetime) -> None:
    """Visits of both kinds over the period; today: appointments, visitors still on site, an incident."""
    from reception.services import incidents
    from reception.services import visits

    for back in range(days, -1, -1):
        day_start = to_utc(
            (to_local(end) - timedelta(days=back)).replace(hour=9, minute=0, second=0, microsecond=0)
        )
        if day_start >= end:
            continue
        desk.clock.set(day_start)
        for _ in range(rng.randint(3, 7)):
            desk.clock.advance(minutes=rng.randint(15, 80))
            if desk.clock.now() >= end:
                break
            session = rng.choice(desk.sessions)
            host = rng.choice(people)
            if rng.random() < 0.4:
                purpose = rng.choice(visits.BUSINESS_PURPOSES)
                visits.register_business_visit(
                    session,
                    visits.BusinessVisitInput(
                        purpose=purpose,
                        resident_id=host.id,
                        handled=f"{purpose}：已按流程办理并告知业户后续安排",
                        taken_over_by=rng.choice(["", "张会计", "刘工", "周主管"]),
                    ),
                )
                continue
            consent = rng.choices(visits.CONSENTS, weights=(8, 1, 1))[0]
            visit = visits.register_guest(
                session,
                visits.GuestInput(
                    visitor_name=rng.choice(GUEST_NAMES),
                    visitor_phone=_phone(rng),
                    party_size=rng.choice((1, 1, 2)),
                    id_number=rng.choice(DEMO_IDS),
                    id_verified=True,
                    host_resident_id=host.id,
                    purpose=rng.choice(visits.GUEST_PURPOSES),
                    consent=consent,
                    plate=rng.choice(["", "", "沪A12345", "沪AD23456", "苏E88K88"]),
                ),
            )
            if visit.status == visits.ON_SITE and (back > 0 or rng.random() < 0.5):
                desk.clock.advance(minutes=rng.randint(20, 90))
                if desk.clock.now() < end:
                    visits.checkout(session, visit.id)
    session = desk.sessions[0]
    for minutes, name in ((50, "陈思远"), (15, "周婷")):  # still on site now
        desk.clock.set(end - timedelta(minutes=minutes))
        visits.register_guest(
            session,
            visits.GuestInput(
                visitor_name=name,
                visitor_phone=_phone(rng),
                id_number=rng.choice(DEMO_IDS),
                id_verified=True,
                host_resident_id=rng.choice(people).id,
                purpose="探亲访友",
                consent=visits.AGREED,
            ),
        )
    desk.clock.set(end)
    for hours, name in ((1, "周杰"), (3, "林晓")):
        visits.book_appointment(
            session,
            visits.AppointmentInput(
                visitor_name=name,
                visitor_phone=_phone(rng),
                expected_at=end + timedelta(hours=hours),
                host_resident_id=rng.choice(people).id,
                purpose="探亲访友",
                booked_by="业主电话预约",
            ),
        )
    on_site = visits.on_site()
    security = desk.departments["保安部"]
    incidents.record_incident(
        session,
        incidents.IncidentInput(
            kind=incidents.HAZARD,
            description="访客在地库徘徊，形迹可疑，已通知保安部巡查",
            visit_id=on_site[0].id if on_site else None,
            reported_to_department_id=security.id,
            reported_to_person="吴班长",
            reported_at=end - timedelta(minutes=5),
            occurred_at=end - timedelta(minutes=10),
        ),
    )


LETTERS = [
    (
        "邮寄",
        "公函",
        "街道办事处",
        "关于开展冬季消防安全检查的通知",
        "请于 12 月 5 日前完成消防通道清理并上报自查表。",
        "保安部",
    ),
    (
        "当面递交",
        "投诉",
        "",
        "关于地库长期漏水的投诉",
        "B2 层 35 号车位上方持续漏水，多次反映未解决。",
        "工程部",
    ),
    (
        "电子邮件",
        "意见建议",
        "阳光花园业主委员会",
        "关于增加电动车充电桩的建议",
        "建议在 3 号楼、8 号楼旁增设充电桩。",
        "工程部",
    ),
    ("快递", "咨询", "", "关于物业费发票开具的咨询", "询问如何开具 2026 年度物业费增值税发票。", "财务部"),
    (
        "传真",
        "通知",
        "区房管局",
        "关于物业服务企业信用评价的通知",
        "请按要求报送年度服务质量自评材料。",
        "品质管理部",
    ),
    ("邮寄", "咨询", "", "关于车位租赁续约的咨询", "租赁合同将于下月到期，询问续约手续。", "客服中心"),
]


def _letters(
    desk: _Desk, rng: random.Random, people: list[Resident], end: datetime, store: AttachmentStore
) -> None:
    """Letters in every status; the oldest open one is overdue."""
    from reception.services import letters

    session = desk.sessions[0]
    for index, (channel, kind, org, subject, summary, dept) in enumerate(LETTERS):
        desk.clock.set(end - timedelta(days=12 - index * 2, hours=rng.randint(0, 5)))
        resident = None if org else rng.choice(people)
        letter = letters.register_letter(
            session,
            letters.LetterInput(
                channel=channel,
                letter_type=kind,
                sender_name=resident.name if resident else "办公室",
                organisation=org,
                resident_id=resident.id if resident else None,
                subject=subject,
                summary=summary,
                pages=rng.randint(1, 4),
                department_id=desk.departments[dept].id if kind == "投诉" else None,
                handler="刘工" if kind == "投诉" else "",
            ),
            store,
        )
        if index in (0, 2, 3, 5):
            desk.clock.advance(hours=2)
            letter = letters.route_letter(
                session, letter.id, desk.departments[dept].id, "经办人", None, letter.version
            )
        if index in (0, 2):
            desk.clock.advance(days=1)
            letter = letters.record_reply(
                session,
                letter.id,
                replied_at=None,
                channel="书面回函",
                summary="已按来函要求处理并书面答复。",
                replied_by="周主管",
                files=[],
                store=store,
                expected_version=letter.version,
            )
        if index == 0:
            letters.archive_letter(session, letter.id, letter.version)
    desk.clock.set(end)


def _cases(desk: _Desk, rng: random.Random, people: list[Resident], end: datetime) -> None:
    """Walk the cases the calls, visits and letters opened: old ones closed after a return visit,
    recent ones in progress, a few overdue; plus a repeat problem at one room and a municipal case."""
    from reception.services import cases
    from reception.store.models import Case

    supervisor = desk.sessions[0]
    leaky = people[7]
    for days_ago in (25, 12, 3):  # the same leak three times in a month
        desk.clock.set(end - timedelta(days=days_ago, hours=2))
        cases.open_direct_case(
            supervisor,
            cases.CaseInput(
                category="报修",
                description="卫生间天花板渗水",
                resident_id=leaky.id,
                department_id=desk.departments["工程部"].id,
                handler="刘师傅",
            ),
        )
    desk.clock.set(end - timedelta(hours=20))
    water = cases.open_direct_case(
        supervisor,
        cases.CaseInput(
            category="市政设施",
            description="小区 5-8 栋停水，业户询问恢复时间",
            location="5-8栋",
            department_id=desk.departments["工程部"].id,
            handler="陈工",
            utility="供水",
        ),
    )
    desk.clock.advance(minutes=20)
    cases.add_liaison(
        supervisor, water.id, "市自来水公司", "抢修热线", "主管道爆裂抢修中，预计今晚 22:00 前恢复供水"
    )
    for case in list(Case.select().order_by(Case.received_at, Case.id)):
        age = end - case.received_at
        if age < timedelta(hours=6):
            continue  # just dispatched
        when = case.received_at + timedelta(hours=rng.choice((1, 2, 3, 5, 8)))
        if age < timedelta(days=2) and rng.random() < 0.5:
            continue  # some recent ones are still waiting (a few of them overdue)
        desk.clock.set(when)
        current = cases.get_case(case.id)
        if current.status == cases.PENDING:
            current = cases.dispatch(
                supervisor, case.id, desk.departments["客服中心"].id, "周主管", current.version
            )
        if current.status == cases.DISPATCHED:
            current = cases.acknowledge(supervisor, case.id, current.handler or "值班人员", current.version)
        late = rng.random() < 0.1
        desk.clock.set(
            case.reply_due_at + timedelta(hours=3) if late else when + timedelta(hours=rng.randint(1, 12))
        )
        if desk.clock.now() >= end:
            continue
        current = cases.reply(supervisor, case.id, "已安排处理并告知业户处理时间。", current.version)
        if age < timedelta(days=3):
            continue
        desk.clock.advance(hours=rng.randint(4, 30))
        current = cases.finish(supervisor, case.id, "已处理完毕。", current.version)
        desk.clock.advance(hours=rng.randint(2, 20))
        result = rng.choices(cases.VISIT_RESULTS, weights=(70, 20, 5, 5))[0]
        comment = "仍不满意，要求再次处理" if result == cases.UNSATISFIED else ""
        current = cases.record_return_visit(supervisor, case.id, result, comment)
        if current.status == cases.AWAITING_VISIT and cases.can_close(current)[0]:
            cases.close(supervisor, case.id, "", current.version)
    desk.clock.set(end)
    cases.run_escalations(supervisor)


def _shifts(desk: _Desk, end: datetime) -> None:
    """Two 12-hour shifts a day (08:00 and 20:00) for the last three days, each handed over and
    confirmed by the next receptionist; the current shift is on duty."""
    from reception.services import shifts

    day_shift, night_shift = desk.sessions
    local_end = to_local(end)
    start = (local_end - timedelta(days=3)).replace(hour=8, minute=0, second=0, microsecond=0)
    desk.clock.set(to_utc(start))
    shifts.start(day_shift)
    boundary = start + timedelta(hours=12)
    on_duty, next_up = day_shift, night_shift
    notes = ["3 号楼电梯维修中，已通知业户；5-1-1203 漏水工单请跟进回访。", "夜间无异常，地库巡查正常。"]
    while to_utc(boundary) <= end:
        desk.clock.set(to_utc(boundary))
        handed = shifts.hand_over(on_duty, notes[boundary.hour == 8])
        desk.clock.advance(minutes=5)
        shifts.confirm(next_up, handed.id)
        on_duty, next_up = next_up, on_duty
        boundary += timedelta(hours=12)
    desk.clock.set(end)


def create_demo(
    data: DataDir, *, days: int = 21, households: int = 300, seed: int = 2026, clock: Clock | None = None
) -> str:
    """Fill an empty data folder with a demo property. Returns a summary for the terminal."""
    open_data_dir(data)
    if auth.is_set_up():
        raise ReceptionError("该数据文件夹已有数据：演示数据只能生成到新的空文件夹中。")
    rng = random.Random(seed)
    real = clock or Clock()
    end = real.now()
    local_start = (real.local_now() - timedelta(days=days)).replace(hour=8, minute=0, second=0, microsecond=0)
    fixed = FixedClock(to_utc(local_start))
    auth.initial_setup(
        auth.SetupInput(PROPERTY, "021-50001234", "admin", "王建国", DEMO_PASSWORD, DEMO_PASSWORD), fixed
    )
    admin = auth.login("admin", DEMO_PASSWORD, fixed)
    staff = [
        ("qiantai1", "李晓梅", Role.RECEPTIONIST),
        ("qiantai2", "陈静", Role.RECEPTIONIST),
        ("zhuguan", "赵敏", Role.SUPERVISOR),
    ]
    for username, name, role in staff:
        auth.create_operator(admin, auth.OperatorInput(username, name, role, DEMO_PASSWORD))
    sessions = [auth.login(u, DEMO_PASSWORD, fixed) for u, _, _ in staff[:2]]
    people = _residents(admin, rng, households)
    # Who takes each department's orders, and the numbers the desk tells callers (投诉 → 品管部).
    for name, phone, handler in (
        ("工程部", "021-50001235", "工程部值班"),
        ("品质管理部", "021-50001236", "品管部值班"),
        ("保安部", "021-50001237", "保安队长"),
    ):
        dept = Department.get(Department.name == name)
        departments.update_department(admin, dept.id, name=name, phone=phone, active=True, handler=handler)
    desk = _Desk(sessions, fixed, {d.name: d for d in Department.select()})
    day = local_start
    while to_utc(day) < end:
        fixed.set(to_utc(day))
        for _ in range(rng.randint(8, 16)):
            fixed.advance(minutes=rng.randint(10, 50))
            if fixed.now() >= end:
                break
            _call(desk, rng, people, rng.choice(SCRIPTS))
        day += timedelta(days=1)
    fixed.set(end)
    _visits(desk, rng, people, days, end)
    _letters(desk, rng, people, end, AttachmentStore(data.attachments))
    _cases(desk, rng, people, end)
    _shifts(desk, end)
    # Older messages and callbacks have been dealt with; the last day's are still open.
    closer = auth.login("qiantai1", DEMO_PASSWORD, fixed)
    for msg in messages.list_messages():
        if msg.created_at < end - timedelta(days=1):
            messages.deliver(closer, msg.id, msg.for_person or "相关部门")
    for cb in callbacks.list_callbacks():
        if cb.due_at < end - timedelta(hours=12):
            callbacks.complete(closer, cb.id, "已回电告知处理进度，住户表示理解。")
    server = data.server
    where = f"数据库服务器 {db.display_address(server)}" if server else str(data.root)
    return (
        f"演示物业“{PROPERTY}”已生成在 {where}\n"
        f"住户 {Resident.select().count()} 人，来电 {Call.select().count()} 条（近 {days} 天）。\n"
        f"登录名 admin（管理员）、zhuguan（主管）、qiantai1 / qiantai2（前台），密码均为 {DEMO_PASSWORD}"
    )
