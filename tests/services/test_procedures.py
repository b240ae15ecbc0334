"""The procedures' remaining gaps in the core (issue 17, findings 15 and 17): greeting placeholders,
the closing line, the utility of a municipal case from a call."""

from __future__ import annotations

from datetime import timedelta

import pytest

from reception.errors import ValidationError
from reception.services import calls
from reception.services import cases
from reception.services import settings as settings_mod
from reception.services.calls import CallInput
from reception.services.calls import Outcome
from reception.store.models import AuditLog
from reception.store.models import Case
from reception.store.models import Department


def dept(name: str) -> int:
    return Department.get(Department.name == name).id


def test_the_greeting_names_the_operator_and_the_department(admin):
    settings_mod.update(
        admin,
        property_name="阳光花园物业",
        desk_phone="",
        greeting="您好，{物业名称}{部门}，我是{姓名}，请问有什么可以帮您？",
    )
    text = settings_mod.load().greeting_text("王芳")
    assert text == "您好，阳光花园物业客服中心，我是王芳，请问有什么可以帮您？"
    entry = AuditLog.select().where(AuditLog.action == "settings.update").order_by(AuditLog.id.desc()).get()
    assert "{姓名}" in entry.detail


@pytest.mark.parametrize("bad", ["您好，{名字}", "您好，｛工号｝"])
def test_an_unknown_placeholder_is_refused_beside_the_greeting(admin, bad):
    with pytest.raises(ValidationError) as err:
        settings_mod.update(admin, property_name="阳光花园物业", desk_phone="", greeting=bad)
    assert "无法替换" in err.value.fields["greeting"] and "{姓名}" in err.value.fields["greeting"]
    assert settings_mod.load().greeting == settings_mod.DEFAULT_GREETING


def test_the_closing_line_thanks_confirms_the_next_step_and_lets_the_caller_hang_up(receptionist, clock):
    base = CallInput(started_at=clock.now(), category="报修", content="水管漏水")
    dispatched = CallInput(
        **{**base.__dict__, "outcome": Outcome.DISPATCHED, "department_id": dept("工程部")}
    )
    assert (
        calls.preview_closing(dispatched)
        == "感谢您的来电！工程部会在 24 小时内给您答复，请保持电话畅通。请您先挂机，再见。"
    )
    callback = CallInput(
        **{**base.__dict__, "outcome": Outcome.CALLBACK, "callback_due_at": clock.now() + timedelta(hours=2)}
    )
    assert "前给您回电" in calls.preview_closing(callback)
    assert calls.preview_closing(CallInput(**{**base.__dict__, "outcome": Outcome.ANSWERED})).endswith(
        "请您先挂机，再见。"
    )


@pytest.mark.parametrize(
    ("content", "utility"),
    [("小区今天停水了", "供水"), ("燃气没气了", "燃气"), ("门口马路井盖坏了", "道路"), ("宽带断了", "通讯")],
)
def test_a_municipal_case_from_a_call_gets_its_utility(receptionist, clock, content, utility):
    result = calls.register_call(
        receptionist,
        CallInput(
            started_at=clock.now(),
            category="市政设施",
            content=content,
            outcome=Outcome.DISPATCHED,
            department_id=dept("客服中心"),
            taken_by="李主管",
        ),
    )
    assert result.case is not None and result.case.utility == utility


def test_a_municipal_call_names_its_utility_when_the_content_does_not(receptionist, clock):
    data = CallInput(
        started_at=clock.now(),
        category="市政设施",
        content="外面有问题",
        outcome=Outcome.DISPATCHED,
        department_id=dept("客服中心"),
        taken_by="李主管",
    )
    with pytest.raises(ValidationError) as err:
        calls.register_call(receptionist, data)
    assert "市政设施请选择类型" in err.value.fields["utility"]
    assert Case.select().count() == 0
    data.utility = "供电"
    assert calls.register_call(receptionist, data).case.utility == "供电"
    assert cases.guess_utility("外面有问题") == ""


