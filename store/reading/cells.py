"""The folded state of one stream: what its facts add up to, per business day.

A board asks "as of day D" again and again (today, the meeting date, the date of the last
meeting), and a log can hold millions of facts. Keeping the facts themselves would make every
question cost the whole log; keeping only per-day sums, counts and the few rare facts (risks,
milestones, revisions) makes it cost the days of a plan — a few hundred per activity — however
many events were recorded. Every fact can also be taken out again (``sign=-1``), which is how a
retraction undoes exactly what the retracted event added.

Days are ``date.toordinal()`` integers: cheap to compare and to hash.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from store.domain.rules import ANSWER_FIELDS, REPORT_TYPES, REQUEST_KIND

# The plan's words an ActivityRevised may change.
REVISABLE = ("title", "body", "window_text", "start", "end", "lead_units", "partner_units", "targets")
# Requests (type → kind) and the field by which an answer names its request: store/domain/rules.py's.
REQUESTS, ANSWERS = REQUEST_KIND, ANSWER_FIELDS


@dataclass
class StreamCells:
    """Per-day aggregates of one stream's facts; nothing here grows with the number of events
    except the rare kinds (risks, milestones, revisions) and one entry per progress report."""

    reports: dict[int, list[tuple[int, float, str]]] = field(default_factory=dict)   # day → [(position, percent, unit)]
    # The same reports per unit, sorted by (day, position): a unit's latest report by a day is one bisection,
    # where a scan of ``reports`` costs every report of the activity (0.14 s per overview rerun at 1M events).
    unit_timeline: dict[str, list[tuple[int, int, float]]] = field(default_factory=dict)
    completed: Counter[tuple[int, str]] = field(default_factory=Counter)        # (day, unit) → completions
    risks: list[tuple[int, int, int]] = field(default_factory=list)             # (day, position, +1 flag / -1 resolve)
    advances: Counter[tuple[str, int]] = field(default_factory=Counter)         # (target, day) → amount
    milestones_planned: list[tuple[int, int, str, str, str | None]] = field(default_factory=list)  # day, pos, key, title, due
    milestones_reached: list[tuple[int, int, str]] = field(default_factory=list)                   # day, pos, key
    revisions: list[tuple[int, int, dict[str, Any]]] = field(default_factory=list)                 # day, pos, changes
    by_who: Counter[tuple[str, int]] = field(default_factory=Counter)           # (unit named or recording, day) → events
    own: Counter[tuple[str, int]] = field(default_factory=Counter)              # (recording unit, day) → events
    reported: Counter[tuple[str, int]] = field(default_factory=Counter)         # (reporting unit, day) → reports
                                                                                # (rules.REPORT_TYPES) that stand
    participation: dict[tuple[str, int | None, int], list[int]] = field(default_factory=dict)  # (unit, date, day) → [reports, participants, sessions]
    standing: Counter[int] = field(default_factory=Counter)   # day → facts of that day that stand
    recorded: Counter[tuple[str, int]] = field(default_factory=Counter)       # (type, day) → events recorded,
                                                                               # retracted ones and retractions too
    changes: Counter[str] = field(default_factory=Counter)   # event type → changes it made here, so a frame
                                                             # part is reused until a type it reads changes it
    # 办结/延期 requests: (day, position, event_id, kind, unit, note, asked end) and the answers naming
    # them: (day, position, request event_id, answering type, note) — rare facts, kept as they are.
    requests: list[tuple[int, int, str, str, str, str, str | None]] = field(default_factory=list)
    answers: list[tuple[int, int, str, str, str]] = field(default_factory=list)

    def apply(self, kind: str, position: int, day: int, unit: str, payload: dict[str, Any], sign: int = 1,
              event_id: str = "") -> None:
        """Add one fact (``sign=1``) or take it out again (``sign=-1``); ``event_id`` names a request.

        Names kept here are interned: each event read brings its own copy of a unit's name, and at
        a million events the state held 257,000 string objects of 10,580 values, all of them
        unpickled again by a restart from a snapshot."""
        kind, unit = sys.intern(kind), sys.intern(unit)
        self.changes[kind] += 1
        if sign > 0:
            self.recorded[(kind, day)] += 1
        who = unit
        if kind == "ParticipationRecorded":   # four facts in five: first, and without detours
            who, people = sys.intern(payload["unit"]), int(payload["participants"])
            key = (who, _ordinal(payload.get("date")), day)
            cell = self.participation.get(key) or self.participation.setdefault(key, [0, 0, 0])
            cell[0] += sign
            cell[1] += sign * people
            cell[2] += sign * int(payload.get("sessions") or 0)
        elif kind == "ProgressReported":
            entries = self.reports.setdefault(day, [])
            entry = (position, float(payload["percent"]), unit)
            entries.append(entry) if sign > 0 else entries.remove(entry)
            timeline = self.unit_timeline.setdefault(unit, [])
            at = (day, position, entry[1])
            bisect.insort(timeline, at) if sign > 0 else timeline.pop(bisect.bisect_left(timeline, at))
        elif kind == "TargetAdvanced":
            self.advances[(payload["target"], day)] += sign * int(payload["amount"])
        elif kind == "ActivityCompleted":
            self.completed[(day, unit)] += sign
        elif kind in ("RiskFlagged", "RiskResolved"):
            _toggle(self.risks, (day, position, 1 if kind == "RiskFlagged" else -1), sign)
        elif kind == "MilestonePlanned":
            _toggle(self.milestones_planned, (day, position, sys.intern(payload["key"]), sys.intern(payload["title"]),
                                              payload.get("due")), sign)
        elif kind == "MilestoneReached":
            _toggle(self.milestones_reached, (day, position, sys.intern(payload["key"])), sign)
        elif kind == "ActivityRevised":
            changes = {k: payload[k] for k in REVISABLE if payload.get(k) is not None}
            _toggle(self.revisions, (day, position, changes), sign)
        elif kind in REQUESTS:
            _toggle(self.requests, (day, position, event_id, REQUESTS[kind], unit, payload.get("note")
                                    or payload.get("reason") or "", payload.get("end")), sign)
        if kind in ANSWERS and payload.get(ANSWERS[kind]):
            _toggle(self.answers, (day, position, payload[ANSWERS[kind]], kind,
                                   payload.get("reason") or payload.get("note") or ""), sign)
        if who:
            self.by_who[(who, day)] += sign
            if kind in REPORT_TYPES:
                self.reported[(who, day)] += sign
        if unit:
            self.own[(unit, day)] += sign
        self.standing[day] += sign

    def note(self, kind: str, day: int) -> None:
        """Count an event of the stream that adds no fact (a retraction) where the timeline counts events."""
        self.changes[kind] += 1
        self.recorded[(kind, day)] += 1

    def revision(self, kinds: frozenset[str] | None = None) -> int:
        """A number that grows whenever a fact of one of ``kinds`` (any kind: None) came or went."""
        return sum(self.changes.values()) if kinds is None else sum(self.changes[k] for k in kinds)

    # -- cuts -------------------------------------------------------------------------------------

    def latest_report(self, day: int, counts: Callable[[str], bool] = lambda unit: True) -> tuple[int, float, int] | None:
        """(day, percent, reports so far) of the last report by ``day`` of a unit that ``counts`` (a lead or
        the office, see store/domain/rules.py): latest day, then latest position. The count is of all reports."""
        best: tuple[int, int, float] | None = None
        count = 0
        for on, entries in self.reports.items():
            if on <= day and entries:
                count += len(entries)
                for position, percent, unit in reversed(entries):   # folded in position order: latest last
                    if counts(unit):
                        if best is None or (on, position) > best[:2]:
                            best = (on, position, percent)
                        break
        return None if best is None else (best[0], best[2], count)

    def unit_reports(self, day: int) -> dict[str, tuple[int, float]]:
        """Each unit's own latest report by ``day``: unit → (day, percent)."""
        latest: dict[str, tuple[int, float]] = {}
        for unit, timeline in self.unit_timeline.items():
            last = bisect.bisect_right(timeline, (day, math.inf, math.inf))
            if last:
                on, _, percent = timeline[last - 1]
                latest[unit] = (on, percent)
        return latest

    def done_on(self, day: int, counts: Callable[[str], bool] = lambda unit: True) -> int | None:
        """The first day by ``day`` of a standing completion by a unit that ``counts``."""
        return min((on for (on, unit), n in self.completed.items() if on <= day and n > 0 and counts(unit)),
                   default=None)

    def last_standing_day(self) -> int:
        """The latest business day of a fact that stands (retracted ones left out), 0 for none."""
        return max((on for on, n in self.standing.items() if n > 0), default=0)

    def risk_open(self, day: int) -> bool:
        flagged = max((p for on, p, k in self.risks if on <= day and k > 0), default=0)
        resolved = max((p for on, p, k in self.risks if on <= day and k < 0), default=0)
        return flagged > resolved

    def participants_by(self, day: int) -> int:
        return sum(people for (_, _, on), (_, people, _) in self.participation.items() if on <= day)

    def advanced(self, day: int) -> Counter[str]:
        total: Counter[str] = Counter()
        for (target, on), amount in self.advances.items():
            if on <= day:
                total[target] += amount
        return total

    def revisions_by(self, day: int) -> list[dict[str, Any]]:
        """Changes that took effect by ``day``, in the order they apply (business day, then position)."""
        return [changes for on, _, changes in sorted(self.revisions, key=lambda r: r[:2]) if on <= day]

    def requests_by(self, day: int) -> list[tuple[tuple, tuple | None]]:
        """Each request made by ``day`` with the first answer by ``day`` naming it (None: still open)."""
        answers: dict[str, tuple] = {}
        for answer in sorted(self.answers, key=lambda a: a[:2]):
            if answer[0] <= day:
                answers.setdefault(answer[2], answer)
        return [(r, answers.get(r[2])) for r in sorted(self.requests, key=lambda r: r[:2]) if r[0] <= day]

    def reporters(self, day: int) -> set[str]:
        """Units that recorded any fact of this stream by ``day``."""
        return {unit for (unit, on), n in self.own.items() if on <= day and n > 0}


def _toggle(items: list[Any], item: Any, sign: int) -> None:
    items.append(item) if sign > 0 else items.remove(item)


@lru_cache(maxsize=4096)
def _ordinal(value: str | None) -> int | None:
    """The day of a payload's ISO date text (a plan spans a few hundred of them: cached)."""
    return dt.date.fromisoformat(value).toordinal() if value else None


def to_date(ordinal: int | None) -> dt.date | None:
    return None if ordinal is None else dt.date.fromordinal(ordinal)
