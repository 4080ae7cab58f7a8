"""The database itself refuses to rewrite history, whoever holds a raw connection."""

from __future__ import annotations

import sqlite3

import psycopg
import pytest

from store.log import EventStore
from tests.factories import fact
from tests.store.helpers import raw_connection, raw_rows

REFUSED = (sqlite3.DatabaseError, psycopg.Error)
COLUMNS = "position, event_id, stream, version, type, schema_version, occurred_on, recorded_at, actor, unit, " \
          "payload, prev_hash, hash"


def _report(store: EventStore) -> EventStore:
    """Two progress reports after the plan: positions 5 and 6."""
    store.append_many([
        fact(1, "ProgressReported", {"percent": 30, "note": "first"}, "2022-04-01"),
        fact(2, "ProgressReported", {"percent": 40, "note": "second"}, "2022-04-02"),
    ])
    return store


@pytest.fixture
def reported(planned: EventStore) -> EventStore:
    return _report(planned)


@pytest.fixture
def sqlite_reported(sqlite_planned: EventStore) -> EventStore:
    return _report(sqlite_planned)


@pytest.fixture
def postgres_reported(postgres_planned: EventStore) -> EventStore:
    return _report(postgres_planned)


STATEMENTS = {
    "update one payload": "UPDATE events SET payload = '{\"percent\":90}' WHERE position = 5",
    "update every actor": "UPDATE events SET actor = 'someone'",
    "delete one row": "DELETE FROM events WHERE position = 6",
    "delete everything": "DELETE FROM events",
}


@pytest.mark.parametrize("sql", list(STATEMENTS.values()), ids=list(STATEMENTS))
def test_update_and_delete_through_a_raw_connection_are_refused(reported: EventStore, sql: str) -> None:
    before = raw_rows(reported.url)

    with raw_connection(reported.url) as conn, pytest.raises(REFUSED, match="append-only"):
        conn.execute(sql)

    assert raw_rows(reported.url) == before
    assert reported.verify().ok


def test_update_in_an_explicit_transaction_is_refused_and_rolled_back(reported: EventStore) -> None:
    before = raw_rows(reported.url)
    with raw_connection(reported.url) as conn:
        conn.execute("BEGIN")
        with pytest.raises(REFUSED, match="append-only"):
            conn.execute("UPDATE events SET unit = 'x' WHERE position = 1")
        conn.execute("ROLLBACK")
    assert raw_rows(reported.url) == before


SQLITE_REPLACE = {
    # Same position as an existing row: REPLACE would delete row 5 and put a new one there.
    "same position": f"INSERT OR REPLACE INTO events ({COLUMNS}) SELECT position, 'forged-id', stream, 99, type, "
                     "schema_version, occurred_on, recorded_at, actor, unit, '{\"percent\":100}', prev_hash, hash "
                     "FROM events WHERE position = 5",
    # Next position, but the event_id of an existing row.
    "same event_id": f"INSERT OR REPLACE INTO events ({COLUMNS}) SELECT 7, event_id, stream, 99, type, "
                     "schema_version, occurred_on, recorded_at, actor, unit, payload, prev_hash, hash "
                     "FROM events WHERE position = 5",
    # Next position and a new id, but an existing (stream, version).
    "same stream version": f"INSERT OR REPLACE INTO events ({COLUMNS}) SELECT 7, 'forged-id', stream, version, "
                           "type, schema_version, occurred_on, recorded_at, actor, unit, payload, prev_hash, hash "
                           "FROM events WHERE position = 5",
    # REPLACE INTO is the same statement under another name.
    "replace into": f"REPLACE INTO events ({COLUMNS}) SELECT position, event_id, stream, version, type, "
                    "schema_version, occurred_on, recorded_at, 'forger', unit, payload, prev_hash, hash "
                    "FROM events WHERE position = 1",
}


