"""督办看板 — the entry file: a frame (page config, login, filters, projector mode) around every page."""

from __future__ import annotations

import streamlit as st

from dashboard.access import session
from dashboard.board import data, filters, live, present
from dashboard.render.components import plain
from dashboard.render.labels import page_title, ui
from store.command import one_line
from store.recording.recorder import StoreUnavailable

# The tab's icon, 📋, as the inline SVG Streamlit's browser code draws for an emoji icon: given as the
# emoji itself, the server first loads Streamlit's catalogue of every emoji to check it (0.04-0.09 s of a
# restarted server's first page); a Material icon would skip that but is fetched from fonts.gstatic.com,
# which a board on a closed network cannot reach.
# The emoji is percent-encoded: an icon with any non-ASCII character is checked against that catalogue.
PAGE_ICON = ("data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 100 100'>"
             "<text y='.9em' font-size='90'>%F0%9F%93%8B</text></svg>")

st.set_page_config(page_title=ui("app_title"), page_icon=PAGE_ICON, layout="wide",
                   initial_sidebar_state="collapsed" if present.is_on() else "expanded")
session.start_run()  # the screen link in the URL is checked once in this run, not at every ask
data.begin_run()  # the board catches up with the log once in this run, not at every ask
session.gate()  # before the board is read: with DUBAN_READ_REQUIRES_LOGIN on, a visitor sees the login alone

LEADERSHIP = {
    "overview": st.Page("content/overview.py", title=page_title("overview"), url_path="overview", default=True),
    "gantt": st.Page("content/gantt.py", title=page_title("gantt"), url_path="gantt"),
    "timeline": st.Page("content/timeline.py", title=page_title("timeline"), url_path="timeline"),
    "workload": st.Page("content/workload.py", title=page_title("workload"), url_path="workload"),
}
DESK = [
    st.Page("content/selfcheck.py", title=page_title("selfcheck"), url_path="selfcheck"),
    st.Page("content/scores.py", title=page_title("scores"), url_path="scores"),
    st.Page("content/cuiban.py", title=page_title("cuiban"), url_path="cuiban"),
    st.Page("content/review.py", title=page_title("review"), url_path="review"),
    st.Page("content/settings.py", title=page_title("settings"), url_path="settings"),
    st.Page("content/brief.py", title=page_title("brief"), url_path="brief"),
    st.Page("content/log.py", title=page_title("log"), url_path="log"),
    st.Page("content/import_plan.py", title=page_title("import"), url_path="import"),
]

try:
    shown = data.board().projector.position
except (StoreUnavailable, ValueError) as exc:  # a database that cannot be reached, a setting that is off
    st.error(ui("store_cannot_open").format(reason=plain(one_line(exc)[:200])))
    st.stop()

navigation = st.navigation({ui("section_leadership"): list(LEADERSHIP.values()), ui("section_desk"): DESK},
                           position="hidden" if present.is_on() else "sidebar")
current_filters = filters.sidebar()
if not present.is_on():
    filters.copy_link(current_filters, navigation.url_path)
    session.login_box()
if present.is_on():
    present.frame(current_filters, navigation, LEADERSHIP)
if navigation.title in {p.title for p in LEADERSHIP.values()}:
    live.watch(shown)
navigation.run()
