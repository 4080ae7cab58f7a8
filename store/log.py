"""The event store application: validated, idempotent, concurrency-checked appends and reads.

Writers (forms, the importer, scripts) hand it ``NewEvent``s; it validates every payload, applies
the stream rules (an activity fact needs a planned activity; a retraction names a live event of
the same stream), chains the hashes and hands rows to the recorder in one transaction. Readers get
``StoredEvent``s with payloads upcast to the current schema.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from store import config, events
from store.chain import GENESIS_HASH, canonical_json, envelope_hash, parse_json
from store.recorder import COLUMNS, EVENTS, AppendTx, Head, Recorder


class StoreError(Exception):
    """A refusal the caller can show as one line; nothing was written."""


class ConcurrencyError(StoreError):
    """The stream moved on since the writer read it (stale expected version)."""


class StreamRuleError(StoreError):
    """The event does not fit its stream: unknown activity, bad retraction, wrong stream kind."""


class ImportFileError(StoreError):
    """An export file is malformed or its hash chain is broken."""


PayloadError = events.PayloadError


@dataclass(frozen=True)
class NewEvent:
    """An event a writer wants appended. ``event_id`` makes a retried submit a no-op."""

    type: str
    stream: str
    payload: dict[str, Any]
    occurred_on: dt.date | None = None
    event_id: str | None = None
    actor: str = ""
    unit: str = ""
    expected_version: int | None = None


@dataclass(frozen=True, slots=True)
class StoredEvent:
    position: int
    event_id: str
    stream: str
    version: int
    type: str
    schema_version: int
    occurred_on: dt.date
    recorded_at: dt.datetime
    actor: str
    unit: str
    payload: dict[str, Any] = field(hash=False)
    prev_hash: str
    hash: str


def format_recorded_at(moment: dt.datetime) -> str:
    """Fixed-width UTC text (YYYY-MM-DDTHH:MM:SS.ffffffZ): sorts as time sorts, and hashes the same
    on every backend."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)  # a naive time is UTC, as in the projections
    return moment.astimezone(dt.UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def parse_recorded_at(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)  # the fixed UTC form above; 4x faster than strptime


def business_today() -> dt.date:
    return dt.datetime.now(ZoneInfo(config.DISPLAY_TZ)).date()


def _row_to_stored(row: Sequence[Any], *, upcast: bool = True) -> StoredEvent:
    """A stored event from a recorder row (a tuple in ``COLUMNS`` order): the hot path of every fold."""
    position, event_id, stream, version, kind, schema, occurred, recorded, actor, unit, payload, prev, digest = row
    payload = parse_json(payload)
    if upcast and schema != (current := events.schema_version(kind)):
        payload, schema = events.upcast(kind, schema, payload), current
    return StoredEvent(position, event_id, stream, version, kind, schema,
                       occurred if isinstance(occurred, dt.date) else dt.date.fromisoformat(occurred),
                       parse_recorded_at(recorded), actor, unit, payload, prev, digest)


def _as_tuple(row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row[name] for name in COLUMNS)


def _envelope_of_row(row: Sequence[Any]) -> dict[str, Any]:
    envelope = dict(zip(COLUMNS, row))
    occurred = envelope["occurred_on"]
    envelope["occurred_on"] = occurred if isinstance(occurred, str) else occurred.isoformat()
    envelope["payload"] = parse_json(envelope["payload"])
    return envelope


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    count: int
    head_hash: str
    bad_position: int | None = None
    reason: str = ""


class EventStore:
    """The log on one database: append, read, verify, export and import."""

    def __init__(self, url: str | None = None, *, sqlite_synchronous: str | None = None) -> None:
        self.url = config.database_url(url)
        self.recorder = Recorder(self.url, synchronous=sqlite_synchronous)

    def init(self) -> None:
        self.recorder.init()

    def close(self) -> None:
        self.recorder.dispose()

    # -- writing -------------------------------------------------------------------------------

    def append(self, new: NewEvent) -> StoredEvent:
        """Append one event, or return the stored one when its event_id was appended before."""
        return self.append_many([new])[0]

    def append_many(self, batch: Sequence[NewEvent]) -> list[StoredEvent]:
        """Append all events in one transaction, or none. Already stored event_ids are returned as stored."""
        prepared = [self._prepare(new) for new in batch]
        ids = [p["event_id"] for p in prepared]
        if len(set(ids)) != len(ids):
            raise StoreError("the same event_id appears twice in one batch")
        with self.recorder.appending() as tx:
            existing = tx.existing(ids)
            head = tx.head()
            rows: list[dict[str, Any]] = []
            in_batch: dict[str, dict[str, Any]] = {}
            pending: dict[str, int] = {}
            for new, row in zip(batch, prepared):
                if row["event_id"] in existing:
                    continue
                stream = row["stream"]
                self._check_stream(tx, new, row, in_batch, pending.get(stream, 0))
                pending[stream] = pending.get(stream, 0) + 1
                row["version"] = tx.stream_version(stream) + pending[stream]
                head = self._chain(row, head.position + 1, head.hash)
                rows.append(row)
                in_batch[row["event_id"]] = row
            tx.insert(rows)
        by_id = {**existing, **{r["event_id"]: r for r in rows}}
        return [_row_to_stored(_as_tuple(by_id[i])) for i in ids]

    def retract(self, event_id: str, reason: str, *, actor: str = "", unit: str = "",
                occurred_on: dt.date | None = None, retraction_id: str | None = None) -> StoredEvent:
        """Record a correction of an earlier event in that event's own stream."""
        target = self.get(event_id)
        if target is None:
            raise StreamRuleError(f"no event with id {event_id}")
        return self.append(NewEvent(
            type="EventRetracted", stream=target.stream,
            payload={"retracted_event_id": event_id, "reason": reason},
            occurred_on=occurred_on, event_id=retraction_id, actor=actor, unit=unit))

    def _prepare(self, new: NewEvent) -> dict[str, Any]:
        if not new.stream or len(new.stream) > 200:
            raise StreamRuleError("stream must be 1 to 200 characters")
        payload = events.validate(new.type, new.payload)
        occurred = new.occurred_on or business_today()
        if not _in_range(occurred):
            _raise_date(new.type, occurred)
        event_id = new.event_id or str(uuid.uuid4())
        if len(event_id) > 64:
            raise StoreError("event_id must be at most 64 characters")
        for name, value, limit in (("actor", new.actor, 100), ("unit", new.unit, 200)):
            if len(value) > limit:
                raise PayloadError(new.type, name, f"at most {limit} characters")
        return {
            "event_id": event_id,
            "stream": new.stream,
            "type": new.type,
            "schema_version": events.schema_version(new.type),
            "occurred_on": occurred,
            "recorded_at": format_recorded_at(dt.datetime.now(dt.UTC)),
            "actor": new.actor,
            "unit": new.unit,
            "payload": payload,
        }

    def _check_stream(self, tx: AppendTx, new: NewEvent, row: dict[str, Any],
                      in_batch: dict[str, dict[str, Any]], pending: int) -> None:
        stream, kind = row["stream"], events.stream_kind(row["stream"])
        version = tx.stream_version(stream) + pending
        if new.expected_version is not None and new.expected_version != version:
            raise ConcurrencyError(
                f"stream {stream} is at version {version}, the writer expected {new.expected_version}")
        if new.type in events.PLAN_TYPES and kind != "plan":
            raise StreamRuleError(f"{new.type} belongs in a plan/ stream, not {stream}")
        if new.type in events.PLAN_FACT_TYPES and (kind != "plan" or version == 0):
            raise StreamRuleError(f"{new.type} belongs in the plan/ stream of an imported plan, not {stream}")
        if new.type in events.ACTIVITY_OPENING_TYPES:
            if kind != "activity":
                raise StreamRuleError(f"{new.type} belongs in an activity/ stream, not {stream}")
            if version:
                raise StreamRuleError(f"activity {stream} is already planned")
        elif kind == "activity" and version == 0:
            raise StreamRuleError(f"unknown activity: {stream} has not been planned")
        if new.type == "EventRetracted":
            self._check_retraction(tx, row, in_batch)

    def _check_retraction(self, tx: AppendTx, row: dict[str, Any], in_batch: dict[str, dict[str, Any]]) -> None:
        target_id = row["payload"]["retracted_event_id"]
        target = in_batch.get(target_id) or tx.existing([target_id]).get(target_id)
        if target is None:
            raise StreamRuleError(f"no event with id {target_id} to retract")
        if target["type"] == "EventRetracted":
            raise StreamRuleError("a retraction cannot be retracted; record the fact again instead")
        if target["stream"] != row["stream"]:
            raise StreamRuleError(f"a retraction goes into the stream of its event ({target['stream']})")
        fragment = canonical_json({"retracted_event_id": target_id})[1:-1]
        already = tx.retraction_of(row["stream"], fragment) or any(
            r["type"] == "EventRetracted" and fragment in r["payload"]  # in-batch payloads are canonical JSON text
            for r in in_batch.values())
        if already:
            raise StreamRuleError(f"event {target_id} is already retracted")

    @staticmethod
    def _chain(row: dict[str, Any], position: int, prev_hash: str) -> Head:
        row["position"] = position
        row["prev_hash"] = prev_hash
        row["hash"] = envelope_hash({**row, "occurred_on": row["occurred_on"].isoformat()})
        row["payload"] = canonical_json(row["payload"])
        return Head(position, row["hash"])

    # -- reading -------------------------------------------------------------------------------

    def read(self, *, after: int = 0, upto: int | None = None, stream: str | None = None,
             types: Iterable[str] | None = None, unit: str | None = None,
             occurred_from: dt.date | None = None, occurred_to: dt.date | None = None,
             known_at: dt.datetime | None = None) -> Iterator[StoredEvent]:
        """Events in position order, filtered in the database, payloads upcast."""
        where = []
        if stream is not None:
            where.append(EVENTS.c.stream == stream)
        if types is not None:
            where.append(EVENTS.c.type.in_(list(types)))
        if unit is not None:
            where.append(EVENTS.c.unit == unit)
        if occurred_from is not None:
            where.append(EVENTS.c.occurred_on >= occurred_from)
        if occurred_to is not None:
            where.append(EVENTS.c.occurred_on <= occurred_to)
        if known_at is not None:
            where.append(EVENTS.c.recorded_at <= format_recorded_at(known_at))
        for row in self.recorder.rows(*where, after=after, upto=upto):
            yield _row_to_stored(row)

    def get(self, event_id: str) -> StoredEvent | None:
        rows = list(self.recorder.rows(EVENTS.c.event_id == event_id))
        return _row_to_stored(rows[0]) if rows else None

    def head(self) -> tuple[int, str]:
        head = self.recorder.head()
        return head.position, head.hash

    def stats(self) -> dict[str, Any]:
        raw = self.recorder.stats()
        as_text = lambda d: d if d is None or isinstance(d, str) else d.isoformat()  # noqa: E731
        return {
            "head_position": raw["head"].position,
            "head_hash": raw["head"].hash,
            "by_type": dict(sorted(raw["by_type"].items())),
            "first_occurred_on": as_text(raw["first"]),
            "last_occurred_on": as_text(raw["last"]),
        }

    # -- integrity, export, import -------------------------------------------------------------

    def verify(self) -> VerifyResult:
        """Recompute the chain from the stored rows; name the first position that does not hold."""
        return verify_envelopes(_envelope_of_row(row) for row in self.recorder.rows())

    def export(self) -> Iterator[str]:
        """JSON Lines, one full envelope per line with its hashes, in position order."""
        for row in self.recorder.rows():
            yield canonical_json(_envelope_of_row(row))

    def import_lines(self, lines: Iterable[str]) -> int:
        """Append an export, all or nothing. Known event_ids are skipped, so re-import is a no-op.

        The file's own chain must verify first. Envelopes keep their event_id, time stamps, actor
        and unit; positions and hashes are those of this store, so an import into an empty store
        reproduces the source's head_hash exactly.
        """
        envelopes = []
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                envelope = json.loads(line)
                missing = [n for n in ("event_id", "stream", "type", "payload", "hash") if n not in envelope]
            except json.JSONDecodeError as exc:
                raise ImportFileError(f"line {number}: not JSON ({exc.msg})") from None
            if not isinstance(envelope, dict) or missing:
                raise ImportFileError(f"line {number}: not an event envelope (missing {missing})")
            envelopes.append(envelope)
        seen: set[str] = set()
        for envelope in envelopes:
            if envelope["event_id"] in seen:
                raise ImportFileError(f"position {envelope.get('position')}: event_id {envelope['event_id']} "
                                      "appears twice in the file")
            seen.add(envelope["event_id"])
        checked = verify_envelopes(envelopes)
        if not checked.ok:
            raise ImportFileError(f"the file's hash chain breaks at position {checked.bad_position}: {checked.reason}")
        with self.recorder.appending() as tx:
            existing = tx.existing([e["event_id"] for e in envelopes])
            head = tx.head()
            rows: list[dict[str, Any]] = []
            pending: dict[str, int] = {}
            for envelope in envelopes:
                if envelope["event_id"] in existing:
                    continue
                # Validate the upcast form, but store the payload as exported so the hash holds.
                events.validate(envelope["type"], events.upcast(
                    envelope["type"], envelope["schema_version"], envelope["payload"]))
                row = {
                    "event_id": envelope["event_id"],
                    "stream": envelope["stream"],
                    "type": envelope["type"],
                    "schema_version": envelope["schema_version"],
                    "occurred_on": dt.date.fromisoformat(envelope["occurred_on"]),
                    "recorded_at": envelope["recorded_at"],
                    "actor": envelope["actor"],
                    "unit": envelope["unit"],
                    "payload": envelope["payload"],
                }
                pending[row["stream"]] = pending.get(row["stream"], 0) + 1
                row["version"] = tx.stream_version(row["stream"]) + pending[row["stream"]]
                head = self._chain(row, head.position + 1, head.hash)
                rows.append(row)
            tx.insert(rows)
        return len(rows)


def verify_envelopes(envelopes: Iterable[dict[str, Any]]) -> VerifyResult:
    """Positions must run 1, 2, 3 … and every hash must follow from its row and the one before."""
    prev_hash, count = GENESIS_HASH, 0
    for envelope in envelopes:
        count += 1
        position = envelope.get("position")
        if position != count:
            return VerifyResult(False, count - 1, prev_hash, count, f"position {position} where {count} was due")
        if envelope.get("prev_hash") != prev_hash:
            return VerifyResult(False, count - 1, prev_hash, count, "prev_hash does not match the hash before it")
        try:
            recomputed = envelope_hash(envelope)
        except KeyError as exc:
            return VerifyResult(False, count - 1, prev_hash, count, f"field {exc} missing")
        if recomputed != envelope.get("hash"):
            return VerifyResult(False, count - 1, prev_hash, count, "hash does not match the row's content")
        prev_hash = envelope["hash"]
    return VerifyResult(True, count, prev_hash)


def _in_range(day: dt.date) -> bool:
    return config.EARLIEST_DATE <= day <= config.LATEST_DATE


def _raise_date(event_type: str, day: dt.date) -> None:
    raise PayloadError(event_type, "occurred_on",
                       f"date {day} is outside {config.EARLIEST_DATE}..{config.LATEST_DATE}")
