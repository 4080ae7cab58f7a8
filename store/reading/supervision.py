"""The 督办 loop's read side: plan settings, reporting cycles, reports owed and their state, scores.

Pure functions over the log and the projector's plan of activities; nothing here knows Streamlit,
channels or Word. A unit owes a report, in a cycle, for each activity it leads or partners
(directly or through a group) that is active in the cycle and not done before it starts; a
progress, participation or completion fact by the unit for that activity, dated in the cycle,
settles it — on time up to the due day, late after it. A report the office did not have when it
reminded the unit counts from the reminder's day at the earliest, whatever day it is dated: a unit
reminded after the due day cannot settle the cycle on time by dating its report back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from store.domain.events import ReportingCycle, ScoringRule, activity_stream
from store.domain.rules import REPORT_TYPES
from store.log import EventStore
from store.reading.projections import Projector

DEFAULT_CYCLE = ReportingCycle(kind="monthly", day=25)
# The loop's own facts. The reports (store.domain.rules.REPORT_TYPES, most of a log) are the projector's
# aggregates (Projector.report_days): folding them here too cost a second pass over the whole log.
LOOP_FACTS = ("PlanSettingsChanged", "ReminderIssued", "ReminderDelivered")
LOOP_TYPES = (*LOOP_FACTS, "EventRetracted")   # a loop without the board's retractions reads them itself
REPORT_COLUMNS = ["plan_id", "unit", "seq", "title", "role", "cycle_start", "due", "reported_on", "state"]
STATES = ("on_time", "late", "missing", "pending")


@dataclass(frozen=True)
class PlanSettings:
    """A plan's settings as its PlanSettingsChanged facts left them (defaults where none spoke)."""

    reporting: ReportingCycle = DEFAULT_CYCLE
    review_required: bool = True
    scoring: ScoringRule = field(default_factory=ScoringRule)


@dataclass(frozen=True)
class Cycle:
    start: dt.date
    end: dt.date
    due: dt.date


def fold_settings(changes: Iterable[Mapping[str, Any]]) -> PlanSettings:
    """Apply settings payloads in log order; each changes only the fields it names."""
    current = PlanSettings()
    for change in changes:
        current = PlanSettings(
            reporting=ReportingCycle(**change["reporting"]) if change.get("reporting") else current.reporting,
            review_required=current.review_required if change.get("review_required") is None
            else bool(change["review_required"]),
            scoring=ScoringRule(**change["scoring"]) if change.get("scoring") else current.scoring)
    return current


def cycle_of(rule: ReportingCycle, day: dt.date) -> Cycle:
    """The cycle holding ``day``: the calendar month due on day N, or the week (Monday..Sunday) due on
    its weekday — so "September" is the cycle the office means, and a report after the due day in it is late."""
    if rule.kind == "monthly":
        start = day.replace(day=1)
        end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        return Cycle(start, end, start.replace(day=rule.day or 25))
    start = day - dt.timedelta(days=day.weekday())
    return Cycle(start, start + dt.timedelta(days=6), start + dt.timedelta(days=rule.weekday or 0))


def cycles_due_between(rule: ReportingCycle, first: dt.date, last: dt.date) -> list[Cycle]:
    """Cycles whose due day falls in ``first..last``, in order."""
    out, day = [], first
    while day <= last:
        cycle = cycle_of(rule, day)
        if first <= cycle.due <= last:
            out.append(cycle)
        day = cycle.end + dt.timedelta(days=1)
    return out


