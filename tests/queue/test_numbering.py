"""Numbering and calling rules of the queue engine."""
import json
from datetime import UTC, datetime, timedelta

import pytest

from kiosk.extensions import db
from kiosk.queue import services as q
from kiosk.queue.models import Desk, Service, Ticket
from kiosk.queue.queries import people_ahead


def _service(site, code):
    return db.session.execute(db.select(Service).filter_by(site_id=site.id, code=code)).scalar_one()


def _desk(site, number):
    return db.session.execute(db.select(Desk).filter_by(site_id=site.id, number=number)).scalar_one()


def test_numbers_are_per_service_with_prefix_and_restart_each_local_day(site):
    vneid, payment = _service(site, "vneid"), _service(site, "payment")
    # 16:59 UTC = 23:59 in Hà Nội; 17:01 UTC is already the next local day.
    evening = datetime(2026, 3, 9, 16, 59, tzinfo=UTC)
    labels = [q.issue_ticket(site, vneid, now=evening).label for _ in range(3)]
    labels.append(q.issue_ticket(site, payment, now=evening).label)
    next_day = q.issue_ticket(site, vneid, now=evening + timedelta(minutes=2))
    assert labels == ["A001", "A002", "A003", "E001"]
    assert next_day.label == "A001" and next_day.day.isoformat() == "2026-03-10"


def test_closed_and_capped_issue_nothing_and_leave_no_gap(app, site):
    vneid = _service(site, "vneid")
    monday_8am_local = datetime(2026, 3, 9, 1, 0, tzinfo=UTC)
    site.opening_hours = json.dumps({"0": [["07:30", "11:30"]]})
    assert q.issue_ticket(site, vneid, now=monday_8am_local).label == "A001"
    with pytest.raises(q.QueueError) as closed:
        q.issue_ticket(site, vneid, now=monday_8am_local + timedelta(hours=5))
    assert closed.value.code == "closed"
    vneid.daily_cap = 2
    db.session.commit()
    assert q.issue_ticket(site, vneid, now=monday_8am_local).label == "A002"
    db.session.commit()
    with pytest.raises(q.QueueError) as capped:
        q.issue_ticket(site, vneid, now=monday_8am_local)
    assert capped.value.code == "capped"
    db.session.rollback()
    vneid = _service(site, "vneid")
    vneid.daily_cap = 3
    assert q.issue_ticket(site, vneid, now=monday_8am_local).label == "A003"  # no gap


def test_a_thousandth_number_keeps_all_its_digits_in_the_row_and_the_answer(site):
    from kiosk.queue.models import TicketCounter

    vneid = _service(site, "vneid")
    morning = datetime(2026, 3, 9, 2, 0, tzinfo=UTC)
    db.session.add(TicketCounter(site_id=site.id, service_id=vneid.id,
                                 day=morning.date(), last_number=998))
    db.session.commit()
    issued = [q.issue_ticket(site, vneid, now=morning) for _ in range(2)]
    db.session.commit()
    assert [t.label for t in issued] == ["A999", "A1000"]
    db.session.expire_all()  # the row as stored (PostgreSQL writes the label in SQL)
    assert [db.session.get(Ticket, t.id).label for t in issued] == ["A999", "A1000"]
    assert db.session.get(Ticket, issued[1].id).number == 1000


def test_strict_policy_calls_priority_first(site):
    vneid = _service(site, "vneid")
    normal = q.issue_ticket(site, vneid)
    prio = q.issue_ticket(site, vneid, priority=True)
    desk = _desk(site, 1)
    assert q.call_next(desk).id == prio.id
    q.finish(prio)
    assert q.call_next(desk).id == normal.id


def test_interleave_policy_calls_one_priority_after_n_normal(site):
    site.priority_policy, site.interleave_n = "interleave", 2
    vneid = _service(site, "vneid")
    normals = [q.issue_ticket(site, vneid) for _ in range(4)]
    prios = [q.issue_ticket(site, vneid, priority=True) for _ in range(2)]
    desk = _desk(site, 1)
    order = []
    for _ in range(6):
        ticket = q.call_next(desk)
        order.append(ticket.label)
        q.finish(ticket)
    n, p = [t.label for t in normals], [t.label for t in prios]
    assert order == [n[0], n[1], p[0], n[2], n[3], p[1]]


