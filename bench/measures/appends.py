"""(a) side by side: single-event appends through our store, plain sqlite3 and eventsourcing.

Appending a million events one transaction at a time would take hours on every contender, so
(a) is a fixed sample (``sample`` appends, one committed transaction each) on top of a store of
the given size. The floor and the peer get a table pre-filled with the same rows our store holds
(bulk, untimed), then append the very rows our store wrote for the sample, one INSERT and COMMIT
each: same machine, same rows, same table size, same SQLite defaults (WAL, synchronous as the
library leaves it). Beside them, our own statements alone (``_Statements``) on a copy of our store
show how much of our figure is SQLite's work on our schema. Only the loop of single appends is timed.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator
from importlib.metadata import version
from pathlib import Path
from typing import Any

from bench.fill import batches
from bench.generator import Course, planned_activities
from bench.measures.projection import sqlite_path
from store import config
from store.domain.rules import OFFICE
from store.log import EventStore, NewEvent
from store.recording.recorder import _HEAD_SQL, _INSERT_SQL, _VERSION_SQL, _existing_sql
from store.recording.schema import COLUMNS

ROW_COLUMNS = tuple(COLUMNS)   # the events table's columns, in its order
_FLOOR_DDL = ("CREATE TABLE events (position INTEGER PRIMARY KEY, event_id TEXT, stream TEXT, version INTEGER, "
              "type TEXT, schema_version INTEGER, occurred_on TEXT, recorded_at TEXT, actor TEXT, unit TEXT, "
              "payload TEXT, prev_hash TEXT, hash TEXT)")
_FLOOR_INSERT = f"INSERT INTO events VALUES ({','.join('?' * len(ROW_COLUMNS))})"
_EVENT_ID, _STREAM = ROW_COLUMNS.index("event_id"), ROW_COLUMNS.index("stream")
_STREAM_NS = uuid.UUID("5b0c1b8e-8d0e-4c3e-9a57-2f1d6a4b7c90")


def _rows(url: str, after: int = 0, upto: int | None = None) -> Iterator[tuple[Any, ...]]:
    """Stored rows, raw, in position order (read with sqlite3 so the read costs nobody's figure)."""
    conn = sqlite3.connect(sqlite_path(url))
    try:
        query = f"SELECT {', '.join(ROW_COLUMNS)} FROM events WHERE position > ?"
        params: list[Any] = [after]
        if upto is not None:
            query += " AND position <= ?"
            params.append(upto)
        yield from conn.execute(query + " ORDER BY position", params)
    finally:
        conn.close()


def _plan_id(store: EventStore) -> str:
    first = next(store.read(types=["PlanImported"]))
    return first.payload["plan_id"]


def _timed(action: Callable[[Any], Any], items: list[Any]) -> float:
    started = time.perf_counter()
    for item in items:
        action(item)
    return time.perf_counter() - started


class _Floor:
    """Plain sqlite3 on its own WAL file: one INSERT and one COMMIT per row, nothing else."""

    def __init__(self, path: Path, url: str, upto: int, synchronous: str = "FULL") -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute(f"PRAGMA synchronous={synchronous}")
        self.conn.execute(_FLOOR_DDL)
        self.conn.execute("BEGIN")
        self.conn.executemany(_FLOOR_INSERT, _rows(url, 0, upto))
        self.conn.execute("COMMIT")

    def append(self, row: tuple[Any, ...]) -> None:
        self.conn.execute("BEGIN")
        self.conn.execute(_FLOOR_INSERT, row)
        self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()


class _Statements:
    """Our append's own statements and nothing around them: plain sqlite3 on a copy of our store (the
    same table, indexes and guards), per row BEGIN IMMEDIATE, the head, the event-id and stream-version
    look-ups, the INSERT and COMMIT, as EventStore.append sends them for a report. What our Python adds
    (validation, canonical JSON, the hash chain, the pool) is the gap between it and ours, so it bounds
    what any cut to that Python can reach."""

    def __init__(self, path: Path, url: str) -> None:
        self.conn = sqlite3.connect(sqlite_path(_copy_store(url, path)), isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute(f"PRAGMA synchronous={config.sqlite_synchronous(None)}")

    def append(self, row: tuple[Any, ...]) -> None:
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.execute(_HEAD_SQL).fetchall()
        self.conn.execute(_existing_sql([row[_EVENT_ID]]), [row[_EVENT_ID]]).fetchall()
        self.conn.execute(_VERSION_SQL, [row[_STREAM]]).fetchall()
        self.conn.execute(_INSERT_SQL, row)   # the recorder's own INSERT, as every append sends it
        self.conn.execute("COMMIT")

    def head(self) -> int:
        return self.conn.execute(_HEAD_SQL).fetchone()[0]

    def close(self) -> None:
        self.conn.close()


class _Peer:
    """eventsourcing's SQLiteApplicationRecorder (global notification ids, like our positions)."""

    def __init__(self, path: Path, url: str, upto: int) -> None:
        from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteDatastore

        self.datastore = SQLiteDatastore(str(path))
        self.recorder = SQLiteApplicationRecorder(self.datastore)
        self.recorder.create_table()
        for chunk in batches(_rows(url, 0, upto), 50_000):
            self.recorder.insert_events([_stored(row) for row in chunk])

    def append(self, row: tuple[Any, ...]) -> None:
        self.recorder.insert_events([_stored(row)])

    def close(self) -> None:
        self.datastore.close()


def _stored(row: tuple[Any, ...]) -> Any:
    from eventsourcing.persistence import StoredEvent

    by_name = dict(zip(ROW_COLUMNS, row))
    return StoredEvent(originator_id=uuid.uuid5(_STREAM_NS, by_name["stream"]),
                       originator_version=by_name["version"], topic=by_name["type"],
                       state=by_name["payload"].encode("utf-8"))


def side_by_side(url: str, workdir: Path, sample: int, seed: int, rounds: int = 4) -> dict[str, Any]:
    """(a) for ours, the floor and the peer, interleaved in ``rounds`` so a drift in the disk's
    fsync latency (large on virtual disks) weighs on all alike.

    In each round our store appends its share of the sample first; the floor and the peer then
    append exactly the rows it wrote (as stored: same sizes, same payload text). Beside them, for
    the durability trade-off DUBAN_SQLITE_SYNCHRONOUS offers, ours and the floor run again at
    synchronous=NORMAL: ours on a copy of the store taking the same events, the floor on its own
    table. The peer has no such setting and stays at SQLite's default.
    """
    store = EventStore(url)
    head = store.head()[0]
    plan_id = _plan_id(store)
    course = list(Course(planned_activities(store, plan_id), plan_id, count=sample, seed=seed, tag="sample"))
    relaxed = EventStore(_copy_store(url, workdir / "ours-normal.db"), sqlite_synchronous="NORMAL")
    floor, peer = _Floor(workdir / "floor.db", url, head), _Peer(workdir / "peer.db", url, head)
    floor_relaxed = _Floor(workdir / "floor-normal.db", url, head, synchronous="NORMAL")
    statements = _Statements(workdir / "statements.db", url)
    spent = {"ours": 0.0, "floor": 0.0, "peer": 0.0, "statements": 0.0, "ours_normal": 0.0, "floor_normal": 0.0}
    try:
        share = -(-len(course) // rounds)
        for start in range(0, len(course), share):
            first = store.head()[0]
            spent["ours"] += _timed(store.append, course[start:start + share])
            rows = list(_rows(url, first, store.head()[0]))
            spent["floor"] += _timed(floor.append, rows)
            spent["peer"] += _timed(peer.append, rows)
            spent["statements"] += _timed(statements.append, rows)
            spent["ours_normal"] += _timed(relaxed.append, course[start:start + share])
            spent["floor_normal"] += _timed(floor_relaxed.append, rows)
        synchronous = floor.conn.execute("PRAGMA synchronous").fetchone()[0]
        statements_head = statements.head()
        review = review_appends(store)
    finally:
        for closing in (floor, floor_relaxed, peer, statements, store, relaxed):
            closing.close()
    result: dict[str, Any] = {name: {"seconds": s, "count": len(course), "rate": len(course) / s}
                              for name, s in spent.items()}
    result["review"] = review
    result["statements"]["head"] = statements_head
    result["synchronous"] = synchronous
    result["eventsourcing"] = version("eventsourcing")
    result["store_events_before"] = head
    return result


REVIEW_PAIRS = 10


def review_appends(store: EventStore, pairs: int = REVIEW_PAIRS) -> dict[str, Any]:
    """(a) for the appends the rules read most for: on the activity with the most events, its lead asks
    for a later end and the office refuses, ``pairs`` times, one transaction each.

    The rules read the activity's plan, its open requests and its retractions for each of them, and
    the activity's stream holds every report of it, so this is where the rules' reads could grow with
    the log (they did: stop 21). The plain (a) sample holds almost no reviewed facts."""
    from sqlalchemy import text

    with store.recorder.read_engine.connect() as conn:
        stream, events = conn.execute(text("SELECT stream, COUNT(*) FROM events WHERE stream LIKE 'activity/%' "
                                           "GROUP BY stream ORDER BY COUNT(*) DESC LIMIT 1")).one()
    activity = next(a for a in planned_activities(store, _plan_id(store)).values()
                    if stream.endswith(f"/{a['seq']}"))
    end = dt.date.fromisoformat(activity["end"])
    spent, count = 0.0, 0
    for n in range(pairs):
        asked = NewEvent("ExtensionRequested", stream, {"end": (end + dt.timedelta(days=n + 1)).isoformat(),
                                                        "reason": f"bench 第{n + 1}次延期申请"},
                         occurred_on=end, actor="bench", unit=activity["lead_units"][0])
        started = time.perf_counter()
        request = store.append(asked)
        spent += time.perf_counter() - started
        refused = NewEvent("ExtensionRefused", stream, {"request_event_id": request.event_id, "reason": "bench"},
                           occurred_on=end, actor="bench-office", unit=OFFICE)
        started = time.perf_counter()
        store.append(refused)
        spent += time.perf_counter() - started
        count += 2
    return {"stream": stream, "stream_events": events, "count": count, "seconds": spent,
            "seconds_per_append": spent / count}


def _copy_store(url: str, target: Path) -> str:
    """A consistent copy of a SQLite store (sqlite3's online backup), as a URL."""
    source, copy = sqlite3.connect(sqlite_path(url)), sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
    return f"sqlite:///{target}"
