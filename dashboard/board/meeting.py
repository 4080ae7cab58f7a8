"""上次会议以来的变化: what moved between the last meeting and the board's date, and what that meeting saw.

The meeting date is the URL parameter ``since``. By default the board "then" is the one we know
now for that date (late reports included). With "按会议当时所见" (``as_seen``) it is the board as
it was *known* at the end of the meeting day (the store's ``known_at`` replay): what the meeting
actually saw, so a report sent in after the meeting for a date before it shows up as a change.
Either way the facts reported late (recorded after the meeting day, dated on or before it) are
listed apart, so nobody mistakes them for what the meeting was told. (Demo facts are left out of
that list: the demo is recorded in one go, so its recorded times say nothing.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, fields, is_dataclass, replace
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from dashboard.board import data
from dashboard.board.context import View
from dashboard.board.views import (
    Changes,
    Moves,
    changes_since,
    filter_activities,
    moves_since,
    status_counts,
    titled,
)
from dashboard.render.labels import event_type_label, status_label, ui
from store import config

MAX_LATE_ROWS = 200
# The facts units report (a plan's own import and planning are not reports, whenever they are recorded).
REPORTED_TYPES = ("ProgressReported", "ParticipationRecorded", "TargetAdvanced", "MilestoneReached", "RiskFlagged",
                  "RiskResolved", "ActivityCompleted")
DEFAULT_GAP_DAYS = 14   # a fortnight: the usual rhythm of the leadership meeting


def end_of_day(day: dt.date) -> dt.datetime:
    """The last moment of ``day`` in the business time zone: what was known when that day closed."""
    zone = ZoneInfo(config.DISPLAY_TZ)
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), zone) - dt.timedelta(microseconds=1)


def default_since(as_of: dt.date) -> dt.date:
    return as_of - dt.timedelta(days=DEFAULT_GAP_DAYS)


def parse_since(raw: str | None, as_of: dt.date) -> dt.date:
    """The meeting date of a link (``since=YYYY-MM-DD``), never after the board's date."""
    try:
        day = dt.date.fromisoformat(raw or "")
    except ValueError:
        return default_since(as_of)
    return min(day, as_of)


@dataclass(frozen=True)
class Meeting:
    """The comparison the section draws: the board then, the changes, and the late facts."""

    since: dt.date
    as_seen: bool
    then: pd.DataFrame     # the activities as of the meeting (as known then, with ``as_seen``)
    changes: Changes
    moves: Moves
    late: pd.DataFrame     # seq, type, unit, occurred_on, recorded_at, note, retracted
    plan_unseen: bool = False   # asked for 按会议当时所见, but the plan was recorded after the meeting day

    def is_empty(self) -> bool:
        return self.changes.is_empty() and self.moves.is_empty() and self.late.empty


def since_meeting(v: View, since: dt.date, as_seen: bool) -> Meeting:
    """What changed between ``since`` and the board's date, for the activities the filters keep.

    Computed once per log position, filters, plan, meeting date and switch (``data.at_position``):
    every session and rerun of the overview asks for it, and nothing else goes into it. Each
    caller gets frames of its own (pandas copies on write), so none can change another's."""
    kept = data.at_position(v.position, "since_meeting", lambda: _since_meeting(v, since, as_seen),
                            v.filters, v.plan, since, as_seen)
    return _own_copy(kept)


def _own_copy(value: Any) -> Any:
    """A dataclass of frames (Meeting, Changes, Moves) with every frame a shallow, copy-on-write copy."""
    if isinstance(value, pd.DataFrame):
        return value.copy(deep=False)
    if is_dataclass(value) and not isinstance(value, type):
        return replace(value, **{f.name: _own_copy(getattr(value, f.name)) for f in fields(value)})
    return value


def _since_meeting(v: View, since: dt.date, as_seen: bool) -> Meeting:
    assert v.plan is not None
    board = data.board()
    unseen = as_seen and v.plan.plan_id not in set(board.frame("plan_frame", end_of_day(since))["plan_id"])
    # The plan recorded only after the meeting day (imported later, as the demo is): "what the meeting
    # saw" would be an empty board, so the comparison is with what is known, and the page says so.
    as_seen = as_seen and not unseen
    known = end_of_day(since) if as_seen else None
    then = _then(v, since, known)
    targets_then = board.frame("targets", since, known)
    targets_then = targets_then[targets_then["plan_id"] == v.plan.plan_id]
    changes = changes_since(then, v.activities, v.milestones, v.participation, since, v.filters.as_of)
    # 活动 is always the activity: a milestone's own name moves to 节点, participation gets its activity.
    changes = replace(changes, milestones_reached=titled(changes.milestones_reached, v.activities),
                      participation_added=titled(changes.participation_added, v.activities))
    moves = moves_since(then, v.activities, targets_then, v.targets)
    return Meeting(since, as_seen, then, changes, moves, late_facts(v, since), unseen)


def _then(v: View, since: dt.date, known: dt.datetime | None) -> pd.DataFrame:
    """The plan's activities as of the meeting, kept by the same filters as the board."""
    assert v.plan is not None
    frame = filter_activities(data.board().frame("activities", since, known), v.filters, v.year, data.groups())
    return frame[frame["plan_id"] == v.plan.plan_id]


