"""Live board: an open page notices new events by itself, without anyone touching it.

A projector left open in a meeting room, or a board open on a second app instance that shares a
PostgreSQL store, must show a report saved elsewhere. A fragment in the entry file asks the log
for its head every few seconds — one indexed query, the board is not folded for it — and reruns
the page only when the head moved past what the page showed. The leadership pages are live;
the desk pages (forms, uploads, the log's retraction form) are not, so nobody's half-typed entry
is redrawn under their hands.
"""

from __future__ import annotations

import os

import streamlit as st

from dashboard.board import data

LIVE_ENV = "DUBAN_LIVE_SECONDS"
DEFAULT_SECONDS = 5
_SHOWN = "duban_live_shown"


def seconds() -> int:
    """How often an open page checks the log's head (env DUBAN_LIVE_SECONDS; 0 turns it off)."""
    raw = os.environ.get(LIVE_ENV, "").strip()
    return int(raw) if raw.isdigit() else DEFAULT_SECONDS


def watch(shown: int) -> None:
    """Rerun the page once the log's head moves past ``shown``, the position the page was drawn at."""
    every = seconds()
    if not every:
        return
    st.session_state[_SHOWN] = shown

    @st.fragment(run_every=every)
    def check() -> None:
        if data.head_position() > st.session_state.get(_SHOWN, 0):
            st.rerun(scope="app")

    check()
