"""The visitor desk service: business visits, guests, consent, appointments, watch list,
check-out by pass number, incidents, privacy of ID numbers."""

from __future__ import annotations

from datetime import date
from datetime import timedelta

import pytest

from reception.errors import PermissionDenied
from reception.errors import ValidationError
from reception.services import incidents
from reception.services import residents
from reception.services import visits
from reception.services.visits import AppointmentInput
from reception.services.visits import BusinessVisitInput
from reception.services.visits import GuestInput
from reception.services.visits import WatchInput
from reception.store import audit
from reception.store.models import AuditLog
from reception.store.models import Case
from reception.store.models import Department
from reception.store.models import Visit
from reception.store.models import WatchEntry

GOOD_ID = "11010519491231002X"
TODAY = date(2026, 11, 26)


@pytest.fixture
def host(admin):
    return residents.add_resident(
        admin, residents.ResidentInput("12栋", "3单元", "801", "欧阳娜娜", "业主", "13600001234")
    )


def guest(host, **kw) -> GuestInput:
    values = dict(
        visitor_name="王小明",
        visitor_phone="13900005678",
        id_number=GOOD_ID,
        id_verified=True,
        host_resident_id=host.id,
        purpose="探亲访友",
        consent=visits.AGREED,
    )
    values.update(kw)
    return GuestInput(**values)


def test_business_visit_goes_to_the_purposes_department(receptionist, host):
    visit = visits.register_business_visit(
        receptionist,
        BusinessVisitInput(
            purpose="二次装修", resident_id=host.id, handled="已发放装修申请表，约工程部明日审图"
        ),
    )
    assert (visit.serial, visit.kind, visit.status) == ("LF20261126-001", "business", visits.DONE)
    assert visit.department.name == "工程部" and visit.destination == "12栋3单元801"
    dept, guidance = visits.purpose_guidance("交费")
    assert dept == "财务部" and guidance


def test_business_complaint_opens_a_case_for_the_first_receiver(receptionist, host):
    visit = visits.register_business_visit(
        receptionist,
        BusinessVisitInput(
            purpose="投诉", resident_id=host.id, handled="反映电梯经常停运", taken_over_by="周主管"
        ),
    )
    case = Case.get((Case.source_kind == "visit") & (Case.source_id == visit.id))
    assert case.first_receiver_id == receptionist.operator.id and case.department.name == "品质管理部"


def test_guest_with_consent_is_on_site_with_masked_id_and_a_pass(receptionist, host, clock):
    visit = visits.register_guest(receptionist, guest(host, plate="沪a·d12345", party_size=2))
    assert visit.status == visits.ON_SITE and visit.consent == visits.AGREED
    assert visit.id_masked == "**************002X" and visit.id_full is None
    assert GOOD_ID not in (visit.id_hash or "") and len(visit.id_hash) == 64
    assert visit.plate == "沪AD12345" and visit.badge_destination == "12栋3单元"
    assert visit.valid_until == clock.now() + timedelta(hours=4)
    assert visits.count_on_site(clock.now()) == (1, 0)
    clock.advance(hours=5)
    assert visits.count_on_site(clock.now()) == (1, 1)
    assert visits.is_expired(Visit.get_by_id(visit.id), clock.now())


@pytest.mark.parametrize("answer", [visits.REFUSED, visits.UNREACHABLE])
def test_refused_or_unreachable_host_ends_the_visit_without_a_pass(receptionist, host, answer):
    visit = visits.register_guest(receptionist, guest(host, consent=answer))
    assert visit.status == visits.NOT_ADMITTED and visit.valid_until is None
    with pytest.raises(visits.CheckoutError, match="未放行"):
        visits.checkout_by_pass(receptionist, visit.serial)


def test_walk_in_needs_the_hosts_answer_and_a_checked_id(receptionist, host):
    with pytest.raises(ValidationError) as err:
        visits.register_guest(
            receptionist,
            guest(host, consent="", id_verified=False, id_number="110105194912310021", plate="沪I12345"),
        )
    assert set(err.value.fields) == {"consent", "id_verified", "id_number", "plate"}
    assert "校验位" in err.value.fields["id_number"]
    assert Visit.select().count() == 0