class Supervision:
    """The loop's facts, folded incrementally (settings, reminders, deliveries); the reports are the
    projector's (``Projector.report_days``)."""

    def __init__(self, store: EventStore, retracted: Callable[[], Container[str]] | None = None) -> None:
        """``retracted`` gives the ids of the retracted events as a board that folds the whole log
        keeps them already (``Projector.retracted``): the loop then reads only its own facts, not
        the thousands of retractions of reports a large log holds. Without it the loop reads them."""
        self.store = store
        self.position = 0
        self.settings_changes: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        self.reminders: dict[str, dict[str, Any]] = {}                # event_id -> payload + envelope bits
        self.deliveries: dict[str, list[dict[str, Any]]] = {}         # reminder event_id -> deliveries
        self._own_retracted: set[str] = set()
        self._retracted = retracted

    @property
    def retracted(self) -> Container[str]:
        return self._own_retracted if self._retracted is None else self._retracted()

    def catch_up(self, upto: int | None = None) -> int:
        """Fold the loop's facts after the last call, up to ``upto`` (the board's position, so a
        page shows one position throughout) or the head."""
        folded = 0
        types = LOOP_TYPES if self._retracted is None else LOOP_FACTS
        for e in self.store.read(after=self.position, upto=upto, types=types):
            p = e.payload
            if e.type == "PlanSettingsChanged":
                self.settings_changes.setdefault(e.stream.removeprefix("plan/"), []).append((e.event_id, p))
            elif e.type == "ReminderIssued":
                self.reminders[e.event_id] = {**p, "event_id": e.event_id, "occurred_on": e.occurred_on,
                                              "actor": e.actor, "recorded_at": e.recorded_at, "position": e.position}
            elif e.type == "ReminderDelivered":
                self.deliveries.setdefault(p["reminder_event_id"], []).extend(p["deliveries"])
            elif e.type == "EventRetracted":
                self._own_retracted.add(p["retracted_event_id"])
            self.position = e.position
            folded += 1
        if upto is not None:
            self.position = max(self.position, upto)   # nothing of the loop's up to there: not asked again
        return folded

    def settings(self, plan_id: str) -> PlanSettings:
        """The plan's settings now (a change applies to every date shown: the office changed the rule)."""
        return fold_settings(self.standing_changes(plan_id))

    def standing_changes(self, plan_id: str) -> list[dict[str, Any]]:
        """The plan's PlanSettingsChanged payloads that stand (not retracted), in log order."""
        return [p for eid, p in self.settings_changes.get(plan_id, []) if eid not in self.retracted]

    def first_reminders(self, plan_id: str, cycle_start: dt.date, by: dt.date) -> dict[tuple[str, int], tuple[int, dt.date]]:
        """(unit, activity seq) -> (position, day) of the first standing reminder of the cycle naming
        it, dated by ``by``: where a report appended after it stops counting from its own date."""
        first: dict[tuple[str, int], tuple[int, dt.date]] = {}
        for eid, r in self.reminders.items():
            if (eid in self.retracted or r["plan_id"] != plan_id or r["occurred_on"] > by
                    or dt.date.fromisoformat(str(r["cycle_start"])) != cycle_start):
                continue
            for seq in r["activities"]:
                key = (r["unit"], int(seq))
                if key not in first or r["position"] < first[key][0]:
                    first[key] = (r["position"], r["occurred_on"])
        return first

    def reminders_of(self, plan_id: str, unit: str | None = None) -> pd.DataFrame:
        """Reminders of a plan (of one unit), newest first, with what each channel did."""
        rows = []
        for eid, r in self.reminders.items():
            if eid in self.retracted or r["plan_id"] != plan_id or (unit is not None and r["unit"] != unit):
                continue
            sent = self.deliveries.get(eid, [])
            rows.append({"event_id": eid, "unit": r["unit"], "occurred_on": pd.Timestamp(r["occurred_on"]),
                         "cycle_start": pd.Timestamp(r["cycle_start"]), "due": pd.Timestamp(r["due"]),
                         "activities": list(r["activities"]), "message": r["message"], "actor": r["actor"],
                         "deliveries": sent, "failed": [d for d in sent if not d["ok"]]})
        columns = ["event_id", "unit", "occurred_on", "cycle_start", "due", "activities", "message", "actor",
                   "deliveries", "failed"]
        frame = pd.DataFrame(rows, columns=columns)
        return frame.sort_values("occurred_on", ascending=False, ignore_index=True)


