"""What a page shows, as pure functions of projection frames and the global filters.

Kept apart from Streamlit so the rules of filtering and of "what changed since the last meeting"
are tested on small frames, and every page applies them the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from dashboard.render.labels import REASON_LABELS, status_text, ui

ROLES = ("either", "lead", "partner")


@dataclass(frozen=True)
class Filters:
    """The global filters of the sidebar; every field is mirrored in the URL."""

    plan_id: str | None = None
    as_of: dt.date = field(default_factory=dt.date.today)
    units: tuple[str, ...] = ()
    role: str = "either"
    statuses: tuple[str, ...] = ()
    months: tuple[int, int] = (1, 12)
    keyword: str = ""


def _units_of(row_units: Sequence[str], wanted: set[str], groups: Mapping[str, Sequence[str]]) -> bool:
    """A unit matches itself and, through its group, an activity whose units name the group."""
    for unit in row_units:
        if unit in wanted or any(member in wanted for member in groups.get(unit, ())):
            return True
    return False


def filter_activities(activities: pd.DataFrame, filters: Filters, year: int | None,
                      groups: Mapping[str, Sequence[str]] | None = None) -> pd.DataFrame:
    """The activities the filters keep: units in their role, status, months of the window, keyword."""
    keep = pd.Series(True, index=activities.index)
    groups = groups or {}
    if filters.units:
        wanted = set(filters.units)
        lead = activities["lead_units"].map(lambda u: _units_of(u, wanted, groups))
        partner = activities["partner_units"].map(lambda u: _units_of(u, wanted, groups))
        keep &= {"lead": lead, "partner": partner}.get(filters.role, lead | partner)
    if filters.statuses:
        keep &= activities["status"].isin(filters.statuses)
    if year is not None and tuple(filters.months) != (1, 12):
        first = pd.Timestamp(year, filters.months[0], 1)
        last = pd.Timestamp(year, filters.months[1], 1) + pd.offsets.MonthEnd(0)
        dated = activities["start"].notna() & activities["end"].notna()
        keep &= ~dated | ((activities["start"] <= last) & (activities["end"] >= first))
    keyword = filters.keyword.strip()
    if keyword:
        text = activities["title"].fillna("") + " " + activities["body"].fillna("")
        keep &= text.str.contains(keyword, case=False, regex=False)
    return activities[keep]


def titled(frame: pd.DataFrame, activities: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (rows of an activity's stream) with the activity's title as ``title``; a title the
    frame had of its own (a milestone's name) moves to ``milestone``, so 活动 is always the activity."""
    own = frame.rename(columns={"title": "milestone"}) if "title" in frame.columns else frame
    return own.assign(title=own["stream"].map(dict(zip(activities["stream"], activities["title"]))))


def status_counts(activities: pd.DataFrame, order: Iterable[str]) -> dict[str, int]:
    counts = activities["status"].value_counts()
    return {status: int(counts.get(status, 0)) for status in order}


