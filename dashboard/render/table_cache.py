"""Tables' display frames built once per distinct input, shared by every session of the process.

Showing a table, ``components.table`` turns the frame into what a reader sees — a copy with every
column converted to display text, Chinese headers, on the projector every cell escaped — and that
is a large share of a rerun's CPU (docs/bench-profile.md), paid again by every session on every
rerun although the frame rarely changes. The key is ``chart_cache.digest`` of the builder and its
arguments (the frame itself, pickled), so equal frames share a display frame and a changed frame
(a new event, another as-of date) builds its own. Process-level, bounded, thread-safe, like
chart_cache. What it hands out is a shallow copy: pandas 3 copies on write, so a caller that
changes it changes its own copy, never the cached frame another session is given.

The Styler is not cached: Streamlit writes into it while drawing (its uuid, its computed styles),
so a shared one would be mutated by every session; making one over a display frame costs little.

``shown`` puts two things in front: a frame a page keeps per log position (the same object on
every rerun) is found by identity, without cutting its columns or pickling it for the digest; and
a table without colours gets its Arrow table once (Streamlit's own conversion, so the browser gets
the very bytes ``st.dataframe`` of the frame sends). Under load those were a seventh of the
server's time (docs/bench-profile.md).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd
from streamlit.dataframe_util import convert_pandas_df_to_arrow_table

if TYPE_CHECKING:
    import pyarrow as pa

from dashboard.render.chart_cache import digest

MAX_TABLES = 128   # a page shows up to seven tables; × plans × dates × projector mode
_TABLES: OrderedDict[bytes, tuple[pd.DataFrame, tuple[str, ...]]] = OrderedDict()
_LOCK = threading.Lock()
stats = {"hits": 0, "builds": 0}

Builder = Callable[..., tuple[pd.DataFrame, list[str]]]


@dataclass(frozen=True)
class Shown:
    """A table as drawn, shared by every session: read only."""

    frame: pd.DataFrame                 # the columns shown, as given (what the downloads export)
    display: pd.DataFrame               # display text under Chinese headers
    status_columns: list[str]           # the columns that get their colours
    arrow: pa.Table | None              # the display frame as Streamlit converts it (tables without colours)


_BY_ID: OrderedDict[tuple[int, tuple[str, ...] | None, bool], tuple[pd.DataFrame, Shown]] = OrderedDict()


def build(builder: Builder, *args: Any, **kwargs: Any) -> tuple[pd.DataFrame, list[str]]:
    """``builder(*args, **kwargs)`` — a display frame and its status columns — from the cache when
    these very inputs were built before; the frame handed out is the caller's own (copy on write)."""
    key = digest(builder, args, kwargs)
    found = None
    if key is not None:
        with _LOCK:
            found = _TABLES.get(key)
            if found is not None:
                _TABLES.move_to_end(key)
                stats["hits"] += 1
    if found is None:
        frame, columns = builder(*args, **kwargs)
        found = (frame, tuple(columns))
        with _LOCK:
            stats["builds"] += 1
            if key is not None:
                _TABLES[key] = found
                while len(_TABLES) > MAX_TABLES:
                    _TABLES.popitem(last=False)
    frame, columns = found
    return frame.copy(deep=False), list(columns)


def shown(builder: Builder, frame: pd.DataFrame, columns: Sequence[str] | None, projector: bool) -> Shown:
    """``frame`` (its ``columns``) as ``builder`` shows it, with its Arrow table when it has no
    colours. The entry holds the frame, so its id cannot be reused by another while it is cached; a
    frame must not be changed in place once drawn (kept frames are read only)."""
    key = (id(frame), tuple(columns) if columns else None, projector)
    with _LOCK:
        hit = _BY_ID.get(key)
        if hit is not None and hit[0] is frame:
            _BY_ID.move_to_end(key)
            stats["hits"] += 1
            return hit[1]
    cut = frame[list(columns)] if columns else frame
    display, status_columns = build(builder, cut, projector)
    arrow = None if projector or status_columns else convert_pandas_df_to_arrow_table(display)
    entry = Shown(cut, display, status_columns, arrow)
    with _LOCK:
        _BY_ID[key] = (frame, entry)
        while len(_BY_ID) > MAX_TABLES:
            _BY_ID.popitem(last=False)
    return entry


def clear() -> None:
    with _LOCK:
        _TABLES.clear()
        _BY_ID.clear()
