"""What a page shows, as pure functions of projection frames and the global filters.

Kept apart from Streamlit so the rules of filtering and of "what changed since the last meeting"
are tested on small frames, and every page applies them the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

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


def status_counts(activities: pd.DataFrame, order: Iterable[str]) -> dict[str, int]:
    counts = activities["status"].value_counts()
    return {status: int(counts.get(status, 0)) for status in order}


def attention_list(activities: pd.DataFrame, limit: int = 10) -> pd.DataFrame:
    """Activities needing attention, worst first: overdue, then at risk, nearest end first."""
    needy = activities[activities["status"].isin(["overdue", "at_risk"])]
    return needy.sort_values(["attention", "end", "seq"]).head(limit)


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
    return Changes(turned("done"), turned("at_risk"), turned("overdue"), reached, added)


def short_title(title: str, limit: int = 14) -> str:
    return title if len(title) <= limit else title[: limit - 1] + "…"


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


def self_check(activities: pd.DataFrame, log: pd.DataFrame, unit: str, as_of: dt.date,
               groups: Mapping[str, Sequence[str]], due_days: int = 14) -> pd.DataFrame:
    """A unit's activities with days left, its own last report, and the flags of the self-check.

    ``reported_this_month`` is whether the unit recorded anything for the activity in the month of
    ``as_of``; ``active_this_month`` whether the window overlaps that month.
    """
    mine = unit_activities(activities, unit, groups)
    day = pd.Timestamp(as_of)
    month_start = day.replace(day=1)
    own = log[(log["unit"] == unit) & ~log["retracted"] & (log["occurred_on"] <= day)
              & ~log["type"].isin(["EventRetracted", "ActivityPlanned", "PlanImported"])]
    last = own.groupby("stream")["occurred_on"].max()
    this_month = set(own[own["occurred_on"] >= month_start]["stream"])
    month_end = month_start + pd.offsets.MonthEnd(0)
    mine["days_left"] = (mine["end"] - day).dt.days
    mine["my_last_report_on"] = mine["stream"].map(last)
    mine["active_this_month"] = (mine["start"] <= month_end) & (mine["end"] >= month_start)
    mine["reported_this_month"] = mine["stream"].isin(this_month)
    open_ = mine["status"] != "done"
    mine["not_reported"] = mine["active_this_month"] & ~mine["reported_this_month"] & open_
    mine["due_soon"] = open_ & mine["days_left"].between(0, due_days)
    return mine.sort_values(["attention", "days_left", "seq"], na_position="last")