def readable_status(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with ``status`` as a person reads it, 预警 with its reason (``预警（进度滞后）``), for
    every table and export; a frame without ``reason`` (an older caller) shows the bare status."""
    reasons = frame["reason"] if "reason" in frame.columns else pd.Series("", index=frame.index)
    pending = frame["review_pending"] if "review_pending" in frame.columns else pd.Series(False, index=frame.index)
    return frame.assign(status=[status_text(s, r, pending=bool(p)) for s, r, p in
                                zip(frame["status"], reasons, pending)])


def requests_readable(requests: pd.DataFrame) -> pd.DataFrame:
    """办结/延期 requests as a person reads them: the kind and the office's answer in words."""
    return requests.assign(
        request_kind=requests["kind"].map(lambda k: ui(f"request_kind_{k}")),
        request_state=requests["state"].map(lambda s: ui(f"request_state_{s}")))


def reason_counts(activities: pd.DataFrame) -> dict[str, int]:
    """预警 activities per reason (临近截止, 进度滞后): the two add up to the 预警 count."""
    at_risk = activities[activities["status"] == "at_risk"]
    counts = at_risk["reason"].value_counts() if "reason" in at_risk.columns else pd.Series(dtype="int64")
    return {reason: int(counts.get(reason, 0)) for reason in REASON_LABELS}


def reason_breakdown(activities: pd.DataFrame) -> str:
    """``临近截止 2 · 进度滞后 1``: the line under the 预警 count."""
    return " · ".join(f"{REASON_LABELS[r]} {n}" for r, n in reason_counts(activities).items())


NEEDS_ATTENTION = ("overdue", "at_risk")


def attention_list(activities: pd.DataFrame, limit: int = 10) -> pd.DataFrame:
    """Activities needing attention, worst first: overdue, then at risk, nearest end first."""
    needy = activities[activities["status"].isin(NEEDS_ATTENTION)]
    return needy.sort_values(["attention", "end", "seq"]).head(limit)


def attention_count(activities: pd.DataFrame) -> int:
    """How many activities ``attention_list`` would list with no limit (without sorting them)."""
    return int(activities["status"].isin(NEEDS_ATTENTION).sum())


@dataclass(frozen=True)
class Changes:
    """What changed between two meetings (``since`` exclusive, ``until`` inclusive)."""

    completed: pd.DataFrame
    turned_at_risk: pd.DataFrame
    turned_overdue: pd.DataFrame
    milestones_reached: pd.DataFrame
    participation_added: pd.DataFrame

    def is_empty(self) -> bool:
        return all(f.empty for f in (self.completed, self.turned_at_risk, self.turned_overdue,
                                     self.milestones_reached, self.participation_added))


def changes_since(before: pd.DataFrame, after: pd.DataFrame, milestones: pd.DataFrame,
                  participation: pd.DataFrame, since: dt.date, until: dt.date) -> Changes:
    """Compare the activities as of two dates; list milestones and participation in between."""
    was = before.set_index("stream")["status"]
    previous = after["stream"].map(was)

    def turned(status: str) -> pd.DataFrame:
        return after[(after["status"] == status) & (previous != status)]

    low, high = pd.Timestamp(since), pd.Timestamp(until)
    reached = milestones[(milestones["reached_on"] > low) & (milestones["reached_on"] <= high)]
    added = participation[(participation["occurred_on"] > low) & (participation["occurred_on"] <= high)]
    added = added.sort_values(["occurred_on", *(c for c in ("seq", "unit", "date") if c in added)], kind="stable")
    return Changes(turned("done"), turned("at_risk"), turned("overdue"), reached, added)


@dataclass(frozen=True)
class Moves:
    """How the numbers and the plan moved between two meetings, each row a from → to."""

    progress: pd.DataFrame   # seq, title, percent_from, percent_to
    targets: pd.DataFrame    # seq, label, planned, achieved_from, achieved_to
    revisions: pd.DataFrame  # seq, title, window_from, window_to
    risks: pd.DataFrame      # seq, title, risk_change ("flagged" | "resolved")

    def is_empty(self) -> bool:
        return all(f.empty for f in (self.progress, self.targets, self.revisions, self.risks))


def _window(row: pd.Series) -> str:
    """A window as leadership reads it: the plan's words and the dates they mean."""
    dates = "—".join(pd.Timestamp(d).strftime("%Y-%m-%d") for d in (row["start"], row["end"]) if pd.notna(d))
    words = str(row.get("window_text") or "")
    return f"{words}（{dates}）" if words and dates else words or dates


def moves_since(before: pd.DataFrame, after: pd.DataFrame,
                targets_before: pd.DataFrame, targets_after: pd.DataFrame) -> Moves:
    """Compare the activities and targets as of the last meeting (``before``) and now (``after``).

    Only activities in ``after`` (the filtered board) are listed; one missing from ``before``
    (planned since) counts from 0 % and no risk."""
    was = before.set_index("stream")
    pairs = after.join(was[["percent", "risk_open"]].rename(columns=lambda c: f"{c}_was"), on="stream")
    pairs["percent_was"] = pairs["percent_was"].fillna(0)
    pairs["risk_open_was"] = pairs["risk_open_was"].fillna(False).astype(bool)
    moved = pairs[pairs["percent"] != pairs["percent_was"]]
    progress = pd.DataFrame({"seq": moved["seq"], "title": moved["title"],
                             "percent_from": moved["percent_was"].astype(int), "percent_to": moved["percent"].astype(int)})

    flipped = pairs[pairs["risk_open"].astype(bool) != pairs["risk_open_was"]]
    risks = pd.DataFrame({"seq": flipped["seq"], "title": flipped["title"],
                          "risk_change": ["flagged" if r else "resolved" for r in flipped["risk_open"].astype(bool)]})

    old_windows = {stream: _window(row) for stream, row in was.iterrows()}
    windows = pd.DataFrame({"seq": after["seq"], "title": after["title"],
                            "window_from": after["stream"].map(old_windows),
                            "window_to": [_window(row) for _, row in after.iterrows()]})
    revisions = windows[windows["window_from"].notna() & (windows["window_from"] != windows["window_to"])]

    shown = targets_after[targets_after["stream"].isin(set(after["stream"]))]
    earlier = targets_before.set_index(["stream", "key"])["achieved"]
    achieved_from = [int(earlier.get((s, k), 0)) for s, k in zip(shown["stream"], shown["key"])]
    advanced = shown.assign(achieved_from=achieved_from, achieved_to=shown["achieved"])
    advanced = advanced[advanced["achieved_to"] != advanced["achieved_from"]]
    return Moves(progress.reset_index(drop=True), advanced[["seq", "label", "planned", "achieved_from", "achieved_to"]]
                 .reset_index(drop=True), revisions.reset_index(drop=True), risks.reset_index(drop=True))


def month_bounds(year: int, months: tuple[int, int]) -> tuple[dt.date, dt.date]:
    last = (pd.Timestamp(year, months[1], 1) + pd.offsets.MonthEnd(0)).date()
    return dt.date(year, months[0], 1), last


def unit_activities(activities: pd.DataFrame, unit: str, groups: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """The activities where a unit is lead or partner (itself or through a group), with its role."""
    wanted = {unit}
    lead = activities["lead_units"].map(lambda u: _units_of(u, wanted, groups))
    partner = activities["partner_units"].map(lambda u: _units_of(u, wanted, groups))
    mine = activities[lead | partner].copy()
    mine["role"] = ["lead" if is_lead else "partner" for is_lead in lead[lead | partner]]
    return mine


def self_check(activities: pd.DataFrame, unit_days: pd.DataFrame, unit: str, as_of: dt.date,
               groups: Mapping[str, Sequence[str]], due_days: int = 14) -> pd.DataFrame:
    """A unit's activities with days left, its own last report, and the flags of the self-check.

    ``unit_days`` are the days by ``as_of`` the unit recorded facts on, per stream (the projector's
    ``unit_days``). ``reported_this_month`` is whether the unit recorded anything for the activity
    in the month of ``as_of``; ``active_this_month`` whether the window overlaps that month.
    """
    mine = unit_activities(activities, unit, groups)
    day = pd.Timestamp(as_of)
    month_start = day.replace(day=1)
    own = unit_days[unit_days["occurred_on"] <= day]
    last = own.groupby("stream")["occurred_on"].max()
    this_month = set(own[own["occurred_on"] >= month_start]["stream"])
    month_end = month_start + pd.offsets.MonthEnd(0)
    # Days left mean nothing once an activity is done: blank there, not "−151".
    mine["days_left"] = (mine["end"] - day).dt.days.astype("Int64").where(mine["status"] != "done")
    mine["my_last_report_on"] = pd.to_datetime(mine["stream"].map(last.to_dict()))
    mine["active_this_month"] = (mine["start"] <= month_end) & (mine["end"] >= month_start)
    mine["reported_this_month"] = mine["stream"].isin(this_month)
    open_ = mine["status"] != "done"
    mine["not_reported"] = mine["active_this_month"] & ~mine["reported_this_month"] & open_
    mine["due_soon"] = open_ & mine["days_left"].between(0, due_days).fillna(False).astype(bool)
    return mine.sort_values(["attention", "days_left", "seq"], na_position="last")


def days_left_text(days: object) -> str:
    """剩余天数 as a reader says it: "33 天", "逾期 120 天", blank for a done activity (no raw −151)."""
    if days is None or pd.isna(days):
        return ""
    days = int(days)
    return f"逾期 {-days} 天" if days < 0 else f"{days} 天"


def with_unit_parts(activities: pd.DataFrame, unit_progress: pd.DataFrame, unit: str | None = None) -> pd.DataFrame:
    """Activities with each partner's own last percent beside the lead's ``percent``.

    ``unit_parts`` reads "海东市总工会 40%；西宁市总工会 30%" ("" when no partner reported): partners
    report their own part, which never replaces the activity's percent (store/domain/rules.py), so the
    detail of an activity shows both. With ``unit``, ``my_percent`` is that unit's own last report.
    """
    partners = unit_progress[unit_progress["role"] == "partner"]
    parts: dict[str, list[str]] = {}
    for row in partners.itertuples(index=False):
        parts.setdefault(row.stream, []).append(f"{row.unit} {round(float(row.percent))}%")
    out = activities.assign(unit_parts=activities["stream"].map(lambda s: "；".join(parts.get(s, []))))
    if unit is not None:
        own = unit_progress[unit_progress["unit"] == unit].set_index("stream")["percent"]
        out["my_percent"] = out["stream"].map(own.to_dict()).astype("Float64")
    return out


# ── 事件日志 (the log page) and 导入 (plan import) ────────────────────────────────────────────────

PLAN_LEVEL = 0  # the "activity" choice of the log page that stands for the plan's own events
_RETRACTION_NAMESPACE = "3b0f6c1e-9a52-4d1b-8c77-2f5e0d4a9c31"


def plan_log(log: pd.DataFrame, plan_id: str | None) -> pd.DataFrame:
    """The events of one plan (its plan stream and its activities' streams) and of no plan at all."""
    if plan_id is None:
        return log
    stream = log["stream"]
    mine = (stream == f"plan/{plan_id}") | stream.str.startswith(f"activity/{plan_id}/", na=False)
    other = ~stream.str.startswith(("plan/", "activity/"), na=False)
    return log[mine | other]


def filter_log(log: pd.DataFrame, *, types: Iterable[str] = (), units: Iterable[str] = (),
               actors: Iterable[str] = (), seqs: Iterable[int] = (),
               occurred: tuple[dt.date | None, dt.date | None] = (None, None),
               recorded: tuple[dt.date | None, dt.date | None] = (None, None),
               tz: str = "Asia/Shanghai") -> pd.DataFrame:
    """The log rows the log page's filters keep. An empty choice keeps everything.

    ``seqs`` may hold ``PLAN_LEVEL`` for the events outside any activity; ``recorded`` is a range
    of days in ``tz`` (the recorded time is UTC in the frame).
    """
    keep = pd.Series(True, index=log.index)
    types, units, actors, seqs = list(types), list(units), list(actors), list(seqs)
    if types:
        keep &= log["type"].isin(types)
    if units:
        keep &= log["unit"].isin(units)
    if actors:
        keep &= log["actor"].isin(actors)
    if seqs:
        chosen = log["seq"].isin([s for s in seqs if s != PLAN_LEVEL])
        if PLAN_LEVEL in seqs:
            chosen |= log["seq"].isna()
        keep &= chosen
    low, high = occurred
    if low is not None:
        keep &= log["occurred_on"] >= pd.Timestamp(low)
    if high is not None:
        keep &= log["occurred_on"] <= pd.Timestamp(high)
    low, high = recorded
    if low is not None:
        keep &= log["recorded_at"] >= pd.Timestamp(low).tz_localize(tz)
    if high is not None:
        keep &= log["recorded_at"] < (pd.Timestamp(high) + pd.Timedelta(days=1)).tz_localize(tz)
    return log[keep]


def retractions(log: pd.DataFrame) -> pd.DataFrame:
    """The retractions of the log (EventRetracted events) with their target's position and the reason."""
    frame = log.loc[log["type"] == "EventRetracted", ["event_id", "target_id", "note"]].rename(columns={"note": "reason"})
    targets = log[log["event_id"].isin(set(frame["target_id"]))].set_index("event_id")["position"]
    frame["target_position"] = frame["target_id"].map(targets).astype("Int64")
    return frame


def newest(log: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The latest ``limit`` events, newest first."""
    if log["position"].is_monotonic_increasing:  # the log frame is folded in position order
        return log.iloc[max(len(log) - limit, 0):].iloc[::-1]
    return log.sort_values("position", ascending=False).head(limit)


def mark_retractions(rows: pd.DataFrame, retracted: pd.DataFrame, mark: str = "✓") -> pd.DataFrame:
    """Rows of the log with ``retracted_mark`` (``mark`` or empty), the reason a retracted event was
    retracted for (``retract_reason``) and, on a retraction, the position of its target (``retracts``)."""
    reason = retracted.drop_duplicates("target_id").set_index("target_id")["reason"]
    target = retracted.drop_duplicates("event_id").set_index("event_id")["target_position"]
    return rows.assign(
        retracted_mark=rows["retracted"].map(lambda r: mark if r else ""),
        retract_reason=rows["event_id"].map(reason).where(rows["retracted"], "").fillna(""),
        retracts=rows["event_id"].map(target).astype("Int64"),
    )


def one_line(text: object, limit: int = 30) -> str:
    """Free text on one line and at most ``limit`` characters, for a choice label."""
    flat = " ".join(str(text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def retraction_id(event_id: str, actor: str) -> str:
    """The id of ``actor``'s retraction of an event: the same on every submit, so a double click records once."""
    import uuid

    return str(uuid.uuid5(uuid.UUID(_RETRACTION_NAMESPACE), f"{event_id}|{actor}"))


def retraction_unit(role: str, bound_units: Sequence[str], target_unit: str) -> str:
    """On behalf of which unit a retraction is recorded: the event's unit when the account holds it."""
    if role == "admin" or target_unit in bound_units:
        return target_unit
    return bound_units[0] if bound_units else ""


def import_outcome(result: object, plan_existed: bool) -> str:
    """What an import did: a "new" plan, a "revised" version, or the "same" document (nothing appended)."""
    if not getattr(result, "appended", 0):
        return "same"
    return "revised" if plan_existed else "new"


def jsonl(lines: Iterable[str], positions: frozenset[int] | set[int] | None = None) -> bytes:
    """JSON Lines of exported envelopes (one per line, as the store wrote them), all or those at ``positions``."""
    import json

    if positions is not None:
        lines = (line for line in lines if json.loads(line)["position"] in positions)
    return "".join(line + "\n" for line in lines).encode("utf-8")


DETAIL_COLUMNS = ["participants", "sessions", "place", "percent", "amount", "milestone", "milestone_due"]


def log_details(rows: pd.DataFrame, milestones: pd.DataFrame | None = None) -> pd.DataFrame:
    """The facts each event reports, as columns (``DETAIL_COLUMNS``), from its ``payload``.

    A log row alone says who and when; 人数, 场次, 地点, 进度, 数量 and the milestone are what a reader
    checks a report against. A reached milestone carries only its key, so its title and due date come
    from ``milestones`` (the projection's stream, key, title, due) where it is planned.
    """
    found: dict[str, list[object]] = {name: [] for name in DETAIL_COLUMNS}
    payloads = rows["payload"] if "payload" in rows.columns else pd.Series([{}] * len(rows), index=rows.index)
    planned: dict[tuple[str, str], tuple[str, object]] = {}
    if milestones is not None and not milestones.empty:
        # Only the milestones these rows name: a large log plans thousands, a page shows a few hundred rows.
        keys = {str(p["key"]) for p, kind in zip(payloads, rows["type"])
                if kind in ("MilestonePlanned", "MilestoneReached") and isinstance(p, dict) and p.get("key")}
        wanted = milestones[milestones["key"].astype(str).isin(keys)] if keys else milestones.iloc[:0]
        planned = {(m.stream, str(m.key)): (m.title, m.due) for m in wanted.itertuples(index=False)}
    for stream, kind, payload in zip(rows["stream"], rows["type"], payloads):
        payload = payload if isinstance(payload, dict) else {}
        milestone, due = "", None
        if kind in ("MilestonePlanned", "MilestoneReached") and payload.get("key"):
            title, planned_due = planned.get((stream, str(payload["key"])), ("", None))
            milestone = str(payload.get("title") or title or payload["key"])
            due = payload.get("due") if kind == "MilestonePlanned" else planned_due
        participation = kind == "ParticipationRecorded"
        for name, value in (("participants", payload.get("participants") if participation else None),
                            ("sessions", payload.get("sessions") if participation else None),
                            ("place", str(payload.get("place") or "") if participation else ""),
                            ("percent", payload.get("percent") if kind == "ProgressReported" else None),
                            ("amount", payload.get("amount") if kind == "TargetAdvanced" else None),
                            ("milestone", milestone), ("milestone_due", due)):
            found[name].append(value)
    details = pd.DataFrame(found, index=rows.index).astype(
        {"participants": "Int64", "sessions": "Int64", "percent": "Int64", "amount": "Int64",
         "place": "str", "milestone": "str"})
    details["milestone_due"] = pd.to_datetime(details["milestone_due"], errors="coerce").dt.date
    return rows.drop(columns=[c for c in DETAIL_COLUMNS if c in rows.columns]).join(details)
