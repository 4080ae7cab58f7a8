"""甘特图: a bar per activity from start to end, coloured by status, progress inside, milestones, today's line."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.board import data, present
from dashboard.board.context import page
from dashboard.board.views import month_bounds, with_unit_parts
from dashboard.render import chart_cache, charts, components
from dashboard.render.labels import export_title, ui


def _notes(activities: pd.DataFrame) -> tuple[str, str]:
    """The lines under the chart, kept per log position: the original ends of activities whose end
    moved (the thin upright marks), and the activities with no dates, which the chart cannot draw."""
    ends = activities.dropna(subset=["planned_end", "end"])
    moved = ends[ends["planned_end"].dt.normalize() != ends["end"].dt.normalize()]
    undated = activities[activities["start"].isna() | activities["end"].isna()]
    return (ui("gantt_moved_note").format(items="、".join(
                f"第{seq}项原定 {pe.month}月{pe.day}日" for seq, pe in zip(moved["seq"], moved["planned_end"])))
            if not moved.empty else "",
            ui("undated_activities") + "、".join(components.plain(f"{s}. {t}")
                                                 for s, t in zip(undated["seq"], undated["title"]))
            if not undated.empty else "")


v = page("gantt_title")

SORTS = {"seq": ui("sort_seq"), "end": ui("sort_end"), "status": ui("sort_status")}
sort = st.segmented_control(ui("sort_by"), list(SORTS), format_func=SORTS.get, default="seq", key="sort",
                            bind="query-params") or "seq"
year = v.plan.year
first_month, last_month = v.filters.months
if (first_month, last_month) == (1, 12):
    first_month = 3  # the design's default axis: March to December of the plan year
domain = month_bounds(year, (first_month, last_month))
if v.activities.empty:
    st.info(ui("no_match"))
else:
    # Kept per log position: the chart's digest alone pickles every milestone (10,000 rows at 1M events).
    big = present.is_on()
    spec = data.at_position(v.position, "gantt", lambda: chart_cache.build(
        charts.gantt, with_unit_parts(v.activities, v.unit_progress), v.milestones, v.filters.as_of, domain, sort,
        big=big), v.filters, v.plan, domain, sort, big)
    components.chart(spec, "gantt", title=export_title(ui("gantt_title"), v.plan.title, v.filters.as_of))
    moved, undated = data.at_position(v.position, "gantt_notes", lambda: _notes(v.activities), v.filters, v.plan)
    if moved:
        st.caption(moved)
    if undated:
        st.warning(undated)