# ---- 知识库: receptionists propose, a supervisor approves -----------------------------------------


def test_a_proposed_entry_waits_for_a_supervisor(receptionist, supervisor):
    from reception.errors import PermissionDenied
    from reception.services import knowledge

    data = knowledge.KnowledgeInput("快递代收规定", "前台可代收小件快递，保管 3 天。", "快递")
    entry = knowledge.propose(receptionist, data)
    assert entry.status == knowledge.PROPOSED and entry.proposed_by_id == receptionist.operator.id
    assert "快递代收规定" not in [e.title for e in knowledge.search("快递")]  # not offered yet
    assert [e.title for e in knowledge.search("快递", include_proposed=True)] == ["快递代收规定"]
    with pytest.raises(PermissionDenied):
        knowledge.approve(receptionist, entry.id, data)
    with pytest.raises(ValidationError) as err:  # a duplicate title is refused beside the field
        knowledge.propose(receptionist, knowledge.KnowledgeInput("快递代收规定", "x"))
    assert "同名" in err.value.fields["title"]

    corrected = knowledge.KnowledgeInput(
        "快递代收规定", "前台可代收小件快递，保管 3 天，凭短信取件。", "快递"
    )
    approved = knowledge.approve(supervisor, entry.id, corrected)
    assert approved.status == knowledge.APPROVED and "凭短信取件" in approved.body
    assert [e.title for e in knowledge.search("快递")] == ["快递代收规定"]
    actions = [a.action for a in AuditLog.select().order_by(AuditLog.id) if a.action.startswith("knowledge.")]
    assert actions[-2:] == ["knowledge.propose", "knowledge.approve"]
    assert '"corrected": true' in AuditLog.select().order_by(AuditLog.id.desc()).get().detail


def test_a_rejected_proposal_is_kept_but_never_offered_and_frees_its_title(receptionist, supervisor):
    from reception.errors import ConflictError
    from reception.services import knowledge

    entry = knowledge.propose(receptionist, knowledge.KnowledgeInput("停车收费", "每小时 5 元"))
    knowledge.reject(supervisor, entry.id)
    assert knowledge.search("停车", include_proposed=True) == []
    with pytest.raises(ConflictError):
        knowledge.approve(supervisor, entry.id, knowledge.KnowledgeInput("停车收费", "每小时 5 元"))
    assert AuditLog.select().where(AuditLog.action == "knowledge.reject").count() == 1
    knowledge.propose(receptionist, knowledge.KnowledgeInput("停车收费", "首小时免费"))  # title free again


# ---- 业户办事: a follow-up with a due time, tracked until done (finding 15) ----------------------


def test_a_business_visit_promises_a_follow_up_tracked_until_done(receptionist, clock, admin):
    from reception.documents.handover_report import row_state
    from reception.services import handover
    from reception.services import residents
    from reception.services import visits
    from reception.store.models import Visit

    wang = residents.add_resident(
        admin, residents.ResidentInput("3", "2", "1201", "王芳", "业主", "13800138000")
    )
    hours = settings_mod.load().follow_up_hours_for("二次装修")
    assert hours == 72 and settings_mod.load().follow_up_hours_for("交费") == 0
    data = visits.BusinessVisitInput(
        purpose="二次装修", resident_id=wang.id, handled="收下装修方案，交工程部审核", follow_up_hours=hours
    )
    said = visits.preview_business_readback(data, clock.now())
    assert said.startswith("王芳办理二次装修，已引导至工程部；我们会在")
    assert said.endswith("前跟进并给您答复。")
    visit = visits.register_business_visit(receptionist, data)
    assert visit.follow_up_due_at == clock.now() + timedelta(hours=72)
    assert [v.id for v in visits.follow_ups()] == [visit.id]

    clock.set(clock.now() + timedelta(hours=73))
    table = handover.for_day(clock.today(), clock.now()).section("业户办事待跟进")
    assert table.rows[0][0] == visit.serial and table.rows[0][-1] == "已逾期"
    assert row_state(table.rows[0]) == "overdue"  # printed red like other overdue items

    with pytest.raises(ValidationError):
        visits.complete_follow_up(receptionist, visit.id, "")
    done = visits.complete_follow_up(receptionist, visit.id, "工程部已审批，电话告知业主")
    assert done.follow_up_done_at == clock.now() and "【跟进" in done.handled
    assert visits.follow_ups() == []
    assert '"late": true' in AuditLog.select().where(AuditLog.action == "visit.follow_up").get().detail
    assert Visit.get_by_id(visit.id).version == visit.version + 1