def test_appointment_is_matched_on_arrival_and_no_shows_marked(receptionist, host, clock):
    appt = visits.book_appointment(
        receptionist,
        AppointmentInput(
            visitor_name="王小明",
            visitor_phone="139 0000 5678",
            expected_at=clock.now() + timedelta(hours=2),
            host_resident_id=host.id,
            purpose="送装修材料",
            booked_by="欧阳娜娜",
        ),
    )
    other = visits.book_appointment(
        receptionist,
        AppointmentInput(
            visitor_name="赵六",
            expected_at=clock.now() + timedelta(hours=3),
            staff_host="工程部 刘工",
            purpose="面试",
        ),
    )
    assert [a.id for a in visits.appointments_for_day(TODAY)] == [appt.id, other.id]
    check = visits.check_guest(GuestInput(visitor_name="王小明", visitor_phone="13900005678"), TODAY)
    assert check.appointment is not None and check.appointment.id == appt.id and check.watch == []
    visit = visits.register_guest(receptionist, guest(host, consent="", appointment_id=appt.id))
    assert (
        visit.consent == visits.BOOKED and visit.status == visits.ON_SITE and visit.appointment_id == appt.id
    )
    assert visits.mark_no_shows(receptionist, TODAY) == 1
    statuses = {a.visitor_name: a.status for a in visits.appointments_for_day(TODAY)}
    assert statuses == {"王小明": visits.ARRIVED, "赵六": visits.NO_SHOW}


def test_scan_checks_out_once_and_unknown_passes_are_explained(receptionist, host, clock):
    visit = visits.register_guest(receptionist, guest(host))
    clock.advance(minutes=40)
    left = visits.checkout_by_pass(receptionist, f" {visit.serial.lower()} ")
    assert left.status == visits.LEFT and left.checked_out_at == clock.now()
    with pytest.raises(visits.CheckoutError, match=r"已于 .* 登记离开"):
        visits.checkout_by_pass(receptionist, visit.serial)
    with pytest.raises(visits.CheckoutError, match="未找到访客证"):
        visits.checkout_by_pass(receptionist, "LF20990101-999")
    assert [e.action for e in audit.history("visit", visit.id)] == ["visit.create", "visit.checkout"]


def test_watch_list_match_needs_a_supervisor_decision(receptionist, supervisor, host):
    with pytest.raises(PermissionDenied):
        visits.add_watch_entry(
            receptionist, WatchInput(name="王小明", id_number=GOOD_ID, reason="曾冒充维修人员")
        )
    visits.add_watch_entry(supervisor, WatchInput(name="王某", id_number=GOOD_ID, reason="曾冒充维修人员"))
    assert len(visits.check_guest(guest(host), TODAY).watch) == 1
    with pytest.raises(visits.WatchListHit, match="关注名单"):
        visits.register_guest(receptionist, guest(host))
    with pytest.raises(ValidationError, match="主管"):
        visits.register_guest(
            receptionist,
            guest(host, watch_decision=visits.ADMIT, watch_decided_by_id=receptionist.operator.id),
        )
    denied = visits.register_guest(
        receptionist, guest(host, watch_decision=visits.DENY, watch_decided_by_id=supervisor.operator.id)
    )
    assert denied.status == visits.NOT_ADMITTED and denied.watch_hit
    admitted = visits.register_guest(
        receptionist, guest(host, watch_decision=visits.ADMIT, watch_decided_by_id=supervisor.operator.id)
    )
    assert admitted.status == visits.ON_SITE and admitted.watch_decided_by_id == supervisor.operator.id


def test_the_full_id_is_never_stored_by_default_nor_logged(receptionist, host):
    visits.register_guest(receptionist, guest(host))
    assert not any(
        GOOD_ID in (e.detail or "") or "13900005678" in (e.detail or "") for e in AuditLog.select()
    )
    assert Visit.get().id_full is None


def test_full_id_when_required_is_revealed_only_to_supervisors_with_a_reason(
    admin, receptionist, supervisor, host
):
    from reception.services import settings
    from reception.store import db

    with db.write():
        settings.put("store_full_id", True)
    visit = visits.register_guest(receptionist, guest(host))
    assert visit.id_full == GOOD_ID
    with pytest.raises(PermissionDenied):
        visits.reveal_id(receptionist, visit.id, "核查")
    with pytest.raises(ValidationError):
        visits.reveal_id(supervisor, visit.id, " ")
    assert visits.reveal_id(supervisor, visit.id, "派出所协查") == GOOD_ID
    assert audit.history("visit", visit.id)[-1].action == "visit.reveal_id"


def test_repeated_submit_saves_one_guest(receptionist, host):
    data = guest(host, client_token="t-1")
    ids = {visits.register_guest(receptionist, data).id for _ in range(5)}
    assert len(ids) == 1 and Visit.select().count() == 1


def test_not_checked_out_lists_the_days_leftovers(receptionist, host, clock):
    first = visits.register_guest(receptionist, guest(host))
    visits.register_guest(receptionist, guest(host, visitor_name="李雷"))
    visits.checkout(receptionist, first.id)
    assert [v.visitor_name for v in visits.not_checked_out(TODAY)] == ["李雷"]


