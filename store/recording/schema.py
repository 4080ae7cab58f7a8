"""The events table, its guards and its indexes: what the log is in the database.

Kept apart from the recorder (store.recording.recorder), which reads and writes through it, so
what a store holds (the columns, the triggers that refuse rewriting history, the index each
lookup and filter needs) reads in one place, and ``create`` is the one way a store is made or
brought up to date.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import Index, Integer, Table, UniqueConstraint, text
from sqlalchemy.engine import Connection
from sqlmodel import Column, Field, SQLModel, String, Text

from store.domain import rules


class EventRow(SQLModel, table=True):
    """One row per event. Typed columns hold what queries filter on; the payload is canonical JSON.

    Every index is paid on every append (a B-tree page more to write and sync per commit), so there
    are those the store's own lookups use — position, event_id (idempotency, retraction), stream +
    version (stream versions) and type (plan-level reads, retraction checks) — and one for each
    filter of the event list (``FILTER_INDEXES``: the log page filters and pages in SQL,
    ``store.reading.log_query``), so a filtered page never reads the whole log.
    """

    __tablename__ = "events"
    __table_args__ = (
        UniqueConstraint("stream", "version", name="uq_events_stream_version"),
        Index("ix_events_type", "type"),
    )

    position: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    event_id: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    stream: str = Field(sa_column=Column(String(200), nullable=False))
    version: int
    type: str = Field(sa_column=Column(String(60), nullable=False))
    schema_version: int
    occurred_on: dt.date
    recorded_at: str = Field(sa_column=Column(String(32), nullable=False))
    actor: str = Field(sa_column=Column(String(100), nullable=False))
    unit: str = Field(sa_column=Column(String(200), nullable=False))
    payload: str = Field(sa_column=Column(Text, nullable=False))
    prev_hash: str = Field(sa_column=Column(String(64), nullable=False))
    hash: str = Field(sa_column=Column(String(64), nullable=False))


EVENTS = EventRow.__table__
# Seals (store.recording.integrity): HMAC of each event's hash by the signing key, beside the events so the
# envelope, its hash and stores without a key stay exactly as they are.
SEALS = Table("event_seals", SQLModel.metadata,
              Column("position", Integer, primary_key=True, autoincrement=False),
              Column("mac", String(64), nullable=False))
COLUMNS = [c.name for c in EVENTS.columns]

_SQLITE_GUARDS = [
    """CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events
       BEGIN SELECT RAISE(ABORT, 'events are append-only: UPDATE refused'); END""",
    """CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events
       BEGIN SELECT RAISE(ABORT, 'events are append-only: DELETE refused'); END""",
    # INSERT OR REPLACE deletes without firing the delete trigger: refuse any colliding insert first.
    """CREATE TRIGGER IF NOT EXISTS events_insert_guard BEFORE INSERT ON events
       WHEN NEW.position <> (SELECT COALESCE(MAX(position), 0) + 1 FROM events)
         OR EXISTS (SELECT 1 FROM events WHERE event_id = NEW.event_id)
         OR EXISTS (SELECT 1 FROM events WHERE stream = NEW.stream AND version = NEW.version)
       BEGIN SELECT RAISE(ABORT, 'events are append-only: an insert must take the next position'); END""",
    """CREATE TRIGGER IF NOT EXISTS event_seals_no_update BEFORE UPDATE ON event_seals
       BEGIN SELECT RAISE(ABORT, 'seals are append-only: UPDATE refused'); END""",
    """CREATE TRIGGER IF NOT EXISTS event_seals_no_delete BEFORE DELETE ON event_seals
       BEGIN SELECT RAISE(ABORT, 'seals are append-only: DELETE refused'); END""",
]

_PG_GUARDS = [
    """CREATE OR REPLACE FUNCTION events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'events are append-only: % refused', TG_OP; END $$""",
    """CREATE OR REPLACE FUNCTION events_insert_guard() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF NEW.position <> (SELECT COALESCE(MAX(position), 0) + 1 FROM events) THEN
           RAISE EXCEPTION 'events are append-only: an insert must take the next position';
         END IF;
         RETURN NEW;
       END $$""",
    """CREATE OR REPLACE TRIGGER events_no_update BEFORE UPDATE OR DELETE ON events
       FOR EACH ROW EXECUTE FUNCTION events_refuse_change()""",
    """CREATE OR REPLACE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
       FOR EACH STATEMENT EXECUTE FUNCTION events_refuse_change()""",
    """CREATE OR REPLACE TRIGGER events_insert_guard BEFORE INSERT ON events
       FOR EACH ROW EXECUTE FUNCTION events_insert_guard()""",
    """CREATE OR REPLACE TRIGGER event_seals_no_change BEFORE UPDATE OR DELETE ON event_seals
       FOR EACH ROW EXECUTE FUNCTION events_refuse_change()""",
]

# One index per filter of the event list (store.reading.log_query). On SQLite each also holds the position
# (the rowid), so "WHERE unit = ? ORDER BY position DESC LIMIT n" reads n index entries.
FILTER_INDEXES = {"ix_events_occurred_on": "occurred_on", "ix_events_unit": "unit",
                  "ix_events_actor": "actor", "ix_events_recorded_at": "recorded_at"}

# The rules' look-ups in a stream (store.log: the plan's settings, an activity's plan, its open
# requests, retractions) read only ``rules.STREAM_FACTS``. An activity's stream also holds every report
# of it: through the (stream, version) index such a look-up read every report (176 ms at a million
# events on SQLite, three per request), through the type index every retraction of the log (41 ms).
# This partial index holds only those facts, by stream, so a look-up reads what it finds; a report's
# append does not touch it. A query uses it when it repeats the index's condition (``FACTS_ONLY``);
# the name carries a digest of the types, so a change of the list makes init build a new one.
FACTS_ONLY = f"type IN ({', '.join(repr(t) for t in sorted(rules.STREAM_FACTS))})"
FACTS_INDEX = f"ix_events_facts_{hashlib.sha256(FACTS_ONLY.encode()).hexdigest()[:8]}"




def _ensure_facts_index(conn: Connection) -> None:
    """``FACTS_INDEX`` for the current list of facts, and no index of an older list (each costs appends)."""
    from sqlalchemy import inspect

    for index in inspect(conn).get_indexes("events"):
        if index["name"].startswith("ix_events_facts_") and index["name"] != FACTS_INDEX:
            conn.execute(text(f"DROP INDEX {index['name']}"))
    conn.execute(text(f"CREATE INDEX IF NOT EXISTS {FACTS_INDEX} ON events (stream, type) WHERE {FACTS_ONLY}"))


def create(conn: Connection, is_sqlite: bool) -> None:
    """The table, its guards and its indexes; running it again changes nothing."""
    SQLModel.metadata.create_all(conn, tables=[EVENTS, SEALS])
    for ddl in _SQLITE_GUARDS if is_sqlite else _PG_GUARDS:
        conn.execute(text(ddl))
    for name, column in FILTER_INDEXES.items():
        conn.execute(text(f"CREATE INDEX IF NOT EXISTS {name} ON events ({column})"))
    _ensure_facts_index(conn)
