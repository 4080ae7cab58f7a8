"""The status rules of DESIGN.md as one pure function, so every page and command agrees."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from store import config

Status = Literal["done", "not_started", "overdue", "at_risk", "on_track"]
# Why an activity is 预警: 临近截止 (the end is near) is not 进度滞后 (behind the elapsed share).
Reason = Literal["near_deadline", "lagging"]
REASONS: tuple[Reason, ...] = ("near_deadline", "lagging")
STATUSES: tuple[Status, ...] = ("done", "on_track", "at_risk", "overdue", "not_started")
# Worst first: what leadership should look at before anything else.
ATTENTION_ORDER: dict[str, int] = {"overdue": 0, "at_risk": 1, "on_track": 2, "not_started": 3, "done": 4}


def elapsed_share(as_of: dt.date, start: dt.date, end: dt.date) -> float:
    """How much of the window has passed, 0..1; a one-day window is all elapsed on its day."""
    span = (end - start).days
    if span <= 0:
        return 1.0 if as_of >= start else 0.0
    return min(1.0, max(0.0, (as_of - start).days / span))


def activity_status(as_of: dt.date, start: dt.date | None, end: dt.date | None,
                    done_on: dt.date | None, percent: float | None, ongoing: bool = False) -> Status:
    """Status as of a business date. No report yet counts as 0 percent.

    An activity whose window could not be read has no dates, and an ongoing one (长期坚持,
    常态化) has no deadline: neither is ever overdue or at risk by the calendar, only not yet
    started, done or on track.
    """
    if done_on is not None and done_on <= as_of:
        return "done"
    if start is None or end is None:
        return "on_track"
    if as_of < start:
        return "not_started"
    if ongoing:
        return "on_track"
    if as_of > end:
        return "overdue"
    return "at_risk" if at_risk_reason(as_of, start, end, percent) else "on_track"


def at_risk_reason(as_of: dt.date, start: dt.date | None, end: dt.date | None,
                   percent: float | None) -> Reason | None:
    """Why an open activity inside its window is 预警, or None when it is not.

    One reason per activity, the nearer danger first: an activity close to its end is 临近截止
    even when it also lags, so the two counts of a bulletin add up to the 预警 count.
    """
    if start is None or end is None or not (start <= as_of <= end):
        return None
    if (end - as_of).days <= config.AT_RISK_DAYS_BEFORE_END:
        return "near_deadline"
    if (percent or 0) < elapsed_share(as_of, start, end) * 100 - config.AT_RISK_LAG_PERCENT:
        return "lagging"
    return None
