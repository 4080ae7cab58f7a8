"""部门工作量: units × months of active activities (lead and partner apart), and participation over time."""

from __future__ import annotations

import streamlit as st

from dashboard.board import data, present
from dashboard.board.context import view
from dashboard.render import charts, components
from dashboard.render.labels import role_label, ui

v = view()
st.title(ui("workload_title"))
if v.plan is None:
    st.info(ui("no_plan"))
    st.stop()

ROLE_VIEWS = ("lead", "partner", "both")
role = st.segmented_control(ui("workload_role"), ROLE_VIEWS, format_func=role_label, default="lead",
                            key="wl_role", bind="query-params") or "lead"
workload = v.workload
if v.filters.units:
    workload = workload[workload["unit"].isin(v.filters.units) | workload["unit"].isin(
        [g for g, members in data.groups().items() if set(members) & set(v.filters.units)])]
monthly = (workload.groupby(["unit", "month", "role"], as_index=False)
           .agg(activities=("stream", "nunique"), weight=("weight", "sum")))
if monthly.empty:
    st.info(ui("no_match"))
else:
    components.chart(charts.workload_heatmap(monthly, role, big=present.is_on()), "workload-heatmap")
    st.subheader(ui("activities_per_unit"))
    components.chart(charts.unit_bars(charts.unit_role_counts(v.activities, data.groups())), "activities-per-unit")

st.subheader(ui("participation_by_city"))
if v.participation.empty:
    st.caption(ui("no_participation"))
else:
    cities = data.groups().get("各市（州）总工会", [])
    components.chart(charts.participation_lines(v.participation, cities or None), "participation")
    by_unit = (v.participation.groupby("unit", as_index=False)
               .agg(participants=("participants", "sum"), sessions=("sessions", "sum"), events=("reports", "sum"))
               .sort_values("participants", ascending=False))
    components.table(by_unit, "participation-by-unit")
