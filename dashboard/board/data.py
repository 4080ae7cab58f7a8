"""The dashboard's one door to the store: a shared, incrementally folded projector per database.

A rerun asks the projector to catch up (one query for the events after its last position) and
reads frames that are memoised per log position, so an idle rerun reads nothing and a rerun
after one new event folds one event. Pages never write SQL and never fold events themselves.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from store import config
from store.log import EventStore, NewEvent, StoredEvent, business_today
from store.projections import Projector


# A catch-up this large (a cold start on a big log) is followed by freezing what it built, see refresh.
_FREEZE_AFTER = 50_000


class Board:
    """A projector behind a lock (Streamlit serves sessions from threads) with memoised frames."""

    def __init__(self, url: str) -> None:
        self.store = EventStore(url)
        self.store.init()
        self.projector = Projector(self.store)
        self._lock = threading.Lock()
        self._memo: dict[tuple, Any] = {}

    def refresh(self) -> int:
        """Fold what is new; returns the log position the frames now stand at."""
        with self._lock:
            folded = self.projector.catch_up()
            if folded:
                self._memo.clear()
            if folded >= _FREEZE_AFTER:
                # The folded state of a large log is hundreds of thousands of long-lived objects;
                # Python's full collections would walk them all, a pause of 50-100 ms at random
                # reruns. Frozen, they are left out of those walks (they are still freed normally).
                gc.collect()
                gc.freeze()
            return self.projector.position

    def frame(self, name: str, *args: Any) -> Any:
        """A projection by name (activities, targets, …) for these arguments, computed once per position."""
        key = (self.projector.position, name, *args)
        with self._lock:
            if key not in self._memo:
                method: Callable[..., Any] = getattr(self.projector, name)
                self._memo[key] = method(*args)
            return self._memo[key]


# Process-level, not st.cache_resource: any browser can ask Streamlit to clear its caches (a
# BackMsg.clear_cache over the websocket), and a board rebuilt from the log on every such message
# slows every user down. Nothing a client sends reaches these.
_BOARDS: dict[str, Board] = {}
_BOARDS_LOCK = threading.Lock()
_MAX_BOARDS = 4  # one database in production; tests open many, the oldest is closed


def _board(url: str) -> Board:
    with _BOARDS_LOCK:
        found = _BOARDS.get(url)
        if found is None:
            found = _BOARDS[url] = Board(url)
            while len(_BOARDS) > _MAX_BOARDS:
                _BOARDS.pop(next(iter(_BOARDS))).store.close()
        return found


def board() -> Board:
    """The board of the configured database, caught up with the log."""
    current = _board(config.database_url())
    current.refresh()
    return current


def store() -> EventStore:
    return board().store


@dataclass(frozen=True)
class PlanInfo:
    plan_id: str
    title: str
    year: int
    start: dt.date
    end: dt.date


def plans() -> list[PlanInfo]:
    frame = board().frame("plan_frame")
    return [PlanInfo(r.plan_id, r.title, int(r.year), r.start.date(), r.end.date()) for r in frame.itertuples()]


def default_as_of(plan: PlanInfo | None) -> dt.date:
    """Today inside the plan period; otherwise the date of the plan's latest event, so a past plan
    opens at its last known state."""
    today = business_today()
    if plan is None or plan.start <= today <= plan.end:
        return today
    last = board().frame("last_fact_on", plan.plan_id)
    if last is None:
        return min(max(today, plan.start), plan.end)
    return min(last, plan.end)


def plan_frame(name: str, plan_id: str | None, as_of: dt.date) -> pd.DataFrame:
    """One frame a leadership page needs (activities, targets, milestones, participation, workload,
    unit_activity), cut to one plan. A page asks only for the frames it shows."""
    b = board()
    frame = b.frame(name, as_of, None, groups()) if name == "workload" else b.frame(name, as_of)
    return frame if plan_id is None else frame[frame["plan_id"] == plan_id]


class _Groups(dict):
    """The registry's groups as a memo key: loaded once per process, so identity is enough."""

    def __hash__(self) -> int:
        return id(self)


@functools.cache
def groups() -> _Groups:
    """Group units of the registry (各市（州）总工会 → its eight members …)."""
    from seed.units import load_registry

    return _Groups(load_registry().groups)


def append(new: NewEvent) -> StoredEvent:
    """Append one event and fold it at once, so the page shows the new state on this very run."""
    b = board()
    stored = b.store.append(new)
    b.refresh()
    return stored


def append_many(batch: list[NewEvent]) -> list[StoredEvent]:
    """Append events in one transaction (all or none) and fold them."""
    b = board()
    stored = b.store.append_many(batch)
    b.refresh()
    return stored


def retract(event_id: str, reason: str, *, actor: str, unit: str, retraction_id: str) -> StoredEvent:
    b = board()
    stored = b.store.retract(event_id, reason, actor=actor, unit=unit, retraction_id=retraction_id)
    b.refresh()
    return stored
