"""Export, then import elsewhere: the same chain; re-import changes nothing; a broken file changes nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest

from store.log import EventStore, ImportFileError, NewEvent
from store.recording.chain import GENESIS_HASH, canonical_json, envelope_hash
from tests.factories import fact, plan_event, small_plan
from tests.store.helpers import count


def course(store: EventStore) -> None:
    """Reports, participation, a target advance and a retraction after the plan."""
    store.append_many([
        fact(1, "ProgressReported", {"percent": 30, "note": "一季度"}, "2022-04-01", actor="张三", unit="省总经济技术部"),
        fact(2, "ParticipationRecorded", {"unit": "西宁市总工会", "date": "2022-04-20", "participants": 300,
                                          "sessions": 3, "place": "西宁", "note": ""}, "2022-04-20",
             unit="西宁市总工会"),
        fact(1, "TargetAdvanced", {"target": "t1", "amount": 2, "note": ""}, "2022-04-25"),
    ])
    wrong = store.append(fact(2, "ProgressReported", {"percent": 80}, "2022-04-26"))
    store.retract(wrong.event_id, "填错了", occurred_on=wrong.occurred_on)


@pytest.fixture
def source(planned: EventStore) -> EventStore:
    course(planned)
    return planned


def envelopes(store: EventStore) -> list[dict[str, Any]]:
    return [json.loads(line) for line in store.export()]


def rechain(items: list[dict[str, Any]]) -> list[str]:
    """Lines of a file whose chain is whole again after an edit: what a careful forger would produce."""
    prev = GENESIS_HASH
    lines = []
    for e in items:
        e["prev_hash"] = prev
        e["hash"] = prev = envelope_hash(e)
        lines.append(canonical_json(e))
    return lines


def same_events(a: EventStore, b: EventStore) -> None:
    keep = ("event_id", "stream", "version", "type", "schema_version", "occurred_on", "recorded_at", "actor",
            "unit", "payload")
    assert [{k: e[k] for k in keep} for e in envelopes(a)] == [{k: e[k] for k in keep} for e in envelopes(b)]


def test_export_then_import_into_an_empty_store_gives_the_same_head_hash(source: EventStore,
                                                                         twin: EventStore) -> None:
    lines = list(source.export())

    assert twin.import_lines(lines) == len(lines) == 9

    assert twin.head() == source.head()
    assert twin.verify().ok
    assert twin.verify().head_hash == source.verify().head_hash
    same_events(source, twin)


def test_reimport_is_a_no_op(source: EventStore, twin: EventStore) -> None:
    lines = list(source.export())
    twin.import_lines(lines)
    head = twin.head()

    assert twin.import_lines(lines) == 0
    assert source.import_lines(lines) == 0

    assert twin.head() == head
    assert count(source) == count(twin) == 9


def test_an_export_moves_between_backends_with_the_same_head_hash(sqlite_planned: EventStore, postgres_url: str,
                                                                  tmp_path) -> None:
    """SQLite -> PostgreSQL -> SQLite: one chain, one head hash, whatever the database."""
    course(sqlite_planned)
    pg = EventStore(postgres_url)
    back = EventStore(f"sqlite:///{tmp_path / 'back.db'}")
    try:
        pg.init()
        back.init()
        assert pg.import_lines(sqlite_planned.export()) == 9
        assert back.import_lines(pg.export()) == 9
        assert pg.head() == back.head() == sqlite_planned.head()
        assert pg.verify().ok and back.verify().ok
        assert list(pg.export()) == list(sqlite_planned.export()) == list(back.export())
    finally:
        pg.close()
        back.close()


EDITS = {
    "payload edited": lambda e: e[5]["payload"].update(percent=99),
    "recorded_at edited": lambda e: e[5].update(recorded_at="2021-01-01T00:00:00.000000Z"),
    "line deleted": lambda e: e.pop(5),
    "lines swapped": lambda e: e.insert(4, e.pop(5)),
    "prev_hash edited": lambda e: e[5].update(prev_hash=GENESIS_HASH),
}


@pytest.mark.parametrize("edit", list(EDITS), ids=list(EDITS))
def test_a_file_with_an_edited_chain_is_refused_and_nothing_is_written(source: EventStore, twin: EventStore,
                                                                       edit: str) -> None:
    items = envelopes(source)
    EDITS[edit](items)
    lines = [canonical_json(e) for e in items]

    with pytest.raises(ImportFileError, match="position 6"):
        twin.import_lines(lines)

    assert twin.head() == (0, GENESIS_HASH)


def test_an_edited_file_is_refused_by_a_store_that_already_has_events(source: EventStore, twin: EventStore) -> None:
    small_plan(twin)
    before = twin.head()
    items = envelopes(source)
    items[7]["payload"]["percent"] = 5

    with pytest.raises(ImportFileError, match="position 8"):
        twin.import_lines([canonical_json(e) for e in items])

    assert twin.head() == before


def test_a_whole_chain_over_a_payload_that_fails_its_schema_is_refused(source: EventStore, twin: EventStore) -> None:
    items = envelopes(source)
    items[4]["payload"]["percent"] = 150

    with pytest.raises(ImportFileError, match="line 5: payload.percent"):
        twin.import_lines(rechain(items))

    assert twin.head() == (0, GENESIS_HASH)


def test_a_file_holding_one_event_id_twice_is_refused_as_a_bad_file(source: EventStore, twin: EventStore) -> None:
    """A whole chain over a copied line: the file is at fault, so the refusal is an ImportFileError."""
    items = envelopes(source)
    items.append({**items[4], "position": len(items) + 1})

    with pytest.raises(ImportFileError, match=items[4]["event_id"]):
        twin.import_lines(rechain(items))

    assert twin.head() == (0, GENESIS_HASH)


def test_a_line_that_is_not_json_is_refused_by_its_number(source: EventStore, twin: EventStore) -> None:
    lines = list(source.export())
    lines[2] = lines[2][:-10]

    with pytest.raises(ImportFileError, match="line 3"):
        twin.import_lines(lines)

    assert twin.head() == (0, GENESIS_HASH)


def test_import_into_a_store_with_other_events_appends_only_the_new_ones(source: EventStore,
                                                                         twin: EventStore) -> None:
    # The twin took an early export of the source, then recorded a plan of its own.
    early = list(source.export())
    assert twin.import_lines(early) == 9
    twin.append_many([plan_event("t2023", 2023),
                      NewEvent("RiskFlagged", "board/t2023", {"note": "新方案待审"})])
    # The source went on recording.
    source.append_many([
        fact(3, "ProgressReported", {"percent": 10}, "2022-09-05"),
        fact(3, "ActivityCompleted", {"note": "完成"}, "2022-10-20"),
    ])

    assert twin.import_lines(source.export()) == 2

    assert count(twin) == 9 + 2 + 2
    assert twin.verify().ok
    twin_ids = [e.event_id for e in twin.read()]
    assert len(set(twin_ids)) == len(twin_ids)
    assert {e.event_id for e in source.read()} <= set(twin_ids)
    # The new events keep their identity, dates and authors; only positions are the twin's own.
    new = {e.event_id: e for e in twin.read(after=11)}
    for e in source.read(after=9):
        copy = new[e.event_id]
        assert (copy.type, copy.stream, copy.version, copy.occurred_on, copy.recorded_at, copy.payload) == \
               (e.type, e.stream, e.version, e.occurred_on, e.recorded_at, e.payload)
    assert twin.import_lines(source.export()) == 0