def test_no_follow_up_when_done_on_the_spot_and_a_complaint_keeps_its_case(receptionist, clock):
    from reception.services import visits

    paid = visits.register_business_visit(
        receptionist, visits.BusinessVisitInput(purpose="交费", visitor_name="李雷", handled="已交物业费")
    )
    assert paid.follow_up_due_at is None
    complaint = visits.register_business_visit(
        receptionist,
        visits.BusinessVisitInput(
            purpose="投诉",
            visitor_name="李雷",
            handled="噪音",
            department_id=dept("品质管理部"),
            follow_up_hours=24,
        ),
    )
    assert complaint.follow_up_due_at is None and cases.for_source("visit", complaint.id)
    with pytest.raises(ValidationError) as err:
        visits.register_business_visit(
            receptionist,
            visits.BusinessVisitInput(purpose="咨询", visitor_name="李雷", handled="问", follow_up_hours=999),
        )
    assert "跟进时限" in err.value.fields["follow_up"]


def test_rental_guidance_follows_the_procedures():
    _dept, text = (
        settings_mod.DEFAULT_VISIT_PURPOSES["租房"]["department"],
        settings_mod.DEFAULT_VISIT_PURPOSES["租房"]["guidance"],
    )
    assert "讲解楼盘" in text and "看楼" in text


def test_procedure_settings_are_checked_beside_each_field_and_audited(admin, receptionist):
    from reception.errors import PermissionDenied

    good = dict(
        guidance={"咨询": "先查知识库；不能当场答复的约定回复时间。"},
        follow_up_hours={"咨询": 8, "交费": 0},
        resolve_hours={"投诉": 48},
        letter_reply_hours={"咨询": 72},
        desk_department="客户服务中心",
    )
    with pytest.raises(PermissionDenied):
        settings_mod.update_procedures(receptionist, **good)
    conf = settings_mod.update_procedures(admin, **good)
    assert conf.visit_purposes["咨询"]["guidance"].startswith("先查知识库")
    assert conf.visit_purposes["咨询"]["department"] == "客服中心"  # the rest of the purpose kept
    assert conf.follow_up_hours_for("咨询") == 8 and conf.resolve_hours_for("投诉") == 48
    assert conf.letter_reply_hours_for("咨询") == 72 and conf.greeting_text().find("{部门}") == -1
    entry = AuditLog.select().where(AuditLog.action == "settings.update").order_by(AuditLog.id.desc()).get()
    assert "resolve_hours" in entry.detail and "visit_follow_up_hours" in entry.detail

    with pytest.raises(ValidationError) as err:
        settings_mod.update_procedures(
            admin,
            guidance={"咨询": ""},
            follow_up_hours={"咨询": 721},
            resolve_hours={"投诉": 0},
            letter_reply_hours={"未知": 5},
            desk_department="",
        )
    assert set(err.value.fields) == {
        "guidance.咨询",
        "follow_up.咨询",
        "resolve.投诉",
        "letter.未知",
        "desk_department",
    }
    assert settings_mod.load().resolve_hours_for("投诉") == 48  # nothing half-written
