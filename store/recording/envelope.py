"""What an event is on its way in and out of the store, and how the store says no.

``NewEvent`` is what a writer hands the store, ``StoredEvent`` what a reader gets back, and the
envelope checks (column sizes, the dates a plan can cover) are the ones every event passes,
appended or imported. A refusal is a ``StoreError``: English for the log, ``zh`` for whoever made
it. Kept apart from ``store.log`` so that the export file's reader (``store.recording.export_file``) and the
application share them without importing each other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from store import config
from store.domain import events, rules
from store.domain.refusal import PayloadError
from store.recording.chain import canonical_json, parse_json


class StoreError(Exception):
    """A refusal the caller can show as one line; nothing was written. ``str()`` is the log's English,
    ``zh`` the same refusal in Chinese for whoever made it (the command line prints it, store/command.py)."""

    def __init__(self, message: str, zh: str) -> None:
        super().__init__(message)
        self.zh = zh


class ConcurrencyError(StoreError):
    """The stream moved on since the writer read it (stale expected version)."""


class StreamRuleError(StoreError):
    """The event does not fit its stream: unknown activity, bad retraction, wrong stream kind.

    ``code`` names which rule refused it (one of ``STREAM_RULES``), so a form can say so in its own
    words without reading the English message."""

    def __init__(self, message: str, zh: str, code: str = "wrong_stream") -> None:
        super().__init__(message, zh)
        self.code = code


STREAM_RULES = ("unknown_activity", "no_such_event", "retract_retraction", "already_retracted", "wrong_stream")


class RuleRefused(StoreError):
    """A fact the domain rules refuse (store/domain/rules.py); ``zh`` says why in the page's words."""

    def __init__(self, error: rules.RuleError) -> None:
        super().__init__(str(error), error.zh)


class ImportFileError(StoreError):
    """An export file is malformed, its hash chain is broken, or one of its events would be refused
    as an append; the message names the line (and the field)."""


class EventIdConflict(StoreError):
    """An event_id that is stored already, with other content: a retry would silently drop the new fact."""


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


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    count: int
    head_hash: str
    bad_position: int | None = None
    reason: str = ""
    set_aside: tuple[tuple[int, str], ...] = ()   # (position, reason) of events the board cannot fold


ENVELOPE_LIMITS = {"stream": 200, "event_id": 64, "actor": 100, "unit": 200}


def check_envelope(kind: str, stream: str, event_id: str, occurred: dt.date, actor: str, unit: str) -> None:
    """The envelope limits of an append (the columns' sizes, the years a plan can cover)."""
    if not stream or len(stream) > ENVELOPE_LIMITS["stream"]:
        raise StreamRuleError("stream must be 1 to 200 characters", "stream 须为 1 到 200 个字符")
    if not event_id or len(event_id) > ENVELOPE_LIMITS["event_id"]:
        raise StoreError("event_id must be 1 to 64 characters", "event_id 须为 1 到 64 个字符")
    if not _in_range(occurred):
        _raise_date(kind, occurred)
    for name, value in (("actor", actor), ("unit", unit)):
        if len(value) > ENVELOPE_LIMITS[name]:
            raise PayloadError(kind, name, f"at most {ENVELOPE_LIMITS[name]} characters")


def same_as_stored(row: dict[str, Any], stored: dict[str, Any], *, dated: bool) -> None:
    """A known event_id is a retry only when it says the same thing; otherwise the new fact would be
    dropped silently while the writer is told it was recorded. ``dated``: the business date counts too
    (an imported envelope carries its own; an append's retry may default to another day's today)."""
    stored_payload = events.upcast(stored["type"], stored["schema_version"], parse_json(stored["payload"]))
    given_payload = row["payload"] if row["schema_version"] == events.schema_version(row["type"]) else \
        events.upcast(row["type"], row["schema_version"], row["payload"])
    stored_day = stored["occurred_on"]
    stored_day = stored_day if isinstance(stored_day, str) else stored_day.isoformat()
    for name, given, kept in (("stream", row["stream"], stored["stream"]), ("type", row["type"], stored["type"]),
                              ("occurred_on", row["occurred_on"].isoformat() if dated else stored_day, stored_day),
                              ("payload", canonical_json(given_payload), canonical_json(stored_payload))):
        if given != kept:
            raise EventIdConflict(f"event_id {row['event_id']} is already stored at position {stored['position']} "
                                  f"with another {name}; use a new event_id for a new fact",
                                  f"event_id {row['event_id']} 已存于位置 {stored['position']}，但 {name} 不同；"
                                  "新的事实请用新的 event_id")


def _in_range(day: dt.date) -> bool:
    return config.EARLIEST_DATE <= day <= config.LATEST_DATE


def _raise_date(event_type: str, day: dt.date) -> None:
    raise PayloadError(event_type, "occurred_on",
                       f"date {day} is outside {config.EARLIEST_DATE}..{config.LATEST_DATE}",
                       zh=f"发生日期 occurred_on {day} 超出允许的范围（{config.EARLIEST_DATE} 至 {config.LATEST_DATE}）")
