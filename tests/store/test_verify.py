"""A row changed behind the store's back (guards dropped first) is found by ``verify``, by position."""

from __future__ import annotations

import json

import pytest

from store.log import EventStore
from store.recording.chain import canonical_json, envelope_hash
from tests.factories import fact
from tests.store.helpers import cli, is_sqlite, raw_connection

SQLITE_DROP = ["DROP TRIGGER events_no_update", "DROP TRIGGER events_no_delete", "DROP TRIGGER events_insert_guard"]
PG_DROP = ["DROP TRIGGER events_no_update ON events", "DROP TRIGGER events_insert_guard ON events"]


def tamper(url: str, sql: str, *params: object) -> None:
    """What someone with a raw connection and the rights to drop triggers can do."""
    with raw_connection(url) as conn:
        for drop in SQLITE_DROP if is_sqlite(url) else PG_DROP:
            conn.execute(drop)
        conn.execute(sql if is_sqlite(url) else sql.replace("?", "%s"), params)


@pytest.fixture
def reported(planned: EventStore) -> EventStore:
    """Plan (1..4), then reports at positions 5, 6, 7."""
    planned.append_many([
        fact(1, "ProgressReported", {"percent": 30, "note": "first"}, "2022-04-01"),
        fact(2, "ProgressReported", {"percent": 40, "note": "second"}, "2022-04-02"),
        fact(3, "ProgressReported", {"percent": 0, "note": "third"}, "2022-09-02"),
    ])
    assert planned.verify().ok
    return planned


def test_an_edited_payload_is_named_by_verify_and_the_command_exits_1(reported: EventStore) -> None:
    tamper(reported.url, "UPDATE events SET payload = replace(payload, '\"percent\":40', '\"percent\":90') "
                         "WHERE position = 6")
    assert [e.payload["percent"] for e in reported.read(after=5, upto=6)] == [90]

    result = reported.verify()
    assert not result.ok
    assert result.bad_position == 6
    assert result.count == 5

    done = cli("--db", reported.url, "verify")
    assert done.returncode == 1, done.stderr
    assert "position 6" in done.stdout + done.stderr
    assert "Traceback" not in done.stderr


def _envelope(store: EventStore, position: int) -> dict:
    return json.loads(list(store.export())[position - 1])


def test_a_forged_row_with_its_own_hash_recomputed_breaks_the_next_link(reported: EventStore) -> None:
    forged = _envelope(reported, 5)
    forged["payload"]["percent"] = 100
    forged["hash"] = envelope_hash(forged)
    tamper(reported.url, "UPDATE events SET payload = ?, hash = ? WHERE position = 5",
           canonical_json(forged["payload"]), forged["hash"])

    result = reported.verify()

    assert not result.ok
    assert result.bad_position == 6
    assert "prev_hash" in result.reason


CHANGES = {
    "occurred_on moved": ("UPDATE events SET occurred_on = ? WHERE position = 5", ("2022-03-30",)),
    "recorded_at backdated": ("UPDATE events SET recorded_at = ? WHERE position = 5", ("2020-01-01T00:00:00.000000Z",)),
    "unit changed": ("UPDATE events SET unit = ? WHERE position = 5", ("西宁市总工会",)),
    "type changed": ("UPDATE events SET type = ? WHERE position = 5", ("RiskResolved",)),
    "version changed": ("UPDATE events SET version = version + 10 WHERE position = 5", ()),
}


@pytest.mark.parametrize("change", list(CHANGES), ids=list(CHANGES))
def test_any_changed_envelope_field_breaks_the_chain_at_its_row(reported: EventStore, change: str) -> None:
    sql, params = CHANGES[change]
    tamper(reported.url, sql, *params)

    result = reported.verify()

    assert (result.ok, result.bad_position) == (False, 5)


def test_a_deleted_middle_row_is_named(reported: EventStore) -> None:
    tamper(reported.url, "DELETE FROM events WHERE position = 5")

    result = reported.verify()

    assert not result.ok
    assert result.bad_position == 5
