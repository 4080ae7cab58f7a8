"""The event list, filtered, counted and paged in the database: what the log and timeline pages read.

A page that lists events must not hold the whole log (a million rows are 700 MB as a frame and
take twenty seconds to build). Every filter the log page offers is a WHERE clause on an indexed
column (``store.recording.schema.FILTER_INDEXES``), the total is a COUNT, and a page of rows is a bounded
``ORDER BY position DESC LIMIT``: the page costs the rows it shows, not the size of the log.

Rows come as the frame ``store.reading.projections.log_frame`` builds (``LOG_COLUMNS``); the projector adds
what only it knows (the activity's seq, whether an event was retracted): ``Projector.mark``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd
from sqlalchemy import String, and_, extract, func, not_, or_, select, type_coerce

from store.log import EventStore, StoredEvent, _row_to_stored, format_recorded_at
from store.reading.projections import log_frame
from store.recording.schema import EVENTS

_C = EVENTS.c


@dataclass(frozen=True)
class LogQuery:
    """Which events: every field left empty keeps everything.

    ``plan_id`` keeps the plan's own stream, its activities' streams and the streams of no plan.
    ``streams`` keeps those streams, and with ``outside`` also every stream not in ``outside``
    (the log page's "plan level" choice: events of no planned activity). ``recorded`` is a
    half-open range of UTC times; ``months`` a range of months of the business date (1..12).
    ``upto`` is the log position the caller's board stands at, so counts and rows agree with it.
    """

    plan_id: str | None = None
    types: tuple[str, ...] = ()
    exclude_types: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    streams: tuple[str, ...] | None = None
    outside: tuple[str, ...] | None = None
    occurred: tuple[dt.date | None, dt.date | None] = (None, None)
    recorded: tuple[dt.datetime | None, dt.datetime | None] = (None, None)
    months: tuple[int, int] | None = None
    # The sidebar's 关键词: an event whose payload holds the word, or one of an activity whose title
    # or text holds it (``keyword_streams``); case-insensitive.
    keyword: str = ""
    keyword_streams: tuple[str, ...] = ()
    # The sidebar's 状态: only the streams of activities in those states (None: no such filter).
    only_streams: tuple[str, ...] | None = None
    upto: int | None = None
    after: int = 0   # only events after this position (a list followed as the log grows: ``newest_since``)
    # The streams hold most of the log (the timeline's kept activities): find the newest rows by
    # walking positions backwards, not through the stream index, which would sort every row of
    # those streams to find the newest few.
    wide_streams: bool = False

    def is_scope_only(self) -> bool:
        """Whether nothing but the plan (and the position) narrows the query."""
        return self == LogQuery(plan_id=self.plan_id, upto=self.upto, wide_streams=self.wide_streams)

    def keeps_stream(self, stream: str) -> bool:
        """The plan scope of ``where`` for one stream name, in Python (the projector's per-stream counts)."""
        if self.plan_id is None:
            return True
        if stream == f"plan/{self.plan_id}" or stream.startswith(f"activity/{self.plan_id}/"):
            return True
        return not stream.startswith(("plan/", "activity/"))

    def where(self) -> list[Any]:
        clauses: list[Any] = []
        if self.plan_id is not None:   # the same scope as keeps_stream
            mine = or_(_C.stream == f"plan/{self.plan_id}",
                       _C.stream.like(_escaped(f"activity/{self.plan_id}/") + "%", escape="!"))
            clauses.append(or_(mine, and_(not_(_C.stream.like("plan/%")), not_(_C.stream.like("activity/%")))))
        for column, values in ((_C.type, self.types), (_C.unit, self.units), (_C.actor, self.actors)):
            if values:
                clauses.append(column.in_(list(values)))
        if self.exclude_types:
            clauses.append(_C.type.not_in(list(self.exclude_types)))
        if self.streams is not None:
            stream = _C.stream + "" if self.wide_streams else _C.stream   # `stream || ''` uses no index
            chosen = stream.in_(list(self.streams))
            clauses.append(or_(chosen, _C.stream.not_in(list(self.outside))) if self.outside is not None else chosen)
        low, high = self.occurred
        if low is not None:
            clauses.append(_C.occurred_on >= low)
        if high is not None:
            clauses.append(_C.occurred_on <= high)
        low, high = self.recorded
        if low is not None:
            clauses.append(_C.recorded_at >= format_recorded_at(low))
        if high is not None:
            clauses.append(_C.recorded_at < format_recorded_at(high))
        if self.months is not None and tuple(self.months) != (1, 12):
            month = extract("month", _C.occurred_on)
            clauses.append(and_(month >= self.months[0], month <= self.months[1]))
        if self.keyword.strip():
            pattern = "%" + _escaped(self.keyword.strip().lower()) + "%"
            clauses.append(or_(func.lower(_C.payload).like(pattern, escape="!"),
                               _C.stream.in_(list(self.keyword_streams))))
        if self.only_streams is not None:
            clauses.append(_C.stream.in_(list(self.only_streams)))
        if self.upto is not None:
            clauses.append(_C.position <= self.upto)
        if self.after:
            clauses.append(_C.position > self.after)
        return clauses


def _escaped(text: str) -> str:
    return "".join("!" + c if c in "%_!" else c for c in text)


def count(store: EventStore, query: LogQuery) -> int:
    """How many events the query keeps."""
    with store.recorder.read_engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(EVENTS).where(*query.where())).scalar() or 0)


