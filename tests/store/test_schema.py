"""The schema: ``init`` is idempotent; payloads stored under an older schema version are upcast on read."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import psycopg
import pytest

from store.domain.events import activity_stream
from store.log import EventStore, format_recorded_at
from store.reading.projections import Projector
from store.recording.chain import canonical_json, envelope_hash
from tests.factories import PLAN, fact
from tests.store.helpers import count, raw_connection, raw_rows

REFUSED = (sqlite3.DatabaseError, psycopg.Error)


def test_init_twice_keeps_the_events_and_the_guards(planned: EventStore) -> None:
    planned.append(fact(1, "ProgressReported", {"percent": 30}, "2022-04-01"))
    before = raw_rows(planned.url)

    planned.init()
    planned.init()
    EventStore(planned.url).init()

    assert raw_rows(planned.url) == before
    assert planned.verify().ok
    with raw_connection(planned.url) as conn, pytest.raises(REFUSED, match="append-only"):
        conn.execute("DELETE FROM events")
    assert planned.append(fact(1, "ProgressReported", {"percent": 40}, "2022-04-08")).position == 6


def append_v1_participation(store: EventStore, people: int, *, event_id: str = "old-form-1") -> None:
    """A row exactly as the schema-1 form wrote it: ``people``, no ``sessions``; chained like any other."""
    stream = activity_stream(PLAN, 2)
    with store.recorder.appending() as tx:
        head = tx.head()
        envelope = {
            "position": head.position + 1, "event_id": event_id, "stream": stream,
            "version": tx.stream_version(stream) + 1, "type": "ParticipationRecorded", "schema_version": 1,
            "occurred_on": "2022-04-20", "recorded_at": format_recorded_at(dt.datetime.now(dt.UTC)),
            "actor": "旧表单", "unit": "西宁市总工会",
            "payload": {"demo": False, "unit": "西宁市总工会", "date": "2022-04-20", "people": people,
                        "place": "西宁", "note": "老版本"},
            "prev_hash": head.hash,
        }
        envelope["hash"] = envelope_hash(envelope)
        tx.insert([{**envelope, "occurred_on": dt.date(2022, 4, 20), "payload": canonical_json(envelope["payload"])}])


def test_a_schema_1_participation_is_read_upcast(planned: EventStore) -> None:
    append_v1_participation(planned, 250)

    [event] = planned.read(types=["ParticipationRecorded"])

    assert event.schema_version == 2
    assert event.payload["participants"] == 250
    assert event.payload["sessions"] == 0
    assert "people" not in event.payload
    assert event.payload["unit"] == "西宁市总工会"
    assert planned.get("old-form-1").payload == event.payload
    assert planned.verify().ok


def test_a_schema_1_row_is_exported_as_stored_and_imports_elsewhere(planned: EventStore, twin: EventStore) -> None:
    append_v1_participation(planned, 250)

    exported = [json.loads(line) for line in planned.export()]
    assert exported[-1]["schema_version"] == 1
    assert exported[-1]["payload"]["people"] == 250

    assert twin.import_lines(planned.export()) == 5
    assert twin.head() == planned.head()
    assert twin.get("old-form-1").payload["participants"] == 250


def test_projections_see_schema_1_and_schema_2_participation_alike(planned: EventStore) -> None:
    append_v1_participation(planned, 250)
    planned.append(fact(2, "ParticipationRecorded", {"unit": "海东市总工会", "date": "2022-04-22",
                                                     "participants": 50, "sessions": 2}, "2022-04-22"))
    projector = Projector(planned)
    projector.catch_up()

    rows = projector.participation(dt.date(2022, 5, 1))

    assert rows["participants"].tolist() == [250, 50]
    assert rows["sessions"].tolist() == [0, 2]
    activities = projector.activities(dt.date(2022, 5, 1)).set_index("seq")
    assert activities.loc[2, "participants"] == 300
    assert count(planned) == 6
