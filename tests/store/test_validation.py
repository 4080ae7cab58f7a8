"""A payload that fails its schema is refused with a message naming the field, and nothing is written."""

from __future__ import annotations

import datetime as dt

import pytest

from store.domain.events import activity_stream
from store.log import EventStore, NewEvent, StreamRuleError
from store.recording.envelope import PayloadError
from tests.factories import PLAN, fact

GOOD_PARTICIPATION = {"unit": "西宁市总工会", "date": "2022-04-20", "participants": 120, "sessions": 2,
                      "place": "西宁", "note": "劳动技能竞赛"}

BAD = {
    "negative participants": (
        fact(2, "ParticipationRecorded", {**GOOD_PARTICIPATION, "participants": -5}, "2022-04-20"),
        PayloadError, "participants"),
    "negative sessions": (
        fact(2, "ParticipationRecorded", {**GOOD_PARTICIPATION, "sessions": -1}, "2022-04-20"),
        PayloadError, "sessions"),
    "percent 120": (
        fact(2, "ProgressReported", {"percent": 120, "note": ""}, "2022-04-20"), PayloadError, "percent"),
    "unknown activity": (
        NewEvent("ProgressReported", activity_stream(PLAN, 99), {"percent": 10},
                 occurred_on=dt.date(2022, 4, 20)),
        StreamRuleError, activity_stream(PLAN, 99)),
    "empty unit": (
        fact(2, "ParticipationRecorded", {**GOOD_PARTICIPATION, "unit": ""}, "2022-04-20"), PayloadError, "unit"),
    "blank unit": (
        fact(2, "ParticipationRecorded", {**GOOD_PARTICIPATION, "unit": "   "}, "2022-04-20"), PayloadError, "unit"),
    "occurred_on in 1900": (
        fact(2, "ProgressReported", {"percent": 10}, "1900-04-20"), PayloadError, "occurred_on"),
    "payload date in 1900": (
        fact(2, "ParticipationRecorded", {**GOOD_PARTICIPATION, "date": "1900-04-20"}, "2022-04-20"),
        PayloadError, "date"),
    "100 kB note": (
        fact(2, "ProgressReported", {"percent": 10, "note": "进展" * 50_000}, "2022-04-20"), PayloadError, "note"),
    "unknown payload key": (
        fact(2, "ProgressReported", {"percent": 10, "pecrent": 20}, "2022-04-20"), PayloadError, "pecrent"),
    "unknown type": (
        fact(2, "ProgressGuessed", {"percent": 10}, "2022-04-20"), PayloadError, "type"),
}


def refuse(store: EventStore, case: str) -> None:
    new, error, field = BAD[case]
    before = store.head()

    with pytest.raises(error) as refused:
        store.append(new)

    assert field in str(refused.value), case
    if isinstance(refused.value, PayloadError):
        assert refused.value.field == field, case
    assert store.head() == before, case


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_bad_payload_is_refused_naming_the_field_and_nothing_is_written(sqlite_planned: EventStore,
                                                                        case: str) -> None:
    refuse(sqlite_planned, case)
    assert sqlite_planned.verify().ok


def test_every_bad_payload_is_refused_on_postgresql_too(postgres_planned: EventStore) -> None:
    for case in BAD:
        refuse(postgres_planned, case)
    assert postgres_planned.verify().count == 4


def test_one_bad_event_in_a_batch_writes_none_of_the_batch(planned: EventStore) -> None:
    before = planned.head()
    batch = [
        fact(1, "ProgressReported", {"percent": 10}, "2022-04-01"),
        fact(2, "ParticipationRecorded", GOOD_PARTICIPATION, "2022-04-20"),
        fact(3, "ProgressReported", {"percent": 120}, "2022-09-20"),
    ]

    with pytest.raises(PayloadError, match="percent"):
        planned.append_many(batch)

    assert planned.head() == before


def test_a_batch_refused_by_a_stream_rule_writes_none_of_the_batch(planned: EventStore) -> None:
    before = planned.head()
    batch = [
        fact(1, "ProgressReported", {"percent": 10}, "2022-04-01"),
        NewEvent("ProgressReported", activity_stream(PLAN, 42), {"percent": 10}, occurred_on=dt.date(2022, 4, 2)),
    ]

    with pytest.raises(StreamRuleError, match="activity/t2022/42"):
        planned.append_many(batch)

    assert planned.head() == before


def test_a_valid_payload_is_stored_normalised(planned: EventStore) -> None:
    stored = planned.append(fact(2, "ParticipationRecorded", {**GOOD_PARTICIPATION, "place": "  西宁  "},
                                 "2022-04-20"))

    assert stored.position == 5
    assert stored.payload["place"] == "西宁"
    assert stored.payload["participants"] == 120
    assert planned.get(stored.event_id).payload == stored.payload
