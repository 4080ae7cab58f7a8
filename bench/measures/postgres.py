"""(a) on PostgreSQL: our single appends against psycopg's plain INSERT + COMMIT on the same server,
and how many round trips one append takes.

The floor appends the very rows our store wrote, one INSERT and one COMMIT each, into a table
shaped like ours (same columns and indexes, no guard triggers) that was filled beforehand with the
same rows, untimed: same server, same durability (the server's defaults: fsync and
synchronous_commit on), same table size. Round trips are counted on the wire: libpq's trace of
each connection our store opens, one ReadyForQuery from the server per round trip (a pool ping,
BEGIN, each statement and COMMIT each end in one).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event

from bench.generator import Course, planned_activities
from bench.measures.appends import review_appends
from store.log import EventStore, NewEvent

ROW_COLUMNS = ("position", "event_id", "stream", "version", "type", "schema_version", "occurred_on",
               "recorded_at", "actor", "unit", "payload", "prev_hash", "hash")
_COLUMNS = ", ".join(ROW_COLUMNS)
FLOOR_TABLE = "bench_floor_events"
# Appends traced for the round-trip count: enough to average out a pool's first connection.
TRACED = 20


def _dsn(url: str) -> str:
    """The libpq form of a SQLAlchemy ``postgresql+psycopg://`` URL."""
    return "postgresql://" + url.split("://", 1)[1]


def _rows(conn: Any, after: int, upto: int) -> list[tuple[Any, ...]]:
    return conn.execute(f"SELECT {_COLUMNS} FROM events WHERE position > %s AND position <= %s ORDER BY position",
                        (after, upto)).fetchall()


def _head(conn: Any) -> int:
    return conn.execute("SELECT COALESCE(MAX(position), 0) FROM events").fetchone()[0]


class _Floor:
    """psycopg on its own connection: one INSERT and one COMMIT per row, nothing else."""

    def __init__(self, url: str) -> None:
        import psycopg

        self.conn = psycopg.connect(_dsn(url))
        self.conn.execute(f"DROP TABLE IF EXISTS {FLOOR_TABLE}")
        self.conn.execute(f"CREATE TABLE {FLOOR_TABLE} (LIKE events INCLUDING INDEXES)")
        self.conn.execute(f"INSERT INTO {FLOOR_TABLE} SELECT {_COLUMNS} FROM events")
        self.conn.commit()
        self.sql = f"INSERT INTO {FLOOR_TABLE} ({_COLUMNS}) VALUES ({', '.join(['%s'] * len(ROW_COLUMNS))})"

    def append(self, row: tuple[Any, ...]) -> None:
        self.conn.execute(self.sql, row)
        self.conn.commit()

    def close(self) -> None:
        self.conn.execute(f"DROP TABLE IF EXISTS {FLOOR_TABLE}")
        self.conn.commit()
        self.conn.close()


def _timed(action: Callable[[Any], Any], items: list[Any]) -> float:
    started = time.perf_counter()
    for item in items:
        action(item)
    return time.perf_counter() - started


def _course(store: EventStore, count: int, seed: int, tag: str) -> list[NewEvent]:
    plan_id = next(store.read(types=["PlanImported"])).payload["plan_id"]
    return list(Course(planned_activities(store, plan_id), plan_id, count=count, seed=seed, tag=tag))


def count_round_trips(url: str, events: list[NewEvent]) -> dict[str, Any]:
    """Append ``events`` through a fresh store whose every connection is traced; round trips per append."""
    store = EventStore(url)
    with tempfile.TemporaryDirectory(prefix="duban-bench-trace-") as folder:
        trace = Path(folder) / "libpq.trace"
        with trace.open("w") as handle:
            def traced(dbapi_conn: Any, _record: Any) -> None:
                dbapi_conn.pgconn.trace(handle.fileno())

            event.listen(store.recorder.append_engine, "connect", traced)
            try:
                store.recorder.append_engine.dispose()   # every append connection from here on is traced
                store.append(events[0])            # the pool's first connection, not counted
                handle.flush()
                before = _ready_count(trace)
                for new in events[1:]:
                    store.append(new)
                handle.flush()
                spent = _ready_count(trace) - before
            finally:
                store.close()
    return {"round_trips_per_append": spent / max(1, len(events) - 1), "traced_appends": len(events) - 1}


def _ready_count(trace: Path) -> int:
    """ReadyForQuery messages from the server in a libpq trace: one per round trip."""
    with trace.open() as handle:
        return sum(1 for line in handle if "\tB\t" in line and "ReadyForQuery" in line)


def side_by_side(url: str, sample: int, seed: int, rounds: int = 4) -> dict[str, Any]:
    """Ours then the floor, interleaved in ``rounds`` (a drift in fsync latency weighs on both)."""
    import psycopg

    store = EventStore(url)
    reader = psycopg.connect(_dsn(url), autocommit=True)
    try:
        course = _course(store, sample + TRACED, seed, "sample")
        trips = count_round_trips(url, course[sample:])
        course = course[:sample]
        head = _head(reader)
        floor = _Floor(url)
        spent = {"ours": 0.0, "floor": 0.0}
        try:
            share = -(-len(course) // rounds)
            for start in range(0, len(course), share):
                first = _head(reader)
                spent["ours"] += _timed(store.append, course[start:start + share])
                spent["floor"] += _timed(floor.append, _rows(reader, first, _head(reader)))
            review = review_appends(store)
            server = reader.execute("SELECT current_setting('server_version'), current_setting('fsync'), "
                                    "current_setting('synchronous_commit')").fetchone()
        finally:
            floor.close()
    finally:
        reader.close()
        store.close()
    result: dict[str, Any] = {name: {"seconds": s, "count": len(course), "rate": len(course) / s}
                              for name, s in spent.items()}
    result.update(trips)
    result["review"] = review
    result["store_events_before"] = head
    result["server"] = {"version": server[0], "fsync": server[1], "synchronous_commit": server[2]}
    return result

