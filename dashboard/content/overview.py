"""总览: how many activities are done, on track, at risk, overdue; targets; what changed; what needs attention."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard.board import data, meeting, present
from dashboard.board.context import page
from dashboard.board.views import (
    attention_count,
    attention_list,
    readable_status,
    reason_breakdown,
    status_counts,
    with_unit_parts,
)
from dashboard.render import chart_cache, charts, components
from dashboard.render.labels import (
    STATUS_COLORS,
    STATUS_LEGEND_ORDER,
    date_label,
    status_label,
    ui,
)

MAX_CHANGE_ROWS = 200
PRESENT_ATTENTION_ROWS = 6  # what fits beside the targets on one 1920×1080 screen


@dataclass(frozen=True)
class Frames:
    """What the page derives from the filtered activities, kept per log position (``data.at_position``):
    every session's rerun showed the same derivations, recomputed each time. Shared: read only."""

    counts: dict[str, int]
    reasons: str
    needy: pd.DataFrame
    more_needy: int
    activities: pd.DataFrame


def _frames(activities: pd.DataFrame, unit_progress: pd.DataFrame, big: bool) -> Frames:
    needy = attention_list(activities, limit=PRESENT_ATTENTION_ROWS if big else 10)
    # On the projector the reason would wrap the status cell of ten rows past 1080 px; its colour says enough.
    shown = (activities.assign(status=activities["status"].map(status_label)) if big
             else readable_status(with_unit_parts(activities, unit_progress)))
    return Frames(status_counts(activities, STATUS_LEGEND_ORDER), reason_breakdown(activities),
                  readable_status(needy), attention_count(activities) - len(needy),
                  shown.sort_values(["attention", "seq"]))


v = page("overview_title")
st.caption(f"{components.plain(v.plan.title)} · {ui('as_of')} {date_label(v.filters.as_of, with_year=True)}")

big = present.is_on()
f = data.at_position(v.position, "overview", lambda: _frames(v.activities, v.unit_progress, big),
                     v.filters, v.plan, big)
if present.shows("counts"):
    counts = f.counts
    columns = st.columns(len(counts) + 1)
    for column, status in zip(columns, counts):
        with column.container(border=True, key=f"status-{status}"):
            st.markdown(f"<div style='height:8px;background:{STATUS_COLORS[status]}'></div>", unsafe_allow_html=True)
            st.metric(status_label(status), counts[status])
            if status == "at_risk" and counts[status]:
                st.caption(f.reasons)
    # 待审核 is counted apart: such an activity is still counted under its status (逾期 past its end).
    with columns[-1].container(border=True, key="status-review"):
        st.markdown("<div style='height:8px;background:#6a51a3'></div>", unsafe_allow_html=True)
        st.metric(ui("review_pending"), int(v.activities["review_pending"].sum()))

if present.shows("attention"):
    left, right = st.columns([3, 2])
    with left:
        st.subheader(ui("needs_attention"))
        # On the projector the lead unit must be readable: fewer columns, fewer rows, the rest counted.
        if f.needy.empty:
            st.success(ui("nothing_needs_attention"))
        else:
            columns = ["seq", "title", "status", "percent", "end", "lead_units"] + ([] if big else ["last_report_on"])
            components.table(f.needy, "needs-attention", columns=columns)
            if f.more_needy > 0:
                st.markdown(ui("more_need_attention").format(count=f.more_needy))
    with right:
        st.subheader(ui("targets"))
        if v.targets.empty:
            st.caption(ui("no_targets"))
        else:
            components.chart(chart_cache.build(charts.targets_bars, v.targets, big=big), "targets")
        if not v.rates.empty:  # rates are shown, never summed into the bars
            st.caption(ui("rate_targets").format(items="；".join(
                components.plain(f"{seq}. {label} {quantity:g}{unit}")
                for seq, label, quantity, unit in zip(v.rates["seq"], v.rates["label"], v.rates["quantity"],
                                                      v.rates["unit"]))))

if not big:
    st.subheader(ui("since_last_meeting"))
    left, right = st.columns([1, 3], vertical_alignment="bottom")
    since = left.date_input(ui("last_meeting_on"), value=meeting.default_since(v.filters.as_of),
                            max_value=v.filters.as_of, key="since", format="YYYY-MM-DD", bind="query-params")
    as_seen = right.toggle(ui("meeting_as_seen"), key="as_seen", bind="query-params", help=ui("meeting_as_seen_help"))
    since = since or meeting.default_since(v.filters.as_of)
    m = meeting.since_meeting(v, since, as_seen)
    if m.plan_unseen:
        st.info(ui("meeting_plan_unseen"))
    st.caption(meeting.seen_line(m, STATUS_LEGEND_ORDER))
    if m.is_empty():
        st.caption(ui("no_changes"))
    # A busy fortnight of a large log can hold thousands of rows: show the latest, never megabytes.
    for change in meeting.change_tables(v, since, as_seen, MAX_CHANGE_ROWS):
        st.markdown(f"**{ui(change.key)}（{change.total}）**")
        if change.key == "changes_late":
            st.caption(ui("changes_late_help"))
        components.table(change.rows, change.key.replace("_", "-"), columns=change.columns)
elif present.shows("changes"):
    # The projector's own screen: the meeting date and the switch come from the link (no widgets there).
    since = meeting.parse_since(st.query_params.get("since"), v.filters.as_of)
    as_seen = st.query_params.get("as_seen", "").lower() in ("true", "1", "yes")
    m = meeting.since_meeting(v, since, as_seen)
    st.subheader(f"{ui('since_last_meeting')}（{ui('meeting_since_line').format(since=date_label(since, with_year=True))}）")
    st.markdown(components.plain(meeting.seen_line(m, STATUS_LEGEND_ORDER)))
    if m.is_empty():
        st.markdown(ui("no_changes"))
    else:
        components.table(meeting.compact(m), "changes-compact")

if present.shows("activities"):
    st.subheader(ui("all_activities"))
    columns = (["seq", "title", "status", "percent", "end", "lead_units"] if big else
               ["seq", "title", "status", "percent", "unit_parts", "window_text", "start", "end", "lead_units",
                "partner_units", "last_report_on"])
    components.table(f.activities, "activities", columns=columns)
