"""考评: the plan's units scored over a period from what the log shows, ranked, 红/黄/绿 by the
plan's rule, with the change against the previous period of the same length."""

from __future__ import annotations


import streamlit as st

from dashboard.board import data
from dashboard.board.context import page
from dashboard.render import components
from dashboard.render.labels import ui

BANDS = {"red": "红", "yellow": "黄", "green": "绿"}

v = page("scores_title")

as_of = v.filters.as_of
left, right = st.columns(2)
first = left.date_input(ui("scores_from"), as_of.replace(day=1), key="scores_from")
last = right.date_input(ui("scores_to"), as_of, key="scores_to")
if first > last:
    st.error(ui("scores_to") + "早于" + ui("scores_from") + "。")
    st.stop()

rule = data.supervision().settings(v.plan.plan_id).scoring
st.caption(ui("scores_rule").format(start=rule.start, missing=rule.missing, late=rule.late, overdue=rule.overdue,
                                    floor=rule.floor, red=rule.bands.red_below, yellow=rule.bands.yellow_below))
table = data.scores(v.plan.plan_id, first, last)
if v.filters.units:
    table = table[table["unit"].isin(v.filters.units)]
if table.empty:
    st.info(ui("scores_none"))
    st.stop()
counts = st.columns(3)
for column, band in zip(counts, ("red", "yellow", "green")):
    column.metric(BANDS[band], int((table["band"] == band).sum()))
components.table(table.assign(band=table["band"].map(BANDS)), f"scores-{first:%Y%m%d}-{last:%Y%m%d}",
                 columns=["rank", "unit", "score", "band", "previous_score", "change", "reports_due", "on_time",
                          "late", "missing", "done_on_time", "done_late", "overdue", "reminders"])