def test_incidents_record_who_was_told(receptionist, host, clock):
    visit = visits.register_guest(receptionist, guest(host))
    security = Department.get(Department.name == "保安部")
    with pytest.raises(ValidationError, match="保安部门"):
        incidents.record_incident(
            receptionist, incidents.IncidentInput(kind=incidents.HAZARD, description="可疑")
        )
    hazard = incidents.record_incident(
        receptionist,
        incidents.IncidentInput(
            kind=incidents.HAZARD,
            description="访客携带管制刀具",
            visit_id=visit.id,
            reported_to_department_id=security.id,
            reported_to_person="吴班长",
            reported_at=clock.now(),
        ),
    )
    police = incidents.record_incident(
        receptionist,
        incidents.IncidentInput(
            kind=incidents.POLICE,
            description="访客与保安发生冲突",
            visit_id=visit.id,
            reported_at=clock.now(),
            police_case_no="J20261126001",
            officer="张警官",
        ),
    )
    assert {i.id for i in incidents.list_incidents()} == {police.id, hazard.id}
    assert police.police_case_no == "J20261126001" and police.visit_id == visit.id
    assert hazard.reported_to.name == "保安部"


def test_visit_list_filters(receptionist, host):
    visits.register_guest(receptionist, guest(host))
    visits.register_business_visit(
        receptionist, BusinessVisitInput(purpose="交费", resident_id=host.id, handled="缴纳物业费")
    )
    assert visits.count_visits(visits.VisitFilter()) == 2
    assert visits.count_visits(visits.VisitFilter(kind=visits.GUEST)) == 1
    assert [v.visitor_name for v in visits.list_visits(visits.VisitFilter(search="小明"))] == ["王小明"]
    assert visits.count_visits(visits.VisitFilter(date_from=TODAY + timedelta(days=1))) == 0


def test_checkout_after_the_clock_went_back_is_never_before_the_arrival(receptionist, host, clock, caplog):
    visit = visits.register_guest(receptionist, guest(host))
    arrived = Visit.get_by_id(visit.id).arrived_at
    clock.set(arrived - timedelta(minutes=47))  # the PC's clock was set back
    with caplog.at_level("WARNING", logger="reception.services.visits"):
        left = visits.checkout(receptionist, visit.id)
    assert left.status == visits.LEFT
    assert left.checked_out_at == arrived
    assert Visit.get_by_id(visit.id).checked_out_at >= Visit.get_by_id(visit.id).arrived_at
    [record] = [r for r in caplog.records if r.name == "reception.services.visits"]
    message = record.getMessage()
    assert record.levelname == "WARNING" and "2820 s" in message
    for personal in ("王小明", "13900005678", GOOD_ID, GOOD_ID[-4:], "欧阳"):
        assert personal not in message


def test_checkout_with_a_right_clock_keeps_its_own_time(receptionist, host, clock, caplog):
    visit = visits.register_guest(receptionist, guest(host))
    clock.advance(minutes=30)
    with caplog.at_level("WARNING", logger="reception.services.visits"):
        left = visits.checkout_by_pass(receptionist, visit.serial)
    assert left.checked_out_at == clock.now()
    assert not [r for r in caplog.records if r.name == "reception.services.visits"]


def test_a_watch_entry_awaiting_its_number_matches_by_name_until_entered_again(supervisor):
    entry = visits.add_watch_entry(
        supervisor,
        visits.WatchInput(name="钱某", id_number="11010519491231002X", phone="13911112222", reason="测试"),
    )
    WatchEntry.update(id_hash="", id_recheck=True).where(
        WatchEntry.id == entry.id
    ).execute()  # as migration 10
    assert [e.id for e in visits.watch_matches("钱某", "", "", "")] == [entry.id]
    visits.reenter_watch_id(supervisor, entry.id, "居民身份证", "11010519491231002X")
    assert visits.watch_matches("钱某", "", "", "") == []
    assert [e.id for e in visits.watch_matches("", "居民身份证", "11010519491231002X", "")] == [entry.id]
    assert AuditLog.select().where(AuditLog.action == "watch.reenter_id").count() == 1


def test_where_the_id_number_came_from_is_recorded_and_typed_ones_say_nothing(receptionist, host):
    from reception.services.visits import GuestInput
    from reception.services.visits import register_guest

    def guest(source: str, number: str) -> GuestInput:
        return GuestInput(
            visitor_name="赵六",
            id_number=number,
            id_verified=True,
            host_resident_id=host.id,
            purpose="探亲访友",
            consent="同意",
            id_source=source,
        )

    assert register_guest(receptionist, guest("reader", "11010519491231002X")).id_source == "reader"
    assert register_guest(receptionist, guest("", "11010519491231002X")).id_source == ""
    assert register_guest(receptionist, guest("made-up", "11010519491231002X")).id_source == ""