@pytest.mark.parametrize("policy,kinds", [
    ("interleave", "NNNNPP"), ("interleave", "NPNNPN"), ("interleave", "PNNNNNPPN"),
    ("strict", "NPNNPN")])
def test_people_ahead_is_the_number_of_calls_before_each_ticket(site, policy, kinds):
    """The kiosk's "people ahead" replays the calling rule: under N:1 a normal ticket no longer
    counts the priority tickets that will be called after it."""
    site.priority_policy, site.interleave_n = policy, 2
    vneid = _service(site, "vneid")
    start = datetime.now(UTC) - timedelta(hours=1)
    tickets = [q.issue_ticket(site, vneid, priority=kind == "P", now=start + timedelta(minutes=i))
               for i, kind in enumerate(kinds)]
    promised = {t.id: people_ahead(t) for t in tickets}
    desk, called = _desk(site, 1), []
    for _ in tickets:
        ticket = q.call_next(desk)
        called.append(ticket.id)
        q.finish(ticket)
    assert promised == {ticket_id: position for position, ticket_id in enumerate(called)}
    if policy == "interleave" and kinds == "NNNNPP":
        assert promised[tickets[0].id] == 0 and promised[tickets[3].id] == 4  # one P fits in


def test_desk_only_calls_its_services_and_transfer_keeps_place(site):
    vneid, payment = _service(site, "vneid"), _service(site, "payment")
    desk1, desk2 = _desk(site, 1), _desk(site, 2)
    desk2.services = [payment]
    first = q.issue_ticket(site, vneid, now=datetime.now(UTC) - timedelta(minutes=10))
    later = q.issue_ticket(site, payment)
    assert q.call_next(desk2).id == later.id
    q.finish(later)
    called = q.call_next(desk1)
    assert called.id == first.id
    q.transfer(called, service=payment)
    assert called.status == "waiting" and called.label == "A001" and called.service_id == payment.id
    newer = q.issue_ticket(site, payment)
    assert q.call_next(desk2).id == first.id  # issued earlier: keeps its place
    assert newer.status == "waiting"


def test_states_timestamps_and_no_show_after_recalls(site):
    vneid = _service(site, "vneid")
    desk = _desk(site, 1)
    ticket = q.issue_ticket(site, vneid)
    assert q.call_next(desk).id == ticket.id and ticket.called_at is not None
    with pytest.raises(q.QueueError) as early:
        q.mark_no_show(ticket)
    assert early.value.code == "recall_first"
    q.recall(ticket)
    q.recall(ticket)
    q.mark_no_show(ticket)
    assert ticket.status == "no_show" and ticket.ended_at is not None
    second = q.issue_ticket(site, vneid)
    q.call_next(desk)
    q.start_serving(second)
    q.finish(second)
    assert second.called_at <= second.started_at <= second.ended_at
    kinds = [e.kind for e in db.session.execute(
        db.select(q.TicketEvent).where(q.TicketEvent.ticket_id == ticket.id)
        .order_by(q.TicketEvent.id)).scalars()]
    assert kinds == ["called", "recalled", "recalled", "no_show"]  # issued_at says "issued"


def test_paused_or_busy_desk_cannot_call(site):
    vneid = _service(site, "vneid")
    desk = _desk(site, 1)
    q.issue_ticket(site, vneid)
    q.issue_ticket(site, vneid)
    q.call_next(desk)
    with pytest.raises(q.QueueError) as busy:
        q.call_next(desk)
    assert busy.value.code == "busy"
    desk2 = _desk(site, 2)
    desk2.paused = True
    with pytest.raises(q.QueueError) as paused:
        q.call_next(desk2)
    assert paused.value.code == "paused"


def test_number_uniqueness_is_enforced_by_the_database(site):
    from sqlalchemy.exc import IntegrityError
    vneid = _service(site, "vneid")
    ticket = q.issue_ticket(site, vneid)
    db.session.commit()
    clone = Ticket(site_id=site.id, service_id=vneid.id, issued_service_id=vneid.id,
                   day=ticket.day, number=ticket.number, label="A001", token="other")
    db.session.add(clone)
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
