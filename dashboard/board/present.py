"""Projector mode (``?present=1``): large type, high contrast, no sidebar, rotation through screens.

Read from five metres in a meeting room: the sidebar, toolbar and download buttons are hidden, the
page name, plan title, as-of date and every active filter stay on screen, and each page is cut into
screens that each fit 1920×1080 (``&screen=2`` shows a page's second screen). ``&rotate=30`` moves
to the next screen every 30 seconds, page after page, keeping the filters in the URL, so everything
leadership should see is on screen at some point of the rotation.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from dashboard.access import screens
from dashboard.board import filters
from dashboard.board.views import Filters
from dashboard.render.components import plain
from dashboard.render.labels import date_label, page_title, ui

MIN_ROTATE_SECONDS = 10
PAGE_KEY = "duban_present_page"
FRESH_KEY = "duban_rotation_fresh"


@dataclass(frozen=True)
class Screen:
    """One projector screen: a page and the sections of it drawn together."""

    page: str
    sections: tuple[str, ...]


# The rotation, in order. Every section a page draws in projector mode is on one of these screens.
# "changes" is 上次会议以来的变化 in its compact form (one row per kind of change).
SCREENS: tuple[Screen, ...] = (
    Screen("overview", ("counts", "attention", "targets")),
    Screen("overview", ("activities",)),
    Screen("overview", ("changes",)),
    Screen("gantt", ("gantt",)),
    Screen("timeline", ("timeline",)),
    Screen("workload", ("workload",)),
    Screen("workload", ("unit_bars",)),
    Screen("workload", ("participation",)),
)

_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
.block-container { padding-top: 1.2rem !important; padding-bottom: 0 !important; max-width: 100% !important; }
html, body, [data-testid="stAppViewContainer"] { font-size: 24px; background: #ffffff; color: #000000; }
h1 { display: none !important; } h2 { font-size: 2.2rem !important; } h3 { font-size: 1.7rem !important; padding: 0.4rem 0 0.2rem 0 !important; }
.st-key-present-title h4 { font-size: 1.25rem !important; padding: 0 !important; white-space: nowrap; }
.st-key-present-filters p { font-size: 1.4rem !important; background: #fff3cd; color: #000; padding: 0.2rem 0.6rem;
  border-left: 0.4rem solid #c0392b; display: inline-block; margin: 0; }
[data-testid="stMetricValue"] { font-size: 2.6rem !important; font-weight: 700; line-height: 1.1 !important; }
[data-testid="stMetricLabel"] p { font-size: 1.3rem !important; }
[data-testid="stMetric"] { padding: 0 !important; }
[data-testid="stTable"] th, [data-testid="stTable"] td { font-size: 1.1rem !important; padding: 0.25rem 0.5rem !important; }
[data-testid="stDownloadButton"], [data-testid="stCaptionContainer"] { display: none !important; }
.st-key-sort, .st-key-wl_role { display: none !important; }
</style>
"""


def is_on() -> bool:
    return st.query_params.get("present") in ("1", "true", "yes")


def rotate_seconds() -> int | None:
    raw = st.query_params.get("rotate")
    if not raw or not raw.isdigit():
        return None
    return max(MIN_ROTATE_SECONDS, int(raw))


def page_screens(page: str) -> list[Screen]:
    return [s for s in SCREENS if s.page == page]


def screen_number(page: str, raw: str | None) -> int:
    """The 1-based screen of ``page`` that ``?screen=`` asks for; the first for anything else."""
    count = len(page_screens(page))
    return int(raw) if raw and raw.isdigit() and 1 <= int(raw) <= count else 1


def next_screen(page: str, number: int) -> tuple[str, int]:
    """The screen after ``number`` of ``page`` in the rotation, wrapping round to the first."""
    here = SCREENS.index(page_screens(page)[number - 1]) if page_screens(page) else -1
    after = SCREENS[(here + 1) % len(SCREENS)]
    return after.page, page_screens(after.page).index(after) + 1


def shows(section: str) -> bool:
    """Whether a page draws ``section``: always at the desk, on its own screen on the projector."""
    if not is_on():
        return True
    page = st.session_state.get(PAGE_KEY)
    screens = page_screens(page) if page else []
    if not screens:
        return True
    return section in screens[screen_number(page, st.query_params.get("screen")) - 1].sections


def frame(f: Filters, navigation: st.navigation, pages: dict[str, st.Page]) -> None:
    """Style the page for the projector, show the title and filter lines, and rotate when asked."""
    st.markdown(_CSS, unsafe_allow_html=True)
    titles = {p.title: key for key, p in pages.items()}
    page = titles.get(navigation.title, "")
    st.session_state[PAGE_KEY] = page
    plan = filters.current_plan()
    title = plan.title if plan else ui("app_title")
    with st.container(key="present-title"):
        st.markdown(f"#### {plain(page_title(page))}　·　{plain(title)}　·　"
                    f"{ui('as_of')} {date_label(f.as_of, with_year=True)}")
    active = filters.describe(f)
    if active:
        with st.container(key="present-filters"):
            st.markdown(plain(ui("active_filters") + "　·　".join(active)))
    seconds = rotate_seconds()
    if seconds and page:
        _rotation(seconds, page, pages)


def _rotation(seconds: int, page: str, pages: dict[str, st.Page]) -> None:
    st.session_state[FRESH_KEY] = True

    @st.fragment(run_every=seconds)
    def tick() -> None:
        # The first call belongs to the full run of this page; later calls are the timer's.
        if st.session_state.pop(FRESH_KEY, False):
            return
        target, number = next_screen(page, screen_number(page, st.query_params.get("screen")))
        # The mode's own parameters and the meeting's (no widget on the projector keeps those): the
        # filters are bound to their widgets and follow by themselves.
        params = {key: st.query_params.get_all(key) for key in ("present", "rotate", "since", "as_seen",
                                                              screens.TOKEN_PARAM)
                  if key in st.query_params}
        if number > 1:
            params["screen"] = str(number)
        st.switch_page(pages[target], query_params=params)

    tick()