def open_reminders(loop: Supervision, report_days: Callable[[], Mapping[tuple[str, str], Sequence[dt.date]]],
                   plan_id: str, unit: str, as_of: dt.date) -> pd.DataFrame:
    """The unit's reminders up to ``as_of``, newest first, until it has reported on every activity named
    (a report on or after the reminded cycle's start settles an activity). ``report_days`` gives every
    unit's report days (``Projector.report_days``), asked only when the unit has a reminder: most units
    have none on most days, and gathering them costs 15 ms at a million events."""
    frame = loop.reminders_of(plan_id, unit)
    frame = frame[frame["occurred_on"] <= pd.Timestamp(as_of)]
    if frame.empty:
        return frame.reset_index(drop=True)
    days = report_days()

    def still_open(r: Any) -> bool:
        return any(not any(r.cycle_start.date() <= d <= as_of for d in days.get((activity_stream(plan_id, s), unit), []))
                   for s in r.activities)

    return frame[[still_open(r) for r in frame.itertuples()]].reset_index(drop=True)


def _roles(activity: Mapping[str, Any], groups: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """unit -> "lead" or "partner" for one activity, groups expanded to their members."""
    roles: dict[str, str] = {}
    for role, key in (("partner", "partner_units"), ("lead", "lead_units")):   # lead wins
        for name in activity.get(key) or ():
            for unit in groups.get(name) or [name]:
                roles[unit] = role
    return roles


def report_rows(projector: Projector, loop: Supervision, plan_id: str, cycle: Cycle, as_of: dt.date,
                groups: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """One row per unit × activity owed in ``cycle``, judged as of ``as_of`` (states: ``on_time``,
    ``late``, ``missing``; ``pending`` while the due day has not passed and nothing came yet)."""
    cut = min(as_of, cycle.end)
    activities = projector.activities(cut)
    activities = activities[activities["plan_id"] == plan_id]
    days = projector.report_days()
    reminded = loop.first_reminders(plan_id, cycle.start, cut)
    rows = []
    for a in activities.itertuples():
        if pd.isna(a.start) or pd.isna(a.end):
            continue
        start, end = a.start.date(), a.end.date()
        if start > cut or end < cycle.start or (not pd.isna(a.done_on) and a.done_on.date() < cycle.start):
            continue
        for unit, role in sorted(_roles(a._asdict(), groups).items()):
            reported = min((d for d in days.get((a.stream, unit), []) if cycle.start <= d <= cut), default=None)
            reminder = reminded.get((unit, int(a.seq)))
            if reported is not None and reminder is not None and reported < reminder[1]:
                reported = _reported_despite_reminder(projector, a.stream, unit, cycle.start, cut, *reminder)
            if reported is not None:
                state = "on_time" if reported <= cycle.due else "late"
            else:
                state = "missing" if cut > cycle.due else "pending"
            rows.append({"plan_id": plan_id, "unit": unit, "seq": int(a.seq), "title": a.title, "role": role,
                         "cycle_start": cycle.start, "due": cycle.due, "reported_on": reported, "state": state})
    return pd.DataFrame(rows, columns=REPORT_COLUMNS)


def _reported_despite_reminder(projector: Projector, stream: str, unit: str, first: dt.date, last: dt.date,
                               reminder_position: int, reminder_day: dt.date) -> dt.date | None:
    """The unit's first report day in ``first..last`` where a report appended after the reminder counts
    from the reminder's day at the earliest. Read from the log (the aggregates keep days, not
    positions), for the few units that were reminded and have a report dated before their reminder."""
    days = []
    for e in projector.store.read(stream=stream, types=REPORT_TYPES, occurred_from=first, occurred_to=last,
                                  upto=projector.position):
        who = e.payload.get("unit") if e.type == "ParticipationRecorded" else e.unit
        if who != unit or e.event_id in projector.retracted:
            continue
        days.append(e.occurred_on if e.position < reminder_position else max(e.occurred_on, reminder_day))
    return min(days, default=None)


def report_json(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The ``reports --json`` rows: unit, activity seq, cycle start, due, reported_on, state."""
    return [{"unit": r.unit, "seq": int(r.seq), "cycle_start": r.cycle_start.isoformat(), "due": r.due.isoformat(),
             "reported_on": None if r.reported_on is None or pd.isna(r.reported_on) else r.reported_on.isoformat(),
             "state": r.state} for r in frame.itertuples()]


SCORE_COLUMNS = ["unit", "reports_due", "on_time", "late", "missing", "done_on_time", "done_late", "overdue",
                 "reminders", "score", "band", "rank", "previous_score", "change"]


def _period_scores(projector: Projector, loop: Supervision, plan_id: str, first: dt.date, last: dt.date,
                   groups: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    settings = loop.settings(plan_id)
    counts: dict[str, dict[str, int]] = {}

    def unit(name: str) -> dict[str, int]:
        return counts.setdefault(name, dict.fromkeys(SCORE_COLUMNS[1:9], 0))

    for cycle in cycles_due_between(settings.reporting, first, last):
        for r in report_rows(projector, loop, plan_id, cycle, last, groups).itertuples():
            c = unit(r.unit)
            c["reports_due"] += 1
            if r.state in ("on_time", "late", "missing"):
                c[r.state] += 1
    activities = projector.activities(last)
    for a in activities[activities["plan_id"] == plan_id].itertuples():
        leads = [u for u, role in _roles(a._asdict(), groups).items() if role == "lead"]
        done = None if pd.isna(a.done_on) else a.done_on.date()
        end = None if pd.isna(a.end) else a.end.date()
        for name in leads:   # a lead with nothing done or overdue here is not counted for it
            if done is not None and first <= done <= last:
                unit(name)["done_on_time" if end is None or done <= end else "done_late"] += 1
            elif a.status == "overdue":
                unit(name)["overdue"] += 1
    for r in loop.reminders_of(plan_id).itertuples():
        if first <= r.occurred_on.date() <= last:
            unit(r.unit)["reminders"] += 1
    rule = settings.scoring
    rows = []
    for name, c in counts.items():
        score = max(rule.floor, rule.start - rule.missing * c["missing"] - rule.late * c["late"]
                    - rule.overdue * c["overdue"])
        band = "red" if score < rule.bands.red_below else "yellow" if score < rule.bands.yellow_below else "green"
        rows.append({"unit": name, **c, "score": score, "band": band})
    frame = pd.DataFrame(rows, columns=SCORE_COLUMNS[:11])
    frame = frame.sort_values(["score", "unit"], ascending=[False, True], ignore_index=True)
    frame["rank"] = frame["score"].rank(method="min", ascending=False).astype("int64")
    return frame


def scores(projector: Projector, loop: Supervision, plan_id: str, first: dt.date, last: dt.date,
           groups: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """考评 over ``first..last``: counts, score by the plan's rule, band, rank (ties share a rank), and the
    change against the previous period of the same length (None where the unit owed nothing then).
    Only what the log shows counts: never logins, clicks or page views."""
    if last < first:
        raise ValueError(f"--to {last} 早于 --from {first}")
    current = _period_scores(projector, loop, plan_id, first, last, groups)
    length = last - first
    prev_last = first - dt.timedelta(days=1)
    previous = _period_scores(projector, loop, plan_id, prev_last - length, prev_last, groups)
    before = dict(zip(previous["unit"], previous["score"]))
    current["previous_score"] = [before.get(u) for u in current["unit"]]
    current["change"] = [None if before.get(u) is None else int(s - before[u])
                         for u, s in zip(current["unit"], current["score"])]
    return current[SCORE_COLUMNS]


def score_json(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: (None if v is None or (isinstance(v, float) and pd.isna(v)) else
                 int(v) if k not in ("unit", "band") else v) for k, v in row.items()}
            for row in frame.to_dict("records")]
