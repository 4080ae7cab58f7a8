"""(c) and its floor: rebuild every frame the overview needs, against one SELECT into a DataFrame.

The frame list mirrors what one run of the overview asks the board for (dashboard/data.py
``plans``/``default_as_of``/``plan_frame``, the sidebar's unit list and the page's "since the last
meeting" cut), so the figure is the cost of a cold board, not of a subset that happens to be cheap.
The floor is the least any rebuild must do: read every row once and decode its payload.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd

from bench.generator import LAST_DAY
from store.log import EventStore, business_today
from store.reading.projections import Projector
from store.recording.chain import parse_json

# The date the overview opens a past plan at: the plan's last event (generated up to 31 December).
AS_OF = LAST_DAY
SINCE = AS_OF - dt.timedelta(days=14)


def overview_frames(plan_id: str, as_of: dt.date = AS_OF) -> list[tuple[str, tuple[Any, ...]]]:
    """(projector method, arguments) for every frame one overview run reads."""
    return [
        ("plan_frame", ()), ("last_fact_on", (plan_id,)), ("activities", (business_today(),)),
        ("activities", (as_of,)), ("targets", (as_of,)), ("milestones", (as_of,)),
        ("participation", (as_of,)),
        ("activities", (as_of - dt.timedelta(days=14),)),
    ]


def compute_frames(projector: Projector, frames: list[tuple[str, tuple[Any, ...]]]) -> dict[str, float]:
    """Compute every frame once; seconds per frame name (summed over its calls)."""
    spent: dict[str, float] = {}
    for name, args in frames:
        started = time.perf_counter()
        getattr(projector, name)(*args)
        spent[name] = spent.get(name, 0.0) + time.perf_counter() - started
    return spent


def warm_up(events: int = 300) -> None:
    """One untimed rebuild and SELECT on a small throw-away store, so that the timed ones run in a
    warm process (imports, pandas' first-call set-up), as they do in a dashboard server."""
    from bench.fill import fill

    with tempfile.TemporaryDirectory(prefix="duban-bench-warm-") as folder:
        url = f"sqlite:///{Path(folder) / 'warm.db'}"
        fill(url, events)
        _rebuild(url)
        select_floor(url)


def rebuild(url: str) -> dict[str, Any]:
    """A fresh projector folds the whole log and computes the overview's frames (warm process)."""
    warm_up()
    return _rebuild(url)


def _rebuild(url: str) -> dict[str, Any]:
    store = EventStore(url)
    try:
        started, cpu = time.perf_counter(), time.process_time()
        projector = Projector(store)
        projector.catch_up()
        folded = time.perf_counter()
        frames = compute_frames(projector, overview_frames(next(iter(projector.plans))))
        done = time.perf_counter()
        return {"seconds": done - started, "cpu_seconds": time.process_time() - cpu,
                "catch_up_seconds": folded - started, "frames_seconds": done - folded, "frames": frames,
                "events": projector.position}
    finally:
        store.close()


def sqlite_path(url: str) -> str:
    prefix = "sqlite:///"
    if not url.startswith(prefix):
        raise ValueError(f"the bench runs on a SQLite file, not {url}")
    return url[len(prefix):].split("?", 1)[0]


def select_floor(url: str, *, warm: bool = False) -> dict[str, Any]:
    """Plain sqlite3: one SELECT of every row into a DataFrame, then every payload decoded."""
    if warm:
        warm_up()
    started, cpu = time.perf_counter(), time.process_time()
    conn = sqlite3.connect(sqlite_path(url))
    try:
        cursor = conn.execute("SELECT * FROM events ORDER BY position")
        columns = [d[0] for d in cursor.description]
        frame = pd.DataFrame.from_records(cursor.fetchall(), columns=columns)
    finally:
        conn.close()
    frame["payload"] = [parse_json(p) for p in frame["payload"]]  # the decoder the store's reads use
    return {"seconds": time.perf_counter() - started, "cpu_seconds": time.process_time() - cpu, "rows": len(frame)}