def late_facts(v: View, since: dt.date) -> pd.DataFrame:
    """Facts of the kept activities dated on or before the meeting but recorded after its day."""
    assert v.plan is not None
    board = data.board()
    query = data.log_query(board, v.plan.plan_id, types=REPORTED_TYPES, occurred=(None, since),
                           recorded=(since + dt.timedelta(days=1), None))
    rows = board.projector.mark(board.newest(query, MAX_LATE_ROWS))
    # Demo facts are all recorded the day the demo was loaded: their recorded time says nothing.
    rows = rows[rows["stream"].isin(set(v.activities["stream"])) & ~rows["demo"].astype(bool)]
    return rows.assign(type=rows["type"].map(event_type_label), seq=rows["seq"].astype("Int64"),
                       retracted=rows["retracted"].map(lambda r: ui("log_retracted_mark") if r else ""))


def seen_line(m: Meeting, order: list[str]) -> str:
    """The counts of the board the meeting compared against: "会议当时所见：已完成 2 · 正常 6 …"."""
    counts = status_counts(m.then, order)
    head = ui("meeting_as_seen_counts" if m.as_seen else "meeting_as_known_counts")
    return head + " · ".join(f"{status_label(s)} {n}" for s, n in counts.items())


def _short(title: object, limit: int = 12) -> str:
    text = str(title or "")
    return text if len(text) <= limit else text[: limit - 1] + "…"


# Each kind of change: its frame on the Meeting, the table's columns, and one item in a line.
_Item = Callable[[pd.Series], str]
KINDS: tuple[tuple[str, Callable[[Meeting], pd.DataFrame], list[str], _Item], ...] = (
    ("changes_progress", lambda m: m.moves.progress, ["seq", "title", "percent_from", "percent_to"],
     lambda r: f"{r.seq}. {_short(r.title)} {r.percent_from}→{r.percent_to}%"),
    ("changes_targets", lambda m: m.moves.targets, ["seq", "label", "planned", "achieved_from", "achieved_to"],
     lambda r: f"{_short(r.label)} {r.achieved_from}→{r.achieved_to}"),
    ("changes_revisions", lambda m: m.moves.revisions, ["seq", "title", "window_from", "window_to"],
     lambda r: f"{r.seq}. {_short(r.title)}"),
    ("changes_risks", lambda m: m.moves.risks.assign(risk_change=m.moves.risks["risk_change"].map(
        lambda c: ui(f"risk_{c}"))), ["seq", "title", "risk_change"],
     lambda r: f"{r.seq}. {_short(r.title)} {r.risk_change}"),
    ("changes_completed", lambda m: m.changes.completed, ["seq", "title", "done_on"],
     lambda r: f"{r.seq}. {_short(r.title)}"),
    ("changes_overdue", lambda m: m.changes.turned_overdue, ["seq", "title", "end", "percent"],
     lambda r: f"{r.seq}. {_short(r.title)}"),
    ("changes_at_risk", lambda m: m.changes.turned_at_risk, ["seq", "title", "end", "percent"],
     lambda r: f"{r.seq}. {_short(r.title)}"),
    ("changes_milestones", lambda m: m.changes.milestones_reached, ["seq", "title", "milestone", "reached_on"],
     lambda r: f"{r.seq}. {_short(r.title)}"),
    ("changes_participation", lambda m: m.changes.participation_added,
     ["seq", "title", "unit", "date", "participants", "sessions"], lambda r: f"{r.unit} {r.participants}人"),
    ("changes_late", lambda m: m.late, ["seq", "type", "unit", "occurred_on", "recorded_at", "note", "retracted"],
     lambda r: f"{r.seq}. {r.type} {r.unit or ui('log_no_unit')} {pd.Timestamp(r.occurred_on):%m-%d}"),
)


@dataclass(frozen=True)
class ChangeTable:
    """One kind of change as the section lists it: its latest rows first, at most a screenful."""

    key: str
    total: int
    rows: pd.DataFrame
    columns: list[str]


def change_tables(v: View, since: dt.date, as_seen: bool, limit: int) -> tuple[ChangeTable, ...]:
    """The section's tables, kept per log position like the comparison (``since_meeting``): every
    rerun draws the same frames, so each table is converted once (``table_cache.shown``), not per
    session per rerun; a busy fortnight of a large log lists hundreds of rows. Shared: read only."""
    def tables() -> tuple[ChangeTable, ...]:
        m = since_meeting(v, since, as_seen)
        return tuple(ChangeTable(key, len(frame), frame.tail(limit).iloc[::-1], columns)
                     for key, pick, columns, _ in KINDS if not (frame := pick(m)).empty)
    return data.at_position(v.position, "change_tables", tables, v.filters, v.plan, since, as_seen, limit)


def compact(m: Meeting, per_kind: int = 3) -> pd.DataFrame:
    """One row per kind of change that happened: its count and its first items, for the projector."""
    rows = []
    for key, pick, _, item in KINDS:
        frame = pick(m)
        if not frame.empty:
            shown = [item(r) for r in frame.head(per_kind).itertuples(index=False)]
            more = len(frame) - len(shown)
            rows.append({"change_kind": ui(key), "count": len(frame),
                         "examples": "、".join(shown) + (ui("and_more").format(count=len(frame)) if more > 0 else "")})
    return pd.DataFrame(rows, columns=["change_kind", "count", "examples"])
