"""Projections: the log folded into pandas DataFrames, as of a business date and a recorded time.

A ``Projector`` folds the log once and then only the events after the last position it saw, so a
page rerun after one new event reads one row, not the log. What it keeps is per-day aggregates
(``store.reading.cells``), not the facts themselves, so a frame "as of D" costs the days of the plan, not
the size of the log: a board over a million events answers as fast as one over a thousand.

Replay by recorded time (``known_at``: what the board showed at last week's meeting) is answered
by a second projector that folds only the events known by then; it is rare, and exact.

Dates in frames are pandas Timestamps (midnight, no zone); ``recorded_at`` is UTC.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import pandas as pd

from store.domain import rules
from store.domain.soundness import Soundness
from store.domain.status import ATTENTION_ORDER, activity_status, at_risk_reason
from store.log import EventStore, StoredEvent
from store.reading.cells import StreamCells, to_date

# Facts that belong to a stream and are folded into its cells.
ACTIVITY_FACTS = frozenset({
    "ProgressReported", "ParticipationRecorded", "TargetAdvanced", "MilestonePlanned",
    "MilestoneReached", "RiskFlagged", "RiskResolved", "ActivityCompleted", "ActivityRevised",
    "CompletionRequested", "CompletionReturned", "ExtensionRequested", "ExtensionRefused",
})
# Facts the requests frame reads: the requests and whatever can answer them.
REQUEST_FACTS = frozenset({"CompletionRequested", "CompletionReturned", "ExtensionRequested", "ExtensionRefused",
                           "ActivityCompleted", "ActivityRevised"})
# How a request stands, by the type of the answer naming it.
ANSWER_STATES = {"ActivityCompleted": "confirmed", "CompletionReturned": "returned",
                 "ActivityRevised": "approved", "ExtensionRefused": "refused"}
REQUEST_COLUMNS = ["plan_id", "seq", "stream", "request_id", "kind", "unit", "requested_on", "note", "asked_end",
                   "state", "answered_on", "answer_note"]
ACTIVITY_COLUMNS = [
    "plan_id", "seq", "stream", "title", "body", "window_text", "start", "end", "lead_units",
    "partner_units", "status", "reason", "percent", "last_report_on", "done_on", "risk_open", "reports",
    "participants", "attention", "planned_end", "review_pending", "extension_asked",
]
# Frame parts kept for reuse (stream × frame × as-of day): a board asks for a handful of days; past this
# many (a user stepping through dates), they are dropped and rebuilt as asked, which bounds the memory.
_MAX_PARTS = 1_000
LOG_COLUMNS = ["position", "event_id", "stream", "type", "occurred_on", "recorded_at", "actor", "unit",
               "note", "demo", "target_id"]


def _ts(value: Any) -> pd.Timestamp | None:
    if value is None or value == "":
        return None
    return pd.Timestamp(value)


def _utc(moment: dt.datetime) -> pd.Timestamp:
    """A recorded-time cut-off in UTC; a naive time is taken as UTC."""
    stamp = pd.Timestamp(moment)
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


def _from_ordinals(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """Day ordinals (``date.toordinal()``, None for none) to Timestamps, a column at a time: a Python
    date per row would cost more than the rest of the frame."""
    for column in columns:
        days = pd.to_numeric(frame[column], errors="coerce") - _EPOCH_ORDINAL
        frame[column] = pd.to_datetime(days, unit="D")
    return frame


def _month(ordinal: int) -> int:
    """The first day of the month of a day ordinal, as an ordinal."""
    return dt.date.fromordinal(ordinal).replace(day=1).toordinal()


def _dates(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    for column in columns:
        frame[column] = pd.to_datetime(frame[column])
    return frame


class Projector:
    """Folded state of one store. Not thread-safe: give each session or process its own."""

    def __init__(self, store: EventStore, *, known_at: dt.datetime | None = None) -> None:
        self.store = store
        self.known_at = known_at
        self.position = 0
        self.plans: dict[str, dict[str, Any]] = {}
        self.planned: dict[str, dict[str, Any]] = {}
        self.retracted: dict[str, pd.Timestamp] = {}
        # retraction's event_id → (its target's event_id, the reason, the target's position if it is folded)
        self.retractions: dict[str, tuple[str, str, int | None]] = {}
        self.cells: dict[str, StreamCells] = {}
        self.streams: dict[str, tuple[list[int], set[str], set[str]]] = {}   # stream → ([events], units, actors)
        self._log: pd.DataFrame | None = None
        self._log_position = 0
        self._replay: Projector | None = None
        self._parts: dict[tuple[str, str, int], tuple[Any, Any]] = {}
        self.soundness = Soundness(store.get)

    # -- state (what a snapshot keeps: store.reading.snapshots) -----------------------------------------

    def state(self) -> dict[str, Any]:
        """What the folding built, and the position it stands at; frame parts and the log frame are
        rebuilt as asked."""
        sound = self.soundness
        return {"position": self.position, "plans": self.plans, "planned": self.planned,
                "retracted": self.retracted, "retractions": self.retractions, "cells": self.cells,
                "streams": self.streams,
                "soundness": {"planned": sound.planned, "retracted": sound.retracted, "set_aside": sound.set_aside}}

    def load_state(self, state: dict[str, Any]) -> None:
        """Stand at a saved state, as if the events up to its position had been folded here."""
        if self.known_at is not None:
            raise ValueError("a replay by recorded time folds from the start")
        self.position = int(state["position"])
        self.plans, self.planned = state["plans"], state["planned"]
        self.retracted, self.cells, self.streams = state["retracted"], state["cells"], state["streams"]
        self.retractions = state["retractions"]
        sound = state["soundness"]
        self.soundness.planned, self.soundness.retracted = sound["planned"], sound["retracted"]
        self.soundness.set_aside = sound["set_aside"]
        self._log, self._log_position, self._replay = None, 0, None
        self._parts.clear()

    # -- folding -------------------------------------------------------------------------------

    def catch_up(self) -> int:
        """Fold the events appended since the last call; returns how many were folded."""
        folded, upto = 0, self.position
        for event in self.store.read(after=self.position, known_at=self.known_at, on_unreadable=self.soundness.note):
            if self.soundness.admit(event):
                self._fold(event)
            self.position = event.position
            folded += 1
        if self.soundness.set_aside and max(self.soundness.set_aside) > max(self.position, upto):
            self.position = max(self.soundness.set_aside)   # an unreadable last row is passed, not re-read
        return folded

    def _fold(self, event: StoredEvent) -> None:
        kind, payload = event.type, event.payload
        seen = self.streams.get(event.stream)
        if seen is None:
            seen = self.streams[event.stream] = ([0], set(), set())
        seen[0][0] += 1
        seen[1].add(event.unit)
        seen[2].add(event.actor)
        if kind in ACTIVITY_FACTS:
            self._cells(event.stream).apply(kind, event.position, event.occurred_on.toordinal(), event.unit, payload,
                                            event_id=event.event_id)
        elif kind == "PlanImported":
            self.plans[payload["plan_id"]] = {**payload, "recorded_at": _utc(event.recorded_at)}
        elif kind == "ActivityPlanned":
            self.planned[event.stream] = {**payload, "recorded_at": _utc(event.recorded_at), "event_id": event.event_id}
            self._cells(event.stream).changes[kind] += 1
        elif kind == "EventRetracted":
            self._cells(event.stream).note(kind, event.occurred_on.toordinal())
            target = self._unfold(payload["retracted_event_id"], _utc(event.recorded_at))
            self.retractions[event.event_id] = (payload["retracted_event_id"], payload.get("reason") or "",
                                                target.position if target is not None else None)

    def _unfold(self, event_id: str, at: pd.Timestamp) -> StoredEvent | None:
        """Take a retracted event out of what it added (the store read it back by id); returns the
        target when it is one the board folded."""
        self.retracted[event_id] = at
        target = self.store.get(event_id)
        if target is None or target.position in self.soundness.set_aside:
            return None
        if target.type == "ActivityPlanned":   # plan_of_activities leaves it out; its frame parts must go too
            self._cells(target.stream).changes[target.type] += 1
        elif target.type in ACTIVITY_FACTS:
            self._cells(target.stream).apply(target.type, target.position, target.occurred_on.toordinal(),
                                             target.unit, target.payload, sign=-1, event_id=target.event_id)
        return target

    def _cells(self, stream: str) -> StreamCells:
        cells = self.cells.get(stream)
        if cells is None:
            cells = self.cells[stream] = StreamCells()
        return cells

    def _per_stream(self, name: str, day: int, build: Callable[[str, StreamCells, dict[str, Any]], list[tuple]],
                    columns: list[str], *, kinds: frozenset[str] | None = None,
                    part: Callable[[pd.DataFrame], pd.DataFrame] = lambda f: f,
                    whole: Callable[[pd.DataFrame], pd.DataFrame] = lambda f: f) -> pd.DataFrame:
        """A frame made of one part per stream (``build`` rows, then ``part``), put together (``whole``).

        A stream's part is rebuilt only when a fact of ``kinds`` (those the frame reads; None: any)
        came or went in that stream, and the whole only when a part was: after one new event a
        rerun rebuilds what that event can change, not the whole log's worth.
        """
        kinds = None if kinds is None else kinds | {"ActivityPlanned"}   # every frame names the plan and seq
        revisions = tuple((stream, cells.revision(kinds)) for stream, cells in self.cells.items())
        cached = self._parts.get((name, "", day))
        if cached is not None and cached[0] == revisions:
            return cached[1]
        parts = [frame for (stream, revision), cells in zip(revisions, self.cells.values())
                 if len(frame := self._part(name, stream, revision, day, lambda: part(pd.DataFrame(
                     build(stream, cells, self.planned.get(stream, {})), columns=columns))))]
        frame = whole(pd.concat(parts, ignore_index=True) if parts else part(pd.DataFrame(columns=columns)))
        self._remember((name, "", day), revisions, frame)
        return frame

    def _part(self, name: str, stream: str, revision: int, day: int, build: Callable[[], Any]) -> Any:
        hit = self._parts.get((name, stream, day))
        if hit is None or hit[0] != revision:
            hit = self._remember((name, stream, day), revision, build())
        return hit[1]

    def _remember(self, key: tuple[str, str, int], revision: Any, value: Any) -> tuple[Any, Any]:
        if len(self._parts) > _MAX_PARTS:
            self._parts.clear()
        self._parts[key] = (revision, value)
        return revision, value

    def _replayed(self, known_at: dt.datetime | None) -> Projector | None:
        """The projector of what was known at ``known_at`` (None: everything, i.e. this one)."""
        if known_at is None or known_at == self.known_at:
            return None
        replay = self._replay
        if replay is None or replay.known_at != known_at or replay.position > self.position:
            replay = self._replay = Projector(self.store, known_at=known_at)
        replay.catch_up()
        return replay

    def _gone(self, known_at: dt.datetime | None = None) -> set[str]:
        if known_at is None:
            return set(self.retracted)
        cutoff = _utc(known_at)
        return {eid for eid, at in self.retracted.items() if at <= cutoff}

    # -- frames ----------------------------------------------------------------------------------

    def plan_frame(self, known_at: dt.datetime | None = None) -> pd.DataFrame:
        if (replay := self._replayed(known_at)) is not None:
            return replay.plan_frame()
        rows = [
            {"plan_id": pid, "title": p["title"], "issuer": p["issuer"], "doc_no": p["doc_no"],
             "year": p["year"], "start": _ts(p["start"]), "end": _ts(p["end"])}
            for pid, p in self.plans.items()
        ]
        return pd.DataFrame(rows, columns=["plan_id", "title", "issuer", "doc_no", "year", "start", "end"])

    def plan_of_activities(self, as_of: dt.date, known_at: dt.datetime | None = None) -> dict[str, dict[str, Any]]:
        """The activities as planned, with the revisions that took effect by ``as_of`` applied."""
        if (replay := self._replayed(known_at)) is not None:
            return replay.plan_of_activities(as_of)
        gone, day = self._gone(), as_of.toordinal()
        current = {stream: dict(a) for stream, a in self.planned.items() if a["event_id"] not in gone}
        for stream, activity in current.items():
            if stream in self.cells:
                for changes in self.cells[stream].revisions_by(day):
                    activity.update(changes)
        return current

    def activities(self, as_of: dt.date, known_at: dt.datetime | None = None) -> pd.DataFrame:
        """One row per activity: the plan's words, its status as of ``as_of`` and its latest report."""
        if (replay := self._replayed(known_at)) is not None:
            return replay.activities(as_of)
        day, empty = as_of.toordinal(), StreamCells()
        rows = []
        for stream, a in self.plan_of_activities(as_of).items():
            cells = self.cells.get(stream, empty)
            counts = self._counts_for(a)
            latest, done, risk_open, participants, open_ = self._part(
                "activity", stream, cells.revision(), day, lambda: (
                    cells.latest_report(day, counts), to_date(cells.done_on(day, counts)), cells.risk_open(day),
                    cells.participants_by(day), {r[3]: r for r, answer in cells.requests_by(day) if answer is None}))
            percent = latest[1] if latest else 0.0
            start, end = _ts(a["start"]), _ts(a["end"])
            status = activity_status(as_of, start and start.date(), end and end.date(), done, percent,
                                     bool(a.get("ongoing")))
            reason = at_risk_reason(as_of, start.date(), end.date(), percent) if status == "at_risk" else None
            rows.append({
                "plan_id": a["plan_id"], "seq": a["seq"], "stream": stream, "title": a["title"],
                "body": a["body"], "window_text": a["window_text"], "start": start, "end": end,
                "lead_units": list(a["lead_units"]), "partner_units": list(a["partner_units"]),
                "status": status, "reason": reason or "", "percent": 100.0 if status == "done" else percent,
                "last_report_on": _ts(to_date(latest[0])) if latest else pd.NaT,
                "done_on": _ts(done), "risk_open": risk_open,
                "reports": latest[2] if latest else 0, "participants": participants,
                "attention": ATTENTION_ORDER[status], "planned_end": _ts(self.planned[stream].get("end")),
                # 待审核: a lead's completion request the office has not answered (still 逾期 past the end).
                "review_pending": status != "done" and "completion" in open_,
                "extension_asked": _ts(open_["extension"][6]) if "extension" in open_ else None,
            })
        frame = _dates(pd.DataFrame(rows, columns=ACTIVITY_COLUMNS), "start", "end", "last_report_on", "done_on",
                       "planned_end", "extension_asked").astype({"review_pending": "bool"})
        return frame.sort_values(["plan_id", "seq"], ignore_index=True)

    def _counts_for(self, activity: Mapping[str, Any]) -> Callable[[str], bool]:
        """Whether a unit's report sets this activity's percent and may close it (store/domain/rules.py)."""
        leads, partners, groups = activity["lead_units"], activity["partner_units"], self.store.groups
        return lambda unit: rules.counts_for_activity(rules.unit_role(unit, leads, partners, groups))

    def unit_progress(self, as_of: dt.date, known_at: dt.datetime | None = None) -> pd.DataFrame:
        """Each unit's own latest progress per activity, with its role there (lead, partner, office):
        a partner's part is shown per unit and never replaces the activity's percent."""
        if (replay := self._replayed(known_at)) is not None:
            return replay.unit_progress(as_of)
        day, groups, rows = as_of.toordinal(), self.store.groups, []
        for stream, a in self.plan_of_activities(as_of).items():
            if stream not in self.cells:
                continue
            for unit, (on, percent) in self.cells[stream].unit_reports(day).items():
                role = rules.unit_role(unit, a["lead_units"], a["partner_units"], groups)
                rows.append((a["plan_id"], a["seq"], stream, unit, role, percent, on))
        frame = pd.DataFrame(rows, columns=["plan_id", "seq", "stream", "unit", "role", "percent", "reported_on"])
        return _from_ordinals(frame, "reported_on").sort_values(["plan_id", "seq", "unit"], ignore_index=True)

    def requests(self, as_of: dt.date, known_at: dt.datetime | None = None) -> pd.DataFrame:
        """办结 and 延期 requests made by ``as_of``, each with how it stands then: ``pending``, or the
        office's answer (``confirmed``/``returned`` a completion, ``approved``/``refused`` an extension)
        with its day and note. A retracted request is gone; a retracted answer leaves it pending."""
        if (replay := self._replayed(known_at)) is not None:
            return replay.requests(as_of)
        day = as_of.toordinal()

        def rows(stream: str, cells: StreamCells, a: dict[str, Any]) -> list[tuple]:
            return [(a.get("plan_id"), a.get("seq"), stream, eid, kind, unit, on, note, end,
                     ANSWER_STATES[answer[3]] if answer else "pending", answer[0] if answer else None,
                     answer[4] if answer else "")
                    for (on, _, eid, kind, unit, note, end), answer in cells.requests_by(day)]

        return self._per_stream(
            "requests", day, rows, REQUEST_COLUMNS, kinds=REQUEST_FACTS,
            part=lambda f: _from_ordinals(_dates(f, "asked_end"), "requested_on", "answered_on"),
            whole=lambda f: f.sort_values(["requested_on", "plan_id", "seq"], ignore_index=True))

    def targets(self, as_of: dt.date, known_at: dt.datetime | None = None) -> pd.DataFrame:
        """Targets planned vs achieved; an advance counts towards the target key it names."""
        if (replay := self._replayed(known_at)) is not None:
            return replay.targets(as_of)
        day, rows = as_of.toordinal(), []
        for stream, a in self.plan_of_activities(as_of).items():
            advanced = self.cells[stream].advanced(day) if stream in self.cells else {}
            rows += [{"plan_id": a["plan_id"], "seq": a["seq"], "stream": stream, "key": t["key"],
                      "label": t["label"], "unit": t.get("unit", ""), "planned": int(t["quantity"]),
                      "achieved": int(advanced.get(t["key"], 0))} for t in a["targets"] if not t.get("rate")]
        return pd.DataFrame(rows, columns=["plan_id", "seq", "stream", "key", "label", "unit", "planned", "achieved"])

    def rates(self, as_of: dt.date, known_at: dt.datetime | None = None) -> pd.DataFrame:
        """The rate targets (增长6.2%左右): shown beside the targets, never summed or advanced, so
        they are kept out of ``targets``."""
        if (replay := self._replayed(known_at)) is not None:
            return replay.rates(as_of)
        rows = [{"plan_id": a["plan_id"], "seq": a["seq"], "stream": stream, "key": t["key"], "label": t["label"],
                 "quantity": float(t["quantity"]), "unit": t.get("unit", "")}
                for stream, a in self.plan_of_activities(as_of).items() for t in a["targets"] if t.get("rate")]
        return pd.DataFrame(rows, columns=["plan_id", "seq", "stream", "key", "label", "quantity", "unit"])

    def milestones(self, as_of: dt.date, known_at: dt.datetime | None = None) -> pd.DataFrame:
        """Milestones planned (the latest plan of each key), with the date each was reached (NaT while open)."""
        if (replay := self._replayed(known_at)) is not None:
            return replay.milestones(as_of)
        day = as_of.toordinal()

        def rows(stream: str, cells: StreamCells, a: dict[str, Any]) -> list[tuple]:
            planned: dict[str, tuple[int, str, str | None]] = {}
            for on, position, key, title, due in cells.milestones_planned:   # in position order
                if on <= day:
                    planned[key] = (position, title, due)
            reached: dict[str, int] = {}
            for on, _, key in cells.milestones_reached:
                if on <= day and on < reached.get(key, on + 1):
                    reached[key] = on
            return [(position, a.get("plan_id"), a.get("seq"), stream, key, title, due, reached.get(key))
                    for key, (position, title, due) in planned.items()]

        return self._per_stream(
            "milestones", day, rows, ["position", "plan_id", "seq", "stream", "key", "title", "due", "reached_on"],
            kinds=frozenset({"MilestonePlanned", "MilestoneReached"}),
            part=lambda f: _from_ordinals(_dates(f, "due"), "reached_on"),
            whole=lambda f: f.sort_values("position", ignore_index=True).drop(columns="position"))

    def participation(self, as_of: dt.date, known_at: dt.datetime | None = None) -> pd.DataFrame:
        """Participation reported, summed per activity, unit, date held and business day it was recorded.

        ``reports`` is how many participation events each row sums. Rows come activity by activity,
        each in recording order; a page that lists them across activities sorts what it shows.
        """
        if (replay := self._replayed(known_at)) is not None:
            return replay.participation(as_of)
        day = as_of.toordinal()

        def rows(stream: str, cells: StreamCells, a: dict[str, Any]) -> list[tuple]:
            return [(a.get("plan_id"), a.get("seq"), stream, unit, held, people, sessions, reports, on)
                    for (unit, held, on), (reports, people, sessions) in cells.participation.items()
                    if on <= day and reports > 0]

        return self._per_stream(
            "participation", day, rows, ["plan_id", "seq", "stream", "unit", "date", "participants", "sessions",
                                         "reports", "occurred_on"],
            kinds=frozenset({"ParticipationRecorded"}),
            part=lambda f: _from_ordinals(f, "date", "occurred_on").astype(
                {"participants": "int64", "sessions": "int64", "reports": "int64"}).sort_values(
                ["occurred_on", "unit", "date"], ignore_index=True))

    def workload(self, as_of: dt.date, known_at: dt.datetime | None = None,
                 groups: Mapping[str, Sequence[str]] | None = None) -> pd.DataFrame:
        """One row per unit, month and active activity, with its role: lead (weight 1) or partner (0.5).

        Rows stay per activity so a page can cut them by its filters before summing. Group units
        (各市（州）总工会 …) stay as named; with ``groups``, a member that recorded an event for the
        activity by ``as_of`` also gets the group's role there.
        """
        if (replay := self._replayed(known_at)) is not None:
            return replay.workload(as_of, groups=groups)
        day = as_of.toordinal()
        member_of = {m: g for g, members in (groups or {}).items() for m in members}
        rows = []
        for stream, a in self.plan_of_activities(as_of).items():
            start, end = _ts(a["start"]), _ts(a["end"])
            if start is None or end is None:
                continue
            months = [m.to_timestamp() for m in pd.period_range(start.to_period("M"), end.to_period("M"), freq="M")]
            reporters = self.cells[stream].reporters(day) if stream in self.cells else set()
            for role, units, weight in (("lead", a["lead_units"], 1.0), ("partner", a["partner_units"], 0.5)):
                named = list(units)
                named += sorted(u for u in reporters if member_of.get(u) in units and u not in named)
                rows += [{"plan_id": a["plan_id"], "seq": a["seq"], "stream": stream, "unit": unit, "month": month,
                          "role": role, "weight": weight} for unit in named for month in months]
        return pd.DataFrame(rows, columns=["plan_id", "seq", "stream", "unit", "month", "role", "weight"])

    def unit_activity(self, as_of: dt.date, known_at: dt.datetime | None = None) -> pd.DataFrame:
        """Per activity, unit and month: events the unit recorded (or was reported for) and its participants."""
        if (replay := self._replayed(known_at)) is not None:
            return replay.unit_activity(as_of)
        day = as_of.toordinal()

        def rows(stream: str, cells: StreamCells, a: dict[str, Any]) -> list[tuple]:
            months: dict[tuple[str, int], list[int]] = {}
            for (unit, on), events in cells.by_who.items():
                if on <= day and events > 0:
                    months.setdefault((unit, _month(on)), [0, 0])[0] += events
            for (unit, _, on), (_, people, _) in cells.participation.items():
                if on <= day and (unit, _month(on)) in months:
                    months[(unit, _month(on))][1] += people
            return [(a.get("plan_id"), stream, unit, month, events, people)
                    for (unit, month), (events, people) in sorted(months.items())]

        return self._per_stream(
            "unit_activity", day, rows, ["plan_id", "stream", "unit", "month", "events", "participants"],
            part=lambda f: _from_ordinals(f, "month").astype({"events": "int64", "participants": "int64"}))

    def timeline_counts(self, as_of: dt.date) -> pd.DataFrame:
        """Events recorded per stream, business day and type by ``as_of`` — retracted ones and the
        retractions included, plans left out: what the timeline charts when it shows counts, from the
        aggregates, whatever the size of the log."""
        day = as_of.toordinal()

        def rows(stream: str, cells: StreamCells, a: dict[str, Any]) -> list[tuple]:
            return [(stream, on, kind, n) for (kind, on), n in cells.recorded.items() if on <= day]

        return self._per_stream(
            "timeline_counts", day, rows, ["stream", "occurred_on", "type", "events"],
            part=lambda f: _from_ordinals(f, "occurred_on").astype({"events": "int64"}))

    def unit_days(self, unit: str, as_of: dt.date) -> pd.DataFrame:
        """The business days by ``as_of`` on which ``unit`` reported on each stream (store.domain.rules.
        REPORT_TYPES, retracted ones left out): what a unit's self-check says of when it last reported.
        The 督办 loop counts the same reports (``report_days``), so an extension request or a risk
        flag is no report on 部门自查 either, and 本月已上报 there means what 催办 counts."""
        day, rows = as_of.toordinal(), []
        for stream, cells in self.cells.items():
            rows += [(stream, dt.date.fromordinal(on), n) for (who, on), n in cells.reported.items()
                     if who == unit and on <= day and n > 0]
        return _dates(pd.DataFrame(rows, columns=["stream", "occurred_on", "events"]), "occurred_on")

    def report_days(self) -> dict[tuple[str, str], list[dt.date]]:
        """(stream, unit) -> the business days the unit reported on the activity (store.domain.rules.REPORT_TYPES,
        retracted ones left out), for the 督办 loop: from the aggregates, so it costs the days reported,
        not the size of the log."""
        out: dict[tuple[str, str], list[dt.date]] = {}
        for stream, cells in self.cells.items():
            for (unit, on), n in cells.reported.items():
                if n > 0:
                    out.setdefault((stream, unit), []).append(dt.date.fromordinal(on))
        for days in out.values():
            days.sort()
        return out

    def last_fact_on(self, plan_id: str) -> dt.date | None:
        """The business day of the plan's latest activity fact that stands: a retracted fact does not
        count (so retracting a report dated late moves a past plan's board back), nor does the
        retraction itself, made on the day of the correction."""
        prefix = f"activity/{plan_id}/"
        days = [d for s, c in self.cells.items() if s.startswith(prefix) and (d := c.last_standing_day())]
        return dt.date.fromordinal(max(days)) if days else None

    def log(self, known_at: dt.datetime | None = None) -> pd.DataFrame:
        """Every event with its envelope's readable fields and whether it was retracted.

        Read from the store when first asked for and then extended by the new events only: the
        overview never needs it, so a large log costs its memory only on the pages that list events.
        """
        if self._log is None or self._log_position < self.position:
            new = log_frame(e for e in self.store.read(after=self._log_position, upto=self.position,
                                                       known_at=self.known_at)
                            if e.position not in self.soundness.set_aside)
            self._log = new if self._log is None else pd.concat([self._log, new], ignore_index=True)
            self._log_position = self.position
        frame = self._log
        if known_at is not None:
            frame = frame[frame["recorded_at"] <= _utc(known_at)]
        return self.mark(frame, known_at)

    def mark(self, frame: pd.DataFrame, known_at: dt.datetime | None = None) -> pd.DataFrame:
        """Log rows (``log_frame``) with the activity's ``seq`` and whether each event was ``retracted``."""
        gone = self._gone(known_at)   # thousands of ids in a large log: asked row by row, not converted per call
        return frame.assign(seq=frame["stream"].map(self.seqs()),
                            retracted=pd.Series([e in gone for e in frame["event_id"]], index=frame.index, dtype=bool))

    def log_choices(self, keeps: Callable[[str], bool]) -> tuple[int, list[str], list[str]]:
        """How many events the streams ``keeps`` holds, and the units and actors that recorded them
        (sorted): the log page's total and filter choices, without reading the log."""
        total, units, actors = 0, set(), set()
        for stream, (count, stream_units, stream_actors) in self.streams.items():
            if keeps(stream):
                total += count[0]
                units |= stream_units
                actors |= stream_actors
        return total, sorted(units), sorted(actors)

    def stream_length(self, stream: str) -> int:
        """How many events of ``stream`` the board folded: what is read from one small stream (the
        units registered in the app) stands while this stays the same, however the log grows."""
        seen = self.streams.get(stream)
        return seen[0][0] if seen is not None else 0

    def seqs(self) -> dict[str, int]:
        """Every planned activity stream (retracted plans included) and its seq."""
        return {s: a["seq"] for s, a in self.planned.items()}

    def retraction_frame(self) -> pd.DataFrame:
        """Every retraction folded, in log order, with its target and reason and the target's position:
        the 事件日志 page marks the rows it shows with these, without reading the retractions again."""
        rows = [(eid, target, reason) for eid, (target, reason, _) in self.retractions.items()]
        frame = pd.DataFrame(rows, columns=["event_id", "target_id", "reason"]).astype(str)
        frame["target_position"] = pd.array([p for _, _, p in self.retractions.values()], dtype="Int64")
        return frame

    def set_aside(self) -> pd.DataFrame:
        """The stored events the board left out because they cannot be folded (position, reason):
        the 事件日志 page names them, so a bad row is seen rather than taking the pages down."""
        rows = sorted(self.soundness.set_aside.items())
        return pd.DataFrame(rows, columns=["position", "reason"]).astype({"position": "int64", "reason": "str"})


