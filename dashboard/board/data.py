"""The dashboard's one door to the store: a shared, incrementally folded projector per database.

A rerun asks the projector to catch up (one query for the events after its last position) and
reads frames that are memoised per log position, so an idle rerun reads nothing and a rerun
after one new event folds one event. Pages never write SQL and never fold events themselves.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import logging
import threading
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo

import pandas as pd

from store import config
from store.log import EventStore, NewEvent, StoredEvent, business_today
from store.reading import snapshots
from store.reading.log_query import LogQuery, newest_since, seq_streams
from store.reading.projections import Projector
from store.reading.supervision import Supervision

if TYPE_CHECKING:
    from seed.units import Registry


T = TypeVar("T")

# A catch-up this large (a big backlog) is followed by freezing what it built, see refresh; so is the
# board's first fold (the cold start), whatever its size.
_FREEZE_AFTER = 50_000
_MAX_FOLLOWED = 32   # lists followed across positions: meeting dates × plans × filters in use


class Board:
    """A projector behind a lock (Streamlit serves sessions from threads) with memoised frames.

    It starts from the latest snapshot of the folded state (``store.reading.snapshots``) when there is one,
    so a restarted server folds only the events after it, and saves a new one in a background
    thread every ``config.snapshot_every()`` events, never on a user's click path.
    """

    def __init__(self, url: str) -> None:
        self.store = EventStore(url)
        self.store.init()
        self.projector = Projector(self.store)
        self._lock = threading.Lock()
        self._memo: dict[tuple, Any] = {}
        self._followed: dict[tuple, tuple[int, pd.DataFrame]] = {}   # newest(): lists kept across positions
        self._registry: tuple[tuple[int, int], Registry, _Groups] | None = None   # _registry_at
        self._every = config.snapshot_every()
        self._saving: threading.Thread | None = None
        self.snapshot_position = snapshots.restore(self.store, self.projector)
        self._folded_once = False
        if self.snapshot_position:
            _freeze(collect=False)

    def refresh(self) -> int:
        """Fold what is new; returns the log position the frames now stand at."""
        with self._lock:
            first = not self._folded_once
            folded = self.projector.catch_up()
            self._folded_once = True
            if folded:
                self._memo.clear()
            if folded >= _FREEZE_AFTER:
                _freeze()
            elif first:
                _freeze(collect=False)
            position = self.projector.position
        if self._every and position - self.snapshot_position >= self._every:
            self._snapshot_in_background()
        return position

    def _snapshot_in_background(self) -> None:
        if self._saving is not None and self._saving.is_alive():
            return
        self.snapshot_position = self.projector.position   # one attempt per interval, even if it fails
        self._saving = threading.Thread(target=self._save_snapshot, name="duban-snapshot", daemon=True)
        self._saving.start()

    def _save_snapshot(self) -> None:
        try:
            with self._lock:   # the pickling only; compressing and writing happen outside the lock
                position, raw = snapshots.encode(self.projector)
            snapshots.save(self.store, position, raw)
        except Exception:  # noqa: BLE001 - a snapshot is a cache: the board runs on without it
            logging.getLogger("duban.snapshots").exception("snapshot not saved")

    def wait_for_snapshot(self, timeout: float | None = None) -> None:
        """Wait until a snapshot being saved is written (the bench and tests; pages never wait)."""
        if self._saving is not None:
            self._saving.join(timeout)

    def newest(self, query: LogQuery, limit: int) -> pd.DataFrame:
        """The newest ``limit`` events of ``query`` (at its ``upto``), followed from one position to the
        next (``log_query.newest_since``): after one new event a list of a large log is one query of
        the new rows, not a walk through the newest matches again. Shared: read only."""
        key = (replace(query, upto=None), limit)
        with self._lock:
            kept = self._followed.get(key)
        rows = newest_since(self.store, query, limit, kept)
        with self._lock:
            if query.upto is not None and (kept is None or kept[0] < query.upto):
                if len(self._followed) >= _MAX_FOLLOWED:
                    self._followed.clear()
                self._followed[key] = (query.upto, rows)
        return rows

    def frame(self, name: str, *args: Any) -> Any:
        """A projection by name (activities, targets, …) for these arguments, computed once per position."""
        key = (self.projector.position, name, *args)
        with self._lock:
            if key not in self._memo:
                method: Callable[..., Any] = getattr(self.projector, name)
                self._memo[key] = method(*args)
            return self._memo[key]


def _freeze(collect: bool = True) -> None:
    """The folded state of a large log is hundreds of thousands of long-lived objects; Python's full
    collections would walk them all, a pause of 50-100 ms at random reruns. Frozen, they are left
    out of those walks (they are still freed normally). Streamlit runs a full collection after
    *every* script run (``runner.postScriptGC``): before the first fold was frozen whatever its
    size, that walk of the server's heap (the imported libraries and a 10,000-event board, about
    200,000 objects) cost some 50 ms of CPU on every rerun of every session.

    The collection first keeps a large fold's garbage out of the frozen heap. It is skipped
    (``collect=False``) for a state just restored from a snapshot, which makes no garbage, and for a
    first fold of a small tail: there a full collection would walk the restored million objects or
    the imported libraries once more, 0.1 s on the first visitor's click path at 1M events."""
    if collect:
        gc.collect()
    gc.freeze()


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


