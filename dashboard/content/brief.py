"""通报: the office picks the period and the issue number, writes 下一步工作要求 and downloads the
bulletin as Word — the same document ``python -m dashboard.brief`` writes, from the board's folded log."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard.access import session
from dashboard.board import data
from dashboard.board.context import page
from dashboard.brief import default_office, gather
from dashboard.render import bulletin
from dashboard.render.components import plain
from dashboard.render.labels import ui

RESULT_KEY = "brief_result"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

v = page("brief_page_title")
account = session.current()
if account is None or account.role != "admin":
    st.info(ui("brief_admin_only"))
    st.stop()

plan, as_of = v.plan, v.filters.as_of
left, middle, right = st.columns(3)
since = left.date_input(ui("brief_since"), max(plan.start, as_of - dt.timedelta(days=14)), key="brief_since")
until = middle.date_input(ui("brief_as_of"), as_of, key="brief_as_of")
issue = int(right.number_input(ui("brief_issue"), min_value=1, max_value=999, value=1, step=1, key="brief_issue"))
if since > until:
    st.error(ui("brief_since_after"))
    st.stop()
src = data.bulletin_sources(plan.plan_id, until)
office = st.text_input(ui("brief_office"), default_office(str(src.plan.get("issuer") or "")), max_chars=100,
                       key="brief_office").strip()
next_steps = st.text_area(ui("brief_next"), max_chars=3000, height=160, key="brief_next")

asked = (plan.plan_id, since, until, issue, office, next_steps, src.position)
if st.button(ui("brief_make"), type="primary", key="brief_make"):
    made = gather(src, since, until, issue=issue, office=office or None, next_steps=next_steps)
    st.session_state[RESULT_KEY] = (asked, bulletin.file_name(made), bulletin.docx_bytes(made),
                                    bulletin.summary(made), bulletin.anchor_text(made))
result = st.session_state.get(RESULT_KEY)
if result is not None and result[0] == asked:   # a file made from other choices is not offered as this one
    _, name, docx, summary, anchor = result
    st.success(ui("brief_made").format(name=plain(name)))
    st.markdown(plain(summary))                   # the numbers the paper says, before it is printed
    st.caption(plain(anchor))
    st.download_button(ui("brief_download"), docx, file_name=name, mime=DOCX, key="brief_download",
                       on_click="ignore", type="primary")
