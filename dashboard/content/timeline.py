"""时间线: the events of the log over time, and the latest ones with who recorded them.

The chart reads per-day counts from the board's aggregates (``timeline_counts``) and the rows it
marks, like the list of the latest events, come from a bounded query (``store.reading.log_query``): the
page never holds the whole event list, whatever the size of the log.
"""

from __future__ import annotations

import streamlit as st

from dashboard.board import data, present
from dashboard.board.context import page
from dashboard.render import chart_cache, charts, components
from dashboard.render.labels import event_type_label, export_title, ui
from store.reading import log_query

LATEST = 50

v = page("timeline_title")

board = data.board()
kept = tuple(sorted(v.activities["stream"]))
counts = board.frame("timeline_counts", v.filters.as_of)
counts = counts[counts["stream"].isin(kept)]
if v.filters.months != (1, 12):
    months = counts["occurred_on"].dt.month
    counts = counts[(months >= v.filters.months[0]) & (months <= v.filters.months[1])]
total = int(counts["events"].sum())
if not total:
    st.info(ui("no_events"))
    st.stop()
query = log_query.LogQuery(streams=kept, exclude_types=("ActivityPlanned",), occurred=(None, v.filters.as_of),
                           months=v.filters.months, upto=board.projector.position, wide_streams=True)
points = max(total, LATEST) if total <= charts.TIMELINE_MARKS else LATEST
events = board.projector.mark(log_query.newest(board.store, query, points))
components.chart(chart_cache.build(charts.timeline, events.iloc[::-1] if total <= charts.TIMELINE_MARKS else counts,
                                   big=present.is_on()),
                 "timeline", title=export_title(ui("timeline_title"), v.plan.title, v.filters.as_of))
if present.shows("latest_events"):
    st.subheader(ui("latest_events"))
    latest = events.head(LATEST)
    components.table(latest.assign(type=latest["type"].map(event_type_label)), "latest-events",
                     columns=["occurred_on", "seq", "type", "unit", "actor", "note", "retracted"])
