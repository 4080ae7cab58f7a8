"""时间线: the events of the log over time, and the latest ones with who recorded them."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.board import data, present
from dashboard.board.context import view
from dashboard.render import charts, components
from dashboard.render.labels import event_type_label, export_title, ui

v = view()
st.title(ui("timeline_title"))
if v.plan is None:
    st.info(ui("no_plan"))
    st.stop()

log = data.board().frame("log")
kept = set(v.activities["stream"])
mine = log[log["stream"].isin(kept) & (log["occurred_on"] <= pd.Timestamp(v.filters.as_of))
           & ~log["type"].isin(["ActivityPlanned"])]
if v.filters.months != (1, 12):
    months = mine["occurred_on"].dt.month
    mine = mine[(months >= v.filters.months[0]) & (months <= v.filters.months[1])]
if mine.empty:
    st.info(ui("no_events"))
    st.stop()
components.chart(charts.timeline(mine, big=present.is_on()), "timeline",
                 title=export_title(ui("timeline_title"), v.plan.title, v.filters.as_of))
if present.shows("latest_events"):
    st.subheader(ui("latest_events"))
    latest = mine.sort_values("position", ascending=False).head(50)
    components.table(latest.assign(type=latest["type"].map(event_type_label)), "latest-events",
                     columns=["occurred_on", "seq", "type", "unit", "actor", "note", "retracted"])