# A page asks for the board 7 to 13 times in one script run, and each catch-up is a query. In a run
# (``begin_run``, the entry file's first step) only the first ask catches up: the run shows one log
# position throughout. Outside a run (tests, commands) every ask catches up. Per thread, because
# Streamlit runs each script run in a thread of its own.
_RUN = threading.local()


def begin_run() -> None:
    """A script run starts: its first ``board()`` catches up with the log, the later ones do not."""
    _RUN.caught_up = None


def board() -> Board:
    """The board of the configured database, caught up with the log (once per script run, see
    ``begin_run``). Its store knows the registry's groups, so the rules (store/domain/rules.py) count a
    member of a group the plan names in that group's role."""
    url = config.database_url()
    current = _board(url)
    if not current.store.groups:
        current.store.use_groups(_groups_at(current))
    if getattr(_RUN, "caught_up", False) != url:
        current.refresh()
        if hasattr(_RUN, "caught_up"):
            _RUN.caught_up = url
    return current


def position() -> int:
    """The log position the board stands at now, without catching up (the rerun's first ``board()`` did)."""
    return _board(config.database_url()).projector.position


def at_position(position: int, name: str, compute: Callable[[], T], *key: Hashable) -> T:
    """``compute()``, kept per log position like the board's frames, for what a page derives from
    frames read at ``position`` (``View.position``) and ``key``: the same for every session and
    rerun until an event comes in. It is computed outside the board's lock (it reads frames, which
    take it) and kept only if the board still stands at ``position`` when it is done: had an event
    been folded meanwhile, its frames could mix two positions. What is kept is shared: read only."""
    b = _board(config.database_url())
    memo_key = (position, name, *key)
    with b._lock:
        if memo_key in b._memo:
            return b._memo[memo_key]
    value = compute()
    with b._lock:
        if b.projector.position == position:
            b._memo[memo_key] = value
    return value


def head_position() -> int:
    """The log's head position, one indexed query; the board is not folded for it (``live``)."""
    return _board(config.database_url()).store.head()[0]


@functools.lru_cache(maxsize=_MAX_BOARDS)   # process-level, like the boards: a client cannot clear it
def _supervision(url: str) -> tuple[Supervision, threading.Lock]:
    b = _board(url)
    return Supervision(b.store, retracted=lambda: b.projector.retracted), threading.Lock()


def supervision() -> Supervision:
    """The 督办 loop's facts (settings, reports per unit, reminders), caught up with the board: the
    run's position, whose retractions the board has folded."""
    upto = board().projector.position
    loop, lock = _supervision(config.database_url())
    with lock:
        loop.catch_up(upto=upto)
    return loop


def open_reminders(plan_id: str, unit: str, as_of: dt.date) -> pd.DataFrame:
    """The reminders a unit received and has not yet answered with a report, newest first."""
    from store.reading.supervision import open_reminders as still_open

    return still_open(supervision(), lambda: board().frame("report_days"), plan_id, unit, as_of)


def _loop_frame(compute: Callable[..., pd.DataFrame], plan_id: str, *args: Any) -> pd.DataFrame:
    """A 督办 projection of store.reading.supervision (``compute(projector, loop, plan_id, *args, groups)``),
    computed once per log position like the board's own frames."""
    b, loop = board(), supervision()
    key = (b.projector.position, compute.__name__, plan_id, *args)
    unit_groups = groups()   # before the lock: the registry's memo takes it too
    with b._lock:
        if key not in b._memo:
            b._memo[key] = compute(b.projector, loop, plan_id, *args, unit_groups)
        return b._memo[key]


def scores(plan_id: str, first: dt.date, last: dt.date) -> pd.DataFrame:
    """考评 of a plan's units over ``first..last`` (see store.reading.supervision.scores)."""
    from store.reading.supervision import scores as score_units

    return _loop_frame(score_units, plan_id, first, last)


def report_rows(plan_id: str, cycle: Any, as_of: dt.date) -> pd.DataFrame:
    """Report states per unit × activity owed in ``cycle`` (see store.reading.supervision.report_rows)."""
    from store.reading.supervision import report_rows as rows_of

    return _loop_frame(rows_of, plan_id, cycle, as_of)


