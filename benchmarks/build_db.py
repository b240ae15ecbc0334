"""The benchmark's database: ten years of a busy property, built deterministically.

``build(path, size)`` migrates a fresh file with the real steps (``reception.store.migrations``), creates
the property, its departments, the administrator and the benchmark operator through the real
services (``reception.services.auth``), then writes ten years of records in bulk into the tables the
migrations created: residents, calls, cases with their history (受理 → 派单 → 接单 → 答复 →
处理完成 → 回访 → 关闭), return visits, municipal liaison, messages, callbacks, business visits and
guests with appointments, letters, incidents, shifts, the serial counters of every day and an
audit log with one entry per create and state change, hash-chained exactly as
``reception.store.audit.record`` chains it (``audit.verify_chain()`` passes).

Bulk writing bypasses peewee's per-row machinery (it would take minutes): rows are tuples in the
column order of the peewee models, handed to ``sqlite3.executemany`` on the database peewee opened;
the values are the same Python objects the services store (naive-UTC ``datetime``s, ints, str), so
the file is what the program itself would have written. Only for this throwaway build step the
file runs with ``journal_mode=OFF, synchronous=OFF``; at the end it is switched back to WAL (the
program opens it with its normal pragmas: WAL + synchronous=FULL).

Every day draws from its own ``random.Random(f"{SEED}-{day}")``, so the file depends only on the
seed, the size and the schema version.

Run alone: ``.venv/bin/python benchmarks/build_db.py [--size small|full] [--force]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from reception import demo  # noqa: E402
from reception.clock import FixedClock  # noqa: E402
from reception.services import auth  # noqa: E402
from reception.services import settings as settings_mod  # noqa: E402
from reception.services.calls import Outcome  # noqa: E402
from reception.services.residents import pinyin_initials  # noqa: E402
from reception.services.residents import room_label  # noqa: E402
from reception.services.residents import short_room  # noqa: E402
from reception.services.session import Role  # noqa: E402
from reception.store import db  # noqa: E402
from reception.store.audit import GENESIS  # noqa: E402
from reception.store.migrations import LATEST  # noqa: E402
from reception.store.migrations import migrate  # noqa: E402
from reception.store.models import Appointment  # noqa: E402
from reception.store.models import AuditLog  # noqa: E402
from reception.store.models import Call  # noqa: E402
from reception.store.models import Callback  # noqa: E402
from reception.store.models import Case  # noqa: E402
from reception.store.models import CaseEvent  # noqa: E402
from reception.store.models import Department  # noqa: E402
from reception.store.models import Incident  # noqa: E402
from reception.store.models import Letter  # noqa: E402
from reception.store.models import LiaisonEntry  # noqa: E402
from reception.store.models import Message  # noqa: E402
from reception.store.models import Operator  # noqa: E402
from reception.store.models import Resident  # noqa: E402
from reception.store.models import ReturnVisit  # noqa: E402
from reception.store.models import Shift  # noqa: E402
from reception.store.models import Visit  # noqa: E402

SEED = 20261126
CACHE_DIR = ROOT / "bench-results" / "cache"
# The last day of data (local time): records run until END_LOCAL on it; the day before is the
# busy day the handover report is measured on.
END_LOCAL = datetime(2026, 11, 26, 17, 0)
HANDOVER_DAY = date(2026, 11, 25)
YEARS = 10
UTC_OFFSET = timedelta(hours=8)  # Asia/Shanghai has had no daylight saving since 1991

BENCH_USER = "qiantai"
BENCH_PASSWORD = "bench1234"
ADMIN_USER = "admin"

# size → (households, calls, visits, letters, incidents); "full" is the ten busy years.
SIZES = {
    "full": (3000, 400_000, 120_000, 5_500, 1_500),
    "small": (3000, 20_000, 6_000, 300, 80),
}
# The handover day, at full size (≈ 2,000 events): calls, visits, letters, incidents; the day's
# dispatched calls and complaint visits add their cases.
HANDOVER_COUNTS = {"full": (1_200, 560, 40, 20), "small": (1_200, 560, 40, 20)}

CATEGORY_WEIGHTS = {
    "咨询": 35,
    "报修": 12,
    "投诉": 5,
    "意见建议": 4,
    "紧急": 0.6,
    "市政设施": 5,
    "找人留言": 12,
    "其他": 26.4,
}
OUTCOME_WEIGHTS = {
    "咨询": ((Outcome.ANSWERED, 85), (Outcome.CALLBACK, 15)),
    "报修": ((Outcome.DISPATCHED, 95), (Outcome.CALLBACK, 5)),
    "投诉": ((Outcome.DISPATCHED, 90), (Outcome.ANSWERED, 10)),
    "意见建议": ((Outcome.ANSWERED, 80), (Outcome.DISPATCHED, 20)),
    "紧急": ((Outcome.DISPATCHED, 100),),
    "市政设施": ((Outcome.ANSWERED, 50), (Outcome.CALLBACK, 30), (Outcome.DISPATCHED, 20)),
    "找人留言": ((Outcome.MESSAGE, 100),),
    "其他": ((Outcome.ANSWERED, 70), (Outcome.CALLBACK, 30)),
}
PLACES = [
    "地库B1",
    "地库B2",
    "小区南门",
    "小区北门",
    "儿童游乐区",
    "中心花园",
    "会所",
    "游泳池",
    "垃圾站",
    "消防通道",
    "非机动车棚",
    "东侧围墙",
    "健身区",
    "物业服务中心门口",
    "快递柜旁",
    "篮球场",
]
CONTENT = {
    "咨询": [
        "物业费的收费标准是多少",
        "二次装修需要办理什么手续",
        "快递可以放在前台代收吗",
        "车位月租怎么办理",
        "门禁卡丢了怎么补办",
        "水电费在哪里缴纳",
        "{place}开放时间是几点",
        "业主大会什么时候召开",
        "房屋出租需要登记吗",
        "宠物登记需要什么材料",
        "电动车可以在哪里充电",
        "物业费发票怎么开",
        "装修押金什么时候退",
        "小区可以办理临时停车吗",
    ],
    "报修": [
        "厨房水龙头漏水，关不紧",
        "卫生间天花板渗水，怀疑楼上漏水",
        "入户门门锁坏了，钥匙插不进去",
        "楼道声控灯不亮",
        "{place}的路灯坏了",
        "电梯按键失灵",
        "下水道堵塞，有异味",
        "阳台排水不畅",
        "家里突然停电，总闸跳不上去",
        "可视对讲没有声音",
        "空调冷凝水管滴水到楼下",
        "暖气片不热",
        "{place}地面积水",
        "窗户密封条脱落漏风",
    ],
    "投诉": [
        "楼上晚上十一点后还在装修，噪音很大",
        "{place}有车辆长期占用他人车位",
        "垃圾桶满了没人清理，有异味",
        "邻居在楼道堆放杂物",
        "{place}有人遛狗不牵绳",
        "保洁没有按时打扫楼道",
        "{place}夜间有人喧哗",
        "快递员乱停车堵住通道",
        "楼下餐馆油烟很大",
        "保安态度不好",
    ],
    "意见建议": [
        "建议在{place}增加遮阳棚",
        "建议增加电动车充电桩",
        "建议延长会所开放时间",
        "建议{place}加装监控",
        "建议增加垃圾分类指导",
        "建议定期清洗二次供水水箱",
    ],
    "紧急": ["{place}有烟味，怀疑着火", "电梯困人，请马上处理", "{place}水管爆裂，水流很大", "闻到煤气味"],
    "市政设施": [
        "小区今天停水，什么时候恢复",
        "门口道路施工，出行不便",
        "片区停电，什么时候来电",
        "燃气管道检修通知",
        "网络光纤被挖断了",
        "小区门口公交站牌损坏",
    ],
    "找人留言": [
        "找工程部刘师傅，约明天上门看空调",
        "请财务部回电核对上月物业费发票",
        "找周经理商量装修方案",
        "请保安部吴班长回电",
        "找客服小陈确认入伙资料",
    ],
    "其他": [
        "询问小区游泳池开放时间",
        "失物招领，丢了一串钥匙",
        "想借用会所办活动",
        "询问社区疫苗接种地点",
        "询问附近学校划片",
        "拾到一个钱包，送到前台",
        "询问小区周边公交线路",
    ],
}
ANSWERS = [
    "已按收费标准和办理流程当场答复。",
    "已告知办理地点、时间和所需材料。",
    "已解释清楚，来电人表示满意。",
    "已告知可在服务中心或线上办理。",
    "感谢您的建议，已记录并将转品质管理部评估。",
]
HANDLERS = ["刘师傅", "陈工", "周主管", "吴班长", "郑经理", "孙会计", "钱师傅", "冯工"]
MESSAGE_FOR = ["工程部刘师傅", "财务部张会计", "周经理", "保安部吴班长", "客服小陈"]
PLATES = ["沪A12345", "沪AD23456", "苏E88K88", "浙B5Z321", "沪C7M890", "皖A3X456"]
LETTER_SUBJECTS = [
    ("公函", "街道办事处", "关于开展消防安全检查的通知", "保安部"),
    ("投诉", "", "关于地库长期漏水的投诉", "工程部"),
    ("意见建议", "业主委员会", "关于增加电动车充电桩的建议", "工程部"),
    ("咨询", "", "关于物业费发票开具的咨询", "财务部"),
    ("通知", "区房管局", "关于物业服务企业信用评价的通知", "品质管理部"),
    ("咨询", "", "关于车位租赁续约的咨询", "客服中心"),
    ("投诉", "", "关于楼上噪音扰民的投诉", "品质管理部"),
    ("公函", "供电公司", "关于计划停电的函", "工程部"),
]
INCIDENT_TEXT = {
    "安全隐患": ["访客在地库徘徊，形迹可疑，已通知保安部巡查", "{place}消防通道被堵，已通知保安部"],
    "拒绝接待": ["访客情绪激动拒不登记，按规定拒绝接待", "推销人员要求进入小区，已拒绝"],
    "报警": ["业户报告车辆被划，已协助报警", "{place}发生纠纷，已报警"],
}


def cache_path(size: str) -> Path:
    return CACHE_DIR / f"ten-years-v{LATEST}-{size}.db"


def _utc(local: datetime) -> datetime:
    return local - UTC_OFFSET


def _local(utc: datetime) -> datetime:
    return utc + UTC_OFFSET


def _pick(rng: random.Random, weighted: dict | tuple) -> str:
    items = list(weighted.items()) if isinstance(weighted, dict) else list(weighted)
    return rng.choices([k for k, _ in items], weights=[w for _, w in items])[0]


def _fill(rng: random.Random, text: str) -> str:
    return text.replace("{place}", rng.choice(PLACES))


def _mask_phone(phone: str) -> str:
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:] if len(phone) >= 11 else phone


def _dumps(detail: dict) -> str:
    return json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str) if detail else ""


@dataclass
class Person:
    id: int
    building: str
    unit: str
    room: str
    name: str
    phone: str


@dataclass
class Rows:
    """Tuples per table (in each model's column order) and the audit entries to chain."""

    tables: dict[str, list[tuple]] = field(default_factory=lambda: defaultdict(list))
    audit: list[tuple] = field(default_factory=list)  # (at, seq, operator_id, action, entity, id, detail)
    counters: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    seq: int = 0

    def log(self, at: datetime, op: int | None, action: str, entity: str, eid: int | None, **detail) -> None:
        self.seq += 1
        self.audit.append((at, self.seq, op, action, entity, eid, _dumps(detail)))

    def serial(self, kind: str, local_day: date) -> str:
        key = local_day.strftime("%Y%m%d")
        self.counters[(kind, key)] += 1
        return f"{kind}{key}-{self.counters[(kind, key)]:03d}"


# The columns written, per model, in order (every NOT NULL column; the rest default to NULL).
COLUMNS: dict[type, tuple[str, ...]] = {
    Resident: (
        "id",
        "building",
        "unit",
        "room",
        "name",
        "relation",
        "phone",
        "phone_alt",
        "note",
        "initials",
        "active",
        "created_at",
        "updated_at",
    ),
    Call: (
        "id",
        "serial",
        "started_at",
        "saved_at",
        "duration_s",
        "operator_id",
        "resident_id",
        "caller_name",
        "caller_phone",
        "location",
        "identity_verified",
        "category",
        "content",
        "answer",
        "outcome",
        "department_id",
        "taken_by",
        "alerted_department_id",
        "alerted_at",
        "readback",
        "client_token",
        "version",
        "updated_at",
    ),
    Case: (
        "id",
        "serial",
        "source_kind",
        "source_id",
        "category",
        "resident_id",
        "location",
        "description",
        "first_receiver_id",
        "department_id",
        "handler",
        "status",
        "received_at",
        "reply_due_at",
        "closed_at",
        "version",
        "updated_at",
        "building",
        "place_key",
        "resolve_due_at",
        "replied_at",
        "reply_text",
        "close_note",
        "escalation_level",
        "utility",
        "agency",
    ),
    CaseEvent: (
        "case_id",
        "at",
        "operator_id",
        "action",
        "from_status",
        "to_status",
        "department_id",
        "handler",
        "note",
    ),
    ReturnVisit: ("case_id", "at", "operator_id", "result", "comment"),
    LiaisonEntry: ("case_id", "at", "operator_id", "agency", "contact", "said"),
    Message: (
        "id",
        "call_id",
        "for_person",
        "for_department_id",
        "from_name",
        "callback_phone",
        "text",
        "created_at",
        "created_by_id",
        "delivered_at",
        "delivered_by_id",
        "delivered_to",
    ),
    Callback: (
        "id",
        "call_id",
        "name",
        "phone",
        "reason",
        "due_at",
        "created_at",
        "created_by_id",
        "completed_at",
        "completed_by_id",
        "result",
    ),
    Appointment: (
        "id",
        "visitor_name",
        "visitor_phone",
        "party_size",
        "expected_at",
        "resident_id",
        "staff_host",
        "purpose",
        "booked_by",
        "status",
        "created_by_id",
        "created_at",
        "updated_at",
    ),
    Visit: (
        "id",
        "serial",
        "kind",
        "arrived_at",
        "operator_id",
        "resident_id",
        "purpose",
        "department_id",
        "handled",
        "taken_over_by",
        "visitor_name",
        "visitor_phone",
        "party_size",
        "plate",
        "id_type",
        "id_masked",
        "id_hash",
        "id_verified",
        "destination",
        "badge_destination",
        "staff_host",
        "appointment_id",
        "consent",
        "consent_at",
        "escort",
        "watch_hit",
        "watch_decision",
        "status",
        "valid_until",
        "checked_out_at",
        "checked_out_by_id",
        "badge_prints",
        "client_token",
        "version",
        "updated_at",
    ),
    Incident: (
        "id",
        "kind",
        "call_id",
        "visit_id",
        "occurred_at",
        "description",
        "reported_to_id",
        "reported_to_person",
        "reported_at",
        "police_case_no",
        "officer",
        "created_by_id",
        "created_at",
    ),
    Letter: (
        "id",
        "serial",
        "receipt_no",
        "received_at",
        "channel",
        "letter_type",
        "sender_name",
        "organisation",
        "contact",
        "sender_ref",
        "resident_id",
        "subject",
        "summary",
        "pages",
        "confidentiality",
        "operator_id",
        "department_id",
        "handler",
        "routed_at",
        "reply_due_at",
        "status",
        "replied_at",
        "reply_channel",
        "reply_summary",
        "replied_by",
        "archived_at",
        "client_token",
        "version",
        "updated_at",
    ),
    Shift: (
        "id",
        "day",
        "number",
        "started_at",
        "operator_id",
        "status",
        "handed_over_at",
        "note",
        "incoming_id",
        "confirmed_at",
        "refused_reason",
        "version",
    ),
}


class Builder:
    def __init__(self, size: str) -> None:
        self.size = size
        self.households, self.n_calls, self.n_visits, self.n_letters, self.n_incidents = SIZES[size]
        self.rows = Rows()
        self.ids: dict[str, int] = defaultdict(int)
        self.end = _utc(END_LOCAL)
        self.first_day = (END_LOCAL - timedelta(days=round(365.25 * YEARS))).date()
        self.people: list[Person] = []

    def next_id(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table]

    # ---- set-up through the services ------------------------------------------------------------
    def setup(self) -> None:
        start = _utc(datetime.combine(self.first_day, datetime.min.time()) + timedelta(hours=8))
        clock = FixedClock(start)
        auth.initial_setup(
            auth.SetupInput(
                demo.PROPERTY, "021-50001234", ADMIN_USER, "王建国", BENCH_PASSWORD, BENCH_PASSWORD
            ),
            clock,
        )
        admin = auth.login(ADMIN_USER, BENCH_PASSWORD, clock)
        auth.create_operator(
            admin, auth.OperatorInput(BENCH_USER, "李晓梅", Role.RECEPTIONIST, BENCH_PASSWORD)
        )
        auth.create_operator(admin, auth.OperatorInput("zhuguan", "赵敏", Role.SUPERVISOR, BENCH_PASSWORD))
        # Earlier receptionists (staff turnover over ten years): one hash, written in bulk.
        shared_hash = Operator.get(Operator.username == BENCH_USER).password_hash
        rng = random.Random(f"{SEED}-staff")
        staff = []
        for i in range(10):
            staff.append(
                {
                    "username": f"qiantai{i + 1:02d}",
                    "display_name": demo._name(rng),
                    "role": Role.RECEPTIONIST.value,
                    "password_hash": shared_hash,
                    "active": i >= 6,
                    "failed_logins": 0,
                    "created_at": start,
                }
            )
        Operator.insert_many(staff).execute()
        ops = list(Operator.select().order_by(Operator.id))
        self.admin_id = ops[0].id
        self.bench_id = next(o.id for o in ops if o.username == BENCH_USER)
        self.supervisor_id = next(o.id for o in ops if o.username == "zhuguan")
        self.old_staff = [o.id for o in ops if o.username.startswith("qiantai0") or o.username == "qiantai10"]
        self.depts = {d.name: d.id for d in Department.select()}
        conf = settings_mod.load()
        self.reply_hours = conf.reply_hours_for
        self.resolve_hours = conf.resolve_hours_for
        self.letter_hours = conf.letter_reply_hours
        self.visit_depts = {
            p: self.depts.get(v.get("department", ""), None) for p, v in conf.visit_purposes.items()
        }
        last = AuditLog.select().order_by(AuditLog.id.desc()).first()
        self.audit_start = (last.id if last else 0, last.hash if last else GENESIS)

    def desk_staff(self, day: date) -> list[int]:
        """Receptionists on the roster that year (four at a time, the newest hired latest)."""
        year = day.year - self.first_day.year
        pool = [*self.old_staff, self.bench_id]
        first = min(year * len(pool) // (YEARS + 1), len(pool) - 4)
        return pool[first : first + 4]

    # ---- residents --------------------------------------------------------------------------------
    def residents(self) -> None:
        rng = random.Random(f"{SEED}-residents")
        rooms: set[tuple[str, str, str]] = set()
        while len(rooms) < self.households:
            rooms.add(
                (
                    str(rng.randint(1, 18)),
                    str(rng.randint(1, 3)),
                    f"{rng.randint(2, 32)}{rng.randint(1, 4):02d}",
                )
            )
        created = _utc(datetime.combine(self.first_day, datetime.min.time()) + timedelta(hours=9))
        out = self.rows.tables[Resident._meta.table_name]
        for building, unit, room in sorted(rooms, key=lambda r: (int(r[0]), int(r[1]), int(r[2]))):
            names: set[str] = set()
            for i in range(rng.choice((1, 1, 2, 2, 3))):
                name = demo._name(rng)
                if name in names:
                    continue
                names.add(name)
                rid = self.next_id("resident")
                phone = demo._phone(rng)
                alt = demo._phone(rng) if rng.random() < 0.2 else ""
                relation = "业主" if i == 0 else rng.choice(demo.RELATIONS)
                note = rng.choice(demo.NOTES) if i == 0 else ""
                out.append(
                    (
                        rid,
                        building,
                        unit,
                        room,
                        name,
                        relation,
                        phone,
                        alt,
                        note,
                        pinyin_initials(name),
                        1,
                        created,
                        created,
                    )
                )
                self.people.append(Person(rid, building, unit, room, name, phone))

    # ---- ten years, day by day -------------------------------------------------------------------
    def day_weights(self) -> list[tuple[date, float]]:
        days = []
        day = self.first_day
        total = (END_LOCAL.date() - self.first_day).days
        while day <= END_LOCAL.date():
            i = (day - self.first_day).days
            growth = 0.65 + 0.5 * i / total  # the property filled up over the years
            week = 0.85 if day.weekday() >= 5 else 1.0
            season = {1: 0.9, 2: 0.7, 7: 1.15, 8: 1.15, 12: 1.05}.get(day.month, 1.0)
            noise = random.Random(f"{SEED}-w-{day}").uniform(0.8, 1.2)
            days.append((day, growth * week * season * noise))
            day += timedelta(days=1)
        return days

    @staticmethod
    def spread(total: int, weights: list[float]) -> list[int]:
        s = sum(weights)
        raw = [w * total / s for w in weights]
        counts = [int(r) for r in raw]
        short = total - sum(counts)
        for i in sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)[:short]:
            counts[i] += 1
        return counts

    def times(self, rng: random.Random, day: date, n: int, *, visits: bool = False) -> list[datetime]:
        """``n`` local times of a day, mostly in office hours, sorted, as naive UTC."""
        hours = list(range(24))
        weights = [1, 0.5, 0.3, 0.3, 0.3, 0.5, 1.5, 4, 9, 10, 10, 9, 7, 8, 9, 9, 8, 7, 5, 4, 3, 2, 1.5, 1]
        if visits:
            weights = [0, 0, 0, 0, 0, 0, 0.2, 2, 6, 9, 10, 8, 5, 7, 9, 9, 8, 6, 4, 3, 2, 1, 0.3, 0]
        base = datetime.combine(day, datetime.min.time())
        out = []
        for _ in range(n):
            h = rng.choices(hours, weights=weights)[0]
            t = base + timedelta(hours=h, seconds=rng.randrange(3600))
            if day == END_LOCAL.date() and t >= END_LOCAL:
                t = base + timedelta(seconds=rng.randrange(int((END_LOCAL - base).total_seconds())))
            out.append(_utc(t))
        return sorted(out)

    def run(self) -> None:
        weights = self.day_weights()
        w = [x for _, x in weights]
        # the last day runs only until END_LOCAL
        w[-1] *= (END_LOCAL.hour * 60 + END_LOCAL.minute) / (24 * 60)
        calls = self.spread(self.n_calls, w)
        visits = self.spread(
            self.n_visits,
            [x * (1.25 if d.weekday() >= 5 else 1.0) for (d, _), x in zip(weights, w, strict=False)],
        )
        letters = self.spread(
            self.n_letters,
            [x * (0.2 if d.weekday() >= 5 else 1.0) for (d, _), x in zip(weights, w, strict=False)],
        )
        incidents = self.spread(self.n_incidents, w)
        hc, hv, hl, hi = HANDOVER_COUNTS[self.size]
        self.receipts: dict[int, int] = defaultdict(int)
        for i, (day, _) in enumerate(weights):
            if day == HANDOVER_DAY:
                counts = (hc, hv, hl, hi)
            else:
                counts = (calls[i], visits[i], letters[i], incidents[i])
            self.one_day(day, *counts)

    def one_day(self, day: date, n_calls: int, n_visits: int, n_letters: int, n_incidents: int) -> None:
        rng = random.Random(f"{SEED}-{day}")
        staff = self.desk_staff(day)
        self.shifts(day, staff, rng)
        cases: list[dict] = []
        call_ids = []
        for t in self.times(rng, day, n_calls):
            call_ids.append(self.call(rng, day, t, staff, cases))
        visit_ids = []
        for t in self.times(rng, day, n_visits, visits=True):
            visit_ids.append(self.visit(rng, day, t, staff, cases))
        for t in self.times(rng, day, n_letters, visits=True):
            self.letter(rng, day, t, staff)
        for t in self.times(rng, day, n_incidents):
            self.incident(rng, t, staff, call_ids, visit_ids)
        if day == END_LOCAL.date():
            self.appointments_ahead(rng, staff)
        cases.sort(key=lambda c: c["received_at"])
        for case in cases:
            self.case(rng, day, case)

    def shifts(self, day: date, staff: list[int], rng: random.Random) -> None:
        base = datetime.combine(day, datetime.min.time())
        table = self.rows.tables[Shift._meta.table_name]
        key = day.strftime("%Y%m%d")
        for number, hour in ((1, 8), (2, 20)):
            start = _utc(base + timedelta(hours=hour))
            if start >= self.end:
                continue
            sid = self.next_id("shift")
            op = staff[(day.toordinal() * 2 + number) % len(staff)]
            nxt = staff[(day.toordinal() * 2 + number + 1) % len(staff)]
            end = start + timedelta(hours=12)
            done = end <= self.end
            note = rng.choice(["", "", "3栋电梯维保中", "南门道闸故障已报修", "有两件快递待业主领取"])
            table.append(
                (
                    sid,
                    key,
                    number,
                    start,
                    op,
                    "已交接" if done else "当班",
                    end if done else None,
                    note,
                    nxt if done else None,
                    end + timedelta(minutes=3) if done else None,
                    "",
                    2 if done else 1,
                )
            )
            self.rows.log(start, op, "login", "operator", op)
            self.rows.log(start, op, "shift.start", "shift", sid, day=key, number=number)
            if done:
                self.rows.log(end, op, "shift.hand_over", "shift", sid)
                self.rows.log(end + timedelta(minutes=3), nxt, "shift.confirm", "shift", sid)
                self.rows.log(end + timedelta(minutes=4), op, "logout", "operator", op)

    def call(
        self, rng: random.Random, day: date, saved: datetime, staff: list[int], cases: list[dict]
    ) -> int:
        cid = self.next_id("call")
        category = _pick(rng, CATEGORY_WEIGHTS)
        outcome = _pick(rng, OUTCOME_WEIGHTS[category])
        op = rng.choice(staff[:2]) if 0 <= _local(saved).hour - 8 < 12 else rng.choice(staff[2:])
        duration = rng.randint(40, 420)
        started = saved - timedelta(seconds=duration)
        person = rng.choice(self.people) if rng.random() < 0.8 else None
        if person:
            caller, phone = person.name, person.phone
            location = room_label(person.building, person.unit, person.room)
        else:
            caller = demo._name(rng) if rng.random() < 0.7 else ""
            phone = demo._phone(rng) if rng.random() < 0.9 else ""
            location = rng.choice(PLACES) if rng.random() < 0.3 else ""
        content = _fill(rng, rng.choice(CONTENT[category]))
        answer = rng.choice(ANSWERS) if outcome == Outcome.ANSWERED else ""
        dept = taken = alerted = alerted_at = None
        if outcome == Outcome.DISPATCHED:
            name = {
                "报修": "工程部",
                "投诉": rng.choice(["品质管理部", "保安部", "环境部"]),
                "紧急": "保安部",
            }.get(category, "客服中心")
            dept, taken = self.depts[name], rng.choice(HANDLERS)
        if category == "紧急":
            alerted, alerted_at = (
                self.depts[rng.choice(["保安部", "工程部"])],
                started + timedelta(seconds=30),
            )
        who = f"{caller or '来电人'}（{location}）" if location else (caller or "来电人")
        if outcome == Outcome.DISPATCHED:
            dept_name = next(k for k, v in self.depts.items() if v == dept)
            hours = self.reply_hours(category)
            action = f"已转{dept_name}（{taken}）处理，{hours} 小时内给您答复"
        elif outcome == Outcome.ANSWERED:
            action = "已当场答复"
        elif outcome == Outcome.MESSAGE:
            action = "已为您给相关人员留言，会尽快转达"
        else:
            action = "我们会尽快回电"
        readback = f"{who}反映{category}：{content}。{action}。"
        serial = self.rows.serial("LD", _local(saved).date())
        token = f"{rng.getrandbits(128):032x}"
        self.rows.tables[Call._meta.table_name].append(
            (
                cid,
                serial,
                started,
                saved,
                duration,
                op,
                person.id if person else None,
                caller,
                phone,
                location,
                1 if person and rng.random() < 0.85 else 0,
                category,
                content,
                answer,
                outcome.value,
                dept,
                taken or "",
                alerted,
                alerted_at,
                readback,
                token,
                1,
                saved,
            )
        )
        self.rows.log(
            saved,
            op,
            "call.create",
            "call",
            cid,
            serial=serial,
            category=category,
            outcome=outcome.value,
            phone=_mask_phone(phone),
        )
        if outcome == Outcome.DISPATCHED:
            cases.append(
                dict(
                    source_kind="call",
                    source_id=cid,
                    category=category,
                    person=person,
                    location=location,
                    description=content,
                    op=op,
                    dept=dept,
                    handler=taken,
                    received_at=started,
                    now=saved,
                )
            )
        elif outcome == Outcome.MESSAGE:
            mid = self.next_id("message")
            delivered = saved + timedelta(minutes=rng.randint(10, 480))
            done = delivered < self.end - timedelta(hours=6)
            for_person = rng.choice(MESSAGE_FOR)
            self.rows.tables[Message._meta.table_name].append(
                (
                    mid,
                    cid,
                    for_person,
                    None,
                    caller,
                    phone,
                    content,
                    saved,
                    op,
                    delivered if done else None,
                    op if done else None,
                    for_person if done else "",
                )
            )
            self.rows.log(
                saved,
                op,
                "message.create",
                "message",
                mid,
                call=serial,
                for_person=for_person,
                for_department=None,
            )
            if done:
                self.rows.log(delivered, op, "message.deliver", "message", mid, delivered_to=for_person)
        elif outcome == Outcome.CALLBACK and phone:
            bid = self.next_id("callback")
            due = saved + timedelta(hours=rng.choice((1, 2, 4)))
            completed = due + timedelta(minutes=rng.randint(-50, 90))
            done = completed < self.end - timedelta(hours=3)
            result = "已回电告知处理进度，住户表示理解。"
            self.rows.tables[Callback._meta.table_name].append(
                (
                    bid,
                    cid,
                    caller,
                    phone,
                    content,
                    due,
                    saved,
                    op,
                    completed if done else None,
                    op if done else None,
                    result if done else "",
                )
            )
            self.rows.log(
                saved,
                op,
                "callback.create",
                "callback",
                bid,
                call=serial,
                phone=_mask_phone(phone),
                due_at=due,
            )
            if done:
                self.rows.log(completed, op, "callback.complete", "callback", bid, result=result)
        return cid

    def visit(self, rng: random.Random, day: date, t: datetime, staff: list[int], cases: list[dict]) -> int:
        vid = self.next_id("visit")
        op = rng.choice(staff[:2])
        local_day = _local(t).date()
        serial = self.rows.serial("LF", local_day)
        person = rng.choice(self.people)
        dest = room_label(person.building, person.unit, person.room)
        token = f"{rng.getrandbits(128):032x}"
        table = self.rows.tables[Visit._meta.table_name]
        if rng.random() < 0.35:
            purpose = _pick(
                rng, {"交费": 30, "租房": 8, "二次装修": 12, "入伙": 6, "投诉": 8, "咨询": 26, "其他": 10}
            )
            dept = self.visit_depts.get(purpose)
            handled = f"{purpose}：已按流程办理并告知业户后续安排"
            taken = rng.choice(["", "", "张会计", "刘工", "周主管"])
            table.append(
                (
                    vid,
                    serial,
                    "business",
                    t,
                    op,
                    person.id,
                    purpose,
                    dept,
                    handled,
                    taken,
                    person.name,
                    person.phone,
                    1,
                    "",
                    "",
                    "",
                    "",
                    0,
                    dest,
                    "",
                    "",
                    None,
                    "",
                    None,
                    "",
                    0,
                    "",
                    "已办结",
                    None,
                    None,
                    None,
                    0,
                    token,
                    1,
                    t,
                )
            )
            self.rows.log(
                t, op, "visit.create", "visit", vid, serial=serial, kind="business", purpose=purpose
            )
            if purpose == "投诉":
                cases.append(
                    dict(
                        source_kind="visit",
                        source_id=vid,
                        category="投诉",
                        person=person,
                        location=dest,
                        description=handled,
                        op=op,
                        dept=dept,
                        handler=taken,
                        received_at=t,
                        now=t,
                    )
                )
            return vid
        purpose = _pick(
            rng,
            {
                "探亲访友": 40,
                "送货": 12,
                "快递外卖": 15,
                "维修施工": 10,
                "看房": 6,
                "家政服务": 12,
                "公务": 2,
                "其他": 3,
            },
        )
        appointment = None
        if rng.random() < 0.06:
            appointment = self.next_id("appointment")
            booked = t - timedelta(hours=rng.randint(2, 48))
            self.rows.tables[Appointment._meta.table_name].append(
                (
                    appointment,
                    "",
                    "",
                    1,
                    t - timedelta(minutes=rng.randint(-30, 30)),
                    person.id,
                    "",
                    purpose,
                    "业主电话预约",
                    "已到访",
                    op,
                    booked,
                    t,
                )
            )
            self.rows.log(
                booked, op, "appointment.create", "appointment", appointment, expected_at=t, phone=""
            )
            consent = "已预约"
        else:
            consent = _pick(rng, {"同意": 88, "拒绝": 5, "未接通": 7})
        name, phone = demo._name(rng), demo._phone(rng)
        if appointment is not None:
            table_a = self.rows.tables[Appointment._meta.table_name]
            a = table_a[-1]
            table_a[-1] = (a[0], name, phone, *a[3:])
        admitted = consent in ("同意", "已预约")
        born = f"{rng.randint(1950, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        id_number = f"{rng.randint(110000, 659000)}{born}{rng.randint(0, 9999):04d}"
        masked = id_number[:4] + "*" * 10 + id_number[-4:]
        id_hash = hashlib.sha256(id_number.encode()).hexdigest()
        valid = min(
            t + timedelta(hours=4),
            _utc(datetime.combine(local_day, datetime.min.time()) + timedelta(days=1, seconds=-1)),
        )
        out = t + timedelta(minutes=rng.randint(15, 200))
        if not admitted:
            status, out_at = "未放行", None
        elif out < self.end:
            status, out_at = "已离开", out
        else:
            status, out_at = "在场", None
        badge_dest = f"{person.building}栋{person.unit}单元"
        plate = rng.choice(PLATES) if rng.random() < 0.25 else ""
        party = rng.choices((1, 2, 3, 4), weights=(80, 14, 4, 2))[0]
        table.append(
            (
                vid,
                serial,
                "guest",
                t,
                op,
                person.id,
                purpose,
                None,
                "",
                "",
                name,
                phone,
                party,
                plate,
                "居民身份证",
                masked,
                id_hash,
                1,
                dest,
                badge_dest,
                "",
                appointment,
                consent,
                t,
                "",
                0,
                "",
                status,
                valid if admitted else None,
                out_at,
                op if out_at else None,
                1 if admitted else 0,
                token,
                2 if out_at else 1,
                out_at or t,
            )
        )
        self.rows.log(
            t,
            op,
            "visit.create",
            "visit",
            vid,
            serial=serial,
            kind="guest",
            consent=consent,
            status="在场" if admitted else "未放行",
            id=masked,
            phone=_mask_phone(phone),
            watch=None,
        )
        if admitted:
            self.rows.log(
                t + timedelta(seconds=20), op, "visit.badge_print", "visit", vid, serial=serial, size="62x100"
            )
        if out_at:
            self.rows.log(out_at, op, "visit.checkout", "visit", vid, serial=serial)
        return vid

    def letter(self, rng: random.Random, day: date, t: datetime, staff: list[int]) -> None:
        lid = self.next_id("letter")
        op = rng.choice(staff[:2])
        kind, org, subject, dept_name = rng.choice(LETTER_SUBJECTS)
        channel = _pick(rng, {"邮寄": 30, "快递": 20, "当面递交": 30, "电子邮件": 15, "传真": 3, "其他": 2})
        person = None if org else rng.choice(self.people)
        local = _local(t)
        self.receipts[local.year] += 1
        receipt = f"{local.year}-{self.receipts[local.year]:04d}"
        serial = self.rows.serial("LH", local.date())
        due = t + timedelta(hours=int(self.letter_hours.get(kind, 168)))
        routed = t + timedelta(hours=rng.randint(1, 24))
        replied = routed + timedelta(hours=rng.randint(4, 150))
        archived = replied + timedelta(days=rng.randint(1, 10))
        dept = self.depts[dept_name]
        if archived < self.end:
            status, version = "已归档", 4
        elif replied < self.end:
            status, version, archived = "已答复", 3, None
        elif routed < self.end:
            status, version, replied, archived = "办理中", 2, None, None
        else:
            status, version, routed, replied, archived = "待分办", 1, None, None, None
        self.rows.tables[Letter._meta.table_name].append(
            (
                lid,
                serial,
                receipt,
                t,
                channel,
                kind,
                person.name if person else "办公室",
                org,
                person.phone if person else "",
                "",
                person.id if person else None,
                subject,
                f"{subject}，请按期办理。",
                rng.randint(1, 6),
                "普通",
                op,
                dept if routed else None,
                rng.choice(HANDLERS) if routed else "",
                routed,
                due,
                status,
                replied,
                "书面回函" if replied else "",
                "已按来函要求处理并书面答复。" if replied else "",
                "周主管" if replied else "",
                archived,
                f"{rng.getrandbits(128):032x}",
                version,
                archived or replied or routed or t,
            )
        )
        self.rows.log(t, op, "letter.create", "letter", lid, serial=serial, receipt_no=receipt, type=kind)
        if routed:
            self.rows.log(routed, op, "letter.route", "letter", lid, department=dept_name)
        if replied:
            self.rows.log(replied, op, "letter.reply", "letter", lid, channel="书面回函")
        if archived:
            self.rows.log(archived, op, "letter.archive", "letter", lid)

    def incident(
        self, rng: random.Random, t: datetime, staff: list[int], calls: list[int], visits: list[int]
    ) -> None:
        iid = self.next_id("incident")
        kind = _pick(rng, {"安全隐患": 60, "拒绝接待": 25, "报警": 15})
        op = rng.choice(staff)
        visit = rng.choice(visits) if visits and kind != "安全隐患" and rng.random() < 0.6 else None
        call = rng.choice(calls) if calls and visit is None and rng.random() < 0.4 else None
        police = f"J{rng.randint(10**9, 10**10 - 1)}" if kind == "报警" else ""
        self.rows.tables[Incident._meta.table_name].append(
            (
                iid,
                kind,
                call,
                visit,
                t,
                _fill(rng, rng.choice(INCIDENT_TEXT[kind])),
                self.depts["保安部"],
                "吴班长",
                t + timedelta(minutes=3),
                police,
                "张警官" if police else "",
                op,
                t + timedelta(minutes=5),
            )
        )
        self.rows.log(t + timedelta(minutes=5), op, "incident.create", "incident", iid, kind=kind)

    def appointments_ahead(self, rng: random.Random, staff: list[int]) -> None:
        for hours in (1, 2, 3, 5, 20):
            aid = self.next_id("appointment")
            t = self.end + timedelta(hours=hours)
            person = rng.choice(self.people)
            self.rows.tables[Appointment._meta.table_name].append(
                (
                    aid,
                    demo._name(rng),
                    demo._phone(rng),
                    1,
                    t,
                    person.id,
                    "",
                    "探亲访友",
                    "业主电话预约",
                    "待到访",
                    staff[0],
                    self.end - timedelta(hours=2),
                    self.end - timedelta(hours=2),
                )
            )
            self.rows.log(
                self.end - timedelta(hours=2),
                staff[0],
                "appointment.create",
                "appointment",
                aid,
                expected_at=t,
                phone="",
            )

    def case(self, rng: random.Random, day: date, c: dict) -> None:
        case_id = self.next_id("case")
        now, op = c["now"], c["op"]
        serial = self.rows.serial("GD", _local(now).date())
        category, person = c["category"], c["person"]
        received = c["received_at"]
        reply_due = received + timedelta(hours=self.reply_hours(category))
        resolve_due = received + timedelta(
            hours=max(self.resolve_hours(category), self.reply_hours(category))
        )
        place = short_room(person.building, person.unit, person.room) if person else c["location"]
        events = self.rows.tables[CaseEvent._meta.table_name]
        events.append(
            (
                case_id,
                now,
                op,
                "受理",
                "",
                "待派单",
                None,
                "",
                f"来源：{'来电' if c['source_kind'] == 'call' else '来访'}",
            )
        )
        status, version = "待派单", 1
        dept, handler = c["dept"], c["handler"] or rng.choice(HANDLERS)
        if dept is not None:
            events.append((case_id, now, op, "派单", "待派单", "已派单", dept, handler, ""))
            status = "已派单"
        self.rows.log(
            now,
            op,
            "case.create",
            "case",
            case_id,
            serial=serial,
            source=c["source_kind"],
            source_id=c["source_id"],
            status=status,
        )
        replied_at = closed_at = None
        reply_text = close_note = ""
        sup = self.supervisor_id
        late = rng.random() < 0.08
        steps = [
            ("派单", "待派单", "已派单", now + timedelta(minutes=rng.randint(5, 60)), dept is None),
            ("接单", "已派单", "处理中", now + timedelta(minutes=rng.randint(10, 120)), True),
            (
                "答复",
                "处理中",
                "已答复",
                reply_due + timedelta(hours=rng.randint(1, 6))
                if late
                else now + timedelta(hours=rng.uniform(1, 20)),
                True,
            ),
            ("处理完成", "已答复", "待回访", None, True),
            ("回访", "待回访", "待回访", None, True),
            ("关闭", "待回访", "已关闭", None, True),
        ]
        at = now
        for action, frm, to, when, wanted in steps:
            if not wanted:
                continue
            if when is None:
                when = at + timedelta(hours=rng.uniform(2, 40))
            if when >= self.end:
                break
            at = when
            if action == "回访":
                result = _pick(rng, {"满意": 72, "基本满意": 22, "联系不上": 6})
                self.rows.tables[ReturnVisit._meta.table_name].append((case_id, at, sup, result, ""))
                self.rows.log(at, sup, "case.回访", "case", case_id, result=result)
                continue
            note = ""
            if action == "派单":
                dept = self.depts["客服中心"]
            if action == "答复":
                replied_at, reply_text = at, "已安排处理并告知业户处理时间。"
            if action == "处理完成":
                note = "已处理完毕。"
            if action == "关闭":
                closed_at = at
            events.append(
                (
                    case_id,
                    at,
                    sup,
                    action,
                    frm,
                    to,
                    dept if action == "派单" else None,
                    handler if action in ("派单", "接单") else "",
                    note,
                )
            )
            self.rows.log(at, sup, f"case.{action}", "case", case_id, status=[frm, to])
            status, version = to, version + 1
        escalation = 1 if status in ("待派单", "已派单", "处理中") and reply_due < self.end else 0
        utility = agency = ""
        if category == "市政设施":
            utility = rng.choice(["供水", "供电", "燃气", "道路", "通讯"])
            agency = {"供水": "市自来水公司", "供电": "供电公司", "燃气": "燃气公司"}.get(
                utility, "市政服务热线"
            )
            self.rows.tables[LiaisonEntry._meta.table_name].append(
                (case_id, now + timedelta(minutes=20), op, agency, "服务热线", "已受理，正在安排抢修")
            )
        self.rows.tables[Case._meta.table_name].append(
            (
                case_id,
                serial,
                c["source_kind"],
                c["source_id"],
                category,
                person.id if person else None,
                c["location"],
                c["description"],
                op,
                dept,
                handler,
                status,
                received,
                reply_due,
                closed_at,
                version,
                at,
                person.building if person else "",
                place,
                resolve_due,
                replied_at,
                reply_text,
                close_note,
                escalation,
                utility,
                agency,
            )
        )


def _insert(con, model: type, rows: list[tuple]) -> None:
    columns = COLUMNS[model]
    sql = 'INSERT INTO "{}" ({}) VALUES ({})'.format(
        model._meta.table_name, ", ".join(f'"{c}"' for c in columns), ", ".join("?" * len(columns))
    )
    con.executemany(sql, rows)


def _defaults(model: type) -> tuple[tuple[str, object], ...]:
    """NOT NULL columns a COLUMNS tuple leaves out get the model's default ('' / 0 / 1; a callable
    default is called, as peewee does: the desk name, '' for this single-desk site)."""
    written = set(COLUMNS[model])
    out = []
    for f in model._meta.sorted_fields:
        if f.column_name not in written and not f.null and f.default is not None:
            out.append((f.column_name, f.default() if callable(f.default) else f.default))
    return tuple(out)


def _write(con, b: Builder) -> dict[str, int]:
    counts: dict[str, int] = {}
    order = [
        Resident,
        Shift,
        Call,
        Message,
        Callback,
        Appointment,
        Visit,
        Letter,
        Incident,
        Case,
        CaseEvent,
        ReturnVisit,
        LiaisonEntry,
    ]
    for model in order:
        rows = b.rows.tables.get(model._meta.table_name, [])
        if model in (CaseEvent, ReturnVisit, LiaisonEntry):
            rows.sort(key=lambda r: r[1])  # history lines in time order
        extra = _defaults(model)
        if extra:
            rows = [(*r, *(v for _, v in extra)) for r in rows]
            COLUMNS[model] = (*COLUMNS[model], *(c for c, _ in extra))
        _insert(con, model, rows)
        counts[model._meta.table_name] = len(rows)
    counter_rows = [(k, d, n) for (k, d), n in sorted(b.rows.counters.items())]
    counter_rows += [("SW", str(year), n) for year, n in sorted(b.receipts.items())]
    con.executemany(
        'INSERT OR REPLACE INTO "serial_counter" ("kind", "day", "last") VALUES (?, ?, ?)', counter_rows
    )
    counts["serial_counter"] = len(counter_rows)
    # The audit log: time order, chained as reception.store.audit.record chains it.
    b.rows.audit.sort(key=lambda e: (e[0], e[1]))
    last_id, prev = b.audit_start
    batch = []
    for at, _seq, op, action, entity, eid, detail in b.rows.audit:
        payload = json.dumps(
            [prev, at.isoformat(sep=" "), op, action, entity, eid, detail],
            ensure_ascii=False,
            separators=(",", ":"),
        )
        digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()
        last_id += 1
        batch.append((last_id, at, op, action, entity, eid, detail, prev, digest))
        prev = digest
    con.executemany(
        'INSERT INTO "audit_log" ("id", "at", "operator_id", "action", "entity", "entity_id", "detail", '
        '"prev_hash", "hash") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        batch,
    )
    counts["audit_log"] = len(batch)
    return counts


def build(path: Path, size: str = "full", log=print) -> dict:
    """Build the database at ``path`` (replacing it). Returns counts and timings."""
    started = time.perf_counter()
    tmp = path.with_name(path.name + ".building")
    for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        p.unlink(missing_ok=True)
    tmp.parent.mkdir(parents=True, exist_ok=True)
    database = db.open_database(tmp)
    migrate(database)
    b = Builder(size)
    b.setup()
    con = database.connection()
    # Throwaway build step only: no journal, no fsync, a big cache. Restored below.
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA foreign_keys=OFF")
    con.execute("PRAGMA cache_size=-500000")
    con.execute("PRAGMA secure_delete=OFF")
    b.residents()
    b.run()
    generated = time.perf_counter()
    log(f"  generated rows in {generated - started:.1f} s; writing…")
    con.execute("BEGIN")
    counts = _write(con, b)
    con.execute("COMMIT")
    written = time.perf_counter()
    violations = con.execute("PRAGMA foreign_key_check").fetchmany(5)
    if violations:
        raise RuntimeError(f"foreign key violations in the built database: {violations}")
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    db.close_database()
    tmp.replace(path)
    total = time.perf_counter() - started
    counts_all = {k: v for k, v in sorted(counts.items())}
    records = sum(counts_all.values())
    log(
        f"  wrote {records:,} rows in {written - generated:.1f} s; total build {total:.1f} s; "
        f"{path.stat().st_size / 1e6:.0f} MB"
    )
    return {
        "path": str(path),
        "size": size,
        "schema_version": LATEST,
        "seed": SEED,
        "rows": counts_all,
        "records": records,
        "build_s": round(total, 1),
        "file_mb": round(path.stat().st_size / 1e6, 1),
    }


def ensure(size: str = "full", *, force: bool = False, log=print) -> dict:
    """The cached database for ``size`` (built if missing, or if the schema version changed:
    the version is part of the file name). Returns build info (``build_s`` None when cached)."""
    path = cache_path(size)
    meta = path.with_suffix(".json")
    if path.exists() and meta.exists() and not force:
        info = json.loads(meta.read_text(encoding="utf-8"))
        info["cached"] = True
        return info
    for old in CACHE_DIR.glob(f"ten-years-v*-{size}.*"):
        old.unlink()  # an older schema version's file
    log(f"building the {size} ten-year database (schema v{LATEST}) at {path} …")
    info = build(path, size, log)
    meta.write_text(json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8")
    info["cached"] = False
    return info


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="full")
    parser.add_argument("--force", action="store_true", help="rebuild even if cached")
    args = parser.parse_args()
    info = ensure(args.size, force=args.force)
    print(json.dumps(info, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
