"""``read`` filters in the database: positions, stream, types, unit, business dates and recorded time."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Iterator

import pytest

from store.domain.events import activity_stream, plan_stream
from store.log import EventStore
from store.reading.projections import Projector
from tests.factories import PLAN, fact

D = dt.date


@pytest.fixture
def course(planned: EventStore) -> EventStore:
    """Positions 5..10 after the plan's 1..4."""
    planned.append_many([
        fact(1, "ProgressReported", {"percent": 10}, "2022-03-31", unit="省总经济技术部"),            # 5
        fact(2, "ProgressReported", {"percent": 20}, "2022-04-15", unit="省总宣传部"),                # 6
        fact(2, "ParticipationRecorded", {"unit": "西宁市总工会", "date": "2022-04-20", "participants": 80},
             "2022-04-20", unit="西宁市总工会"),                                                      # 7
        fact(1, "TargetAdvanced", {"target": "t1", "amount": 3}, "2022-04-30", unit="省总经济技术部"),  # 8
        fact(3, "ProgressReported", {"percent": 5}, "2022-09-02", unit="西宁市总工会"),               # 9
        fact(2, "CompletionRequested", {"note": "完成"}, "2022-05-31", unit="省总宣传部"),            # 10
    ])
    return planned


def positions(events) -> list[int]:
    return [e.position for e in events]


def test_everything_in_position_order(course: EventStore) -> None:
    assert positions(course.read()) == list(range(1, 11))


def test_position_range(course: EventStore) -> None:
    assert positions(course.read(after=4)) == [5, 6, 7, 8, 9, 10]
    assert positions(course.read(after=4, upto=7)) == [5, 6, 7]
    assert positions(course.read(upto=2)) == [1, 2]
    assert positions(course.read(after=10)) == []


def test_stream(course: EventStore) -> None:
    assert positions(course.read(stream=activity_stream(PLAN, 2))) == [3, 6, 7, 10]
    assert positions(course.read(stream=plan_stream(PLAN))) == [1]
    assert positions(course.read(stream="activity/nope/1")) == []


def test_types(course: EventStore) -> None:
    assert positions(course.read(types=["ProgressReported"])) == [5, 6, 9]
    assert positions(course.read(types=("ParticipationRecorded", "CompletionRequested"))) == [7, 10]
    assert positions(course.read(types=[])) == []


def test_unit(course: EventStore) -> None:
    assert positions(course.read(unit="西宁市总工会")) == [7, 9]
    assert positions(course.read(unit="省总宣传部")) == [6, 10]


def test_occurred_on_range(course: EventStore) -> None:
    assert positions(course.read(occurred_from=D(2022, 4, 1), occurred_to=D(2022, 4, 30))) == [6, 7, 8]
    assert positions(course.read(occurred_from=D(2022, 5, 31))) == [9, 10]
    assert positions(course.read(occurred_to=D(2022, 3, 1))) == [1, 2, 3, 4]


def test_filters_combine(course: EventStore) -> None:
    assert positions(course.read(after=5, stream=activity_stream(PLAN, 2), types=["ProgressReported",
                                                                                  "CompletionRequested"],
                                 occurred_to=D(2022, 5, 1))) == [6]


def test_known_at_returns_only_what_was_recorded_by_then(course: EventStore) -> None:
    time.sleep(0.01)
    meeting = dt.datetime.now(dt.UTC)
    time.sleep(0.01)
    late = course.append(fact(1, "ProgressReported", {"percent": 60}, "2022-04-10"))

    assert positions(course.read(known_at=meeting)) == list(range(1, 11))
    assert positions(course.read()) == list(range(1, 12))
    assert late.recorded_at > meeting
    # The same moment in another zone cuts at the same place.
    beijing = meeting.astimezone(dt.timezone(dt.timedelta(hours=8)))
    assert positions(course.read(known_at=beijing)) == list(range(1, 11))
    # Before anything was recorded: nothing.
    assert positions(course.read(known_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))) == []


def test_read_events_carry_their_envelope(course: EventStore) -> None:
    [event] = course.read(after=6, upto=7)

    assert event.type == "ParticipationRecorded"
    assert event.stream == activity_stream(PLAN, 2)
    assert event.version == 3
    assert event.occurred_on == D(2022, 4, 20)
    assert event.recorded_at.tzinfo is not None
    assert event.unit == "西宁市总工会"
    assert event.payload["participants"] == 80
    assert course.get(event.event_id) == event
    assert course.get("no-such-id") is None


@pytest.fixture
def shanghai_clock() -> Iterator[None]:
    """The server's local zone is Asia/Shanghai, as on many machines that run this board."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Shanghai"
    time.tzset()
    try:
        yield
    finally:
        if old is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = old
        time.tzset()


def test_a_naive_known_at_is_utc_as_in_the_projections(course: EventStore, shanghai_clock: None) -> None:
    """read() and the projections must cut at the same moment, whatever the server's local zone."""
    time.sleep(0.01)
    meeting = dt.datetime.now(dt.UTC)
    time.sleep(0.01)
    course.append(fact(1, "ProgressReported", {"percent": 60}, "2022-04-10"))
    naive = meeting.replace(tzinfo=None)
    projector = Projector(course)
    projector.catch_up()

    assert len(projector.log(known_at=naive)) == 10
    assert positions(course.read(known_at=naive)) == list(range(1, 11))