def bulletin_sources(plan_id: str, as_of: dt.date) -> Any:
    """What the 通报 of a plan as of a date is made of (see dashboard.brief.sources), at the board's position."""
    from dashboard.brief import sources

    return _loop_frame(sources, plan_id, as_of)


def store() -> EventStore:
    """The store, for a page that writes through it (an import, a reminder): the next ``board()``
    of the run catches up, so what was written shows on this very run."""
    found = board().store
    if hasattr(_RUN, "caught_up"):
        _RUN.caught_up = None
    return found


@dataclass(frozen=True)
class PlanInfo:
    plan_id: str
    title: str
    year: int
    start: dt.date
    end: dt.date


def plans() -> list[PlanInfo]:
    """The plans in the store, kept per log position (the sidebar and the frame ask on every rerun)."""
    b = board()
    return list(at_position(b.projector.position, "plans", lambda: tuple(
        PlanInfo(r.plan_id, r.title, int(r.year), r.start.date(), r.end.date())
        for r in b.frame("plan_frame").itertuples())))


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
    """The registry's groups as a memo key: one object per registry, so identity is enough."""

    def __hash__(self) -> int:
        return id(self)


def _registry_at(b: Board) -> tuple[Registry, _Groups]:
    """seed/units.toml merged with the log's UnitRegistered events: the one registry every page,
    the rules (``EventStore.use_groups``) and the 督办 loop read. Rebuilt when the units stream
    grows or the file changes, not on every event: reading the stream's retractions walks every
    retraction of a large log (8 ms at a million events, on each page's first run after an event)."""
    from seed.units import DEFAULT_REGISTRY_PATH, UNITS_STREAM, registry_of

    try:
        stamp = DEFAULT_REGISTRY_PATH.stat().st_mtime_ns
    except OSError:
        stamp = 0   # registry_of says what is wrong with the file
    with b._lock:
        key = (b.projector.stream_length(UNITS_STREAM), stamp)
        if b._registry is None or b._registry[0] != key:
            registry = registry_of(b.store)
            b._registry = key, registry, _Groups(registry.groups)
        return b._registry[1], b._registry[2]


def _groups_at(b: Board) -> _Groups:
    return _registry_at(b)[1]


def registry() -> Registry:
    """The unit registry as the board's store has it (units registered in the app included)."""
    return _registry_at(board())[0]


def groups() -> _Groups:
    """Group units of the registry (各市（州）总工会 → its eight members …)."""
    return _groups_at(board())


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


def log_query(b: Board, plan_id: str | None, *, types: Sequence[str] = (), units: Sequence[str] = (),
              actors: Sequence[str] = (), seqs: Sequence[int] = (),
              occurred: tuple[dt.date | None, dt.date | None] = (None, None),
              recorded: tuple[dt.date | None, dt.date | None] = (None, None),
              months: tuple[int, int] | None = None, keyword: str = "",
              activities: pd.DataFrame | None = None, statuses: Sequence[str] = ()) -> LogQuery:
    """The log page's filters as a query the store runs (``store.reading.log_query``), at the board's position.

    ``seqs`` may hold ``views.PLAN_LEVEL`` for the events of no activity; ``recorded`` is a range of
    days in Asia/Shanghai (the stored time is UTC); ``months`` the sidebar's months of the business date.
    ``keyword`` and ``statuses`` are the sidebar's: an event's own words or its activity's (in
    ``activities``, the plan's activities as of the board's date) hold the keyword; its activity is
    in one of the statuses.
    """
    from dashboard.board.views import PLAN_LEVEL, Filters, filter_activities

    streams, outside = seq_streams(b.projector.seqs(), seqs, PLAN_LEVEL) if seqs else (None, None)
    low, high = recorded
    zone = ZoneInfo(config.DISPLAY_TZ)
    acts = activities if activities is not None else pd.DataFrame(columns=["stream", "status", "title", "body"])
    keyword = keyword.strip()
    keyword_streams = tuple(filter_activities(acts, Filters(keyword=keyword), None)["stream"]) if keyword else ()
    only = tuple(acts.loc[acts["status"].isin(list(statuses)), "stream"]) if statuses else None
    return LogQuery(
        keyword=keyword, keyword_streams=keyword_streams, only_streams=only,
        plan_id=plan_id, types=tuple(types), units=tuple(units), actors=tuple(actors), streams=streams,
        outside=outside, occurred=occurred, upto=b.projector.position,
        months=None if months is None or tuple(months) == (1, 12) else (int(months[0]), int(months[1])),
        recorded=(None if low is None else dt.datetime.combine(low, dt.time(), zone),
                  None if high is None else dt.datetime.combine(high + dt.timedelta(days=1), dt.time(), zone)))
