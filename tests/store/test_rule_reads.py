"""The rules' reads of a reviewed append look up the stream's rare facts, never walk its reports.

A completion or extension request, its answer and a retraction make the rules read the activity's
plan, its open requests and its retractions (store.log ``_stream_facts``, ``_check_retraction``). The
activity's stream also holds every report of it: at a million events the planner walked that
stream's index and read tens of thousands of reports per read (176 ms each on SQLite, three reads per
request). The reads go through an index of those facts alone (store.recording.schema ``FACTS_INDEX``); the
rules' answers stay what they were (the refusal below is read through them).
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from store.domain import rules
from store.domain.events import activity_stream
from store.log import EventStore, RuleRefused
from store.recording.recorder import _retraction_sql, _stream_rows_sql
from store.recording.schema import FACTS_INDEX
from tests.factories import PLAN, fact, small_plan

LEAD = "省总女职工委员会办公室"   # activity 3's lead
REPORTS = 3_000


def _plan_of(store: EventStore, sql: str, params: list[object]) -> str:
    """The query plan the backend chooses for the recorder's own statement."""
    with store.recorder.read_engine.connect() as conn:
        cursor = conn.connection.dbapi_connection.cursor()
        if store.recorder.is_sqlite:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            return " ".join(str(row[-1]) for row in cursor.fetchall())
        conn.execute(text("ANALYZE events"))   # what autovacuum gives a real server's planner
        cursor.execute("EXPLAIN " + sql.replace("?", "%s"), params)
        return " ".join(row[0] for row in cursor.fetchall())


@pytest.fixture
def reported(store: EventStore) -> EventStore:
    """Activity 3 with a few thousand reports in its stream, as a busy activity has."""
    small_plan(store)
    store.append_many([fact(3, "ProgressReported", {"percent": i % 100, "note": f"第{i}次"}, "2022-09-10", unit=LEAD)
                       for i in range(REPORTS)])
    return store


def test_a_reviewed_append_finds_the_stream_s_facts_through_their_own_index(reported: EventStore) -> None:
    stream = activity_stream(PLAN, 3)
    for sql, params in (_stream_rows_sql(stream, ("ActivityPlanned", "ActivityRevised", "EventRetracted")),
                        _stream_rows_sql(stream, sorted(rules.REVIEWED_TYPES)),
                        _retraction_sql(stream, '"retracted_event_id":"x"')):
        plan = _plan_of(reported, sql, list(params))
        assert FACTS_INDEX in plan, plan


def test_every_look_up_of_the_rules_is_of_facts_the_index_holds() -> None:
    """A type the rules looked up by stream outside ``STREAM_FACTS`` would be read the slow way."""
    from store import log

    assert {*log._SETTINGS_FACTS, *log._REVIEW_FACTS, *log._PLAN_FACTS} <= rules.STREAM_FACTS
    assert "ProgressReported" not in rules.STREAM_FACTS and "ParticipationRecorded" not in rules.STREAM_FACTS


def test_init_replaces_the_index_of_an_older_list_of_facts(reported: EventStore) -> None:
    """A store made before (or with another list) gets the current index on init, and loses the old one."""
    from sqlalchemy import inspect

    with reported.recorder.engine.begin() as conn:
        conn.execute(text(f"DROP INDEX {FACTS_INDEX}"))
        conn.execute(text("CREATE INDEX ix_events_facts_00000000 ON events (stream, type) WHERE type = 'EventRetracted'"))
    reported.init()

    with reported.recorder.read_engine.connect() as conn:
        names = {index["name"] for index in inspect(conn).get_indexes("events")}
    assert FACTS_INDEX in names and "ix_events_facts_00000000" not in names


def test_the_rules_still_see_an_open_request_among_the_reports(reported: EventStore) -> None:
    reported.append(fact(3, "ExtensionRequested", {"end": "2022-11-30", "reason": "场地推迟"}, "2022-09-20", unit=LEAD))
    reported.append(fact(3, "ProgressReported", {"percent": 50}, "2022-09-21", unit=LEAD))

    with pytest.raises(RuleRefused, match="open extension request"):
        reported.append(fact(3, "ExtensionRequested", {"end": "2022-12-15", "reason": "再次"}, "2022-09-22", unit=LEAD))
    assert reported.head()[0] == 4 + REPORTS + 2   # the refused request wrote nothing
