"""Charts built once per distinct input, shared by every session of the process.

A chart is a pure function of its frames and options (dashboard/render/charts.py), and building
one — Altair objects, configuration, their deep copies — is a large share of a rerun's CPU
(docs/bench-profile.md), paid again by every session on every rerun although the inputs rarely
change. The key is a digest of the builder and its pickled arguments: equal inputs give the same
key, and different inputs cannot share one, so a cached chart is the chart the inputs would build.
Arguments that do not pickle are built uncached. Process-level, not st.cache_data: no client
message clears it, and nothing here returns a value a caller could mutate for others (Altair's
``properties``/``configure`` return copies).
"""

from __future__ import annotations

import hashlib
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import altair as alt

MAX_CHARTS = 64   # a handful of charts × plans × dates × projector mode; each is small
_CHARTS: OrderedDict[bytes, alt.TopLevelMixin] = OrderedDict()
_LOCK = threading.Lock()
stats = {"hits": 0, "builds": 0}


def _key(builder: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> bytes | None:
    try:
        blob = pickle.dumps((builder.__module__, builder.__qualname__, args, sorted(kwargs.items())),
                            protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return None
    return hashlib.blake2b(blob, digest_size=32).digest()


def build(builder: Callable[..., alt.TopLevelMixin], *args: Any, **kwargs: Any) -> alt.TopLevelMixin:
    """``builder(*args, **kwargs)``, from the cache when these very inputs were built before."""
    key = _key(builder, args, kwargs)
    if key is not None:
        with _LOCK:
            found = _CHARTS.get(key)
            if found is not None:
                _CHARTS.move_to_end(key)
                stats["hits"] += 1
                return found
    chart = builder(*args, **kwargs)
    with _LOCK:
        stats["builds"] += 1
        if key is not None:
            _CHARTS[key] = chart
            while len(_CHARTS) > MAX_CHARTS:
                _CHARTS.popitem(last=False)
    return chart


def clear() -> None:
    with _LOCK:
        _CHARTS.clear()
