"""Charts built once per distinct input, shared by every session of the process, with their Vega-Lite spec.

A chart is a pure function of its frames and options (dashboard/render/charts), and building
one — Altair objects, configuration, their deep copies — is a large share of a rerun's CPU
(docs/bench-profile.md), paid again by every session on every rerun although the inputs rarely
change. The key is a digest of the builder and its pickled arguments: equal inputs give the same
key, and different inputs cannot share one, so a cached chart is the chart the inputs would build.
Arguments that do not pickle are built uncached. Process-level, not st.cache_data: no client
message clears it, and nothing here returns a value a caller could mutate for others (Altair's
``properties``/``configure`` return copies; a spec is handed out as a fresh dict each time).

Drawing an Altair chart, Streamlit turns it into a Vega-Lite spec on every rerun (``to_dict()``:
Altair's JSON-schema validation plus the Arrow conversion of the chart's data), under a lock that
every session of the process shares. ``vega_lite`` does that conversion once per cached chart, with
Streamlit's own converter, so ``st.vega_lite_chart`` of it sends the browser what
``st.altair_chart`` sends: the same spec, the same Arrow datasets.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import altair as alt
from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

MAX_CHARTS = 64   # a handful of charts × plans × dates × projector mode; each is small


@dataclass
class _Entry:
    chart: alt.TopLevelMixin
    spec_json: str | None = None             # the spec without its datasets, as JSON
    datasets: dict[str, Any] | None = None   # name → Arrow IPC bytes (immutable)


_CHARTS: OrderedDict[bytes, _Entry] = OrderedDict()
_KEY_OF: dict[int, bytes] = {}   # id(chart) → key, for the charts in _CHARTS (held, so ids are not reused)
_LOCK = threading.Lock()
stats = {"hits": 0, "builds": 0, "spec_hits": 0, "spec_builds": 0}


def digest(builder: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> bytes | None:
    """A key for ``builder(*args, **kwargs)``: equal for equal inputs, None when an input does not pickle."""
    try:
        blob = pickle.dumps((builder.__module__, builder.__qualname__, args, sorted(kwargs.items())),
                            protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return None
    return hashlib.blake2b(blob, digest_size=32).digest()


def build(builder: Callable[..., alt.TopLevelMixin], *args: Any, **kwargs: Any) -> alt.TopLevelMixin:
    """``builder(*args, **kwargs)``, from the cache when these very inputs were built before."""
    key = digest(builder, args, kwargs)
    if key is not None:
        with _LOCK:
            found = _CHARTS.get(key)
            if found is not None:
                _CHARTS.move_to_end(key)
                stats["hits"] += 1
                return found.chart
    chart = builder(*args, **kwargs)
    with _LOCK:
        stats["builds"] += 1
        if key is not None:
            old = _CHARTS.pop(key, None)
            if old is not None:
                _KEY_OF.pop(id(old.chart), None)
            _CHARTS[key] = _Entry(chart)
            _KEY_OF[id(chart)] = key
            while len(_CHARTS) > MAX_CHARTS:
                _, evicted = _CHARTS.popitem(last=False)
                _KEY_OF.pop(id(evicted.chart), None)
    return chart


def _convert(chart: alt.TopLevelMixin) -> tuple[str, dict[str, Any]]:
    spec = _convert_altair_to_vega_lite_spec(chart)
    datasets = spec.pop("datasets", {})
    return json.dumps(spec), datasets


def vega_lite(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """The Vega-Lite spec Streamlit draws for ``chart``, its data as named Arrow datasets: converted
    once for a chart from ``build``'s cache, every time for any other. A fresh dict on every call."""
    with _LOCK:
        key = _KEY_OF.get(id(chart))
        entry = _CHARTS.get(key) if key is not None else None
        if entry is not None and entry.chart is not chart:
            entry = None
        if entry is not None and entry.spec_json is not None:
            stats["spec_hits"] += 1
            spec_json, datasets = entry.spec_json, entry.datasets
        else:
            spec_json = datasets = None
    if spec_json is None:
        spec_json, datasets = _convert(chart)
        with _LOCK:
            stats["spec_builds"] += 1
            if entry is not None:
                entry.spec_json, entry.datasets = spec_json, datasets
    spec = json.loads(spec_json)
    spec["datasets"] = dict(datasets or {})
    return spec


def clear() -> None:
    with _LOCK:
        _CHARTS.clear()
        _KEY_OF.clear()
