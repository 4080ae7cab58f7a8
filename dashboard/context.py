"""The frames a page shows: the projections as of the chosen date, cut by the global filters.

One function so that every page agrees on what "filtered" means: an activity is kept by
``views.filter_activities``, and every other frame keeps the rows of the kept activities.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard import data, filters
from dashboard.views import Filters, filter_activities


@dataclass(frozen=True)
class View:
    filters: Filters
    plan: data.PlanInfo | None
    activities: pd.DataFrame
    targets: pd.DataFrame
    milestones: pd.DataFrame
    participation: pd.DataFrame
    workload: pd.DataFrame
    unit_activity: pd.DataFrame

    @property
    def year(self) -> int | None:
        return self.plan.year if self.plan else None


def view() -> View:
    f = filters.current()
    plan = filters.current_plan()
    frames = data.plan_frames(f.plan_id, f.as_of)
    activities = filter_activities(frames["activities"], f, plan.year if plan else None, data.groups())
    kept = set(activities["stream"])
    cut = {name: frame[frame["stream"].isin(kept)] for name, frame in frames.items() if name != "activities"}
    return View(f, plan, activities, **cut)
