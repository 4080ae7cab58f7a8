"""One stored event the board cannot fold never takes it down: it is set aside, named, and the rest shows.

Each event is planted through a raw connection at the next position with a whole chain (what the
triggers let through, and what imports let in before they checked every event).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from store.log import EventStore
from store.reading.projections import Projector, status_table
from tests.factories import fact
from tests.store.helpers import cli, plant

ON = dt.date(2022, 6, 1)

# case: fields of the planted row (over a progress report on activity 1), and words of the reason
PLANTED: dict[str, tuple[dict[str, Any], str]] = {
    "participation date a number": ({"type": "ParticipationRecorded", "schema_version": 2, "payload": {
        "unit": "西宁市总工会", "date": 1650412800, "participants": 3, "sessions": 0, "place": "", "note": "",
        "demo": False}}, "payload.date"),
    "activity planned without body": ({"type": "ActivityPlanned", "stream": "activity/t2022/9", "version": 1,
                                       "payload": {"plan_id": "t2022", "seq": 9, "title": "缺正文", "window_text": "",
                                                   "start": None, "end": None, "lead_units": [],
                                                   "partner_units": [], "targets": [], "demo": False}},
                                      "payload.body"),
    "recorded_at garbage": ({"recorded_at": "garbage"}, "unreadable"),
    "payload not JSON": ({"payload": "{not json"}, "unreadable"),
    "retraction of another stream's event": ({"type": "EventRetracted", "stream": "activity/t2022/3",
                                              "payload": {"retracted_event_id": "p1", "reason": "x", "demo": False}},
                                             "another stream"),
    "retraction of no event": ({"type": "EventRetracted",
                                "payload": {"retracted_event_id": "nobody", "reason": "x", "demo": False}},
                               "no earlier event"),
    "second ActivityPlanned": ({"type": "ActivityPlanned", "stream": "activity/t2022/2", "payload": {
        "plan_id": "t2022", "seq": 2, "title": "又一个", "body": "", "window_text": "", "start": None, "end": None,
        "lead_units": [], "partner_units": [], "targets": [], "demo": False}}, "planned already"),
    "fact on an unplanned stream": ({"stream": "activity/t2022/77"}, "has not been planned"),
    "PlanImported in an activity stream": ({"type": "PlanImported", "payload": {
        "plan_id": "x", "title": "x", "issuer": "", "doc_no": "", "year": 2022, "start": "2022-01-01",
        "end": "2022-12-31", "source": "", "source_sha256": "", "reviewed_by": "", "edited": [], "reporting": None,
        "demo": False}}, "not a plan/ stream"),
    "occurred_on 1900": ({"occurred_on": "1900-01-01"}, "occurred_on"),
    "unknown type": ({"type": "ProgressGuessed"}, "unknown event type"),
    "percent as text": ({"payload": {"percent": "30", "note": "", "demo": False}}, "payload.percent"),
}


@pytest.fixture
def reported(planned: EventStore) -> EventStore:
    planned.append(fact(1, "ProgressReported", {"percent": 40}, "2022-04-01", event_id="p1"))
    return planned



@pytest.mark.parametrize("case", list(PLANTED), ids=list(PLANTED))
def test_a_planted_event_is_set_aside_and_everything_else_shows(reported: EventStore, case: str) -> None:
    fields, words = PLANTED[case]
    position = plant(reported.url, **fields)
    reported.append(fact(1, "ProgressReported", {"percent": 60}, "2022-05-20"))   # the log goes on after it

    projector = Projector(reported)
    projector.catch_up()

    aside = projector.set_aside()
    assert aside["position"].tolist() == [position]
    assert words in aside["reason"].iloc[0]
    rows = {r["seq"]: r for r in status_table(projector, ON)}
    assert sorted(rows) == [1, 2, 3] and rows[1]["percent"] == 60
    for name in ("targets", "milestones", "participation", "unit_activity"):
        getattr(projector, name)(ON)
    log = projector.log()
    assert position not in log["position"].tolist() and len(log) == position   # every other event is listed

    result = reported.verify()
    assert not result.ok and result.bad_position == position
    if case != "payload not JSON":   # that one cannot be hashed: the chain itself breaks there
        assert result.set_aside[0][0] == position and words in result.reason


def test_a_business_date_that_is_no_date_is_set_aside(sqlite_planned: EventStore) -> None:
    """SQLite keeps dates as text, so a planted row can hold any (PostgreSQL's date column refuses it)."""
    position = plant(sqlite_planned.url, occurred_on="soon")

    projector = Projector(sqlite_planned)
    projector.catch_up()

    assert projector.set_aside()["position"].tolist() == [position]
    assert projector.position == position   # passed, not read again on every rerun
    assert len(status_table(projector, ON)) == 3
    assert sqlite_planned.verify().set_aside[0][0] == position


def test_verify_on_the_command_line_names_the_set_aside_event(reported: EventStore) -> None:
    position = plant(reported.url, stream="activity/t2022/77")

    done = cli("--db", reported.url, "verify")

    assert done.returncode == 1, done.stderr
    assert f"set aside at position {position}: activity/t2022/77 has not been planned" in done.stdout
    assert "Traceback" not in done.stderr


def test_a_retraction_of_a_set_aside_event_takes_nothing_out(reported: EventStore) -> None:
    """The planted report never counted, so retracting it must not subtract it from the activity."""
    plant(reported.url, event_id="bad", payload={"percent": "30", "note": "", "demo": False})
    reported.retract("bad", "不该有", occurred_on=dt.date(2022, 5, 2))

    projector = Projector(reported)
    projector.catch_up()

    assert {r["seq"]: r["percent"] for r in status_table(projector, ON)}[1] == 40


def test_a_board_restarted_from_a_snapshot_still_knows_what_was_set_aside(reported: EventStore) -> None:
    from store.reading import snapshots

    position = plant(reported.url, stream="activity/t2022/77")
    first = Projector(reported)
    first.catch_up()
    snapshots.init(reported)
    assert snapshots.take(reported, first)
    reported.append(fact(2, "ProgressReported", {"percent": 20}, "2022-05-02"))

    restarted = Projector(reported)
    assert snapshots.restore(reported, restarted) == position
    restarted.catch_up()

    assert restarted.set_aside()["position"].tolist() == [position]
    assert {r["seq"]: r["percent"] for r in status_table(restarted, ON)}[2] == 20   # a fact after the snapshot counts
