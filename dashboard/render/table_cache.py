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
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import pandas as pd

from dashboard.render.chart_cache import digest

MAX_TABLES = 128   # a page shows up to seven tables; × plans × dates × projector mode
_TABLES: OrderedDict[bytes, tuple[pd.DataFrame, tuple[str, ...]]] = OrderedDict()
_LOCK = threading.Lock()
stats = {"hits": 0, "builds": 0}

Builder = Callable[..., tuple[pd.DataFrame, list[str]]]


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


def clear() -> None:
    with _LOCK:
        _TABLES.clear()
