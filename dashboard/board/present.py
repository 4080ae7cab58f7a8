"""Projector mode (``?present=1``): large type, high contrast, no sidebar, optional page rotation.

Read from five metres in a meeting room: the sidebar and toolbar are hidden, the as-of date and
the plan title stay on screen, and ``&rotate=30`` moves to the next leadership page every 30
seconds, keeping the filters in the URL.
"""

from __future__ import annotations

import streamlit as st

from dashboard.board import filters
from dashboard.board.views import Filters
from dashboard.render.components import plain
from dashboard.render.labels import date_label, ui

MIN_ROTATE_SECONDS = 10

_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
.block-container { padding-top: 1rem !important; max-width: 100% !important; }
html, body, [data-testid="stAppViewContainer"] { font-size: 24px; background: #ffffff; color: #000000; }
h1 { font-size: 3rem !important; } h2 { font-size: 2.4rem !important; } h3 { font-size: 2rem !important; }
[data-testid="stMetricValue"] { font-size: 4.5rem !important; font-weight: 700; }
[data-testid="stMetricLabel"] p { font-size: 1.8rem !important; }
[data-testid="stDataFrame"] * { font-size: 1.2rem; }
[data-testid="stDownloadButton"], [data-testid="stCaptionContainer"] { display: none !important; }
</style>
"""


def is_on() -> bool:
    return st.query_params.get("present") in ("1", "true", "yes")


def rotate_seconds() -> int | None:
    raw = st.query_params.get("rotate")
    if not raw or not raw.isdigit():
        return None
    return max(MIN_ROTATE_SECONDS, int(raw))


def frame(f: Filters, navigation: st.navigation, pages: list) -> None:
    """Style the page for the projector, show the title line, and rotate when asked."""
    st.markdown(_CSS, unsafe_allow_html=True)
    plan = filters.current_plan()
    title = plan.title if plan else ui("app_title")
    st.markdown(f"#### {plain(title)}　·　{ui('as_of')} {date_label(f.as_of, with_year=True)}")
    seconds = rotate_seconds()
    if seconds:
        _rotation(seconds, navigation, pages)


def _rotation(seconds: int, navigation, pages: list) -> None:
    st.session_state["duban_rotation_fresh"] = True

    @st.fragment(run_every=seconds)
    def tick() -> None:
        # The first call belongs to the full run of this page; later calls are the timer's.
        if st.session_state.pop("duban_rotation_fresh", False):
            return
        # Titles, not url paths: the default page's url path is empty.
        titles = [p.title for p in pages]
        here = titles.index(navigation.title) if navigation.title in titles else -1
        # Only the mode's own parameters: the filters are bound to their widgets and follow by themselves.
        params = {key: st.query_params.get_all(key) for key in ("present", "rotate") if key in st.query_params}
        st.switch_page(pages[(here + 1) % len(pages)], query_params=params)

    tick()
