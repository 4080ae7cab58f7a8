"""部门工作量: units × months of active activities (lead and partner apart), and participation over time.

With units chosen in the sidebar every chart shows only those units (a group named in the plan
counts for its chosen members), and says so when none of them has a share in the chosen role.
"""

from __future__ import annotations

import streamlit as st

from dashboard.board import data, present
from dashboard.board.context import page
from dashboard.render import chart_cache, charts, components
from dashboard.render.labels import role_label, ui

v = page("workload_title")

big = present.is_on()
groups = data.groups()
chosen = set(v.filters.units)
ROLE_VIEWS = ("lead", "partner", "both")
PRESENT_UNIT_ROWS = 14
role = st.segmented_control(ui("workload_role"), ROLE_VIEWS, format_func=role_label, default="lead",
                            key="wl_role", bind="query-params") or "lead"
workload = v.workload
if chosen:
    workload = workload[workload["unit"].isin(chosen) | workload["unit"].isin(
        [g for g, members in groups.items() if set(members) & chosen])]
monthly = (workload.groupby(["unit", "month", "role"], as_index=False)
           .agg(activities=("stream", "nunique"), weight=("weight", "sum")))
if present.shows("workload"):
    if charts.heatmap_data(monthly, role).empty:
        st.info(ui("no_workload_in_role").format(role=role_label(role)) if chosen else ui("no_match"))
    else:
        components.chart(chart_cache.build(charts.workload_heatmap, monthly, role, big=big), "workload-heatmap")

if present.shows("unit_bars"):
    st.subheader(ui("activities_per_unit"))
    counts = charts.unit_role_counts(v.activities, groups)
    if chosen:
        counts = counts[counts["unit"].isin(chosen | {g for g in groups if g in chosen})]
    if big:  # one 1080-px screen holds the busiest units; the desk page lists them all
        busiest = counts.groupby("unit")["activities"].sum().nlargest(PRESENT_UNIT_ROWS).index
        counts = counts[counts["unit"].isin(busiest)]
    if counts.empty:
        st.info(ui("no_match"))
    else:
        components.chart(chart_cache.build(charts.unit_bars, counts, big=big), "activities-per-unit")

if present.shows("participation"):
    st.subheader(ui("participation_by_city"))
    participation = v.participation[v.participation["unit"].isin(chosen)] if chosen else v.participation
    if participation.empty:
        st.info(ui("no_participation"))
    else:
        cities = [c for c in groups.get("各市（州）总工会", []) if not chosen or c in chosen]
        components.chart(chart_cache.build(charts.participation_lines, participation, cities or None, big=big),
                         "participation")
        if not big:
            by_unit = (participation.groupby("unit", as_index=False)
                       .agg(participants=("participants", "sum"), sessions=("sessions", "sum"),
                            events=("reports", "sum"))
                       .sort_values("participants", ascending=False))
            components.table(by_unit, "participation-by-unit")
