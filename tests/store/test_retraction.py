"""Corrections are new events: a retraction names a live event of its own stream, once."""

from __future__ import annotations

import pytest

from store.log import EventStore, NewEvent, StreamRuleError
from tests.factories import fact
from tests.store.helpers import count


def retraction(event, reason: str = "填错了") -> NewEvent:
    return NewEvent("EventRetracted", event.stream, {"retracted_event_id": event.event_id, "reason": reason})


@pytest.fixture
def two_reports(planned: EventStore):
    a = planned.append(fact(1, "ProgressReported", {"percent": 10}, "2022-04-01"))
    b = planned.append(fact(1, "ProgressReported", {"percent": 20}, "2022-04-08"))
    return planned, a, b


def test_retract_keeps_both_events_in_the_log(two_reports) -> None:
    store, a, _ = two_reports
    fix = store.retract(a.event_id, "数字有误", actor="王五")

    assert fix.type == "EventRetracted" and fix.stream == a.stream
    assert fix.payload["retracted_event_id"] == a.event_id
    assert store.get(a.event_id) == a
    assert count(store) == 7


def test_an_event_is_retracted_once(two_reports) -> None:
    store, a, _ = two_reports
    store.retract(a.event_id, "数字有误")
    before = store.head()

    with pytest.raises(StreamRuleError, match="already retracted"):
        store.retract(a.event_id, "再撤一次")

    assert store.head() == before


def test_a_retraction_cannot_be_retracted(two_reports) -> None:
    store, a, _ = two_reports
    fix = store.retract(a.event_id, "数字有误")

    with pytest.raises(StreamRuleError, match="cannot be retracted"):
        store.retract(fix.event_id, "撤回撤销")


def test_a_retraction_of_an_unknown_event_is_refused(two_reports) -> None:
    store, a, _ = two_reports
    before = store.head()

    with pytest.raises(StreamRuleError, match="no-such-event"):
        store.retract("no-such-event", "?")
    with pytest.raises(StreamRuleError, match="no-such-event"):
        store.append(NewEvent("EventRetracted", a.stream, {"retracted_event_id": "no-such-event", "reason": "?"}))

    assert store.head() == before


def test_a_retraction_goes_into_the_stream_of_its_event(two_reports) -> None:
    store, a, _ = two_reports

    with pytest.raises(StreamRuleError, match=a.stream):
        store.append(NewEvent("EventRetracted", "activity/t2022/2",
                              {"retracted_event_id": a.event_id, "reason": "放错地方"}))


def test_two_retractions_in_one_batch_are_both_recorded(two_reports) -> None:
    """A page that retracts several selected rows at once appends them as one batch."""
    store, a, b = two_reports

    stored = store.append_many([retraction(a), retraction(b)])

    assert [e.payload["retracted_event_id"] for e in stored] == [a.event_id, b.event_id]
    assert count(store) == 8
    assert store.verify().ok


def test_the_same_event_retracted_twice_in_one_batch_is_refused(two_reports) -> None:
    store, a, _ = two_reports
    before = store.head()

    with pytest.raises(StreamRuleError, match="already retracted"):
        store.append_many([retraction(a, "一"), retraction(a, "二")])

    assert store.head() == before


def test_an_event_and_its_retraction_in_one_batch(planned: EventStore) -> None:
    report = fact(2, "ProgressReported", {"percent": 10}, "2022-04-10", event_id="typo")
    fix = NewEvent("EventRetracted", report.stream, {"retracted_event_id": "typo", "reason": "手误"})

    stored = planned.append_many([report, fix])

    assert [e.type for e in stored] == ["ProgressReported", "EventRetracted"]
    assert planned.verify().ok


def test_event_ids_with_like_wildcards_are_matched_literally(planned: EventStore) -> None:
    """The "already retracted?" check searches payload text: ``%`` and ``_`` in an id are letters there."""
    wild = planned.append(fact(1, "ProgressReported", {"percent": 10}, "2022-04-01", event_id="form_1%"))
    lookalike = planned.append(fact(1, "ProgressReported", {"percent": 20}, "2022-04-02", event_id="formX1%"))
    planned.retract(lookalike.event_id, "填错了")

    # Read as LIKE wildcards, "form_1%" would match the retraction of "formX1%" just recorded.
    fix = planned.retract(wild.event_id, "也填错了")
    assert fix.payload["retracted_event_id"] == "form_1%"
    with pytest.raises(StreamRuleError, match="already retracted"):
        planned.retract(wild.event_id, "再撤一次")