def log_frame(events: Iterable[StoredEvent], chunk: int = 50_000, *, payload: bool = False) -> pd.DataFrame:
    """The log's rows as a frame, built a chunk at a time: a million events held as Python lists of
    strings at once would take a gigabyte before the frame (with compact text columns) exists.

    ``payload`` adds each event's payload dict as a ``payload`` column: the log page's bounded page
    and its export derive the facts' details from it; the projector's whole-log frame leaves it out."""
    parts = [_log_chunk(batch, payload) for batch in _batched(events, chunk)]
    return (pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0] if parts
            else _log_chunk([], payload))


def _batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _log_chunk(events: list[StoredEvent], payload: bool = False) -> pd.DataFrame:
    columns: dict[str, list[Any]] = {name: [] for name in LOG_COLUMNS}
    for event in events:
        payload = event.payload
        for name, value in (("position", event.position), ("event_id", event.event_id),
                            ("stream", event.stream), ("type", event.type), ("occurred_on", event.occurred_on),
                            ("recorded_at", event.recorded_at), ("actor", event.actor), ("unit", event.unit),
                            ("note", payload.get("note") or payload.get("reason") or ""),
                            ("demo", bool(payload.get("demo"))), ("target_id", payload.get("retracted_event_id"))):
            columns[name].append(value)
    text = {name: "str" for name in ("event_id", "stream", "type", "actor", "unit", "note", "target_id")}
    frame = pd.DataFrame(columns, columns=LOG_COLUMNS).astype({**text, "position": "int64", "demo": "bool"})
    frame["occurred_on"] = pd.to_datetime(frame["occurred_on"]).astype("datetime64[us]")
    frame["recorded_at"] = pd.to_datetime(frame["recorded_at"], utc=True)
    if payload:
        frame["payload"] = pd.Series([e.payload for e in events], index=frame.index, dtype="object")
    return frame


def status_table(projector: Projector, as_of: dt.date, plan_id: str | None = None) -> list[dict[str, Any]]:
    """The ``status`` command's rows: seq, title, window, status, percent and targets achieved/planned."""
    activities = projector.activities(as_of)
    targets = projector.targets(as_of)
    if plan_id is not None:
        activities = activities[activities["plan_id"] == plan_id]
    rows = []
    for a in activities.itertuples():
        mine = targets[targets["stream"] == a.stream]
        rows.append({
            "plan_id": a.plan_id, "seq": int(a.seq), "title": a.title,
            "start": None if pd.isna(a.start) else a.start.date().isoformat(),
            "end": None if pd.isna(a.end) else a.end.date().isoformat(),
            "status": a.status, "reason": a.reason or None, "percent": float(a.percent),
            # 待审核: a completion request awaits the office; an extension request's asked end, or None.
            "review_pending": bool(a.review_pending),
            "extension_asked": None if pd.isna(a.extension_asked) else a.extension_asked.date().isoformat(),
            "targets": [{"key": t.key, "label": t.label, "unit": t.unit, "achieved": int(t.achieved),
                         "planned": int(t.planned)} for t in mine.itertuples()],
        })
    return rows