@pytest.mark.parametrize("sql", list(SQLITE_REPLACE.values()), ids=list(SQLITE_REPLACE))
def test_sqlite_insert_or_replace_colliding_with_a_row_is_refused(sqlite_reported: EventStore, sql: str) -> None:
    reported = sqlite_reported
    before = raw_rows(reported.url)

    with raw_connection(reported.url) as conn, pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute(sql)

    assert raw_rows(reported.url) == before
    assert reported.verify().ok


def test_postgres_truncate_is_refused(postgres_reported: EventStore) -> None:
    reported = postgres_reported
    before = raw_rows(reported.url)

    with raw_connection(reported.url) as conn, pytest.raises(psycopg.Error, match="append-only"):
        conn.execute("TRUNCATE events")

    assert raw_rows(reported.url) == before


def test_postgres_upsert_is_refused(postgres_reported: EventStore) -> None:
    reported = postgres_reported
    before = raw_rows(reported.url)

    with raw_connection(reported.url) as conn, pytest.raises(psycopg.Error, match="append-only"):
        conn.execute(f"INSERT INTO events ({COLUMNS}) SELECT {COLUMNS} FROM events WHERE position = 5 "
                     "ON CONFLICT (position) DO UPDATE SET payload = '{\"percent\":100}'")

    assert raw_rows(reported.url) == before


def test_an_insert_that_skips_a_position_is_refused(reported: EventStore) -> None:
    before = raw_rows(reported.url)

    with raw_connection(reported.url) as conn, pytest.raises(REFUSED, match="append-only"):
        conn.execute(f"INSERT INTO events ({COLUMNS}) SELECT 10, 'gap-id', 'misc/x', 1, type, schema_version, "
                     "occurred_on, recorded_at, actor, unit, payload, prev_hash, hash FROM events WHERE position = 5")

    assert raw_rows(reported.url) == before


def test_the_store_keeps_appending_after_refused_statements(reported: EventStore) -> None:
    with raw_connection(reported.url) as conn:
        for sql in STATEMENTS.values():
            with pytest.raises(REFUSED):
                conn.execute(sql)

    stored = reported.append(fact(3, "ProgressReported", {"percent": 5}, "2022-09-02"))

    assert stored.position == 7
    assert reported.verify().ok


def test_init_gives_an_older_store_an_index_for_each_filter_of_the_event_list(reported: EventStore) -> None:
    """The log page filters in SQL (store.reading.log_query); a store made before that gets the indexes on init."""
    from sqlalchemy import inspect, text

    from store.recording.schema import FILTER_INDEXES

    with reported.recorder.engine.begin() as conn:
        for name in FILTER_INDEXES:
            conn.execute(text(f"DROP INDEX IF EXISTS {name}"))
    reported.init()

    with reported.recorder.read_engine.connect() as conn:
        indexed = {tuple(index["column_names"]) for index in inspect(conn).get_indexes("events")}
    assert {("unit",), ("actor",), ("occurred_on",), ("recorded_at",), ("type",)} <= indexed


@pytest.mark.parametrize("setting, level", [(None, 2), ("FULL", 2), ("normal", 1)])
def test_sqlite_commits_are_synced_as_configured(monkeypatch, sqlite_url: str, setting, level) -> None:
    """FULL unless DUBAN_SQLITE_SYNCHRONOUS says NORMAL (faster; a power cut may lose the last commits)."""
    from sqlalchemy import text

    if setting is None:
        monkeypatch.delenv("DUBAN_SQLITE_SYNCHRONOUS", raising=False)
    else:
        monkeypatch.setenv("DUBAN_SQLITE_SYNCHRONOUS", setting)
    store = EventStore(sqlite_url)
    try:
        store.init()
        with store.recorder.engine.connect() as conn:
            assert conn.execute(text("PRAGMA synchronous")).scalar() == level
    finally:
        store.close()


def test_an_unknown_sync_setting_is_refused_by_name(monkeypatch, sqlite_url: str) -> None:
    monkeypatch.setenv("DUBAN_SQLITE_SYNCHRONOUS", "OFF")
    with pytest.raises(ValueError, match="DUBAN_SQLITE_SYNCHRONOUS 只能是 FULL 或 NORMAL"):
        EventStore(sqlite_url)
