"""(f) cold start, (g) first open and (h) warm rerun of every page: how long a user waits.

(f): a fresh process opens the overview under AppTest, with a snapshot of the folded state in the
store (``f``) or without one (``f_no_snapshot``: the board folds the whole log). The clock starts
before the app's imports, as a restarted server's first visitor meets it.

(g) and (h): one process is the warm server (its board folded by a first, untimed overview run);
each page is then opened in a fresh AppTest session (g), one new event is appended from outside,
and the same session reruns (h). The process's peak RSS after every page is ``rss_all_pages``.
"""

from __future__ import annotations

import os
import time
from typing import Any

from store import config

PAGES = {"overview": "content/overview.py", "gantt": "content/gantt.py", "timeline": "content/timeline.py",
         "workload": "content/workload.py", "selfcheck": "content/selfcheck.py", "log": "content/log.py"}


def take_snapshot(url: str) -> dict[str, Any]:
    """Fold the log and save its snapshot (what a running board does in the background)."""
    from store.log import EventStore
    from store.reading import snapshots
    from store.reading.projections import Projector

    store = EventStore(url)
    try:
        started = time.perf_counter()
        projector = Projector(store)
        snapshots.restore(store, projector)
        projector.catch_up()
        snapshots.take(store, projector)
        return {"seconds": time.perf_counter() - started, "position": projector.position}
    finally:
        store.close()


def drop_snapshots(url: str) -> None:
    from sqlalchemy import delete

    from store.log import EventStore
    from store.reading import snapshots

    store = EventStore(url)
    try:
        snapshots.init(store)
        with store.recorder.engine.begin() as conn:
            conn.execute(delete(snapshots.SNAPSHOTS))
    finally:
        store.close()


def cold_start(url: str, snapshot: bool) -> dict[str, Any]:
    """A fresh process opening the overview, with or without a snapshot present."""
    started = time.perf_counter()
    os.environ[config.DB_ENV] = url
    os.environ[config.SNAPSHOT_EVERY_ENV] = "0"   # the measurement never pays for saving one
    if not snapshot:
        drop_snapshots(url)
        started = time.perf_counter()
    from streamlit.testing.v1 import AppTest

    from bench.measures.app import APP, TIMEOUT_SECONDS
    from dashboard.board import data

    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_SECONDS)
    at.run()
    seconds = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(f"the app raised on its cold run: {at.exception[0].message}")
    board = data._board(url)
    return {"seconds": seconds, "snapshot_position": board.snapshot_position,
            "position": board.projector.position, "metrics": [m.label for m in at.metric]}


def every_page(url: str) -> dict[str, Any]:
    """(g) first open of each page in a fresh session of a warm server, (h) its rerun after one new event."""
    os.environ[config.DB_ENV] = url
    os.environ[config.SNAPSHOT_EVERY_ENV] = "0"
    from streamlit.testing.v1 import AppTest

    from bench.measures.app import APP, TIMEOUT_SECONDS, append_one, new_events

    warm = AppTest.from_file(str(APP), default_timeout=TIMEOUT_SECONDS)
    warm.run()   # the server's board, folded once
    events = iter(new_events(url, len(PAGES)))
    figures: dict[str, Any] = {}
    for name, path in PAGES.items():
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_SECONDS)
        at.switch_page(path)
        started = time.perf_counter()
        at.run()
        first = time.perf_counter() - started
        if at.exception:
            raise RuntimeError(f"page {name} raised on first open: {at.exception[0].message}")
        append_one(url, next(events))
        started = time.perf_counter()
        at.run()
        figures[name] = {"first_seconds": first, "rerun_seconds": time.perf_counter() - started}
        if at.exception:
            raise RuntimeError(f"page {name} raised on its rerun: {at.exception[0].message}")
    return {"pages": figures}
