"""总览: how many activities are done, on track, at risk, overdue; targets; what changed; what needs attention."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard.board import data, present
from dashboard.board.context import view
from dashboard.board.views import (attention_list, changes_since, filter_activities, moves_since, readable_status,
                                   reason_breakdown, status_counts)
from dashboard.render import charts, components
from dashboard.render.labels import STATUS_COLORS, STATUS_LEGEND_ORDER, date_label, status_label, ui

MAX_CHANGE_ROWS = 200
PRESENT_ATTENTION_ROWS = 6  # what fits beside the targets on one 1920×1080 screen

v = view()
st.title(ui("overview_title"))
if v.plan is None:
    st.info(ui("no_plan"))
    st.stop()
st.caption(f"{components.plain(v.plan.title)} · {ui('as_of')} {date_label(v.filters.as_of, with_year=True)}")

big = present.is_on()
if present.shows("counts"):
    counts = status_counts(v.activities, STATUS_LEGEND_ORDER)
    for column, status in zip(st.columns(len(counts)), counts):
        with column.container(border=True, key=f"status-{status}"):
            st.markdown(f"<div style='height:8px;background:{STATUS_COLORS[status]}'></div>", unsafe_allow_html=True)
            st.metric(status_label(status), counts[status])
            if status == "at_risk" and counts[status]:
                st.caption(reason_breakdown(v.activities))

if present.shows("attention"):
    left, right = st.columns([3, 2])
    with left:
        st.subheader(ui("needs_attention"))
        # On the projector the lead unit must be readable: fewer columns, fewer rows, the rest counted.
        needy = attention_list(v.activities, limit=PRESENT_ATTENTION_ROWS if big else 10)
        if needy.empty:
            st.success(ui("nothing_needs_attention"))
        else:
            columns = ["seq", "title", "status", "percent", "end", "lead_units"] + ([] if big else ["last_report_on"])
            components.table(readable_status(needy), "needs-attention",
                             columns=columns)
            more = len(attention_list(v.activities, limit=len(v.activities))) - len(needy)
            if more > 0:
                st.markdown(ui("more_need_attention").format(count=more))
    with right:
        st.subheader(ui("targets"))
        if v.targets.empty:
            st.caption(ui("no_targets"))
        else:
            components.chart(charts.targets_bars(v.targets, big=big), "targets")
        if not v.rates.empty:  # rates are shown, never summed into the bars
            st.caption(ui("rate_targets").format(items="；".join(
                components.plain(f"{seq}. {label} {quantity:g}{unit}")
                for seq, label, quantity, unit in zip(v.rates["seq"], v.rates["label"], v.rates["quantity"],
                                                      v.rates["unit"]))))

if not big:
    st.subheader(ui("since_last_meeting"))
    since = st.date_input(ui("last_meeting_on"), value=v.filters.as_of - dt.timedelta(days=14),
                          max_value=v.filters.as_of, key="since", format="YYYY-MM-DD", bind="query-params")
    before = filter_activities(data.board().frame("activities", since), v.filters, v.year, data.groups())
    before = before[before["plan_id"] == v.plan.plan_id]
    changes = changes_since(before, v.activities, v.milestones, v.participation, since, v.filters.as_of)
    moves = moves_since(before, v.activities, data.plan_frame("targets", v.plan.plan_id, since), v.targets)
    if changes.is_empty() and moves.is_empty():
        st.caption(ui("no_changes"))
    for key, frame, columns in (
        ("changes_progress", moves.progress, ["seq", "title", "percent_from", "percent_to"]),
        ("changes_targets", moves.targets, ["seq", "label", "planned", "achieved_from", "achieved_to"]),
        ("changes_revisions", moves.revisions, ["seq", "title", "window_from", "window_to"]),
        ("changes_risks", moves.risks.assign(risk_change=moves.risks["risk_change"].map(
            lambda r: ui(f"risk_{r}"))), ["seq", "title", "risk_change"]),
        ("changes_completed", changes.completed, ["seq", "title", "done_on"]),
        ("changes_overdue", changes.turned_overdue, ["seq", "title", "end", "percent"]),
        ("changes_at_risk", changes.turned_at_risk, ["seq", "title", "end", "percent"]),
        ("changes_milestones", changes.milestones_reached, ["seq", "title", "reached_on"]),
        ("changes_participation", changes.participation_added, ["seq", "unit", "date", "participants", "sessions"]),
    ):
        if not frame.empty:
            st.markdown(f"**{ui(key)}（{len(frame)}）**")
            # A busy fortnight of a large log can hold thousands of rows: show the latest, never megabytes.
            components.table(frame.tail(MAX_CHANGE_ROWS).iloc[::-1], key.replace("_", "-"), columns=columns)

if present.shows("activities"):
    st.subheader(ui("all_activities"))
    columns = (["seq", "title", "status", "percent", "end", "lead_units"] if big else
               ["seq", "title", "status", "percent", "window_text", "start", "end", "lead_units", "partner_units",
                "last_report_on"])
    # On the projector the reason would wrap the status cell of ten rows past 1080 px; its colour says enough.
    shown = (v.activities.assign(status=v.activities["status"].map(status_label)) if big
             else readable_status(v.activities))
    components.table(shown.sort_values(["attention", "seq"]), "activities", columns=columns)
