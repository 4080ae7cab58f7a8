"""Whether a stored event can be folded: the rules of an append, applied again to what is stored.

Appends and imports refuse what breaks these rules, but a log written before they held, or rows put
in through a raw connection (the triggers allow an insert at the next position with a whole chain),
can still hold such an event — for good, since the log is append-only. One such row must never take
the board down: the projector sets it aside (the board shows everything else, and the 事件日志 page
names it), and ``verify`` names it too.

The checks run on every event of every fold, so the frequent kinds are checked by the shape of the
fields the fold reads (a pydantic validation per event would double a cold start on a million
events); the rare kinds (plans, activities, revisions, milestones) by their full schema.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from store import config
from store.domain import events
from store.domain.refusal import PayloadError

if TYPE_CHECKING:
    from store.log import StoredEvent

_DAY = "an ISO date"
_NUMBER = (int, float)
# The fields each frequent kind's fold reads, and what they must be.
FOLDED_FIELDS: dict[str, dict[str, Any]] = {
    "ParticipationRecorded": {"unit": str, "date": _DAY, "participants": int, "sessions": int},
    "ProgressReported": {"percent": _NUMBER},
    "TargetAdvanced": {"target": str, "amount": int},
    "MilestoneReached": {"key": str},
    "ActivityCompleted": {},
    "RiskFlagged": {},
    "RiskResolved": {},
    "EventRetracted": {"retracted_event_id": str},
}


@lru_cache(maxsize=4096)
def _is_day(value: str) -> bool:
    try:
        return config.EARLIEST_DATE <= dt.date.fromisoformat(value) <= config.LATEST_DATE
    except ValueError:
        return False


def payload_fault(kind: str, payload: Any) -> str | None:
    """Why this (upcast) payload cannot be folded, or None."""
    if kind not in events.EVENT_TYPES:
        return f"unknown event type {kind[:60]!r}"
    if not isinstance(payload, dict):
        return "payload is not a JSON object"
    fields = FOLDED_FIELDS.get(kind)
    if fields is None:
        try:
            normalised = events.validate(kind, payload)
        except PayloadError as exc:
            return f"payload.{exc.field}: {exc.message}"
        differs = events.first_difference(normalised, payload)
        return None if differs is None else f"payload.{differs}: not in the form an append stores"
    for name, wanted in fields.items():
        value = payload.get(name)
        if wanted is _DAY:
            ok = isinstance(value, str) and _is_day(value)
        else:
            ok = isinstance(value, wanted) and not isinstance(value, bool)
        if not ok:
            return f"payload.{name}: must be {wanted if wanted is _DAY else _type_name(wanted)}"
    return None


def _type_name(wanted: Any) -> str:
    return "a number" if wanted is _NUMBER else "text" if wanted is str else "an integer"


class Soundness:
    """Follows the log in position order and says which events break the stream rules.

    ``lookup`` reads an event by id (a retraction's target); ``set_aside`` collects position → reason
    of every event found unsound, including rows that could not even be read (``note``).
    """

    def __init__(self, lookup: Callable[[str], StoredEvent | None]) -> None:
        self.lookup = lookup
        self.planned: set[str] = set()
        self.retracted: set[str] = set()
        self.set_aside: dict[int, str] = {}

    def note(self, position: int, reason: str) -> None:
        self.set_aside[position] = reason

    def admit(self, event: StoredEvent) -> bool:
        """Whether the event may be folded; if not, it is set aside with the reason."""
        reason = self._fault(event)
        if reason is None:
            return True
        self.set_aside[event.position] = reason
        return False

    def _fault(self, event: StoredEvent) -> str | None:
        kind, stream = event.type, event.stream
        if not config.EARLIEST_DATE <= event.occurred_on <= config.LATEST_DATE:
            return f"occurred_on {event.occurred_on} is outside {config.EARLIEST_DATE}..{config.LATEST_DATE}"
        if (fault := payload_fault(kind, event.payload)) is not None:
            return fault
        stream_kind = events.stream_kind(stream)
        if kind in events.PLAN_TYPES and stream_kind != "plan":
            return f"{kind} in {stream[:80]}, not a plan/ stream"
        if kind in events.UNIT_TYPES and stream != events.UNITS_STREAM:
            return f"{kind} in {stream[:80]}, not the {events.UNITS_STREAM} stream"
        if kind in events.ACTIVITY_OPENING_TYPES:
            if stream_kind != "activity":
                return f"{kind} in {stream[:80]}, not an activity/ stream"
            if stream in self.planned:
                return f"{stream[:80]} is planned already"
            self.planned.add(stream)
        elif stream_kind == "activity" and stream not in self.planned:
            return f"{stream[:80]} has not been planned"
        if kind == "EventRetracted":
            return self._retraction_fault(event)
        return None

    def _retraction_fault(self, event: StoredEvent) -> str | None:
        target_id = event.payload["retracted_event_id"]
        target = self.lookup(target_id)
        if target is None or target.position >= event.position:
            return f"retracts no earlier event ({target_id[:64]})"
        if target.stream != event.stream:
            return "retracts an event of another stream"
        if target.type == "EventRetracted":
            return "retracts a retraction"
        if target_id in self.retracted:
            return f"retracts {target_id[:64]} a second time"
        self.retracted.add(target_id)
        return None