def newest(store: EventStore, query: LogQuery, limit: int | None, offset: int = 0, *,
           payload: bool = False) -> pd.DataFrame:
    """The kept events newest first, ``limit`` of them (None: all) after skipping ``offset``;
    ``payload`` keeps each event's payload (``log_frame``) for the page's detail columns."""
    return log_frame(_events(store, query, limit, offset), payload=payload)


def newest_since(store: EventStore, query: LogQuery, limit: int, kept: tuple[int, pd.DataFrame] | None
                 ) -> pd.DataFrame:
    """``newest(store, query, limit)``, from ``kept`` (the rows of the same query at an earlier
    ``upto``, and that position) and the events appended since: the log only grows and an event's
    fields never change, so the newest rows now are the new ones followed by the newest kept. For a
    query of event fields only: ``only_streams`` and ``keyword_streams`` follow the board's state."""
    if query.only_streams is not None or query.keyword_streams:
        raise ValueError("a query that follows the board's state cannot be followed incrementally")
    if kept is None or query.upto is None or kept[0] > query.upto:
        return newest(store, query, limit)
    upto, rows = kept
    if upto == query.upto:
        return rows
    fresh = newest(store, replace(query, after=max(upto, query.after)), limit)
    return pd.concat([fresh, rows], ignore_index=True).head(limit) if len(fresh) < limit else fresh


def events(store: EventStore, query: LogQuery, limit: int | None = None) -> Iterator[StoredEvent]:
    """The kept events newest first, as stored events (the JSON Lines export of a filtered view)."""
    return _events(store, query, limit, 0)


def _events(store: EventStore, query: LogQuery, limit: int | None, offset: int) -> Iterator[StoredEvent]:
    columns = [type_coerce(c, String) if c.name == "occurred_on" else c for c in EVENTS.columns]
    statement = select(*columns).where(*query.where()).order_by(_C.position.desc())
    if limit is not None:
        statement = statement.limit(limit)
    if offset:
        statement = statement.offset(offset)
    with store.recorder.read_engine.connect() as conn:
        result = conn.execution_options(yield_per=5_000).execute(statement)
        for row in result:
            try:
                yield _row_to_stored(row)
            except Exception:  # noqa: BLE001 - a malformed stored row: left out here, named by verify and the log page
                continue


def distinct(store: EventStore, column: str, query: LogQuery) -> list[str]:
    """The values of ``column`` (unit, actor, type, stream) among the kept events, sorted."""
    target = _C[column]
    with store.recorder.read_engine.connect() as conn:
        return sorted(v for (v,) in conn.execute(select(target).where(*query.where()).distinct()) if v is not None)


def seq_streams(planned: dict[str, int], seqs: Sequence[int], plan_level: int = 0) -> tuple[tuple[str, ...], tuple[str, ...] | None]:
    """The ``streams``/``outside`` pair of a choice of activity seqs (``plan_level``: events outside
    any planned activity), given the planned streams and their seqs."""
    chosen = set(seqs)
    streams = tuple(sorted(s for s, seq in planned.items() if seq in chosen))
    return streams, (tuple(sorted(planned)) if plan_level in chosen else None)
