"""Plausible events at any scale: the demo course's mix and distributions, scaled, reproducible by seed.

The demo (seed/demo.py) records about 290 facts for the 2022 plan: four in five are city unions'
participation reports, one in six progress reports, and a few target advances, milestones, risks,
completions, revisions and one retraction. A benchmark on some other mix would measure a store
nobody runs, so this generator keeps that mix and those payload shapes and sizes, spreads the
events over March–December 2022 in date order (as they would be recorded), and picks activities
whose window is open on the day. The same (seed, count, tag) always gives the same events, ids
included; only ``recorded_at`` (the store's clock) differs between runs.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from seed.demo import CITY_GROUP, PLACES
from seed.importer import event_id
from seed.units import load_registry
from store.domain.events import activity_stream
from store.log import EventStore, NewEvent

FIRST_DAY = dt.date(2022, 3, 1)
LAST_DAY = dt.date(2022, 12, 31)

# Shares of the demo course's 290 facts (230 participation, 50 progress, 8 target advances, 6
# milestone events, 2 risk events, 1 retraction); the fixed facts (completions, revisions) come extra.
MIX: dict[str, float] = {
    "ParticipationRecorded": 230,
    "ProgressReported": 50,
    "TargetAdvanced": 8,
    "MilestonePlanned": 3,
    "MilestoneReached": 3,
    "RiskFlagged": 1,
    "RiskResolved": 1,
    "EventRetracted": 1,
}
# How far each activity's reported percent follows elapsed time: 2 lags (at risk), 3 ends short (overdue).
PACE = {2: 0.5, 3: 0.75}
# The demo's one-off facts: activities 7 and 8 completed in April, 6 and 10 extended to October.
COMPLETIONS = {7: dt.date(2022, 4, 28), 8: dt.date(2022, 4, 30)}
REVISIONS = {6: "疫情影响，春风行动延长至10月", 10: "联谊活动受疫情影响顺延至10月"}
REVISED_ON, REVISED_END = dt.date(2022, 7, 20), dt.date(2022, 10, 31)


@dataclass
class _Activity:
    seq: int
    stream: str
    start: dt.date
    end: dt.date
    lead: str
    reporters: list[str]
    targets: list[str]
    done_on: dt.date | None = None
    pending_milestones: list[str] = field(default_factory=list)
    recent_participation: deque = field(default_factory=lambda: deque(maxlen=64))
    risk_open: bool = False

    def open_on(self, day: dt.date) -> bool:
        return self.start <= day <= self.end and (self.done_on is None or day <= self.done_on)


def planned_activities(store: EventStore, plan_id: str) -> dict[int, dict[str, Any]]:
    """The plan's activities as the store holds them (units as the parser normalised them),
    revisions applied. Read by type through the index: a million-event store is not folded just
    to learn ten windows."""
    by_stream: dict[str, dict[str, Any]] = {}
    for event in store.read(types=["ActivityPlanned", "ActivityRevised"]):
        if event.type == "ActivityPlanned" and event.payload["plan_id"] == plan_id:
            by_stream[event.stream] = dict(event.payload)
        elif event.type == "ActivityRevised" and event.stream in by_stream:
            by_stream[event.stream].update({k: v for k, v in event.payload.items()
                                            if v is not None and k not in ("reason", "demo")})
    return {a["seq"]: a for a in by_stream.values()}


class Course:
    """``count`` generated facts for a plan's activities; iterate to get them in date order.

    ``tag`` separates independent courses on one store (the fill, the single-append sample) so
    their event ids never collide; the one-off facts belong to the ``fill`` course only.
    """

    def __init__(self, activities: dict[int, dict[str, Any]], plan_id: str, *, count: int,
                 seed: int = 2022, tag: str = "fill") -> None:
        cities = load_registry().members(CITY_GROUP)
        self.plan_id, self.count, self.seed, self.tag = plan_id, count, seed, tag
        self.rng = random.Random(f"{seed}|{tag}|{count}")
        self.activities: list[_Activity] = []
        for seq, a in sorted(activities.items()):
            if not a.get("start") or not a.get("end"):
                continue
            reporters = cities if CITY_GROUP in a["partner_units"] and cities else [a["lead_units"][0]]
            self.activities.append(_Activity(
                seq, activity_stream(plan_id, seq), dt.date.fromisoformat(str(a["start"])),
                dt.date.fromisoformat(str(a["end"])), a["lead_units"][0], reporters,
                [t["key"] for t in a["targets"]]))
        self._types, self._weights = list(MIX), list(MIX.values())
        self._serial = 0

    def __iter__(self) -> Iterator[NewEvent]:
        span = (LAST_DAY - FIRST_DAY).days + 1
        one_offs = self._one_offs() if self.tag == "fill" else []
        produced = 0
        while produced < self.count:
            day = FIRST_DAY + dt.timedelta(days=produced * span // self.count)
            while one_offs and one_offs[0][0] <= day and produced < self.count:
                yield self._one_off(*one_offs.pop(0))
                produced += 1
            if produced >= self.count:
                break
            yield self._fact(day)
            produced += 1

    # -- the recurring facts ------------------------------------------------------------------

    def _fact(self, day: dt.date) -> NewEvent:
        open_now = [a for a in self.activities if a.open_on(day)] or self.activities
        kind = self.rng.choices(self._types, self._weights)[0]
        rng = self.rng
        if kind == "TargetAdvanced":
            with_targets = [a for a in open_now if a.targets]
            if with_targets:
                a = rng.choice(with_targets)
                return self._new(a, kind, {"target": rng.choice(a.targets), "amount": rng.randint(1, 3),
                                           "note": "评选结果公布"}, day, a.lead)
        elif kind == "MilestonePlanned":
            a = rng.choice(open_now)
            key = f"节点{self.tag}-{self._serial}"
            a.pending_milestones.append(key)
            due = min(LAST_DAY, day + dt.timedelta(days=rng.randint(14, 60)))
            return self._new(a, kind, {"key": key, "title": f"{a.seq}号活动阶段节点", "due": due.isoformat()},
                             day, a.lead)
        elif kind == "MilestoneReached":
            ready = [a for a in open_now if a.pending_milestones]
            if ready:
                a = rng.choice(ready)
                return self._new(a, kind, {"key": a.pending_milestones.pop(0), "note": "节点顺利完成"}, day, a.lead)
        elif kind in ("RiskFlagged", "RiskResolved"):
            flagging = kind == "RiskFlagged"
            candidates = [a for a in open_now if a.risk_open != flagging]
            if candidates:
                a = rng.choice(candidates)
                a.risk_open = flagging
                note = "线上知识竞答平台未按期上线" if flagging else "平台已上线，参与人数回升"
                return self._new(a, kind, {"note": note}, day, a.lead)
        elif kind == "EventRetracted":
            ready = [a for a in open_now if a.recent_participation]
            if ready:
                a = rng.choice(ready)
                wrong, unit = a.recent_participation.pop()
                return self._new(a, kind, {"retracted_event_id": wrong, "reason": "人数多填一位，撤回后重报"}, day, unit)
        elif kind == "ParticipationRecorded":
            return self._participation(rng.choice(open_now), day)
        return self._progress(rng.choice(open_now), day)

    def _participation(self, a: _Activity, day: dt.date) -> NewEvent:
        rng = self.rng
        unit = rng.choice(a.reporters)
        event = self._new(a, "ParticipationRecorded", {
            "unit": unit, "date": day.isoformat(), "participants": rng.randint(40, 1500),
            "sessions": rng.randint(1, 12), "place": rng.choice(PLACES), "note": "基层单位组织参与"}, day, unit)
        a.recent_participation.append((event.event_id, unit))
        return event

    def _progress(self, a: _Activity, day: dt.date) -> NewEvent:
        span = max(1, (a.end - a.start).days)
        elapsed = min(1.0, max(0.0, (day - a.start).days / span))
        pace = PACE.get(a.seq, self.rng.uniform(0.9, 1.05))
        percent = max(0, min(100, round(elapsed * 100 * pace)))
        return self._new(a, "ProgressReported", {"percent": percent, "note": f"{day.month}月进展：按计划推进"},
                         day, a.lead)

    # -- the one-off facts of the demo ----------------------------------------------------------

    def _one_offs(self) -> list[tuple[dt.date, str, int]]:
        by_seq = {a.seq for a in self.activities}
        items = [(day, "ActivityCompleted", seq) for seq, day in COMPLETIONS.items() if seq in by_seq]
        items += [(REVISED_ON, "ActivityRevised", seq) for seq in REVISIONS if seq in by_seq]
        return sorted(items)

    def _one_off(self, day: dt.date, kind: str, seq: int) -> NewEvent:
        a = next(x for x in self.activities if x.seq == seq)
        if kind == "ActivityCompleted":
            a.done_on = day   # the office closes it (a lead's completion would be a request: 办结需审核)
            return self._new(a, kind, {"note": "活动已圆满完成"}, day, "")
        a.end = max(a.end, REVISED_END)
        return self._new(a, kind, {"end": REVISED_END.isoformat(), "window_text": "延至10月底",
                                   "reason": REVISIONS[seq]}, day, a.lead)

    def _new(self, a: _Activity, kind: str, payload: dict[str, Any], day: dt.date, unit: str) -> NewEvent:
        self._serial += 1
        return NewEvent(kind, a.stream, {**payload, "demo": True}, occurred_on=day,
                        event_id=event_id("bench", self.seed, self.tag, self.count, self._serial),
                        actor=f"演示:{unit}", unit=unit)
