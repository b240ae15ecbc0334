"""The procedures' remaining gaps in the core (issue 17, findings 15 and 17): greeting placeholders,
the closing line, the utility of a municipal case from a call."""

from __future__ import annotations

from datetime import timedelta

import pytest

from reception.errors import ValidationError
from reception.services import calls, cases
from reception.services import settings as settings_mod
from reception.services.calls import CallInput, Outcome
from reception.store.models import AuditLog, Case, Department


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


def test_the_closing_line_thanks_confirms_the_next_step_and_lets_the_caller_hang_up(clock):
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
