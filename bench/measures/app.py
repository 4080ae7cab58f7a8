"""(d): the overview page's warm rerun after one new event, the way a user meets it.

The app is run headless with Streamlit's AppTest on the bench's store (``DUBAN_DB``): one cold
run (the board folds the whole log), then five times over one new event (the generator's mix)
appended through the store from outside and the timed warm run (the cached board catches up one
event and recomputes the overview); the median is reported. If the app cannot run under AppTest
(the dashboard is being rebuilt), the equivalent is timed instead:
``dashboard.board.data.Board`` refresh plus every frame the overview reads. ``mode`` says which ran.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from bench.generator import Course, planned_activities
from bench.measures.projection import AS_OF, overview_frames
from store import config
from store.log import EventStore, NewEvent

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"
TIMEOUT_SECONDS = 3_600
# Each warm run follows its own one new event; the median of these is the figure.
WARM_RUNS = 5


def new_events(url: str, count: int = WARM_RUNS) -> list[NewEvent]:
    """``count`` new events as users would record them: the generator's mix (most are participation
    reports, then progress reports), dated within the plan, ids of their own."""
    store = EventStore(url)
    try:
        plan = next(store.read(types=["PlanImported"])).payload["plan_id"]
        return list(Course(planned_activities(store, plan), plan, count=count, seed=11, tag="warm"))
    finally:
        store.close()


def append_one(url: str, event: NewEvent) -> int:
    """Append one event from outside the app, as another user's form would; returns the new head."""
    store = EventStore(url)
    try:
        return store.append(event).position
    finally:
        store.close()


def _apptest(url: str) -> dict[str, Any]:
    from streamlit.testing.v1 import AppTest

    from dashboard.board import data

    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_SECONDS)
    started = time.perf_counter()
    at.run()
    cold = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(f"the app raised on its cold run: {at.exception[0].message}")
    runs, events = [], new_events(url)
    for event in events:
        head = append_one(url, event)
        started, cpu = time.perf_counter(), time.process_time()
        at.run()
        runs.append((time.perf_counter() - started, time.process_time() - cpu))
        if at.exception:
            raise RuntimeError(f"the app raised on its warm run: {at.exception[0].message}")
        seen = data._board(url).projector.position  # the board the app cached: did it see the new event?
        if seen != head:
            raise RuntimeError(f"the warm run stands at position {seen}, not at the new event {head}")
    return {"mode": "AppTest", "cold_seconds": cold, **_median(runs), "position": head,
            "warm_events": [e.type for e in events], "metrics": [m.label for m in at.metric]}


def _median(runs: list[tuple[float, float]]) -> dict[str, Any]:
    """The median warm run (by wall time) and every run: one rerun on a shared machine is noise."""
    wall, cpu = sorted(runs)[len(runs) // 2]
    return {"warm_seconds": wall, "warm_cpu_seconds": cpu, "warm_runs": [round(w, 4) for w, _ in runs]}


def _board(url: str) -> dict[str, Any]:
    from dashboard.board.data import Board

    board = Board(url)

    def run() -> tuple[float, float]:
        started, cpu = time.perf_counter(), time.process_time()
        board.refresh()
        for name, args in overview_frames(next(iter(board.projector.plans)), AS_OF):
            board.frame(name, *args)
        return time.perf_counter() - started, time.process_time() - cpu

    cold, _ = run()
    runs, events = [], new_events(url)
    for event in events:
        head = append_one(url, event)
        runs.append(run())
    return {"mode": "Board", "cold_seconds": cold, **_median(runs),
            "position": head}


def rerun(url: str, *, allow_fallback: bool = True) -> dict[str, Any]:
    """Cold run, one new event, timed warm run; AppTest first, the Board equivalent if it cannot run."""
    os.environ[config.DB_ENV] = url
    try:
        return _apptest(url)
    except Exception as exc:  # the app is someone else's moving target: fall back, say why
        if not allow_fallback:
            raise
        result = _board(url)
        result["fallback_reason"] = f"{type(exc).__name__}: {exc}"[:300]
        return result


__all__ = ["rerun", "new_events", "append_one", "APP"]
