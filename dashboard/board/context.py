"""The frames a page shows: the projections as of the chosen date, cut by the global filters.

One function so that every page agrees on what "filtered" means: an activity is kept by
``views.filter_activities``, and every other frame keeps the rows of the kept activities.
``page`` is the head every plan page shows above it: the title, the stop where there is no plan,
the message a form's last run left.
"""

from __future__ import annotations

from functools import cached_property

import pandas as pd
import streamlit as st

from dashboard.board import data, filters
from dashboard.board.views import Filters, filter_activities
from dashboard.render.labels import ui


class View:
    """The filters, the plan and the filtered activities; the other frames are computed when a page
    first reads them (the overview never reads the workload, the Gantt never reads participation).
    ``position`` is the log position the board stood at before the view read a frame: what is
    computed from the view can be kept for that position (``data.at_position``)."""

    def __init__(self, filters: Filters, plan: data.PlanInfo | None, activities: pd.DataFrame, position: int) -> None:
        self.filters, self.plan, self.activities, self.position = filters, plan, activities, position
        self._kept = set(activities["stream"])

    @property
    def year(self) -> int | None:
        return self.plan.year if self.plan else None

    def _cut(self, name: str) -> pd.DataFrame:
        """The plan's frame ``name`` for the kept activities, cut once per log position and filters
        for every session; the caller gets its own copy (copy on write)."""
        def cut() -> pd.DataFrame:
            frame = data.plan_frame(name, self.filters.plan_id, self.filters.as_of)
            return frame[frame["stream"].isin(self._kept)]
        return data.at_position(self.position, "cut", cut, name, self.filters, self.plan).copy(deep=False)

    targets = cached_property(lambda self: self._cut("targets"))
    rates = cached_property(lambda self: self._cut("rates"))
    milestones = cached_property(lambda self: self._cut("milestones"))
    participation = cached_property(lambda self: self._cut("participation"))
    workload = cached_property(lambda self: self._cut("workload"))
    unit_activity = cached_property(lambda self: self._cut("unit_activity"))
    unit_progress = cached_property(lambda self: self._cut("unit_progress"))
    requests = cached_property(lambda self: self._cut("requests"))


def view() -> View:
    f = filters.current()
    plan = filters.current_plan()
    position = data.position()
    kept = data.at_position(position, "view", lambda: filter_activities(
        data.plan_frame("activities", f.plan_id, f.as_of), f, plan.year if plan else None, data.groups()), f, plan)
    return View(f, plan, kept.copy(deep=False), position)   # the caller's own copy (copy on write)


def page(title_key: str, flash_key: str | None = None) -> View:
    """A plan page's head: its title, then (no plan yet) the hint and the end of the page, else the
    success message its form's last run left under ``flash_key`` (shown once); returns the view."""
    v = view()
    st.title(ui(title_key))
    if v.plan is None:
        st.info(ui("no_plan"))
        st.stop()
    if flash_key is not None and flash_key in st.session_state:
        st.success(st.session_state.pop(flash_key))
    return v
