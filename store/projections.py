"""Projections: the log folded into pandas DataFrames, as of a business date and a recorded time.

A ``Projector`` folds the log once and then only the events after the last position it saw, so a
page rerun after one new event reads one row, not the log. The folded state keeps every fact with
its ``occurred_on`` and ``recorded_at``; the ``as_of`` / ``known_at`` cut is applied when a frame is
asked for, which is what lets the board replay what it showed at last week's meeting.

Dates in frames are pandas Timestamps (midnight, no zone); ``recorded_at`` is UTC.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from store.log import EventStore, StoredEvent
from store.status import ATTENTION_ORDER, activity_status

FACT_COLUMNS = (
    "position", "event_id", "stream", "type", "occurred_on", "recorded_at", "actor", "unit",
    "percent", "note", "p_unit", "p_date", "participants", "sessions", "place", "target", "amount",
    "key", "title", "due",
)
# Facts that belong to an activity and are folded into the activity frames.
ACTIVITY_FACTS = frozenset({
    "ProgressReported", "ParticipationRecorded", "TargetAdvanced", "MilestonePlanned",
    "MilestoneReached", "RiskFlagged", "RiskResolved", "ActivityCompleted", "ActivityRevised",
})
REVISABLE = ("title", "body", "window_text", "start", "end", "lead_units", "partner_units", "targets")

ACTIVITY_COLUMNS = [
    "plan_id", "seq", "stream", "title", "body", "window_text", "start", "end", "lead_units",
    "partner_units", "status", "percent", "last_report_on", "done_on", "risk_open", "reports",
    "participants", "attention",
]


def _ts(value: Any) -> pd.Timestamp | None:
    if value is None or value == "":
        return None
    return pd.Timestamp(value)


def _utc(moment: dt.datetime) -> pd.Timestamp:
    """A recorded-time cut-off in UTC; a naive time is taken as UTC."""
    stamp = pd.Timestamp(moment)
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


def _day(value: dt.date | pd.Timestamp | None) -> dt.date | None:
    if value is None or pd.isna(value):
        return None
    return value.date() if isinstance(value, pd.Timestamp) else value


class Projector:
    """Folded state of one store. Not thread-safe: give each session or process its own."""

    def __init__(self, store: EventStore) -> None:
        self.store = store
        self.position = 0
        self.plans: dict[str, dict[str, Any]] = {}
        self.planned: dict[str, dict[str, Any]] = {}
        self.retracted: dict[str, pd.Timestamp] = {}
        self._facts: dict[str, list[Any]] = {name: [] for name in FACT_COLUMNS}
        self._log: dict[str, list[Any]] = {name: [] for name in ("position", "event_id", "stream", "type",
                                                                  "occurred_on", "recorded_at", "actor",
                                                                  "unit", "note", "demo", "target_id")}
        self._frames: dict[str, pd.DataFrame] = {}

    # -- folding -------------------------------------------------------------------------------

    def catch_up(self) -> int:
        """Fold the events appended since the last call; returns how many were folded."""
        folded = 0
        for event in self.store.read(after=self.position):
            self._fold(event)
            self.position = event.position
            folded += 1
        if folded:
            self._frames.clear()
        return folded

    def _fold(self, event: StoredEvent) -> None:
        payload = event.payload
        recorded = pd.Timestamp(event.recorded_at).tz_convert("UTC")
        log = self._log
        for name, value in (("position", event.position), ("event_id", event.event_id),
                            ("stream", event.stream), ("type", event.type),
                            ("occurred_on", pd.Timestamp(event.occurred_on)), ("recorded_at", recorded),
                            ("actor", event.actor), ("unit", event.unit),
                            ("note", payload.get("note") or payload.get("reason") or ""),
                            ("demo", bool(payload.get("demo"))),
                            ("target_id", payload.get("retracted_event_id"))):
            log[name].append(value)
        if event.type == "PlanImported":
            self.plans[payload["plan_id"]] = {**payload, "recorded_at": recorded}
        elif event.type == "ActivityPlanned":
            self.planned[event.stream] = {**payload, "recorded_at": recorded, "event_id": event.event_id}
        elif event.type == "EventRetracted":
            self.retracted[payload["retracted_event_id"]] = recorded
        elif event.type in ACTIVITY_FACTS:
            self._fold_fact(event, recorded)

    def _fold_fact(self, event: StoredEvent, recorded: pd.Timestamp) -> None:
        p = event.payload
        row = {
            "position": event.position, "event_id": event.event_id, "stream": event.stream,
            "type": event.type, "occurred_on": pd.Timestamp(event.occurred_on), "recorded_at": recorded,
            "actor": event.actor, "unit": event.unit, "percent": p.get("percent"),
            "note": p.get("note") or p.get("reason") or "", "p_unit": p.get("unit"), "p_date": _ts(p.get("date")),
            "participants": p.get("participants"), "sessions": p.get("sessions"), "place": p.get("place"),
            "target": p.get("target"), "amount": p.get("amount"), "key": p.get("key"),
            "title": p.get("title"), "due": _ts(p.get("due")),
        }
        if event.type == "ActivityRevised":
            row["key"] = {k: p[k] for k in REVISABLE if p.get(k) is not None}
        for name in FACT_COLUMNS:
            self._facts[name].append(row[name])

    # -- the cut: as_of and known_at -----------------------------------------------------------

    def _all_facts(self) -> pd.DataFrame:
        if "facts" not in self._frames:
            frame = pd.DataFrame(self._facts, columns=list(FACT_COLUMNS))
            frame["occurred_on"] = pd.to_datetime(frame["occurred_on"])
            frame["recorded_at"] = pd.to_datetime(frame["recorded_at"], utc=True)
            self._frames["facts"] = frame
        return self._frames["facts"]

    def facts(self, as_of: dt.date, known_at: dt.datetime | None = None) -> pd.DataFrame:
        """Activity facts that happened by ``as_of``, were known by ``known_at`` and are not retracted."""
        frame = self._all_facts()
        keep = frame["occurred_on"] <= pd.Timestamp(as_of)
        if known_at is not None:
            cutoff = _utc(known_at)
            keep &= frame["recorded_at"] <= cutoff
            gone = {eid for eid, at in self.retracted.items() if at <= cutoff}
        else:
            gone = set(self.retracted)
        if gone:
            keep &= ~frame["event_id"].isin(gone)
        return frame[keep]

    def _known(self, item: dict[str, Any], known_at: dt.datetime | None) -> bool:
        return known_at is None or item["recorded_at"] <= _utc(known_at)

    # -- frames ----------------------------------------------------------------------------------

    def plan_frame(self, known_at: dt.datetime | None = None) -> pd.DataFrame:
        rows = [
            {"plan_id": pid, "title": p["title"], "issuer": p["issuer"], "doc_no": p["doc_no"],
             "year": p["year"], "start": _ts(p["start"]), "end": _ts(p["end"])}
            for pid, p in self.plans.items() if self._known(p, known_at)
        ]
        return pd.DataFrame(rows, columns=["plan_id", "title", "issuer", "doc_no", "year", "start", "end"])

    def plan_of_activities(self, as_of: dt.date, known_at: dt.datetime | None = None,
                           facts: pd.DataFrame | None = None) -> dict[str, dict[str, Any]]:
        """The activities as planned, with the revisions that took effect by ``as_of`` applied."""
        facts = self.facts(as_of, known_at) if facts is None else facts
        gone = {eid for eid, at in self.retracted.items() if known_at is None or at <= _utc(known_at)}
        current = {stream: dict(a) for stream, a in self.planned.items()
                   if self._known(a, known_at) and a["event_id"] not in gone}
        revisions = facts[facts["type"] == "ActivityRevised"].sort_values(["occurred_on", "position"])
        for stream, changes in zip(revisions["stream"], revisions["key"]):
            if stream in current:
                current[stream].update(changes)
        return current

    def activities(self, as_of: dt.date, known_at: dt.datetime | None = None) -> pd.DataFrame:
        """One row per activity: the plan's words, its status as of ``as_of`` and its latest report."""
        facts = self.facts(as_of, known_at)
        plan = self.plan_of_activities(as_of, known_at, facts)
        by_stream = {stream: group for stream, group in facts.groupby("stream", sort=False)}
        empty = facts.iloc[0:0]
        rows = []
        for stream, a in plan.items():
            mine = by_stream.get(stream, empty)
            reports = mine[mine["type"] == "ProgressReported"].sort_values(["occurred_on", "position"])
            done = mine[mine["type"] == "ActivityCompleted"]["occurred_on"]
            flagged = mine[mine["type"] == "RiskFlagged"]["position"]
            resolved = mine[mine["type"] == "RiskResolved"]["position"]
            percent = float(reports["percent"].iloc[-1]) if len(reports) else 0.0
            done_on = _day(done.min()) if len(done) else None
            start, end = _day(_ts(a["start"])), _day(_ts(a["end"]))
            status = activity_status(as_of, start, end, done_on, percent)
            rows.append({
                "plan_id": a["plan_id"], "seq": a["seq"], "stream": stream, "title": a["title"],
                "body": a["body"], "window_text": a["window_text"], "start": _ts(start), "end": _ts(end),
                "lead_units": list(a["lead_units"]), "partner_units": list(a["partner_units"]),
                "status": status, "percent": 100.0 if status == "done" else percent,
                "last_report_on": reports["occurred_on"].iloc[-1] if len(reports) else pd.NaT,
                "done_on": _ts(done_on), "risk_open": bool(len(flagged) and (not len(resolved) or flagged.max() > resolved.max())),
                "reports": int(len(reports)),
                "participants": int(mine.loc[mine["type"] == "ParticipationRecorded", "participants"].fillna(0).sum()),
                "attention": ATTENTION_ORDER[status],
            })
        frame = pd.DataFrame(rows, columns=ACTIVITY_COLUMNS)
        for column in ("start", "end", "last_report_on", "done_on"):
            frame[column] = pd.to_datetime(frame[column])
        return frame.sort_values(["plan_id", "seq"], ignore_index=True)

    def targets(self, as_of: dt.date, known_at: dt.datetime | None = None) -> pd.DataFrame:
        """Targets planned vs achieved; an advance counts towards the target key it names."""
        facts = self.facts(as_of, known_at)
        plan = self.plan_of_activities(as_of, known_at, facts)
        advanced = facts[facts["type"] == "TargetAdvanced"].groupby(["stream", "target"])["amount"].sum()
        rows = [
            {"plan_id": a["plan_id"], "seq": a["seq"], "stream": stream, "key": t["key"], "label": t["label"],
             "unit": t.get("unit", ""), "planned": int(t["quantity"]),
             "achieved": int(advanced.get((stream, t["key"]), 0))}
            for stream, a in plan.items() for t in a["targets"]
        ]
        return pd.DataFrame(rows, columns=["plan_id", "seq", "stream", "key", "label", "unit", "planned", "achieved"])

    def milestones(self, as_of: dt.date, known_at: dt.datetime | None = None) -> pd.DataFrame:
        """Milestones planned, with the date each was reached (NaT while open)."""
        facts = self.facts(as_of, known_at)
        planned = facts[facts["type"] == "MilestonePlanned"].drop_duplicates(["stream", "key"], keep="last")
        reached = facts[facts["type"] == "MilestoneReached"].groupby(["stream", "key"])["occurred_on"].min()
        rows = []
        for r in planned.itertuples():
            a = self.planned.get(r.stream, {})
            rows.append({"plan_id": a.get("plan_id"), "seq": a.get("seq"), "stream": r.stream, "key": r.key,
                         "title": r.title, "due": r.due, "reached_on": reached.get((r.stream, r.key), pd.NaT)})
        frame = pd.DataFrame(rows, columns=["plan_id", "seq", "stream", "key", "title", "due", "reached_on"])
        frame["due"] = pd.to_datetime(frame["due"])
        frame["reached_on"] = pd.to_datetime(frame["reached_on"])
        return frame

    def participation(self, as_of: dt.date, known_at: dt.datetime | None = None) -> pd.DataFrame:
        """Participation rows as reported, one per event."""
        facts = self.facts(as_of, known_at)
        rows = facts[facts["type"] == "ParticipationRecorded"]
        frame = pd.DataFrame({
            "plan_id": [self.planned.get(s, {}).get("plan_id") for s in rows["stream"]],
            "seq": [self.planned.get(s, {}).get("seq") for s in rows["stream"]],
            "stream": rows["stream"].to_numpy(), "event_id": rows["event_id"].to_numpy(),
            "unit": rows["p_unit"].to_numpy(), "date": pd.to_datetime(rows["p_date"]).to_numpy(),
            "participants": rows["participants"].astype("int64").to_numpy() if len(rows) else [],
            "sessions": rows["sessions"].fillna(0).astype("int64").to_numpy() if len(rows) else [],
            "place": rows["place"].to_numpy(), "note": rows["note"].to_numpy(),
            "actor": rows["actor"].to_numpy(), "occurred_on": rows["occurred_on"].to_numpy(),
        })
        return frame.reset_index(drop=True)

    def workload(self, as_of: dt.date, known_at: dt.datetime | None = None,
                 groups: Mapping[str, Sequence[str]] | None = None) -> pd.DataFrame:
        """One row per unit, month and active activity, with its role: lead (weight 1) or partner (0.5).

        Rows stay per activity so a page can cut them by its filters before summing. Group units
        (各市（州）总工会 …) stay as named; with ``groups``, a member that recorded an event for the
        activity also gets the group's role there.
        """
        facts = self.facts(as_of, known_at)
        plan = self.plan_of_activities(as_of, known_at, facts)
        reporters = facts.groupby("stream")["unit"].agg(lambda units: set(u for u in units if u))
        member_of = {m: g for g, members in (groups or {}).items() for m in members}
        rows = []
        for stream, a in plan.items():
            start, end = _ts(a["start"]), _ts(a["end"])
            if start is None or end is None:
                continue
            months = [m.to_timestamp() for m in pd.period_range(start.to_period("M"), end.to_period("M"), freq="M")]
            for role, units, weight in (("lead", a["lead_units"], 1.0), ("partner", a["partner_units"], 0.5)):
                named = list(units)
                named += sorted(u for u in reporters.get(stream, set()) if member_of.get(u) in units and u not in named)
                rows += [{"plan_id": a["plan_id"], "seq": a["seq"], "stream": stream, "unit": unit, "month": month,
                          "role": role, "weight": weight} for unit in named for month in months]
        return pd.DataFrame(rows, columns=["plan_id", "seq", "stream", "unit", "month", "role", "weight"])

    def unit_activity(self, as_of: dt.date, known_at: dt.datetime | None = None) -> pd.DataFrame:
        """Per activity, unit and month: events the unit recorded and participants it reported."""
        facts = self.facts(as_of, known_at)
        facts = facts.assign(month=facts["occurred_on"].dt.to_period("M").dt.to_timestamp(),
                             who=facts["p_unit"].where(facts["p_unit"].notna(), facts["unit"]))
        facts = facts[facts["who"].fillna("") != ""]
        frame = (facts.groupby(["stream", "who", "month"], as_index=False)
                 .agg(events=("event_id", "count"), participants=("participants", "sum"))
                 .rename(columns={"who": "unit"}))
        frame["participants"] = frame["participants"].fillna(0).astype("int64")
        frame.insert(0, "plan_id", frame["stream"].map(lambda s: self.planned.get(s, {}).get("plan_id")))
        return frame

    def log(self, known_at: dt.datetime | None = None) -> pd.DataFrame:
        """Every event with its envelope's readable fields and whether it was retracted."""
        if "log" not in self._frames:
            frame = pd.DataFrame(self._log)
            frame["occurred_on"] = pd.to_datetime(frame["occurred_on"])
            frame["recorded_at"] = pd.to_datetime(frame["recorded_at"], utc=True)
            self._frames["log"] = frame
        frame = self._frames["log"]
        if known_at is not None:
            frame = frame[frame["recorded_at"] <= _utc(known_at)]
        seq = {s: a["seq"] for s, a in self.planned.items()}
        return frame.assign(
            seq=frame["stream"].map(seq),
            retracted=frame["event_id"].isin(
                {e for e, at in self.retracted.items() if known_at is None or at <= _utc(known_at)}),
        )


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
            "status": a.status, "percent": float(a.percent),
            "targets": [{"key": t.key, "label": t.label, "unit": t.unit, "achieved": int(t.achieved),
                         "planned": int(t.planned)} for t in mine.itertuples()],
        })
    return rows
