"""The list services (issue 16, issue 19): each returns its rows with the related names read in the
same query, phone numbers masked and ID numbers only in their masked form. A full number is a
separate, audited reveal (reception.services.privacy)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from reception.services import callbacks
from reception.services import calls
from reception.services import cases
from reception.services import letters
from reception.services import messages
from reception.services import residents
from reception.services import visits
from tests import mixed_traffic as traffic

FULL = ("13912345678", "13700001111", "13900005678", "13600001234", "13511112222", traffic.ID_NUMBER)


@contextmanager
def statements() -> Iterator[list[str]]:
    """The SQL statements run inside the block (peewee logs each at DEBUG)."""
    seen: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record.getMessage())

    log = logging.getLogger("peewee")
    handler, level = Collect(), log.level
    log.addHandler(handler)
    log.setLevel(logging.DEBUG)
    try:
        yield seen
    finally:
        log.removeHandler(handler)
        log.setLevel(level)


def _listed(read: Callable[[], list[object]]) -> tuple[list[object], int]:
    with statements() as seen:
        rows = read()
        text = repr(rows)  # every field of every row, as the widgets would read them
    assert text
    return rows, len(seen)


def test_each_list_is_one_query_with_the_names_and_masked_numbers(busy_day, receptionist, supervisor):
    visits.add_watch_entry(
        supervisor,
        visits.WatchInput(name="赵六", id_number=traffic.ID_NUMBER, phone="13511112222", reason="冒充快递员"),
    )
    lists: dict[str, Callable[[], list[object]]] = {
        "calls": lambda: list(calls.list_calls(calls.CallFilter())),
        "cases": lambda: list(cases.list_cases(cases.CaseFilter())),
        "escalated": lambda: list(cases.escalated_cases()),
        "letters": lambda: list(letters.list_letters(letters.LetterFilter())),
        "visits": lambda: list(visits.list_visits(visits.VisitFilter())),
        "callbacks": lambda: list(callbacks.list_callbacks()),
        "messages": lambda: list(messages.list_messages()),
        "watch list": lambda: list(visits.list_watch_entries()),
        "residents": lambda: list(residents.browse()),
    }
    for name, read in lists.items():
        rows, queries = _listed(read)
        assert queries == 1, name
        for full in FULL:
            assert full not in repr(rows), name

    [*_, first_call] = calls.list_calls(calls.CallFilter())
    assert first_call.operator_name == "李晓"
    callback = next(r for r in calls.list_calls(calls.CallFilter()) if r.caller_name == "孙先生")
    assert callback.caller_phone_masked.startswith("139") and "*" in callback.caller_phone_masked
    complaint = next(r for r in cases.list_cases(cases.CaseFilter()) if r.category == "投诉")
    assert complaint.first_receiver_name == "李晓" and complaint.department_name == "品质管理部"
    [callback_row] = callbacks.list_callbacks()
    assert callback_row.phone_masked == callback.caller_phone_masked
    [message] = messages.list_messages()
    assert message.target == "刘师傅" and "*" in message.callback_phone_masked
    [entry] = visits.list_watch_entries()
    assert entry.added_by_name == "赵敏" and "*" in entry.phone_masked and "*" in entry.id_masked
    guest = next(r for r in visits.list_visits(visits.VisitFilter(kind=visits.GUEST)))
    assert guest.operator_name == "李晓" and "*" in guest.visitor_phone_masked and "*" in guest.id_masked


def test_a_dispatched_call_carries_the_deadline_of_its_open_case(receptionist, clock):
    case = traffic.dispatched_complaint(receptionist, clock.now(), "电梯困人", "工程部", "刘工")
    [row] = calls.list_calls(calls.CallFilter())
    assert row.open_case_due == case.reply_due_at and row.department_name == "工程部"
    clock.advance(hours=30)
    assert row.open_case_due is not None and row.open_case_due < clock.now() - timedelta(hours=1)
